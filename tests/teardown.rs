//! Teardown while the operator is away: deleting a namespace with a mission
//! in flight never waits for the operator, and the fault marks its tasks
//! left on aircraft go once the operator is back.

mod support;

use std::time::Duration;

use k8s_openapi::api::core::v1::{Namespace, Node};
use kube::Api;
use kube::api::{DeleteParams, PostParams};
use kubectl_airforce::api::FlightTask;
use kubectl_airforce::api::fault_marks::{MARK_PREFIX, MARK_TAINT};
use support::Operator;

const TIMEOUT: Duration = Duration::from_secs(60);

fn carries_a_mark(node: &Node) -> bool {
    let annotations = node.metadata.annotations.clone().unwrap_or_default();
    let taints = node
        .spec
        .as_ref()
        .and_then(|s| s.taints.clone())
        .unwrap_or_default();
    annotations.keys().any(|key| key.starts_with(MARK_PREFIX))
        || taints.iter().any(|t| t.key == MARK_TAINT)
}

#[tokio::test]
async fn a_namespace_deleted_while_the_operator_is_stopped_goes_at_once_and_its_marks_go_when_it_is_back()
 {
    let client = support::client().await;
    support::ensure_crds(&client).await;
    let ns = format!("teardown-{}", std::process::id());
    let kind = support::tag("td", &ns);
    let namespaces: Api<Namespace> = Api::all(client.clone());
    let namespace = Namespace {
        metadata: kube::api::ObjectMeta {
            name: Some(ns.clone()),
            ..Default::default()
        },
        ..Default::default()
    };
    namespaces
        .create(&PostParams::default(), &namespace)
        .await
        .expect("the namespace is created");
    let fleet = client.clone();
    support::with_squadron(&fleet, &kind.clone(), 3, move |squadron| async move {
        let mut operator = Operator::start(&ns);
        // The first attempt fails and marks its aircraft; the retry flies on.
        support::submit_yaml(
            &ns,
            &format!(
                r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {{name: aloft}}
spec:
  stages:
  - name: s
    flightTasks:
    - name: t
      aircraftRequirement: {{type: {kind}}}
      podTemplate:
        metadata:
          annotations: {{sim.airforce.mil/exit-code: "3", sim.airforce.mil/exit-code-attempts: "1", sim.airforce.mil/duration: 2s}}
"#
            ),
        );
        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
        support::wait_for(&tasks, "aloft.s.t", TIMEOUT, "retrying", |t: Option<&FlightTask>| {
            t.and_then(|t| t.status.as_ref()).is_some_and(|s| s.retry_count >= 1)
        })
        .await;
        let nodes: Api<Node> = Api::all(client.clone());
        let mut marked = None;
        for name in &squadron {
            if carries_a_mark(&nodes.get(name).await.expect("aircraft")) {
                marked = Some(name.clone());
            }
        }
        let marked = marked.expect("the failed attempt marked its aircraft");

        operator.kill();
        let started = tokio::time::Instant::now();
        namespaces
            .delete(&ns, &DeleteParams::default())
            .await
            .expect("the namespace is being deleted");
        support::wait_deleted(&namespaces, &ns, Duration::from_secs(90)).await;
        println!("namespace {ns} was gone {:?} after its deletion, with the operator stopped", started.elapsed());
        assert!(
            carries_a_mark(&nodes.get(&marked).await.expect("aircraft")),
            "nobody took the mark back while the operator was away"
        );

        let elsewhere = format!("{ns}-back");
        let back = Namespace {
            metadata: kube::api::ObjectMeta {
                name: Some(elsewhere.clone()),
                ..Default::default()
            },
            ..Default::default()
        };
        namespaces.create(&PostParams::default(), &back).await.expect("a namespace for the operator");
        let _operator = Operator::start(&elsewhere);
        let restarted = tokio::time::Instant::now();
        let cleared = |node: Option<&Node>| node.is_some_and(|n| !carries_a_mark(n));
        support::wait_for(&nodes, &marked, TIMEOUT, "cleared of the deleted task's mark", cleared).await;
        println!("its mark on {marked} was gone {:?} after the operator came back", restarted.elapsed());
        let _ = namespaces.delete(&elsewhere, &DeleteParams::default()).await;
    })
    .await;
}
