//! Weapon: a store an aircraft can carry, run as a sidecar of the task pod.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ContainerPort, EnvVar, Probe, ResourceRequirements, VolumeMount};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kube::{CustomResource, KubeSchema};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::conditions::Condition;
use super::schema;

#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default, PartialEq, KubeSchema)]
#[kube(
    group = "airforce.mil",
    version = "v1alpha1",
    kind = "Weapon",
    doc = "A weapon aircraft can carry, run as a sidecar of the task pods that load it.",
    namespaced,
    status = "WeaponStatus",
    shortname = "wpn",
    category = "airforce",
    printcolumn = r#"{"name":"Type", "type":"string", "jsonPath":".spec.weaponType"}"#,
    printcolumn = r#"{"name":"Version", "type":"string", "jsonPath":".status.currentVersion"}"#,
    printcolumn = r#"{"name":"Phase", "type":"string", "jsonPath":".status.phase"}"#,
    printcolumn = r#"{"name":"In Use", "type":"integer", "jsonPath":".status.usage.taskCount"}"#,
    printcolumn = r#"{"name":"Age", "type":"date", "jsonPath":".metadata.creationTimestamp"}"#,
    validation = Rule::new("size(self.metadata.name) <= 56").message("a weapon name must be at most 56 characters: its sidecar is named weapon-<name>")
)]
#[serde(rename_all = "camelCase")]
pub struct WeaponSpec {
    /// Human-readable designation (PL-15).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 63))]
    pub weapon_name: Option<String>,
    /// Class of weapon (air-to-air-missile, glide-bomb, …), handed to the sidecar as WEAPON_TYPE.
    #[schemars(length(min = 1, max = 63))]
    pub weapon_type: String,
    /// Performance figures as strings (range, speed, guidance, …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub specifications: BTreeMap<String, String>,
    /// The sidecar image.
    pub image: WeaponImage,
    /// Resources of the sidecar container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
    pub compatibility: Compatibility,
    /// Extra container settings for the sidecar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<WeaponContainer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 63))]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 50))]
    pub version_history: Vec<VersionRecord>,
    #[serde(default)]
    pub update_strategy: UpdateStrategy,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WeaponImage {
    #[schemars(length(min = 1, max = 255))]
    pub repository: String,
    #[schemars(length(min = 1, max = 128))]
    pub tag: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_policy: Option<PullPolicy>,
}

impl WeaponImage {
    /// `repository:tag`, as a container image reference.
    pub fn reference(&self) -> String {
        format!("{}:{}", self.repository, self.tag)
    }
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
pub enum PullPolicy {
    Always,
    IfNotPresent,
    Never,
}

/// Which aircraft and hardpoints may carry the weapon.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Compatibility {
    #[schemars(length(min = 1, max = 32), inner(length(min = 1, max = 63)))]
    pub aircraft_types: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 16), inner(length(min = 1, max = 40)))]
    pub hardpoint_types: Vec<String>,
}

impl Compatibility {
    /// Why this weapon cannot hang on `mount_point` of an `aircraft_type`, if it cannot.
    pub fn refusal(
        &self,
        aircraft_type: Option<&str>,
        hardpoint_type: Option<&str>,
    ) -> Option<String> {
        if let Some(aircraft) = aircraft_type
            && !self.aircraft_types.iter().any(|t| t == aircraft)
        {
            return Some(format!(
                "aircraft type {aircraft} is not one of {}",
                self.aircraft_types.join(", ")
            ));
        }
        if let Some(hardpoint) = hardpoint_type
            && !self.hardpoint_types.is_empty()
            && !self.hardpoint_types.iter().any(|t| t == hardpoint)
        {
            return Some(format!(
                "hardpoint type {hardpoint} is not one of {}",
                self.hardpoint_types.join(", ")
            ));
        }
        None
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WeaponContainer {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 64))]
    pub env: Vec<EnvVar>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 16))]
    pub volume_mounts: Vec<VolumeMount>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 16))]
    pub ports: Vec<ContainerPort>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_probe: Option<Probe>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<Probe>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct VersionRecord {
    #[schemars(length(min = 1, max = 63))]
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 1024))]
    pub changelog: Option<String>,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecation_date: Option<String>,
}

/// How a new image reaches the tasks that carry the weapon.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateStrategy {
    #[serde(rename = "type", default)]
    pub strategy_type: UpdateStrategyType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rolling_update: Option<RollingUpdate>,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
pub enum UpdateStrategyType {
    #[default]
    RollingUpdate,
    Recreate,
    HotReload,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RollingUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_surge: Option<IntOrString>,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
pub enum WeaponPhase {
    #[default]
    Available,
    Updating,
    Deprecated,
}

/// Observed state of a weapon.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WeaponStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<WeaponPhase>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<WeaponUsage>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compatibility_checks: Vec<CompatibilityCheck>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_update_time: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "schema::conditions")]
    pub conditions: Vec<Condition>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WeaponUsage {
    #[serde(default)]
    pub task_count: i32,
    #[serde(default)]
    pub quantity: i32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CompatibilityCheck {
    pub task: String,
    pub compatible: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}
