//! `kubectl airforce mission …`

use std::process::ExitCode;

use clap::Subcommand;

use super::GlobalArgs;

pub mod cancel;
pub mod submit;
pub mod validate;

#[derive(Debug, Subcommand)]
pub enum MissionCommand {
    /// Check mission files offline and report every problem
    Validate(validate::ValidateArgs),
    /// Validate, then create or update missions with server-side apply
    Submit(submit::SubmitArgs),
    /// Stop running missions: nothing new starts, running stages stop, pods are deleted
    Cancel(cancel::CancelArgs),
}

impl MissionCommand {
    pub async fn run(self, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
        match self {
            Self::Validate(args) => validate::run(args, global).await,
            Self::Submit(args) => submit::run(args, global).await,
            Self::Cancel(args) => cancel::run(args, global).await,
        }
    }
}
