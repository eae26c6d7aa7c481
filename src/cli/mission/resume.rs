//! `kubectl airforce mission resume NAME…`: clears `spec.suspend` (and
//! `suspendMode`), so the stages and flight tasks a suspension held back or
//! stopped start (see
//! [`super::suspend`]).

use std::process::ExitCode;

use clap::Args;

use crate::cli::GlobalArgs;

/// Carry on with suspended missions
#[derive(Debug, Args)]
pub struct ResumeArgs {
    /// The missions to resume
    #[arg(required = true, value_name = "MISSION", value_parser = crate::cli::mission::named::mission_name, add = crate::cli::complete_names::missions())]
    pub missions: Vec<String>,
}

pub async fn run(args: ResumeArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    super::suspend::set(&args.missions, None, global).await
}
