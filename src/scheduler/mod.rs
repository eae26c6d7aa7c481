//! The aircraft-scheduler. What a pod asks for, what each node
//! offers, the filter and score plugins and the decision with its explanation
//! are pure; `runner` is the loop that watches, binds and records,
//! with `queue` (which pods to try), `node_changes` (which node events
//! matter) and `snapshot` (the nodes of one cycle).

pub mod affinity;
pub mod config;
pub mod decision;
#[cfg(test)]
mod fixtures;
mod node_changes;
pub mod node_info;
pub mod plugins;
pub mod pod_request;
pub mod queue;
pub mod reading;
pub mod runner;
pub mod snapshot;
