//! A model check of the failure policy. Random missions (stage DAGs of every
//! stage type, tasks with their own retries and a scripted outcome for every
//! attempt, abort or continue, mission retries) are flown through the pure
//! plans of the mission, stage and flight-task controllers, applied the way
//! their reconcilers apply them, with a simulated kubelet running the pods.
//! The end state is compared with a small reference model of the rules,
//! written here from their description and sharing no code with the plans.
//!
//! `MODEL_SEED=<n>` replays a run; `MODEL_CASES=<n>` changes how many
//! missions are tried (1,000 by default).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    ContainerState, ContainerStateTerminated, ContainerStatus, Pod, PodCondition, PodStatus,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use k8s_openapi::jiff::Timestamp;
use kube::ResourceExt;
use kubectl_airforce::api::mission::FailurePolicy;
use kubectl_airforce::api::{
    FlightTask, FlightTaskPhase, Mission, MissionConfig, MissionPhase, MissionSpec, MissionStage,
    MissionTask, StageFailureAction, StagePhase, StageTemplate, StageType, TaskPolicy,
};
use kubectl_airforce::controller::fault_marks::MarkDecision;
use kubectl_airforce::controller::mission_plan::{self, MissionObserved};
use kubectl_airforce::controller::placement::SchedulerChoice;
use kubectl_airforce::controller::stage_plan::{self, StageObserved};
use kubectl_airforce::controller::task_plan::{self, Observed, TaskDefaults};
use kubectl_airforce::controller::{mission, names, pod_builder, retry};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestError, TestRng, TestRunner};

/// How long every pod runs, in seconds.
const FLIGHT: i64 = 5;
/// The mission's retry backoff, in seconds (doubling per retry).
const MISSION_BACKOFF: i64 = 3;

// ---------------------------------------------------------------- missions

#[derive(Debug, Clone)]
struct TaskSpec {
    /// Tasks of the same stage it depends on (mixed stages only).
    deps: Vec<usize>,
    retries: u32,
    /// Whether attempt n (from 1) fails; attempts past the end succeed.
    fails: Vec<bool>,
}

#[derive(Debug, Clone)]
struct StageSpec {
    kind: StageType,
    deps: Vec<usize>,
    tasks: Vec<TaskSpec>,
}

#[derive(Debug, Clone)]
struct Spec {
    stages: Vec<StageSpec>,
    action: StageFailureAction,
    max_retries: i32,
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

fn spec() -> impl Strategy<Value = Spec> {
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

fn stage_name(stage: usize) -> String {
    format!("s{stage}")
}

fn task_name(stage: usize, task: usize) -> String {
    format!("s{stage}t{task}")
}

fn mission_object(spec: &Spec) -> Mission {
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

// ---------------------------------------------------------------- outcomes

/// What a mission came to, as both sides report it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Outcome {
    phase: MissionPhase,
    /// The second the mission ended.
    ended_at: i64,
    retries: i32,
    /// Succeeded, failed, pending tasks by the mission's statistics.
    tasks: (i32, i32, i32),
    /// Each stage's phase; `None` for a stage never started.
    stages: Vec<Option<StagePhase>>,
    /// Each task's phase; `None` for a task never started.
    task_phases: Vec<Vec<Option<FlightTaskPhase>>>,
}

// ---------------------------------------------------------------- the plans

fn at(second: i64) -> Timestamp {
    Timestamp::from_second(1_750_000_000 + second).expect("a valid time")
}

/// The cluster as the controllers would see it, applying their plans as
/// their reconcilers do, with pods run by a simulated kubelet.
struct World {
    now: i64,
    mission: Mission,
    stages: Vec<MissionStage>,
    tasks: Vec<FlightTask>,
    pods: Vec<Pod>,
    fails: BTreeMap<String, Vec<bool>>,
    /// When some plan asked to be looked at again.
    wakes: Vec<i64>,
    uids: u64,
}

impl World {
    fn new(spec: &Spec) -> World {
        let fails = (spec.stages.iter().enumerate())
            .flat_map(|(s, stage)| {
                (stage.tasks.iter().enumerate())
                    .map(move |(t, task)| (task_name(s, t), task.fails.clone()))
            })
            .collect();
        World {
            now: 0,
            mission: mission_object(spec),
            stages: Vec::new(),
            tasks: Vec::new(),
            pods: Vec::new(),
            fails,
            wakes: Vec::new(),
            uids: 0,
        }
    }

    fn uid(&mut self) -> String {
        self.uids += 1;
        format!("uid-{}", self.uids)
    }

    fn wake(&mut self, after: Option<std::time::Duration>) {
        if let Some(after) = after {
            let seconds = after.as_secs_f64().ceil() as i64;
            self.wakes.push(self.now + seconds.max(1));
        }
    }

    /// Flies the mission to its end; `Err` says why it did not get there.
    fn fly(mut self) -> Result<World, String> {
        for _ in 0..500 {
            self.kubelet();
            self.settle()?;
            let phase = self.mission.status.as_ref().and_then(|s| s.phase);
            if matches!(phase, Some(MissionPhase::Succeeded | MissionPhase::Failed)) {
                self.settle()?;
                return Ok(self);
            }
            let finishes = (self.pods.iter())
                .filter(|pod| finished(pod).is_none())
                .map(|pod| created(pod) + FLIGHT);
            let now = self.now;
            let next = (self.wakes.iter().copied().chain(finishes))
                .filter(|t| *t > now)
                .min();
            self.now =
                next.ok_or_else(|| format!("stuck at {now}s with nothing left to happen"))?;
        }
        Err("did not finish within 500 events".into())
    }

    /// Plans every object again until no plan changes anything more.
    fn settle(&mut self) -> Result<(), String> {
        for _ in 0..50 {
            let before = self.snapshot();
            self.mission_step();
            for index in 0..self.stages.len() {
                self.stage_step(index);
            }
            for index in 0..self.tasks.len() {
                self.task_step(index);
            }
            if self.snapshot() == before {
                return Ok(());
            }
        }
        Err(format!("the plans did not settle at {}s", self.now))
    }

    /// What plans change: metadata and status (specs are written once).
    fn snapshot(&self) -> impl PartialEq + use<> {
        let stages: Vec<_> = (self.stages.iter())
            .map(|s| (s.metadata.clone(), s.status.clone()))
            .collect();
        let tasks: Vec<_> = (self.tasks.iter())
            .map(|t| (t.metadata.clone(), t.status.clone()))
            .collect();
        let mission = (self.mission.metadata.clone(), self.mission.status.clone());
        (mission, stages, tasks, self.pods.clone())
    }

    fn mission_step(&mut self) {
        let plan = mission_plan::plan(&MissionObserved {
            mission: &self.mission,
            stages: &self.stages,
            cancelled: mission::is_cancelled(&self.mission),
            retry_request: retry::request(&self.mission),
            now: Time(at(self.now)),
        });
        let request = plan.retry_request.clone().unwrap_or_default();
        for stage in &mut self.stages {
            if plan.retry_stages.contains(&stage.name_any()) {
                let annotations = stage.annotations_mut();
                annotations.insert(names::RETRY_ANNOTATION.into(), request.clone());
                annotations.remove(names::CANCEL_ANNOTATION);
            }
        }
        self.mission.status = Some(plan.status.clone());
        for mut stage in plan.create_stages {
            if !self.stages.iter().any(|s| s.name_any() == stage.name_any()) {
                stage.metadata.uid = Some(self.uid());
                stage.metadata.generation = Some(1);
                self.stages.push(stage);
            }
        }
        self.wake(plan.requeue_after);
    }

    fn stage_step(&mut self, index: usize) {
        let stage = self.stages[index].clone();
        let tasks: Vec<FlightTask> = (self.tasks.iter())
            .filter(|t| {
                t.spec
                    .stage_ref
                    .as_ref()
                    .is_some_and(|r| r.name == stage.name_any())
            })
            .cloned()
            .collect();
        let plan = stage_plan::plan(&StageObserved {
            stage: &stage,
            tasks: &tasks,
            cancelled: mission::is_cancelled(&stage),
            retry_request: retry::request(&stage),
            now: Time(at(self.now)),
        });
        let request = plan.status.last_handled_retry.clone().unwrap_or_default();
        for task in &mut self.tasks {
            if plan.rerun_tasks.contains(&task.name_any()) {
                (task.annotations_mut()).insert(names::RETRY_ANNOTATION.into(), request.clone());
            }
        }
        self.stages[index].status = Some(plan.status.clone());
        for mut task in plan.create_tasks {
            if !self.tasks.iter().any(|t| t.name_any() == task.name_any()) {
                task.metadata.uid = Some(self.uid());
                task.metadata.generation = Some(1);
                self.tasks.push(task);
            }
        }
        for name in &plan.stop_tasks {
            self.tasks.retain(|t| t.name_any() != *name);
        }
        self.wake(plan.requeue_after);
    }

    fn task_step(&mut self, index: usize) {
        let Some(task) = self.tasks.get(index).cloned() else {
            return;
        };
        let uid = task.metadata.uid.clone().unwrap_or_default();
        let owned = |pod: &Pod| pod.owner_references().iter().any(|o| o.uid == uid);
        let pods: Vec<Pod> = self.pods.iter().filter(|p| owned(p)).cloned().collect();
        let now = at(self.now);
        let mut plan = task_plan::plan(&Observed {
            task: &task,
            pods: &pods,
            failed_scheduling: 0,
            retry_request: retry::request(&task),
            defaults: TaskDefaults::default(),
            now,
        });
        if plan.suspect.is_some() {
            let until = Time(at(self.now + 600));
            plan.mark_decided(&task, &MarkDecision::Mark { until }, now);
        }
        for name in plan.delete.iter().chain(&plan.stop) {
            self.pods.retain(|p| !(owned(p) && p.name_any() == *name));
        }
        if let Some(attempt) = plan.create {
            let avoid = plan.aircraft_to_avoid(now);
            let mut pod =
                pod_builder::build(&task, &[], attempt, &avoid, SchedulerChoice::Aircraft)
                    .expect("the model's tasks build");
            if !self.pods.iter().any(|p| p.name_any() == pod.name_any()) {
                pod.metadata.uid = Some(self.uid());
                pod.metadata.creation_timestamp = Some(Time(now));
                pod.status = Some(PodStatus {
                    phase: Some("Pending".into()),
                    ..PodStatus::default()
                });
                self.pods.push(pod);
            }
        }
        self.tasks[index].status = Some(plan.status.clone());
        self.wake(plan.requeue_after);
    }

    /// Binds new pods and ends those whose flight is over, as the script says.
    fn kubelet(&mut self) {
        let now = self.now;
        for pod in &mut self.pods {
            let started = created(pod);
            let status = pod.status.get_or_insert_with(PodStatus::default);
            if let Some(spec) = pod.spec.as_mut().filter(|s| s.node_name.is_none()) {
                spec.node_name = Some("a1".into());
                status.phase = Some("Running".into());
                status.start_time = Some(Time(at(started)));
                status.conditions = Some(vec![PodCondition {
                    type_: "PodScheduled".into(),
                    status: "True".into(),
                    last_transition_time: Some(Time(at(started))),
                    ..PodCondition::default()
                }]);
            }
            let ends = started + FLIGHT;
            if finished(pod).is_some() || ends > now {
                continue;
            }
            let task = pod
                .labels()
                .get(names::TASK_LABEL)
                .cloned()
                .unwrap_or_default();
            let attempt: usize = (pod.annotations().get(pod_builder::ATTEMPT_ANNOTATION))
                .and_then(|a| a.parse().ok())
                .unwrap_or(1);
            let fails = (self.fails.get(&task))
                .and_then(|script| script.get(attempt - 1).copied())
                .unwrap_or(false);
            let status = pod.status.get_or_insert_with(PodStatus::default);
            status.phase = Some(if fails { "Failed" } else { "Succeeded" }.into());
            status.container_statuses = Some(vec![ContainerStatus {
                name: pod_builder::TASK_CONTAINER.into(),
                state: Some(ContainerState {
                    terminated: Some(ContainerStateTerminated {
                        exit_code: if fails { 1 } else { 0 },
                        finished_at: Some(Time(at(ends))),
                        ..ContainerStateTerminated::default()
                    }),
                    ..ContainerState::default()
                }),
                ..ContainerStatus::default()
            }]);
        }
    }

    fn outcome(&self, spec: &Spec) -> Outcome {
        let status = self.mission.status.clone().unwrap_or_default();
        let stats = &status.statistics;
        let stage = |s: usize| {
            (self.stages.iter())
                .find(|o| o.name_any() == names::stage("m", &stage_name(s)))
                .map(|o| {
                    o.status
                        .as_ref()
                        .and_then(|st| st.phase)
                        .unwrap_or_default()
                })
        };
        let task = |s: usize, t: usize| {
            let name = names::flight_task("m", &stage_name(s), &task_name(s, t));
            (self.tasks.iter()).find(|o| o.name_any() == name).map(|o| {
                o.status
                    .as_ref()
                    .and_then(|st| st.phase)
                    .unwrap_or_default()
            })
        };
        let ended = status
            .completion_time
            .as_ref()
            .map_or(-1, |t| t.0.as_second() - 1_750_000_000);
        Outcome {
            phase: status.phase.unwrap_or_default(),
            ended_at: ended,
            retries: status.retry_count,
            tasks: (
                stats.succeeded_tasks,
                stats.failed_tasks,
                stats.pending_tasks,
            ),
            stages: (0..spec.stages.len()).map(stage).collect(),
            task_phases: (spec.stages.iter().enumerate())
                .map(|(s, st)| (0..st.tasks.len()).map(|t| task(s, t)).collect())
                .collect(),
        }
    }
}

fn created(pod: &Pod) -> i64 {
    let created = pod
        .metadata
        .creation_timestamp
        .as_ref()
        .map_or(at(0), |t| t.0);
    created.as_second() - 1_750_000_000
}

fn finished(pod: &Pod) -> Option<&str> {
    let phase = pod.status.as_ref()?.phase.as_deref()?;
    matches!(phase, "Succeeded" | "Failed").then_some(phase)
}

// ---------------------------------------------------------------- the reference model

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Task {
    NotStarted,
    Flying { attempt: usize, lands: i64 },
    Waiting { until: i64 },
    Succeeded,
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    NotStarted,
    Running,
    Succeeded,
    Failed { at: i64 },
}

struct TaskState {
    state: Task,
    retries_spent: u32,
    next_attempt: usize,
}

/// The rules, simulated second by second: a task's attempt flies FLIGHT
/// seconds; a failed attempt with retries left is tried again after 2, 4, 8…
/// seconds; a stage starts its tasks as their order or dependencies allow and
/// starts nothing after one of them failed; a stage fails once a task failed
/// and none flies; a stage starts once every stage it depends on succeeded
/// (or, under continue, ended); under abort no stage starts after one failed;
/// a failed mission with retries left runs the failed tasks of its failed
/// stages again, with fresh retries, MISSION_BACKOFF×2^n seconds after its
/// last stage failure.
fn reference(spec: &Spec) -> Outcome {
    let mut tasks: Vec<Vec<TaskState>> = (spec.stages.iter())
        .map(|stage| {
            (stage.tasks.iter())
                .map(|_| TaskState {
                    state: Task::NotStarted,
                    retries_spent: 0,
                    next_attempt: 1,
                })
                .collect()
        })
        .collect();
    let mut stages = vec![Stage::NotStarted; spec.stages.len()];
    let mut retries = 0;
    let fly = |task: &mut TaskState, now: i64| {
        task.state = Task::Flying {
            attempt: task.next_attempt,
            lands: now + FLIGHT,
        };
        task.next_attempt += 1;
    };
    for now in 0..100_000 {
        for (s, stage) in spec.stages.iter().enumerate() {
            for (t, task) in tasks[s].iter_mut().enumerate() {
                match task.state {
                    Task::Flying { attempt, lands } if lands == now => {
                        let failed = stage.tasks[t]
                            .fails
                            .get(attempt - 1)
                            .copied()
                            .unwrap_or(false);
                        task.state = if !failed {
                            Task::Succeeded
                        } else if task.retries_spent < stage.tasks[t].retries {
                            task.retries_spent += 1;
                            Task::Waiting {
                                until: now + (1 << task.retries_spent),
                            }
                        } else {
                            Task::Failed
                        };
                    }
                    Task::Waiting { until } if until == now => fly(task, now),
                    _ => {}
                }
            }
        }
        loop {
            let mut changed = false;
            for (s, stage) in spec.stages.iter().enumerate() {
                if stages[s] != Stage::Running {
                    continue;
                }
                let states: Vec<Task> = tasks[s].iter().map(|t| t.state).collect();
                let failed = states.contains(&Task::Failed);
                for t in 0..stage.tasks.len() {
                    let deps: Vec<usize> = match stage.kind {
                        StageType::Sequential => (t > 0).then(|| t - 1).into_iter().collect(),
                        StageType::Parallel => Vec::new(),
                        StageType::Mixed => stage.tasks[t].deps.clone(),
                    };
                    let ready = deps.iter().all(|d| states[*d] == Task::Succeeded);
                    if !failed && ready && states[t] == Task::NotStarted {
                        fly(&mut tasks[s][t], now);
                        changed = true;
                    }
                }
                let states: Vec<Task> = tasks[s].iter().map(|t| t.state).collect();
                let flying = states
                    .iter()
                    .any(|t| matches!(t, Task::Flying { .. } | Task::Waiting { .. }));
                if states.iter().all(|t| *t == Task::Succeeded) {
                    stages[s] = Stage::Succeeded;
                    changed = true;
                } else if failed && !flying {
                    stages[s] = Stage::Failed { at: now };
                    changed = true;
                }
            }
            let any_failed = stages.iter().any(|s| matches!(s, Stage::Failed { .. }));
            let halted = spec.action == StageFailureAction::Abort && any_failed;
            for (s, stage) in spec.stages.iter().enumerate() {
                let done = |d: &usize| match stages[*d] {
                    Stage::Succeeded => true,
                    Stage::Failed { .. } => spec.action == StageFailureAction::Continue,
                    _ => false,
                };
                if !halted && stages[s] == Stage::NotStarted && stage.deps.iter().all(done) {
                    stages[s] = Stage::Running;
                    changed = true;
                }
            }
            if changed {
                continue;
            }
            let running = stages.contains(&Stage::Running);
            let startable = !halted && stages.contains(&Stage::NotStarted);
            if running || startable {
                break;
            }
            if stages.iter().all(|s| *s == Stage::Succeeded) || retries >= spec.max_retries {
                return reference_outcome(spec, &stages, &tasks, retries, now);
            }
            let last_failure = (stages.iter())
                .filter_map(|s| match s {
                    Stage::Failed { at } => Some(*at),
                    _ => None,
                })
                .max()
                .unwrap_or(now);
            if now < last_failure + MISSION_BACKOFF * (1 << retries) {
                break;
            }
            retries += 1;
            for (s, stage) in stages.iter_mut().enumerate() {
                if matches!(stage, Stage::Failed { .. }) {
                    *stage = Stage::Running;
                    for task in tasks[s].iter_mut().filter(|t| t.state == Task::Failed) {
                        task.retries_spent = 0;
                        fly(task, now);
                    }
                }
            }
        }
    }
    panic!("the reference model did not finish: {spec:?}");
}

fn reference_outcome(
    spec: &Spec,
    stages: &[Stage],
    tasks: &[Vec<TaskState>],
    retries: i32,
    ended_at: i64,
) -> Outcome {
    let all: Vec<Task> = tasks.iter().flatten().map(|t| t.state).collect();
    let count = |wanted: Task| all.iter().filter(|t| **t == wanted).count() as i32;
    let (succeeded, failed) = (count(Task::Succeeded), count(Task::Failed));
    let succeeded_all = stages.iter().all(|s| *s == Stage::Succeeded);
    Outcome {
        phase: if succeeded_all {
            MissionPhase::Succeeded
        } else {
            MissionPhase::Failed
        },
        ended_at,
        retries,
        tasks: (succeeded, failed, all.len() as i32 - succeeded - failed),
        stages: (stages.iter())
            .map(|s| match s {
                Stage::NotStarted => None,
                Stage::Running => Some(StagePhase::Running),
                Stage::Succeeded => Some(StagePhase::Succeeded),
                Stage::Failed { .. } => Some(StagePhase::Failed),
            })
            .collect(),
        task_phases: (spec.stages.iter().enumerate())
            .map(|(s, _)| {
                (tasks[s].iter())
                    .map(|t| match t.state {
                        Task::NotStarted => None,
                        Task::Succeeded => Some(FlightTaskPhase::Succeeded),
                        Task::Failed => Some(FlightTaskPhase::Failed),
                        Task::Flying { .. } | Task::Waiting { .. } => {
                            Some(FlightTaskPhase::Running)
                        }
                    })
                    .collect()
            })
            .collect(),
    }
}

// ---------------------------------------------------------------- the check

fn check(spec: Spec) -> Result<(), TestCaseError> {
    let expected = reference(&spec);
    let world = World::new(&spec)
        .fly()
        .map_err(|why| TestCaseError::fail(format!("{why}\n{spec:#?}")))?;
    let got = world.outcome(&spec);
    prop_assert_eq!(
        &got,
        &expected,
        "the plans and the reference model disagree on {:#?}",
        spec
    );
    Ok(())
}

#[test]
fn the_plans_end_every_random_mission_as_the_reference_model_says() {
    let seed: u64 = std::env::var("MODEL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
            now.map_or(0, |d| d.as_nanos() as u64)
        });
    let cases: u32 = std::env::var("MODEL_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let mut bytes = [0u8; 32];
    for (index, byte) in bytes.iter_mut().enumerate() {
        *byte = (seed >> ((index % 8) * 8)) as u8 ^ index as u8;
    }
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
    let mut runner = TestRunner::new_with_rng(config, rng);
    println!("model check: {cases} random missions, seed {seed}");
    match runner.run(&spec(), check) {
        Ok(()) => {}
        Err(TestError::Fail(reason, spec)) => panic!(
            "the model check failed with seed {seed} (replay: MODEL_SEED={seed} cargo test --test failure_policy_model); smallest failing mission:\n{spec:#?}\n{reason}"
        ),
        Err(TestError::Abort(reason)) => {
            panic!("the model check gave up with seed {seed}: {reason}")
        }
    }
}
