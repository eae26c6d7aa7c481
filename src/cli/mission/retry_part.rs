//! `kubectl airforce mission retry MISSION --stage S [--task T]`: runs the
//! failed tasks of one failed stage again, or one failed task, while the rest
//! of the mission flies. The request is the retry annotation (the time it was
//! made) on the MissionStage or the FlightTask itself; the object records the
//! last request it acted on, so the request survives an operator restart and
//! is acted on once. Succeeded tasks are kept; each failed one runs anew in
//! place with fresh retries. With `--include-succeeded` every task of the
//! stage runs again, in the stage's order.

use std::process::ExitCode;

use anyhow::{Context, bail};
use k8s_openapi::jiff::Timestamp;
use kube::Api;
use kube::api::{Patch, PatchParams};
use serde_json::json;

use crate::api::field_managers;
use crate::api::keys::{
    CANCEL_ANNOTATION, RETRY_INCLUDES_SUCCEEDED_ANNOTATION, RETRY_REQUEST_ANNOTATION,
};
use crate::api::{FlightTask, FlightTaskPhase, Mission, MissionStage, StagePhase};
use crate::cli::GlobalArgs;
use crate::controller::{names, retry};

/// The part of a mission a retry names.
pub struct Part<'a> {
    pub mission: &'a str,
    pub stage: &'a str,
    pub task: Option<&'a str>,
    /// Run the stage's succeeded tasks again too.
    pub include_succeeded: bool,
}

pub async fn run(part: Part<'_>, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let cluster = crate::cli::connect(global).await?;
    crate::cli::ensure_crds(&cluster.client).await?;
    let namespace = &cluster.namespace;
    let client = cluster.client;
    let Part {
        mission,
        stage,
        task,
        include_succeeded,
    } = part;
    let missions: Api<Mission> = Api::namespaced(client.clone(), namespace);
    let found = (missions.get_opt(mission).await)
        .with_context(|| format!("cannot read mission {mission} in namespace {namespace}"))?
        .with_context(|| format!("mission {mission} not found in namespace {namespace}"))?;
    if (found.status.as_ref())
        .and_then(|s| s.phase)
        .is_some_and(|p| p.is_finished())
    {
        bail!(
            "mission {mission} has finished: retry the whole mission with \
             `kubectl airforce mission retry {mission}`; nothing was retried"
        );
    }
    let stages: Api<MissionStage> = Api::namespaced(client.clone(), namespace);
    let stage_name = names::stage(mission, stage);
    let found_stage = (stages.get_opt(&stage_name).await)
        .with_context(|| format!("cannot read MissionStage {stage_name}"))?
        .with_context(|| {
            format!("stage {stage} of mission {mission} has not started (no MissionStage {stage_name}): there is nothing to retry")
        })?;
    let stage_phase = (found_stage.status.as_ref()).and_then(|s| s.phase);
    let request = Timestamp::now().to_string();
    match task {
        None => {
            if stage_phase != Some(StagePhase::Failed) {
                bail!(
                    "stage {stage} of mission {mission} is {:?}, not Failed: only a failed stage's tasks run again; nothing was retried",
                    stage_phase.unwrap_or_default()
                );
            }
            let handled =
                (found_stage.status.as_ref()).and_then(|s| s.last_handled_retry.as_deref());
            if retry::request(&found_stage).is_some_and(|asked| Some(asked) != handled) {
                bail!(
                    "stage {stage_name} already has a retry the operator has not acted on yet (is `kubectl airforce run` or the installed operator running?)"
                );
            }
            ask(&stages, &stage_name, &request, include_succeeded).await?;
            let what = match include_succeeded {
                true => "every task runs again, in order",
                false => "its failed tasks run again",
            };
            outln!("missionstage.airforce.mil/{stage_name} retry requested: {what}");
        }
        Some(task) => {
            if stage_phase == Some(StagePhase::Failed) {
                bail!(
                    "stage {stage} of mission {mission} has failed: retry the stage with --stage {stage} (without --task) to run its failed tasks again; nothing was retried"
                );
            }
            let tasks: Api<FlightTask> = Api::namespaced(client, namespace);
            let task_name = names::flight_task(mission, stage, task);
            let found_task = (tasks.get_opt(&task_name).await)
                .with_context(|| format!("cannot read FlightTask {task_name}"))?
                .with_context(|| format!("task {task} of stage {stage} has not started (no FlightTask {task_name}): there is nothing to retry"))?;
            let status = found_task.status.as_ref();
            let phase = status.and_then(|s| s.phase).unwrap_or_default();
            if phase != FlightTaskPhase::Failed {
                bail!(
                    "task {task_name} is {phase:?}, not Failed: only a failed task runs again; nothing was retried"
                );
            }
            let handled = status.and_then(|s| s.last_handled_retry.as_deref());
            if retry::request(&found_task).is_some_and(|asked| Some(asked) != handled) {
                bail!(
                    "task {task_name} already has a retry the operator has not acted on yet (is `kubectl airforce run` or the installed operator running?)"
                );
            }
            ask(&tasks, &task_name, &request, false).await?;
            outln!(
                "flighttask.airforce.mil/{task_name} retry requested: it runs again with fresh retries"
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the retry request on `name`, lifting a cancellation; whether it
/// includes succeeded tasks is said too, so an earlier request's answer
/// does not carry over.
async fn ask<K>(
    api: &Api<K>,
    name: &str,
    request: &str,
    include_succeeded: bool,
) -> anyhow::Result<()>
where
    K: kube::Resource + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let annotations = json!({
        RETRY_REQUEST_ANNOTATION: request,
        CANCEL_ANNOTATION: null,
        RETRY_INCLUDES_SUCCEEDED_ANNOTATION: include_succeeded.then_some("true"),
    });
    let patch = json!({ "metadata": { "annotations": annotations } });
    api.patch(
        name,
        &PatchParams::apply(field_managers::CLI),
        &Patch::Merge(&patch),
    )
    .await
    .with_context(|| format!("cannot ask {name} to run again"))?;
    Ok(())
}
