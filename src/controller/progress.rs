//! A stage's or a mission's status change that only moves the summary of its
//! children (counts, a message, one line per child) is written at most once
//! per interval for each object. Without it a stage of a hundred tasks writes
//! its status at every step of every task, and each of those writes wakes its
//! mission to write its own. A change of phase, of a condition's status or of
//! anything else a reader acts on is written at once, and so is every status
//! written beside a create, a stop or a retry.
//!
//! The interval grows with the size of the object: the API server validates
//! and tracks the fields of the whole object on every write, even of its
//! status alone, so a write of a mission of a hundred inline tasks costs it
//! several times one of a small mission (about 31 ms of CPU against 7 ms on
//! the development machine). A large object's progress is told less often so
//! that, at any size, keeping it current costs the API server about the same.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

/// The shortest time between two progress-only writes of one status: that
/// of an object of up to [`PROGRESS_BYTES`].
pub const PROGRESS_INTERVAL: Duration = Duration::from_secs(1);
/// Each whole step of this many bytes of the object adds a [`PROGRESS_INTERVAL`].
const PROGRESS_BYTES: usize = 4096;
/// The longest a progress-only change waits, however large its object.
const LONGEST_INTERVAL: Duration = Duration::from_secs(20);

/// The interval between progress-only writes of an object of `bytes`
/// (serialized as JSON).
pub fn interval_for(bytes: usize) -> Duration {
    let steps = u32::try_from((bytes / PROGRESS_BYTES).max(1)).unwrap_or(u32::MAX);
    PROGRESS_INTERVAL
        .saturating_mul(steps)
        .min(LONGEST_INTERVAL)
}

/// Whether `new` differs from `old`, and only in the `progress` fields
/// (top-level keys of the status) and in the messages of its conditions.
/// Each status is serialized once.
pub fn only_progress<S: Serialize>(old: Option<&S>, new: &S, progress: &[&str]) -> bool {
    let Some(old) = old else {
        return false;
    };
    let (Ok(old), Ok(new)) = (serde_json::to_value(old), serde_json::to_value(new)) else {
        return false;
    };
    old != new && headline(old, progress).is_some_and(|old| Some(old) == headline(new, progress))
}

/// A serialized status without its progress fields and condition messages.
fn headline(mut status: Value, progress: &[&str]) -> Option<Value> {
    let fields = status.as_object_mut()?;
    for key in progress {
        fields.remove(*key);
    }
    if let Some(Value::Array(conditions)) = fields.get_mut("conditions") {
        for condition in conditions.iter_mut().filter_map(Value::as_object_mut) {
            condition.remove("message");
        }
    }
    Some(status)
}

/// When each object's status was last written for progress alone.
#[derive(Debug, Default)]
pub struct ProgressWrites {
    last: Mutex<HashMap<String, Instant>>,
}

impl ProgressWrites {
    /// `None` when a progress-only write of `object` may go now (and it is
    /// counted as made); otherwise how long to hold it, `interval` after the
    /// last one.
    pub fn hold(&self, object: &str, now: Instant, interval: Duration) -> Option<Duration> {
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        match last.get(object) {
            Some(at) if now.saturating_duration_since(*at) < interval => {
                Some(interval - now.saturating_duration_since(*at))
            }
            _ => {
                last.insert(object.to_string(), now);
                None
            }
        }
    }

    /// Counts a write of `object`'s status made now for any reason, so that
    /// a progress-only write follows it no sooner than an interval later.
    pub fn written(&self, object: &str, now: Instant) {
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        last.insert(object.to_string(), now);
    }

    /// Forgets `object`, once it is finished.
    pub fn forget(&self, object: &str) {
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        last.remove(object);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const PROGRESS: &[&str] = &["message", "taskProgress"];

    #[test]
    fn counts_and_messages_are_progress_and_a_phase_is_not() {
        let old = json!({"phase": "Running", "taskProgress": "1/3", "message": "1 of 3",
            "conditions": [{"type": "Ready", "status": "False", "message": "1 of 3"}]});
        let counted = json!({"phase": "Running", "taskProgress": "2/3", "message": "2 of 3",
            "conditions": [{"type": "Ready", "status": "False", "message": "2 of 3"}]});
        let done = json!({"phase": "Succeeded", "taskProgress": "3/3", "message": "3 of 3",
            "conditions": [{"type": "Ready", "status": "True", "message": "3 of 3"}]});
        assert!(only_progress(Some(&old), &counted, PROGRESS));
        assert!(!only_progress(Some(&counted), &done, PROGRESS));
        assert!(
            !only_progress(None, &counted, PROGRESS),
            "a first status is written"
        );
        assert!(
            !only_progress(Some(&counted), &counted, PROGRESS),
            "nothing changed"
        );
    }

    #[test]
    fn one_progress_write_a_second_per_object() {
        let writes = ProgressWrites::default();
        let start = Instant::now();
        assert_eq!(writes.hold("stage a", start, PROGRESS_INTERVAL), None);
        let later = start + Duration::from_millis(300);
        assert_eq!(
            writes.hold("stage a", later, PROGRESS_INTERVAL),
            Some(Duration::from_millis(700))
        );
        assert_eq!(
            writes.hold("stage b", later, PROGRESS_INTERVAL),
            None,
            "each object on its own"
        );
        writes.forget("stage a");
        assert_eq!(
            writes.hold("stage a", later, PROGRESS_INTERVAL),
            None,
            "a finished object starts over"
        );
        let next = later + PROGRESS_INTERVAL;
        assert_eq!(writes.hold("stage a", next, PROGRESS_INTERVAL), None);
    }

    #[test]
    fn any_write_starts_the_interval_of_the_next_progress_write() {
        let writes = ProgressWrites::default();
        let start = Instant::now();
        writes.written("task a", start);
        let later = start + Duration::from_secs(10);
        let every = Duration::from_secs(30);
        assert_eq!(
            writes.hold("task a", later, every),
            Some(Duration::from_secs(20))
        );
        assert_eq!(writes.hold("task a", start + every, every), None);
    }

    #[test]
    fn a_larger_object_tells_its_progress_less_often_up_to_a_bound() {
        assert_eq!(interval_for(800), PROGRESS_INTERVAL);
        assert_eq!(interval_for(4096 * 3 + 10), PROGRESS_INTERVAL * 3);
        assert_eq!(interval_for(64 * 1024), PROGRESS_INTERVAL * 16);
        assert_eq!(interval_for(usize::MAX), LONGEST_INTERVAL);
        let writes = ProgressWrites::default();
        let start = Instant::now();
        assert_eq!(
            writes.hold("mission big", start, PROGRESS_INTERVAL * 16),
            None
        );
        let later = start + Duration::from_secs(2);
        assert_eq!(
            writes.hold("mission big", later, PROGRESS_INTERVAL * 16),
            Some(Duration::from_secs(14))
        );
    }
}
