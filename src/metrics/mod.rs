//! The process's Prometheus metrics: the registry the controllers, the
//! scheduler and the kube client count into, and the layer on the client that
//! counts API requests.

mod registry;
mod requests;
mod scheduler;

pub use registry::{
    MetricLabel, Metrics, WeaponSample, count_cached_phases, global, report_cached_task_weapons,
};
pub use requests::CountRequestsLayer;
pub use scheduler::{AttemptResult, SchedulerMetrics};
