//! How many task pods may wait for an aircraft at once. A pod created while
//! the fleet is full only waits: it costs its create, its event, the
//! scheduler's verdict and its task's status, and ten thousand such pods
//! made at once buried the API server for minutes before the first of them
//! flew. So a task creates its pod only while fewer than the operator's
//! `maxWaitingPods` task pods wait for an aircraft; the others queue, oldest
//! task first, and are woken one by one as waiting pods board their
//! aircraft, finish or go.
//!
//! The queue lives in memory only: a restarted operator looks at every task
//! again and rebuilds it, and a queued task has no pod yet, so nothing is
//! made twice. A pod's time limit for finding an aircraft starts when it is
//! created, so a task never fails for the time it spent in the queue.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use futures::channel::mpsc;
use futures::{Stream, StreamExt};
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::jiff::Timestamp;
use kube::ResourceExt;
use kube::runtime::reflector::ObjectRef;

use super::pod_state::{self, PodState};
use super::shared_cache::{Key, SharedCache};
use crate::api::FlightTask;

/// How long a pod let through may take to show in the pod cache before its
/// place is given to another: long enough for a cache that lags under load,
/// short enough that a create that failed unnoticed holds no place for long.
const RESERVED_FOR: Duration = Duration::from_secs(60);

/// How long a task woken for a free place has to take it before the place is
/// offered to the next one.
const WOKEN_FOR: Duration = Duration::from_secs(10);

/// How often places held by creates or wakes that never came are looked at.
const SWEEP_EVERY: Duration = Duration::from_secs(2);

/// A task's place in the queue: older tasks first, then by namespace and name.
pub type Place = (Timestamp, Key);

/// The answer to a task that asks to create its pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Create it: a place is held for it until the pod cache shows it.
    Go,
    /// Wait in the queue; `limit` pods already wait for an aircraft.
    Queued { limit: usize },
}

/// The window's state: pure, so its rules are tested without a cluster.
#[derive(Debug)]
pub struct Window {
    /// `None` lets every pod be created at once.
    limit: Option<usize>,
    /// Task pods the cache shows waiting for an aircraft.
    waiting: HashSet<Key>,
    /// Pods let through that the cache does not show yet.
    reserved: HashMap<Key, Instant>,
    /// Tasks woken for a free place that have not asked again yet.
    woken: HashMap<Key, Instant>,
    /// Tasks held back, oldest first.
    queue: BTreeSet<Place>,
}

impl Window {
    pub fn new(limit: Option<usize>) -> Self {
        Window {
            limit,
            waiting: HashSet::new(),
            reserved: HashMap::new(),
            woken: HashMap::new(),
            queue: BTreeSet::new(),
        }
    }

    /// Whether the task at `place` may create the pod `pod` now. A task
    /// behind others in the queue waits its turn even when there is room.
    pub fn admit(&mut self, place: Place, pod: Key, now: Instant) -> Admission {
        let Some(limit) = self.limit else {
            return Admission::Go;
        };
        self.woken.remove(&place.1);
        self.sweep(now);
        let behind = self.queue.first().is_some_and(|first| *first < place);
        if self.held() < limit && !behind {
            self.queue.remove(&place);
            if !self.waiting.contains(&pod) {
                self.reserved.insert(pod, now);
            }
            return Admission::Go;
        }
        self.queue.insert(place);
        Admission::Queued { limit }
    }

    /// The pod let through for was not created after all: its place is free.
    pub fn withdraw(&mut self, pod: &Key) {
        self.reserved.remove(pod);
    }

    /// A task that no longer asks for a pod (finished, deleted, stopped)
    /// leaves the queue.
    pub fn leave(&mut self, place: &Place) {
        self.queue.remove(place);
        self.woken.remove(&place.1);
    }

    /// What the pod cache now shows of the pod `key`: waiting for an aircraft
    /// or not (bound, finished, being deleted, gone).
    pub fn pod_seen(&mut self, key: Key, waiting: bool) {
        self.reserved.remove(&key);
        if waiting {
            self.waiting.insert(key);
        } else {
            self.waiting.remove(&key);
        }
    }

    /// The queued tasks to wake for the places now free, oldest first. Each
    /// holds its place until it asks again or [`WOKEN_FOR`] has passed.
    pub fn wake(&mut self, now: Instant) -> Vec<Key> {
        let Some(limit) = self.limit else {
            return Vec::new();
        };
        self.sweep(now);
        let free = limit.saturating_sub(self.held());
        let mut woken = Vec::new();
        while woken.len() < free {
            let Some((_, task)) = self.queue.pop_first() else {
                break;
            };
            self.woken.insert(task.clone(), now);
            woken.push(task);
        }
        woken
    }

    /// How many tasks are queued.
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// How many task pods wait for an aircraft or are on their way.
    pub fn waiting(&self) -> usize {
        self.waiting.len() + self.reserved.len()
    }

    /// Places taken: pods waiting, pods on their way, tasks woken to create one.
    fn held(&self) -> usize {
        self.waiting.len() + self.reserved.len() + self.woken.len()
    }

    fn sweep(&mut self, now: Instant) {
        let fresh = |at: &Instant, within| now.saturating_duration_since(*at) < within;
        self.reserved.retain(|_, at| fresh(at, RESERVED_FOR));
        self.woken.retain(|_, at| fresh(at, WOKEN_FOR));
    }
}

/// Whether a task pod takes a place: created, not bound to an aircraft, and
/// neither finished nor being deleted.
pub fn waits_for_aircraft(pod: &Pod) -> bool {
    pod_state::state(pod) == PodState::Unscheduled
}

/// The window shared by the FlightTask reconciles, and the wake-ups it sends
/// to their controller.
pub struct LaunchWindow {
    window: Mutex<Window>,
    wakes: mpsc::UnboundedSender<ObjectRef<FlightTask>>,
    woken: Mutex<Option<mpsc::UnboundedReceiver<ObjectRef<FlightTask>>>>,
}

impl LaunchWindow {
    pub fn new(limit: Option<usize>) -> Self {
        let (wakes, woken) = mpsc::unbounded();
        LaunchWindow {
            window: Mutex::new(Window::new(limit)),
            wakes,
            woken: Mutex::new(Some(woken)),
        }
    }

    /// Whether `task` may create its pod `pod` now.
    pub fn admit(&self, task: &FlightTask, pod: &str) -> Admission {
        let pod = (task.namespace().unwrap_or_default(), pod.to_string());
        self.lock().admit(place(task), pod, Instant::now())
    }

    /// The pod let through for `task` was not created.
    pub fn withdraw(&self, task: &FlightTask, pod: &str) {
        let pod = (task.namespace().unwrap_or_default(), pod.to_string());
        self.lock().withdraw(&pod);
    }

    /// `task` asks for no pod now.
    pub fn leave(&self, task: &FlightTask) {
        self.lock().leave(&place(task));
    }

    /// The tasks woken for a free place, once: the FlightTask controller's
    /// extra trigger.
    pub fn wake_ups(&self) -> impl Stream<Item = ObjectRef<FlightTask>> + Send + 'static {
        let taken = (self.woken.lock().unwrap_or_else(PoisonError::into_inner)).take();
        futures::stream::iter(taken).flatten()
    }

    /// Follows the task pods of `pods` (whose first list is indexed) and wakes
    /// queued tasks as places free, for as long as the cache hands on changes.
    pub async fn follow(&self, pods: &SharedCache<Pod>) {
        let mut changes = pods.subscribe();
        for key in pods.keys_where(waits_for_aircraft) {
            self.lock().pod_seen(key, true);
        }
        let mut sweep = tokio::time::interval(SWEEP_EVERY);
        loop {
            tokio::select! {
                change = changes.next() => {
                    let Some(pod) = change else { return };
                    let key = (pod.namespace().unwrap_or_default(), pod.name_any());
                    let now = pods.get(&key.0, &key.1);
                    let waiting = now.is_some_and(|pod| waits_for_aircraft(&pod));
                    self.lock().pod_seen(key, waiting);
                }
                _ = sweep.tick() => {}
            }
            let (woken, waiting, queued) = {
                let mut window = self.lock();
                (
                    window.wake(Instant::now()),
                    window.waiting(),
                    window.queued(),
                )
            };
            crate::metrics::global().set_launch_window(waiting, queued);
            for (namespace, name) in woken {
                let _ = (self.wakes).unbounded_send(ObjectRef::new(&name).within(&namespace));
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Window> {
        self.window.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn place(task: &FlightTask) -> Place {
    let created =
        (task.metadata.creation_timestamp.as_ref()).map_or(Timestamp::UNIX_EPOCH, |t| t.0);
    (
        created,
        (task.namespace().unwrap_or_default(), task.name_any()),
    )
}

#[cfg(test)]
mod tests;
