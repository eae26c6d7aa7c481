//! End to end on the local cluster: `install` (twice), the CRDs explain and list,
//! the operator's ServiceAccount can do what the controllers need and nothing
//! more, and `uninstall` refuses while missions exist, then removes everything.
//!
//! One test on purpose: it installs and removes cluster-scoped CRDs, so its
//! steps must not run in parallel with each other.

mod support;

use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;
use k8s_openapi::api::admissionregistration::v1::{
    ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding,
};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use k8s_openapi::api::core::v1::{
    Event, Namespace, Node, ObjectReference, Pod, Secret, ServiceAccount,
};
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding};
use k8s_openapi::api::scheduling::v1::PriorityClass;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{ApiResource, DeleteParams, DynamicObject, ListParams, ObjectMeta, PostParams};
use kube::{Api, Client};
use kubectl_airforce::api::Mission;
use kubectl_airforce::install::{self, DEFAULT_NAMESPACE, OPERATOR_NAME, SERVICE_ACCOUNT};

const IMAGE: &str = "example.invalid/airforce:test";
const OPERATOR_USER: &str = "system:serviceaccount:airforce-system:kubectl-airforce";

fn airforce(args: &[&str]) -> Output {
    support::airforce(args)
}

fn text(bytes: &[u8]) -> String {
    support::text(bytes)
}

fn succeeds(args: &[&str]) -> String {
    let output = airforce(args);
    assert!(
        output.status.success(),
        "kubectl airforce {args:?} failed:\n{}",
        text(&output.stderr)
    );
    text(&output.stdout)
}

/// Retries a kubectl command until `accept` holds: the API server publishes a new
/// CRD's OpenAPI and discovery a moment after it is Established.
async fn kubectl_eventually(args: &[&str], accept: impl Fn(&str) -> bool) -> String {
    let mut last = String::new();
    for _ in 0..60 {
        let output = support::kubectl(args);
        let stdout = text(&output.stdout);
        if output.status.success() && accept(&stdout) {
            return stdout;
        }
        last = format!("{stdout}{}", text(&output.stderr));
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    panic!("kubectl {args:?} never gave the expected answer; last:\n{last}")
}

/// On a failed run, puts the cluster back as the other test binaries expect it:
/// no operator, CRDs installed.
struct RestoreOnPanic;

impl Drop for RestoreOnPanic {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let _ = airforce(&["uninstall", "--keep-crds"]);
            let _ = airforce(&["install", "--crds-only"]);
            let monitors = format!("crd/{}", install::POD_MONITOR_CRD);
            let _ = support::kubectl(&["delete", &monitors, "--ignore-not-found"]);
        }
    }
}

#[tokio::test]
async fn install_sets_up_a_least_privilege_operator_and_uninstall_removes_all_of_it() {
    let _restore = RestoreOnPanic;
    dry_run_prints_the_manifests_without_a_cluster();
    support::with_namespace("install", |client, namespace| async move {
        install_twice_changes_nothing_the_second_time(&client).await;
        monitoring_waits_for_the_prometheus_operator(&client).await;
        the_crds_are_established(&client).await;
        kubectl_explains_and_lists_the_new_kinds().await;
        the_operator_account_can_do_what_the_controllers_need(&namespace).await;
        the_operator_account_is_refused_what_the_controllers_do_not_need(&namespace).await;
        uninstall_refuses_while_missions_exist(&client, &namespace).await;
        uninstall_with_force_removes_everything(&client).await;
        the_monitoring_crd_goes(&client).await;
    })
    .await;
    succeeds(&["install", "--crds-only"]);
}

fn dry_run_prints_the_manifests_without_a_cluster() {
    let output = Command::cargo_bin("kubectl-airforce")
        .unwrap()
        .args([
            "--kubeconfig",
            "/nonexistent",
            "install",
            "--dry-run",
            "-o",
            "yaml",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let yaml = text(&output.stdout);
    for kind in [
        "CustomResourceDefinition",
        "Namespace",
        "ServiceAccount",
        "ClusterRole",
        "ClusterRoleBinding",
        "Deployment",
    ] {
        assert!(
            yaml.contains(&format!("kind: {kind}\n")),
            "no {kind} in:\n{yaml}"
        );
    }
    assert!(yaml.contains("- --leader-elect"));
    assert!(
        !yaml.contains("kind: PodMonitor"),
        "monitors only when asked:\n{yaml}"
    );
    let monitored = succeeds(&["install", "--monitoring", "--dry-run", "-o", "yaml"]);
    assert_eq!(
        monitored.matches("kind: PodMonitor\n").count(),
        3,
        "{monitored}"
    );
    for name in install::MONITORS {
        assert!(
            monitored.contains(&format!("name: {name}\n")),
            "{monitored}"
        );
    }
}

/// Without the Prometheus operator's CRD, `--monitoring` names it as missing
/// and installs everything else; once a PodMonitor kind is served, the
/// monitors are applied, and `uninstall` takes them away with the rest.
async fn monitoring_waits_for_the_prometheus_operator(client: &Client) {
    let output = airforce(&["install", "--image", IMAGE, "--monitoring"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let said = text(&output.stderr);
    assert!(
        said.contains(&format!("{} is missing", install::POD_MONITOR_CRD)),
        "{said}"
    );
    assert_eq!(
        text(&output.stdout).lines().count(),
        17,
        "the rest is installed"
    );

    let crds: Api<CustomResourceDefinition> = Api::all(client.clone());
    let crd: CustomResourceDefinition = serde_json::from_value(serde_json::json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": install::POD_MONITOR_CRD},
        "spec": {
            "group": "monitoring.coreos.com",
            "names": {"kind": "PodMonitor", "plural": "podmonitors", "singular": "podmonitor"},
            "scope": "Namespaced",
            "versions": [{"name": "v1", "served": true, "storage": true, "schema": {
                "openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}
            }}],
        },
    }))
    .unwrap();
    crds.create(&PostParams::default(), &crd).await.unwrap();
    let mut applied = String::new();
    for _ in 0..60 {
        let output = airforce(&["install", "--image", IMAGE, "--monitoring"]);
        applied = text(&output.stdout);
        if applied
            .contains("podmonitor.monitoring.coreos.com/airforce-weapon-pools serverside-applied")
        {
            break;
        }
        // Discovery serves a new CRD a moment after it is created.
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(
        applied.contains(&format!(
            "podmonitor.monitoring.coreos.com/{} ",
            install::OPERATOR_MONITOR
        )),
        "{applied}"
    );
}

async fn the_monitoring_crd_goes(client: &Client) {
    let crds: Api<CustomResourceDefinition> = Api::all(client.clone());
    let _ = crds
        .delete(install::POD_MONITOR_CRD, &DeleteParams::default())
        .await;
}

async fn deployment_generation(client: &Client) -> Option<i64> {
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), DEFAULT_NAMESPACE);
    deployments
        .get(OPERATOR_NAME)
        .await
        .unwrap()
        .metadata
        .generation
}

async fn install_twice_changes_nothing_the_second_time(client: &Client) {
    let first = succeeds(&["install", "--image", IMAGE]);
    assert!(
        first.contains("customresourcedefinition.apiextensions.k8s.io/missions.airforce.mil "),
        "{first}"
    );
    assert!(
        first.contains(&format!("deployment.apps/{OPERATOR_NAME} ")),
        "{first}"
    );
    let generation = deployment_generation(client).await;
    let second = succeeds(&["install", "--image", IMAGE]);
    assert_eq!(second.lines().count(), 17, "{second}");
    for line in second.lines() {
        // The deployment controller writes status all the time; its spec is what counts.
        if !line.starts_with("deployment.apps/") {
            assert!(
                line.ends_with(" unchanged"),
                "a second install changed {line}"
            );
        }
    }
    assert_eq!(deployment_generation(client).await, generation);
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), DEFAULT_NAMESPACE);
    let spec = deployments.get(OPERATOR_NAME).await.unwrap().spec.unwrap();
    let container = &spec.template.spec.unwrap().containers[0];
    assert_eq!(container.image.as_deref(), Some(IMAGE));
    assert_eq!(
        container.args.as_deref().unwrap(),
        ["run", "--leader-elect", "--simulator-image", IMAGE]
    );
}

async fn the_crds_are_established(client: &Client) {
    let crds: Api<CustomResourceDefinition> = Api::all(client.clone());
    for crd in install::crds() {
        let name = crd.metadata.name.unwrap();
        let current = crds.get(&name).await.unwrap();
        let established = current
            .status
            .and_then(|status| status.conditions)
            .unwrap_or_default()
            .into_iter()
            .any(|c| c.type_ == "Established" && c.status == "True");
        assert!(established, "{name} is not Established");
    }
}

async fn kubectl_explains_and_lists_the_new_kinds() {
    let explained = kubectl_eventually(&["explain", "mission.spec.stages"], |out| {
        out.contains("dependsOn") && out.contains("flightTasks")
    })
    .await;
    assert!(explained.contains("timeout"), "{explained}");
    kubectl_eventually(&["get", "airforce", "-A"], |_| true).await;
    let _ = std::fs::remove_dir_all(support::kubectl_cache());
}

/// A client that acts as the operator's ServiceAccount.
async fn operator_client() -> Client {
    support::client_as(OPERATOR_USER).await
}

/// Asks the API server whether the operator may `verb` `resource` (e.g. "pods/binding").
async fn operator_may(client: &Client, group: &str, resource: &str, verb: &str) -> bool {
    let (resource, subresource) = match resource.split_once('/') {
        Some((resource, sub)) => (resource, Some(sub.to_string())),
        None => (resource, None),
    };
    let review = SelfSubjectAccessReview {
        spec: SelfSubjectAccessReviewSpec {
            resource_attributes: Some(ResourceAttributes {
                group: Some(group.to_string()),
                resource: Some(resource.to_string()),
                subresource,
                verb: Some(verb.to_string()),
                ..Default::default()
            }),
            ..Default::default()
        },
        ..Default::default()
    };
    let reviews: Api<SelfSubjectAccessReview> = Api::all(client.clone());
    let answer = reviews
        .create(&PostParams::default(), &review)
        .await
        .unwrap();
    answer.status.is_some_and(|status| status.allowed)
}

async fn the_operator_account_can_do_what_the_controllers_need(namespace: &str) {
    let operator = operator_client().await;
    for rule in install::policy_rules() {
        let group = rule.api_groups.unwrap().concat();
        for resource in rule.resources.unwrap() {
            for verb in &rule.verbs {
                assert!(
                    operator_may(&operator, &group, &resource, verb).await,
                    "the operator may not {verb} {group}/{resource}"
                );
            }
        }
    }
    let all = ListParams::default();
    let missions = Api::<Mission>::all(operator.clone()).list(&all).await;
    missions.expect("the operator lists missions");
    let pods = Api::<Pod>::all(operator.clone()).list(&all).await;
    pods.expect("the operator lists pods");
    let nodes = Api::<Node>::all(operator.clone()).list(&all).await;
    nodes.expect("the operator lists nodes");
    Api::<Event>::namespaced(operator.clone(), namespace)
        .create(&PostParams::default(), &event(namespace))
        .await
        .expect("the operator creates an Event");
}

fn event(namespace: &str) -> Event {
    Event {
        metadata: ObjectMeta {
            generate_name: Some("install-test-".into()),
            ..Default::default()
        },
        involved_object: ObjectReference {
            kind: Some("Pod".into()),
            name: Some("install-test".into()),
            namespace: Some(namespace.into()),
            ..Default::default()
        },
        reason: Some("InstallTest".into()),
        message: Some("the operator may record events".into()),
        type_: Some("Normal".into()),
        ..Default::default()
    }
}

async fn the_operator_account_is_refused_what_the_controllers_do_not_need(namespace: &str) {
    let operator = operator_client().await;
    let secrets = Api::<Secret>::namespaced(operator.clone(), namespace);
    match secrets.list(&ListParams::default()).await {
        Err(kube::Error::Api(status)) => assert_eq!(status.code, 403, "{status:?}"),
        other => panic!("listing secrets as the operator should be refused with 403: {other:?}"),
    }
    assert!(!operator_may(&operator, "", "configmaps", "get").await);
    assert!(!operator_may(&operator, "", "nodes", "delete").await);
    assert!(!operator_may(&operator, "apps", "deployments", "list").await);
    // It reads the PriorityClasses task pods name, and nothing more of them.
    assert!(operator_may(&operator, "scheduling.k8s.io", "priorityclasses", "get").await);
    assert!(!operator_may(&operator, "scheduling.k8s.io", "priorityclasses", "create").await);
    // Weapons, wherever they live, it only reads; their status is its to write.
    assert!(operator_may(&operator, "airforce.mil", "weapons", "list").await);
    assert!(operator_may(&operator, "airforce.mil", "weapons/status", "patch").await);
    for verb in ["create", "update", "patch", "delete"] {
        assert!(
            !operator_may(&operator, "airforce.mil", "weapons", verb).await,
            "the operator may {verb} weapons"
        );
    }
}

async fn uninstall_refuses_while_missions_exist(client: &Client, namespace: &str) {
    let resource = ApiResource::erase::<Mission>(&());
    let missions: Api<DynamicObject> = Api::namespaced_with(client.clone(), namespace, &resource);
    let mission: DynamicObject = serde_json::from_value(serde_json::json!({
        "apiVersion": "airforce.mil/v1alpha1",
        "kind": "Mission",
        "metadata": {"name": "still-flying"},
        "spec": {"stages": [{"name": "only", "flightTasks": [{"name": "recon-1", "role": "recon"}]}]}
    }))
    .unwrap();
    missions
        .create(&PostParams::default(), &mission)
        .await
        .expect("create a mission");

    let refused = airforce(&["uninstall"]);
    assert!(
        !refused.status.success(),
        "uninstall went ahead with a mission in {namespace}"
    );
    let message = text(&refused.stderr);
    assert!(
        message.contains("--force") && message.contains(&format!("in {namespace}")),
        "{message}"
    );

    let unconfirmed = airforce(&["uninstall", "--force"]);
    assert!(
        !unconfirmed.status.success(),
        "uninstall --force went ahead without a terminal or --yes"
    );
    assert!(
        text(&unconfirmed.stderr).contains("--yes"),
        "{}",
        text(&unconfirmed.stderr)
    );
    assert!(missions.get_opt("still-flying").await.unwrap().is_some());
}

async fn uninstall_with_force_removes_everything(client: &Client) {
    let out = succeeds(&["uninstall", "--force", "--yes"]);
    for monitor in install::MONITORS {
        let line = format!("podmonitor.monitoring.coreos.com/{monitor} deleted");
        assert!(out.contains(&line), "{out}");
    }
    assert!(
        out.contains(&format!("deployment.apps/{OPERATOR_NAME} deleted")),
        "{out}"
    );
    assert!(
        out.contains(&format!("namespace/{DEFAULT_NAMESPACE} deleted")),
        "{out}"
    );
    let gone = Duration::from_secs(120);
    let deployments = Api::<Deployment>::namespaced(client.clone(), DEFAULT_NAMESPACE);
    support::wait_deleted(&deployments, OPERATOR_NAME, gone).await;
    let bindings = Api::<ClusterRoleBinding>::all(client.clone());
    support::wait_deleted(&bindings, OPERATOR_NAME, gone).await;
    let roles = Api::<ClusterRole>::all(client.clone());
    support::wait_deleted(&roles, OPERATOR_NAME, gone).await;
    let accounts = Api::<ServiceAccount>::namespaced(client.clone(), DEFAULT_NAMESPACE);
    support::wait_deleted(&accounts, SERVICE_ACCOUNT, gone).await;
    let namespaces = Api::<Namespace>::all(client.clone());
    support::wait_deleted(&namespaces, DEFAULT_NAMESPACE, gone).await;
    let crds: Api<CustomResourceDefinition> = Api::all(client.clone());
    for crd in install::crds() {
        support::wait_deleted(&crds, &crd.metadata.name.unwrap(), gone).await;
    }
    let classes: Api<PriorityClass> = Api::all(client.clone());
    for class in install::priority_classes() {
        let name = class.metadata.name.unwrap();
        assert!(
            out.contains(&format!("priorityclass.scheduling.k8s.io/{name} deleted")),
            "{out}"
        );
        support::wait_deleted(&classes, &name, gone).await;
    }
    let policy = install::GATE_POLICY_NAME;
    assert!(
        out.contains(&format!(
            "validatingadmissionpolicy.admissionregistration.k8s.io/{policy} deleted"
        )),
        "{out}"
    );
    let policies: Api<ValidatingAdmissionPolicy> = Api::all(client.clone());
    support::wait_deleted(&policies, policy, gone).await;
    let bindings: Api<ValidatingAdmissionPolicyBinding> = Api::all(client.clone());
    support::wait_deleted(&bindings, policy, gone).await;
    let again = succeeds(&["uninstall"]);
    assert!(
        again.lines().all(|line| line.ends_with(" not found")),
        "{again}"
    );
}
