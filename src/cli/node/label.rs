//! `kubectl airforce node label`: set aircraft labels and annotations on
//! nodes, checked before anything is written.
//!
//! Everything is validated first — every value, and that every node named
//! exists — so one typo writes nothing. Each node then gets one JSON merge
//! patch of just the keys that change, conditional on the resourceVersion that
//! was read (re-read and re-planned on a conflict). When several nodes change,
//! the API server checks every patch in a dry run before the first is saved.

mod apply;
mod targets;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use clap::Args;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use comfy_table::{Attribute, Cell, Color};
use k8s_openapi::api::core::v1::Node;
use kube::{Api, ResourceExt};

use self::targets::{Target, Targets};
use super::aircraft_key::AircraftKey;
use super::fleet;
use super::label_plan::{Argument, Edits, NodePlan, Problem, Setting, classify};
use crate::cli::GlobalArgs;
use crate::cli::mission::submit::DryRun;
use crate::cli::report_format::ReportFormat;
use crate::output::color::Palette;
use crate::output::table;

const NONE: &str = "<none>";

#[derive(Debug, Args)]
pub struct LabelArgs {
    /// Nodes to label, then KEY=VALUE to set a key and KEY- to remove it, as with kubectl label
    ///
    /// KEY is an aircraft key, with or without the aircraft.mil/ prefix: type, status,
    /// fuel.level (or fuel), hardpoint.available (or hardpoints), location.zone (or zone),
    /// capability.NAME, maintenance, compatible-weapons. fuel.status is derived from
    /// fuel.level and cannot be given; other keys are refused (use kubectl label).
    #[arg(value_name = "NODE|KEY=VALUE|KEY-")]
    pub args: Vec<String>,
    /// Label every node this label selector matches instead of naming nodes
    #[arg(short = 'l', long, value_name = "SELECTOR")]
    pub selector: Option<String>,
    /// Aircraft type (label aircraft.mil/type), e.g. j20
    #[arg(long = "type", value_name = "TYPE", value_parser = |v: &str| flag("--type", AircraftKey::Type, v))]
    pub aircraft_type: Option<Setting>,
    /// Availability (label aircraft.mil/status)
    #[arg(long, value_name = "STATUS", value_parser = status_parser())]
    pub status: Option<Setting>,
    /// Fuel level in percent, 0 to 100 (label aircraft.mil/fuel.level); aircraft.mil/fuel.status
    /// follows it: high above 70, medium above 30, else low
    #[arg(long, value_name = "PERCENT", value_parser = |v: &str| flag("--fuel", AircraftKey::FuelLevel, v))]
    pub fuel: Option<Setting>,
    /// Hardpoints available, 0 to 32 (label aircraft.mil/hardpoint.available)
    #[arg(long, value_name = "COUNT", value_parser = |v: &str| flag("--hardpoints", AircraftKey::Hardpoints, v))]
    pub hardpoints: Option<Setting>,
    /// Zone the aircraft is based in (label aircraft.mil/location.zone), e.g. east-sea
    #[arg(long, value_name = "ZONE", value_parser = |v: &str| flag("--zone", AircraftKey::Zone, v))]
    pub zone: Option<Setting>,
    /// Days until the next maintenance (annotation aircraft.mil/maintenance)
    #[arg(long, value_name = "DAYS", value_parser = |v: &str| flag("--maintenance", AircraftKey::Maintenance, v))]
    pub maintenance: Option<Setting>,
    /// A capability: NAME sets label aircraft.mil/capability.NAME=true, NAME=false sets it
    /// false, NAME- removes it; repeat the flag or separate with commas
    #[arg(long, value_name = "NAME[=BOOL]", value_delimiter = ',', value_parser = capability)]
    pub capability: Vec<Setting>,
    /// Weapons the airframe is cleared to carry, comma-separated (annotation
    /// aircraft.mil/compatible-weapons), e.g. pl-15,pl-10
    #[arg(long, value_name = "WEAPONS", value_parser = |v: &str| flag("--compatible-weapons", AircraftKey::CompatibleWeapons, v))]
    pub compatible_weapons: Option<Setting>,
    /// Apply the aircraft.mil/ labels and annotations of the Nodes in these YAML files (a
    /// Node, or a List of Nodes, per document; - reads stdin) to the existing nodes of the
    /// same names. Keys a file leaves out stay as they are; a node the cluster does not
    /// have is an error, as node label never creates nodes. The table shows only the keys
    /// that change.
    #[arg(
        long,
        value_name = "FLEET.yaml",
        conflicts_with_all = ["args", "selector", "aircraft_type", "status", "fuel", "hardpoints",
            "zone", "maintenance", "capability", "compatible_weapons"]
    )]
    pub from_file: Vec<PathBuf>,
    /// Only preview: "client" reads the nodes and shows the changes, "server" also has the API
    /// server check every patch; neither writes anything
    #[arg(long, value_enum, value_name = "MODE", num_args = 0..=1, require_equals = true, default_missing_value = "client")]
    pub dry_run: Option<DryRun>,
    /// Output format: a table of every key before and after, or JSON for programs
    #[arg(short = 'o', long, value_enum, default_value_t = ReportFormat::Table)]
    pub output: ReportFormat,
}

fn flag(name: &str, key: AircraftKey, value: &str) -> Result<Setting, String> {
    Setting::flag(name, key, value)
}

/// Status values are listed in --help and completed by the shell.
fn status_parser() -> impl TypedValueParser<Value = Setting> {
    PossibleValuesParser::new(["ready", "busy", "maintenance"]).try_map(|status: String| {
        flag("--status", AircraftKey::Status, &status).map_err(|reason| {
            clap::Error::raw(clap::error::ErrorKind::InvalidValue, format!("{reason}\n"))
        })
    })
}

/// `stealth`, `supercruise=false` or `stealth-`.
fn capability(value: &str) -> Result<Setting, String> {
    let argument = format!("--capability {value}");
    let (name, wanted) = match (value.split_once('='), value.strip_suffix('-')) {
        (Some((name, flag)), _) => (name, Some(flag)),
        (None, Some(name)) => (name, None),
        (None, None) => (value, Some("true")),
    };
    let key = AircraftKey::parse(&format!("capability.{name}")).map_err(|e| e.to_string())?;
    let value = wanted.map(|v| key.check(v)).transpose()?;
    Ok(Setting {
        argument,
        key,
        value,
    })
}

/// The nodes to change and how, checked without the cluster.
struct Request {
    targets: Targets,
    notes: Vec<String>,
}

impl Request {
    fn from_args(args: &LabelArgs) -> anyhow::Result<Request> {
        if !args.from_file.is_empty() {
            return from_files(&args.from_file);
        }
        let mut nodes: Vec<String> = Vec::new();
        let mut settings: Vec<Setting> = [
            &args.aircraft_type,
            &args.status,
            &args.fuel,
            &args.hardpoints,
            &args.zone,
            &args.maintenance,
            &args.compatible_weapons,
        ]
        .into_iter()
        .flatten()
        .chain(&args.capability)
        .cloned()
        .collect();
        let mut problems = Vec::new();
        for arg in &args.args {
            match classify(arg) {
                Argument::Node(name) if !nodes.contains(&name) => nodes.push(name),
                Argument::Node(_) => {}
                Argument::Setting(Ok(setting)) => settings.push(setting),
                Argument::Setting(Err(problem)) => problems.push(problem),
            }
        }
        let edits = Edits::from_settings(settings).unwrap_or_else(|more| {
            problems.extend(more);
            Edits::default()
        });
        refuse(problems)?;
        if edits.is_empty() {
            bail!(
                "nothing to set: give KEY=VALUE, KEY- or a flag such as --fuel 80 \
                 (see `kubectl airforce node label --help`)"
            );
        }
        let targets = match (&args.selector, nodes.is_empty()) {
            (Some(selector), true) => Targets::Selected {
                selector: selector.clone(),
                edits,
            },
            (Some(_), false) => bail!("name nodes or give -l SELECTOR, not both"),
            (None, true) => bail!("name the nodes to label, or select them with -l SELECTOR"),
            (None, false) => Targets::Named(
                (nodes.into_iter())
                    .map(|name| Target {
                        name,
                        edits: edits.clone(),
                        named_at: None,
                    })
                    .collect(),
            ),
        };
        Ok(Request {
            targets,
            notes: Vec::new(),
        })
    }
}

fn from_files(files: &[PathBuf]) -> anyhow::Result<Request> {
    let sources = crate::validate::read_sources(files)?;
    let parsed = fleet::parse(&sources).map_err(refusal)?;
    Ok(Request {
        targets: Targets::Named(
            (parsed.nodes.into_iter())
                .map(|node| Target {
                    name: node.name,
                    edits: node.edits,
                    named_at: Some(node.at),
                })
                .collect(),
        ),
        notes: parsed.notes,
    })
}

/// Fails, listing every problem, unless there are none.
fn refuse(problems: Vec<Problem>) -> anyhow::Result<()> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(refusal(problems))
    }
}

fn refusal(problems: Vec<Problem>) -> anyhow::Error {
    let count = match problems.len() {
        1 => "a problem".to_string(),
        n => format!("{n} problems"),
    };
    let lines: Vec<String> = problems.iter().map(Problem::to_string).collect();
    anyhow::anyhow!(
        "nothing was labeled: {count} to fix first:\n  {}",
        lines.join("\n  ")
    )
}

pub async fn run(args: LabelArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let request = Request::from_args(&args)?;
    for note in &request.notes {
        eprintln!("note: {note}");
    }
    let cluster = crate::cli::connect(global).await?;
    let api: Api<Node> = Api::all(cluster.client.clone());
    let found = apply::resolve(&api, request.targets, &cluster.server).await?;
    let outcome = match args.dry_run {
        Some(DryRun::Client) => Ok(found
            .iter()
            .map(|(node, edits)| edits.plan(&node.name_any(), node.labels(), node.annotations()))
            .collect()),
        Some(DryRun::Server) => apply::patch_all(&api, found, true).await,
        None => apply::write(&api, found).await,
    };
    let plans = outcome?;
    print(&plans, &args)?;
    if args.dry_run.is_some() {
        eprintln!("dry run: nothing was written to the cluster");
    }
    Ok(ExitCode::SUCCESS)
}

fn print(plans: &[NodePlan], args: &LabelArgs) -> anyhow::Result<()> {
    let dry_run = args.dry_run.map(|mode| match mode {
        DryRun::Client => "client",
        DryRun::Server => "server",
    });
    if args.output.is_data() {
        let views: Vec<_> = plans.iter().map(|plan| plan.view(dry_run)).collect();
        return args.output.print(&views, String::new);
    }
    let palette = Palette::for_stdout();
    // A fleet file names every key of every aircraft: only what changes is news.
    let only_changed = !args.from_file.is_empty();
    let mut changes = plans.iter().flat_map(|plan| &plan.changes);
    if changes.any(|change| change.changed() || !only_changed) {
        outln!("{}\n", render_changes(plans, only_changed, palette));
    }
    let suffix = match args.dry_run {
        Some(DryRun::Client) => " (dry run)",
        Some(DryRun::Server) => " (server dry run)",
        None => "",
    };
    for plan in plans {
        outln!("node/{} {}{suffix}", plan.node, plan.result());
    }
    Ok(())
}

/// Each node's keys before and after (only those that change when
/// `only_changed`): a changed value stands out (green when added, yellow when
/// changed, red when removed) and an unchanged one says so, which reads the
/// same without colour.
pub fn render_changes(plans: &[NodePlan], only_changed: bool, palette: Palette) -> String {
    let mut out = table::new(vec!["NODE", "KEY", "BEFORE", "AFTER"], palette);
    for plan in plans {
        let changes = (plan.changes.iter()).filter(|change| change.changed() || !only_changed);
        for (index, change) in changes.enumerate() {
            let node = if index == 0 { plan.node.as_str() } else { "" };
            let before = change.before.as_deref().unwrap_or(NONE);
            let after_text = change.after.as_deref().unwrap_or(NONE);
            let after = match (&change.before, &change.after) {
                _ if !change.changed() => dim("unchanged", palette),
                (None, _) => table::colored(after_text, Color::Green, palette),
                (_, None) => table::colored(after_text, Color::Red, palette),
                _ => table::colored(after_text, Color::Yellow, palette),
            };
            out.add_row(vec![
                Cell::new(node),
                Cell::new(change.key.short()),
                Cell::new(before),
                after,
            ]);
        }
    }
    table::render(&out)
}

fn dim(text: &str, palette: Palette) -> Cell {
    let cell = Cell::new(text);
    if palette.enabled {
        cell.add_attribute(Attribute::Dim)
    } else {
        cell
    }
}

#[cfg(test)]
mod tests;
