//! One node as the plugins see it: its aircraft labels parsed once, and what
//! the pods bound to it take, kept current pod by pod so a cache of these
//! needs no rebuild per decision.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{Node, NodeCondition, Pod, Taint};

use super::pod_request::{PodRequest, Resources};
use super::reading::{self, Reading};
use crate::api::aircraft::{AircraftStatus, annotations, compatible_weapons, labels};
use crate::api::keys::TASK_LABEL;
use crate::quantity;

/// The node's `Ready` condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Readiness {
    Ready,
    /// The condition's status (False, Unknown) and reason, if any.
    NotReady {
        status: String,
        reason: Option<String>,
    },
    /// No `Ready` condition at all: the kubelet never reported.
    Unreported,
}

/// What the node offers pods in total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Allocatable {
    pub resources: Resources,
    pub pods: i64,
}

/// A node's state for scheduling.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeInfo {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub aircraft_type: Option<String>,
    pub status: Reading<AircraftStatus>,
    pub fuel: Reading<u8>,
    pub hardpoints: Reading<u32>,
    pub zone: Option<String>,
    /// Names of the capabilities labelled `true`.
    pub capabilities: BTreeSet<String>,
    pub maintenance_days: Reading<i64>,
    /// `None` when the node has no compatible-weapons annotation.
    pub compatible_weapons: Option<BTreeSet<String>>,
    pub taints: Vec<Taint>,
    pub unschedulable: bool,
    pub readiness: Readiness,
    pub allocatable: Allocatable,
    pods: BTreeMap<String, PodUsage>,
    requested: Resources,
    task_pods: usize,
}

/// What one pod bound to the node takes from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PodUsage {
    requests: Resources,
    task: bool,
}

impl NodeInfo {
    /// The node with `pods` bound to it; finished pods are left out.
    ///
    /// An aircraft the Aircraft controller marked busy with a task pod that
    /// has since finished counts as ready when no other task pod is on board:
    /// the mark is about to be taken back, and waiting for that write would
    /// idle the aircraft for nothing. A busy mark without the controller's
    /// record (set by a person) always holds.
    pub fn new<'a>(node: &Node, pods: impl IntoIterator<Item = &'a Pod>) -> NodeInfo {
        let mut info = NodeInfo::from_node(node);
        let busy_with = (node.metadata.annotations.as_ref())
            .and_then(|a| a.get(annotations::BUSY_WITH))
            .map(String::as_str);
        let mut recorded_pod_done = false;
        for pod in pods {
            recorded_pod_done |= busy_with == Some(pod_key(pod).as_str()) && finished(pod);
            info.add_pod(pod);
        }
        if recorded_pod_done
            && info.status == Reading::Valid(AircraftStatus::Busy)
            && info.task_pods == 0
        {
            info.status = Reading::Valid(AircraftStatus::Ready);
        }
        info
    }

    /// Re-reads the node's labels, taints and status, keeping its pods.
    pub fn update_node(&mut self, node: &Node) {
        let fresh = NodeInfo::from_node(node);
        *self = NodeInfo {
            pods: std::mem::take(&mut self.pods),
            requested: self.requested,
            task_pods: self.task_pods,
            ..fresh
        };
    }

    fn from_node(node: &Node) -> NodeInfo {
        let meta = &node.metadata;
        let node_labels = meta.labels.clone().unwrap_or_default();
        let annotation = |key| meta.annotations.as_ref()?.get(key).map(String::as_str);
        let label = |key| node_labels.get(key).map(String::as_str);
        let spec = node.spec.as_ref();
        let status = node.status.as_ref();
        let allocatable = status.and_then(|s| s.allocatable.as_ref());
        // A quantity the kubelet reported wrongly offers nothing, as an absent one does.
        let amount = |name, parse: fn(&_) -> Result<i64, quantity::QuantityError>| {
            allocatable
                .and_then(|a| a.get(name))
                .and_then(|q| parse(q).ok())
                .unwrap_or(0)
        };
        NodeInfo {
            name: meta.name.clone().unwrap_or_default(),
            aircraft_type: label(labels::TYPE).map(String::from),
            status: Reading::parse(label(labels::STATUS), AircraftStatus::parse),
            fuel: Reading::parse(label(labels::FUEL_LEVEL), reading::percent),
            hardpoints: Reading::parse(label(labels::HARDPOINTS_AVAILABLE), reading::count),
            zone: label(labels::ZONE).map(String::from),
            capabilities: (node_labels.iter())
                .filter(|(_, value)| value.as_str() == "true")
                .filter_map(|(key, _)| key.strip_prefix(labels::CAPABILITY_PREFIX))
                .map(String::from)
                .collect(),
            maintenance_days: Reading::parse(
                annotation(annotations::MAINTENANCE_DAYS),
                reading::days,
            ),
            compatible_weapons: annotation(annotations::COMPATIBLE_WEAPONS)
                .map(|list| compatible_weapons(list).map(String::from).collect()),
            taints: spec.and_then(|s| s.taints.clone()).unwrap_or_default(),
            unschedulable: spec.and_then(|s| s.unschedulable).unwrap_or(false),
            readiness: readiness(status.and_then(|s| s.conditions.as_deref())),
            allocatable: Allocatable {
                resources: Resources {
                    milli_cpu: amount("cpu", quantity::cpu_millis),
                    memory: amount("memory", quantity::units),
                },
                pods: amount("pods", quantity::units),
            },
            labels: node_labels,
            pods: BTreeMap::new(),
            requested: Resources::default(),
            task_pods: 0,
        }
    }

    /// Counts `pod` (new or changed) on this node; a finished pod is dropped,
    /// since it no longer takes anything.
    pub fn add_pod(&mut self, pod: &Pod) {
        let key = pod_key(pod);
        if finished(pod) {
            self.remove_pod(&key);
            return;
        }
        let usage = PodUsage {
            requests: pod.spec.as_ref().map(Resources::of_pod).unwrap_or_default(),
            task: pod
                .metadata
                .labels
                .as_ref()
                .is_some_and(|l| l.contains_key(TASK_LABEL)),
        };
        self.insert(key, usage);
    }

    /// Counts a pod the scheduler has just bound here, before the watch
    /// reports it, so the next decision already sees the aircraft taken. The
    /// watch's later [`Self::add_pod`] replaces it rather than adding twice.
    pub fn assume(&mut self, pod: &PodRequest) {
        let usage = PodUsage {
            requests: pod.requests,
            task: pod.task,
        };
        self.insert(pod.key(), usage);
    }

    /// Forgets the pod `namespace/name` (deleted, or bound elsewhere after all).
    pub fn remove_pod(&mut self, key: &str) {
        if let Some(old) = self.pods.remove(key) {
            self.forget(old);
        }
    }

    fn insert(&mut self, key: String, usage: PodUsage) {
        if let Some(old) = self.pods.insert(key, usage) {
            self.forget(old);
        }
        self.requested = self.requested.plus(usage.requests);
        self.task_pods += usize::from(usage.task);
    }

    fn forget(&mut self, usage: PodUsage) {
        self.requested = self.requested.minus(usage.requests);
        self.task_pods -= usize::from(usage.task);
    }

    /// CPU and memory requested by the pods counted here.
    pub fn requested(&self) -> Resources {
        self.requested
    }

    /// Pods counted here, task pods or not.
    pub fn pod_count(&self) -> usize {
        self.pods.len()
    }

    /// Active task pods counted here.
    pub fn task_pod_count(&self) -> usize {
        self.task_pods
    }

    /// `namespace/name` of each active task pod, in name order.
    pub fn task_pods(&self) -> impl Iterator<Item = &str> {
        (self.pods.iter())
            .filter(|(_, usage)| usage.task)
            .map(|(key, _)| key.as_str())
    }
}

fn readiness(conditions: Option<&[NodeCondition]>) -> Readiness {
    let ready = conditions
        .unwrap_or_default()
        .iter()
        .find(|c| c.type_ == "Ready");
    match ready {
        None => Readiness::Unreported,
        Some(condition) if condition.status == "True" => Readiness::Ready,
        Some(condition) => Readiness::NotReady {
            status: condition.status.clone(),
            reason: condition.reason.clone(),
        },
    }
}

/// `namespace/name`, as pods are keyed here and in the busy record.
fn pod_key(pod: &Pod) -> String {
    format!(
        "{}/{}",
        pod.metadata.namespace.as_deref().unwrap_or_default(),
        pod.metadata.name.as_deref().unwrap_or_default()
    )
}

fn finished(pod: &Pod) -> bool {
    let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref());
    matches!(phase, Some("Succeeded" | "Failed"))
}

#[cfg(test)]
mod tests;
