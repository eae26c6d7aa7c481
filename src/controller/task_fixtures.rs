//! Flight tasks, weapons and pods in given states, for the tests of the
//! FlightTask controller's pure parts.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    ContainerState, ContainerStateTerminated, ContainerStateWaiting, ContainerStatus, Pod,
    PodCondition, PodStatus,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::Timestamp;
use kube::api::ObjectMeta;

use super::pod_builder::{Attempt, PodSettings, build};
use crate::api::flight_task::ObjectRef;
use crate::api::keys::{MISSION_LABEL, STAGE_LABEL, TASK_LABEL};
use crate::api::weapon::{Compatibility, WeaponImage, WeaponSpec};
use crate::api::{FlightTask, FlightTaskSpec, Weapon};
use crate::placement::SchedulerChoice;

pub const TASK: &str = "far-sea-strike-strike-1";

/// A moment `seconds` after a fixed origin.
pub fn at(seconds: i64) -> Timestamp {
    Timestamp::from_second(1_750_000_000 + seconds).expect("a valid timestamp")
}

/// A task as the stage controller creates it: labelled, owned, stored.
pub fn task() -> FlightTask {
    let mut task = FlightTask::new(
        TASK,
        FlightTaskSpec {
            stage_ref: Some(ObjectRef {
                name: "far-sea-strike".into(),
            }),
            ..FlightTaskSpec::default()
        },
    );
    task.metadata = ObjectMeta {
        name: Some(TASK.into()),
        namespace: Some("default".into()),
        uid: Some("task-uid".into()),
        generation: Some(2),
        labels: Some(BTreeMap::from([
            (MISSION_LABEL.to_string(), "far-sea".to_string()),
            (STAGE_LABEL.to_string(), "strike".to_string()),
            (TASK_LABEL.to_string(), "strike-1".to_string()),
        ])),
        ..ObjectMeta::default()
    };
    task
}

/// The operator's image in tests: what a weapon without an image runs.
pub const SIMULATOR_IMAGE: &str = "registry.local/kubectl-airforce:v0.0.0-test";

pub fn pod_settings(scheduler: SchedulerChoice) -> PodSettings {
    PodSettings {
        scheduler,
        simulator_image: SIMULATOR_IMAGE.to_string(),
        armoury: Some(crate::api::armoury::DEFAULT_ARMOURY.to_string()),
    }
}

/// A weapon cleared for j20 and j16 on internal bays and wings.
pub fn weapon(name: &str) -> Weapon {
    let mut weapon = Weapon::new(
        name,
        WeaponSpec {
            weapon_type: "air-to-air-missile".into(),
            image: Some(WeaponImage {
                repository: format!("registry.local/{name}"),
                tag: "2.1".into(),
                pull_policy: None,
            }),
            compatibility: Compatibility {
                aircraft_types: vec!["j20".into(), "j16".into()],
                hardpoint_types: vec!["internal-bay".into(), "wing".into()],
            },
            ..WeaponSpec::default()
        },
    );
    weapon.metadata.namespace = Some("default".into());
    weapon
}

/// The pod the controller builds for `attempt` of `task`, not yet scheduled.
pub fn pod(task: &FlightTask, number: u32, retry: u32) -> Pod {
    let mut pod = build(
        task,
        &[],
        &[],
        Attempt { number, retry },
        &[],
        &pod_settings(SchedulerChoice::Aircraft),
    )
    .expect("the fixture task builds");
    pod.metadata.creation_timestamp = Some(Time(at(0)));
    pod.status = Some(PodStatus {
        phase: Some("Pending".into()),
        ..PodStatus::default()
    });
    pod
}

fn status(pod: &mut Pod) -> &mut PodStatus {
    pod.status.get_or_insert_with(PodStatus::default)
}

pub fn with_condition(mut pod: Pod, type_: &str, state: &str, reason: &str, since: i64) -> Pod {
    let conditions = status(&mut pod).conditions.get_or_insert_with(Vec::new);
    conditions.retain(|c| c.type_ != type_);
    conditions.push(PodCondition {
        type_: type_.into(),
        status: state.into(),
        reason: Some(reason.into()),
        message: Some(format!("{reason} (from the test)")),
        last_transition_time: Some(Time(at(since))),
        ..PodCondition::default()
    });
    pod
}

pub fn bound(mut pod: Pod, node: &str, since: i64) -> Pod {
    pod.spec.as_mut().expect("a spec").node_name = Some(node.into());
    with_condition(pod, "PodScheduled", "True", "Scheduled", since)
}

pub fn running(pod: Pod, node: &str, since: i64) -> Pod {
    let mut pod = bound(pod, node, since);
    let status = status(&mut pod);
    status.phase = Some("Running".into());
    status.start_time = Some(Time(at(since)));
    pod
}

fn terminated(name: &str, exit_code: i32, reason: &str, finished: i64) -> ContainerStatus {
    ContainerStatus {
        name: name.into(),
        state: Some(ContainerState {
            terminated: Some(ContainerStateTerminated {
                exit_code,
                reason: Some(reason.into()),
                finished_at: Some(Time(at(finished))),
                ..ContainerStateTerminated::default()
            }),
            ..ContainerState::default()
        }),
        ..ContainerStatus::default()
    }
}

pub fn succeeded(pod: Pod, node: &str, finished: i64) -> Pod {
    let mut pod = running(pod, node, finished - 5);
    let status = status(&mut pod);
    status.phase = Some("Succeeded".into());
    status.container_statuses = Some(vec![terminated("task", 0, "Completed", finished)]);
    pod
}

pub fn failed(pod: Pod, node: &str, exit_code: i32, finished: i64) -> Pod {
    let mut pod = running(pod, node, finished - 1);
    let status = status(&mut pod);
    status.phase = Some("Failed".into());
    status.container_statuses = Some(vec![terminated("task", exit_code, "Error", finished)]);
    pod
}

pub fn evicted(pod: Pod, node: &str) -> Pod {
    let mut pod = running(pod, node, 1);
    let status = status(&mut pod);
    status.phase = Some("Failed".into());
    status.reason = Some("Evicted".into());
    status.message = Some("The node was low on resource: memory.".into());
    pod
}

pub fn pulling_fails(pod: Pod, node: &str) -> Pod {
    let mut pod = bound(pod, node, 1);
    status(&mut pod).container_statuses = Some(vec![ContainerStatus {
        name: "task".into(),
        state: Some(ContainerState {
            waiting: Some(ContainerStateWaiting {
                reason: Some("ImagePullBackOff".into()),
                message: Some("Back-off pulling image \"busybox:1.37\"".into()),
            }),
            ..ContainerState::default()
        }),
        ..ContainerStatus::default()
    }]);
    pod
}
