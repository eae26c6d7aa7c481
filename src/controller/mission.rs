//! The Mission controller's I/O shell: reads a mission and its
//! MissionStages, asks [`mission_plan::plan`] what to do, and applies it.
//! Driven by watches on missions and the stages they own; it never polls.
//!
//! Also holds what the stage controller's shell shares with this one: how a
//! status is written only when it changed, how a result is logged, and how
//! events are published.

use std::future::Future;
use std::sync::Arc;

use futures::StreamExt;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::Timestamp;
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams};
use kube::runtime::controller::{Action, Controller};
use kube::runtime::events::Recorder;
use kube::{Resource, ResourceExt};
use serde::Serialize;
use serde_json::json;

use super::children;
use super::context::Context;
use super::error::{Error, Result, error_chain, error_policy, log_outcome, reconciled};
use super::mission_plan::{self, MissionObserved, MissionPlan};
use super::names;
use super::report::PlanEvent;
use super::retry;
use crate::api::field_managers;
use crate::api::keys;
use crate::api::{Mission, MissionPhase, MissionStage};

/// Runs the Mission controller until `shutdown` completes.
pub async fn run(ctx: Arc<Context>, shutdown: impl Future<Output = ()> + Send + Sync + 'static) {
    let controller = Controller::new(ctx.watched::<Mission>(), Context::watcher_config());
    crate::metrics::count_cached_phases(
        "Mission",
        controller.store(),
        &MissionPhase::ALL,
        |object| object.status.as_ref().and_then(|status| status.phase),
    );
    controller
        .owns(ctx.watched::<MissionStage>(), Context::watcher_config())
        .graceful_shutdown_on(shutdown)
        .run(
            |object, ctx| reconciled("mission", object, ctx, reconcile),
            error_policy,
            ctx,
        )
        .for_each(|result| async move { log_outcome(result) })
        .await;
}

#[tracing::instrument(skip_all, fields(
    kind = "Mission",
    namespace = mission.metadata.namespace.as_deref(),
    name = mission.metadata.name.as_deref(),
))]
async fn reconcile(mission: Arc<Mission>, ctx: Arc<Context>) -> Result<Action> {
    let name = mission.name_any();
    let namespace =
        (mission.namespace()).ok_or_else(|| Error::MissingNamespace(format!("mission {name}")))?;
    let stages_api: Api<MissionStage> = ctx.namespaced(&namespace);
    let stages = observe_stages(&stages_api, &mission).await?;
    let observed = MissionObserved {
        mission: &mission,
        stages: &stages,
        cancelled: is_cancelled(mission.as_ref()),
        retry_request: retry::request(mission.as_ref()),
        now: now(),
    };
    let plan = mission_plan::plan(&observed);
    apply_plan(&ctx, &mission, &stages_api, &stages, plan).await
}

/// The stages this mission controls.
async fn observe_stages(api: &Api<MissionStage>, mission: &Mission) -> Result<Vec<MissionStage>> {
    let selector = format!("{}={}", keys::MISSION_LABEL, mission.name_any());
    let object = format!(
        "mission {}/{}",
        mission.namespace().unwrap_or_default(),
        mission.name_any()
    );
    let listed = (api.list(&ListParams::default().labels(&selector)).await)
        .map_err(Error::kube("list the stages of", object))?;
    Ok((listed.items.into_iter())
        .filter(|stage| is_controlled_by(stage, mission))
        .collect())
}

/// The plan's writes, in its order: the retry asks, the status, the creates,
/// the cancels, then the events.
async fn apply_plan(
    ctx: &Context,
    mission: &Mission,
    stages_api: &Api<MissionStage>,
    stages: &[MissionStage],
    plan: MissionPlan,
) -> Result<Action> {
    let manager = field_managers::MISSION_CONTROLLER;
    let stage = |name: &str| format!("stage {}/{name}", mission.namespace().unwrap_or_default());
    // A retry reaches the failed stages before the status records it, so a
    // crash in between repeats it instead of losing it.
    if let Some(request) = plan.retry_request.as_deref() {
        for stage_name in &plan.retry_stages {
            (ask_to_retry(stages_api, stage_name, request, manager).await)
                .map_err(Error::kube("retry", stage(stage_name)))?;
        }
    }
    write_status(ctx, mission, &plan).await?;
    let mut events = plan.events;
    let mut requeue_after = plan.requeue_after;
    let uid = mission.uid().unwrap_or_default();
    let (creates, kind) = (&plan.create_stages, "CreateStage");
    children::create_each(
        stages_api,
        creates,
        &uid,
        kind,
        &mut events,
        &mut requeue_after,
    )
    .await?;
    for stage_name in &plan.cancel_stages {
        let already = (stages.iter()).any(|s| s.name_any() == *stage_name && is_cancelled(s));
        if !already {
            (cancel(stages_api, stage_name, manager).await)
                .map_err(Error::kube("cancel", stage(stage_name)))?;
        }
    }
    publish(&ctx.recorder, events, mission).await;
    Ok(requeue_after.map_or_else(Action::await_change, Action::requeue))
}

/// The status first: it is a retry's commit point (see mission_plan), and it
/// marks the stages about to start as started. Written only if the spec is
/// still the one planned with, so that an edit accepted meanwhile is planned
/// again instead of lost to a stage made from the old spec.
async fn write_status(ctx: &Context, mission: &Mission, plan: &MissionPlan) -> Result<()> {
    if !status_changed(mission.status.as_ref(), &plan.status) {
        return Ok(());
    }
    let namespace = mission.namespace().unwrap_or_default();
    let api: Api<Mission> = ctx.namespaced(&namespace);
    let mut patch = status_patch::<Mission>(&plan.status);
    if !plan.create_stages.is_empty() {
        patch["metadata"] = json!({ "resourceVersion": mission.resource_version() });
    }
    let params = apply(field_managers::MISSION_CONTROLLER);
    (api.patch_status(&mission.name_any(), &params, &Patch::Apply(&patch))
        .await)
        .map_err(Error::kube(
            "write the status of",
            format!("mission {namespace}/{}", mission.name_any()),
        ))?;
    Ok(())
}

/// Now, as the plans take it.
pub(super) fn now() -> Time {
    Time(Timestamp::now())
}

/// Whether `object` carries [`keys::CANCEL_ANNOTATION`] set to `"true"`.
pub fn is_cancelled<K: Resource>(object: &K) -> bool {
    (object.annotations().get(keys::CANCEL_ANNOTATION)).is_some_and(|value| value == "true")
}

/// Whether `owner`, read from the API server, is the controller of `child`.
pub(super) fn is_controlled_by<C: Resource, O: Resource>(child: &C, owner: &O) -> bool {
    (owner.meta().uid.as_deref()).is_some_and(|uid| names::is_controlled_by(child, uid))
}

/// Server-side apply, forced: each field here belongs to one controller.
pub(super) fn apply(manager: &str) -> PatchParams {
    PatchParams::apply(manager).force()
}

/// Whether the planned status differs from the stored one, compared as JSON so
/// that timestamps, stored to the second, compare as the server keeps them and
/// our own status write does not wake us into writing it again.
pub(super) fn status_changed<S: Serialize>(old: Option<&S>, new: &S) -> bool {
    match old {
        None => true,
        Some(old) => serde_json::to_value(old).ok() != serde_json::to_value(new).ok(),
    }
}

/// The body that server-side applies `status` to an object of kind `K`.
pub(super) fn status_patch<K: Resource<DynamicType = ()>>(
    status: &impl Serialize,
) -> serde_json::Value {
    json!({
        "apiVersion": K::api_version(&()),
        "kind": K::kind(&()),
        "status": status,
    })
}

/// Sets [`keys::CANCEL_ANNOTATION`] on `name`; an object already gone is fine.
pub(super) async fn cancel<K>(api: &Api<K>, name: &str, manager: &str) -> kube::Result<()>
where
    K: Resource + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let annotations = json!({ keys::CANCEL_ANNOTATION: "true" });
    annotate(api, name, annotations, manager).await
}

/// Sets [`keys::RETRY_REQUEST_ANNOTATION`] to `request` on `name` and lifts a
/// cancellation, so a cancelled stage may run again; an object already gone
/// is fine.
pub(super) async fn ask_to_retry<K>(
    api: &Api<K>,
    name: &str,
    request: &str,
    manager: &str,
) -> kube::Result<()>
where
    K: Resource + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let annotations =
        json!({ keys::RETRY_REQUEST_ANNOTATION: request, keys::CANCEL_ANNOTATION: null });
    annotate(api, name, annotations, manager).await
}

/// Merge-patches `annotations` (a null removes one) onto `name`.
async fn annotate<K>(
    api: &Api<K>,
    name: &str,
    annotations: serde_json::Value,
    manager: &str,
) -> kube::Result<()>
where
    K: Resource + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let patch = json!({ "metadata": { "annotations": annotations } });
    let params = PatchParams {
        field_manager: Some(manager.to_string()),
        ..PatchParams::default()
    };
    match api.patch(name, &params, &Patch::Merge(&patch)).await {
        Ok(_) => Ok(()),
        Err(error) if is_not_found(&error) => Ok(()),
        Err(error) => Err(error),
    }
}

/// Deletes `name` in the foreground, so it is gone only after what it owns;
/// an object already gone is fine.
pub(super) async fn delete<K>(api: &Api<K>, name: &str) -> kube::Result<()>
where
    K: Resource + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    match api.delete(name, &DeleteParams::foreground()).await {
        Ok(_) => Ok(()),
        Err(error) if is_not_found(&error) => Ok(()),
        Err(error) => Err(error),
    }
}

fn is_not_found(error: &kube::Error) -> bool {
    matches!(error, kube::Error::Api(status) if status.is_not_found())
}

/// Records the plan's events about `object`. An event is for people: one that
/// cannot be recorded is logged and the reconcile goes on.
pub(super) async fn publish<K: Resource<DynamicType = ()>>(
    recorder: &Recorder,
    events: Vec<PlanEvent>,
    object: &K,
) {
    let reference = object.object_ref(&());
    for event in events {
        if let Err(source) = recorder.publish(&event.into(), &reference).await {
            let error = Error::Event {
                object: format!("{} {}", K::kind(&()), object.name_any()),
                source,
            };
            tracing::warn!(error = %error_chain(&error), "event not recorded");
        }
    }
}
