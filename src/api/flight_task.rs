//! FlightTask (SPEC F1, F2): one sortie, run as one pod on one aircraft.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use kube::{CustomResource, KubeSchema};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::conditions::Condition;
use super::schema;

/// What a flight task is: the part a mission's stage spells out for each task,
/// and that a standalone FlightTask carries itself.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TaskTemplate {
    /// What the task needs of its aircraft; the scheduler only considers nodes that meet it.
    #[serde(default)]
    pub aircraft_requirement: AircraftRequirement,
    /// The task's part in the mission, for people reading it (escort, strike, recon, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 63))]
    pub role: Option<String>,
    /// Free-form parameters handed to the task container as environment variables.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub task_params: BTreeMap<String, String>,
    /// Weapons to carry; each becomes a sidecar of the task pod.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 16))]
    pub weapon_loadout: Vec<WeaponLoadout>,
    /// A pod template (metadata and spec) for the task; a busybox task container
    /// when absent. Stored as given and checked when the pod is built.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "schema::raw_object")]
    pub pod_template: Option<serde_json::Value>,
}

/// Requirements on the aircraft (node) a task runs on.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AircraftRequirement {
    /// Aircraft type, matched against the node label `aircraft.mil/type` (e.g. j20).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 63),
        regex(pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    )]
    pub aircraft_type: Option<String>,
    /// Minimum fuel level in percent (`aircraft.mil/fuel.level`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 100))]
    pub min_fuel_level: Option<i32>,
    /// Hardpoints the task needs free (`aircraft.mil/hardpoint.available`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 32))]
    pub hardpoints: Option<i32>,
    /// Capabilities the aircraft must have (`aircraft.mil/capability.<name>=true`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 16), inner(length(min = 1, max = 40)))]
    pub capabilities: Vec<String>,
    /// Zone the task prefers (`aircraft.mil/location.zone`); others score lower.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 63))]
    pub preferred_zone: Option<String>,
}

/// One weapon type carried by a task.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, KubeSchema)]
#[serde(rename_all = "camelCase")]
#[x_kube(validation = Rule::new("!has(self.mountPoints) || size(self.mountPoints) == 0 || size(self.mountPoints) == self.quantity").message("mountPoints must name one mount point per weapon carried: as many entries as quantity"))]
pub struct WeaponLoadout {
    /// The Weapon resource to carry.
    pub weapon_ref: WeaponRef,
    /// How many to carry.
    #[schemars(range(min = 1, max = 32))]
    pub quantity: i32,
    /// Where they hang, as `<hardpoint type>-<n>` (internal-bay-1, wing-2); the
    /// hardpoint type must be one the weapon is compatible with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 32), inner(length(min = 1, max = 40)))]
    pub mount_points: Vec<String>,
}

/// A reference to a Weapon, in the task's namespace unless one is given.
#[derive(
    Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub struct WeaponRef {
    /// At most 56 characters, so the sidecar's name `weapon-<name>` fits in 63.
    #[schemars(length(min = 1, max = 56))]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 63))]
    pub namespace: Option<String>,
}

/// A single flight task. Stages create these; one created by hand runs on its own.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[kube(
    group = "airforce.mil",
    version = "v1alpha1",
    kind = "FlightTask",
    doc = "One sortie: a pod on one aircraft, with its weapons as sidecars.",
    namespaced,
    status = "FlightTaskStatus",
    shortname = "ft",
    category = "airforce",
    printcolumn = r#"{"name":"Phase", "type":"string", "jsonPath":".status.phase"}"#,
    printcolumn = r#"{"name":"Role", "type":"string", "jsonPath":".spec.role"}"#,
    printcolumn = r#"{"name":"Node", "type":"string", "jsonPath":".status.schedulingInfo.assignedNode"}"#,
    printcolumn = r#"{"name":"Retries", "type":"integer", "jsonPath":".status.retryCount"}"#,
    printcolumn = r#"{"name":"Age", "type":"date", "jsonPath":".metadata.creationTimestamp"}"#,
    printcolumn = r#"{"name":"Message", "type":"string", "jsonPath":".status.message", "priority":1}"#
)]
#[serde(rename_all = "camelCase")]
pub struct FlightTaskSpec {
    /// The stage that owns this task; absent for a standalone task.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage_ref: Option<ObjectRef>,
    #[serde(flatten)]
    pub template: TaskTemplate,
}

/// A reference to another object in the same namespace.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ObjectRef {
    #[schemars(length(min = 1, max = 253))]
    pub name: String,
}

/// Where a task is in its life.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
pub enum FlightTaskPhase {
    #[default]
    Pending,
    Scheduled,
    Running,
    Succeeded,
    Failed,
    Retrying,
}

impl FlightTaskPhase {
    /// Every phase, in life order (metrics list them all, even at zero).
    pub const ALL: [FlightTaskPhase; 6] = [
        Self::Pending,
        Self::Scheduled,
        Self::Running,
        Self::Retrying,
        Self::Succeeded,
        Self::Failed,
    ];

    pub fn is_finished(self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed)
    }
}

/// Observed state of a flight task (SPEC F2).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FlightTaskStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<FlightTaskPhase>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduling_info: Option<SchedulingInfo>,
    /// The pod currently running the task.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_ref: Option<ObjectRef>,
    #[serde(default)]
    pub retry_count: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_retry_time: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_time: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "schema::conditions")]
    pub conditions: Vec<Condition>,
}

/// Where and when the task was placed.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SchedulingInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_node: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_time: Option<Time>,
    /// Times the scheduler found no aircraft for the pod.
    #[serde(default)]
    pub scheduling_attempts: i32,
}
