//! What the stage plan reasons about: what was observed, the plan it hands
//! back, the stage's checked spec and where each of its tasks stands.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use kube::ResourceExt;

use crate::api::duration;
use crate::api::flight_task::{ObjectRef, Replica};
use crate::api::gate::DecisionRequest;
use crate::api::keys;
use crate::api::{
    FlightTask, FlightTaskPhase, FlightTaskSpec, MissionStage, MissionStageSpec,
    MissionStageStatus, StageType, SuspendMode,
};
use crate::controller::names;
use crate::controller::report::PlanEvent;
use crate::controller::retry;
use crate::graph::{Dag, Vocabulary};

/// What the reconciler observed and hands to [`super::plan`].
#[derive(Debug, Clone)]
pub struct StageObserved<'a> {
    pub stage: &'a MissionStage,
    /// The FlightTasks whose controller ownerReference is this stage,
    /// including those being deleted.
    pub tasks: &'a [Arc<FlightTask>],
    /// The stage was asked to stop ([`keys::CANCEL_ANNOTATION`], which the
    /// mission controller sets when the mission is cancelled).
    pub cancelled: bool,
    /// The stage's mission is suspended ([`keys::SUSPEND_ANNOTATION`]): no
    /// new task starts; with [`SuspendMode::Stop`] running ones are told to
    /// stop too.
    pub suspended: Option<SuspendMode>,
    /// The value of [`keys::RETRY_REQUEST_ANNOTATION`] on the stage, if any.
    pub retry_request: Option<&'a str>,
    /// The retry runs succeeded tasks again too
    /// ([`keys::RETRY_INCLUDES_SUCCEEDED_ANNOTATION`]).
    pub rerun_succeeded: bool,
    /// The decision asked for on the stage's approval gate, if any.
    pub gate_request: Option<DecisionRequest>,
    pub now: Time,
}

/// What the reconciler does: ask `rerun_tasks` to run again, write `status`,
/// create, stop, record the events, and requeue after `requeue_after` if set.
#[derive(Debug, Clone)]
pub struct StagePlan {
    /// Finished tasks that a retry runs again: hand them the request (the
    /// retry annotation) before the status write; a 404 is success.
    pub rerun_tasks: Vec<String>,
    /// Tasks that may start now, complete with labels and owner reference,
    /// ready for server-side apply.
    pub create_tasks: Vec<FlightTask>,
    /// Names of unfinished tasks of a failed stage: ask each to stop (the
    /// cancel annotation); each stops its pod and stays, failed as Cancelled.
    /// Listed again while they run, which is harmless.
    pub stop_tasks: Vec<String>,
    /// Unfinished tasks told otherwise than a stopping suspension says: set
    /// [`keys::SUSPEND_ANNOTATION`] to `stop` on each (true), or lift it.
    pub suspension_marks: Vec<(String, bool)>,
    pub status: MissionStageStatus,
    /// Time left before the stage times out, while it runs with a timeout.
    pub requeue_after: Option<Duration>,
    pub events: Vec<PlanEvent>,
}

/// A task's name in its stage's spec: its task label. The controllers know
/// a task by it, not by its object's name.
pub(super) fn short_name(task: &FlightTask) -> Option<&str> {
    task.labels().get(keys::TASK_LABEL).map(String::as_str)
}

/// The stage's spec, checked: the tasks' graph, the FlightTasks they run as,
/// the timeout.
#[derive(Debug)]
pub(super) struct Checked {
    /// Between the spec's tasks, by position.
    pub(super) dag: Dag,
    /// Every FlightTask the stage runs, task by task in spec order.
    pub(super) instances: Vec<Instance>,
    /// The instances' names, in the same order.
    pub(super) names: Vec<String>,
    pub(super) timeout: Option<Duration>,
}

/// One FlightTask the stage runs: a spec task, or one replica of a task with
/// `replicas`.
#[derive(Debug, Clone)]
pub(super) struct Instance {
    /// Its name in the stage, its task label: the task's, or `<task>.<index>`
    /// for a replica.
    pub(super) name: String,
    /// Its task's position in the spec.
    pub(super) task: usize,
    pub(super) replica: Option<Replica>,
}

/// The FlightTasks the stage's tasks run as, task by task in spec order.
pub(super) fn instances(spec: &MissionStageSpec) -> Vec<Instance> {
    let names = task_names(spec);
    let mut instances = Vec::new();
    for (task, (name, template)) in names.into_iter().zip(&spec.flight_tasks).enumerate() {
        match template.replicas {
            None => instances.push(Instance {
                name,
                task,
                replica: None,
            }),
            Some(_) => {
                let count = template.replica_count();
                instances.extend((0..count).map(|index| Instance {
                    name: format!("{name}.{index}"),
                    task,
                    replica: Some(Replica { index, count }),
                }));
            }
        }
    }
    instances
}

pub(super) fn check(spec: &MissionStageSpec) -> Result<Checked, String> {
    if spec.flight_tasks.is_empty() {
        return Err("the stage has no flight tasks".to_string());
    }
    let names = task_names(spec);
    let mut deps: Vec<Vec<String>> = Vec::with_capacity(names.len());
    for (index, task) in spec.flight_tasks.iter().enumerate() {
        deps.push(match spec.stage_type {
            StageType::Mixed => task.depends_on.clone(),
            _ if !task.depends_on.is_empty() => {
                return Err(format!(
                    "flight task {} has dependsOn, which only a stage of type mixed allows",
                    names[index]
                ));
            }
            // Each task waits for the one listed before it.
            StageType::Sequential => names[..index].last().cloned().into_iter().collect(),
            StageType::Parallel => Vec::new(),
        });
    }
    let nodes = (names.iter().zip(&deps)).map(|(name, deps)| (name.as_str(), deps.as_slice()));
    let words = Vocabulary {
        noun: "flight task",
        scope: "this stage",
    };
    let dag = Dag::new(nodes, words).map_err(|error| error.to_string())?;
    let timeout = match &spec.config.timeout {
        None => None,
        Some(text) => Some(
            duration::parse(text)
                .map_err(|error| format!("timeout {text:?} is not a duration: {error}"))?,
        ),
    };
    let instances = instances(spec);
    Ok(Checked {
        names: instances
            .iter()
            .map(|instance| instance.name.clone())
            .collect(),
        instances,
        dag,
        timeout,
    })
}

pub(super) fn task_names(spec: &MissionStageSpec) -> Vec<String> {
    (spec.flight_tasks.iter().enumerate())
        .map(|(index, task)| task.effective_name(&spec.stage_name, index))
        .collect()
}

/// Where one spec task stands.
#[derive(Debug, Clone, Copy)]
pub(super) enum Slot<'a> {
    /// Its FlightTask exists, in this phase.
    Exists(&'a FlightTask, FlightTaskPhase),
    /// May start: this plan creates it.
    Start,
    /// Waits for the tasks it depends on, or for a deleted FlightTask of the
    /// same name to be gone.
    Waiting,
    /// Finished, and runs again now for a retry that includes succeeded
    /// tasks: this plan hands it the request.
    Rerun(&'a FlightTask),
    /// Will not start: a task failed, or the stage timed out or was cancelled.
    Blocked,
}

impl Slot<'_> {
    pub(super) fn is_active(self) -> bool {
        match self {
            Slot::Exists(_, phase) => !phase.is_finished(),
            Slot::Start | Slot::Waiting | Slot::Rerun(_) => true,
            Slot::Blocked => false,
        }
    }
}

/// Why a stage that has not succeeded must stop now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Halt {
    Cancelled,
    TimedOut,
}

/// The stage's tasks as observed at `now`.
#[derive(Debug)]
pub(super) struct Run<'a> {
    /// One per spec task, in spec order.
    pub(super) slots: Vec<Slot<'a>>,
    pub(super) start: Time,
    pub(super) halt: Option<Halt>,
    /// Time left before the timeout, if there is one and it has not passed.
    pub(super) remaining: Option<Duration>,
}

impl<'a> Run<'a> {
    pub(super) fn observe(
        observed: &StageObserved<'a>,
        old: &MissionStageStatus,
        checked: &Checked,
    ) -> Self {
        let (present, going): (Vec<&FlightTask>, Vec<&FlightTask>) =
            (observed.tasks.iter().map(AsRef::as_ref))
                .partition(|task| task.metadata.deletion_timestamp.is_none());
        let present: BTreeMap<&str, &FlightTask> = (present.into_iter())
            .filter_map(|task| Some((short_name(task)?, task)))
            .collect();
        let going: HashSet<&str> = going.iter().filter_map(|task| short_name(task)).collect();
        let start = old.start_time.clone().unwrap_or(observed.now.clone());
        let elapsed = elapsed(&start, &observed.now);
        let halt = match checked.timeout {
            _ if observed.cancelled => Some(Halt::Cancelled),
            Some(timeout) if elapsed >= timeout => Some(Halt::TimedOut),
            _ => None,
        };
        let handled: Vec<&str> = old.last_handled_retry.as_deref().into_iter().collect();
        let phase = |task: &FlightTask| phase_after_retry(task, &handled);
        // A retry that includes succeeded tasks: the finished tasks it has
        // not reached yet run again once their dependencies have, in order.
        let rerun_request = old
            .last_handled_retry
            .as_deref()
            .filter(|_| observed.rerun_succeeded);
        // Those are the tasks made before the retry began (the run's start):
        // a task the retry itself creates runs once, as in any run.
        let awaits_rerun = |task: &FlightTask| {
            let made_before =
                (task.metadata.creation_timestamp.as_ref()).is_some_and(|made| made.0 < start.0);
            rerun_request.is_some_and(|request| {
                made_before && retry::request(task) != Some(request) && phase(task).is_finished()
            })
        };
        let failed = (checked.names.iter()).any(|name| {
            present
                .get(name.as_str())
                .is_some_and(|task| !awaits_rerun(task) && phase(task) == FlightTaskPhase::Failed)
        });
        let succeeded =
            |slot: Slot<'_>| matches!(slot, Slot::Exists(_, FlightTaskPhase::Succeeded));
        let spec_tasks = &observed.stage.spec.flight_tasks;
        let mut of_task = vec![Vec::new(); spec_tasks.len()];
        for (index, instance) in checked.instances.iter().enumerate() {
            of_task[instance.task].push(index);
        }
        let mut slots = vec![Slot::Waiting; checked.names.len()];
        let mut task_succeeded = vec![false; spec_tasks.len()];
        for &task in checked.dag.order() {
            let ready = (checked.dag.deps(task).iter()).all(|&d| task_succeeded[d]);
            let name = |index: usize| checked.names[index].as_str();
            let unfinished = |index: &&usize| {
                (present.get(name(**index))).is_some_and(|t| !phase(t).is_finished())
            };
            // Replicas running and those started now count against the
            // task's parallelism alike.
            let mut running = of_task[task].iter().filter(unfinished).count();
            let limit = usize::try_from(spec_tasks[task].parallel_limit()).unwrap_or(usize::MAX);
            for &index in &of_task[task] {
                slots[index] = match present.get(name(index)) {
                    Some(found) if awaits_rerun(found) && (failed || halt.is_some()) => {
                        Slot::Blocked
                    }
                    Some(found) if awaits_rerun(found) => {
                        match ready && observed.suspended.is_none() && running < limit {
                            true => {
                                running += 1;
                                Slot::Rerun(found)
                            }
                            false => Slot::Waiting,
                        }
                    }
                    Some(found) => Slot::Exists(found, phase(found)),
                    None if failed || halt.is_some() => Slot::Blocked,
                    None if ready
                        && observed.suspended.is_none()
                        && !going.contains(name(index))
                        && running < limit =>
                    {
                        running += 1;
                        Slot::Start
                    }
                    None => Slot::Waiting,
                };
            }
            task_succeeded[task] = of_task[task].iter().all(|&index| succeeded(slots[index]));
        }
        Self {
            slots,
            start,
            halt,
            remaining: checked
                .timeout
                .and_then(|timeout| timeout.checked_sub(elapsed)),
        }
    }

    pub(super) fn indices(&self, wanted: impl Fn(Slot<'_>) -> bool) -> Vec<usize> {
        (0..self.slots.len())
            .filter(|&index| wanted(self.slots[index]))
            .collect()
    }
}

pub(super) fn phase(task: &FlightTask) -> FlightTaskPhase {
    (task.status.as_ref())
        .and_then(|status| status.phase)
        .unwrap_or_default()
}

/// A task's phase, where a finished task asked to run again by one of
/// `handled` that has not acted on it yet counts as retrying.
pub(super) fn phase_after_retry(task: &FlightTask, handled: &[&str]) -> FlightTaskPhase {
    let acted = (task.status.as_ref()).and_then(|status| status.last_handled_retry.as_deref());
    match phase(task) {
        FlightTaskPhase::Failed | FlightTaskPhase::Succeeded
            if retry::asked_not_acted(task, acted, handled) =>
        {
            FlightTaskPhase::Retrying
        }
        phase => phase,
    }
}

/// Negative when the clocks of two writers disagree; counted as no time.
pub(super) fn elapsed(start: &Time, now: &Time) -> Duration {
    Duration::try_from(now.0.duration_since(start.0)).unwrap_or(Duration::ZERO)
}

/// The FlightTask of `instance`, with the stage's priority and task
/// defaults filled in.
pub(super) fn task_object(stage: &MissionStage, instance: &Instance) -> FlightTask {
    let spec = &stage.spec;
    let name = instance.name.as_str();
    let mut template = spec.flight_tasks[instance.task].template.clone();
    template.policy = template.policy.or(&spec.config.task_defaults);
    let task_spec = FlightTaskSpec {
        stage_ref: Some(ObjectRef {
            name: stage.name_any(),
        }),
        priority: spec.priority,
        replica: instance.replica,
        template,
    };
    let object = names::flight_task(&spec.mission_ref.name, &spec.stage_name, name);
    let mut task = FlightTask::new(&object, task_spec);
    let mut labels = names::labels(&spec.mission_ref.name, &spec.stage_name, Some(name));
    if let Some(replica) = instance.replica {
        labels.insert(keys::REPLICA_INDEX_LABEL.into(), replica.index.to_string());
    }
    task.metadata.labels = Some(labels);
    task.metadata.namespace = stage.namespace();
    task.metadata.owner_references = names::owner_reference(stage).map(|owner| vec![owner]);
    task
}
