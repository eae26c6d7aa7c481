//! `kubectl airforce mission list`: the missions of a namespace (or of all) as
//! `kubectl get` shows them; `-o` chooses the format, shared with `mission get`.

use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use k8s_openapi::jiff::Timestamp;
use kube::api::ListParams;
use kube::{Api, ResourceExt};

use crate::api::Mission;
use crate::cli::GlobalArgs;
use crate::output::color::Palette;
use crate::output::missions::{self, TableOptions};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    #[default]
    Table,
    Wide,
    Yaml,
    Json,
    Name,
}

/// List the missions with their phase, progress, retries and age
#[derive(Debug, Args)]
pub struct ListArgs {
    /// List the missions of every namespace
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// Only missions whose labels match, as kubectl's -l (e.g. team=blue,priority!=low)
    #[arg(short = 'l', long, value_name = "SELECTOR")]
    pub selector: Option<String>,
    /// Output format
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT", default_value_t)]
    pub output: OutputFormat,
}

pub async fn run(args: ListArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let cluster = crate::cli::connect(global).await?;
    crate::cli::ensure_crds(&cluster.client).await?;
    let api: Api<Mission> = if args.all_namespaces {
        Api::all(cluster.client.clone())
    } else {
        Api::namespaced(cluster.client.clone(), &cluster.namespace)
    };
    let mut params = ListParams::default();
    if let Some(selector) = &args.selector {
        params = params.labels(selector);
    }
    let place = if args.all_namespaces {
        "any namespace".to_string()
    } else {
        format!("namespace {}", cluster.namespace)
    };
    let mut listed = (api.list(&params).await)
        .with_context(|| format!("cannot list the missions in {place}"))?
        .items;
    listed.sort_by_key(|m| (m.namespace(), m.name_any()));
    if listed.is_empty() && matches!(args.output, OutputFormat::Table | OutputFormat::Wide) {
        eprintln!("No missions found in {place}.");
        return Ok(ExitCode::SUCCESS);
    }
    show(&listed, args.output, true, args.all_namespaces)?;
    Ok(ExitCode::SUCCESS)
}

/// Prints `missions` in `format`; `as_list` keeps a single object in a List,
/// as `kubectl get` does for a list command.
pub fn show(
    missions: &[Mission],
    format: OutputFormat,
    as_list: bool,
    show_namespace: bool,
) -> anyhow::Result<()> {
    let text = match format {
        OutputFormat::Table | OutputFormat::Wide => missions::table(
            missions,
            TableOptions {
                wide: format == OutputFormat::Wide,
                show_namespace,
                palette: Palette::for_stdout(),
                now: Timestamp::now(),
            },
        ),
        OutputFormat::Name => missions::names(missions),
        OutputFormat::Json => serde_json::to_string_pretty(&missions::document(missions, as_list))?,
        OutputFormat::Yaml => serde_yaml_ng::to_string(&missions::document(missions, as_list))?
            .trim_end()
            .to_string(),
    };
    if !text.is_empty() {
        outln!("{text}");
    }
    Ok(())
}
