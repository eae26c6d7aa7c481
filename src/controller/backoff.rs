//! How long a failing object waits before its next reconcile.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use kube::Resource;

/// The wait after the first failed reconcile of an object in a row.
const FIRST_BACKOFF: Duration = Duration::from_secs(5);
/// The longest wait: an object refused for good is still looked at again.
const MAX_BACKOFF: Duration = Duration::from_secs(300);

/// Failed reconciles in a row, per object: each waits twice as long as the
/// one before, up to [`MAX_BACKOFF`], and a success starts over. Per object,
/// so one object that keeps failing (a webhook that refuses it) backs off
/// without slowing the others.
#[derive(Debug, Default)]
pub struct Backoff {
    failures: Mutex<HashMap<String, u32>>,
}

impl Backoff {
    /// Counts a failure of `object` and says how long to wait.
    pub fn failed(&self, object: &str) -> Duration {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let count = failures.entry(object.to_string()).or_default();
        *count = count.saturating_add(1);
        delay(*count)
    }

    /// Forgets the failures of `object`.
    pub fn succeeded(&self, object: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.remove(object);
    }
}

/// The wait after `failures` failures in a row.
fn delay(failures: u32) -> Duration {
    let doublings = failures.saturating_sub(1).min(16);
    FIRST_BACKOFF
        .saturating_mul(1 << doublings)
        .min(MAX_BACKOFF)
}

/// How [`Backoff`] knows an object: kind, namespace and name.
pub fn backoff_key<K: Resource<DynamicType = ()>>(object: &K) -> String {
    let meta = object.meta();
    format!(
        "{}/{}/{}",
        K::kind(&()),
        meta.namespace.as_deref().unwrap_or_default(),
        meta.name.as_deref().unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_object_that_keeps_failing_waits_longer_each_time_and_starts_over_once_it_succeeds() {
        let backoff = Backoff::default();
        let waits: Vec<u64> = (0..9)
            .map(|_| backoff.failed("FlightTask/air/t").as_secs())
            .collect();
        assert_eq!(waits, [5, 10, 20, 40, 80, 160, 300, 300, 300]);
        assert_eq!(backoff.failed("FlightTask/air/other").as_secs(), 5);
        backoff.succeeded("FlightTask/air/t");
        assert_eq!(backoff.failed("FlightTask/air/t").as_secs(), 5);
    }
}
