//! A task whose pod waits for an aircraft repeats the scheduler's verdict in
//! its status, and the scheduler words it anew at each attempt ("299 busy"
//! after "300 busy"). With thousands of pods waiting, rewriting every task at
//! every attempt kept the API server from the writes that move tasks on:
//! pods that had finished went unrecorded for minutes. So a change that only
//! rewords the verdict is written at most every [`VERDICT_REFRESH`]; anything
//! a reader acts on (the phase, a condition's status or reason, the pod) is
//! written at once.

use std::time::Duration;

use crate::api::{FlightTaskPhase, FlightTaskStatus};
use crate::controller::progress;

/// How often a waiting task's status is rewritten for new words alone.
pub const VERDICT_REFRESH: Duration = Duration::from_secs(30);

/// The status fields that only repeat the verdict: its words and the count
/// of attempts.
const VERDICT: &[&str] = &["message", "schedulingInfo"];

/// Whether `new` differs from `old` only in the words of the verdict on a
/// pod that still waits: the task is Pending before and after, and nothing
/// but the message, the conditions' messages and the attempts changed.
pub fn rewords_verdict(old: Option<&FlightTaskStatus>, new: &FlightTaskStatus) -> bool {
    let pending = |status: Option<&FlightTaskStatus>| {
        status.and_then(|status| status.phase) == Some(FlightTaskPhase::Pending)
    };
    pending(old) && pending(Some(new)) && progress::only_progress(old, new, VERDICT)
}

#[cfg(test)]
mod tests {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, Time};
    use k8s_openapi::jiff::Timestamp;

    use super::*;
    use crate::api::flight_task::{ObjectRef, SchedulingInfo};

    fn waiting(busy: u32, attempts: i32) -> FlightTaskStatus {
        let words = format!("0/304 aircraft are available: {busy} AircraftAvailability (busy)");
        FlightTaskStatus {
            phase: Some(FlightTaskPhase::Pending),
            message: Some(format!("waiting for an aircraft: {words}")),
            pod_ref: Some(ObjectRef { name: "t-1".into() }),
            scheduling_info: Some(SchedulingInfo {
                scheduling_attempts: attempts,
                ..SchedulingInfo::default()
            }),
            conditions: vec![Condition {
                type_: "PodScheduled".into(),
                status: "False".into(),
                reason: "Unschedulable".into(),
                message: words,
                observed_generation: Some(1),
                last_transition_time: Time(Timestamp::UNIX_EPOCH),
            }],
            ..FlightTaskStatus::default()
        }
    }

    #[test]
    fn new_words_and_attempts_on_a_waiting_pod_only_reword_the_verdict() {
        assert!(rewords_verdict(Some(&waiting(300, 1)), &waiting(299, 4)));
    }

    #[test]
    fn a_first_status_a_new_phase_a_new_reason_or_a_new_pod_is_more_than_words() {
        assert!(!rewords_verdict(None, &waiting(300, 1)), "a first status");
        let mut scheduled = waiting(300, 1);
        scheduled.phase = Some(FlightTaskPhase::Scheduled);
        assert!(!rewords_verdict(Some(&waiting(300, 1)), &scheduled));
        let mut refused = waiting(300, 1);
        refused.conditions[0].reason = "Refused".into();
        assert!(!rewords_verdict(Some(&waiting(300, 1)), &refused));
        let mut next = waiting(300, 1);
        next.pod_ref = Some(ObjectRef { name: "t-2".into() });
        assert!(!rewords_verdict(Some(&waiting(300, 1)), &next));
    }

    #[test]
    fn the_same_status_is_no_rewording() {
        assert!(!rewords_verdict(Some(&waiting(300, 1)), &waiting(300, 1)));
    }
}
