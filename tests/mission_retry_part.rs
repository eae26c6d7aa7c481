//! `mission retry MISSION --stage S [--task T]` on the local cluster with
//! `run` going: a failed stage's failed tasks, or one failed task of a stage
//! that still runs, run again while the rest of the mission keeps flying, and
//! a request made while `run` is killed is acted on once.

mod support;

use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use kubectl_airforce::api::{FlightTask, Mission, MissionPhase, MissionStage, StagePhase};
use support::Operator;

const TIMEOUT: Duration = Duration::from_secs(120);

/// Two stages side by side: `strike`, whose one task fails its first attempt
/// with no retries, and `orbit`, which flies long enough to retry the strike
/// while it runs.
const MISSION: &str = r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {name: patrol}
spec:
  stages:
  - name: strike
    flightTasks:
    - name: hit
      aircraftRequirement: {type: j20}
      maxRetries: 0
      podTemplate:
        metadata:
          annotations:
            sim.airforce.mil/duration: 1s
            sim.airforce.mil/exit-code: "3"
            sim.airforce.mil/exit-code-attempts: "1"
  - name: orbit
    flightTasks:
    - name: cap
      aircraftRequirement: {type: j20}
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: 45s}
"#;

fn stage_phase(stage: Option<&MissionStage>) -> Option<StagePhase> {
    stage.and_then(|s| s.status.as_ref()).and_then(|s| s.phase)
}

#[tokio::test]
async fn retrying_a_failed_stage_while_another_runs_reruns_only_its_failed_task_once() {
    support::with_namespace("retry-stage", |client, ns| async move {
        support::ensure_crds(&client).await;
        let mut operator = Operator::start(&ns);
        support::submit_yaml(&ns, MISSION);
        let stages: Api<MissionStage> = Api::namespaced(client.clone(), &ns);
        let failed = |s: Option<&MissionStage>| stage_phase(s) == Some(StagePhase::Failed);
        support::wait_for(&stages, "patrol.strike", TIMEOUT, "Failed", failed).await;
        let running = |s: Option<&MissionStage>| stage_phase(s) == Some(StagePhase::Running);
        support::wait_for(&stages, "patrol.orbit", TIMEOUT, "Running", running).await;

        let refused =
            support::airforce(&["-n", &ns, "mission", "retry", "patrol", "--stage", "orbit"]);
        assert!(
            !refused.status.success(),
            "a running stage has nothing to retry"
        );
        let stderr = support::text(&refused.stderr);
        assert!(stderr.contains("not Failed"), "{stderr}");

        // The request lands while no operator runs: it waits in the annotation.
        operator.kill();
        let stdout =
            support::airforce_ok(&["-n", &ns, "mission", "retry", "patrol", "--stage", "strike"]);
        assert!(
            stdout.contains("missionstage.airforce.mil/patrol.strike retry requested"),
            "{stdout}"
        );
        let _operator = Operator::start(&ns);

        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        let mission = support::finished_mission(&missions, "patrol", TIMEOUT).await;
        let phase = mission.status.as_ref().and_then(|s| s.phase);
        assert_eq!(
            phase,
            Some(MissionPhase::Succeeded),
            "{:#?}",
            mission.status
        );

        // Acted on once: one new attempt of the failed task, nothing else
        // run again, and the request recorded as handled.
        let strike = stages.get("patrol.strike").await.expect("strike");
        let request = kubectl_airforce::controller::retry::request(&strike).map(str::to_string);
        let status = strike.status.expect("status");
        assert_eq!(status.phase, Some(StagePhase::Succeeded));
        assert_eq!(status.last_handled_retry, request);
        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
        let hit = tasks.get("patrol.strike.hit").await.expect("hit");
        let hit_status = hit.status.expect("status");
        assert_eq!(hit_status.failures.len(), 1, "{:#?}", hit_status.failures);
        assert_eq!(
            hit_status.pod_ref.map(|p| p.name).as_deref(),
            Some("patrol.strike.hit-2")
        );
        let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
        assert!(
            pods.get_opt("patrol.strike.hit-3")
                .await
                .expect("read")
                .is_none()
        );
        let cap = tasks.get("patrol.orbit.cap").await.expect("cap");
        assert_eq!(
            cap.status.map(|s| s.retry_count),
            Some(0),
            "the orbit ran once, untouched"
        );
        assert!(
            pods.get_opt("patrol.orbit.cap-2")
                .await
                .expect("read")
                .is_none()
        );
    })
    .await;
}

/// One stage of two tasks side by side: `hit` fails its first attempt with no
/// retries while `cap` keeps the stage running.
const ONE_STAGE: &str = r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {name: patrol}
spec:
  stages:
  - name: strike
    type: parallel
    flightTasks:
    - name: hit
      aircraftRequirement: {type: j20}
      maxRetries: 0
      podTemplate:
        metadata:
          annotations:
            sim.airforce.mil/duration: 1s
            sim.airforce.mil/exit-code: "3"
            sim.airforce.mil/exit-code-attempts: "1"
    - name: cap
      aircraftRequirement: {type: j20}
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: 40s}
"#;

#[tokio::test]
async fn retrying_one_failed_task_of_a_running_stage_while_run_is_killed_reruns_it_once() {
    support::with_namespace("retry-task", |client, ns| async move {
        support::ensure_crds(&client).await;
        let mut operator = Operator::start(&ns);
        support::submit_yaml(&ns, ONE_STAGE);
        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
        let failed = |t: Option<&FlightTask>| {
            t.and_then(|t| t.status.as_ref()).and_then(|s| s.phase)
                == Some(kubectl_airforce::api::FlightTaskPhase::Failed)
        };
        support::wait_for(&tasks, "patrol.strike.hit", TIMEOUT, "Failed", failed).await;

        operator.kill();
        let stdout = support::airforce_ok(&[
            "-n", &ns, "mission", "retry", "patrol", "--stage", "strike", "--task", "hit",
        ]);
        assert!(
            stdout.contains("flighttask.airforce.mil/patrol.strike.hit retry requested"),
            "{stdout}"
        );
        let _operator = Operator::start(&ns);

        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        let mission = support::finished_mission(&missions, "patrol", TIMEOUT).await;
        let phase = mission.status.as_ref().and_then(|s| s.phase);
        assert_eq!(
            phase,
            Some(MissionPhase::Succeeded),
            "{:#?}",
            mission.status
        );
        let hit = tasks.get("patrol.strike.hit").await.expect("hit");
        let request = kubectl_airforce::controller::retry::request(&hit).map(str::to_string);
        let status = hit.status.expect("status");
        assert_eq!(
            status.last_handled_retry, request,
            "the request is recorded as handled"
        );
        assert_eq!(status.failures.len(), 1, "{:#?}", status.failures);
        let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
        assert!(
            pods.get_opt("patrol.strike.hit-3")
                .await
                .expect("read")
                .is_none()
        );
        assert!(
            pods.get_opt("patrol.strike.cap-2")
                .await
                .expect("read")
                .is_none()
        );
    })
    .await;
}

/// `strike` flies `look`, then `hit`, whose first attempt fails with no
/// retries; `orbit` keeps the mission running meanwhile.
const IN_ORDER: &str = r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {name: patrol}
spec:
  config:
    failurePolicy: {stageFailureAction: continue}
  stages:
  - name: strike
    type: sequential
    flightTasks:
    - name: look
      aircraftRequirement: {type: j20}
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: 2s}
    - name: hit
      aircraftRequirement: {type: j20}
      maxRetries: 0
      podTemplate:
        metadata:
          annotations:
            sim.airforce.mil/duration: 1s
            sim.airforce.mil/exit-code: "3"
            sim.airforce.mil/exit-code-attempts: "1"
  - name: orbit
    flightTasks:
    - name: cap
      aircraftRequirement: {type: j20}
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: 45s}
"#;

#[tokio::test]
async fn retrying_a_stage_with_its_succeeded_tasks_reruns_every_task_once_in_order() {
    support::with_namespace("retry-all", |client, ns| async move {
        support::ensure_crds(&client).await;
        let mut operator = Operator::start(&ns);
        support::submit_yaml(&ns, IN_ORDER);
        let stages: Api<MissionStage> = Api::namespaced(client.clone(), &ns);
        let failed = |s: Option<&MissionStage>| stage_phase(s) == Some(StagePhase::Failed);
        support::wait_for(&stages, "patrol.strike", TIMEOUT, "Failed", failed).await;

        operator.kill();
        let stdout = support::airforce_ok(&[
            "-n",
            &ns,
            "mission",
            "retry",
            "patrol",
            "--stage",
            "strike",
            "--include-succeeded",
        ]);
        assert!(
            stdout.contains("retry requested: every task runs again, in order"),
            "{stdout}"
        );
        let _operator = Operator::start(&ns);

        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        support::mission_ended(&missions, "patrol", MissionPhase::Succeeded, TIMEOUT).await;

        // Each task ran once more, as its next attempt, `hit` after `look`.
        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
        let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
        let mut reruns = Vec::new();
        for task in ["patrol.strike.look", "patrol.strike.hit"] {
            let status = tasks.get(task).await.expect("task").status.expect("status");
            let pod = status.pod_ref.expect("a pod").name;
            assert_eq!(pod, format!("{task}-2"), "{task} ran again once");
            assert!(
                pods.get_opt(&format!("{task}-3"))
                    .await
                    .expect("read")
                    .is_none()
            );
            reruns.push(pods.get(&pod).await.expect("the rerun's pod"));
        }
        let look = tasks.get("patrol.strike.look").await.expect("look");
        let look_done = look
            .status
            .and_then(|s| s.completion_time)
            .expect("finished");
        let hit_made = reruns[1].metadata.creation_timestamp.clone().expect("made");
        assert!(
            look_done.0 <= hit_made.0,
            "hit ran again before look finished"
        );
    })
    .await;
}
