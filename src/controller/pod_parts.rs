//! What the task pod's builder and the weapon sidecars both use: the helper
//! image, plain environment variables, and why a pod cannot be built.

use k8s_openapi::api::core::v1::EnvVar;

use crate::api::conditions::{reasons, types};

/// The image of the default task container and of the preload container.
pub const HELPER_IMAGE: &str = "busybox:1.37";

/// Why no pod can be built for a task. Each is final for the task: the reconciler
/// records [`BuildError::condition`] and fails the task with the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    #[error("invalid pod template at podTemplate{path}: {message}")]
    InvalidTemplate { path: String, message: String },
    #[error("weapon {weapon} cannot be carried{}: {reason}", on_mount_point(.mount_point))]
    IncompatibleWeapon {
        weapon: String,
        mount_point: Option<String>,
        reason: String,
    },
    #[error("weapon {weapon} of the loadout does not exist: create it, or fix weaponRef")]
    WeaponNotFound { weapon: String },
    #[error(
        "weapon {weapon} is at version {version}, deprecated since {since}: move the Weapon to a current version, or set its allowPastDeprecation"
    )]
    DeprecatedWeapon {
        weapon: String,
        version: String,
        since: k8s_openapi::jiff::civil::Date,
    },
    #[error("the FlightTask has no name or uid: build pods only for tasks read from the cluster")]
    NotStored,
    #[error(
        "weapon {weapon} keeps a pool and lent the task no instance: build the pod once it has"
    )]
    WeaponNotLent { weapon: String },
}

fn on_mount_point(mount_point: &Option<String>) -> String {
    mount_point
        .as_ref()
        .map(|m| format!(" on {m}"))
        .unwrap_or_default()
}

impl BuildError {
    /// The task condition type and reason this failure sets to False.
    pub fn condition(&self) -> (&'static str, &'static str) {
        match self {
            Self::InvalidTemplate { .. } | Self::NotStored => {
                (types::POD_CREATED, reasons::INVALID_POD_TEMPLATE)
            }
            Self::IncompatibleWeapon { .. } => {
                (types::WEAPONS_COMPATIBLE, reasons::INCOMPATIBLE_WEAPON)
            }
            Self::WeaponNotFound { .. } => (types::WEAPONS_COMPATIBLE, reasons::WEAPON_NOT_FOUND),
            Self::DeprecatedWeapon { .. } => {
                (types::WEAPONS_COMPATIBLE, reasons::WEAPON_DEPRECATED)
            }
            Self::WeaponNotLent { .. } => (types::WEAPONS_BORROWED, reasons::WAITING_FOR_WEAPON),
        }
    }
}

/// An environment variable with a plain value.
pub fn env_var(name: &str, value: &str) -> EnvVar {
    EnvVar {
        name: name.to_string(),
        value: Some(value.to_string()),
        value_from: None,
    }
}

/// `own` with `ours` appended, dropping any of `own` that `ours` sets: the
/// controller's values win, and a name appears once.
pub fn merge_env(mut own: Vec<EnvVar>, ours: Vec<EnvVar>) -> Vec<EnvVar> {
    own.retain(|e| !ours.iter().any(|o| o.name == e.name));
    own.extend(ours);
    own
}
