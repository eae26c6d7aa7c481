//! Pods that admission refuses: told once, tried again with backoff, and the
//! attempt failed once the refusals last the task's scheduling timeout.

use super::*;
use crate::controller::task_plan::Refusal;

fn forbidden() -> Refusal {
    Refusal {
        reason: "Forbidden".into(),
        message: "pods \"x\" is forbidden: violates PodSecurity \"restricted:latest\"".into(),
    }
}

/// A task that may wait `limit` for its pods, with `retries` retries.
fn waiting(limit: &str, retries: i32) -> FlightTask {
    let mut task = task();
    task.spec.template.policy.scheduling_timeout = Some(limit.into());
    task.spec.template.policy.max_retries = Some(retries);
    task
}

#[test]
fn a_refused_pod_is_told_once_and_tried_again_after_one_two_four_seconds() {
    let task = waiting("60s", 3);
    let first = observe(&task, &[], 0);
    assert_eq!(first.create, attempt(1, 0));
    let refused = first.create_refused(&task, &name(1), &forbidden(), at(0));
    assert_eq!(
        status_of(&refused, types::POD_CREATED),
        is("False", "Forbidden")
    );
    assert!(
        condition(&refused, types::POD_CREATED)
            .message
            .starts_with(&format!("the API server refused pod {}: pods", name(1)))
    );
    assert_eq!(phase(&refused), FlightTaskPhase::Pending);
    assert_eq!(refused.requeue_after, Some(Duration::from_secs(1)));
    assert_eq!(
        refused.events.iter().map(|e| e.reason).collect::<Vec<_>>(),
        [reasons::POD_REFUSED]
    );

    let told = after(task.clone(), &refused);
    let again = observe(&told, &[], 3);
    assert_eq!(again.create, attempt(1, 0), "the same attempt, tried again");
    assert_eq!(again.requeue_after, Some(Duration::from_secs(1)), "at 4s");
    let refused_again = again.create_refused(&told, &name(1), &forbidden(), at(3));
    assert!(
        refused_again.events.is_empty(),
        "one event, not one per try"
    );
    assert_eq!(
        condition(&refused_again, types::POD_CREATED).last_transition_time,
        Time(at(0)),
        "the wait counts from the first refusal"
    );
}

#[test]
fn refusals_past_the_scheduling_timeout_fail_the_attempt_and_the_retry_waits_anew() {
    let task = waiting("60s", 3);
    let refused = observe(&task, &[], 0).create_refused(&task, &name(1), &forbidden(), at(0));
    let told = after(task, &refused);
    let failed = observe(&told, &[], 60);
    assert_eq!(failed.create, None, "the retry waits for its backoff");
    assert_eq!(phase(&failed), FlightTaskPhase::Retrying);
    assert_eq!(
        status_of(&failed, types::READY),
        is("False", reasons::POD_REFUSED)
    );
    let failure = &failed.status.failures[0];
    assert_eq!(
        (
            failure.attempt,
            failure.node.clone(),
            failure.reason.as_str()
        ),
        (1, None, reasons::POD_REFUSED)
    );
    assert_eq!(failed.suspect, None, "no aircraft is to blame");
    assert_eq!(condition(&failed, types::POD_CREATED).status, "Unknown");

    let retry = observe(&after(told, &failed), &[], 62);
    assert_eq!(retry.create, attempt(2, 1));
    assert_eq!(retry.status.retry_count, 1);
}

#[test]
fn a_task_without_retries_fails_once_its_pod_was_refused_for_the_timeout() {
    let task = waiting("5s", 0);
    let refused = observe(&task, &[], 0).create_refused(&task, &name(1), &forbidden(), at(0));
    let failed = observe(&after(task, &refused), &[], 5);
    assert_eq!(phase(&failed), FlightTaskPhase::Failed);
    assert_eq!(
        status_of(&failed, types::POD_CREATED),
        is("False", "Forbidden"),
        "the refusal stays on the ended task"
    );
    assert!(
        failed
            .status
            .message
            .as_deref()
            .is_some_and(|m| m.starts_with(&format!(
                "attempt 1 failed: the API server refused pod {}: pods \"x\" is forbidden",
                name(1)
            )) && m.contains("(refused for 5s)")),
        "{:?}",
        failed.status.message
    );
}
