//! `kubectl airforce weapon …`

use std::process::ExitCode;

use clap::Subcommand;

use super::GlobalArgs;

pub mod check;
pub mod serve;

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
}

impl WeaponCommand {
    pub async fn run(self, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
        match self {
            Self::Check(args) => check::run(args, global).await,
            Self::Serve(args) => serve::run(args).await,
        }
    }

    /// A simulated weapon's log of its calls is what it is run for.
    pub fn least_verbosity(&self) -> u8 {
        match self {
            Self::Serve(_) => 1,
            Self::Check(_) => 0,
        }
    }
}
