//! Reading what `-f` names: files, the YAML files of a directory, or `-` for
//! standard input.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::guard::MAX_FILE_BYTES;

/// The text of one file, with the name messages use for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The path as given, or `-` for standard input.
    pub name: String,
    /// Empty when the file is too large to read.
    pub text: String,
    /// The file is over [`MAX_FILE_BYTES`] and was not read.
    pub too_large: bool,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
            too_large: false,
        }
    }

    /// Reads `reader` up to the size limit; a larger file is not read further.
    fn read(name: String, reader: impl Read) -> std::io::Result<Self> {
        let mut bytes = Vec::new();
        reader.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Ok(Self {
                too_large: true,
                ..Self::new(name, String::new())
            });
        }
        let text = String::from_utf8(bytes)
            .map_err(|error| std::io::Error::new(std::io::ErrorKind::InvalidData, error))?;
        Ok(Self::new(name, text))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    #[error("cannot read {path}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot list the directory {path}")]
    ReadDir {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read standard input")]
    Stdin(#[source] std::io::Error),
    #[error("the directory {path} holds no .yaml or .yml files")]
    EmptyDirectory { path: String },
    #[error("cannot list the weapons in the cluster")]
    ListWeapons(#[source] kube::Error),
    #[error("the cluster did not list its weapons within {0:?}")]
    Timeout(std::time::Duration),
}

/// Reads every path in order; a directory contributes its `*.yaml` and `*.yml`
/// files sorted by name (not its subdirectories), `-` reads standard input.
pub fn read_sources(paths: &[PathBuf]) -> Result<Vec<Source>, ValidateError> {
    let mut sources = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            let source =
                Source::read("-".to_string(), std::io::stdin()).map_err(ValidateError::Stdin)?;
            sources.push(source);
        } else if path.is_dir() {
            for file in yaml_files(path)? {
                sources.push(read_file(&file)?);
            }
        } else {
            sources.push(read_file(path)?);
        }
    }
    Ok(sources)
}

fn read_file(path: &Path) -> Result<Source, ValidateError> {
    let name = path.display().to_string();
    let read = std::fs::File::open(path).and_then(|file| Source::read(name.clone(), file));
    read.map_err(|source| ValidateError::Read { path: name, source })
}

fn yaml_files(dir: &Path) -> Result<Vec<PathBuf>, ValidateError> {
    let list_error = |source| ValidateError::ReadDir {
        path: dir.display().to_string(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(list_error)? {
        let path = entry.map_err(list_error)?.path();
        let is_yaml = path
            .extension()
            .is_some_and(|extension| extension == "yaml" || extension == "yml");
        if is_yaml && path.is_file() {
            files.push(path);
        }
    }
    if files.is_empty() {
        return Err(ValidateError::EmptyDirectory {
            path: dir.display().to_string(),
        });
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_yields_its_yaml_files_in_order() {
        let dir = std::env::temp_dir().join(format!("airforce-sources-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("nested")).expect("temp dir");
        for name in ["b.yml", "a.yaml", "notes.txt", "nested/c.yaml"] {
            std::fs::write(dir.join(name), name).expect("temp file");
        }
        let sources = read_sources(std::slice::from_ref(&dir)).expect("readable");
        std::fs::remove_dir_all(&dir).expect("cleanup");
        let texts: Vec<&str> = sources.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["a.yaml", "b.yml"]);
    }

    #[test]
    fn a_missing_file_names_the_path() {
        let error = read_sources(&[PathBuf::from("no/such/mission.yaml")]).unwrap_err();
        assert_eq!(error.to_string(), "cannot read no/such/mission.yaml");
    }
}
