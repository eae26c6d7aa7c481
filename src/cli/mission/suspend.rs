//! `kubectl airforce mission suspend NAME…`: sets `spec.suspend`, so no new
//! stage or flight task starts while those running finish; `mission resume`
//! clears it (see [`set`]). Being a spec field, the same can be done with
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
use crate::api::{Mission, MissionPhase};
use crate::cli::GlobalArgs;

/// Hold missions: no new stage or flight task starts; running ones finish
#[derive(Debug, Args)]
pub struct SuspendArgs {
    /// The missions to suspend
    #[arg(required = true, value_name = "MISSION")]
    pub missions: Vec<String>,
}

pub async fn run(args: SuspendArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    set(&args.missions, true, global).await
}

/// Sets (or clears) `spec.suspend` on every named mission that has not
/// finished, after reading them all so a typo changes nothing.
pub(super) async fn set(
    names: &[String],
    suspend: bool,
    global: &GlobalArgs,
) -> anyhow::Result<ExitCode> {
    let cluster = crate::cli::connect(global).await?;
    crate::cli::ensure_crds(&cluster.client).await?;
    let namespace = &cluster.namespace;
    let api: Api<Mission> = Api::namespaced(cluster.client.clone(), namespace);
    let (verb, undone) = match suspend {
        true => ("suspended", "suspended"),
        false => ("resumed", "resumed"),
    };
    let missions = read_all(&api, names, namespace, undone).await?;
    let value = if suspend { json!(true) } else { json!(null) };
    let patch = json!({ "spec": { "suspend": value } });
    for (name, mission) in missions {
        let phase = (mission.status.as_ref()).and_then(|status| status.phase);
        if phase.is_some_and(MissionPhase::is_finished) {
            eprintln!("mission {name} already finished ({phase:?}): left as it is");
            continue;
        }
        if mission.spec.is_suspended() == suspend {
            eprintln!("mission {name} is already {verb}");
            continue;
        }
        let params = PatchParams::apply(field_managers::CLI);
        (api.patch(name, &params, &Patch::Merge(&patch)).await).with_context(|| {
            format!("cannot mark mission {name} in namespace {namespace} {verb}")
        })?;
        println!("mission.airforce.mil/{name} {verb}");
    }
    Ok(ExitCode::SUCCESS)
}
