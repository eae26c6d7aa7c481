//! Pod creates that admission refuses (403): Pod Security, a quota, a webhook
//! or a policy. Each refusal shows on the task's PodCreated condition
//! (False, with the server's reason and message) and is told by one Event; the
//! create is tried again 1, 2, 4, 8… seconds after the first refusal; and once
//! the refusals have lasted the task's scheduling timeout (the pod could not
//! even wait for an aircraft) the attempt fails with reason PodRefused, so the
//! failure policy applies. The time of the first refusal is the condition's
//! transition time, so a restart neither forgets nor extends the wait.

use std::time::Duration;

use k8s_openapi::jiff::Timestamp;
use kube::runtime::events::EventType;

use super::model::{Ended, Planner, Refusal, TaskPlan};
use crate::api::conditions::{self, reasons, types};
use crate::api::{FlightTask, FlightTaskPhase, duration};
use crate::controller::pod_builder::Attempt;
use crate::controller::report::PlanEvent;
use crate::controller::task_status::Conditions;

impl Planner<'_, '_> {
    /// Plans the create of `attempt`, unless its creates have been refused
    /// for longer than the task may wait: then the attempt fails.
    pub(super) fn create(&mut self, attempt: Attempt) {
        let Some((since, why)) = self.refused() else {
            self.plan.create = Some(attempt);
            return;
        };
        let waited = Duration::try_from(self.now().duration_since(since)).unwrap_or_default();
        if waited < self.limits.scheduling {
            self.plan.create = Some(attempt);
            self.wake_in(next_try(waited));
            let message = format!(
                "{why}; trying again (the attempt fails after {} of refusals)",
                duration::human(self.limits.scheduling)
            );
            return self.phase(FlightTaskPhase::Pending, message);
        }
        let ended = Ended {
            reason: reasons::POD_REFUSED,
            node: None,
            message: format!(
                "{why} (refused for {})",
                duration::human(self.limits.scheduling)
            ),
            at: self.now(),
        };
        self.record_failure(attempt.number, &ended);
        // A next attempt's creates count their own wait; a task that ends
        // here keeps the refusal on its condition.
        if self.retries_spent() < self.limits.retries {
            let next = format!("attempt {} is not created yet", attempt.number + 1);
            (self.conditions()).set_unknown(types::POD_CREATED, reasons::PENDING, &next);
        }
        self.after_failure(attempt.number, None);
    }

    /// Since when, and why, creates of the current attempt's pod are refused.
    fn refused(&self) -> Option<(Timestamp, String)> {
        let created = conditions::find(&self.plan.status.conditions, types::POD_CREATED)?;
        (created.status == "False")
            .then(|| (created.last_transition_time.0, created.message.clone()))
    }
}

/// How long until the next try: the next power of two seconds after the
/// first refusal.
fn next_try(waited: Duration) -> Duration {
    let mut next = Duration::from_secs(1);
    while next <= waited {
        next *= 2;
    }
    next - waited
}

impl TaskPlan {
    /// This plan after the API server refused the pod it asked for: the
    /// refusal is recorded and the create is tried again (see the module doc).
    pub fn create_refused(
        mut self,
        task: &FlightTask,
        pod: &str,
        refusal: &Refusal,
        now: Timestamp,
    ) -> Self {
        let status = &mut self.status;
        let already = conditions::find(&status.conditions, types::POD_CREATED)
            .is_some_and(|created| created.status == "False");
        let reason = match refusal.reason.as_str() {
            "" => reasons::REFUSED,
            reason => reason,
        };
        let message = format!("the API server refused pod {pod}: {}", refusal.message);
        let mut conditions = Conditions::new(&mut status.conditions, task, now);
        conditions.set(types::POD_CREATED, false, reason, &message);
        conditions.set(types::READY, false, reasons::PENDING, &message);
        status.phase = Some(FlightTaskPhase::Pending);
        status.message = Some(format!("{message}; trying again"));
        status.observed_generation = task.metadata.generation;
        self.requeue_after.get_or_insert(Duration::from_secs(1));
        self.quiet_for = None;
        if !already {
            self.events.push(PlanEvent {
                type_: EventType::Warning,
                reason: reasons::POD_REFUSED,
                action: "CreatePod",
                note: message,
            });
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tries_come_after_one_two_four_eight_seconds() {
        let at = |s| next_try(Duration::from_secs(s));
        assert_eq!(at(0), Duration::from_secs(1));
        assert_eq!(at(1), Duration::from_secs(1));
        assert_eq!(at(3), Duration::from_secs(1));
        assert_eq!(at(4), Duration::from_secs(4));
        assert_eq!(at(9), Duration::from_secs(7));
    }
}
