//! The operator's Deployment: this same binary, run as `run --leader-elect`,
//! locked down (non-root, read-only root filesystem, no capabilities).

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec};
use k8s_openapi::api::core::v1::{
    Affinity, Capabilities, Container, ContainerPort, EnvVar, EnvVarSource, HTTPGetAction,
    NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, ObjectFieldSelector,
    PodSecurityContext, PodSpec, PodTemplateSpec, Probe, ResourceRequirements, SeccompProfile,
    SecurityContext,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::api::aircraft;

use super::identity::metadata;
use super::{APP_NAME, InstallOptions, NAME_LABEL, OPERATOR_NAME, SERVICE_ACCOUNT, labels};

/// The port `run` serves /healthz, /readyz and /metrics on.
pub const HTTP_PORT: i32 = 8080;
/// The distroless `nonroot` user; numeric so the kubelet can verify runAsNonRoot.
const NONROOT_UID: i64 = 65532;
/// Label that tells the operator's pods apart from anything else with the same name label.
const COMPONENT_LABEL: &str = "app.kubernetes.io/component";

/// The labels that pick the operator's pods out: the Deployment's selector,
/// and the PodMonitor's.
pub(super) fn operator_selector() -> BTreeMap<String, String> {
    [
        (NAME_LABEL.to_string(), APP_NAME.to_string()),
        (COMPONENT_LABEL.to_string(), "operator".to_string()),
    ]
    .into()
}

pub fn deployment(options: &InstallOptions) -> Deployment {
    let selector = operator_selector();
    let mut pod_labels = labels();
    pod_labels.extend(selector.clone());
    Deployment {
        metadata: metadata(OPERATOR_NAME, Some(&options.namespace)),
        spec: Some(DeploymentSpec {
            replicas: Some(options.replicas),
            selector: LabelSelector {
                match_labels: Some(selector),
                ..Default::default()
            },
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(pod_labels),
                    ..Default::default()
                }),
                spec: Some(pod_spec(options)),
            },
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn pod_spec(options: &InstallOptions) -> PodSpec {
    PodSpec {
        service_account_name: Some(SERVICE_ACCOUNT.to_string()),
        security_context: Some(PodSecurityContext {
            run_as_non_root: Some(true),
            run_as_user: Some(NONROOT_UID),
            run_as_group: Some(NONROOT_UID),
            seccomp_profile: Some(SeccompProfile {
                type_: "RuntimeDefault".to_string(),
                ..Default::default()
            }),
            ..Default::default()
        }),
        affinity: Some(not_on_aircraft()),
        containers: vec![container(options)],
        ..Default::default()
    }
}

/// Keeps the operator off aircraft nodes: a pod there would make the aircraft
/// look occupied to the scheduler and the aircraft controller.
fn not_on_aircraft() -> Affinity {
    Affinity {
        node_affinity: Some(NodeAffinity {
            required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                node_selector_terms: vec![NodeSelectorTerm {
                    match_expressions: Some(vec![NodeSelectorRequirement {
                        key: aircraft::labels::TYPE.to_string(),
                        operator: "DoesNotExist".to_string(),
                        values: None,
                    }]),
                    ..Default::default()
                }],
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn container(options: &InstallOptions) -> Container {
    Container {
        name: "operator".to_string(),
        image: Some(options.image.clone()),
        // Weapons that name no image get the simulated weapon from this same image.
        args: Some(vec![
            "run".to_string(),
            "--leader-elect".to_string(),
            "--simulator-image".to_string(),
            options.image.clone(),
        ]),
        env: Some(vec![
            field_env("NODE_NAME", "spec.nodeName"),
            field_env("POD_NAMESPACE", "metadata.namespace"),
        ]),
        ports: Some(vec![ContainerPort {
            name: Some("http".to_string()),
            container_port: HTTP_PORT,
            protocol: Some("TCP".to_string()),
            ..Default::default()
        }]),
        liveness_probe: Some(http_probe("/healthz", 10)),
        readiness_probe: Some(http_probe("/readyz", 5)),
        resources: Some(resources()),
        security_context: Some(SecurityContext {
            allow_privilege_escalation: Some(false),
            read_only_root_filesystem: Some(true),
            run_as_non_root: Some(true),
            capabilities: Some(Capabilities {
                drop: Some(vec!["ALL".to_string()]),
                ..Default::default()
            }),
            seccomp_profile: Some(SeccompProfile {
                type_: "RuntimeDefault".to_string(),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// An environment variable from the downward API.
fn field_env(name: &str, field_path: &str) -> EnvVar {
    EnvVar {
        name: name.to_string(),
        value_from: Some(EnvVarSource {
            field_ref: Some(ObjectFieldSelector {
                field_path: field_path.to_string(),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn http_probe(path: &str, period_seconds: i32) -> Probe {
    Probe {
        http_get: Some(HTTPGetAction {
            path: Some(path.to_string()),
            port: IntOrString::String("http".to_string()),
            ..Default::default()
        }),
        period_seconds: Some(period_seconds),
        ..Default::default()
    }
}

fn resources() -> ResourceRequirements {
    let quantities = |cpu: &str, memory: &str| -> BTreeMap<String, Quantity> {
        [
            ("cpu".to_string(), Quantity(cpu.to_string())),
            ("memory".to_string(), Quantity(memory.to_string())),
        ]
        .into()
    };
    ResourceRequirements {
        requests: Some(quantities("50m", "64Mi")),
        limits: Some(quantities("500m", "256Mi")),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> InstallOptions {
        InstallOptions {
            namespace: "ops".into(),
            image: "registry.example/airforce:dev".into(),
            replicas: 2,
            monitoring: false,
        }
    }

    fn operator_container(deployment: &Deployment) -> Container {
        let spec = deployment.spec.clone().unwrap().template.spec.unwrap();
        spec.containers[0].clone()
    }

    #[test]
    fn the_deployment_runs_the_binary_with_leader_election_from_the_given_image() {
        let deployment = deployment(&options());
        let container = operator_container(&deployment);
        assert_eq!(
            container.image.as_deref(),
            Some("registry.example/airforce:dev")
        );
        assert_eq!(
            container.args.unwrap(),
            [
                "run",
                "--leader-elect",
                "--simulator-image",
                "registry.example/airforce:dev"
            ]
        );
        assert_eq!(deployment.spec.unwrap().replicas, Some(2));
        assert_eq!(deployment.metadata.namespace.as_deref(), Some("ops"));
    }

    #[test]
    fn the_selector_matches_the_pod_labels() {
        let spec = deployment(&options()).spec.unwrap();
        let pod_labels = spec.template.metadata.unwrap().labels.unwrap();
        for (key, value) in spec.selector.match_labels.unwrap() {
            assert_eq!(pod_labels.get(&key), Some(&value), "{key}");
        }
    }

    #[test]
    fn the_container_is_locked_down_and_probed_on_the_http_port() {
        let container = operator_container(&deployment(&options()));
        let security = container.security_context.unwrap();
        assert_eq!(security.read_only_root_filesystem, Some(true));
        assert_eq!(security.run_as_non_root, Some(true));
        assert_eq!(security.capabilities.unwrap().drop.unwrap(), ["ALL"]);
        let liveness = container.liveness_probe.unwrap().http_get.unwrap();
        assert_eq!(liveness.path.as_deref(), Some("/healthz"));
        let readiness = container.readiness_probe.unwrap().http_get.unwrap();
        assert_eq!(readiness.path.as_deref(), Some("/readyz"));
        assert_eq!(container.ports.unwrap()[0].container_port, HTTP_PORT);
        let env: Vec<String> = container.env.unwrap().into_iter().map(|e| e.name).collect();
        assert_eq!(env, ["NODE_NAME", "POD_NAMESPACE"]);
    }

    #[test]
    fn the_operator_never_lands_on_an_aircraft() {
        let spec = deployment(&options()).spec.unwrap().template.spec.unwrap();
        let required = spec
            .affinity
            .unwrap()
            .node_affinity
            .unwrap()
            .required_during_scheduling_ignored_during_execution
            .unwrap();
        let term = &required.node_selector_terms[0];
        let requirement = &term.match_expressions.as_ref().unwrap()[0];
        assert_eq!(requirement.key, "aircraft.mil/type");
        assert_eq!(requirement.operator, "DoesNotExist");
    }
}
