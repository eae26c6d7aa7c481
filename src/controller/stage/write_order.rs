//! The stage reconciler against the mock API server: which writes it makes,
//! in which order, and what a failed write leaves for the next try.

use std::sync::Arc;

use kube::ResourceExt;

use super::reconcile;
use crate::api::keys;
use crate::api::{FlightTask, FlightTaskPhase, MissionStage};
use crate::controller::error::Result;
use crate::controller::mock_api::MockApi;

const STAGE: &str = "
apiVersion: airforce.mil/v1alpha1
kind: MissionStage
metadata: {name: op.a, namespace: air, uid: uid-op.a, generation: 1, resourceVersion: '1',
  labels: {airforce.mil/mission: op, airforce.mil/stage: a}}
spec:
  missionRef: {name: op}
  stageName: a
  stageIndex: 0
  stageType: sequential
  flightTasks:
  - {name: t1, role: strike, aircraftRequirement: {type: j20}}
  - {name: t2, role: strike, aircraftRequirement: {type: j20}}
";

fn server() -> MockApi {
    let api = MockApi::new();
    let stage: MissionStage = serde_yaml_ng::from_str(STAGE).expect("a valid stage");
    api.put(&stage);
    api
}

async fn reconcile_stored(api: &MockApi) -> Result<()> {
    let stage: MissionStage = api.get(Some("air"), "op.a").expect("the stage is stored");
    reconcile(Arc::new(stage), api.context()).await.map(|_| ())
}

/// Reports `phase` for task `name`, as the task controller would.
fn report(api: &MockApi, name: &str, phase: FlightTaskPhase) {
    let mut task: FlightTask = api.get(Some("air"), name).expect("the task exists");
    task.status.get_or_insert_with(Default::default).phase = Some(phase);
    api.put(&task);
}

fn annotate(api: &MockApi, key: &str, value: &str) {
    let mut stage: MissionStage = api.get(Some("air"), "op.a").expect("the stage is stored");
    stage.annotations_mut().insert(key.into(), value.into());
    api.put(&stage);
}

fn task(api: &MockApi, name: &str) -> Option<FlightTask> {
    api.get(Some("air"), name)
}

#[tokio::test]
async fn a_new_sequential_stage_writes_its_status_then_creates_its_first_task_then_tells() {
    let api = server();
    reconcile_stored(&api).await.expect("a clean reconcile");
    assert_eq!(
        api.writes(),
        [
            "PATCH missionstages/op.a/status",
            "POST flighttasks",
            "POST events"
        ]
    );
    assert!(task(&api, "op.a.t1").is_some() && task(&api, "op.a.t2").is_none());
}

#[tokio::test]
async fn a_failed_create_is_made_once_on_the_next_try() {
    let api = server();
    api.fail("POST flighttasks");
    assert!(reconcile_stored(&api).await.is_err());
    assert_eq!(
        api.writes(),
        ["PATCH missionstages/op.a/status", "POST flighttasks"],
        "no event tells of a task that was not made"
    );
    api.heal();
    api.clear_calls();
    reconcile_stored(&api).await.expect("a clean reconcile");
    assert_eq!(api.writes(), ["POST flighttasks", "POST events"]);
    api.clear_calls();
    reconcile_stored(&api).await.expect("a clean reconcile");
    assert_eq!(api.writes(), Vec::<String>::new(), "nothing is made twice");
}

#[tokio::test]
async fn a_retry_asks_the_failed_task_before_the_status_records_it() {
    let api = server();
    reconcile_stored(&api).await.expect("the stage starts");
    report(&api, "op.a.t1", FlightTaskPhase::Failed);
    reconcile_stored(&api).await.expect("the stage fails");
    api.clear_calls();
    annotate(&api, keys::RETRY_REQUEST_ANNOTATION, "r1");
    reconcile_stored(&api).await.expect("a clean reconcile");
    assert_eq!(
        api.writes(),
        [
            "PATCH flighttasks/op.a.t1",
            "PATCH missionstages/op.a/status",
            "POST events"
        ]
    );
    assert_eq!(
        api.write_body(0)["metadata"]["annotations"][keys::RETRY_REQUEST_ANNOTATION],
        "r1"
    );
    assert_eq!(api.write_body(1)["status"]["lastHandledRetry"], "r1");
}

#[tokio::test]
async fn cancelling_writes_the_status_then_asks_the_running_task_to_stop_then_tells() {
    let api = server();
    reconcile_stored(&api).await.expect("the stage starts");
    report(&api, "op.a.t1", FlightTaskPhase::Running);
    api.clear_calls();
    annotate(&api, keys::CANCEL_ANNOTATION, "true");
    reconcile_stored(&api).await.expect("a clean reconcile");
    assert_eq!(
        api.writes(),
        [
            "PATCH missionstages/op.a/status",
            "PATCH flighttasks/op.a.t1",
            "POST events"
        ]
    );
    let stopped = task(&api, "op.a.t1").expect("the task stays to show it was stopped");
    assert_eq!(
        stopped
            .annotations()
            .get(keys::CANCEL_ANNOTATION)
            .map(String::as_str),
        Some("true")
    );
}

#[tokio::test]
async fn a_task_created_but_not_yet_in_the_cache_is_not_created_again() {
    let api = server();
    // One context for both reconciles: its caches were filled before the
    // first one created the task, as a watch that has not caught up.
    let lagging = api.context();
    let stage: MissionStage = api.get(Some("air"), "op.a").expect("the stage is stored");
    reconcile(Arc::new(stage), lagging.clone())
        .await
        .expect("a clean reconcile");
    assert!(task(&api, "op.a.t1").is_some());
    api.clear_calls();
    let stage: MissionStage = api.get(Some("air"), "op.a").expect("the stage is stored");
    reconcile(Arc::new(stage), lagging)
        .await
        .expect("a clean reconcile");
    assert!(
        !api.writes().contains(&"POST flighttasks".to_string()),
        "the create on its way back is not sent again: {:?}",
        api.writes()
    );
}
