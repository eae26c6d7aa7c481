//! The `airforce.mil/v1alpha1` API: custom resource types only, no client calls.
//!
//! Mission → MissionStage → FlightTask → Pod, plus Weapon; aircraft are Nodes
//! described by the labels in [`aircraft`].

pub mod aircraft;
pub mod armoury;
pub mod conditions;
pub mod duration;
pub mod fault_marks;
pub mod field_managers;
pub mod flight_task;
pub mod gate;
pub mod keys;
pub mod mission;
pub mod naming;
pub mod phase;
pub mod priority;
pub mod schema;
pub mod stage;
pub mod weapon;
pub mod weapon_pool;

pub use flight_task::{
    AircraftRequirement, AttemptFailure, FlightTask, FlightTaskSpec, FlightTaskStatus, TaskPolicy,
    TaskTemplate, TaskWeaponStatus, WeaponLoadout, WeaponRef,
};
pub use mission::{
    FailurePolicy, Mission, MissionConfig, MissionSpec, MissionStatus, MissionTask,
    StageFailureAction, StageTemplate, StageType, SuspendMode,
};
pub use phase::{FlightTaskPhase, MissionPhase, StagePhase};
pub use priority::Priority;
pub use stage::{MissionStage, MissionStageSpec, MissionStageStatus};
pub use weapon::{Weapon, WeaponSpec, WeaponStatus};

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::CustomResourceExt;

/// The API group of every kind this tool defines.
pub const GROUP: &str = "airforce.mil";
/// The only served and stored version.
pub const VERSION: &str = "v1alpha1";
/// `apiVersion` as written in manifests.
pub const API_VERSION: &str = "airforce.mil/v1alpha1";

/// Every CRD, in the order they are installed (parents first).
pub fn all_crds() -> Vec<CustomResourceDefinition> {
    vec![
        Mission::crd(),
        MissionStage::crd(),
        FlightTask::crd(),
        Weapon::crd(),
    ]
}
