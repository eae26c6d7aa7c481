//! A running pod marked for a surge: the next attempt starts beside it and
//! takes over once it runs.

use super::*;

fn marked(mut pod: Pod) -> Pod {
    (pod.annotations_mut()).insert(keys::SURGE_ANNOTATION.into(), "true".into());
    pod
}

#[test]
fn a_marked_running_pod_gets_the_next_attempt_beside_it_without_a_retry() {
    let task = following(2, 1);
    let old = marked(running(pod(&task, 2, 1), "j20-01", 5));
    let plan = observe(&task, std::slice::from_ref(&old), 10);
    assert_eq!(plan.create, attempt(3, 1));
    assert!(plan.delete.is_empty() && plan.stop.is_empty());
    assert_eq!(phase(&plan), FlightTaskPhase::Running);
    assert_eq!(plan.status.retry_count, 1);
    let message = plan.status.message.clone().unwrap_or_default();
    assert!(message.contains("attempt 3 starts beside it"), "{message}");
}

#[test]
fn an_unmarked_running_pod_gets_nothing_beside_it() {
    let task = following(1, 0);
    let flying = running(pod(&task, 1, 0), "j20-01", 5);
    assert_eq!(observe(&task, &[flying], 10).create, None);
}

#[test]
fn the_old_pod_is_followed_and_kept_until_the_new_one_runs() {
    let task = following(1, 0);
    let old = marked(running(pod(&task, 1, 0), "j20-01", 5));
    for new in [pod(&task, 2, 0), bound(pod(&task, 2, 0), "j20-02", 12)] {
        let plan = observe(&task, &[old.clone(), new], 15);
        assert!(plan.delete.is_empty() && plan.stop.is_empty(), "{plan:?}");
        assert_eq!(plan.create, None);
        assert_eq!(phase(&plan), FlightTaskPhase::Running);
        assert_eq!(plan.status.pod_ref.as_ref().unwrap().name, name(1));
        let message = plan.status.message.clone().unwrap_or_default();
        assert!(
            message.contains("attempt 2 is starting beside it"),
            "{message}"
        );
    }

    let new = running(pod(&task, 2, 0), "j20-02", 14);
    let plan = observe(&task, &[old, new], 15);
    assert_eq!(plan.delete, [name(1)]);
    assert_eq!(plan.status.pod_ref.as_ref().unwrap().name, name(2));
    assert_eq!(phase(&plan), FlightTaskPhase::Running);
    assert_eq!(plan.status.retry_count, 0);
}

#[test]
fn an_old_pod_that_succeeds_first_ends_the_task_and_stops_the_new_one() {
    let task = following(1, 0);
    let old = marked(succeeded(pod(&task, 1, 0), "j20-01", 12));
    let new = pod(&task, 2, 0);
    let plan = observe(&task, &[old, new], 15);
    assert_eq!(phase(&plan), FlightTaskPhase::Succeeded);
    assert_eq!(plan.stop, [name(2)]);
    assert!(plan.delete.is_empty());
}

#[test]
fn stopping_the_task_mid_surge_stops_both_pods() {
    let task = following(1, 0);
    let old = marked(running(pod(&task, 1, 0), "j20-01", 5));
    let new = pod(&task, 2, 0);
    let pods = [old, new];
    let cancelled = plan(&Observed {
        cancelled: true,
        ..observed(&task, &pods, 15)
    });
    assert_eq!(phase(&cancelled), FlightTaskPhase::Failed);
    assert_eq!(cancelled.stop, [name(1), name(2)]);
    let held = plan(&Observed {
        suspended: true,
        ..observed(&task, &pods, 15)
    });
    assert_eq!(held.stop, [name(1), name(2)]);
    assert_eq!(held.create, None);
}

#[test]
fn a_new_pod_that_fails_ends_the_surge_as_a_failed_attempt() {
    let task = following(1, 0);
    let old = marked(running(pod(&task, 1, 0), "j20-01", 5));
    let new = failed(pod(&task, 2, 0), "j20-02", 1, 14);
    let plan = observe(&task, &[old, new], 15);
    assert_eq!(plan.delete, [name(1)]);
    assert_eq!(plan.status.failures.len(), 1);
    assert_eq!(plan.status.failures[0].attempt, 2);
}
