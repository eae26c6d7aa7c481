//! The operator process around the controllers: running them and the
//! aircraft-scheduler together, electing a leader among replicas, and serving
//! health and metrics over HTTP.

pub mod leader;
pub mod readiness;
pub mod runner;
