//! NodeResourcesFit: the pod's cpu and memory requests must fit in what the
//! node's pods leave of its allocatable, and the node must have room for one
//! more pod (kube-scheduler's rules: a resource the pod does not request is
//! not checked).

use super::{Filter, Unfit};
use crate::scheduler::config::SchedulerConfig;
use crate::scheduler::node_info::NodeInfo;
use crate::scheduler::pod_request::PodRequest;

/// Refuses a node without room for the pod.
pub struct NodeResourcesFit;

impl Filter for NodeResourcesFit {
    fn name(&self) -> &'static str {
        "NodeResourcesFit"
    }

    fn filter(&self, pod: &PodRequest, node: &NodeInfo, _: &SchedulerConfig) -> Result<(), Unfit> {
        let allocatable = node.allocatable;
        let requested = node.requested();
        let pods = i64::try_from(node.pod_count()).unwrap_or(i64::MAX);
        let wants = pod.requests;
        let no_pod_room = pods >= allocatable.pods;
        let no_cpu = wants.milli_cpu > 0
            && requested.milli_cpu.saturating_add(wants.milli_cpu)
                > allocatable.resources.milli_cpu;
        let no_memory = wants.memory > 0
            && requested.memory.saturating_add(wants.memory) > allocatable.resources.memory;
        if !(no_pod_room || no_cpu || no_memory) {
            return Ok(());
        }
        let free = allocatable.resources.minus(requested);
        let mut reasons = Vec::new();
        let mut summaries = Vec::new();
        if no_pod_room {
            reasons.push(format!(
                "too many pods ({pods} of {} allowed)",
                allocatable.pods
            ));
            summaries.push("too many pods");
        }
        if no_cpu {
            reasons.push(format!(
                "insufficient cpu (needs {}m, {}m of {}m free)",
                wants.milli_cpu, free.milli_cpu, allocatable.resources.milli_cpu
            ));
            summaries.push("insufficient cpu");
        }
        if no_memory {
            reasons.push(format!(
                "insufficient memory (needs {}, {} of {} free)",
                bytes(wants.memory),
                bytes(free.memory),
                bytes(allocatable.resources.memory)
            ));
            summaries.push("insufficient memory");
        }
        Err(Unfit::new(reasons.join(", "), summaries.join(", ")))
    }
}

/// Bytes in the largest binary unit that shows them exactly: 64Gi, 1536Mi, 1000.
fn bytes(value: i64) -> String {
    let units = [("Ti", 40), ("Gi", 30), ("Mi", 20), ("Ki", 10)];
    match units
        .iter()
        .find(|(_, shift)| value != 0 && value % (1i64 << shift) == 0)
    {
        Some((unit, shift)) => format!("{}{unit}", value >> shift),
        None => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::fixtures::{defaults, j20, plain_pod, quantities};

    fn node_with(
        allocatable: &[(&str, &str)],
        pods: &[k8s_openapi::api::core::v1::Pod],
    ) -> NodeInfo {
        let mut node = j20();
        node.status.as_mut().expect("a status").allocatable = Some(quantities(allocatable));
        NodeInfo::new(&node, pods)
    }

    fn wanting(requests: &[(&str, &str)]) -> PodRequest {
        PodRequest::from_pod(&plain_pod("new", requests))
    }

    const SMALL: [(&str, &str); 3] = [("cpu", "1"), ("memory", "2Gi"), ("pods", "3")];

    #[test]
    fn a_pod_that_fits_in_what_is_left_passes() {
        let node = node_with(
            &SMALL,
            &[plain_pod("a", &[("cpu", "500m"), ("memory", "1Gi")])],
        );
        assert_eq!(
            NodeResourcesFit.filter(
                &wanting(&[("cpu", "500m"), ("memory", "1Gi")]),
                &node,
                &defaults()
            ),
            Ok(())
        );
    }

    #[test]
    fn exhausted_cpu_and_memory_are_both_reported() {
        let node = node_with(
            &SMALL,
            &[plain_pod("a", &[("cpu", "800m"), ("memory", "1536Mi")])],
        );
        assert_eq!(
            NodeResourcesFit.filter(
                &wanting(&[("cpu", "500m"), ("memory", "1Gi")]),
                &node,
                &defaults()
            ),
            Err(Unfit::new(
                "insufficient cpu (needs 500m, 200m of 1000m free), insufficient memory (needs 1Gi, 512Mi of 2Gi free)",
                "insufficient cpu, insufficient memory"
            ))
        );
        assert_eq!(
            NodeResourcesFit.filter(&wanting(&[("memory", "100")]), &node, &defaults()),
            Ok(()),
            "cpu is not checked for a pod that requests none"
        );
    }

    #[test]
    fn the_pod_count_limit_applies_even_to_best_effort_pods() {
        let full: Vec<_> = (0..3).map(|i| plain_pod(&format!("p{i}"), &[])).collect();
        let node = node_with(&SMALL, &full);
        assert_eq!(
            NodeResourcesFit.filter(&wanting(&[]), &node, &defaults()),
            Err(Unfit::new(
                "too many pods (3 of 3 allowed)",
                "too many pods"
            ))
        );
        assert!(
            NodeResourcesFit
                .filter(&wanting(&[]), &node_with(&SMALL, &full[..2]), &defaults())
                .is_ok()
        );
    }

    #[test]
    fn a_node_reporting_no_allocatable_takes_nothing() {
        let mut node = j20();
        node.status = None;
        let unfit = NodeResourcesFit
            .filter(&wanting(&[]), &NodeInfo::new(&node, []), &defaults())
            .expect_err("no room");
        assert_eq!(unfit.reason, "too many pods (0 of 0 allowed)");
    }

    #[test]
    fn bytes_are_shown_in_the_largest_exact_unit() {
        assert_eq!(bytes(64 << 30), "64Gi");
        assert_eq!(bytes(1536 << 20), "1536Mi");
        assert_eq!(bytes(1000), "1000");
        assert_eq!(bytes(0), "0");
        assert_eq!(bytes(-(1 << 20)), "-1Mi");
    }
}
