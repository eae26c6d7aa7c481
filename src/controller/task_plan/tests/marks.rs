//! Fault marks: which aircraft a failure suspects, what the decision does to
//! the status, and when marks are taken back.

use k8s_openapi::jiff::ToSpan;

use kube::runtime::events::EventType;

use super::*;
use crate::controller::fault_marks::Share;
use crate::controller::fault_marks::{Limit, MarkDecision};

fn until(seconds: i64) -> Time {
    Time(at(seconds))
}

/// The task after attempt `number` failed on `node` and was marked (or not).
fn failed_on(
    task: FlightTask,
    number: u32,
    node: &str,
    now: i64,
    mark: Option<MarkDecision>,
) -> (FlightTask, TaskPlan) {
    let retries = number - 1;
    let failing = failed(pod(&task, number, retries), node, 1, now);
    let mut plan = observe(&task, &[failing], now);
    if let Some(decision) = mark {
        plan.mark_decided(&task, &decision, at(now));
    }
    (after(task, &plan), plan)
}

#[test]
fn a_marked_aircraft_is_recorded_avoided_and_told() {
    let (task, plan) = failed_on(
        following(1, 0),
        1,
        "j20-01",
        10,
        Some(MarkDecision::Mark { until: until(610) }),
    );
    assert_eq!(plan.status.failures[0].marked_until, Some(until(610)));
    assert_eq!(
        status_of(&plan, types::AIRCRAFT_MARKED),
        is("True", reasons::MARKED)
    );
    assert_eq!(plan.events.last().map(|e| e.reason), Some(reasons::MARKED));
    assert_eq!(plan.aircraft_to_avoid(at(20)), ["j20-01"]);
    assert!(
        plan.aircraft_to_avoid(at(610)).is_empty(),
        "an expired mark no longer keeps retries off"
    );
    assert_eq!(task.status.map(|s| s.failures.len()), Some(1));
}

#[test]
fn past_the_limit_the_failure_is_recorded_but_no_aircraft_is_marked() {
    let limit = Limit {
        aircraft_type: Some("j20".into()),
        marked: 1,
        in_service: 4,
        allowed: 1,
        share: Share {
            numerator: 1,
            denominator: 3,
        },
    };
    let (_, plan) = failed_on(
        following(1, 0),
        1,
        "j20-02",
        10,
        Some(MarkDecision::LimitReached(limit)),
    );
    assert_eq!(plan.status.failures[0].marked_until, None);
    assert_eq!(
        status_of(&plan, types::AIRCRAFT_MARKED),
        is("False", reasons::MARK_LIMIT_REACHED)
    );
    assert_eq!(
        condition(&plan, types::AIRCRAFT_MARKED).message,
        "aircraft j20-02 is not marked although attempt 1 failed on it: 1 of the 4 j20 aircraft in service already carry fault marks, and at most 1 (1/3 of them) may"
    );
    let event = plan.events.last().expect("an event");
    assert_eq!(
        (event.type_, event.reason),
        (EventType::Warning, reasons::MARK_LIMIT_REACHED)
    );
    assert!(plan.aircraft_to_avoid(at(20)).is_empty());
}

#[test]
fn a_task_that_failed_on_two_aircraft_takes_its_marks_back_and_marks_no_more() {
    let (task, _) = failed_on(
        following(1, 0),
        1,
        "j20-01",
        10,
        Some(MarkDecision::Mark { until: until(610) }),
    );
    let task = retried(task, 2, 1);
    let (task, second) = failed_on(task, 2, "j20-02", 20, None);
    assert_eq!(second.suspect, None, "the fault is the task's own");
    assert_eq!(second.unmark, ["j20-01"]);
    assert_eq!(second.status.failures[0].marked_until, None);
    assert_eq!(
        status_of(&second, types::AIRCRAFT_MARKED),
        is("False", reasons::TASK_AT_FAULT)
    );
    assert!(second.aircraft_to_avoid(at(21)).is_empty());
    let task = retried(task, 3, 2);
    let (_, third) = failed_on(task, 3, "j20-03", 30, None);
    assert_eq!((third.suspect, third.unmark.len()), (None, 0));
}

#[test]
fn failing_twice_on_the_same_aircraft_suspects_it_again() {
    let (task, _) = failed_on(following(1, 0), 1, "j20-01", 10, None);
    let task = retried(task, 2, 1);
    let (_, second) = failed_on(task, 2, "j20-01", 20, None);
    assert_eq!(second.suspect.map(|s| s.attempt), Some(2));
}

#[test]
fn a_task_that_ends_takes_its_marks_back() {
    let (task, _) = failed_on(
        following(1, 0),
        1,
        "j20-01",
        10,
        Some(MarkDecision::Mark { until: until(610) }),
    );
    let task = retried(task, 2, 1);
    let done = observe(&task, &[succeeded(pod(&task, 2, 1), "j20-02", 30)], 31);
    assert_eq!(phase(&done), FlightTaskPhase::Succeeded);
    assert_eq!(done.unmark, ["j20-01"]);
    assert_eq!(
        status_of(&done, types::AIRCRAFT_MARKED),
        is("False", reasons::MARKS_CLEARED)
    );
    let finished = after(task, &done);
    let later = observe(&finished, &[], 40);
    assert!(later.unmark.is_empty(), "taken back once");
}

#[test]
fn a_finished_task_stops_a_pod_left_running_by_a_crash() {
    let mut task = following(1, 0);
    task.status.as_mut().expect("a status").phase = Some(FlightTaskPhase::Failed);
    let plan = observe(&task, &[running(pod(&task, 1, 0), "j20-01", 1)], 5);
    assert_eq!(plan.stop, [name(1)]);
    assert_eq!(plan.create, None);
}

/// `task` after its retry `number` (with `retry` spent) was created.
fn retried(mut task: FlightTask, number: u32, retry: i32) -> FlightTask {
    let status = task.status.get_or_insert_with(Default::default);
    status.retry_count = retry;
    status.pod_ref = Some(ObjectRef { name: name(number) });
    status.last_retry_time = Some(Time(at(0).checked_add(1.second()).expect("a time")));
    task
}
