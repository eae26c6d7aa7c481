//! `kubectl airforce schedule explain FLIGHTTASK`: why a task's pod went where
//! it went. A bound pod carries the decision the aircraft-scheduler
//! made; a pod still waiting is evaluated again against the cluster as it is
//! now, so the answer says what stops it.

use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use k8s_openapi::api::core::v1::{Node, Pod};
use kube::api::ListParams;
use kube::{Api, Client, ResourceExt};
use serde_json::json;

use super::GlobalArgs;
use crate::api::FlightTask;
use crate::api::keys::AIRCRAFT_SCHEDULER;
use crate::api::keys::SCHEDULING_DECISION_ANNOTATION;
use crate::api::keys::TASK_LABEL;
use crate::cli::report_format::ReportFormat;
use crate::cli::task_arg::TaskArg;
use crate::config_file::ConfigFile;
use crate::output::color::Palette;
use crate::output::scheduling;
use crate::scheduler::config::SchedulerConfig;
use crate::scheduler::decision::{Decision, decide};
use crate::scheduler::pod_request::PodRequest;
use crate::scheduler::snapshot::Snapshot;

#[derive(Debug, Subcommand)]
pub enum ScheduleCommand {
    /// Show why a flight task's pod was placed on its aircraft, or why it waits
    ///
    /// For a bound pod: the decision the aircraft-scheduler recorded when it bound
    /// it (candidates with every score, rejected aircraft with the reason). For a
    /// pod still pending: the same evaluation run now against the current nodes.
    Explain(ExplainArgs),
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The task whose pod to explain: its FlightTask's name, MISSION/TASK or
    /// MISSION/STAGE/TASK
    #[arg(value_name = "FLIGHTTASK", value_parser = TaskArg::parse, add = crate::cli::complete_names::flight_tasks())]
    pub task: TaskArg,
    /// Output format
    #[arg(short = 'o', long, value_enum, default_value_t = ReportFormat::Table)]
    pub output: ReportFormat,
    /// The scheduler configuration to evaluate a pending pod with (the one `run` uses)
    #[arg(long, value_name = "FILE")]
    pub scheduler_config: Option<std::path::PathBuf>,
}

impl ScheduleCommand {
    pub async fn run(self, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
        match self {
            Self::Explain(args) => explain(args, global).await,
        }
    }
}

/// Where an explanation comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// Written onto the pod by the aircraft-scheduler when it bound it.
    Recorded,
    /// Evaluated just now: the pod is not bound yet.
    Live,
}

async fn explain(args: ExplainArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let config = match &args.scheduler_config {
        Some(path) => SchedulerConfig::from_file(path)?,
        None => SchedulerConfig::default(),
    };
    let cluster = super::connect(global).await?;
    super::ensure_crds(&cluster.client).await?;
    let namespace = &cluster.namespace;
    let tasks: Api<FlightTask> = Api::namespaced(cluster.client.clone(), namespace);
    let task = args.task.find(&tasks, namespace).await?;
    let Some(pod) = current_pod(&cluster.client, namespace, &task).await? else {
        bail!(
            "flight task {} has no pod yet ({}): there is no scheduling decision to explain",
            task.name_any(),
            task_phase(&task)
        );
    };
    let scheduler = pod
        .spec
        .as_ref()
        .and_then(|s| s.scheduler_name.as_deref())
        .unwrap_or("default-scheduler");
    let node = pod.spec.as_ref().and_then(|s| s.node_name.clone());
    let recorded = pod.annotations().get(SCHEDULING_DECISION_ANNOTATION);
    let (source, decision) = match (&node, recorded) {
        (Some(_), Some(json)) => {
            let decision: Decision = serde_json::from_str(json).with_context(|| {
                format!(
                    "pod {} carries an unreadable {SCHEDULING_DECISION_ANNOTATION} annotation",
                    pod.name_any()
                )
            })?;
            (Source::Recorded, decision)
        }
        (Some(node), None) => bail!(
            "pod {} was bound to {node} by {scheduler}, not by {AIRCRAFT_SCHEDULER}: \
             there is no aircraft-scheduler decision to explain",
            pod.name_any()
        ),
        (None, _) if scheduler != AIRCRAFT_SCHEDULER => bail!(
            "pod {} waits for {scheduler}, not {AIRCRAFT_SCHEDULER}: see `kubectl describe pod {} -n {namespace}`",
            pod.name_any(),
            pod.name_any()
        ),
        (None, _) => (
            Source::Live,
            evaluate_now(&cluster.client, &pod, &config).await?,
        ),
    };
    if args.output.is_data() {
        let body = json!({
            "flightTask": task.name_any(),
            "namespace": namespace,
            "pod": pod.name_any(),
            "node": node,
            "source": match source { Source::Recorded => "recorded", Source::Live => "live" },
            "decision": decision,
        });
        args.output.print(&body, String::new)?;
        return Ok(ExitCode::SUCCESS);
    }
    let palette = Palette::for_stdout();
    let heading = match (&node, source) {
        (Some(node), _) => format!(
            "FlightTask {namespace}/{} → pod {} bound to {node} by {AIRCRAFT_SCHEDULER}",
            task.name_any(),
            pod.name_any()
        ),
        (None, _) => format!(
            "FlightTask {namespace}/{} → pod {} is not bound yet ({} scheduling attempts); \
             evaluated now against the cluster:",
            task.name_any(),
            pod.name_any(),
            attempts(&task)
        ),
    };
    outln!("{}\n", palette.bold(&heading));
    out!("{}", scheduling::render(&decision, palette));
    Ok(ExitCode::SUCCESS)
}

/// The task's current pod: the one its status names, else its newest attempt.
async fn current_pod(
    client: &Client,
    namespace: &str,
    task: &FlightTask,
) -> anyhow::Result<Option<Pod>> {
    let pods: Api<Pod> = Api::namespaced(client.clone(), namespace);
    let named = task
        .status
        .as_ref()
        .and_then(|s| s.pod_ref.as_ref())
        .map(|r| r.name.clone());
    if let Some(name) = named
        && let Some(pod) = pods
            .get_opt(&name)
            .await
            .with_context(|| format!("cannot read pod {name}"))?
    {
        return Ok(Some(pod));
    }
    let selector = format!("{TASK_LABEL}={}", task.name_any());
    let listed = (pods.list(&ListParams::default().labels(&selector)).await)
        .with_context(|| format!("cannot list the pods of flight task {}", task.name_any()))?;
    Ok(listed
        .items
        .into_iter()
        .max_by_key(|pod| pod.metadata.creation_timestamp.as_ref().map(|t| t.0)))
}

/// Runs the scheduler's filters and scores for `pod` against the nodes and the
/// pods on them as they are now.
async fn evaluate_now(
    client: &Client,
    pod: &Pod,
    config: &SchedulerConfig,
) -> anyhow::Result<Decision> {
    let nodes = (Api::<Node>::all(client.clone())
        .list(&ListParams::default())
        .await)
        .context("cannot list the nodes to evaluate the pod against")?;
    let bound = (Api::<Pod>::all(client.clone())
        .list(&ListParams::default().fields("spec.nodeName!="))
        .await)
        .context("cannot list the pods on the nodes (needs list pods in all namespaces)")?;
    let snapshot = Snapshot::new(&nodes.items, &bound.items);
    Ok(decide(&PodRequest::from_pod(pod), snapshot.nodes(), config))
}

fn task_phase(task: &FlightTask) -> String {
    let phase = task
        .status
        .as_ref()
        .and_then(|s| s.phase)
        .unwrap_or_default();
    format!("phase {phase:?}")
}

fn attempts(task: &FlightTask) -> i32 {
    (task.status.as_ref())
        .and_then(|s| s.scheduling_info.as_ref())
        .map_or(0, |i| i.scheduling_attempts)
}
