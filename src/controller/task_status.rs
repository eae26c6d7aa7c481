//! The FlightTask's conditions: written through
//! [`crate::api::conditions::set`], so a transition time moves only on a flip.

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::Timestamp;

use super::pod_state;
use crate::api::conditions::{self, Condition, reasons, types};
use crate::api::{FlightTask, FlightTaskPhase};

/// A task's condition list, stamped with its generation and the time of the look.
pub struct Conditions<'c> {
    list: &'c mut Vec<Condition>,
    generation: Option<i64>,
    now: Timestamp,
}

impl<'c> Conditions<'c> {
    pub fn new(list: &'c mut Vec<Condition>, task: &FlightTask, now: Timestamp) -> Self {
        Self {
            list,
            generation: task.metadata.generation,
            now,
        }
    }

    pub fn set(&mut self, type_: &str, ok: bool, reason: &str, message: &str) {
        let status = if ok { "True" } else { "False" };
        self.put(type_, status, reason, message, None);
    }

    /// Whether the list holds a condition of this type.
    pub fn has(&self, type_: &str) -> bool {
        conditions::find(self.list, type_).is_some()
    }

    /// Neither true nor false yet.
    pub fn set_unknown(&mut self, type_: &str, reason: &str, message: &str) {
        self.put(type_, "Unknown", reason, message, None);
    }

    /// `since` is when the status took its value, if known better than now.
    fn put(&mut self, type_: &str, status: &str, reason: &str, message: &str, since: Option<Time>) {
        let condition = Condition {
            type_: type_.to_string(),
            status: status.to_string(),
            reason: reason.to_string(),
            message: message.to_string(),
            observed_generation: self.generation,
            last_transition_time: since.unwrap_or(Time(self.now)),
        };
        conditions::set(self.list, condition);
    }

    /// The pod's own PodScheduled, with the scheduler's reason and message.
    pub fn pod_scheduled(&mut self, pod: &Pod) {
        let Some(theirs) = pod_state::condition(pod, types::POD_SCHEDULED) else {
            let bound = pod.spec.as_ref().is_some_and(|s| s.node_name.is_some());
            let (reason, message) = match bound {
                true => (reasons::SCHEDULED, "the pod is bound to a node"),
                false => (reasons::PENDING, "waiting for the scheduler"),
            };
            return self.set(types::POD_SCHEDULED, bound, reason, message);
        };
        let default_reason = match theirs.status.as_str() {
            "True" => reasons::SCHEDULED,
            _ => reasons::UNSCHEDULABLE,
        };
        let reason = theirs.reason.as_deref().unwrap_or(default_reason);
        let message = theirs.message.as_deref().unwrap_or_default();
        let since = theirs.last_transition_time.clone();
        self.put(types::POD_SCHEDULED, &theirs.status, reason, message, since);
    }

    /// True while an image cannot be pulled; it stays absent until that first
    /// happens, and turns False once the pull goes through.
    pub fn image_pull(&mut self, pod: &Pod) {
        match pod_state::image_pull_error(pod) {
            Some(error) => self.set(
                types::IMAGE_PULL_FAILED,
                true,
                reasons::IMAGE_PULL_BACK_OFF,
                &error,
            ),
            None if conditions::is_true(self.list, types::IMAGE_PULL_FAILED) => self.set(
                types::IMAGE_PULL_FAILED,
                false,
                reasons::IMAGE_PULLED,
                "the images were pulled",
            ),
            None => {}
        }
    }
}

/// The reason of the `Ready` condition in each phase.
pub fn ready_reason(phase: FlightTaskPhase) -> &'static str {
    match phase {
        FlightTaskPhase::Pending => reasons::PENDING,
        FlightTaskPhase::Scheduled => reasons::SCHEDULED,
        FlightTaskPhase::Running => reasons::RUNNING,
        FlightTaskPhase::Succeeded => reasons::SUCCEEDED,
        FlightTaskPhase::Failed => reasons::FAILED,
        FlightTaskPhase::Retrying => reasons::RETRYING,
    }
}
