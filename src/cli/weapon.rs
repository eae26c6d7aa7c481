//! `kubectl airforce weapon …` (being written).

use std::process::ExitCode;

use clap::Subcommand;

use super::GlobalArgs;

#[derive(Debug, Subcommand)]
pub enum WeaponCommand {
    /// Check compatibility
    Check,
}

impl WeaponCommand {
    pub async fn run(self, _global: &GlobalArgs) -> anyhow::Result<ExitCode> {
        anyhow::bail!("weapon check is being written")
    }
}
