//! Scenarios for the stage plan: a small world applies each plan the way the
//! reconciler will, and the tests play the flight-task controller's part.

use std::sync::Arc;
use std::time::Duration;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use k8s_openapi::jiff::Timestamp;
use kube::ResourceExt;
use kube::runtime::events::EventType;

use super::*;
use crate::api::conditions::{find, reasons, types};
use crate::api::flight_task::ObjectRef;
use crate::api::flight_task::SchedulingInfo;
use crate::api::gate::{Decision, DecisionRequest, Gate, GateState};
use crate::api::keys;
use crate::api::stage::StageConfig;
use crate::api::{
    FlightTask, FlightTaskPhase, MissionStage, MissionStageSpec, MissionStageStatus, StagePhase,
    StageType,
};
use crate::api::{FlightTaskStatus, MissionTask, SuspendMode};
use crate::controller::names;

use FlightTaskPhase::{Failed, Pending, Running, Succeeded};

fn at(second: i64) -> Time {
    Time(Timestamp::from_second(1_700_000_000 + second).expect("a valid test time"))
}

fn task(name: &str, deps: &[&str]) -> MissionTask {
    MissionTask {
        name: Some(name.to_string()),
        depends_on: deps.iter().map(|d| d.to_string()).collect(),
        ..MissionTask::default()
    }
}

fn three() -> Vec<MissionTask> {
    vec![task("t1", &[]), task("t2", &[]), task("t3", &[])]
}

fn stage(
    stage_type: StageType,
    flight_tasks: Vec<MissionTask>,
    timeout: Option<&str>,
) -> MissionStage {
    let spec = MissionStageSpec {
        mission_ref: ObjectRef { name: "op".into() },
        stage_name: "s".into(),
        stage_index: 0,
        stage_type,
        priority: None,
        flight_tasks,
        config: StageConfig {
            timeout: timeout.map(str::to_string),
            ..StageConfig::default()
        },
        gate: None,
    };
    let mut stage = MissionStage::new("op.s", spec);
    stage.metadata = ObjectMeta {
        name: Some("op.s".into()),
        namespace: Some("air".into()),
        uid: Some("uid-s".into()),
        generation: Some(1),
        ..ObjectMeta::default()
    };
    stage
}

/// The cluster as the stage controller sees it; `step` applies a plan the
/// way the reconciler does (stopped tasks are deleted at once).
struct World {
    stage: MissionStage,
    tasks: Vec<FlightTask>,
    cancelled: bool,
    suspended: Option<SuspendMode>,
    retry_request: Option<String>,
    rerun_succeeded: bool,
    gate_request: Option<DecisionRequest>,
    clock: i64,
}

impl World {
    fn new(stage: MissionStage) -> Self {
        Self {
            stage,
            tasks: Vec::new(),
            cancelled: false,
            suspended: None,
            retry_request: None,
            rerun_succeeded: false,
            gate_request: None,
            clock: 0,
        }
    }

    fn plan(&self) -> StagePlan {
        let tasks: Vec<Arc<FlightTask>> = self.tasks.iter().cloned().map(Arc::new).collect();
        plan(&StageObserved {
            stage: &self.stage,
            tasks: &tasks,
            cancelled: self.cancelled,
            suspended: self.suspended,
            retry_request: self.retry_request.as_deref(),
            rerun_succeeded: self.rerun_succeeded,
            gate_request: self.gate_request.clone(),
            now: at(self.clock),
        })
    }

    fn step(&mut self) -> StagePlan {
        let plan = self.plan();
        let request = plan.status.last_handled_retry.clone().unwrap_or_default();
        for task in &mut self.tasks {
            if plan.rerun_tasks.contains(&task.name_any()) {
                (task.annotations_mut())
                    .insert(keys::RETRY_REQUEST_ANNOTATION.into(), request.clone());
            }
        }
        self.stage.status = Some(plan.status.clone());
        self.tasks
            .retain(|task| !plan.stop_tasks.contains(&task.name_any()));
        let made = at(self.clock);
        self.tasks
            .extend(plan.create_tasks.iter().cloned().map(|mut task| {
                task.metadata.creation_timestamp = Some(made.clone());
                task
            }));
        self.clock += 10;
        plan
    }

    /// What the flight-task controller would report for task `name`.
    fn report(&mut self, name: &str, phase: FlightTaskPhase) {
        let task = self.task(name);
        task.status.get_or_insert_with(Default::default).phase = Some(phase);
    }

    /// The task `name` of the stage's spec, whatever its object's name.
    fn task(&mut self, name: &str) -> &mut FlightTask {
        (self.tasks.iter_mut())
            .find(|task| task.labels()[keys::TASK_LABEL] == name)
            .expect("the task exists")
    }

    /// The flight-task controller's part of a retry: it acted on `request`.
    fn rerun(&mut self, name: &str, request: &str, phase: FlightTaskPhase) {
        self.report(name, phase);
        let task = self.task(name);
        let status = task.status.get_or_insert_with(Default::default);
        status.last_handled_retry = Some(request.to_string());
    }

    fn status(&self) -> &MissionStageStatus {
        self.stage.status.as_ref().expect("a plan was applied")
    }

    fn message(&self) -> &str {
        self.status().message.as_deref().unwrap_or_default()
    }
}

fn created(plan: &StagePlan) -> Vec<String> {
    (plan.create_tasks.iter())
        .map(|task| task.labels()[keys::TASK_LABEL].clone())
        .collect()
}

#[test]
fn sequential_runs_one_task_at_a_time_in_spec_order() {
    let mut world = World::new(stage(StageType::Sequential, three(), None));
    assert_eq!(created(&world.step()), ["t1"]);
    world.report("t1", Running);
    assert_eq!(created(&world.step()), Vec::<String>::new());
    world.report("t1", Succeeded);
    assert_eq!(created(&world.step()), ["t2"]);
    world.report("t2", Succeeded);
    assert_eq!(created(&world.step()), ["t3"]);
    world.report("t3", Succeeded);
    let done = world.step();
    assert_eq!(world.status().phase, Some(StagePhase::Succeeded));
    assert_eq!(world.message(), "3 of 3 tasks succeeded");
    assert_eq!(world.status().completion_time, Some(at(40)));
    assert_eq!(done.events[0].reason, reasons::SUCCEEDED);
}

#[test]
fn parallel_starts_every_task_at_once() {
    let mut world = World::new(stage(StageType::Parallel, three(), None));
    let plan = world.step();
    assert_eq!(created(&plan), ["t1", "t2", "t3"]);
    assert_eq!(
        plan.events.len(),
        1,
        "one event for the tasks that start together"
    );
    assert_eq!(world.status().phase, Some(StagePhase::Running));
    assert_eq!(world.status().start_time, Some(at(0)));
}

#[test]
fn mixed_starts_a_task_once_every_task_it_depends_on_succeeded() {
    let tasks = vec![
        task("t1", &[]),
        task("t2", &[]),
        task("t3", &["t1", "t2"]),
        task("t4", &["t3"]),
    ];
    let mut world = World::new(stage(StageType::Mixed, tasks, None));
    assert_eq!(created(&world.step()), ["t1", "t2"]);
    world.report("t1", Succeeded);
    world.report("t2", Running);
    assert_eq!(created(&world.step()), Vec::<String>::new());
    world.report("t2", Succeeded);
    assert_eq!(created(&world.step()), ["t3"]);
}

#[test]
fn a_task_cycle_in_a_mixed_stage_fails_it_and_creates_nothing() {
    let tasks = vec![task("t1", &["t2"]), task("t2", &["t1"])];
    let mut world = World::new(stage(StageType::Mixed, tasks, None));
    let plan = world.step();
    assert!(plan.create_tasks.is_empty());
    assert_eq!(world.status().phase, Some(StagePhase::Failed));
    assert_eq!(
        world.message(),
        "flight tasks depend on each other in a cycle: t1 → t2 → t1 (→ reads \"depends on\")"
    );
    let ready = find(&world.status().conditions, types::READY).expect("Ready is set");
    assert_eq!(
        (ready.status.as_str(), ready.reason.as_str()),
        ("False", reasons::INVALID_DEFINITION)
    );
    assert_eq!(plan.events[0].type_, EventType::Warning);
}

#[test]
fn a_missing_task_dependency_or_one_outside_a_mixed_stage_fails_the_stage() {
    let missing = vec![task("t1", &["ghost"])];
    let mut world = World::new(stage(StageType::Mixed, missing, None));
    assert!(world.step().create_tasks.is_empty());
    assert_eq!(
        world.message(),
        "flight task t1 depends on ghost, which is not a flight task of this stage"
    );
    let outside = vec![task("t1", &[]), task("t2", &["t1"])];
    let mut world = World::new(stage(StageType::Parallel, outside, None));
    assert!(world.step().create_tasks.is_empty());
    assert_eq!(
        world.message(),
        "flight task t2 has dependsOn, which only a stage of type mixed allows"
    );
}

#[test]
fn an_unparsable_timeout_fails_the_stage() {
    let mut world = World::new(stage(StageType::Parallel, three(), Some("10 minutes")));
    assert!(world.step().create_tasks.is_empty());
    assert_eq!(world.status().phase, Some(StagePhase::Failed));
    assert!(
        world
            .message()
            .starts_with("timeout \"10 minutes\" is not a duration")
    );
}

#[test]
fn a_failed_task_fails_a_sequential_stage_and_nothing_after_it_starts() {
    let mut world = World::new(stage(StageType::Sequential, three(), None));
    world.step();
    world.report("t1", Succeeded);
    world.step();
    world.report("t2", Failed);
    let plan = world.step();
    assert!(plan.create_tasks.is_empty() && plan.stop_tasks.is_empty());
    assert_eq!(world.status().phase, Some(StagePhase::Failed));
    assert_eq!(
        world.message(),
        "flight task t2 failed: 1 of 3 tasks succeeded, 1 failed, 1 blocked"
    );
    assert_eq!(plan.events[0].reason, reasons::FAILED);
}

#[test]
fn a_failed_task_in_a_parallel_stage_lets_the_others_finish_first() {
    let mut world = World::new(stage(StageType::Parallel, three(), None));
    world.step();
    world.report("t1", Failed);
    world.report("t2", Running);
    world.report("t3", Succeeded);
    let plan = world.step();
    assert!(
        plan.stop_tasks.is_empty(),
        "the running sortie is not cut short"
    );
    assert_eq!(world.status().phase, Some(StagePhase::Running));
    assert_eq!(
        world.message(),
        "flight task t1 failed, waiting for the tasks still running: 1 of 3 tasks succeeded, 1 running, 1 failed"
    );
    world.report("t2", Succeeded);
    world.step();
    assert_eq!(world.status().phase, Some(StagePhase::Failed));
    assert_eq!(
        world.message(),
        "flight task t1 failed: 2 of 3 tasks succeeded, 1 failed"
    );
}

#[test]
fn a_failed_task_in_a_mixed_stage_blocks_its_dependants_while_other_branches_finish() {
    let tasks = vec![task("t1", &[]), task("t2", &[]), task("t3", &["t1"])];
    let mut world = World::new(stage(StageType::Mixed, tasks, None));
    world.step();
    world.report("t1", Failed);
    world.report("t2", Running);
    assert!(world.step().create_tasks.is_empty());
    assert_eq!(world.status().phase, Some(StagePhase::Running));
    world.report("t2", Succeeded);
    world.step();
    assert_eq!(world.status().phase, Some(StagePhase::Failed));
    assert_eq!(
        world.message(),
        "flight task t1 failed: 1 of 3 tasks succeeded, 1 failed, 1 blocked"
    );
}

#[test]
fn a_running_stage_asks_to_be_requeued_when_its_timeout_falls_due() {
    let mut world = World::new(stage(StageType::Parallel, three(), Some("10m")));
    assert_eq!(world.step().requeue_after, Some(Duration::from_secs(600)));
    world.clock = 240;
    assert_eq!(world.step().requeue_after, Some(Duration::from_secs(360)));
    let untimed = World::new(stage(StageType::Parallel, three(), None));
    assert_eq!(untimed.plan().requeue_after, None);
}

#[test]
fn a_stage_past_its_timeout_fails_and_stops_its_running_tasks() {
    let mut world = World::new(stage(StageType::Parallel, three(), Some("10m")));
    world.step();
    world.report("t1", Succeeded);
    world.report("t2", Running);
    world.clock = 600;
    let plan = world.step();
    assert_eq!(plan.stop_tasks, ["op.s.t2", "op.s.t3"]);
    assert_eq!(plan.requeue_after, None);
    assert_eq!(world.status().phase, Some(StagePhase::Failed));
    assert_eq!(
        world.message(),
        "timed out after 10m: 1 of 3 tasks succeeded, 2 failed"
    );
    let phases: Vec<_> = world
        .status()
        .flight_tasks_status
        .iter()
        .map(|t| t.phase)
        .collect();
    assert_eq!(phases, [Some(Succeeded), Some(Failed), Some(Failed)]);
    let ready = find(&world.status().conditions, types::READY).expect("Ready is set");
    assert_eq!(ready.reason, reasons::TIMEOUT);
    assert_eq!(plan.events[0].reason, reasons::TIMEOUT);
    let after = world.plan();
    assert!(after.stop_tasks.is_empty() && after.events.is_empty());
    assert_eq!(&after.status, world.status());
}

#[test]
fn a_stage_that_succeeds_as_its_timeout_falls_due_has_succeeded() {
    let mut world = World::new(stage(
        StageType::Parallel,
        vec![task("t1", &[])],
        Some("1m"),
    ));
    world.step();
    world.report("t1", Succeeded);
    world.clock = 60;
    world.step();
    assert_eq!(world.status().phase, Some(StagePhase::Succeeded));
    assert_eq!(world.message(), "1 of 1 task succeeded");
}

#[test]
fn a_failed_stage_stops_a_task_left_running_by_a_crash() {
    let mut world = World::new(stage(StageType::Parallel, three(), Some("1m")));
    world.step();
    world.report("t1", Running);
    world.clock = 60;
    let timeout = world.plan();
    // The status was written, then the operator died before stopping anything.
    world.stage.status = Some(timeout.status.clone());
    assert_eq!(world.plan().stop_tasks, timeout.stop_tasks);
}

#[test]
fn a_cancelled_stage_fails_at_once_and_stops_its_running_tasks() {
    let mut world = World::new(stage(StageType::Sequential, three(), None));
    world.step();
    world.report("t1", Running);
    world.cancelled = true;
    let plan = world.step();
    assert!(plan.create_tasks.is_empty());
    assert_eq!(plan.stop_tasks, ["op.s.t1"]);
    assert_eq!(world.status().phase, Some(StagePhase::Failed));
    assert_eq!(
        world.message(),
        "cancelled: 0 of 3 tasks succeeded, 1 failed, 2 blocked"
    );
    assert_eq!(
        (plan.events[0].type_, plan.events[0].reason),
        (EventType::Normal, reasons::CANCELLED)
    );
}

#[test]
fn the_stage_status_summarises_each_task_with_its_pod_and_aircraft() {
    let mut world = World::new(stage(StageType::Parallel, three(), None));
    world.step();
    world.report("t1", Succeeded);
    world.report("t2", Succeeded);
    world.tasks[2].status = Some(FlightTaskStatus {
        phase: Some(Running),
        pod_ref: Some(ObjectRef {
            name: "op.s.t3-1".into(),
        }),
        scheduling_info: Some(SchedulingInfo {
            assigned_node: Some("j20-01".into()),
            ..SchedulingInfo::default()
        }),
        ..FlightTaskStatus::default()
    });
    world.step();
    let status = world.status();
    assert_eq!(world.message(), "2 of 3 tasks succeeded, 1 running");
    assert_eq!(status.task_progress.as_deref(), Some("2/3"));
    assert_eq!(status.observed_generation, Some(1));
    let t3 = &status.flight_tasks_status[2];
    assert_eq!(t3.name, "t3");
    assert_eq!(t3.phase, Some(Running));
    assert_eq!(t3.pod_name.as_deref(), Some("op.s.t3-1"));
    assert_eq!(t3.aircraft_node.as_deref(), Some("j20-01"));
    let ready = find(&status.conditions, types::READY).expect("Ready is set");
    assert_eq!(
        (ready.status.as_str(), ready.reason.as_str()),
        ("False", reasons::RUNNING)
    );
    assert_eq!(ready.last_transition_time, at(0));
}

#[test]
fn tasks_not_yet_created_are_summarised_as_pending() {
    let mut world = World::new(stage(StageType::Sequential, three(), None));
    world.step();
    let phases: Vec<_> = world
        .status()
        .flight_tasks_status
        .iter()
        .map(|t| t.phase)
        .collect();
    assert_eq!(phases, [Some(Pending); 3]);
    assert_eq!(world.message(), "0 of 3 tasks succeeded, 3 pending");
}

#[test]
fn planning_twice_is_the_same_and_replanning_creates_nothing_new() {
    let mut world = World::new(stage(StageType::Parallel, three(), Some("5m")));
    let (first, again) = (world.plan(), world.plan());
    assert_eq!(created(&first), created(&again));
    assert_eq!(first.status, again.status);
    assert_eq!(first.events, again.events);
    world.step();
    world.clock = 0;
    let replanned = world.plan();
    assert!(replanned.create_tasks.is_empty() && replanned.events.is_empty());
    assert_eq!(&replanned.status, world.status());
}

#[test]
fn tasks_made_under_an_earlier_naming_are_recognised_not_made_again() {
    let mut world = World::new(stage(StageType::Sequential, three(), None));
    world.step();
    world.task("t1").metadata.name = Some("op-s-t1".into());
    world.report("t1", FlightTaskPhase::Succeeded);
    assert_eq!(created(&world.step()), ["t2"]);
    world.task("t2").metadata.name = Some("op-s-t2".into());
    world.report("t2", FlightTaskPhase::Failed);
    world.step();
    assert_eq!(world.status().phase, Some(StagePhase::Failed));
    world.retry_request = Some("retry-1".into());
    let plan = world.step();
    assert_eq!(plan.rerun_tasks, ["op-s-t2"], "asked by its object's name");
    assert!(plan.create_tasks.is_empty());
    assert_eq!(
        plan.events[0].note,
        "retry requested: flight task t2 runs again"
    );
}

#[test]
fn a_task_being_deleted_is_recreated_only_once_it_is_gone() {
    let mut world = World::new(stage(StageType::Sequential, three(), None));
    world.step();
    world.tasks[0].metadata.deletion_timestamp = Some(at(5));
    assert!(world.step().create_tasks.is_empty());
    world.tasks.clear();
    assert_eq!(created(&world.step()), ["t1"]);
}

#[test]
fn a_created_task_carries_labels_owner_namespace_and_its_template() {
    let mut tasks = three();
    tasks[0].name = None;
    tasks[0].template.role = Some("escort".into());
    let world = World::new(stage(StageType::Parallel, tasks, None));
    let plan = world.plan();
    let task = &plan.create_tasks[0];
    assert_eq!(task.name_any(), "op.s.s-1");
    assert_eq!(task.namespace().as_deref(), Some("air"));
    let labels = task.labels();
    assert_eq!(
        (
            labels[keys::MISSION_LABEL].as_str(),
            labels[keys::STAGE_LABEL].as_str()
        ),
        ("op", "s")
    );
    assert_eq!(labels[keys::TASK_LABEL], "s-1");
    assert_eq!(task.owner_references()[0].uid, "uid-s");
    assert_eq!(
        task.spec.stage_ref,
        Some(ObjectRef {
            name: "op.s".into()
        })
    );
    assert_eq!(task.spec.template.role.as_deref(), Some("escort"));
}

#[test]
fn a_created_task_takes_the_stages_priority_and_fills_its_policy_from_the_defaults() {
    let mut tasks = three();
    tasks[0].template.policy.timeout = Some("30s".into());
    let mut stage = stage(StageType::Parallel, tasks, None);
    stage.spec.priority = Some(crate::api::Priority::Critical);
    stage.spec.config.task_defaults = crate::api::TaskPolicy {
        timeout: Some("5m".into()),
        max_retries: Some(0),
        ..Default::default()
    };
    let plan = World::new(stage).plan();
    let policies: Vec<_> = (plan.create_tasks.iter())
        .map(|t| {
            (
                t.spec.priority,
                t.spec.template.policy.timeout.clone(),
                t.spec.template.policy.max_retries,
            )
        })
        .collect();
    let critical = Some(crate::api::Priority::Critical);
    assert_eq!(
        policies,
        [
            (critical, Some("30s".to_string()), Some(0)),
            (critical, Some("5m".to_string()), Some(0)),
            (critical, Some("5m".to_string()), Some(0)),
        ]
    );
}

impl World {
    /// Runs `stage_type` with t1..t3 until t2 failed and the stage with it.
    fn failed_at_t2(stage_type: StageType) -> Self {
        let mut world = World::new(stage(stage_type, three(), Some("60s")));
        world.step();
        world.report("t1", Succeeded);
        world.step();
        if stage_type == StageType::Parallel {
            world.report("t3", Succeeded);
        }
        world.report("t2", Failed);
        world.step();
        assert_eq!(world.status().phase, Some(StagePhase::Failed));
        world
    }
}

#[test]
fn a_retry_asks_only_the_failed_task_to_run_again_in_place() {
    let mut world = World::failed_at_t2(StageType::Parallel);
    world.retry_request = Some("r1".into());
    let retry = world.step();
    assert_eq!(retry.rerun_tasks, ["op.s.t2"]);
    assert!(retry.create_tasks.is_empty(), "t2 runs again as it is");
    let status = world.status();
    assert_eq!(status.phase, Some(StagePhase::Running));
    assert_eq!(
        status.start_time,
        Some(at(30)),
        "the timeout counts from the retry"
    );
    assert_eq!(status.completion_time, None);
    assert_eq!(status.last_handled_retry.as_deref(), Some("r1"));
    assert_eq!(retry.events[0].reason, reasons::RETRYING);
    assert_eq!(
        retry.events[0].note,
        "retry requested: flight task t2 runs again"
    );
    assert_eq!(retry.requeue_after, Some(Duration::from_secs(60)));
    let t2 = &status.flight_tasks_status[1];
    assert_eq!(
        t2.phase,
        Some(FlightTaskPhase::Retrying),
        "asked and not acted on yet: not failed"
    );
    // Until the task acts, the stage waits instead of failing again.
    assert!(world.step().rerun_tasks.is_empty());
    assert_eq!(world.status().phase, Some(StagePhase::Running));
    world.rerun("t2", "r1", Running);
    world.step();
    world.report("t2", Succeeded);
    world.step();
    assert_eq!(world.status().phase, Some(StagePhase::Succeeded));
    assert_eq!(world.tasks.len(), 3, "t1 and t3 were kept");
    assert!(
        world.step().rerun_tasks.is_empty(),
        "the request was acted on once"
    );
}

#[test]
fn a_rerun_task_that_fails_again_fails_the_stage_again() {
    let mut world = World::failed_at_t2(StageType::Parallel);
    world.retry_request = Some("r1".into());
    world.step();
    world.rerun("t2", "r1", Failed);
    world.step();
    assert_eq!(world.status().phase, Some(StagePhase::Failed));
}

#[test]
fn a_retried_sequential_stage_goes_on_past_the_task_that_failed() {
    let mut world = World::failed_at_t2(StageType::Sequential);
    world.retry_request = Some("r1".into());
    assert_eq!(world.step().rerun_tasks, ["op.s.t2"]);
    world.rerun("t2", "r1", Succeeded);
    assert_eq!(created(&world.step()), ["t3"]);
}

#[test]
fn a_retry_request_on_a_stage_that_did_not_fail_is_ignored() {
    let mut world = World::new(stage(StageType::Parallel, three(), None));
    world.retry_request = Some("r1".into());
    world.step();
    for name in ["t1", "t2", "t3"] {
        world.report(name, Succeeded);
    }
    let plan = world.step();
    assert!(plan.rerun_tasks.is_empty());
    assert_eq!(world.status().phase, Some(StagePhase::Succeeded));
    assert_eq!(world.status().last_handled_retry, None);
}

fn fanned(name: &str, replicas: u32, parallelism: Option<u32>, deps: &[&str]) -> MissionTask {
    MissionTask {
        replicas: Some(replicas),
        parallelism,
        ..task(name, deps)
    }
}

#[test]
fn tasks_that_start_together_are_told_in_one_event_naming_the_first_few() {
    let tasks = (1..=7)
        .map(|i| task(&format!("t{i}"), &[]))
        .collect::<Vec<_>>();
    let mut world = World::new(stage(StageType::Parallel, tasks, None));
    let plan = world.step();
    assert_eq!(created(&plan).len(), 7);
    assert_eq!(
        (plan.events.iter())
            .map(|e| e.note.as_str())
            .collect::<Vec<_>>(),
        ["7 flight tasks started: t1, t2, t3, t4, t5 and 2 more"]
    );
}

#[test]
fn replicas_start_within_their_parallelism_and_the_next_starts_as_one_finishes() {
    let tasks = vec![fanned("scan", 5, Some(2), &[])];
    let mut world = World::new(stage(StageType::Parallel, tasks, None));
    let plan = world.step();
    assert_eq!(created(&plan), ["scan.0", "scan.1"]);
    let first = &plan.create_tasks[0];
    assert_eq!(first.name_any(), "op.s.scan.0");
    assert_eq!(first.labels()[keys::REPLICA_INDEX_LABEL], "0");
    assert_eq!(
        first.spec.replica,
        Some(crate::api::flight_task::Replica { index: 0, count: 5 })
    );
    assert_eq!(world.status().task_progress.as_deref(), Some("0/5"));
    assert_eq!(
        (plan.events.iter())
            .map(|e| e.note.as_str())
            .collect::<Vec<_>>(),
        ["flight task scan: 2 replicas started, scan.0 to scan.1"],
        "one event for the replicas that start together"
    );
    world.report("scan.0", Running);
    assert_eq!(created(&world.step()), Vec::<String>::new(), "two run");
    world.report("scan.0", Succeeded);
    assert_eq!(created(&world.step()), ["scan.2"]);
    world.report("scan.1", Failed);
    let plan = world.step();
    assert_eq!(
        created(&plan),
        Vec::<String>::new(),
        "a failure starts nothing new"
    );
    assert!(
        world.message().starts_with("flight task scan.1 failed"),
        "{}",
        world.message()
    );
    let summaries = &world.status().flight_tasks_status;
    assert_eq!(summaries.len(), 1, "one summary for the fanned-out task");
    assert_eq!(summaries[0].name, "scan");
    assert_eq!(summaries[0].phase, Some(Failed));
    assert_eq!(
        summaries[0].replicas,
        Some(crate::api::stage::ReplicaCounts {
            total: 5,
            succeeded: 1,
            running: 0,
            failed: 1,
            pending: 3,
            failed_names: vec!["scan.1".into()],
        })
    );
}

#[test]
fn a_stage_of_ten_thousand_replicas_keeps_a_small_status() {
    let tasks = vec![fanned("scan", 10_000, Some(500), &[]), task("egress", &[])];
    let mut world = World::new(stage(StageType::Sequential, tasks, None));
    let plan = world.step();
    assert_eq!(plan.create_tasks.len(), 500);
    let bytes = serde_json::to_vec(world.status())
        .expect("it serializes")
        .len();
    assert!(bytes < 2_000, "{bytes} bytes of status");
    let summaries = &world.status().flight_tasks_status;
    assert_eq!(
        (summaries.iter())
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
        ["scan", "egress"]
    );
}

#[test]
fn a_task_waits_for_every_replica_of_the_task_it_depends_on() {
    let tasks = vec![fanned("scan", 3, None, &[]), task("strike", &["scan"])];
    let mut world = World::new(stage(StageType::Mixed, tasks, None));
    assert_eq!(
        created(&world.step()),
        ["scan.0", "scan.1", "scan.2"],
        "no parallelism: every replica at once"
    );
    world.report("scan.0", Succeeded);
    world.report("scan.1", Succeeded);
    assert_eq!(created(&world.step()), Vec::<String>::new());
    world.report("scan.2", Succeeded);
    assert_eq!(created(&world.step()), ["strike"]);
    world.report("strike", Succeeded);
    world.step();
    assert_eq!(world.status().phase, Some(StagePhase::Succeeded));
    assert_eq!(world.status().task_progress.as_deref(), Some("4/4"));
}

#[test]
fn a_sequential_stage_runs_a_fanned_out_task_whole_before_the_next() {
    let tasks = vec![
        task("brief", &[]),
        fanned("scan", 2, Some(1), &[]),
        task("egress", &[]),
    ];
    let mut world = World::new(stage(StageType::Sequential, tasks, None));
    assert_eq!(created(&world.step()), ["brief"]);
    world.report("brief", Succeeded);
    assert_eq!(created(&world.step()), ["scan.0"]);
    world.report("scan.0", Succeeded);
    assert_eq!(created(&world.step()), ["scan.1"]);
    world.report("scan.1", Succeeded);
    assert_eq!(created(&world.step()), ["egress"]);
}

#[test]
fn replanning_a_fan_out_creates_no_replica_twice() {
    let tasks = vec![fanned("scan", 4, Some(3), &[])];
    let mut world = World::new(stage(StageType::Parallel, tasks, None));
    world.step();
    let again = world.plan();
    assert_eq!(created(&again), Vec::<String>::new());
    assert_eq!(world.tasks.len(), 3);
}

fn gated(timeout: Option<&str>, on_timeout: Option<Decision>) -> MissionStage {
    let mut stage = stage(StageType::Parallel, three(), Some("10m"));
    stage.spec.gate = Some(Gate {
        message: Some("confirm the targets".into()),
        approvers: vec!["alice".into()],
        timeout: timeout.map(str::to_string),
        on_timeout,
        ..Gate::default()
    });
    stage
}

fn decision(decision: Decision, by: &str, message: &str) -> DecisionRequest {
    DecisionRequest {
        decision,
        by: by.into(),
        at: Some("2023-11-14T22:15:00Z".into()),
        message: Some(message.into()),
    }
}

#[test]
fn a_gated_stage_waits_without_starting_anything_until_approved() {
    let mut world = World::new(gated(None, None));
    let waiting = world.step();
    assert!(waiting.create_tasks.is_empty());
    assert_eq!(waiting.status.phase, Some(StagePhase::AwaitingApproval));
    assert_eq!(waiting.status.start_time, None, "its timeout has not begun");
    assert_eq!(
        waiting.status.message.as_deref(),
        Some("awaiting approval: confirm the targets (approvers: alice)")
    );
    let condition = find(&waiting.status.conditions, types::AWAITING_APPROVAL).expect("set");
    assert_eq!(condition.status, "True");
    assert_eq!(waiting.events.len(), 1);
    assert_eq!(waiting.events[0].reason, reasons::AWAITING_APPROVAL);
    let again = world.step();
    assert!(again.events.is_empty(), "the wait is told once");
    assert!(again.create_tasks.is_empty());

    world.gate_request = Some(decision(Decision::Approve, "alice", "targets confirmed"));
    let opened = world.step();
    assert_eq!(opened.create_tasks.len(), 3);
    assert_eq!(opened.status.phase, Some(StagePhase::Running));
    assert_eq!(
        opened.status.start_time,
        Some(at(20)),
        "the timeout counts from approval"
    );
    let record = opened.status.gate.clone().expect("recorded");
    assert_eq!(record.state, GateState::Approved);
    assert_eq!(record.decided_by.as_deref(), Some("alice"));
    assert_eq!(record.waiting_since, Some(at(0)));
    assert_eq!(opened.events[0].reason, reasons::APPROVED);
    assert_eq!(
        opened.events[0].note,
        "approved by alice: targets confirmed"
    );
    let condition = find(&opened.status.conditions, types::AWAITING_APPROVAL).expect("set");
    assert_eq!(
        (condition.status.as_str(), condition.reason.as_str()),
        ("False", reasons::APPROVED)
    );

    let later = world.step();
    assert!(later.create_tasks.is_empty());
    assert!(
        (later.events.iter()).all(|event| event.reason != reasons::APPROVED),
        "an approval is acted on once"
    );
}

#[test]
fn a_rejected_gate_fails_the_stage_without_running_a_task() {
    let mut world = World::new(gated(None, None));
    world.step();
    world.gate_request = Some(decision(Decision::Reject, "alice", "wrong targets"));
    let rejected = world.step();
    assert!(rejected.create_tasks.is_empty());
    assert_eq!(rejected.status.phase, Some(StagePhase::Failed));
    assert_eq!(
        rejected.status.message.as_deref(),
        Some("rejected by alice: wrong targets")
    );
    let ready = find(&rejected.status.conditions, types::READY).expect("set");
    assert_eq!(ready.reason, reasons::REJECTED);
    assert_eq!(rejected.events.len(), 1);
    assert_eq!(rejected.events[0].type_, EventType::Warning);
    assert_eq!(rejected.events[0].reason, reasons::REJECTED);

    world.retry_request = Some("r1".into());
    let retried = world.step();
    assert!(retried.create_tasks.is_empty(), "a rejection stands");
    assert_eq!(retried.status.phase, Some(StagePhase::Failed));
    assert_eq!(retried.status.last_handled_retry.as_deref(), Some("r1"));
}

#[test]
fn the_gate_timeout_decides_as_declared() {
    let mut world = World::new(gated(Some("1m"), None));
    let waiting = world.step();
    assert_eq!(waiting.requeue_after, Some(Duration::from_secs(60)));
    world.clock = 30;
    assert_eq!(world.step().requeue_after, Some(Duration::from_secs(30)));
    world.clock = 60;
    let rejected = world.step();
    assert_eq!(rejected.status.phase, Some(StagePhase::Failed));
    assert_eq!(
        rejected.status.message.as_deref(),
        Some("rejected automatically: no decision within 1m")
    );

    let mut world = World::new(gated(Some("1m"), Some(Decision::Approve)));
    world.step();
    world.clock = 60;
    let approved = world.step();
    assert_eq!(approved.create_tasks.len(), 3);
    let record = approved.status.gate.expect("recorded");
    assert_eq!(
        (record.state, record.decided_by),
        (GateState::Approved, None)
    );
}

#[test]
fn a_cancelled_stage_does_not_wait_for_its_gate() {
    let mut world = World::new(gated(None, None));
    world.step();
    world.cancelled = true;
    let cancelled = world.step();
    assert_eq!(cancelled.status.phase, Some(StagePhase::Failed));
    assert!(cancelled.create_tasks.is_empty());
    let ready = find(&cancelled.status.conditions, types::READY).expect("set");
    assert_eq!(ready.reason, reasons::CANCELLED);
}

#[test]
fn a_suspended_stage_starts_no_task_and_lets_running_ones_finish() {
    let mut world = World::new(stage(StageType::Sequential, three(), None));
    assert_eq!(world.step().create_tasks.len(), 1);
    world.report("t1", Running);
    world.suspended = Some(SuspendMode::Finish);
    let held = world.step();
    assert!(held.stop_tasks.is_empty(), "running tasks finish");
    world.report("t1", Succeeded);
    let held = world.step();
    assert!(
        held.create_tasks.is_empty(),
        "no task starts while suspended"
    );
    assert_eq!(held.status.phase, Some(StagePhase::Running));
    assert_eq!(
        held.status.message.as_deref(),
        Some("suspended: 1 of 3 tasks succeeded, 2 pending")
    );
    world.suspended = None;
    let resumed = world.step();
    assert_eq!(resumed.create_tasks.len(), 1);
}

#[test]
fn a_stopping_suspension_is_passed_on_to_unfinished_tasks_and_lifted_on_resume() {
    let mut world = World::new(stage(StageType::Parallel, three(), None));
    world.step();
    world.report("t1", Succeeded);
    world.report("t2", Running);
    world.suspended = Some(SuspendMode::Stop);
    let told = world.step();
    let mut marked: Vec<(String, bool)> = told.suspension_marks.clone();
    marked.sort();
    let name = |task: &str| names::flight_task("op", "s", task);
    assert_eq!(marked, [(name("t2"), true), (name("t3"), true)]);
    assert!(
        told.stop_tasks.is_empty(),
        "suspended tasks are not cancelled"
    );
    for task in &mut world.tasks {
        if task.name_any() != name("t1") {
            (task.annotations_mut()).insert(keys::SUSPEND_ANNOTATION.into(), "stop".into());
        }
    }
    assert!(world.step().suspension_marks.is_empty(), "told once");
    world.suspended = None;
    let mut lifted = world.step().suspension_marks;
    lifted.sort();
    assert_eq!(lifted, [(name("t2"), false), (name("t3"), false)]);
}

#[test]
fn a_retry_including_succeeded_tasks_reruns_every_task_in_order() {
    let mut world = World::failed_at_t2(StageType::Sequential);
    world.retry_request = Some("r1".into());
    world.rerun_succeeded = true;
    let first = world.step();
    assert_eq!(
        first.rerun_tasks,
        ["op.s.t1"],
        "t2 waits for t1 to run again"
    );
    assert_eq!(world.status().phase, Some(StagePhase::Running));
    assert_eq!(world.status().last_handled_retry.as_deref(), Some("r1"));
    assert!(created(&first).is_empty());
    // Asked but not acted on yet: t1 counts as running, nothing else moves.
    let waiting = world.step();
    assert!(waiting.rerun_tasks.is_empty(), "{:?}", waiting.rerun_tasks);
    assert_eq!(world.status().phase, Some(StagePhase::Running));
    world.rerun("t1", "r1", Running);
    assert!(world.step().rerun_tasks.is_empty());
    world.report("t1", Succeeded);
    assert_eq!(world.step().rerun_tasks, ["op.s.t2"]);
    world.rerun("t2", "r1", Succeeded);
    assert_eq!(created(&world.step()), ["t3"]);
    world.report("t3", Succeeded);
    world.step();
    assert_eq!(world.status().phase, Some(StagePhase::Succeeded));
}
