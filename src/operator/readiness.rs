//! Whether the controllers run, and what the operator's HTTP endpoint tells:
//! that readiness and the process's metrics.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::http_endpoint::Exposition;
use crate::metrics::Metrics;

/// Whether the controllers are running: what `/readyz` reports.
#[derive(Clone, Default)]
pub struct Readiness(Arc<AtomicBool>);

impl Readiness {
    pub fn set(&self, ready: bool) {
        self.0.store(ready, Ordering::Relaxed);
    }

    pub fn get(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

pub struct OperatorEndpoint {
    pub metrics: Metrics,
    pub readiness: Readiness,
}

impl Exposition for OperatorEndpoint {
    fn metrics(&self) -> String {
        self.metrics.encode()
    }

    fn not_ready(&self) -> Option<String> {
        (!self.readiness.get())
            .then(|| "controllers not started (waiting for the leader lease)".to_string())
    }
}
