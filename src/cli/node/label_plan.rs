//! The pure core of `node label`: arguments to settings, settings to edits,
//! and what the edits change on a node — before and after — with the merge
//! patch that makes the change. No I/O, so every message is tested.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::aircraft_key::{AircraftKey, KeyError};
use crate::api::aircraft::fuel_status;

/// A problem with one argument or file entry; `at` says where, as the user
/// wrote it (`--fuel 120`, `fuel.level=120`, `fleet.yaml:12: …`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{at}: {reason}")]
pub struct Problem {
    pub at: String,
    pub reason: String,
}

impl Problem {
    pub fn new(at: impl Into<String>, reason: impl ToString) -> Problem {
        Problem {
            at: at.into(),
            reason: reason.to_string(),
        }
    }
}

/// One key to set (`Some`) or remove (`None`), and the argument that said so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub argument: String,
    pub key: AircraftKey,
    pub value: Option<String>,
}

impl Setting {
    /// A flag's value, checked: `--fuel 95`.
    pub fn flag(flag: &str, key: AircraftKey, value: &str) -> Result<Setting, String> {
        let value = key.check(value)?;
        Ok(Setting {
            argument: format!("{flag} {value}"),
            key,
            value: Some(value),
        })
    }
}

/// What a positional argument of `node label` is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Argument {
    Node(String),
    Setting(Result<Setting, Problem>),
}

/// `KEY=VALUE` sets, `KEY-` removes (kubectl label's syntax), anything else
/// names a node — except a bare aircraft key, which is a setting missing its value.
pub fn classify(arg: &str) -> Argument {
    let problem = |reason: String| Argument::Setting(Err(Problem::new(arg, reason)));
    if let Some((key, value)) = arg.split_once('=') {
        let key = match AircraftKey::parse(key) {
            Ok(key) => key,
            Err(error) => return problem(error.to_string()),
        };
        return match key.check(value) {
            Ok(value) => Argument::Setting(Ok(Setting {
                argument: arg.to_string(),
                key,
                value: Some(value),
            })),
            Err(reason) => problem(reason),
        };
    }
    if let Some(key) = arg.strip_suffix('-') {
        return match AircraftKey::parse(key) {
            Ok(key) => Argument::Setting(Ok(Setting {
                argument: arg.to_string(),
                key,
                value: None,
            })),
            Err(error) => problem(error.to_string()),
        };
    }
    match AircraftKey::parse(arg) {
        Ok(_) => problem(format!(
            "a key needs a value: {arg}=VALUE sets it, {arg}- removes it"
        )),
        Err(KeyError::NotAircraft(_)) => Argument::Node(arg.to_string()),
        Err(error) => problem(error.to_string()),
    }
}

/// The keys to set or remove on every node named, each given once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edits(BTreeMap<AircraftKey, Option<String>>);

impl Edits {
    /// Collects the settings; a key given twice with different values, or the
    /// derived fuel status given at all, is a problem.
    pub fn from_settings(settings: Vec<Setting>) -> Result<Edits, Vec<Problem>> {
        let mut given: BTreeMap<AircraftKey, Setting> = BTreeMap::new();
        let mut problems = Vec::new();
        for setting in settings {
            if setting.key == AircraftKey::FuelStatus {
                problems.push(Problem::new(
                    &setting.argument,
                    "fuel.status follows fuel.level (high above 70, medium above 30, else low): \
                     set fuel.level instead",
                ));
                continue;
            }
            match given.get(&setting.key) {
                Some(earlier) if earlier.value != setting.value => {
                    problems.push(Problem::new(
                        &setting.argument,
                        format!(
                            "{} is also given as {}: give each key once",
                            setting.key.short(),
                            earlier.argument
                        ),
                    ));
                }
                Some(_) => {}
                None => {
                    given.insert(setting.key.clone(), setting);
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Edits(
            (given.into_iter())
                .map(|(key, setting)| (key, setting.value))
                .collect(),
        ))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The edits plus the fuel status that follows from a fuel level given.
    fn with_derived(&self) -> BTreeMap<AircraftKey, Option<String>> {
        let mut all = self.0.clone();
        if let Some(level) = self.0.get(&AircraftKey::FuelLevel) {
            let status = level
                .as_deref()
                .and_then(|level| level.parse::<u8>().ok())
                .map(|level| fuel_status(level).to_string());
            all.insert(AircraftKey::FuelStatus, status);
        }
        all
    }

    /// Every key the edits touch on a node with these labels and annotations,
    /// before and after, changed or not.
    pub fn plan(
        &self,
        node: &str,
        labels: &BTreeMap<String, String>,
        annotations: &BTreeMap<String, String>,
    ) -> NodePlan {
        let changes = (self.with_derived().into_iter())
            .map(|(key, after)| {
                let current = if key.is_annotation() {
                    annotations
                } else {
                    labels
                };
                Change {
                    before: current.get(&key.full()).cloned(),
                    key,
                    after,
                }
            })
            .collect();
        NodePlan {
            node: node.to_string(),
            changes,
        }
    }
}

/// One key of one node, before and after; `None` is absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub key: AircraftKey,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl Change {
    pub fn changed(&self) -> bool {
        self.before != self.after
    }
}

/// What `node label` does to one node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodePlan {
    pub node: String,
    pub changes: Vec<Change>,
}

impl NodePlan {
    /// Whether the node needs a write: a second identical run does not.
    pub fn changes_nothing(&self) -> bool {
        !self.changes.iter().any(Change::changed)
    }

    /// A JSON merge patch of the changed keys only (`null` removes), so keys
    /// other people and controllers own are never touched.
    pub fn merge_patch(&self) -> Value {
        let mut labels = Map::new();
        let mut annotations = Map::new();
        for change in self.changes.iter().filter(|c| c.changed()) {
            let section = if change.key.is_annotation() {
                &mut annotations
            } else {
                &mut labels
            };
            section.insert(change.key.full(), json!(change.after));
        }
        let mut metadata = Map::new();
        if !labels.is_empty() {
            metadata.insert("labels".into(), Value::Object(labels));
        }
        if !annotations.is_empty() {
            metadata.insert("annotations".into(), Value::Object(annotations));
        }
        json!({ "metadata": metadata })
    }
}

/// A node's plan as `-o json` prints it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanView<'a> {
    pub node: &'a str,
    /// `labeled` or `unchanged`.
    pub result: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<&'static str>,
    pub changes: Vec<ChangeView<'a>>,
}

#[derive(Debug, Serialize)]
pub struct ChangeView<'a> {
    pub key: String,
    pub kind: &'static str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
    pub changed: bool,
}

impl NodePlan {
    pub fn view(&self, dry_run: Option<&'static str>) -> PlanView<'_> {
        PlanView {
            node: &self.node,
            result: self.result(),
            dry_run,
            changes: (self.changes.iter())
                .map(|change| ChangeView {
                    key: change.key.full(),
                    kind: if change.key.is_annotation() {
                        "annotation"
                    } else {
                        "label"
                    },
                    before: change.before.as_deref(),
                    after: change.after.as_deref(),
                    changed: change.changed(),
                })
                .collect(),
        }
    }

    /// What kubectl would say: `labeled`, or `unchanged` when nothing differs.
    pub fn result(&self) -> &'static str {
        if self.changes_nothing() {
            "unchanged"
        } else {
            "labeled"
        }
    }
}

#[cfg(test)]
mod tests;
