//! `kubectl airforce mission get NAME…`: named missions, in any `-o` format of
//! `mission list`. Every name is looked up; the ones found are shown, a
//! missing one is an error naming its namespace (exit 1), as kubectl does.

use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use kube::Api;

use super::list::{OutputArgs, Shown, show};
use crate::api::Mission;
use crate::cli::GlobalArgs;

/// Show missions by name: phase, progress, retries and age, or the whole objects
#[derive(Debug, Args)]
pub struct GetArgs {
    /// The missions to show
    #[arg(required = true, value_name = "MISSION", value_parser = crate::cli::mission::named::mission_name, add = crate::cli::complete_names::missions())]
    pub missions: Vec<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub async fn run(args: GetArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let cluster = crate::cli::connect(global).await?;
    crate::cli::ensure_crds(&cluster.client).await?;
    let namespace = &cluster.namespace;
    let api: Api<Mission> = Api::namespaced(cluster.client.clone(), namespace);
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for name in &args.missions {
        let mission = (api.get_opt(name).await)
            .with_context(|| format!("cannot read mission {name} in namespace {namespace}"))?;
        match mission {
            Some(mission) => found.push(mission),
            None => missing.push(name.as_str()),
        }
    }
    if !found.is_empty() {
        let shown = Shown {
            as_list: false,
            show_namespace: false,
            headers: true,
            label_columns: &args.output.label_columns,
        };
        show(&found, &args.output.format, shown)?;
    }
    if missing.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    anyhow::bail!(
        "mission{} {} not found in namespace {namespace} (`kubectl airforce mission list` shows the missions there)",
        if missing.len() > 1 { "s" } else { "" },
        missing.join(", ")
    )
}
