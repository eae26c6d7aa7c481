//! `kubectl airforce run`: every controller in this process, against the
//! current kube context, until interrupted.

use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;

use super::GlobalArgs;
use crate::controller::context::Context;
use crate::controller::placement::SchedulerChoice;
use crate::controller::runner;

/// Run the mission, stage and flight-task controllers in this terminal
///
/// Watches every namespace unless -n names one. Task pods are placed by
/// kube-scheduler through node affinity built from each task's aircraft
/// requirement. Stops cleanly on Ctrl-C or SIGTERM.
#[derive(Debug, Args)]
pub struct RunArgs {}

pub async fn run(_args: RunArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let cluster = super::connect(global).await?;
    super::ensure_crds(&cluster.client).await?;
    let scope = match &global.namespace {
        Some(namespace) => format!("namespace {namespace}"),
        None => "all namespaces".to_string(),
    };
    eprintln!(
        "running the controllers against {} ({scope}); Ctrl-C stops them",
        cluster.server
    );
    let ctx = Context::new(
        cluster.client,
        global.namespace.clone(),
        SchedulerChoice::Default,
    );
    runner::run(ctx, shutdown_signal()).await;
    eprintln!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Resolves on SIGINT or SIGTERM (the kubelet's stop signal).
async fn shutdown_signal() {
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
