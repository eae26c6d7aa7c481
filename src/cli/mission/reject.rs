//! `kubectl airforce mission reject MISSION STAGE --reason …`: fails a stage
//! waiting at its approval gate; the mission's failure policy then applies
//! (see [`super::gate_decision`]).

use std::process::ExitCode;

use clap::Args;

use super::gate_decision::{self, Asked};
use crate::api::gate::Decision;
use crate::cli::GlobalArgs;

#[derive(Debug, Args)]
pub struct RejectArgs {
    /// The mission
    #[arg(value_name = "MISSION", value_parser = crate::cli::mission::named::mission_name, add = crate::cli::complete_names::missions())]
    pub mission: String,
    /// The stage waiting for approval (its name in the mission)
    #[arg(value_name = "STAGE")]
    pub stage: String,
    /// Why, kept in the stage's status and Event
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
}

pub async fn run(args: RejectArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let asked = Asked {
        mission: &args.mission,
        stage: &args.stage,
        decision: Decision::Reject,
        message: Some(&args.reason),
    };
    gate_decision::run(asked, global).await
}
