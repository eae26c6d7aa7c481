//! The weapon sidecars a task pod carries, read back from its spec: the
//! sidecar injection writes each weapon's port, load and version there, so
//! whoever talks to a weapon later needs nothing but the pod.

use k8s_openapi::api::core::v1::{Container, Pod};

use crate::api::weapon_pool::POOL_LABEL;
use crate::pod_template::{PRELOAD_CONTAINER, SIDECAR_PREFIX};
use crate::weapon_protocol;

/// The port name a weapon serves the protocol on.
pub const GRPC_PORT_NAME: &str = "grpc";

/// One weapon sidecar of a pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sidecar {
    /// The Weapon's name.
    pub weapon: String,
    pub container: String,
    pub port: u16,
    pub quantity: i32,
    pub mount_points: Vec<String>,
    /// The sidecar's image now: an in-place reload changes it, never the
    /// environment it started with.
    pub image: Option<String>,
}

/// Every weapon sidecar of `pod`, in the order the pod lists them; for an
/// instance of a weapon pool, the weapon it runs as its own container.
pub fn of_pod(pod: &Pod) -> Vec<Sidecar> {
    let Some(spec) = pod.spec.as_ref() else {
        return Vec::new();
    };
    let pooled =
        (pod.metadata.labels.as_ref()).is_some_and(|labels| labels.contains_key(POOL_LABEL));
    if pooled {
        return (spec.containers.iter())
            .filter(|c| c.name.starts_with(SIDECAR_PREFIX))
            .map(sidecar)
            .collect();
    }
    (spec.init_containers.iter().flatten())
        .filter(|c| c.name.starts_with(SIDECAR_PREFIX) && c.name != PRELOAD_CONTAINER)
        .filter(|c| c.restart_policy.as_deref() == Some("Always"))
        .map(sidecar)
        .collect()
}

fn sidecar(container: &Container) -> Sidecar {
    let env = |name: &str| {
        (container.env.iter().flatten())
            .find(|var| var.name == name)
            .and_then(|var| var.value.clone())
    };
    let ports = container.ports.as_deref().unwrap_or_default();
    let port = (ports.iter())
        .find(|p| p.name.as_deref() == Some(GRPC_PORT_NAME))
        .or(ports.first())
        .and_then(|p| u16::try_from(p.container_port).ok())
        .unwrap_or(weapon_protocol::DEFAULT_PORT);
    let mount_points = (env("MOUNT_POINTS").unwrap_or_default().split(','))
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::to_string)
        .collect();
    Sidecar {
        weapon: container.name[SIDECAR_PREFIX.len()..].to_string(),
        container: container.name.clone(),
        port,
        quantity: (env("QUANTITY").and_then(|q| q.parse().ok())).unwrap_or(0),
        mount_points,
        image: container.image.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(init: serde_json::Value) -> Pod {
        serde_json::from_value(json!({
            "metadata": {"name": "t-1"},
            "spec": {"containers": [{"name": "task"}], "initContainers": init},
        }))
        .unwrap()
    }

    #[test]
    fn reads_each_sidecar_with_its_port_load_and_version() {
        let pod = pod(json!([
            {"name": "weapon-preload"},
            {"name": "weapon-pl-15", "restartPolicy": "Always", "image": "registry.local/pl-15:2.1",
             "ports": [{"name": "metrics", "containerPort": 9102}, {"name": "grpc", "containerPort": 9002}],
             "env": [{"name": "QUANTITY", "value": "4"}, {"name": "MOUNT_POINTS", "value": "wing-1, wing-2"},
                     {"name": "WEAPON_VERSION", "value": "v2"}]},
            {"name": "weapon-ls-6", "restartPolicy": "Always"},
            {"name": "weapon-setup"},
        ]));
        assert_eq!(
            of_pod(&pod),
            vec![
                Sidecar {
                    weapon: "pl-15".into(),
                    container: "weapon-pl-15".into(),
                    port: 9002,
                    quantity: 4,
                    mount_points: vec!["wing-1".into(), "wing-2".into()],
                    image: Some("registry.local/pl-15:2.1".into()),
                },
                Sidecar {
                    weapon: "ls-6".into(),
                    container: "weapon-ls-6".into(),
                    port: weapon_protocol::DEFAULT_PORT,
                    quantity: 0,
                    mount_points: vec![],
                    image: None,
                },
            ]
        );
    }

    #[test]
    fn a_pod_without_weapons_has_no_sidecars() {
        assert!(of_pod(&pod(json!([]))).is_empty());
        assert!(of_pod(&Pod::default()).is_empty());
    }
}
