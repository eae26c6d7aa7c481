//! A suspended mission (`spec.suspend`): the attempt starts no stage, its
//! stages are told to start no task (the mission controller sets
//! [`crate::api::keys::SUSPEND_ANNOTATION`] on each unfinished one, and lifts it on
//! resume), and running work finishes. The spec field is the request, so
//! suspending and resuming are level-triggered: whatever the operator missed
//! while it was down, its next plan brings the stages in line.

use kube::runtime::events::EventType;

use super::model::{MissionObserved, MissionPlan, current_stages, phase};
use crate::api::MissionPhase;
use crate::api::conditions::{self, reasons, types};
use crate::controller::apply::is_suspended;
use crate::controller::report::{PlanEvent, condition, set_condition};

/// Brings the plan in line with `spec.suspend`: which stages to mark or
/// unmark, the condition, the status line and the event of a change.
pub(super) fn apply(observed: &MissionObserved<'_>, plan: &mut MissionPlan) {
    let mission = observed.mission;
    let suspended = mission.spec.is_suspended();
    let unfinished =
        (current_stages(observed.stages).into_iter()).filter(|stage| !phase(stage).is_finished());
    for stage in unfinished {
        let name = stage.metadata.name.clone().unwrap_or_default();
        match (suspended, is_suspended(stage)) {
            (true, false) => plan.suspend_stages.push(name),
            (false, true) => plan.resume_stages.push(name),
            _ => {}
        }
    }
    let status = &mut plan.status;
    let finished = status.phase.is_some_and(MissionPhase::is_finished);
    let was = conditions::find(&status.conditions, types::SUSPENDED).map(|c| c.status == "True");
    if was.is_none() && !suspended {
        return;
    }
    let holds = suspended && !finished;
    let (reason, message) = match holds {
        true => (
            reasons::SUSPENDED,
            "no new stage or flight task starts; running ones finish",
        ),
        false => (reasons::RESUMED, "not suspended"),
    };
    let generation = mission.metadata.generation;
    let new = condition(types::SUSPENDED, holds, reason, message, generation);
    set_condition(&mut status.conditions, new, &observed.now);
    if holds {
        let line = status.message.take().unwrap_or_default();
        status.message = Some(format!("suspended: {line}"));
    }
    if was != Some(holds) && !finished {
        plan.events.push(PlanEvent {
            type_: EventType::Normal,
            reason,
            action: if holds { "Suspend" } else { "Resume" },
            note: match holds {
                true => "suspended: no new stage or flight task starts".to_string(),
                false => "resumed".to_string(),
            },
        });
    }
}
