//! `mission suspend` and `mission resume` on the local cluster with `run`
//! going: while a mission is suspended no new task pod is created (running
//! ones finish, or with `--now` are stopped and run again on resume without
//! spending a retry), resuming completes it, and every request, made while
//! `run` is killed, is acted on once when it comes back.

mod support;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::{Event, Pod};
use kube::api::ListParams;
use kube::{Api, ResourceExt};
use kubectl_airforce::api::conditions::{self, reasons, types};
use kubectl_airforce::api::keys;
use kubectl_airforce::api::{FlightTask, FlightTaskPhase, Mission, MissionPhase};
use support::Operator;

const TIMEOUT: Duration = Duration::from_secs(180);

/// Six escorts, two at a time, in a parallel stage; then the way home.
const MISSION: &str = r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {name: convoy}
spec:
  stages:
  - name: escort
    type: parallel
    flightTasks:
    - name: patrol
      replicas: 6
      parallelism: 2
      aircraftRequirement: {type: j20}
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: 6s}
  - name: home
    dependsOn: [escort]
    flightTasks:
    - name: land
      aircraftRequirement: {type: j20}
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: 1s}
"#;

async fn pod_names(pods: &Api<Pod>) -> BTreeSet<String> {
    let selector = format!("{}=convoy", keys::MISSION_LABEL);
    let listed = (pods.list(&ListParams::default().labels(&selector)).await).expect("pods");
    listed.items.iter().map(|pod| pod.name_any()).collect()
}

fn suspended(mission: Option<&Mission>) -> bool {
    (mission.and_then(|m| m.status.as_ref()))
        .is_some_and(|status| conditions::is_true(&status.conditions, types::SUSPENDED))
}

#[tokio::test]
async fn a_suspended_mission_starts_no_pod_until_resumed_and_both_survive_a_killed_run() {
    support::with_namespace("suspend", |client, ns| async move {
        support::ensure_crds(&client).await;
        let mut operator = Operator::start(&ns);
        support::submit_yaml(&ns, MISSION);
        let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
        let deadline = Instant::now() + TIMEOUT;
        while pod_names(&pods).await.len() < 2 {
            assert!(
                Instant::now() < deadline,
                "the first two escorts never started"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }

        operator.kill();
        let said = support::airforce_ok(&["-n", &ns, "mission", "suspend", "convoy"]);
        assert_eq!(said.trim(), "mission.airforce.mil/convoy suspended");
        let started = pod_names(&pods).await;
        let mut operator = Operator::start(&ns);
        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        support::wait_for(&missions, "convoy", TIMEOUT, "Suspended", suspended).await;
        let listed = support::airforce_ok(&["-n", &ns, "mission", "list"]);
        assert!(listed.contains("resume"), "{listed}");
        let tree = support::airforce_ok(&["-n", &ns, "watch", "convoy", "--no-follow"]);
        assert!(tree.contains("suspended: "), "{tree}");

        // Watched for 20 s: the escorts in the air finish, none takes off.
        let until = Instant::now() + Duration::from_secs(20);
        while Instant::now() < until {
            let now = pod_names(&pods).await;
            assert!(
                now.is_subset(&started),
                "a pod was created while suspended: {:?}",
                now.difference(&started).collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        let mission = missions.get("convoy").await.expect("mission");
        let status = mission.status.expect("status");
        assert_eq!(status.phase, Some(MissionPhase::Running), "{status:#?}");
        assert!(
            (status.message.as_deref()).is_some_and(|m| m.starts_with("suspended: ")),
            "{status:#?}"
        );

        operator.kill();
        let said = support::airforce_ok(&["-n", &ns, "mission", "resume", "convoy"]);
        assert_eq!(said.trim(), "mission.airforce.mil/convoy resumed");
        let _operator = Operator::start(&ns);
        let status =
            support::mission_ended(&missions, "convoy", MissionPhase::Succeeded, TIMEOUT).await;
        let condition = conditions::find(&status.conditions, types::SUSPENDED).expect("kept");
        assert_eq!(condition.status, "False");

        // Each escort flew once: one pod per replica, no retry spent.
        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
        for index in 0..6 {
            let task = tasks
                .get(&format!("convoy.escort.patrol.{index}"))
                .await
                .expect("every replica ran");
            let task_status = task.status.expect("status");
            assert_eq!(task_status.phase, Some(FlightTaskPhase::Succeeded));
            assert_eq!(task_status.retry_count, 0);
        }
        let flown: Vec<String> = pod_names(&pods).await.into_iter().collect();
        let escorts = flown
            .iter()
            .filter(|name| name.contains(".escort."))
            .count();
        assert_eq!(escorts, 6, "{flown:?}");
        let events: Api<Event> = Api::namespaced(client.clone(), &ns);
        let fields = "involvedObject.kind=Mission,involvedObject.name=convoy";
        let listed = (events.list(&ListParams::default().fields(fields)).await).expect("events");
        let told = |reason: &str| {
            (listed.items.iter())
                .filter(|e| e.reason.as_deref() == Some(reason))
                .map(|e| e.count.unwrap_or(1))
                .sum::<i32>()
        };
        assert_eq!(told(reasons::SUSPENDED), 1, "{:#?}", listed.items);
        assert_eq!(told(reasons::RESUMED), 1, "{:#?}", listed.items);
    })
    .await;
}

/// Two strikes flying together, then the way home.
const RAID: &str = r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {name: raid}
spec:
  stages:
  - name: strike
    type: parallel
    flightTasks:
    - name: left
      aircraftRequirement: {type: j20}
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: 20s}
    - name: right
      aircraftRequirement: {type: j20}
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: 20s}
  - name: home
    dependsOn: [strike]
    flightTasks:
    - name: land
      aircraftRequirement: {type: j20}
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: 1s}
"#;

#[tokio::test]
async fn suspending_now_stops_running_pods_and_resume_reruns_them_without_spending_retries() {
    support::with_namespace("suspend-now", |client, ns| async move {
        support::ensure_crds(&client).await;
        let mut operator = Operator::start(&ns);
        support::submit_yaml(&ns, RAID);
        let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
        for pod in ["raid.strike.left-1", "raid.strike.right-1"] {
            support::wait_for(&pods, pod, TIMEOUT, "Running", support::pod_running).await;
        }

        operator.kill();
        let said = support::airforce_ok(&["-n", &ns, "mission", "suspend", "raid", "--now"]);
        assert_eq!(
            said.trim(),
            "mission.airforce.mil/raid suspended, its running flight tasks stopped"
        );
        let mut operator = Operator::start(&ns);
        for pod in ["raid.strike.left-1", "raid.strike.right-1"] {
            support::wait_stopped(&pods, pod, TIMEOUT).await;
        }
        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
        for task in ["raid.strike.left", "raid.strike.right"] {
            let status = tasks
                .get(task)
                .await
                .expect("the task stays")
                .status
                .expect("status");
            assert_eq!(status.phase, Some(FlightTaskPhase::Pending), "{status:#?}");
            assert!(
                (status.message.as_deref()).is_some_and(|m| m.starts_with("suspended: ")),
                "{status:#?}"
            );
        }
        // Held: no pod comes back while suspended.
        let until = Instant::now() + Duration::from_secs(10);
        while Instant::now() < until {
            let selector = format!("{}=raid", keys::MISSION_LABEL);
            let listed = (pods.list(&ListParams::default().labels(&selector)).await).expect("pods");
            // The stopped pods stay, ended, with their logs.
            let alive: Vec<String> = (listed.items.iter())
                .filter(|pod| pod.metadata.deletion_timestamp.is_none())
                .filter(|pod| {
                    let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref());
                    !matches!(phase, Some("Succeeded" | "Failed"))
                })
                .map(|pod| pod.name_any())
                .collect();
            assert!(alive.is_empty(), "pods while suspended: {alive:?}");
            tokio::time::sleep(Duration::from_millis(500)).await;
        }

        operator.kill();
        support::airforce_ok(&["-n", &ns, "mission", "resume", "raid"]);
        let _operator = Operator::start(&ns);
        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        support::mission_ended(&missions, "raid", MissionPhase::Succeeded, TIMEOUT).await;
        for task in ["raid.strike.left", "raid.strike.right"] {
            let status = tasks.get(task).await.expect("task").status.expect("status");
            assert_eq!(status.phase, Some(FlightTaskPhase::Succeeded));
            assert_eq!(status.retry_count, 0, "a suspension spends no retry");
            assert!(status.failures.is_empty(), "{:#?}", status.failures);
            let pod = status.pod_ref.expect("a pod").name;
            assert_eq!(pod, format!("{task}-2"), "re-run once, as the next attempt");
            assert!(
                pods.get_opt(&format!("{task}-3"))
                    .await
                    .expect("read")
                    .is_none()
            );
        }
    })
    .await;
}
