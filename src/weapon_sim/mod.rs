//! The reference weapon: one simulated weapon serving the Weapon Interface
//! Protocol (`kubectl airforce weapon serve`). It is the sidecar of a Weapon
//! that names no image of its own, and what tests drive the whole weapon path
//! with.
//!
//! - `weapon`: the state machine, rounds and heat, pure;
//! - `service`: the gRPC service around it, with timings and logs;
//! - `metrics`: its Prometheus series.

pub mod metrics;
pub mod service;
pub mod weapon;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use futures::FutureExt;
use futures::future::BoxFuture;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::time::Instant;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;

use crate::http_endpoint::{self, Exposition};
use crate::weapon_protocol::v1::status_response::WeaponState;
use crate::weapon_protocol::v1::weapon_service_server::WeaponServiceServer;
use metrics::WeaponMetrics;
use service::Simulator;
use weapon::{Identity, SimulatedWeapon, Timings};

/// Where the simulated weapon serves its metrics unless told otherwise.
pub const METRICS_PORT: u16 = 9102;

/// How long calls under way may finish after a stop signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// Everything `weapon serve` is started with.
#[derive(Debug, Clone)]
pub struct Settings {
    pub identity: Identity,
    pub timings: Timings,
    /// Makes every self-check fail with this message, for tests of a faulty weapon.
    pub fault: Option<String>,
    /// The loadout an Initialize without one takes: the sidecar's QUANTITY and MOUNT_POINTS.
    pub default_quantity: i32,
    pub default_mount_points: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SimulatorError {
    #[error("cannot listen on {addr}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("the gRPC server stopped")]
    Serve(#[source] tonic::transport::Error),
}

/// A simulator listening: its addresses are known, so a caller can print them
/// (or a test dial them) before awaiting `serving`.
pub struct Bound {
    pub grpc: SocketAddr,
    pub metrics: Option<SocketAddr>,
    /// Serves until the shutdown signal given to [`bind`] completes.
    pub serving: BoxFuture<'static, Result<(), SimulatorError>>,
}

/// Binds the gRPC port and, when asked, the metrics port (which serves at once).
pub async fn bind(
    settings: Settings,
    grpc: SocketAddr,
    metrics: Option<SocketAddr>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<Bound, SimulatorError> {
    let listener = TcpListener::bind(grpc)
        .await
        .map_err(|source| SimulatorError::Bind { addr: grpc, source })?;
    let grpc = listener
        .local_addr()
        .map_err(|source| SimulatorError::Bind { addr: grpc, source })?;
    let (reporter, health) = tonic_health::server::health_reporter();
    reporter
        .set_service_status(service::SERVICE_NAME, tonic_health::ServingStatus::Serving)
        .await;
    let weapon = SimulatedWeapon::new(
        settings.identity.clone(),
        settings.timings,
        settings.fault.clone(),
        Instant::now(),
    );
    let simulator = Simulator::new(
        weapon,
        WeaponMetrics::new(&settings.identity.weapon_type),
        reporter,
        (settings.default_quantity, settings.default_mount_points),
    );
    let metrics = match metrics {
        None => None,
        Some(addr) => Some(
            http_endpoint::serve(addr, Arc::new(simulator.clone()))
                .await
                .map_err(|source| SimulatorError::Bind { addr, source })?,
        ),
    };
    let (stopping, stop) = watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stopping.send(true);
    });
    let stopped = |mut stop: watch::Receiver<bool>| async move {
        let _ = stop.wait_for(|stopping| *stopping).await;
    };
    let server = Server::builder()
        .add_service(health)
        .add_service(WeaponServiceServer::new(simulator))
        .serve_with_incoming_shutdown(TcpIncoming::from(listener), stopped(stop.clone()));
    // A caller that keeps its connection open would otherwise hold the pod in
    // Terminating until the kubelet's grace period ends.
    let grace = async move {
        stopped(stop).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    let serving = async move {
        tokio::select! {
            served = server => served.map_err(SimulatorError::Serve),
            () = grace => {
                tracing::info!("closing the connections still open after {SHUTDOWN_GRACE:?}");
                Ok(())
            }
        }
    }
    .boxed();
    Ok(Bound {
        grpc,
        metrics,
        serving,
    })
}

impl Exposition for Simulator {
    fn metrics(&self) -> String {
        Simulator::metrics(self)
    }

    /// Ready while it can be armed: not in FAULT.
    fn not_ready(&self) -> Option<String> {
        let status = self.status();
        (status.state() == WeaponState::Fault).then_some(status.message)
    }
}

#[cfg(test)]
mod tests;
