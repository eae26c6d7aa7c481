//! Rules about time limits: task timeouts that are not zero, a mission retry
//! backoff that parses, and a warning when the tasks of a stage, with their
//! timeouts and every retry spent, could run past the stage's own timeout.

use std::time::Duration;

use super::diagnostic::{Finding, Rule};
use super::path::FieldPath;
use super::stages::stages_path;
use super::tasks::task_path;
use crate::api::duration::{self, human};
use crate::api::flight_task::retry_delay;
use crate::api::{MissionSpec, StageTemplate, StageType, TaskPolicy};

pub fn check(spec: &MissionSpec) -> Vec<Finding> {
    let defaults_path = FieldPath::root()
        .key("spec")
        .key("config")
        .key("taskDefaults");
    let mut findings = positive(&defaults_path, &spec.config.task_defaults);
    for (index, stage) in spec.stages.iter().enumerate() {
        let stage_path = stages_path().index(index);
        findings.extend(positive(
            &stage_path.key("taskDefaults"),
            &stage.task_defaults,
        ));
        for (task, mission_task) in stage.flight_tasks.iter().enumerate() {
            findings.extend(positive(
                &task_path(index, task),
                &mission_task.template.policy,
            ));
        }
        findings.extend(budget(index, stage, &spec.config.task_defaults));
    }
    findings
}

/// A limit of zero would end every attempt at once.
fn positive(path: &FieldPath, policy: &TaskPolicy) -> Vec<Finding> {
    let fields = [
        ("timeout", &policy.timeout),
        ("schedulingTimeout", &policy.scheduling_timeout),
        ("imagePullTimeout", &policy.image_pull_timeout),
    ];
    (fields.into_iter())
        .filter_map(|(field, value)| Some((field, duration::parse(value.as_deref()?).ok()?)))
        .filter(|(_, value)| value.is_zero())
        .map(|(field, _)| {
            Finding::error(
                Rule::Duration,
                path.key(field),
                format!("{field} must be longer than 0s"),
            )
            .hint("give the task time (e.g. 5m), or leave it out for the default")
        })
        .collect()
}

/// The longest a task may take with every retry spent: each attempt runs its
/// whole timeout, and the retries wait 2s, 4s, 8s… before they start. `None`
/// when the task has no timeout: it may run for ever.
fn worst_case(policy: &TaskPolicy) -> Option<Duration> {
    let timeout = duration::parse(policy.timeout.as_deref()?).ok()?;
    let retries = policy.retries();
    let backoff = policy.retry_backoff();
    let waits: Duration = (1..=retries).map(|retry| retry_delay(backoff, retry)).sum();
    Some(timeout.saturating_mul(retries + 1) + waits)
}

/// Warns when the stage's tasks, as its type runs them, could take longer
/// than the stage's timeout. Tasks without a timeout count as taking none,
/// so the warning is only given when it is certain the budget can be overrun.
fn budget(index: usize, stage: &StageTemplate, mission_defaults: &TaskPolicy) -> Option<Finding> {
    let limit = duration::parse(stage.timeout.as_deref()?).ok()?;
    let worst: Vec<Duration> = (stage.flight_tasks.iter())
        .map(|task| {
            let policy = task
                .template
                .policy
                .or(&stage.task_defaults)
                .or(mission_defaults);
            worst_case(&policy).unwrap_or_default()
        })
        .collect();
    let total = match stage.stage_type {
        StageType::Sequential => worst.iter().sum(),
        StageType::Parallel => worst.iter().copied().max().unwrap_or_default(),
        StageType::Mixed => longest_path(stage, &worst),
    };
    if limit.is_zero() || total <= limit {
        return None;
    }
    let how = match stage.stage_type {
        StageType::Sequential => "one after another",
        StageType::Parallel => "side by side",
        StageType::Mixed => "along their longest chain of dependencies",
    };
    Some(
        Finding::warning(
            Rule::TimeBudget,
            stages_path().index(index).key("timeout"),
            format!(
                "the stage's tasks, run {how} with every retry spent, can take {} (each attempt its whole timeout, plus the waits before retries): longer than the stage timeout of {}",
                human(total),
                human(limit)
            ),
        )
        .hint("raise the stage timeout, or lower the tasks' timeout or maxRetries, or the stage may time out while a task still has retries left"),
    )
}

/// The longest run through tasks that wait for each other (mixed stages):
/// a task finishes its worst case after the latest of its dependencies.
/// Dependencies that are unknown or form a cycle are reported elsewhere and
/// ignored here.
fn longest_path(stage: &StageTemplate, worst: &[Duration]) -> Duration {
    let names: Vec<String> = (stage.flight_tasks.iter().enumerate())
        .map(|(index, task)| task.effective_name(&stage.name, index))
        .collect();
    let mut finish: Vec<Option<Duration>> = vec![None; worst.len()];
    // At most one pass per task settles every acyclic chain.
    for _ in 0..worst.len() {
        for (index, task) in stage.flight_tasks.iter().enumerate() {
            let deps: Option<Vec<Duration>> = (task.depends_on.iter())
                .filter_map(|dep| names.iter().position(|name| name == dep))
                .map(|dep| finish[dep])
                .collect();
            if let Some(deps) = deps {
                let start = deps.into_iter().max().unwrap_or_default();
                finish[index] = Some(start + worst[index]);
            }
        }
    }
    finish.into_iter().flatten().max().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::MissionTask;

    fn task(name: &str, timeout: &str, retries: i32, deps: &[&str]) -> MissionTask {
        let mut task = MissionTask {
            name: Some(name.to_string()),
            depends_on: deps.iter().map(|d| d.to_string()).collect(),
            ..MissionTask::default()
        };
        task.template.policy = TaskPolicy {
            timeout: Some(timeout.to_string()),
            max_retries: Some(retries),
            ..TaskPolicy::default()
        };
        task
    }

    fn stage(stage_type: StageType, timeout: &str, tasks: Vec<MissionTask>) -> MissionSpec {
        MissionSpec {
            stages: vec![StageTemplate {
                name: "s".into(),
                stage_type,
                timeout: Some(timeout.into()),
                flight_tasks: tasks,
                ..StageTemplate::default()
            }],
            ..MissionSpec::default()
        }
    }

    fn warnings(spec: &MissionSpec) -> Vec<(String, String)> {
        check(spec)
            .into_iter()
            .map(|f| (f.path.to_string(), f.message))
            .collect()
    }

    #[test]
    fn a_task_whose_retries_cannot_fit_in_the_stage_timeout_is_warned_about() {
        // 1m × 4 attempts + 2s + 4s + 8s = 4m14s.
        let spec = stage(StageType::Parallel, "4m", vec![task("a", "1m", 3, &[])]);
        let found = warnings(&spec);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "spec.stages[0].timeout");
        assert!(found[0].1.contains("can take 4m14s"), "{}", found[0].1);
        assert!(found[0].1.contains("stage timeout of 4m"), "{}", found[0].1);
        let roomy = stage(StageType::Parallel, "5m", vec![task("a", "1m", 3, &[])]);
        assert!(warnings(&roomy).is_empty());
    }

    #[test]
    fn a_longer_retry_backoff_counts_in_the_stage_budget() {
        // 1m × 4 attempts + 30s + 1m + 2m = 7m30s.
        let mut slow = task("a", "1m", 3, &[]);
        slow.template.policy.retry_backoff = Some("30s".into());
        let found = warnings(&stage(StageType::Parallel, "5m", vec![slow]));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].1.contains("can take 7m30s"), "{}", found[0].1);
    }

    #[test]
    fn sequential_tasks_add_up_parallel_ones_do_not_and_mixed_ones_follow_their_chain() {
        let tasks = || {
            vec![
                task("a", "1m", 0, &[]),
                task("b", "1m", 0, &["a"]),
                task("c", "1m", 0, &[]),
            ]
        };
        assert_eq!(
            warnings(&stage(
                StageType::Sequential,
                "2m30s",
                tasks_without_deps(tasks())
            ))
            .len(),
            1
        );
        assert!(
            warnings(&stage(
                StageType::Parallel,
                "2m30s",
                tasks_without_deps(tasks())
            ))
            .is_empty()
        );
        assert!(warnings(&stage(StageType::Mixed, "2m30s", tasks())).is_empty());
        assert_eq!(
            warnings(&stage(StageType::Mixed, "1m30s", tasks())).len(),
            1
        );
    }

    fn tasks_without_deps(mut tasks: Vec<MissionTask>) -> Vec<MissionTask> {
        tasks.iter_mut().for_each(|t| t.depends_on.clear());
        tasks
    }

    #[test]
    fn defaults_of_the_stage_and_the_mission_count_and_tasks_without_a_timeout_take_none() {
        let mut spec = stage(StageType::Parallel, "1m", vec![MissionTask::default()]);
        assert!(warnings(&spec).is_empty(), "no timeout: nothing certain");
        spec.config.task_defaults.timeout = Some("2m".into());
        spec.stages[0].task_defaults.max_retries = Some(0);
        let found = warnings(&spec);
        assert_eq!(found.len(), 1);
        assert!(found[0].1.contains("can take 2m "), "{}", found[0].1);
    }

    #[test]
    fn a_zero_limit_is_refused_where_it_is_written() {
        let mut spec = stage(StageType::Parallel, "1h", vec![task("a", "0s", 0, &[])]);
        spec.config.task_defaults.image_pull_timeout = Some("0s".into());
        let paths: Vec<String> = check(&spec).iter().map(|f| f.path.to_string()).collect();
        assert_eq!(
            paths,
            [
                "spec.config.taskDefaults.imagePullTimeout",
                "spec.stages[0].flightTasks[0].timeout"
            ]
        );
    }
}
