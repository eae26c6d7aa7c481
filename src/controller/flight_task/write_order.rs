//! The FlightTask reconciler against the mock API server: which writes it
//! makes, in which order, and what a failed write leaves for the next try.

use std::sync::Arc;
use std::time::Duration;

use k8s_openapi::api::core::v1::{Node, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::Timestamp;
use kube::ResourceExt;

use super::reconcile;
use crate::api::FlightTask;
use crate::controller::error::Result;
use crate::controller::mock_api::MockApi;
use crate::controller::task_plan::PASSING;

const TASK: &str = "
apiVersion: airforce.mil/v1alpha1
kind: FlightTask
metadata: {name: op.a.t1, namespace: air, uid: uid-t1, generation: 1, resourceVersion: '1',
  labels: {airforce.mil/mission: op, airforce.mil/stage: a, airforce.mil/task: t1}}
spec:
  stageRef: {name: op.a}
  template:
    role: strike
    aircraftRequirement: {type: j20}
    policy: {maxRetries: 1}
";

const NODE: &str = "
apiVersion: v1
kind: Node
metadata: {name: j20-1, uid: uid-j20-1, resourceVersion: '1',
  labels: {aircraft.mil/type: j20}}
";

fn server() -> MockApi {
    let api = MockApi::new();
    let task: FlightTask = serde_yaml_ng::from_str(TASK).expect("a valid task");
    api.put(&task);
    let node: Node = serde_yaml_ng::from_str(NODE).expect("a valid node");
    api.put(&node);
    api
}

async fn reconcile_stored(api: &MockApi) -> Result<()> {
    let task: FlightTask = api.get(Some("air"), "op.a.t1").expect("the task is stored");
    reconcile(Arc::new(task), api.context()).await.map(|_| ())
}

/// Ends the task's pod `name` as a failure on aircraft j20-1, `ago` before now.
fn fail_pod(api: &MockApi, name: &str, ago: Duration) {
    let finished = Timestamp::now() - ago;
    let mut pod: Pod = api.get(Some("air"), name).expect("the pod exists");
    pod.spec.get_or_insert_with(Default::default).node_name = Some("j20-1".into());
    pod.status = Some(
        serde_json::from_value(serde_json::json!({
            "phase": "Failed",
            "containerStatuses": [{
                "name": "task", "image": "i", "imageID": "", "ready": false, "restartCount": 0,
                "state": {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": finished}}
            }]
        }))
        .expect("a pod status"),
    );
    api.put(&pod);
}

/// Makes the task's pod `name` look created `ago` before now.
fn age_pod(api: &MockApi, name: &str, ago: Duration) {
    let mut pod: Pod = api.get(Some("air"), name).expect("the pod exists");
    pod.metadata.creation_timestamp = Some(Time(Timestamp::now() - ago));
    api.put(&pod);
}

#[tokio::test]
async fn a_new_task_creates_its_pod_then_records_it_once_seen() {
    let api = server();
    reconcile_stored(&api).await.expect("a clean reconcile");
    assert_eq!(
        api.writes(),
        ["POST pods", "POST events"],
        "a pod being created is a passing step: no status yet"
    );
    let pod: Option<Pod> = api.get(Some("air"), "op.a.t1-1");
    assert!(pod.is_some(), "the first attempt's pod");
    api.clear_calls();
    age_pod(&api, "op.a.t1-1", Duration::from_secs(1));
    reconcile_stored(&api).await.expect("a clean reconcile");
    assert_eq!(
        api.writes(),
        ["PATCH flighttasks/op.a.t1/status"],
        "the pod is recorded once seen"
    );
    let task: FlightTask = api.get(Some("air"), "op.a.t1").expect("the task");
    let status = task.status.expect("a status");
    assert_eq!(status.pod_ref.map(|r| r.name).as_deref(), Some("op.a.t1-1"));
    let message = status.message.unwrap_or_default();
    assert!(message.contains("waiting for an aircraft"), "{message}");
    api.clear_calls();
    age_pod(&api, "op.a.t1-1", PASSING + Duration::from_secs(1));
    reconcile_stored(&api).await.expect("a clean reconcile");
    assert_eq!(api.writes(), Vec::<String>::new(), "nothing new to tell");
}

#[tokio::test]
async fn a_failed_attempt_marks_its_aircraft_first_and_its_retry_makes_the_next_pod() {
    let api = server();
    reconcile_stored(&api).await.expect("the task starts");
    fail_pod(&api, "op.a.t1-1", Duration::from_secs(60));
    api.clear_calls();
    reconcile_stored(&api).await.expect("a clean reconcile");
    assert_eq!(
        api.writes(),
        [
            "PATCH nodes/j20-1",
            "POST pods",
            "PATCH flighttasks/op.a.t1/status",
            "POST events",
            "POST events",
            "POST events"
        ]
    );
    let node: Node = api.get(None, "j20-1").expect("the node");
    let mark = node.annotations().get("fault.aircraft.mil/uid-t1");
    assert!(mark.is_some_and(|mark| mark.contains("\"attempt\":1")));
    let next: Option<Pod> = api.get(Some("air"), "op.a.t1-2");
    assert!(next.is_some(), "the retry's pod");
}

#[tokio::test]
async fn a_fault_mark_that_cannot_be_written_holds_back_the_retry() {
    let api = server();
    reconcile_stored(&api).await.expect("the task starts");
    fail_pod(&api, "op.a.t1-1", Duration::from_secs(60));
    api.fail("PATCH nodes/j20-1");
    api.clear_calls();
    assert!(reconcile_stored(&api).await.is_err());
    assert_eq!(api.writes(), ["PATCH nodes/j20-1"]);
    api.heal();
    api.clear_calls();
    reconcile_stored(&api).await.expect("a clean reconcile");
    assert_eq!(
        api.writes()[..3],
        [
            "PATCH nodes/j20-1",
            "POST pods",
            "PATCH flighttasks/op.a.t1/status"
        ]
    );
}

#[tokio::test]
async fn a_status_write_that_failed_after_the_create_is_written_once_next_time() {
    let api = server();
    reconcile_stored(&api).await.expect("the task starts");
    fail_pod(&api, "op.a.t1-1", Duration::from_secs(60));
    api.fail("PATCH flighttasks/op.a.t1/status");
    api.clear_calls();
    assert!(reconcile_stored(&api).await.is_err());
    assert_eq!(
        api.writes(),
        [
            "PATCH nodes/j20-1",
            "POST pods",
            "PATCH flighttasks/op.a.t1/status"
        ],
        "no event tells of a status not written"
    );
    api.heal();
    api.clear_calls();
    reconcile_stored(&api).await.expect("a clean reconcile");
    let writes = api.writes();
    assert!(
        !writes.iter().any(|w| w.starts_with("POST pods")),
        "the pod made before is found, not made again: {writes:?}"
    );
    assert!(
        writes.contains(&"PATCH flighttasks/op.a.t1/status".to_string()),
        "the failure is recorded: {writes:?}"
    );
    api.clear_calls();
    reconcile_stored(&api).await.expect("a clean reconcile");
    assert_eq!(api.writes(), Vec::<String>::new(), "nothing is made twice");
}

/// Makes the task's pod `name` run on aircraft j20-1 since `ago` before now.
fn run_pod(api: &MockApi, name: &str, ago: Duration) {
    let mut pod: Pod = api.get(Some("air"), name).expect("the pod exists");
    pod.spec.get_or_insert_with(Default::default).node_name = Some("j20-1".into());
    pod.status = Some(
        serde_json::from_value(serde_json::json!({
            "phase": "Running",
            "startTime": Timestamp::now() - ago,
        }))
        .expect("a pod status"),
    );
    api.put(&pod);
}

#[tokio::test]
async fn a_cancelled_task_records_why_then_stops_its_running_pod_through_its_deadline() {
    let api = server();
    reconcile_stored(&api).await.expect("the task starts");
    run_pod(&api, "op.a.t1-1", Duration::from_secs(30));
    let mut task: FlightTask = api.get(Some("air"), "op.a.t1").expect("the task");
    task.annotations_mut()
        .insert(crate::api::keys::CANCEL_ANNOTATION.into(), "true".into());
    api.put(&task);
    api.clear_calls();
    reconcile_stored(&api).await.expect("a clean reconcile");
    assert_eq!(
        api.writes()[..2],
        ["PATCH flighttasks/op.a.t1/status", "PATCH pods/op.a.t1-1"]
    );
    let pod: Pod = api.get(Some("air"), "op.a.t1-1").expect("the pod stays");
    assert!(
        pod.annotations()
            .contains_key(crate::api::keys::STOPPED_ANNOTATION)
    );
    let deadline = pod.spec.and_then(|spec| spec.active_deadline_seconds);
    assert!(
        deadline.is_some_and(|seconds| (30..=31).contains(&seconds)),
        "{deadline:?}"
    );

    // Asked once: the stopping pod is not patched again.
    api.clear_calls();
    reconcile_stored(&api).await.expect("a clean reconcile");
    assert!(
        !api.writes()
            .iter()
            .any(|write| write.starts_with("PATCH pods")),
        "{:?}",
        api.writes()
    );
}
