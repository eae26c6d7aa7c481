//! The fleet as people read it: each aircraft node's labels and annotations
//! as written, the task pods on board, its health and fault marks. One view
//! model for `node list` and the web console's fleet page, built from one list
//! of nodes and one of task pods.

use std::collections::{BTreeMap, HashMap};

use k8s_openapi::api::core::v1::{Node, Pod};
use k8s_openapi::jiff::Timestamp;
use kube::ResourceExt;

use crate::api::aircraft::{annotations, compatible_weapons, labels};
use crate::api::duration;
use crate::api::fault_marks::{self, FaultMark};
use crate::api::keys::TASK_LABEL;

/// What a table shows for a value that is not set.
pub const NONE: &str = "<none>";

/// One node as an aircraft: its labels and annotations as written, the task
/// pods on board and its Ready condition.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Aircraft {
    pub name: String,
    pub aircraft_type: Option<String>,
    pub status: Option<String>,
    pub fuel_level: Option<String>,
    pub fuel_status: Option<String>,
    pub zone: Option<String>,
    pub hardpoints: Option<String>,
    pub maintenance: Option<String>,
    /// Capability name → label value.
    pub capabilities: BTreeMap<String, String>,
    pub compatible_weapons: Vec<String>,
    /// `<namespace>/<task>` of each active task pod; `None` when the pods could not be read.
    pub tasks: Option<Vec<String>>,
    /// The Ready condition's status: True, False or Unknown.
    pub ready: Option<String>,
    /// The fault marks it carries, live or expired and not yet removed.
    pub marks: Vec<FaultMark>,
    /// Whether the weapon images are pre-pulled on it (`-o wide` only).
    pub preloaded: Option<Preloaded>,
}

/// Where the weapon-preload pods on an aircraft stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preloaded {
    /// No weapon asks for its image to be pre-pulled here.
    Nothing,
    /// Some image is still being pulled.
    Pulling,
    /// Every preload pod runs: each image is on the aircraft.
    Yes,
    /// The preload pods could not be read.
    Unknown,
}

impl Preloaded {
    pub fn as_str(self) -> &'static str {
        match self {
            Preloaded::Nothing => NONE,
            Preloaded::Pulling => "pulling",
            Preloaded::Yes => "yes",
            Preloaded::Unknown => "<unknown>",
        }
    }
}

/// Each aircraft's [`Preloaded`] from the preload pods of every namespace
/// (`None` when they could not be read).
pub fn with_preload(fleet: &mut [Aircraft], preload_pods: Option<&[Pod]>) {
    for aircraft in fleet {
        aircraft.preloaded = Some(match preload_pods {
            None => Preloaded::Unknown,
            Some(pods) => {
                let here = pods.iter().filter(|pod| {
                    pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(&aircraft.name)
                });
                let phases: Vec<Option<&str>> = here
                    .map(|pod| pod.status.as_ref().and_then(|s| s.phase.as_deref()))
                    .collect();
                if phases.is_empty() {
                    Preloaded::Nothing
                } else if phases.iter().all(|phase| *phase == Some("Running")) {
                    Preloaded::Yes
                } else {
                    Preloaded::Pulling
                }
            }
        });
    }
}

/// The aircraft sorted by name, each with the active task pods bound to it.
pub fn aircraft(nodes: &[Node], pods: Option<&[Pod]>) -> Vec<Aircraft> {
    let mut on_board: HashMap<&str, Vec<String>> = HashMap::new();
    for pod in pods.unwrap_or_default() {
        let node = pod.spec.as_ref().and_then(|s| s.node_name.as_deref());
        let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref());
        if let (Some(node), None | Some("Pending" | "Running" | "Unknown")) = (node, phase) {
            on_board.entry(node).or_default().push(task_of(pod));
        }
    }
    let mut fleet: Vec<Aircraft> = (nodes.iter())
        .map(|node| {
            let name = node.name_any();
            let tasks = pods.map(|_| {
                let mut tasks = on_board.remove(name.as_str()).unwrap_or_default();
                tasks.sort();
                tasks.dedup();
                tasks
            });
            from_node(node, name, tasks)
        })
        .collect();
    fleet.sort_by(|a, b| a.name.cmp(&b.name));
    fleet
}

/// `<namespace>/<FlightTask>`: the task that owns the pod, which is what
/// `kubectl get ft` finds, else the pod's `airforce.mil/task` label.
fn task_of(pod: &Pod) -> String {
    let owner = (pod.owner_references().iter())
        .find(|owner| owner.kind == "FlightTask")
        .map(|owner| owner.name.clone());
    let task = owner
        .or_else(|| pod.labels().get(TASK_LABEL).cloned())
        .unwrap_or_else(|| pod.name_any());
    format!("{}/{task}", pod.namespace().unwrap_or_default())
}

fn from_node(node: &Node, name: String, tasks: Option<Vec<String>>) -> Aircraft {
    let label = |key: &str| node.labels().get(key).cloned();
    let annotation = |key: &str| node.annotations().get(key).cloned();
    let capabilities = (node.labels().iter())
        .filter_map(|(key, value)| {
            let name = key.strip_prefix(labels::CAPABILITY_PREFIX)?;
            Some((name.to_string(), value.clone()))
        })
        .collect();
    let weapons = annotation(annotations::COMPATIBLE_WEAPONS).unwrap_or_default();
    let ready = (node.status.as_ref())
        .and_then(|status| status.conditions.as_ref())
        .and_then(|conditions| conditions.iter().find(|c| c.type_ == "Ready"))
        .map(|condition| condition.status.clone());
    Aircraft {
        name,
        aircraft_type: label(labels::TYPE),
        status: label(labels::STATUS),
        fuel_level: label(labels::FUEL_LEVEL),
        fuel_status: label(labels::FUEL_STATUS),
        zone: label(labels::ZONE),
        hardpoints: label(labels::HARDPOINTS_AVAILABLE),
        maintenance: annotation(annotations::MAINTENANCE_DAYS),
        capabilities,
        compatible_weapons: compatible_weapons(&weapons).map(str::to_string).collect(),
        tasks,
        ready,
        marks: (fault_marks::marks(node.annotations()).into_iter())
            .filter_map(|mark| mark.mark)
            .collect(),
        preloaded: None,
    }
}

impl Aircraft {
    /// `95% high`: the level and the status derived from it.
    pub fn fuel_text(&self) -> String {
        let level = self.fuel_level.as_deref().map(|level| {
            if level.bytes().all(|b| b.is_ascii_digit()) {
                format!("{level}%")
            } else {
                level.to_string()
            }
        });
        match (level, self.fuel_status.as_deref()) {
            (Some(level), Some(status)) => format!("{level} {status}"),
            (Some(level), None) => level,
            (None, Some(status)) => status.to_string(),
            (None, None) => NONE.to_string(),
        }
    }

    /// Days since maintenance, `45d` as kubectl writes ages.
    pub fn maintenance_text(&self) -> String {
        match self.maintenance.as_deref() {
            Some(days) if !days.is_empty() && days.bytes().all(|b| b.is_ascii_digit()) => {
                format!("{days}d")
            }
            Some(other) => other.to_string(),
            None => NONE.to_string(),
        }
    }

    /// `air/m-s-t (9m left)` for each mark at `now`, and whether any still holds.
    pub fn marks_text(&self, now: Timestamp) -> (String, bool) {
        if self.marks.is_empty() {
            return (NONE.to_string(), false);
        }
        let shown: Vec<String> = (self.marks.iter())
            .map(
                |mark| match std::time::Duration::try_from(mark.expires.0.duration_since(now)) {
                    Ok(left) if !left.is_zero() => {
                        format!("{} ({} left)", mark.task, duration::human(left))
                    }
                    _ => format!("{} (expired)", mark.task),
                },
            )
            .collect();
        let live = self.marks.iter().any(|mark| mark.expires.0 > now);
        (shown.join(","), live)
    }
}
