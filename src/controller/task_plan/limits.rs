//! A task's time limits: how long its pod may wait for an aircraft, how long
//! an image may keep failing to pull, and how long an attempt may run. Each
//! is watched by the plan, which asks to be woken when the next one falls due.

use std::time::Duration;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::{SignedDuration, Timestamp};

use super::model::{Ended, Planner, pod_started, waiting_message};
use crate::api::conditions::{reasons, types};
use crate::api::{FlightTaskPhase, duration};
use crate::controller::pod_state::{self, TaskPod};

impl Planner<'_, '_> {
    /// Time left before `since + limit`, or `None` when it has passed.
    pub(super) fn left(&self, since: Timestamp, limit: Duration) -> Option<Duration> {
        let elapsed = self.now().duration_since(since);
        let limit = SignedDuration::try_from(limit).ok()?;
        (limit - elapsed)
            .is_positive()
            .then(|| Duration::try_from(limit - elapsed).ok())
            .flatten()
    }

    /// Waiting for an aircraft, until the scheduling timeout fails the task.
    pub(super) fn unscheduled(&mut self, pod: TaskPod) {
        let created = (pod.pod.metadata.creation_timestamp.as_ref()).map_or(self.now(), |t| t.0);
        let why = waiting_message(pod.pod);
        match self.left(created, self.limits.scheduling) {
            Some(left) => {
                self.wake_in(left);
                self.phase(FlightTaskPhase::Pending, why);
                let unjudged = pod_state::condition(pod.pod, types::POD_SCHEDULED).is_none();
                if unjudged {
                    self.passing_since = Some(created);
                }
            }
            None => self.unschedulable(pod, &why),
        }
    }

    /// Bound; waiting for its images, until the image-pull timeout fails the attempt.
    pub(super) fn scheduled(&mut self, pod: TaskPod, node: String) {
        let Some(error) = pod_state::image_pull_error(pod.pod) else {
            // Bound when PodScheduled turned True; a pod made with its node
            // already set has none, and counts from its creation.
            let bound = pod_state::condition(pod.pod, types::POD_SCHEDULED)
                .and_then(|bound| bound.last_transition_time.as_ref())
                .or(pod.pod.metadata.creation_timestamp.as_ref());
            self.passing_since = Some(bound.map_or(self.now(), |since| since.0));
            return self.phase(FlightTaskPhase::Scheduled, format!("scheduled on {node}"));
        };
        let conditions = &self.plan.status.conditions;
        let since = (crate::api::conditions::find(conditions, types::IMAGE_PULL_FAILED))
            .filter(|c| c.status == "True")
            .map_or(self.now(), |c| c.last_transition_time.0);
        match self.left(since, self.limits.image_pull) {
            Some(left) => {
                self.wake_in(left);
                let message = format!("scheduled on {node}; an image cannot be pulled: {error}");
                self.phase(FlightTaskPhase::Scheduled, message);
            }
            None => {
                let limit = duration::human(self.limits.image_pull);
                let failed = Ended {
                    reason: reasons::IMAGE_PULL_FAILED,
                    node: Some(node),
                    message: format!("an image could not be pulled for {limit}: {error}"),
                    at: self.now(),
                };
                self.attempt_failed(pod, failed);
            }
        }
    }

    /// Running, until the task's timeout (if any) or its weapons fail the attempt.
    pub(super) fn running(&mut self, pod: TaskPod, node: String) {
        let started = pod_started(pod.pod).unwrap_or(self.now());
        self.plan.status.start_time.get_or_insert(Time(started));
        if self.arming(pod, &node, started) {
            return;
        }
        let Some(timeout) = self.limits.timeout else {
            return self.phase(FlightTaskPhase::Running, format!("running on {node}"));
        };
        match self.left(started, timeout) {
            Some(left) => {
                self.wake_in(left);
                self.phase(FlightTaskPhase::Running, format!("running on {node}"));
            }
            None => {
                let limit = duration::human(timeout);
                let at = SignedDuration::try_from(timeout)
                    .ok()
                    .and_then(|timeout| started.checked_add(timeout).ok())
                    .unwrap_or(self.now());
                let failed = Ended {
                    reason: reasons::DEADLINE_EXCEEDED,
                    node: Some(node),
                    message: format!("it ran longer than its timeout of {limit}"),
                    at,
                };
                self.attempt_failed(pod, failed);
            }
        }
    }
}
