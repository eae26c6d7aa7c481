//! Configuration files of the operator (`run --config`, `--scheduler-config`):
//! YAML where every field is optional, unknown fields are refused, and an
//! error names the file, the field and where every field is documented.

use std::path::Path;

use serde::de::DeserializeOwned;
use thiserror::Error;

/// Why a configuration file cannot be used.
#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("cannot read the configuration {source_name}: {source}")]
    Read {
        source_name: String,
        source: std::io::Error,
    },
    #[error(
        "{source_name}: {path}: {message}\n  fix or remove that field (a missing field takes its default; every field is listed in {example})"
    )]
    Parse {
        source_name: String,
        /// The field where reading failed, such as `weights.fuelLevel`.
        path: String,
        message: String,
        /// The example file that lists every field with its default.
        example: &'static str,
    },
    #[error("{source_name}: {path}: {problem}")]
    Invalid {
        source_name: String,
        path: String,
        /// What is wrong and what to write instead.
        problem: String,
    },
}

/// A configuration read from a YAML file: every field optional, checked
/// after reading by [`ConfigFile::validate`].
pub trait ConfigFile: DeserializeOwned + Default {
    /// The example file that lists every field with its default.
    const EXAMPLE: &'static str;

    /// The first field out of range: its path, and what is wrong and what to
    /// write instead.
    fn validate(&self) -> Result<(), (String, String)>;

    /// Rewrites a document written in another accepted form into this one;
    /// the default accepts this form only.
    fn rewrite(document: serde_yaml_ng::Value) -> Result<Rewritten, (String, String)> {
        Ok(Rewritten::unchanged(document))
    }

    /// Reads and checks the configuration file at `path`.
    fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let source_name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            source_name: source_name.clone(),
            source,
        })?;
        Self::from_yaml(&text, &source_name)
    }

    /// Reads and checks a configuration; `source_name` names it in errors. A
    /// file of comments only is an empty document: all defaults.
    fn from_yaml(text: &str, source_name: &str) -> Result<Self, ConfigError> {
        let parse_error = |path: String, message: String| ConfigError::Parse {
            source_name: source_name.to_string(),
            path,
            message,
            example: Self::EXAMPLE,
        };
        let invalid = |(path, problem): (String, String)| ConfigError::Invalid {
            source_name: source_name.to_string(),
            path,
            problem,
        };
        let value: serde_yaml_ng::Value = serde_yaml_ng::from_str(text)
            .map_err(|error| parse_error("(document)".into(), error.to_string()))?;
        if value.is_null() {
            let config = Self::default();
            config.validate().map_err(invalid)?;
            return Ok(config);
        }
        let rewritten = Self::rewrite(value).map_err(invalid)?;
        let config: Self =
            serde_path_to_error::deserialize(rewritten.document.clone()).map_err(|error| {
                let path = match error.path().to_string() {
                    path if path == "." => "(document)".to_string(),
                    path => rewritten.source_path(&path),
                };
                parse_error(path, error.into_inner().to_string())
            })?;
        config
            .validate()
            .map_err(|(path, problem)| invalid((rewritten.source_path(&path), problem)))?;
        Ok(config)
    }
}

/// A document rewritten into a configuration's own form, and where each
/// rewritten field came from, so that errors name the field as the file
/// wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct Rewritten {
    pub document: serde_yaml_ng::Value,
    /// `(path in the document, path in the file)`, for every moved field.
    pub moved: Vec<(String, String)>,
}

impl Rewritten {
    /// A document already in the configuration's own form.
    pub fn unchanged(document: serde_yaml_ng::Value) -> Self {
        Rewritten {
            document,
            moved: Vec::new(),
        }
    }

    /// Where the field at `path` of the document was written in the file:
    /// the longest moved path it falls under, renamed.
    pub fn source_path(&self, path: &str) -> String {
        let under = |prefix: &str| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
        };
        (self.moved.iter())
            .filter(|(moved, _)| under(moved))
            .max_by_key(|(moved, _)| moved.len())
            .map_or_else(
                || path.to_string(),
                |(moved, source)| format!("{source}{}", &path[moved.len()..]),
            )
    }
}
