//! The MissionStage controller's decisions, as a pure function of
//! the stage, the FlightTasks it controls, a cancel flag and the time: which
//! tasks to create or stop, the stage's next status, and when to look again.
//!
//! The three stage types are one rule over a task graph: a task starts once
//! every task it depends on has Succeeded. `sequential` makes each task depend
//! on the one before it, `parallel` has no edges, `mixed` uses the tasks'
//! `dependsOn`. After a task fails nothing new starts; the stage fails once no
//! task runs, so tasks already flying finish their sortie.
//!
//! A stage exists only once the mission lets it start, so it starts at its first
//! plan: that sets `startTime`, from which `config.timeout` runs. The timeout is
//! the only timer ([`StagePlan::requeue_after`]); everything else is driven by
//! watches. On timeout or cancellation the stage fails at once and its running
//! tasks are listed to stop; they show as Failed in the stage's status.
//!
//! **A retry re-runs only what failed.** When the mission controller passes a
//! retry request on to a Failed stage ([`keys::RETRY_REQUEST_ANNOTATION`]), the plan
//! hands it on to the failed FlightTasks ([`StagePlan::rerun_tasks`], asked
//! before the status is written), which run again in place with fresh pods
//! and retries (see [`super::retry`]), and makes the stage Running again with
//! a fresh `startTime`, so the timeout counts from the retry. Succeeded tasks
//! stay as they are; tasks stopped or never started start when their
//! dependencies succeed. `status.lastHandledRetry` records the request, so it
//! is acted on once; a crash before that write repeats the idempotent asks.

mod status;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use kube::ResourceExt;

use super::dag::{Dag, Vocabulary};
use super::names;
use super::report::{self, PlanEvent};
use super::retry;
use crate::api::duration;
use crate::api::flight_task::ObjectRef;
use crate::api::keys;
use crate::api::{
    FlightTask, FlightTaskPhase, FlightTaskSpec, MissionStage, MissionStageSpec,
    MissionStageStatus, StagePhase, StageType,
};

/// What the reconciler observed and hands to [`plan`].
#[derive(Debug, Clone)]
pub struct StageObserved<'a> {
    pub stage: &'a MissionStage,
    /// The FlightTasks whose controller ownerReference is this stage,
    /// including those being deleted.
    pub tasks: &'a [FlightTask],
    /// The stage was asked to stop ([`keys::CANCEL_ANNOTATION`], which the
    /// mission controller sets when the mission is cancelled).
    pub cancelled: bool,
    /// The value of [`keys::RETRY_REQUEST_ANNOTATION`] on the stage, if any.
    pub retry_request: Option<&'a str>,
    pub now: Time,
}

/// What the reconciler does: ask `rerun_tasks` to run again, write `status`,
/// create, stop, record the events, and requeue after `requeue_after` if set.
#[derive(Debug, Clone)]
pub struct StagePlan {
    /// Failed tasks that a retry runs again: hand them the request (the retry
    /// annotation) before the status write; a 404 is success.
    pub rerun_tasks: Vec<String>,
    /// Tasks that may start now, complete with labels and owner reference,
    /// ready for server-side apply.
    pub create_tasks: Vec<FlightTask>,
    /// Names of unfinished tasks of a failed stage: delete them (their pods
    /// go with them); their last state stays in the stage's status. Listed
    /// again until they are gone, which is harmless.
    pub stop_tasks: Vec<String>,
    pub status: MissionStageStatus,
    /// Time left before the stage times out, while it runs with a timeout.
    pub requeue_after: Option<Duration>,
    pub events: Vec<PlanEvent>,
}

/// Decides the stage's next step; see the module doc.
pub fn plan(observed: &StageObserved<'_>) -> StagePlan {
    let old = observed.stage.status.clone().unwrap_or_default();
    let retry_request = (observed.retry_request)
        .filter(|_| old.phase == Some(StagePhase::Failed))
        .filter(|request| old.last_handled_retry.as_deref() != Some(*request));
    if let Some(request) = retry_request {
        return retry(observed, &old, request);
    }
    if matches!(old.phase, Some(StagePhase::Succeeded | StagePhase::Failed)) {
        return status::finished(observed, &old);
    }
    match check(&observed.stage.spec) {
        Ok(checked) => {
            let run = Run::observe(observed, &old, &checked);
            let verdict = status::verdict(observed, &run, &checked.names);
            status::assemble(observed, &old, &run, &checked.names, verdict)
        }
        Err(message) => status::invalid(observed, &old, &message),
    }
}

/// The plan that honours a retry request: the stage planned as it will be once
/// its failed tasks were asked to run again (see the module doc).
fn retry(observed: &StageObserved<'_>, old: &MissionStageStatus, request: &str) -> StagePlan {
    let checked = match check(&observed.stage.spec) {
        Ok(checked) => checked,
        Err(message) => return status::invalid(observed, old, &message),
    };
    let failed = |task: &FlightTask| {
        task.metadata.deletion_timestamp.is_none() && phase(task) == FlightTaskPhase::Failed
    };
    let mut rerun_tasks: Vec<String> = (observed.tasks.iter())
        .filter(|task| failed(task))
        .map(|task| task.name_any())
        .collect();
    rerun_tasks.sort();
    let asked_tasks: Vec<FlightTask> = (observed.tasks.iter().cloned())
        .map(|mut task| {
            if failed(&task) {
                (task.annotations_mut()).insert(
                    keys::RETRY_REQUEST_ANNOTATION.to_string(),
                    request.to_string(),
                );
            }
            task
        })
        .collect();
    let asked = StageObserved {
        tasks: &asked_tasks,
        ..observed.clone()
    };
    let fresh = MissionStageStatus {
        phase: Some(StagePhase::Running),
        start_time: None,
        completion_time: None,
        last_handled_retry: Some(request.to_string()),
        ..old.clone()
    };
    let run = Run::observe(&asked, &fresh, &checked);
    let verdict = status::verdict(&asked, &run, &checked.names);
    let mut plan = status::assemble(&asked, &fresh, &run, &checked.names, verdict);
    let mut short: Vec<&str> = (observed.tasks.iter())
        .filter(|task| failed(task))
        .filter_map(short_name)
        .collect();
    short.sort_unstable();
    plan.events
        .insert(0, report::retry_requested(status::retry_note(&short)));
    plan.rerun_tasks = rerun_tasks;
    plan
}

/// A task's name in its stage's spec: its task label. The controllers know
/// a task by it, not by its object's name.
fn short_name(task: &FlightTask) -> Option<&str> {
    task.labels().get(keys::TASK_LABEL).map(String::as_str)
}

/// The stage's spec, checked: task names, the task graph, the timeout.
#[derive(Debug)]
struct Checked {
    /// Effective task names, in spec order.
    names: Vec<String>,
    dag: Dag,
    timeout: Option<Duration>,
}

fn check(spec: &MissionStageSpec) -> Result<Checked, String> {
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
    let dag = Dag::new(nodes, words)?;
    let timeout = match &spec.config.timeout {
        None => None,
        Some(text) => Some(
            duration::parse(text)
                .map_err(|error| format!("timeout {text:?} is not a duration: {error}"))?,
        ),
    };
    Ok(Checked {
        names,
        dag,
        timeout,
    })
}

fn task_names(spec: &MissionStageSpec) -> Vec<String> {
    (spec.flight_tasks.iter().enumerate())
        .map(|(index, task)| task.effective_name(&spec.stage_name, index))
        .collect()
}

/// Where one spec task stands.
#[derive(Debug, Clone, Copy)]
enum Slot<'a> {
    /// Its FlightTask exists, in this phase.
    Exists(&'a FlightTask, FlightTaskPhase),
    /// May start: this plan creates it.
    Start,
    /// Waits for the tasks it depends on, or for a deleted FlightTask of the
    /// same name to be gone.
    Waiting,
    /// Will not start: a task failed, or the stage timed out or was cancelled.
    Blocked,
}

impl Slot<'_> {
    fn is_active(self) -> bool {
        match self {
            Slot::Exists(_, phase) => !phase.is_finished(),
            Slot::Start | Slot::Waiting => true,
            Slot::Blocked => false,
        }
    }
}

/// Why a stage that has not succeeded must stop now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Halt {
    Cancelled,
    TimedOut,
}

/// The stage's tasks as observed at `now`.
#[derive(Debug)]
struct Run<'a> {
    /// One per spec task, in spec order.
    slots: Vec<Slot<'a>>,
    start: Time,
    halt: Option<Halt>,
    /// Time left before the timeout, if there is one and it has not passed.
    remaining: Option<Duration>,
}

impl<'a> Run<'a> {
    fn observe(observed: &StageObserved<'a>, old: &MissionStageStatus, checked: &Checked) -> Self {
        let (present, going): (Vec<&FlightTask>, Vec<&FlightTask>) =
            (observed.tasks.iter()).partition(|task| task.metadata.deletion_timestamp.is_none());
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
        let failed = (checked.names.iter()).any(|name| {
            present
                .get(name.as_str())
                .is_some_and(|task| phase(task) == FlightTaskPhase::Failed)
        });
        let succeeded =
            |slot: Slot<'_>| matches!(slot, Slot::Exists(_, FlightTaskPhase::Succeeded));
        let mut slots = vec![Slot::Waiting; checked.names.len()];
        for &index in checked.dag.order() {
            let name = checked.names[index].as_str();
            let ready = (checked.dag.deps(index).iter()).all(|&d| succeeded(slots[d]));
            slots[index] = match present.get(name) {
                Some(task) => Slot::Exists(task, phase(task)),
                None if failed || halt.is_some() => Slot::Blocked,
                None if ready && !going.contains(name) => Slot::Start,
                None => Slot::Waiting,
            };
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

    fn indices(&self, wanted: impl Fn(Slot<'_>) -> bool) -> Vec<usize> {
        (0..self.slots.len())
            .filter(|&index| wanted(self.slots[index]))
            .collect()
    }
}

fn phase(task: &FlightTask) -> FlightTaskPhase {
    (task.status.as_ref())
        .and_then(|status| status.phase)
        .unwrap_or_default()
}

/// A task's phase, where a failed task asked to run again by one of
/// `handled` that has not acted on it yet counts as retrying.
fn phase_after_retry(task: &FlightTask, handled: &[&str]) -> FlightTaskPhase {
    let acted = (task.status.as_ref()).and_then(|status| status.last_handled_retry.as_deref());
    match phase(task) {
        FlightTaskPhase::Failed if retry::asked_not_acted(task, acted, handled) => {
            FlightTaskPhase::Retrying
        }
        phase => phase,
    }
}

/// Negative when the clocks of two writers disagree; counted as no time.
fn elapsed(start: &Time, now: &Time) -> Duration {
    Duration::try_from(now.0.duration_since(start.0)).unwrap_or(Duration::ZERO)
}

/// The FlightTask for task `index` of the stage, named `name`, with the
/// stage's priority and task defaults filled in.
fn task_object(stage: &MissionStage, index: usize, name: &str) -> FlightTask {
    let spec = &stage.spec;
    let mut template = spec.flight_tasks[index].template.clone();
    template.policy = template.policy.or(&spec.config.task_defaults);
    let task_spec = FlightTaskSpec {
        stage_ref: Some(ObjectRef {
            name: stage.name_any(),
        }),
        priority: spec.priority,
        template,
    };
    let object = names::flight_task(&spec.mission_ref.name, &spec.stage_name, name);
    let mut task = FlightTask::new(&object, task_spec);
    let labels = names::labels(&spec.mission_ref.name, &spec.stage_name, Some(name));
    task.metadata.labels = Some(labels);
    task.metadata.namespace = stage.namespace();
    task.metadata.owner_references = names::owner_reference(stage).map(|owner| vec![owner]);
    task
}
