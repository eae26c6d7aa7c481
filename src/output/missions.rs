//! `mission list` and `mission get` as kubectl prints them: a table (wider with
//! `-o wide`), or the objects as YAML or JSON, or `kind/name` lines.

use comfy_table::{Cell, Color};
use k8s_openapi::jiff::Timestamp;
use kube::ResourceExt;
use serde_json::{Value, json};

use super::color::Palette;
use super::table;
use super::tree::elapsed;
use crate::api::mission::StageSummary;
use crate::api::{Mission, MissionPhase, StagePhase};

/// What to show of each mission, and where the clock stands for ages.
#[derive(Debug, Clone, Copy)]
pub struct TableOptions<'a> {
    pub wide: bool,
    pub show_namespace: bool,
    /// Print the header line (`--no-headers` leaves it out).
    pub headers: bool,
    pub palette: Palette,
    pub now: Timestamp,
    /// Label keys shown as columns of their own, as kubectl's `-L`.
    pub label_columns: &'a [String],
}

/// The missions as a table, one row each, in the order given.
pub fn table(missions: &[Mission], options: TableOptions) -> String {
    let mut headers: Vec<String> = Vec::new();
    if options.show_namespace {
        headers.push("NAMESPACE".into());
    }
    headers.extend(
        [
            "NAME",
            "PHASE",
            "STAGES",
            "TASKS",
            "FAILED",
            "RETRIES",
            "WAITING ON",
            "DURATION",
            "AGE",
        ]
        .map(String::from),
    );
    if options.wide {
        headers.extend(["CURRENT STAGE", "MESSAGE"].map(String::from));
    }
    headers.extend(options.label_columns.iter().map(|key| label_header(key)));
    let mut rendered = table::new(headers, options.palette);
    for mission in missions {
        let status = mission.status.clone().unwrap_or_default();
        let phase = status.phase.unwrap_or_default();
        let time = |t: &Option<k8s_openapi::apimachinery::pkg::apis::meta::v1::Time>| {
            t.as_ref().map(|t| t.0)
        };
        let mut row: Vec<Cell> = Vec::new();
        if options.show_namespace {
            row.push(Cell::new(mission.namespace().unwrap_or_default()));
        }
        let retries = format!(
            "{}/{}",
            status.retry_count, mission.spec.config.failure_policy.max_retries
        );
        row.extend([
            Cell::new(mission.name_any()),
            table::colored(format!("{phase:?}"), phase_color(phase), options.palette),
            Cell::new(status.stage_progress.as_deref().unwrap_or("-")),
            Cell::new(status.task_progress.as_deref().unwrap_or("-")),
            Cell::new(status.statistics.failed_tasks),
            Cell::new(retries),
            Cell::new(waiting_on(mission, &status.stages_summary)),
            Cell::new(
                elapsed(
                    time(&status.start_time),
                    time(&status.completion_time),
                    options.now,
                )
                .unwrap_or_else(|| "-".into()),
            ),
            Cell::new(
                elapsed(
                    mission.metadata.creation_timestamp.as_ref().map(|t| t.0),
                    None,
                    options.now,
                )
                .unwrap_or_else(|| "-".into()),
            ),
        ]);
        if options.wide {
            let current = (status.stages_summary.iter())
                .filter(|s| s.phase == Some(StagePhase::Running))
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(",");
            row.push(Cell::new(if current.is_empty() {
                "-"
            } else {
                current.as_str()
            }));
            row.push(Cell::new(status.message.as_deref().unwrap_or("")));
        }
        for key in options.label_columns {
            row.push(Cell::new(
                mission.labels().get(key).map_or("", String::as_str),
            ));
        }
        rendered.add_row(row);
    }
    table::render_with_headers(&rendered, options.headers)
}

/// A `-L` column's header, as kubectl writes it: the key's name (after any
/// prefix), upper-cased.
fn label_header(key: &str) -> String {
    key.rsplit('/').next().unwrap_or(key).to_uppercase()
}

/// What waits on a person: "resume", "approval of strike", or "-".
pub fn waiting_on(mission: &Mission, stages: &[StageSummary]) -> String {
    let finished = (mission.status.as_ref())
        .and_then(|status| status.phase)
        .is_some_and(MissionPhase::is_finished);
    let mut waits = Vec::new();
    if mission.spec.is_suspended() && !finished {
        waits.push("resume".to_string());
    }
    let gated: Vec<&str> = (stages.iter())
        .filter(|s| s.phase == Some(StagePhase::AwaitingApproval))
        .map(|s| s.name.as_str())
        .collect();
    if !gated.is_empty() {
        waits.push(format!("approval of {}", gated.join(",")));
    }
    match waits.is_empty() {
        true => "-".to_string(),
        false => waits.join("; "),
    }
}

fn phase_color(phase: MissionPhase) -> Color {
    match phase {
        MissionPhase::Succeeded => Color::Green,
        MissionPhase::Failed => Color::Red,
        MissionPhase::Cancelled => Color::Magenta,
        MissionPhase::Pending => Color::Reset,
        MissionPhase::Running => Color::Yellow,
    }
}

/// `mission.airforce.mil/NAME` lines, as `kubectl get -o name` prints.
pub fn names(missions: &[Mission]) -> String {
    (missions.iter())
        .map(|m| format!("mission.airforce.mil/{}", m.name_any()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The objects as `-o` formats read them, managedFields left out as kubectl
/// leaves them out unless asked.
pub fn items(missions: &[Mission]) -> Vec<Value> {
    (missions.iter())
        .map(|mission| {
            let mut value = serde_json::to_value(mission).unwrap_or(Value::Null);
            if let Some(metadata) = value.get_mut("metadata").and_then(Value::as_object_mut) {
                metadata.remove("managedFields");
            }
            value
        })
        .collect()
}

/// The objects for `-o yaml|json`: one object as itself, several (or a list
/// command) as a `v1` List, as kubectl does.
pub fn document(missions: &[Mission], as_list: bool) -> Value {
    let mut items = items(missions);
    if !as_list && items.len() == 1 {
        return items.remove(0);
    }
    json!({ "apiVersion": "v1", "kind": "List", "items": items, "metadata": { "resourceVersion": "" } })
}

#[cfg(test)]
mod tests;
