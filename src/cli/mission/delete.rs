//! `kubectl airforce mission delete NAME… | --all | -l SELECTOR`: deletes missions; their
//! stages, flight tasks and pods go with them through ownerReferences. With
//! `--wait` (the default, as kubectl) it returns once they are all gone.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{ArgAction, Args};
use kube::api::DeleteParams;
use kube::runtime::wait::{await_condition, conditions};
use kube::{Api, ResourceExt};

use super::named::{Selection, missions_phrase};
use crate::api::Mission;
use crate::cli::install::parse_duration;
use crate::cli::{GlobalArgs, confirm::confirm};

/// Delete missions with their stages, flight tasks and pods
#[derive(Debug, Args)]
pub struct DeleteArgs {
    #[command(flatten)]
    pub selection: Selection,
    /// Do not ask for confirmation (needed when not on a terminal)
    #[arg(short = 'y', long)]
    pub yes: bool,
    /// Wait until the missions and everything they own are gone (--wait=false returns at once)
    #[arg(long, default_value_t = true, action = ArgAction::Set, num_args = 0..=1,
          require_equals = true, default_missing_value = "true", value_name = "BOOL")]
    pub wait: bool,
    /// How long to wait (e.g. 30s, 2m)
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub timeout: Duration,
}

pub async fn run(args: DeleteArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let cluster = crate::cli::connect(global).await?;
    crate::cli::ensure_crds(&cluster.client).await?;
    let namespace = &cluster.namespace;
    let api: Api<Mission> = Api::namespaced(cluster.client.clone(), namespace);
    // Every name is looked up before anything is deleted, so a typo deletes nothing.
    // (name, uid): the uid tells a deleted mission from a new one of the same name.
    let found: Vec<(String, String)> = (args.selection.read(&api, namespace, "deleted").await?)
        .into_iter()
        .map(|(name, mission)| (name, mission.uid().unwrap_or_default()))
        .collect();
    if found.is_empty() {
        eprintln!("No missions in namespace {namespace}.");
        return Ok(ExitCode::SUCCESS);
    }
    let refs: Vec<&str> = found.iter().map(|(name, _)| name.as_str()).collect();
    let prompt = format!(
        "Delete {} in namespace {namespace}? Their stages, flight tasks and pods are deleted with them.",
        missions_phrase(&refs)
    );
    if !confirm(&prompt, args.yes)? {
        bail!("nothing was deleted");
    }
    // Foreground: a mission disappears only after what it owns, so waiting for
    // the mission is waiting for everything.
    for (name, _) in &found {
        match api.delete(name, &DeleteParams::foreground()).await {
            Ok(_) => outln!("mission.airforce.mil/{name} deleted"),
            Err(kube::Error::Api(status)) if status.is_not_found() => {
                outln!("mission.airforce.mil/{name} already gone")
            }
            Err(error) => {
                return Err(error).with_context(|| {
                    format!("cannot delete mission {name} in namespace {namespace}")
                });
            }
        }
    }
    if !args.wait {
        return Ok(ExitCode::SUCCESS);
    }
    for (name, uid) in &found {
        let gone = await_condition(api.clone(), name, conditions::is_deleted(uid));
        tokio::time::timeout(args.timeout, gone)
            .await
            .map_err(|_| {
                anyhow::anyhow!(
                    "mission {name} still exists after {}: its stages, tasks or pods are still being removed \
                     (see `kubectl get missionstages,flighttasks,pods -n {namespace}`)",
                    crate::api::duration::human(args.timeout)
                )
            })?
            .with_context(|| format!("cannot watch mission {name} being deleted"))?;
    }
    Ok(ExitCode::SUCCESS)
}
