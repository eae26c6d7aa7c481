//! What `watch` looks at: the missions in scope and the stages, flight tasks
//! and pods labelled with a mission, listed once or kept current by watches
//! into reflector stores.

use std::fmt::Debug;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use futures::stream::{BoxStream, StreamExt, TryStreamExt};
use k8s_openapi::api::core::v1::Pod;
use kube::api::ListParams;
use kube::runtime::reflector::{self, Store};
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Api, Client, Resource, ResourceExt};
use serde::de::DeserializeOwned;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::api::keys::MISSION_LABEL;
use crate::api::{FlightTask, Mission, MissionStage};
use crate::output::tree::MissionView;

/// How long the first list of every watch may take before `watch` gives up.
const READY_TIMEOUT: Duration = Duration::from_secs(30);

/// Which missions are watched: one by name, or all of a namespace or of all.
#[derive(Debug, Clone)]
pub struct Scope {
    /// `None` for every namespace.
    pub namespace: Option<String>,
    pub mission: Option<String>,
}

impl Scope {
    fn api<K>(&self, client: &Client) -> Api<K>
    where
        K: Resource<DynamicType = (), Scope = kube::core::NamespaceResourceScope>,
    {
        match &self.namespace {
            Some(namespace) => Api::namespaced(client.clone(), namespace),
            None => Api::all(client.clone()),
        }
    }

    fn mission_fields(&self) -> Option<String> {
        self.mission
            .as_ref()
            .map(|name| format!("metadata.name={name}"))
    }

    /// Children of the watched missions: each carries its mission's name.
    fn children_labels(&self) -> String {
        match &self.mission {
            Some(name) => format!("{MISSION_LABEL}={name}"),
            None => MISSION_LABEL.to_string(),
        }
    }

    /// "namespace far-east", or "any namespace", for messages.
    pub fn place(&self) -> String {
        match &self.namespace {
            Some(namespace) => format!("namespace {namespace}"),
            None => "any namespace".to_string(),
        }
    }
}

/// The objects at one moment.
#[derive(Debug, Default)]
pub struct Snapshot {
    missions: Vec<Arc<Mission>>,
    stages: Vec<Arc<MissionStage>>,
    tasks: Vec<Arc<FlightTask>>,
    pods: Vec<Arc<Pod>>,
}

impl Snapshot {
    /// Lists everything in scope straight from the API server.
    pub async fn list(client: &Client, scope: &Scope) -> anyhow::Result<Snapshot> {
        let mut missions = ListParams::default();
        if let Some(fields) = scope.mission_fields() {
            missions = missions.fields(&fields);
        }
        let children = ListParams::default().labels(&scope.children_labels());
        Ok(Snapshot {
            missions: list(scope.api(client), &missions, scope).await?,
            stages: list(scope.api(client), &children, scope).await?,
            tasks: list(scope.api(client), &children, scope).await?,
            pods: list(scope.api(client), &children, scope).await?,
        })
    }

    /// The uids of every object in the snapshot: what a mission's Events are about.
    pub fn uids(&self) -> std::collections::HashSet<String> {
        let uid = |meta: &kube::api::ObjectMeta| meta.uid.clone();
        (self.missions.iter().map(|m| uid(&m.metadata)))
            .chain(self.stages.iter().map(|s| uid(&s.metadata)))
            .chain(self.tasks.iter().map(|t| uid(&t.metadata)))
            .chain(self.pods.iter().map(|p| uid(&p.metadata)))
            .flatten()
            .collect()
    }

    /// The missions listed, in no particular order.
    pub fn missions(&self) -> impl Iterator<Item = &Mission> {
        self.missions.iter().map(AsRef::as_ref)
    }

    pub fn tasks(&self) -> impl Iterator<Item = &FlightTask> {
        self.tasks.iter().map(AsRef::as_ref)
    }

    pub fn pods(&self) -> impl Iterator<Item = &Pod> {
        self.pods.iter().map(AsRef::as_ref)
    }

    /// One view per mission, ordered by namespace and name.
    pub fn views(&self) -> Vec<MissionView> {
        let stages: Vec<&MissionStage> = self.stages.iter().map(AsRef::as_ref).collect();
        let tasks: Vec<&FlightTask> = self.tasks.iter().map(AsRef::as_ref).collect();
        let pods: Vec<&Pod> = self.pods.iter().map(AsRef::as_ref).collect();
        let mut missions: Vec<&Mission> = self.missions.iter().map(AsRef::as_ref).collect();
        missions.sort_by_key(|m| (m.namespace(), m.name_any()));
        missions
            .into_iter()
            .map(|mission| MissionView::build(mission, &stages, &tasks, &pods))
            .collect()
    }
}

async fn list<K>(api: Api<K>, params: &ListParams, scope: &Scope) -> anyhow::Result<Vec<Arc<K>>>
where
    K: Resource<DynamicType = ()> + Clone + DeserializeOwned + Debug,
{
    let list = api
        .list(params)
        .await
        .with_context(|| format!("cannot list {} in {}", K::plural(&()), scope.place()))?;
    Ok(list.items.into_iter().map(Arc::new).collect())
}

/// Reflector stores kept current by watches, and a signal for every change.
pub struct Feed {
    missions: Store<Mission>,
    stages: Store<MissionStage>,
    tasks: Store<FlightTask>,
    pods: Store<Pod>,
    changed: Arc<Notify>,
    driver: JoinHandle<()>,
}

impl Feed {
    /// Starts the four watches; a failing watch retries with backoff and is
    /// logged, so a blip in the connection does not end `watch`.
    pub fn start(client: &Client, scope: &Scope) -> Feed {
        let mut missions_config = watcher::Config::default();
        if let Some(fields) = scope.mission_fields() {
            missions_config = missions_config.fields(&fields);
        }
        let children = watcher::Config::default().labels(&scope.children_labels());
        let (missions, missions_events) = reflect(scope.api(client), missions_config);
        let (stages, stages_events) = reflect(scope.api(client), children.clone());
        let (tasks, tasks_events) = reflect(scope.api(client), children.clone());
        let (pods, pods_events) = reflect(scope.api(client), children);
        let changed = Arc::new(Notify::new());
        let mut events = futures::stream::select_all([
            missions_events,
            stages_events,
            tasks_events,
            pods_events,
        ]);
        let signal = changed.clone();
        let driver = tokio::spawn(async move {
            while let Some(event) = events.next().await {
                if let Err(error) = event {
                    tracing::warn!(%error, "a watch failed; it is retried");
                }
                signal.notify_one();
            }
        });
        Feed {
            missions,
            stages,
            tasks,
            pods,
            changed,
            driver,
        }
    }

    /// Waits until every store holds its first full list.
    pub async fn ready(&self) -> anyhow::Result<()> {
        let all = async {
            self.missions.wait_until_ready().await?;
            self.stages.wait_until_ready().await?;
            self.tasks.wait_until_ready().await?;
            self.pods.wait_until_ready().await
        };
        tokio::time::timeout(READY_TIMEOUT, all)
            .await
            .context("the watches did not start in time (-v shows why)")?
            .context("a watch stopped before it started")
    }

    /// Returns after the next change (at once if one came since the last call).
    pub async fn changed(&self) {
        self.changed.notified().await
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            missions: self.missions.state(),
            stages: self.stages.state(),
            tasks: self.tasks.state(),
            pods: self.pods.state(),
        }
    }
}

impl Drop for Feed {
    fn drop(&mut self) {
        self.driver.abort();
    }
}

type Events = BoxStream<'static, Result<(), watcher::Error>>;

fn reflect<K>(api: Api<K>, config: watcher::Config) -> (Store<K>, Events)
where
    K: Resource<DynamicType = ()> + Clone + DeserializeOwned + Debug + Send + Sync + 'static,
{
    let (store, writer) = reflector::store();
    let events = watcher(api, config)
        .default_backoff()
        .reflect(writer)
        .map_ok(|_| ())
        .boxed();
    (store, events)
}
