//! Steps that usually pass within seconds leave the status unwritten until
//! they last; anything else is written at once.

use super::*;

#[test]
fn a_new_task_creates_its_pod_without_a_status_write() {
    let task = task();
    let plan = observe(&task, &[], 0);
    assert_eq!(plan.create, attempt(1, 0));
    assert_eq!(plan.quiet_for, Some(PASSING));
}

#[test]
fn a_pod_is_recorded_at_once_when_first_seen() {
    let task = task();
    let plan = observe(&task, &[pod(&task, 1, 0)], 1);
    assert_eq!(
        plan.quiet_for, None,
        "podRef tells a deleted pod from one not made yet"
    );
    assert_eq!(plan.status.pod_ref.map(|r| r.name), Some(name(1)));
}

#[test]
fn the_schedulers_verdict_is_told_at_once() {
    let task = task();
    let refused = with_condition(
        pod(&task, 1, 0),
        "PodScheduled",
        "False",
        "Unschedulable",
        1,
    );
    let plan = observe(&task, &[refused], 1);
    assert_eq!(plan.quiet_for, None);
}

#[test]
fn a_bound_pod_is_told_once_it_has_not_started_for_a_while() {
    let task = task();
    let waiting = [pod(&task, 1, 0)];
    let recorded = after(task.clone(), &observe(&task, &waiting, 1));
    let placed = [bound(pod(&recorded, 1, 0), "j20-1", 10)];
    let fresh = observe(&recorded, &placed, 11);
    assert_eq!(phase(&fresh), FlightTaskPhase::Scheduled);
    assert_eq!(fresh.quiet_for, Some(PASSING - Duration::from_secs(1)));
    let lasting = observe(&recorded, &placed, 16);
    assert_eq!(lasting.quiet_for, None);
}

#[test]
fn a_running_pod_is_told_at_once() {
    let task = task();
    let plan = observe(&task, &[running(pod(&task, 1, 0), "j20-1", 10)], 10);
    assert_eq!(phase(&plan), FlightTaskPhase::Running);
    assert_eq!(plan.quiet_for, None);
}

#[test]
fn a_retry_after_a_failure_is_told_at_once() {
    let task = following(1, 0);
    let plan = observe(&task, &[failed(pod(&task, 1, 0), "j20-1", 1, 5)], 6);
    assert_eq!(plan.status.failures.len(), 1);
    assert_eq!(plan.quiet_for, None, "the failure is recorded at once");
    let retried = after(task, &plan);
    let next = observe(&retried, &[failed(pod(&retried, 1, 0), "j20-1", 1, 5)], 60);
    assert_eq!(next.create, attempt(2, 1));
    assert_eq!(next.quiet_for, None, "the retry's pod is told at once");
}

#[test]
fn a_new_task_held_by_a_suspension_is_told_at_once() {
    let task = task();
    let plan = plan(&Observed {
        suspended: true,
        ..observed(&task, &[], 0)
    });
    assert_eq!(plan.create, None);
    assert_eq!(plan.quiet_for, None, "nothing else would wake it to tell");
}

#[test]
fn a_pod_made_with_its_node_set_counts_from_its_creation() {
    let task = task();
    let recorded = after(task.clone(), &observe(&task, &[pod(&task, 1, 0)], 1));
    let mut placed = pod(&recorded, 1, 0);
    placed.spec.as_mut().expect("a spec").node_name = Some("j20-1".into());
    let plan = observe(&recorded, &[placed], 10);
    assert_eq!(phase(&plan), FlightTaskPhase::Scheduled);
    assert_eq!(plan.quiet_for, None, "told, not put off for ever");
}
