//! Aircraft nodes and task pods for the scheduler's tests, built the way the
//! fleet (`examples/fleet.yaml`) and the FlightTask controller build them.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Container, Node, NodeCondition, NodeSpec, NodeStatus, Pod, PodSpec, PodStatus,
    ResourceRequirements,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::config::SchedulerConfig;
use super::node_info::NodeInfo;
use super::pod_request::PodRequest;
use crate::api::AircraftRequirement;
use crate::api::aircraft::{annotations, labels};
use crate::api::keys::TASK_LABEL;
use crate::placement::{SchedulerChoice, placement};

/// A Ready j20 with the fleet's capacity and the given state.
pub fn aircraft(name: &str, status: &str, fuel: &str, zone: &str, maintenance: &str) -> Node {
    let mut node = Node {
        metadata: ObjectMeta {
            name: Some(name.into()),
            labels: Some(BTreeMap::new()),
            annotations: Some(BTreeMap::new()),
            ..ObjectMeta::default()
        },
        spec: Some(NodeSpec::default()),
        status: Some(NodeStatus {
            allocatable: Some(quantities(&[
                ("cpu", "16"),
                ("memory", "64Gi"),
                ("pods", "20"),
            ])),
            conditions: Some(vec![NodeCondition {
                type_: "Ready".into(),
                status: "True".into(),
                ..NodeCondition::default()
            }]),
            ..NodeStatus::default()
        }),
    };
    set_label(&mut node, labels::TYPE, "j20");
    set_label(&mut node, labels::STATUS, status);
    set_label(&mut node, labels::FUEL_LEVEL, fuel);
    set_label(&mut node, labels::HARDPOINTS_AVAILABLE, "10");
    set_label(&mut node, labels::ZONE, zone);
    set_label(
        &mut node,
        &format!("{}stealth", labels::CAPABILITY_PREFIX),
        "true",
    );
    set_annotation(&mut node, annotations::MAINTENANCE_DAYS, maintenance);
    set_annotation(&mut node, annotations::COMPATIBLE_WEAPONS, "pl-15,pl-10");
    node
}

/// A ready j20 with plenty of fuel, in east-sea, far from maintenance.
pub fn j20() -> Node {
    aircraft("j20-01", "ready", "95", "east-sea", "45")
}

/// The four aircraft of the README's scheduling example.
pub fn spec_fleet() -> Vec<Node> {
    vec![
        aircraft("j20-01", "ready", "95", "east-sea", "45"),
        aircraft("j20-02", "ready", "80", "south-sea", "20"),
        aircraft("j20-03", "busy", "90", "east-sea", "30"),
        aircraft("j20-04", "ready", "60", "east-sea", "8"),
    ]
}

pub fn set_label(node: &mut Node, key: &str, value: &str) {
    let labels = node.metadata.labels.get_or_insert_with(BTreeMap::new);
    labels.insert(key.into(), value.into());
}

pub fn remove_label(node: &mut Node, key: &str) {
    if let Some(labels) = &mut node.metadata.labels {
        labels.remove(key);
    }
}

pub fn set_annotation(node: &mut Node, key: &str, value: &str) {
    let annotations = node.metadata.annotations.get_or_insert_with(BTreeMap::new);
    annotations.insert(key.into(), value.into());
}

pub fn remove_annotation(node: &mut Node, key: &str) {
    if let Some(annotations) = &mut node.metadata.annotations {
        annotations.remove(key);
    }
}

pub fn quantities(pairs: &[(&str, &str)]) -> BTreeMap<String, Quantity> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Quantity(v.to_string())))
        .collect()
}

/// A container requesting `requests` (cpu, memory pairs).
pub fn container(name: &str, requests: &[(&str, &str)]) -> Container {
    Container {
        name: name.into(),
        resources: (!requests.is_empty()).then(|| ResourceRequirements {
            requests: Some(quantities(requests)),
            ..ResourceRequirements::default()
        }),
        ..Container::default()
    }
}

/// The strike task of the README's scheduling example.
pub fn strike() -> AircraftRequirement {
    AircraftRequirement {
        aircraft_type: Some("j20".into()),
        min_fuel_level: Some(70),
        hardpoints: Some(6),
        capabilities: vec![],
        preferred_zone: Some("east-sea".into()),
    }
}

/// A task pod for `requirement` carrying `weapons`, placed as the FlightTask
/// controller places it, with one container requesting `requests`.
pub fn task_pod(
    name: &str,
    requirement: &AircraftRequirement,
    weapons: &[&str],
    requests: &[(&str, &str)],
) -> Pod {
    let placement = placement(requirement, weapons, &[], SchedulerChoice::Aircraft);
    let mut spec = PodSpec {
        containers: vec![container("task", requests)],
        ..PodSpec::default()
    };
    placement.apply_to(&mut spec);
    Pod {
        metadata: ObjectMeta {
            name: Some(name.into()),
            namespace: Some("default".into()),
            labels: Some(BTreeMap::from([(TASK_LABEL.to_string(), name.to_string())])),
            annotations: Some(placement.annotations),
            ..ObjectMeta::default()
        },
        spec: Some(spec),
        status: None,
    }
}

/// A plain (non-task) pod with one container requesting `requests`.
pub fn plain_pod(name: &str, requests: &[(&str, &str)]) -> Pod {
    Pod {
        metadata: ObjectMeta {
            name: Some(name.into()),
            namespace: Some("default".into()),
            ..ObjectMeta::default()
        },
        spec: Some(PodSpec {
            containers: vec![container("app", requests)],
            ..PodSpec::default()
        }),
        status: None,
    }
}

/// `pod` in `phase`.
pub fn in_phase(mut pod: Pod, phase: &str) -> Pod {
    pod.status = Some(PodStatus {
        phase: Some(phase.into()),
        ..PodStatus::default()
    });
    pod
}

/// The strike task's request as the scheduler reads it.
pub fn strike_request() -> PodRequest {
    PodRequest::from_pod(&task_pod("strike-1", &strike(), &[], &[]))
}

/// Node infos for `nodes` with no pods on them.
pub fn infos(nodes: &[Node]) -> Vec<NodeInfo> {
    nodes.iter().map(|n| NodeInfo::new(n, [])).collect()
}

/// `node` with no pods on it.
pub fn info(node: &Node) -> NodeInfo {
    NodeInfo::new(node, [])
}

/// The default configuration.
pub fn defaults() -> SchedulerConfig {
    SchedulerConfig::default()
}
