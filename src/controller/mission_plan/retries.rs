//! Retries of a failed mission: passing a request on to its failed stages,
//! and reading back which stages were asked and have not acted yet (see the
//! module doc of [`super`]).

use kube::ResourceExt;

use super::status;
use super::{Attempt, MissionObserved, MissionPlan, current_stages, phase};
use crate::api::keys;
use crate::api::{MissionPhase, MissionStage, MissionStatus, StagePhase};
use crate::controller::dag::Dag;
use crate::controller::report::PlanEvent;
use crate::controller::retry;

/// The highest automatic retry the stages were asked to make: what the
/// status may not have recorded yet after a crash.
pub(super) fn automatic_retries_asked(stages: &[MissionStage]) -> i32 {
    (stages.iter())
        .filter_map(|stage| retry::request(stage)?.strip_prefix("retry-")?.parse().ok())
        .max()
        .unwrap_or(0)
}

/// The plan that runs the failed stages again with `request`: they are asked
/// to run their failed tasks again, and the mission is planned as it will be
/// once they were asked (see the module doc). `fresh` is the status with the
/// request already recorded; `event` tells it, given which stages run again.
pub(super) fn retry(
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

/// The retry requests the mission has passed on: the last one a person made
/// and the latest automatic one.
pub(super) fn handled_requests(status: &MissionStatus) -> Vec<String> {
    let automatic = (status.retry_count > 0).then(|| retry::automatic_request(status.retry_count));
    (status.last_handled_retry.clone().into_iter())
        .chain(automatic)
        .collect()
}

/// A stage's phase, where a failed stage that was asked to run again by one
/// of `handled`, and has not acted on it yet, counts as running.
pub(super) fn phase_after_retry(stage: &MissionStage, handled: &[&str]) -> StagePhase {
    let acted = (stage.status.as_ref()).and_then(|status| status.last_handled_retry.as_deref());
    match phase(stage) {
        StagePhase::Failed if retry::asked_not_acted(stage, acted, handled) => StagePhase::Running,
        phase => phase,
    }
}
