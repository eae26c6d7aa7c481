//! Field paths inside a document, written the way the API server writes them:
//! `spec.stages[2].dependsOn[0]`.

use std::fmt;

/// One step from a node to one of its children.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// A path from the document root; the empty path is the document itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldPath(Vec<Segment>);

impl FieldPath {
    pub fn root() -> Self {
        Self::default()
    }

    /// This path followed by a mapping key.
    pub fn key(&self, key: impl Into<String>) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Key(key.into()));
        Self(segments)
    }

    /// This path followed by a list index.
    pub fn index(&self, index: usize) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Index(index));
        Self(segments)
    }

    /// This path followed by every segment of `tail`.
    pub fn join(&self, tail: &FieldPath) -> Self {
        let mut segments = self.0.clone();
        segments.extend(tail.0.iter().cloned());
        Self(segments)
    }

    /// The path one step up, or `None` at the root.
    pub fn parent(&self) -> Option<Self> {
        let (_, parent) = self.0.split_last()?;
        Some(Self(parent.to_vec()))
    }

    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The key the path ends in, if it ends in one.
    pub fn last_key(&self) -> Option<&str> {
        match self.0.last() {
            Some(Segment::Key(key)) => Some(key),
            _ => None,
        }
    }

    /// A path written as `containers[0].securityContext.privileged`, of plain
    /// keys and list indices.
    pub fn parse(text: &str) -> Self {
        let mut segments = Vec::new();
        for part in text.split('.').filter(|part| !part.is_empty()) {
            let mut pieces = part.split('[');
            if let Some(key) = pieces.next().filter(|key| !key.is_empty()) {
                segments.push(Segment::Key(key.to_string()));
            }
            for index in pieces {
                match index.trim_end_matches(']').parse() {
                    Ok(index) => segments.push(Segment::Index(index)),
                    Err(_) => segments.push(Segment::Key(index.trim_end_matches(']').to_string())),
                }
            }
        }
        Self(segments)
    }

    /// The path where deserializing failed, as `serde_path_to_error` records it.
    pub fn from_serde(path: &serde_path_to_error::Path) -> Self {
        use serde_path_to_error::Segment as Serde;
        let segments = path.iter().filter_map(|segment| match segment {
            Serde::Seq { index } => Some(Segment::Index(*index)),
            Serde::Map { key } => Some(Segment::Key(key.clone())),
            Serde::Enum { variant } => Some(Segment::Key(variant.clone())),
            Serde::Unknown => None,
        });
        Self(segments.collect())
    }
}

/// A key that is not a plain identifier (`aircraft.mil/type`, `a b`) is written in
/// brackets, so the dots of the path stay unambiguous.
fn is_plain_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (position, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(key) if is_plain_key(key) => {
                    if position > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(key)?;
                }
                Segment::Key(key) => write!(f, "[{}]", super::shorten::shorten(key, 60))?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_like_the_api_servers() {
        let path = FieldPath::root()
            .key("spec")
            .key("stages")
            .index(2)
            .key("dependsOn")
            .index(0);
        assert_eq!(path.to_string(), "spec.stages[2].dependsOn[0]");
    }

    #[test]
    fn keys_with_dots_are_bracketed() {
        let path = FieldPath::root()
            .key("metadata")
            .key("labels")
            .key("aircraft.mil/type");
        assert_eq!(path.to_string(), "metadata.labels[aircraft.mil/type]");
    }

    #[test]
    fn a_written_path_parses_back() {
        let text = "containers[0].securityContext.capabilities.add[1]";
        assert_eq!(FieldPath::parse(text).to_string(), text);
    }

    #[test]
    fn the_parent_of_the_root_is_none() {
        let path = FieldPath::root().key("spec");
        assert_eq!(path.parent(), Some(FieldPath::root()));
        assert_eq!(FieldPath::root().parent(), None);
    }
}
