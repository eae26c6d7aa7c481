//! The mission reconciler against the mock API server: which writes it
//! makes, in which order, and what a failed write leaves for the next try.

use std::sync::Arc;

use kube::ResourceExt;

use super::reconcile;
use crate::api::keys;
use crate::api::{Mission, MissionStage, StagePhase};
use crate::controller::mock_api::MockApi;

const MISSION: &str = "
apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {name: op, namespace: air, uid: uid-op, generation: 1, resourceVersion: '1'}
spec:
  missionName: Op
  missionType: strike
  config:
    failurePolicy: {maxRetries: 0, stageFailureAction: abort}
  stages:
  - name: a
    type: parallel
    flightTasks:
    - {name: t, role: strike, aircraftRequirement: {type: j20}}
  - name: b
    type: parallel
    dependsOn: [a]
    flightTasks:
    - {name: t, role: strike, aircraftRequirement: {type: j20}}
";

fn server() -> MockApi {
    let api = MockApi::new();
    let mission: Mission = serde_yaml_ng::from_str(MISSION).expect("a valid mission");
    api.put(&mission);
    api
}

/// One reconcile of the stored mission, as the controller would run it.
async fn reconcile_stored(api: &MockApi) -> crate::controller::error::Result<()> {
    let mission: Mission = api.get(Some("air"), "op").expect("the mission is stored");
    reconcile(Arc::new(mission), api.context())
        .await
        .map(|_| ())
}

/// Reports `phase` for stage `name`, as the stage controller would.
fn report(api: &MockApi, name: &str, phase: StagePhase) {
    let mut stage: MissionStage = api.get(Some("air"), name).expect("the stage exists");
    let status = stage.status.get_or_insert_with(Default::default);
    status.phase = Some(phase);
    status.completion_time = Some(crate::controller::apply::now());
    api.put(&stage);
}

/// A mission whose first stage failed, so that it failed under abort.
async fn failed() -> MockApi {
    let api = server();
    reconcile_stored(&api).await.expect("the mission starts");
    report(&api, "op.a", StagePhase::Failed);
    reconcile_stored(&api).await.expect("the mission fails");
    api.clear_calls();
    api
}

fn annotate(api: &MockApi, key: &str, value: &str) {
    let mut mission: Mission = api.get(Some("air"), "op").expect("the mission is stored");
    mission.annotations_mut().insert(key.into(), value.into());
    api.put(&mission);
}

fn stage(api: &MockApi, name: &str) -> Option<MissionStage> {
    api.get(Some("air"), name)
}

#[tokio::test]
async fn a_new_mission_writes_its_status_then_creates_its_first_stage_then_tells() {
    let api = server();
    reconcile_stored(&api).await.expect("a clean reconcile");
    assert_eq!(
        api.writes(),
        [
            "PATCH missions/op/status",
            "POST missionstages",
            "POST events"
        ]
    );
    assert!(stage(&api, "op.a").is_some() && stage(&api, "op.b").is_none());
}

#[tokio::test]
async fn a_retry_asks_the_failed_stage_before_the_status_records_it() {
    let api = failed().await;
    annotate(&api, keys::RETRY_REQUEST_ANNOTATION, "r1");
    reconcile_stored(&api).await.expect("a clean reconcile");
    assert_eq!(
        api.writes(),
        [
            "PATCH missionstages/op.a",
            "PATCH missions/op/status",
            "POST events"
        ]
    );
    let ask = &api.write_body(0)["metadata"]["annotations"];
    assert_eq!(ask[keys::RETRY_REQUEST_ANNOTATION], "r1");
    assert!(ask[keys::CANCEL_ANNOTATION].is_null());
    assert_eq!(api.write_body(1)["status"]["lastHandledRetry"], "r1");
}

#[tokio::test]
async fn a_retry_whose_status_write_failed_is_asked_again_and_recorded_once() {
    let api = failed().await;
    annotate(&api, keys::RETRY_REQUEST_ANNOTATION, "r1");
    api.fail("PATCH missions/op/status");
    assert!(reconcile_stored(&api).await.is_err());
    assert_eq!(
        api.writes(),
        ["PATCH missionstages/op.a", "PATCH missions/op/status"],
        "the stage was asked; nothing after the failed write happened"
    );
    api.heal();
    api.clear_calls();
    reconcile_stored(&api).await.expect("a clean reconcile");
    assert_eq!(
        api.writes(),
        [
            "PATCH missionstages/op.a",
            "PATCH missions/op/status",
            "POST events"
        ]
    );
    api.clear_calls();
    reconcile_stored(&api).await.expect("a clean reconcile");
    assert_eq!(
        api.writes(),
        Vec::<String>::new(),
        "a handled retry is not acted on again"
    );
}

#[tokio::test]
async fn cancelling_writes_the_status_then_cancels_the_running_stage() {
    let api = server();
    reconcile_stored(&api).await.expect("the mission starts");
    report(&api, "op.a", StagePhase::Running);
    api.clear_calls();
    annotate(&api, keys::CANCEL_ANNOTATION, "true");
    reconcile_stored(&api).await.expect("a clean reconcile");
    assert_eq!(
        api.writes(),
        ["PATCH missions/op/status", "PATCH missionstages/op.a"]
    );
    let cancel = &api.write_body(1)["metadata"]["annotations"];
    assert_eq!(cancel[keys::CANCEL_ANNOTATION], "true");
}

#[tokio::test]
async fn a_failed_status_write_creates_nothing_and_the_next_try_creates_once() {
    let api = server();
    api.fail("PATCH missions/op/status");
    assert!(reconcile_stored(&api).await.is_err());
    assert_eq!(api.writes(), ["PATCH missions/op/status"]);
    assert!(stage(&api, "op.a").is_none());
    api.heal();
    api.clear_calls();
    reconcile_stored(&api).await.expect("a clean reconcile");
    assert_eq!(
        api.writes(),
        [
            "PATCH missions/op/status",
            "POST missionstages",
            "POST events"
        ]
    );
    api.clear_calls();
    reconcile_stored(&api).await.expect("a clean reconcile");
    assert_eq!(api.writes(), Vec::<String>::new(), "nothing is made twice");
}
