//! A task whose pod must wait for its turn to be created (see
//! [`crate::controller::launch_window`]): it stays Pending, its PodCreated
//! condition Unknown with reason Queued, and creates nothing. The wait has no
//! time limit of its own; the pod's scheduling timeout starts once it exists.

use k8s_openapi::jiff::Timestamp;

use super::TaskPlan;
use crate::api::conditions::{reasons, types};
use crate::api::{FlightTask, FlightTaskPhase};
use crate::controller::task_status::Conditions;

impl TaskPlan {
    /// Whether the pod this plan creates would be the task's only one: a
    /// first attempt or a retry, not a surge beside a running pod (which
    /// does not queue).
    pub fn creates_only_pod(&self) -> bool {
        self.create.is_some()
            && matches!(
                self.status.phase,
                None | Some(FlightTaskPhase::Pending | FlightTaskPhase::Retrying)
            )
    }

    /// This plan when its pod may not be created yet because `limit` task
    /// pods already wait for an aircraft. The task is woken when its turn
    /// comes.
    pub fn queued(mut self, task: &FlightTask, limit: usize, now: Timestamp) -> Self {
        self.create = None;
        self.pod = None;
        self.quiet_for = None;
        let message = format!(
            "queued: {limit} task pods already wait for an aircraft, the most the operator lets wait (maxWaitingPods); its pod is created when its turn comes"
        );
        let status = &mut self.status;
        let mut conditions = Conditions::new(&mut status.conditions, task, now);
        conditions.set_unknown(types::POD_CREATED, reasons::QUEUED, &message);
        conditions.set(types::READY, false, reasons::PENDING, &message);
        status.phase.get_or_insert(FlightTaskPhase::Pending);
        status.message = Some(message);
        status.observed_generation = task.metadata.generation;
        self
    }
}
