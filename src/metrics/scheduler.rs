//! The aircraft-scheduler's metrics, named after kube-scheduler's: pending
//! pods by queue, attempts and their latency by result, creation-to-binding
//! latency, and per-plugin time.

use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::{Registry, Unit};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct QueueLabels {
    queue: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabels {
    result: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PluginLabels {
    plugin: &'static str,
    extension_point: &'static str,
}

/// What became of one scheduling attempt, as the `result` label says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptResult {
    /// Bound to an aircraft.
    Scheduled,
    /// No aircraft fits; the pod waits for the cluster to change.
    Unschedulable,
    /// An aircraft was chosen but the binding failed; the pod is tried again.
    Error,
}

impl AttemptResult {
    const ALL: [AttemptResult; 3] = [Self::Scheduled, Self::Unschedulable, Self::Error];

    fn label(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Unschedulable => "unschedulable",
            Self::Error => "error",
        }
    }
}

/// The aircraft-scheduler's metrics.
pub struct SchedulerMetrics {
    pending: Family<QueueLabels, Gauge>,
    attempts: Family<ResultLabels, Counter>,
    attempt_durations: Family<ResultLabels, Histogram>,
    pod_durations: Histogram,
    plugin_durations: Family<PluginLabels, Histogram>,
}

impl SchedulerMetrics {
    pub(super) fn register(registry: &mut Registry) -> Self {
        let metrics = SchedulerMetrics {
            pending: Family::default(),
            attempts: Family::default(),
            // 1 ms to about 16 s: a decision and one write.
            attempt_durations: Family::new_with_constructor(|| {
                Histogram::new(exponential_buckets(0.001, 2.0, 15))
            }),
            // 10 ms to about 80 s: creation to binding, waiting included.
            pod_durations: Histogram::new(exponential_buckets(0.01, 2.0, 14)),
            // 10 µs to about 0.3 s: one plugin across every aircraft.
            plugin_durations: Family::new_with_constructor(|| {
                Histogram::new(exponential_buckets(0.000_01, 2.0, 15))
            }),
        };
        registry.register(
            "airforce_scheduler_pending_pods",
            "Pods waiting for the aircraft-scheduler, by queue: active (being tried) or unschedulable (waiting for the cluster to change)",
            metrics.pending.clone(),
        );
        registry.register(
            "airforce_scheduler_schedule_attempts",
            "Scheduling attempts of the aircraft-scheduler, by result: scheduled, unschedulable, error",
            metrics.attempts.clone(),
        );
        registry.register_with_unit(
            "airforce_scheduler_scheduling_attempt_duration",
            "How long one scheduling attempt took, the decision and its write, by result",
            Unit::Seconds,
            metrics.attempt_durations.clone(),
        );
        registry.register_with_unit(
            "airforce_scheduler_pod_scheduling_duration",
            "How long pods took from creation to being bound by the aircraft-scheduler",
            Unit::Seconds,
            metrics.pod_durations.clone(),
        );
        registry.register_with_unit(
            "airforce_scheduler_plugin_execution_duration",
            "How long one plugin took over all the aircraft of one decision, by plugin and extension point; sampled on one decision in ten",
            Unit::Seconds,
            metrics.plugin_durations.clone(),
        );
        // Every series from the start, so a scrape shows zeros, not nothing.
        for queue in ["active", "unschedulable"] {
            metrics.pending.get_or_create(&QueueLabels { queue }).set(0);
        }
        for result in AttemptResult::ALL {
            let labels = ResultLabels {
                result: result.label(),
            };
            metrics.attempts.get_or_create(&labels).inc_by(0);
        }
        metrics
    }
}

impl SchedulerMetrics {
    /// The aircraft-scheduler's queues: pods being tried now, and pods that
    /// fit nowhere and wait for the cluster to change.
    pub fn queue(&self, active: usize, unschedulable: usize) {
        let pending = &self.pending;
        for (queue, count) in [("active", active), ("unschedulable", unschedulable)] {
            let count = i64::try_from(count).unwrap_or(i64::MAX);
            pending.get_or_create(&QueueLabels { queue }).set(count);
        }
    }

    /// Records one scheduling attempt that took `took`.
    pub fn attempt(&self, result: AttemptResult, took: Duration) {
        let labels = ResultLabels {
            result: result.label(),
        };
        let scheduler = self;
        scheduler.attempts.get_or_create(&labels).inc();
        (scheduler.attempt_durations.get_or_create(&labels)).observe(took.as_secs_f64());
    }

    /// Records a pod bound `since_created` after it was created.
    pub fn pod_scheduled(&self, since_created: Duration) {
        (self.pod_durations).observe(since_created.as_secs_f64());
    }

    /// Records the time `plugin` took at `extension_point` over one decision.
    pub fn plugin_execution(
        &self,
        plugin: &'static str,
        extension_point: &'static str,
        took: Duration,
    ) {
        let labels = PluginLabels {
            plugin,
            extension_point,
        };
        (self.plugin_durations.get_or_create(&labels)).observe(took.as_secs_f64());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Metrics;

    #[test]
    fn the_scheduler_series_exist_from_the_start_and_count_what_is_recorded() {
        let metrics = Metrics::new();
        let scheduler = metrics.scheduler();
        let text = metrics.encode();
        for series in [
            "airforce_scheduler_pending_pods{queue=\"active\"} 0",
            "airforce_scheduler_pending_pods{queue=\"unschedulable\"} 0",
            "airforce_scheduler_schedule_attempts_total{result=\"scheduled\"} 0",
            "airforce_scheduler_schedule_attempts_total{result=\"error\"} 0",
            "airforce_scheduler_pod_scheduling_duration_seconds_count 0",
        ] {
            assert!(text.contains(series), "{series} in\n{text}");
        }
        scheduler.queue(3, 1);
        scheduler.attempt(AttemptResult::Scheduled, Duration::from_millis(4));
        scheduler.attempt(AttemptResult::Unschedulable, Duration::from_millis(2));
        scheduler.pod_scheduled(Duration::from_millis(700));
        scheduler.plugin_execution("FuelCheck", "Filter", Duration::from_micros(30));
        let text = metrics.encode();
        for series in [
            "airforce_scheduler_pending_pods{queue=\"active\"} 3",
            "airforce_scheduler_pending_pods{queue=\"unschedulable\"} 1",
            "airforce_scheduler_schedule_attempts_total{result=\"scheduled\"} 1",
            "airforce_scheduler_schedule_attempts_total{result=\"unschedulable\"} 1",
            "airforce_scheduler_scheduling_attempt_duration_seconds_count{result=\"scheduled\"} 1",
            "airforce_scheduler_pod_scheduling_duration_seconds_count 1",
            "airforce_scheduler_plugin_execution_duration_seconds_count{plugin=\"FuelCheck\",extension_point=\"Filter\"} 1",
        ] {
            assert!(text.contains(series), "{series} in\n{text}");
        }
    }
}
