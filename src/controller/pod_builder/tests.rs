//! The task pod builder, checked without a server.

use serde_json::json;

use super::*;
use crate::api::conditions::{reasons, types};
use crate::controller::task_fixtures::{TASK, pod_settings, task};

fn first() -> Attempt {
    Attempt {
        number: 1,
        retry: 0,
    }
}

fn built(task: &FlightTask) -> Pod {
    build(
        task,
        &[],
        &[],
        first(),
        &[],
        &pod_settings(SchedulerChoice::Aircraft),
    )
    .expect("a pod")
}

fn with_template(template: Value) -> FlightTask {
    let mut task = task();
    task.spec.template.pod_template = Some(template);
    task
}

fn env(container: &Container) -> Vec<(String, String)> {
    let env = container.env.as_deref().unwrap_or_default();
    env.iter()
        .map(|e| (e.name.clone(), e.value.clone().unwrap_or_default()))
        .collect()
}

fn pair(name: &str, value: &str) -> (String, String) {
    (name.into(), value.into())
}

#[test]
fn a_task_without_a_template_runs_the_busybox_task_container() {
    let pod = built(&task());
    let spec = pod.spec.expect("a spec");
    assert_eq!(spec.containers.len(), 1);
    let container = &spec.containers[0];
    assert_eq!(container.name, "task");
    assert_eq!(container.image.as_deref(), Some("busybox:1.37"));
    assert_eq!(
        container.command.as_ref().map(|c| c[..2].to_vec()),
        Some(vec!["sh".into(), "-c".into()])
    );
    assert_eq!(spec.restart_policy.as_deref(), Some("Never"));
    assert_eq!(spec.init_containers, None, "no weapons, no weapon plumbing");
    assert_eq!(spec.volumes, None);
    assert_eq!(
        env(container),
        [
            pair("TASK_NAME", TASK),
            pair("MISSION", "far-sea"),
            pair("STAGE", "strike"),
            pair("ROLE", ""),
        ]
    );
}

#[test]
fn the_pod_is_named_labelled_and_owned_for_its_attempt() {
    let attempt = Attempt {
        number: 3,
        retry: 2,
    };
    let pod = build(
        &task(),
        &[],
        &[],
        attempt,
        &[],
        &pod_settings(SchedulerChoice::Aircraft),
    )
    .expect("a pod");
    let meta = pod.metadata;
    assert_eq!(meta.name.as_deref(), Some("far-sea-strike-strike-1-3"));
    assert_eq!(meta.namespace.as_deref(), Some("default"));
    let labels = meta.labels.expect("labels");
    assert_eq!(labels[MISSION_LABEL], "far-sea");
    assert_eq!(labels[STAGE_LABEL], "strike");
    assert_eq!(labels[TASK_LABEL], "strike-1");
    let annotations = meta.annotations.expect("annotations");
    assert_eq!(annotations[ATTEMPT_ANNOTATION], "3");
    assert_eq!(annotations[RETRIES_SPENT_ANNOTATION], "2");
    let owner = &meta.owner_references.expect("an owner")[0];
    assert_eq!(
        (owner.kind.as_str(), owner.name.as_str()),
        ("FlightTask", TASK)
    );
    assert_eq!(owner.uid, "task-uid");
    assert_eq!(owner.controller, Some(true));
    assert_eq!(owner.block_owner_deletion, Some(true));
}

#[test]
fn task_params_and_role_reach_every_task_container() {
    let mut task = task();
    task.spec.template.role = Some("strike".into());
    task.spec.template.task_params = BTreeMap::from([
        ("targetZone".to_string(), "east-sea".to_string()),
        ("max-range_km".to_string(), "300".to_string()),
    ]);
    let pod = built(&task);
    let env = env(&pod.spec.expect("a spec").containers[0]);
    assert!(env.contains(&pair("ROLE", "strike")));
    assert!(env.contains(&pair("TASK_PARAM_TARGET_ZONE", "east-sea")));
    assert!(env.contains(&pair("TASK_PARAM_MAX_RANGE_KM", "300")));
}

#[test]
fn param_names_become_upper_snake_case() {
    assert_eq!(param_env_name("targetZone"), "TASK_PARAM_TARGET_ZONE");
    assert_eq!(param_env_name("target-zone"), "TASK_PARAM_TARGET_ZONE");
    assert_eq!(
        param_env_name("radar.mode2Sweep"),
        "TASK_PARAM_RADAR_MODE2_SWEEP"
    );
    assert_eq!(param_env_name("--odd--"), "TASK_PARAM_ODD");
}

#[test]
fn a_template_keeps_its_own_containers_metadata_and_volumes_and_ours_win_our_keys() {
    let task = with_template(json!({
        "metadata": {
            "labels": {"app": "strike", TASK_LABEL: "spoofed"},
            "annotations": {"note": "kept", ATTEMPT_ANNOTATION: "99"},
            "name": "ignored",
        },
        "spec": {
            "containers": [
                {"name": "pilot", "image": "pilot:1", "env": [
                    {"name": "OWN", "value": "kept"}, {"name": "ROLE", "value": "spoofed"}]},
                {"name": "radar", "image": "radar:1"},
            ],
            "volumes": [{"name": "data", "emptyDir": {}}],
            "restartPolicy": "OnFailure",
        },
    }));
    let pod = built(&task);
    let meta = &pod.metadata;
    assert_eq!(meta.name.as_deref(), Some("far-sea-strike-strike-1-1"));
    let labels = meta.labels.as_ref().expect("labels");
    assert_eq!(
        (labels["app"].as_str(), labels[TASK_LABEL].as_str()),
        ("strike", "strike-1")
    );
    let annotations = meta.annotations.as_ref().expect("annotations");
    assert_eq!(annotations["note"], "kept");
    assert_eq!(annotations[ATTEMPT_ANNOTATION], "1");
    let spec = pod.spec.expect("a spec");
    assert_eq!(spec.restart_policy.as_deref(), Some("Never"));
    let names: Vec<&str> = spec.containers.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["pilot", "radar"]);
    let pilot = env(&spec.containers[0]);
    assert_eq!(pilot[0], pair("OWN", "kept"));
    assert!(pilot.contains(&pair("ROLE", "")));
    assert!(!pilot.contains(&pair("ROLE", "spoofed")));
    assert!(env(&spec.containers[1]).contains(&pair("TASK_NAME", TASK)));
    assert_eq!(spec.volumes.expect("volumes")[0].name, "data");
}

#[test]
fn a_template_that_leaves_containers_out_gets_the_default_one() {
    let task = with_template(json!({"spec": {"nodeSelector": {"zone": "east"}}}));
    let spec = built(&task).spec.expect("a spec");
    assert_eq!(spec.containers[0].name, "task");
    assert_eq!(spec.node_selector.expect("kept")["zone"], "east");
}

fn refused(template: Value) -> BuildError {
    build(
        &with_template(template),
        &[],
        &[],
        first(),
        &[],
        &pod_settings(SchedulerChoice::Aircraft),
    )
    .expect_err("an invalid template")
}

#[test]
fn an_invalid_template_names_the_path_of_the_problem() {
    let error = refused(json!({"spec": {"containers": [
        {"name": "task", "image": "busybox", "ports": [{"containerPort": "eighty"}]}]}}));
    let BuildError::InvalidTemplate { path, .. } = &error else {
        panic!("not a template error: {error:?}");
    };
    assert_eq!(path, ".spec.containers[0].ports[0].containerPort");
    let message = error.to_string();
    assert!(
        message.starts_with(
            "invalid pod template at podTemplate.spec.containers[0].ports[0].containerPort: "
        ),
        "{message}"
    );
    assert_eq!(
        error.condition(),
        (types::POD_CREATED, reasons::INVALID_POD_TEMPLATE)
    );
}

#[test]
fn an_empty_container_list_reserved_names_and_missing_images_are_refused() {
    let path = |error: BuildError| match error {
        BuildError::InvalidTemplate { path, .. } => path,
        other => panic!("not a template error: {other:?}"),
    };
    assert_eq!(
        path(refused(json!({"spec": {"containers": []}}))),
        ".spec.containers"
    );
    let reserved = json!({"spec": {"containers": [{"name": "task", "image": "busybox"}],
        "initContainers": [{"name": "weapon-preload", "image": "busybox"}]}});
    assert_eq!(path(refused(reserved)), ".spec.initContainers[0].name");
    let no_image = json!({"spec": {"containers": [{"name": "task"}]}});
    assert_eq!(path(refused(no_image)), ".spec.containers[0].image");
    assert!(
        matches!(refused(json!("a string")), BuildError::InvalidTemplate { path, .. } if path.is_empty())
    );
}

#[test]
fn a_task_not_read_from_the_cluster_cannot_own_a_pod() {
    let mut task = task();
    task.metadata.uid = None;
    let error = build(
        &task,
        &[],
        &[],
        first(),
        &[],
        &pod_settings(SchedulerChoice::Aircraft),
    )
    .expect_err("no uid");
    assert_eq!(error, BuildError::NotStored);
}

#[test]
fn the_scheduler_choice_reaches_the_pod() {
    let mut task = task();
    task.spec.template.aircraft_requirement.preferred_zone = Some("east-sea".into());
    let spec = built(&task).spec.expect("a spec");
    assert_eq!(spec.scheduler_name.as_deref(), Some("aircraft-scheduler"));
    let pod = build(
        &task,
        &[],
        &[],
        first(),
        &[],
        &pod_settings(SchedulerChoice::Default),
    )
    .expect("a pod");
    let spec = pod.spec.expect("a spec");
    assert_eq!(spec.scheduler_name.as_deref(), Some("default-scheduler"));
    let node = spec
        .affinity
        .and_then(|a| a.node_affinity)
        .expect("node affinity");
    assert!(
        node.required_during_scheduling_ignored_during_execution
            .is_some()
    );
    assert_eq!(
        node.preferred_during_scheduling_ignored_during_execution
            .map(|p| p.len()),
        Some(1)
    );
}

#[test]
fn a_standalone_task_is_labelled_with_its_own_name() {
    let mut task = task();
    task.spec.stage_ref = None;
    task.metadata.labels = None;
    let pod = built(&task);
    let labels = pod.metadata.labels.expect("labels");
    assert_eq!(labels.len(), 1);
    assert_eq!(labels[TASK_LABEL], TASK);
    let env = env(&pod.spec.expect("a spec").containers[0]);
    assert!(env.contains(&pair("MISSION", "")) && env.contains(&pair("STAGE", "")));
}

#[test]
fn a_replica_is_told_its_index_and_count_and_labelled_with_its_index() {
    let mut replica = task();
    replica.spec.replica = Some(crate::api::flight_task::Replica {
        index: 7,
        count: 200,
    });
    let pod = built(&replica);
    let env = env(&pod.spec.as_ref().expect("a spec").containers[0]);
    assert!(env.contains(&pair("REPLICA_INDEX", "7")), "{env:?}");
    assert!(env.contains(&pair("REPLICAS", "200")), "{env:?}");
    assert_eq!(pod.labels()[REPLICA_INDEX_LABEL], "7");
    assert!(!built(&task()).labels().contains_key(REPLICA_INDEX_LABEL));
}
