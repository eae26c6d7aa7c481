//! The operator's Prometheus metrics: reconcile counts, errors and durations
//! per controller, and whether this process leads. One registry per process,
//! served as text on `/metrics` by `controller::http`.

use std::future::Future;
use std::sync::{Arc, LazyLock};
use std::time::Instant;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::{Registry, Unit};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ControllerLabels {
    controller: String,
}

/// A cheap handle on the metrics (clone it freely: everything is behind an Arc).
#[derive(Clone)]
pub struct Metrics {
    inner: Arc<Inner>,
}

struct Inner {
    registry: Registry,
    reconciles: Family<ControllerLabels, Counter>,
    errors: Family<ControllerLabels, Counter>,
    durations: Family<ControllerLabels, Histogram>,
    leader: Gauge,
}

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
        let errors = Family::<ControllerLabels, Counter>::default();
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
            "Reconciles that returned an error, per controller",
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
        Metrics {
            inner: Arc::new(Inner {
                registry,
                reconciles,
                errors,
                durations,
                leader,
            }),
        }
    }

    /// Records one reconcile of `controller` that began at `started`.
    pub fn observe(&self, controller: &str, started: Instant, ok: bool) {
        let labels = ControllerLabels {
            controller: controller.to_string(),
        };
        self.inner.reconciles.get_or_create(&labels).inc();
        // Created at 0 on the first reconcile, so a rate() has a series to work on.
        let errors = self.inner.errors.get_or_create(&labels);
        if !ok {
            errors.inc();
        }
        (self.inner.durations.get_or_create(&labels)).observe(started.elapsed().as_secs_f64());
    }

    /// Runs a reconcile future and records it: a wrapper for `Controller::run`.
    pub async fn measure<T, E>(
        &self,
        controller: &str,
        reconcile: impl Future<Output = Result<T, E>>,
    ) -> Result<T, E> {
        let started = Instant::now();
        let result = reconcile.await;
        self.observe(controller, started, result.is_ok());
        result
    }

    /// Whether this process is the one running the controllers.
    pub fn set_leader(&self, leading: bool) {
        self.inner.leader.set(i64::from(leading));
    }

    /// The Prometheus text exposition of every metric.
    pub fn encode(&self) -> String {
        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.inner.registry);
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reconcile_is_counted_and_timed_under_its_controller() {
        let metrics = Metrics::new();
        metrics.observe("mission", Instant::now(), true);
        metrics.observe("mission", Instant::now(), false);
        metrics.observe("stage", Instant::now(), true);
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
            text.contains("airforce_reconcile_errors_total{controller=\"mission\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("airforce_reconcile_errors_total{controller=\"stage\"} 0"),
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
        let result: Result<(), &str> = metrics.measure("flight_task", async { Err("no") }).await;
        assert!(result.is_err());
        assert!(
            (metrics.encode())
                .contains("airforce_reconcile_errors_total{controller=\"flight_task\"} 1")
        );
    }
}
