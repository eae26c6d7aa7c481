//! The names this tool writes under, as server-side apply's field managers:
//! `managedFields` then tells which part of the tool owns a field, and each
//! writer's fields stay apart from the others' and from a person's.

/// Commands a person runs: `mission submit`, `retry`, `cancel`, `node label`,
/// `node clear-marks`, `install`.
pub const CLI: &str = "kubectl-airforce";
pub const MISSION_CONTROLLER: &str = "airforce.mil/mission-controller";
pub const STAGE_CONTROLLER: &str = "airforce.mil/stage-controller";
pub const FLIGHT_TASK_CONTROLLER: &str = "airforce.mil/flight-task-controller";
pub const WEAPON_CONTROLLER: &str = "airforce.mil/weapon-controller";
pub const AIRCRAFT_CONTROLLER: &str = "airforce.mil/aircraft-controller";
/// The aircraft-scheduler's status writes on the pods it binds.
pub const AIRCRAFT_SCHEDULER: &str = "aircraft-scheduler";
