//! A task whose mission is suspended with running work stopped.

use super::*;

fn held(task: &FlightTask, pods: &[Pod], now: i64) -> TaskPlan {
    plan(&Observed {
        suspended: true,
        ..observed(task, pods, now)
    })
}

#[test]
fn a_running_pod_is_stopped_and_replaced_on_resume_without_spending_a_retry() {
    let task = following(2, 1);
    let flying = running(pod(&task, 2, 1), "j20-01", 5);
    let plan = held(&task, std::slice::from_ref(&flying), 10);
    assert_eq!(plan.stop, [name(2)]);
    assert_eq!(plan.create, None);
    assert_eq!(phase(&plan), FlightTaskPhase::Pending);
    assert_eq!(plan.status.retry_count, 1);
    let task = after(task, &plan);

    // Still suspended once the pod is gone: nothing starts.
    let waiting = held(&task, &[], 20);
    assert_eq!(waiting.create, None);
    assert!(waiting.stop.is_empty());
    let message = waiting.status.message.clone().unwrap_or_default();
    assert!(message.starts_with("suspended: "), "{message}");
    let task = after(task, &waiting);

    // Resumed: the next attempt, the same retries spent.
    let resumed = observe(&task, &[], 30);
    assert_eq!(resumed.create, attempt(3, 1));
    assert_eq!(resumed.status.retry_count, 1);
}

#[test]
fn a_task_not_started_yet_waits_and_one_that_succeeded_counts() {
    let fresh = task();
    let plan = held(&fresh, &[], 0);
    assert_eq!(plan.create, None);
    assert_eq!(phase(&plan), FlightTaskPhase::Pending);

    let task = following(1, 0);
    let done = succeeded(pod(&task, 1, 0), "j20-01", 9);
    let plan = held(&task, &[done], 10);
    assert!(plan.stop.is_empty());
    assert_eq!(phase(&plan), FlightTaskPhase::Succeeded);
}
