//! kubectl-airforce: a kubectl plugin that is also the operator for air missions.
//!
//! The library holds everything testable; `main.rs` only parses arguments and
//! maps errors to exit codes.

pub mod api;
