//! The cluster side of `node label`: read the nodes named, then patch them,
//! each patch conditional on what was read.

use anyhow::{Context, bail};
use futures::{StreamExt, TryStreamExt, stream};
use k8s_openapi::api::core::v1::Node;
use kube::api::{ListParams, Patch, PatchParams};
use kube::{Api, ResourceExt};
use serde_json::json;

use super::targets::Targets;
use crate::api::field_managers;
use crate::cli::node::label_plan::{Edits, NodePlan};

/// Requests to the API server in flight at once, so a large fleet file is
/// quick without flooding the server.
const CONCURRENCY: usize = 16;
/// Tries of one node's patch when its resourceVersion moved under us.
const CONFLICT_ATTEMPTS: u32 = 5;

/// Every target node as the cluster has it, with its edits; fails, naming
/// them all, when the cluster lacks any.
pub(super) async fn resolve(
    api: &Api<Node>,
    targets: Targets,
    server: &str,
) -> anyhow::Result<Vec<(Node, Edits)>> {
    let cannot_read = || format!("cannot read the nodes from {server}");
    let targets = match targets {
        Targets::Selected { selector, edits } => {
            let params = ListParams::default().labels(&selector);
            let mut nodes = api.list(&params).await.with_context(cannot_read)?.items;
            if nodes.is_empty() {
                bail!("no nodes match -l {selector}: nothing was labeled");
            }
            nodes.sort_by_key(|node| node.name_any());
            return Ok(nodes.into_iter().map(|n| (n, edits.clone())).collect());
        }
        Targets::Named(targets) => targets,
    };
    let read: Vec<Option<Node>> = stream::iter(&targets)
        .map(|target| api.get_opt(&target.name))
        .buffered(CONCURRENCY)
        .try_collect()
        .await
        .with_context(cannot_read)?;
    let total = targets.len();
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for (target, node) in targets.into_iter().zip(read) {
        match (node, target.named_at) {
            (Some(node), _) => found.push((node, target.edits)),
            (None, Some(at)) => {
                missing.push(format!("{at}: node {} is not in the cluster", target.name))
            }
            (None, None) => missing.push(target.name),
        }
    }
    if missing.is_empty() {
        return Ok(found);
    }
    bail!(
        "nothing was labeled: {} of {total} nodes not found:\n  {}\n\
         node label changes existing nodes and never creates them: \
         check the names with `kubectl get nodes`",
        missing.len(),
        missing.join("\n  ")
    )
}

/// Patches every node that needs it. When more than one does, the API server
/// first checks them all in a dry run, so one refused node writes nothing.
pub(super) async fn write(
    api: &Api<Node>,
    found: Vec<(Node, Edits)>,
) -> anyhow::Result<Vec<NodePlan>> {
    let needing_writes = (found.iter())
        .filter(|(node, edits)| {
            !edits
                .plan(&node.name_any(), node.labels(), node.annotations())
                .changes_nothing()
        })
        .count();
    if needing_writes > 1 {
        patch_all(api, found.clone(), true).await?;
    }
    patch_all(api, found, false).await
}

/// Patches each node (a dry run when `dry_run`), continuing past failures so
/// the error can say which nodes were written and which were not.
pub(super) async fn patch_all(
    api: &Api<Node>,
    found: Vec<(Node, Edits)>,
    dry_run: bool,
) -> anyhow::Result<Vec<NodePlan>> {
    let total = found.len();
    let outcomes: Vec<(String, anyhow::Result<NodePlan>)> = stream::iter(found)
        .map(|(node, edits)| async move {
            let name = node.name_any();
            (name, patch(api, node, &edits, dry_run).await)
        })
        .buffered(CONCURRENCY)
        .collect()
        .await;
    let mut plans = Vec::new();
    let mut failed = Vec::new();
    for (name, outcome) in outcomes {
        match outcome {
            Ok(plan) => plans.push(plan),
            Err(error) => failed.push(format!("{name}: {error:#}")),
        }
    }
    if failed.is_empty() {
        return Ok(plans);
    }
    let written: Vec<&str> = (plans.iter())
        .filter(|plan| !plan.changes_nothing())
        .map(|plan| plan.node.as_str())
        .collect();
    let summary = if dry_run || written.is_empty() {
        "nothing was labeled".to_string()
    } else {
        format!("labeled {} ({})", written.len(), written.join(", "))
    };
    bail!(
        "{summary}: the API server refused {} of {total} nodes:\n  {}",
        failed.len(),
        failed.join("\n  ")
    )
}

/// One merge patch of the keys that change, conditional on the
/// resourceVersion read; on a conflict the node is read and planned again.
async fn patch(
    api: &Api<Node>,
    mut node: Node,
    edits: &Edits,
    dry_run: bool,
) -> anyhow::Result<NodePlan> {
    let name = node.name_any();
    let params = PatchParams {
        field_manager: Some(field_managers::CLI.to_string()),
        dry_run,
        ..PatchParams::default()
    };
    let mut attempt = 1;
    loop {
        let plan = edits.plan(&name, node.labels(), node.annotations());
        if plan.changes_nothing() {
            return Ok(plan);
        }
        let mut patch = plan.merge_patch();
        patch["metadata"]["resourceVersion"] = json!(node.resource_version());
        match api.patch(&name, &params, &Patch::Merge(&patch)).await {
            Ok(_) => return Ok(plan),
            Err(kube::Error::Api(status))
                if status.is_conflict() && attempt < CONFLICT_ATTEMPTS =>
            {
                attempt += 1;
                node = api.get(&name).await.context("cannot read it again")?;
            }
            Err(kube::Error::Api(status)) if status.is_forbidden() => bail!(
                "{} (check the permission with `kubectl auth can-i patch nodes`)",
                status.message
            ),
            Err(kube::Error::Api(status)) => bail!("{}", status.message),
            Err(error) => return Err(error.into()),
        }
    }
}
