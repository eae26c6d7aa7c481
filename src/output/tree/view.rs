//! The tree's view model: a mission with its stages in dependency order, their
//! flight tasks in spec order and each task's current pod, built from the
//! objects as a watch or a list sees them. Pure: no client, no clock.
//!
//! The mission spec is the skeleton, so stages and tasks that do not exist yet
//! still show as pending; objects of a deleted mission of the same name are
//! left out by their owner uid.

use std::collections::HashMap;

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::Timestamp;
use kube::{Resource, ResourceExt};

use crate::api::gate::{Decision, DecisionRequest, GateState, GateStatus};
use crate::api::keys::TASK_LABEL;
use crate::api::{
    FlightTask, FlightTaskPhase, Mission, MissionPhase, MissionStage, MissionTask, StagePhase,
    StageType, TaskWeaponStatus,
};
use crate::controller::apply::is_cancelled;
use crate::controller::{names, retry};
use crate::graph::{Dag, Vocabulary};

#[derive(Debug, Clone, PartialEq)]
pub struct MissionView {
    pub namespace: String,
    pub name: String,
    pub phase: MissionPhase,
    pub message: Option<String>,
    /// Retries of the whole mission so far, and how many its policy allows.
    pub retries: (i32, i32),
    pub started: Option<Timestamp>,
    pub finished: Option<Timestamp>,
    /// `mission retry` asked for the failed work to run again and the
    /// operator has not acted on it yet: the mission is about to run again.
    pub retry_requested: bool,
    /// `spec.suspend` holds the mission: nothing new starts until resumed.
    pub suspended: bool,
    /// When the mission was created, while no operator has written its status.
    pub unobserved_since: Option<Timestamp>,
    /// In dependency order, ties in spec order.
    pub stages: Vec<StageView>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StageView {
    pub name: String,
    pub stage_type: StageType,
    pub depends_on: Vec<String>,
    pub phase: StagePhase,
    /// False while the stage exists only in the mission spec.
    pub created: bool,
    pub message: Option<String>,
    /// A person's request the operator has not acted on yet.
    pub request: Option<&'static str>,
    pub started: Option<Timestamp>,
    pub finished: Option<Timestamp>,
    pub tasks: Vec<TaskView>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaskView {
    /// The name in the mission spec, unique within the mission.
    pub name: String,
    /// The FlightTask's `metadata.name`.
    pub object_name: String,
    pub role: Option<String>,
    pub depends_on: Vec<String>,
    pub phase: FlightTaskPhase,
    /// False while the task exists only in its stage's spec.
    pub created: bool,
    pub node: Option<String>,
    /// Retries so far, and how many the controller makes at most.
    pub retries: (i32, u32),
    pub message: Option<String>,
    /// A person's request the operator has not acted on yet.
    pub request: Option<&'static str>,
    pub started: Option<Timestamp>,
    pub finished: Option<Timestamp>,
    pub pod: Option<PodView>,
    /// For a task with `replicas`: its replicas, which this one view folds.
    pub replicas: Option<Replicas>,
}

/// A fanned-out task's replicas: counted, and each created one's own view.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Replicas {
    pub total: usize,
    pub succeeded: usize,
    pub running: usize,
    pub failed: usize,
    /// The created replicas, by index.
    pub views: Vec<TaskView>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodView {
    pub name: String,
    /// The pod's phase, "Terminating" while it is deleted, `None` once it is gone.
    pub phase: Option<String>,
    /// Its weapons as they last answered the operator.
    pub weapons: Vec<TaskWeaponStatus>,
}

/// How many of a set of tasks are where.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: usize,
    pub succeeded: usize,
    pub failed: usize,
}

impl Replicas {
    /// "120/200 replicas succeeded, 20 running, 1 failed".
    pub fn summary(&self) -> String {
        let mut text = format!("{}/{} replicas succeeded", self.succeeded, self.total);
        for (count, what) in [(self.running, "running"), (self.failed, "failed")] {
            if count > 0 {
                text.push_str(&format!(", {count} {what}"));
            }
        }
        text
    }
}

impl Counts {
    fn of<'a>(tasks: impl IntoIterator<Item = &'a TaskView>) -> Counts {
        tasks
            .into_iter()
            .fold(Counts::default(), |mut counts, task| {
                if let Some(replicas) = &task.replicas {
                    counts.total += replicas.total;
                    counts.succeeded += replicas.succeeded;
                    counts.failed += replicas.failed;
                    return counts;
                }
                counts.total += 1;
                match task.phase {
                    FlightTaskPhase::Succeeded => counts.succeeded += 1,
                    FlightTaskPhase::Failed => counts.failed += 1,
                    _ => {}
                }
                counts
            })
    }
}

impl MissionView {
    /// The view of `mission`, picking its own objects out of `stages`, `tasks`
    /// and `pods` (which may hold other missions' objects too).
    pub fn build(
        mission: &Mission,
        stages: &[&MissionStage],
        tasks: &[&FlightTask],
        pods: &[&Pod],
    ) -> MissionView {
        let unobserved_since = (mission.status.is_none())
            .then(|| time(&mission.metadata.creation_timestamp))
            .flatten();
        let status = mission.status.clone().unwrap_or_default();
        let retry_requested = crate::controller::retry::retry_pending(mission);
        let name = mission.name_any();
        let namespace = mission.namespace().unwrap_or_default();
        let pods_by_name: HashMap<&str, &Pod> = (pods.iter().copied())
            .filter(|pod| pod.metadata.namespace.as_deref() == Some(namespace.as_str()))
            .map(|pod| (pod.metadata.name.as_deref().unwrap_or_default(), pod))
            .collect();
        let family = Family {
            mission: &name,
            namespace: &namespace,
            tasks,
            pods: pods_by_name,
        };
        let stages = stage_order(mission)
            .into_iter()
            .map(|index| {
                let template = &mission.spec.stages[index];
                let object = family.stage(stages, &template.name, mission.uid().as_deref());
                family.stage_view(template, object)
            })
            .collect();
        let finished = status.phase.is_some_and(MissionPhase::is_finished);
        MissionView {
            suspended: mission.spec.is_suspended() && !finished,
            phase: status.phase.unwrap_or_default(),
            message: status.message,
            retries: (
                status.retry_count,
                mission.spec.config.failure_policy.max_retries,
            ),
            started: time(&status.start_time),
            finished: time(&status.completion_time),
            retry_requested,
            unobserved_since,
            stages,
            name,
            namespace,
        }
    }

    pub fn counts(&self) -> Counts {
        Counts::of(self.stages.iter().flat_map(|stage| &stage.tasks))
    }

    pub fn is_finished(&self) -> bool {
        !self.retry_requested && self.phase.is_finished()
    }
}

impl StageView {
    pub fn counts(&self) -> Counts {
        Counts::of(&self.tasks)
    }
}

/// Stage indices in dependency order; a graph the controller would refuse
/// (a cycle) is still shown, in spec order.
fn stage_order(mission: &Mission) -> Vec<usize> {
    let stages = &mission.spec.stages;
    let nodes = stages
        .iter()
        .map(|s| (s.name.as_str(), s.depends_on.as_slice()));
    let words = Vocabulary {
        noun: "stage",
        scope: "this mission",
    };
    match Dag::new(nodes, words) {
        Ok(dag) => dag.order().to_vec(),
        Err(_) => (0..stages.len()).collect(),
    }
}

/// One mission's identity, to tell its objects from everything else listed.
struct Family<'a> {
    mission: &'a str,
    namespace: &'a str,
    tasks: &'a [&'a FlightTask],
    /// The pods in the mission's namespace by name: a fan-out of thousands
    /// of tasks looks up each task's pod here rather than among all pods.
    pods: HashMap<&'a str, &'a Pod>,
}

impl Family<'_> {
    fn is_ours<K: Resource>(&self, object: &K, owner: Option<&str>) -> bool {
        object.meta().namespace.as_deref() == Some(self.namespace) && owned_by(object, owner)
    }

    /// The MissionStage for `stage`, preferring one that is not being deleted.
    fn stage<'s>(
        &self,
        stages: &[&'s MissionStage],
        stage: &str,
        owner: Option<&str>,
    ) -> Option<&'s MissionStage> {
        // Known by the names in its spec, not by its object's name, as the
        // controllers know it.
        let mut candidates = (stages.iter().copied()).filter(|s| {
            s.spec.mission_ref.name == self.mission
                && s.spec.stage_name == stage
                && self.is_ours(*s, owner)
        });
        let first = candidates.next()?;
        if first.metadata.deletion_timestamp.is_none() {
            return Some(first);
        }
        Some(
            candidates
                .find(|s| s.metadata.deletion_timestamp.is_none())
                .unwrap_or(first),
        )
    }

    fn stage_view(
        &self,
        template: &crate::api::StageTemplate,
        object: Option<&MissionStage>,
    ) -> StageView {
        let status = object.and_then(|s| s.status.clone()).unwrap_or_default();
        let specs = object.map_or(&template.flight_tasks, |s| &s.spec.flight_tasks);
        let uid = object.and_then(|s| s.uid());
        // The stage's tasks by their name in it, each looked up once however
        // many replicas a task has.
        let stage_labels = names::labels(self.mission, &template.name, None);
        let mut by_name: HashMap<&str, &FlightTask> = HashMap::new();
        let ours = (self.tasks.iter().copied()).filter(|t| {
            let labels = t.labels();
            object.is_some()
                && stage_labels.iter().all(|(k, v)| labels.get(k) == Some(v))
                && self.is_ours(*t, uid.as_deref())
        });
        for task in ours {
            if let Some(name) = task.labels().get(TASK_LABEL) {
                by_name.entry(name.as_str()).or_insert(task);
            }
        }
        let view = |spec: &MissionTask, name: String| {
            let task = by_name.get(name.as_str()).copied();
            let object_name = task.map_or_else(
                || names::flight_task(self.mission, &template.name, &name),
                |t| t.name_any(),
            );
            self.task_view(spec, name, object_name, task)
        };
        let tasks = specs
            .iter()
            .enumerate()
            .map(|(index, spec)| {
                let name = spec.effective_name(&template.name, index);
                match spec.replicas {
                    None => view(spec, name),
                    Some(_) => {
                        let replicas = (0..spec.replica_count())
                            .map(|index| format!("{name}.{index}"))
                            .filter(|replica| by_name.contains_key(replica.as_str()))
                            .map(|replica| view(spec, replica))
                            .collect();
                        folded(spec, name, replicas)
                    }
                }
            })
            .collect();
        let finished = status.phase.is_some_and(StagePhase::is_finished);
        let request = object.and_then(|stage| {
            pending_request(stage, finished, status.last_handled_retry.as_deref())
                .or_else(|| pending_decision(stage))
        });
        StageView {
            request,
            name: template.name.clone(),
            stage_type: object.map_or(template.stage_type, |s| s.spec.stage_type),
            depends_on: template.depends_on.clone(),
            phase: status.phase.unwrap_or_default(),
            created: object.is_some(),
            message: with_approval(status.message, status.gate.as_ref()),
            started: time(&status.start_time),
            finished: time(&status.completion_time),
            tasks,
        }
    }

    fn task_view(
        &self,
        spec: &MissionTask,
        name: String,
        object_name: String,
        task: Option<&FlightTask>,
    ) -> TaskView {
        let status = task.and_then(|t| t.status.clone()).unwrap_or_default();
        let pod = status.pod_ref.as_ref().map(|pod_ref| {
            let uid = task.and_then(|t| t.uid());
            let object = (self.pods.get(pod_ref.name.as_str()).copied())
                .filter(|p| self.is_ours(*p, uid.as_deref()));
            (pod_ref.name.clone(), object)
        });
        let node = (status.scheduling_info.as_ref())
            .and_then(|info| info.assigned_node.clone())
            .or_else(|| {
                let (_, pod) = pod.as_ref()?;
                pod.as_ref()?.spec.as_ref()?.node_name.clone()
            });
        let finished = status.phase.is_some_and(FlightTaskPhase::is_finished);
        let request = task
            .and_then(|task| pending_request(task, finished, status.last_handled_retry.as_deref()));
        TaskView {
            request,
            role: spec.template.role.clone(),
            depends_on: spec.depends_on.clone(),
            phase: status.phase.unwrap_or_default(),
            created: task.is_some(),
            node,
            retries: (status.retry_count, max_retries(spec, task)),
            message: status.message,
            started: time(&status.start_time),
            finished: time(&status.completion_time),
            pod: pod.map(|(name, object)| PodView {
                name,
                phase: object.map(pod_phase),
                weapons: status.weapons.clone(),
            }),
            name,
            object_name,
            replicas: None,
        }
    }
}

/// One view for a fanned-out task, from the views of its created replicas:
/// Failed once one failed, Succeeded once all did, Running while one runs.
fn folded(spec: &MissionTask, name: String, views: Vec<TaskView>) -> TaskView {
    let total = spec.replica_count() as usize;
    let count = |phase: FlightTaskPhase| views.iter().filter(|v| v.phase == phase).count();
    let (succeeded, failed) = (
        count(FlightTaskPhase::Succeeded),
        count(FlightTaskPhase::Failed),
    );
    let running = (views.iter())
        .filter(|view| !view.phase.is_finished() && view.phase != FlightTaskPhase::Pending)
        .count();
    let phase = match () {
        _ if failed > 0 => FlightTaskPhase::Failed,
        _ if succeeded == total => FlightTaskPhase::Succeeded,
        _ if running > 0 || succeeded > 0 => FlightTaskPhase::Running,
        _ => FlightTaskPhase::Pending,
    };
    let finished = (succeeded + failed == total)
        .then(|| views.iter().filter_map(|view| view.finished).max())
        .flatten();
    TaskView {
        object_name: name.clone(),
        role: spec.template.role.clone(),
        depends_on: spec.depends_on.clone(),
        phase,
        created: !views.is_empty(),
        node: None,
        retries: (0, spec.template.policy.retries()),
        message: None,
        request: None,
        started: views.iter().filter_map(|view| view.started).min(),
        finished,
        pod: None,
        name,
        replicas: Some(Replicas {
            total,
            succeeded,
            running,
            failed,
            views,
        }),
    }
}

/// A stop or a retry asked of `object` that it has not acted on: a stop
/// until it has finished, a retry until it records the request as handled.
fn pending_request<K: Resource>(
    object: &K,
    finished: bool,
    handled: Option<&str>,
) -> Option<&'static str> {
    if is_cancelled(object) && !finished {
        return Some("stop requested");
    }
    (retry::request(object).is_some_and(|asked| Some(asked) != handled))
        .then_some("retry requested")
}

/// Whether `object`'s controller is `owner`, by the rule the controllers
/// follow, so the tree shows the children they plan with. An owner without a
/// uid (built by hand: tests, a dry run) cannot be checked, and matches by
/// name.
/// A gate decision written on a stage that its controller has not recorded.
fn pending_decision(stage: &MissionStage) -> Option<&'static str> {
    let recorded = (stage.status.as_ref()).is_some_and(|status| {
        (status.gate.as_ref()).is_some_and(|gate| gate.state != GateState::Waiting)
    });
    match DecisionRequest::from_annotations(stage.annotations()) {
        _ if recorded => None,
        Some(asked) if asked.decision == Decision::Approve => Some("approval requested"),
        Some(_) => Some("rejection requested"),
        None => None,
    }
}

fn owned_by<K: Resource>(object: &K, owner: Option<&str>) -> bool {
    owner.is_none_or(|owner| names::is_controlled_by(object, owner))
}

fn pod_phase(pod: &Pod) -> String {
    if pod.metadata.deletion_timestamp.is_some() {
        return "Terminating".to_string();
    }
    (pod.status.as_ref())
        .and_then(|status| status.phase.clone())
        .unwrap_or_else(|| "Pending".to_string())
}

fn time(time: &Option<Time>) -> Option<Timestamp> {
    time.as_ref().map(|t| t.0)
}

/// The retries a task gets: as its FlightTask says once it exists (with its
/// stage's and mission's defaults filled in), else as the mission spells it.
fn max_retries(spec: &MissionTask, task: Option<&FlightTask>) -> u32 {
    let policy = task.map_or(&spec.template.policy, |t| &t.spec.template.policy);
    policy.retries()
}

/// A stage's status line, and who opened its gate once it was approved
/// (waiting and rejection are in the line already).
fn with_approval(message: Option<String>, gate: Option<&GateStatus>) -> Option<String> {
    let Some(gate) = gate.filter(|gate| gate.state == GateState::Approved) else {
        return message;
    };
    let by = gate
        .decided_by
        .as_deref()
        .map_or("approved automatically".to_string(), |who| {
            format!("approved by {who}")
        });
    Some(match message {
        Some(message) => format!("{message}; {by}"),
        None => by,
    })
}
