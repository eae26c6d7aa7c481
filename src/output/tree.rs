//! The live mission tree `watch` draws and `mission describe` prints: the
//! mission, its stages in dependency order with progress bars, their flight
//! tasks and each task's current pod. A pure function of a [`MissionView`] and
//! [`RenderOptions`] (the clock is passed in), so snapshots are stable.
//!
//! Rows are built as cells first and laid out after, so each column lines up
//! across all stages, and all tasks, of the mission.

use console::measure_text_width;
use k8s_openapi::jiff::Timestamp;

use self::state::Tone;
use super::color::Palette;
use crate::api::TaskWeaponStatus;

mod lines;
mod state;
mod view;

pub use lines::{StatusLine, status_lines};
pub use state::{State, elapsed};
pub use view::{Counts, MissionView, PodView, StageView, TaskView};

/// Cells of the mission's progress bar.
const MISSION_BAR: usize = 20;
/// Cells of each stage's progress bar.
const STAGE_BAR: usize = 10;
const GAP: &str = "  ";

#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    pub palette: Palette,
    /// Durations of unfinished things run up to here.
    pub now: Timestamp,
    /// Lines are cut to this many columns, ending in "…".
    pub width: Option<usize>,
    /// Prefix the mission's name with its namespace (when several are shown).
    pub show_namespace: bool,
    /// Show each replica of a fanned-out task under it, not only its counts.
    pub expand_replicas: bool,
}

/// The tree, one line per mission, stage, task and pod, without a final newline.
pub fn render(view: &MissionView, options: &RenderOptions) -> String {
    let rows = rows(view, options);
    let widths = column_widths(&rows);
    let lines: Vec<String> = rows
        .iter()
        .map(|row| {
            let line = row.paint(&widths[row.kind as usize], options.palette);
            match options.width {
                Some(width) => console::truncate_str(&line, width, "…").into_owned(),
                None => line,
            }
        })
        .collect();
    lines.join("\n")
}

/// A column's content: one or more differently coloured pieces.
#[derive(Debug, Clone, Default)]
struct Cell(Vec<(String, Tone)>);

impl Cell {
    fn new(text: impl Into<String>, tone: Tone) -> Cell {
        Cell(vec![(text.into(), tone)])
    }

    fn empty() -> Cell {
        Cell::default()
    }

    fn width(&self) -> usize {
        self.0
            .iter()
            .map(|(text, _)| measure_text_width(text))
            .sum()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Mission,
    Stage,
    Task,
    Pod,
}

const KINDS: usize = 4;

struct Row {
    kind: Kind,
    /// The tree's branches before the row's symbol.
    prefix: String,
    /// The phase symbol, a space away from the first cell.
    mark: Option<State>,
    cells: Vec<Cell>,
}

impl Row {
    /// The row with every cell but the last padded to its column's width; a
    /// column empty in every row of the kind takes no room at all.
    fn paint(&self, widths: &[usize], palette: Palette) -> String {
        let mut line = Tone::Dim.paint(&self.prefix, palette);
        if let Some(state) = self.mark {
            line.push_str(&state.tone().paint(state.symbol(), palette));
            line.push(' ');
        }
        let last = self.cells.iter().rposition(|cell| cell.width() > 0);
        for (index, cell) in self.cells.iter().enumerate() {
            let width = widths[index];
            if width == 0 || Some(index) > last {
                continue;
            }
            for (text, tone) in &cell.0 {
                line.push_str(&tone.paint(text, palette));
            }
            if Some(index) != last {
                line.push_str(&" ".repeat(width - cell.width()));
                line.push_str(GAP);
            }
        }
        line
    }
}

fn column_widths(rows: &[Row]) -> Vec<Vec<usize>> {
    let mut widths = vec![Vec::new(); KINDS];
    for row in rows {
        let widths = &mut widths[row.kind as usize];
        widths.resize(widths.len().max(row.cells.len()), 0);
        for (width, cell) in widths.iter_mut().zip(&row.cells) {
            *width = (*width).max(cell.width());
        }
    }
    widths
}

fn rows(view: &MissionView, options: &RenderOptions) -> Vec<Row> {
    let mut rows = vec![mission_row(view, options)];
    for (index, stage) in view.stages.iter().enumerate() {
        let last_stage = index + 1 == view.stages.len();
        rows.push(stage_row(stage, branch(last_stage), options.now));
        let stem = trunk(last_stage);
        task_rows(&mut rows, &stage.tasks, stem, options);
    }
    rows
}

/// A row per task and its pod under `stem`; a fanned-out task's replicas
/// under it when they are to be expanded.
fn task_rows(rows: &mut Vec<Row>, tasks: &[TaskView], stem: &str, options: &RenderOptions) {
    for (index, task) in tasks.iter().enumerate() {
        let last_task = index + 1 == tasks.len();
        rows.push(task_row(
            task,
            format!("{stem}{}", branch(last_task)),
            options.now,
        ));
        let under = format!("{stem}{}", trunk(last_task));
        if let Some(pod) = &task.pod {
            rows.push(pod_row(pod, format!("{under}└─ ")));
        }
        if let Some(replicas) = task.replicas.as_ref().filter(|_| options.expand_replicas) {
            task_rows(rows, &replicas.views, &under, options);
        }
    }
}

fn branch(last: bool) -> &'static str {
    if last { "└─ " } else { "├─ " }
}

fn trunk(last: bool) -> &'static str {
    if last { "   " } else { "│  " }
}

fn mission_row(view: &MissionView, options: &RenderOptions) -> Row {
    let state = State::from(view.phase);
    let counts = view.counts();
    let name = match options.show_namespace {
        true => format!("{}/{}", view.namespace, view.name),
        false => view.name.clone(),
    };
    let duration = elapsed(view.started, view.finished, options.now);
    let (retries, max_retries) = view.retries;
    let cells = vec![
        Cell::new(name, Tone::Bold),
        Cell::new(state.word(), state.tone()),
        Cell::new(duration.unwrap_or_default(), Tone::Plain),
        bar(counts, MISSION_BAR, state.tone()),
        Cell::new(
            format!("{}/{} tasks", counts.succeeded, counts.total),
            Tone::Plain,
        ),
        match counts.failed {
            0 => Cell::empty(),
            n => Cell::new(format!("{n} failed"), Tone::Red),
        },
        match retries {
            0 => Cell::empty(),
            n => Cell::new(format!("retry {n}/{max_retries}"), Tone::Yellow),
        },
        Cell::new(view.message.clone().unwrap_or_default(), Tone::Dim),
    ];
    Row {
        kind: Kind::Mission,
        prefix: String::new(),
        mark: Some(state),
        cells,
    }
}

fn stage_row(stage: &StageView, prefix: &str, now: Timestamp) -> Row {
    let state = State::from(stage.phase);
    let counts = stage.counts();
    let cells = vec![
        Cell::new(&stage.name, Tone::Bold),
        Cell::new(stage.stage_type.as_str(), Tone::Dim),
        bar(counts, STAGE_BAR, state.tone()),
        Cell::new(
            format!("{}/{}", counts.succeeded, counts.total),
            Tone::Plain,
        ),
        Cell::new(state.word(), state.tone()),
        Cell::new(
            elapsed(stage.started, stage.finished, now).unwrap_or_default(),
            Tone::Plain,
        ),
        notes(&stage.depends_on, stage.request, stage.message.as_deref()),
    ];
    Row {
        kind: Kind::Stage,
        prefix: prefix.to_string(),
        mark: Some(state),
        cells,
    }
}

fn task_row(task: &TaskView, prefix: String, now: Timestamp) -> Row {
    let state = State::from(task.phase);
    let retries = match task.retries {
        (0, _) => Cell::empty(),
        (n, max) => Cell::new(format!("retry {n}/{max}"), Tone::Yellow),
    };
    // A fanned-out task's replicas run on many aircraft: their counts
    // stand where one task's aircraft would.
    let node = match &task.replicas {
        Some(replicas) => Cell::new(replicas.summary(), Tone::Plain),
        None => Cell::new(task.node.clone().unwrap_or_default(), Tone::Plain),
    };
    let cells = vec![
        Cell::new(&task.name, Tone::Plain),
        Cell::new(task.role.clone().unwrap_or_default(), Tone::Dim),
        node,
        Cell::new(
            elapsed(task.started, task.finished, now).unwrap_or_default(),
            Tone::Plain,
        ),
        retries,
        notes(&task.depends_on, task.request, task.message.as_deref()),
    ];
    Row {
        kind: Kind::Task,
        prefix,
        mark: Some(state),
        cells,
    }
}

fn pod_row(pod: &PodView, prefix: String) -> Row {
    let phase = pod.phase.as_deref().unwrap_or("gone");
    let tone = match phase {
        "Succeeded" => Tone::Green,
        "Failed" => Tone::Red,
        "Running" => Tone::Blue,
        "Pending" => Tone::Yellow,
        _ => Tone::Dim,
    };
    Row {
        kind: Kind::Pod,
        prefix,
        mark: None,
        // One cell: pods hang at different depths, so aligning them only spreads them.
        cells: vec![Cell(
            [
                ("pod ".to_string(), Tone::Dim),
                (format!("{}{GAP}", pod.name), Tone::Plain),
                (phase.to_string(), tone),
            ]
            .into_iter()
            .chain(weapon_parts(&pod.weapons))
            .collect(),
        )],
    }
}

/// `  pl-15 READY 4 · pl-10 INITIALIZING 2`: each weapon's state and rounds.
fn weapon_parts(weapons: &[TaskWeaponStatus]) -> Vec<(String, Tone)> {
    let mut parts = Vec::new();
    for (index, weapon) in weapons.iter().enumerate() {
        let lead = if index == 0 { GAP } else { " · " };
        parts.push((format!("{lead}{} ", weapon.name), Tone::Plain));
        let tone = if weapon.is_faulted() || weapon.state == TaskWeaponStatus::UNREACHABLE {
            Tone::Red
        } else if weapon.is_armed() {
            Tone::Green
        } else {
            Tone::Yellow
        };
        parts.push((weapon.state.clone(), tone));
        if weapon.state != TaskWeaponStatus::UNREACHABLE {
            parts.push((format!(" {}", weapon.remaining), Tone::Plain));
        }
    }
    parts
}

/// What a stage or task waits for, a request not yet acted on, then its
/// last message: the last cell, so a long message is what the terminal's
/// width cuts.
fn notes(depends_on: &[String], request: Option<&str>, message: Option<&str>) -> Cell {
    let needs = match depends_on {
        [] => None,
        names => Some(format!("← needs: {}", names.join(", "))),
    };
    let notes: Vec<String> = needs
        .into_iter()
        .chain(request.map(|request| format!("({request})")))
        .chain(message.filter(|m| !m.is_empty()).map(str::to_string))
        .collect();
    Cell::new(notes.join(GAP), Tone::Dim)
}

/// A fixed-width bar of succeeded tasks, full only when all have succeeded.
fn bar(counts: Counts, width: usize, tone: Tone) -> Cell {
    let filled = match counts.total {
        0 => 0,
        total => counts.succeeded * width / total,
    };
    Cell(vec![
        ("█".repeat(filled), tone),
        ("░".repeat(width - filled), Tone::Dim),
    ])
}

#[cfg(test)]
mod tests;
