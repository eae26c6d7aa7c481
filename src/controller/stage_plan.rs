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
//! **An approval gate holds the stage before its first task.** A stage whose
//! spec has a `gate` waits in AwaitingApproval (no task created, no
//! `startTime`, so its timeout has not begun) until a decision arrives on its
//! annotations or the gate's own timeout decides; approval starts it as any
//! other stage, rejection fails it with reason Rejected (see [`gate`]). A
//! cancelled stage does not wait for its gate.
//!
//! **Suspension.** While its mission is suspended the stage starts no task;
//! when the suspension stops running work it passes that on to its unfinished
//! tasks ([`StagePlan::suspension_marks`]), which stop their pods and wait,
//! and lifts it on resume.
//!
//! **A retry re-runs only what failed.** When the mission controller passes a
//! retry request on to a Failed stage ([`keys::RETRY_REQUEST_ANNOTATION`]), the plan
//! hands it on to the failed FlightTasks ([`StagePlan::rerun_tasks`], asked
//! before the status is written), which run again in place with fresh pods
//! and retries (see [`super::retry`]), and makes the stage Running again with
//! a fresh `startTime`, so the timeout counts from the retry. Succeeded tasks
//! stay as they are; tasks stopped or never started start when their
//! dependencies succeed. A retry that includes succeeded tasks
//! ([`keys::RETRY_INCLUDES_SUCCEEDED_ANNOTATION`]) runs every task again: the
//! request is handed to each finished task once the tasks it depends on have
//! run again, so the stage's order holds. `status.lastHandledRetry` records
//! the request, so it is acted on once; a crash before that write repeats the
//! idempotent asks.

mod gate;
mod model;
mod status;
#[cfg(test)]
mod tests;

pub use model::{StageObserved, StagePlan};

use std::sync::Arc;

use kube::ResourceExt;
use kube::runtime::events::EventType;

use self::gate::Passage;
use self::model::{Run, check, phase, short_name};
use super::report;
use crate::api::conditions::reasons;
use crate::api::gate::GateState;
use crate::api::keys;
use crate::api::{FlightTask, FlightTaskPhase, MissionStageStatus, StagePhase, SuspendMode};
use crate::controller::apply::suspension;

/// Decides the stage's next step; see the module doc.
pub fn plan(observed: &StageObserved<'_>) -> StagePlan {
    let mut plan = plan_tasks(observed);
    plan.suspension_marks = suspension_marks(observed, &plan);
    plan
}

/// A stopping suspension passed on to the stage's unfinished tasks, and
/// lifted from them once it no longer holds. Tasks the plan stops anyway
/// are left alone.
fn suspension_marks(observed: &StageObserved<'_>, plan: &StagePlan) -> Vec<(String, bool)> {
    let stopping = observed.suspended == Some(SuspendMode::Stop)
        && plan.status.phase == Some(StagePhase::Running);
    (observed.tasks.iter())
        .filter(|task| task.metadata.deletion_timestamp.is_none() && !phase(task).is_finished())
        .filter(|task| !plan.stop_tasks.contains(&task.name_any()))
        .filter(|task| (suspension(task.as_ref()) == Some(SuspendMode::Stop)) != stopping)
        .map(|task| (task.name_any(), stopping))
        .collect()
}

fn plan_tasks(observed: &StageObserved<'_>) -> StagePlan {
    let old = observed.stage.status.clone().unwrap_or_default();
    let retry_request = (observed.retry_request)
        .filter(|_| old.phase == Some(StagePhase::Failed))
        .filter(|request| old.last_handled_retry.as_deref() != Some(*request));
    if let Some(request) = retry_request {
        return retry(observed, &old, request);
    }
    if old.phase.is_some_and(StagePhase::is_finished) {
        return status::finished(observed, &old);
    }
    let checked = match check(&observed.stage.spec) {
        Ok(checked) => checked,
        Err(message) => return status::invalid(observed, &old, &message),
    };
    let passage = match observed.cancelled {
        true => Passage::Open {
            record: old.gate.clone(),
            event: None,
        },
        false => gate::judge(
            observed.stage.spec.gate.as_ref(),
            old.gate.as_ref(),
            observed.gate_request.as_ref(),
            &observed.now,
        ),
    };
    match passage {
        Passage::Open { record, event } => {
            let run = Run::observe(observed, &old, &checked);
            let verdict = status::verdict(observed, &run, &checked.names);
            let mut plan = status::assemble(observed, &old, &run, &checked.instances, verdict);
            status::record_gate(observed, &mut plan.status, record);
            plan.events.splice(0..0, event);
            plan
        }
        Passage::Waiting {
            record,
            remaining,
            event,
        } => status::awaiting(observed, &old, &checked.instances, record, remaining, event),
        Passage::Rejected { record } => status::rejected(observed, &old, record),
    }
}

/// The plan that honours a retry request: the stage planned as it will be once
/// its failed tasks were asked to run again (see the module doc). A stage
/// rejected at its gate is not run: the rejection stands, and the request is
/// only recorded as handled so that whoever asked sees it answered.
fn retry(observed: &StageObserved<'_>, old: &MissionStageStatus, request: &str) -> StagePlan {
    let rejected = (old.gate.as_ref()).filter(|record| record.state == GateState::Rejected);
    if let Some(record) = rejected {
        let mut plan = status::finished(observed, old);
        plan.status.last_handled_retry = Some(request.to_string());
        let decision = gate::decision_note(record);
        plan.events.push(report::PlanEvent {
            type_: EventType::Warning,
            reason: reasons::REJECTED,
            action: "Retry",
            note: format!("retry requested, not run: the stage was {decision} at its gate"),
        });
        return plan;
    }
    let checked = match check(&observed.stage.spec) {
        Ok(checked) => checked,
        Err(message) => return status::invalid(observed, old, &message),
    };
    let fresh = MissionStageStatus {
        phase: Some(StagePhase::Running),
        start_time: None,
        completion_time: None,
        last_handled_retry: Some(request.to_string()),
        ..old.clone()
    };
    if observed.rerun_succeeded {
        // Every task runs again, handed the request in dependency order by
        // this plan and the ones after it (see `Run::observe`).
        let run = Run::observe(observed, &fresh, &checked);
        let verdict = status::verdict(observed, &run, &checked.names);
        let mut plan = status::assemble(observed, &fresh, &run, &checked.instances, verdict);
        let note = "retry requested: every flight task runs again, in order".to_string();
        plan.events.insert(0, report::retry_requested(note));
        return plan;
    }
    let failed = |task: &FlightTask| {
        task.metadata.deletion_timestamp.is_none() && phase(task) == FlightTaskPhase::Failed
    };
    let mut rerun_tasks: Vec<String> = (observed.tasks.iter())
        .filter(|task| failed(task))
        .map(|task| task.name_any())
        .collect();
    rerun_tasks.sort();
    let asked_tasks: Vec<Arc<FlightTask>> = (observed.tasks.iter().cloned())
        .map(|mut task| {
            if failed(&task) {
                (Arc::make_mut(&mut task).annotations_mut()).insert(
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
    let run = Run::observe(&asked, &fresh, &checked);
    let verdict = status::verdict(&asked, &run, &checked.names);
    let mut plan = status::assemble(&asked, &fresh, &run, &checked.instances, verdict);
    let mut short: Vec<&str> = (observed.tasks.iter())
        .filter(|task| failed(task))
        .filter_map(|task| short_name(task))
        .collect();
    short.sort_unstable();
    plan.events
        .insert(0, report::retry_requested(status::retry_note(&short)));
    plan.rerun_tasks = rerun_tasks;
    plan
}
