//! The local test cluster behaves like a real one: ready API server, the default
//! fleet as kwok aircraft, kube-scheduler binding pods, pods that run and finish
//! as their annotations ask, a working garbage collector and enforced RBAC.

mod support;

use std::time::Duration;

use k8s_openapi::api::authentication::v1::{TokenRequest, TokenRequestSpec};
use k8s_openapi::api::core::v1::{ConfigMap, Node, Pod, ServiceAccount};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;
use kube::api::{DeleteParams, ListParams, ObjectMeta, PostParams};
use kube::config::{AuthInfo, KubeConfigOptions, Kubeconfig};
use kube::{Api, Client, Config};
use serde_json::json;

const POD_TIMEOUT: Duration = Duration::from_secs(60);

fn pod(name: &str, annotations: serde_json::Value) -> Pod {
    serde_json::from_value(json!({
        "metadata": { "name": name, "annotations": annotations },
        "spec": {
            "restartPolicy": "Never",
            "containers": [{ "name": "task", "image": "busybox:1.37" }],
        },
    }))
    .expect("a valid pod")
}

fn phase(pod: &Pod) -> &str {
    pod.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("")
}

fn has_phase(wanted: &'static str) -> impl Fn(Option<&Pod>) -> bool {
    move |pod| pod.is_some_and(|p| phase(p) == wanted)
}

#[tokio::test]
async fn the_api_server_is_ready_and_lists_the_default_fleet() {
    let client = support::client().await;
    let request = http::Request::get("/readyz")
        .body(Vec::new())
        .expect("a request");
    let readyz = client.request_text(request).await.expect("/readyz answers");
    assert_eq!(readyz, "ok");

    let nodes: Api<Node> = Api::all(client);
    let fleet = nodes
        .list(&ListParams::default().labels("aircraft.mil/type"))
        .await
        .expect("nodes list");
    let mut aircraft: Vec<(String, String, String)> = fleet
        .items
        .iter()
        .map(|node| {
            let labels = node.metadata.labels.clone().unwrap_or_default();
            (
                node.metadata.name.clone().unwrap_or_default(),
                labels["aircraft.mil/type"].clone(),
                labels["aircraft.mil/fuel.level"].clone(),
            )
        })
        .filter(|(name, _, _)| name.starts_with("j20-0"))
        .collect();
    aircraft.sort();
    let expected = [
        ("j20-01", "95"),
        ("j20-02", "80"),
        ("j20-03", "90"),
        ("j20-04", "60"),
    ];
    assert_eq!(
        aircraft.len(),
        4,
        "the default fleet has four aircraft: {aircraft:?}"
    );
    for ((name, kind, fuel), (want_name, want_fuel)) in aircraft.iter().zip(expected) {
        assert_eq!(
            (name.as_str(), kind.as_str(), fuel.as_str()),
            (want_name, "j20", want_fuel)
        );
    }
}

#[tokio::test]
async fn kube_scheduler_binds_a_plain_pod_that_then_runs_and_succeeds() {
    support::with_namespace("harness-pod", |client, ns| async move {
        let pods: Api<Pod> = Api::namespaced(client, &ns);
        pods.create(&PostParams::default(), &pod("plain", json!({})))
            .await
            .expect("pod created");
        let running =
            support::wait_for(&pods, "plain", POD_TIMEOUT, "Running", has_phase("Running")).await;
        let node = running
            .spec
            .as_ref()
            .and_then(|s| s.node_name.clone())
            .unwrap_or_default();
        assert!(
            node.starts_with("j20-"),
            "bound to a fake aircraft, got {node:?}"
        );
        let done = support::wait_for(
            &pods,
            "plain",
            POD_TIMEOUT,
            "Succeeded",
            has_phase("Succeeded"),
        )
        .await;
        let status = done.status.expect("status");
        let started = status.start_time.expect("start time").0;
        let finished = status.container_statuses.expect("container statuses")[0]
            .state
            .as_ref()
            .and_then(|s| s.terminated.as_ref())
            .and_then(|t| t.finished_at.clone())
            .expect("a terminated container")
            .0;
        assert!(
            finished.duration_since(started).as_secs() >= 3,
            "ran for a few seconds"
        );
    })
    .await;
}

#[tokio::test]
async fn an_annotated_pod_fails_with_the_requested_exit_code() {
    support::with_namespace("harness-fail", |client, ns| async move {
        let pods: Api<Pod> = Api::namespaced(client, &ns);
        let annotations =
            json!({ "sim.airforce.mil/exit-code": "42", "sim.airforce.mil/duration": "1s" });
        pods.create(&PostParams::default(), &pod("crash", annotations))
            .await
            .expect("pod created");
        let failed =
            support::wait_for(&pods, "crash", POD_TIMEOUT, "Failed", has_phase("Failed")).await;
        let exit_code = failed
            .status
            .and_then(|s| s.container_statuses)
            .expect("container statuses")[0]
            .state
            .as_ref()
            .and_then(|s| s.terminated.as_ref())
            .map(|t| t.exit_code);
        assert_eq!(exit_code, Some(42));
    })
    .await;
}

#[tokio::test]
async fn an_annotated_pod_reports_an_image_pull_error() {
    support::with_namespace("harness-pull", |client, ns| async move {
        let pods: Api<Pod> = Api::namespaced(client, &ns);
        let annotations = json!({ "sim.airforce.mil/image-pull-error": "true" });
        pods.create(&PostParams::default(), &pod("no-image", annotations))
            .await
            .expect("pod created");
        let waiting_reason = |pod: &Pod| {
            pod.status
                .as_ref()
                .and_then(|s| s.container_statuses.as_ref())
                .and_then(|c| c.first())
                .and_then(|c| c.state.as_ref())
                .and_then(|s| s.waiting.as_ref())
                .and_then(|w| w.reason.clone())
        };
        let stuck = support::wait_for(
            &pods,
            "no-image",
            POD_TIMEOUT,
            "waiting on its image",
            move |pod: Option<&Pod>| {
                pod.and_then(waiting_reason)
                    .is_some_and(|r| r == "ErrImagePull" || r == "ImagePullBackOff")
            },
        )
        .await;
        assert_eq!(phase(&stuck), "Pending");
    })
    .await;
}

#[tokio::test]
async fn deleting_an_owner_removes_its_dependents() {
    support::with_namespace("harness-gc", |client, ns| async move {
        let maps: Api<ConfigMap> = Api::namespaced(client, &ns);
        let owner = maps
            .create(&PostParams::default(), &config_map("owner", None))
            .await
            .expect("owner created");
        let reference = OwnerReference {
            api_version: "v1".into(),
            kind: "ConfigMap".into(),
            name: "owner".into(),
            uid: owner.metadata.uid.expect("uid"),
            ..Default::default()
        };
        maps.create(
            &PostParams::default(),
            &config_map("dependent", Some(reference)),
        )
        .await
        .expect("dependent created");
        maps.delete("owner", &DeleteParams::background())
            .await
            .expect("owner deleted");
        support::wait_deleted(&maps, "dependent", Duration::from_secs(60)).await;
    })
    .await;
}

fn config_map(name: &str, owner: Option<OwnerReference>) -> ConfigMap {
    ConfigMap {
        metadata: ObjectMeta {
            name: Some(name.into()),
            owner_references: owner.map(|o| vec![o]),
            ..Default::default()
        },
        ..Default::default()
    }
}

#[tokio::test]
async fn rbac_refuses_a_service_account_what_it_was_not_granted() {
    support::with_namespace("harness-rbac", |client, ns| async move {
        let accounts: Api<ServiceAccount> = Api::namespaced(client, &ns);
        let account = ServiceAccount {
            metadata: ObjectMeta {
                name: Some("nobody".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        accounts
            .create(&PostParams::default(), &account)
            .await
            .expect("account created");
        let request = TokenRequest {
            spec: Some(TokenRequestSpec {
                expiration_seconds: Some(600),
                ..Default::default()
            }),
            ..Default::default()
        };
        let issued: TokenRequest = accounts
            .create_subresource("token", "nobody", &PostParams::default(), &request)
            .await
            .expect("token issued");
        let token = issued.status.and_then(|s| s.token).expect("a token");

        let as_nobody = client_with_token(token).await;
        let secrets: Api<k8s_openapi::api::core::v1::Secret> = Api::namespaced(as_nobody, &ns);
        match secrets.list(&ListParams::default()).await {
            Err(kube::Error::Api(status)) => assert_eq!(status.code, 403, "refused: {status:?}"),
            other => panic!("expected 403 Forbidden, got {other:?}"),
        }
    })
    .await;
}

async fn client_with_token(token: String) -> Client {
    let kubeconfig = Kubeconfig::read_from(support::kubeconfig_path()).expect("kubeconfig");
    let mut config = Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
        .await
        .expect("config");
    config.auth_info = AuthInfo {
        token: Some(token.into()),
        ..Default::default()
    };
    Client::try_from(config).expect("client")
}

/// A busy aircraft's labels change every few seconds. kwok's status heartbeat
/// starts its wait again on every change to a node, so the aircraft stays
/// alive through its node Lease, renewed whatever happens to the node.
#[tokio::test]
async fn an_aircraft_whose_labels_keep_changing_renews_its_lease() {
    use k8s_openapi::api::coordination::v1::Lease;
    use kube::api::{Patch, PatchParams};

    let client = support::client().await;
    let name = "harness-busy-aircraft".to_string();
    let labels = [("harness.airforce.mil/role", "busy-aircraft")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    support::create_aircraft(&client, std::slice::from_ref(&name), &labels).await;
    let leases: Api<Lease> = Api::namespaced(client.clone(), "kube-node-lease");
    let renewed = |lease: Option<&Lease>| {
        lease
            .and_then(|l| l.spec.as_ref())
            .and_then(|spec| spec.renew_time.clone())
    };
    let first = support::wait_for(
        &leases,
        &name,
        Duration::from_secs(30),
        "the aircraft's node Lease",
        |lease: Option<&Lease>| renewed(lease).is_some(),
    )
    .await;
    let first_renewal = renewed(Some(&first));
    let nodes: Api<Node> = Api::all(client.clone());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let mut flip = 0u32;
    let outcome = loop {
        flip += 1;
        let patch =
            json!({ "metadata": { "labels": { "harness.airforce.mil/flip": flip.to_string() } } });
        nodes
            .patch(&name, &PatchParams::default(), &Patch::Merge(&patch))
            .await
            .expect("the aircraft's labels change");
        let lease = leases.get(&name).await.expect("the aircraft's Lease");
        if renewed(Some(&lease)) != first_renewal {
            break Ok(());
        }
        if tokio::time::Instant::now() > deadline {
            break Err(lease);
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    };
    support::delete_aircraft(&client, std::slice::from_ref(&name)).await;
    if let Err(lease) = outcome {
        panic!("the Lease was not renewed in 60 s of label changes: {lease:?}");
    }
}
