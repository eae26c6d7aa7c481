//! `kubectl airforce mission list`: the missions of a namespace (or of all) as
//! `kubectl get` shows them; `-o` chooses the format, shared with `mission get`.
//! `--phase` asks the API server for one phase (the CRD makes `status.phase`
//! a selectable field), `--sort-by` orders by any field.

use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use k8s_openapi::jiff::Timestamp;
use kube::api::ListParams;
use kube::{Api, ResourceExt};
use serde_json::Value;
use serde_json_path::JsonPath;

use crate::api::{Mission, MissionPhase};
use crate::cli::GlobalArgs;
use crate::cli::output_format::{OutputFormat, OutputFormatParser};
use crate::output::color::Palette;
use crate::output::jsonpath::relaxed_path;
use crate::output::missions::{self, TableOptions};

/// List the missions with their phase, progress, retries and age
#[derive(Debug, Args)]
pub struct ListArgs {
    /// List the missions of every namespace
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// Only missions whose labels match, as kubectl's -l (e.g. team=blue,priority!=low)
    #[arg(short = 'l', long, value_name = "SELECTOR")]
    pub selector: Option<String>,
    /// Only missions in this phase: Pending, Running, Succeeded or Failed
    #[arg(long, value_name = "PHASE", value_parser = parse_phase)]
    pub phase: Option<MissionPhase>,
    /// Order by this field, a JSONPath such as .metadata.creationTimestamp or
    /// {.status.phase} (default: by namespace and name)
    #[arg(long, value_name = "JSONPATH", value_parser = relaxed_path)]
    pub sort_by: Option<JsonPath>,
    /// Leave out the header line of a table
    #[arg(long)]
    pub no_headers: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `-o`, shared by `mission list` and `mission get`.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format: table, wide, yaml, json, name, jsonpath=TEMPLATE,
    /// jsonpath-file=FILE, custom-columns=SPEC or custom-columns-file=FILE
    #[arg(short = 'o', long = "output", value_name = "FORMAT", value_parser = OutputFormatParser, default_value = "table")]
    pub format: OutputFormat,
}

/// A `--phase` value, in any case.
fn parse_phase(text: &str) -> Result<MissionPhase, String> {
    (MissionPhase::ALL.into_iter())
        .find(|phase| format!("{phase:?}").eq_ignore_ascii_case(text))
        .ok_or_else(|| {
            format!("{text:?} is not a mission phase: use Pending, Running, Succeeded or Failed")
        })
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
    if let Some(phase) = args.phase {
        params = params.fields(&format!("status.phase={phase:?}"));
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
    if let Some(path) = &args.sort_by {
        listed = sort_by(listed, path);
    }
    if listed.is_empty() && args.output.format.is_table() {
        eprintln!("No missions found in {place}.");
        return Ok(ExitCode::SUCCESS);
    }
    let shown = Shown {
        as_list: true,
        show_namespace: args.all_namespaces,
        headers: !args.no_headers,
    };
    show(&listed, &args.output.format, shown)?;
    Ok(ExitCode::SUCCESS)
}

/// Orders `missions` by the first value `path` finds in each, as kubectl's
/// `--sort-by` does: numbers by value, everything else by its text; missions
/// without the field come first, and ties keep their order.
fn sort_by(missions: Vec<Mission>, path: &JsonPath) -> Vec<Mission> {
    let key = |mission: &Mission| {
        let value = serde_json::to_value(mission).unwrap_or(Value::Null);
        match path.query(&value).all().first() {
            None => (0, 0.0, String::new()),
            Some(Value::Number(number)) => (1, number.as_f64().unwrap_or_default(), String::new()),
            Some(other) => (2, 0.0, crate::output::jsonpath::text_of(other)),
        }
    };
    let mut keyed: Vec<_> = missions.into_iter().map(|m| (key(&m), m)).collect();
    keyed.sort_by(|(a, _), (b, _)| {
        (a.0.cmp(&b.0))
            .then(a.1.total_cmp(&b.1))
            .then_with(|| a.2.cmp(&b.2))
    });
    keyed.into_iter().map(|(_, mission)| mission).collect()
}

/// How a set of missions is shown besides its format.
#[derive(Debug, Clone, Copy)]
pub struct Shown {
    /// Keep a single object in a List, as `kubectl get` does for a list.
    pub as_list: bool,
    pub show_namespace: bool,
    /// Print the header line of a table.
    pub headers: bool,
}

/// Prints `missions` in `format`.
pub fn show(missions: &[Mission], format: &OutputFormat, shown: Shown) -> anyhow::Result<()> {
    let document = || missions::document(missions, shown.as_list);
    let text = match format {
        OutputFormat::Table | OutputFormat::Wide => missions::table(
            missions,
            TableOptions {
                wide: matches!(format, OutputFormat::Wide),
                show_namespace: shown.show_namespace,
                headers: shown.headers,
                palette: Palette::for_stdout(),
                now: Timestamp::now(),
            },
        ),
        OutputFormat::Name => missions::names(missions),
        OutputFormat::Json => serde_json::to_string_pretty(&document())?,
        OutputFormat::Yaml => serde_yaml_ng::to_string(&document())?
            .trim_end()
            .to_string(),
        OutputFormat::JsonPath(template) => {
            // As kubectl prints it: exactly what the template says, no newline added.
            out!("{}", template.render(&document()));
            return Ok(());
        }
        OutputFormat::CustomColumns(columns) => {
            columns.render(&missions::items(missions), shown.headers)
        }
    };
    if !text.is_empty() {
        outln!("{text}");
    }
    Ok(())
}
