//! Fleet files for `node label --from-file`: YAML documents holding Nodes, or
//! Lists of Nodes as `kubectl get nodes -o yaml` and `examples/fleet.yaml`
//! write them. Only the `aircraft.mil/` labels and annotations are read; every
//! problem is placed by file, line and field path.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use super::aircraft_key::{AircraftKey, KeyError};
use super::label_plan::{Edits, Problem, Setting};
use crate::api::aircraft::{PREFIX, fuel_status};
use crate::validate::{FieldPath, LineMap, Source, scan_lines};

/// The aircraft keys one Node of a file sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetNode {
    pub name: String,
    pub edits: Edits,
    /// `fleet.yaml:7`, where the Node starts, for messages.
    pub at: String,
}

/// What the files hold, and what in them is left alone.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Fleet {
    pub nodes: Vec<FleetNode>,
    pub notes: Vec<String>,
}

/// Reads every Node of `sources`; any problem in any file fails the whole
/// fleet, so nothing is written from a file that is partly wrong.
pub fn parse(sources: &[Source]) -> Result<Fleet, Vec<Problem>> {
    let mut fleet = Fleet::default();
    let mut problems = Vec::new();
    for source in sources {
        let mut reader = FileReader {
            file: &source.name,
            lines: LineMap::default(),
            problems: &mut problems,
            ignored: BTreeSet::new(),
        };
        let found = reader.read(&source.text);
        if found.is_empty() && reader.problems.is_empty() {
            reader.problems.push(Problem::new(
                &source.name,
                "holds no Nodes: a fleet file lists Nodes with aircraft.mil/ labels, \
                 like examples/fleet.yaml",
            ));
        }
        if !reader.ignored.is_empty() {
            let keys: Vec<&str> = reader.ignored.iter().map(String::as_str).collect();
            fleet.notes.push(format!(
                "{}: left as they are (not set by node label): {}",
                source.name,
                keys.join(", ")
            ));
        }
        fleet.nodes.extend(found);
    }
    problems.extend(duplicates(&fleet.nodes));
    if problems.is_empty() {
        Ok(fleet)
    } else {
        Err(problems)
    }
}

fn duplicates(nodes: &[FleetNode]) -> Vec<Problem> {
    let mut first: HashMap<&str, &str> = HashMap::new();
    let mut problems = Vec::new();
    for node in nodes {
        match first.get(node.name.as_str()) {
            Some(earlier) => problems.push(Problem::new(
                &node.at,
                format!(
                    "node {} is also described at {earlier}: describe each node once",
                    node.name
                ),
            )),
            None => {
                first.insert(&node.name, &node.at);
            }
        }
    }
    problems
}

struct FileReader<'a> {
    file: &'a str,
    lines: LineMap,
    problems: &'a mut Vec<Problem>,
    /// Keys seen in the file that `node label` does not set.
    ignored: BTreeSet<String>,
}

impl FileReader<'_> {
    /// `fleet.yaml:12`: the file and the line of `path`.
    fn place(&self, path: &FieldPath) -> String {
        match self.lines.line(path) {
            Some(line) => format!("{}:{line}", self.file),
            None => self.file.to_string(),
        }
    }

    /// `fleet.yaml:12: items[0].metadata.name`.
    fn at(&self, path: &FieldPath) -> String {
        let place = self.place(path);
        if path == &FieldPath::root() {
            place
        } else {
            format!("{place}: {path}")
        }
    }

    fn problem(&mut self, path: &FieldPath, reason: impl ToString) {
        let problem = Problem::new(self.at(path), reason);
        self.problems.push(problem);
    }

    fn read(&mut self, text: &str) -> Vec<FleetNode> {
        let maps = scan_lines(text).documents;
        let mut nodes = Vec::new();
        for (position, document) in serde_yaml_ng::Deserializer::from_str(text).enumerate() {
            self.lines = maps.get(position).cloned().unwrap_or_default();
            let yaml = match <serde_yaml_ng::Value as serde::Deserialize>::deserialize(document) {
                Ok(yaml) => yaml,
                Err(error) => {
                    let line = error.location().map(|l| format!(":{}", l.line()));
                    self.problems.push(Problem::new(
                        format!("{}{}", self.file, line.unwrap_or_default()),
                        format!("invalid YAML: {error}"),
                    ));
                    // The stream cannot be resumed after an error.
                    break;
                }
            };
            match serde_json::to_value(yaml) {
                Ok(Value::Null) => {}
                Ok(value) => nodes.extend(self.document(&value)),
                Err(error) => self.problem(&FieldPath::root(), format!("not a Node: {error}")),
            }
        }
        nodes
    }

    /// A Node, or a List of them.
    fn document(&mut self, value: &Value) -> Vec<FleetNode> {
        let root = FieldPath::root();
        match value.get("kind").and_then(Value::as_str) {
            Some("Node") => self.node(value, &root).into_iter().collect(),
            Some("List" | "NodeList") => {
                let items = value.get("items").and_then(Value::as_array);
                let mut nodes = Vec::new();
                for (index, item) in items.into_iter().flatten().enumerate() {
                    let path = root.key("items").index(index);
                    match item.get("kind").and_then(Value::as_str) {
                        Some("Node") | None => nodes.extend(self.node(item, &path)),
                        Some(kind) => self.problem(&path.key("kind"), not_a_node(kind)),
                    }
                }
                nodes
            }
            Some(kind) => {
                self.problem(&root.key("kind"), not_a_node(kind));
                Vec::new()
            }
            None => {
                self.problem(&root, not_a_node("(none)"));
                Vec::new()
            }
        }
    }

    fn node(&mut self, value: &Value, path: &FieldPath) -> Option<FleetNode> {
        let metadata = path.key("metadata");
        let Some(name) = (value.pointer("/metadata/name")).and_then(Value::as_str) else {
            self.problem(
                &metadata.key("name"),
                "a Node needs metadata.name: the name of the node to label",
            );
            return None;
        };
        let mut settings = Vec::new();
        let mut given_fuel_status = None;
        for section in ["labels", "annotations"] {
            let section_path = metadata.key(section);
            let entries = value.get("metadata").and_then(|m| m.get(section));
            let Some(entries) = entries.filter(|e| !e.is_null()) else {
                continue;
            };
            let Some(entries) = entries.as_object() else {
                self.problem(
                    &section_path,
                    format!("metadata.{section} must be a mapping"),
                );
                continue;
            };
            for (key, raw) in entries {
                let at = section_path.key(key);
                let Some(setting) = self.entry(section, key, raw, &at) else {
                    continue;
                };
                if setting.key == AircraftKey::FuelStatus {
                    given_fuel_status = Some((setting, at));
                } else {
                    settings.push(setting);
                }
            }
        }
        if let Some((given, at)) = given_fuel_status {
            self.fuel_status(&given, &settings, &at);
        }
        let edits = match Edits::from_settings(settings) {
            Ok(edits) => edits,
            Err(problems) => {
                self.problems.extend(problems);
                return None;
            }
        };
        Some(FleetNode {
            name: name.to_string(),
            edits,
            at: self.place(path),
        })
    }

    /// One label or annotation, as a setting when it is an aircraft key.
    fn entry(&mut self, section: &str, key: &str, raw: &Value, at: &FieldPath) -> Option<Setting> {
        if !key.starts_with(PREFIX) {
            self.ignored.insert(key.to_string());
            return None;
        }
        let aircraft_key = match AircraftKey::parse(key) {
            Ok(parsed) => parsed,
            Err(KeyError::Managed) => {
                self.ignored.insert(key.to_string());
                return None;
            }
            Err(error) => {
                self.problem(at, error);
                return None;
            }
        };
        let wanted = if aircraft_key.is_annotation() {
            "annotations"
        } else {
            "labels"
        };
        if section != wanted {
            let reason = format!("{key} belongs in metadata.{wanted}: move it there");
            self.problem(at, reason);
            return None;
        }
        let text = match raw {
            Value::String(text) => text.clone(),
            Value::Number(number) => number.to_string(),
            Value::Bool(flag) => flag.to_string(),
            _ => {
                self.problem(at, "must be a single value, e.g. \"80\"");
                return None;
            }
        };
        match aircraft_key.check(&text) {
            Ok(value) => Some(Setting {
                argument: self.at(at),
                key: aircraft_key,
                value: Some(value),
            }),
            Err(reason) => {
                self.problem(at, format!("{text:?}: {reason}"));
                None
            }
        }
    }

    /// `fuel.status` is derived, but a file that states it must agree with its level.
    fn fuel_status(&mut self, given: &Setting, settings: &[Setting], at: &FieldPath) {
        let level = settings
            .iter()
            .find(|s| s.key == AircraftKey::FuelLevel)
            .and_then(|s| s.value.as_deref())
            .and_then(|level| level.parse::<u8>().ok());
        let given = given.value.as_deref().unwrap_or_default();
        match level {
            None => self.problem(
                at,
                "fuel.status follows fuel.level: give aircraft.mil/fuel.level instead",
            ),
            Some(level) if fuel_status(level) != given => {
                let derived = fuel_status(level);
                self.problem(
                    at,
                    format!(
                        "{given} does not follow from fuel.level {level}, which makes it \
                         {derived}: set it to {derived} or remove it (it is derived)"
                    ),
                );
            }
            Some(_) => {}
        }
    }
}

fn not_a_node(kind: &str) -> String {
    format!("kind {kind}: a fleet file holds Nodes, or a List of Nodes (see examples/fleet.yaml)")
}

#[cfg(test)]
mod tests;
