//! Time limits: how long a pod may wait for an aircraft, for its images, and
//! how long an attempt may run.

use super::*;

/// A task whose attempts may run `timeout` and be retried `retries` times.
fn limited(timeout: Option<&str>, retries: Option<i32>) -> FlightTask {
    let mut task = following(1, 0);
    task.spec.template.policy = crate::api::TaskPolicy {
        timeout: timeout.map(str::to_string),
        max_retries: retries,
        scheduling_timeout: Some("60s".into()),
        image_pull_timeout: Some("30s".into()),
        retry_backoff: None,
    };
    task
}

#[test]
fn a_pod_no_aircraft_takes_within_the_scheduling_timeout_fails_the_task_without_retries() {
    let waiting = with_condition(
        pod(&task(), 1, 0),
        "PodScheduled",
        "False",
        "Unschedulable",
        0,
    );
    let early = observe(&limited(None, None), std::slice::from_ref(&waiting), 59);
    assert_eq!(phase(&early), FlightTaskPhase::Pending);
    assert_eq!(early.requeue_after, Some(Duration::from_secs(1)));
    assert!(early.stop.is_empty());

    let late = observe(&limited(None, None), &[waiting], 60);
    assert_eq!(phase(&late), FlightTaskPhase::Failed, "no retry would help");
    assert_eq!(late.create, None);
    assert_eq!(late.stop, [name(1)]);
    assert_eq!(
        status_of(&late, types::READY),
        is("False", reasons::UNSCHEDULABLE)
    );
    assert_eq!(
        late.status.message.as_deref(),
        Some(
            "attempt 1 failed: no aircraft took it within 1m (waiting for an aircraft: Unschedulable (from the test))"
        )
    );
    let failure = &late.status.failures[0];
    assert_eq!(
        (failure.node.as_deref(), failure.reason.as_str()),
        (None, reasons::UNSCHEDULABLE)
    );
    assert_eq!(late.suspect, None, "no aircraft is to blame");
    assert_eq!(late.status.completion_time, Some(Time(at(60))));
}

#[test]
fn without_a_task_setting_the_operator_default_scheduling_timeout_applies() {
    let waiting = pod(&task(), 1, 0);
    let plan = plan(&Observed {
        task: &following(1, 0),
        pods: std::slice::from_ref(&waiting),
        failed_scheduling: 0,
        retry_request: None,
        cancelled: false,
        suspended: false,
        weapons: None,
        defaults: TaskDefaults {
            scheduling_timeout: Duration::from_secs(20),
            ..TaskDefaults::default()
        },
        now: at(20),
    });
    assert_eq!(phase(&plan), FlightTaskPhase::Failed);
}

#[test]
fn an_image_that_keeps_failing_to_pull_past_its_timeout_fails_the_attempt() {
    let pulling = pulling_fails(pod(&task(), 1, 0), "j20-01");
    let first = observe(&limited(None, None), std::slice::from_ref(&pulling), 10);
    assert_eq!(phase(&first), FlightTaskPhase::Scheduled);
    assert_eq!(first.requeue_after, Some(Duration::from_secs(30)));

    let seen = after(limited(None, None), &first);
    let late = observe(&seen, std::slice::from_ref(&pulling), 40);
    assert_eq!(phase(&late), FlightTaskPhase::Retrying);
    assert_eq!(late.stop, [name(1)], "the pod that cannot start is stopped");
    assert_eq!(
        status_of(&late, types::READY),
        is("False", reasons::IMAGE_PULL_FAILED)
    );
    assert!(
        late.status
            .message
            .as_deref()
            .is_some_and(|m| m.starts_with(
                "attempt 1 on j20-01 failed: an image could not be pulled for 30s: task: Back-off"
            )),
        "{:?}",
        late.status.message
    );
    assert_eq!(late.suspect.map(|s| s.node).as_deref(), Some("j20-01"));
}

#[test]
fn an_attempt_running_past_its_timeout_is_stopped_and_retried() {
    let flying = running(pod(&task(), 1, 0), "j20-02", 10);
    let early = observe(
        &limited(Some("30s"), None),
        std::slice::from_ref(&flying),
        39,
    );
    assert_eq!(phase(&early), FlightTaskPhase::Running);
    assert_eq!(early.requeue_after, Some(Duration::from_secs(1)));

    let late = observe(
        &limited(Some("30s"), None),
        std::slice::from_ref(&flying),
        41,
    );
    assert_eq!(phase(&late), FlightTaskPhase::Retrying);
    assert_eq!(late.stop, [name(1)]);
    assert_eq!(
        status_of(&late, types::READY),
        is("False", reasons::DEADLINE_EXCEEDED)
    );
    assert_eq!(
        late.status.message.as_deref(),
        Some(
            "attempt 1 on j20-02 failed: it ran longer than its timeout of 30s; retry 1 of 3 in 1s"
        )
    );
    let failure = &late.status.failures[0];
    assert_eq!(
        failure.failed_at,
        Some(Time(at(40))),
        "when the limit fell due"
    );

    // Once its pod is gone, the recorded failure still says what happened.
    let stopped = after(limited(Some("30s"), None), &late);
    let retry = observe(&stopped, &[], 42);
    assert_eq!(retry.create, attempt(2, 1));
    assert_eq!(retry.status.retry_count, 1);
    assert_eq!(retry.stop.len(), 0);
}

#[test]
fn a_task_that_allows_no_retries_fails_at_its_first_failure() {
    let failing = failed(pod(&task(), 1, 0), "j20-01", 3, 10);
    let plan = observe(&limited(None, Some(0)), &[failing], 11);
    assert_eq!(phase(&plan), FlightTaskPhase::Failed);
    assert_eq!(plan.suspect, None, "no retry left to keep off the aircraft");
    assert_eq!(
        plan.status.message.as_deref(),
        Some(
            "attempt 1 on j20-01 failed: container task exited with code 3 (Error); the task allows no retries"
        )
    );
}

#[test]
fn a_limit_that_cannot_be_read_fails_the_task_and_stops_its_pod() {
    let mut task = following(1, 0);
    task.spec.template.policy.timeout = Some("99999999999999999h".into());
    let plan = observe(&task, &[running(pod(&task, 1, 0), "j20-01", 1)], 2);
    assert_eq!(phase(&plan), FlightTaskPhase::Failed);
    assert_eq!(plan.stop, [name(1)]);
    assert_eq!(
        status_of(&plan, types::READY),
        is("False", reasons::INVALID_DEFINITION)
    );
}

#[test]
fn retry_backoff_sets_the_first_wait_and_each_later_one_doubles() {
    let mut task = following(2, 1);
    task.spec.template.policy.retry_backoff = Some("10s".into());
    // The second retry waits twice the backoff after the attempt failed at 10.
    let failing = failed(pod(&task, 2, 1), "j20-01", 1, 10);
    let waiting = observe(&task, std::slice::from_ref(&failing), 25);
    assert_eq!(waiting.create, None);
    assert_eq!(waiting.requeue_after, Some(Duration::from_secs(5)));
    let due = observe(&task, std::slice::from_ref(&failing), 30);
    assert_eq!(due.create, attempt(3, 2));
    assert_eq!(
        crate::api::flight_task::retry_delay(Duration::from_millis(500), 3),
        Duration::from_secs(2)
    );
}
