//! `kubectl airforce mission cancel`: asks the mission controller to stop a
//! mission. The request is the `airforce.mil/cancel` annotation, so it
//! survives an operator restart and shows in `kubectl get -o yaml`; the
//! controller starts nothing new, cancels running stages (their pods are
//! stopped) and the mission ends Cancelled. With `--stage` (and `--task`)
//! only that part stops (see [`super::cancel_part`]).

use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;
use kube::Api;

use super::cancel_part::{self, Part};
use super::cancel_request;
use super::named::{Selection, missions_phrase};
use crate::api::{Mission, MissionPhase};
use crate::cli::{GlobalArgs, confirm::confirm};

/// Stop running missions, or one stage or task of one: nothing new starts, running stages and their pods stop
#[derive(Debug, Args)]
pub struct CancelArgs {
    #[command(flatten)]
    pub selection: Selection,
    /// Stop only this stage of the mission (its spec name); the rest flies on
    /// and the mission's failure policy decides what follows
    #[arg(long, value_name = "STAGE")]
    pub stage: Option<String>,
    /// With --stage: stop only this task of the stage (its spec name, or
    /// `name-N` for a replica)
    #[arg(long, value_name = "TASK", requires = "stage")]
    pub task: Option<String>,
    /// Do not ask for confirmation (needed when not on a terminal)
    #[arg(short = 'y', long)]
    pub yes: bool,
}

pub async fn run(args: CancelArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    if let Some(stage) = args.stage.as_deref() {
        let [mission] = args.selection.missions.as_slice() else {
            bail!("--stage names a stage of one mission: give exactly one MISSION");
        };
        let part = Part {
            mission,
            stage,
            task: args.task.as_deref(),
        };
        return cancel_part::run(part, args.yes, global).await;
    }
    let cluster = crate::cli::connect(global).await?;
    crate::cli::ensure_crds(&cluster.client).await?;
    let namespace = &cluster.namespace;
    let api: Api<Mission> = Api::namespaced(cluster.client.clone(), namespace);
    let missions = (args.selection).read(&api, namespace, "cancelled").await?;
    // Named missions each get a word when left alone; those picked by --all
    // or -l that have nothing to stop are skipped quietly.
    let say = |text: String| {
        if args.selection.by_name() {
            eprintln!("{text}");
        }
    };
    let to_cancel: Vec<&str> = (missions.iter())
        .filter_map(|(name, mission)| match nothing_to_cancel(mission) {
            Some(why) => {
                say(format!("mission {name} {why}"));
                None
            }
            None => Some(name.as_str()),
        })
        .collect();
    if to_cancel.is_empty() {
        if !args.selection.by_name() {
            eprintln!("No running missions to cancel in namespace {namespace}.");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let prompt = format!(
        "Cancel {}? Running stages stop and so do their pods.",
        missions_phrase(&to_cancel)
    );
    if !confirm(&prompt, args.yes)? {
        bail!("nothing was cancelled");
    }
    for name in to_cancel {
        cancel_request::request_cancel(&api, name)
            .await
            .with_context(|| format!("cannot cancel mission {name} in namespace {namespace}"))?;
        outln!("mission.airforce.mil/{name} cancel requested");
    }
    Ok(ExitCode::SUCCESS)
}

/// Why a cancel leaves `mission` alone ("already finished …"), or `None`
/// when it is running and can be cancelled.
pub(crate) fn nothing_to_cancel(mission: &Mission) -> Option<String> {
    match phase(mission) {
        finished if finished.is_finished() => {
            Some(format!("already finished ({finished:?}): left as it is"))
        }
        _ if crate::controller::apply::is_cancelled(mission) => {
            Some("is already being cancelled".to_string())
        }
        _ => None,
    }
}

fn phase(mission: &Mission) -> MissionPhase {
    (mission.status.as_ref())
        .and_then(|status| status.phase)
        .unwrap_or_default()
}
