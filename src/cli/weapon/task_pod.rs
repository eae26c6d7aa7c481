//! The running pod of a FlightTask and the way to its weapons, for the
//! commands that talk to a task's weapons.

use std::time::Duration;

use anyhow::{Context, bail};
use k8s_openapi::api::core::v1::Pod;
use kube::{Api, ResourceExt};

use crate::api::FlightTask;
use crate::cli::GlobalArgs;
use crate::cli::task_arg::TaskArg;
use crate::weapon_link::{Route, Sidecar, WeaponLink, sidecars};

/// How long each call to a weapon may take from a terminal.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);

pub struct TaskWeapons {
    pub pod: Pod,
    pub sidecars: Vec<Sidecar>,
    pub link: WeaponLink,
}

/// The weapons of `task`'s current pod, reached through the API server's
/// port-forward (a terminal cannot route to pod addresses).
pub async fn task_weapons(task: &str, global: &GlobalArgs) -> anyhow::Result<TaskWeapons> {
    let cluster = crate::cli::global::connect(global).await?;
    let namespace = &cluster.namespace;
    let tasks: Api<FlightTask> = Api::namespaced(cluster.client.clone(), namespace);
    let found = TaskArg::parse(task)
        .map_err(anyhow::Error::msg)?
        .find(&tasks, namespace)
        .await?;
    let task = found.name_any();
    let task = task.as_str();
    let pod_name = (found.status.as_ref())
        .and_then(|status| status.pod_ref.as_ref())
        .map(|pod| pod.name.clone())
        .with_context(|| format!("FlightTask {task} has no pod yet: its weapons are not loaded"))?;
    let pods: Api<Pod> = Api::namespaced(cluster.client.clone(), namespace);
    let pod = (pods.get_opt(&pod_name).await)
        .with_context(|| format!("cannot read pod {pod_name} in namespace {namespace}"))?
        .with_context(|| {
            format!("pod {pod_name} of FlightTask {task} is gone: its weapons went with it")
        })?;
    let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref());
    if phase != Some("Running") {
        bail!(
            "pod {pod_name} of FlightTask {task} is {}: only a running pod's weapons answer",
            phase.unwrap_or("not started")
        );
    }
    let sidecars = sidecars::of_pod(&pod);
    if sidecars.is_empty() {
        bail!("FlightTask {task} carries no weapons (its pod {pod_name} has no weapon sidecar)");
    }
    let link = WeaponLink::new(cluster.client, Route::PortForward, CALL_TIMEOUT);
    Ok(TaskWeapons {
        pod,
        sidecars,
        link,
    })
}
