//! `kubectl airforce mission list`: the missions of a namespace (or of all) as
//! `kubectl get` shows them; `-o` chooses the format, shared with `mission get`.
//! `--phase` asks the API server for one phase (the CRD makes `status.phase`
//! a selectable field), `--sort-by` orders by any field.

use std::process::ExitCode;

use std::collections::HashMap;

use anyhow::Context;
use clap::Args;
use futures::StreamExt;
use k8s_openapi::jiff::Timestamp;
use kube::api::ListParams;
use kube::runtime::{WatchStreamExt, watcher};
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
    /// Only missions in this phase: Pending, Running, Succeeded, Failed or Cancelled
    #[arg(long, value_name = "PHASE", value_parser = parse_phase)]
    pub phase: Option<MissionPhase>,
    /// Only missions created within this long: 30m, 2h, 24h
    #[arg(long, value_name = "DURATION", value_parser = since)]
    pub since: Option<std::time::Duration>,
    /// Order by this field, a JSONPath such as .metadata.creationTimestamp or
    /// {.status.phase} (default: by namespace and name)
    #[arg(long, value_name = "JSONPATH", value_parser = relaxed_path)]
    pub sort_by: Option<JsonPath>,
    /// Leave out the header line of a table
    #[arg(long)]
    pub no_headers: bool,
    /// After the list, keep printing each mission again when it changes (or is
    /// deleted), as `kubectl get -w` does, until Ctrl-C
    #[arg(short = 'w', long, conflicts_with = "sort_by")]
    pub watch: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `-o` and `-L`, shared by `mission list` and `mission get`.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format: table, wide, yaml, json, name, jsonpath=TEMPLATE,
    /// jsonpath-file=FILE, custom-columns=SPEC or custom-columns-file=FILE
    #[arg(short = 'o', long = "output", value_name = "FORMAT", value_parser = OutputFormatParser, default_value = "table")]
    pub format: OutputFormat,
    /// Label keys to show as columns of the table, comma-separated or repeated
    #[arg(
        short = 'L',
        long = "label-columns",
        value_name = "KEY",
        value_delimiter = ','
    )]
    pub label_columns: Vec<String>,
}

fn since(text: &str) -> Result<std::time::Duration, String> {
    crate::api::duration::parse(text).map_err(|error| error.to_string())
}

/// A `--phase` value, in any case.
fn parse_phase(text: &str) -> Result<MissionPhase, String> {
    (MissionPhase::ALL.into_iter())
        .find(|phase| format!("{phase:?}").eq_ignore_ascii_case(text))
        .ok_or_else(|| {
            let phases: Vec<String> = MissionPhase::ALL.iter().map(|p| format!("{p:?}")).collect();
            format!(
                "{text:?} is not a mission phase: use one of {}",
                phases.join(", ")
            )
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
    if args.watch {
        return watch_list(api, &args, &place).await;
    }
    let mut listed = (api.list(&params).await)
        .with_context(|| format!("cannot list the missions in {place}"))?
        .items;
    if let Some(since) = args.since {
        let now = Timestamp::now();
        listed.retain(|m| created_within(m, since, now));
    }
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
        label_columns: &args.output.label_columns,
    };
    show(&listed, &args.output.format, shown)?;
    Ok(ExitCode::SUCCESS)
}

/// `-w`: the list as the watch's first listing finds it, then each mission
/// again whenever the API server reports a new version of it (after a lost
/// connection, only those that changed meanwhile).
async fn watch_list(api: Api<Mission>, args: &ListArgs, place: &str) -> anyhow::Result<ExitCode> {
    let mut config = watcher::Config::default();
    if let Some(selector) = &args.selector {
        config = config.labels(selector);
    }
    if let Some(phase) = args.phase {
        config = config.fields(&format!("status.phase={phase:?}"));
    }
    let mut events = watcher(api, config).default_backoff().boxed();
    let interrupted = tokio::signal::ctrl_c();
    tokio::pin!(interrupted);
    let shown = |headers: bool| Shown {
        as_list: false,
        show_namespace: args.all_namespaces,
        headers,
        label_columns: &args.output.label_columns,
    };
    let wanted = |mission: &Mission| {
        args.since
            .is_none_or(|since| created_within(mission, since, Timestamp::now()))
    };
    // The version last printed of each mission, so a relist prints only changes.
    let mut printed: HashMap<(Option<String>, String), Option<String>> = HashMap::new();
    let mut first: Option<Vec<Mission>> = Some(Vec::new());
    let mut warned = false;
    let show_one = |mission: Mission, printed: &mut HashMap<_, _>| -> anyhow::Result<()> {
        let key = (mission.namespace(), mission.name_any());
        let version = mission.resource_version();
        if wanted(&mission) && printed.insert(key, version.clone()) != Some(version) {
            show(
                std::slice::from_ref(&mission),
                &args.output.format,
                shown(false),
            )?;
        }
        Ok(())
    };
    loop {
        let event = tokio::select! {
            event = events.next() => event,
            _ = &mut interrupted => return Ok(ExitCode::from(130)),
        };
        match event {
            None => return Ok(ExitCode::SUCCESS),
            Some(Err(error)) => {
                if !warned {
                    eprintln!(
                        "warning: the watch of the missions in {place} was interrupted ({error}); reconnecting"
                    );
                    warned = true;
                }
            }
            Some(Ok(watcher::Event::Init)) => {}
            Some(Ok(watcher::Event::InitApply(mission))) => match first.as_mut() {
                Some(listed) => listed.push(mission),
                None => show_one(mission, &mut printed)?,
            },
            Some(Ok(watcher::Event::InitDone)) => {
                if let Some(mut listed) = first.take() {
                    listed.retain(|m| wanted(m));
                    listed.sort_by_key(|m| (m.namespace(), m.name_any()));
                    for mission in &listed {
                        printed.insert(
                            (mission.namespace(), mission.name_any()),
                            mission.resource_version(),
                        );
                    }
                    match listed.is_empty() && args.output.format.is_table() {
                        true => eprintln!("No missions found in {place}; waiting for some."),
                        false => show(&listed, &args.output.format, shown(!args.no_headers))?,
                    }
                }
                warned = false;
            }
            Some(Ok(watcher::Event::Apply(mission) | watcher::Event::Delete(mission))) => {
                show_one(mission, &mut printed)?;
            }
        }
    }
}

/// Whether `mission` was created no longer than `since` before `now`.
fn created_within(mission: &Mission, since: std::time::Duration, now: Timestamp) -> bool {
    let created = mission.metadata.creation_timestamp.as_ref().map(|t| t.0);
    created.is_some_and(|created| {
        now.duration_since(created).as_secs() <= i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
    })
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
pub struct Shown<'a> {
    /// Keep a single object in a List, as `kubectl get` does for a list.
    pub as_list: bool,
    pub show_namespace: bool,
    /// Print the header line of a table.
    pub headers: bool,
    /// Label keys shown as columns of a table.
    pub label_columns: &'a [String],
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
                label_columns: shown.label_columns,
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

    use super::*;

    #[test]
    fn since_keeps_the_missions_created_within_it() {
        let now: Timestamp = "2026-12-04T12:00:00Z".parse().expect("a time");
        let created = |ago: i64| {
            let mut mission = Mission::new("m", Default::default());
            mission.metadata.creation_timestamp = Some(Time(now - jiff_seconds(ago)));
            mission
        };
        let hour = Duration::from_secs(3600);
        assert!(created_within(&created(59 * 60), hour, now));
        assert!(created_within(&created(3600), hour, now));
        assert!(!created_within(&created(3601), hour, now));
        assert!(!created_within(
            &Mission::new("m", Default::default()),
            hour,
            now
        ));
        assert_eq!(
            parse_phase("cancelled"),
            Ok(MissionPhase::Cancelled),
            "phases in any case"
        );
    }

    fn jiff_seconds(seconds: i64) -> k8s_openapi::jiff::SignedDuration {
        k8s_openapi::jiff::SignedDuration::from_secs(seconds)
    }
}
