//! The MissionStage controller's decisions, as a pure function of
//! the stage, the FlightTasks it controls, a cancel flag and the time: which
//! tasks to create or stop, the stage's next status, and when to look again.
//!
//! The three stage types are one rule over a task graph: a task starts once
//! every task it depends on has Succeeded. `sequential` makes each task depend
//! on the one before it, `parallel` has no edges, `mixed` uses the tasks'
//! `dependsOn`. After a task fails nothing new starts; the stage fails once no
//! task runs, so tasks already flying finish their sortie.
//!
//! A stage exists only once the mission lets it start, so it starts at its first
//! plan: that sets `startTime`, from which `config.timeout` runs. The timeout is
//! the only timer ([`StagePlan::requeue_after`]); everything else is driven by
//! watches. On timeout or cancellation the stage fails at once and its running
//! tasks are listed to stop; they show as Failed in the stage's status.
//!
//! **A retry re-runs only what failed.** When the mission controller passes a
//! retry request on to a Failed stage ([`keys::RETRY_REQUEST_ANNOTATION`]), the plan
//! hands it on to the failed FlightTasks ([`StagePlan::rerun_tasks`], asked
//! before the status is written), which run again in place with fresh pods
//! and retries (see [`super::retry`]), and makes the stage Running again with
//! a fresh `startTime`, so the timeout counts from the retry. Succeeded tasks
//! stay as they are; tasks stopped or never started start when their
//! dependencies succeed. `status.lastHandledRetry` records the request, so it
//! is acted on once; a crash before that write repeats the idempotent asks.

mod model;
mod status;
#[cfg(test)]
mod tests;

pub use model::{StageObserved, StagePlan};

use kube::ResourceExt;

use self::model::{Run, check, phase, short_name};
use super::report;
use crate::api::keys;
use crate::api::{FlightTask, FlightTaskPhase, MissionStageStatus, StagePhase};

/// Decides the stage's next step; see the module doc.
pub fn plan(observed: &StageObserved<'_>) -> StagePlan {
    let old = observed.stage.status.clone().unwrap_or_default();
    let retry_request = (observed.retry_request)
        .filter(|_| old.phase == Some(StagePhase::Failed))
        .filter(|request| old.last_handled_retry.as_deref() != Some(*request));
    if let Some(request) = retry_request {
        return retry(observed, &old, request);
    }
    if old.phase.is_some_and(StagePhase::is_finished) {
        return status::finished(observed, &old);
    }
    match check(&observed.stage.spec) {
        Ok(checked) => {
            let run = Run::observe(observed, &old, &checked);
            let verdict = status::verdict(observed, &run, &checked.names);
            status::assemble(observed, &old, &run, &checked.instances, verdict)
        }
        Err(message) => status::invalid(observed, &old, &message),
    }
}

/// The plan that honours a retry request: the stage planned as it will be once
/// its failed tasks were asked to run again (see the module doc).
fn retry(observed: &StageObserved<'_>, old: &MissionStageStatus, request: &str) -> StagePlan {
    let checked = match check(&observed.stage.spec) {
        Ok(checked) => checked,
        Err(message) => return status::invalid(observed, old, &message),
    };
    let failed = |task: &FlightTask| {
        task.metadata.deletion_timestamp.is_none() && phase(task) == FlightTaskPhase::Failed
    };
    let mut rerun_tasks: Vec<String> = (observed.tasks.iter())
        .filter(|task| failed(task))
        .map(|task| task.name_any())
        .collect();
    rerun_tasks.sort();
    let asked_tasks: Vec<FlightTask> = (observed.tasks.iter().cloned())
        .map(|mut task| {
            if failed(&task) {
                (task.annotations_mut()).insert(
                    keys::RETRY_REQUEST_ANNOTATION.to_string(),
                    request.to_string(),
                );
            }
            task
        })
        .collect();
    let asked = StageObserved {
        tasks: &asked_tasks,
        ..observed.clone()
    };
    let fresh = MissionStageStatus {
        phase: Some(StagePhase::Running),
        start_time: None,
        completion_time: None,
        last_handled_retry: Some(request.to_string()),
        ..old.clone()
    };
    let run = Run::observe(&asked, &fresh, &checked);
    let verdict = status::verdict(&asked, &run, &checked.names);
    let mut plan = status::assemble(&asked, &fresh, &run, &checked.instances, verdict);
    let mut short: Vec<&str> = (observed.tasks.iter())
        .filter(|task| failed(task))
        .filter_map(short_name)
        .collect();
    short.sort_unstable();
    plan.events
        .insert(0, report::retry_requested(status::retry_note(&short)));
    plan.rerun_tasks = rerun_tasks;
    plan
}
