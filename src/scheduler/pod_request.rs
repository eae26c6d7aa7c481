//! What a pod asks of an aircraft, read once per pod so that each node check
//! is a comparison, never a parse.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, Pod, PodSpec, Toleration};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use super::affinity::RequiredAffinity;
use super::reading::{self, Reading};
use crate::api::keys::TASK_LABEL;
use crate::api::keys::placement as annotations;
use crate::quantity;

/// CPU and memory, as requested by a pod or summed over a node's pods.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resources {
    pub milli_cpu: i64,
    /// Bytes.
    pub memory: i64,
}

/// One pod's scheduling requirements.
#[derive(Debug, Clone, PartialEq)]
pub struct PodRequest {
    pub namespace: String,
    pub name: String,
    /// A FlightTask's pod (label `airforce.mil/task`): one per aircraft at a time.
    pub task: bool,
    pub required_fuel: Reading<u8>,
    pub required_hardpoints: Reading<u32>,
    pub preferred_zone: Option<String>,
    pub capabilities: Vec<String>,
    pub weapons: Vec<String>,
    pub node_selector: BTreeMap<String, String>,
    pub affinity: Option<RequiredAffinity>,
    /// The aircraft types the affinity allows, when it pins them down.
    pub required_types: Option<Vec<String>>,
    pub tolerations: Vec<Toleration>,
    pub requests: Resources,
}

impl PodRequest {
    pub fn from_pod(pod: &Pod) -> PodRequest {
        let meta = &pod.metadata;
        let annotation = |key| meta.annotations.as_ref()?.get(key).map(String::as_str);
        let spec = pod.spec.as_ref();
        let affinity = spec
            .and_then(|s| s.affinity.as_ref()?.node_affinity.as_ref())
            .and_then(|a| {
                a.required_during_scheduling_ignored_during_execution
                    .as_ref()
            })
            .map(RequiredAffinity::parse);
        PodRequest {
            namespace: meta.namespace.clone().unwrap_or_default(),
            name: meta.name.clone().unwrap_or_default(),
            task: meta
                .labels
                .as_ref()
                .is_some_and(|l| l.contains_key(TASK_LABEL)),
            required_fuel: Reading::parse(annotation(annotations::REQUIRED_FUEL), reading::percent),
            required_hardpoints: Reading::parse(
                annotation(annotations::REQUIRED_HARDPOINTS),
                reading::count,
            ),
            preferred_zone: annotation(annotations::PREFERRED_ZONE)
                .map(str::trim)
                .filter(|z| !z.is_empty())
                .map(String::from),
            capabilities: comma_list(annotation(annotations::REQUIRED_CAPABILITIES)),
            weapons: comma_list(annotation(annotations::WEAPONS)),
            node_selector: spec
                .and_then(|s| s.node_selector.clone())
                .unwrap_or_default(),
            required_types: affinity.as_ref().and_then(RequiredAffinity::required_types),
            affinity,
            tolerations: spec.and_then(|s| s.tolerations.clone()).unwrap_or_default(),
            requests: spec.map(Resources::of_pod).unwrap_or_default(),
        }
    }

    /// `namespace/name`: how a node's bookkeeping knows this pod.
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

fn comma_list(value: Option<&str>) -> Vec<String> {
    (value.unwrap_or_default().split(','))
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(String::from)
        .collect()
}

impl Resources {
    /// What a pod takes from a node while it runs, as kube-scheduler counts it:
    /// the larger of the app containers' sum and the largest init container
    /// (plus the sidecars started before it), where sidecars (init containers
    /// restarting `Always`) run alongside and so are added; then the pod's
    /// overhead. Pod-level requests, where given, replace the containers'.
    pub fn of_pod(spec: &PodSpec) -> Resources {
        let mut running = Resources::default();
        for container in &spec.containers {
            running = running.plus(Resources::of_container(container));
        }
        let mut sidecars = Resources::default();
        let mut init_peak = Resources::default();
        for container in spec.init_containers.iter().flatten() {
            let own = Resources::of_container(container);
            let during = if container.restart_policy.as_deref() == Some("Always") {
                running = running.plus(own);
                sidecars = sidecars.plus(own);
                sidecars
            } else {
                sidecars.plus(own)
            };
            init_peak = init_peak.max(during);
        }
        let mut total = running.max(init_peak);
        let pod_level = spec.resources.as_ref().and_then(|r| r.requests.as_ref());
        if let Some(requests) = pod_level {
            let given = Resources::of(Some(requests));
            if requests.contains_key("cpu") {
                total.milli_cpu = given.milli_cpu;
            }
            if requests.contains_key("memory") {
                total.memory = given.memory;
            }
        }
        total.plus(Resources::of(spec.overhead.as_ref()))
    }

    fn of_container(container: &Container) -> Resources {
        Resources::of(
            container
                .resources
                .as_ref()
                .and_then(|r| r.requests.as_ref()),
        )
    }

    /// The cpu and memory in a requests map. The API server refuses malformed
    /// quantities, so one that slips through counts as nothing rather than
    /// blocking every node.
    fn of(requests: Option<&BTreeMap<String, Quantity>>) -> Resources {
        let get = |name, parse: fn(&Quantity) -> Result<i64, quantity::QuantityError>| {
            requests
                .and_then(|r| r.get(name))
                .and_then(|q| parse(q).ok())
                .unwrap_or(0)
        };
        Resources {
            milli_cpu: get("cpu", quantity::cpu_millis),
            memory: get("memory", quantity::units),
        }
    }

    pub fn plus(self, other: Resources) -> Resources {
        Resources {
            milli_cpu: self.milli_cpu.saturating_add(other.milli_cpu),
            memory: self.memory.saturating_add(other.memory),
        }
    }

    pub fn minus(self, other: Resources) -> Resources {
        Resources {
            milli_cpu: self.milli_cpu.saturating_sub(other.milli_cpu),
            memory: self.memory.saturating_sub(other.memory),
        }
    }

    fn max(self, other: Resources) -> Resources {
        Resources {
            milli_cpu: self.milli_cpu.max(other.milli_cpu),
            memory: self.memory.max(other.memory),
        }
    }

    /// Whether this asks for neither cpu nor memory (a best-effort pod).
    pub fn is_empty(&self) -> bool {
        self.milli_cpu == 0 && self.memory == 0
    }
}

#[cfg(test)]
mod tests;
