//! The watch that drives a controller: its objects cached without
//! `managedFields` (which no plan reads and which can be most of an object),
//! and a change woken on only when it touches something the reconcile reads,
//! so an edit of a label or an annotation that no plan reads, or a controller's
//! own status write, costs no reconcile.

use std::collections::hash_map::DefaultHasher;
use std::fmt::Debug;
use std::hash::{Hash, Hasher};

use futures::Stream;
use kube::runtime::controller;
use kube::runtime::reflector::{self, Store};
use kube::runtime::utils::PredicateConfig;
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Api, Resource, ResourceExt};
use serde::de::DeserializeOwned;

use super::context::Context;
use crate::api::keys;

/// How many reconciles of one controller run at once. A controller runs its
/// reconciles and reads its watches in one task: unbounded, ten thousand tasks
/// woken together were ten thousand reconciles in flight, and the API server
/// closed the controllers' watches as unresponsive dozens of times in a run,
/// each close costing a list of every task. Argo's workflow controller runs
/// 32 workers by default too.
pub const WORKERS: u16 = 32;

/// The settings every controller runs with.
pub fn controller_config() -> controller::Config {
    controller::Config::default().concurrency(WORKERS)
}

/// The cache of `api`'s objects, and the stream of changes to what `reads`
/// hashes, for `Controller::for_stream`.
pub fn primary<K>(
    api: Api<K>,
    reads: fn(&K) -> Option<u64>,
) -> (
    Store<K>,
    impl Stream<Item = Result<K, watcher::Error>> + Send,
)
where
    K: Resource<DynamicType = ()> + Clone + DeserializeOwned + Debug + Send + Sync + 'static,
{
    let (store, writer) = reflector::store();
    let changes = watcher(api, Context::watcher_config())
        .default_backoff()
        .modify(|object: &mut K| object.managed_fields_mut().clear())
        .reflect(writer)
        .applied_objects()
        .predicate_filter(reads, PredicateConfig::default());
    (store, changes)
}

/// What a mission or stage reconcile reads of its own object besides the
/// status it writes: which object it is (a namesake replaces it with a new
/// uid), its spec (the generation), whether it is being deleted, and the
/// requests people make through annotations.
pub fn spec_and_requests<K: Resource>(object: &K) -> Option<u64> {
    let mut hasher = DefaultHasher::new();
    object.meta().uid.hash(&mut hasher);
    object.meta().generation.hash(&mut hasher);
    object.meta().deletion_timestamp.is_some().hash(&mut hasher);
    let requests = [
        keys::CANCEL_ANNOTATION,
        keys::RETRY_REQUEST_ANNOTATION,
        keys::GATE_DECISION_ANNOTATION,
        keys::SUSPEND_ANNOTATION,
    ];
    for key in requests {
        object.annotations().get(key).hash(&mut hasher);
    }
    Some(hasher.finish())
}

#[cfg(test)]
mod tests {
    use kube::api::ObjectMeta;

    use super::*;
    use crate::api::Mission;

    fn mission() -> Mission {
        let mut mission = Mission::new("op", Default::default());
        mission.metadata = ObjectMeta {
            name: Some("op".into()),
            uid: Some("uid-1".into()),
            generation: Some(1),
            ..ObjectMeta::default()
        };
        mission
    }

    #[test]
    fn labels_other_annotations_and_the_status_wake_nothing() {
        let before = spec_and_requests(&mission());
        let mut edited = mission();
        edited.labels_mut().insert("team".into(), "blue".into());
        edited.annotations_mut().insert("note".into(), "x".into());
        edited.metadata.resource_version = Some("42".into());
        edited.status = Some(Default::default());
        assert_eq!(spec_and_requests(&edited), before);
    }

    #[test]
    fn the_spec_a_request_a_deletion_or_a_namesake_wakes_the_reconcile() {
        let before = spec_and_requests(&mission());
        let mut changed = vec![mission(); 7];
        changed[0].metadata.generation = Some(2);
        changed[1]
            .annotations_mut()
            .insert(keys::CANCEL_ANNOTATION.into(), "true".into());
        (changed[2].annotations_mut()).insert(keys::RETRY_REQUEST_ANNOTATION.into(), "r1".into());
        changed[3].metadata.deletion_timestamp = Some(crate::controller::apply::now());
        changed[4].metadata.uid = Some("uid-2".into());
        (changed[5].annotations_mut())
            .insert(keys::GATE_DECISION_ANNOTATION.into(), "approve".into());
        (changed[6].annotations_mut()).insert(keys::SUSPEND_ANNOTATION.into(), "true".into());
        for object in &changed {
            assert_ne!(spec_and_requests(object), before, "{:?}", object.metadata);
        }
    }
}
