//! The weapon calls of a FlightTask reconcile: asking the weapons of a
//! running pod to arm, and telling them to Abort before their pod is stopped.
//! Every weapon of the pod is called at once; a weapon that cannot be reached
//! is reported as such, never an error of the reconcile.

use futures::future::join_all;
use k8s_openapi::api::core::v1::Pod;
use kube::ResourceExt;

use crate::api::TaskWeaponStatus;
use crate::controller::context::Context;
use crate::weapon_link::{self, sidecars};

/// What each weapon of `pod` answered when asked to arm.
pub async fn arm(ctx: &Context, pod: &Pod) -> Vec<TaskWeaponStatus> {
    let sidecars = sidecars::of_pod(pod);
    join_all(sidecars.iter().map(|sidecar| async move {
        match ctx.weapons.arm(pod, sidecar).await {
            Ok(status) => weapon_link::reading(sidecar, &status),
            Err(error) => {
                tracing::debug!(pod = pod.name_any(), %error, "a weapon did not answer");
                weapon_link::unreachable(sidecar, &error)
            }
        }
    }))
    .await
}

/// Tells every weapon of `pod` to Abort; returns what each said after it,
/// leaving out those that could not be reached (logged).
pub async fn abort(ctx: &Context, pod: &Pod, reason: &str) -> Vec<TaskWeaponStatus> {
    let sidecars = sidecars::of_pod(pod);
    let answers = join_all(sidecars.iter().map(|sidecar| async move {
        match ctx.weapons.abort(pod, sidecar, reason).await {
            Ok(status) => Some(weapon_link::reading(sidecar, &status)),
            Err(error) => {
                tracing::warn!(pod = pod.name_any(), %error, "cannot abort a weapon");
                None
            }
        }
    }))
    .await;
    answers.into_iter().flatten().collect()
}
