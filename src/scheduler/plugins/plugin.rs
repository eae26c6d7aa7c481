//! What a plugin is: a filter a node must pass, or a score among the nodes
//! that pass, and why a node is turned down.

use std::borrow::Cow;

use crate::scheduler::config::SchedulerConfig;
use crate::scheduler::node_info::NodeInfo;
use crate::scheduler::pod_request::PodRequest;

/// Why a node cannot take a pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unfit {
    /// About this node, for a person: `fuel 60 < 70 required`.
    pub reason: String,
    /// The same without this node's particulars, so that nodes turned down
    /// for one cause are counted together: `fuel below 70`.
    pub summary: Cow<'static, str>,
}

impl Unfit {
    pub fn new(reason: impl Into<String>, summary: impl Into<Cow<'static, str>>) -> Unfit {
        Unfit {
            reason: reason.into(),
            summary: summary.into(),
        }
    }
}

/// A check a node must pass to be a candidate.
pub trait Filter: Sync {
    fn name(&self) -> &'static str;
    fn filter(
        &self,
        pod: &PodRequest,
        node: &NodeInfo,
        config: &SchedulerConfig,
    ) -> Result<(), Unfit>;
}

/// A preference among candidates.
pub trait Score: Sync {
    fn name(&self) -> &'static str;
    /// One word for messages: `fuel 95×3`.
    fn label(&self) -> &'static str;
    /// 0 turns the score off.
    fn weight(&self, config: &SchedulerConfig) -> u32;
    /// 0–100 (a penalty: −100–0), or `None` when this score has nothing to
    /// say about the pod on this node.
    fn score(&self, pod: &PodRequest, node: &NodeInfo, config: &SchedulerConfig) -> Option<i64>;
    /// What an explanation shows for a node the score said nothing about.
    fn absent(&self) -> &'static str {
        "skipped"
    }
    /// Why the score is what it is, when that is not obvious from the node.
    fn note(&self, _node: &NodeInfo) -> Option<&'static str> {
        None
    }
}
