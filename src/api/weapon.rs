//! Weapon: a store an aircraft can carry, run as a sidecar of the task pod.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ContainerPort, EnvVar, Probe, ResourceRequirements, VolumeMount};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use k8s_openapi::jiff::civil::Date;
use kube::{CustomResource, KubeSchema};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::conditions::Condition;
use super::schema;
use super::weapon_pool::{PoolStatus, WeaponPool};

/// A weapon flight tasks can carry: its sidecar image and settings, and the
/// aircraft and hardpoints it fits.
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
    /// The sidecar image. When unset, the sidecar is the simulated weapon that
    /// ships with the operator: the operator's own image, running `weapon serve`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<WeaponImage>,
    /// Resources of the sidecar container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
    /// The aircraft and hardpoints that can carry the weapon.
    pub compatibility: Compatibility,
    /// Extra container settings for the sidecar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<WeaponContainer>,
    /// The weapon's version; the image tag when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 63))]
    pub version: Option<String>,
    /// Versions released so far; one marked deprecated makes the weapon
    /// Deprecated while it is the current version.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 50))]
    pub version_history: Vec<VersionRecord>,
    /// Tasks may still arm the current version after its deprecation date
    /// (each with a warning), instead of being refused.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_past_deprecation: bool,
    /// Pull the weapon's image onto every aircraft node ahead of any task, so
    /// arming never waits for a pull: the operator keeps one DaemonSet per
    /// namespace of such weapons that holds every one of their images.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub preload: bool,
    /// How a new image reaches the running pods that carry the weapon.
    #[serde(default)]
    pub update_strategy: UpdateStrategy,
    /// Keep warm instances of the weapon in its namespace: a task that loads
    /// it borrows one for its whole life instead of carrying a sidecar, and
    /// gets the instance's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<WeaponPool>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WeaponImage {
    /// The image repository of the sidecar.
    #[schemars(length(min = 1, max = 255))]
    pub repository: String,
    /// The image tag.
    #[schemars(length(min = 1, max = 128))]
    pub tag: String,
    /// Always, IfNotPresent or Never, as for any container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_policy: Option<PullPolicy>,
}

impl WeaponImage {
    /// `repository:tag`, as a container image reference.
    pub fn reference(&self) -> String {
        format!("{}:{}", self.repository, self.tag)
    }
}

impl WeaponSpec {
    /// The image the sidecar runs: the weapon's own, else `simulator` (the
    /// operator's image, which runs the simulated weapon).
    pub fn sidecar_image(&self, simulator: &str) -> String {
        match &self.image {
            Some(image) => image.reference(),
            None => simulator.to_string(),
        }
    }

    /// `version`, else the tag of the image the sidecar runs.
    pub fn current_version(&self, simulator: &str) -> String {
        if let Some(version) = &self.version {
            return version.clone();
        }
        match &self.image {
            Some(image) => image.tag.clone(),
            None => image_tag(simulator).to_string(),
        }
    }
}

/// The tag of an image reference (`latest` when it has none); a digest counts as one.
fn image_tag(reference: &str) -> &str {
    if let Some((_, digest)) = reference.split_once('@') {
        return digest;
    }
    let name = reference.rsplit('/').next().unwrap_or(reference);
    name.split_once(':').map_or("latest", |(_, tag)| tag)
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
    /// Aircraft types (`aircraft.mil/type`) that can carry the weapon.
    #[schemars(length(min = 1, max = 32), inner(length(min = 1, max = 63)))]
    pub aircraft_types: Vec<String>,
    /// Hardpoint types that can carry the weapon; any when empty.
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
    /// Environment variables of the sidecar, beside the ones the operator sets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 64))]
    pub env: Vec<EnvVar>,
    /// Volumes of the pod the sidecar mounts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 16))]
    pub volume_mounts: Vec<VolumeMount>,
    /// Ports the sidecar listens on.
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
    /// The version, as `spec.version` would name it.
    #[schemars(length(min = 1, max = 63))]
    pub version: String,
    /// When the version was released (free text, e.g. 2026-03-01).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_date: Option<String>,
    /// What changed in this version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 1024))]
    pub changelog: Option<String>,
    /// The version should no longer be carried: a weapon at this version is
    /// Deprecated, and a task that arms it is warned.
    #[serde(default)]
    pub deprecated: bool,
    /// The day (YYYY-MM-DD, UTC) from which tasks may no longer arm this
    /// version once it is deprecated, unless `allowPastDeprecation` says they
    /// may.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub deprecation_date: Option<String>,
}

impl VersionRecord {
    /// The day from which the version is refused, when it is deprecated
    /// with a date.
    pub fn deprecation_day(&self) -> Option<Date> {
        let date = self
            .deprecation_date
            .as_deref()
            .filter(|_| self.deprecated)?;
        date.parse().ok()
    }
}

/// Whether a task may arm a weapon at its current version, on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arming {
    /// The current version is not deprecated.
    Current,
    /// Deprecated, but it may still be armed: the task is warned. `until` is
    /// the deprecation date, when one is set and still ahead (or allowed past).
    Deprecated {
        version: String,
        until: Option<Date>,
    },
    /// Deprecated and its deprecation date has come.
    Refused { version: String, since: Date },
}

impl WeaponSpec {
    /// Whether a task may arm the current version on `today` (UTC).
    pub fn arming(&self, simulator: &str, today: Date) -> Arming {
        let version = self.current_version(simulator);
        let Some(record) = (self.version_history.iter())
            .find(|record| record.version == version && record.deprecated)
        else {
            return Arming::Current;
        };
        match record.deprecation_day() {
            Some(since) if today >= since && !self.allow_past_deprecation => {
                Arming::Refused { version, since }
            }
            until => Arming::Deprecated { version, until },
        }
    }
}

/// How a new image reaches the tasks that carry the weapon.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateStrategy {
    /// RollingUpdate (replace the pods of out-of-date tasks a few at a time),
    /// Recreate (all at once) or HotReload (change the running sidecar's image in
    /// place: the pod and its task carry on).
    #[serde(rename = "type", default)]
    pub strategy_type: UpdateStrategyType,
    /// Limits of a RollingUpdate.
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
    /// How many tasks may be without a running pod at once while their
    /// out-of-date pod is replaced: a count or a percentage of the out-of-date
    /// pods, rounded up. Default 1; 0 only when maxSurge leaves room (both 0
    /// means 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
    /// How many tasks may run a second pod at once: the next attempt, with the
    /// new image, started beside the out-of-date pod, which is stopped only
    /// once the new one runs (make before break; the new pod needs an aircraft
    /// of its own). A count or a percentage of the out-of-date pods, rounded
    /// up. Default 0.
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
    /// Updating while a rollout replaces pods, Deprecated when the current
    /// version is marked so, else Available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<WeaponPhase>,
    /// The flight tasks that carry the weapon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<WeaponUsage>,
    /// Whether each task that carries the weapon can (the first tasks only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compatibility_checks: Vec<CompatibilityCheck>,
    /// `spec.version`, or the image tag when it is unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_version: Option<String>,
    /// When the phase last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_update_time: Option<Time>,
    /// The `metadata.generation` this status was written for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// The pool's instances and their borrowers, when the weapon keeps a pool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<PoolStatus>,
    /// Ready and RolledOut, as Kubernetes conditions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(schema_with = "schema::conditions")]
    pub conditions: Vec<Condition>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WeaponUsage {
    /// Flight tasks that carry the weapon.
    #[serde(default)]
    pub task_count: i32,
    /// Weapons carried across those tasks.
    #[serde(default)]
    pub quantity: i32,
    /// The first of those tasks, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CompatibilityCheck {
    /// The flight task.
    pub task: String,
    /// The task's aircraft type and mount points can carry the weapon.
    pub compatible: bool,
    /// Why not, when not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIMULATOR: &str = "registry.local:5000/airforce/kubectl-airforce:v0.3.0";

    fn spec(image: Option<(&str, &str)>, version: Option<&str>) -> WeaponSpec {
        WeaponSpec {
            image: image.map(|(repository, tag)| WeaponImage {
                repository: repository.into(),
                tag: tag.into(),
                pull_policy: None,
            }),
            version: version.map(str::to_string),
            ..WeaponSpec::default()
        }
    }

    #[test]
    fn a_weapon_without_an_image_runs_the_simulator_and_takes_its_tag() {
        let own = spec(Some(("registry.local/pl-15", "2.1")), None);
        assert_eq!(own.sidecar_image(SIMULATOR), "registry.local/pl-15:2.1");
        assert_eq!(own.current_version(SIMULATOR), "2.1");
        let simulated = spec(None, None);
        assert_eq!(simulated.sidecar_image(SIMULATOR), SIMULATOR);
        assert_eq!(simulated.current_version(SIMULATOR), "v0.3.0");
        assert_eq!(spec(None, Some("3.0")).current_version(SIMULATOR), "3.0");
    }

    fn deprecated(date: Option<&str>) -> WeaponSpec {
        let mut weapon = spec(None, Some("2.0"));
        weapon.version_history = vec![
            VersionRecord {
                version: "1.0".into(),
                deprecated: true,
                deprecation_date: Some("2026-01-01".into()),
                ..VersionRecord::default()
            },
            VersionRecord {
                version: "2.0".into(),
                deprecated: true,
                deprecation_date: date.map(str::to_string),
                ..VersionRecord::default()
            },
        ];
        weapon
    }

    fn day(text: &str) -> Date {
        text.parse().expect("a date")
    }

    #[test]
    fn a_deprecated_current_version_is_armed_with_a_warning_until_its_date() {
        let weapon = deprecated(Some("2027-03-01"));
        let warned = Arming::Deprecated {
            version: "2.0".into(),
            until: Some(day("2027-03-01")),
        };
        assert_eq!(weapon.arming(SIMULATOR, day("2027-02-28")), warned);
        let refused = Arming::Refused {
            version: "2.0".into(),
            since: day("2027-03-01"),
        };
        assert_eq!(weapon.arming(SIMULATOR, day("2027-03-01")), refused);
    }

    #[test]
    fn past_its_date_a_deprecated_version_is_armed_only_when_the_weapon_allows_it() {
        let mut weapon = deprecated(Some("2026-06-01"));
        weapon.allow_past_deprecation = true;
        let warned = Arming::Deprecated {
            version: "2.0".into(),
            until: Some(day("2026-06-01")),
        };
        assert_eq!(weapon.arming(SIMULATOR, day("2026-12-03")), warned);
    }

    #[test]
    fn only_the_current_version_counts_and_an_undated_deprecation_only_warns() {
        let mut weapon = deprecated(None);
        let undated = Arming::Deprecated {
            version: "2.0".into(),
            until: None,
        };
        assert_eq!(weapon.arming(SIMULATOR, day("2030-01-01")), undated);
        weapon.version = Some("3.0".into());
        assert_eq!(weapon.arming(SIMULATOR, day("2030-01-01")), Arming::Current);
    }

    #[test]
    fn an_image_tag_is_read_past_a_registry_port_and_defaults_to_latest() {
        assert_eq!(image_tag("registry.local:5000/airforce/op"), "latest");
        assert_eq!(image_tag("op:v1"), "v1");
        assert_eq!(image_tag("op@sha256:abc"), "sha256:abc");
    }
}
