//! `mission retry` on the local cluster with `run` going: a mission that
//! failed because a weapon was missing runs again once the weapon exists;
//! the task that succeeded is kept (same object, same pod), the failed one
//! runs anew, the stage the failure blocked starts, and the mission succeeds.

mod support;

use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::{Api, ResourceExt};
use kubectl_airforce::api::{FlightTask, FlightTaskPhase, Mission, MissionPhase, MissionStage};
use kubectl_airforce::controller::names::RETRY_ANNOTATION;
use support::Operator;

const TIMEOUT: Duration = Duration::from_secs(90);

const MISSION: &str = r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {name: sortie}
spec:
  config:
    failurePolicy: {maxRetries: 0, stageFailureAction: abort}
  stages:
  - name: strike
    type: parallel
    flightTasks:
    - name: scout
      aircraftRequirement: {type: j20}
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: 1s}
    - name: striker
      aircraftRequirement: {type: j20}
      weaponLoadout:
      - weaponRef: {name: pl-15}
        quantity: 2
        mountPoints: [internal-bay-1, internal-bay-2]
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: 1s}
  - name: egress
    dependsOn: [strike]
    flightTasks:
    - name: home
      aircraftRequirement: {type: j20}
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: 1s}
"#;

fn phase_is(wanted: MissionPhase) -> impl Fn(Option<&Mission>) -> bool {
    move |m| m.and_then(|m| m.status.as_ref()).and_then(|s| s.phase) == Some(wanted)
}

fn uid<K: kube::Resource>(object: &K) -> String {
    object
        .meta()
        .uid
        .clone()
        .expect("a stored object has a uid")
}

#[tokio::test]
async fn a_retried_mission_reruns_only_its_failed_task_and_then_succeeds() {
    support::with_namespace("retry", |client, ns| async move {
        support::ensure_crds(&client).await;
        let _operator = Operator::start(&ns);
        // No weapons yet: the striker fails with WeaponNotFound.
        let path = std::env::temp_dir().join(format!("{ns}-sortie.yaml"));
        std::fs::write(&path, MISSION).expect("the mission file is written");
        let file = path.to_str().expect("a UTF-8 temp path");
        let submitted = support::airforce(&[
            "-n", &ns, "mission", "submit", "--validate", "ignore", "-f", file,
        ]);
        assert!(submitted.status.success(), "{}", support::text(&submitted.stderr));
        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        support::wait_for(&missions, "sortie", TIMEOUT, "Failed", phase_is(MissionPhase::Failed))
            .await;

        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
        let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
        let scout = support::wait_for(&tasks, "sortie-strike-scout", TIMEOUT, "Succeeded", |t: Option<&FlightTask>| {
            t.and_then(|t| t.status.as_ref()).and_then(|s| s.phase)
                == Some(FlightTaskPhase::Succeeded)
        })
        .await;
        let scout_pod = pods.get("sortie-strike-scout-1").await.expect("the scout's pod");
        let striker = tasks.get("sortie-strike-striker").await.expect("the striker");
        let stages: Api<MissionStage> = Api::namespaced(client.clone(), &ns);
        assert!(
            stages.get_opt("sortie-egress").await.expect("read").is_none(),
            "abort kept egress from starting"
        );

        let early = support::airforce(&["-n", &ns, "mission", "retry", "sortie", "nope"]);
        assert!(!early.status.success());
        let stderr = support::text(&early.stderr);
        assert!(stderr.contains("mission nope not found"), "{stderr}");
        let untouched = missions.get("sortie").await.expect("mission");
        assert!(
            !untouched.annotations().contains_key(RETRY_ANNOTATION),
            "one unknown name retries none of the others"
        );

        support::submit(&ns, &[]);
        let retried = support::airforce(&["-n", &ns, "mission", "retry", "sortie"]);
        let stdout = support::text(&retried.stdout);
        assert!(retried.status.success(), "{stdout}{}", support::text(&retried.stderr));
        assert!(
            stdout.contains(
                "mission.airforce.mil/sortie retry requested: stage strike runs its failed flight tasks again"
            ),
            "{stdout}"
        );

        // Right after the request the mission still reads Failed: watch
        // follows it into the retry instead of exiting on the old failure.
        let watched = support::airforce(&["-n", &ns, "watch", "sortie"]);
        let tree = support::text(&watched.stdout);
        assert!(watched.status.success(), "{tree}{}", support::text(&watched.stderr));
        assert!(tree.contains("Succeeded"), "{tree}");

        let done = support::wait_for(
            &missions,
            "sortie",
            TIMEOUT,
            "Succeeded",
            phase_is(MissionPhase::Succeeded),
        )
        .await;
        let status = done.status.clone().expect("status");
        assert_eq!(
            status.last_handled_retry.as_deref(),
            done.annotations().get(RETRY_ANNOTATION).map(String::as_str)
        );
        assert_eq!(status.retry_count, 0);
        assert_eq!(status.statistics.succeeded_tasks, 3);
        let scout_now = tasks.get("sortie-strike-scout").await.expect("the scout");
        assert_eq!(uid(&scout_now), uid(&scout), "the task that succeeded is kept");
        let scout_pod_now = pods.get("sortie-strike-scout-1").await.expect("its pod");
        assert_eq!(uid(&scout_pod_now), uid(&scout_pod), "and is not flown again");
        let striker_now = tasks.get("sortie-strike-striker").await.expect("the striker");
        assert_ne!(uid(&striker_now), uid(&striker), "the failed task runs anew");
        assert_eq!(striker_now.status.expect("status").retry_count, 0);
        let egress = stages.get("sortie-egress").await.expect("egress started");
        assert_eq!(
            egress.status.and_then(|s| s.phase),
            Some(kubectl_airforce::api::StagePhase::Succeeded)
        );

        let again = support::airforce(&["-n", &ns, "mission", "retry", "sortie"]);
        assert!(!again.status.success());
        let stderr = support::text(&again.stderr);
        assert!(stderr.contains("succeeded: there is nothing to retry"), "{stderr}");
        let _ = std::fs::remove_file(&path);
    })
    .await;
}
