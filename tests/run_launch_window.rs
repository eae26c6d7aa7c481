//! The operator's limit on task pods waiting for an aircraft, against the
//! local cluster: twelve tasks on two aircraft with `maxWaitingPods: 2` never
//! have more than two pods waiting at once (sampled through the run), the
//! tasks held back say they are queued, a SIGKILL of `run` in the middle loses
//! no queued task and makes no pod twice, and all twelve succeed.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use kube::api::ListParams;
use kubectl_airforce::api::conditions::{self, reasons, types};
use kubectl_airforce::api::keys::MISSION_LABEL;
use kubectl_airforce::api::{FlightTask, FlightTaskPhase, Mission, MissionPhase};
use support::Operator;

const TASKS: usize = 12;
const MAX_WAITING: usize = 2;

#[derive(Default)]
struct Sampled {
    most_waiting: AtomicUsize,
    queued_seen: AtomicBool,
    succeeded: AtomicUsize,
    samples: AtomicUsize,
}

fn waits_for_aircraft(pod: &Pod) -> bool {
    let unbound = pod
        .spec
        .as_ref()
        .is_none_or(|spec| spec.node_name.is_none());
    let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref());
    unbound && pod.metadata.deletion_timestamp.is_none() && matches!(phase, None | Some("Pending"))
}

/// Lists the mission's pods and tasks every 100 ms until `done`.
fn sample(pods: Api<Pod>, tasks: Api<FlightTask>, seen: Arc<Sampled>, done: Arc<AtomicBool>) {
    tokio::spawn(async move {
        let params = ListParams::default().labels(&format!("{MISSION_LABEL}=strike"));
        while !done.load(Ordering::Relaxed) {
            if let Ok(list) = pods.list(&params).await {
                let waiting = list
                    .items
                    .iter()
                    .filter(|pod| waits_for_aircraft(pod))
                    .count();
                seen.most_waiting.fetch_max(waiting, Ordering::Relaxed);
                seen.samples.fetch_add(1, Ordering::Relaxed);
            }
            if let Ok(list) = tasks.list(&params).await {
                let status = |task: &FlightTask| task.status.clone().unwrap_or_default();
                let queued = list.items.iter().any(|task| {
                    conditions::find(&status(task).conditions, types::POD_CREATED)
                        .is_some_and(|c| c.status == "Unknown" && c.reason == reasons::QUEUED)
                });
                if queued {
                    seen.queued_seen.store(true, Ordering::Relaxed);
                }
                let succeeded = (list.items.iter())
                    .filter(|task| status(task).phase == Some(FlightTaskPhase::Succeeded))
                    .count();
                seen.succeeded.store(succeeded, Ordering::Relaxed);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
}

#[tokio::test]
async fn no_more_pods_wait_for_aircraft_than_the_operator_allows_and_queued_tasks_survive_a_sigkill()
 {
    support::with_namespace("run-window", |client, ns| async move {
        support::ensure_crds(&client).await;
        let kind = support::tag("win", &ns);
        let fleet = client.clone();
        support::with_squadron(&fleet, &kind.clone(), 2, move |_| async move {
            let config = std::env::temp_dir().join(format!("{ns}-operator.yaml"));
            std::fs::write(&config, format!("maxWaitingPods: {MAX_WAITING}\n"))
                .expect("the config");
            let flags = ["--config", config.to_str().expect("a UTF-8 path")];
            let mut operator = Operator::start_with(&ns, &flags);
            support::submit_yaml(
                &ns,
                &format!(
                    r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {{name: strike}}
spec:
  stages:
  - name: wave
    type: parallel
    flightTasks:
    - name: sortie
      replicas: {TASKS}
      aircraftRequirement: {{type: {kind}}}
      podTemplate:
        metadata:
          annotations: {{sim.airforce.mil/duration: 1s}}
"#
                ),
            );
            let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
            let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
            let (seen, done) = (
                Arc::new(Sampled::default()),
                Arc::new(AtomicBool::new(false)),
            );
            sample(pods.clone(), tasks.clone(), seen.clone(), done.clone());

            let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
            while seen.succeeded.load(Ordering::Relaxed) < 3 {
                assert!(
                    tokio::time::Instant::now() < deadline,
                    "3 tasks did not succeed within 120 s"
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            operator.kill();
            tokio::time::sleep(Duration::from_secs(2)).await;
            let _operator = Operator::start_with(&ns, &flags);

            let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
            let mission =
                support::finished_mission(&missions, "strike", Duration::from_secs(300)).await;
            done.store(true, Ordering::Relaxed);
            let status = mission.status.expect("a status");
            assert_eq!(
                status.phase,
                Some(MissionPhase::Succeeded),
                "{:?}",
                status.message
            );
            assert_eq!(status.statistics.succeeded_tasks, TASKS as i32);
            let params = ListParams::default().labels(&format!("{MISSION_LABEL}=strike"));
            let made = pods.list(&params).await.expect("the pods list").items;
            assert_eq!(made.len(), TASKS, "one pod per task: none made twice");

            let most = seen.most_waiting.load(Ordering::Relaxed);
            let samples = seen.samples.load(Ordering::Relaxed);
            println!(
                "{TASKS} tasks succeeded; at most {most} pods waited at once over {samples} samples"
            );
            assert!(samples > 20, "sampled through the run: {samples}");
            assert!(
                most <= MAX_WAITING,
                "{most} pods waited for an aircraft at once"
            );
            assert!(
                seen.queued_seen.load(Ordering::Relaxed),
                "a task held back says it is queued"
            );
        })
        .await;
    })
    .await;
}
