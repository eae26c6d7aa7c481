//! `kubectl airforce mission cancel MISSION --stage S [--task T]`: stops one
//! stage, or one task of it, while the rest of the mission flies. The request
//! is the same `airforce.mil/cancel` annotation, set on the MissionStage or
//! the FlightTask itself, so it survives an operator restart and is acted on
//! once. A stopped stage or task ends Failed with reason Cancelled and counts
//! as failed for the mission's failure policy; a task's armed weapons are told
//! to Abort before its pod stops.

use std::process::ExitCode;

use anyhow::{Context, bail};
use kube::{Api, Resource};
use serde::de::DeserializeOwned;

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
            let target = Target {
                name: &stage_name,
                kind: "missionstage",
                missing: format!(
                    "stage {stage} of mission {mission} has not started (no MissionStage {stage_name} in namespace {namespace}): there is nothing to stop"
                ),
                prompt: format!(
                    "Stop stage {stage} of mission {mission}? Its running tasks stop and it counts as failed."
                ),
            };
            let finished = |found: &MissionStage| {
                (found.status.as_ref())
                    .and_then(|s| s.phase)
                    .is_some_and(|p| p.is_finished())
            };
            stop(&stages, target, finished, yes).await
        }
        Some(task) => {
            let task_name = names::flight_task(mission, stage, task);
            let tasks: Api<FlightTask> = Api::namespaced(cluster.client, namespace);
            let target = Target {
                name: &task_name,
                kind: "flighttask",
                missing: format!(
                    "task {task} of stage {stage} has not started (no FlightTask {task_name} in namespace {namespace}): there is nothing to stop"
                ),
                prompt: format!(
                    "Stop task {task} of stage {stage} of mission {mission}? Its pod is stopped and it counts as failed."
                ),
            };
            let finished = |found: &FlightTask| {
                (found.status.as_ref())
                    .and_then(|s| s.phase)
                    .is_some_and(|p| p.is_finished())
            };
            stop(&tasks, target, finished, yes).await
        }
    }
}

/// The stage or task a cancel names, and what to say about it.
struct Target<'a> {
    name: &'a str,
    /// The resource, as `kubectl get` names it.
    kind: &'static str,
    missing: String,
    prompt: String,
}

/// Asks `target` to stop, unless it has finished or was asked already.
async fn stop<K>(
    api: &Api<K>,
    target: Target<'_>,
    finished: impl Fn(&K) -> bool,
    yes: bool,
) -> anyhow::Result<ExitCode>
where
    K: Resource + Clone + DeserializeOwned + std::fmt::Debug,
{
    let name = target.name;
    let found = (api.get_opt(name).await).with_context(|| format!("cannot read {name}"))?;
    let found = found.with_context(|| target.missing.clone())?;
    if finished(&found) || is_cancelled(&found) {
        eprintln!("{name} has already finished or is being stopped: left as it is");
        return Ok(ExitCode::SUCCESS);
    }
    if !confirm(&target.prompt, yes)? {
        bail!("nothing was cancelled");
    }
    super::cancel_request::request_cancel(api, name)
        .await
        .with_context(|| format!("cannot ask {name} to stop"))?;
    outln!("{}.airforce.mil/{name} cancel requested", target.kind);
    Ok(ExitCode::SUCCESS)
}
