//! Pods of failed attempts stay for their logs, up to the operator's limit;
//! a pod the task stopped stays too, and counts as gone for its attempts.

use super::*;
use crate::api::keys::STOPPED_ANNOTATION;

fn keeping(task: &FlightTask, pods: &[Pod], now: i64, kept: usize) -> TaskPlan {
    plan(&Observed {
        defaults: TaskDefaults {
            kept_failed_pods: kept,
            ..TaskDefaults::default()
        },
        ..observed(task, pods, now)
    })
}

/// A pod the task asked to stop, which its kubelet has ended.
fn stopped(pod: Pod, node: &str, finished: i64) -> Pod {
    let mut pod = failed(pod, node, 143, finished);
    pod.annotations_mut()
        .insert(STOPPED_ANNOTATION.into(), at(finished - 1).to_string());
    pod
}

#[test]
fn failed_attempts_stay_until_the_limit_and_the_oldest_go_first() {
    let task = following(4, 3);
    let pods = [
        failed(pod(&task, 1, 0), "j20-01", 1, 10),
        failed(pod(&task, 2, 1), "j20-02", 1, 20),
        failed(pod(&task, 3, 2), "j20-03", 1, 30),
        running(pod(&task, 4, 3), "j20-04", 40),
    ];
    assert!(keeping(&task, &pods, 50, 10).delete.is_empty());
    assert_eq!(keeping(&task, &pods, 50, 2).delete, [name(1)]);
    assert_eq!(
        keeping(&task, &pods, 50, 0).delete,
        [name(1), name(2), name(3)]
    );
}

#[test]
fn the_latest_attempt_stays_whatever_the_limit() {
    let mut task = following(2, 1);
    let status = task.status.as_mut().expect("a status");
    status.phase = Some(FlightTaskPhase::Failed);
    let pods = [
        failed(pod(&task, 1, 0), "j20-01", 1, 10),
        failed(pod(&task, 2, 1), "j20-02", 1, 20),
    ];
    assert_eq!(keeping(&task, &pods, 30, 0).delete, [name(1)]);
}

#[test]
fn pods_of_attempts_that_did_not_fail_are_deleted_as_before() {
    let task = following(2, 0);
    let pods = [
        succeeded(pod(&task, 1, 0), "j20-01", 10),
        running(pod(&task, 2, 0), "j20-02", 20),
    ];
    assert_eq!(keeping(&task, &pods, 30, 10).delete, [name(1)]);
}

#[test]
fn a_running_pod_is_stopped_through_its_deadline_and_one_not_started_is_deleted() {
    let task = following(1, 0);
    let flying = running(pod(&task, 1, 0), "j20-01", 10);
    assert_eq!(
        pod_state::stop_by(&flying, at(75)),
        pod_state::StopBy::Deadline { seconds: 65 }
    );
    let mut short = flying.clone();
    short.spec.as_mut().expect("a spec").active_deadline_seconds = Some(30);
    assert_eq!(
        pod_state::stop_by(&short, at(75)),
        pod_state::StopBy::Deadline { seconds: 30 },
        "a deadline is never raised"
    );
    assert_eq!(
        pod_state::stop_by(&flying, at(10)),
        pod_state::StopBy::Deadline { seconds: 1 }
    );
    let waiting = pod(&task, 1, 0);
    assert_eq!(
        pod_state::stop_by(&waiting, at(75)),
        pod_state::StopBy::Delete
    );
    let done = stopped(pod(&task, 1, 0), "j20-01", 20);
    assert_eq!(
        pod_state::stop_by(&done, at(75)),
        pod_state::StopBy::Nothing
    );
}

#[test]
fn a_stopped_pod_stays_and_counts_as_gone_once_it_has_ended() {
    // Stopping: the pod still runs, the task waits for it to end.
    let task = following(1, 0);
    let mut stopping = running(pod(&task, 1, 0), "j20-01", 10);
    stopping
        .annotations_mut()
        .insert(STOPPED_ANNOTATION.into(), at(15).to_string());
    let plan = observe(&task, std::slice::from_ref(&stopping), 16);
    assert_eq!((plan.create, plan.stop.len()), (None, 0));
    let message = plan.status.message.clone().unwrap_or_default();
    assert!(message.contains("is stopping"), "{message}");

    // Ended: lost, as a deleted pod would be, so the next attempt replaces it
    // without spending a retry, and the stopped pod stays.
    let ended = stopped(pod(&task, 1, 0), "j20-01", 17);
    let plan = observe(&task, std::slice::from_ref(&ended), 20);
    assert_eq!(plan.create, attempt(2, 0));
    assert!(plan.delete.is_empty());
    assert_eq!(plan.status.retry_count, 0);
}

#[test]
fn a_failed_attempt_keeps_its_pod_when_the_next_one_starts() {
    let task = following(1, 0);
    let pods = [failed(pod(&task, 1, 0), "j20-01", 1, 10)];
    let plan = keeping(&task, &pods, 40, 10);
    assert_eq!(plan.create, attempt(2, 1));
    assert!(plan.delete.is_empty(), "{:?}", plan.delete);
}
