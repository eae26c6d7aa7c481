//! What the reconcilers write to the API server, shared: a status by
//! server-side apply, requests passed down as annotations, foreground
//! deletes, and events. An object already gone counts as done.

use std::fmt::Debug;

use k8s_openapi::NamespaceResourceScope;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::Timestamp;
use kube::api::{Patch, PatchParams};
use kube::runtime::events::Recorder;
use kube::{Api, Resource, ResourceExt};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;

use super::context::Context;
use super::error::{Error, Result, error_chain};
use super::progress;
use super::report::PlanEvent;
use crate::api::SuspendMode;
use crate::api::keys;

/// Server-side applies `status` as the status of `object` (a `noun` in
/// messages) under `manager`, unless it is what is `stored`. With `guard` the
/// write holds only while the object is as it was read: a conflict otherwise.
pub async fn write_status<K, S>(
    ctx: &Context,
    object: &K,
    noun: &str,
    stored: Option<&S>,
    status: &S,
    manager: &str,
    guard: bool,
) -> Result<()>
where
    K: Resource<DynamicType = (), Scope = NamespaceResourceScope>
        + Clone
        + DeserializeOwned
        + Debug,
    S: Serialize,
{
    if !status_changed(stored, status) {
        return Ok(());
    }
    let (namespace, name) = (object.namespace().unwrap_or_default(), object.name_any());
    let api: Api<K> = ctx.namespaced(&namespace);
    let mut patch = status_patch::<K>(status);
    if guard {
        patch["metadata"] = json!({ "resourceVersion": object.resource_version() });
    }
    (api.patch_status(&name, &forced_apply(manager), &Patch::Apply(&patch))
        .await)
        .map_err(Error::kube(
            "write the status of",
            format!("{noun} {namespace}/{name}"),
        ))?;
    Ok(())
}

/// How long to hold the write of `status` over `stored` for `object` (known
/// as `key`), or `None` to write it now: held only when the plan does nothing
/// else (`acts` is false), the change moves only the `progress` fields, and
/// the object wrote progress less than an interval ago, longer for a larger
/// object (see [`progress`]).
pub fn hold_progress<O: Serialize, S: Serialize>(
    ctx: &Context,
    key: &str,
    object: &O,
    acts: bool,
    stored: Option<&S>,
    status: &S,
    progress_fields: &[&str],
) -> Option<std::time::Duration> {
    if acts || !progress::only_progress(stored, status, progress_fields) {
        return None;
    }
    let bytes = serde_json::to_vec(object).map_or(0, |json| json.len());
    let interval = progress::interval_for(bytes);
    ctx.progress.hold(key, std::time::Instant::now(), interval)
}

/// Now, as the plans take it.
pub fn now() -> Time {
    Time(Timestamp::now())
}

/// Whether `object` carries [`keys::CANCEL_ANNOTATION`] set to `"true"`.
pub fn is_cancelled<K: Resource>(object: &K) -> bool {
    (object.annotations().get(keys::CANCEL_ANNOTATION)).is_some_and(|value| value == "true")
}

/// How a stage (or a task) was told its mission is suspended, if it was
/// ([`keys::SUSPEND_ANNOTATION`]).
pub fn suspension<K: Resource>(object: &K) -> Option<SuspendMode> {
    (object.annotations().get(keys::SUSPEND_ANNOTATION))
        .and_then(|value| SuspendMode::from_annotation_value(value))
}

/// Server-side apply, forced: each field here belongs to one controller.
pub fn forced_apply(manager: &str) -> PatchParams {
    PatchParams::apply(manager).force()
}

/// Whether the planned status differs from the stored one, compared as JSON so
/// that timestamps, stored to the second, compare as the server keeps them and
/// our own status write does not wake us into writing it again.
pub fn status_changed<S: Serialize>(old: Option<&S>, new: &S) -> bool {
    match old {
        None => true,
        Some(old) => serde_json::to_value(old).ok() != serde_json::to_value(new).ok(),
    }
}

/// The body that server-side applies `status` to an object of kind `K`.
pub fn status_patch<K: Resource<DynamicType = ()>>(status: &impl Serialize) -> serde_json::Value {
    json!({
        "apiVersion": K::api_version(&()),
        "kind": K::kind(&()),
        "status": status,
    })
}

/// Sets [`keys::CANCEL_ANNOTATION`] on `name`; an object already gone is fine.
pub async fn cancel<K>(api: &Api<K>, name: &str, manager: &str) -> kube::Result<()>
where
    K: Resource + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let annotations = json!({ keys::CANCEL_ANNOTATION: "true" });
    annotate(api, name, annotations, manager).await
}

/// Sets [`keys::SUSPEND_ANNOTATION`] on `name` to say `suspension`, or
/// lifts it.
pub async fn mark_suspended<K>(
    api: &Api<K>,
    name: &str,
    suspension: Option<SuspendMode>,
    manager: &str,
) -> kube::Result<()>
where
    K: Resource + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let value = suspension.map(SuspendMode::annotation_value);
    annotate(
        api,
        name,
        json!({ keys::SUSPEND_ANNOTATION: value }),
        manager,
    )
    .await
}

/// Sets [`keys::RETRY_REQUEST_ANNOTATION`] to `request` on `name` and lifts a
/// cancellation, so a cancelled stage may run again; an object already gone
/// is fine.
pub async fn ask_to_retry<K>(
    api: &Api<K>,
    name: &str,
    request: &str,
    manager: &str,
) -> kube::Result<()>
where
    K: Resource + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let annotations = json!({
        keys::RETRY_REQUEST_ANNOTATION: request,
        keys::CANCEL_ANNOTATION: null,
        keys::RETRY_INCLUDES_SUCCEEDED_ANNOTATION: null,
    });
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

fn is_not_found(error: &kube::Error) -> bool {
    matches!(error, kube::Error::Api(status) if status.is_not_found())
}

/// Records the plan's events about `object`. An event is for people: one that
/// cannot be recorded is logged and the reconcile goes on.
pub async fn publish<K: Resource<DynamicType = ()>>(
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
