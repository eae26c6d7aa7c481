//! Tainting the node a task failed on, so its retries go elsewhere (SPEC C3).
//!
//! A merge patch of `spec.taints` guarded by the node's resourceVersion: the
//! list is replaced as a whole, so the guard keeps a concurrent change to other
//! taints from being lost; on a conflict the node is read again.

use k8s_openapi::api::core::v1::{Node, Taint};
use kube::api::{ListParams, Patch, PatchParams};
use kube::{Api, ResourceExt};
use serde_json::json;

use super::FIELD_MANAGER;
use crate::controller::context::Context;
use crate::controller::error::{Error, Result};
use crate::controller::placement::TASK_FAILED_TAINT;
use crate::controller::task_plan::NodeTaint;

/// Writes lost to a concurrent change before giving up to the error backoff.
const CONFLICT_ATTEMPTS: u32 = 4;

pub async fn apply(ctx: &Context, wanted: &NodeTaint) -> Result<()> {
    let api: Api<Node> = Api::all(ctx.client.clone());
    let changed = update(&api, &wanted.node, "taint", |node| {
        with_taint(node, &wanted.taint)
    })
    .await?;
    if changed {
        tracing::info!(node = wanted.node, taint = ?wanted.taint.value, "tainted the node");
    }
    Ok(())
}

/// Removes the `task-failed` taint whose value is `value` from every node that
/// carries it: what a deleted task leaves behind (its finalizer's cleanup).
/// Taints of other tasks and other keys are kept.
pub async fn remove_all(ctx: &Context, value: &str) -> Result<()> {
    let api: Api<Node> = Api::all(ctx.client.clone());
    let listed =
        (api.list(&ListParams::default()).await).map_err(Error::kube("list", "the nodes"))?;
    for node in listed.items {
        if without_taint(&node, value).is_some() {
            let name = node.name_any();
            if update(&api, &name, "untaint", |node| without_taint(node, value)).await? {
                tracing::info!(node = name, taint = value, "removed the task's taint");
            }
        }
    }
    Ok(())
}

/// Replaces a node's taints with what `change` makes of them, guarded by the
/// node's resourceVersion and read again on a conflict. `change` returns `None`
/// when there is nothing to do; a node that is gone needs nothing either.
/// Returns whether the node was written.
async fn update(
    api: &Api<Node>,
    node_name: &str,
    action: &'static str,
    change: impl Fn(&Node) -> Option<Vec<Taint>>,
) -> Result<bool> {
    let mut attempt = 1;
    loop {
        let read = api.get_opt(node_name).await;
        let read = read.map_err(Error::kube("read", format!("node {node_name}")))?;
        let Some(taints) = read.as_ref().and_then(&change) else {
            return Ok(false);
        };
        let resource_version = read.as_ref().and_then(|node| node.resource_version());
        let patch = json!({
            "metadata": { "resourceVersion": resource_version },
            "spec": { "taints": taints },
        });
        let params = PatchParams {
            field_manager: Some(FIELD_MANAGER.to_string()),
            ..PatchParams::default()
        };
        match api.patch(node_name, &params, &Patch::Merge(&patch)).await {
            Ok(_) => return Ok(true),
            Err(kube::Error::Api(status))
                if status.is_conflict() && attempt < CONFLICT_ATTEMPTS =>
            {
                attempt += 1;
            }
            Err(kube::Error::Api(status)) if status.code == 404 => return Ok(false),
            Err(error) => return Err(Error::kube(action, format!("node {node_name}"))(error)),
        }
    }
}

/// The node's taints without the `task-failed` one of value `value`, or `None`
/// when it carries no such taint.
fn without_taint(node: &Node, value: &str) -> Option<Vec<Taint>> {
    let taints = node.spec.as_ref().and_then(|spec| spec.taints.as_ref())?;
    let ours = |t: &Taint| t.key == TASK_FAILED_TAINT && t.value.as_deref() == Some(value);
    if !taints.iter().any(ours) {
        return None;
    }
    Some(taints.iter().filter(|t| !ours(t)).cloned().collect())
}

/// The node's taints with `wanted` in place of the one of the same key and
/// effect (a node holds one per pair), or `None` when it is already there.
/// Other taints are kept as they are.
fn with_taint(node: &Node, wanted: &Taint) -> Option<Vec<Taint>> {
    let mut taints = node
        .spec
        .as_ref()
        .and_then(|spec| spec.taints.clone())
        .unwrap_or_default();
    let same = |t: &&mut Taint| t.key == wanted.key && t.effect == wanted.effect;
    match taints.iter_mut().find(same) {
        Some(existing) if existing.value == wanted.value => None,
        Some(existing) => {
            existing.value = wanted.value.clone();
            Some(taints)
        }
        None => {
            taints.push(wanted.clone());
            Some(taints)
        }
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::NodeSpec;

    use super::*;

    fn taint(key: &str, value: &str, effect: &str) -> Taint {
        Taint {
            key: key.into(),
            value: Some(value.into()),
            effect: effect.into(),
            time_added: None,
        }
    }

    fn node(taints: Vec<Taint>) -> Node {
        Node {
            spec: Some(NodeSpec {
                taints: Some(taints),
                ..NodeSpec::default()
            }),
            ..Node::default()
        }
    }

    #[test]
    fn the_taint_is_added_next_to_the_others() {
        let other = taint("maintenance", "yes", "NoSchedule");
        let wanted = taint("task-failed", "t1", "NoSchedule");
        let taints = with_taint(&node(vec![other.clone()]), &wanted);
        assert_eq!(taints, Some(vec![other, wanted]));
        assert_eq!(
            with_taint(&Node::default(), &taint("task-failed", "t1", "NoSchedule"))
                .map(|t| t.len()),
            Some(1)
        );
    }

    #[test]
    fn a_node_already_carrying_the_taint_is_not_written() {
        let wanted = taint("task-failed", "t1", "NoSchedule");
        assert_eq!(with_taint(&node(vec![wanted.clone()]), &wanted), None);
    }

    #[test]
    fn the_taint_of_another_task_is_replaced_not_duplicated() {
        let other_effect = taint("task-failed", "t0", "NoExecute");
        let earlier = taint("task-failed", "t0", "NoSchedule");
        let wanted = taint("task-failed", "t1", "NoSchedule");
        let taints = with_taint(&node(vec![other_effect.clone(), earlier]), &wanted);
        assert_eq!(taints, Some(vec![other_effect, wanted]));
    }

    #[test]
    fn only_the_task_failed_taint_of_this_task_is_removed() {
        let other_task = taint("task-failed", "t0", "NoSchedule");
        let other_key = taint("maintenance", "t1", "NoSchedule");
        let ours = taint("task-failed", "t1", "NoSchedule");
        let carrying = node(vec![other_key.clone(), ours, other_task.clone()]);
        assert_eq!(
            without_taint(&carrying, "t1"),
            Some(vec![other_key, other_task])
        );
        assert_eq!(without_taint(&carrying, "t2"), None);
        assert_eq!(without_taint(&Node::default(), "t1"), None);
    }
}
