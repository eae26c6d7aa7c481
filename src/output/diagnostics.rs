//! The report of `mission validate`: one `file:line: error: path: message` line
//! per problem with its hint below, then a count (for standard error); one
//! line per valid mission (for standard output).

use std::collections::BTreeSet;

use kube::ResourceExt;
use serde_json::json;

use super::color::Palette;
use crate::api::Mission;
use crate::validate::{Checked, Diagnostic, Origin, Resolved, Severity};

/// Every problem with its hint, then the count: "2 errors, 1 warning in 1 file".
/// Each line ends in a newline; no problems render as nothing.
pub fn render(diagnostics: &[Diagnostic], palette: Palette) -> String {
    let mut text = String::new();
    for diagnostic in diagnostics {
        text.push_str(&diagnostic_line(diagnostic, palette));
        text.push('\n');
        if let Some(hint) = &diagnostic.hint {
            text.push_str(&format!("  {} {hint}\n", palette.blue("hint:")));
        }
    }
    if !diagnostics.is_empty() {
        text.push_str(&counts(diagnostics, palette));
        text.push('\n');
    }
    text
}

/// What `mission validate` says on standard output when there is no error:
/// one line for each valid mission, or the valid weapons when there is none.
pub fn valid(checked: &Checked, palette: Palette) -> String {
    if checked.has_errors() {
        return String::new();
    }
    (valid_lines(checked, palette).into_iter())
        .map(|line| line + "\n")
        .collect()
}

fn diagnostic_line(diagnostic: &Diagnostic, palette: Palette) -> String {
    let place = match diagnostic.line {
        Some(line) => format!("{}:{line}:", diagnostic.file),
        None => format!("{}:", diagnostic.file),
    };
    let severity = match diagnostic.severity {
        Severity::Error => palette.red(&palette.bold("error:")),
        Severity::Warning => palette.yellow(&palette.bold("warning:")),
    };
    let path = match &diagnostic.path {
        Some(path) => format!("{}: ", palette.bold(path)),
        None => String::new(),
    };
    format!(
        "{} {severity} {path}{}",
        palette.bold(&place),
        diagnostic.message
    )
}

fn valid_lines(checked: &Checked, palette: Palette) -> Vec<String> {
    let valid = palette.green("is valid");
    let mut lines: Vec<String> = Vec::new();
    for (file, mission) in &checked.missions {
        let shape = mission_shape(mission);
        lines.push(format!(
            "{file}: Mission/{} {valid} ({shape})",
            mission.name_any()
        ));
        lines.extend(weapons_found(checked, file, mission).map(|found| format!("  {found}")));
    }
    if lines.is_empty() && !checked.weapons.is_empty() {
        let names: Vec<String> = checked.weapons.iter().map(|w| w.name_any()).collect();
        let count = plural(names.len(), "weapon");
        lines.push(format!(
            "{count} {}: {}",
            palette.green("valid"),
            names.join(", ")
        ));
    }
    lines
}

/// "Mission/far-sea-strike: weapons found: …" for every mission that names a
/// weapon, one line each: what `submit` tells before it applies.
pub fn weapons_found_lines(checked: &Checked) -> String {
    (checked.missions.iter())
        .filter_map(|(file, mission)| {
            let found = weapons_found(checked, file, mission)?;
            Some(format!("Mission/{}: {found}\n", mission.name_any()))
        })
        .collect()
}

/// "weapons found: pl-15 in weapons (the armoury, in the cluster), …", or
/// `None` when the mission names no weapon that was found.
fn weapons_found(checked: &Checked, file: &str, mission: &Mission) -> Option<String> {
    let found = weapon_sources(checked, file, mission);
    let places: Vec<String> = found.iter().map(found_at).collect();
    (!places.is_empty()).then(|| format!("weapons found: {}", places.join(", ")))
}

fn weapon_sources<'c>(checked: &'c Checked, file: &str, mission: &Mission) -> &'c [Resolved] {
    let key = (file.to_string(), mission.name_any());
    checked.weapon_sources.get(&key).map_or(&[], Vec::as_slice)
}

/// "pl-15 in weapons (the armoury, in the cluster)".
fn found_at(found: &Resolved) -> String {
    let origin = match found.origin {
        Origin::File => "a file given",
        Origin::Cluster => "in the cluster",
    };
    let armoury = if found.armoury { "the armoury, " } else { "" };
    format!("{} in {} ({armoury}{origin})", found.name, found.namespace)
}

/// "3 stages, 9 flight tasks, 3 weapons"; "2 flight tasks (201 with their
/// replicas)" when a task fans out.
fn mission_shape(mission: &Mission) -> String {
    let stages = &mission.spec.stages;
    let tasks = stages.iter().map(|stage| stage.flight_tasks.len()).sum();
    let runs: usize = (stages.iter())
        .flat_map(|stage| &stage.flight_tasks)
        .map(|task| task.replica_count() as usize)
        .sum();
    let replicas = match runs == tasks {
        true => String::new(),
        false => format!(" ({runs} with their replicas)"),
    };
    let weapons: BTreeSet<_> = stages
        .iter()
        .flat_map(|stage| &stage.flight_tasks)
        .flat_map(|task| &task.template.weapon_loadout)
        .map(|entry| &entry.weapon_ref)
        .collect();
    format!(
        "{}, {}{replicas}, {}",
        plural(stages.len(), "stage"),
        plural(tasks, "flight task"),
        plural(weapons.len(), "weapon")
    )
}

fn counts(diagnostics: &[Diagnostic], palette: Palette) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let files: BTreeSet<&str> = diagnostics.iter().map(|d| d.file.as_str()).collect();
    let text = format!(
        "{}, {} in {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(files.len(), "file")
    );
    if errors > 0 {
        palette.red(&text)
    } else {
        palette.yellow(&text)
    }
}

fn plural(count: usize, noun: &str) -> String {
    match count {
        1 => format!("1 {noun}"),
        _ => format!("{count} {noun}s"),
    }
}

/// The report for a program: every diagnostic, the counts, and what was valid.
pub fn json(checked: &Checked) -> serde_json::Value {
    let missions: Vec<_> = checked
        .missions
        .iter()
        .map(|(file, mission)| {
            let stages = &mission.spec.stages;
            json!({
                "file": file,
                "name": mission.name_any(),
                "namespace": mission.namespace(),
                "stages": stages.len(),
                "flightTasks": stages.iter().map(|s| s.flight_tasks.len()).sum::<usize>(),
                "weaponsFound": weapon_sources(checked, file, mission),
            })
        })
        .collect();
    let weapons: Vec<_> = checked
        .weapons
        .iter()
        .map(|weapon| json!({"name": weapon.name_any(), "namespace": weapon.namespace()}))
        .collect();
    json!({
        "valid": !checked.has_errors(),
        "files": checked.files,
        "errors": checked.errors(),
        "warnings": checked.warnings(),
        "diagnostics": checked.diagnostics,
        "missions": missions,
        "weapons": weapons,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{MissionSpec, StageTemplate};
    use crate::validate::Rule;

    fn diagnostic(severity: Severity, line: Option<usize>, path: Option<&str>) -> Diagnostic {
        Diagnostic {
            severity,
            rule: Rule::StageCycle,
            file: "m.yaml".to_string(),
            line,
            object: Some("Mission/m".to_string()),
            path: path.map(str::to_string),
            message: "something is wrong".to_string(),
            hint: Some("fix it".to_string()),
        }
    }

    fn checked(diagnostics: Vec<Diagnostic>) -> Checked {
        let stage = StageTemplate {
            name: "a".to_string(),
            flight_tasks: vec![Default::default(), Default::default()],
            ..Default::default()
        };
        let spec = MissionSpec {
            stages: vec![stage],
            ..Default::default()
        };
        Checked {
            files: 1,
            missions: vec![("m.yaml".to_string(), Mission::new("m", spec))],
            weapons: vec![],
            manifests: vec![],
            diagnostics,
            weapon_sources: Default::default(),
        }
    }

    #[test]
    fn problems_are_listed_with_their_hints_and_counted() {
        let report = render(
            &[
                diagnostic(
                    Severity::Error,
                    Some(23),
                    Some("spec.stages[2].dependsOn[0]"),
                ),
                diagnostic(Severity::Warning, None, None),
            ],
            Palette::PLAIN,
        );
        assert_eq!(
            report,
            "m.yaml:23: error: spec.stages[2].dependsOn[0]: something is wrong\n  hint: fix it\n\
             m.yaml: warning: something is wrong\n  hint: fix it\n\
             1 error, 1 warning in 1 file\n"
        );
    }

    #[test]
    fn a_valid_mission_is_one_line() {
        assert_eq!(
            valid(&checked(vec![]), Palette::PLAIN),
            "m.yaml: Mission/m is valid (1 stage, 2 flight tasks, 0 weapons)\n"
        );
    }

    #[test]
    fn a_fanned_out_task_is_counted_with_its_replicas_too() {
        let mut fanned = checked(vec![]);
        fanned.missions[0].1.spec.stages[0].flight_tasks[1].replicas = Some(200);
        assert_eq!(
            valid(&fanned, Palette::PLAIN),
            "m.yaml: Mission/m is valid (1 stage, 2 flight tasks (201 with their replicas), 0 weapons)\n"
        );
    }

    #[test]
    fn warnings_do_not_hide_the_valid_line_but_errors_do() {
        let warned = checked(vec![diagnostic(Severity::Warning, Some(3), None)]);
        assert_eq!(
            valid(&warned, Palette::PLAIN),
            "m.yaml: Mission/m is valid (1 stage, 2 flight tasks, 0 weapons)\n"
        );
        let failed = checked(vec![diagnostic(Severity::Error, Some(3), None)]);
        assert_eq!(valid(&failed, Palette::PLAIN), "");
    }

    #[test]
    fn the_json_report_counts_what_it_lists() {
        let report = json(&checked(vec![diagnostic(
            Severity::Error,
            Some(3),
            Some("spec"),
        )]));
        assert_eq!(report["valid"], false);
        assert_eq!(report["errors"], 1);
        assert_eq!(report["diagnostics"][0]["path"], "spec");
        assert_eq!(report["diagnostics"][0]["rule"], "stage-cycle");
        assert_eq!(report["missions"][0]["flightTasks"], 2);
    }
}
