//! The cluster as the controllers see it: their pure plans applied the way
//! their reconcilers apply them, with a simulated kubelet that runs each pod
//! for FLIGHT seconds and ends it as the mission's script says.

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::core::v1::{
    ContainerState, ContainerStateTerminated, ContainerStatus, Pod, PodCondition, PodStatus,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::Timestamp;
use kube::ResourceExt;
use kubectl_airforce::api::gate::DecisionRequest;
use kubectl_airforce::api::keys;
use kubectl_airforce::api::{FlightTask, Mission, MissionPhase, MissionStage};
use kubectl_airforce::controller::fault_marks::MarkDecision;
use kubectl_airforce::controller::mission_plan::{self, MissionObserved};
use kubectl_airforce::controller::pod_builder::PodSettings;
use kubectl_airforce::controller::stage_plan::{self, StageObserved};
use kubectl_airforce::controller::task_plan::{self, Observed, TaskDefaults};
use kubectl_airforce::controller::{apply, names, pod_builder, retry};
use kubectl_airforce::placement::SchedulerChoice;

use super::missions::{Spec, mission_object, stage_name, task_name};
use super::{FLIGHT, Outcome};

fn at(second: i64) -> Timestamp {
    Timestamp::from_second(1_750_000_000 + second).expect("a valid time")
}

/// The cluster as the controllers would see it, applying their plans as
/// their reconcilers do, with pods run by a simulated kubelet.
pub struct World {
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
    pub fn new(spec: &Spec) -> World {
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
    pub fn fly(mut self) -> Result<World, String> {
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
            cancelled: apply::is_cancelled(&self.mission),
            retry_request: retry::request(&self.mission),
            now: Time(at(self.now)),
        });
        let request = plan.retry_request.clone().unwrap_or_default();
        for stage in &mut self.stages {
            if plan.retry_stages.contains(&stage.name_any()) {
                let annotations = stage.annotations_mut();
                annotations.insert(keys::RETRY_REQUEST_ANNOTATION.into(), request.clone());
                annotations.remove(keys::CANCEL_ANNOTATION);
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
        let tasks: Vec<Arc<FlightTask>> = (self.tasks.iter())
            .filter(|t| {
                t.spec
                    .stage_ref
                    .as_ref()
                    .is_some_and(|r| r.name == stage.name_any())
            })
            .cloned()
            .map(Arc::new)
            .collect();
        let plan = stage_plan::plan(&StageObserved {
            stage: &stage,
            tasks: &tasks,
            cancelled: apply::is_cancelled(&stage),
            suspended: apply::suspension(&stage),
            retry_request: retry::request(&stage),
            rerun_succeeded: retry::includes_succeeded(&stage),
            gate_request: DecisionRequest::from_annotations(stage.annotations()),
            now: Time(at(self.now)),
        });
        let request = plan.status.last_handled_retry.clone().unwrap_or_default();
        for task in &mut self.tasks {
            if plan.rerun_tasks.contains(&task.name_any()) {
                (task.annotations_mut())
                    .insert(keys::RETRY_REQUEST_ANNOTATION.into(), request.clone());
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
            cancelled: false,
            suspended: false,
            weapons: None,
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
            let settings = PodSettings {
                scheduler: SchedulerChoice::Aircraft,
                simulator_image: "kubectl-airforce:model".into(),
                armoury: None,
            };
            let mut pod = pod_builder::build(&task, &[], &[], attempt, &avoid, &settings)
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
                .get(keys::TASK_LABEL)
                .cloned()
                .unwrap_or_default();
            let attempt: usize = (pod.annotations().get(keys::ATTEMPT_ANNOTATION))
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

    pub fn outcome(&self, spec: &Spec) -> Outcome {
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
