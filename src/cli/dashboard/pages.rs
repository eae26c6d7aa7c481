//! Reads what each page shows from the API server, as the person who started
//! the console, and hands it to the pure renderers in `output::html`. A
//! refusal by the API server is shown as such: the console never reads more
//! than its user may.

use std::collections::HashMap;

use hyper::StatusCode;
use k8s_openapi::api::core::v1::{Event, Node, Pod};
use k8s_openapi::jiff::Timestamp;
use kube::api::ListParams;
use kube::{Api, ResourceExt};
use maud::Markup;

use super::console::{Body, Console, html};
use crate::api::aircraft::labels;
use crate::api::keys::{SCHEDULING_DECISION_ANNOTATION, TASK_LABEL};
use crate::api::{Mission, Weapon};
use crate::cli::mission::describe::mission_events;
use crate::cli::node::list::ACTIVE_TASK_PODS;
use crate::cli::watch::feed::{Scope, Snapshot};
use crate::output::color::Palette;
use crate::output::describe::last_seen;
use crate::output::fleet::aircraft;
use crate::output::html::{
    self, Chrome, EventRow, FleetPage, MissionFilter, MissionPage, MissionsPage, Section,
    TaskDetail, Usage, WeaponsPage, parse_phase,
};
use crate::output::scheduling;
use crate::output::tree::elapsed;
use crate::scheduler::decision::Decision;

/// Events shown on a mission's page, the newest.
const EVENTS_SHOWN: usize = 30;

/// Why a page could not be drawn, with the status to answer.
#[derive(Debug)]
pub struct Failure {
    pub status: StatusCode,
    pub message: String,
}

impl Failure {
    pub fn from_kube(error: kube::Error, doing: &str) -> Failure {
        match error {
            kube::Error::Api(status) if status.code == 403 => Failure {
                status: StatusCode::FORBIDDEN,
                message: format!(
                    "The API server refused to let you {doing}: {} (the console acts as you, so your RBAC applies).",
                    status.message
                ),
            },
            kube::Error::Api(status) if status.code == 404 => Failure {
                status: StatusCode::NOT_FOUND,
                message: format!("Cannot {doing}: {}", status.message),
            },
            other => Failure {
                status: StatusCode::BAD_GATEWAY,
                message: format!("Cannot {doing}: {other}"),
            },
        }
    }
}

pub fn chrome<'a>(console: &'a Console, title: &'a str, section: Section) -> Chrome<'a> {
    Chrome {
        title,
        section,
        cluster: &console.cluster,
        actions: console.actions,
    }
}

/// The page, or the failure in a page of the same section.
fn answer(
    console: &Console,
    section: Section,
    page: Result<Markup, Failure>,
) -> hyper::Response<Body> {
    match page {
        Ok(markup) => html(StatusCode::OK, markup),
        Err(failure) => failure_page(console, section, failure),
    }
}

pub fn failure_page(
    console: &Console,
    section: Section,
    failure: Failure,
) -> hyper::Response<Body> {
    let chrome = chrome(console, "Error", section);
    let page = html::message_page(
        &chrome,
        "Not shown",
        &failure.message,
        ("/missions", "Missions"),
    );
    html(failure.status, page)
}

/// The filter from a query string; no `namespace` at all means the current
/// context's, an empty one every namespace.
pub fn filter(console: &Console, query: &str) -> MissionFilter {
    let mut filter = MissionFilter {
        namespace: Some(console.namespace.clone()),
        ..MissionFilter::default()
    };
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let value = value.trim().to_string();
        match key.as_ref() {
            "namespace" => filter.namespace = (!value.is_empty()).then_some(value),
            "phase" => filter.phase = parse_phase(&value),
            "labels" => filter.labels = (!value.is_empty()).then_some(value),
            _ => {}
        }
    }
    filter
}

pub fn missions_api(console: &Console, filter: &MissionFilter) -> Api<Mission> {
    match &filter.namespace {
        Some(namespace) => Api::namespaced(console.client.clone(), namespace),
        None => Api::all(console.client.clone()),
    }
}

/// The missions the filter admits, by namespace and name.
pub fn admitted(
    filter: &MissionFilter,
    missions: impl IntoIterator<Item = Mission>,
) -> Vec<Mission> {
    let mut missions: Vec<Mission> = (missions.into_iter())
        .filter(|m| filter.admits(m))
        .collect();
    missions.sort_by_key(|m| (m.namespace(), m.name_any()));
    missions
}

pub async fn missions(console: &Console, query: &str) -> hyper::Response<Body> {
    let filter = filter(console, query);
    let page = async {
        let mut params = ListParams::default();
        if let Some(labels) = &filter.labels {
            params = params.labels(labels);
        }
        let listed = (missions_api(console, &filter).list(&params).await)
            .map_err(|e| Failure::from_kube(e, "list missions"))?;
        let missions = admitted(&filter, listed.items);
        let list = MissionsPage {
            filter: &filter,
            missions: &missions,
            now: Timestamp::now(),
        };
        Ok(html::missions_page(
            &chrome(console, "Missions", Section::Missions),
            &list,
        ))
    };
    answer(console, Section::Missions, page.await)
}

pub async fn mission(console: &Console, namespace: &str, name: &str) -> hyper::Response<Body> {
    let page = async {
        let scope = Scope {
            namespace: Some(namespace.to_string()),
            mission: Some(name.to_string()),
        };
        let snapshot = Snapshot::list(&console.client, &scope)
            .await
            .map_err(|e| Failure {
                status: StatusCode::BAD_GATEWAY,
                message: format!("{e:#}"),
            })?;
        let (Some(mission), Some(view)) = (snapshot.missions().next(), snapshot.views().pop())
        else {
            return Err(Failure {
                status: StatusCode::NOT_FOUND,
                message: format!("Mission {name} was not found in namespace {namespace}."),
            });
        };
        let now = Timestamp::now();
        let events = match mission_events(&console.client, mission, &snapshot).await {
            Ok(events) => event_rows(&events, now),
            Err(error) => vec![EventRow {
                age: "-".into(),
                warning: true,
                reason: "NotShown".into(),
                object: "-".into(),
                message: format!("{error:#}"),
            }],
        };
        let details = task_details(&snapshot);
        let page = MissionPage {
            view: &view,
            details: &details,
            events: &events,
            now,
            actions: console.actions,
        };
        Ok(html::mission_page(
            &chrome(console, name, Section::Missions),
            &page,
        ))
    };
    answer(console, Section::Missions, page.await)
}

/// Each task's conditions and, when its current pod carries one, the
/// aircraft-scheduler's recorded decision as `schedule explain` prints it.
pub fn task_details(snapshot: &Snapshot) -> HashMap<String, TaskDetail> {
    let pods: HashMap<String, &Pod> = (snapshot.pods()).map(|pod| (pod.name_any(), pod)).collect();
    (snapshot.tasks())
        .map(|task| {
            let status = task.status.as_ref();
            let pod = (status.and_then(|s| s.pod_ref.as_ref())).and_then(|pod| pods.get(&pod.name));
            let explanation = (pod
                .and_then(|pod| pod.annotations().get(SCHEDULING_DECISION_ANNOTATION)))
            .and_then(|json| serde_json::from_str::<Decision>(json).ok())
            .map(|decision| scheduling::render(&decision, Palette::PLAIN));
            let detail = TaskDetail {
                conditions: status.map(|s| s.conditions.clone()).unwrap_or_default(),
                explanation,
            };
            (task.name_any(), detail)
        })
        .collect()
}

/// The newest Events, newest first.
fn event_rows(events: &[Event], now: Timestamp) -> Vec<EventRow> {
    (events.iter().rev().take(EVENTS_SHOWN))
        .map(|event| {
            let object = &event.involved_object;
            EventRow {
                age: elapsed(last_seen(event), None, now).unwrap_or_else(|| "-".into()),
                warning: event.type_.as_deref() == Some("Warning"),
                reason: event.reason.clone().unwrap_or_default(),
                object: format!(
                    "{}/{}",
                    object.kind.as_deref().unwrap_or_default(),
                    object.name.as_deref().unwrap_or_default()
                ),
                message: event
                    .message
                    .clone()
                    .unwrap_or_default()
                    .trim_end()
                    .to_string(),
            }
        })
        .collect()
}

pub async fn fleet(console: &Console) -> hyper::Response<Body> {
    let page = async {
        let nodes: Api<Node> = Api::all(console.client.clone());
        let pods: Api<Pod> = Api::all(console.client.clone());
        let node_params = ListParams::default().labels(labels::TYPE);
        let pod_params = ListParams::default()
            .labels(TASK_LABEL)
            .fields(ACTIVE_TASK_PODS);
        let (nodes, pods, usage) = tokio::join!(
            nodes.list(&node_params),
            pods.list(&pod_params),
            node_usage(&console.client)
        );
        let nodes = nodes.map_err(|e| Failure::from_kube(e, "list the nodes"))?;
        let pods = pods.ok().map(|pods| pods.items);
        let fleet = aircraft(&nodes.items, pods.as_deref());
        let page = FleetPage {
            fleet: &fleet,
            usage: &usage,
            now: Timestamp::now(),
        };
        Ok(html::fleet_page(
            &chrome(console, "Aircraft", Section::Aircraft),
            &page,
        ))
    };
    answer(console, Section::Aircraft, page.await)
}

/// CPU and memory in use per node from `metrics.k8s.io`, or why not.
async fn node_usage(client: &kube::Client) -> Usage {
    let request = http::Request::get("/apis/metrics.k8s.io/v1beta1/nodes")
        .body(Vec::new())
        .expect("a fixed request is valid");
    match client.request::<serde_json::Value>(request).await {
        Ok(list) => {
            let items = list["items"].as_array().cloned().unwrap_or_default();
            Usage::Nodes(
                (items.iter())
                    .filter_map(|item| {
                        let name = item["metadata"]["name"].as_str()?.to_string();
                        let cpu = item["usage"]["cpu"].as_str().unwrap_or("-").to_string();
                        let memory = item["usage"]["memory"].as_str().unwrap_or("-").to_string();
                        Some((name, (cpu, memory)))
                    })
                    .collect(),
            )
        }
        Err(kube::Error::Api(status)) if status.code == 404 || status.code == 503 => Usage::Unavailable(
            "This cluster does not serve metrics.k8s.io, so CPU and memory in use are not shown (metrics-server provides them)."
                .into(),
        ),
        Err(kube::Error::Api(status)) if status.code == 403 => Usage::Unavailable(format!(
            "You may not read metrics.k8s.io ({}), so CPU and memory in use are not shown.",
            status.message
        )),
        Err(error) => Usage::Unavailable(format!("CPU and memory in use could not be read: {error}.")),
    }
}

pub async fn weapons(console: &Console, query: &str) -> hyper::Response<Body> {
    let namespace = filter(console, query).namespace;
    let page = async {
        let api: Api<Weapon> = match &namespace {
            Some(namespace) => Api::namespaced(console.client.clone(), namespace),
            None => Api::all(console.client.clone()),
        };
        let mut weapons = (api.list(&ListParams::default()).await)
            .map_err(|e| Failure::from_kube(e, "list weapons"))?
            .items;
        weapons.sort_by_key(|w| (w.namespace(), w.name_any()));
        let page = WeaponsPage {
            namespace: namespace.as_deref(),
            weapons: &weapons,
        };
        Ok(html::weapons_page(
            &chrome(console, "Weapons", Section::Weapons),
            &page,
        ))
    };
    answer(console, Section::Weapons, page.await)
}
