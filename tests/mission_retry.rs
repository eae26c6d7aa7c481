//! Retries of failed missions on the local cluster with `run` going. `mission
//! retry`: a mission that failed because a weapon was missing runs again once
//! the weapon exists; the task that succeeded is kept (same object, same pod),
//! the failed one runs again in place, the stage the failure blocked starts,
//! and the mission succeeds; a request made while the operator is down is
//! acted on once it is back. `maxRetries`: a mission retries by itself after
//! its backoff, again keeping what succeeded.

mod support;

use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::{Api, ResourceExt};
use kubectl_airforce::api::keys::RETRY_REQUEST_ANNOTATION;
use kubectl_airforce::api::{FlightTask, FlightTaskPhase, Mission, MissionPhase, MissionStage};
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
        failed_sortie(&client, &ns).await;
        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);

        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
        let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
        let scout = support::wait_for(&tasks, "sortie.strike.scout", TIMEOUT, "Succeeded", |t: Option<&FlightTask>| {
            t.and_then(|t| t.status.as_ref()).and_then(|s| s.phase)
                == Some(FlightTaskPhase::Succeeded)
        })
        .await;
        let scout_pod = pods.get("sortie.strike.scout-1").await.expect("the scout's pod");
        let striker = tasks.get("sortie.strike.striker").await.expect("the striker");
        let stages: Api<MissionStage> = Api::namespaced(client.clone(), &ns);
        assert!(
            stages.get_opt("sortie.egress").await.expect("read").is_none(),
            "abort kept egress from starting"
        );

        let early = support::airforce(&["-n", &ns, "mission", "retry", "sortie", "nope"]);
        assert!(!early.status.success());
        let stderr = support::text(&early.stderr);
        assert!(stderr.contains("mission nope not found"), "{stderr}");
        let untouched = missions.get("sortie").await.expect("mission");
        assert!(
            !untouched.annotations().contains_key(RETRY_REQUEST_ANNOTATION),
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
            done.annotations().get(RETRY_REQUEST_ANNOTATION).map(String::as_str)
        );
        assert_eq!(status.retry_count, 0);
        assert_eq!(status.statistics.succeeded_tasks, 3);
        let scout_now = tasks.get("sortie.strike.scout").await.expect("the scout");
        assert_eq!(uid(&scout_now), uid(&scout), "the task that succeeded is kept");
        let scout_pod_now = pods.get("sortie.strike.scout-1").await.expect("its pod");
        assert_eq!(uid(&scout_pod_now), uid(&scout_pod), "and is not flown again");
        let striker_now = tasks.get("sortie.strike.striker").await.expect("the striker");
        assert_eq!(uid(&striker_now), uid(&striker), "the failed task runs again in place");
        let striker_status = striker_now.status.expect("status");
        assert_eq!(striker_status.retry_count, 0);
        assert_eq!(striker_status.phase, Some(FlightTaskPhase::Succeeded));
        assert_eq!(striker_status.last_handled_retry, status.last_handled_retry);
        let egress = stages.get("sortie.egress").await.expect("egress started");
        assert_eq!(
            egress.status.and_then(|s| s.phase),
            Some(kubectl_airforce::api::StagePhase::Succeeded)
        );

        let again = support::airforce(&["-n", &ns, "mission", "retry", "sortie"]);
        assert!(!again.status.success());
        let stderr = support::text(&again.stderr);
        assert!(stderr.contains("succeeded: there is nothing to retry"), "{stderr}");
    })
    .await;
}

/// Submits the sortie without its weapons and waits until the operator has
/// failed it: the striker fails with WeaponNotFound.
async fn failed_sortie(client: &kube::Client, ns: &str) {
    let path = std::env::temp_dir().join(format!("{ns}-sortie.yaml"));
    std::fs::write(&path, MISSION).expect("the mission file is written");
    let file = path.to_str().expect("a UTF-8 temp path");
    let submitted = support::airforce(&[
        "-n",
        ns,
        "mission",
        "submit",
        "--validate",
        "ignore",
        "-f",
        file,
    ]);
    assert!(
        submitted.status.success(),
        "{}",
        support::text(&submitted.stderr)
    );
    let _ = std::fs::remove_file(&path);
    let missions: Api<Mission> = Api::namespaced(client.clone(), ns);
    support::wait_for(
        &missions,
        "sortie",
        TIMEOUT,
        "Failed",
        phase_is(MissionPhase::Failed),
    )
    .await;
}

#[tokio::test]
async fn a_retry_requested_while_the_operator_is_killed_is_acted_on_once_it_is_back() {
    support::with_namespace("retry-kill", |client, ns| async move {
        support::ensure_crds(&client).await;
        let mut operator = Operator::start(&ns);
        failed_sortie(&client, &ns).await;
        operator.kill();

        support::submit(&ns, &[]);
        let retried = support::airforce(&["-n", &ns, "mission", "retry", "sortie"]);
        assert!(
            retried.status.success(),
            "{}",
            support::text(&retried.stderr)
        );
        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        let asked = missions.get("sortie").await.expect("mission");
        let request = asked.annotations()[RETRY_REQUEST_ANNOTATION].clone();
        assert_ne!(
            asked
                .status
                .as_ref()
                .and_then(|s| s.last_handled_retry.as_deref()),
            Some(request.as_str()),
            "nobody acted on it yet"
        );

        let _back = Operator::start(&ns);
        let done = support::wait_for(
            &missions,
            "sortie",
            TIMEOUT,
            "Succeeded",
            phase_is(MissionPhase::Succeeded),
        )
        .await;
        assert_eq!(
            done.status.and_then(|s| s.last_handled_retry),
            Some(request.clone())
        );
        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
        let striker = tasks
            .get("sortie.strike.striker")
            .await
            .expect("the striker");
        let status = striker.status.expect("status");
        assert_eq!(status.last_handled_retry, Some(request));
        assert_eq!(
            status.first_attempt,
            Some(1),
            "one re-run, from the first attempt"
        );
        let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
        let striker_pods = pods
            .list(&kube::api::ListParams::default().labels("airforce.mil/task=striker"))
            .await
            .expect("pods")
            .items;
        let names: Vec<String> = striker_pods.iter().map(|p| p.name_any()).collect();
        assert_eq!(names, ["sortie.strike.striker-1"], "flown exactly once");
    })
    .await;
}

#[tokio::test]
async fn a_mission_with_max_retries_reruns_only_its_failed_task_after_the_backoff_and_succeeds() {
    support::with_namespace("auto-retry", |client, ns| async move {
        support::ensure_crds(&client).await;
        let kind = support::tag("ar", &ns);
        let fleet = client.clone();
        support::with_squadron(&fleet, &kind.clone(), 2, move |_| async move {
            let _operator = Operator::start(&ns);
            support::submit_yaml(
                &ns,
                &format!(
                    r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {{name: again}}
spec:
  config:
    failurePolicy: {{maxRetries: 1, backoff: 1s}}
  stages:
  - name: recon
    flightTasks:
    - name: look
      aircraftRequirement: {{type: {kind}}}
      podTemplate: {{metadata: {{annotations: {{sim.airforce.mil/duration: 500ms}}}}}}
  - name: strike
    dependsOn: [recon]
    flightTasks:
    - name: hit
      maxRetries: 0
      aircraftRequirement: {{type: {kind}}}
      podTemplate:
        metadata:
          annotations: {{sim.airforce.mil/exit-code: "3", sim.airforce.mil/exit-code-attempts: "1", sim.airforce.mil/duration: 300ms}}
"#
                ),
            );
            let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
            let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
            let look = support::wait_for(&tasks, "again.recon.look", TIMEOUT, "Succeeded", |t: Option<&FlightTask>| {
                t.and_then(|t| t.status.as_ref()).and_then(|s| s.phase) == Some(FlightTaskPhase::Succeeded)
            })
            .await;
            let look_pod = pods.get("again.recon.look-1").await.expect("its pod");
            let hit = support::wait_for(&tasks, "again.strike.hit", TIMEOUT, "created", |t: Option<&FlightTask>| t.is_some()).await;

            let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
            let done = support::wait_for(&missions, "again", TIMEOUT, "finished", support::mission_finished).await;
            let status = done.status.expect("status");
            println!("{:?} {:?} retryCount {}", status.phase, status.message, status.retry_count);
            assert_eq!(status.phase, Some(MissionPhase::Succeeded));
            assert_eq!(status.retry_count, 1);
            assert_eq!(status.statistics.succeeded_tasks, 2);
            let look_now = tasks.get("again.recon.look").await.expect("look");
            assert_eq!(uid(&look_now), uid(&look), "the succeeded stage's task is kept");
            let look_pod_now = pods.get("again.recon.look-1").await.expect("its pod");
            assert_eq!(uid(&look_pod_now), uid(&look_pod), "and not flown again");
            let hit_now = tasks.get("again.strike.hit").await.expect("hit");
            assert_eq!(uid(&hit_now), uid(&hit), "the failed task ran again in place");
            let hit_status = hit_now.status.expect("status");
            assert_eq!(hit_status.first_attempt, Some(2));
            assert_eq!(hit_status.failures.len(), 1, "its first attempt's failure is kept");
            assert_eq!(hit_status.last_handled_retry.as_deref(), Some("retry-1"));
        })
        .await;
    })
    .await;
}
