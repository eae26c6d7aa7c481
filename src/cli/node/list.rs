//! `kubectl airforce node list`: the aircraft as the scheduler sees them — type,
//! status, fuel, zone, hardpoints, maintenance, the task on board and node
//! health — from one list of nodes and one list of task pods, so it stays
//! quick on a thousand nodes.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use comfy_table::{Cell, Color};
use k8s_openapi::api::core::v1::{Node, Pod};
use k8s_openapi::jiff::Timestamp;
use kube::Api;
use kube::api::ListParams;
use serde_json::{Map, Value, json};

use crate::api::aircraft::labels;
use crate::api::keys::{PRELOAD_LABEL, TASK_LABEL};
use crate::cli::GlobalArgs;
use crate::output::color::Palette;
pub use crate::output::fleet::{Aircraft, NONE, Preloaded, aircraft, with_preload};
use crate::output::table;

/// Task pods still on their aircraft: bound, and not finished.
pub const ACTIVE_TASK_PODS: &str = "spec.nodeName!=,status.phase!=Succeeded,status.phase!=Failed";

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only nodes matching this label selector, as kubectl's -l
    /// (e.g. aircraft.mil/location.zone=east-sea,aircraft.mil/status=ready)
    #[arg(short = 'l', long, value_name = "SELECTOR")]
    pub selector: Option<String>,
    /// Also list nodes that are not aircraft (no aircraft.mil/type label)
    #[arg(long)]
    pub all: bool,
    /// Output format: wide adds capabilities, compatible weapons and whether the weapon images are pre-pulled; json and yaml print the
    /// aircraft as the table reads them (numbers as numbers); name prints node/NAME
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT")]
    pub output: Option<ListFormat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Wide,
    Json,
    Yaml,
    Name,
}

pub async fn run(args: ListArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let cluster = crate::cli::connect(global).await?;
    let nodes: Api<Node> = Api::all(cluster.client.clone());
    let pods_api: Api<Pod> = Api::all(cluster.client.clone());
    let pods = &pods_api;
    let mut node_params = ListParams::default();
    if let Some(selector) = node_selector(args.all, args.selector.as_deref()) {
        node_params = node_params.labels(&selector);
    }
    let pod_params = ListParams::default()
        .labels(TASK_LABEL)
        .fields(ACTIVE_TASK_PODS);
    let (nodes, pods) = tokio::join!(nodes.list(&node_params), pods.list(&pod_params));
    let nodes = nodes.with_context(|| format!("cannot list the nodes of {}", cluster.server))?;
    let pods = match pods {
        Ok(pods) => Some(pods.items),
        // Someone allowed to see nodes but not every namespace's pods still gets the table.
        Err(kube::Error::Api(status)) if status.is_forbidden() => {
            eprintln!(
                "warning: cannot list pods in every namespace ({}): CURRENT TASK is not shown",
                status.message
            );
            None
        }
        Err(error) => {
            return Err(error)
                .with_context(|| format!("cannot list the task pods of {}", cluster.server));
        }
    };
    let mut fleet = aircraft(&nodes.items, pods.as_deref());
    if args.output == Some(ListFormat::Wide) {
        let preload = ListParams::default().labels(&format!("{PRELOAD_LABEL}=true"));
        let preload_pods = match pods_api.list(&preload).await {
            Ok(listed) => Some(listed.items),
            Err(kube::Error::Api(status)) if status.is_forbidden() => None,
            Err(error) => {
                return Err(error).with_context(|| {
                    format!("cannot list the weapon preload pods of {}", cluster.server)
                });
            }
        };
        with_preload(&mut fleet, preload_pods.as_deref());
    }
    print(&fleet, args.output, args.all)?;
    Ok(ExitCode::SUCCESS)
}

/// Aircraft are the nodes with a type, unless `--all`; the user's selector narrows that.
fn node_selector(all: bool, selector: Option<&str>) -> Option<String> {
    match (all, selector) {
        (true, selector) => selector.map(str::to_string),
        (false, None) => Some(labels::TYPE.to_string()),
        (false, Some(selector)) => Some(format!("{},{selector}", labels::TYPE)),
    }
}

fn print(fleet: &[Aircraft], format: Option<ListFormat>, all: bool) -> anyhow::Result<()> {
    match format {
        Some(ListFormat::Json) => outln!("{}", serde_json::to_string_pretty(&to_json(fleet))?),
        Some(ListFormat::Yaml) => out!("{}", serde_yaml_ng::to_string(&to_json(fleet))?),
        Some(ListFormat::Name) => fleet.iter().for_each(|a| outln!("node/{}", a.name)),
        None | Some(ListFormat::Wide) if fleet.is_empty() => eprintln!(
            "No aircraft found{}",
            if all {
                ""
            } else {
                ": aircraft are nodes with an aircraft.mil/type label \
                 (`kubectl airforce node label NODE --type j20`); --all lists every node"
            }
        ),
        None | Some(ListFormat::Wide) => {
            let wide = format == Some(ListFormat::Wide);
            let now = Timestamp::now();
            outln!("{}", render_table(fleet, wide, Palette::for_stdout(), now));
        }
    }
    Ok(())
}

/// The kubectl-style table; `wide` adds capabilities, compatible weapons and
/// the pre-pulled images.
/// Fault marks are shown with the time left until they expire at `now`.
pub fn render_table(fleet: &[Aircraft], wide: bool, palette: Palette, now: Timestamp) -> String {
    let mut headers = vec![
        "NAME",
        "TYPE",
        "STATUS",
        "FUEL",
        "ZONE",
        "HARDPOINTS",
        "MAINTENANCE",
        "CURRENT TASK",
        "READY",
        "FAULT MARKS",
    ];
    if wide {
        headers.extend(["CAPABILITIES", "WEAPONS", "PRELOADED"]);
    }
    let mut out = table::new(headers, palette);
    for aircraft in fleet {
        let text = |value: &Option<String>| value.clone().unwrap_or_else(|| NONE.to_string());
        let mut row = vec![
            Cell::new(&aircraft.name),
            Cell::new(text(&aircraft.aircraft_type)),
            status_cell(aircraft.status.as_deref(), palette),
            fuel_cell(aircraft, palette),
            Cell::new(text(&aircraft.zone)),
            Cell::new(text(&aircraft.hardpoints)),
            Cell::new(aircraft.maintenance_text()),
            Cell::new(match &aircraft.tasks {
                None => "<unknown>".to_string(),
                Some(tasks) if tasks.is_empty() => NONE.to_string(),
                Some(tasks) => tasks.join(","),
            }),
            ready_cell(aircraft.ready.as_deref(), palette),
            marks_cell(aircraft, palette, now),
        ];
        if wide {
            row.push(Cell::new(capabilities(&aircraft.capabilities)));
            row.push(Cell::new(list_or_none(&aircraft.compatible_weapons)));
            let preloaded = aircraft.preloaded.unwrap_or(Preloaded::Unknown);
            row.push(Cell::new(preloaded.as_str()));
        }
        out.add_row(row);
    }
    table::render(&out)
}

fn status_cell(status: Option<&str>, palette: Palette) -> Cell {
    match status {
        Some(status @ "ready") => table::colored(status, Color::Green, palette),
        Some(status @ "busy") => table::colored(status, Color::Yellow, palette),
        Some(status) => table::colored(status, Color::Red, palette),
        None => Cell::new(NONE),
    }
}

/// The fuel text, red when low.
fn fuel_cell(aircraft: &Aircraft, palette: Palette) -> Cell {
    let text = aircraft.fuel_text();
    match aircraft.fuel_status.as_deref() {
        Some("low") => table::colored(text, Color::Red, palette),
        Some("medium") => table::colored(text, Color::Yellow, palette),
        _ => Cell::new(text),
    }
}

/// The marks, yellow while any holds.
fn marks_cell(aircraft: &Aircraft, palette: Palette, now: Timestamp) -> Cell {
    match aircraft.marks_text(now) {
        (text, true) => table::colored(text, Color::Yellow, palette),
        (text, false) => Cell::new(text),
    }
}

fn ready_cell(ready: Option<&str>, palette: Palette) -> Cell {
    match ready {
        Some("True") => Cell::new("True"),
        Some(other) => table::colored(other, Color::Red, palette),
        None => table::colored("Unknown", Color::Red, palette),
    }
}

/// The capabilities the aircraft has; one set to anything but true is shown as `name=value`.
fn capabilities(capabilities: &BTreeMap<String, String>) -> String {
    let shown: Vec<String> = (capabilities.iter())
        .map(|(name, value)| match value.as_str() {
            "true" => name.clone(),
            other => format!("{name}={other}"),
        })
        .collect();
    list_or_none(&shown)
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        NONE.to_string()
    } else {
        items.join(",")
    }
}

/// The aircraft for `-o json` and `-o yaml`: numbers as numbers where the
/// labels hold valid ones, the text as written where they do not.
pub fn to_json(fleet: &[Aircraft]) -> Value {
    let number = |value: &Option<String>| match value {
        Some(text) => text
            .parse::<u64>()
            .map_or_else(|_| json!(text), |n| json!(n)),
        None => Value::Null,
    };
    let items = fleet.iter().map(|aircraft| {
        let capabilities: Map<String, Value> = (aircraft.capabilities.iter())
            .map(|(name, value)| {
                let value = value
                    .parse::<bool>()
                    .map_or_else(|_| json!(value), |b| json!(b));
                (name.clone(), value)
            })
            .collect();
        json!({
            "name": aircraft.name,
            "type": aircraft.aircraft_type,
            "status": aircraft.status,
            "fuel": {
                "level": number(&aircraft.fuel_level),
                "status": aircraft.fuel_status,
            },
            "zone": aircraft.zone,
            "hardpoints": number(&aircraft.hardpoints),
            "maintenanceDays": number(&aircraft.maintenance),
            "capabilities": capabilities,
            "compatibleWeapons": aircraft.compatible_weapons,
            "currentTasks": aircraft.tasks,
            "ready": aircraft.ready,
            "faultMarks": aircraft.marks,
        })
    });
    Value::Array(items.collect())
}

#[cfg(test)]
mod tests;
