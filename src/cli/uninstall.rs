//! `kubectl airforce uninstall`: removes what `install` created, refusing to
//! drop the CRDs (and every mission with them) unless told to.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Args;

use super::GlobalArgs;
use super::install::{operator_namespace, parse_duration};
use crate::install::{self, Deleted, InstallError, MissionCount};
use crate::kube_client::{self, Target};

/// Remove the operator and the CRDs that `install` created.
///
/// The CRDs go first; deleting them deletes every mission, stage, flight task and
/// weapon at once, as nothing of kubectl-airforce holds them with a finalizer.
/// While missions exist this is refused unless --force is given.
#[derive(Debug, Args)]
pub struct UninstallArgs {
    /// Also remove the CRDs while missions exist, deleting them and everything they own
    #[arg(long)]
    pub force: bool,
    /// Do not ask for confirmation (needed with --force when not on a terminal)
    #[arg(short = 'y', long)]
    pub yes: bool,
    /// Keep the CRDs and every object of their kinds; remove only the operator
    #[arg(long)]
    pub keep_crds: bool,
    /// How long to wait for the CRDs and the namespace to be gone (e.g. 30s, 2m)
    #[arg(long, value_name = "DURATION", default_value = "120s",
          value_parser = parse_duration)]
    pub timeout: Duration,
}

pub async fn run(args: UninstallArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let namespace = operator_namespace(global);
    let cluster = kube_client::connect(Target {
        namespace: None,
        ..global.target()
    })
    .await
    .context("cannot connect to the cluster to uninstall")?;
    let client = &cluster.client;
    let print = |deleted: &Deleted| outln!("{deleted}");
    if !args.keep_crds {
        let missions = install::count_missions(client)
            .await
            .context("cannot check whether missions would be deleted")?;
        confirm(&missions, &args)?;
        install::delete_api(client, args.timeout, print)
            .await
            .context("cannot remove the CRDs; the operator was left in place")?;
    }
    install::delete_operator(client, &namespace, args.timeout, print)
        .await
        .with_context(|| format!("cannot remove the operator from namespace {namespace}"))?;
    if args.keep_crds {
        eprintln!("The operator is removed; the CRDs and their objects were kept.");
    } else {
        eprintln!("kubectl-airforce is uninstalled.");
    }
    Ok(ExitCode::SUCCESS)
}

/// Lets the CRDs go only when no mission would go with them, or the user said so.
fn confirm(missions: &MissionCount, args: &UninstallArgs) -> anyhow::Result<()> {
    if missions.is_empty() {
        return Ok(());
    }
    if !args.force {
        return Err(InstallError::MissionsExist(missions.clone()).into());
    }
    let prompt = match missions.total() {
        1 => "This deletes 1 mission and everything it owns. Continue?".to_string(),
        n => format!("This deletes {n} missions and everything they own. Continue?"),
    };
    let go_ahead = super::confirm::confirm(&prompt, args.yes)?;
    if !go_ahead {
        bail!("uninstall cancelled: nothing was deleted");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(force: bool, yes: bool) -> UninstallArgs {
        UninstallArgs {
            force,
            yes,
            keep_crds: false,
            timeout: Duration::from_secs(1),
        }
    }

    fn two_missions() -> MissionCount {
        MissionCount {
            by_namespace: [("alpha".to_string(), 2)].into(),
        }
    }

    #[test]
    fn no_missions_need_no_confirmation() {
        assert!(confirm(&MissionCount::default(), &args(false, false)).is_ok());
    }

    #[test]
    fn missions_without_force_are_refused_with_the_way_out() {
        let error = confirm(&two_missions(), &args(false, false)).unwrap_err();
        assert!(error.to_string().contains("--force"), "{error}");
    }

    #[test]
    fn force_with_yes_goes_ahead_without_asking() {
        assert!(confirm(&two_missions(), &args(true, true)).is_ok());
    }
}
