//! MissionStage: one stage of a mission, created by the mission controller.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use kube::{CustomResource, KubeSchema};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::conditions::Condition;
use super::flight_task::{ObjectRef, TaskPolicy};
use super::gate::{Gate, GateStatus};
use super::mission::{MissionTask, StageType};
use super::phase::{FlightTaskPhase, StagePhase};
use super::priority::Priority;
use super::schema;

/// One stage of a mission, made by the mission controller when the stages it
/// depends on have succeeded; it makes the stage's flight tasks.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default, PartialEq, KubeSchema)]
#[kube(
    group = "airforce.mil",
    version = "v1alpha1",
    kind = "MissionStage",
    doc = "One stage of a mission, created and owned by its Mission.",
    namespaced,
    status = "MissionStageStatus",
    shortname = "ms",
    category = "airforce",
    selectable = ".status.phase",
    printcolumn = r#"{"name":"Phase", "type":"string", "jsonPath":".status.phase"}"#,
    printcolumn = r#"{"name":"Type", "type":"string", "jsonPath":".spec.stageType"}"#,
    printcolumn = r#"{"name":"Tasks", "type":"string", "description":"flight tasks succeeded / total", "jsonPath":".status.taskProgress"}"#,
    printcolumn = r#"{"name":"Age", "type":"date", "jsonPath":".metadata.creationTimestamp"}"#,
    printcolumn = r#"{"name":"Message", "type":"string", "jsonPath":".status.message", "priority":1}"#,
    validation = Rule::new(GATE_IS_FIXED).message("a stage's approval gate cannot change once the stage exists: edit the gate in the mission before the stage starts").field_path(".spec.gate").reason(Reason::FieldValueForbidden)
)]
#[serde(rename_all = "camelCase")]
pub struct MissionStageSpec {
    /// The mission this stage belongs to.
    pub mission_ref: ObjectRef,
    /// The stage's name in the mission.
    #[schemars(schema_with = "schema::short_name")]
    pub stage_name: String,
    /// The stage's position in the mission's list, from 0.
    #[schemars(range(min = 0, max = 19))]
    pub stage_index: i32,
    /// How the stage runs its tasks: parallel, sequential or mixed.
    pub stage_type: StageType,
    /// The mission's priority, handed on to the stage's tasks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    /// The stage's flight tasks, as the mission spells them out.
    #[schemars(length(min = 1, max = 100))]
    pub flight_tasks: Vec<MissionTask>,
    /// The stage's timeout, dependencies and task defaults.
    #[serde(default)]
    pub config: StageConfig,
    /// When set, the stage waits for a person to approve it before its
    /// tasks start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate: Option<Gate>,
}

// Who may approve is read from the stage by the API server's admission
// policy, so the gate must not be editable where the decision is made.
const GATE_IS_FIXED: &str = "has(self.spec.gate) == has(oldSelf.spec.gate) && (!has(self.spec.gate) || self.spec.gate == oldSelf.spec.gate)";

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct StageConfig {
    /// How long the stage may run before it fails (Go duration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "schema::duration")]
    pub timeout: Option<String>,
    /// Stages of the mission that must succeed before this one starts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "schema::short_name_list")]
    pub depends_on: Vec<String>,
    /// The stage's and the mission's task defaults together: what a task of
    /// this stage gets for each timeout and its retries when it says nothing.
    #[serde(default, skip_serializing_if = "TaskPolicy::is_empty")]
    pub task_defaults: TaskPolicy,
}

/// Observed state of a stage.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MissionStageStatus {
    /// Pending until its dependencies succeed, AwaitingApproval while its
    /// gate waits for a decision, Running, then Succeeded or Failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<StagePhase>,
    /// When the stage started its first task.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<Time>,
    /// When the stage succeeded or failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_time: Option<Time>,
    /// A one-line summary of the stage's tasks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// One entry per flight task of the spec, in spec order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flight_tasks_status: Vec<TaskStatusSummary>,
    /// "succeeded/total" flight tasks, for the printer column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_progress: Option<String>,
    /// The `metadata.generation` this status was written for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// The `airforce.mil/retry-requested-at` annotation value of the last
    /// retry that re-ran this stage's failed flight tasks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_handled_retry: Option<String>,
    /// The approval gate: waiting since when, or who decided, when and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate: Option<GateStatus>,
    /// Ready (and the reason when not), as Kubernetes conditions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "schema::conditions")]
    pub conditions: Vec<Condition>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TaskStatusSummary {
    /// The task's name in the stage.
    pub name: String,
    /// The task's phase, as its FlightTask reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<FlightTaskPhase>,
    /// The pod of the task's current attempt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_name: Option<String>,
    /// The aircraft (node) that pod runs on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aircraft_node: Option<String>,
    /// For a task with `replicas`, which has one summary for all of them: the
    /// replicas counted by phase. Its phase is Failed once one failed,
    /// Succeeded once all did, Running while one runs, else Pending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<ReplicaCounts>,
}

/// A fanned-out task's replicas by phase; a stage's status stays small
/// however many there are.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaCounts {
    /// The task's `replicas`.
    pub total: u32,
    /// Replicas that succeeded.
    pub succeeded: u32,
    /// Scheduled, running or retrying.
    pub running: u32,
    /// Replicas that failed for good (no retries left), or were stopped.
    pub failed: u32,
    /// Not created yet, or waiting for an aircraft.
    pub pending: u32,
    /// The first failed replicas by name (`<task>.<index>`), at most ten.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed_names: Vec<String>,
}
