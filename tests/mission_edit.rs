//! Editing a running mission on the local cluster: the API server refuses an
//! edit of a stage that has started, naming the field; a stage not started yet
//! may change, and a stage added to a running mission runs.

mod support;

use std::time::Duration;

use kube::Api;
use kubectl_airforce::api::{FlightTask, Mission, MissionPhase, MissionStage, StagePhase};
use support::Operator;

const TIMEOUT: Duration = Duration::from_secs(90);

/// The mission: `long` flies for a while, `after` waits for it; `extra`
/// stages are appended as given.
fn mission(kind: &str, long_role: &str, after_role: &str, extra: &str) -> String {
    format!(
        r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {{name: edited}}
spec:
  stages:
  - name: long
    flightTasks:
    - name: fly
      role: {long_role}
      aircraftRequirement: {{type: {kind}}}
      podTemplate: {{metadata: {{annotations: {{sim.airforce.mil/duration: 8s}}}}}}
  - name: after
    dependsOn: [long]
    flightTasks:
    - name: land
      role: {after_role}
      aircraftRequirement: {{type: {kind}}}
      podTemplate: {{metadata: {{annotations: {{sim.airforce.mil/duration: 500ms}}}}}}
{extra}"#
    )
}

fn submit(ns: &str, yaml: &str) -> std::process::Output {
    let path = std::env::temp_dir().join(format!("{ns}-edit.yaml"));
    std::fs::write(&path, yaml).expect("the mission file is written");
    let output = support::airforce(&[
        "-n",
        ns,
        "mission",
        "submit",
        "-f",
        path.to_str().expect("UTF-8"),
    ]);
    let _ = std::fs::remove_file(&path);
    output
}

#[tokio::test]
async fn an_edit_of_a_started_stage_is_refused_and_a_stage_added_to_a_running_mission_runs() {
    support::with_namespace("edit", |client, ns| async move {
        support::ensure_crds(&client).await;
        let kind = support::tag("ed", &ns);
        let fleet = client.clone();
        support::with_squadron(&fleet, &kind.clone(), 2, move |_| async move {
            let _operator = Operator::start(&ns);
            let first = submit(&ns, &mission(&kind, "scout", "return", ""));
            assert!(first.status.success(), "{}", support::text(&first.stderr));
            let stages: Api<MissionStage> = Api::namespaced(client.clone(), &ns);
            support::wait_for(&stages, "edited.long", TIMEOUT, "started", |s: Option<&MissionStage>| s.is_some()).await;

            let refused = submit(&ns, &mission(&kind, "striker", "return", ""));
            let stderr = support::text(&refused.stderr);
            println!("{stderr}");
            assert_eq!(refused.status.code(), Some(1), "{stderr}");
            assert!(stderr.contains("spec.stages: Forbidden: a stage that has started cannot change"), "{stderr}");
            assert!(stderr.contains("(started and changed: long)"), "{stderr}");
            let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
            let unchanged = missions.get("edited").await.expect("mission");
            assert_eq!(unchanged.spec.stages[0].flight_tasks[0].template.role.as_deref(), Some("scout"));

            let extra = format!(
                "  - name: extra\n    flightTasks:\n    - name: more\n      aircraftRequirement: {{type: {kind}}}\n      podTemplate: {{metadata: {{annotations: {{sim.airforce.mil/duration: 500ms}}}}}}\n"
            );
            let accepted = submit(&ns, &mission(&kind, "scout", "home", &extra));
            assert!(accepted.status.success(), "{}", support::text(&accepted.stderr));
            assert!(support::text(&accepted.stdout).contains("mission.airforce.mil/edited configured"));

            let done = support::wait_for(&missions, "edited", TIMEOUT, "finished", support::mission_finished).await;
            assert_eq!(done.status.and_then(|s| s.phase), Some(MissionPhase::Succeeded));
            let extra_stage = stages.get("edited.extra").await.expect("the added stage ran");
            assert_eq!(extra_stage.status.and_then(|s| s.phase), Some(StagePhase::Succeeded));
            let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
            let land = tasks.get("edited.after.land").await.expect("the stage that had not started");
            assert_eq!(land.spec.template.role.as_deref(), Some("home"), "its edit took effect");
        })
        .await;
    })
    .await;
}
