//! What the task plan reasons about: what was observed, the plan it hands
//! back, the planner that builds it, and the pieces of a failed, refused or
//! overdue attempt.

use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::jiff::Timestamp;

use crate::api::{FlightTask, FlightTaskStatus, TaskPolicy, TaskWeaponStatus, duration};
use crate::controller::pod_builder::Attempt;
use crate::controller::pod_parts::BuildError;
use crate::controller::pod_state;
use crate::controller::report::PlanEvent;

/// What the reconciler observed.
#[derive(Debug, Clone, Copy)]
pub struct Observed<'a> {
    pub task: &'a FlightTask,
    /// The task's pods (found by its labels or ownership); pods it does not
    /// control are ignored.
    pub pods: &'a [Pod],
    /// FailedScheduling events of the current attempt's pod.
    pub failed_scheduling: i32,
    /// The value of the retry annotation on the task, if any.
    pub retry_request: Option<&'a str>,
    /// The task was asked to stop (the cancel annotation its stage sets).
    pub cancelled: bool,
    /// Its mission is suspended with running work stopped (the suspension
    /// annotation its stage sets to `stop`).
    pub suspended: bool,
    /// What the weapons of the current attempt's pod answered when asked to
    /// arm, once [`TaskPlan::arm_weapons`] asked for it.
    pub weapons: Option<&'a [TaskWeaponStatus]>,
    pub defaults: TaskDefaults,
    pub now: Timestamp,
}

/// What to do, and the status to write. Applied in this order: the fault mark
/// of [`TaskPlan::suspect`] (decided by the reconciler, which knows the fleet,
/// and recorded with [`TaskPlan::mark_decided`]), the marks to take back, the
/// deletes, the create of [`TaskPlan::pod`] (built by [`TaskPlan::with_pod`];
/// AlreadyExists and a 404 on delete count as done), the status, then the
/// stops.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TaskPlan {
    /// The pod to build ([`super::pod_builder::build`]) and create.
    pub create: Option<Attempt>,
    /// Pods of older attempts to delete, by name.
    pub delete: Vec<String>,
    /// Pods whose attempt has ended although they still run (a timeout, or a
    /// finished task): stopped after the status that records why, as
    /// [`pod_state::stop_by`] says.
    pub stop: Vec<String>,
    /// The running pod whose weapons are to be asked to arm: the reconciler
    /// asks them and plans again with their answers.
    pub arm_weapons: Option<String>,
    /// The pod about to be stopped whose armed weapons are to be told to
    /// Abort first.
    pub abort_weapons: Option<String>,
    /// An aircraft this task just failed on, which may get a fault mark.
    pub suspect: Option<Suspect>,
    /// Aircraft whose mark by this task is to be taken back.
    pub unmark: Vec<String>,
    /// When to look again although nothing changes: the end of a retry
    /// backoff, or of a time limit.
    pub requeue_after: Option<Duration>,
    pub status: FlightTaskStatus,
    /// What the plan tells besides the phase change: marks made or taken back.
    pub events: Vec<PlanEvent>,
    /// The pod of [`TaskPlan::create`], once [`TaskPlan::with_pod`] built it.
    pub pod: Option<Pod>,
    /// Why that pod could not be built: the task has failed with it.
    pub build_error: Option<BuildError>,
    /// The new status tells only of a step that usually passes within
    /// seconds (see [`PASSING`]): it is written only if the step still holds
    /// after this long, when the task looks again.
    pub quiet_for: Option<Duration>,
}

/// How long a task's passing steps go untold: its first pod being created, a
/// pod the scheduler has not looked at yet, a pod bound but not started (once
/// the task has recorded that pod). Most pass well within it, and telling each
/// would cost a status write apiece for every task, the bulk of a large
/// mission's writes; one that lasts is told.
pub const PASSING: Duration = Duration::from_secs(5);

pub(super) struct Planner<'o, 'a> {
    pub(super) observed: &'o Observed<'a>,
    pub(super) limits: Limits,
    /// The Ready reason when it should say more than the phase: why an
    /// attempt or the task failed.
    pub(super) cause: Option<&'static str>,
    /// When the passing step the task is in began, if it is in one.
    pub(super) passing_since: Option<Timestamp>,
    pub(super) plan: TaskPlan,
}

pub(super) fn waiting_message(pod: &Pod) -> String {
    match pod_state::condition(pod, "PodScheduled").and_then(|c| c.message.as_deref()) {
        Some(why) if !why.is_empty() => format!("waiting for an aircraft: {why}"),
        _ => "waiting for an aircraft".to_string(),
    }
}

pub(super) fn pod_started(pod: &Pod) -> Option<Timestamp> {
    Some(pod.status.as_ref()?.start_time.as_ref()?.0)
}

/// An aircraft a task has just failed on, which may get a fault mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suspect {
    pub node: String,
    pub attempt: u32,
    /// Why the attempt failed, for the mark.
    pub reason: String,
}

/// How an attempt ended, when it failed.
#[derive(Debug, Clone)]
pub(super) struct Ended {
    /// From [`reasons`]: ContainerFailed, DeadlineExceeded, ImagePullFailed.
    pub reason: &'static str,
    pub node: Option<String>,
    pub message: String,
    pub at: Timestamp,
}

/// What the operator's configuration says for a task that leaves a limit unset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskDefaults {
    pub scheduling_timeout: Duration,
    pub image_pull_timeout: Duration,
    /// How long a running pod's weapons may take to answer and become READY.
    pub weapon_ready_timeout: Duration,
    /// Pods of earlier failed attempts kept per task for their logs.
    pub kept_failed_pods: usize,
}

impl Default for TaskDefaults {
    fn default() -> Self {
        TaskDefaults {
            scheduling_timeout: Duration::from_secs(300),
            image_pull_timeout: Duration::from_secs(300),
            weapon_ready_timeout: Duration::from_secs(60),
            kept_failed_pods: 10,
        }
    }
}

/// The task's time limits and retries, with the operator's defaults filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Limits {
    pub timeout: Option<Duration>,
    pub scheduling: Duration,
    pub image_pull: Duration,
    pub weapons: Duration,
    pub retries: u32,
    /// The first retry's delay; each later one waits twice as long.
    pub retry_backoff: Duration,
}

impl Limits {
    pub(super) fn of(task: &FlightTask, defaults: TaskDefaults) -> Result<Limits, String> {
        let policy = &task.spec.template.policy;
        let parse = |field: &str, value: &Option<String>| -> Result<Option<Duration>, String> {
            (value.as_deref())
                .map(|text| {
                    duration::parse(text)
                        .map_err(|error| format!("{field} {text:?} is not a duration: {error}"))
                })
                .transpose()
        };
        Ok(Limits {
            timeout: parse("timeout", &policy.timeout)?,
            scheduling: parse("schedulingTimeout", &policy.scheduling_timeout)?
                .unwrap_or(defaults.scheduling_timeout),
            image_pull: parse("imagePullTimeout", &policy.image_pull_timeout)?
                .unwrap_or(defaults.image_pull_timeout),
            weapons: defaults.weapon_ready_timeout,
            retries: policy.retries(),
            retry_backoff: parse("retryBackoff", &policy.retry_backoff)?
                .unwrap_or(TaskPolicy::DEFAULT_RETRY_BACKOFF),
        })
    }
}

/// What the API server said when it refused a pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The status reason (Forbidden, Invalid, …).
    pub reason: String,
    pub message: String,
}
