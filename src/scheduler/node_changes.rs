//! Which node events may let a waiting pod fit. kubelets (and kwok) rewrite a
//! node's status every few seconds for heartbeats; retrying every unschedulable
//! pod on each would cost an Event and a status write per pod per heartbeat.
//! Only a change to what the filters and scores read counts, as kube-scheduler's
//! queueing hints do.

use std::collections::HashMap;

use k8s_openapi::api::core::v1::Node;
use kube::ResourceExt;
use kube::runtime::watcher::Event;

use super::node_info::NodeInfo;

/// The scheduling view of every node last seen.
#[derive(Default)]
pub struct NodeChanges {
    seen: HashMap<String, NodeInfo>,
    /// Filled during a relist, then swapped in, so nodes deleted while the
    /// watch was down are forgotten.
    relisted: HashMap<String, NodeInfo>,
}

impl NodeChanges {
    /// Records the event; true when a waiting pod may fit because of it.
    pub fn may_free_room(&mut self, event: &Event<Node>) -> bool {
        match event {
            Event::Apply(node) => {
                let info = NodeInfo::new(node, []);
                self.seen.insert(node.name_any(), info.clone()) != Some(info)
            }
            // One node fewer never makes a pod fit.
            Event::Delete(node) => {
                self.seen.remove(&node.name_any());
                false
            }
            Event::Init => {
                self.relisted.clear();
                false
            }
            Event::InitApply(node) => {
                self.relisted
                    .insert(node.name_any(), NodeInfo::new(node, []));
                false
            }
            Event::InitDone => {
                let changed = self.relisted != self.seen;
                self.seen = std::mem::take(&mut self.relisted);
                changed
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::{NodeCondition, NodeSpec, NodeStatus, Taint};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
    use kube::api::ObjectMeta;

    use super::*;

    fn node(name: &str, fuel: &str) -> Node {
        Node {
            metadata: ObjectMeta {
                name: Some(name.into()),
                labels: Some([("aircraft.mil/fuel.level".to_string(), fuel.to_string())].into()),
                ..Default::default()
            },
            spec: Some(NodeSpec::default()),
            status: Some(NodeStatus {
                conditions: Some(vec![heartbeat(1)]),
                ..Default::default()
            }),
        }
    }

    fn heartbeat(second: i64) -> NodeCondition {
        NodeCondition {
            type_: "Ready".into(),
            status: "True".into(),
            last_heartbeat_time: Some(Time(
                k8s_openapi::jiff::Timestamp::from_second(second).expect("a time"),
            )),
            ..Default::default()
        }
    }

    #[test]
    fn a_heartbeat_is_not_a_change_but_a_label_or_taint_is() {
        let mut changes = NodeChanges::default();
        assert!(
            changes.may_free_room(&Event::Apply(node("a", "20"))),
            "a new node"
        );
        let mut beat = node("a", "20");
        beat.status.as_mut().expect("status").conditions = Some(vec![heartbeat(2)]);
        assert!(!changes.may_free_room(&Event::Apply(beat)));
        assert!(changes.may_free_room(&Event::Apply(node("a", "90"))));
        let mut tainted = node("a", "90");
        tainted.spec.as_mut().expect("spec").taints = Some(vec![Taint {
            key: "dedicated".into(),
            effect: "NoSchedule".into(),
            ..Default::default()
        }]);
        assert!(changes.may_free_room(&Event::Apply(tainted)));
        assert!(
            changes.may_free_room(&Event::Apply(node("a", "90"))),
            "taint removed"
        );
    }

    #[test]
    fn a_deleted_node_frees_nothing_and_a_relist_counts_only_when_something_differs() {
        let mut changes = NodeChanges::default();
        changes.may_free_room(&Event::Apply(node("a", "20")));
        let relist = |changes: &mut NodeChanges, fuel: &str| {
            changes.may_free_room(&Event::Init);
            changes.may_free_room(&Event::InitApply(node("a", fuel)));
            changes.may_free_room(&Event::InitDone)
        };
        assert!(!relist(&mut changes, "20"));
        assert!(relist(&mut changes, "80"));
        assert!(!changes.may_free_room(&Event::Delete(node("a", "80"))));
        assert!(
            changes.may_free_room(&Event::Apply(node("a", "80"))),
            "back again"
        );
    }
}
