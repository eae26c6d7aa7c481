//! What the Aircraft controller decides, as a pure function of one
//! aircraft node's labels and annotations and the task pods bound to it: which
//! `aircraft.mil/` labels and annotations to change, and what to tell people.
//!
//! `fuel.status` follows `fuel.level`. `status` goes `ready` → `busy` while a
//! task pod is active on the node and back to `ready` after, but only when this
//! controller made the node busy: it records the pod in [`BUSY_WITH`], so a node
//! a person marked busy (no annotation) or put in `maintenance` is left alone.
//!
//! Going off and on line follows the node's `Ready` condition. The last state
//! seen is kept in [`ONLINE`], so a flip is told once, as an event, and not on
//! every heartbeat; an aircraft's `status` stays a person's to change, and new
//! tasks avoid an offline one through the node's not-ready taints.
//!
//! Fault marks (see [`crate::api::fault_marks`]) are the flight-task
//! controller's to make and to take back when their task ends; this controller
//! removes the marks that have expired or whose task is gone (deleted, with
//! its mission or namespace, while it held them), and keeps the suspect taint
//! on exactly while a mark holds. It looks again when the next mark expires,
//! and every [`ORPHAN_CHECK`] while the node carries marks, since no watch of
//! its own tells it a task was deleted.

use std::collections::BTreeMap;
use std::time::Duration;

use k8s_openapi::api::core::v1::{Node, Pod, Taint};
use k8s_openapi::jiff::Timestamp;
use kube::ResourceExt;
use kube::runtime::events::EventType;
use serde_json::{Map, Value, json};

use super::report::PlanEvent;
use crate::api::aircraft::annotations::{BUSY_WITH, ONLINE};
use crate::api::aircraft::{AircraftStatus, fuel_status, labels};
use crate::api::fault_marks;

/// How often a node that carries marks is looked at again, to remove the
/// marks of tasks deleted meanwhile.
pub const ORPHAN_CHECK: Duration = Duration::from_secs(30);

/// The taint versions before fault marks put on an aircraft a task failed on.
const LEGACY_TAINT: &str = "task-failed";

/// Event reasons of this controller.
pub mod reasons {
    pub const FUEL_STATUS: &str = "FuelStatusChanged";
    pub const FUEL_LEVEL_INVALID: &str = "FuelLevelInvalid";
    pub const OFFLINE: &str = "AircraftOffline";
    pub const ONLINE: &str = "AircraftOnline";
    pub const SUSPICIOUS: &str = "AircraftSuspect";
    pub const CLEARED: &str = "AircraftCleared";
}

/// A task pod bound to the node, as the plan needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskPod {
    /// `<namespace>/<name>`, the value [`BUSY_WITH`] takes.
    pub key: String,
    /// Running, or bound and still Pending: the aircraft is taken.
    pub active: bool,
}

impl TaskPod {
    pub fn from_pod(pod: &Pod) -> TaskPod {
        let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref());
        TaskPod {
            key: format!("{}/{}", pod.namespace().unwrap_or_default(), pod.name_any()),
            active: matches!(phase, None | Some("Pending" | "Running")),
        }
    }
}

/// What the plan reads about one aircraft node.
pub struct NodeObserved<'a> {
    pub labels: &'a BTreeMap<String, String>,
    pub annotations: &'a BTreeMap<String, String>,
    /// The task pods bound to the node in the namespaces this controller
    /// watches, plus the pod recorded in [`BUSY_WITH`] when it was looked up
    /// elsewhere and still exists.
    pub pods: &'a [TaskPod],
    /// The pod recorded in [`BUSY_WITH`] could not be looked up (a namespace
    /// this instance may not read): the node is that instance's to release.
    pub recorded_unseen: bool,
    /// The node's `Ready` condition; `None` until one is reported.
    pub health: Option<Health<'a>>,
    pub taints: &'a [Taint],
    /// Uids of the tasks of live marks that no longer exist.
    pub orphaned: &'a [String],
    pub now: Timestamp,
}

/// What a node's `Ready` condition says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Health<'a> {
    /// The condition is True; False and Unknown both mean off line.
    pub ready: bool,
    /// Why, as the node (or the node lifecycle controller) put it.
    pub message: Option<&'a str>,
}

impl<'a> Health<'a> {
    pub fn of(node: &'a Node) -> Option<Health<'a>> {
        let conditions = node.status.as_ref()?.conditions.as_ref()?;
        let ready = conditions.iter().find(|c| c.type_ == "Ready")?;
        Some(Health {
            ready: ready.status == "True",
            message: ready.message.as_deref().filter(|m| !m.is_empty()),
        })
    }
}

/// The changes to make: a key mapped to its new value, or to `None` to remove
/// it. Only keys whose value changes are present.
#[derive(Debug, Default, PartialEq)]
pub struct AircraftPlan {
    pub labels: BTreeMap<String, Option<String>>,
    pub annotations: BTreeMap<String, Option<String>>,
    /// The node's whole new list of taints, when it changes.
    pub taints: Option<Vec<Taint>>,
    pub events: Vec<PlanEvent>,
    /// When the next fault mark expires.
    pub requeue_after: Option<Duration>,
}

impl AircraftPlan {
    /// Whether the node needs a write.
    pub fn changes_nothing(&self) -> bool {
        self.labels.is_empty() && self.annotations.is_empty() && self.taints.is_none()
    }

    /// The merge patch holding just the changed keys (`null` removes) and,
    /// when they change, the taints.
    pub fn patch(&self) -> Value {
        let mut patch = json!({ "metadata": self.metadata_patch() });
        if let Some(taints) = &self.taints {
            patch["spec"] = json!({ "taints": taints });
        }
        patch
    }

    /// The merge patch's `metadata` holding just the changed keys (`null` removes).
    fn metadata_patch(&self) -> Value {
        let entries = |changes: &BTreeMap<String, Option<String>>| -> Map<String, Value> {
            (changes.iter())
                .map(|(key, value)| (key.clone(), json!(value)))
                .collect()
        };
        let mut metadata = Map::new();
        if !self.labels.is_empty() {
            metadata.insert("labels".into(), Value::Object(entries(&self.labels)));
        }
        if !self.annotations.is_empty() {
            metadata.insert(
                "annotations".into(),
                Value::Object(entries(&self.annotations)),
            );
        }
        Value::Object(metadata)
    }

    fn set_label(&mut self, observed: &NodeObserved, key: &str, value: Option<&str>) {
        if observed.labels.get(key).map(String::as_str) != value {
            (self.labels).insert(key.to_string(), value.map(str::to_string));
        }
    }

    fn set_annotation(&mut self, observed: &NodeObserved, key: &str, value: Option<&str>) {
        if observed.annotations.get(key).map(String::as_str) != value {
            (self.annotations).insert(key.to_string(), value.map(str::to_string));
        }
    }
}

/// Plans the labels and annotations of one aircraft node.
pub fn plan(observed: &NodeObserved) -> AircraftPlan {
    let mut plan = AircraftPlan::default();
    plan_fuel(observed, &mut plan);
    plan_status(observed, &mut plan);
    plan_online(observed, &mut plan);
    plan_marks(observed, &mut plan);
    plan
}

/// Expired marks go; the suspect taint is on while a mark holds.
fn plan_marks(observed: &NodeObserved, plan: &mut AircraftPlan) {
    let now = observed.now;
    let marks = fault_marks::marks(observed.annotations);
    let holds = |mark: &&fault_marks::NodeMark| {
        mark.is_live(now) && !observed.orphaned.contains(&mark.task_uid)
    };
    let mut remaining = observed.annotations.clone();
    for mark in marks.iter().filter(|mark| !holds(mark)) {
        let key = fault_marks::mark_key(&mark.task_uid);
        plan.set_annotation(observed, &key, None);
        remaining.remove(&key);
    }
    let live: Vec<_> = (marks.iter())
        .filter(holds)
        .filter_map(|mark| mark.mark.as_ref())
        .collect();
    plan.requeue_after = (live.iter())
        .map(|mark| mark.expires.0)
        .min()
        .and_then(|next| Duration::try_from(next.duration_since(now)).ok())
        .map(|expiry| expiry.min(ORPHAN_CHECK));
    // Versions before fault marks took aircraft out of service with a
    // NoSchedule taint per failed task; those go.
    let kept: Vec<Taint> = (observed.taints.iter())
        .filter(|taint| taint.key != LEGACY_TAINT)
        .cloned()
        .collect();
    let legacy = kept.len() != observed.taints.len();
    let Some(taints) = fault_marks::suspect_taints(&remaining, &kept, now) else {
        if legacy {
            plan.taints = Some(kept);
        }
        return;
    };
    let event = match live.first() {
        Some(mark) => {
            let note = format!(
                "aircraft is suspect: task {} failed on it (attempt {}: {}); other aircraft are preferred until {}",
                mark.task, mark.attempt, mark.reason, mark.expires.0
            );
            event(EventType::Warning, reasons::SUSPICIOUS, "MarkSuspect", note)
        }
        None => {
            let note = "aircraft is no longer suspect: its fault marks expired or were taken back";
            event(
                EventType::Normal,
                reasons::CLEARED,
                "ClearSuspect",
                note.to_string(),
            )
        }
    };
    plan.taints = Some(taints);
    plan.events.push(event);
}

/// [`ONLINE`] from the `Ready` condition, with an event when it flips; the
/// first look at a ready node records it quietly.
fn plan_online(observed: &NodeObserved, plan: &mut AircraftPlan) {
    let Some(health) = observed.health else {
        return;
    };
    let online = if health.ready { "true" } else { "false" };
    let previous = observed.annotations.get(ONLINE).map(String::as_str);
    if previous == Some(online) {
        return;
    }
    plan.set_annotation(observed, ONLINE, Some(online));
    let why = health.message.map(|m| format!(": {m}")).unwrap_or_default();
    let (type_, reason, action, note) = match (previous, health.ready) {
        (_, false) => (
            EventType::Warning,
            reasons::OFFLINE,
            "SetOffline",
            format!("aircraft went off line, its node is not Ready{why}; new tasks avoid it"),
        ),
        (Some(_), true) => (
            EventType::Normal,
            reasons::ONLINE,
            "SetOnline",
            "aircraft is back on line, its node is Ready".to_string(),
        ),
        (None, true) => return,
    };
    plan.events.push(event(type_, reason, action, note));
}

/// `fuel.status` from `fuel.level`; a level that is missing or not a number
/// from 0 to 100 leaves `fuel.status` as it is and is reported.
fn plan_fuel(observed: &NodeObserved, plan: &mut AircraftPlan) {
    let level = observed.labels.get(labels::FUEL_LEVEL);
    let parsed = level.and_then(|l| l.trim().parse::<u8>().ok().filter(|l| *l <= 100));
    let Some(level_value) = parsed else {
        let note = match level {
            None => format!(
                "no {} label; {} left as it is",
                labels::FUEL_LEVEL,
                labels::FUEL_STATUS
            ),
            Some(level) => format!(
                "{}={level:?} is not a number from 0 to 100; {} left as it is",
                labels::FUEL_LEVEL,
                labels::FUEL_STATUS
            ),
        };
        plan.events.push(event(
            EventType::Warning,
            reasons::FUEL_LEVEL_INVALID,
            "CheckFuel",
            note,
        ));
        return;
    };
    let wanted = fuel_status(level_value);
    if observed.labels.get(labels::FUEL_STATUS).map(String::as_str) != Some(wanted) {
        plan.set_label(observed, labels::FUEL_STATUS, Some(wanted));
        let note = format!("fuel level {level_value}: fuel status {wanted}");
        plan.events.push(event(
            EventType::Normal,
            reasons::FUEL_STATUS,
            "SetFuelStatus",
            note,
        ));
    }
}

/// `status` busy while a task pod is active, ready again once the pod this
/// controller was busy with (and every other visible one) is done. Told by no
/// event: a busy spell per task on every aircraft would bury the events a
/// person looks for (off line, fault marks, fuel), and the pod's Scheduled
/// event already names its aircraft.
fn plan_status(observed: &NodeObserved, plan: &mut AircraftPlan) {
    let status = observed.labels.get(labels::STATUS).map(String::as_str);
    let busy_with = observed.annotations.get(BUSY_WITH).map(String::as_str);
    let mut active: Vec<&str> = (observed.pods.iter())
        .filter(|pod| pod.active)
        .map(|pod| pod.key.as_str())
        .collect();
    active.sort_unstable();
    match status.and_then(AircraftStatus::parse) {
        // Maintenance, a missing or an unknown status: a person's to change.
        Some(AircraftStatus::Maintenance) | None => {}
        Some(AircraftStatus::Ready) => match active.first() {
            Some(pod) => make_busy(observed, plan, pod),
            // A stale record, say a person set `ready` by hand while busy.
            None if busy_with.is_some() && !observed.recorded_unseen => {
                plan.set_annotation(observed, BUSY_WITH, None);
            }
            None => {}
        },
        Some(AircraftStatus::Busy) => {
            // Busy by hand, or with a pod another instance watches.
            let Some(key) = busy_with.filter(|_| !observed.recorded_unseen) else {
                return;
            };
            if active.contains(&key) {
                return;
            }
            match active.first() {
                Some(pod) => plan.set_annotation(observed, BUSY_WITH, Some(pod)),
                None => {
                    plan.set_label(
                        observed,
                        labels::STATUS,
                        Some(AircraftStatus::Ready.as_str()),
                    );
                    plan.set_annotation(observed, BUSY_WITH, None);
                }
            }
        }
    }
}

fn make_busy(observed: &NodeObserved, plan: &mut AircraftPlan, pod: &str) {
    plan.set_label(
        observed,
        labels::STATUS,
        Some(AircraftStatus::Busy.as_str()),
    );
    plan.set_annotation(observed, BUSY_WITH, Some(pod));
}

fn event(type_: EventType, reason: &'static str, action: &'static str, note: String) -> PlanEvent {
    PlanEvent {
        type_,
        reason,
        action,
        note,
    }
}

#[cfg(test)]
mod tests;
