//! A mission's stages as a graph drawn in SVG: a column per depth (a stage
//! sits one column right of the deepest stage it depends on), a box per stage
//! with its state in words and symbol and its task counts, and a curve from
//! each dependency to its dependent. Laid out here so the picture needs no
//! script and is the same in a screenshot as on screen.

use std::collections::HashMap;

use maud::{Markup, html};

use super::layout::state_class;
use crate::output::tree::{MissionView, StageView, State};

const BOX_WIDTH: u32 = 172;
const BOX_HEIGHT: u32 = 58;
const COLUMN_GAP: u32 = 56;
const ROW_GAP: u32 = 18;
const MARGIN: u32 = 8;

/// Where each stage's box is: its column and its row within the column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Place {
    pub column: u32,
    pub row: u32,
}

/// Columns by depth, rows in dependency order within a column. The stages come
/// in dependency order, so every dependency is placed before its dependents.
pub(super) fn layout(stages: &[StageView]) -> Vec<Place> {
    let mut column_of: HashMap<&str, u32> = HashMap::new();
    let mut rows: Vec<u32> = Vec::new();
    let mut places = Vec::with_capacity(stages.len());
    for stage in stages {
        let column = (stage.depends_on.iter())
            .filter_map(|dep| column_of.get(dep.as_str()))
            .map(|column| column + 1)
            .max()
            .unwrap_or(0);
        column_of.insert(&stage.name, column);
        if rows.len() <= column as usize {
            rows.resize(column as usize + 1, 0);
        }
        let row = rows[column as usize];
        rows[column as usize] += 1;
        places.push(Place { column, row });
    }
    places
}

fn origin(place: Place) -> (u32, u32) {
    (
        MARGIN + place.column * (BOX_WIDTH + COLUMN_GAP),
        MARGIN + place.row * (BOX_HEIGHT + ROW_GAP),
    )
}

/// The stage graph of `view`, each box a link to its stage's tasks below.
pub(super) fn stage_graph(view: &MissionView) -> Markup {
    let places = layout(&view.stages);
    let columns = places.iter().map(|p| p.column + 1).max().unwrap_or(1);
    let rows = places.iter().map(|p| p.row + 1).max().unwrap_or(1);
    let width = 2 * MARGIN + columns * BOX_WIDTH + (columns - 1) * COLUMN_GAP;
    let height = 2 * MARGIN + rows * BOX_HEIGHT + (rows - 1) * ROW_GAP;
    let index: HashMap<&str, usize> = (view.stages.iter().enumerate())
        .map(|(i, stage)| (stage.name.as_str(), i))
        .collect();
    let label = format!(
        "Stage graph of mission {}: {} stages",
        view.name,
        view.stages.len()
    );
    html! {
        svg.dag xmlns="http://www.w3.org/2000/svg" role="img" aria-label=(label)
            viewBox={ "0 0 " (width) " " (height) } width=(width) height=(height) {
            @for (stage, place) in view.stages.iter().zip(&places) {
                @for dep in &stage.depends_on {
                    @if let Some(&from) = index.get(dep.as_str()) {
                        path.edge d=(edge(places[from], *place)) {}
                    }
                }
            }
            @for (stage, place) in view.stages.iter().zip(&places) {
                (stage_box(stage, *place))
            }
        }
    }
}

/// A curve from the right edge of `from`'s box to the left edge of `to`'s.
fn edge(from: Place, to: Place) -> String {
    let (fx, fy) = origin(from);
    let (tx, ty) = origin(to);
    let (x1, y1) = (fx + BOX_WIDTH, fy + BOX_HEIGHT / 2);
    let (x2, y2) = (tx, ty + BOX_HEIGHT / 2);
    let bend = COLUMN_GAP / 2;
    format!(
        "M{x1},{y1} C{},{y1} {},{y2} {x2},{y2}",
        x1 + bend,
        x2.saturating_sub(bend)
    )
}

fn stage_box(stage: &StageView, place: Place) -> Markup {
    let (x, y) = origin(place);
    let state = State::from(stage.phase);
    let counts = stage.counts();
    let id = format!("stage-{}", stage.name);
    html! {
        a href={ "#" (id) } {
            g class={ "stage " (state_class(state)) } data-stage=(stage.name) data-phase=(state.word()) {
                title { (stage.name) ": " (state.word()) }
                rect x=(x) y=(y) width=(BOX_WIDTH) height=(BOX_HEIGHT) rx="6" {}
                text.name x=(x + 10) y=(y + 22) { (state.symbol()) " " (stage.name) }
                text.detail x=(x + 10) y=(y + 44) {
                    (state.word()) " · " (counts.succeeded) "/" (counts.total) " tasks"
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{StagePhase, StageType};

    fn stage(name: &str, deps: &[&str]) -> StageView {
        StageView {
            name: name.into(),
            stage_type: StageType::Parallel,
            depends_on: deps.iter().map(|d| d.to_string()).collect(),
            phase: StagePhase::Pending,
            created: false,
            message: None,
            request: None,
            started: None,
            finished: None,
            tasks: Vec::new(),
        }
    }

    #[test]
    fn a_stage_sits_one_column_right_of_its_deepest_dependency() {
        let stages = [
            stage("recon", &[]),
            stage("escort", &[]),
            stage("strike", &["recon"]),
            stage("assess", &["strike", "escort"]),
        ];
        let columns: Vec<(u32, u32)> = (layout(&stages).iter())
            .map(|p| (p.column, p.row))
            .collect();
        assert_eq!(columns, [(0, 0), (0, 1), (1, 0), (2, 0)]);
    }

    #[test]
    fn an_edge_runs_from_the_right_of_a_dependency_to_the_left_of_its_dependent() {
        let from = Place { column: 0, row: 0 };
        let to = Place { column: 1, row: 1 };
        let (x1, x2) = (MARGIN + BOX_WIDTH, MARGIN + BOX_WIDTH + COLUMN_GAP);
        let d = edge(from, to);
        assert!(d.starts_with(&format!("M{x1},")), "{d}");
        assert!(
            d.ends_with(&format!(
                " {x2},{}",
                MARGIN + BOX_HEIGHT + ROW_GAP + BOX_HEIGHT / 2
            )),
            "{d}"
        );
    }
}
