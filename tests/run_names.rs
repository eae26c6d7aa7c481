//! Child names that cannot collide: paths that joining with `-` would give one
//! name (stage `a-b` with task `c` and stage `a` with task `b-c`; mission `m`
//! stage `a-b` and mission `m-a` stage `b`) run as distinct objects, and a
//! pod that someone else made under a task's pod name is left alone, told on
//! the task, and flown around.

mod support;

use std::collections::BTreeSet;
use std::time::Duration;

use k8s_openapi::api::core::v1::{Event, Pod};
use kube::api::{ListParams, PostParams};
use kube::{Api, ResourceExt};
use kubectl_airforce::api::conditions::reasons;
use kubectl_airforce::api::keys::{MISSION_LABEL, STAGE_LABEL, TASK_LABEL};
use kubectl_airforce::api::{FlightTask, Mission, MissionPhase, MissionStage};
use support::Operator;

const TIMEOUT: Duration = Duration::from_secs(120);

fn task(name: &str) -> String {
    format!(
        "    - name: {name}\n      aircraftRequirement: {{type: j20}}\n      \
         podTemplate: {{metadata: {{annotations: {{sim.airforce.mil/duration: 1s}}}}}}\n"
    )
}

fn mission(name: &str, stages: &[(&str, &str)]) -> String {
    let stages: String = (stages.iter())
        .map(|(stage, only)| format!("  - name: {stage}\n    flightTasks:\n{}", task(only)))
        .collect();
    format!(
        "apiVersion: airforce.mil/v1alpha1\nkind: Mission\nmetadata: {{name: {name}}}\nspec:\n  stages:\n{stages}"
    )
}

/// (object name, mission, stage, task) of every object of kind `K` in `ns`.
async fn named<K>(api: &Api<K>) -> BTreeSet<(String, String, String, String)>
where
    K: kube::Resource + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let label = |object: &K, key: &str| object.labels().get(key).cloned().unwrap_or_default();
    (api.list(&ListParams::default())
        .await
        .expect("list")
        .items
        .iter())
    .map(|object| {
        let name = object.name_any();
        let mission = label(object, MISSION_LABEL);
        let stage = label(object, STAGE_LABEL);
        (name, mission, stage, label(object, TASK_LABEL))
    })
    .collect()
}

#[tokio::test]
async fn paths_that_a_dash_would_join_into_one_name_run_as_distinct_objects() {
    support::with_namespace("names", |client, ns| async move {
        support::ensure_crds(&client).await;
        let _operator = Operator::start(&ns);
        support::submit_yaml(&ns, &mission("m", &[("a-b", "c"), ("a", "b-c")]));
        support::submit_yaml(&ns, &mission("m-a", &[("b", "c")]));

        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        for name in ["m", "m-a"] {
            let status = support::finished_mission(&missions, name, TIMEOUT)
                .await
                .status
                .expect("a status");
            println!("mission {name}: {:?} {:?}", status.phase, status.message);
            assert_eq!(
                status.phase,
                Some(MissionPhase::Succeeded),
                "mission {name}"
            );
        }

        let s = |parts: [&str; 4]| parts.map(String::from).into();
        let stages = named(&Api::<MissionStage>::namespaced(client.clone(), &ns)).await;
        println!("stages: {stages:?}");
        let want: BTreeSet<_> = [
            s(["m.a-b", "m", "a-b", ""]),
            s(["m.a", "m", "a", ""]),
            s(["m-a.b", "m-a", "b", ""]),
        ]
        .into();
        assert_eq!(stages, want);
        let tasks = named(&Api::<FlightTask>::namespaced(client.clone(), &ns)).await;
        println!("flight tasks: {tasks:?}");
        let want: BTreeSet<_> = [
            s(["m.a-b.c", "m", "a-b", "c"]),
            s(["m.a.b-c", "m", "a", "b-c"]),
            s(["m-a.b.c", "m-a", "b", "c"]),
        ]
        .into();
        assert_eq!(tasks, want);
        let pods = named(&Api::<Pod>::namespaced(client.clone(), &ns)).await;
        println!("pods: {pods:?}");
        let pods: Vec<&str> = pods.iter().map(|(name, ..)| name.as_str()).collect();
        assert_eq!(
            pods,
            ["m-a.b.c-1", "m.a-b.c-1", "m.a.b-c-1"],
            "each task flew once, on its own pod"
        );
    })
    .await;
}

#[tokio::test]
async fn a_pod_someone_else_made_under_a_tasks_pod_name_is_told_on_the_task_and_never_taken() {
    support::with_namespace("names-held", |client, ns| async move {
        support::ensure_crds(&client).await;
        let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
        // Waits for a scheduler nobody runs, so it stays as made.
        let squatter: Pod = serde_json::from_value(serde_json::json!({
            "metadata": { "name": "held.s.t-1", "labels": { "made-by": "hand" } },
            "spec": { "schedulerName": "nobody", "containers": [{ "name": "c", "image": "busybox:1.37" }] },
        }))
        .expect("a pod");
        pods.create(&PostParams::default(), &squatter)
            .await
            .expect("the squatter is created");

        let _operator = Operator::start(&ns);
        let held = mission("held", &[("s", "t")]).replace(
            "    - name: t\n",
            "    - name: t\n      schedulingTimeout: 4s\n      maxRetries: 1\n",
        );
        support::submit_yaml(&ns, &held);
        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        let status = support::finished_mission(&missions, "held", TIMEOUT).await.status.expect("a status");
        println!("mission held: {:?} {:?}", status.phase, status.message);
        assert_eq!(status.phase, Some(MissionPhase::Succeeded));

        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
        let task = tasks.get("held.s.t").await.expect("the task");
        let status = task.status.expect("a status");
        let failure = status.failures.first().expect("the first attempt's failure");
        let message = failure.message.clone().unwrap_or_default();
        println!("attempt 1: {} {message}", failure.reason);
        assert_eq!(
            (failure.attempt, failure.reason.as_str()),
            (1, reasons::POD_REFUSED)
        );
        assert!(
            message.contains("pod held.s.t-1 already exists and has no controller"),
            "{message}"
        );
        assert_eq!(status.pod_ref.map(|p| p.name).as_deref(), Some("held.s.t-2"));

        let events: Api<Event> = Api::namespaced(client.clone(), &ns);
        let fields = "involvedObject.name=held.s.t,reason=PodRefused";
        let told = (events.list(&ListParams::default().fields(fields)).await)
            .expect("events")
            .items;
        let notes: Vec<String> = (told.iter())
            .filter(|e| e.action.as_deref() == Some("CreatePod"))
            .filter_map(|e| e.message.clone())
            .collect();
        println!("events: {notes:?}");
        assert_eq!(notes.len(), 1, "told once: {notes:?}");
        assert!(notes[0].contains("already exists and has no controller"), "{notes:?}");

        let squatter = pods.get("held.s.t-1").await.expect("the squatter is still there");
        assert!(squatter.owner_references().is_empty(), "never adopted");
        assert_eq!(squatter.labels().len(), 1, "its labels are its own: {:?}", squatter.labels());
    })
    .await;
}
