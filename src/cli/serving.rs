//! What the long-running commands (`run`, `weapon serve`) share: the address
//! of their HTTP endpoint, and stopping on Ctrl-C or SIGTERM.

use std::net::SocketAddr;

use anyhow::Context;

/// A `--metrics-addr` value: an address, or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricsAddr {
    Off,
    At(SocketAddr),
}

pub fn parse_metrics_addr(value: &str) -> Result<MetricsAddr, String> {
    match value.trim() {
        "" | "off" => Ok(MetricsAddr::Off),
        addr => addr
            .parse()
            .map(MetricsAddr::At)
            .map_err(|error| format!("{error}: give HOST:PORT such as 0.0.0.0:8080, or \"off\"")),
    }
}

/// Resolves on SIGINT or SIGTERM (the kubelet's stop signal).
pub async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!("cannot listen for SIGTERM: {error}");
                std::future::pending::<()>().await
            }
        }
    };
    tokio::select! {
        result = tokio::signal::ctrl_c() => {
            if let Err(error) = result.context("cannot listen for Ctrl-C") {
                tracing::warn!("{error:#}");
            }
        }
        () = terminate => {}
    }
}
