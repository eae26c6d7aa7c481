//! Retries of a failed mission: passing a request on to its failed stages,
//! and reading back which stages were asked and have not acted yet (see the
//! module doc of [`super`]).

use super::model::phase;
use crate::api::{MissionStage, MissionStatus, StagePhase};
use crate::controller::retry;

/// The highest automatic retry the stages were asked to make: what the
/// status may not have recorded yet after a crash.
pub(super) fn automatic_retries_asked(stages: &[MissionStage]) -> i32 {
    (stages.iter())
        .filter_map(|stage| retry::request(stage)?.strip_prefix("retry-")?.parse().ok())
        .max()
        .unwrap_or(0)
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
