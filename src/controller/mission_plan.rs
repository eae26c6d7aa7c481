//! The Mission controller's decisions (SPEC C1, M2), as a pure function of the
//! mission, the MissionStages it controls, a cancel flag and the time: which
//! stages to create, delete or cancel, and the mission's next status.
//!
//! A stage is created only once it may start, that is once every stage in its
//! `dependsOn` has Succeeded; an existing stage is never planned again, so the
//! plan is idempotent and a restarted operator carries on where it stopped.
//!
//! **`abort` leaves running stages alone.** After a failed stage nothing new
//! starts, but stages already running finish (or time out): stopping them would
//! throw away sorties in the air for a failure elsewhere, an operator who wants
//! them down cancels the mission, and each stage's timeout bounds the wait. The
//! mission becomes Failed once none runs, so a retry never deletes a stage
//! whose pods are still flying.
//!
//! **Retries are keyed by `status.retryCount`.** Every stage carries the attempt
//! it was created for ([`names::ATTEMPT_LABEL`]); only stages of the current
//! attempt count. Retrying is one status write (retryCount + 1, phase Running),
//! which turns every existing stage into a stage of an earlier attempt; those are
//! listed in [`MissionPlan::delete_stages`] by this plan and by every later one
//! until they are gone, and no stage of the new attempt is created before then
//! (the names are the same). The reconciler writes the status before it deletes:
//! whichever step a crash interrupts, the next plan sees either the old attempt
//! unchanged (and decides the same retry again) or the new attempt with stale
//! stages left (and deletes them again), never a retry counted twice or lost.
//! Deletes use foreground propagation, so a stale stage disappears only after
//! its FlightTasks and pods, and the new attempt cannot meet their leftovers.
//!
//! **A requested retry keeps what succeeded.** `kubectl airforce mission retry`
//! sets [`names::RETRY_ANNOTATION`] on a Failed mission. The plan passes the
//! request on to each failed stage of the current attempt
//! ([`MissionPlan::retry_stages`], written before the status) and records it in
//! `status.lastHandledRetry`, which also makes the mission Running again. Until
//! a stage's own controller has acted on the request (its
//! `status.lastHandledRetry`), that stage counts as running, not failed; stages
//! that never started because of the failure start once their dependencies
//! succeed. A crash before the status write repeats the same idempotent
//! annotation; after it, the request is handled and never acted on twice.

mod status;

pub use status::retry_note;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashSet};

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use kube::ResourceExt;

use super::dag::{Dag, Vocabulary};
use super::names;
use super::report::{self, PlanEvent};
use crate::api::conditions::reasons;
use crate::api::stage::StageConfig;
use crate::api::{
    Mission, MissionPhase, MissionStage, MissionStageSpec, MissionStatus, StageFailureAction,
    StagePhase, StageTemplate, flight_task::ObjectRef,
};

/// What the reconciler observed and hands to [`plan`].
#[derive(Debug, Clone)]
pub struct MissionObserved<'a> {
    pub mission: &'a Mission,
    /// The MissionStages whose controller ownerReference is this mission, of
    /// any attempt, including those being deleted.
    pub stages: &'a [MissionStage],
    /// The mission was asked to stop ([`names::CANCEL_ANNOTATION`] or a future
    /// spec field): nothing new starts, running stages are cancelled, and the
    /// mission ends Failed with reason Cancelled.
    pub cancelled: bool,
    /// The value of [`names::RETRY_ANNOTATION`] on the mission, if any.
    pub retry_request: Option<&'a str>,
    pub now: Time,
}

/// What the reconciler does, in this order: pass a requested retry on to
/// `retry_stages`, write `status` (a retry's commit point, see the module
/// doc), create, cancel, delete, record the events.
#[derive(Debug, Clone)]
pub struct MissionPlan {
    /// Stages that may start now, complete with labels and owner reference,
    /// ready for server-side apply.
    pub create_stages: Vec<MissionStage>,
    /// Names of stages of an earlier attempt: delete with foreground
    /// propagation; a 404 is success.
    pub delete_stages: Vec<String>,
    /// Names of running stages to stop: the reconciler sets
    /// [`names::CANCEL_ANNOTATION`] on them and the stage controller stops
    /// their tasks. Listed again until they finish, which is harmless.
    pub cancel_stages: Vec<String>,
    /// Names of failed stages to run again: the reconciler sets
    /// [`names::RETRY_ANNOTATION`] on each to `status.lastHandledRetry` and
    /// lifts [`names::CANCEL_ANNOTATION`], before it writes the status.
    pub retry_stages: Vec<String>,
    pub status: MissionStatus,
    pub events: Vec<PlanEvent>,
}

/// Decides the mission's next step; see the module doc.
pub fn plan(observed: &MissionObserved<'_>) -> MissionPlan {
    let mission = observed.mission;
    let old = mission.status.clone().unwrap_or_default();
    let retry_request = (observed.retry_request)
        .filter(|_| old.phase == Some(MissionPhase::Failed))
        .filter(|request| old.last_handled_retry.as_deref() != Some(*request));
    let finished = matches!(
        old.phase,
        Some(MissionPhase::Succeeded | MissionPhase::Failed)
    );
    if finished && retry_request.is_none() {
        return status::finished(observed, &old);
    }
    let dag = match check(mission) {
        Ok(dag) => dag,
        Err(message) => return status::invalid(observed, &old, &message),
    };
    if let Some(request) = retry_request {
        return retry(observed, &old, &dag, request);
    }
    let attempt = Attempt::observe(observed, &dag, old.retry_count);
    let verdict = attempt.verdict(observed);
    let max_retries = mission.spec.config.failure_policy.max_retries;
    if verdict.phase == MissionPhase::Failed && !observed.cancelled && old.retry_count < max_retries
    {
        let retry = Attempt::observe(observed, &dag, old.retry_count + 1);
        let mut plan = status::assemble(observed, &old, &retry, retry.verdict(observed));
        plan.events = vec![status::retry_event(
            &verdict,
            old.retry_count + 1,
            max_retries,
        )];
        return plan;
    }
    status::assemble(observed, &old, &attempt, verdict)
}

/// The plan that honours a retry request: the failed stages of the current
/// attempt are asked to run their failed tasks again, and the mission is
/// planned as it will be once they were asked (see the module doc).
fn retry(
    observed: &MissionObserved<'_>,
    old: &MissionStatus,
    dag: &Dag,
    request: &str,
) -> MissionPlan {
    let (current, _) = current_stages(observed.stages, old.retry_count);
    let mut failed: Vec<&MissionStage> = (current.into_iter())
        .filter(|stage| phase(stage) == StagePhase::Failed)
        .collect();
    failed.sort_by_key(|stage| stage.spec.stage_index);
    let retry_stages: Vec<String> = failed.iter().map(|stage| stage.name_any()).collect();
    let short: Vec<&str> = failed
        .iter()
        .map(|stage| stage.spec.stage_name.as_str())
        .collect();
    let fresh = MissionStatus {
        phase: Some(MissionPhase::Running),
        completion_time: None,
        last_handled_retry: Some(request.to_string()),
        ..old.clone()
    };
    let mut mission = observed.mission.clone();
    mission.status = Some(fresh.clone());
    let stages: Vec<MissionStage> = (observed.stages.iter().cloned())
        .map(|mut stage| {
            if retry_stages.contains(&stage.name_any()) {
                let annotations = stage.annotations_mut();
                annotations.insert(names::RETRY_ANNOTATION.to_string(), request.to_string());
                annotations.remove(names::CANCEL_ANNOTATION);
            }
            stage
        })
        .collect();
    let asked = MissionObserved {
        mission: &mission,
        stages: &stages,
        ..observed.clone()
    };
    let attempt = Attempt::observe(&asked, dag, old.retry_count);
    let mut plan = status::assemble(&asked, &fresh, &attempt, attempt.verdict(&asked));
    plan.events
        .insert(0, report::retry_requested(status::retry_note(&short)));
    plan.retry_stages = retry_stages;
    plan
}

/// The spec's stage graph, or why the mission cannot run at all.
fn check(mission: &Mission) -> Result<Dag, String> {
    let name = mission.name_any();
    if name.len() > 63 {
        return Err(format!(
            "the mission name is {} characters long; at most 63 fit in the labels of its stages",
            name.len()
        ));
    }
    if mission.spec.stages.is_empty() {
        return Err("the mission has no stages".to_string());
    }
    let stages = (mission.spec.stages.iter()).map(|s| (s.name.as_str(), s.depends_on.as_slice()));
    let words = Vocabulary {
        noun: "stage",
        scope: "this mission",
    };
    Dag::new(stages, words)
}

/// Where one spec stage stands in the current attempt.
#[derive(Debug, Clone, Copy)]
enum Slot<'a> {
    /// Its MissionStage exists, in this phase.
    Exists(&'a MissionStage, StagePhase),
    /// May start: this plan creates it.
    Start,
    /// Waits for its dependencies, or for the objects of an earlier attempt
    /// (or a deleted stage of the same name) to be gone.
    Waiting,
    /// Will not start in this attempt: a dependency failed or is blocked, or
    /// the mission is aborting or cancelled.
    Blocked,
}

impl Slot<'_> {
    fn is_active(self) -> bool {
        matches!(
            self,
            Slot::Exists(_, StagePhase::Pending | StagePhase::Running) | Slot::Start
        )
    }
}

/// The mission's stages as seen for attempt `number`.
#[derive(Debug)]
struct Attempt<'a> {
    number: i32,
    /// One per spec stage, in spec order.
    slots: Vec<Slot<'a>>,
    /// Stages of earlier attempts that still exist.
    stale: Vec<&'a MissionStage>,
}

impl<'a> Attempt<'a> {
    fn observe(observed: &MissionObserved<'a>, dag: &Dag, number: i32) -> Self {
        let mission = observed.mission.name_any();
        let (current, stale) = current_stages(observed.stages, number);
        let current: BTreeMap<String, &MissionStage> = (current.into_iter())
            .map(|stage| (stage.name_any(), stage))
            .collect();
        let going: HashSet<String> = (observed.stages.iter())
            .filter(|stage| stage.metadata.deletion_timestamp.is_some())
            .map(|stage| stage.name_any())
            .collect();
        let stages = &observed.mission.spec.stages;
        let object = |index: usize| names::stage(&mission, &stages[index].name);
        let handled = (observed.mission.status.as_ref())
            .and_then(|status| status.last_handled_retry.as_deref());
        let phase = |stage: &MissionStage| phase_after_retry(stage, handled);
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
        let mut slots = vec![Slot::Waiting; stages.len()];
        for &index in dag.order() {
            let deps: Vec<Slot<'_>> = dag.deps(index).iter().map(|&d| slots[d]).collect();
            let name = object(index);
            slots[index] = match current.get(&name) {
                Some(stage) => Slot::Exists(stage, phase(stage)),
                None if halted => Slot::Blocked,
                None => slot_from_deps(&deps, stale.is_empty() && !going.contains(&name)),
            };
        }
        Self {
            number,
            slots,
            stale,
        }
    }

    /// Slots that fit `wanted`, as spec indices.
    fn indices(&self, wanted: impl Fn(Slot<'_>) -> bool) -> Vec<usize> {
        (0..self.slots.len())
            .filter(|&index| wanted(self.slots[index]))
            .collect()
    }

    /// Whether the mission has begun: a stage exists or starts now, or it
    /// began before (a retry does not make it Pending again).
    fn started(&self, mission: &Mission) -> bool {
        let began = (mission.status.as_ref()).is_some_and(|status| status.start_time.is_some());
        began || (self.slots.iter()).any(|slot| matches!(slot, Slot::Exists(..) | Slot::Start))
    }

    fn verdict(&self, observed: &MissionObserved<'_>) -> Verdict {
        let mission = observed.mission;
        let stages = &mission.spec.stages;
        let counts = status::Counts::of(&self.slots).text();
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
            return verdict(phase, reason, self.progress_note(observed, &failed, counts));
        }
        if (self.slots.iter()).all(|slot| matches!(slot, Slot::Exists(_, StagePhase::Succeeded))) {
            let message = format!(
                "all {} {} succeeded",
                stages.len(),
                status::stages(stages.len())
            );
            return verdict(MissionPhase::Succeeded, reasons::SUCCEEDED, message);
        }
        if observed.cancelled {
            let message = format!("cancelled: {counts}");
            return verdict(MissionPhase::Failed, reasons::CANCELLED, message);
        }
        let message = format!("{}: {counts}", failure_cause(&failed));
        verdict(MissionPhase::Failed, reasons::FAILED, message)
    }

    /// The status line of an unfinished mission: the counts, after what it
    /// waits for when that is not only its stages.
    fn progress_note(
        &self,
        observed: &MissionObserved<'_>,
        failed: &[&str],
        counts: String,
    ) -> String {
        let policy = &observed.mission.spec.config.failure_policy;
        if observed.cancelled {
            format!("cancelling: {counts}")
        } else if !self.stale.is_empty() {
            let retry = match self.number {
                0 => String::new(),
                n => format!("retry {n} of {}: ", policy.max_retries),
            };
            let stale = self.stale.len();
            let stages = status::stages(stale);
            format!(
                "{retry}waiting for {stale} {stages} of an earlier attempt to be deleted; {counts}"
            )
        } else if !failed.is_empty() && policy.stage_failure_action == StageFailureAction::Abort {
            format!("aborting, {}: {counts}", failure_cause(failed))
        } else {
            counts
        }
    }
}

/// "stage strike failed", "stages strike, egress failed".
fn failure_cause(failed: &[&str]) -> String {
    match failed {
        [] => "no stage can start".to_string(),
        [one] => format!("stage {one} failed"),
        many => format!("stages {} failed", many.join(", ")),
    }
}

/// A stage not yet created: blocked behind a failure, startable once every
/// dependency succeeded (and its name is free), waiting otherwise.
fn slot_from_deps<'a>(deps: &[Slot<'a>], name_free: bool) -> Slot<'a> {
    let blocked =
        |slot: &Slot<'_>| matches!(slot, Slot::Blocked | Slot::Exists(_, StagePhase::Failed));
    let succeeded = |slot: &Slot<'_>| matches!(slot, Slot::Exists(_, StagePhase::Succeeded));
    if deps.iter().any(blocked) {
        Slot::Blocked
    } else if deps.iter().all(succeeded) && name_free {
        Slot::Start
    } else {
        Slot::Waiting
    }
}

/// Stages of attempt `number` that are not being deleted, and stages of any
/// other attempt (a missing or unreadable attempt label counts as other).
fn current_stages(
    stages: &[MissionStage],
    number: i32,
) -> (Vec<&MissionStage>, Vec<&MissionStage>) {
    let of_attempt = |stage: &MissionStage| {
        (stage.labels().get(names::ATTEMPT_LABEL)).and_then(|value| value.parse::<i32>().ok())
            == Some(number)
    };
    let (current, other): (Vec<_>, Vec<_>) = stages.iter().partition(|s| of_attempt(s));
    let current = (current.into_iter())
        .filter(|stage| stage.metadata.deletion_timestamp.is_none())
        .collect();
    (current, other)
}

fn phase(stage: &MissionStage) -> StagePhase {
    (stage.status.as_ref())
        .and_then(|status| status.phase)
        .unwrap_or_default()
}

/// A stage's phase, where a failed stage that was asked to retry by the
/// mission's last handled request, and whose controller has not acted on it
/// yet, counts as running.
fn phase_after_retry(stage: &MissionStage, handled: Option<&str>) -> StagePhase {
    let phase = phase(stage);
    let asked = stage
        .annotations()
        .get(names::RETRY_ANNOTATION)
        .map(String::as_str);
    let acted = (stage.status.as_ref()).and_then(|status| status.last_handled_retry.as_deref());
    if phase == StagePhase::Failed && handled.is_some() && asked == handled && acted != handled {
        StagePhase::Running
    } else {
        phase
    }
}

/// The phase the mission is in, why, and the line that says so.
#[derive(Debug, Clone, PartialEq)]
struct Verdict {
    phase: MissionPhase,
    reason: &'static str,
    message: String,
}

/// The MissionStage for stage `index` of the mission's spec, for attempt
/// `attempt`. Task names are filled in so the stage's spec says what its
/// FlightTasks will be called.
fn stage_object(mission: &Mission, index: usize, attempt: i32) -> MissionStage {
    let template: &StageTemplate = &mission.spec.stages[index];
    let mission_name = mission.name_any();
    let flight_tasks = (template.flight_tasks.iter().enumerate())
        .map(|(position, task)| {
            let mut task = task.clone();
            task.name = Some(task.effective_name(&template.name, position));
            task
        })
        .collect();
    let spec = MissionStageSpec {
        mission_ref: ObjectRef {
            name: mission_name.clone(),
        },
        stage_name: template.name.clone(),
        stage_index: i32::try_from(index).unwrap_or(i32::MAX),
        stage_type: template.stage_type,
        flight_tasks,
        config: StageConfig {
            timeout: template.timeout.clone(),
            depends_on: template.depends_on.clone(),
        },
    };
    let mut stage = MissionStage::new(&names::stage(&mission_name, &template.name), spec);
    let mut labels = names::labels(&mission_name, &template.name, None);
    labels.insert(names::ATTEMPT_LABEL.to_string(), attempt.to_string());
    stage.metadata.labels = Some(labels);
    stage.metadata.namespace = mission.namespace();
    stage.metadata.owner_references = names::owner_reference(mission).map(|owner| vec![owner]);
    stage
}

/// Shown with the events: a stage's name, and the stages it waited for.
fn started_note(template: &StageTemplate) -> String {
    match template.depends_on.as_slice() {
        [] => format!("stage {} started", template.name),
        deps => format!(
            "stage {} started: {} succeeded",
            template.name,
            deps.join(", ")
        ),
    }
}
