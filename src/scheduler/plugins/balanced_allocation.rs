//! BalancedAllocation (kube-scheduler's): prefers the node whose cpu and
//! memory would be used most evenly with the pod on it. A pod requesting
//! neither is skipped, so best-effort task pods are ranked by the aircraft
//! scores alone.

use super::Score;
use crate::scheduler::config::SchedulerConfig;
use crate::scheduler::node_info::NodeInfo;
use crate::scheduler::pod_request::PodRequest;

/// Scores 100 × (1 − the standard deviation of the cpu and memory fractions).
pub struct BalancedAllocation;

impl Score for BalancedAllocation {
    fn name(&self) -> &'static str {
        "BalancedAllocation"
    }

    fn label(&self) -> &'static str {
        "balance"
    }

    fn weight(&self, config: &SchedulerConfig) -> u32 {
        config.weights.balanced_allocation
    }

    fn score(&self, pod: &PodRequest, node: &NodeInfo, _: &SchedulerConfig) -> Option<i64> {
        if pod.requests.is_empty() {
            return None;
        }
        let after = node.requested().plus(pod.requests);
        let allocatable = node.allocatable.resources;
        // A resource the node does not offer is left out, as kube-scheduler does.
        let fraction =
            |used: i64, total: i64| (total > 0).then(|| (used as f64 / total as f64).min(1.0));
        let fractions = [
            fraction(after.milli_cpu, allocatable.milli_cpu),
            fraction(after.memory, allocatable.memory),
        ];
        let deviation = match fractions {
            // With two values the standard deviation is half their distance.
            [Some(cpu), Some(memory)] => (cpu - memory).abs() / 2.0,
            _ => 0.0,
        };
        Some(((1.0 - deviation) * 100.0) as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::fixtures::{defaults, j20, plain_pod, quantities};

    fn score(
        allocatable: &[(&str, &str)],
        used: &[(&str, &str)],
        wanted: &[(&str, &str)],
    ) -> Option<i64> {
        let mut node = j20();
        node.status.as_mut().expect("a status").allocatable = Some(quantities(allocatable));
        let info = NodeInfo::new(&node, [&plain_pod("old", used)]);
        BalancedAllocation.score(
            &PodRequest::from_pod(&plain_pod("new", wanted)),
            &info,
            &defaults(),
        )
    }

    const NODE: [(&str, &str); 2] = [("cpu", "4"), ("memory", "8Gi")];

    #[test]
    fn even_use_scores_full_and_lopsided_use_less() {
        assert_eq!(
            score(
                &NODE,
                &[("cpu", "1"), ("memory", "2Gi")],
                &[("cpu", "1"), ("memory", "2Gi")]
            ),
            Some(100)
        );
        // cpu 3/4, memory 1/8: deviation 0.3125.
        assert_eq!(
            score(&NODE, &[("cpu", "2")], &[("cpu", "1"), ("memory", "1Gi")]),
            Some(68)
        );
        // Over-full counts as full: cpu 1, memory 0 → deviation 0.5.
        assert_eq!(score(&NODE, &[("cpu", "8")], &[("cpu", "1")]), Some(50));
    }

    #[test]
    fn a_pod_requesting_nothing_is_skipped() {
        assert_eq!(score(&NODE, &[("cpu", "2")], &[]), None);
    }

    #[test]
    fn a_resource_the_node_does_not_offer_is_left_out() {
        assert_eq!(
            score(&[("cpu", "4")], &[], &[("cpu", "1"), ("memory", "1Gi")]),
            Some(100)
        );
    }
}
