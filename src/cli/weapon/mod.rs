//! `kubectl airforce weapon …`

use std::process::ExitCode;

use clap::Subcommand;

use super::GlobalArgs;

pub mod check;
pub mod self_check;
pub mod serve;
pub mod status;
mod task_pod;
pub mod versions;

#[derive(Debug, Subcommand)]
pub enum WeaponCommand {
    /// Tell whether weapons can be carried: by an aircraft type, a node, or a mission's tasks
    ///
    /// Prints a table of pass/fail with the reason and exits 1 when anything fails.
    ///
    /// Examples:
    ///   kubectl airforce weapon check pl-15 --aircraft-type j20 --hardpoint internal-bay
    ///   kubectl airforce weapon check pl-15 --node j20-01
    ///   kubectl airforce weapon check --node j20-01          (every weapon in the namespace)
    ///   kubectl airforce weapon check -f examples/far-sea-strike.yaml -f examples/weapons.yaml
    #[command(verbatim_doc_comment)]
    Check(check::CheckArgs),
    /// Run one simulated weapon that serves the Weapon Interface Protocol over gRPC
    ///
    /// The reference weapon: the sidecar of a Weapon that names no image, and a
    /// stand-in for real weapons in tests. It takes its type, rounds and
    /// hardpoints from the flags or from the environment a weapon sidecar is
    /// given, logs every call, answers the gRPC health service, and serves
    /// Prometheus metrics (launches, remaining rounds, temperature, state).
    ///
    /// Examples:
    ///   kubectl airforce weapon serve --weapon-type air-to-air-missile --quantity 4
    ///   kubectl airforce weapon serve --weapon-type glide-bomb --listen 127.0.0.1:19001 --warm-up 0s
    ///   kubectl airforce weapon serve --weapon-type air-to-air-missile --fault "seeker offline"
    #[command(verbatim_doc_comment)]
    Serve(serve::ServeArgs),
    /// Ask every weapon of a task's running pod for its state, live
    ///
    /// Calls GetStatus on each weapon sidecar through the API server's pod
    /// port-forward and prints its state, rounds remaining, temperature, last
    /// self-check and version. Exits 1 when a weapon does not answer.
    ///
    /// Examples:
    ///   kubectl airforce weapon status far-sea-strike.air-superiority.escort-1
    ///   kubectl airforce weapon status far-sea-strike.strike.strike-1 -o json
    #[command(verbatim_doc_comment)]
    Status(status::StatusArgs),
    /// Have every weapon of a task's running pod check itself
    ///
    /// Calls SelfCheck on each weapon sidecar through the API server's pod
    /// port-forward and prints each component's verdict. A weapon that fails
    /// goes to FAULT, as the protocol says. Exits 1 when any check fails or a
    /// weapon does not answer.
    ///
    /// Examples:
    ///   kubectl airforce weapon self-check far-sea-strike.strike.strike-1
    #[command(verbatim_doc_comment)]
    SelfCheck(self_check::SelfCheckArgs),
    /// Print a weapon's version history: which is current, which are deprecated
    ///
    /// A task that arms a deprecated version is warned; from the version's
    /// deprecation date it is refused, unless the Weapon sets
    /// allowPastDeprecation. The table says where each deprecation stands today.
    ///
    /// Examples:
    ///   kubectl airforce weapon versions pl-15
    ///   kubectl airforce weapon versions pl-15 -o json
    #[command(verbatim_doc_comment)]
    Versions(versions::VersionsArgs),
}

impl WeaponCommand {
    pub async fn run(self, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
        match self {
            Self::Check(args) => check::run(args, global).await,
            Self::Serve(args) => serve::run(args).await,
            Self::Status(args) => status::run(args, global).await,
            Self::SelfCheck(args) => self_check::run(args, global).await,
            Self::Versions(args) => versions::run(args, global).await,
        }
    }

    /// A simulated weapon's log of its calls is what it is run for.
    pub fn least_verbosity(&self) -> u8 {
        match self {
            Self::Serve(_) => 1,
            Self::Check(_) | Self::Status(_) | Self::SelfCheck(_) | Self::Versions(_) => 0,
        }
    }
}
