//! Failing flight tasks under `run` on the local cluster: three retries with
//! growing delays, each failing aircraft tainted `task-failed`, and what abort
//! and continue do to the stages after the failure. Each test brings its own
//! kwok aircraft (a capability only they have) so its taints touch no other test.

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use k8s_openapi::api::core::v1::{Node, Pod};
use k8s_openapi::jiff::Timestamp;
use kube::Api;
use kube::api::{DeleteParams, ListParams};
use kubectl_airforce::api::{
    FlightTask, FlightTaskPhase, Mission, MissionPhase, MissionStage, StagePhase,
};
use support::Operator;

const AIRCRAFT: usize = 6;
const TIMEOUT: Duration = Duration::from_secs(120);

/// Aircraft of the test's own, with a capability only its tasks ask for.
async fn create_squadron(client: &kube::Client, tag: &str) -> Vec<String> {
    let names: Vec<String> = (1..=AIRCRAFT)
        .map(|index| format!("{tag}-{index}"))
        .collect();
    let labels: BTreeMap<String, String> = [
        ("aircraft.mil/type", "j20"),
        ("aircraft.mil/status", "ready"),
        ("aircraft.mil/fuel.level", "90"),
        ("aircraft.mil/fuel.status", "high"),
        ("aircraft.mil/hardpoint.available", "8"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .chain([(format!("aircraft.mil/capability.{tag}"), "true".to_string())])
    .collect();
    support::create_aircraft(client, &names, &labels).await;
    names
}

fn mission(tag: &str, action: &str) -> String {
    format!(
        r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {{name: sortie}}
spec:
  config: {{failurePolicy: {{maxRetries: 0, stageFailureAction: {action}}}}}
  stages:
  - name: doomed
    flightTasks:
    - name: crash
      aircraftRequirement: {{type: j20, capabilities: [{tag}]}}
      podTemplate:
        metadata:
          annotations: {{sim.airforce.mil/exit-code: "3", sim.airforce.mil/duration: 200ms}}
  - name: patrol
    flightTasks:
    - name: loiter
      aircraftRequirement: {{type: j20, capabilities: [{tag}]}}
      podTemplate:
        metadata:
          annotations: {{sim.airforce.mil/duration: 30s}}
  - name: follow-up
    dependsOn: [patrol]
    flightTasks:
    - name: rtb
      aircraftRequirement: {{type: j20, capabilities: [{tag}]}}
      podTemplate:
        metadata:
          annotations: {{sim.airforce.mil/duration: 1s}}
"#
    )
}

/// One attempt's pod as it was seen: the operator deletes a failed attempt's
/// pod when it retries, so the test records them while they exist.
#[derive(Debug, Clone)]
struct Attempt {
    name: String,
    created: Timestamp,
    finished: Option<Timestamp>,
    node: Option<String>,
}

struct Recorder {
    stop: tokio::sync::oneshot::Sender<()>,
    seen: tokio::task::JoinHandle<BTreeMap<String, Attempt>>,
}

impl Recorder {
    fn start(pods: Api<Pod>) -> Recorder {
        let (stop, mut stopped) = tokio::sync::oneshot::channel();
        let seen = tokio::spawn(async move {
            let mut seen: BTreeMap<String, Attempt> = BTreeMap::new();
            let crash = ListParams::default().labels("airforce.mil/task=crash");
            while stopped.try_recv().is_err() {
                for pod in pods.list(&crash).await.map(|l| l.items).unwrap_or_default() {
                    let Some(name) = pod.metadata.name.clone() else {
                        continue;
                    };
                    let Some(created) = pod.metadata.creation_timestamp.clone() else {
                        continue;
                    };
                    let entry = seen.entry(name.clone()).or_insert(Attempt {
                        name,
                        created: created.0,
                        finished: None,
                        node: None,
                    });
                    entry.node = pod
                        .spec
                        .as_ref()
                        .and_then(|s| s.node_name.clone())
                        .or(entry.node.take());
                    entry.finished = entry.finished.or_else(|| finished_at(&pod));
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            seen
        });
        Recorder { stop, seen }
    }

    /// The attempts in the order they were made.
    async fn stop(self) -> Vec<Attempt> {
        let _ = self.stop.send(());
        let mut attempts: Vec<Attempt> = self.seen.await.expect("recorder").into_values().collect();
        attempts.sort_by_key(|a| {
            a.name
                .rsplit('-')
                .next()
                .and_then(|n| n.parse::<u32>().ok())
        });
        attempts
    }
}

fn finished_at(pod: &Pod) -> Option<Timestamp> {
    pod.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .and_then(|c| c.first())
        .and_then(|c| c.state.as_ref())
        .and_then(|s| s.terminated.as_ref())
        .and_then(|t| t.finished_at.as_ref())
        .map(|t| t.0)
}

/// Runs the sortie under `action` and checks the failing task; returns the mission.
/// Flies the sortie on aircraft of its own, which are deleted afterwards even
/// when an assertion fails.
async fn fly(
    client: kube::Client,
    ns: String,
    action: &'static str,
) -> (Mission, Option<MissionStage>) {
    support::ensure_crds(&client).await;
    let tag = format!("sq-{}", ns.rsplit('-').next().unwrap_or("x"));
    let squadron = create_squadron(&client, &tag).await;
    let operator = Operator::start(&ns);
    let outcome = tokio::spawn(fly_on(client.clone(), ns.clone(), tag, action)).await;
    // Even after a failed assertion the mission goes while the operator still
    // runs, so its finalizer takes the taints off and nothing is left stuck.
    let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
    if missions
        .delete("sortie", &DeleteParams::foreground())
        .await
        .is_ok()
    {
        support::wait_deleted(&missions, "sortie", TIMEOUT).await;
    }
    drop(operator);
    let (mission, follow_up, failed_node) = match outcome {
        Ok(result) => result,
        Err(error) => {
            support::delete_aircraft(&client, &squadron).await;
            std::panic::resume_unwind(error.into_panic())
        }
    };
    let nodes: Api<Node> = Api::all(client.clone());
    let taints = nodes
        .get(&failed_node)
        .await
        .ok()
        .and_then(|n| n.spec)
        .and_then(|s| s.taints);
    support::delete_aircraft(&client, &squadron).await;
    assert!(
        taints
            .unwrap_or_default()
            .iter()
            .all(|t| t.key != "task-failed"),
        "deleting the mission took the taint off {failed_node}"
    );
    (mission, follow_up)
}

async fn fly_on(
    client: kube::Client,
    ns: String,
    tag: String,
    action: &str,
) -> (Mission, Option<MissionStage>, String) {
    let recorder = Recorder::start(Api::namespaced(client.clone(), &ns));
    support::submit_yaml(&ns, &mission(&tag, action));

    let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
    let task = support::wait_for(
        &tasks,
        "sortie-doomed-crash",
        TIMEOUT,
        "Failed",
        |t: Option<&FlightTask>| {
            t.and_then(|t| t.status.as_ref()).and_then(|s| s.phase) == Some(FlightTaskPhase::Failed)
        },
    )
    .await;
    assert_eq!(
        task.status.as_ref().map(|s| s.retry_count),
        Some(3),
        "three retries"
    );

    let attempts = recorder.stop().await;
    assert_eq!(attempts.len(), 4, "four attempts: {attempts:?}");
    let mut delays = Vec::new();
    for pair in attempts.windows(2) {
        let finished = pair[0]
            .finished
            .expect("each failed attempt was seen terminated");
        delays.push(pair[1].created.duration_since(finished).as_secs_f64());
    }
    // Timestamps have whole seconds, so each delay is checked to within one.
    for (retry, delay) in delays.iter().enumerate() {
        let backoff = f64::from(2u32.pow(retry as u32 + 1));
        assert!(
            *delay >= backoff - 1.0,
            "retry {} came {delay}s after the failure, backoff is {backoff}s: {delays:?}",
            retry + 1
        );
    }
    assert!(delays[2] > delays[0], "the delays grow: {delays:?}");

    let failed_node = attempts[3]
        .node
        .clone()
        .expect("the last attempt ran on a node");
    let nodes: Api<Node> = Api::all(client.clone());
    let tainted = nodes.get(&failed_node).await.expect("node");
    let taints = tainted.spec.and_then(|s| s.taints).unwrap_or_default();
    assert!(
        taints.iter().any(|t| t.key == "task-failed"
            && t.value.as_deref() == Some("sortie-doomed-crash")
            && t.effect == "NoSchedule"),
        "{failed_node} carries the taint: {taints:?}"
    );

    let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
    let mission = support::wait_for(
        &missions,
        "sortie",
        TIMEOUT,
        "finished",
        support::mission_finished,
    )
    .await;
    let stages: Api<MissionStage> = Api::namespaced(client.clone(), &ns);
    let follow_up = stages.get_opt("sortie-follow-up").await.expect("read");

    (mission, follow_up, failed_node)
}

#[tokio::test]
async fn with_abort_a_task_retried_three_times_fails_the_mission_and_later_stages_never_start() {
    support::with_namespace("run-abort", |client, ns| async move {
        let (mission, follow_up) = fly(client, ns, "abort").await;
        assert_eq!(
            mission.status.as_ref().and_then(|s| s.phase),
            Some(MissionPhase::Failed)
        );
        assert!(follow_up.is_none(), "the follow-up stage was never created");
    })
    .await;
}

#[tokio::test]
async fn with_continue_the_stages_that_do_not_depend_on_the_failure_still_run() {
    support::with_namespace("run-continue", |client, ns| async move {
        let (mission, follow_up) = fly(client, ns, "continue").await;
        let phase = mission.status.as_ref().and_then(|s| s.phase);
        assert_eq!(phase, Some(MissionPhase::Failed), "a stage failed");
        let stage_phase = follow_up.and_then(|s| s.status).and_then(|s| s.phase);
        assert_eq!(
            stage_phase,
            Some(StagePhase::Succeeded),
            "the follow-up stage ran"
        );
    })
    .await;
}
