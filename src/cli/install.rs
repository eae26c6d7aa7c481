//! `kubectl airforce install` (being written).

use std::process::ExitCode;

use clap::Args;

use super::GlobalArgs;

#[derive(Debug, Args)]
pub struct InstallArgs {}

pub async fn run(_args: InstallArgs, _global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("install is being written")
}
