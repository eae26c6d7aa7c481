//! A task whose pod waits for its turn to be created.

use super::*;

#[test]
fn a_queued_task_creates_nothing_stays_pending_and_says_why() {
    let plan = observe(&task(), &[], 0);
    assert!(plan.creates_only_pod());
    let queued = plan.queued(&task(), 500, at(0));
    assert_eq!((queued.create, queued.pod.as_ref()), (None, None));
    assert_eq!(phase(&queued), FlightTaskPhase::Pending);
    assert_eq!(
        status_of(&queued, types::POD_CREATED),
        is("Unknown", reasons::QUEUED)
    );
    assert_eq!(queued.quiet_for, None, "the wait is told at once");
    let message = queued.status.message.clone().unwrap_or_default();
    assert!(message.contains("500 task pods already wait"), "{message}");
}

#[test]
fn a_queued_task_is_not_a_refused_one_and_once_its_pod_is_seen_the_queue_is_forgotten() {
    let queued = observe(&task(), &[], 0).queued(&task(), 500, at(0));
    // Long past the scheduling timeout, still queued: the create is planned
    // again, never failed for the wait.
    let later = observe(&after(task(), &queued), &[], 3600);
    assert_eq!(later.create, attempt(1, 0));
    assert_eq!(phase(&later), FlightTaskPhase::Pending);

    let admitted = after(task(), &queued);
    let flying = running(pod(&admitted, 1, 0), "j20-01", 3601);
    let plan = observe(&admitted, &[flying], 3602);
    assert_eq!(phase(&plan), FlightTaskPhase::Running);
    assert_eq!(
        status_of(&plan, types::POD_CREATED),
        is("True", reasons::CREATED)
    );
}

#[test]
fn a_retry_queues_as_retrying_and_a_surge_never_queues() {
    let failing = failed(pod(&task(), 1, 0), "j20-01", 1, 10);
    let waiting = observe(&following(1, 0), std::slice::from_ref(&failing), 11);
    let retry = observe(
        &after(following(1, 0), &waiting),
        std::slice::from_ref(&failing),
        20,
    );
    assert_eq!(retry.create, attempt(2, 1));
    assert!(retry.creates_only_pod());
    let queued = retry.queued(&task(), 10, at(20));
    assert_eq!(phase(&queued), FlightTaskPhase::Retrying);

    let task = following(1, 0);
    let mut old = running(pod(&task, 1, 0), "j20-01", 5);
    (old.annotations_mut()).insert(keys::SURGE_ANNOTATION.into(), "true".into());
    let surge = observe(&task, &[old], 10);
    assert_eq!(surge.create, attempt(2, 0));
    assert!(!surge.creates_only_pod());
}
