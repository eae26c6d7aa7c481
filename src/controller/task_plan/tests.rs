//! The FlightTask plan against pods in every state, with no server.

use k8s_openapi::api::core::v1::PodStatus;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;

use super::*;
use crate::api::conditions::{self, Condition};
use crate::api::keys::{ATTEMPT_ANNOTATION, RETRIES_SPENT_ANNOTATION};
use crate::controller::task_fixtures::{
    TASK, at, bound, evicted, failed, pod, pod_settings, pulling_fails, running, succeeded, task,
    with_condition,
};
use crate::placement::SchedulerChoice;

fn observe(task: &FlightTask, pods: &[Pod], now: i64) -> TaskPlan {
    plan(&observed(task, pods, now))
}

/// The task and its pods as the reconciler observes them, nothing asked.
fn observed<'a>(task: &'a FlightTask, pods: &'a [Pod], now: i64) -> Observed<'a> {
    Observed {
        task,
        pods,
        failed_scheduling: 0,
        retry_request: None,
        cancelled: false,
        suspended: false,
        weapons: None,
        defaults: TaskDefaults::default(),
        now: at(now),
    }
}

/// `task` after its status became what `plan` said.
fn after(mut task: FlightTask, plan: &TaskPlan) -> FlightTask {
    task.status = Some(plan.status.clone());
    task
}

fn attempt(number: u32, retry: u32) -> Option<Attempt> {
    Some(Attempt { number, retry })
}

fn name(attempt: u32) -> String {
    format!("{TASK}-{attempt}")
}

fn phase(plan: &TaskPlan) -> FlightTaskPhase {
    plan.status.phase.expect("a phase")
}

fn condition<'p>(plan: &'p TaskPlan, type_: &str) -> &'p Condition {
    conditions::find(&plan.status.conditions, type_).expect("the condition")
}

fn status_of(plan: &TaskPlan, type_: &str) -> (String, String) {
    let c = condition(plan, type_);
    (c.status.clone(), c.reason.clone())
}

fn is(status: &str, reason: &str) -> (String, String) {
    (status.into(), reason.into())
}

/// A task that has seen its pod of `attempt` (with `retry` spent).
fn following(attempt: u32, retry: i32) -> FlightTask {
    let mut task = task();
    task.status = Some(FlightTaskStatus {
        pod_ref: Some(ObjectRef {
            name: name(attempt),
        }),
        retry_count: retry,
        phase: Some(FlightTaskPhase::Running),
        ..FlightTaskStatus::default()
    });
    task
}

/// The plan builds the pod it asks for: the reconciler creates exactly
/// what the plan holds.
#[test]
fn the_plan_builds_the_pod_of_its_attempt() {
    let task = task();
    let plan = observe(&task, &[], 0).with_pod(
        &task,
        &[],
        &[],
        &pod_settings(SchedulerChoice::Aircraft),
        at(0),
    );
    let pod = plan.pod.as_ref().expect("a pod to create");
    assert_eq!(pod.metadata.name.as_deref(), Some(name(1).as_str()));
    assert_eq!(plan.build_error, None);
    assert_eq!(phase(&plan), FlightTaskPhase::Pending);
}

/// A pod that cannot be built fails the task instead, and nothing is created.
#[test]
fn a_pod_that_cannot_be_built_fails_the_task_in_the_plan() {
    let mut task = task();
    task.spec.template.pod_template = Some(serde_json::json!({"spec": {"containers": []}}));
    let plan = observe(&task, &[], 0).with_pod(
        &task,
        &[],
        &[],
        &pod_settings(SchedulerChoice::Aircraft),
        at(0),
    );
    assert_eq!((plan.create, plan.pod.is_none()), (None, true));
    assert!(
        matches!(plan.build_error, Some(BuildError::InvalidTemplate { .. })),
        "{:?}",
        plan.build_error
    );
    assert_eq!(phase(&plan), FlightTaskPhase::Failed);
}

#[test]
fn a_task_with_no_pod_creates_the_first_attempt_and_is_pending() {
    let plan = observe(&task(), &[], 0);
    assert_eq!(plan.create, attempt(1, 0));
    assert_eq!(
        (plan.delete.len(), plan.suspect.clone(), plan.requeue_after),
        (0, None, None)
    );
    assert_eq!(phase(&plan), FlightTaskPhase::Pending);
    assert_eq!(
        status_of(&plan, types::READY),
        is("False", reasons::PENDING)
    );
    assert_eq!(
        plan.status.pod_ref, None,
        "podRef names only a pod that was seen"
    );
    assert_eq!(plan.status.observed_generation, Some(2));
}

#[test]
fn a_standalone_task_starts_by_itself() {
    let mut task = task();
    task.spec.stage_ref = None;
    task.metadata.labels = None;
    let plan = observe(&task, &[], 0);
    assert_eq!(plan.create, attempt(1, 0));
    let created = pod(&task, 1, 0);
    let plan = observe(&after(task, &plan), &[running(created, "j20-01", 3)], 4);
    assert_eq!(phase(&plan), FlightTaskPhase::Running);
}

#[test]
fn an_unscheduled_pod_keeps_the_task_pending_with_the_schedulers_reason() {
    let waiting = with_condition(
        pod(&task(), 1, 0),
        "PodScheduled",
        "False",
        "Unschedulable",
        1,
    );
    let observed = Observed {
        task: &task(),
        pods: &[waiting],
        failed_scheduling: 3,
        retry_request: None,
        cancelled: false,
        suspended: false,
        weapons: None,
        defaults: TaskDefaults::default(),
        now: at(5),
    };
    let plan = plan(&observed);
    assert_eq!(
        plan.create, None,
        "the pod of the attempt exists: it is adopted"
    );
    assert_eq!(phase(&plan), FlightTaskPhase::Pending);
    assert_eq!(
        status_of(&plan, types::POD_CREATED),
        is("True", reasons::CREATED)
    );
    assert_eq!(
        status_of(&plan, types::POD_SCHEDULED),
        is("False", reasons::UNSCHEDULABLE)
    );
    assert_eq!(
        condition(&plan, types::POD_SCHEDULED).message,
        "Unschedulable (from the test)"
    );
    assert_eq!(
        condition(&plan, types::POD_SCHEDULED).last_transition_time,
        Time(at(1))
    );
    let info = plan
        .status
        .scheduling_info
        .clone()
        .expect("scheduling info");
    assert_eq!((info.assigned_node, info.scheduling_attempts), (None, 3));
    assert_eq!(plan.status.pod_ref, Some(ObjectRef { name: name(1) }));
    assert_eq!(
        plan.status.message.as_deref(),
        Some("waiting for an aircraft: Unschedulable (from the test)")
    );
}

#[test]
fn a_bound_pod_makes_the_task_scheduled_with_its_node_and_time() {
    let plan = observe(&task(), &[bound(pod(&task(), 1, 0), "j20-01", 7)], 8);
    assert_eq!(phase(&plan), FlightTaskPhase::Scheduled);
    let info = plan
        .status
        .scheduling_info
        .clone()
        .expect("scheduling info");
    assert_eq!(info.assigned_node.as_deref(), Some("j20-01"));
    assert_eq!(info.assigned_time, Some(Time(at(7))));
    assert_eq!(
        status_of(&plan, types::POD_SCHEDULED),
        is("True", "Scheduled")
    );
    assert_eq!(
        status_of(&plan, types::READY),
        is("False", reasons::SCHEDULED)
    );
}

#[test]
fn a_running_pod_makes_the_task_running_from_the_pods_start() {
    let plan = observe(&task(), &[running(pod(&task(), 1, 0), "j20-01", 9)], 12);
    assert_eq!(phase(&plan), FlightTaskPhase::Running);
    assert_eq!(plan.status.start_time, Some(Time(at(9))));
    assert_eq!(plan.status.message.as_deref(), Some("running on j20-01"));
}

#[test]
fn a_succeeded_pod_makes_the_task_succeeded_and_ready() {
    let plan = observe(&task(), &[succeeded(pod(&task(), 1, 0), "j20-01", 20)], 25);
    assert_eq!(phase(&plan), FlightTaskPhase::Succeeded);
    assert_eq!(plan.status.completion_time, Some(Time(at(20))));
    assert_eq!(plan.status.start_time, Some(Time(at(15))));
    assert_eq!(
        status_of(&plan, types::READY),
        is("True", reasons::SUCCEEDED)
    );
    assert_eq!(
        status_of(&plan, types::WEAPONS_COMPATIBLE),
        is("True", reasons::COMPATIBLE)
    );
    assert_eq!((plan.create, plan.suspect), (None, None));
}

#[test]
fn a_finished_task_stays_finished_when_its_pod_is_gone() {
    let plan = observe(&task(), &[succeeded(pod(&task(), 1, 0), "j20-01", 20)], 25);
    let finished = after(task(), &plan);
    let later = observe(&finished, &[], 100);
    assert_eq!(
        later,
        TaskPlan {
            status: plan.status,
            ..TaskPlan::default()
        }
    );
}

#[test]
fn an_image_that_cannot_be_pulled_is_reported_and_waited_for_within_its_timeout() {
    let plan = observe(&task(), &[pulling_fails(pod(&task(), 1, 0), "j20-01")], 10);
    assert_eq!(phase(&plan), FlightTaskPhase::Scheduled);
    assert!(
        plan.status
            .message
            .clone()
            .unwrap_or_default()
            .starts_with("scheduled on j20-01; an image cannot be pulled: task: Back-off")
    );
    assert_eq!(
        status_of(&plan, types::IMAGE_PULL_FAILED),
        is("True", reasons::IMAGE_PULL_BACK_OFF)
    );
    assert!(
        condition(&plan, types::IMAGE_PULL_FAILED)
            .message
            .starts_with("task: Back-off pulling")
    );
    assert_eq!(
        (plan.create, plan.delete.len(), plan.suspect.clone()),
        (None, 0, None)
    );
    assert_eq!(plan.requeue_after, Some(Duration::from_secs(300)));

    let pulled = observe(
        &after(task(), &plan),
        &[running(pod(&task(), 1, 0), "j20-01", 30)],
        31,
    );
    assert_eq!(phase(&pulled), FlightTaskPhase::Running);
    assert_eq!(
        status_of(&pulled, types::IMAGE_PULL_FAILED),
        is("False", reasons::IMAGE_PULLED)
    );
}

#[test]
fn a_condition_moves_its_transition_time_only_when_it_flips() {
    let pending = observe(&task(), &[], 0);
    let scheduled = observe(
        &after(task(), &pending),
        &[bound(pod(&task(), 1, 0), "j20-01", 3)],
        4,
    );
    assert_eq!(
        condition(&scheduled, types::READY).last_transition_time,
        Time(at(0))
    );
    assert_eq!(
        condition(&scheduled, types::READY).reason,
        reasons::SCHEDULED
    );
    let done = observe(
        &after(task(), &scheduled),
        &[succeeded(pod(&task(), 1, 0), "j20-01", 9)],
        10,
    );
    assert_eq!(
        condition(&done, types::READY).last_transition_time,
        Time(at(10))
    );
}

mod arming;
mod deprecations;
mod kept_pods;
mod limits;
mod marks;
mod passing;
mod queued;
mod refused;
mod reruns;
mod retries;
mod surges;
mod suspension;
