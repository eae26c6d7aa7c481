//! What `run` does with flight tasks that cannot simply succeed, on the local
//! cluster: a stage that times out, a template the API server refuses, a weapon
//! the aircraft cannot carry, an image that never pulls; the pod it builds; and
//! a controller killed mid-mission that finishes without duplicating a pod.

mod support;

use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use kube::api::{ListParams, PostParams};
use kubectl_airforce::api::conditions::{self, reasons, types};
use kubectl_airforce::api::{
    FlightTask, FlightTaskPhase, Mission, MissionPhase, MissionStage, StagePhase,
};
use serde_json::json;
use support::Operator;

const TIMEOUT: Duration = Duration::from_secs(90);

async fn create_task(
    client: &kube::Client,
    namespace: &str,
    name: &str,
    spec: serde_json::Value,
) -> Api<FlightTask> {
    let tasks: Api<FlightTask> = Api::namespaced(client.clone(), namespace);
    let task: FlightTask = serde_json::from_value(json!({
        "apiVersion": "airforce.mil/v1alpha1",
        "kind": "FlightTask",
        "metadata": { "name": name },
        "spec": spec,
    }))
    .expect("a FlightTask");
    tasks
        .create(&PostParams::default(), &task)
        .await
        .expect("task created");
    tasks
}

fn condition(task: Option<&FlightTask>, type_: &str) -> Option<(String, String)> {
    let conditions = &task?.status.as_ref()?.conditions;
    conditions::find(conditions, type_).map(|c| (c.status.clone(), c.reason.clone()))
}

fn phase(task: Option<&FlightTask>) -> Option<FlightTaskPhase> {
    task?.status.as_ref()?.phase
}

#[tokio::test]
async fn a_stage_past_its_timeout_fails_and_its_running_pods_are_stopped() {
    support::with_namespace("run-timeout", |client, ns| async move {
        support::ensure_crds(&client).await;
        let _operator = Operator::start(&ns);
        let mission = std::env::temp_dir().join(format!("{ns}-timeout.yaml"));
        std::fs::write(
            &mission,
            r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {name: slow}
spec:
  stages:
  - name: loiter
    type: parallel
    timeout: 4s
    flightTasks:
    - name: orbit
      aircraftRequirement: {type: j20}
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: 120s}
  - name: after
    dependsOn: [loiter]
    flightTasks:
    - name: never
      aircraftRequirement: {type: j20}
"#,
        )
        .expect("mission file written");
        support::submit(&ns, &[mission.to_str().expect("utf-8 path")]);

        let stages: Api<MissionStage> = Api::namespaced(client.clone(), &ns);
        let failed = support::wait_for(
            &stages,
            "slow.loiter",
            TIMEOUT,
            "Failed",
            |stage: Option<&MissionStage>| {
                stage.and_then(|s| s.status.as_ref()).and_then(|s| s.phase)
                    == Some(StagePhase::Failed)
            },
        )
        .await;
        let status = failed.status.expect("status");
        let ran_for = status
            .completion_time
            .expect("completion time")
            .0
            .duration_since(status.start_time.expect("start time").0);
        assert!(
            ran_for.as_secs_f64() >= 4.0 && ran_for.as_secs_f64() < 10.0,
            "failed after {ran_for:?}"
        );
        assert!(
            conditions::find(&status.conditions, types::READY)
                .is_some_and(|c| c.reason == reasons::TIMEOUT),
            "{:#?}",
            status.conditions
        );

        let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
        support::wait_stopped(&pods, "slow.loiter.orbit-1", Duration::from_secs(30)).await;
        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        let mission = support::wait_for(
            &missions,
            "slow",
            TIMEOUT,
            "Failed",
            |m: Option<&Mission>| {
                m.and_then(|m| m.status.as_ref()).and_then(|s| s.phase)
                    == Some(MissionPhase::Failed)
            },
        )
        .await;
        assert!(
            stages.get_opt("slow.after").await.expect("read").is_none(),
            "the dependent stage never started"
        );
        assert_eq!(
            mission.status.expect("status").statistics.succeeded_tasks,
            0
        );
    })
    .await;
}

#[tokio::test]
async fn a_template_the_api_server_refuses_fails_the_task_with_pod_created_false() {
    support::with_namespace("run-template", |client, ns| async move {
        support::ensure_crds(&client).await;
        let _operator = Operator::start(&ns);
        let spec = json!({
            "aircraftRequirement": { "type": "j20" },
            "podTemplate": { "spec": { "containers": [
                { "name": "task", "image": "busybox:1.37", "resources": { "limits": { "cpu": "lots" } } }
            ] } },
        });
        let tasks = create_task(&client, &ns, "bad-template", spec).await;
        let task = support::wait_for(&tasks, "bad-template", TIMEOUT, "Failed", |t: Option<&FlightTask>| {
            phase(t) == Some(FlightTaskPhase::Failed)
        })
        .await;
        assert_eq!(
            condition(Some(&task), types::POD_CREATED),
            Some(("False".into(), reasons::INVALID_POD_TEMPLATE.into()))
        );
    })
    .await;
}

#[tokio::test]
async fn a_weapon_the_aircraft_cannot_carry_fails_the_task_with_weapons_compatible_false() {
    support::with_namespace("run-weapon", |client, ns| async move {
        support::ensure_crds(&client).await;
        support::submit(&ns, &[]);
        let _operator = Operator::start(&ns);
        let spec = json!({
            "aircraftRequirement": { "type": "j20" },
            "weaponLoadout": [{ "weaponRef": { "name": "pl-10" }, "quantity": 1, "mountPoints": ["internal-bay-1"] }],
        });
        let tasks = create_task(&client, &ns, "wrong-bay", spec).await;
        let task = support::wait_for(&tasks, "wrong-bay", TIMEOUT, "Failed", |t: Option<&FlightTask>| {
            phase(t) == Some(FlightTaskPhase::Failed)
        })
        .await;
        assert_eq!(
            condition(Some(&task), types::WEAPONS_COMPATIBLE),
            Some(("False".into(), reasons::INCOMPATIBLE_WEAPON.into()))
        );
        let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
        assert!(pods.list(&ListParams::default()).await.expect("pods").items.is_empty(), "no pod was created");
    })
    .await;
}

#[tokio::test]
async fn an_image_that_never_pulls_is_reported_without_failing_the_task() {
    support::with_namespace("run-pull", |client, ns| async move {
        support::ensure_crds(&client).await;
        let _operator = Operator::start(&ns);
        let spec = json!({
            "aircraftRequirement": { "type": "j20" },
            "podTemplate": { "metadata": { "annotations": { "sim.airforce.mil/image-pull-error": "true" } } },
        });
        let tasks = create_task(&client, &ns, "no-image", spec).await;
        let task = support::wait_for(&tasks, "no-image", TIMEOUT, "ImagePullFailed", |t: Option<&FlightTask>| {
            condition(t, types::IMAGE_PULL_FAILED).is_some_and(|(status, _)| status == "True")
        })
        .await;
        assert_ne!(phase(Some(&task)), Some(FlightTaskPhase::Failed));
    })
    .await;
}

#[tokio::test]
async fn the_task_pod_carries_native_weapon_sidecars_the_preload_container_and_shared_volumes() {
    support::with_namespace("run-pod", |client, ns| async move {
        support::ensure_crds(&client).await;
        support::submit(&ns, &[]);
        let _operator = Operator::start(&ns);
        let spec = json!({
            "aircraftRequirement": { "type": "j20" },
            "weaponLoadout": [{ "weaponRef": { "name": "pl-15" }, "quantity": 2, "mountPoints": ["internal-bay-1", "internal-bay-2"] }],
        });
        create_task(&client, &ns, "armed", spec).await;
        let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
        let pod = support::wait_for(&pods, "armed-1", TIMEOUT, "created", |p: Option<&Pod>| p.is_some()).await;
        let spec = pod.spec.expect("pod spec");
        let init = spec.init_containers.expect("init containers");
        let names: Vec<&str> = init.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["weapon-preload", "weapon-pl-15"]);
        let sidecar = &init[1];
        assert_eq!(sidecar.restart_policy.as_deref(), Some("Always"), "a native sidecar");
        // The example weapon names no image: the simulated weapon of the operator's own.
        assert_eq!(sidecar.image.as_deref(), Some(kubectl_airforce::install::DEFAULT_IMAGE));
        assert_eq!(sidecar.args.as_deref(), Some(&["weapon".to_string(), "serve".to_string()][..]));
        let env = |name: &str| {
            sidecar.env.iter().flatten().find(|e| e.name == name).and_then(|e| e.value.clone())
        };
        assert_eq!(env("QUANTITY").as_deref(), Some("2"));
        assert_eq!(env("MOUNT_POINTS").as_deref(), Some("internal-bay-1,internal-bay-2"));
        assert_eq!(env("AIRCRAFT_TYPE").as_deref(), Some("j20"));
        let mounts: Vec<&str> = sidecar.volume_mounts.iter().flatten().map(|m| m.mount_path.as_str()).collect();
        assert!(mounts.contains(&"/interface") && mounts.contains(&"/config"), "{mounts:?}");
        let volumes: Vec<String> = spec.volumes.iter().flatten().map(|v| v.name.clone()).collect();
        assert!(volumes.contains(&"weapon-interface".to_string()), "{volumes:?}");
        assert_eq!(spec.restart_policy.as_deref(), Some("Never"));
    })
    .await;
}

#[tokio::test]
async fn a_controller_killed_mid_mission_finishes_it_after_a_restart_without_duplicate_pods() {
    support::with_namespace("run-restart", |client, ns| async move {
        support::ensure_crds(&client).await;
        let mut operator = Operator::start(&ns);
        support::submit(&ns, &["examples/far-sea-strike.yaml"]);

        let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
        // Kill it once the sequential stage is under way: mid-mission, with work in flight.
        support::wait_for_pods(
            &pods,
            "airforce.mil/stage=strike",
            TIMEOUT,
            "the strike stage never started",
        )
        .await;
        operator.kill();
        tokio::time::sleep(Duration::from_secs(2)).await;
        let _restarted = Operator::start(&ns);

        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        let mission = support::wait_for(
            &missions,
            "far-sea-strike",
            Duration::from_secs(180),
            "finished",
            support::mission_finished,
        )
        .await;
        assert_eq!(
            mission.status.as_ref().and_then(|s| s.phase),
            Some(MissionPhase::Succeeded)
        );
        let mut names: Vec<String> = pods
            .list(&ListParams::default().labels("airforce.mil/mission=far-sea-strike"))
            .await
            .expect("pods")
            .items
            .into_iter()
            .filter_map(|p| p.metadata.name)
            .collect();
        names.sort();
        assert_eq!(
            names.len(),
            9,
            "one pod per task, none duplicated or lost: {names:?}"
        );
        assert!(
            names.iter().all(|n| n.ends_with("-1")),
            "every pod is a first attempt: {names:?}"
        );
    })
    .await;
}
