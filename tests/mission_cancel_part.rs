//! `mission cancel MISSION --stage S [--task T]` on the local cluster with
//! `run` going: one task or one stage stops while the rest of the mission
//! flies, it counts as failed for the failure policy, and a request made
//! while `run` is killed is acted on once when it comes back.

mod support;

use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use kubectl_airforce::api::conditions::{self, reasons, types};
use kubectl_airforce::api::{
    FlightTask, FlightTaskPhase, Mission, MissionPhase, MissionStage, StagePhase,
};
use support::Operator;

const TIMEOUT: Duration = Duration::from_secs(120);

/// Two escorts in one parallel stage, then a return leg that a failed orbit
/// does not hold back (stageFailureAction: continue).
const MISSION: &str = r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {name: patrol}
spec:
  config:
    failurePolicy: {stageFailureAction: continue}
  stages:
  - name: orbit
    type: parallel
    flightTasks:
    - name: cap
      aircraftRequirement: {type: j20}
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: 300s}
    - name: cover
      aircraftRequirement: {type: j20}
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: 15s}
  - name: return
    dependsOn: [orbit]
    flightTasks:
    - name: land
      aircraftRequirement: {type: j20}
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: 1s}
"#;

fn cancelled<K>(reason_of: impl Fn(&K) -> Option<String>) -> impl Fn(Option<&K>) -> bool {
    move |object| object.and_then(&reason_of).as_deref() == Some(reasons::CANCELLED)
}

fn task_reason(task: &FlightTask) -> Option<String> {
    let status = task.status.as_ref()?;
    (status.phase == Some(FlightTaskPhase::Failed))
        .then(|| conditions::find(&status.conditions, types::READY).map(|c| c.reason.clone()))
        .flatten()
}

fn stage_reason(stage: &MissionStage) -> Option<String> {
    let status = stage.status.as_ref()?;
    (status.phase == Some(StagePhase::Failed))
        .then(|| conditions::find(&status.conditions, types::READY).map(|c| c.reason.clone()))
        .flatten()
}

#[tokio::test]
async fn cancelling_one_task_while_run_is_killed_stops_it_once_and_the_failure_policy_applies() {
    support::with_namespace("cancel-task", |client, ns| async move {
        support::ensure_crds(&client).await;
        let mut operator = Operator::start(&ns);
        support::submit_yaml(&ns, MISSION);
        let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
        support::wait_for(
            &pods,
            "patrol.orbit.cap-1",
            TIMEOUT,
            "Running",
            support::pod_running,
        )
        .await;
        support::wait_for(
            &pods,
            "patrol.orbit.cover-1",
            TIMEOUT,
            "Running",
            support::pod_running,
        )
        .await;

        // The request lands while no operator runs: it waits in the annotation.
        operator.kill();
        let stdout = support::airforce_ok(&[
            "-n", &ns, "mission", "cancel", "patrol", "--stage", "orbit", "--task", "cap", "-y",
        ]);
        assert!(
            stdout.contains("flighttask.airforce.mil/patrol.orbit.cap cancel requested"),
            "{stdout}"
        );
        let _operator = Operator::start(&ns);

        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
        let stopped = support::wait_for(
            &tasks,
            "patrol.orbit.cap",
            TIMEOUT,
            "Failed as Cancelled",
            cancelled(task_reason),
        )
        .await;
        support::wait_stopped(&pods, "patrol.orbit.cap-1", Duration::from_secs(30)).await;
        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        let mission = support::finished_mission(&missions, "patrol", TIMEOUT).await;

        // Acted on once: no retry, no second attempt, still the same ending.
        let status = stopped.status.expect("status");
        assert_eq!(status.retry_count, 0);
        assert!(status.failures.is_empty(), "{:#?}", status.failures);
        let now = tasks.get("patrol.orbit.cap").await.expect("the task stays");
        assert_eq!(task_reason(&now).as_deref(), Some(reasons::CANCELLED));
        assert!(
            pods.get_opt("patrol.orbit.cap-2")
                .await
                .expect("read")
                .is_none(),
            "a stopped task starts no new attempt"
        );
        // The failure policy: the other escort finished, the orbit failed,
        // and with `continue` the return leg still flew.
        let cover = tasks.get("patrol.orbit.cover").await.expect("cover");
        assert_eq!(
            cover.status.and_then(|s| s.phase),
            Some(FlightTaskPhase::Succeeded)
        );
        let stages: Api<MissionStage> = Api::namespaced(client.clone(), &ns);
        let orbit = stages.get("patrol.orbit").await.expect("orbit");
        assert_eq!(orbit.status.and_then(|s| s.phase), Some(StagePhase::Failed));
        let back = stages
            .get("patrol.return")
            .await
            .expect("the return leg started");
        assert_eq!(
            back.status.and_then(|s| s.phase),
            Some(StagePhase::Succeeded)
        );
        let phase = mission.status.as_ref().and_then(|s| s.phase);
        assert_eq!(phase, Some(MissionPhase::Failed), "{:#?}", mission.status);
    })
    .await;
}

#[tokio::test]
async fn cancelling_one_stage_while_run_is_killed_stops_its_tasks_and_fails_it_as_cancelled() {
    support::with_namespace("cancel-stage", |client, ns| async move {
        support::ensure_crds(&client).await;
        let mut operator = Operator::start(&ns);
        support::submit_yaml(&ns, MISSION);
        let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
        support::wait_for(
            &pods,
            "patrol.orbit.cap-1",
            TIMEOUT,
            "Running",
            support::pod_running,
        )
        .await;

        let unknown = support::airforce(&[
            "-n", &ns, "mission", "cancel", "patrol", "--stage", "return", "-y",
        ]);
        assert!(
            !unknown.status.success(),
            "a stage not started cannot be stopped"
        );
        let stderr = support::text(&unknown.stderr);
        assert!(stderr.contains("has not started"), "{stderr}");

        operator.kill();
        support::airforce_ok(&[
            "-n", &ns, "mission", "cancel", "patrol", "--stage", "orbit", "-y",
        ]);
        let _operator = Operator::start(&ns);
        let stages: Api<MissionStage> = Api::namespaced(client.clone(), &ns);
        support::wait_for(
            &stages,
            "patrol.orbit",
            TIMEOUT,
            "Failed as Cancelled",
            cancelled(stage_reason),
        )
        .await;
        support::wait_stopped(&pods, "patrol.orbit.cap-1", Duration::from_secs(30)).await;
        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
        support::wait_for(
            &tasks,
            "patrol.orbit.cap",
            TIMEOUT,
            "Failed as Cancelled",
            cancelled(task_reason),
        )
        .await;
        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        let mission = support::finished_mission(&missions, "patrol", TIMEOUT).await;
        let phase = mission.status.as_ref().and_then(|s| s.phase);
        assert_eq!(phase, Some(MissionPhase::Failed), "{:#?}", mission.status);
        // Acted on once: the stopped tasks started no new attempt.
        for pod in ["patrol.orbit.cap-2", "patrol.orbit.cover-2"] {
            assert!(pods.get_opt(pod).await.expect("read").is_none(), "{pod}");
        }
    })
    .await;
}
