//! From the observed stages and their verdict to a [`MissionPlan`]: the
//! stages to create and cancel, the status and the events.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use kube::ResourceExt;
use kube::runtime::events::EventType;

use super::attempt::Attempt;
use super::model::{
    MissionObserved, MissionPlan, Slot, Verdict, current_stages, phase, stage_object, started_note,
};
use crate::api::FlightTaskPhase;
use crate::api::conditions::Condition;
use crate::api::conditions::{reasons, types};
use crate::api::mission::{StageSummary, Statistics};
use crate::api::{Mission, MissionPhase, MissionStatus, StagePhase};
use crate::controller::report::{PlanEvent, condition, ready, set_condition};

/// The plan for an attempt, whatever its verdict. Active stages are cancelled
/// when the mission is cancelled or has failed, so a failed mission leaves
/// nothing running (an invalid spec fails it while stages may run).
pub(super) fn assemble(
    observed: &MissionObserved<'_>,
    old: &MissionStatus,
    attempt: &Attempt<'_>,
    verdict: Verdict,
) -> MissionPlan {
    let mission = observed.mission;
    let starting = attempt.indices(|slot| matches!(slot, Slot::Start));
    let create_stages = (starting.iter())
        .map(|&index| stage_object(mission, index))
        .collect();
    let cancel = observed.cancelled || verdict.phase == MissionPhase::Failed;
    let cancel_stages = (attempt.slots.iter())
        .filter(|slot| cancel && slot.is_active())
        .filter_map(|slot| match slot {
            Slot::Exists(stage, _) => Some(stage.name_any()),
            _ => None,
        })
        .collect();
    let mut events: Vec<PlanEvent> = (starting.iter())
        .map(|&index| PlanEvent {
            type_: EventType::Normal,
            reason: reasons::STAGE_STARTED,
            action: "CreateStage",
            note: started_note(&mission.spec.stages[index]),
        })
        .collect();
    events.extend(transition_event(old, &verdict));
    MissionPlan {
        create_stages,
        cancel_stages,
        retry_stages: Vec::new(),
        retry_request: None,
        suspension_marks: Vec::new(),
        status: status(observed, old, attempt, &verdict),
        events,
        requeue_after: None,
    }
}

/// A mission that cannot run: Failed, nothing created or deleted, its
/// running stages (if a spec edit made it invalid) cancelled.
pub(super) fn invalid(
    observed: &MissionObserved<'_>,
    old: &MissionStatus,
    message: &str,
) -> MissionPlan {
    let mission = observed.mission;
    let current = current_stages(observed.stages);
    let slots = (mission.spec.stages.iter())
        .map(|template| {
            match current
                .iter()
                .find(|stage| stage.spec.stage_name == template.name)
            {
                Some(stage) => Slot::Exists(stage, phase(stage)),
                None => Slot::Blocked,
            }
        })
        .collect();
    let attempt = Attempt { slots };
    let verdict = Verdict {
        phase: MissionPhase::Failed,
        reason: reasons::INVALID_DEFINITION,
        message: message.to_string(),
    };
    assemble(observed, old, &attempt, verdict)
}

/// A mission that already finished keeps its status: a stage deleted later is
/// not run again, a spec edited later is only acknowledged (observedGeneration,
/// so kstatus does not see it as in progress). Stages still running are
/// cancelled, in case a crash came between the last status write and that.
pub(super) fn finished(observed: &MissionObserved<'_>, old: &MissionStatus) -> MissionPlan {
    let generation = observed.mission.metadata.generation;
    let mut status = old.clone();
    status.observed_generation = generation;
    for condition in &mut status.conditions {
        if condition.type_ == types::READY {
            condition.observed_generation = generation;
        }
    }
    touch(&mut status, old, &observed.now);
    let current = current_stages(observed.stages);
    let cancel_stages = (current.iter())
        .filter(|stage| !phase(stage).is_finished())
        .map(|stage| stage.name_any())
        .collect();
    MissionPlan {
        create_stages: Vec::new(),
        cancel_stages,
        retry_stages: Vec::new(),
        retry_request: None,
        suspension_marks: Vec::new(),
        status,
        events: Vec::new(),
        requeue_after: None,
    }
}

/// The event that says the failure policy retries the mission: `runs` says
/// what runs again.
pub(super) fn retry_event(
    failed: &Verdict,
    retry: i32,
    max_retries: i32,
    runs: String,
) -> PlanEvent {
    let runs = runs.strip_prefix("retry requested: ").unwrap_or(&runs);
    PlanEvent {
        type_: EventType::Warning,
        reason: reasons::RETRYING,
        action: "Retry",
        note: format!("{}; retry {retry} of {max_retries}: {runs}", failed.message),
    }
}

/// What a requested retry of a mission runs again, given its failed stages:
/// "retry requested: stage strike runs its failed flight tasks again".
pub fn retry_note(failed_stages: &[&str]) -> String {
    match failed_stages {
        [] => "retry requested: the stages that did not start start again".to_string(),
        [one] => format!("retry requested: stage {one} runs its failed flight tasks again"),
        many => format!(
            "retry requested: stages {} run their failed flight tasks again",
            many.join(", ")
        ),
    }
}

/// An event when the mission finishes; starting is told by the stage events.
fn transition_event(old: &MissionStatus, verdict: &Verdict) -> Option<PlanEvent> {
    let type_ = match verdict.phase {
        _ if old.phase == Some(verdict.phase) => return None,
        MissionPhase::Succeeded => EventType::Normal,
        MissionPhase::Cancelled => EventType::Normal,
        MissionPhase::Failed => EventType::Warning,
        MissionPhase::Pending | MissionPhase::Running => return None,
    };
    Some(PlanEvent {
        type_,
        reason: verdict.reason,
        action: "Complete",
        note: verdict.message.clone(),
    })
}

/// The verdict, the stages' summary and their tasks' counts.
fn status(
    observed: &MissionObserved<'_>,
    old: &MissionStatus,
    attempt: &Attempt<'_>,
    verdict: &Verdict,
) -> MissionStatus {
    let mission = observed.mission;
    let now = &observed.now;
    let finished = verdict.phase.is_finished();
    let statistics = statistics(
        (mission.spec.stages.iter())
            .flat_map(|stage| &stage.flight_tasks)
            .map(|task| task.replica_count() as usize)
            .sum(),
        attempt,
    );
    let succeeded = (attempt.slots.iter())
        .filter(|slot| matches!(slot, Slot::Exists(_, StagePhase::Succeeded)))
        .count();
    let generation = mission.metadata.generation;
    let mut status = MissionStatus {
        phase: Some(verdict.phase),
        start_time: (old.start_time.clone())
            .or_else(|| attempt.started(mission).then(|| now.clone())),
        completion_time: finished.then(|| old.completion_time.clone().unwrap_or(now.clone())),
        last_update_time: old.last_update_time.clone(),
        message: Some(verdict.message.clone()),
        retry_count: old.retry_count,
        stages_summary: summary(observed, attempt),
        stage_progress: Some(format!("{succeeded}/{}", attempt.slots.len())),
        task_progress: Some(format!(
            "{}/{}",
            statistics.succeeded_tasks, statistics.total_flight_tasks
        )),
        statistics,
        observed_generation: generation,
        last_handled_retry: old.last_handled_retry.clone(),
        conditions: old.conditions.clone(),
    };
    let is_ready = verdict.phase == MissionPhase::Succeeded;
    let condition = ready(is_ready, verdict.reason, &verdict.message, generation);
    set_condition(&mut status.conditions, condition, now);
    if let Some(condition) = awaiting_approval(mission, &status.stages_summary, generation) {
        set_condition(&mut status.conditions, condition, now);
    }
    touch(&mut status, old, now);
    status
}

/// For a mission with a gated stage: True while a stage waits for approval,
/// naming the stages, so `kubectl wait --for=condition=AwaitingApproval`
/// works on the mission too.
fn awaiting_approval(
    mission: &Mission,
    summary: &[StageSummary],
    generation: Option<i64>,
) -> Option<Condition> {
    if !mission.spec.stages.iter().any(|stage| stage.gate.is_some()) {
        return None;
    }
    let waiting: Vec<&str> = (summary.iter())
        .filter(|stage| stage.phase == Some(StagePhase::AwaitingApproval))
        .map(|stage| stage.name.as_str())
        .collect();
    let (holds, message) = match waiting.as_slice() {
        [] => (false, "no stage waits for approval".to_string()),
        [one] => (true, format!("stage {one} waits for approval")),
        many => (
            true,
            format!("stages {} wait for approval", many.join(", ")),
        ),
    };
    let reason = if holds {
        reasons::AWAITING_APPROVAL
    } else {
        reasons::RUNNING
    };
    Some(condition(
        types::AWAITING_APPROVAL,
        holds,
        reason,
        &message,
        generation,
    ))
}

/// `lastUpdateTime` moves only when something else in the status changed.
fn touch(status: &mut MissionStatus, old: &MissionStatus, now: &Time) {
    status.last_update_time = old.last_update_time.clone();
    if status != old {
        status.last_update_time = Some(now.clone());
    }
}

/// One entry per spec stage, in spec order; Pending for stages not created.
fn summary(observed: &MissionObserved<'_>, attempt: &Attempt<'_>) -> Vec<StageSummary> {
    let stages = &observed.mission.spec.stages;
    (stages.iter().zip(&attempt.slots))
        .map(|(template, slot)| {
            // A stage that starts now, or exists without a status yet, is
            // Running already: Pending says a stage has not started, and its
            // spec may still be edited.
            let (phase, stage_status) = match slot {
                Slot::Exists(stage, StagePhase::Pending) => {
                    (StagePhase::Running, stage.status.as_ref())
                }
                Slot::Exists(stage, phase) => (*phase, stage.status.as_ref()),
                Slot::Start => (StagePhase::Running, None),
                _ => (StagePhase::Pending, None),
            };
            StageSummary {
                name: template.name.clone(),
                phase: Some(phase),
                start_time: stage_status.and_then(|s| s.start_time.clone()),
                completion_time: stage_status.and_then(|s| s.completion_time.clone()),
            }
        })
        .collect()
}

/// Task counts summed from what each stage reports of its tasks, each
/// replica of a fanned-out task counted as a task; tasks of stages not
/// created yet, and tasks their stage has not created, are pending.
fn statistics(total: usize, attempt: &Attempt<'_>) -> Statistics {
    let mut statistics = Statistics {
        total_flight_tasks: count(total),
        ..Statistics::default()
    };
    let reported = (attempt.slots.iter())
        .filter_map(|slot| match slot {
            Slot::Exists(stage, _) => stage.status.as_ref(),
            _ => None,
        })
        .flat_map(|status| &status.flight_tasks_status);
    for task in reported {
        if let Some(replicas) = &task.replicas {
            statistics.succeeded_tasks += count(replicas.succeeded as usize);
            statistics.failed_tasks += count(replicas.failed as usize);
            statistics.running_tasks += count(replicas.running as usize);
            continue;
        }
        match task.phase.unwrap_or_default() {
            FlightTaskPhase::Succeeded => statistics.succeeded_tasks += 1,
            FlightTaskPhase::Failed => statistics.failed_tasks += 1,
            FlightTaskPhase::Scheduled | FlightTaskPhase::Running | FlightTaskPhase::Retrying => {
                statistics.running_tasks += 1
            }
            FlightTaskPhase::Pending => {}
        }
    }
    let accounted = statistics.succeeded_tasks + statistics.failed_tasks + statistics.running_tasks;
    statistics.pending_tasks = (statistics.total_flight_tasks - accounted).max(0);
    statistics
}

fn count(value: usize) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}
