//! What every reconciler shares: the client, the event recorder, where to
//! watch, and what every task pod gets (its scheduler, the simulated weapon).

use std::sync::Arc;
use std::time::Duration;

use k8s_openapi::api::core::v1::{Event as CoreEvent, Pod};
use kube::runtime::events::{Recorder, Reporter};
use kube::runtime::watcher;
use kube::{Api, Client, Resource};
use serde::de::DeserializeOwned;

use super::backoff::Backoff;
use super::config::OperatorConfig;
use super::expectations::Expectations;
use super::launch_window::LaunchWindow;
use super::pod_builder::PodSettings;
use super::progress::ProgressWrites;
use super::shared_cache::SharedCache;
use crate::api::conditions::reasons;
use crate::api::{FlightTask, MissionStage};

use crate::scheduler::config::SchedulerConfig;
use crate::weapon_link::{Route, WeaponLink};

/// The controllers' shared state, handed to every reconcile.
/// How long one call to a weapon (or opening the way to it) may take.
const WEAPON_CALL_TIMEOUT: Duration = Duration::from_secs(5);

pub struct Context {
    pub client: Client,
    pub recorder: Recorder,
    /// `None` watches every namespace; `Some` restricts the controllers to one.
    pub namespace: Option<String>,
    /// The scheduler task pods ask for, and the simulated weapon's image.
    pub pods: PodSettings,
    /// How the aircraft-scheduler filters and scores, when it is the choice.
    pub scheduler_config: Arc<SchedulerConfig>,
    /// Fault marks and the default time limits of tasks.
    pub config: OperatorConfig,
    /// Held while a fault mark is decided and written, so that the limit on
    /// marked aircraft holds when several tasks fail at once.
    pub marking: tokio::sync::Mutex<()>,
    /// How long each failing object waits before its next reconcile.
    pub backoff: Backoff,
    /// The children the controllers read, each kind watched once.
    pub caches: Caches,
    /// When each stage and mission last wrote its status for progress alone,
    /// and each task its waiting pod's verdict.
    pub progress: ProgressWrites,
    /// The tasks and stages created that the caches have not shown yet.
    pub expected: Expectations,
    /// How the weapons of task pods are called.
    pub weapons: WeaponLink,
    /// How many task pods may wait for an aircraft, and the tasks queued
    /// behind them.
    pub launches: LaunchWindow,
}

/// The shared caches of the children the controllers plan with.
pub struct Caches {
    /// Task pods, by the task that controls them and by their aircraft.
    pub pods: Arc<SharedCache<Pod>>,
    /// Flight tasks, by the stage that controls them.
    pub tasks: Arc<SharedCache<FlightTask>>,
    /// Stages, by the mission that controls them.
    pub stages: Arc<SharedCache<MissionStage>>,
    /// FailedScheduling events, by the uid of the pod they are about.
    pub scheduling_failures: Arc<SharedCache<CoreEvent>>,
}

impl Caches {
    /// Caches to be filled by their watches.
    pub fn empty() -> Self {
        Caches {
            pods: SharedCache::new(Some(bound_node)),
            tasks: SharedCache::new(None),
            stages: SharedCache::new(None),
            scheduling_failures: SharedCache::new(Some(event_pod)),
        }
    }

    /// Caches holding these objects, as if they had been listed; for tests of
    /// the reconcilers.
    pub fn filled(
        pods: Vec<Pod>,
        tasks: Vec<FlightTask>,
        stages: Vec<MissionStage>,
        events: Vec<CoreEvent>,
    ) -> Self {
        let scheduling_failures = (events.into_iter())
            .filter(|event| event.reason.as_deref() == Some(reasons::FAILED_SCHEDULING))
            .collect();
        Caches {
            pods: SharedCache::filled(Some(bound_node), pods),
            tasks: SharedCache::filled(None, tasks),
            stages: SharedCache::filled(None, stages),
            scheduling_failures: SharedCache::filled(Some(event_pod), scheduling_failures),
        }
    }

    /// Waits until every cache holds its first full list.
    pub async fn ready(&self) {
        self.pods.ready().await;
        self.tasks.ready().await;
        self.stages.ready().await;
        self.scheduling_failures.ready().await;
    }
}

/// The uid of the object an event is about.
fn event_pod(event: &CoreEvent) -> Option<&str> {
    event.involved_object.uid.as_deref()
}

/// The aircraft a pod is bound to.
fn bound_node(pod: &Pod) -> Option<&str> {
    pod.spec.as_ref()?.node_name.as_deref()
}

impl Context {
    pub fn new(
        client: Client,
        namespace: Option<String>,
        pods: PodSettings,
        scheduler_config: SchedulerConfig,
        config: OperatorConfig,
        caches: Caches,
    ) -> Arc<Self> {
        let reporter = Reporter {
            controller: "kubectl-airforce".into(),
            instance: std::env::var("POD_NAME").ok(),
        };
        let client_for_weapons = client.clone();
        let launches = LaunchWindow::new(config.waiting_pod_limit());
        Arc::new(Context {
            launches,
            recorder: Recorder::new(client.clone(), reporter),
            client,
            namespace,
            pods,
            scheduler_config: Arc::new(scheduler_config),
            config,
            marking: tokio::sync::Mutex::new(()),
            backoff: Backoff::default(),
            caches,
            progress: ProgressWrites::default(),
            expected: Expectations::default(),
            weapons: WeaponLink::new(client_for_weapons, Route::detect(), WEAPON_CALL_TIMEOUT),
        })
    }

    /// The API to watch a kind with: the chosen namespace, or all of them.
    pub fn watched<K>(&self) -> Api<K>
    where
        K: Resource<Scope = k8s_openapi::NamespaceResourceScope, DynamicType = ()>
            + Clone
            + DeserializeOwned,
    {
        match &self.namespace {
            Some(namespace) => Api::namespaced(self.client.clone(), namespace),
            None => Api::all(self.client.clone()),
        }
    }

    /// The armoury, when `run` watches one namespace and the armoury is
    /// another: its weapons, and their pool instances, are watched beside.
    pub fn separate_armoury(&self) -> Option<String> {
        (self.namespace.as_ref())
            .and(self.pods.armoury.clone())
            .filter(|armoury| self.namespace.as_ref() != Some(armoury))
    }

    /// The API for objects in `namespace`.
    pub fn namespaced<K>(&self, namespace: &str) -> Api<K>
    where
        K: Resource<Scope = k8s_openapi::NamespaceResourceScope, DynamicType = ()>,
    {
        Api::namespaced(self.client.clone(), namespace)
    }

    /// Watches are relisted on this interval's multiple by kube-runtime; the
    /// default config is right for every kind here.
    pub fn watcher_config() -> watcher::Config {
        watcher::Config::default()
    }
}
