//! Failing flight tasks under `run` on the local cluster: retries with growing
//! delays, fault marks on at most a third of the aircraft and never left
//! behind, and what abort and continue do to the stages after a failure. Each
//! test brings aircraft of a type of its own, so its marks and the breaker's
//! count touch no other test.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use k8s_openapi::api::core::v1::{Node, Pod};
use k8s_openapi::jiff::Timestamp;
use kube::Api;
use kube::api::ListParams;
use kubectl_airforce::api::conditions::{self, types};
use kubectl_airforce::api::fault_marks::{self, MARK_TAINT};
use kubectl_airforce::api::{
    FlightTask, FlightTaskPhase, Mission, MissionPhase, MissionStage, StagePhase,
};
use support::Operator;

const TIMEOUT: Duration = Duration::from_secs(120);

/// One attempt's pod as it was seen: the operator deletes a failed attempt's
/// pod when it retries, so the test records them while they exist.
#[derive(Debug, Clone)]
struct Attempt {
    name: String,
    created: Timestamp,
    finished: Option<Timestamp>,
}

/// What the recorder saw while the task failed.
#[derive(Debug, Default)]
struct Seen {
    attempts: BTreeMap<String, Attempt>,
    /// The most aircraft of the squadron that carried a live mark at once.
    most_marked: usize,
    /// Every aircraft that carried a mark at some point.
    ever_marked: BTreeSet<String>,
}

/// Polls the task's pods and the squadron's marks every 100 ms until stopped.
struct Recorder {
    stop: tokio::sync::oneshot::Sender<()>,
    seen: tokio::task::JoinHandle<Seen>,
}

impl Recorder {
    fn start(client: kube::Client, ns: &str, task: &str, squadron: Vec<String>) -> Recorder {
        let pods: Api<Pod> = Api::namespaced(client.clone(), ns);
        let nodes: Api<Node> = Api::all(client);
        let selector = ListParams::default().labels(&format!("airforce.mil/task={task}"));
        let (stop, mut stopped) = tokio::sync::oneshot::channel();
        let seen = tokio::spawn(async move {
            let mut seen = Seen::default();
            while stopped.try_recv().is_err() {
                for pod in pods
                    .list(&selector)
                    .await
                    .map(|l| l.items)
                    .unwrap_or_default()
                {
                    let (Some(name), Some(created)) = (
                        pod.metadata.name.clone(),
                        pod.metadata.creation_timestamp.clone(),
                    ) else {
                        continue;
                    };
                    let entry = seen.attempts.entry(name.clone()).or_insert(Attempt {
                        name,
                        created: created.0,
                        finished: None,
                    });
                    entry.finished = entry.finished.or_else(|| finished_at(&pod));
                }
                let now = Timestamp::now();
                let mut marked = 0;
                for name in &squadron {
                    let Ok(node) = nodes.get(name).await else {
                        continue;
                    };
                    let annotations = node.metadata.annotations.unwrap_or_default();
                    if fault_marks::is_suspect(&annotations, now) {
                        marked += 1;
                        seen.ever_marked.insert(name.clone());
                    }
                }
                seen.most_marked = seen.most_marked.max(marked);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            seen
        });
        Recorder { stop, seen }
    }

    async fn stop(self) -> Seen {
        let _ = self.stop.send(());
        self.seen.await.expect("recorder")
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

/// The attempts in the order they were made.
fn in_order(seen: &Seen) -> Vec<Attempt> {
    let mut attempts: Vec<Attempt> = seen.attempts.values().cloned().collect();
    attempts.sort_by_key(|a| {
        a.name
            .rsplit('-')
            .next()
            .and_then(|n| n.parse::<u32>().ok())
    });
    attempts
}

async fn marks_and_taints(nodes: &Api<Node>, squadron: &[String]) -> Vec<String> {
    let mut left = Vec::new();
    for name in squadron {
        let node = nodes.get(name).await.expect("the aircraft exists");
        let marks = fault_marks::marks(&node.metadata.annotations.clone().unwrap_or_default());
        left.extend(
            marks
                .iter()
                .map(|m| format!("{name}: mark of {}", m.task_uid)),
        );
        let taints = node.spec.and_then(|s| s.taints).unwrap_or_default();
        left.extend(
            (taints.iter())
                .filter(|t| t.key == MARK_TAINT)
                .map(|_| format!("{name}: suspect taint")),
        );
    }
    left
}

#[tokio::test]
async fn a_task_that_always_fails_marks_at_most_one_of_four_aircraft_and_leaves_none() {
    support::with_namespace("run-marks", |client, ns| async move {
        support::ensure_crds(&client).await;
        let kind = support::tag("mk", &ns);
        let fleet = client.clone();
        support::with_squadron(&fleet, &kind.clone(), 4, move |squadron| async move {
            let _operator = Operator::start(&ns);
            let recorder = Recorder::start(client.clone(), &ns, "crash", squadron.clone());
            support::submit_yaml(
                &ns,
                &format!(
                    r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {{name: doomed}}
spec:
  stages:
  - name: strike
    flightTasks:
    - name: crash
      aircraftRequirement: {{type: {kind}}}
      podTemplate:
        metadata:
          annotations: {{sim.airforce.mil/exit-code: "3", sim.airforce.mil/duration: 200ms}}
"#
                ),
            );
            let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
            let task = support::wait_for(&tasks, "doomed.strike.crash", TIMEOUT, "Failed", |t: Option<&FlightTask>| {
                t.and_then(|t| t.status.as_ref()).and_then(|s| s.phase) == Some(FlightTaskPhase::Failed)
            })
            .await;
            let seen = recorder.stop().await;
            let status = task.status.clone().expect("a status");
            println!(
                "aircraft marked at most {} at a time; ever marked: {:?}; failures on {:?}",
                seen.most_marked,
                seen.ever_marked,
                status.failures.iter().map(|f| f.node.clone().unwrap_or_default()).collect::<Vec<_>>()
            );
            assert_eq!(status.retry_count, 3, "three retries");
            assert_eq!(status.failures.len(), 4, "four failed attempts recorded");
            assert_eq!(seen.most_marked, 1, "a third of four aircraft is one");
            assert!(!seen.ever_marked.is_empty(), "the first failure marked its aircraft");
            let marked = conditions::find(&status.conditions, types::AIRCRAFT_MARKED)
                .expect("the task says what became of its marks");
            assert_eq!(marked.status, "False");

            let attempts = in_order(&seen);
            assert_eq!(attempts.len(), 4, "four attempts: {attempts:?}");
            let delays: Vec<f64> = (attempts.windows(2))
                .map(|pair| {
                    let finished = pair[0].finished.expect("each failed attempt was seen terminated");
                    pair[1].created.duration_since(finished).as_secs_f64()
                })
                .collect();
            // Timestamps have whole seconds, so each delay is checked to within one.
            for (retry, delay) in delays.iter().enumerate() {
                let backoff = f64::from(2u32.pow(retry as u32 + 1));
                assert!(*delay >= backoff - 1.0, "retry {} came {delay}s after the failure, backoff is {backoff}s: {delays:?}", retry + 1);
            }

            // The task ended: nothing of it is left on any aircraft, long
            // before the marks would have expired.
            let nodes: Api<Node> = Api::all(client.clone());
            assert_eq!(marks_and_taints(&nodes, &squadron).await, Vec::<String>::new());
            let finalizers = tasks.get("doomed.strike.crash").await.expect("task").metadata.finalizers;
            assert!(finalizers.unwrap_or_default().is_empty(), "no finalizer left");

            // A second mission flies on every one of the four aircraft.
            let parallel = format!(
                r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {{name: second}}
spec:
  stages:
  - name: wave
    type: parallel
    flightTasks:
{}"#,
                (1..=4)
                    .map(|i| format!("    - name: w{i}\n      aircraftRequirement: {{type: {kind}}}\n      podTemplate: {{metadata: {{annotations: {{sim.airforce.mil/duration: 3s}}}}}}\n"))
                    .collect::<String>()
            );
            support::submit_yaml(&ns, &parallel);
            let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
            let second = support::wait_for(&missions, "second", TIMEOUT, "finished", support::mission_finished).await;
            assert_eq!(second.status.and_then(|s| s.phase), Some(MissionPhase::Succeeded));
            let mut flown: Vec<String> = Vec::new();
            for i in 1..=4 {
                let task = tasks.get(&format!("second.wave.w{i}")).await.expect("task");
                flown.extend(task.status.and_then(|s| s.scheduling_info).and_then(|i| i.assigned_node));
            }
            flown.sort();
            let mut all = squadron.clone();
            all.sort();
            println!("the second mission flew on {flown:?}");
            assert_eq!(flown, all, "every aircraft flew again");
        })
        .await;
    })
    .await;
}

/// Recon, then two strikes side by side, then the return: `strike-a` fails.
fn diamond(kind: &str, action: &str) -> String {
    let task = |name: &str, annotations: &str| {
        format!(
            "    - name: {name}\n      maxRetries: 0\n      aircraftRequirement: {{type: {kind}}}\n      podTemplate: {{metadata: {{annotations: {{{annotations}}}}}}}\n"
        )
    };
    let quick = "sim.airforce.mil/duration: 500ms";
    let failing = "sim.airforce.mil/exit-code: \"3\", sim.airforce.mil/duration: 200ms";
    let slow = "sim.airforce.mil/duration: 3s";
    format!(
        "apiVersion: airforce.mil/v1alpha1\nkind: Mission\nmetadata: {{name: diamond}}\nspec:\n  config: {{failurePolicy: {{maxRetries: 0, stageFailureAction: {action}}}}}\n  stages:\n  - name: recon\n    flightTasks:\n{}  - name: strike-a\n    dependsOn: [recon]\n    flightTasks:\n{}  - name: strike-b\n    dependsOn: [recon]\n    flightTasks:\n{}  - name: rtb\n    dependsOn: [strike-a, strike-b]\n    flightTasks:\n{}",
        task("look", quick),
        task("hit-a", failing),
        task("hit-b", slow),
        task("home", quick),
    )
}

/// Flies the diamond under `action` and returns the mission and its stages.
async fn fly_diamond(
    client: kube::Client,
    ns: String,
    action: &'static str,
) -> (Mission, BTreeMap<String, Option<StagePhase>>) {
    support::ensure_crds(&client).await;
    let kind = support::tag("dm", &ns);
    let (tx, rx) = tokio::sync::oneshot::channel();
    let fleet = client.clone();
    support::with_squadron(&fleet, &kind.clone(), 2, move |_| async move {
        let _operator = Operator::start(&ns);
        support::submit_yaml(&ns, &diamond(&kind, action));
        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        let mission = support::wait_for(
            &missions,
            "diamond",
            TIMEOUT,
            "finished",
            support::mission_finished,
        )
        .await;
        let stages: Api<MissionStage> = Api::namespaced(client.clone(), &ns);
        let mut phases = BTreeMap::new();
        for stage in ["recon", "strike-a", "strike-b", "rtb"] {
            let object = stages
                .get_opt(&format!("diamond.{stage}"))
                .await
                .expect("read");
            phases.insert(
                stage.to_string(),
                object.and_then(|s| s.status).and_then(|s| s.phase),
            );
        }
        let _ = tx.send((mission, phases));
    })
    .await;
    rx.await.expect("the flight finished")
}

#[tokio::test]
async fn with_continue_the_stages_after_a_failed_one_still_run_and_the_mission_fails_naming_it() {
    support::with_namespace("run-continue", |client, ns| async move {
        let (mission, phases) = fly_diamond(client, ns, "continue").await;
        let status = mission.status.expect("a status");
        println!(
            "{:?}: {:?}; stages {phases:?}",
            status.phase, status.message
        );
        assert_eq!(status.phase, Some(MissionPhase::Failed));
        assert!(
            status
                .message
                .as_deref()
                .is_some_and(|m| m.starts_with("stage strike-a failed: ")),
            "{:?}",
            status.message
        );
        assert_eq!(phases["strike-a"], Some(StagePhase::Failed));
        assert_eq!(phases["strike-b"], Some(StagePhase::Succeeded));
        assert_eq!(
            phases["rtb"],
            Some(StagePhase::Succeeded),
            "rtb ran after the failed strike-a"
        );
    })
    .await;
}

#[tokio::test]
async fn with_abort_no_stage_starts_after_a_failure_and_running_ones_finish() {
    support::with_namespace("run-abort", |client, ns| async move {
        let (mission, phases) = fly_diamond(client, ns, "abort").await;
        let status = mission.status.expect("a status");
        println!(
            "{:?}: {:?}; stages {phases:?}",
            status.phase, status.message
        );
        assert_eq!(status.phase, Some(MissionPhase::Failed));
        assert_eq!(phases["strike-a"], Some(StagePhase::Failed));
        assert_eq!(
            phases["strike-b"],
            Some(StagePhase::Succeeded),
            "it was flying and finished"
        );
        assert_eq!(phases["rtb"], None, "rtb was never created");
    })
    .await;
}
