//! The aircraft reconciler against the mock API server: one merge patch
//! guarded by the version it planned from, tried again on a conflict (after a
//! fresh read) without undoing the other writer's change, then the events.

use std::sync::Arc;

use k8s_openapi::api::core::v1::Node;
use kube::ResourceExt;
use serde_json::json;

use super::reconcile;
use crate::api::aircraft::annotations::BUSY_WITH;
use crate::controller::error::Result;
use crate::controller::mock_api::MockApi;
use crate::controller::task_fixtures::{self, running};

const NODE: &str = "
apiVersion: v1
kind: Node
metadata: {name: j20-1, uid: uid-j20-1, resourceVersion: '1',
  labels: {aircraft.mil/type: j20, aircraft.mil/status: ready, aircraft.mil/fuel.level: '80'}}
";

/// Aircraft j20-1 with a running task pod bound to it.
fn server() -> MockApi {
    let api = MockApi::new();
    let node: Node = serde_yaml_ng::from_str(NODE).expect("a valid node");
    api.put(&node);
    let task = task_fixtures::task();
    api.put(&running(task_fixtures::pod(&task, 1, 0), "j20-1", 0));
    api
}

async fn reconcile_stored(api: &MockApi) -> Result<()> {
    let node: Node = api.get(None, "j20-1").expect("the node is stored");
    reconcile(Arc::new(node), api.context()).await.map(|_| ())
}

fn node(api: &MockApi) -> Node {
    api.get(None, "j20-1").expect("the node is stored")
}

#[tokio::test]
async fn one_guarded_patch_then_the_events() {
    let api = server();
    reconcile_stored(&api).await.expect("a clean reconcile");
    assert_eq!(api.writes(), ["PATCH nodes/j20-1", "POST events"]);
    let patch = &api.calls()[0].body;
    assert_eq!(
        patch["metadata"]["resourceVersion"], "1",
        "the version planned from"
    );
    assert_eq!(node(&api).labels()["aircraft.mil/status"], "busy");
    assert_eq!(
        node(&api).annotations()[BUSY_WITH],
        "default/far-sea-strike-strike-1-1"
    );
    api.clear_calls();
    reconcile_stored(&api).await.expect("a clean reconcile");
    assert_eq!(api.writes(), Vec::<String>::new(), "nothing left to change");
}

#[tokio::test]
async fn a_conflict_is_read_again_and_written_without_undoing_the_other_change() {
    let api = server();
    let other = json!({"metadata": {"labels": {"aircraft.mil/location.zone": "east-sea"}}});
    api.interfere_once("PATCH nodes/j20-1", other);
    reconcile_stored(&api).await.expect("a clean reconcile");
    let lines: Vec<String> = api.calls().iter().map(|call| call.line()).collect();
    assert_eq!(
        lines,
        [
            "PATCH nodes/j20-1",
            "GET nodes/j20-1",
            "PATCH nodes/j20-1",
            "POST events"
        ],
        "the patch from the cached node lost to the other writer; no event before the write held"
    );
    let labels = node(&api).labels().clone();
    assert_eq!(labels["aircraft.mil/status"], "busy");
    assert_eq!(labels["aircraft.mil/location.zone"], "east-sea");
}

#[tokio::test]
async fn a_patch_that_fails_tells_nothing() {
    let api = server();
    api.fail("PATCH nodes/j20-1");
    assert!(reconcile_stored(&api).await.is_err());
    assert_eq!(api.writes(), ["PATCH nodes/j20-1"]);
    assert_eq!(node(&api).labels()["aircraft.mil/status"], "ready");
}
