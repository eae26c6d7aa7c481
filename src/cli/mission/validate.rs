//! `kubectl airforce mission validate` (being written).

use std::process::ExitCode;

use clap::Args;

use crate::cli::GlobalArgs;

#[derive(Debug, Args)]
pub struct ValidateArgs {}

pub async fn run(_args: ValidateArgs, _global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("validate is being written")
}
