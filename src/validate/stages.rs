//! Rules about a mission's stages: unique names, dependencies that exist and do
//! not form a cycle, and timeouts that parse.

use std::collections::HashMap;

use super::diagnostic::{Finding, Rule};
use super::path::FieldPath;
use super::suggest;
use crate::api::duration;
use crate::api::{MissionSpec, StageTemplate};
use crate::graph;

pub fn stages_path() -> FieldPath {
    FieldPath::root().key("spec").key("stages")
}

pub fn check(spec: &MissionSpec) -> Vec<Finding> {
    let mut findings = unique_names(&spec.stages);
    findings.extend(dependencies(&spec.stages));
    findings.extend(cycles(&spec.stages));
    findings.extend(timeouts(&spec.stages));
    findings
}

/// Where each name is first used: the index of the stage.
fn first_index(stages: &[StageTemplate]) -> HashMap<&str, usize> {
    let mut first = HashMap::new();
    for (index, stage) in stages.iter().enumerate() {
        first.entry(stage.name.as_str()).or_insert(index);
    }
    first
}

fn unique_names(stages: &[StageTemplate]) -> Vec<Finding> {
    let first = first_index(stages);
    stages
        .iter()
        .enumerate()
        .filter(|(index, stage)| first[stage.name.as_str()] != *index)
        .map(|(index, stage)| {
            let earlier = stages_path().index(first[stage.name.as_str()]);
            Finding::error(
                Rule::DuplicateStage,
                stages_path().index(index).key("name"),
                format!("stage name `{}` is already used by {earlier}", stage.name),
            )
            .hint("stage names must be unique within the mission: rename one of them")
        })
        .collect()
}

fn dependencies(stages: &[StageTemplate]) -> Vec<Finding> {
    let first = first_index(stages);
    let mut findings = Vec::new();
    for (index, stage) in stages.iter().enumerate() {
        for (position, dependency) in stage.depends_on.iter().enumerate() {
            let path = stages_path().index(index).key("dependsOn").index(position);
            if *dependency == stage.name {
                let message = format!("stage `{dependency}` depends on itself");
                let finding = Finding::error(Rule::SelfDependency, path, message);
                findings.push(finding.hint("remove it from dependsOn"));
            } else if !first.contains_key(dependency.as_str()) {
                let message = format!("there is no stage named `{dependency}` in this mission");
                let names = stages.iter().map(|s| s.name.as_str());
                let finding = Finding::error(Rule::MissingDependency, path, message);
                findings.push(finding.hint(name_hint(dependency, names, "stages")));
            }
        }
    }
    findings
}

/// "did you mean …?" when a name is close, else the names there are.
pub fn name_hint<'a>(
    wrong: &str,
    names: impl Iterator<Item = &'a str> + Clone,
    what: &str,
) -> String {
    match suggest::closest(wrong, names.clone()) {
        Some(close) => format!("did you mean `{close}`?"),
        None => {
            let names: Vec<&str> = names.collect();
            format!("the {what} here are {}", names.join(", "))
        }
    }
}

fn cycles(stages: &[StageTemplate]) -> Vec<Finding> {
    let first = first_index(stages);
    let edges: Vec<Vec<usize>> = stages
        .iter()
        .map(|stage| {
            stage
                .depends_on
                .iter()
                .filter(|dependency| **dependency != stage.name)
                .filter_map(|dependency| first.get(dependency.as_str()).copied())
                .collect()
        })
        .collect();
    graph::cycles(&edges)
        .into_iter()
        .filter_map(|cycle| {
            let (&start, &last) = (cycle.first()?, cycle.last()?);
            let closing = stages[last]
                .depends_on
                .iter()
                .position(|dependency| *dependency == stages[start].name)?;
            let names = cycle_text(cycle.iter().map(|&index| stages[index].name.as_str()));
            Some(
                Finding::error(
                    Rule::StageCycle,
                    stages_path().index(last).key("dependsOn").index(closing),
                    format!("stages depend on each other in a cycle: {names}"),
                )
                .hint("→ reads \"depends on\": remove one of these dependencies"),
            )
        })
        .collect()
}

/// `a → b → c → a`.
pub fn cycle_text<'a>(names: impl Iterator<Item = &'a str> + Clone) -> String {
    let first = names.clone().next().unwrap_or_default();
    let mut text: Vec<&str> = names.collect();
    text.push(first);
    text.join(" → ")
}

fn timeouts(stages: &[StageTemplate]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (index, stage) in stages.iter().enumerate() {
        let Some(timeout) = &stage.timeout else {
            continue;
        };
        let path = stages_path().index(index).key("timeout");
        match duration::parse(timeout) {
            Ok(parsed) if parsed.is_zero() => findings.push(
                Finding::error(Rule::Duration, path, "timeout must be longer than 0s")
                    .hint("give the stage time to run (e.g. 10m), or leave timeout out"),
            ),
            Ok(_) => {}
            Err(error) => findings.push(
                Finding::error(
                    Rule::Duration,
                    path,
                    format!("invalid timeout {timeout:?}: {error}"),
                )
                .hint("write a Go duration such as 90s, 10m or 1h30m"),
            ),
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(name: &str, depends_on: &[&str]) -> StageTemplate {
        StageTemplate {
            name: name.to_string(),
            depends_on: depends_on.iter().map(|d| d.to_string()).collect(),
            ..Default::default()
        }
    }

    fn messages(stages: Vec<StageTemplate>) -> Vec<(String, String)> {
        let spec = MissionSpec {
            stages,
            ..Default::default()
        };
        check(&spec)
            .into_iter()
            .map(|f| (f.path.to_string(), f.message))
            .collect()
    }

    #[test]
    fn a_cycle_is_printed_and_placed_on_the_dependency_that_closes_it() {
        let found = messages(vec![
            stage("air", &[]),
            stage("strike", &["air", "egress"]),
            stage("egress", &["strike"]),
        ]);
        assert_eq!(
            found,
            [(
                "spec.stages[2].dependsOn[0]".to_string(),
                "stages depend on each other in a cycle: strike → egress → strike".to_string()
            )]
        );
    }

    #[test]
    fn duplicate_missing_and_self_dependencies_are_each_reported() {
        let found = messages(vec![
            stage("a", &["a"]),
            stage("a", &[]),
            stage("b", &["c"]),
        ]);
        let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "spec.stages[1].name",
                "spec.stages[0].dependsOn[0]",
                "spec.stages[2].dependsOn[0]"
            ]
        );
    }

    #[test]
    fn a_timeout_that_does_not_parse_or_is_zero_is_refused() {
        let mut bad = stage("a", &[]);
        bad.timeout = Some("10min".to_string());
        let mut zero = stage("b", &[]);
        zero.timeout = Some("0s".to_string());
        let mut good = stage("c", &[]);
        good.timeout = Some("1h30m".to_string());
        let paths: Vec<String> = messages(vec![bad, zero, good])
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(paths, ["spec.stages[0].timeout", "spec.stages[1].timeout"]);
    }
}
