//! The children this process has created and its caches have not shown yet.
//! A reconcile woken while a burst of creates is still on its way back
//! through the watch plans those children again; remembering them saves a
//! create refused with AlreadyExists and the read that follows it, for each
//! child of each such reconcile (a stage of a hundred tasks made sixteen at
//! a time was otherwise planned again and again from a cache that lagged).
//! A child is forgotten once a cache shows it, or after [`FORGET_AFTER`] if
//! it never does (deleted before the watch saw it), and is then created
//! again like any missing child.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use kube::{Resource, ResourceExt};

use super::names;

/// How long a create is trusted to be on its way back through the watch: as
/// long as the ReplicaSet controller trusts its own. Under ten thousand tasks the
/// watch ran minutes behind, and a shorter trust (it was 30 s) had every stage
/// send its creates again, 2.7 creates per task, into an API server that was
/// already the bottleneck. Only a child deleted before any watch showed it
/// waits this long to be made again.
pub const FORGET_AFTER: Duration = Duration::from_secs(300);

/// Remembered creates beyond which the expired ones are swept.
const SWEEP_ABOVE: usize = 4096;

/// Creates not yet seen, by the owner's uid and the child's name.
#[derive(Debug, Default)]
pub struct Expectations {
    created: Mutex<HashMap<(String, String), Instant>>,
}

impl Expectations {
    /// Whether the child `name` of the owner with uid `owner` was created by
    /// this process less than [`FORGET_AFTER`] ago and no cache has shown it
    /// since.
    pub fn awaited(&self, owner: &str, name: &str, now: Instant) -> bool {
        let mut created = self.lock();
        let key = (owner.to_string(), name.to_string());
        match created.get(&key) {
            Some(at) if now.saturating_duration_since(*at) < FORGET_AFTER => true,
            Some(_) => {
                created.remove(&key);
                false
            }
            None => false,
        }
    }

    /// Remembers that the child `name` of `owner` was just created.
    pub fn created(&self, owner: &str, name: &str, now: Instant) {
        let mut created = self.lock();
        if created.len() >= SWEEP_ABOVE {
            created.retain(|_, at| now.saturating_duration_since(*at) < FORGET_AFTER);
        }
        created.insert((owner.to_string(), name.to_string()), now);
    }

    /// Forgets the creates of the `children` a cache shows.
    pub fn seen<'a, K: Resource + 'a>(&self, children: impl IntoIterator<Item = &'a K>) {
        let mut created = self.lock();
        if created.is_empty() {
            return;
        }
        for child in children {
            if let Some(owner) = names::controller_reference(child) {
                created.remove(&(owner.uid.clone(), child.name_any()));
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), Instant>> {
        self.created.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;

    use super::*;
    use crate::api::FlightTask;

    fn task(name: &str, stage_uid: &str) -> FlightTask {
        let mut task = FlightTask::new(name, Default::default());
        task.metadata.owner_references = Some(vec![OwnerReference {
            api_version: "airforce.mil/v1alpha1".into(),
            kind: "MissionStage".into(),
            name: "op.s".into(),
            uid: stage_uid.into(),
            controller: Some(true),
            ..OwnerReference::default()
        }]);
        task
    }

    #[test]
    fn a_create_is_awaited_until_a_cache_shows_it() {
        let expected = Expectations::default();
        let now = Instant::now();
        assert!(!expected.awaited("s1", "t1", now));
        expected.created("s1", "t1", now);
        assert!(expected.awaited("s1", "t1", now));
        assert!(!expected.awaited("s1", "t2", now));
        assert!(
            !expected.awaited("s2", "t1", now),
            "another owner's namesake"
        );
        expected.seen(&[task("t1", "s2")]);
        assert!(
            expected.awaited("s1", "t1", now),
            "seen under another owner"
        );
        expected.seen(&[task("t1", "s1")]);
        assert!(!expected.awaited("s1", "t1", now));
    }

    #[test]
    fn a_create_never_seen_is_forgotten_in_time() {
        let expected = Expectations::default();
        let now = Instant::now();
        expected.created("s1", "t1", now);
        assert!(!expected.awaited("s1", "t1", now + FORGET_AFTER));
        assert!(!expected.awaited("s1", "t1", now), "forgotten for good");
    }
}
