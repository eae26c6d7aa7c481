//! Offline checks of mission and weapon files: every problem in one pass, each
//! placed by file, line and field path, with a hint (`mission validate`, and
//! `mission submit` before it sends anything).
//!
//! [`read_sources`] reads what `-f` names, [`check`] is pure (no I/O): YAML
//! syntax, the CRDs' own OpenAPI schemas, then the rules a schema cannot say
//! (stage and task graphs, durations, loadouts, weapon compatibility, pod
//! templates). [`parse`] only reads. [`cluster_weapons`] lists the cluster's
//! weapons for the options.

mod check;
mod cluster;
mod diagnostic;
mod document;
mod envelope;
mod guard;
mod limits;
mod lines;
mod path;
mod pod_template;
mod schema;
mod schema_messages;
mod schemas;
mod shorten;
mod source;
mod stages;
mod suggest;
mod tasks;
mod weapons;

pub use check::{CheckOptions, Checked, check, parse};
pub use cluster::cluster_weapons;
pub use diagnostic::{Diagnostic, Rule, Severity};
pub use document::{Kind, Manifest};
pub use lines::{LineMap, scan as scan_lines};
pub use path::FieldPath;
pub use source::{Source, ValidateError, read_sources};
pub use weapons::{Origin, Resolved};
