//! `kubectl airforce mission submit` (being written).

use std::process::ExitCode;

use clap::Args;

use crate::cli::GlobalArgs;

#[derive(Debug, Args)]
pub struct SubmitArgs {}

pub async fn run(_args: SubmitArgs, _global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("submit is being written")
}
