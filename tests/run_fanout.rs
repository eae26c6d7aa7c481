//! A flight task with `replicas` against the local cluster: 200 replicas with
//! a parallelism of 20 all succeed, never more than 20 unfinished at once
//! (sampled through the run), counted in one summary of the stage, and a
//! SIGKILL of `run` in the middle makes no replica, and no pod, twice.

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use kube::api::ListParams;
use kubectl_airforce::api::keys::{MISSION_LABEL, REPLICA_INDEX_LABEL};
use kubectl_airforce::api::{FlightTask, FlightTaskPhase, Mission, MissionPhase, MissionStage};
use support::Operator;

const REPLICAS: usize = 200;
const PARALLELISM: usize = 20;

/// The most unfinished replicas seen at once, and how many have succeeded.
#[derive(Default)]
struct Sampled {
    most_unfinished: AtomicUsize,
    succeeded: AtomicUsize,
    samples: AtomicUsize,
}

/// Lists the mission's FlightTasks every 100 ms until `done`.
fn sample(tasks: Api<FlightTask>, seen: Arc<Sampled>, done: Arc<AtomicBool>) {
    tokio::spawn(async move {
        let params = ListParams::default().labels(&format!("{MISSION_LABEL}=sweep"));
        while !done.load(Ordering::Relaxed) {
            if let Ok(list) = tasks.list(&params).await {
                let phase = |task: &FlightTask| task.status.as_ref().and_then(|s| s.phase);
                let finished = |task: &&FlightTask| phase(task).is_some_and(|p| p.is_finished());
                let unfinished = list.items.len() - list.items.iter().filter(finished).count();
                let succeeded = (list.items.iter())
                    .filter(|task| phase(task) == Some(FlightTaskPhase::Succeeded))
                    .count();
                seen.most_unfinished
                    .fetch_max(unfinished, Ordering::Relaxed);
                seen.succeeded.store(succeeded, Ordering::Relaxed);
                seen.samples.fetch_add(1, Ordering::Relaxed);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
}

#[tokio::test]
async fn two_hundred_replicas_run_twenty_at_a_time_and_a_sigkill_makes_none_twice() {
    support::with_namespace("run-fanout", |client, ns| async move {
        support::ensure_crds(&client).await;
        let kind = support::tag("fan", &ns);
        let fleet = client.clone();
        support::with_squadron(&fleet, &kind.clone(), 25, move |_| async move {
            let mut operator = Operator::start(&ns);
            support::submit_yaml(
                &ns,
                &format!(
                    r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {{name: sweep}}
spec:
  stages:
  - name: search
    type: parallel
    flightTasks:
    - name: sector
      replicas: {REPLICAS}
      parallelism: {PARALLELISM}
      aircraftRequirement: {{type: {kind}}}
      podTemplate:
        metadata:
          annotations: {{sim.airforce.mil/duration: 1s}}
"#
                ),
            );
            let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
            let (seen, done) = (Arc::new(Sampled::default()), Arc::new(AtomicBool::new(false)));
            sample(tasks.clone(), seen.clone(), done.clone());

            let deadline = tokio::time::Instant::now() + Duration::from_secs(240);
            while seen.succeeded.load(Ordering::Relaxed) < 60 {
                assert!(
                    tokio::time::Instant::now() < deadline,
                    "60 replicas did not succeed within 240 s"
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            operator.kill();
            let at_kill = seen.succeeded.load(Ordering::Relaxed);
            tokio::time::sleep(Duration::from_secs(2)).await;
            let _operator = Operator::start(&ns);

            let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
            let mission = support::finished_mission(&missions, "sweep", Duration::from_secs(400)).await;
            done.store(true, Ordering::Relaxed);
            let status = mission.status.expect("a status");
            assert_eq!(status.phase, Some(MissionPhase::Succeeded), "{:?}", status.message);
            assert_eq!(status.task_progress.as_deref(), Some("200/200"));
            assert_eq!(status.statistics.succeeded_tasks, 200);
            let stages: Api<MissionStage> = Api::namespaced(client.clone(), &ns);
            let stage = stages.get("sweep.search").await.expect("the stage");
            let summaries = stage.status.expect("a status").flight_tasks_status;
            assert_eq!(summaries.len(), 1, "the replicas fold into one summary");
            let counts = summaries[0].replicas.clone().expect("replica counts");
            assert_eq!((counts.total, counts.succeeded), (200, 200));

            let params = ListParams::default().labels(&format!("{MISSION_LABEL}=sweep"));
            let all = tasks.list(&params).await.expect("the tasks list").items;
            let mut by_index: BTreeMap<u32, usize> = BTreeMap::new();
            for task in &all {
                let labels = task.metadata.labels.clone().unwrap_or_default();
                let index: u32 = labels[REPLICA_INDEX_LABEL].parse().expect("an index");
                *by_index.entry(index).or_default() += 1;
                let phase = task.status.as_ref().and_then(|s| s.phase);
                assert_eq!(phase, Some(FlightTaskPhase::Succeeded), "{:?}", task.metadata.name);
            }
            assert_eq!(all.len(), REPLICAS, "one FlightTask per replica");
            assert_eq!(by_index.len(), REPLICAS);
            assert!(by_index.values().all(|count| *count == 1));
            let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
            let pods = pods.list(&params).await.expect("the pods list").items;
            assert_eq!(pods.len(), REPLICAS, "one pod per replica: none made twice");

            let most = seen.most_unfinished.load(Ordering::Relaxed);
            let samples = seen.samples.load(Ordering::Relaxed);
            println!(
                "{REPLICAS} replicas succeeded; {at_kill} had when run was killed; at most {most} unfinished at once over {samples} samples"
            );
            assert!(samples > 50, "sampled through the run: {samples}");
            assert!(most <= PARALLELISM, "{most} replicas unfinished at once");
            assert_eq!(most, PARALLELISM, "the parallelism was used");
        })
        .await;
    })
    .await;
}
