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
        let value: serde_yaml_ng::Value = serde_yaml_ng::from_str(text)
            .map_err(|error| parse_error("(document)".into(), error.to_string()))?;
        let config: Self = if value.is_null() {
            Self::default()
        } else {
            serde_path_to_error::deserialize(value).map_err(|error| {
                let path = match error.path().to_string() {
                    path if path == "." => "(document)".to_string(),
                    path => path,
                };
                parse_error(path, error.into_inner().to_string())
            })?
        };
        config
            .validate()
            .map_err(|(path, problem)| ConfigError::Invalid {
                source_name: source_name.to_string(),
                path,
                problem,
            })?;
        Ok(config)
    }
}
