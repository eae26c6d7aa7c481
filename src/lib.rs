//! kubectl-airforce: a kubectl plugin that is also the operator for air missions.
//!
//! The library holds everything testable; `main.rs` only parses arguments and
//! maps errors to exit codes. `api` is the data model, `validate` the offline
//! checks, `controller` the reconcilers and their pure plans, `scheduler` the
//! aircraft-scheduler's filters, scores and decisions, `install` the operator's
//! manifests, `cli` one module per command and `output` everything that renders
//! for a person.

pub mod api;
pub mod cli;
pub mod compat;
pub mod config_file;
pub mod controller;
pub mod graph;
pub mod http_endpoint;
pub mod install;
pub mod kube_client;
pub mod metrics;
pub mod operator;
pub mod output;
pub mod placement;
pub mod pod_security;
pub mod pod_template;
pub mod quantity;
pub mod scheduler;
pub mod validate;
pub mod weapon_link;
pub mod weapon_protocol;
pub mod weapon_sim;
