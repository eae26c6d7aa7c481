//! `kubectl airforce run` against the local cluster: the far-sea example runs to
//! completion in dependency order, and deleting a mission removes everything it
//! created. Each test starts its own `run`, restricted to the test's namespace.

mod support;

use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::jiff::Timestamp;
use kube::Api;
use kube::api::{DeleteParams, ListParams};
use kubectl_airforce::api::{FlightTask, Mission, MissionPhase, MissionStage};
use support::Operator;

fn timestamp(time: Option<&k8s_openapi::apimachinery::pkg::apis::meta::v1::Time>) -> Timestamp {
    time.expect("a time is recorded").0
}

#[tokio::test]
async fn the_far_sea_strike_runs_its_stages_in_dependency_order_and_succeeds() {
    support::with_namespace("run-far-sea", |client, ns| async move {
        support::ensure_crds(&client).await;
        let _operator = Operator::start(&ns);
        support::submit(&ns, &["examples/far-sea-strike.yaml"]);

        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        let mission = support::wait_for(
            &missions,
            "far-sea-strike",
            Duration::from_secs(180),
            "finished",
            support::mission_finished,
        )
        .await;
        let status = mission.status.expect("status");
        assert_eq!(status.phase, Some(MissionPhase::Succeeded), "{status:#?}");
        assert_eq!(
            status.statistics.succeeded_tasks, 9,
            "{:#?}",
            status.statistics
        );
        assert_eq!(status.statistics.total_flight_tasks, 9);
        assert!(
            timestamp(status.start_time.as_ref()) <= timestamp(status.completion_time.as_ref())
        );

        let stage = |name: &str| {
            status
                .stages_summary
                .iter()
                .find(|s| s.name == name)
                .expect("a stage summary")
                .clone()
        };
        let (air, strike, egress) = (stage("air-superiority"), stage("strike"), stage("egress"));
        assert!(timestamp(strike.start_time.as_ref()) >= timestamp(air.completion_time.as_ref()));
        assert!(
            timestamp(egress.start_time.as_ref()) >= timestamp(strike.completion_time.as_ref())
        );

        let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
        let stage_pods = |stage: &'static str| {
            let pods = pods.clone();
            async move {
                let selector =
                    format!("airforce.mil/mission=far-sea-strike,airforce.mil/stage={stage}");
                pods.list(&ListParams::default().labels(&selector))
                    .await
                    .expect("pods")
                    .items
            }
        };
        let mut sequential: Vec<(Timestamp, Timestamp)> = stage_pods("strike")
            .await
            .iter()
            .map(|pod| (started(pod), finished_at(pod)))
            .collect();
        sequential.sort();
        assert_eq!(sequential.len(), 3, "one pod per strike task");
        for pair in sequential.windows(2) {
            assert!(
                pair[1].0 >= pair[0].1,
                "sequential strike pods overlap: {pair:?}"
            );
        }

        let created: Vec<Timestamp> = stage_pods("air-superiority")
            .await
            .iter()
            .map(|pod| pod.metadata.creation_timestamp.clone().expect("created").0)
            .collect();
        assert_eq!(created.len(), 3);
        let spread = created
            .iter()
            .max()
            .unwrap()
            .duration_since(*created.iter().min().unwrap());
        assert!(
            spread.as_secs() <= 2,
            "parallel pods were created {spread:?} apart"
        );
    })
    .await;
}

fn started(pod: &Pod) -> Timestamp {
    timestamp(pod.status.as_ref().and_then(|s| s.start_time.as_ref()))
}

fn finished_at(pod: &Pod) -> Timestamp {
    let terminated = pod
        .status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .and_then(|c| c.first())
        .and_then(|c| c.state.as_ref())
        .and_then(|s| s.terminated.as_ref())
        .and_then(|t| t.finished_at.as_ref());
    timestamp(terminated)
}

#[tokio::test]
async fn deleting_a_mission_removes_its_stages_tasks_and_pods() {
    support::with_namespace("run-delete", |client, ns| async move {
        support::ensure_crds(&client).await;
        let _operator = Operator::start(&ns);
        support::submit(&ns, &["examples/far-sea-strike.yaml"]);

        let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
        support::wait_for_pods(
            &pods,
            "airforce.mil/mission=far-sea-strike",
            Duration::from_secs(60),
            "no task pod was created",
        )
        .await;

        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        missions
            .delete("far-sea-strike", &DeleteParams::foreground())
            .await
            .expect("mission deleted");
        support::wait_deleted(&missions, "far-sea-strike", Duration::from_secs(60)).await;
        let everything = ListParams::default().labels("airforce.mil/mission=far-sea-strike");
        let stages: Api<MissionStage> = Api::namespaced(client.clone(), &ns);
        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            let left = (
                stages.list(&everything).await.expect("stages").items.len(),
                tasks.list(&everything).await.expect("tasks").items.len(),
                pods.list(&everything).await.expect("pods").items.len(),
            );
            if left == (0, 0, 0) {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "left behind (stages, tasks, pods): {left:?}"
            );
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    })
    .await;
}
