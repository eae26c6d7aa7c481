//! `kubectl airforce mission retry`: asks the mission controller to run the
//! failed work of failed missions again, as `argo retry` does. The request is
//! the `airforce.mil/retry-requested-at` annotation (the time of the request),
//! so it survives an operator restart and is acted on exactly once; succeeded
//! stages and tasks are kept, failed tasks run again with fresh retries, and
//! stages the failure kept from starting start once their dependencies succeed.

use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;
use k8s_openapi::jiff::Timestamp;
use kube::Api;
use kube::api::{Patch, PatchParams};
use serde_json::json;

use super::named::Selection;
use super::retry_part;
use crate::api::field_managers;
use crate::api::keys::{CANCEL_ANNOTATION, RETRY_REQUEST_ANNOTATION};
use crate::api::{Mission, MissionPhase, StagePhase};
use crate::cli::GlobalArgs;

/// Run the failed flight tasks of failed missions again; what succeeded is kept
#[derive(Debug, Args)]
pub struct RetryArgs {
    #[command(flatten)]
    pub selection: Selection,
    /// Retry only this failed stage of a running mission: its failed tasks
    /// run again while the rest of the mission flies
    #[arg(long, value_name = "STAGE")]
    pub stage: Option<String>,
    /// With --stage: retry only this failed task of a stage that still runs
    #[arg(long, value_name = "TASK", requires = "stage")]
    pub task: Option<String>,
    /// With --stage: run the stage's succeeded tasks again too, each once the
    /// tasks it depends on have run again
    #[arg(long, requires = "stage", conflicts_with = "task")]
    pub include_succeeded: bool,
}

pub async fn run(args: RetryArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    if let Some(stage) = args.stage.as_deref() {
        let [mission] = args.selection.missions.as_slice() else {
            bail!("--stage names a stage of one mission: give exactly one MISSION");
        };
        let part = retry_part::Part {
            mission,
            stage,
            task: args.task.as_deref(),
            include_succeeded: args.include_succeeded,
        };
        return retry_part::run(part, global).await;
    }
    let cluster = crate::cli::connect(global).await?;
    crate::cli::ensure_crds(&cluster.client).await?;
    let namespace = &cluster.namespace;
    let api: Api<Mission> = Api::namespaced(cluster.client.clone(), namespace);
    // Every named mission is checked before anything is written, so one that
    // cannot be retried leaves the others as they are too; of those picked by
    // --all or -l, the ones that cannot be retried are left out.
    let mut missions = args.selection.read(&api, namespace, "retried").await?;
    if args.selection.by_name() {
        for (name, mission) in &missions {
            if let Err(why) = retryable(mission) {
                bail!("mission {name} {why}: nothing was retried");
            }
        }
    } else {
        missions.retain(|(_, mission)| retryable(mission).is_ok());
        if missions.is_empty() {
            eprintln!("No failed or cancelled missions to retry in namespace {namespace}.");
        }
    }
    for (name, mission) in &missions {
        request_retry(&api, name)
            .await
            .with_context(|| format!("cannot retry mission {name} in namespace {namespace}"))?;
        outln!("mission.airforce.mil/{name} {}", what_reruns(mission));
    }
    if let [(name, _)] = missions.as_slice() {
        eprintln!("follow it with: kubectl airforce -n {namespace} watch {name}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Asks the mission controller to run the failed work again: the time of the
/// request, acted on once; a cancel asked before is withdrawn with it.
pub(crate) async fn request_retry(api: &Api<Mission>, name: &str) -> kube::Result<Mission> {
    let patch = json!({ "metadata": { "annotations": {
        RETRY_REQUEST_ANNOTATION: Timestamp::now().to_string(),
        CANCEL_ANNOTATION: null,
    } } });
    api.patch(
        name,
        &PatchParams::apply(field_managers::CLI),
        &Patch::Merge(&patch),
    )
    .await
}

/// Only a Failed mission has failed work to run again; one whose last retry
/// request the controller has not acted on yet would only be asked twice.
pub(crate) fn retryable(mission: &Mission) -> Result<(), String> {
    if crate::controller::retry::retry_pending(mission) {
        return Err(
            "already has a retry requested that the operator has not acted on yet \
                    (is `kubectl airforce run` or the installed operator running?)"
                .to_string(),
        );
    }
    let phase = (mission.status.as_ref()).and_then(|status| status.phase);
    match phase.unwrap_or_default() {
        MissionPhase::Failed | MissionPhase::Cancelled => Ok(()),
        MissionPhase::Succeeded => Err("succeeded: there is nothing to retry".to_string()),
        phase => Err(format!(
            "is {phase:?}, not Failed: only a failed mission can be retried \
             (stop it first with `kubectl airforce mission cancel`)"
        )),
    }
}

/// What the retry runs again, from the stages the status reports failed.
pub(crate) fn what_reruns(mission: &Mission) -> String {
    let summary = (mission.status.as_ref()).map(|status| status.stages_summary.as_slice());
    let failed: Vec<&str> = (summary.unwrap_or_default().iter())
        .filter(|stage| stage.phase == Some(StagePhase::Failed))
        .map(|stage| stage.name.as_str())
        .collect();
    crate::controller::mission_plan::retry_note(&failed)
}
