//! The operator's own settings, from the YAML file given to `run --config`:
//! how fault marks behave and the time limits of a task that sets none. Every
//! field is optional; `examples/operator-config.yaml` lists them all with
//! their defaults.

use std::time::Duration;

use serde::Deserialize;

use super::fault_marks::{MarkSettings, Share};
use super::task_plan::TaskDefaults;
use crate::api::{armoury, duration, naming};
use crate::config_file::ConfigFile;

/// Where a person finds every field with its default.
const EXAMPLE: &str = "examples/operator-config.yaml";

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct OperatorConfig {
    /// The namespace of shared weapons, searched after a task's own for a
    /// weapon reference that names no namespace; "" for none.
    pub armoury: String,
    /// Pre-pull the image of every Weapon on every aircraft, as if each set
    /// `spec.preload`.
    pub preload_all_weapons: bool,
    /// At most this many task pods wait for an aircraft at once; other tasks
    /// queue for their turn to create theirs. 0 sets no limit.
    pub max_waiting_pods: usize,
    /// Pods of a flight task's earlier failed attempts kept for their logs,
    /// newest first; older ones are deleted. 0 keeps only the latest attempt's.
    pub keep_failed_pods: usize,
    pub fault_marks: FaultMarks,
    pub task_defaults: TaskLimits,
}

/// How many task pods may wait for an aircraft unless the file says: a queue
/// the scheduler works through in seconds, far fewer pods than a large
/// submission would otherwise create at once.
const MAX_WAITING_PODS: usize = 500;

impl Default for OperatorConfig {
    fn default() -> Self {
        OperatorConfig {
            armoury: armoury::DEFAULT_ARMOURY.to_string(),
            preload_all_weapons: false,
            max_waiting_pods: MAX_WAITING_PODS,
            keep_failed_pods: TaskDefaults::default().kept_failed_pods,
            fault_marks: FaultMarks::default(),
            task_defaults: TaskLimits::default(),
        }
    }
}

/// How the marks a failed attempt leaves on its aircraft behave.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct FaultMarks {
    /// How long a mark holds unless its task ends first.
    pub expiry: GoDuration,
    /// The share of a type's aircraft in service that may carry marks at once.
    pub max_marked_share: Share,
}

impl Default for FaultMarks {
    fn default() -> Self {
        let settings = MarkSettings::default();
        FaultMarks {
            expiry: GoDuration(settings.expiry),
            max_marked_share: settings.max_share,
        }
    }
}

/// The time limits of a task that sets none (nor its stage or mission).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct TaskLimits {
    pub scheduling_timeout: GoDuration,
    pub image_pull_timeout: GoDuration,
    pub weapon_ready_timeout: GoDuration,
}

impl Default for TaskLimits {
    fn default() -> Self {
        let defaults = TaskDefaults::default();
        TaskLimits {
            scheduling_timeout: GoDuration(defaults.scheduling_timeout),
            image_pull_timeout: GoDuration(defaults.image_pull_timeout),
            weapon_ready_timeout: GoDuration(defaults.weapon_ready_timeout),
        }
    }
}

/// A duration written as in Go ("90s", "10m").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct GoDuration(pub Duration);

impl TryFrom<String> for GoDuration {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        duration::parse(&text).map(GoDuration).map_err(|error| {
            format!("{text:?} is not a duration such as \"90s\" or \"10m\": {error}")
        })
    }
}

impl ConfigFile for OperatorConfig {
    const EXAMPLE: &'static str = EXAMPLE;

    fn validate(&self) -> Result<(), (String, String)> {
        if !self.armoury.is_empty() && !naming::is_dns_label(&self.armoury) {
            return Err((
                "armoury".into(),
                format!(
                    "{:?} is not a namespace name: use lower-case letters, digits and '-' (at most 63), or \"\" for no armoury",
                    self.armoury
                ),
            ));
        }
        let limits = [
            ("faultMarks.expiry", self.fault_marks.expiry),
            (
                "taskDefaults.schedulingTimeout",
                self.task_defaults.scheduling_timeout,
            ),
            (
                "taskDefaults.imagePullTimeout",
                self.task_defaults.image_pull_timeout,
            ),
            (
                "taskDefaults.weaponReadyTimeout",
                self.task_defaults.weapon_ready_timeout,
            ),
        ];
        match limits.iter().find(|(_, value)| value.0.is_zero()) {
            Some((path, _)) => Err((
                path.to_string(),
                "is 0, which would end every attempt at once; give a positive duration".into(),
            )),
            None => Ok(()),
        }
    }
}

impl OperatorConfig {
    /// The armoury, if the configuration keeps one.
    pub fn armoury(&self) -> Option<String> {
        Some(self.armoury.clone()).filter(|armoury| !armoury.is_empty())
    }

    /// The most task pods that may wait for an aircraft, if there is a most.
    pub fn waiting_pod_limit(&self) -> Option<usize> {
        Some(self.max_waiting_pods).filter(|limit| *limit > 0)
    }

    pub fn marks(&self) -> MarkSettings {
        MarkSettings {
            expiry: self.fault_marks.expiry.0,
            max_share: self.fault_marks.max_marked_share,
        }
    }

    pub fn task_defaults(&self) -> TaskDefaults {
        TaskDefaults {
            scheduling_timeout: self.task_defaults.scheduling_timeout.0,
            image_pull_timeout: self.task_defaults.image_pull_timeout.0,
            weapon_ready_timeout: self.task_defaults.weapon_ready_timeout.0,
            kept_failed_pods: self.keep_failed_pods,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_file_gives_the_defaults() {
        let config = OperatorConfig::from_yaml("# nothing\n", "c.yaml").expect("valid");
        assert_eq!(config.marks(), MarkSettings::default());
        assert_eq!(config.task_defaults(), TaskDefaults::default());
        assert_eq!(config.waiting_pod_limit(), Some(500));
    }

    #[test]
    fn no_waiting_pod_limit_is_written_as_zero() {
        let config = OperatorConfig::from_yaml("maxWaitingPods: 0\n", "c.yaml").expect("valid");
        assert_eq!(config.waiting_pod_limit(), None);
        let error = OperatorConfig::from_yaml("maxWaitingPods: -1\n", "c.yaml")
            .expect_err("negative")
            .to_string();
        assert!(error.starts_with("c.yaml: maxWaitingPods: "), "{error}");
    }

    #[test]
    fn the_armoury_is_weapons_unless_set_and_empty_means_none() {
        let config = OperatorConfig::from_yaml("{}\n", "c.yaml").expect("valid");
        assert_eq!(config.armoury().as_deref(), Some("weapons"));
        let config = OperatorConfig::from_yaml("armoury: shared\n", "c.yaml").expect("valid");
        assert_eq!(config.armoury().as_deref(), Some("shared"));
        let config = OperatorConfig::from_yaml("armoury: \"\"\n", "c.yaml").expect("valid");
        assert_eq!(config.armoury(), None);
        let error = OperatorConfig::from_yaml("armoury: Shared_Weapons\n", "c.yaml")
            .expect_err("not a namespace");
        assert!(error.to_string().contains("armoury"), "{error}");
    }

    #[test]
    fn every_field_can_be_set() {
        let text = "keepFailedPods: 2\nfaultMarks: {expiry: 90s, maxMarkedShare: 1/2}\ntaskDefaults: {schedulingTimeout: 1m, imagePullTimeout: 30s, weaponReadyTimeout: 2m}\n";
        let config = OperatorConfig::from_yaml(text, "c.yaml").expect("valid");
        assert_eq!(config.marks().expiry, Duration::from_secs(90));
        assert_eq!(config.marks().max_share.of(4), 2);
        assert_eq!(
            config.task_defaults(),
            TaskDefaults {
                scheduling_timeout: Duration::from_secs(60),
                image_pull_timeout: Duration::from_secs(30),
                weapon_ready_timeout: Duration::from_secs(120),
                kept_failed_pods: 2,
            }
        );
    }

    #[test]
    fn bad_values_name_the_field_and_the_fix() {
        let error = OperatorConfig::from_yaml("faultMarks: {expiry: 10 minutes}\n", "c.yaml")
            .expect_err("not a duration")
            .to_string();
        assert!(
            error.starts_with("c.yaml: faultMarks.expiry: \"10 minutes\" is not a duration"),
            "{error}"
        );
        assert!(error.contains("examples/operator-config.yaml"), "{error}");
        let error = OperatorConfig::from_yaml("faultMarks: {maxMarkedShare: 4/3}\n", "c.yaml")
            .expect_err("more than all")
            .to_string();
        assert!(
            error.contains("faultMarks.maxMarkedShare: \"4/3\" is not a fraction"),
            "{error}"
        );
        let error = OperatorConfig::from_yaml("taskDefaults: {imagePullTimeout: 0s}\n", "c.yaml")
            .expect_err("zero")
            .to_string();
        assert_eq!(
            error,
            "c.yaml: taskDefaults.imagePullTimeout: is 0, which would end every attempt at once; give a positive duration"
        );
        let error = OperatorConfig::from_yaml("faultMark: {}\n", "c.yaml")
            .expect_err("misspelt")
            .to_string();
        assert!(error.contains("unknown field `faultMark`"), "{error}");
    }
}
