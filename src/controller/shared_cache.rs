//! One watch of a kind the controllers read (task pods, flight tasks,
//! stages, scheduling failures) shared by every controller that reads it: the
//! objects indexed by the uid of their controller and by one more key (a
//! pod's node, an event's pod), and each change handed on to the controllers
//! it wakes.
//!
//! A reconcile reads here instead of listing: on a fleet of thousands of
//! tasks, a list per reconcile is most of what the API server (and etcd behind
//! it) does. The cache is a consistent prefix of the watch: an object's change
//! is indexed before any controller hears of it, so a reconcile woken by a
//! change reads at least that change. What it may miss is a create of its own
//! that the watch has not brought back yet; the controllers name their
//! children deterministically and treat AlreadyExists from their own earlier
//! create as done, so planning that create again is harmless. A reconcile
//! never starts before the first full list is indexed
//! ([`SharedCache::ready`]), so a restarted operator plans from a complete
//! picture.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Debug;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use futures::channel::mpsc;
use futures::{SinkExt, Stream, StreamExt};
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Api, Resource, ResourceExt};
use serde::de::DeserializeOwned;

use super::names;

/// Changes a slow controller may have queued before the watch waits for it.
const SUBSCRIBER_BUFFER: usize = 1024;

/// Where an object lives: its namespace and name.
pub type Key = (String, String);

/// A secondary index: the value an object is filed under, if any.
type IndexBy<K> = fn(&K) -> Option<&str>;

/// The shared cache of one kind.
pub struct SharedCache<K> {
    index: RwLock<Index<K>>,
    subscribers: Mutex<Vec<mpsc::Sender<Arc<K>>>>,
    ready: tokio::sync::watch::Sender<bool>,
}

impl<K> SharedCache<K>
where
    K: Resource<DynamicType = ()> + Clone + DeserializeOwned + Debug + Send + Sync + 'static,
{
    /// An empty cache; `by` files each object under a second key too.
    pub fn new(by: Option<IndexBy<K>>) -> Arc<Self> {
        Arc::new(SharedCache {
            index: RwLock::new(Index::new(by)),
            subscribers: Mutex::new(Vec::new()),
            ready: tokio::sync::watch::Sender::new(false),
        })
    }

    /// A cache already filled with `objects`, as if a watch had listed them.
    pub fn filled(by: Option<IndexBy<K>>, objects: Vec<K>) -> Arc<Self> {
        let cache = Self::new(by);
        {
            let mut index = cache.write();
            index.apply(watcher::Event::Init);
            for object in objects {
                index.apply(watcher::Event::InitApply(object));
            }
            index.apply(watcher::Event::InitDone);
        }
        cache.ready.send_replace(true);
        cache
    }

    /// Every change from now on, as the controller's trigger stream.
    pub fn subscribe(&self) -> impl Stream<Item = Arc<K>> + Send + 'static {
        let (sender, receiver) = mpsc::channel(SUBSCRIBER_BUFFER);
        self.lock_subscribers().push(sender);
        receiver
    }

    /// Waits until the first full list is indexed.
    pub async fn ready(&self) {
        let mut ready = self.ready.subscribe();
        let _ = ready.wait_for(|ready| *ready).await;
    }

    /// The objects whose controller has the uid `owner`, shared with the
    /// cache: a stage of ten thousand tasks is read on every change of one of
    /// them, and copying each task every time was most of what `run` did.
    pub fn controlled_by(&self, owner: &str) -> Vec<Arc<K>> {
        let index = self.read();
        index.find(&index.by_owner, owner)
    }

    /// The objects filed under `value` in the second index.
    pub fn indexed_by(&self, value: &str) -> Vec<Arc<K>> {
        let index = self.read();
        index.find(&index.by_value, value)
    }

    /// The object `namespace/name`, as the cache holds it now.
    pub fn get(&self, namespace: &str, name: &str) -> Option<Arc<K>> {
        let key = (namespace.to_string(), name.to_string());
        self.read().objects.get(&key).cloned()
    }

    /// Where the objects that `keep` holds for live.
    pub fn keys_where(&self, keep: impl Fn(&K) -> bool) -> Vec<Key> {
        let index = self.read();
        (index.objects.iter())
            .filter(|(_, object)| keep(object))
            .map(|(key, _)| key.clone())
            .collect()
    }

    /// Watches `api` (with `config`) into the cache and hands every change on
    /// to the subscribers, until `shutdown` resolves. `managedFields` are
    /// dropped on the way in: no plan reads them and they can be most of an
    /// object.
    pub async fn run(
        &self,
        api: Api<K>,
        config: watcher::Config,
        shutdown: impl Future<Output = ()> + Send,
    ) {
        let events = watcher(api, config)
            .default_backoff()
            .modify(|object: &mut K| object.managed_fields_mut().clear());
        let feed = async {
            futures::pin_mut!(events);
            while let Some(event) = events.next().await {
                match event {
                    Ok(event) => self.apply(event).await,
                    Err(error) => {
                        tracing::warn!(kind = %K::kind(&()), %error, "watch failed; retrying")
                    }
                }
            }
        };
        tokio::select! {
            () = feed => {}
            () = shutdown => {}
        }
    }

    async fn apply(&self, event: watcher::Event<K>) {
        let listed = matches!(event, watcher::Event::InitDone);
        let changed = self.write().apply(event);
        if listed {
            self.ready.send_replace(true);
        }
        if changed.is_empty() {
            return;
        }
        let mut subscribers = {
            let mut all = self.lock_subscribers();
            all.retain(|sender| !sender.is_closed());
            all.clone()
        };
        for object in changed {
            for sender in &mut subscribers {
                // A controller that has stopped has dropped its end; the
                // others still hear of the change.
                let _ = sender.send(object.clone()).await;
            }
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Index<K>> {
        self.index.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Index<K>> {
        self.index.write().unwrap_or_else(PoisonError::into_inner)
    }

    fn lock_subscribers(&self) -> std::sync::MutexGuard<'_, Vec<mpsc::Sender<Arc<K>>>> {
        self.subscribers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// The objects and their two indexes; pure, so the rules are tested without
/// a cluster.
struct Index<K> {
    objects: HashMap<Key, Arc<K>>,
    by_owner: HashMap<String, BTreeSet<Key>>,
    by_value: HashMap<String, BTreeSet<Key>>,
    by: Option<IndexBy<K>>,
    /// The objects of a list in progress: the cache keeps answering from the
    /// last complete picture until the list is done.
    relisting: Option<HashMap<Key, Arc<K>>>,
}

impl<K: Resource> Index<K> {
    fn new(by: Option<IndexBy<K>>) -> Self {
        Index {
            objects: HashMap::new(),
            by_owner: HashMap::new(),
            by_value: HashMap::new(),
            by,
            relisting: None,
        }
    }

    fn find(&self, index: &HashMap<String, BTreeSet<Key>>, value: &str) -> Vec<Arc<K>> {
        (index.get(value).into_iter().flatten())
            .filter_map(|key| self.objects.get(key))
            .cloned()
            .collect()
    }

    /// Applies one watch event; returns the objects whose change the
    /// controllers should hear of.
    fn apply(&mut self, event: watcher::Event<K>) -> Vec<Arc<K>> {
        match event {
            watcher::Event::Apply(object) => {
                let object = Arc::new(object);
                self.insert(object.clone());
                vec![object]
            }
            watcher::Event::Delete(object) => {
                self.remove(&key_of(&object));
                vec![Arc::new(object)]
            }
            watcher::Event::Init => {
                self.relisting = Some(HashMap::new());
                Vec::new()
            }
            watcher::Event::InitApply(object) => {
                let listing = self.relisting.get_or_insert_with(HashMap::new);
                listing.insert(key_of(&object), Arc::new(object));
                Vec::new()
            }
            watcher::Event::InitDone => self.finish_relist(),
        }
    }

    /// Swaps in the listed objects. Told are those that are new or changed,
    /// and those that disappeared while the watch was down.
    fn finish_relist(&mut self) -> Vec<Arc<K>> {
        let listed = self.relisting.take().unwrap_or_default();
        let mut changed: Vec<Arc<K>> = (self.objects.iter())
            .filter(|(key, _)| !listed.contains_key(*key))
            .map(|(_, gone)| gone.clone())
            .collect();
        changed.extend(listed.iter().filter_map(|(key, object)| {
            let before = self.objects.get(key);
            let same = before.is_some_and(|before| {
                before.meta().uid == object.meta().uid
                    && before.meta().resource_version == object.meta().resource_version
            });
            (!same).then(|| object.clone())
        }));
        self.objects.clear();
        self.by_owner.clear();
        self.by_value.clear();
        for object in listed.into_values() {
            self.insert(object);
        }
        changed
    }

    fn insert(&mut self, object: Arc<K>) {
        let key = key_of(object.as_ref());
        self.remove(&key);
        if let Some(owner) = names::controller_reference(object.as_ref()) {
            (self.by_owner.entry(owner.uid.clone()).or_default()).insert(key.clone());
        }
        if let Some(value) = self.by.and_then(|by| by(object.as_ref())) {
            (self.by_value.entry(value.to_string()).or_default()).insert(key.clone());
        }
        self.objects.insert(key, object);
    }

    fn remove(&mut self, key: &Key) {
        let Some(object) = self.objects.remove(key) else {
            return;
        };
        if let Some(owner) = names::controller_reference(object.as_ref()) {
            unfile(&mut self.by_owner, &owner.uid, key);
        }
        if let Some(value) = self.by.and_then(|by| by(object.as_ref())) {
            unfile(&mut self.by_value, value, key);
        }
    }
}

fn unfile(index: &mut HashMap<String, BTreeSet<Key>>, value: &str, key: &Key) {
    if let Some(keys) = index.get_mut(value) {
        keys.remove(key);
        if keys.is_empty() {
            index.remove(value);
        }
    }
}

fn key_of<K: Resource>(object: &K) -> Key {
    (object.namespace().unwrap_or_default(), object.name_any())
}

#[cfg(test)]
mod tests;
