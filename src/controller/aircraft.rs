//! The Aircraft controller's I/O shell: reads an aircraft node and
//! the task pods bound to it, asks [`aircraft_plan::plan`] which labels and
//! annotations to change, and merge-patches only those. Driven by watches on
//! aircraft nodes and on task pods (mapped to the node they are bound to).
//!
//! A node is looked at again only when something the plan reads changed:
//! kubelet (and kwok) heartbeats rewrite node status every few seconds, and on a
//! fleet of a thousand aircraft reacting to each would cost the API server two
//! requests per heartbeat for nothing. The one thing no watch here tells is the
//! end of a pod in a namespace this instance does not watch, which a node may be
//! busy with: such a node is looked at again after [`RECHECK_ELSEWHERE`].

use std::collections::hash_map::DefaultHasher;
use std::future::Future;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use k8s_openapi::api::core::v1::{Node, Pod};
use k8s_openapi::jiff::Timestamp;
use kube::api::{Patch, PatchParams};
use kube::runtime::controller::{Action, Controller};
use kube::runtime::reflector::{self, ObjectRef};
use kube::runtime::utils::PredicateConfig;
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Api, ResourceExt};
use serde_json::json;

use super::aircraft_plan::{self, AircraftPlan, Health, NodeObserved, TaskPod};
use super::apply::publish;
use super::context::Context;
use super::error::{Error, Result, error_policy, log_outcome, reconciled};
use super::watch;
use crate::api::FlightTask;
use crate::api::aircraft::annotations::BUSY_WITH;
use crate::api::aircraft::labels;
use crate::api::fault_marks;
use crate::api::field_managers;

/// Writes lost to a concurrent change of the node before giving up to the
/// error backoff.
const CONFLICT_ATTEMPTS: u32 = 4;

/// How soon a node busy with a pod outside the watched namespaces is looked
/// at again, since no watch of ours sees that pod end.
const RECHECK_ELSEWHERE: Duration = Duration::from_secs(10);

/// Runs the Aircraft controller until `shutdown` completes.
pub async fn run(ctx: Arc<Context>, shutdown: impl Future<Output = ()> + Send + Sync + 'static) {
    let nodes: Api<Node> = Api::all(ctx.client.clone());
    let (reader, writer) = reflector::store();
    let aircraft = watcher(nodes, Context::watcher_config().labels(labels::TYPE))
        .default_backoff()
        .modify(|node| node.managed_fields_mut().clear())
        .reflect(writer)
        .applied_objects()
        .predicate_filter(what_the_plan_reads, PredicateConfig::default());
    let task_pods = ctx.caches.pods.subscribe();
    Controller::for_stream(aircraft, reader)
        .with_config(watch::controller_config())
        .watches_shared_stream(task_pods, |pod: Arc<Pod>| {
            (pod.spec.as_ref()?.node_name.as_deref()).map(ObjectRef::<Node>::new)
        })
        .graceful_shutdown_on(shutdown)
        .run(
            |object, ctx| reconciled("aircraft", object, ctx, reconcile),
            error_policy,
            ctx,
        )
        .for_each(|result| async move { log_outcome(result) })
        .await;
}

/// A hash of what [`aircraft_plan::plan`] reads of a node, so that a change of
/// anything else (heartbeat times, resource versions) wakes nothing.
fn what_the_plan_reads(node: &Node) -> Option<u64> {
    let mut hasher = DefaultHasher::new();
    node.labels().hash(&mut hasher);
    node.annotations().hash(&mut hasher);
    Health::of(node).hash(&mut hasher);
    for taint in taints(node) {
        (&taint.key, &taint.value, &taint.effect).hash(&mut hasher);
    }
    Some(hasher.finish())
}

fn taints(node: &Node) -> &[k8s_openapi::api::core::v1::Taint] {
    (node.spec.as_ref())
        .and_then(|spec| spec.taints.as_deref())
        .unwrap_or_default()
}

/// Waits for the next change, or looks again when the next fault mark
/// expires, or soon when the node stays busy with a pod outside the watched
/// namespaces.
fn next_look(ctx: &Context, busy_with: Option<&str>, mark_expires: Option<Duration>) -> Action {
    let elsewhere = |key: &str| {
        let namespace = key.split_once('/').map(|(namespace, _)| namespace);
        (ctx.namespace.as_deref()).is_some_and(|watched| namespace != Some(watched))
    };
    let recheck = busy_with
        .filter(|key| elsewhere(key))
        .map(|_| RECHECK_ELSEWHERE);
    match [recheck, mark_expires].into_iter().flatten().min() {
        Some(after) => Action::requeue(after),
        None => Action::await_change(),
    }
}

/// One look at an aircraft: plan from the cached node, patch what changed,
/// and on a conflict read it fresh and plan again.
#[tracing::instrument(skip_all, fields(kind = "Node", name = cached.metadata.name.as_deref()))]
async fn reconcile(cached: Arc<Node>, ctx: Arc<Context>) -> Result<Action> {
    let name = cached.name_any();
    let object = format!("node {name}");
    let api: Api<Node> = Api::all(ctx.client.clone());
    let pods: Vec<TaskPod> = (ctx.caches.pods.indexed_by(&name).iter())
        .map(|pod| TaskPod::from_pod(pod))
        .collect();
    let mut attempt = 1;
    let mut node = Node::clone(&cached);
    loop {
        let (plan, next) = observe_and_plan(&ctx, &node, pods.clone()).await;
        if plan.changes_nothing() {
            publish(&ctx.recorder, plan.events, &node).await;
            return Ok(next);
        }
        match write(&api, &node, &plan).await {
            Ok(()) => {
                tracing::info!(labels = ?plan.labels, annotations = ?plan.annotations, taints = ?plan.taints, "updated the aircraft");
                publish(&ctx.recorder, plan.events, &node).await;
                return Ok(next);
            }
            // The patch is guarded by the resourceVersion planned from, and
            // heartbeats make the cached copy stale often.
            Err(kube::Error::Api(status))
                if status.is_conflict() && attempt < CONFLICT_ATTEMPTS =>
            {
                attempt += 1;
                let fresh = (api.get_opt(&name).await).map_err(Error::kube("read", &object))?;
                let Some(fresh) = fresh else {
                    return Ok(Action::await_change());
                };
                node = fresh;
            }
            Err(error) => return Err(Error::kube("label", &object)(error)),
        }
    }
}

/// The plan for `node` as read, and when to look at it next.
async fn observe_and_plan(
    ctx: &Context,
    node: &Node,
    mut pods: Vec<TaskPod>,
) -> (AircraftPlan, Action) {
    let name = node.name_any();
    let recorded = node.annotations().get(BUSY_WITH);
    let recorded_unseen = match recorded {
        Some(key) => !look_up_recorded(ctx, &name, key, &mut pods).await,
        None => false,
    };
    let now = Timestamp::now();
    let orphaned = orphaned_marks(ctx, node, now).await;
    let observed = NodeObserved {
        labels: node.labels(),
        annotations: node.annotations(),
        pods: &pods,
        recorded_unseen,
        health: Health::of(node),
        taints: taints(node),
        orphaned: &orphaned,
        now,
    };
    let plan = aircraft_plan::plan(&observed);
    let busy_with = match plan.annotations.get(BUSY_WITH) {
        Some(planned) => planned.clone(),
        None => recorded.cloned(),
    };
    let next = next_look(ctx, busy_with.as_deref(), plan.requeue_after);
    (plan, next)
}

/// The plan's changes to the node, guarded by the resourceVersion read: the
/// taints are replaced as a whole, and a label change made meanwhile must not
/// be undone.
async fn write(api: &Api<Node>, node: &Node, plan: &AircraftPlan) -> kube::Result<()> {
    let mut patch = plan.patch();
    patch["metadata"]["resourceVersion"] = json!(node.resource_version());
    let params = PatchParams {
        field_manager: Some(field_managers::AIRCRAFT_CONTROLLER.to_string()),
        ..PatchParams::default()
    };
    api.patch(&node.name_any(), &params, &Patch::Merge(&patch))
        .await
        .map(|_| ())
}

/// The uids of the tasks whose live marks `node` carries and that no longer
/// exist: deleted, or replaced by a task of the same name. A task that cannot
/// be looked up (a namespace this instance may not read) keeps its mark until
/// it expires.
async fn orphaned_marks(ctx: &Context, node: &Node, now: Timestamp) -> Vec<String> {
    let mut orphaned = Vec::new();
    for mark in fault_marks::marks(node.annotations()) {
        let Some(task) = mark.mark.as_ref().filter(|_| mark.is_live(now)) else {
            continue;
        };
        let Some((namespace, name)) = task.task.split_once('/') else {
            continue;
        };
        match ctx.namespaced::<FlightTask>(namespace).get_opt(name).await {
            Ok(Some(found)) if found.metadata.uid.as_deref() == Some(&mark.task_uid) => {}
            Ok(_) => orphaned.push(mark.task_uid.clone()),
            Err(error) => {
                tracing::debug!(task = task.task, %error, "cannot look up the task of a fault mark");
            }
        }
    }
    orphaned
}

/// Looks up the pod `key` recorded in [`BUSY_WITH`] when it is outside the
/// watched namespace (another instance, or an earlier run with another
/// `--namespace`, made the node busy), and adds it to `pods` while it exists.
/// A pod that is gone keeps no aircraft busy. Returns whether the pod's fate is
/// known; a pod in the watched namespaces is known through `pods` already.
async fn look_up_recorded(ctx: &Context, node: &str, key: &str, pods: &mut Vec<TaskPod>) -> bool {
    let Some((namespace, pod_name)) = key.split_once('/') else {
        return true; // Not a pod reference: nothing keeps the aircraft busy.
    };
    if ctx
        .namespace
        .as_deref()
        .is_none_or(|watched| watched == namespace)
    {
        return true;
    }
    match ctx.namespaced::<Pod>(namespace).get_opt(pod_name).await {
        Ok(Some(pod)) => {
            let mut recorded = TaskPod::from_pod(&pod);
            let on_node = pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node);
            recorded.active &= on_node;
            pods.push(recorded);
            true
        }
        Ok(None) => true,
        Err(error) => {
            tracing::debug!(pod = key, %error, "cannot look up the pod the aircraft is busy with");
            false
        }
    }
}

#[cfg(test)]
mod write_order;
