//! The nodes as the plugins see them at one moment: each node with the pods
//! bound to it, parsed once per scheduling cycle, not once per pod.

use std::collections::HashMap;

use k8s_openapi::api::core::v1::{Node, Pod};
use kube::ResourceExt;

use super::node_info::NodeInfo;
use super::pod_request::PodRequest;

pub struct Snapshot {
    infos: Vec<NodeInfo>,
    index: HashMap<String, usize>,
}

impl Snapshot {
    pub fn new<'a>(
        nodes: impl IntoIterator<Item = &'a Node>,
        pods: impl IntoIterator<Item = &'a Pod>,
    ) -> Snapshot {
        let mut on_node: HashMap<&str, Vec<&Pod>> = HashMap::new();
        for pod in pods {
            if let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) {
                on_node.entry(node).or_default().push(pod);
            }
        }
        let mut infos: Vec<NodeInfo> = (nodes.into_iter())
            .map(|node| {
                let bound = on_node.get(node.name_any().as_str());
                NodeInfo::new(node, bound.into_iter().flatten().copied())
            })
            .collect();
        // One order for the same cluster, so explanations list nodes alike.
        infos.sort_by(|a, b| a.name.cmp(&b.name));
        let index = (infos.iter().enumerate())
            .map(|(i, info)| (info.name.clone(), i))
            .collect();
        Snapshot { infos, index }
    }

    pub fn nodes(&self) -> &[NodeInfo] {
        &self.infos
    }

    /// Counts `pod` on `node` from now on, as if the binding were already seen.
    pub fn assume(&mut self, node: &str, pod: &PodRequest) {
        if let Some(&i) = self.index.get(node) {
            self.infos[i].assume(pod);
        }
    }
}
