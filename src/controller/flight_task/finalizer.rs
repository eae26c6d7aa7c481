//! The `airforce.mil/node-taints` finalizer: the `task-failed` taints a task
//! puts on nodes are outside its ownerReferences, so a task that has tainted a
//! node is kept until its taints are gone (SPEC Decision on finalizers).
//!
//! Added only right before the first taint, so a task that never fails carries
//! none. Both writes are JSON patches that test the list they change, so a
//! concurrent change to other finalizers fails the write instead of being lost.

use kube::api::{Patch, PatchParams};
use kube::{Api, ResourceExt};
use serde_json::json;

use super::{FIELD_MANAGER, taint};
use crate::api::FlightTask;
use crate::controller::context::Context;
use crate::controller::error::{Error, Result};
use crate::controller::task_plan::task_failed_taint;

/// Holds a task until the node taints it caused are removed.
pub const NODE_TAINTS: &str = "airforce.mil/node-taints";

/// Whether `task` carries the finalizer.
pub fn is_held(task: &FlightTask) -> bool {
    task.finalizers().iter().any(|f| f == NODE_TAINTS)
}

/// Adds the finalizer unless the task already carries it.
pub async fn add(ctx: &Context, task: &FlightTask, namespace: &str) -> Result<()> {
    if is_held(task) {
        return Ok(());
    }
    let name = task.name_any();
    let patch = match &task.metadata.finalizers {
        None => json!([
            { "op": "test", "path": "/metadata/finalizers", "value": null },
            { "op": "add", "path": "/metadata/finalizers", "value": [NODE_TAINTS] },
        ]),
        Some(finalizers) => json!([
            { "op": "test", "path": "/metadata/finalizers", "value": finalizers },
            { "op": "add", "path": "/metadata/finalizers/-", "value": NODE_TAINTS },
        ]),
    };
    patch_finalizers(ctx, namespace, &name, patch, "add the finalizer to").await
}

/// The cleanup of a task being deleted: removes its `task-failed` taints from
/// every node, then the finalizer. Safe to run again after a restart.
pub async fn clean_up(ctx: &Context, task: &FlightTask, namespace: &str) -> Result<()> {
    let Some(index) = task.finalizers().iter().position(|f| f == NODE_TAINTS) else {
        return Ok(());
    };
    // The value does not depend on the node: any node name will do.
    let value = task_failed_taint("", task).taint.value.unwrap_or_default();
    taint::remove_all(ctx, &value).await?;
    let path = format!("/metadata/finalizers/{index}");
    let patch = json!([
        { "op": "test", "path": path, "value": NODE_TAINTS },
        { "op": "remove", "path": path },
    ]);
    let name = task.name_any();
    patch_finalizers(ctx, namespace, &name, patch, "remove the finalizer from").await?;
    tracing::info!(task = %name, "removed its node taints and the finalizer");
    Ok(())
}

async fn patch_finalizers(
    ctx: &Context,
    namespace: &str,
    name: &str,
    patch: serde_json::Value,
    action: &'static str,
) -> Result<()> {
    let api: Api<FlightTask> = ctx.namespaced(namespace);
    // Typed through inference: the json-patch crate is kube's, not ours.
    let patch = Patch::<()>::Json(serde_json::from_value(patch).expect("a well-formed JSON patch"));
    let params = PatchParams {
        field_manager: Some(FIELD_MANAGER.to_string()),
        ..PatchParams::default()
    };
    match api.patch(name, &params, &patch).await {
        Ok(_) => Ok(()),
        Err(kube::Error::Api(status)) if status.is_not_found() => Ok(()),
        Err(error) => Err(Error::kube(
            action,
            format!("FlightTask {namespace}/{name}"),
        )(error)),
    }
}
