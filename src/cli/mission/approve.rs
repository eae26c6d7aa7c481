//! `kubectl airforce mission approve MISSION STAGE`: opens a stage waiting
//! at its approval gate (see [`super::gate_decision`]).

use std::process::ExitCode;

use clap::Args;

use super::gate_decision::{self, Asked};
use crate::api::gate::Decision;
use crate::cli::GlobalArgs;

#[derive(Debug, Args)]
pub struct ApproveArgs {
    /// The mission
    #[arg(value_name = "MISSION", value_parser = crate::cli::mission::named::mission_name, add = crate::cli::complete_names::missions())]
    pub mission: String,
    /// The stage waiting for approval (its name in the mission)
    #[arg(value_name = "STAGE")]
    pub stage: String,
    /// A note kept with the approval, in the stage's status and Event
    #[arg(long, short = 'm', value_name = "TEXT")]
    pub message: Option<String>,
}

pub async fn run(args: ApproveArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let asked = Asked {
        mission: &args.mission,
        stage: &args.stage,
        decision: Decision::Approve,
        message: args.message.as_deref(),
    };
    gate_decision::run(asked, global).await
}
