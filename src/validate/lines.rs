//! Where each field sits in the YAML text. `serde_yaml_ng` gives values without
//! positions, so the same text is read a second time as marked events to map
//! every field path to its line. Mission files and fleet files share it.

use std::collections::{HashMap, HashSet};

use airforce_yaml_events::{Event, Events};

use super::path::FieldPath;

/// Field path → line (1-based) for one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineMap(HashMap<FieldPath, usize>);

impl LineMap {
    /// The line of `path`, or of its nearest ancestor that appears in the text: a
    /// missing field points at its parent, a field reached through an alias at
    /// the place the alias is used.
    pub fn line(&self, path: &FieldPath) -> Option<usize> {
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

/// A key that appears twice in one mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    pub document: usize,
    pub path: FieldPath,
    pub line: usize,
}

/// The line maps of every document in a text, in order.
#[derive(Debug, Default)]
pub struct Lines {
    pub documents: Vec<LineMap>,
    pub duplicate_keys: Vec<DuplicateKey>,
}

/// Maps the documents of `text`. A syntax error ends the scan quietly: the
/// documents before it keep their lines and the error itself is reported from
/// the value parse.
pub fn scan(text: &str) -> Lines {
    let mut receiver = Receiver::default();
    // A syntax error is deliberately dropped: see above.
    for (event, mark) in Events::new(text).map_while(Result::ok) {
        receiver.on_event(event, mark.line());
    }
    receiver.lines
}

enum Frame {
    Mapping {
        path: FieldPath,
        /// The key whose value comes next; `None` while a key is expected.
        pending_key: Option<String>,
        keys: HashSet<String>,
    },
    Sequence {
        path: FieldPath,
        next_index: usize,
    },
    /// Inside a key that is itself a mapping or list: nothing there has a path.
    ComplexKey {
        depth: usize,
    },
}

#[derive(Default)]
struct Receiver {
    lines: Lines,
    stack: Vec<Frame>,
}

impl Receiver {
    fn record(&mut self, path: FieldPath, line: usize) {
        if let Some(map) = self.lines.documents.last_mut() {
            map.0.entry(path).or_insert(line);
        }
    }

    /// Handles the start of a node: a scalar, an alias, or a mapping or list
    /// (`opens`), and returns the node's path when it has one.
    fn node(&mut self, scalar: Option<&str>, opens: bool, line: usize) -> Option<FieldPath> {
        let document = self.lines.documents.len().saturating_sub(1);
        match self.stack.last_mut() {
            None => {
                self.record(FieldPath::root(), line);
                Some(FieldPath::root())
            }
            Some(Frame::ComplexKey { depth }) => {
                if opens {
                    *depth += 1;
                }
                None
            }
            Some(Frame::Sequence { path, next_index }) => {
                let item = path.index(*next_index);
                *next_index += 1;
                self.record(item.clone(), line);
                Some(item)
            }
            Some(Frame::Mapping {
                path,
                pending_key,
                keys,
            }) => match pending_key.take() {
                Some(key) => Some(path.key(key)),
                None => {
                    let Some(key) = scalar else {
                        // An alias, mapping or list used as a key has no field path:
                        // its value is filed under the empty key, which no schema
                        // field has.
                        *pending_key = Some(String::new());
                        if opens {
                            self.stack.push(Frame::ComplexKey { depth: 1 });
                        }
                        return None;
                    };
                    let field = path.key(key);
                    if !keys.insert(key.to_string()) {
                        self.lines.duplicate_keys.push(DuplicateKey {
                            document,
                            path: field.clone(),
                            line,
                        });
                    }
                    *pending_key = Some(key.to_string());
                    self.record(field, line);
                    None
                }
            },
        }
    }

    fn open(&mut self, mapping: bool, line: usize) {
        let Some(path) = self.node(None, true, line) else {
            return;
        };
        self.stack.push(if mapping {
            Frame::Mapping {
                path,
                pending_key: None,
                keys: HashSet::new(),
            }
        } else {
            Frame::Sequence {
                path,
                next_index: 0,
            }
        });
    }

    fn close(&mut self) {
        if let Some(Frame::ComplexKey { depth }) = self.stack.last_mut() {
            *depth -= 1;
            if *depth > 0 {
                return;
            }
        }
        self.stack.pop();
    }

    fn on_event(&mut self, event: Event, line: usize) {
        match event {
            Event::DocumentStart => {
                self.lines.documents.push(LineMap::default());
                self.stack.clear();
            }
            Event::Scalar(value, ..) => {
                self.node(Some(&value), false, line);
            }
            Event::Alias(_) => {
                self.node(None, false, line);
            }
            Event::MappingStart(..) => self.open(true, line),
            Event::SequenceStart(..) => self.open(false, line),
            Event::MappingEnd | Event::SequenceEnd => self.close(),
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> FieldPath {
        let mut path = FieldPath::root();
        for part in text.split('.') {
            path = match part.parse::<usize>() {
                Ok(index) => path.index(index),
                Err(_) => path.key(part),
            };
        }
        path
    }

    #[test]
    fn block_mappings_and_lists_map_to_their_lines() {
        let lines = scan("spec:\n  stages:\n  - name: a\n    dependsOn:\n    - b\n  - name: b\n");
        let map = &lines.documents[0];
        assert_eq!(map.line(&path("spec.stages")), Some(2));
        assert_eq!(map.line(&path("spec.stages.0.name")), Some(3));
        assert_eq!(map.line(&path("spec.stages.0.dependsOn.0")), Some(5));
        assert_eq!(map.line(&path("spec.stages.1.name")), Some(6));
    }

    #[test]
    fn flow_style_maps_to_the_line_it_is_written_on() {
        let lines = scan("a: 1\nb: {c: [x,\n  y], d: 2}\n");
        let map = &lines.documents[0];
        assert_eq!(map.line(&path("b.c.0")), Some(2));
        assert_eq!(map.line(&path("b.c.1")), Some(3));
        assert_eq!(map.line(&path("b.d")), Some(3));
    }

    #[test]
    fn label_keys_of_list_items_map_to_their_lines() {
        let text = "kind: List\nitems:\n- metadata:\n    labels:\n      aircraft.mil/type: j20\n";
        let labels = FieldPath::root()
            .key("items")
            .index(0)
            .key("metadata")
            .key("labels");
        let map = &scan(text).documents[0];
        assert_eq!(map.line(&labels.key("aircraft.mil/type")), Some(5));
        assert_eq!(map.line(&labels.key("aircraft.mil/fuel")), Some(4));
    }

    #[test]
    fn a_missing_field_points_at_its_parent() {
        let lines = scan("spec:\n  stages: []\n");
        let map = &lines.documents[0];
        assert_eq!(map.line(&path("spec.stages.0.name")), Some(2));
    }

    #[test]
    fn fields_behind_an_alias_point_where_the_alias_is_used() {
        let text = "one: &req\n  type: j20\ntwo:\n  x: 1\n  req: *req\n";
        let map = &scan(text).documents[0];
        assert_eq!(map.line(&path("one.type")), Some(2));
        assert_eq!(map.line(&path("two.req.type")), Some(5));
    }

    #[test]
    fn every_document_has_its_own_map() {
        let lines = scan("a: 1\n---\nb: 2\n---\n# nothing\n---\nc:\n  d: 3\n");
        assert_eq!(lines.documents.len(), 4);
        assert_eq!(lines.documents[1].line(&path("b")), Some(3));
        assert_eq!(lines.documents[3].line(&path("c.d")), Some(8));
        assert_eq!(lines.documents[0].line(&path("b")), Some(1));
    }

    #[test]
    fn duplicate_keys_are_found_with_their_line() {
        let lines = scan("a: 1\nb:\n  c: 1\n  c: 2\n");
        assert_eq!(
            lines.duplicate_keys,
            vec![DuplicateKey {
                document: 0,
                path: path("b.c"),
                line: 4
            }]
        );
    }

    #[test]
    fn complex_keys_are_skipped_without_losing_the_rest() {
        let lines = scan("? [a, b]\n: 1\nc: 2\n");
        assert_eq!(lines.documents[0].line(&path("c")), Some(3));
    }

    #[test]
    fn documents_before_a_syntax_error_keep_their_lines() {
        let lines = scan("a: 1\n---\nb: [1,\n");
        assert_eq!(lines.documents[0].line(&path("a")), Some(1));
    }
}
