//! Mission priority on the local cluster: when aircraft are scarce, the task
//! pods of the more urgent mission are placed first.

mod support;

use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use kubectl_airforce::api::Mission;
use support::Operator;

const TIMEOUT: Duration = Duration::from_secs(90);

fn mission(name: &str, kind: &str, priority: &str, duration: &str) -> String {
    format!(
        r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {{name: {name}}}
spec:
  priority: {priority}
  stages:
  - name: s
    flightTasks:
    - name: t
      aircraftRequirement: {{type: {kind}}}
      podTemplate: {{metadata: {{annotations: {{sim.airforce.mil/duration: {duration}}}}}}}
"#
    )
}

/// When the pod of `mission`'s task was bound, if it was.
async fn bound_at(pods: &Api<Pod>, mission: &str) -> Option<k8s_openapi::jiff::Timestamp> {
    let pod = pods
        .get_opt(&format!("{mission}.s.t-1"))
        .await
        .ok()
        .flatten()?;
    pod.spec.as_ref()?.node_name.as_ref()?;
    let conditions = pod.status?.conditions?;
    let scheduled = conditions
        .into_iter()
        .find(|c| c.type_ == "PodScheduled" && c.status == "True")?;
    scheduled.last_transition_time.map(|t| t.0)
}

#[tokio::test]
async fn when_the_one_aircraft_frees_the_high_priority_task_is_placed_before_the_low_one() {
    support::with_namespace("priority", |client, ns| async move {
        support::ensure_crds(&client).await;
        let kind = support::tag("pr", &ns);
        let fleet = client.clone();
        support::with_squadron(&fleet, &kind.clone(), 1, move |_| async move {
            let _operator = Operator::start(&ns);
            let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
            support::submit_yaml(&ns, &mission("busy", &kind, "normal", "6s"));
            support::wait_for_pods(
                &pods,
                "airforce.mil/mission=busy",
                TIMEOUT,
                "the busy task's pod",
            )
            .await;
            let deadline = tokio::time::Instant::now() + TIMEOUT;
            while bound_at(&pods, "busy").await.is_none() {
                assert!(
                    tokio::time::Instant::now() < deadline,
                    "the busy task was never placed"
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            support::submit_yaml(&ns, &mission("low", &kind, "low", "2s"));
            support::wait_for_pods(
                &pods,
                "airforce.mil/mission=low",
                TIMEOUT,
                "the low task's pod",
            )
            .await;
            tokio::time::sleep(Duration::from_secs(1)).await;
            support::submit_yaml(&ns, &mission("high", &kind, "high", "2s"));
            support::wait_for_pods(
                &pods,
                "airforce.mil/mission=high",
                TIMEOUT,
                "the high task's pod",
            )
            .await;
            let high_pod = pods.get("high.s.t-1").await.expect("the high pod");
            let priority = high_pod.spec.as_ref().and_then(|s| s.priority);
            assert_eq!(
                priority,
                Some(3000),
                "the PriorityClass gave the pod its priority"
            );

            let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
            for name in ["busy", "low", "high"] {
                support::finished_mission(&missions, name, TIMEOUT).await;
            }
            let high = bound_at(&pods, "high").await.expect("high was placed");
            let low = bound_at(&pods, "low").await.expect("low was placed");
            println!("high bound at {high}, low at {low}");
            assert!(
                high < low,
                "the high-priority task went first although submitted later"
            );
        })
        .await;
    })
    .await;
}
