//! What a check reports: a finding inside one document, and the diagnostic it
//! becomes once the file, the object and the line are known.

use serde::Serialize;

use super::path::FieldPath;
use super::shorten::shorten;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file would be refused or would fail: `validate` exits 1.
    Error,
    /// Worth knowing, but does not fail validation.
    Warning,
}

/// Which rule a diagnostic comes from, stable for programs reading `-o json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    YamlSyntax,
    /// A file past a size, nesting or expansion limit, not read any further.
    Limit,
    DuplicateKey,
    Document,
    Metadata,
    DuplicateObject,
    UnknownField,
    WrongType,
    NotAllowed,
    OutOfRange,
    Length,
    ItemCount,
    Pattern,
    Required,
    Deserialize,
    DuplicateStage,
    MissingDependency,
    SelfDependency,
    StageCycle,
    Duration,
    /// Warning: a stage's tasks could run past its timeout.
    TimeBudget,
    DuplicateTask,
    TaskDependencyOutsideMixed,
    MissingTaskDependency,
    TaskCycle,
    Quantity,
    MountPoints,
    DuplicateMountPoint,
    UnknownWeapon,
    WeaponNotChecked,
    IncompatibleAircraft,
    IncompatibleHardpoint,
    PodTemplate,
    /// A pod template breaks a Pod Security level.
    PodSecurity,
}

impl Rule {
    /// Rules enforced by the CRD's OpenAPI schema. A semantic rule about the same
    /// field says the same thing more precisely, so it wins over these.
    pub fn is_schema(self) -> bool {
        matches!(
            self,
            Self::UnknownField
                | Self::WrongType
                | Self::NotAllowed
                | Self::OutOfRange
                | Self::Length
                | Self::ItemCount
                | Self::Pattern
                | Self::Required
        )
    }
}

/// A problem at a path of one document, before it is placed in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub rule: Rule,
    pub path: FieldPath,
    pub message: String,
    pub hint: Option<String>,
}

impl Finding {
    pub fn error(rule: Rule, path: FieldPath, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            rule,
            path,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(rule: Rule, path: FieldPath, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(rule, path, message)
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// One reported problem, placed: which file, line, object and field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub rule: Rule,
    /// The file as given on the command line, `-` for standard input.
    pub file: String,
    /// 1-based; absent when the problem has no place in the text.
    pub line: Option<usize>,
    /// `Kind/name` of the object the problem is in, when known.
    pub object: Option<String>,
    /// The field, as `spec.stages[2].dependsOn[0]`; absent for problems of the
    /// file itself (YAML syntax).
    pub path: Option<String>,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The diagnostic with every text cut to a length a terminal shows: a
    /// value or key of megabytes is quoted by its start only.
    pub fn shortened(self) -> Self {
        Self {
            object: self.object.map(|object| shorten(&object, 120)),
            path: self.path.map(|path| shorten(&path, 240)),
            message: shorten(&self.message, 400),
            hint: self.hint.map(|hint| shorten(&hint, 400)),
            ..self
        }
    }
}
