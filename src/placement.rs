//! Where a task pod may run: the task's `aircraftRequirement`
//! turned into what a scheduler reads, for our `aircraft-scheduler` or for
//! kube-scheduler.
//!
//! No pod anti-affinity between task pods: keeping one task per aircraft is the
//! aircraft-scheduler's filter, and with kube-scheduler the aircraft controller
//! marks a node `busy`, which the required `status In [ready]` term already excludes.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Affinity, NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, PodSpec,
    PreferredSchedulingTerm,
};

use crate::api::AircraftRequirement;
use crate::api::aircraft::{AircraftStatus, labels};
use crate::api::keys::placement as annotations;
use crate::api::keys::{AIRCRAFT_SCHEDULER, DEFAULT_SCHEDULER};

/// The zone preference outweighs every other preference a template may carry.
pub const ZONE_PREFERENCE_WEIGHT: i32 = 100;

/// Which scheduler places task pods.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SchedulerChoice {
    /// Our scheduler: filters and scores aircraft and explains itself.
    #[default]
    Aircraft,
    /// kube-scheduler, steered by node affinity alone.
    Default,
}

/// The scheduling part of a task pod.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Placement {
    pub scheduler_name: String,
    pub annotations: BTreeMap<String, String>,
    /// Node requirements every candidate must meet (ANDed).
    pub required: Vec<NodeSelectorRequirement>,
    pub preferred: Option<PreferredSchedulingTerm>,
    /// Nodes the pod must not run on: the aircraft its task has marked.
    pub avoid: Vec<String>,
}

/// The placement of a task pod that needs `requirement`, carries `weapons`
/// and must keep off the nodes in `avoid`.
pub fn placement(
    requirement: &AircraftRequirement,
    weapons: &[&str],
    avoid: &[String],
    choice: SchedulerChoice,
) -> Placement {
    let required = required_terms(requirement);
    match choice {
        // The required affinity rides along so that a pod is never placed wrong,
        // even if another scheduler or a person binds it.
        SchedulerChoice::Aircraft => Placement {
            scheduler_name: AIRCRAFT_SCHEDULER.to_string(),
            annotations: scheduler_annotations(requirement, weapons),
            required,
            preferred: None,
            avoid: avoid.to_vec(),
        },
        SchedulerChoice::Default => Placement {
            scheduler_name: DEFAULT_SCHEDULER.to_string(),
            annotations: BTreeMap::new(),
            required,
            preferred: zone_preference(requirement),
            avoid: avoid.to_vec(),
        },
    }
}

/// The node affinity terms every aircraft for `requirement` must match.
pub fn required_terms(requirement: &AircraftRequirement) -> Vec<NodeSelectorRequirement> {
    let mut terms = Vec::new();
    if let Some(aircraft_type) = &requirement.aircraft_type {
        terms.push(expression(labels::TYPE, "In", aircraft_type));
    }
    terms.push(expression(
        labels::STATUS,
        "In",
        AircraftStatus::Ready.as_str(),
    ));
    if let Some(term) = at_least(labels::FUEL_LEVEL, requirement.min_fuel_level) {
        terms.push(term);
    }
    if let Some(term) = at_least(labels::HARDPOINTS_AVAILABLE, requirement.hardpoints) {
        terms.push(term);
    }
    for capability in &requirement.capabilities {
        let key = format!("{}{capability}", labels::CAPABILITY_PREFIX);
        terms.push(expression(&key, "In", "true"));
    }
    terms
}

/// `label >= minimum` as node affinity, which only knows `Gt` (strictly greater):
/// hence `Gt minimum-1`. A minimum of zero asks nothing, and is left out so that it
/// does not also demand the label be present.
fn at_least(key: &str, minimum: Option<i32>) -> Option<NodeSelectorRequirement> {
    let minimum = minimum.filter(|m| *m > 0)?;
    Some(expression(key, "Gt", &(minimum - 1).to_string()))
}

fn expression(key: &str, operator: &str, value: &str) -> NodeSelectorRequirement {
    NodeSelectorRequirement {
        key: key.to_string(),
        operator: operator.to_string(),
        values: Some(vec![value.to_string()]),
    }
}

/// The preferred zone as a soft term for kube-scheduler.
pub fn zone_preference(requirement: &AircraftRequirement) -> Option<PreferredSchedulingTerm> {
    let zone = requirement.preferred_zone.as_deref()?;
    Some(PreferredSchedulingTerm {
        weight: ZONE_PREFERENCE_WEIGHT,
        preference: NodeSelectorTerm {
            match_expressions: Some(vec![expression(labels::ZONE, "In", zone)]),
            match_fields: None,
        },
    })
}

/// The requirement as annotations for the aircraft-scheduler; absent parts are
/// left out rather than written empty.
pub fn scheduler_annotations(
    requirement: &AircraftRequirement,
    weapons: &[&str],
) -> BTreeMap<String, String> {
    let mut annotations = BTreeMap::new();
    let mut put = |key: &str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            annotations.insert(key.to_string(), value);
        }
    };
    put(
        annotations::REQUIRED_FUEL,
        requirement.min_fuel_level.map(|f| f.to_string()),
    );
    put(
        annotations::REQUIRED_HARDPOINTS,
        requirement.hardpoints.map(|h| h.to_string()),
    );
    put(
        annotations::PREFERRED_ZONE,
        requirement.preferred_zone.clone(),
    );
    put(
        annotations::REQUIRED_CAPABILITIES,
        Some(requirement.capabilities.join(",")),
    );
    put(annotations::WEAPONS, Some(weapons.join(",")));
    annotations
}

impl Placement {
    /// Writes this placement into `spec`, keeping what the template asked for
    /// where it does not contradict the task.
    pub fn apply_to(&self, spec: &mut PodSpec) {
        spec.scheduler_name = Some(self.scheduler_name.clone());
        let affinity = spec.affinity.get_or_insert_with(Affinity::default);
        let node = affinity
            .node_affinity
            .get_or_insert_with(NodeAffinity::default);
        let selector = node
            .required_during_scheduling_ignored_during_execution
            .get_or_insert_with(NodeSelector::default);
        and_into_terms(&mut selector.node_selector_terms, &self.required);
        if !self.avoid.is_empty() {
            let not_these = NodeSelectorRequirement {
                key: NODE_NAME_FIELD.to_string(),
                operator: "NotIn".to_string(),
                values: Some(self.avoid.clone()),
            };
            for term in &mut selector.node_selector_terms {
                term.match_fields
                    .get_or_insert_with(Vec::new)
                    .push(not_these.clone());
            }
        }
        if let Some(preferred) = &self.preferred {
            node.preferred_during_scheduling_ignored_during_execution
                .get_or_insert_with(Vec::new)
                .push(preferred.clone());
        }
    }
}

/// The node field a `matchFields` expression may name.
const NODE_NAME_FIELD: &str = "metadata.name";

/// Node selector terms are ORed, expressions within a term ANDed: adding ours to
/// every term of the template keeps its alternatives and demands ours in each.
fn and_into_terms(terms: &mut Vec<NodeSelectorTerm>, required: &[NodeSelectorRequirement]) {
    if required.is_empty() {
        return;
    }
    if terms.is_empty() {
        terms.push(NodeSelectorTerm::default());
    }
    for term in terms {
        term.match_expressions
            .get_or_insert_with(Vec::new)
            .extend(required.iter().cloned());
    }
}

#[cfg(test)]
mod tests;
