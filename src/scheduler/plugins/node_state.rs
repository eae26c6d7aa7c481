//! NodeUnschedulable and NodeReady: a cordoned or unhealthy node takes no pod.

use super::{Filter, Unfit, tolerates};
use crate::scheduler::config::SchedulerConfig;
use crate::scheduler::node_info::{NodeInfo, Readiness};
use crate::scheduler::pod_request::PodRequest;

/// The taint a cordon stands for; a pod tolerating it may still go there, as
/// with kube-scheduler (DaemonSet-style pods do).
const UNSCHEDULABLE_TAINT: &str = "node.kubernetes.io/unschedulable";

/// Refuses a cordoned node (`spec.unschedulable`).
pub struct NodeUnschedulable;

impl Filter for NodeUnschedulable {
    fn name(&self) -> &'static str {
        "NodeUnschedulable"
    }

    fn filter(&self, pod: &PodRequest, node: &NodeInfo, _: &SchedulerConfig) -> Result<(), Unfit> {
        if node.unschedulable && !tolerates(&pod.tolerations, UNSCHEDULABLE_TAINT, "", "NoSchedule")
        {
            return Err(Unfit::new(
                "node is cordoned (spec.unschedulable); uncordon it to use it",
                "cordoned",
            ));
        }
        Ok(())
    }
}

/// Refuses a node whose kubelet does not report Ready.
pub struct NodeReady;

impl Filter for NodeReady {
    fn name(&self) -> &'static str {
        "NodeReady"
    }

    fn filter(&self, _: &PodRequest, node: &NodeInfo, _: &SchedulerConfig) -> Result<(), Unfit> {
        match &node.readiness {
            Readiness::Ready => Ok(()),
            Readiness::NotReady { status, reason } => {
                let because = reason
                    .as_deref()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default();
                Err(Unfit::new(
                    format!("node is not Ready (Ready={status}{because})"),
                    "not Ready",
                ))
            }
            Readiness::Unreported => Err(Unfit::new(
                "node has not reported a Ready condition",
                "not Ready",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::{NodeCondition, Toleration};

    use super::*;
    use crate::scheduler::fixtures::{defaults, j20, plain_pod};

    fn web() -> PodRequest {
        PodRequest::from_pod(&plain_pod("web", &[]))
    }

    #[test]
    fn a_cordoned_node_is_refused_unless_the_pod_tolerates_the_cordon() {
        let mut node = j20();
        node.spec.as_mut().expect("a spec").unschedulable = Some(true);
        let info = NodeInfo::new(&node, []);
        let unfit = NodeUnschedulable
            .filter(&web(), &info, &defaults())
            .expect_err("cordoned");
        assert_eq!(unfit.summary, "cordoned");
        assert!(unfit.reason.starts_with("node is cordoned"));
        let mut tolerant = web();
        tolerant.tolerations = vec![Toleration {
            key: Some(UNSCHEDULABLE_TAINT.into()),
            operator: Some("Exists".into()),
            effect: Some("NoSchedule".into()),
            ..Toleration::default()
        }];
        assert_eq!(
            NodeUnschedulable.filter(&tolerant, &info, &defaults()),
            Ok(())
        );
        assert_eq!(
            NodeUnschedulable.filter(&web(), &NodeInfo::new(&j20(), []), &defaults()),
            Ok(())
        );
    }

    #[test]
    fn only_a_ready_node_passes() {
        let ready = NodeInfo::new(&j20(), []);
        assert_eq!(NodeReady.filter(&web(), &ready, &defaults()), Ok(()));
        let mut node = j20();
        node.status.as_mut().expect("a status").conditions = Some(vec![NodeCondition {
            type_: "Ready".into(),
            status: "False".into(),
            reason: Some("KubeletNotReady".into()),
            ..NodeCondition::default()
        }]);
        let unfit = NodeReady
            .filter(&web(), &NodeInfo::new(&node, []), &defaults())
            .expect_err("not ready");
        assert_eq!(
            unfit,
            Unfit::new(
                "node is not Ready (Ready=False: KubeletNotReady)",
                "not Ready"
            )
        );
        node.status.as_mut().expect("a status").conditions = Some(vec![NodeCondition {
            type_: "Ready".into(),
            status: "Unknown".into(),
            ..NodeCondition::default()
        }]);
        let unfit = NodeReady
            .filter(&web(), &NodeInfo::new(&node, []), &defaults())
            .expect_err("unknown");
        assert_eq!(unfit.reason, "node is not Ready (Ready=Unknown)");
        node.status.as_mut().expect("a status").conditions = None;
        let unfit = NodeReady
            .filter(&web(), &NodeInfo::new(&node, []), &defaults())
            .expect_err("unreported");
        assert_eq!(unfit.reason, "node has not reported a Ready condition");
    }
}
