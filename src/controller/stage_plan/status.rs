//! From the observed tasks to a [`StagePlan`]: the verdict, the tasks to create
//! and stop, the status and the events.

use kube::ResourceExt;
use kube::runtime::events::EventType;

use super::gate;
use super::model::{
    Halt, Instance, Run, Slot, StageObserved, StagePlan, instances, phase, short_name, task_names,
    task_object,
};
use crate::api::conditions::{reasons, types};
use crate::api::gate::GateStatus;
use crate::api::stage::{ReplicaCounts, TaskStatusSummary};
use crate::api::{FlightTaskPhase, MissionStageStatus, StagePhase};
use crate::controller::report::{PlanEvent, ready, set_condition};

/// Where the stage ends up after this plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Running,
    Succeeded,
    /// A task failed and none runs any more.
    Failed,
    Cancelled,
    TimedOut,
    InvalidSpec,
    /// Rejected at its approval gate.
    Rejected,
}

impl Outcome {
    fn phase(self) -> StagePhase {
        match self {
            Outcome::Running => StagePhase::Running,
            Outcome::Succeeded => StagePhase::Succeeded,
            _ => StagePhase::Failed,
        }
    }

    fn reason(self) -> &'static str {
        match self {
            Outcome::Running => reasons::RUNNING,
            Outcome::Succeeded => reasons::SUCCEEDED,
            Outcome::Failed => reasons::FAILED,
            Outcome::Cancelled => reasons::CANCELLED,
            Outcome::TimedOut => reasons::TIMEOUT,
            Outcome::InvalidSpec => reasons::INVALID_DEFINITION,
            Outcome::Rejected => reasons::REJECTED,
        }
    }
}

/// The outcome and the status line that explains it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Verdict {
    outcome: Outcome,
    message: String,
}

pub(super) fn verdict(observed: &StageObserved<'_>, run: &Run<'_>, names: &[String]) -> Verdict {
    let all_succeeded =
        (run.slots.iter()).all(|slot| matches!(slot, Slot::Exists(_, FlightTaskPhase::Succeeded)));
    let failed = run.indices(|slot| matches!(slot, Slot::Exists(_, FlightTaskPhase::Failed)));
    let failed: Vec<&str> = failed.iter().map(|&index| names[index].as_str()).collect();
    let outcome = match run.halt {
        _ if all_succeeded => Outcome::Succeeded,
        Some(Halt::Cancelled) => Outcome::Cancelled,
        Some(Halt::TimedOut) => Outcome::TimedOut,
        None if run.slots.iter().any(|slot| slot.is_active()) => Outcome::Running,
        None => Outcome::Failed,
    };
    let counts = Counts::of(&run.slots, outcome.phase() == StagePhase::Failed).text();
    let timeout = observed
        .stage
        .spec
        .config
        .timeout
        .as_deref()
        .unwrap_or_default();
    let message = match outcome {
        Outcome::Cancelled => format!("cancelled: {counts}"),
        Outcome::TimedOut => format!("timed out after {timeout}: {counts}"),
        Outcome::Failed => format!("{}: {counts}", failure_cause(&failed)),
        Outcome::Running if !failed.is_empty() => format!(
            "{}, waiting for the tasks still running: {counts}",
            failure_cause(&failed)
        ),
        Outcome::Running if observed.suspended.is_some() => format!("suspended: {counts}"),
        _ => counts,
    };
    Verdict { outcome, message }
}

/// "flight task strike-1 failed", "flight tasks a, b failed".
fn failure_cause(failed: &[&str]) -> String {
    match failed {
        [] => "no flight task can start".to_string(),
        [one] => format!("flight task {one} failed"),
        many => format!("flight tasks {} failed", many.join(", ")),
    }
}

/// How many tasks are where, for the status line.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    total: usize,
    succeeded: usize,
    running: usize,
    failed: usize,
    pending: usize,
    blocked: usize,
}

impl Counts {
    /// `stopping`: the stage fails now, so its unfinished tasks are stopped
    /// and count as failed.
    fn of(slots: &[Slot<'_>], stopping: bool) -> Self {
        let mut counts = Counts {
            total: slots.len(),
            ..Counts::default()
        };
        for &slot in slots {
            let bucket = match slot {
                Slot::Exists(_, FlightTaskPhase::Succeeded) => &mut counts.succeeded,
                Slot::Exists(_, FlightTaskPhase::Failed) => &mut counts.failed,
                Slot::Exists(..) if stopping => &mut counts.failed,
                Slot::Exists(_, FlightTaskPhase::Pending)
                | Slot::Start
                | Slot::Waiting
                | Slot::Rerun(_) => &mut counts.pending,
                Slot::Exists(..) => &mut counts.running,
                Slot::Blocked => &mut counts.blocked,
            };
            *bucket += 1;
        }
        counts
    }

    /// "2 of 3 tasks succeeded, 1 running", then whichever other counts are not zero.
    fn text(&self) -> String {
        let noun = if self.total == 1 { "task" } else { "tasks" };
        let mut text = format!("{} of {} {noun} succeeded", self.succeeded, self.total);
        let others = [
            (self.running, "running"),
            (self.failed, "failed"),
            (self.pending, "pending"),
            (self.blocked, "blocked"),
        ];
        for (count, what) in others {
            if count > 0 {
                text.push_str(&format!(", {count} {what}"));
            }
        }
        text
    }
}

/// The plan for an observed run, whatever its verdict.
pub(super) fn assemble(
    observed: &StageObserved<'_>,
    old: &MissionStageStatus,
    run: &Run<'_>,
    instances: &[Instance],
    verdict: Verdict,
) -> StagePlan {
    let stage = observed.stage;
    let starting = run.indices(|slot| matches!(slot, Slot::Start));
    let create_tasks = (starting.iter())
        .map(|&index| task_object(stage, &instances[index]))
        .collect();
    let stopping = verdict.outcome.phase() == StagePhase::Failed;
    let stop_tasks = (run.slots.iter())
        .filter_map(|slot| match slot {
            Slot::Exists(task, phase) if stopping && !phase.is_finished() => Some(task.name_any()),
            _ => None,
        })
        .collect();
    let mut events = started_events(observed, instances, &starting);
    events.extend(transition_event(old, &verdict));
    let requeue_after = run
        .remaining
        .filter(|_| verdict.outcome == Outcome::Running);
    let rerun_tasks = (run.slots.iter())
        .filter_map(|slot| match slot {
            Slot::Rerun(task) => Some(task.name_any()),
            _ => None,
        })
        .collect();
    StagePlan {
        rerun_tasks,
        create_tasks,
        stop_tasks,
        suspension_marks: Vec::new(),
        status: status(observed, old, run, instances, &verdict),
        requeue_after,
        events,
    }
}

/// One event for the tasks that start together, and one per fanned-out task
/// for its replicas that start together: a stage of fifty tasks tells its
/// start once, not fifty times.
fn started_events(
    observed: &StageObserved<'_>,
    instances: &[Instance],
    starting: &[usize],
) -> Vec<PlanEvent> {
    let task_names = task_names(&observed.stage.spec);
    let mut plain: Vec<&str> = Vec::new();
    let mut replicas: Vec<(usize, Vec<&str>)> = Vec::new();
    for &index in starting {
        let instance = &instances[index];
        if instance.replica.is_none() {
            plain.push(&instance.name);
            continue;
        }
        match replicas.last_mut() {
            Some((task, names)) if *task == instance.task => names.push(&instance.name),
            _ => replicas.push((instance.task, vec![&instance.name])),
        }
    }
    let mut events: Vec<PlanEvent> = Vec::new();
    match plain.as_slice() {
        [] => {}
        [one] => events.push(started(format!("flight task {one} started"))),
        many => events.push(started(format!(
            "{} flight tasks started: {}",
            many.len(),
            named_few(many)
        ))),
    }
    for (task, names) in replicas {
        let note = match names.as_slice() {
            [one] => format!("flight task {one} started"),
            [first, .., last] => format!(
                "flight task {}: {} replicas started, {first} to {last}",
                task_names[task],
                names.len()
            ),
            [] => continue,
        };
        events.push(started(note));
    }
    events
}

/// At most this many names in one event's note.
const NAMED_IN_A_NOTE: usize = 5;

/// The first few of `names`, and how many more there are.
fn named_few(names: &[&str]) -> String {
    let shown = names[..names.len().min(NAMED_IN_A_NOTE)].join(", ");
    match names.len().saturating_sub(NAMED_IN_A_NOTE) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

fn started(note: String) -> PlanEvent {
    PlanEvent {
        type_: EventType::Normal,
        reason: reasons::TASK_STARTED,
        action: "CreateTask",
        note,
    }
}

/// A stage whose spec cannot run: Failed, nothing created.
pub(super) fn invalid(
    observed: &StageObserved<'_>,
    old: &MissionStageStatus,
    message: &str,
) -> StagePlan {
    halted(observed, old, Outcome::InvalidSpec, message)
}

/// A stage rejected at its approval gate: Failed with reason Rejected,
/// nothing created, the decision recorded.
pub(super) fn rejected(
    observed: &StageObserved<'_>,
    old: &MissionStageStatus,
    record: GateStatus,
) -> StagePlan {
    let message = gate::decision_note(&record);
    let mut plan = halted(observed, old, Outcome::Rejected, &message);
    record_gate(observed, &mut plan.status, Some(record));
    plan
}

/// A stage that waits for a decision at its approval gate: nothing starts,
/// and its timeout has not begun.
pub(super) fn awaiting(
    observed: &StageObserved<'_>,
    old: &MissionStageStatus,
    instances: &[Instance],
    record: GateStatus,
    remaining: Option<std::time::Duration>,
    event: Option<PlanEvent>,
) -> StagePlan {
    let now = &observed.now;
    let generation = observed.stage.metadata.generation;
    let message = (observed.stage.spec.gate.as_ref()).map_or_else(String::new, gate::waiting_note);
    let summaries = (instances.iter())
        .map(|instance| task_summary(&instance.name, Slot::Waiting, false))
        .collect();
    let mut status = MissionStageStatus {
        phase: Some(StagePhase::AwaitingApproval),
        start_time: None,
        completion_time: None,
        message: Some(message.clone()),
        task_progress: Some(format!("0/{}", instances.len())),
        flight_tasks_status: fold_replicas(observed, instances, summaries),
        observed_generation: generation,
        last_handled_retry: old.last_handled_retry.clone(),
        gate: None,
        conditions: old.conditions.clone(),
    };
    let condition = ready(false, reasons::AWAITING_APPROVAL, &message, generation);
    set_condition(&mut status.conditions, condition, now);
    record_gate(observed, &mut status, Some(record));
    StagePlan {
        rerun_tasks: Vec::new(),
        create_tasks: Vec::new(),
        stop_tasks: Vec::new(),
        suspension_marks: Vec::new(),
        status,
        requeue_after: remaining,
        events: event.into_iter().collect(),
    }
}

/// Puts the gate's record and its condition in the stage's status.
pub(super) fn record_gate(
    observed: &StageObserved<'_>,
    status: &mut MissionStageStatus,
    record: Option<GateStatus>,
) {
    if let Some(record) = &record {
        let generation = observed.stage.metadata.generation;
        let condition = gate::condition(record, generation);
        set_condition(&mut status.conditions, condition, &observed.now);
    }
    status.gate = record;
}

/// Failed for `outcome` before (or without) running: what exists is
/// stopped, nothing is created.
fn halted(
    observed: &StageObserved<'_>,
    old: &MissionStageStatus,
    outcome: Outcome,
    message: &str,
) -> StagePlan {
    let instances = instances(&observed.stage.spec);
    let slots = (instances.iter())
        .map(|instance| {
            let present = (observed.tasks.iter()).find(|task| {
                short_name(task) == Some(instance.name.as_str())
                    && task.metadata.deletion_timestamp.is_none()
            });
            match present {
                Some(task) => Slot::Exists(task, phase(task)),
                None => Slot::Blocked,
            }
        })
        .collect();
    let run = Run {
        slots,
        start: old.start_time.clone().unwrap_or(observed.now.clone()),
        halt: None,
        remaining: None,
    };
    let verdict = Verdict {
        outcome,
        message: message.to_string(),
    };
    assemble(observed, old, &run, &instances, verdict)
}

/// A finished stage keeps its status (a spec edit is only acknowledged through
/// observedGeneration) and starts nothing, not even a task deleted later; an
/// unfinished task is stopped, in case a crash came between the status write
/// that failed the stage and the stop.
pub(super) fn finished(observed: &StageObserved<'_>, old: &MissionStageStatus) -> StagePlan {
    let generation = observed.stage.metadata.generation;
    let mut status = old.clone();
    status.observed_generation = generation;
    for condition in &mut status.conditions {
        if condition.type_ == types::READY {
            condition.observed_generation = generation;
        }
    }
    let stop_tasks = (observed.tasks.iter())
        .filter(|task| task.metadata.deletion_timestamp.is_none() && !phase(task).is_finished())
        .map(|task| task.name_any())
        .collect();
    StagePlan {
        rerun_tasks: Vec::new(),
        create_tasks: Vec::new(),
        stop_tasks,
        suspension_marks: Vec::new(),
        status,
        requeue_after: None,
        events: Vec::new(),
    }
}

/// What a retry of the stage runs again, given its failed tasks.
pub(super) fn retry_note(tasks: &[&str]) -> String {
    match tasks {
        [] => "retry requested: the flight tasks that did not start start again".to_string(),
        [one] => format!("retry requested: flight task {one} runs again"),
        many => format!(
            "retry requested: flight tasks {} run again",
            many.join(", ")
        ),
    }
}

/// An event when the stage finishes; starting is told by the task events.
fn transition_event(old: &MissionStageStatus, verdict: &Verdict) -> Option<PlanEvent> {
    let phase = verdict.outcome.phase();
    let type_ = match verdict.outcome {
        _ if old.phase == Some(phase) => return None,
        Outcome::Running => return None,
        Outcome::Succeeded | Outcome::Cancelled => EventType::Normal,
        Outcome::Failed | Outcome::TimedOut | Outcome::InvalidSpec | Outcome::Rejected => {
            EventType::Warning
        }
    };
    Some(PlanEvent {
        type_,
        reason: verdict.outcome.reason(),
        action: "Complete",
        note: verdict.message.clone(),
    })
}

/// The verdict and one summary per spec task.
fn status(
    observed: &StageObserved<'_>,
    old: &MissionStageStatus,
    run: &Run<'_>,
    instances: &[Instance],
    verdict: &Verdict,
) -> MissionStageStatus {
    let now = &observed.now;
    let phase = verdict.outcome.phase();
    let finished = phase != StagePhase::Running;
    let stopping = phase == StagePhase::Failed;
    let summaries: Vec<TaskStatusSummary> = (instances.iter().zip(&run.slots))
        .map(|(instance, slot)| task_summary(&instance.name, *slot, stopping))
        .collect();
    let succeeded = (summaries.iter())
        .filter(|task| task.phase == Some(FlightTaskPhase::Succeeded))
        .count();
    let flight_tasks_status = fold_replicas(observed, instances, summaries);
    let generation = observed.stage.metadata.generation;
    let mut status = MissionStageStatus {
        phase: Some(phase),
        start_time: Some(run.start.clone()),
        completion_time: finished.then(|| old.completion_time.clone().unwrap_or(now.clone())),
        message: Some(verdict.message.clone()),
        task_progress: Some(format!("{succeeded}/{}", instances.len())),
        flight_tasks_status,
        observed_generation: generation,
        last_handled_retry: old.last_handled_retry.clone(),
        gate: old.gate.clone(),
        conditions: old.conditions.clone(),
    };
    let is_ready = phase == StagePhase::Succeeded;
    let condition = ready(
        is_ready,
        verdict.outcome.reason(),
        &verdict.message,
        generation,
    );
    set_condition(&mut status.conditions, condition, now);
    status
}

/// The replicas folded into one summary per fanned-out task, in spec order.
fn fold_replicas(
    observed: &StageObserved<'_>,
    instances: &[Instance],
    summaries: Vec<TaskStatusSummary>,
) -> Vec<TaskStatusSummary> {
    let task_names = task_names(&observed.stage.spec);
    let mut folded: Vec<TaskStatusSummary> = Vec::new();
    for (instance, summary) in instances.iter().zip(summaries) {
        if instance.replica.is_none() {
            folded.push(summary);
            continue;
        }
        let name = &task_names[instance.task];
        if folded
            .last()
            .is_none_or(|last| last.name != *name || last.replicas.is_none())
        {
            folded.push(TaskStatusSummary {
                name: name.clone(),
                replicas: Some(ReplicaCounts::default()),
                ..TaskStatusSummary::default()
            });
        }
        let task = folded.last_mut().expect("pushed above");
        let counts = task.replicas.get_or_insert_with(ReplicaCounts::default);
        counts.total += 1;
        match summary.phase.unwrap_or_default() {
            FlightTaskPhase::Succeeded => counts.succeeded += 1,
            FlightTaskPhase::Failed => {
                counts.failed += 1;
                if counts.failed_names.len() < FAILED_NAMES {
                    counts.failed_names.push(summary.name);
                }
            }
            FlightTaskPhase::Pending => counts.pending += 1,
            _ => counts.running += 1,
        }
        task.phase = Some(match counts {
            c if c.failed > 0 => FlightTaskPhase::Failed,
            c if c.running > 0 => FlightTaskPhase::Running,
            c if c.pending > 0 => FlightTaskPhase::Pending,
            _ => FlightTaskPhase::Succeeded,
        });
    }
    folded
}

/// Failed replicas a fanned-out task's summary names; the count covers the rest.
const FAILED_NAMES: usize = 10;

/// What the stage reports of one task; a task being stopped reports Failed,
/// the state it is left in.
fn task_summary(name: &str, slot: Slot<'_>, stopping: bool) -> TaskStatusSummary {
    let Slot::Exists(task, phase) = slot else {
        return TaskStatusSummary {
            name: name.to_string(),
            phase: Some(FlightTaskPhase::Pending),
            pod_name: None,
            aircraft_node: None,
            replicas: None,
        };
    };
    let status = task.status.as_ref();
    let stopped = stopping && !phase.is_finished();
    TaskStatusSummary {
        name: name.to_string(),
        phase: Some(if stopped {
            FlightTaskPhase::Failed
        } else {
            phase
        }),
        pod_name: status
            .and_then(|s| s.pod_ref.as_ref())
            .map(|pod| pod.name.clone()),
        aircraft_node: (status.and_then(|s| s.scheduling_info.as_ref()))
            .and_then(|info| info.assigned_node.clone()),
        replicas: None,
    }
}
