//! The WeaponService of one simulated weapon over gRPC: each call waits out
//! its step's time, is applied to the state machine and logged. One step runs at
//! a time, as on a real weapon; GetStatus and the metrics never wait for one.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::time::Instant;
use tonic::{Request, Response, Status};
use tonic_health::ServingStatus;
use tonic_health::server::HealthReporter;

use super::metrics::WeaponMetrics;
use super::weapon::{Refusal, SimulatedWeapon};
use crate::weapon_protocol::v1::status_response::WeaponState;
use crate::weapon_protocol::v1::weapon_service_server::WeaponService;
use crate::weapon_protocol::v1::{
    AbortRequest, AbortResponse, InitRequest, InitResponse, LaunchRequest, LaunchResponse,
    LockRequest, LockResponse, SelfCheckRequest, SelfCheckResponse, StatusRequest, StatusResponse,
};

/// The name the health service reports the weapon under.
pub const SERVICE_NAME: &str = "airforce.weapon.v1.WeaponService";

#[derive(Clone)]
pub struct Simulator {
    weapon: Arc<Mutex<SimulatedWeapon>>,
    busy: Arc<tokio::sync::Mutex<()>>,
    /// Aborts so far: a lock or launch under way when one comes is called off.
    aborts: Arc<AtomicU64>,
    metrics: Arc<WeaponMetrics>,
    health: HealthReporter,
    /// What an Initialize that names no quantity or mount points loads.
    default_loadout: Arc<(i32, Vec<String>)>,
}

impl Simulator {
    pub fn new(
        weapon: SimulatedWeapon,
        metrics: WeaponMetrics,
        health: HealthReporter,
        default_loadout: (i32, Vec<String>),
    ) -> Self {
        Simulator {
            weapon: Arc::new(Mutex::new(weapon)),
            busy: Arc::new(tokio::sync::Mutex::new(())),
            aborts: Arc::new(AtomicU64::new(0)),
            metrics: Arc::new(metrics),
            health,
            default_loadout: Arc::new(default_loadout),
        }
    }

    pub fn status(&self) -> StatusResponse {
        self.weapon().status(Instant::now())
    }

    pub fn metrics(&self) -> String {
        self.metrics.encode(&self.status())
    }

    fn weapon(&self) -> MutexGuard<'_, SimulatedWeapon> {
        // A panic while holding the lock cannot leave the state half-changed:
        // every change is a few assignments after the checks.
        self.weapon
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Holds the weapon for one step and waits out how long the step takes.
    async fn step(
        &self,
        took: impl Fn(&SimulatedWeapon) -> Duration,
    ) -> tokio::sync::MutexGuard<'_, ()> {
        let busy = self.busy.lock().await;
        let wait = took(&self.weapon());
        tokio::time::sleep(wait).await;
        busy
    }

    /// A step that an Abort may call off while it runs.
    async fn abortable_step(
        &self,
        call: &str,
        took: impl Fn(&SimulatedWeapon) -> Duration,
    ) -> Result<tokio::sync::MutexGuard<'_, ()>, Status> {
        let aborts = self.aborts.load(Ordering::SeqCst);
        let busy = self.step(took).await;
        if self.aborts.load(Ordering::SeqCst) != aborts {
            tracing::warn!(call, "called off by an Abort");
            return Err(Status::aborted(format!(
                "{call} was called off by an Abort while it ran"
            )));
        }
        Ok(busy)
    }

    /// Health follows the state: a weapon in FAULT stops serving, which fails
    /// its sidecar's readiness probe.
    async fn report_health(&self, state: WeaponState) {
        let serving = if state == WeaponState::Fault {
            ServingStatus::NotServing
        } else {
            ServingStatus::Serving
        };
        self.health.set_service_status(SERVICE_NAME, serving).await;
        self.health.set_service_status("", serving).await;
    }
}

fn refused(call: &str, refusal: Refusal) -> Status {
    tracing::warn!(call, %refusal, "refused");
    match refusal {
        Refusal::WrongState { .. } => Status::failed_precondition(refusal.to_string()),
        Refusal::OverLaunch { .. } => Status::out_of_range(refusal.to_string()),
        Refusal::Invalid(_) => Status::invalid_argument(refusal.to_string()),
    }
}

fn state_name(status: &StatusResponse) -> &'static str {
    status.state().as_str_name()
}

#[tonic::async_trait]
impl WeaponService for Simulator {
    async fn initialize(
        &self,
        request: Request<InitRequest>,
    ) -> Result<Response<InitResponse>, Status> {
        let request = request.into_inner();
        let (default_quantity, default_mount_points) = self.default_loadout.as_ref();
        let quantity = match request.quantity {
            0 => *default_quantity,
            quantity => quantity,
        };
        let mount_points = match request.mount_points {
            given if given.is_empty() => default_mount_points.clone(),
            given => given,
        };
        let _busy = self.busy.lock().await;
        let status = self
            .weapon()
            .initialize(quantity, mount_points.clone(), Instant::now())
            .map_err(|refusal| refused("Initialize", refusal))?;
        tracing::info!(
            quantity,
            mount_points = mount_points.join(","),
            state = state_name(&status),
            "Initialize"
        );
        Ok(Response::new(InitResponse {
            status: Some(status),
        }))
    }

    async fn get_status(
        &self,
        _request: Request<StatusRequest>,
    ) -> Result<Response<StatusResponse>, Status> {
        Ok(Response::new(self.status()))
    }

    async fn lock_target(
        &self,
        request: Request<LockRequest>,
    ) -> Result<Response<LockResponse>, Status> {
        let target = request.into_inner().target;
        let _busy = self
            .abortable_step("LockTarget", |weapon| weapon.timings().lock)
            .await?;
        let status = self
            .weapon()
            .lock(target, Instant::now())
            .map_err(|refusal| refused("LockTarget", refusal))?;
        tracing::info!(message = status.message, "LockTarget");
        Ok(Response::new(LockResponse {
            status: Some(status),
        }))
    }

    async fn launch(
        &self,
        request: Request<LaunchRequest>,
    ) -> Result<Response<LaunchResponse>, Status> {
        let request = request.into_inner();
        let _busy = self
            .abortable_step("Launch", |weapon| weapon.timings().launch)
            .await?;
        let now = Instant::now();
        let fired = self.weapon().launch(&request.target_id, request.count, now);
        self.metrics.launch(fired.as_ref().ok().copied());
        let launched = fired.map_err(|refusal| refused("Launch", refusal))?;
        let status = self.status();
        tracing::info!(launched, remaining = status.remaining_count, "Launch");
        Ok(Response::new(LaunchResponse {
            launched,
            status: Some(status),
        }))
    }

    async fn abort(
        &self,
        request: Request<AbortRequest>,
    ) -> Result<Response<AbortResponse>, Status> {
        let reason = request.into_inner().reason;
        // An abort does not queue behind a step in progress: making the weapon
        // safe cannot wait.
        self.aborts.fetch_add(1, Ordering::SeqCst);
        let status = self.weapon().abort(&reason, Instant::now());
        tracing::info!(reason, state = state_name(&status), "Abort");
        Ok(Response::new(AbortResponse {
            status: Some(status),
        }))
    }

    async fn self_check(
        &self,
        _request: Request<SelfCheckRequest>,
    ) -> Result<Response<SelfCheckResponse>, Status> {
        let _busy = self.step(|weapon| weapon.timings().self_check).await;
        let result = self.weapon().self_check(Instant::now());
        let status = result.status.clone().unwrap_or_default();
        self.report_health(status.state()).await;
        tracing::info!(
            passed = result.passed,
            message = status.message,
            state = state_name(&status),
            "SelfCheck"
        );
        Ok(Response::new(result))
    }
}
