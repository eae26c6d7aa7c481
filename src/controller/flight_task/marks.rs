//! Fault marks on aircraft nodes (see [`crate::api::fault_marks`]): deciding
//! one with the fleet in view, writing it, and taking marks back. Each mark is
//! one annotation of its own, so marks of different tasks are written and
//! removed by merge patches that never touch each other.

use k8s_openapi::api::core::v1::Node;
use k8s_openapi::jiff::Timestamp;
use kube::api::{ListParams, Patch, PatchParams};
use kube::{Api, ResourceExt};
use serde_json::json;

use crate::api::FlightTask;
use crate::api::aircraft::labels;
use crate::api::fault_marks::{self, FaultMark};
use crate::api::field_managers;
use crate::controller::context::Context;
use crate::controller::error::{Error, Result};
use crate::controller::fault_marks::{MarkDecision, decide};
use crate::controller::task_plan::Suspect;

/// Decides whether `task` marks the aircraft it failed on and, if so, marks
/// it. One decision at a time, so the limit on marked aircraft holds.
pub async fn mark(
    ctx: &Context,
    task: &FlightTask,
    namespace: &str,
    suspect: &Suspect,
    now: Timestamp,
) -> Result<MarkDecision> {
    let Some(uid) = task.metadata.uid.as_deref() else {
        return Ok(MarkDecision::Gone);
    };
    let _one_at_a_time = ctx.marking.lock().await;
    let api: Api<Node> = Api::all(ctx.client.clone());
    let object = format!("node {}", suspect.node);
    let Some(node) = (api.get_opt(&suspect.node).await).map_err(Error::kube("read", &object))?
    else {
        return Ok(MarkDecision::Gone);
    };
    // Read fresh, not from a cache: a mark this process wrote a moment ago
    // must count.
    let same_type = match node.labels().get(labels::TYPE) {
        Some(kind) => format!("{}={kind}", labels::TYPE),
        None => format!("!{}", labels::TYPE),
    };
    let fleet = (api.list(&ListParams::default().labels(&same_type)).await)
        .map_err(Error::kube("list", "the aircraft"))?
        .items;
    let decision = decide(&fleet, &suspect.node, uid, now, ctx.config.marks());
    if let MarkDecision::Mark { until } = &decision {
        let mark = FaultMark {
            task: format!("{namespace}/{}", task.name_any()),
            attempt: i32::try_from(suspect.attempt).unwrap_or(i32::MAX),
            reason: suspect.reason.clone(),
            expires: until.clone(),
        };
        let value = fault_marks::mark_value(&mark);
        annotate(&api, &suspect.node, uid, Some(value)).await?;
        tracing::info!(node = suspect.node, until = %until.0, "marked the aircraft as suspect");
    }
    Ok(decision)
}

/// Takes the mark of the task with uid `task_uid` off `node`.
pub async fn unmark(ctx: &Context, task_uid: &str, node: &str) -> Result<()> {
    let api: Api<Node> = Api::all(ctx.client.clone());
    annotate(&api, node, task_uid, None).await
}

/// Sets (or with `None` removes) the mark annotation of `task_uid` on `node`;
/// a node that is gone needs nothing.
async fn annotate(
    api: &Api<Node>,
    node: &str,
    task_uid: &str,
    value: Option<String>,
) -> Result<()> {
    let key = fault_marks::mark_key(task_uid);
    let patch = json!({ "metadata": { "annotations": { key: value } } });
    let params = PatchParams {
        field_manager: Some(field_managers::FLIGHT_TASK_CONTROLLER.to_string()),
        ..PatchParams::default()
    };
    match api.patch(node, &params, &Patch::Merge(&patch)).await {
        Ok(_) => Ok(()),
        Err(kube::Error::Api(status)) if status.is_not_found() => Ok(()),
        Err(error) => Err(Error::kube("mark", format!("node {node}"))(error)),
    }
}
