//! The operator's Prometheus metrics: reconcile counts, errors and durations
//! per controller, missions, stages and tasks by phase, API requests by verb
//! and resource, whether this process leads, and the aircraft-scheduler's
//! queue, attempts and latencies (named after kube-scheduler's). One registry
//! per process, served as text on `/metrics` by `http_endpoint`.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::future::Future;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Instant;

use kube::ResourceExt;
use kube::runtime::reflector::{Lookup, Store};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::{Registry, Unit};

use super::scheduler::SchedulerMetrics;
use crate::api::{FlightTask, FlightTaskPhase};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ControllerLabels {
    controller: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ErrorLabels {
    controller: String,
    error: &'static str,
}

/// What kind of failure an error is, as a metric label: a few fixed words
/// (`conflict`, `forbidden`, …), so the series stay few.
pub trait MetricLabel {
    fn metric_label(&self) -> &'static str;
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PhaseLabels {
    phase: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct WeaponLabels {
    namespace: String,
    task: String,
    weapon: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct WeaponStateLabels {
    namespace: String,
    task: String,
    weapon: String,
    state: String,
}

/// One weapon of a running task, as its status last recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeaponSample {
    pub namespace: String,
    pub task: String,
    pub weapon: String,
    pub state: String,
    pub remaining: i64,
}

/// The weapons of running tasks at scrape time, from a controller's cache.
type WeaponSource = Box<dyn Fn() -> Vec<WeaponSample> + Send + Sync>;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    verb: &'static str,
    resource: String,
    subresource: String,
}

/// Counts objects by phase at scrape time, from a controller's cache.
type PhaseSource = Box<dyn Fn() -> BTreeMap<String, i64> + Send + Sync>;

/// A cheap handle on the metrics (clone it freely: everything is behind an Arc).
#[derive(Clone)]
pub struct Metrics {
    inner: Arc<Inner>,
}

struct Inner {
    registry: Registry,
    reconciles: Family<ControllerLabels, Counter>,
    errors: Family<ErrorLabels, Counter>,
    durations: Family<ControllerLabels, Histogram>,
    leader: Gauge,
    pods_waiting: Gauge,
    tasks_queued: Gauge,
    requests: Family<RequestLabels, Counter>,
    by_kind: BTreeMap<&'static str, Family<PhaseLabels, Gauge>>,
    /// Per kind, where its counts come from: the latest controller's cache.
    phase_sources: Mutex<BTreeMap<&'static str, PhaseSource>>,
    weapon_remaining: Family<WeaponLabels, Gauge>,
    weapon_state: Family<WeaponStateLabels, Gauge>,
    weapon_source: Mutex<Option<WeaponSource>>,
    scheduler: SchedulerMetrics,
}

/// The kinds counted by phase, with their metric names.
const PHASE_METRICS: [(&str, &str, &str); 3] = [
    ("Mission", "airforce_missions", "Missions by phase"),
    (
        "MissionStage",
        "airforce_mission_stages",
        "Mission stages by phase",
    ),
    (
        "FlightTask",
        "airforce_flight_tasks",
        "Flight tasks by phase",
    ),
];

fn duration_histogram() -> Histogram {
    // 5 ms to about 10 s: a reconcile is a few API round trips.
    Histogram::new(exponential_buckets(0.005, 2.0, 12))
}

static GLOBAL: LazyLock<Metrics> = LazyLock::new(Metrics::new);

/// The process's metrics: what the reconcilers record into and `/metrics` serves.
pub fn global() -> &'static Metrics {
    &GLOBAL
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    /// A fresh registry (tests use their own; the process uses [`global`]).
    pub fn new() -> Metrics {
        let mut registry = Registry::default();
        let reconciles = Family::<ControllerLabels, Counter>::default();
        let errors = Family::<ErrorLabels, Counter>::default();
        let durations = Family::<ControllerLabels, Histogram>::new_with_constructor(
            duration_histogram as fn() -> Histogram,
        );
        let leader = Gauge::default();
        registry.register(
            "airforce_reconcile",
            "Reconciles run, per controller",
            reconciles.clone(),
        );
        registry.register(
            "airforce_reconcile_errors",
            "Reconciles that returned an error, per controller and kind of error",
            errors.clone(),
        );
        registry.register_with_unit(
            "airforce_reconcile_duration",
            "How long reconciles took, per controller",
            Unit::Seconds,
            durations.clone(),
        );
        registry.register(
            "airforce_leader",
            "1 while this process runs the controllers (holds the lease when leader election is on)",
            leader.clone(),
        );
        let (pods_waiting, tasks_queued) = (Gauge::default(), Gauge::default());
        registry.register(
            "airforce_task_pods_waiting",
            "Task pods waiting for an aircraft, or let through to be created",
            pods_waiting.clone(),
        );
        registry.register(
            "airforce_tasks_queued",
            "Flight tasks queued for their turn to create a pod (maxWaitingPods)",
            tasks_queued.clone(),
        );
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "airforce_api_requests",
            "Requests this process sent to the API server, by verb and resource",
            requests.clone(),
        );
        let weapon_remaining = Family::<WeaponLabels, Gauge>::default();
        registry.register(
            "airforce_task_weapon_remaining",
            "Rounds left on each weapon of a running flight task, as it last answered",
            weapon_remaining.clone(),
        );
        let weapon_state = Family::<WeaponStateLabels, Gauge>::default();
        registry.register(
            "airforce_task_weapon_state",
            "1 for the state each weapon of a running flight task last reported (READY, FAULT, UNREACHABLE, ...)",
            weapon_state.clone(),
        );
        let scheduler = SchedulerMetrics::register(&mut registry);
        let mut by_kind = BTreeMap::new();
        for (kind, name, help) in PHASE_METRICS {
            let family = Family::<PhaseLabels, Gauge>::default();
            registry.register(name, help, family.clone());
            by_kind.insert(kind, family);
        }
        Metrics {
            inner: Arc::new(Inner {
                registry,
                reconciles,
                errors,
                durations,
                leader,
                pods_waiting,
                tasks_queued,
                requests,
                by_kind,
                phase_sources: Mutex::new(BTreeMap::new()),
                weapon_remaining,
                weapon_state,
                weapon_source: Mutex::new(None),
                scheduler,
            }),
        }
    }

    /// Records one reconcile of `controller` that began at `started` and
    /// failed with an error of kind `error`, if it failed.
    pub fn observe(&self, controller: &str, started: Instant, error: Option<&'static str>) {
        let labels = ControllerLabels {
            controller: controller.to_string(),
        };
        self.inner.reconciles.get_or_create(&labels).inc();
        if let Some(error) = error {
            let labels = ErrorLabels {
                controller: controller.to_string(),
                error,
            };
            self.inner.errors.get_or_create(&labels).inc();
        }
        (self.inner.durations.get_or_create(&labels)).observe(started.elapsed().as_secs_f64());
    }

    /// Runs a reconcile future and records it: a wrapper for `Controller::run`.
    pub async fn measure<T, E: MetricLabel>(
        &self,
        controller: &str,
        reconcile: impl Future<Output = Result<T, E>>,
    ) -> Result<T, E> {
        let started = Instant::now();
        let result = reconcile.await;
        let error = result.as_ref().err().map(MetricLabel::metric_label);
        self.observe(controller, started, error);
        result
    }

    /// Whether this process is the one running the controllers.
    pub fn set_leader(&self, leading: bool) {
        self.inner.leader.set(i64::from(leading));
    }

    /// How full the window of waiting task pods is, and how many tasks queue
    /// behind it.
    pub fn set_launch_window(&self, waiting: usize, queued: usize) {
        let gauge = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        self.inner.pods_waiting.set(gauge(waiting));
        self.inner.tasks_queued.set(gauge(queued));
    }

    /// Counts one request sent to the API server.
    pub fn count_request(&self, request: &ApiRequest) {
        let labels = RequestLabels {
            verb: request.verb,
            resource: request.resource.clone(),
            subresource: request.subresource.clone(),
        };
        self.inner.requests.get_or_create(&labels).inc();
    }

    /// The aircraft-scheduler's metrics.
    pub fn scheduler(&self) -> &SchedulerMetrics {
        &self.inner.scheduler
    }

    /// Reports `kind` (one of Mission, MissionStage, FlightTask) by phase on
    /// every scrape, counting what `source` returns then: a controller's cache,
    /// so a scrape costs no API call. A controller started again (a new lease)
    /// replaces the source of its previous run.
    pub fn count_phases(
        &self,
        kind: &str,
        source: impl Fn() -> BTreeMap<String, i64> + Send + Sync + 'static,
    ) {
        let Some((&kind, _)) = self.inner.by_kind.get_key_value(kind) else {
            tracing::warn!(kind, "no phase metric for this kind");
            return;
        };
        if let Ok(mut sources) = self.inner.phase_sources.lock() {
            sources.insert(kind, Box::new(source));
        }
    }

    /// Reports the weapons of running tasks on every scrape, from what
    /// `source` returns then; a controller started again replaces it.
    pub fn report_weapons(&self, source: impl Fn() -> Vec<WeaponSample> + Send + Sync + 'static) {
        if let Ok(mut current) = self.inner.weapon_source.lock() {
            *current = Some(Box::new(source));
        }
    }

    fn sample_weapons(&self) {
        let Ok(source) = self.inner.weapon_source.lock() else {
            return;
        };
        let Some(source) = source.as_ref() else {
            return;
        };
        // Cleared first: a task that stopped running leaves no series.
        self.inner.weapon_remaining.clear();
        self.inner.weapon_state.clear();
        for sample in source() {
            let labels = WeaponLabels {
                namespace: sample.namespace.clone(),
                task: sample.task.clone(),
                weapon: sample.weapon.clone(),
            };
            self.inner
                .weapon_remaining
                .get_or_create(&labels)
                .set(sample.remaining);
            let state = WeaponStateLabels {
                namespace: sample.namespace,
                task: sample.task,
                weapon: sample.weapon,
                state: sample.state,
            };
            self.inner.weapon_state.get_or_create(&state).set(1);
        }
    }

    /// The Prometheus text exposition of every metric.
    pub fn encode(&self) -> String {
        self.sample_weapons();
        if let Ok(sources) = self.inner.phase_sources.lock() {
            for (kind, source) in sources.iter() {
                let family = &self.inner.by_kind[kind];
                // Cleared first so that an object deleted since leaves no stale series.
                family.clear();
                for (phase, count) in source() {
                    family.get_or_create(&PhaseLabels { phase }).set(count);
                }
            }
        }
        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.inner.registry);
        text
    }
}

/// Reports the objects in a controller's cache by phase on every scrape.
pub fn count_cached_phases<K, P>(
    kind: &str,
    store: Store<K>,
    all: &'static [P],
    phase_of: fn(&K) -> Option<P>,
) where
    K: Lookup + Clone + Send + Sync + 'static,
    K::DynamicType: Eq + std::hash::Hash + Clone + Send + Sync,
    P: Debug + Copy + Default + Send + Sync + 'static,
{
    global().count_phases(kind, move || {
        phase_counts(store.state(), all, |object| phase_of(object))
    });
}

/// Reports the weapons of the running tasks in a controller's cache on every scrape.
pub fn report_cached_task_weapons(store: Store<FlightTask>) {
    global().report_weapons(move || weapon_samples(store.state().iter().map(AsRef::as_ref)));
}

/// The weapons of the tasks that are running: a finished task's weapons
/// went with its pod.
pub fn weapon_samples<'a>(tasks: impl IntoIterator<Item = &'a FlightTask>) -> Vec<WeaponSample> {
    let mut samples = Vec::new();
    for task in tasks {
        let Some(status) = task.status.as_ref() else {
            continue;
        };
        if status.phase != Some(FlightTaskPhase::Running) {
            continue;
        }
        for weapon in &status.weapons {
            samples.push(WeaponSample {
                namespace: ResourceExt::namespace(task).unwrap_or_default(),
                task: task.name_any(),
                weapon: weapon.name.clone(),
                state: weapon.state.clone(),
                remaining: i64::from(weapon.remaining),
            });
        }
    }
    samples
}

/// Counts `objects` by the phase `phase_of` reads, with every phase in `all`
/// present (at 0 when empty) so a dashboard always has the series.
pub fn phase_counts<K, P: Debug + Copy + Default>(
    objects: impl IntoIterator<Item = K>,
    all: &[P],
    phase_of: impl Fn(&K) -> Option<P>,
) -> BTreeMap<String, i64> {
    let mut counts: BTreeMap<String, i64> = all.iter().map(|p| (format!("{p:?}"), 0)).collect();
    for object in objects {
        let phase = phase_of(&object).unwrap_or_default();
        *counts.entry(format!("{phase:?}")).or_default() += 1;
    }
    counts
}

/// One request to the API server as the request metric labels it: kubectl's
/// verbs (get, list, watch, create, update, patch, delete, deletecollection).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRequest {
    pub verb: &'static str,
    pub resource: String,
    pub subresource: String,
}

impl ApiRequest {
    /// Reads the verb and resource off a request's method, path and query.
    pub fn classify(method: &http::Method, path: &str, query: Option<&str>) -> ApiRequest {
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        // /api/v1/… or /apis/<group>/<version>/…
        let rest = match segments.first() {
            Some(&"api") => segments.get(2..),
            Some(&"apis") => segments.get(3..),
            _ => None,
        }
        .unwrap_or_default();
        let rest = match rest {
            ["namespaces", _, "status" | "finalize"] => rest,
            ["namespaces", _, resource, ..] if !resource.is_empty() => &rest[2..],
            _ => rest,
        };
        let resource = rest
            .first()
            .map_or_else(|| path.to_string(), |r| r.to_string());
        let named = rest.len() > 1;
        let subresource = rest.get(2).map(|s| s.to_string()).unwrap_or_default();
        let watching = query.is_some_and(|q| {
            q.split('&')
                .any(|pair| pair == "watch=true" || pair == "watch=1")
        });
        let verb = match *method {
            http::Method::GET if watching => "watch",
            http::Method::GET if named => "get",
            http::Method::GET => "list",
            http::Method::POST => "create",
            http::Method::PUT => "update",
            http::Method::PATCH => "patch",
            http::Method::DELETE if named => "delete",
            http::Method::DELETE => "deletecollection",
            _ => "other",
        };
        ApiRequest {
            verb,
            resource,
            subresource,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reconcile_is_counted_and_timed_under_its_controller() {
        let metrics = Metrics::new();
        metrics.observe("mission", Instant::now(), None);
        metrics.observe("mission", Instant::now(), Some("conflict"));
        metrics.observe("stage", Instant::now(), None);
        let text = metrics.encode();
        assert!(
            text.contains("airforce_reconcile_total{controller=\"mission\"} 2"),
            "{text}"
        );
        assert!(
            text.contains("airforce_reconcile_total{controller=\"stage\"} 1"),
            "{text}"
        );
        assert!(
            text.contains(
                "airforce_reconcile_errors_total{controller=\"mission\",error=\"conflict\"} 1"
            ),
            "{text}"
        );
        assert!(
            !text.contains("airforce_reconcile_errors_total{controller=\"stage\""),
            "{text}"
        );

        assert!(
            text.contains("airforce_reconcile_duration_seconds_count{controller=\"mission\"} 2"),
            "{text}"
        );
    }

    #[test]
    fn the_leader_gauge_follows_the_lease() {
        let metrics = Metrics::new();
        assert!(metrics.encode().contains("airforce_leader 0"));
        metrics.set_leader(true);
        assert!(metrics.encode().contains("airforce_leader 1"));
    }

    #[tokio::test]
    async fn measure_counts_an_error_result() {
        let metrics = Metrics::new();
        struct Refused;
        impl MetricLabel for Refused {
            fn metric_label(&self) -> &'static str {
                "forbidden"
            }
        }
        let result: Result<(), Refused> =
            metrics.measure("flight_task", async { Err(Refused) }).await;
        assert!(result.is_err());
        assert!((metrics.encode()).contains(
            "airforce_reconcile_errors_total{controller=\"flight_task\",error=\"forbidden\"} 1"
        ));
    }

    fn classify(method: http::Method, uri: &str) -> (&'static str, String, String) {
        let (path, query) = uri
            .split_once('?')
            .map_or((uri, None), |(p, q)| (p, Some(q)));
        let request = ApiRequest::classify(&method, path, query);
        (request.verb, request.resource, request.subresource)
    }

    #[test]
    fn requests_are_labelled_with_kubectl_verbs_and_resources() {
        use http::Method;
        let cases = [
            (
                Method::GET,
                "/api/v1/namespaces/ns/pods?labelSelector=a",
                ("list", "pods", ""),
            ),
            (
                Method::GET,
                "/api/v1/pods?watch=true&resourceVersion=1",
                ("watch", "pods", ""),
            ),
            (
                Method::GET,
                "/api/v1/namespaces/ns/pods/p",
                ("get", "pods", ""),
            ),
            (
                Method::POST,
                "/api/v1/namespaces/ns/pods",
                ("create", "pods", ""),
            ),
            (
                Method::POST,
                "/api/v1/namespaces/ns/pods/p/binding",
                ("create", "pods", "binding"),
            ),
            (
                Method::PATCH,
                "/apis/airforce.mil/v1alpha1/namespaces/ns/flighttasks/t/status",
                ("patch", "flighttasks", "status"),
            ),
            (
                Method::PUT,
                "/apis/coordination.k8s.io/v1/namespaces/ns/leases/l",
                ("update", "leases", ""),
            ),
            (
                Method::DELETE,
                "/api/v1/namespaces/ns/pods/p",
                ("delete", "pods", ""),
            ),
            (
                Method::DELETE,
                "/api/v1/namespaces/ns/pods",
                ("deletecollection", "pods", ""),
            ),
            (
                Method::PATCH,
                "/api/v1/nodes/j20-01",
                ("patch", "nodes", ""),
            ),
            (
                Method::GET,
                "/api/v1/namespaces/ns",
                ("get", "namespaces", ""),
            ),
            (
                Method::PUT,
                "/api/v1/namespaces/ns/finalize",
                ("update", "namespaces", "finalize"),
            ),
            (
                Method::POST,
                "/apis/events.k8s.io/v1/namespaces/ns/events",
                ("create", "events", ""),
            ),
        ];
        for (method, uri, (verb, resource, subresource)) in cases {
            assert_eq!(
                classify(method, uri),
                (verb, resource.to_string(), subresource.to_string()),
                "{uri}"
            );
        }
    }

    #[test]
    fn requests_are_counted_by_verb_and_resource() {
        let metrics = Metrics::new();
        let request = ApiRequest::classify(&http::Method::POST, "/api/v1/namespaces/ns/pods", None);
        metrics.count_request(&request);
        metrics.count_request(&request);
        let text = metrics.encode();
        assert!(
            text.contains(
                "airforce_api_requests_total{verb=\"create\",resource=\"pods\",subresource=\"\"} 2"
            ),
            "{text}"
        );
    }

    #[test]
    fn weapons_of_running_tasks_are_reported_and_go_when_the_task_ends() {
        use crate::api::{FlightTaskStatus, TaskWeaponStatus};
        let task = |phase| {
            let mut task: FlightTask = serde_json::from_value(serde_json::json!({
                "metadata": {"name": "m.s.t", "namespace": "air"},
                "spec": {},
            }))
            .unwrap();
            task.status = Some(FlightTaskStatus {
                phase: Some(phase),
                weapons: vec![TaskWeaponStatus {
                    name: "pl-15".into(),
                    state: "READY".into(),
                    remaining: 4,
                    ..TaskWeaponStatus::default()
                }],
                ..FlightTaskStatus::default()
            });
            task
        };
        let tasks = std::sync::Arc::new(Mutex::new(vec![task(FlightTaskPhase::Running)]));
        let source = tasks.clone();
        let metrics = Metrics::new();
        metrics.report_weapons(move || weapon_samples(source.lock().unwrap().iter()));
        let text = metrics.encode();
        let labels = "namespace=\"air\",task=\"m.s.t\",weapon=\"pl-15\"";
        assert!(
            text.contains(&format!("airforce_task_weapon_remaining{{{labels}}} 4")),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "airforce_task_weapon_state{{{labels},state=\"READY\"}} 1"
            )),
            "{text}"
        );
        *tasks.lock().unwrap() = vec![task(FlightTaskPhase::Succeeded)];
        let text = metrics.encode();
        assert!(!text.contains("airforce_task_weapon_remaining{"), "{text}");
    }

    #[test]
    fn phases_are_counted_at_scrape_time_with_every_phase_present() {
        use crate::api::MissionPhase;
        let metrics = Metrics::new();
        let phases = std::sync::Arc::new(Mutex::new(vec![Some(MissionPhase::Running), None]));
        let source = phases.clone();
        metrics.count_phases("Mission", move || {
            phase_counts(source.lock().unwrap().clone(), &MissionPhase::ALL, |p| *p)
        });
        let text = metrics.encode();
        assert!(
            text.contains("airforce_missions{phase=\"Running\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("airforce_missions{phase=\"Pending\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("airforce_missions{phase=\"Failed\"} 0"),
            "{text}"
        );
        *phases.lock().unwrap() = vec![Some(MissionPhase::Succeeded)];
        let text = metrics.encode();
        assert!(
            text.contains("airforce_missions{phase=\"Running\"} 0"),
            "{text}"
        );
        assert!(
            text.contains("airforce_missions{phase=\"Succeeded\"} 1"),
            "{text}"
        );
    }
}
