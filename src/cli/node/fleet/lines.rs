//! Where each field of a fleet file sits. `serde_yaml_ng` gives values without
//! positions, so the text is read a second time with `yaml-rust2`'s marked
//! events, mapping every field path to its line. (`validate` has its own map
//! for missions, private to it.)

use std::collections::HashMap;
use std::fmt;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// One step from a node to a child.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// A field path from a document's root, written as the API server writes
/// them: `items[0].metadata.labels[aircraft.mil/type]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Path(Vec<Segment>);

impl Path {
    pub fn key(&self, key: &str) -> Path {
        let mut segments = self.0.clone();
        segments.push(Segment::Key(key.to_string()));
        Path(segments)
    }

    pub fn index(&self, index: usize) -> Path {
        let mut segments = self.0.clone();
        segments.push(Segment::Index(index));
        Path(segments)
    }

    fn parent(&self) -> Option<Path> {
        let (_, parent) = self.0.split_last()?;
        Some(Path(parent.to_vec()))
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (position, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(key)
                    if !key.is_empty()
                        && key
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
                {
                    if position > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(key)?;
                }
                Segment::Key(key) => write!(f, "[{key}]")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// Field path → line (1-based) for one document.
#[derive(Debug, Clone, Default)]
pub struct LineMap(HashMap<Path, usize>);

impl LineMap {
    /// The line of `path`, or of its nearest ancestor written in the text.
    pub fn line(&self, path: &Path) -> Option<usize> {
        let mut current = Some(path.clone());
        while let Some(path) = current {
            if let Some(line) = self.0.get(&path) {
                return Some(*line);
            }
            current = path.parent();
        }
        None
    }
}

/// The line maps of every document in `text`, in order. A syntax error ends
/// the scan quietly: the value parse reports it.
pub fn scan(text: &str) -> Vec<LineMap> {
    let mut receiver = Receiver::default();
    // Dropped on purpose: see above.
    let _ = Parser::new_from_str(text).load(&mut receiver, true);
    receiver.documents
}

enum Frame {
    Mapping {
        path: Path,
        /// The key whose value comes next; `None` while a key is expected.
        pending: Option<String>,
    },
    Sequence {
        path: Path,
        next: usize,
    },
}

#[derive(Default)]
struct Receiver {
    documents: Vec<LineMap>,
    stack: Vec<Frame>,
}

impl Receiver {
    /// Records the node starting here and returns its path (a key's path
    /// when the node is a mapping key).
    fn start(&mut self, scalar: Option<&str>, line: usize) -> Path {
        let path = match self.stack.last_mut() {
            None => Path::default(),
            Some(Frame::Sequence { path, next }) => {
                *next += 1;
                path.index(*next - 1)
            }
            Some(Frame::Mapping { path, pending }) => match pending.take() {
                Some(key) => path.key(&key),
                None => {
                    // A mapping or list as a key is filed under the empty key,
                    // which no Node field has.
                    let key = scalar.unwrap_or_default().to_string();
                    let field = path.key(&key);
                    *pending = Some(key);
                    self.record(field.clone(), line);
                    return field;
                }
            },
        };
        self.record(path.clone(), line);
        path
    }

    fn record(&mut self, path: Path, line: usize) {
        if let Some(map) = self.documents.last_mut() {
            map.0.entry(path).or_insert(line);
        }
    }

    fn open(&mut self, mapping: bool, line: usize) {
        let path = self.start(None, line);
        self.stack.push(if mapping {
            Frame::Mapping {
                path,
                pending: None,
            }
        } else {
            Frame::Sequence { path, next: 0 }
        });
    }
}

impl MarkedEventReceiver for Receiver {
    fn on_event(&mut self, event: Event, mark: Marker) {
        let line = mark.line();
        match event {
            Event::DocumentStart => {
                self.documents.push(LineMap::default());
                self.stack.clear();
            }
            Event::Scalar(value, ..) => {
                self.start(Some(&value), line);
            }
            Event::Alias(_) => {
                self.start(None, line);
            }
            Event::MappingStart(..) => self.open(true, line),
            Event::SequenceStart(..) => self.open(false, line),
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_list_items_map_to_their_lines() {
        let text = "kind: List\nitems:\n- kind: Node\n  metadata:\n    name: a\n    labels:\n      aircraft.mil/type: j20\n";
        let maps = scan(text);
        let labels = Path::default()
            .key("items")
            .index(0)
            .key("metadata")
            .key("labels");
        assert_eq!(maps[0].line(&labels.key("aircraft.mil/type")), Some(7));
        assert_eq!(maps[0].line(&labels.key("missing")), Some(6));
        assert_eq!(
            labels.key("aircraft.mil/type").to_string(),
            "items[0].metadata.labels[aircraft.mil/type]"
        );
    }

    #[test]
    fn every_document_has_its_own_map() {
        let maps = scan("a: 1\n---\nb:\n  c: 2\n");
        assert_eq!(maps.len(), 2);
        assert_eq!(maps[1].line(&Path::default().key("b").key("c")), Some(4));
    }
}
