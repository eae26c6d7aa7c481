//! The aircraft-scheduler's loop: watches nodes and pods, places
//! every pod that asks for `aircraft-scheduler`, binds it through the Binding
//! subresource with the decision attached, and tells people why.
//!
//! Driven by watches, never by a timer: a new pending pod schedules at once; a
//! pod that fits nowhere waits until the cluster changes in a way that could
//! make it fit (a node changed, or a pod left a node), as kube-scheduler's
//! unschedulable queue does. Each cycle works on one snapshot of the caches;
//! a pod it binds is "assumed" on its node until the watch shows the binding,
//! so two pods never race for one aircraft.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures::{StreamExt, stream};
use k8s_openapi::api::core::v1::{Binding, Node, ObjectReference, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use kube::api::{Api, Patch, PatchParams, PostParams};
use kube::runtime::events::{Event, EventType, Recorder};
use kube::runtime::reflector::{self, Store};
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Client, Resource, ResourceExt};
use serde_json::json;
use tokio::sync::Notify;

use super::config::SchedulerConfig;
use super::decision::timing::PluginTimes;
use super::decision::{Decision, decide, decide_timed};
use super::node_changes::NodeChanges;
use super::pod_request::PodRequest;
use super::queue::{self, Attempts, UnfitNeeds};
use super::snapshot::Snapshot;
use crate::api::conditions::reasons;
use crate::api::field_managers;
use crate::api::keys::SCHEDULING_DECISION_ANNOTATION;
use crate::metrics::{self, AttemptResult};

/// Binds and status writes in flight at once: enough to hide API latency.
const CONCURRENT_WRITES: usize = 32;
/// Pods decided between two rounds of writes, so binding starts early.
const CHUNK: usize = 64;
/// Candidates and rejections kept in the annotation (counts cover the rest).
/// The annotation travels with every later change of the pod to every watcher
/// of pods; twenty of each made it half of a task pod's bytes.
const EXPLAINED_NODES: usize = 5;
/// One decision in this many has its plugins timed for the metrics.
const PLUGIN_SAMPLE: u64 = 10;

/// Where the scheduler works and how it speaks to the API server.
pub struct Connection {
    pub client: Client,
    /// Records the `Scheduled` and `FailedScheduling` events.
    pub recorder: Recorder,
    /// `None` schedules pods of every namespace; `Some` only those of one.
    pub namespace: Option<String>,
}

/// Runs the scheduler until `shutdown` resolves.
pub async fn run(
    connection: Connection,
    config: Arc<SchedulerConfig>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let Connection {
        client,
        recorder,
        namespace,
    } = connection;
    let wake = Arc::new(Notify::new());
    let changes = Arc::new(AtomicU64::new(0));
    let (nodes, node_writer) = reflector::store::<Node>();
    let (pods, pod_writer) = reflector::store::<Pod>();
    let node_events = watcher(Api::<Node>::all(client.clone()), watcher::Config::default())
        .default_backoff()
        .modify(|node| node.managed_fields_mut().clear())
        .reflect(node_writer)
        .for_each({
            let (wake, changes) = (wake.clone(), changes.clone());
            let mut node_changes = NodeChanges::default();
            move |event| {
                match event {
                    Ok(event) => {
                        if node_changes.may_free_room(&event) {
                            changes.fetch_add(1, Ordering::Relaxed);
                            wake.notify_one();
                        }
                    }
                    Err(error) => tracing::warn!("watching nodes: {error}"),
                }
                async {}
            }
        });
    let pods_api: Api<Pod> = match &namespace {
        Some(namespace) => Api::namespaced(client.clone(), namespace),
        None => Api::all(client.clone()),
    };
    let pod_events = watcher(pods_api, watcher::Config::default())
        .default_backoff()
        .modify(|pod| pod.managed_fields_mut().clear())
        .reflect(pod_writer)
        .for_each({
            let (wake, changes) = (wake.clone(), changes.clone());
            move |event| {
                match event {
                    Ok(event) => {
                        if queue::frees_a_node(&event) {
                            changes.fetch_add(1, Ordering::Relaxed);
                        }
                        wake.notify_one();
                    }
                    Err(error) => tracing::warn!("watching pods: {error}"),
                }
                async {}
            }
        });
    let scheduler = Scheduler {
        client,
        recorder,
        config,
        nodes,
        pods,
        changes,
        decisions: AtomicU64::new(0),
    };
    let cycles = scheduler.run(wake);
    tokio::select! {
        () = node_events => {}
        () = pod_events => {}
        () = cycles => {}
        () = shutdown => {}
    }
}

struct Scheduler {
    client: Client,
    recorder: Recorder,
    config: Arc<SchedulerConfig>,
    nodes: Store<Node>,
    pods: Store<Pod>,
    /// Bumped whenever a waiting pod might now fit.
    changes: Arc<AtomicU64>,
    /// Decisions made, to sample which are timed.
    decisions: AtomicU64,
}

/// What became of one pod's write.
enum Outcome {
    Bound,
    /// The binding did not happen; the pod is free to be tried again.
    NotBound,
    Unschedulable,
}

impl Scheduler {
    async fn run(self, wake: Arc<Notify>) {
        let (nodes, pods) = (self.nodes.clone(), self.pods.clone());
        if nodes.wait_until_ready().await.is_err() || pods.wait_until_ready().await.is_err() {
            return;
        }
        let mut attempts = Attempts::default();
        loop {
            self.cycle(&mut attempts).await;
            wake.notified().await;
        }
    }

    /// Places every pod that is waiting and may fit now, against one snapshot.
    async fn cycle(&self, attempts: &mut Attempts) {
        let pods = self.pods.state();
        let changes = self.changes.load(Ordering::Relaxed);
        attempts.forget_settled(&pods);
        let pending = attempts.due(&pods, changes);
        let metrics = metrics::global();
        metrics
            .scheduler()
            .queue(pending.len(), attempts.waiting(changes));
        if pending.is_empty() {
            return;
        }
        let nodes = self.nodes.state();
        let mut snapshot = Snapshot::new(
            nodes.iter().map(|n| n.as_ref()),
            pods.iter().map(|p| p.as_ref()),
        );
        for (node, pod) in attempts.assumed() {
            snapshot.assume(node, &PodRequest::from_pod(pod));
        }
        let mut unfit = UnfitNeeds::default();
        let mut alike: Vec<(Arc<Pod>, String)> = Vec::new();
        for chunk in pending.chunks(CHUNK) {
            let mut decided: Vec<(Arc<Pod>, Decision, Instant)> = Vec::new();
            for pod in chunk {
                let started = Instant::now();
                let request = PodRequest::from_pod(pod);
                if let Some(reason) = unfit.verdict(&request) {
                    alike.push((pod.clone(), reason.to_string()));
                    continue;
                }
                let decision = self.decide(&request, &snapshot);
                match &decision.chosen {
                    Some(node) => {
                        snapshot.assume(node, &request);
                        attempts.assume(pod.clone(), node.clone());
                    }
                    None => unfit.record(&request, decision.unschedulable_message()),
                }
                decided.push((pod.clone(), decision, started));
            }
            let outcomes: Vec<(Arc<Pod>, Outcome)> = stream::iter(decided)
                .map(|(pod, decision, started)| async move {
                    let outcome = self.record(&pod, decision).await;
                    observe(&pod, &outcome, started);
                    (pod, outcome)
                })
                .buffer_unordered(CONCURRENT_WRITES)
                .collect()
                .await;
            for (pod, outcome) in outcomes {
                match outcome {
                    Outcome::Bound => {}
                    Outcome::NotBound => attempts.release(&pod),
                    Outcome::Unschedulable => attempts.unschedulable(&pod, changes),
                }
            }
        }
        alike.retain(|(pod, _)| attempts.shares_verdict(pod, changes));
        stream::iter(alike)
            .for_each_concurrent(CONCURRENT_WRITES, |(pod, reason)| async move {
                self.tell_waiting(&pod, &reason).await;
            })
            .await;
        metrics.scheduler().queue(0, attempts.waiting(changes));
    }

    /// Gives a pod that shared another's verdict PodScheduled=False; the pod
    /// that was decided carries the event and the current reason.
    async fn tell_waiting(&self, pod: &Pod, reason: &str) {
        let namespace = pod.namespace().unwrap_or_default();
        let api: Api<Pod> = Api::namespaced(self.client.clone(), &namespace);
        if let Err(error) = mark_unschedulable(&api, pod, reason).await {
            tracing::warn!(pod = %format!("{namespace}/{}", pod.name_any()), "cannot record PodScheduled=False: {error}");
        }
    }

    /// The decision for one pod, its plugins timed on one decision in
    /// [`PLUGIN_SAMPLE`].
    fn decide(&self, request: &PodRequest, snapshot: &Snapshot) -> Decision {
        if !(self.decisions.fetch_add(1, Ordering::Relaxed)).is_multiple_of(PLUGIN_SAMPLE) {
            return decide(request, snapshot.nodes(), &self.config);
        }
        let mut times = PluginTimes::default();
        let decision = decide_timed(request, snapshot.nodes(), &self.config, &mut times);
        for (plugin, point, took) in times.spent() {
            metrics::global()
                .scheduler()
                .plugin_execution(plugin, point, *took);
        }
        decision
    }

    /// Writes the decision: a binding, or PodScheduled=False; an Event either way.
    async fn record(&self, pod: &Pod, decision: Decision) -> Outcome {
        let namespace = pod.namespace().unwrap_or_default();
        let name = pod.name_any();
        let api: Api<Pod> = Api::namespaced(self.client.clone(), &namespace);
        let outcome = match &decision.chosen {
            Some(node) => match bind(&api, &name, node, &decision).await {
                Ok(()) => Outcome::Bound,
                Err(error) => {
                    // Gone, already bound by someone else, or the server failed:
                    // the next change shows which, and the pod is tried again.
                    tracing::warn!(pod = %format!("{namespace}/{name}"), %node, "cannot bind: {error}");
                    return Outcome::NotBound;
                }
            },
            None => {
                let message = decision.unschedulable_message();
                if let Err(error) = mark_unschedulable(&api, pod, &message).await {
                    tracing::warn!(pod = %format!("{namespace}/{name}"), "cannot record PodScheduled=False: {error}");
                }
                Outcome::Unschedulable
            }
        };
        let event = match outcome {
            Outcome::Bound => Event {
                type_: EventType::Normal,
                reason: "Scheduled".into(),
                note: Some(decision.scheduled_message()),
                action: "Binding".into(),
                secondary: None,
            },
            _ => Event {
                type_: EventType::Warning,
                reason: reasons::FAILED_SCHEDULING.into(),
                note: Some(decision.unschedulable_message()),
                action: "Scheduling".into(),
                secondary: None,
            },
        };
        // Told on the side, as kube-scheduler's event broadcaster does: waiting
        // for the event would hold one of the concurrent writes for a second
        // round trip and halve the rate of bindings.
        let (recorder, reference) = (self.recorder.clone(), pod.object_ref(&()));
        tokio::spawn(async move {
            if let Err(error) = recorder.publish(&event, &reference).await {
                tracing::debug!(pod = %format!("{namespace}/{name}"), "cannot record the event: {error}");
            }
        });
        outcome
    }
}

/// Counts an attempt that began at `started`, and a bound pod's time since
/// its creation.
fn observe(pod: &Pod, outcome: &Outcome, started: Instant) {
    let metrics = metrics::global();
    let result = match outcome {
        Outcome::Bound => AttemptResult::Scheduled,
        Outcome::NotBound => AttemptResult::Error,
        Outcome::Unschedulable => AttemptResult::Unschedulable,
    };
    metrics.scheduler().attempt(result, started.elapsed());
    let created = pod.metadata.creation_timestamp.as_ref();
    if let (Outcome::Bound, Some(created)) = (outcome, created) {
        let waited = k8s_openapi::jiff::Timestamp::now().duration_since(created.0);
        metrics
            .scheduler()
            .pod_scheduled(Duration::try_from(waited).unwrap_or_default());
    }
}

async fn bind(api: &Api<Pod>, pod: &str, node: &str, decision: &Decision) -> anyhow::Result<()> {
    let explained = serde_json::to_string(&decision.clone().truncated(EXPLAINED_NODES))?;
    let binding = Binding {
        // The API server copies the binding's annotations onto the pod: the
        // decision lands with the binding, in the same single write.
        metadata: ObjectMeta {
            name: Some(pod.to_string()),
            annotations: Some([(SCHEDULING_DECISION_ANNOTATION.to_string(), explained)].into()),
            ..Default::default()
        },
        target: ObjectReference {
            api_version: Some("v1".into()),
            kind: Some("Node".into()),
            name: Some(node.to_string()),
            ..Default::default()
        },
    };
    api.create_subresource::<_, serde_json::Value>(
        "binding",
        pod,
        &PostParams::default(),
        &binding,
    )
    .await?;
    Ok(())
}

/// PodScheduled=False with the reasons, as kube-scheduler writes it; skipped
/// when the pod already says exactly that.
async fn mark_unschedulable(api: &Api<Pod>, pod: &Pod, message: &str) -> kube::Result<()> {
    let current = (pod.status.as_ref())
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "PodScheduled"));
    if current.is_some_and(|c| c.status == "False" && c.message.as_deref() == Some(message)) {
        return Ok(());
    }
    let now = Time(k8s_openapi::jiff::Timestamp::now());
    let patch = json!({
        "status": { "conditions": [{
            "type": "PodScheduled",
            "status": "False",
            "reason": "Unschedulable",
            "message": message,
            "lastTransitionTime": now,
        }]}
    });
    api.patch_status(
        &pod.name_any(),
        &PatchParams::apply(field_managers::AIRCRAFT_SCHEDULER),
        &Patch::Strategic(&patch),
    )
    .await
    .map(|_| ())
}
