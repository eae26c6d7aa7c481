//! Mission: stages of flight tasks, ordered by their dependencies.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use kube::{CustomResource, KubeSchema};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::conditions::Condition;
use super::flight_task::{TaskPolicy, TaskTemplate};
use super::gate::Gate;
use super::phase::{MissionPhase, StagePhase};
use super::priority::Priority;
use super::schema;

// How a running mission may be edited, enforced by the API server. A stage
// that has started (its summary in the status says anything but Pending; the
// controller writes that before it creates the stage) keeps its spec, because
// its stage and tasks were made from it; stages not started yet may change or
// go, and new ones may be added. What the started stages copied from the
// mission (priority, task defaults) is fixed from the start. The messages are
// fixed strings: the API server refuses message expressions that list names
// as too costly, so `mission submit` names the stages itself.
const STARTED_STAGES_ARE_FIXED: &str = "!has(oldSelf.status) || !has(oldSelf.status.stagesSummary) || oldSelf.status.stagesSummary.all(s, !has(s.phase) || s.phase == 'Pending' || oldSelf.spec.stages.all(o, o.name != s.name || self.spec.stages.exists(n, n == o)))";
const PRIORITY_IS_FIXED: &str = "!has(oldSelf.status) || !has(oldSelf.status.startTime) || (has(self.spec.priority) == has(oldSelf.spec.priority) && (!has(self.spec.priority) || self.spec.priority == oldSelf.spec.priority))";
const TASK_DEFAULTS_ARE_FIXED: &str = "!has(oldSelf.status) || !has(oldSelf.status.startTime) || ((has(self.spec.config) && has(self.spec.config.taskDefaults)) == (has(oldSelf.spec.config) && has(oldSelf.spec.config.taskDefaults)) && (!has(self.spec.config) || !has(self.spec.config.taskDefaults) || self.spec.config.taskDefaults == oldSelf.spec.config.taskDefaults))";
/// The API server's message when an edit changes or removes a started stage.
pub const STARTED_STAGE_EDIT_REFUSED: &str = "a stage that has started cannot change or be removed (status.stagesSummary says which have started); edit only stages that have not started, or add new ones";

impl Mission {
    /// The stages that have started (by this mission's status) and that
    /// `edited` changes or leaves out: what the API server refuses with
    /// [`STARTED_STAGE_EDIT_REFUSED`], by name.
    pub fn started_stages_changed_by(&self, edited: &MissionSpec) -> Vec<String> {
        let summary = (self.status.as_ref()).map_or(&[][..], |status| &status.stages_summary[..]);
        let started = |name: &str| {
            (summary.iter())
                .any(|s| s.name == name && s.phase.is_some_and(|p| p != StagePhase::Pending))
        };
        (self.spec.stages.iter())
            .filter(|stage| started(&stage.name))
            .filter(|stage| !edited.stages.contains(stage))
            .map(|stage| stage.name.clone())
            .collect()
    }
}

/// A mission: stages that run when the stages they depend on have succeeded.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default, PartialEq, KubeSchema)]
#[kube(
    group = "airforce.mil",
    version = "v1alpha1",
    kind = "Mission",
    doc = "A mission: stages of flight tasks, started in dependency order by the operator.",
    namespaced,
    status = "MissionStatus",
    shortname = "msn",
    category = "airforce",
    selectable = ".status.phase",
    printcolumn = r#"{"name":"Phase", "type":"string", "jsonPath":".status.phase"}"#,
    printcolumn = r#"{"name":"Stages", "type":"string", "description":"stages succeeded / total", "jsonPath":".status.stageProgress"}"#,
    printcolumn = r#"{"name":"Tasks", "type":"string", "description":"flight tasks succeeded / total", "jsonPath":".status.taskProgress"}"#,
    printcolumn = r#"{"name":"Age", "type":"date", "jsonPath":".metadata.creationTimestamp"}"#,
    printcolumn = r#"{"name":"Message", "type":"string", "jsonPath":".status.message", "priority":1}"#,
    validation = Rule::new("size(self.metadata.name) <= 63").message("a mission name must be at most 63 characters: it prefixes the names of the objects it creates"),
    validation = Rule::new(STARTED_STAGES_ARE_FIXED).message(STARTED_STAGE_EDIT_REFUSED).field_path(".spec.stages").reason(Reason::FieldValueForbidden),
    validation = Rule::new(PRIORITY_IS_FIXED).message("cannot change once the mission has started: its task pods already carry it").field_path(".spec.priority").reason(Reason::FieldValueForbidden),
    validation = Rule::new(TASK_DEFAULTS_ARE_FIXED).message("cannot change once the mission has started: its running stages already apply them; set timeouts and retries on the stages not started yet instead").field_path(".spec.config.taskDefaults").reason(Reason::FieldValueForbidden)
)]
#[serde(rename_all = "camelCase")]
#[x_kube(validation = Rule::new("self.stages.all(a, self.stages.filter(b, b.name == a.name).size() == 1)").message("stage names must be unique within the mission"))]
#[x_kube(validation = Rule::new("self.stages.all(s, !has(s.dependsOn) || s.dependsOn.all(d, self.stages.exists(t, t.name == d)))").message("every stage in dependsOn must be a stage of this mission"))]
pub struct MissionSpec {
    /// Human-readable mission name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 128))]
    pub mission_name: Option<String>,
    /// Kind of mission (strike, patrol, recon, …), for people and filters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 63))]
    pub mission_type: Option<String>,
    /// How urgent the mission is (low, normal, high, critical): when aircraft
    /// are scarce, task pods of more urgent missions are placed first. Fixed
    /// once the mission has started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    /// What the mission is to achieve, in words, for the people following it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 1024))]
    pub objective: Option<String>,
    /// The stages; a stage starts when every stage in its dependsOn has succeeded.
    #[schemars(length(min = 1, max = 20))]
    pub stages: Vec<StageTemplate>,
    /// How the mission reacts to failure, and the timeouts and retries its tasks
    /// get when they set none.
    #[serde(default)]
    pub config: MissionConfig,
    /// While true no new stage or flight task starts. Set back to false (or
    /// removed) to carry on. May change at any time (`kubectl airforce
    /// mission suspend` / `resume`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspend: Option<bool>,
    /// What a suspension does to flight tasks already running: `finish`
    /// (the default) lets them land; `stop` stops their pods at once, and
    /// they run again on resume without spending a retry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspend_mode: Option<SuspendMode>,
}

impl MissionSpec {
    pub fn is_suspended(&self) -> bool {
        self.suspend == Some(true)
    }

    /// How the mission is suspended, if it is.
    pub fn suspension(&self) -> Option<SuspendMode> {
        self.is_suspended()
            .then(|| self.suspend_mode.unwrap_or_default())
    }
}

/// What a suspension does to running flight tasks.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SuspendMode {
    /// Running tasks finish; only new ones wait.
    #[default]
    Finish,
    /// Running tasks are stopped and run again on resume, retries untouched.
    Stop,
}

impl SuspendMode {
    /// The value of the suspension annotation the controllers pass down.
    pub fn annotation_value(self) -> &'static str {
        match self {
            Self::Finish => "true",
            Self::Stop => "stop",
        }
    }

    pub fn from_annotation_value(value: &str) -> Option<Self> {
        match value {
            "true" => Some(Self::Finish),
            "stop" => Some(Self::Stop),
            _ => None,
        }
    }
}

// That task dependencies name tasks of the same stage is checked by `mission
// validate` and by the stage controller, not by CEL here: as a rule over up to
// 100 tasks it exceeds the API server's cost budget.
/// One stage of a mission, as the mission spells it out.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, KubeSchema)]
#[serde(rename_all = "camelCase")]
#[x_kube(validation = Rule::new("!has(self.dependsOn) || !(self.name in self.dependsOn)").message("a stage cannot depend on itself"))]
#[x_kube(validation = Rule::new("self.type == 'mixed' || self.flightTasks.all(t, !has(t.dependsOn) || size(t.dependsOn) == 0)").message("flight task dependsOn is only allowed in a stage of type mixed"))]
pub struct StageTemplate {
    /// Unique within the mission; other stages name it in dependsOn.
    #[schemars(schema_with = "schema::short_name")]
    pub name: String,
    /// A readable title for views.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 128))]
    pub display_name: Option<String>,
    /// How the stage runs its tasks.
    #[serde(rename = "type", default)]
    pub stage_type: StageType,
    /// Stages that must succeed before this one starts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "schema::short_name_list")]
    pub depends_on: Vec<String>,
    /// How long the stage may run before it fails (Go duration: "10m", "1h30m").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "schema::duration")]
    pub timeout: Option<String>,
    /// Timeouts and retries for the stage's tasks that leave them unset; the
    /// mission's taskDefaults fill in what this leaves unset.
    #[serde(default, skip_serializing_if = "TaskPolicy::is_empty")]
    pub task_defaults: TaskPolicy,
    /// The stage's flight tasks, each run as one pod on one aircraft.
    #[schemars(length(min = 1, max = 100))]
    pub flight_tasks: Vec<MissionTask>,
    /// Makes the stage wait, once its dependencies are done, until a person
    /// approves it (`kubectl airforce mission approve`); a rejection fails it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate: Option<Gate>,
}

/// How a stage runs its flight tasks.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StageType {
    /// One task at a time, in the order listed.
    #[default]
    Sequential,
    /// All tasks at once.
    Parallel,
    /// Tasks start when the tasks they depend on (in the same stage) have succeeded.
    Mixed,
}

impl StageType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sequential => "sequential",
            Self::Parallel => "parallel",
            Self::Mixed => "mixed",
        }
    }
}

/// A flight task inside a mission's stage.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MissionTask {
    /// Unique within the mission; `<stage>-<n>` when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "schema::short_name")]
    pub name: Option<String>,
    /// Tasks of the same stage that must succeed first (stages of type mixed only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "schema::short_name_list")]
    pub depends_on: Vec<String>,
    /// Runs the task this many times, as that many FlightTasks made from this
    /// one template (like the pods of an Indexed Job): replica `i`, counted
    /// from 0, is `<task>.<i>` in its stage (FlightTask
    /// `<mission>.<stage>.<task>.<i>`), and its pods are told their index in
    /// `REPLICA_INDEX` and the count in `REPLICAS`. Each replica is placed,
    /// retried and counted on its own; the task has succeeded once every
    /// replica has, and tasks that depend on it wait for all of them. One
    /// when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 10000))]
    pub replicas: Option<u32>,
    /// At most this many of the task's replicas run at once; the next starts
    /// as one finishes. All of them when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 10000))]
    pub parallelism: Option<u32>,
    #[serde(flatten)]
    pub template: TaskTemplate,
}

impl MissionTask {
    /// The task's name, or the one filled in for it from its stage and position.
    pub fn effective_name(&self, stage: &str, index: usize) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| format!("{stage}-{}", index + 1))
    }

    /// How many FlightTasks the task runs as.
    pub fn replica_count(&self) -> u32 {
        self.replicas.unwrap_or(1).max(1)
    }

    /// How many of its FlightTasks may run at once.
    pub fn parallel_limit(&self) -> u32 {
        self.parallelism.unwrap_or(u32::MAX).max(1)
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MissionConfig {
    #[serde(default)]
    pub failure_policy: FailurePolicy,
    /// Timeouts and retries for every task of the mission that leaves them
    /// unset and whose stage does too. Fixed once the mission has started.
    #[serde(default, skip_serializing_if = "TaskPolicy::is_empty")]
    pub task_defaults: TaskPolicy,
}

/// What happens when things fail.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FailurePolicy {
    /// How many times a failed mission runs again by itself. A retry runs only
    /// the failed flight tasks again, in place: succeeded stages and tasks are
    /// kept, and stages the failure held back start once their dependencies
    /// succeed. status.retryCount counts the retries made.
    #[serde(default)]
    #[schemars(range(min = 0, max = 10))]
    pub max_retries: i32,
    /// How long after a failure the first retry starts (Go duration, "10s"
    /// when unset); each later retry waits twice as long as the one before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "schema::duration")]
    pub backoff: Option<String>,
    /// What a failed stage does to the rest of the mission. abort (the
    /// default): no stage starts after the failure; stages already running
    /// finish their tasks, then the mission fails. continue: a failed stage
    /// counts as finished, so the stages that depend on it still start and
    /// the mission runs every stage it can. Either way a mission with a failed
    /// stage ends Failed, naming the failed stages.
    #[serde(default)]
    pub stage_failure_action: StageFailureAction,
}

impl FailurePolicy {
    /// The first retry's delay when `backoff` is unset.
    pub const DEFAULT_BACKOFF: std::time::Duration = std::time::Duration::from_secs(10);
}

/// What a failed stage does to the rest of the mission. Either way, the
/// mission ends Failed, naming the failed stages, once nothing runs any more
/// (and no retry is left).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StageFailureAction {
    /// No stage starts after the failure; stages already running finish
    /// their tasks, then the mission fails.
    #[default]
    Abort,
    /// A failed stage counts as finished: the stages that depend on it still
    /// start, and so does every other stage, and the mission runs to the end.
    Continue,
}

/// Observed state of a mission.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MissionStatus {
    /// Pending until a stage starts, Running while any stage is not finished, then
    /// Succeeded or Failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<MissionPhase>,
    /// When the first stage started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<Time>,
    /// When the mission succeeded or failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_time: Option<Time>,
    /// When the mission controller last changed this status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_update_time: Option<Time>,
    /// A one-line summary, e.g. "1 stage running, 2 succeeded, 0 pending".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// How many times the mission has retried itself after a failed stage
    /// (`spec.config.failurePolicy.maxRetries`).
    #[serde(default)]
    pub retry_count: i32,
    /// One entry per stage of the spec, in spec order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 20))]
    pub stages_summary: Vec<StageSummary>,
    /// Counts of the mission's flight tasks by phase.
    #[serde(default)]
    pub statistics: Statistics,
    /// "succeeded/total" stages, for the printer column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage_progress: Option<String>,
    /// "succeeded/total" flight tasks, for the printer column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_progress: Option<String>,
    /// The `metadata.generation` this status was written for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// The `airforce.mil/retry-requested-at` annotation value of the last
    /// retry (`kubectl airforce mission retry`) that re-ran the failed stages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_handled_retry: Option<String>,
    /// Ready (and the reason when not), as Kubernetes conditions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "schema::conditions")]
    pub conditions: Vec<Condition>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct StageSummary {
    /// The stage's name in the spec.
    #[schemars(schema_with = "schema::short_name")]
    pub name: String,
    /// The stage's phase, as its MissionStage reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<StagePhase>,
    /// When the stage started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<Time>,
    /// When the stage succeeded or failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_time: Option<Time>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Statistics {
    /// Flight tasks in the spec, across every stage.
    #[serde(default)]
    pub total_flight_tasks: i32,
    /// Flight tasks that succeeded.
    #[serde(default)]
    pub succeeded_tasks: i32,
    /// Flight tasks that failed for good (no retries left).
    #[serde(default)]
    pub failed_tasks: i32,
    /// Flight tasks with a pod on an aircraft.
    #[serde(default)]
    pub running_tasks: i32,
    /// Flight tasks not started yet, or waiting for an aircraft.
    #[serde(default)]
    pub pending_tasks: i32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(name: &str, role: &str) -> StageTemplate {
        let mut task = MissionTask::default();
        task.template.role = Some(role.to_string());
        StageTemplate {
            name: name.to_string(),
            flight_tasks: vec![task],
            ..StageTemplate::default()
        }
    }

    #[test]
    fn only_started_stages_that_an_edit_changes_or_drops_are_named() {
        let spec = MissionSpec {
            stages: vec![stage("a", "x"), stage("b", "x"), stage("c", "x")],
            ..MissionSpec::default()
        };
        let mut mission = Mission::new("m", spec.clone());
        let summary = |name: &str, phase| StageSummary {
            name: name.to_string(),
            phase: Some(phase),
            ..StageSummary::default()
        };
        mission.status = Some(MissionStatus {
            stages_summary: vec![
                summary("a", StagePhase::Running),
                summary("b", StagePhase::Succeeded),
                summary("c", StagePhase::Pending),
            ],
            ..MissionStatus::default()
        });
        let edited = MissionSpec {
            stages: vec![stage("a", "y"), stage("c", "y"), stage("d", "x")],
            ..spec.clone()
        };
        assert_eq!(mission.started_stages_changed_by(&edited), ["a", "b"]);
        assert!(mission.started_stages_changed_by(&spec).is_empty());
    }
}
