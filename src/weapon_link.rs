//! Talking to the weapons of a task pod over the Weapon Interface Protocol:
//! which sidecars a pod carries ([`sidecars`]), how to reach one, and the
//! calls the operator and the CLI make.
//!
//! Inside the cluster a weapon is dialled at its pod's address. From a
//! terminal (`run` on a laptop, `weapon status`) pod addresses are not
//! routable, so each connection goes through the API server's pod
//! port-forward, the way `kubectl port-forward` does.

pub mod sidecars;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper_util::rt::TokioIo;
use k8s_openapi::api::core::v1::Pod;
use kube::{Api, ResourceExt};
use tonic::transport::{Channel, Endpoint, Uri};

use crate::api::TaskWeaponStatus;
use crate::weapon_protocol::v1::status_response::WeaponState;
use crate::weapon_protocol::v1::weapon_service_client::WeaponServiceClient;
use crate::weapon_protocol::v1::{
    AbortRequest, InitRequest, SelfCheckRequest, SelfCheckResponse, StatusRequest, StatusResponse,
};

pub use sidecars::Sidecar;

/// How long [`WeaponLink::arm`] watches a warming weapon before it returns
/// it INITIALIZING, and how often it asks meanwhile.
const WARM_UP_WATCH: Duration = Duration::from_secs(2);
const WARM_UP_POLL: Duration = Duration::from_millis(100);

/// How a weapon's port is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// The pod's IP: the operator runs inside the cluster.
    PodAddress,
    /// The API server's port-forward to the pod.
    PortForward,
}

impl Route {
    /// The pod's address when this process runs in a pod (it has the
    /// in-cluster service account), the port-forward otherwise.
    pub fn detect() -> Self {
        let in_pod = std::env::var_os("KUBERNETES_SERVICE_HOST").is_some()
            && Path::new("/var/run/secrets/kubernetes.io/serviceaccount/token").exists();
        if in_pod {
            Route::PodAddress
        } else {
            Route::PortForward
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("pod {pod} has no IP address yet")]
    NoAddress { pod: String },
    #[error("cannot open a port-forward to {target}: {source}")]
    PortForward {
        target: String,
        #[source]
        source: kube::Error,
    },
    #[error("cannot connect to {target}: {source}")]
    Connect {
        target: String,
        #[source]
        source: tonic::transport::Error,
    },
    #[error("{call} to {target} got no answer within {}s", .timeout.as_secs_f32())]
    Timeout {
        call: &'static str,
        target: String,
        timeout: Duration,
    },
    #[error("{call} to {target} failed: {}", .status.message())]
    Call {
        call: &'static str,
        target: String,
        status: Box<tonic::Status>,
    },
}

/// Reaches the weapons of pods, every call bounded by one timeout.
#[derive(Clone)]
pub struct WeaponLink {
    client: kube::Client,
    route: Route,
    timeout: Duration,
}

type Weapon = WeaponServiceClient<Channel>;

impl WeaponLink {
    pub fn new(client: kube::Client, route: Route, timeout: Duration) -> Self {
        WeaponLink {
            client,
            route,
            timeout,
        }
    }

    /// Loads the weapon as its pod says and starts its warm-up, watches the
    /// warm-up for up to two seconds, then, once it is READY, has it check
    /// itself. Each step is taken only when due, so
    /// calling again until the weapon is READY and checked is safe: a load
    /// the weapon refuses because it is armed already (LOCKED, LAUNCHED,
    /// rounds gone) or in FAULT is reported as the weapon's status.
    pub async fn arm(&self, pod: &Pod, sidecar: &Sidecar) -> Result<StatusResponse, LinkError> {
        let target = target(pod, sidecar);
        let mut weapon = self.connect(pod, sidecar).await?;
        let mut status = self.status_of(&mut weapon, &target).await?;
        if state(&status) == WeaponState::Initializing {
            let load = InitRequest {
                mount_points: sidecar.mount_points.clone(),
                quantity: sidecar.quantity,
                config: Default::default(),
            };
            let call = weapon.initialize(load);
            match self.bounded("Initialize", &target, call).await {
                Ok(response) => status = response.status.unwrap_or(status),
                Err(LinkError::Call {
                    status: refusal, ..
                }) if refusal.code() == tonic::Code::FailedPrecondition => {
                    status = self.status_of(&mut weapon, &target).await?;
                }
                Err(error) => return Err(error),
            }
        }
        // A weapon warming up is watched on the connection already open for
        // a short while: most are READY within it, which spares the caller
        // another look through a new port-forward.
        let settle = tokio::time::Instant::now() + WARM_UP_WATCH;
        while state(&status) == WeaponState::Initializing && tokio::time::Instant::now() < settle {
            tokio::time::sleep(WARM_UP_POLL).await;
            status = self.status_of(&mut weapon, &target).await?;
        }
        if state(&status) == WeaponState::Ready && !status.self_checked {
            let checked = self.self_check_on(&mut weapon, &target).await?;
            status = checked.status.unwrap_or(status);
        }
        Ok(status)
    }

    pub async fn status(&self, pod: &Pod, sidecar: &Sidecar) -> Result<StatusResponse, LinkError> {
        let target = target(pod, sidecar);
        let mut weapon = self.connect(pod, sidecar).await?;
        self.status_of(&mut weapon, &target).await
    }

    pub async fn self_check(
        &self,
        pod: &Pod,
        sidecar: &Sidecar,
    ) -> Result<SelfCheckResponse, LinkError> {
        let target = target(pod, sidecar);
        let mut weapon = self.connect(pod, sidecar).await?;
        self.self_check_on(&mut weapon, &target).await
    }

    /// Makes the weapon safe: it drops any lock.
    pub async fn abort(
        &self,
        pod: &Pod,
        sidecar: &Sidecar,
        reason: &str,
    ) -> Result<StatusResponse, LinkError> {
        let target = target(pod, sidecar);
        let mut weapon = self.connect(pod, sidecar).await?;
        let request = AbortRequest {
            reason: reason.to_string(),
        };
        let response = self
            .bounded("Abort", &target, weapon.abort(request))
            .await?;
        Ok(response.status.unwrap_or_default())
    }

    /// Makes a weapon handed back to its pool safe and loads it afresh:
    /// Abort, then Initialize with the load its pod names. `Ok(false)` when
    /// the weapon refuses the load (rounds have left it, or it is in FAULT):
    /// only a restart resets it. Safe to repeat: both calls change nothing on
    /// a weapon already reset.
    pub async fn reset(&self, pod: &Pod, sidecar: &Sidecar) -> Result<bool, LinkError> {
        let target = target(pod, sidecar);
        let mut weapon = self.connect(pod, sidecar).await?;
        let abort = AbortRequest {
            reason: "returned to its pool".to_string(),
        };
        self.bounded("Abort", &target, weapon.abort(abort)).await?;
        let load = InitRequest {
            mount_points: sidecar.mount_points.clone(),
            quantity: sidecar.quantity,
            config: Default::default(),
        };
        match self
            .bounded("Initialize", &target, weapon.initialize(load))
            .await
        {
            Ok(_) => Ok(true),
            Err(LinkError::Call { status, .. })
                if status.code() == tonic::Code::FailedPrecondition =>
            {
                Ok(false)
            }
            Err(error) => Err(error),
        }
    }

    async fn status_of(
        &self,
        weapon: &mut Weapon,
        target: &str,
    ) -> Result<StatusResponse, LinkError> {
        self.bounded("GetStatus", target, weapon.get_status(StatusRequest {}))
            .await
    }

    async fn self_check_on(
        &self,
        weapon: &mut Weapon,
        target: &str,
    ) -> Result<SelfCheckResponse, LinkError> {
        self.bounded("SelfCheck", target, weapon.self_check(SelfCheckRequest {}))
            .await
    }

    async fn bounded<T>(
        &self,
        call: &'static str,
        target: &str,
        request: impl Future<Output = Result<tonic::Response<T>, tonic::Status>>,
    ) -> Result<T, LinkError> {
        match tokio::time::timeout(self.timeout, request).await {
            Ok(Ok(response)) => Ok(response.into_inner()),
            Ok(Err(status)) => Err(LinkError::Call {
                call,
                target: target.to_string(),
                status: Box::new(status),
            }),
            Err(_) => Err(LinkError::Timeout {
                call,
                target: target.to_string(),
                timeout: self.timeout,
            }),
        }
    }

    async fn connect(&self, pod: &Pod, sidecar: &Sidecar) -> Result<Weapon, LinkError> {
        let target = target(pod, sidecar);
        let connecting = async {
            match self.route {
                Route::PodAddress => self.dial_pod_address(pod, sidecar, &target).await,
                Route::PortForward => self.dial_through_api_server(pod, sidecar, &target).await,
            }
        };
        match tokio::time::timeout(self.timeout, connecting).await {
            Ok(connected) => connected.map(WeaponServiceClient::new),
            Err(_) => Err(LinkError::Timeout {
                call: "connect",
                target,
                timeout: self.timeout,
            }),
        }
    }

    async fn dial_pod_address(
        &self,
        pod: &Pod,
        sidecar: &Sidecar,
        target: &str,
    ) -> Result<Channel, LinkError> {
        let ip = (pod.status.as_ref())
            .and_then(|status| status.pod_ip.clone())
            .ok_or_else(|| LinkError::NoAddress {
                pod: pod.name_any(),
            })?;
        let host = if ip.contains(':') {
            format!("[{ip}]")
        } else {
            ip
        };
        let endpoint =
            Endpoint::from_shared(format!("http://{host}:{}", sidecar.port)).map_err(|source| {
                LinkError::Connect {
                    target: target.to_string(),
                    source,
                }
            })?;
        endpoint
            .connect()
            .await
            .map_err(|source| LinkError::Connect {
                target: target.to_string(),
                source,
            })
    }

    /// One HTTP/2 connection over one port-forward stream. The forwarder
    /// lives as long as the stream, which the channel owns.
    async fn dial_through_api_server(
        &self,
        pod: &Pod,
        sidecar: &Sidecar,
        target: &str,
    ) -> Result<Channel, LinkError> {
        let namespace = pod.namespace().unwrap_or_default();
        let pods: Api<Pod> = Api::namespaced(self.client.clone(), &namespace);
        let forward_error = |source| LinkError::PortForward {
            target: target.to_string(),
            source,
        };
        let mut forwarder =
            (pods.portforward(&pod.name_any(), &[sidecar.port]).await).map_err(forward_error)?;
        let stream = forwarder.take_stream(sidecar.port);
        let described = target.to_string();
        tokio::spawn(async move {
            if let Err(error) = forwarder.join().await {
                tracing::debug!(target = described, %error, "port-forward ended");
            }
        });
        let stream = Arc::new(Mutex::new(stream));
        let connector = tower::service_fn(move |_: Uri| {
            let stream = stream.lock().ok().and_then(|mut s| s.take());
            async move {
                stream.map(TokioIo::new).ok_or_else(|| {
                    std::io::Error::new(
                        std::io::ErrorKind::NotConnected,
                        "a port-forward stream carries one connection",
                    )
                })
            }
        });
        // The authority is never resolved: the connector ignores it.
        Endpoint::from_static("http://weapon.port-forward")
            .connect_with_connector(connector)
            .await
            .map_err(|source| LinkError::Connect {
                target: target.to_string(),
                source,
            })
    }
}

pub fn state(status: &StatusResponse) -> WeaponState {
    WeaponState::try_from(status.state).unwrap_or(WeaponState::Fault)
}

/// A weapon's answer as a task's status records it, with the sidecar image
/// it answered from.
pub fn reading(sidecar: &Sidecar, status: &StatusResponse) -> TaskWeaponStatus {
    let some = |text: &str| (!text.is_empty()).then(|| text.to_string());
    TaskWeaponStatus {
        name: sidecar.weapon.clone(),
        state: state(status).as_str_name().to_string(),
        remaining: status.remaining_count,
        temperature: Some(status.temperature.round() as i32),
        self_check_passed: status.self_checked.then_some(status.self_check_passed),
        version: some(&status.version),
        message: some(&status.message),
        image: sidecar.image.clone(),
    }
}

/// A weapon that could not be reached, as a task's status records it.
pub fn unreachable(sidecar: &Sidecar, error: &LinkError) -> TaskWeaponStatus {
    TaskWeaponStatus {
        name: sidecar.weapon.clone(),
        image: sidecar.image.clone(),
        state: TaskWeaponStatus::UNREACHABLE.to_string(),
        message: Some(error.to_string()),
        ..TaskWeaponStatus::default()
    }
}

/// `namespace/pod:weapon-x (port)`, as errors name a weapon.
fn target(pod: &Pod, sidecar: &Sidecar) -> String {
    format!(
        "weapon {} of pod {}/{} (port {})",
        sidecar.weapon,
        pod.namespace().unwrap_or_default(),
        pod.name_any(),
        sidecar.port
    )
}
