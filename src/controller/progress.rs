//! A stage's or a mission's status change that only moves the summary of its
//! children (counts, a message, one line per child) is written at most once
//! per [`PROGRESS_INTERVAL`] for each object. Without it a stage of a hundred
//! tasks writes its status at every step of every task, and each of those
//! writes wakes its mission to write its own. A change of phase, of a
//! condition's status or of anything else a reader acts on is written at
//! once, and so is every status written beside a create, a stop or a retry.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

/// The shortest time between two progress-only writes of one status.
pub const PROGRESS_INTERVAL: Duration = Duration::from_secs(1);

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
    /// counted as made); otherwise how long to hold it.
    pub fn hold(&self, object: &str, now: Instant) -> Option<Duration> {
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        match last.get(object) {
            Some(at) if now.saturating_duration_since(*at) < PROGRESS_INTERVAL => {
                Some(PROGRESS_INTERVAL - now.saturating_duration_since(*at))
            }
            _ => {
                last.insert(object.to_string(), now);
                None
            }
        }
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
        assert_eq!(writes.hold("stage a", start), None);
        let later = start + Duration::from_millis(300);
        assert_eq!(
            writes.hold("stage a", later),
            Some(Duration::from_millis(700))
        );
        assert_eq!(
            writes.hold("stage b", later),
            None,
            "each object on its own"
        );
        writes.forget("stage a");
        assert_eq!(
            writes.hold("stage a", later),
            None,
            "a finished object starts over"
        );
        let next = later + PROGRESS_INTERVAL;
        assert_eq!(writes.hold("stage a", next), None);
    }
}
