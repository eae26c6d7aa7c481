//! `mission describe` as `kubectl describe` lays things out: the mission's
//! fields, its live tree, its conditions, and the recent Events of the mission
//! and everything it owns.

use std::fmt::Write;

use comfy_table::{Cell, Color};
use k8s_openapi::api::core::v1::Event;
use k8s_openapi::jiff::Timestamp;
use kube::ResourceExt;

use super::color::Palette;
use super::table;
use super::tree::elapsed;
use crate::api::Mission;

/// Events shown, newest last, as `kubectl describe` keeps a screenful.
pub const EVENTS_SHOWN: usize = 20;

/// The whole description; `tree` is the mission's rendered tree.
pub fn render(
    mission: &Mission,
    tree: &str,
    events: &[Event],
    now: Timestamp,
    palette: Palette,
) -> String {
    let status = mission.status.clone().unwrap_or_default();
    let time =
        |t: &Option<k8s_openapi::apimachinery::pkg::apis::meta::v1::Time>| t.as_ref().map(|t| t.0);
    let when = |at: Option<Timestamp>| match at {
        Some(at) => format!(
            "{at} ({} ago)",
            elapsed(Some(at), None, now).unwrap_or_default()
        ),
        None => "-".into(),
    };
    let statistics = &status.statistics;
    let mut out = String::new();
    let mut field = |name: &str, value: String| {
        let _ = writeln!(out, "{:<14}{value}", format!("{name}:"));
    };
    field("Name", mission.name_any());
    field("Namespace", mission.namespace().unwrap_or_default());
    field("Phase", format!("{:?}", status.phase.unwrap_or_default()));
    if let Some(display) = &mission.spec.mission_name {
        field("Mission", display.clone());
    }
    field("Started", when(time(&status.start_time)));
    field("Completed", when(time(&status.completion_time)));
    field(
        "Duration",
        elapsed(time(&status.start_time), time(&status.completion_time), now)
            .unwrap_or_else(|| "-".into()),
    );
    field(
        "Retries",
        format!(
            "{}/{}",
            status.retry_count, mission.spec.config.failure_policy.max_retries
        ),
    );
    field(
        "Tasks",
        format!(
            "{} total: {} succeeded, {} failed, {} running, {} pending",
            statistics.total_flight_tasks,
            statistics.succeeded_tasks,
            statistics.failed_tasks,
            statistics.running_tasks,
            statistics.pending_tasks
        ),
    );
    field("Message", status.message.clone().unwrap_or_default());
    let _ = writeln!(out, "\n{tree}");

    out.push_str("\nConditions:\n");
    if status.conditions.is_empty() {
        out.push_str("  <none>\n");
    } else {
        let mut conditions =
            table::new(vec!["TYPE", "STATUS", "REASON", "AGE", "MESSAGE"], palette);
        for condition in &status.conditions {
            let color = if condition.status == "True" {
                Color::Green
            } else {
                Color::Red
            };
            conditions.add_row(vec![
                Cell::new(&condition.type_),
                table::colored(&condition.status, color, palette),
                Cell::new(&condition.reason),
                Cell::new(
                    elapsed(Some(condition.last_transition_time.0), None, now).unwrap_or_default(),
                ),
                Cell::new(&condition.message),
            ]);
        }
        out.push_str(&indent(&table::render(&conditions)));
    }

    out.push_str("\nEvents:\n");
    if events.is_empty() {
        out.push_str("  <none>\n");
    } else {
        let mut rows = table::new(
            vec!["TYPE", "REASON", "AGE", "FROM", "OBJECT", "MESSAGE"],
            palette,
        );
        let first = events.len().saturating_sub(EVENTS_SHOWN);
        for event in &events[first..] {
            let kind = event.type_.as_deref().unwrap_or("Normal");
            let color = if kind == "Warning" {
                Color::Yellow
            } else {
                Color::Reset
            };
            let age = match (last_seen(event), event.count.unwrap_or(1)) {
                (Some(at), count) if count > 1 => {
                    format!(
                        "{} (x{count})",
                        elapsed(Some(at), None, now).unwrap_or_default()
                    )
                }
                (at, _) => elapsed(at, None, now).unwrap_or_else(|| "-".into()),
            };
            let object = &event.involved_object;
            rows.add_row(vec![
                table::colored(kind, color, palette),
                Cell::new(event.reason.as_deref().unwrap_or_default()),
                Cell::new(age),
                Cell::new(from(event)),
                Cell::new(format!(
                    "{}/{}",
                    object.kind.as_deref().unwrap_or_default().to_lowercase(),
                    object.name.as_deref().unwrap_or_default()
                )),
                Cell::new(event.message.as_deref().unwrap_or_default().trim_end()),
            ]);
        }
        out.push_str(&indent(&table::render(&rows)));
    }
    out.trim_end().to_string()
}

/// When an Event last happened, whichever way its reporter recorded it.
pub fn last_seen(event: &Event) -> Option<Timestamp> {
    (event
        .series
        .as_ref()
        .and_then(|s| s.last_observed_time.as_ref())
        .map(|t| t.0))
    .or_else(|| event.last_timestamp.as_ref().map(|t| t.0))
    .or_else(|| event.event_time.as_ref().map(|t| t.0))
    .or_else(|| event.metadata.creation_timestamp.as_ref().map(|t| t.0))
}

fn from(event: &Event) -> String {
    (event.reporting_component.clone().filter(|c| !c.is_empty()))
        .or_else(|| event.source.as_ref().and_then(|s| s.component.clone()))
        .unwrap_or_default()
}

fn indent(text: &str) -> String {
    text.lines().map(|line| format!("  {line}\n")).collect()
}

#[cfg(test)]
mod tests;
