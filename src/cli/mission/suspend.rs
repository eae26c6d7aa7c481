//! `kubectl airforce mission suspend NAME…`: sets `spec.suspend`, so no new
//! stage or flight task starts while those running finish (with `--now`,
//! `spec.suspendMode: stop`: running ones are stopped and run again on
//! resume without spending a retry); `mission resume` clears both (see
//! [`set`]). Being a spec field, the same can be done with
//! `kubectl patch` or from a GitOps repository, and the operator acts on
//! it whenever it runs.

use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use kube::Api;
use kube::api::{Patch, PatchParams};
use serde_json::json;

use super::named::read_all;
use crate::api::field_managers;
use crate::api::{Mission, MissionPhase, SuspendMode};
use crate::cli::GlobalArgs;

/// Hold missions: no new stage or flight task starts; running ones finish
#[derive(Debug, Args)]
pub struct SuspendArgs {
    /// The missions to suspend
    #[arg(required = true, value_name = "MISSION", value_parser = crate::cli::mission::named::mission_name, add = crate::cli::complete_names::missions())]
    pub missions: Vec<String>,
    /// Also stop the flight tasks running now (their weapons are told to
    /// Abort, their pods deleted); they run again on resume without spending
    /// a retry
    #[arg(long)]
    pub now: bool,
}

pub async fn run(args: SuspendArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let mode = if args.now {
        SuspendMode::Stop
    } else {
        SuspendMode::Finish
    };
    set(&args.missions, Some(mode), global).await
}

/// Suspends every named mission that has not finished as `suspension` says,
/// or resumes it (None), after reading them all so a typo changes nothing.
pub(super) async fn set(
    names: &[String],
    suspension: Option<SuspendMode>,
    global: &GlobalArgs,
) -> anyhow::Result<ExitCode> {
    let cluster = crate::cli::connect(global).await?;
    crate::cli::ensure_crds(&cluster.client).await?;
    let namespace = &cluster.namespace;
    let api: Api<Mission> = Api::namespaced(cluster.client.clone(), namespace);
    let verb = match suspension {
        Some(SuspendMode::Finish) => "suspended",
        Some(SuspendMode::Stop) => "suspended, its running flight tasks stopped",
        None => "resumed",
    };
    let undone = if suspension.is_some() {
        "suspended"
    } else {
        "resumed"
    };
    let missions = read_all(&api, names, namespace, undone).await?;
    let patch = match suspension {
        Some(mode) => json!({ "spec": { "suspend": true, "suspendMode": mode } }),
        None => json!({ "spec": { "suspend": null, "suspendMode": null } }),
    };
    for (name, mission) in missions {
        let phase = (mission.status.as_ref()).and_then(|status| status.phase);
        if phase.is_some_and(MissionPhase::is_finished) {
            eprintln!("mission {name} already finished ({phase:?}): left as it is");
            continue;
        }
        if mission.spec.suspension() == suspension {
            eprintln!("mission {name} is already {undone} so: left as it is");
            continue;
        }
        let params = PatchParams::apply(field_managers::CLI);
        (api.patch(name, &params, &Patch::Merge(&patch)).await).with_context(|| {
            format!("cannot mark mission {name} in namespace {namespace} {verb}")
        })?;
        outln!("mission.airforce.mil/{name} {verb}");
    }
    Ok(ExitCode::SUCCESS)
}
