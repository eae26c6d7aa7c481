//! The FlightTask controller's decisions (SPEC C3, F2): from the task, its pods
//! and the time, which pod to create or delete, which node to taint, when to look
//! again, and the task's new status. Pure; the reconciler observes and applies.
//!
//! Restart safety comes from deriving everything from what is observed. Pods are
//! named per attempt ([`super::names::pod`]) and carry their attempt and the
//! retries spent before them ([`super::pod_builder::Attempt`]); `status.podRef` is
//! written only for a pod the controller has seen. So when the pod cache lags
//! behind a create, the plan asks for the same attempt again (AlreadyExists), never
//! for a new one, and a pod that vanished after being seen was really deleted.
//! The reconciler must apply creates before writing the status, and reconcile only
//! once its pod store is synced.

use std::time::Duration;

use k8s_openapi::api::core::v1::{Pod, Taint};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::{SignedDuration, Timestamp};
use kube::ResourceExt;

use super::placement::TASK_FAILED_TAINT;
use super::pod_builder::{Attempt, BuildError};
use super::pod_state::{self, Failure, PodState, TaskPod};
use super::task_status::{Conditions, ready_reason};
use crate::api::conditions::{reasons, types};
use crate::api::flight_task::{ObjectRef, SchedulingInfo};
use crate::api::{FlightTask, FlightTaskPhase, FlightTaskStatus};

/// Retries of a failed task pod before the task fails (SPEC C3).
pub const MAX_RETRIES: u32 = 3;

/// What the reconciler observed.
#[derive(Debug, Clone, Copy)]
pub struct Observed<'a> {
    pub task: &'a FlightTask,
    /// The task's pods (found by its labels or ownership); pods it does not
    /// control are ignored.
    pub pods: &'a [Pod],
    /// FailedScheduling events of the current attempt's pod.
    pub failed_scheduling: i32,
    pub now: Timestamp,
}

/// What to do, and the status to write. Applied in this order: the taint (a
/// retry must not land on the node before it is tainted), the deletes, the
/// create (AlreadyExists and a 404 on delete count as done), then the status.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TaskPlan {
    /// The pod to build ([`super::pod_builder::build`]) and create.
    pub create: Option<Attempt>,
    /// Pods to delete, by name (older attempts).
    pub delete: Vec<String>,
    /// A node where the task failed, to keep its retries off it.
    pub taint: Option<NodeTaint>,
    /// When to look again although nothing changes: the end of a retry backoff.
    pub requeue_after: Option<Duration>,
    pub status: FlightTaskStatus,
}

/// A taint to put on a node (idempotent: the same key, value and effect).
#[derive(Debug, Clone, PartialEq)]
pub struct NodeTaint {
    pub node: String,
    pub taint: Taint,
}

/// The plan for the task as observed.
pub fn plan(observed: &Observed) -> TaskPlan {
    let task = observed.task;
    let status = task.status.clone().unwrap_or_default();
    // A finished task stays finished, even when its pod is later cleaned up.
    if status.phase.is_some_and(FlightTaskPhase::is_finished) {
        return TaskPlan {
            status,
            ..TaskPlan::default()
        };
    }
    let task_name = task.name_any();
    let pods = pod_state::task_pods(task, observed.pods);
    let recorded = status
        .pod_ref
        .as_ref()
        .and_then(|pod| pod_state::attempt_of(&task_name, &pod.name))
        .unwrap_or(0);
    let newest = pods.last().copied().filter(|p| p.attempt >= recorded);
    let current = newest.map_or(recorded, |p| p.attempt);
    let mut planner = Planner {
        observed,
        plan: TaskPlan {
            status,
            ..TaskPlan::default()
        },
    };
    planner.plan.delete = pods
        .iter()
        .filter(|p| p.attempt < current && p.pod.metadata.deletion_timestamp.is_none())
        .map(|p| p.name.to_string())
        .collect();
    match newest {
        Some(pod) => planner.follow(pod),
        None if recorded == 0 => planner.start(),
        None => planner.replace_lost(recorded),
    }
    planner.finish()
}

impl TaskPlan {
    /// This plan after the pod it asked for could not be built: nothing is
    /// created and the task fails with the reason (SPEC C3: invalid template,
    /// incompatible loadout).
    pub fn build_failed(mut self, task: &FlightTask, error: &BuildError, now: Timestamp) -> Self {
        self.create = None;
        self.requeue_after = None;
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
}

struct Planner<'o, 'a> {
    observed: &'o Observed<'a>,
    plan: TaskPlan,
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

    fn start(&mut self) {
        let retry = self.retries_spent();
        self.plan.create = Some(Attempt { number: 1, retry });
        let message = format!("creating pod {}", self.pod_name(1));
        self.phase(FlightTaskPhase::Pending, message);
    }

    /// The pod `status.podRef` names is gone although it was seen: deleted by
    /// someone else, or garbage-collected. Not the task's fault.
    fn replace_lost(&mut self, recorded: u32) {
        let retry = self.retries_spent();
        let next = recorded + 1;
        self.plan.create = Some(Attempt {
            number: next,
            retry,
        });
        let message = format!(
            "pod {} disappeared; attempt {next} replaces it without spending a retry",
            self.pod_name(recorded)
        );
        self.phase(FlightTaskPhase::Pending, message);
    }

    fn follow(&mut self, pod: TaskPod) {
        self.record(pod);
        let current = self.plan.status.phase.unwrap_or_default();
        match pod_state::state(pod.pod) {
            PodState::Unscheduled => {
                let message = waiting_message(pod.pod);
                self.phase(FlightTaskPhase::Pending, message);
            }
            PodState::Scheduled { node } => {
                let pulling = pod_state::image_pull_error(pod.pod)
                    .map(|error| format!("; an image cannot be pulled: {error}"))
                    .unwrap_or_default();
                let message = format!("scheduled on {node}{pulling}");
                self.phase(FlightTaskPhase::Scheduled, message);
            }
            PodState::Running { node } => {
                let started = pod_started(pod.pod).unwrap_or(self.now());
                self.plan.status.start_time.get_or_insert(Time(started));
                self.phase(FlightTaskPhase::Running, format!("running on {node}"));
            }
            PodState::Succeeded => self.succeeded(pod),
            PodState::Failed(failure) => self.failed(pod, failure),
            PodState::Disrupted { why } => self.disrupted(pod, &why),
            PodState::Terminating => {
                let message = format!(
                    "pod {} is being deleted; the next attempt starts once it is gone",
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

    fn failed(&mut self, pod: TaskPod, failure: Failure) {
        if let Some(node) = &failure.node {
            self.plan.taint = Some(task_failed_taint(node, self.observed.task));
        }
        let spent = self.retries_spent();
        let on = failure
            .node
            .as_deref()
            .map(|n| format!(" on {n}"))
            .unwrap_or_default();
        let what = format!("attempt {}{on} failed: {}", pod.attempt, failure.detail);
        // The status counts a retry past this pod: it was already replaced and
        // the pod cache has not caught up. Asking again is harmless.
        if spent > pod.retry.unwrap_or(spent) {
            self.replace(pod, spent);
            let message = format!("{what}; retry {spent} of {MAX_RETRIES} started");
            return self.phase(FlightTaskPhase::Retrying, message);
        }
        if spent >= MAX_RETRIES {
            let at = failure.at.unwrap_or(self.now());
            self.plan.status.completion_time.get_or_insert(Time(at));
            self.plan
                .status
                .start_time
                .get_or_insert(Time(pod_started(pod.pod).unwrap_or(at)));
            let message = format!("{what}; no retries left after {MAX_RETRIES}");
            return self.phase(FlightTaskPhase::Failed, message);
        }
        let retry = spent + 1;
        let backoff = SignedDuration::from_secs(1 << retry);
        let remaining = failure
            .at
            .and_then(|at| backoff.checked_sub(self.now().duration_since(at)))
            .filter(SignedDuration::is_positive)
            .and_then(|remaining| Duration::try_from(remaining).ok());
        if let Some(remaining) = remaining {
            self.plan.requeue_after = Some(remaining);
            let seconds = remaining.as_secs_f64().ceil();
            let message = format!("{what}; retry {retry} of {MAX_RETRIES} in {seconds}s");
            return self.phase(FlightTaskPhase::Retrying, message);
        }
        self.replace(pod, retry);
        let status = &mut self.plan.status;
        status.retry_count = i32::try_from(retry).unwrap_or(i32::MAX);
        status.last_retry_time = Some(Time(self.observed.now));
        let message = format!("{what}; retry {retry} of {MAX_RETRIES} started");
        self.phase(FlightTaskPhase::Retrying, message);
    }

    /// Evicted, preempted, refused by its node: the next attempt, same retries.
    fn disrupted(&mut self, pod: TaskPod, why: &str) {
        let spent = self.retries_spent();
        self.replace(pod, spent);
        let message = format!(
            "attempt {} was disrupted ({why}); attempt {} replaces it without spending a retry",
            pod.attempt,
            pod.attempt + 1
        );
        self.phase(FlightTaskPhase::Pending, message);
    }

    fn replace(&mut self, pod: TaskPod, retry: u32) {
        if pod.pod.metadata.deletion_timestamp.is_none() {
            self.plan.delete.push(pod.name.to_string());
        }
        self.plan.create = Some(Attempt {
            number: pod.attempt + 1,
            retry,
        });
    }

    fn finish(mut self) -> TaskPlan {
        let phase = *self.plan.status.phase.get_or_insert_default();
        let message = self.plan.status.message.clone().unwrap_or_default();
        let succeeded = phase == FlightTaskPhase::Succeeded;
        self.conditions()
            .set(types::READY, succeeded, ready_reason(phase), &message);
        self.plan.status.observed_generation = self.observed.task.metadata.generation;
        self.plan
    }
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

fn waiting_message(pod: &Pod) -> String {
    match pod_state::condition(pod, "PodScheduled").and_then(|c| c.message.as_deref()) {
        Some(why) if !why.is_empty() => format!("waiting for an aircraft: {why}"),
        _ => "waiting for an aircraft".to_string(),
    }
}

fn pod_node(pod: &Pod) -> Option<String> {
    pod.spec.as_ref()?.node_name.clone()
}

fn pod_started(pod: &Pod) -> Option<Timestamp> {
    Some(pod.status.as_ref()?.start_time.as_ref()?.0)
}

/// `task-failed=<task>:NoSchedule`: retries of this task avoid the node, since
/// task pods never tolerate the key (see [`super::placement`]). A taint value
/// is limited like a label value, so a task name longer than 63 characters is
/// represented by the task's uid.
pub fn task_failed_taint(node: &str, task: &FlightTask) -> NodeTaint {
    let name = task.name_any();
    let value = match task.metadata.uid.as_deref() {
        Some(uid) if name.len() > 63 => uid.to_string(),
        _ => name,
    };
    NodeTaint {
        node: node.to_string(),
        taint: Taint {
            key: TASK_FAILED_TAINT.to_string(),
            value: Some(value),
            effect: "NoSchedule".to_string(),
            time_added: None,
        },
    }
}

#[cfg(test)]
mod tests;
