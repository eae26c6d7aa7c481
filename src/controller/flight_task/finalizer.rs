//! The `airforce.mil/fault-marks` finalizer: the fault marks a task puts on
//! aircraft are outside its ownerReferences, so a task that has marked an
//! aircraft is kept until its marks are gone (see [`super::marks`]).
//!
//! Added only right before the first mark, so a task that never fails carries
//! none, and removed once the task has taken its marks back. Both writes are
//! JSON patches that test the list they change, so a concurrent change to
//! other finalizers fails the write instead of being lost.

use kube::api::{Patch, PatchParams};
use kube::{Api, ResourceExt};
use serde_json::json;

use super::{FIELD_MANAGER, marks};
use crate::api::FlightTask;
use crate::controller::context::Context;
use crate::controller::error::{Error, Result};

/// Holds a task until the fault marks it made are taken back.
pub const FAULT_MARKS: &str = "airforce.mil/fault-marks";

/// What versions before fault marks held a task with, until their node
/// taints were gone; the aircraft controller removes those taints now, so
/// the finalizer only has to go.
const LEGACY: &str = "airforce.mil/node-taints";

/// Whether `task` carries the finalizer (or the one it replaced).
pub fn is_held(task: &FlightTask) -> bool {
    task.finalizers()
        .iter()
        .any(|f| f == FAULT_MARKS || f == LEGACY)
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
            { "op": "add", "path": "/metadata/finalizers", "value": [FAULT_MARKS] },
        ]),
        Some(finalizers) => json!([
            { "op": "test", "path": "/metadata/finalizers", "value": finalizers },
            { "op": "add", "path": "/metadata/finalizers/-", "value": FAULT_MARKS },
        ]),
    };
    patch_finalizers(ctx, namespace, &name, patch, "add the finalizer to").await
}

/// The cleanup of a task being deleted: takes its marks off every aircraft,
/// then removes the finalizer. Safe to run again after a restart.
pub async fn clean_up(ctx: &Context, task: &FlightTask, namespace: &str) -> Result<()> {
    if !is_held(task) {
        return Ok(());
    }
    if let Some(uid) = task.metadata.uid.as_deref() {
        marks::unmark_everywhere(ctx, uid).await?;
    }
    remove(ctx, task, namespace).await?;
    tracing::info!(task = %task.name_any(), "took its fault marks back and removed the finalizer");
    Ok(())
}

/// Removes the finalizer, once the task holds no mark any more.
pub async fn remove(ctx: &Context, task: &FlightTask, namespace: &str) -> Result<()> {
    let finalizers = task.finalizers();
    let Some(index) = finalizers
        .iter()
        .position(|f| f == FAULT_MARKS || f == LEGACY)
    else {
        return Ok(());
    };
    let path = format!("/metadata/finalizers/{index}");
    let patch = json!([
        { "op": "test", "path": path, "value": finalizers[index] },
        { "op": "remove", "path": path },
    ]);
    let name = task.name_any();
    patch_finalizers(ctx, namespace, &name, patch, "remove the finalizer from").await
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
