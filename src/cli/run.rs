//! `kubectl airforce run`: every controller in this process, against the
//! current kube context, until interrupted.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use clap::{Args, ValueEnum};

use super::GlobalArgs;
use super::serving::{MetricsAddr, parse_metrics_addr, shutdown_signal};
use crate::config_file::ConfigFile;
use crate::controller::config::OperatorConfig;
use crate::controller::context::{Caches, Context};
use crate::controller::pod_builder::PodSettings;
use crate::http_endpoint;
use crate::install::DEFAULT_IMAGE;
use crate::metrics;
use crate::operator::leader::{self, Elector};
use crate::operator::readiness::{OperatorEndpoint, Readiness};
use crate::operator::runner;
use crate::placement::SchedulerChoice;
use crate::scheduler::config::SchedulerConfig;

/// Where /healthz, /readyz and /metrics are served unless --metrics-addr says.
const DEFAULT_METRICS_ADDR: &str = "0.0.0.0:8080";

/// How the operator runs: leader election and the HTTP endpoints (the command's
/// help is on `Command::Run`).
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Run the controllers only while holding the Lease kubectl-airforce-operator,
    /// so that of several replicas exactly one acts; the others wait as standbys
    #[arg(long)]
    pub leader_elect: bool,
    /// The namespace of the leader Lease (default: $POD_NAMESPACE, then -n, then "default")
    #[arg(long, value_name = "NAME", env = "POD_NAMESPACE")]
    pub leader_election_namespace: Option<String>,
    /// The image of the simulated weapon: the sidecar of a Weapon that names no image
    /// runs it as `weapon serve`. `install` sets it to the operator's own image
    #[arg(long, value_name = "IMAGE", env = "AIRFORCE_SIMULATOR_IMAGE", default_value = DEFAULT_IMAGE)]
    pub simulator_image: String,
    /// Serve /healthz, /readyz and /metrics on this address; "" or "off" disables
    /// [default: 0.0.0.0:8080, skipped with a warning when the port is taken]
    #[arg(long, value_name = "ADDR", value_parser = parse_metrics_addr)]
    pub metrics_addr: Option<MetricsAddr>,
    /// Who places task pods: "aircraft" is the in-process aircraft-scheduler (filters
    /// and weighted scores, every decision explained); "default" leaves them to
    /// kube-scheduler through node affinity built from the same requirements
    #[arg(long, value_enum, value_name = "NAME", default_value_t = Scheduler::Aircraft)]
    pub scheduler: Scheduler,
    /// The aircraft-scheduler's weights, fuel threshold and zone adjacency (YAML; every
    /// field optional, see examples/scheduler-config.yaml), or the same written as a
    /// KubeSchedulerConfiguration (examples/kube-scheduler-config.yaml)
    #[arg(long, value_name = "FILE")]
    pub scheduler_config: Option<PathBuf>,
    /// The operator's settings: how long fault marks last and how many aircraft may
    /// carry them, and the time limits of tasks that set none (YAML; every field
    /// optional, see examples/operator-config.yaml)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// A `--scheduler` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scheduler {
    Aircraft,
    Default,
}

pub async fn run(args: RunArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    // A bad configuration stops `run` before it touches anything.
    let scheduler_config = match &args.scheduler_config {
        Some(path) => SchedulerConfig::from_file(path)?,
        None => SchedulerConfig::default(),
    };
    let config = match &args.config {
        Some(path) => OperatorConfig::from_file(path)?,
        None => OperatorConfig::default(),
    };
    let readiness = Readiness::default();
    serve_http(args.metrics_addr, &readiness).await?;
    let cluster = super::connect(global).await?;
    super::ensure_crds(&cluster.client).await?;
    ensure_priority_classes(&cluster.client).await?;
    let scope = match &global.namespace {
        Some(namespace) => format!("namespace {namespace}"),
        None => "all namespaces".to_string(),
    };
    eprintln!(
        "running the controllers against {} ({scope}); Ctrl-C stops them",
        cluster.server
    );
    let scheduler = match args.scheduler {
        Scheduler::Aircraft => SchedulerChoice::Aircraft,
        Scheduler::Default => SchedulerChoice::Default,
    };
    let pods = PodSettings {
        scheduler,
        simulator_image: args.simulator_image.clone(),
        armoury: config.armoury(),
    };
    let ctx = Context::new(
        cluster.client,
        global.namespace.clone(),
        pods,
        scheduler_config,
        config,
        Caches::empty(),
    );
    let started = move |running: bool| {
        readiness.set(running);
        metrics::global().set_leader(running);
    };
    if !args.leader_elect {
        runner::run(ctx, shutdown_signal(), started).await;
        eprintln!("stopped");
        return Ok(ExitCode::SUCCESS);
    }
    let namespace = (args.leader_election_namespace.clone())
        .filter(|namespace| !namespace.is_empty())
        .or_else(|| global.namespace.clone())
        .unwrap_or_else(|| "default".to_string());
    let elector = Elector::new(ctx.client.clone(), &namespace, leader::identity());
    eprintln!(
        "waiting for the leader lease {} as {}",
        elector.lease(),
        elector.identity()
    );
    let lease = elector.lease();
    match runner::run_elected(ctx, elector, shutdown_signal(), started).await {
        Ok(()) => {
            eprintln!("stopped");
            Ok(ExitCode::SUCCESS)
        }
        Err(lost) => Err(anyhow::Error::new(lost).context(format!(
            "the controllers were stopped because this replica no longer leads; \
             it exits so that its restart rejoins as a standby (lease {lease})"
        ))),
    }
}

/// Task pods name a PriorityClass per mission priority; without them every
/// pod would be refused, so `run` stops before it starts anything.
async fn ensure_priority_classes(client: &kube::Client) -> anyhow::Result<()> {
    let missing = crate::install::missing_priority_classes(client)
        .await
        .context("cannot check the PriorityClasses task pods use")?;
    if !missing.is_empty() {
        anyhow::bail!(
            "the PriorityClasses {} that task pods use are not in this cluster: run `kubectl airforce install --crds-only` (or `install`)",
            missing.join(", ")
        );
    }
    Ok(())
}

/// Starts the health and metrics endpoint. A port given with --metrics-addr
/// must be free; the default one is skipped with a warning when it is taken,
/// so several `run`s on one machine do not trip over each other.
async fn serve_http(addr: Option<MetricsAddr>, readiness: &Readiness) -> anyhow::Result<()> {
    let (addr, explicit) = match addr {
        Some(MetricsAddr::Off) => return Ok(()),
        Some(MetricsAddr::At(addr)) => (addr, true),
        None => (
            DEFAULT_METRICS_ADDR.parse().expect("a valid default"),
            false,
        ),
    };
    let endpoint = OperatorEndpoint {
        metrics: metrics::global().clone(),
        readiness: readiness.clone(),
    };
    match http_endpoint::serve(addr, Arc::new(endpoint)).await {
        Ok(bound) => {
            tracing::info!(%bound, "serving /healthz, /readyz and /metrics");
            Ok(())
        }
        Err(error) if explicit => Err(error).with_context(|| {
            format!(
                "cannot serve metrics on {addr}: pick a free port with --metrics-addr, or \"off\""
            )
        }),
        Err(error) => {
            eprintln!(
                "warning: not serving /healthz, /readyz and /metrics: cannot bind {addr} ({error}); \
                 pick a port with --metrics-addr"
            );
            Ok(())
        }
    }
}
