//! TaintPreference: a node's PreferNoSchedule taints that a pod does not
//! tolerate cost it points, as kube-scheduler's TaintToleration score does.
//! This is how an aircraft marked as suspect by a failed task is passed over
//! while another fits, without being taken out of service.

use k8s_openapi::api::core::v1::Taint;

use super::{Score, tolerates};
use crate::scheduler::config::SchedulerConfig;
use crate::scheduler::node_info::NodeInfo;
use crate::scheduler::pod_request::PodRequest;

/// The penalty of a node with an untolerated PreferNoSchedule taint.
pub const PENALTY: i64 = -100;

/// Scores −100 a node with a PreferNoSchedule taint the pod does not tolerate.
pub struct TaintPreference;

impl Score for TaintPreference {
    fn name(&self) -> &'static str {
        "TaintPreference"
    }

    fn label(&self) -> &'static str {
        "taints"
    }

    fn weight(&self, config: &SchedulerConfig) -> u32 {
        config.weights.taint_preference
    }

    /// `None` for a node without such a taint: no penalty, nothing to say.
    fn score(&self, pod: &PodRequest, node: &NodeInfo, _: &SchedulerConfig) -> Option<i64> {
        let untolerated = |taint: &&Taint| {
            taint.effect == "PreferNoSchedule"
                && !tolerates(
                    &pod.tolerations,
                    &taint.key,
                    taint.value.as_deref().unwrap_or_default(),
                    &taint.effect,
                )
        };
        node.taints.iter().find(untolerated).map(|_| PENALTY)
    }

    fn absent(&self) -> &'static str {
        "none"
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::Toleration;

    use super::*;
    use crate::scheduler::fixtures::{defaults, j20, plain_pod};

    fn score(taints: Vec<Taint>, tolerations: Vec<Toleration>) -> Option<i64> {
        let mut node = j20();
        node.spec.as_mut().expect("a spec").taints = Some(taints);
        let mut pod = PodRequest::from_pod(&plain_pod("web", &[]));
        pod.tolerations = tolerations;
        TaintPreference.score(&pod, &NodeInfo::new(&node, []), &defaults())
    }

    fn suspect() -> Taint {
        Taint {
            key: "aircraft.mil/suspect".into(),
            value: None,
            effect: "PreferNoSchedule".into(),
            time_added: None,
        }
    }

    #[test]
    fn an_untolerated_prefer_no_schedule_taint_costs_the_node() {
        assert_eq!(score(vec![suspect()], vec![]), Some(PENALTY));
    }

    #[test]
    fn a_tolerated_or_hard_taint_or_none_says_nothing() {
        let tolerated = Toleration {
            key: Some("aircraft.mil/suspect".into()),
            operator: Some("Exists".into()),
            ..Toleration::default()
        };
        assert_eq!(score(vec![suspect()], vec![tolerated]), None);
        let hard = Taint {
            effect: "NoSchedule".into(),
            ..suspect()
        };
        assert_eq!(score(vec![hard], vec![]), None, "the filter's business");
        assert_eq!(score(vec![], vec![]), None);
    }
}
