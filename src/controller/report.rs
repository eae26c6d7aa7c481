//! What a plan tells people besides the phase: the `Ready` condition every kind
//! carries (Kubernetes conventions) and the Events a reconciler
//! records.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::Timestamp;
use kube::runtime::events::{Event, EventType};

use crate::api::conditions::{self, Condition, types};

/// Puts `new` in `conditions`, replacing the condition of the same type. Its
/// `lastTransitionTime` is `now` when the status flips and the old one while it
/// stays the same ([`conditions::set`]), so the field says since when the
/// condition has held.
pub fn set_condition(conditions: &mut Vec<Condition>, mut new: Condition, now: &Time) {
    new.last_transition_time = now.clone();
    conditions::set(conditions, new);
}

/// A `Ready` condition; its `lastTransitionTime` is settled by [`set_condition`].
pub fn ready(ready: bool, reason: &str, message: &str, generation: Option<i64>) -> Condition {
    condition(types::READY, ready, reason, message, generation)
}

/// A condition of `type_`; its `lastTransitionTime` is settled by [`set_condition`].
pub fn condition(
    type_: &str,
    holds: bool,
    reason: &str,
    message: &str,
    generation: Option<i64>,
) -> Condition {
    Condition {
        type_: type_.to_string(),
        status: if holds { "True" } else { "False" }.to_string(),
        reason: reason.to_string(),
        message: message.to_string(),
        observed_generation: generation,
        last_transition_time: Time(Timestamp::UNIX_EPOCH),
    }
}

/// An Event about the planned object, for the reconciler to record. Plans emit
/// them only on transitions (a stage started, a phase changed), so applying a
/// plan and planning again yields none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanEvent {
    pub type_: EventType,
    /// CamelCase, from [`crate::api::conditions::reasons`].
    pub reason: &'static str,
    /// CamelCase: what the controller did (`CreateStage`, `Retry`, …).
    pub action: &'static str,
    pub note: String,
}

impl From<PlanEvent> for Event {
    fn from(event: PlanEvent) -> Self {
        Event {
            type_: event.type_,
            reason: event.reason.to_string(),
            note: Some(event.note),
            action: event.action.to_string(),
            secondary: None,
        }
    }
}

/// The Normal event that says a requested retry is being acted on.
pub fn retry_requested(note: String) -> PlanEvent {
    PlanEvent {
        type_: EventType::Normal,
        reason: crate::api::conditions::reasons::RETRYING,
        action: "Retry",
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::conditions::{find, reasons};

    fn at(second: i64) -> Time {
        Time(Timestamp::from_second(second).expect("a valid test time"))
    }

    #[test]
    fn a_new_condition_starts_its_transition_now() {
        let mut conditions = Vec::new();
        set_condition(
            &mut conditions,
            ready(false, reasons::RUNNING, "", None),
            &at(10),
        );
        assert_eq!(conditions.len(), 1);
        assert_eq!(conditions[0].last_transition_time, at(10));
        assert_eq!(conditions[0].status, "False");
    }

    #[test]
    fn the_transition_time_is_kept_while_the_status_is_unchanged() {
        let mut conditions = Vec::new();
        set_condition(
            &mut conditions,
            ready(false, reasons::PENDING, "a", None),
            &at(10),
        );
        set_condition(
            &mut conditions,
            ready(false, reasons::RUNNING, "b", Some(2)),
            &at(20),
        );
        let condition = find(&conditions, types::READY).expect("Ready is set");
        assert_eq!(condition.last_transition_time, at(10));
        assert_eq!(condition.reason, reasons::RUNNING);
        assert_eq!(condition.message, "b");
        assert_eq!(condition.observed_generation, Some(2));
    }

    #[test]
    fn the_transition_time_moves_when_the_status_flips() {
        let mut conditions = Vec::new();
        set_condition(
            &mut conditions,
            ready(false, reasons::RUNNING, "", None),
            &at(10),
        );
        set_condition(
            &mut conditions,
            ready(true, reasons::SUCCEEDED, "", None),
            &at(30),
        );
        assert_eq!(conditions.len(), 1);
        assert_eq!(conditions[0].status, "True");
        assert_eq!(conditions[0].last_transition_time, at(30));
    }

    #[test]
    fn other_condition_types_are_left_alone() {
        let mut conditions = vec![Condition {
            type_: types::POD_SCHEDULED.into(),
            ..ready(true, reasons::SCHEDULED, "", None)
        }];
        set_condition(
            &mut conditions,
            ready(true, reasons::SUCCEEDED, "", None),
            &at(5),
        );
        assert_eq!(conditions.len(), 2);
        assert_eq!(conditions[0].type_, types::POD_SCHEDULED);
    }
}
