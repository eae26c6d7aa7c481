//! The request that stops a mission, a stage or a task: the cancel
//! annotation, which its controller acts on and which survives an operator
//! restart. Made by `mission cancel` (with or without `--stage`) and by the
//! web console.

use kube::Api;
use kube::api::{Patch, PatchParams};
use serde_json::json;

use crate::api::field_managers;
use crate::api::keys::CANCEL_ANNOTATION;

/// Asks the controller of the mission, stage or task `name` to stop it.
pub(crate) async fn request_cancel<K>(api: &Api<K>, name: &str) -> kube::Result<K>
where
    K: Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let patch = json!({ "metadata": { "annotations": { CANCEL_ANNOTATION: "true" } } });
    api.patch(
        name,
        &PatchParams::apply(field_managers::CLI),
        &Patch::Merge(&patch),
    )
    .await
}
