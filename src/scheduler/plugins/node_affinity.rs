//! NodeAffinity: the pod's `nodeSelector` and required node affinity, as
//! kube-scheduler reads them; the FlightTask controller puts the task's type,
//! status, fuel, hardpoints and capabilities there too, so that a pod is never
//! placed wrong even by another scheduler.

use super::{Filter, Unfit};
use crate::scheduler::config::SchedulerConfig;
use crate::scheduler::node_info::NodeInfo;
use crate::scheduler::pod_request::PodRequest;

/// Refuses a node the pod's selector or required affinity excludes.
pub struct NodeAffinity;

impl Filter for NodeAffinity {
    fn name(&self) -> &'static str {
        "NodeAffinity"
    }

    fn filter(&self, pod: &PodRequest, node: &NodeInfo, _: &SchedulerConfig) -> Result<(), Unfit> {
        for (key, wanted) in &pod.node_selector {
            let found = node.labels.get(key);
            if found != Some(wanted) {
                let found = found.map_or_else(
                    || format!("no {key} label"),
                    |value| format!("node has {key}={value}"),
                );
                return Err(Unfit::new(
                    format!("nodeSelector {key}={wanted}: {found}"),
                    format!("nodeSelector {key}={wanted}"),
                ));
            }
        }
        match &pod.affinity {
            Some(affinity) => affinity
                .matches(&node.name, &node.labels)
                .map_err(|reason| Unfit::new(reason, "node affinity mismatch")),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::api::AircraftRequirement;
    use crate::scheduler::fixtures::{
        aircraft, defaults, info, j20, plain_pod, set_label, task_pod,
    };

    #[test]
    fn the_node_selector_must_match_every_label() {
        let mut pod = PodRequest::from_pod(&plain_pod("web", &[]));
        pod.node_selector = BTreeMap::from([
            (
                "aircraft.mil/location.zone".to_string(),
                "east-sea".to_string(),
            ),
            ("disk".to_string(), "ssd".to_string()),
        ]);
        let mut node = j20();
        assert_eq!(
            NodeAffinity.filter(&pod, &info(&node), &defaults()),
            Err(Unfit::new(
                "nodeSelector disk=ssd: no disk label",
                "nodeSelector disk=ssd"
            ))
        );
        set_label(&mut node, "disk", "hdd");
        assert_eq!(
            NodeAffinity
                .filter(&pod, &info(&node), &defaults())
                .expect_err("hdd")
                .reason,
            "nodeSelector disk=ssd: node has disk=hdd"
        );
        set_label(&mut node, "disk", "ssd");
        assert_eq!(NodeAffinity.filter(&pod, &info(&node), &defaults()), Ok(()));
    }

    #[test]
    fn the_placement_affinity_is_enforced() {
        let requirement = AircraftRequirement {
            aircraft_type: Some("j20".into()),
            min_fuel_level: Some(70),
            ..AircraftRequirement::default()
        };
        let pod = PodRequest::from_pod(&task_pod("strike-1", &requirement, &[], &[]));
        assert_eq!(
            NodeAffinity.filter(&pod, &info(&j20()), &defaults()),
            Ok(())
        );
        let low = info(&aircraft("j20-04", "ready", "60", "east-sea", "8"));
        assert_eq!(
            NodeAffinity.filter(&pod, &low, &defaults()),
            Err(Unfit::new(
                "node affinity: aircraft.mil/fuel.level is 60, not > 69",
                "node affinity mismatch"
            ))
        );
        let plain = PodRequest::from_pod(&plain_pod("web", &[]));
        assert_eq!(NodeAffinity.filter(&plain, &low, &defaults()), Ok(()));
    }
}
