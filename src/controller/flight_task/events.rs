//! The Events a FlightTask gets: a pod created, a pod that
//! cannot be built, and each phase change a user would ask about: an end, a
//! retry, a pod replaced. The steps in between (scheduled, running) are told
//! by the pod's own events, not once more on every task. Derived from
//! the stored and the written status, so a reconcile that changes nothing
//! records nothing.

use kube::runtime::events::{Event, EventType};

use crate::api::conditions::{self, reasons, types};
use crate::api::{FlightTaskPhase, FlightTaskStatus};
use crate::controller::pod_parts::BuildError;
use crate::controller::report::PlanEvent;

pub fn pod_created(pod: &str) -> Event {
    PlanEvent {
        type_: EventType::Normal,
        reason: reasons::CREATED,
        action: "CreatePod",
        note: format!("created pod {pod}"),
    }
    .into()
}

pub fn build_failed(error: &BuildError) -> Event {
    PlanEvent {
        type_: EventType::Warning,
        reason: error.condition().1,
        action: "CreatePod",
        note: error.to_string(),
    }
    .into()
}

/// The event for the step from `old` to `new`, if it is one worth telling.
pub fn transition(old: &FlightTaskStatus, new: &FlightTaskStatus) -> Option<Event> {
    plan_event(old, new).map(Event::from)
}

fn plan_event(old: &FlightTaskStatus, new: &FlightTaskStatus) -> Option<PlanEvent> {
    let note = new.message.clone().unwrap_or_default();
    let event = |type_, reason, action| {
        Some(PlanEvent {
            type_,
            reason,
            action,
            note: note.clone(),
        })
    };
    if new.retry_count > old.retry_count {
        return event(EventType::Warning, reasons::RETRYING, "Retry");
    }
    let phase = new.phase?;
    if old.phase == Some(phase) {
        return None;
    }
    // A time limit that ended an attempt is told by its own reason.
    let cause = conditions::find(&new.conditions, types::READY).and_then(|ready| {
        [
            reasons::DEADLINE_EXCEEDED,
            reasons::IMAGE_PULL_FAILED,
            reasons::UNSCHEDULABLE,
            reasons::POD_REFUSED,
            reasons::INVALID_DEFINITION,
        ]
        .into_iter()
        .find(|cause| *cause == ready.reason)
    });
    match phase {
        // A first Pending is announced by the pod's creation; a later one is a
        // pod lost or disrupted and replaced.
        FlightTaskPhase::Pending if old.phase.is_none() => None,
        FlightTaskPhase::Pending => event(EventType::Warning, reasons::PENDING, "ReplacePod"),
        // Steps the pod's own events tell (the scheduler's Scheduled, the
        // kubelet's Started); the status shows them too.
        FlightTaskPhase::Scheduled | FlightTaskPhase::Running => None,
        FlightTaskPhase::Succeeded => event(EventType::Normal, reasons::SUCCEEDED, "Complete"),
        FlightTaskPhase::Failed => {
            event(EventType::Warning, cause.unwrap_or(reasons::FAILED), "Fail")
        }
        FlightTaskPhase::Retrying => event(
            EventType::Warning,
            cause.unwrap_or(reasons::RETRYING),
            "Retry",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(phase: Option<FlightTaskPhase>, retry_count: i32) -> FlightTaskStatus {
        FlightTaskStatus {
            phase,
            retry_count,
            message: Some("why".into()),
            ..FlightTaskStatus::default()
        }
    }

    #[test]
    fn an_unchanged_status_records_nothing() {
        let same = status(Some(FlightTaskPhase::Running), 1);
        assert_eq!(plan_event(&same, &same), None);
    }

    #[test]
    fn the_first_pending_is_left_to_the_pod_created_event() {
        let new = status(Some(FlightTaskPhase::Pending), 0);
        assert_eq!(plan_event(&FlightTaskStatus::default(), &new), None);
    }

    #[test]
    fn being_scheduled_and_starting_to_run_are_left_to_the_pods_events() {
        let pending = status(Some(FlightTaskPhase::Pending), 0);
        let scheduled = status(Some(FlightTaskPhase::Scheduled), 0);
        let running = status(Some(FlightTaskPhase::Running), 0);
        assert_eq!(plan_event(&pending, &scheduled), None);
        assert_eq!(plan_event(&scheduled, &running), None);
        assert_eq!(plan_event(&pending, &running), None);
    }

    #[test]
    fn a_started_retry_is_a_warning_even_while_the_phase_stays_retrying() {
        let old = status(Some(FlightTaskPhase::Retrying), 1);
        let new = status(Some(FlightTaskPhase::Retrying), 2);
        let event = plan_event(&old, &new).expect("a retry is told");
        assert_eq!(event.type_, EventType::Warning);
        assert_eq!(event.reason, reasons::RETRYING);
        assert_eq!(event.note, "why");
    }

    #[test]
    fn a_failed_task_is_a_warning_and_a_succeeded_one_is_normal() {
        let old = status(Some(FlightTaskPhase::Running), 3);
        let failed = plan_event(&old, &status(Some(FlightTaskPhase::Failed), 3));
        assert_eq!(
            failed.map(|e| (e.type_, e.reason)),
            Some((EventType::Warning, reasons::FAILED))
        );
        let succeeded = plan_event(&old, &status(Some(FlightTaskPhase::Succeeded), 3));
        assert_eq!(
            succeeded.map(|e| (e.type_, e.reason)),
            Some((EventType::Normal, reasons::SUCCEEDED))
        );
    }

    #[test]
    fn a_replaced_pod_sends_the_task_back_to_pending_with_a_warning() {
        let old = status(Some(FlightTaskPhase::Running), 0);
        let event = plan_event(&old, &status(Some(FlightTaskPhase::Pending), 0));
        assert_eq!(event.map(|e| e.action), Some("ReplacePod"));
    }
}
