//! `kubectl airforce mission cancel MISSION --stage S [--task T]`: stops one
//! stage, or one task of it, while the rest of the mission flies. The request
//! is the same `airforce.mil/cancel` annotation, set on the MissionStage or
//! the FlightTask itself, so it survives an operator restart and is acted on
//! once. A stopped stage or task ends Failed with reason Cancelled and counts
//! as failed for the mission's failure policy; a task's armed weapons are told
//! to Abort before its pod goes.

use std::process::ExitCode;

use anyhow::{Context, bail};
use kube::api::{Patch, PatchParams};
use kube::{Api, Resource};
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::api::field_managers;
use crate::api::keys::CANCEL_ANNOTATION;
use crate::api::{FlightTask, MissionStage};
use crate::cli::{GlobalArgs, confirm::confirm};
use crate::controller::apply::is_cancelled;
use crate::controller::names;

/// The part of a mission a cancel names.
pub struct Part<'a> {
    pub mission: &'a str,
    pub stage: &'a str,
    pub task: Option<&'a str>,
}

pub async fn run(part: Part<'_>, yes: bool, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let cluster = crate::cli::connect(global).await?;
    crate::cli::ensure_crds(&cluster.client).await?;
    let namespace = &cluster.namespace;
    let Part {
        mission,
        stage,
        task,
    } = part;
    let stage_name = names::stage(mission, stage);
    match task {
        None => {
            let stages: Api<MissionStage> = Api::namespaced(cluster.client, namespace);
            let found = read(&stages, &stage_name, || {
                format!("stage {stage} of mission {mission} has not started (no MissionStage {stage_name} in namespace {namespace}): there is nothing to stop")
            })
            .await?;
            let finished = (found.status.as_ref())
                .and_then(|s| s.phase)
                .is_some_and(|p| p.is_finished());
            if finished || is_cancelled(&found) {
                eprintln!(
                    "stage {stage} of mission {mission} has already finished or is being stopped: left as it is"
                );
                return Ok(ExitCode::SUCCESS);
            }
            let prompt = format!(
                "Stop stage {stage} of mission {mission}? Its running tasks stop and it counts as failed."
            );
            ask(&prompt, yes)?;
            request(&stages, &stage_name).await?;
            println!("missionstage.airforce.mil/{stage_name} cancel requested");
        }
        Some(task) => {
            let task_name = names::flight_task(mission, stage, task);
            let tasks: Api<FlightTask> = Api::namespaced(cluster.client, namespace);
            let found = read(&tasks, &task_name, || {
                format!("task {task} of stage {stage} has not started (no FlightTask {task_name} in namespace {namespace}): there is nothing to stop")
            })
            .await?;
            let finished = (found.status.as_ref())
                .and_then(|s| s.phase)
                .is_some_and(|p| p.is_finished());
            if finished || is_cancelled(&found) {
                eprintln!(
                    "task {task_name} has already finished or is being stopped: left as it is"
                );
                return Ok(ExitCode::SUCCESS);
            }
            let prompt = format!(
                "Stop task {task} of stage {stage} of mission {mission}? Its pod is deleted and it counts as failed."
            );
            ask(&prompt, yes)?;
            request(&tasks, &task_name).await?;
            println!("flighttask.airforce.mil/{task_name} cancel requested");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn ask(prompt: &str, yes: bool) -> anyhow::Result<()> {
    if !confirm(prompt, yes)? {
        bail!("nothing was cancelled");
    }
    Ok(())
}

async fn read<K>(api: &Api<K>, name: &str, missing: impl Fn() -> String) -> anyhow::Result<K>
where
    K: Resource + Clone + DeserializeOwned + std::fmt::Debug,
{
    let found = (api.get_opt(name).await).with_context(|| format!("cannot read {name}"))?;
    found.with_context(missing)
}

async fn request<K>(api: &Api<K>, name: &str) -> anyhow::Result<()>
where
    K: Resource + Clone + DeserializeOwned + std::fmt::Debug,
{
    let patch = json!({ "metadata": { "annotations": { CANCEL_ANNOTATION: "true" } } });
    api.patch(
        name,
        &PatchParams::apply(field_managers::CLI),
        &Patch::Merge(&patch),
    )
    .await
    .with_context(|| format!("cannot ask {name} to stop"))?;
    Ok(())
}
