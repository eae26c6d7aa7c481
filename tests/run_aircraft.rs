//! `kubectl airforce run` keeps the aircraft nodes consistent and a
//! failed task's fault mark goes once the task is deleted. These tests
//! change the shared fleet, so they run one at a time, and each puts back the
//! labels, annotations and taints of every aircraft as it found them.

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use k8s_openapi::api::core::v1::{Node, Pod, Taint};
use kube::api::{DeleteParams, ListParams, Patch, PatchParams, PostParams};
use kube::{Api, Client, ResourceExt};
use kubectl_airforce::api::fault_marks::{MARK_PREFIX, MARK_TAINT, mark_key};
use kubectl_airforce::api::{FlightTask, FlightTaskPhase};
use serde_json::json;
use support::Operator;
use tokio::sync::Mutex;

const TIMEOUT: Duration = Duration::from_secs(60);
const STATUS: &str = "aircraft.mil/status";
const FUEL_LEVEL: &str = "aircraft.mil/fuel.level";
const FUEL_STATUS: &str = "aircraft.mil/fuel.status";
const BUSY_WITH: &str = "aircraft.mil/busy-with";

/// The fleet is shared: one test at a time changes it.
static FLEET: Mutex<()> = Mutex::const_new(());

/// What a test may change on an aircraft, as it was before.
struct Saved {
    name: String,
    labels: BTreeMap<String, String>,
    busy_with: Option<String>,
    /// Fault marks it carried (`None` for each the test added).
    marks: BTreeMap<String, Option<String>>,
    taints: Option<Vec<Taint>>,
}

async fn aircraft(client: &Client) -> Vec<Node> {
    let nodes: Api<Node> = Api::all(client.clone());
    let params = ListParams::default().labels("aircraft.mil/type");
    nodes.list(&params).await.expect("the aircraft").items
}

async fn save_fleet(client: &Client) -> Vec<Saved> {
    (aircraft(client).await.into_iter())
        .map(|node| Saved {
            name: node.name_any(),
            labels: node.labels().clone(),
            busy_with: node.annotations().get(BUSY_WITH).cloned(),
            marks: marks_of(&node).map(|(k, v)| (k, Some(v))).collect(),
            taints: node.spec.and_then(|spec| spec.taints),
        })
        .collect()
}

fn marks_of(node: &Node) -> impl Iterator<Item = (String, String)> + '_ {
    (node.annotations().iter())
        .filter(|(key, _)| key.starts_with(MARK_PREFIX))
        .map(|(key, value)| (key.clone(), value.clone()))
}

async fn restore_fleet(client: &Client, saved: &[Saved]) {
    let nodes: Api<Node> = Api::all(client.clone());
    for node in saved {
        let label = |key: &str| node.labels.get(key).cloned();
        let mut annotations = node.marks.clone();
        if let Ok(now) = nodes.get(&node.name).await {
            for (key, _) in marks_of(&now) {
                annotations.entry(key).or_insert(None);
            }
        }
        annotations.insert(BUSY_WITH.to_string(), node.busy_with.clone());
        let patch = json!({
            "metadata": {
                "labels": {
                    STATUS: label(STATUS),
                    FUEL_LEVEL: label(FUEL_LEVEL),
                    FUEL_STATUS: label(FUEL_STATUS),
                },
                "annotations": annotations,
            },
            "spec": { "taints": node.taints },
        });
        let params = PatchParams::default();
        if let Err(error) = nodes
            .patch(&node.name, &params, &Patch::Merge(&patch))
            .await
        {
            eprintln!("cannot restore node {}: {error}", node.name);
        }
    }
}

/// Runs `test` in a namespace of its own with `run` started there, alone on
/// the fleet, and restores the fleet afterwards, whether it passed or not.
async fn on_the_fleet<F, Fut>(prefix: &str, test: F)
where
    F: FnOnce(Client, String) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let _alone = FLEET.lock().await;
    support::with_namespace(prefix, |client, ns| async move {
        support::ensure_crds(&client).await;
        let saved = save_fleet(&client).await;
        let outcome = tokio::spawn(async move {
            let operator = Operator::start(&ns);
            test(client, ns).await;
            drop(operator);
        })
        .await;
        // The operator is stopped by now, so nothing undoes the restore.
        restore_fleet(&support::client().await, &saved).await;
        if let Err(error) = outcome {
            std::panic::resume_unwind(error.into_panic());
        }
    })
    .await;
}

fn task(name: &str, annotations: serde_json::Value) -> FlightTask {
    serde_json::from_value(json!({
        "apiVersion": "airforce.mil/v1alpha1",
        "kind": "FlightTask",
        "metadata": { "name": name },
        "spec": {
            "aircraftRequirement": { "type": "j20" },
            "podTemplate": { "metadata": { "annotations": annotations } },
        },
    }))
    .expect("a FlightTask")
}

fn label(node: &Node, key: &str) -> Option<String> {
    node.labels().get(key).cloned()
}

fn phase(task: &FlightTask) -> Option<FlightTaskPhase> {
    task.status.as_ref().and_then(|s| s.phase)
}

/// The node the task's first pod is bound to.
async fn bound_node(client: &Client, ns: &str, pod: &str) -> String {
    let pods: Api<Pod> = Api::namespaced(client.clone(), ns);
    let bound = |pod: Option<&Pod>| {
        pod.and_then(|p| p.spec.as_ref())
            .is_some_and(|s| s.node_name.is_some())
    };
    let pod = support::wait_for(&pods, pod, TIMEOUT, "bound to a node", bound).await;
    pod.spec.and_then(|s| s.node_name).expect("a node")
}

#[tokio::test]
async fn a_node_is_busy_while_a_task_pod_runs_on_it_and_ready_after() {
    on_the_fleet("run-aircraft-busy", |client, ns| async move {
        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
        let sortie = task("sortie", json!({ "sim.airforce.mil/duration": "6s" }));
        (tasks.create(&PostParams::default(), &sortie).await).expect("task created");
        let node_name = bound_node(&client, &ns, "sortie-1").await;
        assert_ne!(node_name, "j20-03", "j20-03 is busy and takes no task");

        let nodes: Api<Node> = Api::all(client.clone());
        let busy_with = format!("{ns}/sortie-1");
        let busy = |node: Option<&Node>| {
            node.is_some_and(|n| {
                label(n, STATUS).as_deref() == Some("busy")
                    && n.annotations().get(BUSY_WITH) == Some(&busy_with)
            })
        };
        support::wait_for(&nodes, &node_name, TIMEOUT, "busy with the task", busy).await;

        let succeeded =
            |t: Option<&FlightTask>| t.and_then(phase) == Some(FlightTaskPhase::Succeeded);
        support::wait_for(&tasks, "sortie", TIMEOUT, "Succeeded", succeeded).await;
        let ready = |node: Option<&Node>| {
            node.is_some_and(|n| {
                label(n, STATUS).as_deref() == Some("ready")
                    && !n.annotations().contains_key(BUSY_WITH)
            })
        };
        support::wait_for(&nodes, &node_name, TIMEOUT, "ready again", ready).await;

        let by_hand = nodes.get("j20-03").await.expect("j20-03");
        assert_eq!(label(&by_hand, STATUS).as_deref(), Some("busy"));
        assert!(!by_hand.annotations().contains_key(BUSY_WITH));
    })
    .await;
}

#[tokio::test]
async fn fuel_status_follows_a_changed_fuel_level() {
    on_the_fleet("run-aircraft-fuel", |client, _ns| async move {
        let nodes: Api<Node> = Api::all(client.clone());
        let patch = json!({ "metadata": { "labels": { FUEL_LEVEL: "25" } } });
        (nodes
            .patch("j20-04", &PatchParams::default(), &Patch::Merge(&patch))
            .await)
            .expect("fuel level changed");
        let low = |node: Option<&Node>| {
            node.is_some_and(|n| label(n, FUEL_STATUS).as_deref() == Some("low"))
        };
        support::wait_for(&nodes, "j20-04", TIMEOUT, "low on fuel", low).await;

        // A malformed level leaves fuel.status alone.
        let patch = json!({ "metadata": { "labels": { FUEL_LEVEL: "plenty" } } });
        (nodes
            .patch("j20-04", &PatchParams::default(), &Patch::Merge(&patch))
            .await)
            .expect("fuel level changed");
        tokio::time::sleep(Duration::from_secs(2)).await;
        let node = nodes.get("j20-04").await.expect("j20-04");
        assert_eq!(label(&node, FUEL_STATUS).as_deref(), Some("low"));
    })
    .await;
}

#[tokio::test]
async fn a_deleted_tasks_fault_mark_is_taken_back_and_nothing_holds_the_deletion() {
    on_the_fleet("run-aircraft-mark", |client, ns| async move {
        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
        // The first attempt fails and marks its aircraft; the retry flies on.
        let annotations = json!({
            "sim.airforce.mil/exit-code": "3",
            "sim.airforce.mil/exit-code-attempts": "1",
            "sim.airforce.mil/duration": "4s",
        });
        let name = format!("crash-{}", ns.rsplit('-').next().unwrap_or_default());
        (tasks
            .create(&PostParams::default(), &task(&name, annotations))
            .await)
            .expect("task created");
        let node_name = bound_node(&client, &ns, &format!("{name}-1")).await;
        let uid = tasks
            .get(&name)
            .await
            .expect("the task")
            .metadata
            .uid
            .expect("a uid");

        let nodes: Api<Node> = Api::all(client.clone());
        let key = mark_key(&uid);
        let carries = |node: &Node| {
            let taints = node
                .spec
                .as_ref()
                .and_then(|s| s.taints.clone())
                .unwrap_or_default();
            node.annotations().contains_key(&key) || taints.iter().any(|t| t.key == MARK_TAINT)
        };
        let marked = |node: Option<&Node>| {
            node.is_some_and(|n| {
                let suspect = (n.spec.as_ref().and_then(|s| s.taints.as_ref()))
                    .is_some_and(|taints| taints.iter().any(|t| t.key == MARK_TAINT));
                n.annotations().contains_key(&key) && suspect
            })
        };
        support::wait_for(&nodes, &node_name, TIMEOUT, "marked and tainted", marked).await;
        let held = tasks.get(&name).await.expect("the task");
        assert!(held.finalizers().is_empty(), "{:?}", held.finalizers());

        (tasks.delete(&name, &DeleteParams::default()).await).expect("task deleted");
        support::wait_deleted(&tasks, &name, Duration::from_secs(10)).await;
        let gone = |node: Option<&Node>| node.is_some_and(|n| !carries(n));
        support::wait_for(&nodes, &node_name, TIMEOUT, "cleared", gone).await;
    })
    .await;
}

#[tokio::test]
async fn a_node_busy_with_a_pod_that_no_longer_exists_is_released() {
    on_the_fleet("run-aircraft-ghost", |client, ns| async move {
        let nodes: Api<Node> = Api::all(client.clone());
        // Left by an instance watching another namespace, killed before it
        // could release the node.
        let patch = json!({ "metadata": {
            "labels": { STATUS: "busy" },
            "annotations": { BUSY_WITH: format!("{ns}-gone/ghost-1") },
        } });
        (nodes
            .patch("j20-02", &PatchParams::default(), &Patch::Merge(&patch))
            .await)
            .expect("node marked busy");
        let ready = |node: Option<&Node>| {
            node.is_some_and(|n| {
                label(n, STATUS).as_deref() == Some("ready")
                    && !n.annotations().contains_key(BUSY_WITH)
            })
        };
        support::wait_for(&nodes, "j20-02", TIMEOUT, "released", ready).await;
    })
    .await;
}

/// Waits until an event with `reason` about node `name` exists, and returns its note.
async fn node_event(client: &Client, name: &str, reason: &str) -> String {
    use k8s_openapi::api::core::v1::Event;
    let events: Api<Event> = Api::all(client.clone());
    let params = ListParams::default().fields(&format!("involvedObject.name={name}"));
    let deadline = tokio::time::Instant::now() + TIMEOUT;
    loop {
        let listed = events.list(&params).await.expect("events listed");
        let found = (listed.items.into_iter()).find(|e| e.reason.as_deref() == Some(reason));
        if let Some(event) = found {
            return event.message.unwrap_or_default();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no {reason} event about node {name}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn set_ready(nodes: &Api<Node>, name: &str, ready: &str, message: &str) {
    let now = k8s_openapi::jiff::Timestamp::now().to_string();
    let status = json!({ "status": { "conditions": [{
        "type": "Ready", "status": ready, "reason": "Test", "message": message,
        "lastHeartbeatTime": now, "lastTransitionTime": now,
    }] } });
    nodes
        .patch_status(name, &PatchParams::default(), &Patch::Merge(&status))
        .await
        .expect("node status patched");
}

#[tokio::test]
async fn an_aircraft_going_off_and_back_on_line_is_recorded_and_told_once_each_way() {
    support::with_namespace("run-online", |client, ns| async move {
        // A node no kwok manages, so only this test moves its Ready condition.
        let name = format!("{ns}-jet");
        let nodes: Api<Node> = Api::all(client.clone());
        let node: Node = serde_json::from_value(json!({
            "apiVersion": "v1", "kind": "Node",
            "metadata": { "name": name, "labels": {
                "aircraft.mil/type": "j20", STATUS: "ready", FUEL_LEVEL: "90", FUEL_STATUS: "high",
            } },
        }))
        .expect("a Node");
        nodes
            .create(&PostParams::default(), &node)
            .await
            .expect("node created");
        let _operator = Operator::start(&ns);
        let online = |wanted: &'static str| {
            move |node: Option<&Node>| {
                node.and_then(|n| n.annotations().get("aircraft.mil/online").cloned())
                    .as_deref()
                    == Some(wanted)
            }
        };
        set_ready(&nodes, &name, "True", "ready for tasks").await;
        support::wait_for(&nodes, &name, TIMEOUT, "online=true", online("true")).await;

        set_ready(&nodes, &name, "False", "engine fault").await;
        support::wait_for(&nodes, &name, TIMEOUT, "online=false", online("false")).await;
        let note = node_event(&client, &name, "AircraftOffline").await;
        assert!(note.contains("engine fault"), "{note}");

        set_ready(&nodes, &name, "True", "repaired").await;
        support::wait_for(&nodes, &name, TIMEOUT, "online=true", online("true")).await;
        let note = node_event(&client, &name, "AircraftOnline").await;
        assert!(note.contains("back on line"), "{note}");
        nodes
            .delete(&name, &DeleteParams::default())
            .await
            .expect("node deleted");
    })
    .await;
}
