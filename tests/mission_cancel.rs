//! `mission cancel` on the local cluster with `run` going: a running mission
//! stops, its running pods are stopped, its later stages never start; without
//! a terminal the command refuses to go ahead unless told `--yes`.

mod support;

use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use kubectl_airforce::api::conditions::{self, reasons, types};
use kubectl_airforce::api::{Mission, MissionPhase, MissionStage};
use support::Operator;

const TIMEOUT: Duration = Duration::from_secs(90);

const MISSION: &str = r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {name: patrol}
spec:
  stages:
  - name: orbit
    type: parallel
    flightTasks:
    - name: cap
      aircraftRequirement: {type: j20}
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: 300s}
  - name: return
    dependsOn: [orbit]
    flightTasks:
    - name: land
      aircraftRequirement: {type: j20}
"#;

#[tokio::test]
async fn cancelling_a_running_mission_stops_its_pods_and_starts_nothing_new() {
    support::with_namespace("cancel", |client, ns| async move {
        support::ensure_crds(&client).await;
        let _operator = Operator::start(&ns);
        support::submit_yaml(&ns, MISSION);
        let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
        let running = |pod: Option<&Pod>| {
            pod.and_then(|p| p.status.as_ref())
                .and_then(|s| s.phase.as_deref())
                == Some("Running")
        };
        support::wait_for(&pods, "patrol.orbit.cap-1", TIMEOUT, "Running", running).await;

        let refused = support::airforce(&["-n", &ns, "mission", "cancel", "patrol"]);
        assert!(!refused.status.success(), "no terminal and no --yes");
        let stderr = support::text(&refused.stderr);
        assert!(stderr.contains("--yes"), "{stderr}");
        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        let untouched = missions.get("patrol").await.expect("mission");
        assert!(
            !kubectl_airforce::controller::apply::is_cancelled(&untouched),
            "a refused cancel writes nothing"
        );

        let unknown = support::airforce(&["-n", &ns, "mission", "cancel", "patrol", "nope", "-y"]);
        assert!(!unknown.status.success());
        let stderr = support::text(&unknown.stderr);
        assert!(stderr.contains("mission nope not found"), "{stderr}");
        let untouched = missions.get("patrol").await.expect("mission");
        assert!(
            !kubectl_airforce::controller::apply::is_cancelled(&untouched),
            "one unknown name cancels none of the others"
        );

        let cancelled = support::airforce(&["-n", &ns, "mission", "cancel", "patrol", "--yes"]);
        let stdout = support::text(&cancelled.stdout);
        assert!(
            cancelled.status.success(),
            "{stdout}{}",
            support::text(&cancelled.stderr)
        );
        assert!(
            stdout.contains("mission.airforce.mil/patrol cancel requested"),
            "{stdout}"
        );

        let failed = support::wait_for(
            &missions,
            "patrol",
            TIMEOUT,
            "Cancelled",
            |m: Option<&Mission>| {
                m.and_then(|m| m.status.as_ref()).and_then(|s| s.phase)
                    == Some(MissionPhase::Cancelled)
            },
        )
        .await;
        let watched = support::airforce(&["-n", &ns, "watch", "patrol", "--no-follow"]);
        assert_eq!(
            watched.status.code(),
            Some(3),
            "a cancelled mission has its own exit code: {}",
            support::text(&watched.stdout)
        );
        assert!(
            support::text(&watched.stdout).contains("⊘ patrol  Cancelled"),
            "{}",
            support::text(&watched.stdout)
        );
        let status = failed.status.expect("status");
        assert!(
            conditions::find(&status.conditions, types::READY)
                .is_some_and(|c| c.reason == reasons::CANCELLED),
            "{:#?}",
            status.conditions
        );
        support::wait_stopped(&pods, "patrol.orbit.cap-1", Duration::from_secs(30)).await;
        let stages: Api<MissionStage> = Api::namespaced(client.clone(), &ns);
        assert!(
            stages
                .get_opt("patrol.return")
                .await
                .expect("read")
                .is_none(),
            "the stage after a cancel never starts"
        );

        let again = support::airforce(&["-n", &ns, "mission", "cancel", "patrol", "--yes"]);
        assert!(again.status.success());
        let stderr = support::text(&again.stderr);
        assert!(stderr.contains("already finished"), "{stderr}");
    })
    .await;
}
