//! Random missions: stage DAGs of every stage type, tasks with their own
//! retries and a scripted outcome for every attempt, abort or continue, and
//! mission retries; and the Mission object each one is.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kubectl_airforce::api::mission::FailurePolicy;
use kubectl_airforce::api::{
    Mission, MissionConfig, MissionSpec, MissionTask, StageFailureAction, StageTemplate, StageType,
    TaskPolicy,
};
use proptest::prelude::*;

use super::MISSION_BACKOFF;

#[derive(Debug, Clone)]
pub struct TaskSpec {
    /// Tasks of the same stage it depends on (mixed stages only).
    pub deps: Vec<usize>,
    pub retries: u32,
    /// Whether attempt n (from 1) fails; attempts past the end succeed.
    pub fails: Vec<bool>,
}

#[derive(Debug, Clone)]
pub struct StageSpec {
    pub kind: StageType,
    pub deps: Vec<usize>,
    pub tasks: Vec<TaskSpec>,
}

#[derive(Debug, Clone)]
pub struct Spec {
    pub stages: Vec<StageSpec>,
    pub action: StageFailureAction,
    pub max_retries: i32,
}

fn subset(before: usize) -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(prop::bool::weighted(0.4), before).prop_map(|picked| {
        (picked.iter().enumerate())
            .filter(|(_, p)| **p)
            .map(|(i, _)| i)
            .collect()
    })
}

fn task_spec(index: usize) -> impl Strategy<Value = TaskSpec> {
    (
        subset(index),
        0u32..=2,
        prop::collection::vec(prop::bool::weighted(0.4), 8),
    )
        .prop_map(|(deps, retries, fails)| TaskSpec {
            deps,
            retries,
            fails,
        })
}

fn stage_spec(index: usize) -> impl Strategy<Value = StageSpec> {
    let kind = prop_oneof![
        Just(StageType::Sequential),
        Just(StageType::Parallel),
        Just(StageType::Mixed)
    ];
    (kind, subset(index), 1usize..=3).prop_flat_map(|(kind, deps, count)| {
        let tasks: Vec<_> = (0..count).map(task_spec).collect();
        tasks.prop_map(move |mut tasks| {
            if kind != StageType::Mixed {
                tasks.iter_mut().for_each(|t| t.deps.clear());
            }
            StageSpec {
                kind,
                deps: deps.clone(),
                tasks,
            }
        })
    })
}

pub fn spec() -> impl Strategy<Value = Spec> {
    let action = prop_oneof![
        Just(StageFailureAction::Abort),
        Just(StageFailureAction::Continue)
    ];
    (1usize..=4, action, 0i32..=2).prop_flat_map(|(count, action, max_retries)| {
        let stages: Vec<_> = (0..count).map(stage_spec).collect();
        stages.prop_map(move |stages| Spec {
            stages,
            action,
            max_retries,
        })
    })
}

pub fn stage_name(stage: usize) -> String {
    format!("s{stage}")
}

pub fn task_name(stage: usize, task: usize) -> String {
    format!("s{stage}t{task}")
}

pub fn mission_object(spec: &Spec) -> Mission {
    let stages = (spec.stages.iter().enumerate())
        .map(|(index, stage)| StageTemplate {
            name: stage_name(index),
            stage_type: stage.kind,
            depends_on: stage.deps.iter().map(|d| stage_name(*d)).collect(),
            flight_tasks: (stage.tasks.iter().enumerate())
                .map(|(t, task)| {
                    let mut mission_task = MissionTask {
                        name: Some(task_name(index, t)),
                        depends_on: task.deps.iter().map(|d| task_name(index, *d)).collect(),
                        ..MissionTask::default()
                    };
                    mission_task.template.policy = TaskPolicy {
                        max_retries: Some(task.retries as i32),
                        ..TaskPolicy::default()
                    };
                    mission_task
                })
                .collect(),
            ..StageTemplate::default()
        })
        .collect();
    let mut mission = Mission::new(
        "m",
        MissionSpec {
            stages,
            config: MissionConfig {
                failure_policy: FailurePolicy {
                    max_retries: spec.max_retries,
                    backoff: Some(format!("{MISSION_BACKOFF}s")),
                    stage_failure_action: spec.action,
                },
                ..MissionConfig::default()
            },
            ..MissionSpec::default()
        },
    );
    mission.metadata = ObjectMeta {
        name: Some("m".into()),
        namespace: Some("air".into()),
        uid: Some("uid-m".into()),
        generation: Some(1),
        ..ObjectMeta::default()
    };
    mission
}
