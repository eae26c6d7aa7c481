//! Scenarios for the mission plan: a small world applies each plan the way the
//! reconciler will, and the tests play the stage controller's part by hand.

use std::time::Duration;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use k8s_openapi::jiff::Timestamp;
use kube::ResourceExt;
use kube::runtime::events::EventType;

use super::*;
use crate::api::FlightTaskPhase;
use crate::api::MissionTask;
use crate::api::conditions::reasons;
use crate::api::conditions::{find, types};
use crate::api::keys;
use crate::api::mission::{FailurePolicy, MissionConfig, Statistics};
use crate::api::stage::{MissionStageStatus, TaskStatusSummary};
use crate::api::{
    Mission, MissionPhase, MissionStage, MissionStatus, StageFailureAction, StagePhase,
    StageTemplate,
};
use crate::api::{MissionSpec, StageFailureAction::*, StageType, SuspendMode};
use crate::api::{Priority, TaskPolicy};
use crate::controller::names;

fn at(second: i64) -> Time {
    Time(Timestamp::from_second(1_700_000_000 + second).expect("a valid test time"))
}

fn stage(name: &str, deps: &[&str]) -> StageTemplate {
    StageTemplate {
        name: name.to_string(),
        depends_on: deps.iter().map(|d| d.to_string()).collect(),
        flight_tasks: vec![MissionTask::default(), MissionTask::default()],
        ..StageTemplate::default()
    }
}

fn mission(stages: Vec<StageTemplate>, action: StageFailureAction, max_retries: i32) -> Mission {
    let mut mission = Mission::new(
        "op",
        MissionSpec {
            stages,
            config: MissionConfig {
                failure_policy: FailurePolicy {
                    max_retries,
                    stage_failure_action: action,
                    ..FailurePolicy::default()
                },
                ..MissionConfig::default()
            },
            ..MissionSpec::default()
        },
    );
    mission.metadata = ObjectMeta {
        name: Some("op".into()),
        namespace: Some("air".into()),
        uid: Some("uid-op".into()),
        generation: Some(1),
        ..ObjectMeta::default()
    };
    mission
}

/// The cluster as the mission controller sees it; `step` applies a plan the
/// way the reconciler does (deletes complete at once).
struct World {
    mission: Mission,
    stages: Vec<MissionStage>,
    cancelled: bool,
    retry_request: Option<String>,
    clock: i64,
}

impl World {
    fn new(mission: Mission) -> Self {
        Self {
            mission,
            stages: Vec::new(),
            cancelled: false,
            retry_request: None,
            clock: 0,
        }
    }

    fn plan(&self) -> MissionPlan {
        plan(&MissionObserved {
            mission: &self.mission,
            stages: &self.stages,
            cancelled: self.cancelled,
            retry_request: self.retry_request.as_deref(),
            now: at(self.clock),
        })
    }

    fn step(&mut self) -> MissionPlan {
        let plan = self.plan();
        self.ask(&plan);
        self.mission.status = Some(plan.status.clone());
        self.stages.extend(plan.create_stages.iter().cloned());
        self.clock += 10;
        plan
    }

    /// The first write of a plan: a retry handed on to the failed stages.
    fn ask(&mut self, plan: &MissionPlan) {
        let request = plan.retry_request.clone().unwrap_or_default();
        for stage in &mut self.stages {
            if plan.retry_stages.contains(&stage.name_any()) {
                let annotations = stage.annotations_mut();
                annotations.insert(keys::RETRY_REQUEST_ANNOTATION.into(), request.clone());
                annotations.remove(keys::CANCEL_ANNOTATION);
            }
        }
    }

    /// What the stage controller would report for stage `name`; a finished
    /// stage finished at the world's clock.
    fn report(&mut self, name: &str, phase: StagePhase) {
        let now = at(self.clock);
        let stage = (self.stages.iter_mut())
            .find(|stage| stage.spec.stage_name == name)
            .expect("the stage exists");
        let status = stage.status.get_or_insert_with(Default::default);
        status.phase = Some(phase);
        let finished = matches!(phase, StagePhase::Succeeded | StagePhase::Failed);
        status.completion_time = finished.then_some(now);
    }

    fn status(&self) -> &MissionStatus {
        self.mission.status.as_ref().expect("a plan was applied")
    }
}

fn created(plan: &MissionPlan) -> Vec<String> {
    (plan.create_stages.iter())
        .map(|stage| stage.spec.stage_name.clone())
        .collect()
}

fn as_json(plan: &MissionPlan) -> serde_json::Value {
    serde_json::json!({
        "create": plan.create_stages,
        "retry": plan.retry_stages,
        "cancel": plan.cancel_stages,
        "status": plan.status,
        "events": format!("{:?}", plan.events),
    })
}

#[test]
fn a_linear_chain_starts_each_stage_after_the_one_before_it() {
    let chain = vec![stage("a", &[]), stage("b", &["a"]), stage("c", &["b"])];
    let mut world = World::new(mission(chain, Abort, 0));
    assert_eq!(created(&world.step()), ["a"]);
    assert_eq!(world.status().phase, Some(MissionPhase::Running));
    assert_eq!(world.status().start_time, Some(at(0)));
    world.report("a", StagePhase::Running);
    assert_eq!(created(&world.step()), Vec::<String>::new());
    world.report("a", StagePhase::Succeeded);
    assert_eq!(created(&world.step()), ["b"]);
    world.report("b", StagePhase::Succeeded);
    assert_eq!(created(&world.step()), ["c"]);
    world.report("c", StagePhase::Succeeded);
    let done = world.step();
    let status = world.status();
    assert_eq!(status.phase, Some(MissionPhase::Succeeded));
    assert_eq!(status.message.as_deref(), Some("all 3 stages succeeded"));
    assert_eq!(status.start_time, Some(at(0)));
    assert_eq!(status.completion_time, Some(at(40)));
    assert_eq!(status.stage_progress.as_deref(), Some("3/3"));
    let condition = find(&status.conditions, types::READY).expect("Ready is set");
    assert_eq!(
        (condition.status.as_str(), condition.reason.as_str()),
        ("True", "Succeeded")
    );
    assert_eq!(
        done.events.last().map(|e| e.reason),
        Some(reasons::SUCCEEDED)
    );
}

#[test]
fn a_diamond_starts_its_join_only_when_both_branches_succeeded() {
    let diamond = vec![
        stage("a", &[]),
        stage("b", &["a"]),
        stage("c", &["a"]),
        stage("d", &["b", "c"]),
    ];
    let mut world = World::new(mission(diamond, Abort, 0));
    world.step();
    world.report("a", StagePhase::Succeeded);
    assert_eq!(created(&world.step()), ["b", "c"]);
    world.report("b", StagePhase::Succeeded);
    world.report("c", StagePhase::Running);
    assert_eq!(created(&world.step()), Vec::<String>::new());
    assert_eq!(
        world.status().message.as_deref(),
        Some("1 stage running, 2 succeeded, 1 pending")
    );
    world.report("c", StagePhase::Succeeded);
    assert_eq!(created(&world.step()), ["d"]);
}

fn failed_middle(action: StageFailureAction) -> World {
    // a → b → d, a → c → e: b fails while c still runs.
    let stages = vec![
        stage("a", &[]),
        stage("b", &["a"]),
        stage("c", &["a"]),
        stage("d", &["b"]),
        stage("e", &["c"]),
    ];
    let mut world = World::new(mission(stages, action, 0));
    world.step();
    world.report("a", StagePhase::Succeeded);
    world.step();
    world.report("b", StagePhase::Failed);
    world.report("c", StagePhase::Running);
    world
}

#[test]
fn abort_starts_nothing_after_a_failure_and_fails_once_no_stage_runs() {
    let mut world = failed_middle(Abort);
    let plan = world.step();
    assert!(plan.create_stages.is_empty() && plan.cancel_stages.is_empty());
    assert_eq!(world.status().phase, Some(MissionPhase::Running));
    assert_eq!(
        world.status().message.as_deref(),
        Some(
            "aborting, stage b failed: 1 stage running, 1 succeeded, 0 pending, 1 failed, 2 blocked"
        )
    );
    world.report("c", StagePhase::Succeeded);
    let plan = world.step();
    assert!(
        plan.create_stages.is_empty(),
        "e depends only on c, but abort starts nothing"
    );
    assert_eq!(world.status().phase, Some(MissionPhase::Failed));
    assert_eq!(
        world.status().message.as_deref(),
        Some("stage b failed: 0 stages running, 2 succeeded, 0 pending, 1 failed, 2 blocked")
    );
    let event = plan.events.last().expect("the failure is an event");
    assert_eq!(
        (event.type_, event.reason),
        (EventType::Warning, reasons::FAILED)
    );
}

#[test]
fn continue_counts_a_failed_stage_as_finished_so_its_dependants_still_run() {
    let mut world = failed_middle(Continue);
    assert_eq!(
        created(&world.step()),
        ["d"],
        "d depends only on the failed b"
    );
    assert_eq!(
        world.status().message.as_deref(),
        Some(
            "stage b failed, the other stages carry on: 2 stages running, 1 succeeded, 1 pending, 1 failed"
        )
    );
    world.report("c", StagePhase::Succeeded);
    world.report("d", StagePhase::Succeeded);
    assert_eq!(created(&world.step()), ["e"]);
    world.report("e", StagePhase::Succeeded);
    let plan = world.step();
    let status = world.status();
    assert_eq!(status.phase, Some(MissionPhase::Failed));
    assert_eq!(
        status.message.as_deref(),
        Some("stage b failed: 0 stages running, 4 succeeded, 0 pending, 1 failed")
    );
    assert_eq!(plan.events.last().map(|e| e.reason), Some(reasons::FAILED));
}

#[test]
fn continue_runs_every_stage_downstream_of_a_failure() {
    let stages = vec![
        stage("a", &[]),
        stage("b", &["a"]),
        stage("c", &["b"]),
        stage("d", &["c", "e"]),
        stage("e", &[]),
    ];
    let mut world = World::new(mission(stages, Continue, 0));
    assert_eq!(created(&world.step()), ["a", "e"]);
    world.report("a", StagePhase::Failed);
    world.report("e", StagePhase::Succeeded);
    assert_eq!(created(&world.step()), ["b"]);
    world.report("b", StagePhase::Failed);
    assert_eq!(created(&world.step()), ["c"]);
    world.report("c", StagePhase::Succeeded);
    assert_eq!(created(&world.step()), ["d"]);
    world.report("d", StagePhase::Succeeded);
    world.step();
    assert_eq!(world.status().phase, Some(MissionPhase::Failed));
    assert_eq!(
        world.status().message.as_deref(),
        Some("stages a, b failed: 0 stages running, 3 succeeded, 0 pending, 2 failed")
    );
}

#[test]
fn a_failed_mission_retries_only_its_failed_stages_after_a_doubling_backoff() {
    let stages = vec![stage("a", &[]), stage("b", &["a"])];
    let mut world = World::new(mission(stages, Abort, 2));
    world.step();
    world.report("a", StagePhase::Succeeded);
    world.step();
    world.report("b", StagePhase::Failed); // at 20
    let waiting = world.step();
    assert!(waiting.retry_stages.is_empty() && waiting.cancel_stages.is_empty());
    assert_eq!(waiting.requeue_after, Some(Duration::from_secs(10)));
    assert_eq!(world.status().phase, Some(MissionPhase::Running));
    assert_eq!(
        world.status().message.as_deref(),
        Some(
            "stage b failed: 0 stages running, 1 succeeded, 0 pending, 1 failed; retry 1 of 2 in 10s"
        )
    );
    let retry = world.step(); // at 30: the backoff is over
    assert_eq!(retry.retry_stages, ["op.b"]);
    assert_eq!(retry.retry_request.as_deref(), Some("retry-1"));
    assert!(
        retry.create_stages.is_empty(),
        "a, which succeeded, is kept"
    );
    let status = world.status();
    assert_eq!(
        (status.retry_count, status.phase),
        (1, Some(MissionPhase::Running))
    );
    assert_eq!(status.completion_time, None);
    assert_eq!(status.last_handled_retry, None, "no person asked");
    let event = &retry.events[0];
    assert_eq!(
        (event.type_, event.reason),
        (EventType::Warning, reasons::RETRYING)
    );
    assert_eq!(
        event.note,
        "stage b failed: 0 stages running, 1 succeeded, 0 pending, 1 failed; retry 1 of 2: stage b runs its failed flight tasks again"
    );
    // Until the stage acts, it counts as running.
    assert!(world.step().retry_stages.is_empty());
    assert_eq!(world.status().phase, Some(MissionPhase::Running));
    world.acknowledge("b", "retry-1", StagePhase::Failed); // at 50
    world.step();
    assert_eq!(
        world.plan().requeue_after,
        Some(Duration::from_secs(10)),
        "the second retry waits twice as long: 20s from 50"
    );
    world.clock = 70;
    assert_eq!(world.step().retry_request.as_deref(), Some("retry-2"));
    world.acknowledge("b", "retry-2", StagePhase::Failed);
    world.step();
    assert_eq!(world.status().phase, Some(MissionPhase::Failed));
    assert_eq!(world.status().retry_count, 2);
}

#[test]
fn an_automatic_retry_interrupted_before_its_status_write_is_counted_once() {
    let mut world = World::new(mission(vec![stage("a", &[]), stage("b", &[])], Abort, 3));
    world.step();
    world.report("a", StagePhase::Failed);
    world.report("b", StagePhase::Succeeded);
    world.clock = 100;
    let retry = world.plan();
    assert_eq!(retry.retry_request.as_deref(), Some("retry-1"));
    // The stage was asked, then the operator died before writing the status,
    // and the stage acted meanwhile.
    world.ask(&retry);
    world.acknowledge("a", "retry-1", StagePhase::Running);
    let after_crash = world.plan();
    assert!(after_crash.retry_stages.is_empty());
    assert!(after_crash.events.is_empty());
    assert_eq!(
        after_crash.status.retry_count, 1,
        "read back from the stage"
    );
    assert_eq!(after_crash.status.phase, Some(MissionPhase::Running));
}

#[test]
fn a_stage_that_starts_is_summarized_as_running_before_it_exists() {
    let mut world = World::new(mission(vec![stage("a", &[]), stage("b", &["a"])], Abort, 0));
    let plan = world.plan();
    assert_eq!(created(&plan), ["a"]);
    let phases: Vec<_> = (plan.status.stages_summary.iter())
        .map(|s| s.phase)
        .collect();
    assert_eq!(
        phases,
        [Some(StagePhase::Running), Some(StagePhase::Pending)]
    );
    world.step();
}

#[test]
fn planning_twice_on_the_same_input_gives_the_same_plan() {
    let stages = vec![stage("a", &[]), stage("b", &["a"]), stage("c", &["a"])];
    let mut world = World::new(mission(stages, Continue, 1));
    assert_eq!(as_json(&world.plan()), as_json(&world.plan()));
    world.step();
    world.report("a", StagePhase::Succeeded);
    assert_eq!(as_json(&world.plan()), as_json(&world.plan()));
    world.step();
    world.report("b", StagePhase::Failed);
    world.report("c", StagePhase::Succeeded);
    assert_eq!(as_json(&world.plan()), as_json(&world.plan()));
}

#[test]
fn replanning_once_the_planned_stages_exist_creates_nothing_and_changes_nothing() {
    let stages = vec![stage("a", &[]), stage("b", &[])];
    let mut world = World::new(mission(stages, Abort, 0));
    let first = world.step();
    assert_eq!(created(&first), ["a", "b"]);
    world.clock -= 10; // same instant: only the objects changed
    let second = world.plan();
    assert!(second.create_stages.is_empty());
    assert!(second.events.is_empty());
    assert_eq!(&second.status, world.status(), "nothing new to write");
}

#[test]
fn stages_made_under_an_earlier_naming_are_recognised_not_made_again() {
    let mut world = World::new(mission(vec![stage("a", &[]), stage("b", &["a"])], Abort, 0));
    world.step();
    world.stages[0].metadata.name = Some("op-a".into());
    world.report("a", StagePhase::Succeeded);
    assert_eq!(created(&world.step()), ["b"]);
    world.report("b", StagePhase::Succeeded);
    let plan = world.step();
    assert!(plan.create_stages.is_empty());
    assert_eq!(plan.status.phase, Some(MissionPhase::Succeeded));
}

#[test]
fn a_dependency_cycle_that_bypassed_cel_fails_the_mission_and_creates_nothing() {
    let stages = vec![stage("a", &["b"]), stage("b", &["a"]), stage("c", &[])];
    let mut world = World::new(mission(stages, Continue, 2));
    let plan = world.step();
    assert!(plan.create_stages.is_empty());
    let status = world.status();
    assert_eq!(status.phase, Some(MissionPhase::Failed));
    assert_eq!(
        status.message.as_deref(),
        Some("stages depend on each other in a cycle: a → b → a (→ reads \"depends on\")")
    );
    assert_eq!(status.retry_count, 0, "a bad spec is not retried");
    assert_eq!(status.start_time, None);
    let condition = find(&status.conditions, types::READY).expect("Ready is set");
    assert_eq!(condition.reason, reasons::INVALID_DEFINITION);
    assert_eq!(plan.events[0].reason, reasons::INVALID_DEFINITION);
}

#[test]
fn a_dependency_on_a_missing_stage_fails_the_mission_and_creates_nothing() {
    let mut world = World::new(mission(vec![stage("a", &["ghost"])], Abort, 0));
    assert!(world.step().create_stages.is_empty());
    assert_eq!(
        world.status().message.as_deref(),
        Some("stage a depends on ghost, which is not a stage of this mission")
    );
}

#[test]
fn cancelling_starts_nothing_cancels_running_stages_and_ends_cancelled() {
    let stages = vec![stage("a", &[]), stage("b", &["a"]), stage("c", &[])];
    let mut world = World::new(mission(stages, Continue, 3));
    world.step();
    world.report("a", StagePhase::Succeeded);
    world.report("c", StagePhase::Running);
    world.cancelled = true;
    let plan = world.step();
    assert!(
        plan.create_stages.is_empty(),
        "b may start, but not after a cancel"
    );
    assert_eq!(plan.cancel_stages, ["op.c"]);
    assert_eq!(world.status().phase, Some(MissionPhase::Running));
    assert!(
        world
            .status()
            .message
            .as_deref()
            .is_some_and(|m| m.starts_with("cancelling: "))
    );
    world.report("c", StagePhase::Failed);
    let plan = world.step();
    assert!(plan.cancel_stages.is_empty() && plan.retry_stages.is_empty());
    let status = world.status();
    assert_eq!(status.phase, Some(MissionPhase::Cancelled));
    assert_eq!(status.retry_count, 0, "a cancelled mission is not retried");
    let condition = find(&status.conditions, types::READY).expect("Ready is set");
    assert_eq!(condition.reason, reasons::CANCELLED);
    assert_eq!(plan.events[0].reason, reasons::CANCELLED);
}

#[test]
fn cancelling_a_mission_before_it_starts_ends_it_at_once() {
    let mut world = World::new(mission(vec![stage("a", &[])], Abort, 0));
    world.cancelled = true;
    assert!(world.step().create_stages.is_empty());
    assert_eq!(world.status().phase, Some(MissionPhase::Cancelled));
    assert_eq!(world.status().start_time, None);
    assert_eq!(
        world.status().message.as_deref(),
        Some("cancelled: 0 stages running, 0 succeeded, 0 pending, 1 blocked")
    );
}

fn tasks(phases: &[FlightTaskPhase]) -> Vec<TaskStatusSummary> {
    (phases.iter().enumerate())
        .map(|(index, phase)| TaskStatusSummary {
            name: format!("t{index}"),
            phase: Some(*phase),
            ..TaskStatusSummary::default()
        })
        .collect()
}

#[test]
fn statistics_sum_the_tasks_each_stage_reports() {
    use FlightTaskPhase::*;
    let mut stages = vec![stage("a", &[]), stage("b", &[]), stage("c", &["a"])];
    stages[1].flight_tasks.push(MissionTask::default());
    let mut world = World::new(mission(stages, Abort, 0));
    world.step();
    world.stages[0].status = Some(MissionStageStatus {
        phase: Some(StagePhase::Succeeded),
        start_time: Some(at(1)),
        completion_time: Some(at(9)),
        flight_tasks_status: tasks(&[Succeeded, Succeeded]),
        ..MissionStageStatus::default()
    });
    world.stages[1].status = Some(MissionStageStatus {
        phase: Some(StagePhase::Running),
        flight_tasks_status: tasks(&[Failed, Retrying, Pending]),
        ..MissionStageStatus::default()
    });
    world.step();
    let status = world.status();
    let expected = Statistics {
        total_flight_tasks: 7,
        succeeded_tasks: 2,
        failed_tasks: 1,
        running_tasks: 1,
        pending_tasks: 3,
    };
    assert_eq!(status.statistics, expected);
    assert_eq!(status.task_progress.as_deref(), Some("2/7"));
    assert_eq!(status.stage_progress.as_deref(), Some("1/3"));
    assert_eq!(
        status.message.as_deref(),
        Some("2 stages running, 1 succeeded, 0 pending")
    );
    let summary: Vec<_> = status
        .stages_summary
        .iter()
        .map(|s| (s.name.as_str(), s.phase))
        .collect();
    let expected = [
        ("a", Some(StagePhase::Succeeded)),
        ("b", Some(StagePhase::Running)),
        ("c", Some(StagePhase::Running)),
    ];
    assert_eq!(summary, expected);
    assert_eq!(status.stages_summary[0].completion_time, Some(at(9)));
    assert_eq!(status.observed_generation, Some(1));
}

#[test]
fn each_replica_of_a_fanned_out_task_counts_as_a_task() {
    let mut stages = vec![stage("a", &[])];
    stages[0].flight_tasks[0].replicas = Some(100);
    let mut world = World::new(mission(stages, Abort, 0));
    world.step();
    let mut fanned = tasks(&[FlightTaskPhase::Running]);
    fanned[0].replicas = Some(crate::api::stage::ReplicaCounts {
        total: 100,
        succeeded: 60,
        running: 20,
        failed: 1,
        pending: 19,
        failed_names: vec!["t.3".into()],
    });
    fanned.extend(tasks(&[FlightTaskPhase::Succeeded]));
    world.stages[0].status = Some(MissionStageStatus {
        phase: Some(StagePhase::Running),
        flight_tasks_status: fanned,
        ..MissionStageStatus::default()
    });
    world.step();
    let expected = Statistics {
        total_flight_tasks: 101,
        succeeded_tasks: 61,
        failed_tasks: 1,
        running_tasks: 20,
        pending_tasks: 19,
    };
    assert_eq!(world.status().statistics, expected);
    assert_eq!(world.status().task_progress.as_deref(), Some("61/101"));
}

#[test]
fn the_ready_transition_time_and_last_update_stay_while_nothing_changes() {
    let mut world = World::new(mission(vec![stage("a", &[])], Abort, 0));
    world.step();
    world.report("a", StagePhase::Running);
    world.step();
    let before = world.status().clone();
    world.step();
    assert_eq!(world.status(), &before);
    let ready = |status: &MissionStatus| {
        find(&status.conditions, types::READY).map(|c| c.last_transition_time.clone())
    };
    assert_eq!(ready(&before), Some(at(0)));
    world.report("a", StagePhase::Succeeded);
    world.step();
    assert_eq!(ready(world.status()), Some(at(30)));
    assert_eq!(world.status().last_update_time, Some(at(30)));
}

#[test]
fn a_finished_mission_stays_finished_when_a_stage_disappears() {
    let mut world = World::new(mission(vec![stage("a", &[])], Abort, 0));
    world.step();
    world.report("a", StagePhase::Succeeded);
    world.step();
    let done = world.status().clone();
    world.stages.clear();
    let plan = world.step();
    assert!(plan.create_stages.is_empty() && plan.events.is_empty());
    assert_eq!(world.status(), &done);
}

#[test]
fn a_created_stage_carries_labels_owner_namespace_and_the_full_stage_spec() {
    let mut template = stage("strike", &["recon"]);
    template.timeout = Some("10m".into());
    template.stage_type = StageType::Mixed;
    template.flight_tasks[1].name = Some("bomber".into());
    template.task_defaults.timeout = Some("2m".into());
    let mut mission = mission(vec![stage("recon", &[]), template], Abort, 0);
    mission.spec.priority = Some(Priority::High);
    mission.spec.config.task_defaults = TaskPolicy {
        timeout: Some("5m".into()),
        max_retries: Some(1),
        ..TaskPolicy::default()
    };
    let mut world = World::new(mission);
    world.step();
    world.report("recon", StagePhase::Succeeded);
    let plan = world.step();
    let created = &plan.create_stages[0];
    assert_eq!(created.name_any(), "op.strike");
    assert_eq!(created.namespace().as_deref(), Some("air"));
    let labels = created.labels();
    assert_eq!(labels[keys::MISSION_LABEL], "op");
    assert_eq!(labels[keys::STAGE_LABEL], "strike");
    let owner = &created.owner_references()[0];
    assert_eq!(
        (owner.uid.as_str(), owner.controller),
        ("uid-op", Some(true))
    );
    let spec = &created.spec;
    assert_eq!(spec.mission_ref.name, "op");
    assert_eq!((spec.stage_name.as_str(), spec.stage_index), ("strike", 1));
    assert_eq!(spec.stage_type, StageType::Mixed);
    assert_eq!(spec.config.timeout.as_deref(), Some("10m"));
    assert_eq!(spec.config.depends_on, ["recon"]);
    assert_eq!(spec.priority, Some(Priority::High));
    let defaults = &spec.config.task_defaults;
    assert_eq!(
        (defaults.timeout.as_deref(), defaults.max_retries),
        (Some("2m"), Some(1)),
        "the stage's own default wins, the mission's fills in"
    );
    let task_names: Vec<_> = spec.flight_tasks.iter().map(|t| t.name.clone()).collect();
    assert_eq!(
        task_names,
        [Some("strike-1".to_string()), Some("bomber".to_string())]
    );
    assert_eq!(plan.events[0].note, "stage strike started: recon succeeded");
}

impl World {
    /// The stage controller's part of a retry: it acted on `request`.
    fn acknowledge(&mut self, name: &str, request: &str, phase: StagePhase) {
        self.report(name, phase);
        let object = names::stage("op", name);
        let stage = (self.stages.iter_mut())
            .find(|stage| stage.name_any() == object)
            .expect("the stage exists");
        let status = stage.status.get_or_insert_with(Default::default);
        status.last_handled_retry = Some(request.to_string());
    }
}

/// `failed_middle` under abort, run until the mission failed.
fn failed_under_abort() -> World {
    let mut world = failed_middle(Abort);
    world.report("c", StagePhase::Succeeded);
    world.step();
    assert_eq!(world.status().phase, Some(MissionPhase::Failed));
    world
}

#[test]
fn a_requested_retry_reruns_the_failed_stage_and_starts_what_the_failure_blocked() {
    let mut world = failed_under_abort();
    world.retry_request = Some("r1".into());
    let plan = world.step();
    assert_eq!(plan.retry_stages, ["op.b"]);
    assert_eq!(
        created(&plan),
        ["e"],
        "e waited only for c, abort no longer holds it"
    );
    assert!(plan.cancel_stages.is_empty());
    assert_eq!(plan.retry_request.as_deref(), Some("r1"));
    let status = world.status();
    assert_eq!(status.phase, Some(MissionPhase::Running));
    assert_eq!(status.completion_time, None);
    assert_eq!(status.last_handled_retry.as_deref(), Some("r1"));
    assert_eq!(
        status.retry_count, 0,
        "a requested retry is not an automatic one"
    );
    let event = &plan.events[0];
    assert_eq!(
        (event.reason, event.type_),
        (reasons::RETRYING, EventType::Normal)
    );
    assert_eq!(
        event.note,
        "retry requested: stage b runs its failed flight tasks again"
    );

    // Until the stage controller acts, b still reads Failed but counts as running.
    let waiting = world.step();
    assert!(waiting.retry_stages.is_empty() && waiting.create_stages.is_empty());
    assert_eq!(world.status().phase, Some(MissionPhase::Running));
    world.acknowledge("b", "r1", StagePhase::Running);
    world.step();
    world.report("b", StagePhase::Succeeded);
    assert_eq!(created(&world.step()), ["d"]);
    world.report("d", StagePhase::Succeeded);
    world.report("e", StagePhase::Succeeded);
    world.step();
    assert_eq!(world.status().phase, Some(MissionPhase::Succeeded));
    let stage_a = world.stages.iter().filter(|s| s.spec.stage_name == "a");
    assert_eq!(
        stage_a.count(),
        1,
        "the stage that succeeded was kept, not run again"
    );
}

#[test]
fn a_retry_request_is_acted_on_once_and_a_second_failure_fails_the_mission_again() {
    let mut world = failed_under_abort();
    world.retry_request = Some("r1".into());
    world.step();
    world.report("e", StagePhase::Succeeded);
    world.acknowledge("b", "r1", StagePhase::Failed);
    let plan = world.step();
    assert!(plan.retry_stages.is_empty());
    assert_eq!(world.status().phase, Some(MissionPhase::Failed));
    let again = world.step();
    assert!(
        again.retry_stages.is_empty(),
        "the same request is not honoured twice"
    );
    assert_eq!(world.status().phase, Some(MissionPhase::Failed));
    world.retry_request = Some("r2".into());
    assert_eq!(world.step().retry_stages, ["op.b"]);
    assert_eq!(world.status().phase, Some(MissionPhase::Running));
}

#[test]
fn a_retry_request_on_a_mission_that_did_not_fail_changes_nothing() {
    let chain = vec![stage("a", &[])];
    let mut world = World::new(mission(chain, Abort, 0));
    world.step();
    world.retry_request = Some("r1".into());
    world.report("a", StagePhase::Running);
    let running = world.step();
    assert!(running.retry_stages.is_empty());
    assert_eq!(world.status().last_handled_retry, None);
    world.report("a", StagePhase::Succeeded);
    world.step();
    let done = world.step();
    assert!(done.retry_stages.is_empty() && done.create_stages.is_empty());
    assert_eq!(world.status().phase, Some(MissionPhase::Succeeded));
    assert_eq!(world.status().last_handled_retry, None);
}

#[test]
fn retrying_a_cancelled_mission_lifts_the_cancellation_of_its_stages() {
    let mut world = failed_under_abort();
    let b = names::stage("op", "b");
    for stage in &mut world.stages {
        if stage.name_any() == b {
            stage
                .annotations_mut()
                .insert(keys::CANCEL_ANNOTATION.into(), "true".into());
        }
    }
    world.retry_request = Some("r1".into());
    assert_eq!(world.step().retry_stages, std::slice::from_ref(&b));
    let stage = world.stages.iter().find(|s| s.name_any() == b).expect("b");
    assert_eq!(stage.annotations().get(keys::CANCEL_ANNOTATION), None);
    assert_eq!(
        stage
            .annotations()
            .get(keys::RETRY_REQUEST_ANNOTATION)
            .map(String::as_str),
        Some("r1")
    );
}

#[test]
fn a_suspended_mission_starts_no_stage_tells_its_stages_and_carries_on_when_resumed() {
    let chain = vec![stage("a", &[]), stage("b", &["a"])];
    let mut world = World::new(mission(chain, Abort, 0));
    world.step();
    world.report("a", StagePhase::Running);
    world.mission.spec.suspend = Some(true);
    let suspended = world.step();
    assert_eq!(
        suspended.suspension_marks,
        [("op.a".to_string(), Some(SuspendMode::Finish))]
    );
    assert_eq!(suspended.events.len(), 1);
    assert_eq!(suspended.events[0].reason, reasons::SUSPENDED);
    let status = world.status();
    assert_eq!(status.phase, Some(MissionPhase::Running));
    let condition = find(&status.conditions, types::SUSPENDED).expect("set");
    assert_eq!(condition.status, "True");
    assert!(
        (status.message.as_deref()).is_some_and(|m| m.starts_with("suspended: ")),
        "{status:?}"
    );

    // Running work finishes; what would start next waits.
    (world.stages[0].annotations_mut()).insert(keys::SUSPEND_ANNOTATION.into(), "true".into());
    world.report("a", StagePhase::Succeeded);
    let held = world.step();
    assert!(created(&held).is_empty(), "no stage starts while suspended");
    assert!(
        held.suspension_marks.is_empty(),
        "a finished stage is left alone"
    );
    assert!(held.events.is_empty(), "the suspension is told once");
    assert_eq!(world.status().phase, Some(MissionPhase::Running));

    world.mission.spec.suspend = None;
    let resumed = world.step();
    assert_eq!(created(&resumed), ["b"]);
    assert_eq!(
        resumed.events.last().map(|e| e.reason),
        Some(reasons::RESUMED)
    );
    let condition = find(&world.status().conditions, types::SUSPENDED).expect("kept");
    assert_eq!(
        (condition.status.as_str(), condition.reason.as_str()),
        ("False", reasons::RESUMED)
    );
}

#[test]
fn resuming_lifts_the_mark_from_stages_still_running() {
    let mut world = World::new(mission(vec![stage("a", &[])], Abort, 0));
    world.step();
    world.report("a", StagePhase::Running);
    (world.stages[0].annotations_mut()).insert(keys::SUSPEND_ANNOTATION.into(), "true".into());
    let plan = world.step();
    assert_eq!(plan.suspension_marks, [("op.a".to_string(), None)]);
}
