//! `kubectl airforce uninstall` (being written).

use std::process::ExitCode;

use clap::Args;

use super::GlobalArgs;

#[derive(Debug, Args)]
pub struct UninstallArgs {}

pub async fn run(_args: UninstallArgs, _global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("uninstall is being written")
}
