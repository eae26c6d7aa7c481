//! Failed attempts: recording them, retrying them with backoff, failing the
//! task when no retry is left, and the fault marks a failure may leave on its
//! aircraft (see [`crate::api::fault_marks`]).
//!
//! A failure on an aircraft makes it a [`Suspect`]; whether it is marked is for
//! the reconciler to decide with the fleet in view ([`super::super::fault_marks`]),
//! and [`TaskPlan::mark_decided`] records the outcome. Once a task has failed
//! on two different aircraft the fault is taken to be the task's own: its
//! marks are taken back and its later failures mark nothing. Every mark a task
//! made is taken back when the task ends.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::{SignedDuration, Timestamp};
use kube::runtime::events::EventType;

use super::model::{Ended, Observed, Planner, Suspect, TaskPlan, pod_started};
use crate::api::conditions::{reasons, types};
use crate::api::flight_task::retry_delay;
use crate::api::{AttemptFailure, FlightTaskPhase, FlightTaskStatus, duration};
use crate::controller::fault_marks::MarkDecision;
use crate::controller::pod_state::{self, TaskPod};
use crate::controller::report::PlanEvent;
use crate::controller::task_status::Conditions;

/// How many failures a task's status keeps.
const FAILURES_KEPT: usize = 20;

impl Planner<'_, '_> {
    /// The recorded failure of `attempt`, if it failed.
    pub(super) fn failure_of(&self, attempt: u32) -> Option<&AttemptFailure> {
        let attempt = i32::try_from(attempt).ok()?;
        (self.plan.status.failures.iter()).find(|f| f.attempt == attempt)
    }

    /// A failure seen for the first time: recorded, its aircraft suspected
    /// (or the task found at fault), then retried or final.
    pub(super) fn attempt_failed(&mut self, pod: TaskPod, ended: Ended) {
        if self.failure_of(pod.attempt).is_none() {
            self.record_failure(pod.attempt, &ended);
        }
        self.after_failure(pod.attempt, Some(pod));
    }

    pub(super) fn record_failure(&mut self, attempt: u32, ended: &Ended) {
        // A mark only keeps retries off the aircraft; a task that ends now
        // would take it back at once.
        let last = self.retries_spent() >= self.limits.retries;
        let failures = &mut self.plan.status.failures;
        failures.push(AttemptFailure {
            attempt: i32::try_from(attempt).unwrap_or(i32::MAX),
            node: ended.node.clone(),
            reason: ended.reason.to_string(),
            message: Some(ended.message.clone()),
            failed_at: Some(Time(ended.at)),
            marked_until: None,
            retried: false,
        });
        let excess = failures.len().saturating_sub(FAILURES_KEPT);
        failures.drain(..excess);
        let Some(node) = ended.node.clone() else {
            return;
        };
        let mut aircraft: Vec<&str> = (failures.iter())
            .filter_map(|f| f.node.as_deref())
            .collect();
        aircraft.sort_unstable();
        aircraft.dedup();
        match aircraft.as_slice() {
            [_] if last => {}
            [_] => {
                self.plan.suspect = Some(Suspect {
                    node,
                    attempt,
                    reason: ended.message.clone(),
                })
            }
            [first, second] => {
                let note = format!(
                    "failed on two different aircraft ({first}, {second}): the fault is taken to be the task's own, so it marks no aircraft"
                );
                self.take_back_marks(reasons::TASK_AT_FAULT, &note);
            }
            // At fault already: its marks went when it became so.
            _ => {}
        }
    }

    /// What follows a recorded failure of `attempt`: a retry after its
    /// backoff, or the end of the task when none is left. A pod still running
    /// (a timeout ended its attempt) is stopped.
    pub(super) fn after_failure(&mut self, attempt: u32, pod: Option<TaskPod>) {
        let Some(failure) = self.failure_of(attempt).cloned() else {
            return;
        };
        if let Some(pod) = pod.filter(|p| still_running(p)) {
            self.plan.stop.push(pod.name.to_string());
        }
        let failed_at = failure.failed_at.as_ref().map_or(self.now(), |t| t.0);
        let on = (failure.node.as_deref())
            .map(|node| format!(" on {node}"))
            .unwrap_or_default();
        let message = failure.message.as_deref().unwrap_or(&failure.reason);
        let what = format!("attempt {attempt}{on} failed: {message}");
        if failure.reason != reasons::CONTAINER_FAILED {
            self.cause = Some(cause(&failure.reason));
        }
        let spent = self.retries_spent();
        let max = self.limits.retries;
        // The retry of this failure was started already and the pod cache has
        // not caught up: asking for the same attempt again is harmless.
        let started =
            failure.retried || pod.and_then(|p| p.retry).is_some_and(|retry| spent > retry);
        if started {
            self.retried(attempt);
            self.replace(attempt, pod, spent);
            let message = format!("{what}; retry {spent} of {max} started");
            return self.phase(FlightTaskPhase::Retrying, message);
        }
        if spent >= max {
            let status = &mut self.plan.status;
            status.completion_time.get_or_insert(Time(failed_at));
            let began = pod.and_then(|p| pod_started(p.pod));
            status
                .start_time
                .get_or_insert(Time(began.unwrap_or(failed_at)));
            let message = match max {
                0 => format!("{what}; the task allows no retries"),
                _ => format!("{what}; no retries left after {max}"),
            };
            return self.phase(FlightTaskPhase::Failed, message);
        }
        let retry = spent + 1;
        let backoff = retry_delay(self.limits.retry_backoff, retry);
        let backoff = SignedDuration::try_from(backoff).unwrap_or(SignedDuration::MAX);
        let remaining = backoff.checked_sub(self.now().duration_since(failed_at));
        let remaining = (remaining.filter(SignedDuration::is_positive))
            .and_then(|remaining| std::time::Duration::try_from(remaining).ok());
        if let Some(remaining) = remaining {
            self.wake_in(remaining);
            let seconds = remaining.as_secs_f64().ceil();
            let message = format!("{what}; retry {retry} of {max} in {seconds}s");
            return self.phase(FlightTaskPhase::Retrying, message);
        }
        self.replace(attempt, pod, retry);
        self.retried(attempt);
        let status = &mut self.plan.status;
        status.retry_count = i32::try_from(retry).unwrap_or(i32::MAX);
        status.last_retry_time = Some(Time(self.observed.now));
        let message = format!("{what}; retry {retry} of {max} started");
        self.phase(FlightTaskPhase::Retrying, message);
    }

    /// Records that the retry of `attempt`'s failure has started.
    fn retried(&mut self, attempt: u32) {
        let attempt = i32::try_from(attempt).unwrap_or(i32::MAX);
        let failures = &mut self.plan.status.failures;
        if let Some(failure) = failures.iter_mut().find(|f| f.attempt == attempt) {
            failure.retried = true;
        }
    }

    /// No aircraft took the pod within the scheduling timeout: the task fails
    /// without retries, since a retry would wait for the same aircraft.
    pub(super) fn unschedulable(&mut self, pod: TaskPod, why: &str) {
        let limit = duration::human(self.limits.scheduling);
        let ended = Ended {
            reason: reasons::UNSCHEDULABLE,
            node: None,
            message: format!("no aircraft took it within {limit} ({why})"),
            at: self.now(),
        };
        if self.failure_of(pod.attempt).is_none() {
            self.record_failure(pod.attempt, &ended);
        }
        if still_running(&pod) {
            self.plan.stop.push(pod.name.to_string());
        }
        self.cause = Some(reasons::UNSCHEDULABLE);
        self.plan
            .status
            .completion_time
            .get_or_insert(Time(ended.at));
        let message = format!("attempt {} failed: {}", pod.attempt, ended.message);
        self.phase(FlightTaskPhase::Failed, message);
    }

    /// Takes back every mark the task holds, saying why on its condition.
    fn take_back_marks(&mut self, reason: &'static str, why: &str) {
        let observed = self.observed;
        take_back_marks(&mut self.plan, observed, reason, why);
    }
}

/// The Ready reason for a failure recorded with `reason`.
fn cause(reason: &str) -> &'static str {
    match reason {
        reasons::DEADLINE_EXCEEDED => reasons::DEADLINE_EXCEEDED,
        reasons::IMAGE_PULL_FAILED => reasons::IMAGE_PULL_FAILED,
        reasons::UNSCHEDULABLE => reasons::UNSCHEDULABLE,
        reasons::POD_REFUSED => reasons::POD_REFUSED,
        _ => reasons::FAILED,
    }
}

/// A pod that is neither finished nor being deleted.
pub(super) fn still_running(pod: &TaskPod) -> bool {
    pod.pod.metadata.deletion_timestamp.is_none() && !pod_state::is_finished(pod.pod)
}

/// Lists every aircraft the task holds a mark on for [`TaskPlan::unmark`],
/// clears the marks from its status, and says so.
fn take_back_marks(plan: &mut TaskPlan, observed: &Observed, reason: &'static str, why: &str) {
    let mut taken: Vec<String> = Vec::new();
    for failure in &mut plan.status.failures {
        if failure.marked_until.take().is_some() {
            taken.extend(failure.node.clone());
        }
    }
    taken.sort();
    taken.dedup();
    let note = match taken.as_slice() {
        [] => why.to_string(),
        nodes => format!("{why}; its marks on {} are taken back", nodes.join(", ")),
    };
    let mut conditions = Conditions::new(&mut plan.status.conditions, observed.task, observed.now);
    conditions.set(types::AIRCRAFT_MARKED, false, reason, &note);
    plan.events.push(PlanEvent {
        type_: EventType::Normal,
        reason,
        action: "Unmark",
        note,
    });
    plan.unmark.extend(taken);
}

/// A task that has ended takes back its marks, if it holds any.
pub(super) fn release_marks(plan: &mut TaskPlan, observed: &Observed) {
    let holds = (plan.status.failures.iter()).any(|f| f.marked_until.is_some());
    if holds {
        take_back_marks(plan, observed, reasons::MARKS_CLEARED, "the task ended");
    }
}

/// The plan for a task that has ended: its status stays, a pod still running
/// (a crash came between the status that ended it and the stop) is stopped,
/// and marks still held are taken back.
pub(super) fn finished(observed: &Observed, status: FlightTaskStatus) -> TaskPlan {
    let mut plan = TaskPlan {
        status,
        ..TaskPlan::default()
    };
    plan.stop = (pod_state::task_pods(observed.task, observed.pods).iter())
        .filter(|pod| still_running(pod))
        .map(|pod| pod.name.to_string())
        .collect();
    release_marks(&mut plan, observed);
    plan
}

/// A task whose limits cannot be read fails at once, stopping its pods.
pub(super) fn invalid_spec(
    observed: &Observed,
    mut status: FlightTaskStatus,
    message: &str,
) -> TaskPlan {
    let task = observed.task;
    let mut conditions = Conditions::new(&mut status.conditions, task, observed.now);
    conditions.set(types::READY, false, reasons::INVALID_DEFINITION, message);
    status.phase = Some(FlightTaskPhase::Failed);
    status.message = Some(message.to_string());
    status.completion_time.get_or_insert(Time(observed.now));
    status.observed_generation = task.metadata.generation;
    finished(observed, status)
}

impl TaskPlan {
    /// Records what the reconciler decided about [`TaskPlan::suspect`]'s mark.
    pub fn mark_decided(
        &mut self,
        task: &crate::api::FlightTask,
        decision: &MarkDecision,
        now: Timestamp,
    ) {
        let Some(suspect) = self.suspect.clone() else {
            return;
        };
        if *decision == MarkDecision::Gone {
            return;
        }
        let attempt = i32::try_from(suspect.attempt).unwrap_or(i32::MAX);
        let node = &suspect.node;
        let (ok, reason, note, type_) = match decision {
            MarkDecision::Mark { until } | MarkDecision::AlreadyMarked { until } => {
                if let Some(failure) =
                    (self.status.failures.iter_mut()).find(|f| f.attempt == attempt)
                {
                    failure.marked_until = Some(until.clone());
                }
                let note = format!(
                    "aircraft {node} is marked as suspect until {}: attempt {attempt} failed on it",
                    until.0
                );
                (true, reasons::MARKED, note, EventType::Normal)
            }
            MarkDecision::LimitReached(limit) => {
                let note = format!(
                    "aircraft {node} is not marked although attempt {attempt} failed on it: {limit}"
                );
                (false, reasons::MARK_LIMIT_REACHED, note, EventType::Warning)
            }
            MarkDecision::Gone => return,
        };
        let mut conditions = Conditions::new(&mut self.status.conditions, task, now);
        conditions.set(types::AIRCRAFT_MARKED, ok, reason, &note);
        if !matches!(decision, MarkDecision::AlreadyMarked { .. }) {
            self.events.push(PlanEvent {
                type_,
                reason,
                action: "Mark",
                note,
            });
        }
    }
}
