//! The FlightTask controller's decisions: from the task, its pods
//! and the time, which pod to create or stop, which aircraft to suspect, when
//! to look again, and the task's new status. Pure; the reconciler observes and
//! applies.
//!
//! Restart safety comes from deriving everything from what is observed. Pods are
//! named per attempt ([`super::names::pod`]) and carry their attempt and the
//! retries spent before them ([`super::pod_builder::Attempt`]); `status.podRef` is
//! written only for a pod the controller has seen. So when the pod cache lags
//! behind a create, the plan asks for the same attempt again (AlreadyExists), never
//! for a new one, and a pod that vanished after being seen was really deleted.
//! An attempt that failed is recorded in `status.failures` the first time it is
//! seen, so that an attempt the controller itself ended (a timeout) stays failed
//! once its pod is gone. The reconciler applies creates before writing the
//! status, and stops pods only after it. Pods of failed attempts are kept
//! for their logs, up to a limit ([`kept_pods`]); a running pod is stopped
//! through its deadline and counts as gone once it has ended.
//!
//! **Time limits.** A pod that waits for an aircraft longer than the task's
//! scheduling timeout fails the task (Unschedulable). An image that keeps
//! failing to pull for the image-pull timeout, or an attempt that runs longer
//! than the task's timeout, fails the attempt (ImagePullFailed,
//! DeadlineExceeded) like a container that exits non-zero: it is retried.
//!
//! **Suspension.** A task told to stop for a suspension (its stage sets the
//! suspension annotation to `stop`) stops its running pod and creates none;
//! once the mark is lifted the next attempt replaces the stopped pod without
//! spending a retry, as for any pod deleted from under the task.
//!
//! **Surges.** A running pod the Weapon controller marked for a surge
//! ([`keys::SURGE_ANNOTATION`], a RollingUpdate with `maxSurge`) gets the
//! next attempt started beside it, without spending a retry. The marked pod
//! stays the one followed while the new one waits for or boards its aircraft;
//! once the new pod runs it is followed and the old one deleted. If the old
//! pod finishes first, or the task is stopped, the new one is stopped.
//!
//! **Re-runs.** A finished task asked to run again (the retry annotation, set
//! by its stage, for a succeeded task only when the retry includes succeeded
//! ones) starts over in place: a fresh pod at the next attempt number,
//! fresh retries, its failure history kept. `status.firstAttempt` says where
//! the new run starts, so pods of the old run are never followed again, and
//! `status.lastHandledRetry` records the request so it is acted on once.

mod arming;
mod deprecations;
mod failure;
mod kept_pods;
mod limits;
mod model;
mod pool_wait;
mod queue;
mod refusals;
#[cfg(test)]
mod tests;
mod verdict;

use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::Timestamp;
use kube::ResourceExt;

use super::pod_builder::{self, Attempt, PodSettings};
use super::pod_parts::BuildError;
use super::pod_state::{self, PodState, TaskPod};
use super::pool_plan::Borrowed;
use super::report::PlanEvent;
use super::task_status::{Conditions, ready_reason};
use crate::api::conditions::{reasons, types};
use crate::api::flight_task::{ObjectRef, SchedulingInfo};
use crate::api::{FlightTask, FlightTaskPhase, FlightTaskStatus, Weapon, keys};

pub use model::{Observed, PASSING, Refusal, Suspect, TaskDefaults, TaskPlan};
pub use verdict::{VERDICT_REFRESH, rewords_verdict};

use self::model::{Ended, Limits, Planner, pod_started};

/// The plan for the task as observed.
pub fn plan(observed: &Observed) -> TaskPlan {
    let mut plan = plan_attempts(observed);
    kept_pods::apply(observed, &mut plan);
    plan.abort_weapons = plan.weapons_to_abort();
    plan
}

fn plan_attempts(observed: &Observed) -> TaskPlan {
    let task = observed.task;
    let mut status = task.status.clone().unwrap_or_default();
    let finished = status.phase.is_some_and(FlightTaskPhase::is_finished);
    let rerun = (observed.retry_request)
        .filter(|_| finished)
        .filter(|request| status.last_handled_retry.as_deref() != Some(*request));
    if finished && rerun.is_none() {
        return failure::finished(observed, status);
    }
    let mut events = Vec::new();
    if let Some(request) = rerun {
        events.push(rerun_event(&status));
        status = rerun_status(&task.name_any(), status, request);
    }
    let limits = match Limits::of(task, observed.defaults) {
        Ok(limits) => limits,
        Err(message) => return failure::invalid_spec(observed, status, &message),
    };
    let mut planner = Planner {
        observed,
        limits,
        cause: None,
        passing_since: None,
        plan: TaskPlan {
            status,
            events,
            ..TaskPlan::default()
        },
    };
    planner.run();
    planner.finish()
}

/// A failed task's status once a re-run is acted on: the next attempt number
/// starts a fresh run, the history of failures stays.
fn rerun_status(task_name: &str, old: FlightTaskStatus, request: &str) -> FlightTaskStatus {
    let last = (old.pod_ref.as_ref())
        .and_then(|pod| pod_state::attempt_of(task_name, &pod.name))
        .unwrap_or(0)
        .max(first_attempt(&old).saturating_sub(1));
    FlightTaskStatus {
        phase: Some(FlightTaskPhase::Pending),
        scheduling_info: None,
        retry_count: 0,
        last_retry_time: None,
        start_time: None,
        completion_time: None,
        first_attempt: Some(i32::try_from(last + 1).unwrap_or(i32::MAX)),
        last_handled_retry: Some(request.to_string()),
        ..old
    }
}

fn rerun_event(old: &FlightTaskStatus) -> PlanEvent {
    let why = old.message.as_deref().unwrap_or("it failed");
    PlanEvent {
        type_: kube::runtime::events::EventType::Normal,
        reason: reasons::RETRYING,
        action: "Rerun",
        note: format!("re-run requested; the last run ended: {why}"),
    }
}

/// The first attempt of the task's current run.
fn first_attempt(status: &FlightTaskStatus) -> u32 {
    (status.first_attempt)
        .and_then(|first| u32::try_from(first).ok())
        .filter(|first| *first > 0)
        .unwrap_or(1)
}

impl TaskPlan {
    /// This plan after the pod it asked for could not be built: nothing is
    /// created and the task fails with the reason (an invalid template, an
    /// incompatible loadout).
    pub fn build_failed(mut self, task: &FlightTask, error: &BuildError, now: Timestamp) -> Self {
        self.create = None;
        self.pod = None;
        self.requeue_after = None;
        self.quiet_for = None;
        let (type_, reason) = error.condition();
        let message = error.to_string();
        let status = &mut self.status;
        let mut conditions = Conditions::new(&mut status.conditions, task, now);
        conditions.set(type_, false, reason, &message);
        conditions.set(types::READY, false, reasons::FAILED, &message);
        status.phase = Some(FlightTaskPhase::Failed);
        status.message = Some(message);
        status.completion_time.get_or_insert(Time(now));
        status.observed_generation = task.metadata.generation;
        self
    }

    /// This plan with the pod of its attempt built from the task, the Weapons
    /// its loadout names (any order; extra ones are ignored), the pool
    /// instances it borrowed and the operator's pod settings; or, when no pod can be built, with the task failed instead.
    pub fn with_pod(
        mut self,
        task: &FlightTask,
        weapons: &[Weapon],
        loans: &[Borrowed],
        settings: &PodSettings,
        now: Timestamp,
    ) -> Self {
        let Some(attempt) = self.create else {
            return self;
        };
        let avoid = self.aircraft_to_avoid(now);
        let built = deprecations::check(task, weapons, settings, now).and_then(|warnings| {
            let pod = pod_builder::build(task, weapons, loans, attempt, &avoid, settings)?;
            Ok((pod, warnings))
        });
        match built {
            Ok((pod, warnings)) => {
                self.pod = Some(pod);
                self.borrowed(task, loans, now);
                deprecations::warn(&mut self, task, &warnings, now);
            }
            Err(error) => {
                self = self.build_failed(task, &error, now);
                self.build_error = Some(error);
            }
        }
        self
    }

    /// Aircraft the next pod must avoid: those this task marked, while the
    /// mark holds.
    pub fn aircraft_to_avoid(&self, now: Timestamp) -> Vec<String> {
        let mut nodes: Vec<String> = (self.status.failures.iter())
            .filter(|f| f.marked_until.as_ref().is_some_and(|until| until.0 > now))
            .filter_map(|f| f.node.clone())
            .collect();
        nodes.sort();
        nodes.dedup();
        nodes
    }
}

impl Planner<'_, '_> {
    fn now(&self) -> Timestamp {
        self.observed.now
    }

    fn conditions(&mut self) -> Conditions<'_> {
        let observed = self.observed;
        Conditions::new(
            &mut self.plan.status.conditions,
            observed.task,
            observed.now,
        )
    }

    fn phase(&mut self, phase: FlightTaskPhase, message: String) {
        self.plan.status.phase = Some(phase);
        self.plan.status.message = Some(message);
    }

    fn retries_spent(&self) -> u32 {
        u32::try_from(self.plan.status.retry_count).unwrap_or(0)
    }

    fn pod_name(&self, attempt: u32) -> String {
        super::names::pod(&self.observed.task.name_any(), attempt)
    }

    /// Looks again in `after` at the latest (the earliest of several asks).
    fn wake_in(&mut self, after: Duration) {
        let wake = self.plan.requeue_after.map_or(after, |w| w.min(after));
        self.plan.requeue_after = Some(wake);
    }

    fn run(&mut self) {
        let observed = self.observed;
        let task_name = observed.task.name_any();
        let first = first_attempt(&self.plan.status);
        let pods: Vec<TaskPod> = pod_state::task_pods(observed.task, observed.pods);
        let (current_run, older): (Vec<TaskPod>, Vec<TaskPod>) =
            pods.into_iter().partition(|p| p.attempt >= first);
        // The last attempt seen: by its pod, or by its failure when its pod
        // was never created (refused).
        let seen = (self.plan.status.pod_ref.as_ref())
            .and_then(|pod| pod_state::attempt_of(&task_name, &pod.name));
        let failed = (self.plan.status.failures.iter())
            .filter_map(|f| u32::try_from(f.attempt).ok())
            .max();
        let recorded = (seen.into_iter().chain(failed))
            .filter(|attempt| *attempt >= first)
            .max()
            .unwrap_or(0);
        let newest = current_run
            .last()
            .copied()
            .filter(|p| p.attempt >= recorded);
        let current = newest.map_or(recorded, |p| p.attempt);
        let beside = newest.and_then(|new| surged_past(&current_run, new));
        // Pods of an earlier run, and of earlier attempts of this one, but a
        // pod a surge keeps running.
        self.plan.delete = (older.iter().chain(&current_run))
            .filter(|p| p.attempt < first.max(current))
            .filter(|p| p.pod.metadata.deletion_timestamp.is_none())
            .filter(|p| beside.is_none_or(|old| old.name != p.name))
            .map(|p| p.name.to_string())
            .collect();
        if let (Some(old), Some(new)) = (beside, newest) {
            return self.surging(old, new, first);
        }
        if observed.cancelled {
            return self.cancel(newest);
        }
        if observed.suspended {
            return self.hold(newest, recorded, first);
        }
        self.carry_on(newest, recorded, first);
        if let Some(pod) = newest {
            self.start_surge(pod);
        }
    }

    /// A running pod marked for a surge, with no later attempt yet: the next
    /// attempt starts beside it, with the retries spent so far.
    fn start_surge(&mut self, pod: TaskPod) {
        let marked = pod.pod.annotations().contains_key(keys::SURGE_ANNOTATION);
        let running = self.plan.status.phase == Some(FlightTaskPhase::Running)
            && matches!(pod_state::state(pod.pod), PodState::Running { .. })
            && pod.pod.metadata.deletion_timestamp.is_none();
        if !marked || !running || self.plan.create.is_some() {
            return;
        }
        let next = pod.attempt + 1;
        let retry = self.retries_spent();
        let message = self.plan.status.message.clone().unwrap_or_default();
        let message =
            format!("{message}; attempt {next} starts beside it to carry a new weapon image");
        self.phase(FlightTaskPhase::Running, message);
        self.create(Attempt {
            number: next,
            retry,
        });
    }

    /// A surge under way: `old` is followed as the task's pod while `new`, the
    /// next attempt, is on its way. `new` is stopped if the task ends or is
    /// told to stop meanwhile.
    fn surging(&mut self, old: TaskPod, new: TaskPod, first: u32) {
        let observed = self.observed;
        if observed.cancelled {
            self.cancel(Some(old));
        } else if observed.suspended {
            self.hold(Some(old), old.attempt, first);
        } else {
            self.follow(old);
        }
        let phase = self.plan.status.phase.unwrap_or_default();
        if observed.cancelled || observed.suspended || phase.is_finished() {
            self.plan.stop.push(new.name.to_string());
        } else if phase == FlightTaskPhase::Running {
            let message = self.plan.status.message.clone().unwrap_or_default();
            let message = format!(
                "{message}; attempt {} is starting beside it to carry a new weapon image",
                new.attempt
            );
            self.phase(phase, message);
        }
    }

    fn carry_on(&mut self, newest: Option<TaskPod>, recorded: u32, first: u32) {
        match newest {
            Some(pod) => self.follow(pod),
            None if recorded == 0 => self.start(first),
            None if self.failure_of(recorded).is_some() => self.after_failure(recorded, None),
            None => self.replace_lost(recorded),
        }
    }

    /// Suspended with running work stopped: a pod still running (or waiting
    /// for an aircraft) is stopped and nothing new is created. Its pod then
    /// counts as lost, not failed, so on resume the next attempt replaces it
    /// without spending a retry. A pod that already succeeded or failed
    /// counts as ever; only its retry waits for the resume.
    fn hold(&mut self, newest: Option<TaskPod>, recorded: u32, first: u32) {
        let unfinished = newest.filter(|pod| {
            !matches!(
                pod_state::state(pod.pod),
                PodState::Succeeded | PodState::Failed(_)
            )
        });
        if let Some(pod) = unfinished {
            self.record(pod);
            if failure::still_running(&pod) {
                self.plan.stop.push(pod.name.to_string());
            }
            let message = format!(
                "suspended: pod {} stopped; on resume attempt {} replaces it without spending a retry",
                pod.name,
                pod.attempt + 1
            );
            return self.phase(FlightTaskPhase::Pending, message);
        }
        self.carry_on(newest, recorded, first);
        self.plan.create = None;
        self.passing_since = None;
        let phase = self.plan.status.phase.unwrap_or_default();
        if !phase.is_finished() {
            let message = "suspended: starts again when the mission resumes".to_string();
            self.phase(phase, message);
        }
    }

    /// Asked to stop: a pod that already succeeded counts; otherwise the
    /// task fails as Cancelled and a running pod is stopped.
    fn cancel(&mut self, newest: Option<TaskPod>) {
        if let Some(pod) = newest {
            if pod_state::state(pod.pod) == PodState::Succeeded {
                return self.follow(pod);
            }
            self.record(pod);
            if failure::still_running(&pod) {
                self.plan.stop.push(pod.name.to_string());
            }
        }
        let status = &mut self.plan.status;
        status
            .completion_time
            .get_or_insert(Time(self.observed.now));
        self.cause = Some(reasons::CANCELLED);
        self.phase(FlightTaskPhase::Failed, "cancelled".to_string());
    }

    fn start(&mut self, number: u32) {
        let retry = self.retries_spent();
        let message = format!("creating pod {}", self.pod_name(number));
        self.phase(FlightTaskPhase::Pending, message);
        self.passing_since = Some(self.now());
        self.create(Attempt { number, retry });
    }

    /// The pod `status.podRef` names is gone although it was seen: deleted by
    /// someone else, or garbage-collected. Not the task's fault.
    fn replace_lost(&mut self, recorded: u32) {
        let retry = self.retries_spent();
        let next = recorded + 1;
        let message = format!(
            "pod {} disappeared; attempt {next} replaces it without spending a retry",
            self.pod_name(recorded)
        );
        self.phase(FlightTaskPhase::Pending, message);
        self.create(Attempt {
            number: next,
            retry,
        });
    }

    fn follow(&mut self, pod: TaskPod) {
        self.record(pod);
        if self.failure_of(pod.attempt).is_some() {
            return self.after_failure(pod.attempt, Some(pod));
        }
        let current = self.plan.status.phase.unwrap_or_default();
        match pod_state::state(pod.pod) {
            PodState::Unscheduled => self.unscheduled(pod),
            PodState::Scheduled { node } => self.scheduled(pod, node),
            PodState::Running { node } => self.running(pod, node),
            PodState::Succeeded => self.succeeded(pod),
            PodState::Failed(failure) => {
                let detail = failure.detail.clone();
                let at = failure.at.unwrap_or(self.now());
                let failed = Ended {
                    reason: reasons::CONTAINER_FAILED,
                    node: failure.node,
                    message: detail,
                    at,
                };
                self.attempt_failed(pod, failed);
            }
            PodState::Disrupted { why } => self.disrupted(pod, &why),
            PodState::Terminating => {
                let message = format!(
                    "pod {} is stopping; the next attempt starts once it has ended",
                    pod.name
                );
                self.phase(current, message);
            }
            PodState::Unknown => {
                let message = format!(
                    "pod {} is in an unknown state: its node is not reporting",
                    pod.name
                );
                self.phase(current, message);
            }
        }
    }

    /// What any observed pod of the current attempt tells, whatever its phase.
    fn record(&mut self, pod: TaskPod) {
        let now = self.now();
        let failed_scheduling = self.observed.failed_scheduling;
        let status = &mut self.plan.status;
        let same_attempt = status.pod_ref.as_ref().is_some_and(|r| r.name == pod.name);
        status.pod_ref = Some(ObjectRef {
            name: pod.name.to_string(),
        });
        // The pod knows a retry the status lost (a restart before it was written).
        let pod_retries = pod.retry.and_then(|r| i32::try_from(r).ok()).unwrap_or(0);
        if pod_retries > status.retry_count {
            status.retry_count = pod_retries;
            let created = pod.pod.metadata.creation_timestamp.clone();
            status.last_retry_time = Some(created.unwrap_or(Time(now)));
        }
        if !same_attempt {
            status.weapons.clear();
            status
                .conditions
                .retain(|c| c.type_ != types::WEAPONS_READY);
        }
        let previous = status.scheduling_info.take().filter(|_| same_attempt);
        status.scheduling_info = Some(scheduling_info(pod.pod, previous, failed_scheduling));
        let armed = !self.observed.task.spec.template.weapon_loadout.is_empty();
        let created = format!("pod {} created for attempt {}", pod.name, pod.attempt);
        let mut conditions = self.conditions();
        conditions.set(types::POD_CREATED, true, reasons::CREATED, &created);
        let fits = if armed {
            "the loadout fits the aircraft"
        } else {
            "no weapons loaded"
        };
        conditions.set(types::WEAPONS_COMPATIBLE, true, reasons::COMPATIBLE, fits);
        conditions.pod_scheduled(pod.pod);
        conditions.image_pull(pod.pod);
    }

    fn succeeded(&mut self, pod: TaskPod) {
        let finished = pod_state::finished_at(pod.pod).unwrap_or(self.now());
        let status = &mut self.plan.status;
        status.completion_time.get_or_insert(Time(finished));
        let started = pod_started(pod.pod).unwrap_or(finished);
        status.start_time.get_or_insert(Time(started));
        let message = match pod_node(pod.pod) {
            Some(node) => format!("succeeded on {node}"),
            None => "succeeded".to_string(),
        };
        self.phase(FlightTaskPhase::Succeeded, message);
    }

    /// Evicted, preempted, refused by its node: the next attempt, same retries.
    fn disrupted(&mut self, pod: TaskPod, why: &str) {
        let spent = self.retries_spent();
        self.replace(pod.attempt, Some(pod), spent);
        let message = format!(
            "attempt {} was disrupted ({why}); attempt {} replaces it without spending a retry",
            pod.attempt,
            pod.attempt + 1
        );
        self.phase(FlightTaskPhase::Pending, message);
    }

    /// Deletes the pod of `attempt` (if it is still there) and creates the next.
    fn replace(&mut self, attempt: u32, pod: Option<TaskPod>, retry: u32) {
        if let Some(pod) = pod.filter(|p| p.pod.metadata.deletion_timestamp.is_none()) {
            self.plan.delete.push(pod.name.to_string());
        }
        self.create(Attempt {
            number: attempt + 1,
            retry,
        });
    }

    fn finish(mut self) -> TaskPlan {
        let phase = *self.plan.status.phase.get_or_insert_default();
        let message = self.plan.status.message.clone().unwrap_or_default();
        let succeeded = phase == FlightTaskPhase::Succeeded;
        let reason = self.cause.unwrap_or(ready_reason(phase));
        self.conditions()
            .set(types::READY, succeeded, reason, &message);
        self.plan.status.observed_generation = self.observed.task.metadata.generation;
        if phase.is_finished() {
            failure::release_marks(&mut self.plan, self.observed);
        }
        self.plan.quiet_for = self.quiet_for();
        self.plan
    }

    /// How long the new status may go unwritten: while the task is in a
    /// passing step that began less than [`PASSING`] ago, and the status has
    /// nothing else to tell (no failure, retry, re-run or weapon to record,
    /// and no pod it has not recorded yet: others read `podRef` to tell a pod
    /// that was deleted from one not made yet).
    fn quiet_for(&self) -> Option<Duration> {
        let since = self.passing_since?;
        let old = self.observed.task.status.clone().unwrap_or_default();
        let new = &self.plan.status;
        let unstarted = |phase: Option<FlightTaskPhase>| {
            matches!(
                phase,
                None | Some(FlightTaskPhase::Pending | FlightTaskPhase::Scheduled)
            )
        };
        let nothing_else = unstarted(old.phase)
            && unstarted(new.phase)
            && self.plan.events.is_empty()
            && old.failures == new.failures
            && old.retry_count == new.retry_count
            && old.last_retry_time == new.last_retry_time
            && old.last_handled_retry == new.last_handled_retry
            && old.first_attempt == new.first_attempt
            && old.pod_ref == new.pod_ref
            && old.start_time == new.start_time
            && old.completion_time == new.completion_time
            && old.weapons == new.weapons;
        let passed = Duration::try_from(self.now().duration_since(since)).unwrap_or_default();
        PASSING
            .checked_sub(passed)
            .filter(|left| nothing_else && !left.is_zero())
    }
}

/// The pod a surge keeps running beside `new`: the attempt just before it,
/// marked for a surge, running (or just finished) and not being deleted, while
/// `new` has not started yet.
fn surged_past<'p>(pods: &[TaskPod<'p>], new: TaskPod<'p>) -> Option<TaskPod<'p>> {
    if !matches!(
        pod_state::state(new.pod),
        PodState::Unscheduled | PodState::Scheduled { .. }
    ) {
        return None;
    }
    let old = *pods.iter().find(|p| p.attempt + 1 == new.attempt)?;
    let marked = old.pod.annotations().contains_key(keys::SURGE_ANNOTATION);
    let going = old.pod.metadata.deletion_timestamp.is_some();
    let state = pod_state::state(old.pod);
    let live = matches!(state, PodState::Running { .. } | PodState::Succeeded);
    (marked && !going && live).then_some(old)
}

fn scheduling_info(pod: &Pod, previous: Option<SchedulingInfo>, failed: i32) -> SchedulingInfo {
    let mut info = previous.unwrap_or_default();
    info.assigned_node = pod_node(pod);
    info.assigned_time = pod_state::condition(pod, "PodScheduled")
        .filter(|c| c.status == "True")
        .and_then(|c| c.last_transition_time.clone())
        .filter(|_| info.assigned_node.is_some());
    info.scheduling_attempts = info.scheduling_attempts.max(failed);
    info
}

fn pod_node(pod: &Pod) -> Option<String> {
    pod.spec.as_ref()?.node_name.clone()
}
