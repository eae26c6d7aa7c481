//! The operator's controllers: each decides in a pure plan function
//! what should exist and which phase comes next, and a thin reconciler applies it.

pub mod aircraft;
pub mod aircraft_plan;
pub mod apply;
pub mod backoff;
pub mod children;
pub mod config;
pub mod context;
pub mod error;
pub mod expectations;
pub mod fault_marks;
pub mod fingerprint;
pub mod flight_task;
pub mod launch_window;
pub mod mission;
pub mod mission_plan;
#[cfg(test)]
mod mock_api;
pub mod names;
pub mod pod_builder;
pub mod pod_parts;
pub mod pod_state;
pub mod pool_plan;
pub mod preload_plan;
pub mod progress;
pub mod report;
pub mod retry;
pub mod shared_cache;
pub mod stage;
pub mod stage_plan;
#[cfg(test)]
pub(crate) mod task_fixtures;
pub mod task_plan;
pub mod task_status;
pub mod watch;
pub mod weapon;
pub mod weapon_plan;
pub mod weapon_sidecars;
