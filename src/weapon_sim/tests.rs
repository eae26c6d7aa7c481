//! The simulator as a gRPC server on a random local port, driven by the
//! generated client as the operator and a mission payload drive it.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::oneshot;
use tonic::Code;
use tonic::transport::Channel;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

use super::*;
use crate::weapon_protocol::v1::weapon_service_client::WeaponServiceClient;
use crate::weapon_protocol::v1::{
    AbortRequest, InitRequest, LaunchRequest, LockRequest, SelfCheckRequest, StatusRequest, Target,
};

struct Running {
    grpc: SocketAddr,
    metrics: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn settings(fault: Option<&str>, lock: Duration) -> Settings {
    Settings {
        identity: Identity {
            weapon_type: "air-to-air-missile".into(),
            version: "v2.1".into(),
        },
        timings: Timings {
            warm_up: Duration::from_millis(50),
            self_check: Duration::from_millis(10),
            lock,
            launch: Duration::from_millis(10),
        },
        fault: fault.map(str::to_string),
        default_quantity: 4,
        default_mount_points: vec!["internal-bay-1".into(), "internal-bay-2".into()],
    }
}

async fn start(settings: Settings) -> Running {
    let local: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let (stop, stopped) = oneshot::channel();
    let bound = bind(settings, local, Some(local), async {
        let _ = stopped.await;
    })
    .await
    .unwrap();
    tokio::spawn(bound.serving);
    Running {
        grpc: bound.grpc,
        metrics: bound.metrics.unwrap(),
        stop: Some(stop),
    }
}

async fn client(running: &Running) -> WeaponServiceClient<Channel> {
    WeaponServiceClient::connect(format!("http://{}", running.grpc))
        .await
        .unwrap()
}

async fn health(running: &Running, service: &str) -> ServingStatus {
    let channel = Channel::from_shared(format!("http://{}", running.grpc))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut client = HealthClient::new(channel);
    let request = HealthCheckRequest {
        service: service.to_string(),
    };
    client.check(request).await.unwrap().into_inner().status()
}

/// GET `path` from the metrics port: (status line, body).
async fn http_get(running: &Running, path: &str) -> (String, String) {
    let mut stream = tokio::net::TcpStream::connect(running.metrics)
        .await
        .unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: weapon\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    (head.lines().next().unwrap().to_string(), body.to_string())
}

async fn wait_ready(client: &mut WeaponServiceClient<Channel>) {
    for _ in 0..100 {
        let status = client
            .get_status(StatusRequest {})
            .await
            .unwrap()
            .into_inner();
        if status.state() == WeaponState::Ready {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the weapon never turned READY");
}

fn bogey() -> LockRequest {
    LockRequest {
        target: Some(Target {
            target_id: "bogey-1".into(),
            latitude: 30.0,
            longitude: 122.0,
            ..Target::default()
        }),
    }
}

#[tokio::test]
async fn a_weapon_goes_through_every_state_over_grpc() {
    let running = start(settings(None, Duration::from_millis(10))).await;
    let mut weapon = client(&running).await;
    let status = weapon
        .get_status(StatusRequest {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(status.state(), WeaponState::Initializing);
    assert_eq!(status.weapon_type, "air-to-air-missile");

    let init = InitRequest {
        quantity: 2,
        mount_points: vec!["wing-left".into()],
        ..InitRequest::default()
    };
    let status = weapon
        .initialize(init)
        .await
        .unwrap()
        .into_inner()
        .status
        .unwrap();
    assert_eq!(status.state(), WeaponState::Initializing);
    assert_eq!(status.remaining_count, 2);
    assert_eq!(status.mount_points, ["wing-left"]);
    wait_ready(&mut weapon).await;

    let check = weapon
        .self_check(SelfCheckRequest {})
        .await
        .unwrap()
        .into_inner();
    assert!(check.passed);
    assert_eq!(check.components.len(), 4);

    let locked = weapon.lock_target(bogey()).await.unwrap().into_inner();
    assert_eq!(locked.status.unwrap().state(), WeaponState::Locked);

    let over = weapon
        .launch(LaunchRequest {
            target_id: "bogey-1".into(),
            count: 3,
        })
        .await
        .unwrap_err();
    assert_eq!(over.code(), Code::OutOfRange);
    assert_eq!(over.message(), "cannot launch 3: 2 remaining");

    let fired = weapon
        .launch(LaunchRequest {
            target_id: "bogey-1".into(),
            count: 1,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(fired.launched, 1);
    let status = fired.status.unwrap();
    assert_eq!(status.state(), WeaponState::Launched);
    assert_eq!(status.remaining_count, 1);

    let wrong = weapon
        .launch(LaunchRequest {
            target_id: String::new(),
            count: 1,
        })
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), Code::FailedPrecondition);
    assert_eq!(
        wrong.message(),
        "Launch is not allowed while the weapon is LAUNCHED: lock a target first"
    );

    weapon.lock_target(bogey()).await.unwrap();
    let aborted = weapon
        .abort(AbortRequest {
            reason: "mission cancelled".into(),
        })
        .await
        .unwrap()
        .into_inner();
    let status = aborted.status.unwrap();
    assert_eq!(status.state(), WeaponState::Ready);
    assert_eq!(status.message, "aborted: mission cancelled");
    assert_eq!(status.remaining_count, 1);

    let metrics = http_get(&running, "/metrics").await.1;
    for line in [
        "airforce_weapon_launches_total{weapon_type=\"air-to-air-missile\"} 3",
        "airforce_weapon_launches_succeeded_total{weapon_type=\"air-to-air-missile\"} 1",
        "airforce_weapon_rounds_launched_total{weapon_type=\"air-to-air-missile\"} 1",
        "airforce_weapon_remaining{weapon_type=\"air-to-air-missile\"} 1",
        "airforce_weapon_state{weapon_type=\"air-to-air-missile\",state=\"READY\"} 1",
        "airforce_weapon_state{weapon_type=\"air-to-air-missile\",state=\"LOCKED\"} 0",
    ] {
        assert!(metrics.contains(line), "{line} not in:\n{metrics}");
    }
    assert!(
        metrics
            .contains("airforce_weapon_temperature_celsius{weapon_type=\"air-to-air-missile\"} 4"),
        "the launch heat is missing:\n{metrics}"
    );
}

#[tokio::test]
async fn an_initialize_without_a_loadout_takes_the_one_the_weapon_was_started_with() {
    let running = start(settings(None, Duration::ZERO)).await;
    let mut weapon = client(&running).await;
    let status = weapon
        .initialize(InitRequest::default())
        .await
        .unwrap()
        .into_inner()
        .status
        .unwrap();
    assert_eq!(status.remaining_count, 4);
    assert_eq!(status.mount_points, ["internal-bay-1", "internal-bay-2"]);
    let refused = weapon
        .initialize(InitRequest {
            quantity: -1,
            ..InitRequest::default()
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn a_fault_on_demand_fails_the_self_check_and_stops_serving_health() {
    let running = start(settings(Some("gyro drift"), Duration::ZERO)).await;
    let mut weapon = client(&running).await;
    assert_eq!(health(&running, "").await, ServingStatus::Serving);
    assert_eq!(
        health(&running, service::SERVICE_NAME).await,
        ServingStatus::Serving
    );
    assert_eq!(http_get(&running, "/readyz").await.0, "HTTP/1.1 200 OK");

    weapon.initialize(InitRequest::default()).await.unwrap();
    wait_ready(&mut weapon).await;
    let check = weapon
        .self_check(SelfCheckRequest {})
        .await
        .unwrap()
        .into_inner();
    assert!(!check.passed);
    let status = check.status.unwrap();
    assert_eq!(status.state(), WeaponState::Fault);
    assert_eq!(status.message, "self-check failed: seeker: gyro drift");

    assert_eq!(health(&running, "").await, ServingStatus::NotServing);
    assert_eq!(
        health(&running, service::SERVICE_NAME).await,
        ServingStatus::NotServing
    );
    let (line, body) = http_get(&running, "/readyz").await;
    assert_eq!(line, "HTTP/1.1 503 Service Unavailable");
    assert_eq!(body, "self-check failed: seeker: gyro drift\n");
    let locked = weapon.lock_target(bogey()).await.unwrap_err();
    assert_eq!(locked.code(), Code::FailedPrecondition);
    let metrics = http_get(&running, "/metrics").await.1;
    assert!(metrics.contains("state=\"FAULT\"} 1"), "{metrics}");
}

#[tokio::test]
async fn an_abort_calls_off_a_lock_under_way() {
    let running = start(settings(None, Duration::from_millis(500))).await;
    let mut weapon = client(&running).await;
    weapon.initialize(InitRequest::default()).await.unwrap();
    wait_ready(&mut weapon).await;
    let mut locking = weapon.clone();
    let lock = tokio::spawn(async move { locking.lock_target(bogey()).await });
    tokio::time::sleep(Duration::from_millis(100)).await;
    weapon
        .abort(AbortRequest {
            reason: "stop".into(),
        })
        .await
        .unwrap();
    let refused = lock.await.unwrap().unwrap_err();
    assert_eq!(refused.code(), Code::Aborted);
    let status = weapon
        .get_status(StatusRequest {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(status.state(), WeaponState::Ready);
}

#[tokio::test]
async fn a_taken_port_is_a_clear_error() {
    let running = start(settings(None, Duration::ZERO)).await;
    let taken = running.grpc;
    let error = bind(settings(None, Duration::ZERO), taken, None, async {})
        .await
        .err()
        .unwrap();
    assert_eq!(error.to_string(), format!("cannot listen on {taken}"));
}
