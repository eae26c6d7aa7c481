//! Condition types and reasons shared by every kind, in one place so the
//! controllers, the views and the tests agree on the strings.

pub use k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition;

/// Condition types.
pub mod types {
    /// Every kind carries it, for `kubectl wait --for=condition=Ready` and kstatus.
    pub const READY: &str = "Ready";
    pub const POD_CREATED: &str = "PodCreated";
    pub const POD_SCHEDULED: &str = "PodScheduled";
    pub const IMAGE_PULL_FAILED: &str = "ImagePullFailed";
    pub const WEAPONS_COMPATIBLE: &str = "WeaponsCompatible";
}

/// Condition reasons (CamelCase, as Kubernetes conventions ask).
pub mod reasons {
    pub const PENDING: &str = "Pending";
    pub const RUNNING: &str = "Running";
    pub const SUCCEEDED: &str = "Succeeded";
    pub const FAILED: &str = "Failed";
    pub const INVALID_POD_TEMPLATE: &str = "InvalidPodTemplate";
    pub const INCOMPATIBLE_WEAPON: &str = "IncompatibleWeapon";
    pub const WEAPON_NOT_FOUND: &str = "WeaponNotFound";
    pub const COMPATIBLE: &str = "Compatible";
    pub const SCHEDULED: &str = "Scheduled";
    pub const UNSCHEDULABLE: &str = "Unschedulable";
    pub const IMAGE_PULL_BACK_OFF: &str = "ImagePullBackOff";
}

/// Finds a condition by type.
pub fn find<'a>(conditions: &'a [Condition], type_: &str) -> Option<&'a Condition> {
    conditions.iter().find(|c| c.type_ == type_)
}

/// Whether the condition of this type is present with status "True".
pub fn is_true(conditions: &[Condition], type_: &str) -> bool {
    find(conditions, type_).is_some_and(|c| c.status == "True")
}
