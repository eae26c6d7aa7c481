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
mod graph;
mod guard;
mod limits;
mod lines;
mod path;
mod pod_template;
mod schema;
mod schema_messages;
mod schemas;
mod source;
mod stages;
mod suggest;
mod tasks;
mod weapons;

pub use cluster::cluster_weapons;
pub use diagnostic::{Diagnostic, Rule, Severity};
pub use document::{Kind, Manifest};
pub use lines::{LineMap, scan as scan_lines};
pub use path::FieldPath;
pub use source::{Source, ValidateError, read_sources};

use crate::api::{Mission, Weapon};
use crate::pod_security::Level;

/// What [`check`] knows besides the files.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The namespace of objects and references that name none: `-n`, the
    /// context's namespace when a cluster was reached, else "default".
    pub namespace: String,
    /// The weapons a cluster listed; `None` when no cluster was consulted.
    pub cluster_weapons: Option<Vec<Weapon>>,
    /// `--offline`: the weapon files given are the complete set, so a reference
    /// none of them defines is an error.
    pub offline: bool,
    /// Why no cluster was consulted, for the warning on unchecked references.
    pub cluster_error: Option<String>,
    /// `--pod-security`: pod templates must pass this Pod Security level, and
    /// what breaks it is an error. `None` reports every break as a warning.
    pub pod_security: Option<Level>,
}

impl CheckOptions {
    /// Options for checking without a cluster, in `namespace`.
    pub fn offline(namespace: impl Into<String>) -> Self {
        Self {
            namespace: namespace.into(),
            cluster_weapons: None,
            offline: true,
            cluster_error: None,
            pod_security: None,
        }
    }
}

/// The outcome of [`check`]: the objects that could be read, and every problem.
#[derive(Debug, Clone)]
pub struct Checked {
    /// How many sources were checked.
    pub files: usize,
    /// Each mission that could be read, with the file it came from; also those
    /// with problems, so check [`Checked::has_errors`] before using them.
    pub missions: Vec<(String, Mission)>,
    /// The weapons read from the files (not those of the cluster).
    pub weapons: Vec<Weapon>,
    /// Every Mission and Weapon document, in file order, as written: what
    /// `submit` applies once there is no error.
    pub manifests: Vec<Manifest>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// The missions read, without their files.
    pub fn missions(&self) -> impl Iterator<Item = &Mission> {
        self.missions.iter().map(|(_, mission)| mission)
    }

    /// The weapons read from the files.
    pub fn weapons(&self) -> impl Iterator<Item = &Weapon> {
        self.weapons.iter()
    }

    /// Whether some weapon reference could be checked only against a cluster.
    pub fn needs_cluster(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.rule == Rule::WeaponNotChecked)
    }
}

/// Checks every Mission and Weapon document in `sources` by every rule. Pure:
/// what the cluster knows comes in through `options`.
pub fn check(sources: &[Source], options: &CheckOptions) -> Checked {
    check::run(sources, Some(options))
}

/// Reads the Mission and Weapon documents in `sources` without judging them:
/// only what must hold to use them at all (YAML syntax, kinds, the schemas,
/// the types) is reported. For commands that use files without submitting them.
pub fn parse(sources: &[Source]) -> Checked {
    check::run(sources, None)
}
