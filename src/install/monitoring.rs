//! `install --monitoring`: PodMonitors that have a Prometheus operator scrape
//! the operator's `/metrics` and the weapon sidecars' metrics in every
//! namespace. They need the Prometheus operator's PodMonitor CRD; without it
//! `install` says so and installs everything else.

use kube::Client;
use kube::api::{ApiResource, DynamicObject};
use serde_json::json;

use super::deployment::operator_selector;
use super::identity::metadata;
use crate::api::keys::TASK_LABEL;
use crate::api::weapon_pool::POOL_LABEL;

/// The CRD the monitors need.
pub const POD_MONITOR_CRD: &str = "podmonitors.monitoring.coreos.com";
/// The monitor of the operator's pods.
pub const OPERATOR_MONITOR: &str = "airforce-operator";
/// The monitor of the weapon sidecars of task pods, in every namespace.
pub const WEAPONS_MONITOR: &str = "airforce-weapons";
/// The monitor of the instances of weapon pools, in every namespace.
pub const WEAPON_POOLS_MONITOR: &str = "airforce-weapon-pools";
/// Every monitor `--monitoring` adds, in the order they are applied.
pub const MONITORS: [&str; 3] = [OPERATOR_MONITOR, WEAPONS_MONITOR, WEAPON_POOLS_MONITOR];

/// The Prometheus operator's PodMonitor kind.
pub fn pod_monitor_resource() -> ApiResource {
    ApiResource {
        group: "monitoring.coreos.com".into(),
        version: "v1".into(),
        api_version: "monitoring.coreos.com/v1".into(),
        kind: "PodMonitor".into(),
        plural: "podmonitors".into(),
    }
}

/// A PodMonitor as kubectl names it in what it reports:
/// `podmonitor.monitoring.coreos.com/<name>`.
pub fn monitor_ref(name: &str) -> String {
    format!("podmonitor.{}/{name}", pod_monitor_resource().group)
}

/// The PodMonitors, in the operator's `namespace`: the operator's port
/// `http`, and the ports named `metrics` (the simulated weapon's) of every
/// task pod and of every weapon pool instance. Two monitors for the weapons,
/// since the terms of one selector must all hold.
pub fn pod_monitors(namespace: &str) -> Vec<DynamicObject> {
    let operator = json!({
        "selector": {"matchLabels": operator_selector()},
        "podMetricsEndpoints": [{"port": "http", "path": "/metrics"}],
    });
    let weapons = scrape_metrics_of_pods_with(TASK_LABEL);
    let pools = scrape_metrics_of_pods_with(POOL_LABEL);
    [
        (OPERATOR_MONITOR, operator),
        (WEAPONS_MONITOR, weapons),
        (WEAPON_POOLS_MONITOR, pools),
    ]
    .into_iter()
    .map(|(name, spec)| {
        let mut monitor = DynamicObject::new(name, &pod_monitor_resource());
        monitor.metadata = metadata(name, Some(namespace));
        monitor.data = json!({ "spec": spec });
        monitor
    })
    .collect()
}

/// A monitor of the ports named `metrics` of the pods, in any namespace,
/// that carry the label `key`.
fn scrape_metrics_of_pods_with(key: &str) -> serde_json::Value {
    json!({
        "namespaceSelector": {"any": true},
        "selector": {"matchExpressions": [{"key": key, "operator": "Exists"}]},
        "podMetricsEndpoints": [{"port": "metrics", "path": "/metrics"}],
    })
}

/// Whether the cluster serves PodMonitors.
pub async fn served(client: &Client) -> Result<bool, kube::Error> {
    let resource = pod_monitor_resource();
    match client.list_api_group_resources(&resource.api_version).await {
        Ok(list) => Ok(list.resources.iter().any(|r| r.name == resource.plural)),
        Err(kube::Error::Api(status)) if status.code == 404 => Ok(false),
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_operator_monitor_selects_the_deployments_pods_and_the_weapons_every_task_pod_and_pool() {
        let monitors = pod_monitors("airforce-system");
        let names: Vec<_> = monitors.iter().map(|m| m.metadata.name.clone()).collect();
        assert_eq!(names, MONITORS.map(|name| Some(name.to_string())));
        let operator = &monitors[0].data["spec"];
        let selector = serde_json::to_value(operator_selector()).unwrap();
        assert_eq!(operator["selector"]["matchLabels"], selector);
        assert_eq!(operator["podMetricsEndpoints"][0]["port"], "http");
        let weapons = &monitors[1].data["spec"];
        assert_eq!(weapons["namespaceSelector"]["any"], true);
        assert_eq!(
            weapons["selector"]["matchExpressions"][0]["key"],
            TASK_LABEL
        );
        let pools = &monitors[2].data["spec"];
        assert_eq!(pools["selector"]["matchExpressions"][0]["key"], POOL_LABEL);
        assert_eq!(pools["podMetricsEndpoints"][0]["port"], "metrics");
        for monitor in &monitors {
            assert_eq!(
                monitor.metadata.namespace.as_deref(),
                Some("airforce-system")
            );
        }
    }
}
