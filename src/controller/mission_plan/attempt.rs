//! One attempt of the mission: where each spec stage stands, and the verdict
//! on the whole.

use std::collections::{BTreeMap, HashSet};

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use super::model::{
    Counts, MissionObserved, Slot, Verdict, current_stages, failure_cause, progress_note,
    slot_from_deps, stage_word,
};
use super::retries::{handled_requests, phase_after_retry};
use crate::api::conditions::reasons;
use crate::api::{
    Mission, MissionPhase, MissionStage, MissionStatus, StageFailureAction, StagePhase,
};
use crate::graph::Dag;

/// The mission's stages as observed.
#[derive(Debug)]
pub(super) struct Attempt<'a> {
    /// One per spec stage, in spec order.
    pub(super) slots: Vec<Slot<'a>>,
}

impl<'a> Attempt<'a> {
    /// `status` is the mission's status as this plan sees it (a retry plans
    /// with the request already recorded).
    pub(super) fn observe(
        observed: &MissionObserved<'a>,
        status: &MissionStatus,
        dag: &Dag,
    ) -> Self {
        // A stage is known by the name in its spec, not by its object's name.
        let current: BTreeMap<&str, &MissionStage> = (current_stages(observed.stages).into_iter())
            .map(|stage| (stage.spec.stage_name.as_str(), stage))
            .collect();
        let going: HashSet<&str> = (observed.stages.iter())
            .filter(|stage| stage.metadata.deletion_timestamp.is_some())
            .map(|stage| stage.spec.stage_name.as_str())
            .collect();
        let stages = &observed.mission.spec.stages;
        let object = |index: usize| stages[index].name.as_str();
        let handled = handled_requests(status);
        let handled: Vec<&str> = handled.iter().map(String::as_str).collect();
        let phase = |stage: &MissionStage| phase_after_retry(stage, &handled);
        let failed = (0..stages.len()).any(|index| {
            current
                .get(&object(index))
                .is_some_and(|stage| phase(stage) == StagePhase::Failed)
        });
        let action = observed
            .mission
            .spec
            .config
            .failure_policy
            .stage_failure_action;
        let halted = observed.cancelled || (failed && action == StageFailureAction::Abort);
        let suspended = observed.mission.spec.is_suspended();
        let mut slots = vec![Slot::Waiting; stages.len()];
        for &index in dag.order() {
            let deps: Vec<Slot<'_>> = dag.deps(index).iter().map(|&d| slots[d]).collect();
            let name = object(index);
            slots[index] = match current.get(name) {
                Some(stage) => Slot::Exists(stage, phase(stage)),
                None if halted => Slot::Blocked,
                None => match slot_from_deps(&deps, !going.contains(name), action) {
                    Slot::Start if suspended => Slot::Waiting,
                    slot => slot,
                },
            };
        }
        Self { slots }
    }

    /// Slots that fit `wanted`, as spec indices.
    pub(super) fn indices(&self, wanted: impl Fn(Slot<'_>) -> bool) -> Vec<usize> {
        (0..self.slots.len())
            .filter(|&index| wanted(self.slots[index]))
            .collect()
    }

    /// Whether the mission has begun: a stage exists or starts now, or it
    /// began before (a retry does not make it Pending again).
    pub(super) fn started(&self, mission: &Mission) -> bool {
        let began = (mission.status.as_ref()).is_some_and(|status| status.start_time.is_some());
        began || (self.slots.iter()).any(|slot| matches!(slot, Slot::Exists(..) | Slot::Start))
    }

    /// When the last failed stage failed.
    pub(super) fn last_failure(&self) -> Option<&'a Time> {
        (self.slots.iter())
            .filter_map(|slot| match slot {
                Slot::Exists(stage, StagePhase::Failed) => {
                    stage.status.as_ref()?.completion_time.as_ref()
                }
                _ => None,
            })
            .max_by_key(|time| time.0)
    }

    pub(super) fn verdict(&self, observed: &MissionObserved<'_>) -> Verdict {
        let mission = observed.mission;
        let stages = &mission.spec.stages;
        let counts = Counts::of(&self.slots).text();
        let failed = self.indices(|slot| matches!(slot, Slot::Exists(_, StagePhase::Failed)));
        let failed: Vec<&str> = failed.iter().map(|&i| stages[i].name.as_str()).collect();
        let unfinished =
            (self.slots.iter()).any(|slot| slot.is_active() || matches!(slot, Slot::Waiting));
        let verdict = |phase, reason, message| Verdict {
            phase,
            reason,
            message,
        };
        if unfinished {
            let (phase, reason) = match self.started(mission) {
                true => (MissionPhase::Running, reasons::RUNNING),
                false => (MissionPhase::Pending, reasons::PENDING),
            };
            return verdict(phase, reason, progress_note(observed, &failed, counts));
        }
        if (self.slots.iter()).all(|slot| matches!(slot, Slot::Exists(_, StagePhase::Succeeded))) {
            let message = format!(
                "all {} {} succeeded",
                stages.len(),
                stage_word(stages.len())
            );
            return verdict(MissionPhase::Succeeded, reasons::SUCCEEDED, message);
        }
        if observed.cancelled {
            let message = format!("cancelled: {counts}");
            return verdict(MissionPhase::Cancelled, reasons::CANCELLED, message);
        }
        let message = format!("{}: {counts}", failure_cause(&failed));
        verdict(MissionPhase::Failed, reasons::FAILED, message)
    }
}
