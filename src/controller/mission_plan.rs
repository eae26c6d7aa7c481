//! The Mission controller's decisions, as a pure function of the
//! mission, the MissionStages it controls, a cancel flag and the time: which
//! stages to create, cancel or ask to run again, and the mission's next status.
//!
//! A stage is created only once it may start, that is once every stage in its
//! `dependsOn` has finished as the failure policy asks (Succeeded; or, with
//! `continue`, Failed too); an existing stage is never planned again, so the
//! plan is idempotent and a restarted operator carries on where it stopped.
//! The status names a stage Running from the plan that creates it, before the
//! stage exists: from then on the API server refuses edits of that stage's
//! spec (see [`crate::api::mission`]), so no edit is lost to a stage already
//! made from the old spec.
//!
//! **`abort` leaves running stages alone.** After a failed stage nothing new
//! starts, but stages already running finish (or time out): stopping them would
//! throw away sorties in the air for a failure elsewhere, an operator who wants
//! them down cancels the mission, and each stage's timeout bounds the wait. The
//! mission becomes Failed once none runs. **`continue`** treats a failed stage
//! as finished: every stage that can run does, and the mission ends Failed,
//! naming the failed stages.
//!
//! **A retry keeps what succeeded.** A retry, requested by a person
//! (`kubectl airforce mission retry` sets [`keys::RETRY_REQUEST_ANNOTATION`] on a
//! Failed mission) or made by the failure policy (`maxRetries`, after a
//! doubling backoff counted from the last stage failure), passes a request on
//! to each failed stage ([`MissionPlan::retry_stages`], written before the
//! status), which runs its failed tasks again in place (see [`super::retry`]).
//! Until a stage has acted on the request it counts as running, not failed;
//! stages that never started because of the failure start once their
//! dependencies succeed. A person's request is recorded in
//! `status.lastHandledRetry`; an automatic one is `retry-<n>` with `n` the new
//! `status.retryCount`, which the plan also reads back from the stages, so a
//! crash between the ask and the status write neither loses nor repeats a
//! retry.

mod retries;
mod status;

use retries::{automatic_retries_asked, handled_requests, phase_after_retry, retry};

pub use status::retry_note;
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
use crate::api::conditions::reasons;
use crate::api::stage::StageConfig;
use crate::api::{
    FailurePolicy, Mission, MissionPhase, MissionStage, MissionStageSpec, MissionStatus,
    StageFailureAction, StagePhase, StageTemplate, duration, flight_task::ObjectRef,
};

/// What the reconciler observed and hands to [`plan`].
#[derive(Debug, Clone)]
pub struct MissionObserved<'a> {
    pub mission: &'a Mission,
    /// The MissionStages whose controller ownerReference is this mission,
    /// including those being deleted.
    pub stages: &'a [MissionStage],
    /// The mission was asked to stop ([`keys::CANCEL_ANNOTATION`] or a future
    /// spec field): nothing new starts, running stages are cancelled, and the
    /// mission ends Failed with reason Cancelled.
    pub cancelled: bool,
    /// The value of [`keys::RETRY_REQUEST_ANNOTATION`] on the mission, if any.
    pub retry_request: Option<&'a str>,
    pub now: Time,
}

/// What the reconciler does, in this order: pass a retry on to
/// `retry_stages`, write `status` (a retry's commit point, see the module
/// doc), create, cancel, record the events, and look again after
/// `requeue_after` if set.
#[derive(Debug, Clone)]
pub struct MissionPlan {
    /// Stages that may start now, complete with labels and owner reference,
    /// ready for server-side apply.
    pub create_stages: Vec<MissionStage>,
    /// Names of running stages to stop: the reconciler sets
    /// [`keys::CANCEL_ANNOTATION`] on them and the stage controller stops
    /// their tasks. Listed again until they finish, which is harmless.
    pub cancel_stages: Vec<String>,
    /// Names of failed stages to run again: the reconciler sets
    /// [`keys::RETRY_REQUEST_ANNOTATION`] on each to `retry_request` and lifts
    /// [`keys::CANCEL_ANNOTATION`], before it writes the status.
    pub retry_stages: Vec<String>,
    pub retry_request: Option<String>,
    pub status: MissionStatus,
    pub events: Vec<PlanEvent>,
    /// Time left before an automatic retry is due.
    pub requeue_after: Option<Duration>,
}

/// Decides the mission's next step; see the module doc.
pub fn plan(observed: &MissionObserved<'_>) -> MissionPlan {
    let mission = observed.mission;
    let mut old = mission.status.clone().unwrap_or_default();
    old.retry_count = old
        .retry_count
        .max(automatic_retries_asked(observed.stages));
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
    let (dag, backoff) = match check(mission) {
        Ok(checked) => checked,
        Err(message) => return status::invalid(observed, &old, &message),
    };
    if let Some(request) = retry_request {
        let fresh = MissionStatus {
            last_handled_retry: Some(request.to_string()),
            ..old.clone()
        };
        return retry(observed, &fresh, &dag, request, report::retry_requested);
    }
    let attempt = Attempt::observe(observed, &old, &dag);
    let verdict = attempt.verdict(observed);
    let policy = &mission.spec.config.failure_policy;
    let retries_left = old.retry_count < policy.max_retries;
    if verdict.phase != MissionPhase::Failed || observed.cancelled || !retries_left {
        return status::assemble(observed, &old, &attempt, verdict);
    }
    let next = old.retry_count + 1;
    let delay = backoff.saturating_mul(1 << old.retry_count.clamp(0, 16));
    let failed_at = attempt.last_failure().unwrap_or(&observed.now);
    let elapsed =
        Duration::try_from(observed.now.0.duration_since(failed_at.0)).unwrap_or_default();
    if let Some(left) = delay.checked_sub(elapsed).filter(|left| !left.is_zero()) {
        let seconds = left.as_secs_f64().ceil();
        let waiting = Verdict {
            phase: MissionPhase::Running,
            reason: reasons::RETRYING,
            message: format!(
                "{}; retry {next} of {} in {seconds}s",
                verdict.message, policy.max_retries
            ),
        };
        let mut plan = status::assemble(observed, &old, &attempt, waiting);
        plan.requeue_after = Some(left);
        return plan;
    }
    let fresh = MissionStatus {
        retry_count: next,
        ..old.clone()
    };
    let max = policy.max_retries;
    let event = |note| status::retry_event(&verdict, next, max, note);
    retry(
        observed,
        &fresh,
        &dag,
        &retry::automatic_request(next),
        event,
    )
}

/// The spec's stage graph, or why the mission cannot run at all.
fn check(mission: &Mission) -> Result<(Dag, Duration), String> {
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
    let policy = &mission.spec.config.failure_policy;
    let backoff = match &policy.backoff {
        None => FailurePolicy::DEFAULT_BACKOFF,
        Some(text) => duration::parse(text).map_err(|error| {
            format!("failurePolicy.backoff {text:?} is not a duration: {error}")
        })?,
    };
    Ok((Dag::new(stages, words)?, backoff))
}

/// Where one spec stage stands.
#[derive(Debug, Clone, Copy)]
enum Slot<'a> {
    /// Its MissionStage exists, in this phase.
    Exists(&'a MissionStage, StagePhase),
    /// May start: this plan creates it.
    Start,
    /// Waits for its dependencies, or for a deleted stage of the same name to
    /// be gone.
    Waiting,
    /// Will not start: a dependency failed (under abort) or is blocked, or the
    /// mission is aborting or cancelled.
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

/// The mission's stages as observed.
#[derive(Debug)]
struct Attempt<'a> {
    /// One per spec stage, in spec order.
    slots: Vec<Slot<'a>>,
}

impl<'a> Attempt<'a> {
    /// `status` is the mission's status as this plan sees it (a retry plans
    /// with the request already recorded).
    fn observe(observed: &MissionObserved<'a>, status: &MissionStatus, dag: &Dag) -> Self {
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
        let mut slots = vec![Slot::Waiting; stages.len()];
        for &index in dag.order() {
            let deps: Vec<Slot<'_>> = dag.deps(index).iter().map(|&d| slots[d]).collect();
            let name = object(index);
            slots[index] = match current.get(name) {
                Some(stage) => Slot::Exists(stage, phase(stage)),
                None if halted => Slot::Blocked,
                None => slot_from_deps(&deps, !going.contains(name), action),
            };
        }
        Self { slots }
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

    /// When the last failed stage failed.
    fn last_failure(&self) -> Option<&'a Time> {
        (self.slots.iter())
            .filter_map(|slot| match slot {
                Slot::Exists(stage, StagePhase::Failed) => {
                    stage.status.as_ref()?.completion_time.as_ref()
                }
                _ => None,
            })
            .max_by_key(|time| time.0)
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
            return verdict(phase, reason, progress_note(observed, &failed, counts));
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
}

/// The status line of an unfinished mission: the counts, after what it is
/// doing about a failure when there is one.
fn progress_note(observed: &MissionObserved<'_>, failed: &[&str], counts: String) -> String {
    let policy = &observed.mission.spec.config.failure_policy;
    if observed.cancelled {
        format!("cancelling: {counts}")
    } else if failed.is_empty() {
        counts
    } else if policy.stage_failure_action == StageFailureAction::Abort {
        format!("aborting, {}: {counts}", failure_cause(failed))
    } else {
        format!(
            "{}, the other stages carry on: {counts}",
            failure_cause(failed)
        )
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

/// A stage not yet created: blocked behind a failure (or a blocked stage),
/// startable once every dependency finished as `action` asks (and its name is
/// free), waiting otherwise.
fn slot_from_deps<'a>(deps: &[Slot<'a>], name_free: bool, action: StageFailureAction) -> Slot<'a> {
    let carry_on = action == StageFailureAction::Continue;
    let blocked = |slot: &Slot<'_>| match slot {
        Slot::Blocked => true,
        Slot::Exists(_, StagePhase::Failed) => !carry_on,
        _ => false,
    };
    let done = |slot: &Slot<'_>| match slot {
        Slot::Exists(_, StagePhase::Succeeded) => true,
        Slot::Exists(_, StagePhase::Failed) => carry_on,
        _ => false,
    };
    if deps.iter().any(blocked) {
        Slot::Blocked
    } else if deps.iter().all(done) && name_free {
        Slot::Start
    } else {
        Slot::Waiting
    }
}

/// The controlled stages that are not being deleted.
fn current_stages(stages: &[MissionStage]) -> Vec<&MissionStage> {
    (stages.iter())
        .filter(|stage| stage.metadata.deletion_timestamp.is_none())
        .collect()
}

fn phase(stage: &MissionStage) -> StagePhase {
    (stage.status.as_ref())
        .and_then(|status| status.phase)
        .unwrap_or_default()
}

/// The phase the mission is in, why, and the line that says so.
#[derive(Debug, Clone, PartialEq)]
struct Verdict {
    phase: MissionPhase,
    reason: &'static str,
    message: String,
}

/// The MissionStage for stage `index` of the mission's spec. Task names are
/// filled in so the stage's spec says what its FlightTasks will be called;
/// the stage takes the mission's priority and task defaults with it.
fn stage_object(mission: &Mission, index: usize) -> MissionStage {
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
        priority: mission.spec.priority,
        flight_tasks,
        config: StageConfig {
            timeout: template.timeout.clone(),
            depends_on: template.depends_on.clone(),
            task_defaults: (template.task_defaults).or(&mission.spec.config.task_defaults),
        },
    };
    let mut stage = MissionStage::new(&names::stage(&mission_name, &template.name), spec);
    stage.metadata.labels = Some(names::labels(&mission_name, &template.name, None));
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
