//! `weapon_link` against simulated weapons on local ports, reached the way
//! the operator reaches them inside a cluster: at the pod's address. Arming
//! loads the weapon, watches its warm-up and has it check itself; a weapon in
//! FAULT says so; Abort makes a locked weapon safe. No cluster is needed.

use std::net::SocketAddr;
use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kubectl_airforce::weapon_link::{Route, WeaponLink, sidecars, state};
use kubectl_airforce::weapon_protocol::v1::status_response::WeaponState;
use kubectl_airforce::weapon_protocol::v1::weapon_service_client::WeaponServiceClient;
use kubectl_airforce::weapon_protocol::v1::{LockRequest, Target};
use kubectl_airforce::weapon_sim::weapon::{Identity, Timings};
use kubectl_airforce::weapon_sim::{self, Settings};
use serde_json::json;

/// A simulated weapon on a free local port; it stops with the test.
async fn simulator(fault: Option<&str>) -> SocketAddr {
    let settings = Settings {
        identity: Identity {
            weapon_type: "air-to-air-missile".into(),
            version: "2.1".into(),
        },
        timings: Timings {
            warm_up: Duration::from_millis(300),
            self_check: Duration::from_millis(50),
            lock: Duration::from_millis(10),
            launch: Duration::from_millis(10),
        },
        fault: fault.map(str::to_string),
        default_quantity: 0,
        default_mount_points: Vec::new(),
    };
    let bound = weapon_sim::bind(
        settings,
        "127.0.0.1:0".parse().unwrap(),
        None,
        std::future::pending(),
    )
    .await
    .expect("the simulator binds");
    tokio::spawn(bound.serving);
    bound.grpc
}

/// A running pod at 127.0.0.1 whose one weapon sidecar serves on `port`.
fn pod(port: u16) -> Pod {
    serde_json::from_value(json!({
        "metadata": {"name": "m.s.t-1", "namespace": "air"},
        "spec": {
            "containers": [{"name": "task"}],
            "initContainers": [{
                "name": "weapon-pl-15", "restartPolicy": "Always", "image": "pl-15:2.1",
                "ports": [{"name": "grpc", "containerPort": port}],
                "env": [{"name": "QUANTITY", "value": "4"},
                        {"name": "MOUNT_POINTS", "value": "wing-1,wing-2,wing-3,wing-4"}],
            }],
        },
        "status": {"phase": "Running", "podIP": "127.0.0.1"},
    }))
    .expect("a pod")
}

fn link() -> WeaponLink {
    // The pod-address route never calls the API server.
    let config = kube::Config::new("http://127.0.0.1:9".parse().unwrap());
    let client = kube::Client::try_from(config).expect("a client");
    WeaponLink::new(client, Route::PodAddress, Duration::from_secs(5))
}

#[tokio::test]
async fn arming_loads_the_weapon_waits_out_its_warm_up_and_checks_it() {
    let addr = simulator(None).await;
    let pod = pod(addr.port());
    let sidecar = &sidecars::of_pod(&pod)[0];
    let status = link().arm(&pod, sidecar).await.expect("the weapon answers");
    assert_eq!(state(&status), WeaponState::Ready, "{status:?}");
    assert_eq!(status.remaining_count, 4);
    assert_eq!(status.mount_points.len(), 4);
    assert!(
        status.self_checked && status.self_check_passed,
        "{status:?}"
    );
    // Arming again changes nothing: the weapon is loaded and checked.
    let again = link().arm(&pod, sidecar).await.expect("the weapon answers");
    assert_eq!(state(&again), WeaponState::Ready);
    assert_eq!(again.remaining_count, 4);
}

#[tokio::test]
async fn a_weapon_that_fails_its_self_check_is_reported_in_fault() {
    let addr = simulator(Some("seeker offline")).await;
    let pod = pod(addr.port());
    let sidecar = &sidecars::of_pod(&pod)[0];
    let status = link().arm(&pod, sidecar).await.expect("the weapon answers");
    assert_eq!(state(&status), WeaponState::Fault, "{status:?}");
    assert!(status.message.contains("seeker offline"), "{status:?}");
}

#[tokio::test]
async fn abort_makes_a_locked_weapon_safe() {
    let addr = simulator(None).await;
    let pod = pod(addr.port());
    let sidecar = &sidecars::of_pod(&pod)[0];
    link().arm(&pod, sidecar).await.expect("armed");
    let mut direct = WeaponServiceClient::connect(format!("http://{addr}"))
        .await
        .expect("the simulator answers");
    let target = Target {
        target_id: "ship-1".into(),
        ..Target::default()
    };
    let locked = direct
        .lock_target(LockRequest {
            target: Some(target),
        })
        .await
        .expect("locked")
        .into_inner();
    assert_eq!(
        state(&locked.status.unwrap_or_default()),
        WeaponState::Locked
    );
    let safe = link()
        .abort(&pod, sidecar, "cancelled")
        .await
        .expect("aborted");
    assert_eq!(state(&safe), WeaponState::Ready);
    assert!(safe.message.contains("cancelled"), "{safe:?}");
}

#[tokio::test]
async fn a_weapon_nobody_serves_is_an_error_naming_it() {
    let free = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let pod = pod(free.port());
    let sidecar = &sidecars::of_pod(&pod)[0];
    let error = link()
        .arm(&pod, sidecar)
        .await
        .expect_err("nothing listens");
    let text = error.to_string();
    assert!(text.contains("weapon pl-15 of pod air/m.s.t-1"), "{text}");
}
