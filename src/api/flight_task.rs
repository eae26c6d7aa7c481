//! FlightTask: one sortie, run as one pod on one aircraft.

use std::collections::BTreeMap;
use std::time::Duration;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use kube::{CustomResource, KubeSchema};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::conditions::Condition;
use super::duration;
use super::phase::FlightTaskPhase;
use super::priority::Priority;
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
    /// A pod template (metadata and spec) for the task. Without one, or when
    /// its spec leaves `containers` out, the task runs a busybox container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "schema::pod_template")]
    pub pod_template: Option<serde_json::Value>,
    #[serde(flatten)]
    pub policy: TaskPolicy,
}

/// How long a flight task's attempts may take, and how often a failed attempt
/// is tried again. Written on a task, or as `taskDefaults` of its stage or
/// mission; the most specific value wins, then the operator's defaults.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TaskPolicy {
    /// How long one attempt may run once its pod has started (Go duration:
    /// "90s", "10m"). Past it the pod is stopped and the attempt fails with
    /// DeadlineExceeded, then is retried like any failure. No limit when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "schema::duration")]
    pub timeout: Option<String>,
    /// How long a task pod may wait for an aircraft. Past it the task fails
    /// with Unschedulable, without retries: no aircraft was at fault, and a
    /// retry would wait for the same aircraft again. The operator's default
    /// (5m) when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "schema::duration")]
    pub scheduling_timeout: Option<String>,
    /// How long an image of the task pod may keep failing to pull. Past it the
    /// pod is stopped and the attempt fails with ImagePullFailed, then is
    /// retried like any failure. The operator's default (5m) when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "schema::duration")]
    pub image_pull_timeout: Option<String>,
    /// Retries of a failed attempt, each after a doubling delay (see
    /// retryBackoff: 2s, 4s, 8s… by default). 3 when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 10))]
    pub max_retries: Option<i32>,
    /// How long the first retry of a failed attempt waits (Go duration: "500ms",
    /// "10s"); each later retry waits twice as long as the one before. 2s when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "schema::duration")]
    pub retry_backoff: Option<String>,
}

impl TaskPolicy {
    /// Retries when neither the task nor its stage or mission says.
    pub const DEFAULT_MAX_RETRIES: u32 = 3;
    /// The first retry's delay when neither the task nor its stage or mission says.
    pub const DEFAULT_RETRY_BACKOFF: Duration = Duration::from_secs(2);

    /// The first retry's delay: `retryBackoff`, or the default when unset or
    /// unreadable (the schema refuses what is not a duration).
    pub fn retry_backoff(&self) -> Duration {
        (self.retry_backoff.as_deref())
            .and_then(|text| duration::parse(text).ok())
            .unwrap_or(Self::DEFAULT_RETRY_BACKOFF)
    }

    /// This policy with every field it leaves unset taken from `defaults`.
    pub fn or(&self, defaults: &TaskPolicy) -> TaskPolicy {
        TaskPolicy {
            timeout: self.timeout.clone().or_else(|| defaults.timeout.clone()),
            scheduling_timeout: (self.scheduling_timeout.clone())
                .or_else(|| defaults.scheduling_timeout.clone()),
            image_pull_timeout: (self.image_pull_timeout.clone())
                .or_else(|| defaults.image_pull_timeout.clone()),
            max_retries: self.max_retries.or(defaults.max_retries),
            retry_backoff: (self.retry_backoff.clone()).or_else(|| defaults.retry_backoff.clone()),
        }
    }

    /// Whether it sets nothing at all.
    pub fn is_empty(&self) -> bool {
        *self == TaskPolicy::default()
    }

    /// The retries a failed attempt gets.
    pub fn retries(&self) -> u32 {
        (self.max_retries)
            .and_then(|retries| u32::try_from(retries).ok())
            .unwrap_or(Self::DEFAULT_MAX_RETRIES)
    }
}

/// How long retry number `retry` (from 1) waits after its attempt failed:
/// `backoff`, doubled for each retry before it.
pub fn retry_delay(backoff: Duration, retry: u32) -> Duration {
    let doublings = retry.saturating_sub(1).min(30);
    backoff.saturating_mul(1 << doublings)
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
    /// The weapon's namespace; the task's own when unset.
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
    selectable = ".status.phase",
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
    /// How urgent the task is: its mission's priority, for a task of a mission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    /// Which replica of its mission task this is, when the task runs with
    /// `replicas`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replica: Option<Replica>,
    #[serde(flatten)]
    pub template: TaskTemplate,
}

/// One of the FlightTasks a mission task with `replicas` runs as.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Replica {
    /// This replica's index, from 0.
    pub index: u32,
    /// How many replicas the task has.
    pub count: u32,
}

/// A reference to another object in the same namespace.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ObjectRef {
    /// The object's name.
    #[schemars(length(min = 1, max = 253))]
    pub name: String,
}

/// Observed state of a flight task.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FlightTaskStatus {
    /// Pending until its pod is on an aircraft, Running, then Succeeded or Failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<FlightTaskPhase>,
    /// Where and when the current attempt's pod was placed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduling_info: Option<SchedulingInfo>,
    /// The pod currently running the task.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_ref: Option<ObjectRef>,
    /// How many times a failed attempt has been tried again.
    #[serde(default)]
    pub retry_count: i32,
    /// When the last retry started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_retry_time: Option<Time>,
    /// When the first attempt's pod started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<Time>,
    /// When the task succeeded or failed for good.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_time: Option<Time>,
    /// A one-line account of the task's state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The `metadata.generation` this status was written for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// The first attempt of the current run: 1, or where the last re-run of
    /// the task started counting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_attempt: Option<i32>,
    /// The `airforce.mil/retry-requested-at` annotation value of the last
    /// request that ran this failed task again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_handled_retry: Option<String>,
    /// The attempts that failed, oldest first (the last 20 kept).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 20))]
    pub failures: Vec<AttemptFailure>,
    /// The weapons of the current attempt's pod as they last answered, while
    /// the operator arms them and once they are READY.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 16))]
    pub weapons: Vec<TaskWeaponStatus>,
    /// PodCreated, PodScheduled, ImagePullFailed, WeaponsCompatible,
    /// WeaponsReady, AircraftMarked and Ready, as Kubernetes conditions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "schema::conditions")]
    pub conditions: Vec<Condition>,
}

/// One weapon sidecar of a task's pod, as it last answered the operator.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TaskWeaponStatus {
    /// The Weapon's name (its sidecar is `weapon-<name>`).
    pub name: String,
    /// INITIALIZING, READY, LOCKED, LAUNCHED or FAULT, as the weapon reports
    /// it; UNREACHABLE while it does not answer.
    pub state: String,
    /// Rounds left to launch.
    #[serde(default)]
    pub remaining: i32,
    /// Degrees Celsius, whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<i32>,
    /// The verdict of its last self-check; absent before the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_check_passed: Option<bool>,
    /// The version the weapon reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The sidecar image it answered from: a weapon reloaded in place to
    /// another image is armed again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// What the weapon last said, or why it could not be reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl TaskWeaponStatus {
    pub const READY: &str = "READY";
    pub const FAULT: &str = "FAULT";
    /// Not a protocol state: the weapon could not be reached or did not answer.
    pub const UNREACHABLE: &str = "UNREACHABLE";

    /// READY with a passed self-check, or already holding a target or past a
    /// launch (the mission's payload got there first).
    pub fn is_armed(&self) -> bool {
        match self.state.as_str() {
            Self::READY => self.self_check_passed == Some(true),
            "LOCKED" | "LAUNCHED" => true,
            _ => false,
        }
    }

    /// In a state from which it could fire: it is made safe before its pod stops.
    pub fn is_live(&self) -> bool {
        matches!(self.state.as_str(), Self::READY | "LOCKED" | "LAUNCHED")
    }

    pub fn is_faulted(&self) -> bool {
        self.state == Self::FAULT || self.self_check_passed == Some(false)
    }
}

/// One failed attempt of a task.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AttemptFailure {
    /// The attempt's number, from 1.
    pub attempt: i32,
    /// The aircraft it failed on; absent when its pod never reached one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    /// Why, in one CamelCase word: Failed (a container exited non-zero),
    /// DeadlineExceeded, ImagePullFailed, Unschedulable.
    pub reason: String,
    /// What happened, in the words of the pod or the operator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// When the attempt failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_at: Option<Time>,
    /// While set, the aircraft carries this task's fault mark until then, and
    /// the task's retries avoid it. Cleared when the mark is taken back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marked_until: Option<Time>,
    /// A retry of this attempt was started.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retried: bool,
}

/// Where and when the task was placed.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SchedulingInfo {
    /// The aircraft (node) the pod was bound to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_node: Option<String>,
    /// When the pod was bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_time: Option<Time>,
    /// Times the scheduler found no aircraft for the pod.
    #[serde(default)]
    pub scheduling_attempts: i32,
}
