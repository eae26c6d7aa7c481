//! The Weapon controller's decisions: from a weapon, the flight
//! tasks that load it, their pods and the time, the weapon's status and which
//! task pods to delete (or whose sidecar to reload) so a new image rolls out.
//! Pure; the reconciler observes and applies.
//!
//! RollingUpdate and Recreate delete pods: the FlightTask controller treats a
//! pod deleted by someone else as lost, and replaces it with the next attempt
//! (built from the weapon as it is now, so with the new image) without
//! spending a retry. A RollingUpdate with `maxSurge` asks some tasks to
//! replace their pod the other way round instead: it marks the running pod
//! ([`keys::SURGE_ANNOTATION`]) and the task starts its next attempt beside it,
//! stopping the old pod once the new one runs. HotReload deletes nothing: it
//! changes the image of the running pod's sidecar in place, which the kubelet
//! restarts on the new image, so the pod and its task carry on.

use k8s_openapi::api::core::v1::{Container, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kube::ResourceExt;
use kube::runtime::events::EventType;

use super::apply::status_changed;
use super::pod_state::{self, PodState, TaskPod};
use super::report::{self, PlanEvent};
use crate::api::aircraft::hardpoint_type;
use crate::api::conditions::{Condition, reasons, types};
use crate::api::weapon::{
    CompatibilityCheck, UpdateStrategyType, WeaponPhase, WeaponStatus, WeaponUsage,
};
use crate::api::{FlightTask, Weapon, armoury, keys};
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
    /// Where the tasks' references may resolve.
    pub namesakes: Namesakes<'a>,
    pub now: Time,
}

/// Every Weapon of the weapon's name (itself among them) and the armoury, so
/// that a reference counts for the weapon a pod build would arm.
#[derive(Debug, Clone, Copy)]
pub struct Namesakes<'a> {
    pub weapons: &'a [Weapon],
    pub armoury: Option<&'a str>,
}

/// A task pod to delete (its task replaces it with the current image) or to
/// mark for a surge.
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

/// The status to write, then the pods to mark for a surge, the pods to delete
/// and the sidecars to reload.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WeaponPlan {
    pub status: WeaponStatus,
    /// Running out-of-date pods whose task is to start its next attempt
    /// beside them ([`keys::SURGE_ANNOTATION`]).
    pub surge: Vec<PodKey>,
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
    /// Running pods whose sidecar runs another image, not yet being deleted
    /// or surged past.
    out_of_date: Vec<PodKey>,
    /// Out-of-date running pods marked for a surge: the task's next attempt
    /// is on its way beside them, or about to be.
    surging: usize,
    /// Those of them whose next attempt waits for an aircraft. Deleting one
    /// (within `maxUnavailable`) frees its aircraft for the new pod, as a
    /// Deployment scales old pods down when its surge finds no room.
    stalled: Vec<PodKey>,
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
        !self.out_of_date.is_empty() || self.terminating > 0 || self.surging > 0
    }
}

/// The weapon's status and the pods to delete, as observed. Phase: Updating
/// while a RollingUpdate or Recreate rollout has pods to replace, else
/// Deprecated when the current version is marked so, else Available.
pub fn plan(observed: &WeaponObserved) -> WeaponPlan {
    let weapon = observed.weapon;
    let old = weapon.status.clone().unwrap_or_default();
    let carriers = carriers(observed);
    let image = weapon.spec.sidecar_image(observed.simulator_image);
    let rollout = rollout(weapon, &carriers, observed.pods, &image);
    let strategy = weapon.spec.update_strategy.strategy_type;
    let (surge, delete) = to_replace(weapon, &rollout);
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
        // The pool's own plan decides it (see `pool_plan`).
        pool: old.pool.clone(),
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
                "rolling {image} out: {} running pods out of date, {} being deleted, {} being replaced beside a new pod",
                rollout.out_of_date.len(),
                rollout.terminating,
                rollout.surging
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
    let events = rollout_event(weapon, &surge, &delete, &reload, &image);
    WeaponPlan {
        status,
        surge,
        delete,
        reload,
        events,
    }
}

fn is_deprecated(weapon: &Weapon, version: &str) -> bool {
    (weapon.spec.version_history.iter())
        .any(|record| record.version == version && record.deprecated)
}

/// Whether `task` loads `weapon`: a loadout entry resolves to it
/// ([`armoury::resolve`] among its namesakes). A weapon with no namespace (a
/// test, a file) matches any entry of its name.
pub fn references(task: &FlightTask, weapon: &Weapon, namesakes: Namesakes) -> bool {
    quantity_of(task, weapon, namesakes).is_some()
}

fn quantity_of(task: &FlightTask, weapon: &Weapon, namesakes: Namesakes) -> Option<i32> {
    let name = weapon.name_any();
    let home = task.namespace().unwrap_or_default();
    let entries = task.spec.template.weapon_loadout.iter().filter(|entry| {
        let reference = &entry.weapon_ref;
        let resolves = || {
            armoury::resolve(reference, &home, namesakes.armoury, namesakes.weapons)
                .is_some_and(|found| found.namespace() == weapon.namespace())
        };
        reference.name == name && (weapon.namespace().is_none() || resolves())
    });
    entries.fold(None, |sum, entry| Some(sum.unwrap_or(0) + entry.quantity))
}

/// The unfinished tasks that load the weapon, by namespace and name.
fn carriers<'a>(observed: &WeaponObserved<'a>) -> Vec<Carrier<'a>> {
    let weapon = observed.weapon;
    let mut found: Vec<Carrier<'a>> = (observed.tasks.iter())
        .filter(|task| !task_finished(task))
        .filter_map(|task| {
            Some(Carrier {
                task,
                quantity: quantity_of(task, weapon, observed.namesakes)?,
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

/// Whether a running pod of a task carries the surge mark: its task starts (or
/// has started) the next attempt beside it.
fn surging(pod: &Pod) -> bool {
    pod.metadata.deletion_timestamp.is_none()
        && pod.annotations().contains_key(keys::SURGE_ANNOTATION)
        && matches!(pod_state::state(pod), PodState::Running { .. })
}

/// Sorts the carriers' current pods into out of date (running another image),
/// surging (marked to be replaced beside a new pod), terminating (an
/// out-of-date pod being deleted) and replacing (a later attempt not running
/// yet, or none created yet for a pod that was seen).
fn rollout(weapon: &Weapon, carriers: &[Carrier], pods: &[Pod], image: &str) -> Rollout {
    let name = weapon.name_any();
    let mut rollout = Rollout::default();
    for carrier in carriers {
        let mut task_pods = pod_state::task_pods(carrier.task, pods);
        let Some(newest) = task_pods.pop() else {
            let seen = (carrier.task.status.as_ref()).is_some_and(|s| s.pod_ref.is_some());
            rollout.replacing += usize::from(seen);
            continue;
        };
        let Some(container) = sidecar(newest.pod, &name) else {
            continue;
        };
        let current = container.image.as_deref() == Some(image);
        let key = |pod: &TaskPod| PodKey {
            namespace: carrier.task.namespace().unwrap_or_default(),
            name: pod.name.to_string(),
        };
        let beside = task_pods.last().filter(|previous| surging(previous.pod));
        match pod_state::state(newest.pod) {
            PodState::Unscheduled if let Some(old) = beside => {
                rollout.surging += 1;
                rollout.stalled.push(key(old));
            }
            PodState::Scheduled { .. } if beside.is_some() => rollout.surging += 1,
            PodState::Running { .. } if !current && surging(newest.pod) => rollout.surging += 1,
            PodState::Running { .. } if !current => rollout.out_of_date.push(key(&newest)),
            PodState::Terminating if !current => rollout.terminating += 1,
            PodState::Unscheduled | PodState::Scheduled { .. } if newest.attempt > 1 => {
                rollout.replacing += 1
            }
            _ => {}
        }
    }
    rollout.out_of_date.sort();
    rollout.stalled.sort();
    rollout
}

/// The pods to mark for a surge and the pods to delete now. None under
/// HotReload; every out-of-date one deleted under Recreate; under
/// RollingUpdate, first as many surges as `maxSurge` leaves room for beside
/// those under way, then as many deletes as `maxUnavailable` allows beside the
/// tasks already without a running pod: the old pods of stalled surges first,
/// then out-of-date ones.
fn to_replace(weapon: &Weapon, rollout: &Rollout) -> (Vec<PodKey>, Vec<PodKey>) {
    let strategy = &weapon.spec.update_strategy;
    match strategy.strategy_type {
        UpdateStrategyType::HotReload => (Vec::new(), Vec::new()),
        UpdateStrategyType::Recreate => (Vec::new(), rollout.out_of_date.clone()),
        UpdateStrategyType::RollingUpdate => {
            let limits = strategy.rolling_update.as_ref();
            let out_of_date = rollout.out_of_date.len();
            let surge = max_surge(limits.and_then(|r| r.max_surge.as_ref()), out_of_date);
            let unavailable = max_unavailable(
                limits.and_then(|r| r.max_unavailable.as_ref()),
                out_of_date,
                surge > 0,
            );
            let surge_now = surge.saturating_sub(rollout.surging);
            let delete_now = unavailable.saturating_sub(rollout.terminating + rollout.replacing);
            let mut pods = rollout.out_of_date.iter().cloned();
            let surged: Vec<PodKey> = pods.by_ref().take(surge_now).collect();
            let stalled = rollout.stalled.iter().cloned();
            (surged, stalled.chain(pods).take(delete_now).collect())
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

/// How many tasks may be without a running pod at once: [`resolve`]d, 1 when
/// unset or unreadable. 0 only when a surge makes room (`surge_room`);
/// otherwise it would stall the rollout for good, so it counts as 1.
pub fn max_unavailable(limit: Option<&IntOrString>, out_of_date: usize, surge_room: bool) -> usize {
    let resolved = limit.map_or(Some(1), |limit| resolve(limit, out_of_date));
    let floor = usize::from(!surge_room);
    resolved.unwrap_or(1).max(floor)
}

/// How many tasks may run a second pod at once: [`resolve`]d, 0 when unset or
/// unreadable.
pub fn max_surge(limit: Option<&IntOrString>, out_of_date: usize) -> usize {
    limit
        .and_then(|limit| resolve(limit, out_of_date))
        .unwrap_or(0)
}

/// A rollout limit: an integer, or a percentage of the out-of-date pods
/// rounded up; a negative count is 0. `None` when it cannot be read.
fn resolve(limit: &IntOrString, out_of_date: usize) -> Option<usize> {
    match limit {
        IntOrString::Int(count) => Some(usize::try_from(*count).unwrap_or(0)),
        IntOrString::String(text) => {
            let percent = text.strip_suffix('%')?.trim().parse::<usize>().ok()?;
            Some((out_of_date * percent.min(100)).div_ceil(100))
        }
    }
}

/// `RolledOut`: whether every running pod carries the current image.
fn rolled_out(
    strategy: UpdateStrategyType,
    rollout: &Rollout,
    image: &str,
    generation: Option<i64>,
) -> Condition {
    let behind = rollout.out_of_date.len() + rollout.surging;
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
    surge: &[PodKey],
    delete: &[PodKey],
    reload: &[SidecarReload],
    image: &str,
) -> Vec<PlanEvent> {
    let names = |pods: &mut dyn Iterator<Item = &PodKey>| {
        pods.map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
    };
    let mut events = Vec::new();
    if !surge.is_empty() {
        events.push(PlanEvent {
            type_: EventType::Normal,
            reason: reasons::UPDATING,
            action: "SurgePod",
            note: format!(
                "rolling {} out to {image}: a new pod starts beside {}, which stops once it runs",
                weapon.name_any(),
                names(&mut surge.iter())
            ),
        });
    }
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
