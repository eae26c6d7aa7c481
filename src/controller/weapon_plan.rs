//! The Weapon controller's decisions: from a weapon, the flight
//! tasks that load it, their pods and the time, the weapon's status and which
//! task pods to delete (or whose sidecar to reload) so a new image rolls out.
//! Pure; the reconciler observes and applies.
//!
//! RollingUpdate and Recreate delete pods and nothing else: the FlightTask
//! controller treats a pod deleted by someone else as lost, and replaces it with
//! the next attempt (built from the weapon as it is now, so with the new image)
//! without spending a retry. HotReload deletes nothing: it changes the image of
//! the running pod's sidecar in place, which the kubelet restarts on the new
//! image, so the pod and its task carry on.

use k8s_openapi::api::core::v1::{Container, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kube::ResourceExt;
use kube::runtime::events::EventType;

use super::apply::status_changed;
use super::pod_state::{self, PodState};
use super::report::{self, PlanEvent};
use crate::api::aircraft::hardpoint_type;
use crate::api::conditions::{Condition, reasons, types};
use crate::api::weapon::{
    CompatibilityCheck, UpdateStrategyType, WeaponPhase, WeaponStatus, WeaponUsage,
};
use crate::api::{FlightTask, Weapon};
use crate::pod_template::SIDECAR_PREFIX;

/// At most this many task names in `status.usage.tasks` and compatibility
/// checks, so a weapon carried by thousands of tasks keeps a small status.
pub const MAX_LISTED_TASKS: usize = 50;

/// What the reconciler observed.
#[derive(Debug, Clone)]
pub struct WeaponObserved<'a> {
    pub weapon: &'a Weapon,
    /// Flight tasks that may reference the weapon; the plan keeps those that do.
    pub tasks: &'a [FlightTask],
    /// Their pods (any pods: the plan keeps those the tasks control).
    pub pods: &'a [Pod],
    /// The image a sidecar runs when the weapon names none.
    pub simulator_image: &'a str,
    pub now: Time,
}

/// A pod to delete, so its task replaces it with the current image.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PodKey {
    pub namespace: String,
    pub name: String,
}

/// A running pod whose weapon sidecar gets a new image in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SidecarReload {
    pub pod: PodKey,
    pub container: String,
    pub image: String,
}

/// The status to write, then the pods to delete and the sidecars to reload.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WeaponPlan {
    pub status: WeaponStatus,
    pub delete: Vec<PodKey>,
    pub reload: Vec<SidecarReload>,
    pub events: Vec<PlanEvent>,
}

/// An unfinished task that loads the weapon, with what it loads.
struct Carrier<'a> {
    task: &'a FlightTask,
    quantity: i32,
}

/// Where the weapon's running pods stand against its current image.
#[derive(Debug, Default)]
struct Rollout {
    /// Running pods whose sidecar runs another image, not yet being deleted.
    out_of_date: Vec<PodKey>,
    /// Out-of-date pods being deleted.
    terminating: usize,
    /// Tasks whose pod was lost or replaced and whose new attempt is not running
    /// yet. They count against `maxUnavailable` but do not make the weapon
    /// Updating: a task retrying after a failure looks the same.
    replacing: usize,
}

impl Rollout {
    /// Whether running pods still carry another image, or are going away for it.
    fn in_progress(&self) -> bool {
        !self.out_of_date.is_empty() || self.terminating > 0
    }
}

/// The weapon's status and the pods to delete, as observed. Phase: Updating
/// while a RollingUpdate or Recreate rollout has pods to replace, else
/// Deprecated when the current version is marked so, else Available.
pub fn plan(observed: &WeaponObserved) -> WeaponPlan {
    let weapon = observed.weapon;
    let old = weapon.status.clone().unwrap_or_default();
    let carriers = carriers(weapon, observed.tasks);
    let image = weapon.spec.sidecar_image(observed.simulator_image);
    let rollout = rollout(weapon, &carriers, observed.pods, &image);
    let strategy = weapon.spec.update_strategy.strategy_type;
    let delete = to_delete(weapon, &rollout);
    let reload = to_reload(weapon, &rollout, &image);
    let version = weapon.spec.current_version(observed.simulator_image);
    let rolling = strategy != UpdateStrategyType::HotReload && rollout.in_progress();
    let phase = if rolling {
        WeaponPhase::Updating
    } else if is_deprecated(weapon, &version) {
        WeaponPhase::Deprecated
    } else {
        WeaponPhase::Available
    };

    let mut status = WeaponStatus {
        phase: Some(phase),
        usage: Some(usage(weapon, &carriers)),
        compatibility_checks: carriers
            .iter()
            .take(MAX_LISTED_TASKS)
            .map(|c| check(weapon, c.task))
            .collect(),
        current_version: Some(version.clone()),
        last_update_time: old.last_update_time.clone(),
        observed_generation: weapon.metadata.generation,
        conditions: old.conditions.clone(),
    };
    let generation = weapon.metadata.generation;
    let (ready_reason, ready_message) = match phase {
        WeaponPhase::Available => (reasons::AVAILABLE, format!("{image} is available")),
        WeaponPhase::Deprecated => (
            reasons::DEPRECATED,
            format!("version {version} is deprecated: move to a newer one"),
        ),
        WeaponPhase::Updating => (
            reasons::UPDATING,
            format!(
                "rolling {image} out: {} running pods out of date, {} being deleted",
                rollout.out_of_date.len(),
                rollout.terminating
            ),
        ),
    };
    let ready = report::ready(
        phase == WeaponPhase::Available,
        ready_reason,
        &ready_message,
        generation,
    );
    report::set_condition(&mut status.conditions, ready, &observed.now);
    let rolled_out = rolled_out(strategy, &rollout, &image, generation);
    report::set_condition(&mut status.conditions, rolled_out, &observed.now);

    let content_changed = status_changed(Some(&old), &status);
    if content_changed || status.last_update_time.is_none() {
        status.last_update_time = Some(observed.now.clone());
    }
    let events = rollout_event(weapon, &delete, &reload, &image);
    WeaponPlan {
        status,
        delete,
        reload,
        events,
    }
}

fn is_deprecated(weapon: &Weapon, version: &str) -> bool {
    (weapon.spec.version_history.iter())
        .any(|record| record.version == version && record.deprecated)
}

/// Whether `task` loads `weapon`: a loadout entry names it, in the weapon's
/// namespace (the entry's, or else the task's). A weapon with no namespace (a
/// test, a file) matches any.
pub fn references(task: &FlightTask, weapon: &Weapon) -> bool {
    quantity_of(task, weapon).is_some()
}

fn quantity_of(task: &FlightTask, weapon: &Weapon) -> Option<i32> {
    let name = weapon.name_any();
    let namespace = weapon.metadata.namespace.as_deref();
    let entries = task.spec.template.weapon_loadout.iter().filter(|entry| {
        let wanted = entry.weapon_ref.namespace.as_deref();
        let wanted = wanted.or(task.metadata.namespace.as_deref());
        entry.weapon_ref.name == name && (namespace.is_none() || wanted == namespace)
    });
    entries.fold(None, |sum, entry| Some(sum.unwrap_or(0) + entry.quantity))
}

/// The unfinished tasks that load the weapon, by namespace and name.
fn carriers<'a>(weapon: &Weapon, tasks: &'a [FlightTask]) -> Vec<Carrier<'a>> {
    let mut found: Vec<Carrier<'a>> = tasks
        .iter()
        .filter(|task| !task_finished(task))
        .filter_map(|task| {
            Some(Carrier {
                task,
                quantity: quantity_of(task, weapon)?,
            })
        })
        .collect();
    found.sort_by_key(|c| (c.task.namespace(), c.task.name_any()));
    found
}

fn task_finished(task: &FlightTask) -> bool {
    (task.status.as_ref()).is_some_and(|s| s.phase.is_some_and(|p| p.is_finished()))
}

/// A task's name, with its namespace when that is not the weapon's.
fn task_label(weapon: &Weapon, task: &FlightTask) -> String {
    match task.namespace() {
        Some(namespace) if weapon.metadata.namespace.as_deref() != Some(namespace.as_str()) => {
            format!("{namespace}/{}", task.name_any())
        }
        _ => task.name_any(),
    }
}

fn usage(weapon: &Weapon, carriers: &[Carrier]) -> WeaponUsage {
    WeaponUsage {
        task_count: i32::try_from(carriers.len()).unwrap_or(i32::MAX),
        quantity: carriers.iter().map(|c| c.quantity).sum(),
        tasks: (carriers.iter().take(MAX_LISTED_TASKS))
            .map(|c| task_label(weapon, c.task))
            .collect(),
    }
}

/// Whether the task's aircraft type and mount points can carry the weapon.
fn check(weapon: &Weapon, task: &FlightTask) -> CompatibilityCheck {
    let template = &task.spec.template;
    let aircraft_type = template.aircraft_requirement.aircraft_type.as_deref();
    let name = weapon.name_any();
    let compatibility = &weapon.spec.compatibility;
    let mount_points = (template.weapon_loadout.iter())
        .filter(|entry| entry.weapon_ref.name == name)
        .flat_map(|entry| entry.mount_points.iter());
    let mut refusal = compatibility.refusal(aircraft_type, None);
    for mount_point in mount_points {
        if refusal.is_some() {
            break;
        }
        refusal = (compatibility.refusal(None, Some(hardpoint_type(mount_point))))
            .map(|reason| format!("{mount_point}: {reason}"));
    }
    let cleared = match aircraft_type {
        Some(aircraft) => format!("cleared for {aircraft}"),
        None => "the task names no aircraft type; hardpoints fit".to_string(),
    };
    CompatibilityCheck {
        task: task_label(weapon, task),
        compatible: refusal.is_none(),
        message: Some(refusal.unwrap_or(cleared)),
    }
}

/// The sidecar of `weapon` in `pod`, if the pod carries it.
fn sidecar<'p>(pod: &'p Pod, weapon: &str) -> Option<&'p Container> {
    let spec = pod.spec.as_ref()?;
    let name = format!("{SIDECAR_PREFIX}{weapon}");
    (spec.init_containers.iter().flatten())
        .chain(spec.containers.iter())
        .find(|c| c.name == name)
}

/// Sorts the carriers' current pods into out of date (running another image),
/// terminating (an out-of-date pod being deleted) and replacing (a later attempt
/// not running yet, or none created yet for a pod that was seen).
fn rollout(weapon: &Weapon, carriers: &[Carrier], pods: &[Pod], image: &str) -> Rollout {
    let name = weapon.name_any();
    let mut rollout = Rollout::default();
    for carrier in carriers {
        let Some(newest) = pod_state::task_pods(carrier.task, pods).pop() else {
            let seen = (carrier.task.status.as_ref()).is_some_and(|s| s.pod_ref.is_some());
            rollout.replacing += usize::from(seen);
            continue;
        };
        let Some(container) = sidecar(newest.pod, &name) else {
            continue;
        };
        let current = container.image.as_deref() == Some(image);
        match pod_state::state(newest.pod) {
            PodState::Running { .. } if !current => rollout.out_of_date.push(PodKey {
                namespace: carrier.task.namespace().unwrap_or_default(),
                name: newest.name.to_string(),
            }),
            PodState::Terminating if !current => rollout.terminating += 1,
            PodState::Unscheduled | PodState::Scheduled { .. } if newest.attempt > 1 => {
                rollout.replacing += 1
            }
            _ => {}
        }
    }
    rollout.out_of_date.sort();
    rollout
}

/// The pods to delete now: none under HotReload, all out-of-date ones under
/// Recreate, and under RollingUpdate as many as `maxUnavailable` allows beside
/// the ones already unavailable.
fn to_delete(weapon: &Weapon, rollout: &Rollout) -> Vec<PodKey> {
    let strategy = &weapon.spec.update_strategy;
    match strategy.strategy_type {
        UpdateStrategyType::HotReload => Vec::new(),
        UpdateStrategyType::Recreate => rollout.out_of_date.clone(),
        UpdateStrategyType::RollingUpdate => {
            let limit = (strategy.rolling_update.as_ref()).and_then(|r| r.max_unavailable.as_ref());
            let budget = max_unavailable(limit, rollout.out_of_date.len())
                .saturating_sub(rollout.terminating + rollout.replacing);
            rollout.out_of_date.iter().take(budget).cloned().collect()
        }
    }
}

/// Under HotReload, every out-of-date running pod, its sidecar to get `image`.
fn to_reload(weapon: &Weapon, rollout: &Rollout, image: &str) -> Vec<SidecarReload> {
    if weapon.spec.update_strategy.strategy_type != UpdateStrategyType::HotReload {
        return Vec::new();
    }
    (rollout.out_of_date.iter())
        .map(|pod| SidecarReload {
            pod: pod.clone(),
            container: format!("{SIDECAR_PREFIX}{}", weapon.name_any()),
            image: image.to_string(),
        })
        .collect()
}

/// How many pods may be down at once: an integer, or a percentage of the
/// out-of-date pods rounded up. Never less than 1, since a task has one pod and
/// no surge can make room: 0 would stall the rollout for good. Unset or
/// unreadable means 1.
pub fn max_unavailable(limit: Option<&IntOrString>, out_of_date: usize) -> usize {
    let resolved = match limit {
        Some(IntOrString::Int(count)) => usize::try_from(*count).unwrap_or(0),
        Some(IntOrString::String(text)) => {
            match text
                .strip_suffix('%')
                .and_then(|p| p.trim().parse::<usize>().ok())
            {
                Some(percent) => (out_of_date * percent.min(100)).div_ceil(100),
                None => 1,
            }
        }
        None => 1,
    };
    resolved.max(1)
}

/// `RolledOut`: whether every running pod carries the current image.
fn rolled_out(
    strategy: UpdateStrategyType,
    rollout: &Rollout,
    image: &str,
    generation: Option<i64>,
) -> Condition {
    let behind = rollout.out_of_date.len();
    let (done, reason, message) = if !rollout.in_progress() {
        let message = format!("every running task pod carries {image}");
        (true, reasons::UP_TO_DATE, message)
    } else if strategy == UpdateStrategyType::HotReload {
        let message = format!("{behind} running task pods reloading {image} in place");
        (false, reasons::UPDATING, message)
    } else {
        let message = format!("{behind} running task pods still to replace with {image}");
        (false, reasons::UPDATING, message)
    };
    Condition {
        type_: types::ROLLED_OUT.to_string(),
        ..report::ready(done, reason, &message, generation)
    }
}

fn rollout_event(
    weapon: &Weapon,
    delete: &[PodKey],
    reload: &[SidecarReload],
    image: &str,
) -> Vec<PlanEvent> {
    let names = |pods: &mut dyn Iterator<Item = &PodKey>| {
        pods.map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
    };
    let mut events = Vec::new();
    if !delete.is_empty() {
        events.push(PlanEvent {
            type_: EventType::Normal,
            reason: reasons::UPDATING,
            action: "DeletePod",
            note: format!(
                "rolling {} out to {image}: deleting {}, its task replaces it",
                weapon.name_any(),
                names(&mut delete.iter())
            ),
        });
    }
    if !reload.is_empty() {
        events.push(PlanEvent {
            type_: EventType::Normal,
            reason: reasons::UPDATING,
            action: "ReloadSidecar",
            note: format!(
                "hot-reloading {} to {image} in place: {}",
                weapon.name_any(),
                names(&mut reload.iter().map(|r| &r.pod))
            ),
        });
    }
    events
}

#[cfg(test)]
mod tests;
