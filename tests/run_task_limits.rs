//! Time limits of flight tasks under `run` on the local cluster: an image that
//! never pulls, an attempt that runs too long, and a pod no aircraft can take
//! each end the task with their own reason, condition and event.

mod support;

use std::time::Duration;

use k8s_openapi::api::core::v1::Event;
use kube::Api;
use kube::api::ListParams;
use kubectl_airforce::api::conditions::{self, types};
use kubectl_airforce::api::{FlightTask, FlightTaskPhase};
use support::Operator;

const TIMEOUT: Duration = Duration::from_secs(90);

/// A one-task mission named `name` whose task sets `limits` (YAML flow
/// fields) and carries the pod annotations `annotations`.
fn mission(name: &str, kind: &str, limits: &str, annotations: &str) -> String {
    format!(
        r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {{name: {name}}}
spec:
  stages:
  - name: s
    flightTasks:
    - name: t
      maxRetries: 0
      {limits}
      aircraftRequirement: {{type: {kind}}}
      podTemplate:
        metadata:
          annotations: {{{annotations}}}
"#
    )
}

/// Waits for the task of `mission` to fail and returns it with the reasons of
/// its events.
async fn failed_task(client: &kube::Client, ns: &str, mission: &str) -> (FlightTask, Vec<String>) {
    let tasks: Api<FlightTask> = Api::namespaced(client.clone(), ns);
    let name = format!("{mission}.s.t");
    let task = support::wait_for(
        &tasks,
        &name,
        TIMEOUT,
        "Failed",
        |t: Option<&FlightTask>| {
            t.and_then(|t| t.status.as_ref()).and_then(|s| s.phase) == Some(FlightTaskPhase::Failed)
        },
    )
    .await;
    let events: Api<Event> = Api::namespaced(client.clone(), ns);
    let fields = format!("involvedObject.kind=FlightTask,involvedObject.name={name}");
    let mut reasons = Vec::new();
    // Events are written after the status; give the last one a moment.
    for _ in 0..20 {
        let listed = events
            .list(&ListParams::default().fields(&fields))
            .await
            .expect("events");
        reasons = listed.items.into_iter().filter_map(|e| e.reason).collect();
        if reasons
            .iter()
            .any(|r| r != "Created" && r != "TaskStarted" && r != "Scheduled" && r != "Running")
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    (task, reasons)
}

fn ready_reason(task: &FlightTask) -> String {
    let status = task.status.as_ref().expect("a status");
    conditions::find(&status.conditions, types::READY)
        .expect("Ready")
        .reason
        .clone()
}

#[tokio::test]
async fn an_image_that_never_pulls_an_attempt_that_runs_too_long_and_an_unplaceable_pod_each_fail_with_their_reason()
 {
    support::with_namespace("run-limits", |client, ns| async move {
        support::ensure_crds(&client).await;
        let kind = support::tag("lim", &ns);
        let fleet = client.clone();
        support::with_squadron(&fleet, &kind.clone(), 2, move |_| async move {
            let _operator = Operator::start(&ns);
            support::submit_yaml(
                &ns,
                &mission(
                    "pull",
                    &kind,
                    "imagePullTimeout: 3s",
                    "sim.airforce.mil/image-pull-error: \"true\"",
                ),
            );
            support::submit_yaml(
                &ns,
                &mission(
                    "slow",
                    &kind,
                    "timeout: 2s",
                    "sim.airforce.mil/duration: 60s",
                ),
            );
            let nobody = format!("{kind}-nowhere");
            support::submit_yaml(
                &ns,
                &mission(
                    "lost",
                    &nobody,
                    "schedulingTimeout: 3s",
                    "sim.airforce.mil/duration: 1s",
                ),
            );

            let (pull, pull_events) = failed_task(&client, &ns, "pull").await;
            let message = pull
                .status
                .as_ref()
                .and_then(|s| s.message.clone())
                .unwrap_or_default();
            println!(
                "pull: {} / {message} / events {pull_events:?}",
                ready_reason(&pull)
            );
            assert_eq!(ready_reason(&pull), "ImagePullFailed");
            assert!(
                message.contains("an image could not be pulled for 3s"),
                "{message}"
            );
            assert!(
                pull_events.iter().any(|r| r == "ImagePullFailed"),
                "{pull_events:?}"
            );
            let failure = &pull.status.as_ref().expect("status").failures[0];
            assert_eq!(failure.reason, "ImagePullFailed");

            let (slow, slow_events) = failed_task(&client, &ns, "slow").await;
            let message = slow
                .status
                .as_ref()
                .and_then(|s| s.message.clone())
                .unwrap_or_default();
            println!(
                "slow: {} / {message} / events {slow_events:?}",
                ready_reason(&slow)
            );
            assert_eq!(ready_reason(&slow), "DeadlineExceeded");
            assert!(
                message.contains("it ran longer than its timeout of 2s"),
                "{message}"
            );
            assert!(
                slow_events.iter().any(|r| r == "DeadlineExceeded"),
                "{slow_events:?}"
            );

            let (lost, lost_events) = failed_task(&client, &ns, "lost").await;
            let message = lost
                .status
                .as_ref()
                .and_then(|s| s.message.clone())
                .unwrap_or_default();
            println!(
                "lost: {} / {message} / events {lost_events:?}",
                ready_reason(&lost)
            );
            assert_eq!(ready_reason(&lost), "Unschedulable");
            assert!(
                message.contains("no aircraft took it within 3s"),
                "{message}"
            );
            assert!(
                lost_events.iter().any(|r| r == "Unschedulable"),
                "{lost_events:?}"
            );

            // The pods whose attempts were ended are gone.
            let pods: Api<k8s_openapi::api::core::v1::Pod> = Api::namespaced(client.clone(), &ns);
            for mission in ["pull", "slow", "lost"] {
                let selector = format!("airforce.mil/mission={mission}");
                let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
                loop {
                    let left = pods
                        .list(&ListParams::default().labels(&selector))
                        .await
                        .expect("pods")
                        .items;
                    let running = left.iter().filter(|p| {
                        let phase = p.status.as_ref().and_then(|s| s.phase.as_deref());
                        !matches!(phase, Some("Succeeded" | "Failed"))
                    });
                    if running.count() == 0 {
                        break;
                    }
                    assert!(
                        tokio::time::Instant::now() < deadline,
                        "the pod of {mission} was not stopped"
                    );
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
            }
        })
        .await;
    })
    .await;
}
