//! A suspended mission (`spec.suspend`): the attempt starts no stage, its
//! stages are told to start no task (the mission controller sets
//! [`crate::api::keys::SUSPEND_ANNOTATION`] on each unfinished one, and lifts it on
//! resume), and running work finishes. The spec field is the request, so
//! suspending and resuming are level-triggered: whatever the operator missed
//! while it was down, its next plan brings the stages in line.

use kube::runtime::events::EventType;

use super::model::{MissionObserved, MissionPlan, current_stages, phase};
use crate::api::conditions::{self, reasons, types};
use crate::api::{MissionPhase, SuspendMode};
use crate::controller::apply::suspension;
use crate::controller::report::{PlanEvent, condition, set_condition};

/// Brings the plan in line with `spec.suspend`: which stages to tell, the
/// condition, the status line and the event of a change.
pub(super) fn apply(observed: &MissionObserved<'_>, plan: &mut MissionPlan) {
    let mission = observed.mission;
    let wanted = mission.spec.suspension();
    let unfinished =
        (current_stages(observed.stages).into_iter()).filter(|stage| !phase(stage).is_finished());
    for stage in unfinished {
        if suspension(stage) != wanted {
            let name = stage.metadata.name.clone().unwrap_or_default();
            plan.suspension_marks.push((name, wanted));
        }
    }
    let status = &mut plan.status;
    let finished = status.phase.is_some_and(MissionPhase::is_finished);
    let was = conditions::find(&status.conditions, types::SUSPENDED).map(|c| c.status == "True");
    if was.is_none() && wanted.is_none() {
        return;
    }
    let holds = wanted.is_some() && !finished;
    let (reason, message) = match wanted {
        _ if !holds => (reasons::RESUMED, "not suspended"),
        Some(SuspendMode::Stop) => (
            reasons::SUSPENDED,
            "no new stage or flight task starts; running ones were stopped and run again on resume",
        ),
        _ => (
            reasons::SUSPENDED,
            "no new stage or flight task starts; running ones finish",
        ),
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
                true => format!("suspended: {message}"),
                false => "resumed".to_string(),
            },
        });
    }
}
