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

/// Reads the file at `path`; see [`from_yaml`].
pub fn from_file<T: DeserializeOwned + Default>(
    path: &Path,
    example: &'static str,
) -> Result<T, ConfigError> {
    let source_name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        source_name: source_name.clone(),
        source,
    })?;
    from_yaml(&text, &source_name, example)
}

/// Reads a configuration; `source_name` names it in errors, `example` is the
/// file that documents every field. A file of comments only is an empty
/// document: all defaults.
pub fn from_yaml<T: DeserializeOwned + Default>(
    text: &str,
    source_name: &str,
    example: &'static str,
) -> Result<T, ConfigError> {
    let parse_error = |path: String, message: String| ConfigError::Parse {
        source_name: source_name.to_string(),
        path,
        message,
        example,
    };
    let value: serde_yaml_ng::Value = serde_yaml_ng::from_str(text)
        .map_err(|error| parse_error("(document)".into(), error.to_string()))?;
    if value.is_null() {
        return Ok(T::default());
    }
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = match error.path().to_string() {
            path if path == "." => "(document)".to_string(),
            path => path,
        };
        parse_error(path, error.into_inner().to_string())
    })
}

/// The error for the first field [`from_yaml`]'s caller found out of range.
pub fn invalid(source_name: &str, (path, problem): (String, String)) -> ConfigError {
    ConfigError::Invalid {
        source_name: source_name.to_string(),
        path,
        problem,
    }
}
