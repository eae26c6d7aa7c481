//! What a file may be before it is read into values: how deep it nests, how
//! many values it stands for once its aliases are expanded, and how long its
//! lists are where the schema bounds them. Checked on the YAML parser's events,
//! pulled one at a time and never held, so a hostile file costs one pass that
//! stops at the first limit; the readers after it (the value parse, the line
//! map, the schema walk), which recurse and expand aliases, only ever see a
//! document they can hold.

use std::collections::HashMap;

use airforce_yaml_events::{Event, Events};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::{
    JSONSchemaProps, JSONSchemaPropsOrArray, JSONSchemaPropsOrBool,
};

use super::diagnostic::{Finding, Rule};
use super::path::FieldPath;
use super::schema_messages::plural;
use super::schemas::{MISSION, WEAPON};

/// The largest file read, in bytes: the API server takes no request body
/// over 3 MiB, and etcd stores no object over 1.5 MiB, so a larger file could
/// never be submitted whole.
pub const MAX_FILE_BYTES: u64 = 3 * 1024 * 1024;

/// The deepest nesting of mappings and lists. The deepest field of a mission
/// (a node affinity term inside a task's pod template) sits about 15 levels
/// down; 64 leaves room for any pod template while keeping every recursive
/// reader far from the end of its stack.
pub const MAX_DEPTH: usize = 64;

/// The most values one document may stand for once every alias is expanded.
/// A mission at the schema's limits (20 stages of 100 tasks, each with a pod
/// template of a few dozen fields) stays near 100,000; a few aliases can make
/// a small file stand for billions, which no reader could hold.
pub const MAX_VALUES: usize = 250_000;

/// Why a file is not read any further: one finding, at a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub finding: Finding,
    /// 1-based; `None` for the file as a whole.
    pub line: Option<usize>,
}

/// Checks `text` against the limits. A syntax error is not a refusal: the
/// value parse that follows reports it with its own words.
pub fn check(text: &str) -> Result<(), Refusal> {
    let mut walk = Walk::default();
    for next in Events::new(text) {
        let (event, mark) = match next {
            Ok(next) => next,
            // The scanner counts flow nesting in a byte and reads ahead of
            // the events, so brackets nested past 255 end here first.
            Err(error) if error.info() == "recursion limit exceeded" => {
                return Err(Refusal {
                    finding: too_deep(),
                    line: Some(error.marker().line()),
                });
            }
            Err(_) => return Ok(()),
        };
        walk.on(event).map_err(|finding| Refusal {
            finding,
            line: Some(mark.line()),
        })?;
    }
    Ok(())
}

fn too_deep() -> Finding {
    let message = format!(
        "mappings and lists nest deeper than {MAX_DEPTH} levels here; no mission or weapon \
         field sits that deep"
    );
    Finding::error(Rule::Limit, FieldPath::root(), message)
        .hint("check the indentation and the brackets around this line")
}

/// The refusal of a file over [`MAX_FILE_BYTES`].
pub fn too_large() -> Refusal {
    let message = format!(
        "the file is larger than {} MiB, the largest request the API server takes",
        MAX_FILE_BYTES / (1024 * 1024)
    );
    Refusal {
        finding: Finding::error(Rule::Limit, FieldPath::root(), message)
            .hint("split the missions and weapons into several files"),
        line: None,
    }
}

enum Frame {
    Mapping {
        path: FieldPath,
        /// The key whose value comes next; `None` while a key is expected.
        pending_key: Option<String>,
    },
    Sequence {
        path: FieldPath,
        items: usize,
        /// The schema's `maxItems` for this list, when the schema knows it.
        max_items: Option<i64>,
    },
    /// A mapping or list used as a key: nothing in it has a field path.
    ComplexKey,
}

/// An open node that carries an anchor: how many values were counted when it
/// opened, so its expanded size is known when it closes.
struct Anchored {
    id: usize,
    depth: usize,
    values_before: usize,
}

#[derive(Default)]
struct Walk {
    stack: Vec<Frame>,
    /// The document's kind, once its top-level `kind` was read.
    kind: Option<String>,
    /// Values of the current document, aliases counted as what they stand for.
    values: usize,
    /// Anchor id → how many values the anchored node stands for.
    sizes: HashMap<usize, usize>,
    anchored: Vec<Anchored>,
}

impl Walk {
    fn on(&mut self, event: Event) -> Result<(), Finding> {
        match event {
            Event::DocumentStart => *self = Walk::default(),
            Event::Scalar(value, _, anchor, _) => {
                self.count(1)?;
                if anchor > 0 {
                    self.sizes.insert(anchor, 1);
                }
                if self.at_top_level_kind() {
                    self.kind = Some(value.clone());
                }
                self.leaf(Some(&value))?;
            }
            Event::Alias(anchor) => {
                let size = self.sizes.get(&anchor).copied().unwrap_or(1);
                self.count(size)?;
                self.leaf(None)?;
            }
            Event::MappingStart(anchor, _) => self.open(true, anchor)?,
            Event::SequenceStart(anchor, _) => self.open(false, anchor)?,
            Event::MappingEnd | Event::SequenceEnd => self.close(),
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
        Ok(())
    }

    fn count(&mut self, values: usize) -> Result<(), Finding> {
        self.values = self.values.saturating_add(values);
        if self.values <= MAX_VALUES {
            return Ok(());
        }
        let message = format!(
            "the document stands for more than {MAX_VALUES} values once its aliases are \
             expanded; no mission or weapon needs that many"
        );
        Err(
            Finding::error(Rule::Limit, FieldPath::root(), message).hint(
                "an alias (*name) repeats everything its anchor (&name) holds: repeat less, or \
             split the document",
            ),
        )
    }

    /// Whether the next value is that of the document's top-level `kind`.
    fn at_top_level_kind(&self) -> bool {
        matches!(
            self.stack.as_slice(),
            [Frame::Mapping { pending_key: Some(key), .. }] if key == "kind"
        )
    }

    /// Files a scalar or an alias under its parent, without the path only a
    /// mapping or a list needs: a list of a million scalars stays cheap.
    fn leaf(&mut self, scalar: Option<&str>) -> Result<(), Finding> {
        match self.stack.last_mut() {
            None | Some(Frame::ComplexKey) => Ok(()),
            Some(Frame::Sequence { items, .. }) => {
                *items += 1;
                self.check_items()
            }
            Some(Frame::Mapping { pending_key, .. }) => {
                *pending_key = match pending_key.take() {
                    Some(_) => None,
                    None => Some(scalar.unwrap_or_default().to_string()),
                };
                Ok(())
            }
        }
    }

    /// Files a new mapping or list under its parent and returns its path,
    /// when it has one; a list that grows past its `maxItems` is refused
    /// there, before the rest of it is read.
    fn enter(&mut self) -> Result<Option<FieldPath>, Finding> {
        let path = self.child();
        if matches!(self.stack.last(), Some(Frame::Sequence { .. })) {
            self.check_items()?;
        }
        Ok(path)
    }

    /// Files a new mapping or list under its parent and returns its path,
    /// when it has one.
    fn child(&mut self) -> Option<FieldPath> {
        match self.stack.last_mut() {
            None => Some(FieldPath::root()),
            Some(Frame::ComplexKey) => None,
            Some(Frame::Sequence { path, items, .. }) => {
                let item = path.index(*items);
                *items += 1;
                Some(item)
            }
            Some(Frame::Mapping { path, pending_key }) => match pending_key.take() {
                Some(key) => Some(path.key(key)),
                None => {
                    // A mapping or list used as a key has no field path: its
                    // value is filed under the empty key, which no schema has.
                    *pending_key = Some(String::new());
                    None
                }
            },
        }
    }

    fn open(&mut self, mapping: bool, anchor: usize) -> Result<(), Finding> {
        self.count(1)?;
        let key_position = matches!(
            self.stack.last(),
            Some(Frame::Mapping {
                pending_key: None,
                ..
            }) | Some(Frame::ComplexKey)
        );
        let path = self.enter()?;
        if self.stack.len() >= MAX_DEPTH {
            return Err(too_deep());
        }
        if anchor > 0 {
            self.anchored.push(Anchored {
                id: anchor,
                depth: self.stack.len(),
                values_before: self.values - 1,
            });
        }
        let frame = match path {
            Some(path) if !key_position && mapping => Frame::Mapping {
                path,
                pending_key: None,
            },
            Some(path) if !key_position => Frame::Sequence {
                max_items: self.max_items(&path),
                path,
                items: 0,
            },
            _ => Frame::ComplexKey,
        };
        self.stack.push(frame);
        Ok(())
    }

    fn close(&mut self) {
        self.stack.pop();
        let depth = self.stack.len();
        if let Some(last) = self.anchored.last()
            && last.depth == depth
        {
            let size = self.values - last.values_before;
            self.sizes.insert(last.id, size);
            self.anchored.pop();
        }
    }

    /// Refuses the innermost list when it has grown past its `maxItems`.
    fn check_items(&self) -> Result<(), Finding> {
        let Some(Frame::Sequence {
            path,
            items,
            max_items: Some(max),
        }) = self.stack.last()
        else {
            return Ok(());
        };
        if (*items as i64) <= *max {
            return Ok(());
        }
        let message = format!("must have at most {} (has more)", plural(*max, "item"));
        Err(Finding::error(Rule::ItemCount, path.clone(), message))
    }

    /// The schema's `maxItems` for the list at `path` of this document's kind.
    fn max_items(&self, path: &FieldPath) -> Option<i64> {
        let schema: &JSONSchemaProps = match self.kind.as_deref() {
            Some("Mission") => &MISSION,
            Some("Weapon") => &WEAPON,
            _ => return None,
        };
        schema_at(schema, path)?.max_items
    }
}

/// The schema of the node at `path`, following properties, additional
/// properties and list items.
fn schema_at<'a>(schema: &'a JSONSchemaProps, path: &FieldPath) -> Option<&'a JSONSchemaProps> {
    let mut current = schema;
    for segment in path.segments() {
        current = match segment {
            super::path::Segment::Key(key) => {
                let property = current.properties.as_ref().and_then(|p| p.get(key));
                match (property, &current.additional_properties) {
                    (Some(property), _) => property,
                    (None, Some(JSONSchemaPropsOrBool::Schema(schema))) => schema,
                    _ => return None,
                }
            }
            super::path::Segment::Index(_) => match &current.items {
                Some(JSONSchemaPropsOrArray::Schema(items)) => items,
                _ => return None,
            },
        };
    }
    Some(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str) -> Refusal {
        check(text).expect_err("refused")
    }

    fn mission(stages: &str) -> String {
        format!(
            "apiVersion: airforce.mil/v1alpha1\nkind: Mission\nmetadata: {{name: m}}\nspec:\n  stages:\n{stages}"
        )
    }

    #[test]
    fn an_ordinary_mission_passes() {
        let text = std::fs::read_to_string("examples/far-sea-strike.yaml").expect("the example");
        assert_eq!(check(&text), Ok(()));
    }

    #[test]
    fn nesting_past_the_limit_is_refused_where_it_happens() {
        let deep: String = (0..MAX_DEPTH + 1)
            .map(|depth| format!("{}a:\n", " ".repeat(depth)))
            .collect();
        let refusal = refused(&format!("{deep}{}1\n", " ".repeat(MAX_DEPTH + 1)));
        assert_eq!(refusal.finding.rule, Rule::Limit);
        assert_eq!(refusal.line, Some(MAX_DEPTH + 1));
        let shallow: String = (0..MAX_DEPTH - 1)
            .map(|depth| format!("{}a:\n", " ".repeat(depth)))
            .collect();
        assert_eq!(
            check(&format!("{shallow}{}1\n", " ".repeat(MAX_DEPTH))),
            Ok(())
        );
    }

    #[test]
    fn brackets_nested_past_what_the_scanner_counts_are_refused_too() {
        let refusal = refused(&format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)));
        assert_eq!(refusal.finding.rule, Rule::Limit);
        assert!(refusal.finding.message.contains("nest deeper than 64"));
    }

    #[test]
    fn aliases_count_as_what_they_stand_for() {
        let mut laughs = "a0: &a0 [x,x,x,x,x,x,x,x,x,x]\n".to_string();
        for level in 1..7 {
            let previous = vec![format!("*a{}", level - 1); 10].join(",");
            laughs.push_str(&format!("a{level}: &a{level} [{previous}]\n"));
        }
        let refusal = refused(&laughs);
        assert!(
            refusal
                .finding
                .message
                .contains("once its aliases are expanded")
        );
        assert_eq!(refusal.line, Some(6), "the level that crosses the limit");
        assert_eq!(
            check("a: &a {x: 1, y: [1, 2]}\nb: *a\nc: {<<: *a}\n"),
            Ok(())
        );
    }

    #[test]
    fn a_list_past_its_max_items_is_refused_before_the_rest_is_read() {
        let tasks: String = (0..101).map(|i| format!("    - name: t{i}\n")).collect();
        let refusal = refused(&mission(&format!("  - name: s\n    flightTasks:\n{tasks}")));
        assert_eq!(refusal.finding.rule, Rule::ItemCount);
        assert_eq!(
            refusal.finding.path.to_string(),
            "spec.stages[0].flightTasks"
        );
        assert_eq!(
            refusal.finding.message,
            "must have at most 100 items (has more)"
        );
        assert_eq!(refusal.line, Some(108), "at the 101st task");
        let names: Vec<String> = (0..21).map(|i| format!("s{i}")).collect();
        let refusal = refused(&mission(&format!(
            "  - name: s\n    dependsOn: [{}]\n",
            names.join(", ")
        )));
        assert_eq!(refusal.finding.path.to_string(), "spec.stages[0].dependsOn");
    }

    #[test]
    fn lists_of_other_kinds_or_unbounded_lists_are_left_to_the_value_limit() {
        let items: String = (0..200).map(|i| format!("    - name: t{i}\n")).collect();
        let text = format!("kind: Other\nspec:\n  stages:\n  - flightTasks:\n{items}");
        assert_eq!(check(&text), Ok(()));
    }
}
