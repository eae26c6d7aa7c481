//! A weapon pool's decisions, pure: which instance pods to create or delete,
//! which loans to take back, which waiting tasks to lend a free instance to,
//! and the pool's status. Also the one reading of a loan both sides share:
//! the Weapon controller lends and takes back, the FlightTask controller
//! builds its pod once it finds its loan.
//!
//! Tasks are served first come, first served: by creation time, then name.
//! A loan lasts the task's whole life, through its retries, and is taken back
//! once the task is finished or gone; the instance is reset before it is lent
//! again (see the Weapon controller).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Pod, PodSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::runtime::events::EventType;
use kube::{Resource, ResourceExt};

use super::fingerprint::fingerprint;
use super::report::PlanEvent;
use crate::api::conditions::reasons;
use crate::api::weapon_pool::{
    self, BORROWED_BY, BORROWER_UID, INSTANCE_HASH, Loan, POOL_LABEL, PoolStatus, SLOT_LABEL,
};
use crate::api::{FlightTask, Weapon};
use crate::controller::weapon_sidecars;
use crate::pod_security;
use crate::weapon_link::sidecars;

/// What the Weapon controller observed of a pool.
#[derive(Debug, Clone, Copy)]
pub struct PoolObserved<'a> {
    pub weapon: &'a Weapon,
    /// The weapon's instance pods.
    pub instances: &'a [Pod],
    /// The tasks that load the weapon.
    pub tasks: &'a [FlightTask],
    pub simulator_image: &'a str,
}

/// One instance, as a write needs it: the resourceVersion it was read at is
/// the precondition of the write, so a write on a stale reading is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    pub name: String,
    pub resource_version: String,
}

/// A free instance to lend to a waiting task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lend {
    pub instance: Instance,
    pub task: String,
    pub task_uid: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PoolPlan {
    /// Instance pods to create.
    pub create: Vec<Pod>,
    /// Free instances to delete: out of date, stopped, or beyond the size.
    pub delete: Vec<String>,
    /// Loans of finished or vanished tasks, to reset and take back.
    pub take_back: Vec<Instance>,
    pub lend: Vec<Lend>,
    /// `None` when the weapon keeps no pool and none is left.
    pub status: Option<PoolStatus>,
    pub events: Vec<PlanEvent>,
}

/// The pool's next writes and status.
pub fn plan(observed: &PoolObserved) -> PoolPlan {
    let weapon = observed.weapon;
    let size = weapon.spec.pool.as_ref().map_or(0, |pool| pool.size);
    if weapon.spec.pool.is_none() && observed.instances.is_empty() {
        return PoolPlan::default();
    }
    let wanted_hash = instance(weapon, 0, observed.simulator_image)
        .and_then(|pod| pod.annotations().get(INSTANCE_HASH).cloned());
    let mut plan = PoolPlan::default();
    let mut lendable = Vec::new();
    let mut borrowed = Vec::new();
    let mut held_by = BTreeMap::new();
    for pod in observed.instances {
        let name = pod.name_any();
        if pod.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let wanted = slot(pod).is_some_and(|slot| slot < size)
            && pod.annotations().get(INSTANCE_HASH) == wanted_hash.as_ref();
        match loan(pod) {
            Some((task, uid)) => {
                let borrower = observed.tasks.iter().find(|t| t.uid() == Some(uid.clone()));
                if borrower.is_some_and(still_needs) {
                    held_by.insert(uid, name.clone());
                    borrowed.push(Loan {
                        instance: name,
                        task,
                    });
                } else if wanted {
                    plan.take_back.push(reading(pod));
                } else {
                    plan.delete.push(name);
                }
            }
            None if !wanted || stopped(pod) => plan.delete.push(name),
            None if is_ready(pod) => lendable.push(pod),
            None => {}
        }
    }
    let waiting = waiting_line(observed.tasks, &held_by);
    lendable.sort_by_key(|pod| slot(pod));
    for (pod, task) in lendable.iter().zip(&waiting) {
        let borrower =
            weapon_pool::borrower(&task.namespace().unwrap_or_default(), &task.name_any());
        plan.lend.push(Lend {
            instance: reading(pod),
            task: borrower.clone(),
            task_uid: task.uid().unwrap_or_default(),
        });
        borrowed.push(Loan {
            instance: pod.name_any(),
            task: borrower,
        });
    }
    plan.create = missing_slots(observed.instances, size)
        .filter_map(|slot| instance(weapon, slot, observed.simulator_image))
        .collect();
    borrowed.sort_by(|a, b| a.instance.cmp(&b.instance));
    plan.events = events(weapon, &plan);
    let ready = (observed.instances.iter())
        .filter(|pod| pod.metadata.deletion_timestamp.is_none() && is_ready(pod))
        .count();
    plan.status = Some(PoolStatus {
        size,
        ready: i32::try_from(ready).unwrap_or(i32::MAX),
        waiting: i32::try_from(waiting.len().saturating_sub(plan.lend.len())).unwrap_or(i32::MAX),
        borrowed,
    });
    plan
}

/// Whether a borrower still holds its loan: not finished, not being deleted.
fn still_needs(task: &FlightTask) -> bool {
    let finished = (task.status.as_ref())
        .and_then(|status| status.phase)
        .is_some_and(|phase| phase.is_finished());
    !finished && task.metadata.deletion_timestamp.is_none()
}

/// The tasks that load the weapon, need it and hold no loan, first come first.
fn waiting_line<'t>(
    tasks: &'t [FlightTask],
    held_by: &BTreeMap<String, String>,
) -> Vec<&'t FlightTask> {
    let mut line: Vec<&FlightTask> = (tasks.iter())
        .filter(|task| still_needs(task))
        .filter(|task| task.uid().is_some_and(|uid| !held_by.contains_key(&uid)))
        .collect();
    line.sort_by_key(|task| {
        let created = task.metadata.creation_timestamp.as_ref().map(|t| t.0);
        (created, task.namespace(), task.name_any())
    });
    line
}

/// The slots below `size` that no instance holds, terminating or not: a slot
/// whose pod is still going away is filled once it is gone.
fn missing_slots(instances: &[Pod], size: i32) -> impl Iterator<Item = i32> + '_ {
    (0..size).filter(move |wanted| !instances.iter().any(|pod| slot(pod) == Some(*wanted)))
}

fn slot(pod: &Pod) -> Option<i32> {
    pod.labels().get(SLOT_LABEL)?.parse().ok()
}

fn reading(pod: &Pod) -> Instance {
    Instance {
        name: pod.name_any(),
        resource_version: pod.resource_version().unwrap_or_default(),
    }
}

/// The borrower written on an instance, `namespace/name` and uid.
pub fn loan(pod: &Pod) -> Option<(String, String)> {
    let annotations = pod.annotations();
    let task = annotations.get(BORROWED_BY)?;
    let uid = annotations.get(BORROWER_UID)?;
    Some((task.clone(), uid.clone()))
}

/// Running with every container ready.
pub fn is_ready(pod: &Pod) -> bool {
    let status = pod.status.as_ref();
    let running = status.and_then(|s| s.phase.as_deref()) == Some("Running");
    let ready = (status
        .and_then(|s| s.conditions.as_ref())
        .into_iter()
        .flatten())
    .any(|c| c.type_ == "Ready" && c.status == "True");
    running && ready
}

fn stopped(pod: &Pod) -> bool {
    let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref());
    matches!(phase, Some("Succeeded" | "Failed"))
}

/// What a task borrowed from one pool: where to reach the weapon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Borrowed {
    pub weapon: String,
    /// The instance, `namespace/name`.
    pub instance: String,
    /// `ip:port` of the weapon's protocol.
    pub address: String,
}

/// The instance of `instances` lent to the task with `uid`, once it has an
/// address.
pub fn borrowed_by(uid: &str, weapon: &str, instances: &[Pod]) -> Option<Borrowed> {
    let pod = (instances.iter())
        .filter(|pod| pod.metadata.deletion_timestamp.is_none())
        .find(|pod| loan(pod).is_some_and(|(_, holder)| holder == uid))?;
    let ip = pod.status.as_ref()?.pod_ip.clone()?;
    let port = sidecars::of_pod(pod).first()?.port;
    Some(Borrowed {
        weapon: weapon.to_string(),
        instance: weapon_pool::borrower(&pod.namespace().unwrap_or_default(), &pod.name_any()),
        address: format!("{ip}:{port}"),
    })
}

/// Why a task waits for the pool of `weapon`, with how busy it is.
pub fn waiting_message(weapon: &Weapon, instances: &[Pod]) -> String {
    let live: Vec<&Pod> = (instances.iter())
        .filter(|pod| pod.metadata.deletion_timestamp.is_none())
        .collect();
    let lent = live.iter().filter(|pod| loan(pod).is_some()).count();
    let size = weapon.spec.pool.as_ref().map_or(0, |pool| pool.size);
    format!(
        "an instance of weapon pool {}/{} ({lent} of {size} lent, {} ready)",
        weapon.namespace().unwrap_or_default(),
        weapon.name_any(),
        live.iter().filter(|pod| is_ready(pod)).count(),
    )
}

/// The instance pod of `slot`: the weapon's service alone, owned by the
/// Weapon, restricted enough for any Pod Security level, placed by the
/// cluster's own scheduler. `None` for a Weapon not yet stored.
pub fn instance(weapon: &Weapon, slot: i32, simulator_image: &str) -> Option<Pod> {
    let owner = weapon.controller_owner_ref(&())?;
    let quantity = weapon.spec.pool.as_ref().map_or(1, |pool| pool.quantity());
    let container = weapon_sidecars::pool_instance(weapon, quantity, simulator_image);
    let spec = PodSpec {
        containers: vec![container],
        automount_service_account_token: Some(false),
        enable_service_links: Some(false),
        security_context: Some(pod_security::restricted_pod_context()),
        ..PodSpec::default()
    };
    let name = weapon.name_any();
    let labels = BTreeMap::from([
        (POOL_LABEL.to_string(), name.clone()),
        (SLOT_LABEL.to_string(), slot.to_string()),
    ]);
    let hash = fingerprint(&spec);
    Some(Pod {
        metadata: ObjectMeta {
            name: Some(weapon_pool::instance_name(&name, slot)),
            namespace: weapon.namespace(),
            labels: Some(labels),
            annotations: Some(BTreeMap::from([(INSTANCE_HASH.to_string(), hash)])),
            owner_references: Some(vec![owner]),
            ..ObjectMeta::default()
        },
        spec: Some(spec),
        status: None,
    })
}

fn events(weapon: &Weapon, plan: &PoolPlan) -> Vec<PlanEvent> {
    if plan.create.is_empty() {
        return Vec::new();
    }
    let created: Vec<String> = plan.create.iter().map(ResourceExt::name_any).collect();
    vec![PlanEvent {
        type_: EventType::Normal,
        reason: reasons::POOL_SCALED,
        action: "CreateInstance",
        note: format!(
            "starting pool instances of {}: {}",
            weapon.name_any(),
            created.join(", ")
        ),
    }]
}

#[cfg(test)]
mod tests;
