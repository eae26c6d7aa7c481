//! Finalizers earlier versions put on flight tasks, removed on sight. A task
//! now holds nothing up when it is deleted: the fault marks it made are
//! taken back by the aircraft controller once the task is gone (or expire),
//! so deleting a task, a mission or a namespace never waits for the operator.

use kube::api::{Patch, PatchParams};
use kube::{Api, ResourceExt};
use serde_json::json;

use crate::api::FlightTask;
use crate::api::field_managers;
use crate::controller::context::Context;
use crate::controller::error::{Error, Result};

/// The finalizers earlier versions held a task with until its node taints
/// or fault marks were gone.
const EARLIER: [&str; 2] = ["airforce.mil/node-taints", "airforce.mil/fault-marks"];

/// Whether `task` carries one of them.
pub fn is_held(task: &FlightTask) -> bool {
    task.finalizers()
        .iter()
        .any(|f| EARLIER.contains(&f.as_str()))
}

/// Removes the first of them `task` carries, with a JSON patch that tests
/// the entry it removes, so a concurrent change to the list fails the write
/// instead of being lost. A task that is gone needs nothing.
pub async fn release(ctx: &Context, task: &FlightTask, namespace: &str) -> Result<()> {
    let finalizers = task.finalizers();
    let Some(index) = finalizers
        .iter()
        .position(|f| EARLIER.contains(&f.as_str()))
    else {
        return Ok(());
    };
    let path = format!("/metadata/finalizers/{index}");
    let patch = json!([
        { "op": "test", "path": path, "value": finalizers[index] },
        { "op": "remove", "path": path },
    ]);
    let name = task.name_any();
    let api: Api<FlightTask> = ctx.namespaced(namespace);
    // Typed through inference: the json-patch crate is kube's, not ours.
    let patch = Patch::<()>::Json(serde_json::from_value(patch).expect("a well-formed JSON patch"));
    let params = PatchParams {
        field_manager: Some(field_managers::FLIGHT_TASK_CONTROLLER.to_string()),
        ..PatchParams::default()
    };
    match api.patch(&name, &params, &patch).await {
        Ok(_) => Ok(()),
        Err(kube::Error::Api(status)) if status.is_not_found() => Ok(()),
        Err(error) => Err(Error::kube(
            "remove the finalizer from",
            format!("FlightTask {namespace}/{name}"),
        )(error)),
    }
}
