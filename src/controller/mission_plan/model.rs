//! What the mission plan reasons about: what was observed, the plan it hands
//! back, the checked stage graph and where each stage stands.

use std::time::Duration;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use kube::ResourceExt;

use crate::api::stage::StageConfig;
use crate::api::{
    FailurePolicy, Mission, MissionPhase, MissionStage, MissionStageSpec, MissionStatus,
    StageFailureAction, StagePhase, StageTemplate, SuspendMode, duration, flight_task::ObjectRef,
};
use crate::controller::names;
use crate::controller::report::PlanEvent;
use crate::graph::{Dag, Vocabulary};

/// What the reconciler observed and hands to [`super::plan`].
#[derive(Debug, Clone)]
pub struct MissionObserved<'a> {
    pub mission: &'a Mission,
    /// The MissionStages whose controller ownerReference is this mission,
    /// including those being deleted.
    pub stages: &'a [MissionStage],
    /// The mission was asked to stop ([`keys::CANCEL_ANNOTATION`] or a future
    /// spec field): nothing new starts, running stages are cancelled, and the
    /// mission ends Cancelled.
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
    /// Unfinished stages told otherwise than the mission's suspension says:
    /// set [`keys::SUSPEND_ANNOTATION`] on each as given (None lifts it).
    pub suspension_marks: Vec<(String, Option<SuspendMode>)>,
    pub status: MissionStatus,
    pub events: Vec<PlanEvent>,
    /// Time left before an automatic retry is due.
    pub requeue_after: Option<Duration>,
}

/// The spec's stage graph, or why the mission cannot run at all.
pub(super) fn check(mission: &Mission) -> Result<(Dag, Duration), String> {
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
    let dag = Dag::new(stages, words).map_err(|error| error.to_string())?;
    Ok((dag, backoff))
}

/// Where one spec stage stands.
#[derive(Debug, Clone, Copy)]
pub(super) enum Slot<'a> {
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
    pub(super) fn is_active(self) -> bool {
        matches!(
            self,
            Slot::Exists(
                _,
                StagePhase::Pending | StagePhase::AwaitingApproval | StagePhase::Running
            ) | Slot::Start
        )
    }
}

/// The status line of an unfinished mission: the counts, after what it is
/// doing about a failure when there is one.
pub(super) fn progress_note(
    observed: &MissionObserved<'_>,
    failed: &[&str],
    counts: String,
) -> String {
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
pub(super) fn failure_cause(failed: &[&str]) -> String {
    match failed {
        [] => "no stage can start".to_string(),
        [one] => format!("stage {one} failed"),
        many => format!("stages {} failed", many.join(", ")),
    }
}

/// A stage not yet created: blocked behind a failure (or a blocked stage),
/// startable once every dependency finished as `action` asks (and its name is
/// free), waiting otherwise.
pub(super) fn slot_from_deps<'a>(
    deps: &[Slot<'a>],
    name_free: bool,
    action: StageFailureAction,
) -> Slot<'a> {
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
pub(super) fn current_stages(stages: &[MissionStage]) -> Vec<&MissionStage> {
    (stages.iter())
        .filter(|stage| stage.metadata.deletion_timestamp.is_none())
        .collect()
}

pub(super) fn phase(stage: &MissionStage) -> StagePhase {
    (stage.status.as_ref())
        .and_then(|status| status.phase)
        .unwrap_or_default()
}

/// The phase the mission is in, why, and the line that says so.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Verdict {
    pub(super) phase: MissionPhase,
    pub(super) reason: &'static str,
    pub(super) message: String,
}

/// The MissionStage for stage `index` of the mission's spec. Task names are
/// filled in so the stage's spec says what its FlightTasks will be called;
/// the stage takes the mission's priority and task defaults with it.
pub(super) fn stage_object(mission: &Mission, index: usize) -> MissionStage {
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
        gate: template.gate.clone(),
    };
    let mut stage = MissionStage::new(&names::stage(&mission_name, &template.name), spec);
    stage.metadata.labels = Some(names::labels(&mission_name, &template.name, None));
    stage.metadata.namespace = mission.namespace();
    stage.metadata.owner_references = names::owner_reference(mission).map(|owner| vec![owner]);
    stage
}

/// Shown with the events: a stage's name, and the stages it waited for.
pub(super) fn started_note(template: &StageTemplate) -> String {
    match template.depends_on.as_slice() {
        [] => format!("stage {} started", template.name),
        deps => format!(
            "stage {} started: {} succeeded",
            template.name,
            deps.join(", ")
        ),
    }
}

/// How many stages are where, for the status line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Counts {
    /// Created and not finished, or created by this plan.
    pub(super) running: usize,
    pub(super) succeeded: usize,
    pub(super) failed: usize,
    /// Not created yet, and may still start.
    pub(super) pending: usize,
    /// Not created and will not start in this attempt.
    pub(super) blocked: usize,
}

impl Counts {
    pub(super) fn of(slots: &[Slot<'_>]) -> Self {
        let mut counts = Self::default();
        for slot in slots {
            let bucket = match slot {
                Slot::Exists(_, StagePhase::Succeeded) => &mut counts.succeeded,
                Slot::Exists(_, StagePhase::Failed) => &mut counts.failed,
                Slot::Exists(..) | Slot::Start => &mut counts.running,
                Slot::Waiting => &mut counts.pending,
                Slot::Blocked => &mut counts.blocked,
            };
            *bucket += 1;
        }
        counts
    }

    /// "1 stage running, 2 succeeded, 0 pending", then failed and blocked when
    /// there are any.
    pub(super) fn text(&self) -> String {
        let mut text = format!(
            "{} {} running, {} succeeded, {} pending",
            self.running,
            stage_word(self.running),
            self.succeeded,
            self.pending
        );
        for (count, what) in [(self.failed, "failed"), (self.blocked, "blocked")] {
            if count > 0 {
                text.push_str(&format!(", {count} {what}"));
            }
        }
        text
    }
}

/// "stage" or "stages", for `count` of them.
pub(super) fn stage_word(count: usize) -> &'static str {
    if count == 1 { "stage" } else { "stages" }
}
