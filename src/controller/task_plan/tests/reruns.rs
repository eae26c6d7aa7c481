//! Re-runs: a finished task asked to run again starts a fresh run in place.

use super::*;

/// A task that failed on its attempt 2, after one retry.
fn failed_task() -> FlightTask {
    let mut task = following(2, 1);
    let status = task.status.as_mut().expect("a status");
    status.phase = Some(FlightTaskPhase::Failed);
    status.message = Some("attempt 2 on j20-01 failed".into());
    status.completion_time = Some(Time(at(20)));
    task
}

fn asked(task: &FlightTask, pods: &[Pod], request: &str, now: i64) -> TaskPlan {
    plan(&Observed {
        task,
        pods,
        failed_scheduling: 0,
        retry_request: Some(request),
        cancelled: false,
        suspended: false,
        weapons: None,
        defaults: TaskDefaults::default(),
        now: at(now),
    })
}

#[test]
fn a_failed_task_asked_to_run_again_starts_a_fresh_run_at_the_next_attempt() {
    let old = failed(pod(&task(), 2, 1), "j20-01", 1, 20);
    let plan = asked(&failed_task(), std::slice::from_ref(&old), "r1", 30);
    assert_eq!(plan.create, attempt(3, 0), "fresh retries");
    assert!(plan.delete.is_empty(), "the failed pod stays for its logs");
    let status = &plan.status;
    assert_eq!(phase(&plan), FlightTaskPhase::Pending);
    assert_eq!(
        (
            status.first_attempt,
            status.retry_count,
            status.completion_time.clone()
        ),
        (Some(3), 0, None)
    );
    assert_eq!(status.last_handled_retry.as_deref(), Some("r1"));
    assert_eq!(plan.events[0].reason, reasons::RETRYING);
}

#[test]
fn a_rerun_is_acted_on_once_whatever_a_crash_or_a_lagging_cache_shows() {
    let old = failed(pod(&task(), 2, 1), "j20-01", 1, 20);
    // The pod was created, the status not written: the same attempt is followed.
    let plan = asked(&failed_task(), &[old.clone(), pod(&task(), 3, 0)], "r1", 31);
    assert_eq!(plan.create, None);
    assert_eq!(plan.status.pod_ref, Some(ObjectRef { name: name(3) }));

    // The status was written and the cache shows only the old run's pod: the
    // same attempt is asked for again, never a fourth.
    let first = asked(&failed_task(), std::slice::from_ref(&old), "r1", 30);
    let acted = after(failed_task(), &first);
    let lagging = asked(&acted, std::slice::from_ref(&old), "r1", 32);
    assert_eq!(lagging.create, attempt(3, 0));

    // Done: the same request does nothing more.
    let mut done = acted.clone();
    let status = done.status.as_mut().expect("a status");
    status.phase = Some(FlightTaskPhase::Succeeded);
    let later = asked(&done, &[], "r1", 90);
    assert_eq!((later.create, later.delete.len()), (None, 0));
}

#[test]
fn a_request_on_a_task_that_did_not_fail_changes_nothing() {
    let plan = asked(
        &following(1, 0),
        &[running(pod(&task(), 1, 0), "j20-01", 1)],
        "r1",
        5,
    );
    assert_eq!(plan.status.last_handled_retry, None);
    assert_eq!(plan.create, None);
}

#[test]
fn a_succeeded_task_asked_to_run_again_starts_a_fresh_run_too() {
    let mut task = following(1, 0);
    let status = task.status.as_mut().expect("a status");
    status.phase = Some(FlightTaskPhase::Succeeded);
    status.completion_time = Some(Time(at(20)));
    let done = succeeded(pod(&task, 1, 0), "j20-01", 20);
    let plan = asked(&task, std::slice::from_ref(&done), "r1", 30);
    assert_eq!(plan.create, attempt(2, 0));
    assert_eq!(phase(&plan), FlightTaskPhase::Pending);
    assert_eq!(plan.status.last_handled_retry.as_deref(), Some("r1"));
    let again = asked(&after(task, &plan), std::slice::from_ref(&done), "r1", 31);
    assert_eq!(
        again.create,
        attempt(2, 0),
        "the same attempt, never a third"
    );
}
