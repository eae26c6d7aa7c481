//! Rules about flight tasks: names unique within the mission, dependencies
//! between tasks (mixed stages only, inside the stage, acyclic), and loadouts
//! whose quantities and mount points agree.

use std::collections::HashMap;

use super::diagnostic::{Finding, Rule};
use super::path::FieldPath;
use super::stages::{cycle_text, name_hint, stages_path};
use crate::api::{MissionSpec, MissionTask, StageTemplate, StageType, WeaponLoadout};
use crate::graph;

pub fn task_path(stage: usize, task: usize) -> FieldPath {
    stages_path().index(stage).key("flightTasks").index(task)
}

pub fn check(spec: &MissionSpec) -> Vec<Finding> {
    let mut findings = unique_names(spec);
    for (stage_index, stage) in spec.stages.iter().enumerate() {
        findings.extend(dependencies(stage_index, stage, spec));
        for (task_index, task) in stage.flight_tasks.iter().enumerate() {
            findings.extend(loadout(&task_path(stage_index, task_index), task));
        }
    }
    findings
}

fn unique_names(spec: &MissionSpec) -> Vec<Finding> {
    let mut first: HashMap<String, FieldPath> = HashMap::new();
    let mut findings = Vec::new();
    for (stage_index, stage) in spec.stages.iter().enumerate() {
        for (task_index, task) in stage.flight_tasks.iter().enumerate() {
            let name = task.effective_name(&stage.name, task_index);
            let path = task_path(stage_index, task_index);
            let Some(earlier) = first.get(&name) else {
                first.insert(name, path);
                continue;
            };
            let finding = match task.name {
                Some(_) => Finding::error(
                    Rule::DuplicateTask,
                    path.key("name"),
                    format!("flight task name `{name}` is already used by {earlier}"),
                )
                .hint("task names must be unique within the mission: rename one of them"),
                None => Finding::error(
                    Rule::DuplicateTask,
                    path,
                    format!("this task would be named `{name}`, which {earlier} already uses"),
                )
                .hint("a task without a name is named <stage>-<position>: give this one a name"),
            };
            findings.push(finding);
        }
    }
    findings
}

fn dependencies(stage_index: usize, stage: &StageTemplate, spec: &MissionSpec) -> Vec<Finding> {
    let names: Vec<String> = (stage.flight_tasks.iter().enumerate())
        .map(|(index, task)| task.effective_name(&stage.name, index))
        .collect();
    let mut findings = Vec::new();
    for (task_index, task) in stage.flight_tasks.iter().enumerate() {
        if task.depends_on.is_empty() {
            continue;
        }
        let path = task_path(stage_index, task_index).key("dependsOn");
        if stage.stage_type != StageType::Mixed {
            let message = format!(
                "flight tasks may depend on each other only in a stage of type mixed; stage `{}` is {}",
                stage.name,
                stage.stage_type.as_str()
            );
            let finding = Finding::error(Rule::TaskDependencyOutsideMixed, path, message);
            findings.push(finding.hint("set `type: mixed` on the stage, or remove dependsOn"));
            continue;
        }
        for (position, dependency) in task.depends_on.iter().enumerate() {
            let finding = task_dependency(dependency, &names[task_index], &names, stage, spec);
            findings.extend(finding.map(|f| Finding {
                path: path.index(position),
                ..f
            }));
        }
    }
    findings.extend(task_cycles(stage_index, stage, &names));
    findings
}

/// What is wrong with one task dependency, if anything; the caller places it.
fn task_dependency(
    dependency: &str,
    own_name: &str,
    names: &[String],
    stage: &StageTemplate,
    spec: &MissionSpec,
) -> Option<Finding> {
    let here = FieldPath::root();
    if dependency == own_name {
        let message = format!("flight task `{dependency}` depends on itself");
        return Some(
            Finding::error(Rule::SelfDependency, here, message).hint("remove it from dependsOn"),
        );
    }
    if names.iter().any(|name| name == dependency) {
        return None;
    }
    let message = format!(
        "there is no flight task named `{dependency}` in stage `{}`",
        stage.name
    );
    let elsewhere = spec.stages.iter().find(|other| {
        (other.flight_tasks.iter().enumerate())
            .any(|(index, task)| task.effective_name(&other.name, index) == dependency)
    });
    let hint = match elsewhere {
        Some(other) => format!(
            "`{dependency}` is in stage `{}`: a task may depend only on tasks of its own stage; make the stage depend on stage `{}` instead",
            other.name, other.name
        ),
        None => name_hint(dependency, names.iter().map(String::as_str), "flight tasks"),
    };
    Some(Finding::error(Rule::MissingTaskDependency, here, message).hint(hint))
}

fn task_cycles(stage_index: usize, stage: &StageTemplate, names: &[String]) -> Vec<Finding> {
    if stage.stage_type != StageType::Mixed {
        return Vec::new();
    }
    // The first task of each name, as a dependency on it resolves.
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (index, name) in names.iter().enumerate() {
        first.entry(name.as_str()).or_insert(index);
    }
    let index_of = |name: &str| first.get(name).copied();
    let edges: Vec<Vec<usize>> = (stage.flight_tasks.iter().enumerate())
        .map(|(index, task)| {
            (task.depends_on.iter())
                .filter_map(|dependency| index_of(dependency))
                .filter(|target| *target != index)
                .collect()
        })
        .collect();
    graph::cycles(&edges)
        .into_iter()
        .filter_map(|cycle| {
            let (&start, &last) = (cycle.first()?, cycle.last()?);
            let tasks = &stage.flight_tasks;
            let closing = tasks[last]
                .depends_on
                .iter()
                .position(|d| *d == names[start])?;
            let text = cycle_text(cycle.iter().map(|&index| names[index].as_str()));
            let path = task_path(stage_index, last).key("dependsOn").index(closing);
            let message = format!("flight tasks depend on each other in a cycle: {text}");
            let hint = "→ reads \"depends on\": remove one of these dependencies";
            Some(Finding::error(Rule::TaskCycle, path, message).hint(hint))
        })
        .collect()
}

fn loadout(task: &FieldPath, flight_task: &MissionTask) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut used: HashMap<&str, FieldPath> = HashMap::new();
    for (index, entry) in flight_task.template.weapon_loadout.iter().enumerate() {
        let path = task.key("weaponLoadout").index(index);
        findings.extend(quantity(&path, entry));
        for (position, mount_point) in entry.mount_points.iter().enumerate() {
            let here = path.key("mountPoints").index(position);
            match used.get(mount_point.as_str()) {
                Some(earlier) => findings.push(
                    Finding::error(
                        Rule::DuplicateMountPoint,
                        here,
                        format!("mount point {mount_point} is already used by {earlier}"),
                    )
                    .hint("a mount point carries one weapon: pick another"),
                ),
                None => {
                    used.insert(mount_point, here);
                }
            }
        }
    }
    findings
}

fn quantity(path: &FieldPath, entry: &WeaponLoadout) -> Vec<Finding> {
    let mut findings = Vec::new();
    if entry.quantity < 1 {
        let message = format!("quantity must be at least 1 (is {})", entry.quantity);
        let hint = "carry at least one, or remove this loadout entry";
        findings.push(Finding::error(Rule::Quantity, path.key("quantity"), message).hint(hint));
    }
    let mounts = entry.mount_points.len();
    if mounts > 0 && i64::try_from(mounts).ok() != Some(i64::from(entry.quantity)) {
        let listed = match mounts {
            1 => "1 mount point".to_string(),
            _ => format!("{mounts} mount points"),
        };
        let message = format!(
            "{listed} for a quantity of {}: there must be one per weapon",
            entry.quantity
        );
        let hint = "list exactly as many mount points as quantity, or leave mountPoints out";
        findings
            .push(Finding::error(Rule::MountPoints, path.key("mountPoints"), message).hint(hint));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::WeaponRef;

    fn task(name: Option<&str>, depends_on: &[&str]) -> MissionTask {
        MissionTask {
            name: name.map(str::to_string),
            depends_on: depends_on.iter().map(|d| d.to_string()).collect(),
            ..Default::default()
        }
    }

    fn spec(stage_type: StageType, tasks: Vec<MissionTask>) -> MissionSpec {
        MissionSpec {
            stages: vec![StageTemplate {
                name: "s".to_string(),
                stage_type,
                flight_tasks: tasks,
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    fn found(spec: &MissionSpec) -> Vec<(String, Rule)> {
        check(spec)
            .into_iter()
            .map(|f| (f.path.to_string(), f.rule))
            .collect()
    }

    #[test]
    fn a_generated_name_can_clash_with_a_given_one() {
        let spec = spec(
            StageType::Parallel,
            vec![task(Some("s-2"), &[]), task(None, &[])],
        );
        assert_eq!(
            found(&spec),
            [(
                "spec.stages[0].flightTasks[1]".to_string(),
                Rule::DuplicateTask
            )]
        );
    }

    #[test]
    fn task_dependencies_outside_a_mixed_stage_are_refused() {
        let spec = spec(
            StageType::Sequential,
            vec![task(Some("a"), &[]), task(Some("b"), &["a"])],
        );
        let expected = (
            "spec.stages[0].flightTasks[1].dependsOn".to_string(),
            Rule::TaskDependencyOutsideMixed,
        );
        assert_eq!(found(&spec), [expected]);
    }

    #[test]
    fn a_mixed_stage_reports_missing_self_and_cyclic_dependencies() {
        let tasks = vec![task(Some("a"), &["b"]), task(Some("b"), &["a", "b", "x"])];
        let paths: Vec<(String, Rule)> = found(&spec(StageType::Mixed, tasks));
        let base = "spec.stages[0].flightTasks";
        assert_eq!(
            paths,
            [
                (format!("{base}[1].dependsOn[1]"), Rule::SelfDependency),
                (
                    format!("{base}[1].dependsOn[2]"),
                    Rule::MissingTaskDependency
                ),
                (format!("{base}[1].dependsOn[0]"), Rule::TaskCycle),
            ]
        );
    }

    #[test]
    fn mount_points_must_match_the_quantity_and_not_repeat() {
        let entry = |quantity, mounts: &[&str]| WeaponLoadout {
            weapon_ref: WeaponRef::default(),
            quantity,
            mount_points: mounts.iter().map(|m| m.to_string()).collect(),
        };
        let mut flight_task = task(Some("a"), &[]);
        flight_task.template.weapon_loadout =
            vec![entry(2, &["wing-1"]), entry(0, &[]), entry(1, &["wing-1"])];
        let spec = spec(StageType::Parallel, vec![flight_task]);
        let base = "spec.stages[0].flightTasks[0].weaponLoadout";
        assert_eq!(
            found(&spec),
            [
                (format!("{base}[0].mountPoints"), Rule::MountPoints),
                (format!("{base}[1].quantity"), Rule::Quantity),
                (
                    format!("{base}[2].mountPoints[0]"),
                    Rule::DuplicateMountPoint
                ),
            ]
        );
    }
}
