//! The Mission controller's decisions, as a pure function of the
//! mission, the MissionStages it controls, a cancel flag and the time: which
//! stages to create, cancel or ask to run again, and the mission's next status.
//!
//! A stage is created only once it may start, that is once every stage in its
//! `dependsOn` has finished as the failure policy asks (Succeeded; or, with
//! `continue`, Failed too); an existing stage is never planned again, so the
//! plan is idempotent and a restarted operator carries on where it stopped.
//! The status names a stage Running from the plan that creates it, before the
//! stage exists: from then on the API server refuses edits of that stage's
//! spec (see [`crate::api::mission`]), so no edit is lost to a stage already
//! made from the old spec.
//!
//! **`abort` leaves running stages alone.** After a failed stage nothing new
//! starts, but stages already running finish (or time out): stopping them would
//! throw away sorties in the air for a failure elsewhere, an operator who wants
//! them down cancels the mission, and each stage's timeout bounds the wait. The
//! mission becomes Failed once none runs. **`continue`** treats a failed stage
//! as finished: every stage that can run does, and the mission ends Failed,
//! naming the failed stages.
//!
//! **Suspension** (`spec.suspend`) starts nothing new, stage or task, and
//! lets what runs finish (see [`suspension`]).
//!
//! **A retry keeps what succeeded.** A retry, requested by a person
//! (`kubectl airforce mission retry` sets [`keys::RETRY_REQUEST_ANNOTATION`] on a
//! Failed mission) or made by the failure policy (`maxRetries`, after a
//! doubling backoff counted from the last stage failure), passes a request on
//! to each failed stage ([`MissionPlan::retry_stages`], written before the
//! status), which runs its failed tasks again in place (see [`super::retry`]).
//! Until a stage has acted on the request it counts as running, not failed;
//! stages that never started because of the failure start once their
//! dependencies succeed. A person's request is recorded in
//! `status.lastHandledRetry`; an automatic one is `retry-<n>` with `n` the new
//! `status.retryCount`, which the plan also reads back from the stages, so a
//! crash between the ask and the status write neither loses nor repeats a
//! retry.

mod attempt;
mod model;
mod retries;
mod status;
mod suspension;
#[cfg(test)]
mod tests;

pub use model::{MissionObserved, MissionPlan};
pub use status::retry_note;

use std::time::Duration;

use kube::ResourceExt;

use self::attempt::Attempt;
use self::model::{Verdict, check, current_stages, phase};
use self::retries::automatic_retries_asked;
use super::report::{self, PlanEvent};
use super::retry;
use crate::api::conditions::reasons;
use crate::api::keys;
use crate::api::{MissionPhase, MissionStage, MissionStatus, StagePhase};
use crate::graph::Dag;

/// Decides the mission's next step; see the module doc.
pub fn plan(observed: &MissionObserved<'_>) -> MissionPlan {
    let mut plan = plan_attempt(observed);
    suspension::apply(observed, &mut plan);
    plan
}

fn plan_attempt(observed: &MissionObserved<'_>) -> MissionPlan {
    let mission = observed.mission;
    let mut old = mission.status.clone().unwrap_or_default();
    old.retry_count = old
        .retry_count
        .max(automatic_retries_asked(observed.stages));
    let retry_request = (observed.retry_request)
        .filter(|_| old.phase.is_some_and(MissionPhase::is_unsuccessful))
        .filter(|request| old.last_handled_retry.as_deref() != Some(*request));
    let finished = old.phase.is_some_and(MissionPhase::is_finished);
    if finished && retry_request.is_none() {
        return status::finished(observed, &old);
    }
    let (dag, backoff) = match check(mission) {
        Ok(checked) => checked,
        Err(message) => return status::invalid(observed, &old, &message),
    };
    if let Some(request) = retry_request {
        let fresh = MissionStatus {
            last_handled_retry: Some(request.to_string()),
            ..old.clone()
        };
        return retry(observed, &fresh, &dag, request, report::retry_requested);
    }
    let attempt = Attempt::observe(observed, &old, &dag);
    let verdict = attempt.verdict(observed);
    let policy = &mission.spec.config.failure_policy;
    let retries_left = old.retry_count < policy.max_retries;
    if verdict.phase != MissionPhase::Failed || observed.cancelled || !retries_left {
        return status::assemble(observed, &old, &attempt, verdict);
    }
    let next = old.retry_count + 1;
    let delay = backoff.saturating_mul(1 << old.retry_count.clamp(0, 16));
    let failed_at = attempt.last_failure().unwrap_or(&observed.now);
    let elapsed =
        Duration::try_from(observed.now.0.duration_since(failed_at.0)).unwrap_or_default();
    if let Some(left) = delay.checked_sub(elapsed).filter(|left| !left.is_zero()) {
        let seconds = left.as_secs_f64().ceil();
        let waiting = Verdict {
            phase: MissionPhase::Running,
            reason: reasons::RETRYING,
            message: format!(
                "{}; retry {next} of {} in {seconds}s",
                verdict.message, policy.max_retries
            ),
        };
        let mut plan = status::assemble(observed, &old, &attempt, waiting);
        plan.requeue_after = Some(left);
        return plan;
    }
    let fresh = MissionStatus {
        retry_count: next,
        ..old.clone()
    };
    let max = policy.max_retries;
    let event = |note| status::retry_event(&verdict, next, max, note);
    retry(
        observed,
        &fresh,
        &dag,
        &retry::automatic_request(next),
        event,
    )
}

/// The plan that runs the failed stages again with `request`: they are asked
/// to run their failed tasks again, and the mission is planned as it will be
/// once they were asked (see the module doc). `fresh` is the status with the
/// request already recorded; `event` tells it, given which stages run again.
fn retry(
    observed: &MissionObserved<'_>,
    fresh: &MissionStatus,
    dag: &Dag,
    request: &str,
    event: impl FnOnce(String) -> PlanEvent,
) -> MissionPlan {
    let current = current_stages(observed.stages);
    let mut failed: Vec<&MissionStage> = (current.into_iter())
        .filter(|stage| phase(stage) == StagePhase::Failed)
        .collect();
    failed.sort_by_key(|stage| stage.spec.stage_index);
    let retry_stages: Vec<String> = failed.iter().map(|stage| stage.name_any()).collect();
    let short: Vec<&str> = (failed.iter())
        .map(|stage| stage.spec.stage_name.as_str())
        .collect();
    let fresh = MissionStatus {
        phase: Some(MissionPhase::Running),
        completion_time: None,
        ..fresh.clone()
    };
    let mut mission = observed.mission.clone();
    mission.status = Some(fresh.clone());
    let stages: Vec<MissionStage> = (observed.stages.iter().cloned())
        .map(|mut stage| {
            if retry_stages.contains(&stage.name_any()) {
                let annotations = stage.annotations_mut();
                annotations.insert(
                    keys::RETRY_REQUEST_ANNOTATION.to_string(),
                    request.to_string(),
                );
                annotations.remove(keys::CANCEL_ANNOTATION);
            }
            stage
        })
        .collect();
    let asked = MissionObserved {
        mission: &mission,
        stages: &stages,
        ..observed.clone()
    };
    let attempt = Attempt::observe(&asked, &fresh, dag);
    let mut plan = status::assemble(&asked, &fresh, &attempt, attempt.verdict(&asked));
    plan.events.insert(0, event(status::retry_note(&short)));
    plan.retry_stages = retry_stages;
    plan.retry_request = Some(request.to_string());
    plan
}
