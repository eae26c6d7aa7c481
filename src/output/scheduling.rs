//! A scheduling decision for a person: the candidates with each
//! plugin's score × weight and the total, the chosen aircraft marked, then the
//! rejected aircraft with the filter that turned each down and why.

use comfy_table::{Cell, Color};

use super::color::Palette;
use super::table;
use crate::scheduler::decision::Decision;
use crate::scheduler::plugins::score_absent;

/// The candidates and rejections tables, with a count line when the decision
/// kept only part of a large fleet.
pub fn render(decision: &Decision, palette: Palette) -> String {
    let mut out = String::new();
    let plugins: Vec<&str> = {
        let mut names: Vec<&str> = Vec::new();
        for score in decision.candidates.iter().flat_map(|c| &c.scores) {
            if !names.contains(&score.plugin.as_ref()) {
                names.push(score.plugin.as_ref());
            }
        }
        names
    };
    out.push_str(&palette.bold(&format!(
        "Candidates ({} of {} aircraft passed every filter)",
        decision.feasible, decision.nodes_evaluated
    )));
    out.push('\n');
    if decision.candidates.is_empty() {
        out.push_str("  none\n");
    } else {
        let headers: Vec<String> = ["NODE", "TOTAL"]
            .into_iter()
            .map(String::from)
            .chain(plugins.iter().map(|p| p.to_uppercase()))
            .collect();
        let mut candidates = table::new(headers, palette);
        for candidate in &decision.candidates {
            let chosen = decision.chosen.as_deref() == Some(candidate.node.as_str());
            let node = if chosen {
                table::colored(
                    format!("{} (chosen)", candidate.node),
                    Color::Green,
                    palette,
                )
            } else {
                Cell::new(&candidate.node)
            };
            let mut row = vec![node, Cell::new(candidate.total)];
            for plugin in &plugins {
                let score = candidate.scores.iter().find(|s| s.plugin == *plugin);
                row.push(Cell::new(match score {
                    Some(s) => format!("{}×{}={}", s.raw, s.weight, s.weighted),
                    None => score_absent(plugin).to_string(),
                }));
            }
            candidates.add_row(row);
        }
        out.push_str(&table::render(&candidates));
        out.push('\n');
        let shown = decision.candidates.len();
        if shown < decision.feasible {
            out.push_str(&format!(
                "  … and {} more candidates\n",
                decision.feasible - shown
            ));
        }
    }
    let rejected = decision.rejected_count();
    out.push('\n');
    out.push_str(&palette.bold(&format!("Rejected ({rejected} aircraft)")));
    out.push('\n');
    if rejected == 0 {
        out.push_str("  none\n");
        return out;
    }
    let mut rejections = table::new(vec!["NODE", "FILTER", "REASON"], palette);
    for rejection in &decision.rejected {
        rejections.add_row(vec![
            Cell::new(&rejection.node),
            table::colored(rejection.plugin.as_ref(), Color::Red, palette),
            Cell::new(&rejection.reason),
        ]);
    }
    out.push_str(&table::render(&rejections));
    out.push('\n');
    if decision.rejected.len() < rejected {
        out.push_str(&format!(
            "  … and {} more; by reason:\n",
            rejected - decision.rejected.len()
        ));
        for reason in &decision.rejected_by_reason {
            out.push_str(&format!(
                "    {:>5}  {}: {}\n",
                reason.count, reason.plugin, reason.reason
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::scheduler::decision::{Candidate, PluginScore, ReasonCount, Rejection};

    fn score(plugin: &'static str, raw: i64, weight: u32) -> PluginScore {
        PluginScore {
            plugin: Cow::Borrowed(plugin),
            raw,
            weight,
            weighted: raw * i64::from(weight),
            note: None,
        }
    }

    fn spec_example() -> Decision {
        Decision {
            chosen: Some("j20-01".into()),
            nodes_evaluated: 4,
            feasible: 2,
            candidates: vec![
                Candidate {
                    node: "j20-01".into(),
                    total: 585,
                    scores: vec![
                        score("FuelLevelScore", 95, 3),
                        score("LocationScore", 100, 2),
                        score("MaintenanceScore", 100, 1),
                    ],
                },
                Candidate {
                    node: "j20-02".into(),
                    total: 450,
                    scores: vec![
                        score("FuelLevelScore", 80, 3),
                        score("LocationScore", 70, 2),
                        score("MaintenanceScore", 70, 1),
                    ],
                },
            ],
            rejected: vec![
                Rejection {
                    node: "j20-03".into(),
                    plugin: Cow::Borrowed("AircraftAvailability"),
                    reason: "aircraft is busy".into(),
                },
                Rejection {
                    node: "j20-04".into(),
                    plugin: Cow::Borrowed("FuelCheck"),
                    reason: "fuel 60 < 70 required".into(),
                },
            ],
            rejected_by_reason: vec![
                ReasonCount {
                    plugin: Cow::Borrowed("AircraftAvailability"),
                    reason: Cow::Borrowed("busy"),
                    count: 1,
                },
                ReasonCount {
                    plugin: Cow::Borrowed("FuelCheck"),
                    reason: Cow::Borrowed("fuel too low"),
                    count: 1,
                },
            ],
        }
    }

    #[test]
    fn the_spec_example_reads_as_two_tables() {
        let text = render(&spec_example(), Palette::PLAIN);
        let expected = "\
Candidates (2 of 4 aircraft passed every filter)
NODE              TOTAL   FUELLEVELSCORE   LOCATIONSCORE   MAINTENANCESCORE
j20-01 (chosen)   585     95×3=285         100×2=200       100×1=100
j20-02            450     80×3=240         70×2=140        70×1=70

Rejected (2 aircraft)
NODE     FILTER                 REASON
j20-03   AircraftAvailability   aircraft is busy
j20-04   FuelCheck              fuel 60 < 70 required
";
        assert_eq!(text, expected);
    }

    #[test]
    fn a_truncated_decision_says_how_many_more_and_why() {
        let mut decision = spec_example();
        decision.feasible = 40;
        decision.rejected.truncate(1);
        decision.rejected_by_reason[1].count = 900;
        let text = render(&decision, Palette::PLAIN);
        assert!(text.contains("… and 38 more candidates"), "{text}");
        assert!(text.contains("Rejected (901 aircraft)"), "{text}");
        assert!(text.contains("… and 900 more; by reason:"), "{text}");
        assert!(text.contains("  900  FuelCheck: fuel too low"), "{text}");
    }

    #[test]
    fn nothing_feasible_says_none() {
        let mut decision = spec_example();
        decision.candidates.clear();
        decision.feasible = 0;
        decision.chosen = None;
        let text = render(&decision, Palette::PLAIN);
        assert!(
            text.starts_with("Candidates (0 of 4 aircraft passed every filter)\n  none\n"),
            "{text}"
        );
    }
}
