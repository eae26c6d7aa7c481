//! Failed, disrupted and lost pods, restarts and pods that cannot be built.

use super::*;

#[test]
fn a_failed_pod_is_recorded_suspects_its_aircraft_and_is_replaced_after_the_backoff() {
    let failing = failed(pod(&task(), 1, 0), "j20-01", 1, 10);
    let waiting = observe(&following(1, 0), std::slice::from_ref(&failing), 11);
    assert_eq!(phase(&waiting), FlightTaskPhase::Retrying);
    assert_eq!(waiting.requeue_after, Some(Duration::from_secs(1)));
    assert_eq!(waiting.create, None);
    assert_eq!(
        waiting.suspect,
        Some(Suspect {
            node: "j20-01".into(),
            attempt: 1,
            reason: "container task exited with code 1 (Error)".into(),
        })
    );
    let failure = &waiting.status.failures[0];
    assert_eq!(
        (
            failure.attempt,
            failure.node.as_deref(),
            failure.reason.as_str()
        ),
        (1, Some("j20-01"), reasons::CONTAINER_FAILED)
    );
    assert_eq!(failure.failed_at, Some(Time(at(10))));
    let recorded = observe(
        &after(following(1, 0), &waiting),
        std::slice::from_ref(&failing),
        11,
    );
    assert_eq!(
        recorded.suspect, None,
        "a recorded failure is suspected once"
    );
    assert_eq!(recorded.status.failures.len(), 1);
    assert_eq!(
        waiting.status.message.as_deref(),
        Some(
            "attempt 1 on j20-01 failed: container task exited with code 1 (Error); retry 1 of 3 in 1s"
        )
    );

    let due = observe(&following(1, 0), &[failing], 12);
    assert_eq!(due.create, attempt(2, 1));
    assert!(due.delete.is_empty(), "the failed pod stays for its logs");
    assert_eq!(due.requeue_after, None);
    assert_eq!(due.status.retry_count, 1);
    assert_eq!(due.status.last_retry_time, Some(Time(at(12))));
    assert_eq!(
        status_of(&due, types::READY),
        is("False", reasons::RETRYING)
    );
}

#[test]
fn retries_back_off_2_4_and_8_seconds_then_the_task_fails() {
    for (retry_spent, backoff) in [(0, 2), (1, 4), (2, 8)] {
        let number = retry_spent + 1;
        let failing = failed(pod(&task(), number, retry_spent), "j20-02", 2, 100);
        let plan = observe(
            &following(number, retry_spent as i32),
            std::slice::from_ref(&failing),
            100,
        );
        assert_eq!(
            plan.requeue_after,
            Some(Duration::from_secs(backoff)),
            "retry {}",
            retry_spent + 1
        );
        let early = observe(
            &following(number, retry_spent as i32),
            std::slice::from_ref(&failing),
            100 + backoff as i64 - 1,
        );
        assert_eq!(early.create, None);
        let due = observe(
            &following(number, retry_spent as i32),
            &[failing],
            100 + backoff as i64,
        );
        assert_eq!(due.create, attempt(number + 1, retry_spent + 1));
    }

    let last = failed(pod(&task(), 4, 3), "j20-03", 137, 200);
    let plan = observe(&following(4, 3), &[last], 500);
    assert_eq!(phase(&plan), FlightTaskPhase::Failed);
    assert_eq!(
        (plan.create, plan.requeue_after, plan.delete.len()),
        (None, None, 0)
    );
    assert_eq!(
        plan.status.message.as_deref(),
        Some(
            "attempt 4 on j20-03 failed: container task exited with code 137 (Error); no retries left after 3"
        )
    );
    assert_eq!(plan.suspect, None, "the last failure marks nothing");
    assert_eq!(plan.status.completion_time, Some(Time(at(200))));
    assert_eq!(status_of(&plan, types::READY), is("False", reasons::FAILED));
}

#[test]
fn an_evicted_pod_is_replaced_without_spending_a_retry_or_suspecting_its_node() {
    let plan = observe(
        &following(2, 1),
        &[evicted(pod(&task(), 2, 1), "j20-01")],
        50,
    );
    assert_eq!(plan.create, attempt(3, 1));
    assert!(plan.delete.is_empty(), "the evicted pod stays for its logs");
    assert_eq!((plan.suspect.clone(), plan.status.retry_count), (None, 1));
    assert_eq!(phase(&plan), FlightTaskPhase::Pending);
    assert!(
        plan.status
            .message
            .clone()
            .unwrap_or_default()
            .contains("Evicted: The node was low")
    );
}

#[test]
fn a_preempted_or_refused_pod_is_a_disruption_too() {
    let preempted = with_condition(
        failed(pod(&task(), 1, 0), "j20-01", 143, 10),
        "DisruptionTarget",
        "True",
        "PreemptionByScheduler",
        9,
    );
    let mut refused = pod(&task(), 1, 0);
    refused.status = Some(PodStatus {
        phase: Some("Failed".into()),
        reason: Some("OutOfcpu".into()),
        ..PodStatus::default()
    });
    for pod in [preempted, refused] {
        let plan = observe(&following(1, 0), &[pod], 20);
        assert_eq!(
            (plan.create, plan.suspect, plan.status.retry_count),
            (attempt(2, 0), None, 0)
        );
    }
}

#[test]
fn a_pod_that_vanished_after_being_seen_is_replaced_without_spending_a_retry() {
    let plan = observe(&following(2, 1), &[], 30);
    assert_eq!(plan.create, attempt(3, 1));
    assert_eq!((plan.suspect, plan.status.retry_count), (None, 1));
    assert_eq!(
        plan.status.message.as_deref(),
        Some(
            format!(
                "pod {} disappeared; attempt 3 replaces it without spending a retry",
                name(2)
            )
            .as_str()
        )
    );
}

#[test]
fn a_pod_being_deleted_by_someone_else_is_replaced_once_it_is_gone() {
    let mut going = running(pod(&task(), 1, 0), "j20-01", 1);
    going.metadata.deletion_timestamp = Some(Time(at(5)));
    let plan = observe(&following(1, 0), &[going], 6);
    assert_eq!((plan.create, plan.delete.len()), (None, 0));
    assert_eq!(phase(&plan), FlightTaskPhase::Running);
}

#[test]
fn the_existing_pod_of_the_attempt_is_adopted_after_a_restart() {
    // Created, then the controller died before writing any status.
    let plan = observe(&task(), &[pod(&task(), 1, 0)], 3);
    assert_eq!(plan.create, None);
    assert_eq!(plan.status.pod_ref, Some(ObjectRef { name: name(1) }));

    // A retry was created but its status never written: the pod remembers it.
    let failed_first = failed(pod(&task(), 1, 0), "j20-01", 1, 10);
    let plan = observe(&following(1, 0), &[failed_first, pod(&task(), 2, 1)], 40);
    assert_eq!((plan.create, plan.delete.clone()), (None, vec![]));
    assert_eq!(
        (plan.status.retry_count, plan.status.last_retry_time.clone()),
        (1, Some(Time(at(0))))
    );
    assert_eq!(plan.status.pod_ref, Some(ObjectRef { name: name(2) }));
}

#[test]
fn a_lagging_pod_cache_asks_for_the_same_attempt_again_never_a_new_one() {
    // The retry created attempt 2 and wrote retryCount 1; the cache still shows
    // only the failed attempt 1.
    let stale = failed(pod(&task(), 1, 0), "j20-01", 1, 10);
    let plan = observe(&following(1, 1), &[stale], 13);
    assert_eq!(plan.create, attempt(2, 1));
    assert_eq!(plan.status.retry_count, 1, "no retry is spent twice");

    // The old pod is gone from the cache, the new one not there yet.
    let plan = observe(&following(1, 1), &[], 14);
    assert_eq!(plan.create, attempt(2, 1));
}

#[test]
fn pods_of_another_owner_or_without_an_attempt_are_not_the_tasks() {
    let mut foreign = pod(&task(), 1, 0);
    foreign.metadata.owner_references = Some(vec![OwnerReference {
        uid: "an-older-task".into(),
        ..foreign
            .metadata
            .owner_references
            .clone()
            .unwrap_or_default()[0]
            .clone()
    }]);
    let mut unnumbered = pod(&task(), 1, 0);
    unnumbered.metadata.name = Some(format!("{TASK}-x"));
    unnumbered.metadata.annotations = None;
    let plan = observe(&task(), &[foreign, unnumbered], 1);
    assert_eq!(
        (plan.create, plan.status.pod_ref.clone()),
        (attempt(1, 0), None)
    );

    // Without annotations the attempt is read from the name.
    let mut named = pod(&task(), 2, 0);
    let annotations = named.metadata.annotations.get_or_insert_default();
    annotations.remove(ATTEMPT_ANNOTATION);
    annotations.remove(RETRIES_SPENT_ANNOTATION);
    let plan = observe(&following(1, 0), &[named], 1);
    assert_eq!(
        (plan.create, plan.status.pod_ref),
        (None, Some(ObjectRef { name: name(2) }))
    );
}

#[test]
fn a_pod_that_cannot_be_built_fails_the_task_with_the_reason() {
    let plan = observe(&task(), &[], 0);
    let error = BuildError::InvalidTemplate {
        path: ".spec.containers[0].image".into(),
        message: "the container has no image".into(),
    };
    let failed = plan.build_failed(&task(), &error, at(1));
    assert_eq!(failed.create, None);
    assert_eq!(phase(&failed), FlightTaskPhase::Failed);
    assert_eq!(
        status_of(&failed, types::POD_CREATED),
        is("False", reasons::INVALID_POD_TEMPLATE)
    );
    assert_eq!(
        status_of(&failed, types::READY),
        is("False", reasons::FAILED)
    );
    assert_eq!(failed.status.message, Some(error.to_string()));
    assert_eq!(failed.status.completion_time, Some(Time(at(1))));

    let incompatible = BuildError::IncompatibleWeapon {
        weapon: "pl-15".into(),
        mount_point: None,
        reason: "aircraft type h6 is not one of j20".into(),
    };
    let failed = observe(&task(), &[], 0).build_failed(&task(), &incompatible, at(1));
    assert_eq!(
        status_of(&failed, types::WEAPONS_COMPATIBLE),
        is("False", reasons::INCOMPATIBLE_WEAPON)
    );
    assert_eq!(
        observe(&after(task(), &failed), &[], 5).create,
        None,
        "a failed task stays failed"
    );
}

#[test]
fn an_attempt_failing_in_the_second_its_retry_started_still_waits_its_backoff() {
    let mut task = following(2, 1);
    task.status.as_mut().expect("a status").last_retry_time = Some(Time(at(12)));
    let quick = failed(pod(&task, 2, 1), "j20-02", 3, 12);
    let plan = observe(&task, &[quick], 12);
    assert_eq!(plan.create, None, "no retry without its backoff");
    assert_eq!(plan.requeue_after, Some(Duration::from_secs(4)));
    assert_eq!(plan.status.retry_count, 1);
}

#[test]
fn a_started_retry_is_remembered_when_the_failed_pod_and_the_new_one_are_both_unseen() {
    let failing = failed(pod(&task(), 1, 0), "j20-01", 1, 10);
    let retry = observe(&following(1, 0), &[failing], 12);
    assert_eq!(retry.create, attempt(2, 1));
    let started = after(following(1, 0), &retry);
    let again = observe(&started, &[], 13);
    assert_eq!(
        again.create,
        attempt(2, 1),
        "the same attempt, never a third"
    );
    assert_eq!(again.status.retry_count, 1);
}
