use k8s_openapi::api::core::v1::{Container, PodSpec};

use super::*;
use crate::api::flight_task::{AttemptFailure, FlightTaskStatus, ObjectRef};
use crate::api::keys::STAGE_LABEL;
use crate::api::{FlightTaskPhase, keys};
use crate::controller::task_fixtures::{failed, pod, running, task};

fn in_stage(mut task: FlightTask, stage: &str, short: &str) -> FlightTask {
    let labels = task.labels_mut();
    labels.insert(STAGE_LABEL.into(), stage.into());
    labels.insert(keys::TASK_LABEL.into(), short.into());
    task
}

/// A task on its fourth attempt: the first was deleted, the second and
/// third failed and stay, the fourth runs.
fn fourth_attempt() -> (FlightTask, Vec<Pod>) {
    let mut task = in_stage(task(), "strike", "bad");
    let pods = vec![
        failed(pod(&task, 2, 1), "j20-01", 1, 20),
        failed(pod(&task, 3, 2), "j20-02", 1, 30),
        running(pod(&task, 4, 3), "j20-03", 40),
    ];
    let failure = |attempt| AttemptFailure {
        attempt,
        reason: "Failed".into(),
        ..AttemptFailure::default()
    };
    task.status = Some(FlightTaskStatus {
        phase: Some(FlightTaskPhase::Running),
        pod_ref: Some(ObjectRef {
            name: pods[2].name_any(),
        }),
        failures: vec![failure(1), failure(2), failure(3)],
        ..FlightTaskStatus::default()
    });
    (task, pods)
}

#[test]
fn every_attempt_is_known_with_its_pod_while_it_is_there() {
    let (task, pods) = fourth_attempt();
    let all = of_mission(std::slice::from_ref(&task), &pods);
    let [found] = all.as_slice() else {
        panic!("one task: {all:?}")
    };
    assert_eq!(found.path(), "strike/bad");
    let seen: Vec<(u32, bool, bool)> = (found.attempts.iter())
        .map(|a| (a.number, a.pod.is_some(), a.failed))
        .collect();
    assert_eq!(
        seen,
        [
            (1, false, true),
            (2, true, true),
            (3, true, true),
            (4, true, false)
        ]
    );
    assert!(!found.finished);
}

#[test]
fn attempts_are_chosen_by_number_latest_all_or_failed() {
    let (task, pods) = fourth_attempt();
    let all = of_mission(std::slice::from_ref(&task), &pods);
    let numbers = |which, failed| -> Vec<u32> {
        chosen(&all[0], which, failed)
            .iter()
            .map(|a| a.number)
            .collect()
    };
    assert_eq!(numbers(Which::Latest, false), [4]);
    assert_eq!(numbers(Which::All, false), [1, 2, 3, 4]);
    assert_eq!(numbers(Which::Number(2), false), [2]);
    assert_eq!(numbers(Which::Number(9), false), Vec::<u32>::new());
    assert_eq!(numbers(Which::Latest, true), [3]);
    assert_eq!(numbers(Which::All, true), [1, 2, 3]);
    assert_eq!("all".parse::<Which>(), Ok(Which::All));
    assert_eq!("3".parse::<Which>(), Ok(Which::Number(3)));
    assert!("0".parse::<Which>().is_err());
    assert!("last".parse::<Which>().is_err());
}

#[test]
fn a_task_is_named_by_its_name_its_path_or_its_object() {
    let (task, pods) = fourth_attempt();
    let all = of_mission(std::slice::from_ref(&task), &pods);
    for arg in ["bad", "strike/bad", task.name_any().as_str()] {
        assert!(names(&all[0], arg), "{arg}");
    }
    assert!(!names(&all[0], "strike/good"));
}

#[test]
fn the_task_container_is_read_unless_every_container_is_asked_for() {
    let container = |name: &str| Container {
        name: name.into(),
        ..Container::default()
    };
    let mut pod = Pod {
        spec: Some(PodSpec {
            containers: vec![container("task")],
            init_containers: Some(vec![container("weapon-preload"), container("weapon-pl-15")]),
            ..PodSpec::default()
        }),
        ..Pod::default()
    };
    assert_eq!(default_container(&pod).as_deref(), Some("task"));
    assert_eq!(
        all_containers(&pod),
        ["weapon-preload", "weapon-pl-15", "task"]
    );
    pod.annotations_mut().insert(
        "kubectl.kubernetes.io/default-container".into(),
        "weapon-pl-15".into(),
    );
    assert_eq!(default_container(&pod).as_deref(), Some("weapon-pl-15"));
}
