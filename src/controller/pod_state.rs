//! What a task pod says about its attempt: which attempt it is, how
//! far it got, and whether a failure was the task's own or a disruption.

use k8s_openapi::api::core::v1::{ContainerStatus, Pod, PodCondition};
use k8s_openapi::jiff::Timestamp;
use kube::ResourceExt;

use super::names;
use crate::api::FlightTask;
use crate::api::keys::{ATTEMPT_ANNOTATION, RETRIES_SPENT_ANNOTATION, STOPPED_ANNOTATION};

/// Pod status reasons of a pod that stopped through no fault of its task: evicted
/// by the kubelet, preempted, stopped by a node shutdown (the kubelet writes
/// `Terminated`), or refused at admission by a node whose labels changed between
/// binding and start (`NodeAffinity`, e.g. marked busy meanwhile). Admission
/// refusals for resources (`OutOfcpu`, …) are matched by prefix.
const DISRUPTION_REASONS: [&str; 6] = [
    "Evicted",
    "Preempting",
    "NodeShutdown",
    "Terminated",
    "NodeAffinity",
    "UnexpectedAdmissionError",
];

/// One of a task's pods, with the attempt it runs.
#[derive(Debug, Clone, Copy)]
pub struct TaskPod<'p> {
    pub pod: &'p Pod,
    pub name: &'p str,
    pub attempt: u32,
    /// Retries spent when it was created, when the pod says.
    pub retry: Option<u32>,
}

/// The pods `task` controls among `pods`, oldest attempt first. Pods of another
/// owner (a deleted task of the same name, say) and pods with no attempt are not
/// the task's and are left out, and so is a pod the task stopped once it has
/// ended: for the task's attempts it is gone, as a deleted pod would be; it
/// stays only for its logs (see [`owned_pods`]).
pub fn task_pods<'p>(task: &FlightTask, pods: &'p [Pod]) -> Vec<TaskPod<'p>> {
    let mut found = owned_pods(task, pods);
    found.retain(|p| !(is_stopping(p.pod) && is_finished(p.pod)));
    found
}

/// Every pod `task` controls among `pods`, stopped ones included, oldest
/// attempt first.
pub fn owned_pods<'p>(task: &FlightTask, pods: &'p [Pod]) -> Vec<TaskPod<'p>> {
    let task_name = task.name_any();
    let task_uid = task.metadata.uid.as_deref();
    let mut found: Vec<TaskPod<'p>> = pods
        .iter()
        .filter(|pod| {
            names::controller_reference(*pod).is_some_and(|owner| {
                owner.kind == "FlightTask"
                    && owner.name == task_name
                    && task_uid.is_none_or(|uid| uid == owner.uid)
            })
        })
        .filter_map(|pod| {
            let name = pod.metadata.name.as_deref()?;
            let annotation = |key: &str| pod.annotations().get(key)?.parse::<u32>().ok();
            let attempt =
                annotation(ATTEMPT_ANNOTATION).or_else(|| attempt_of(&task_name, name))?;
            let retry = annotation(RETRIES_SPENT_ANNOTATION);
            Some(TaskPod {
                pod,
                name,
                attempt,
                retry,
            })
        })
        .collect();
    found.sort_by_key(|p| p.attempt);
    found
}

/// The attempt number in a pod name made by [`super::names::pod`].
pub fn attempt_of(task_name: &str, pod_name: &str) -> Option<u32> {
    let suffix = pod_name.strip_prefix(task_name)?.strip_prefix('-')?;
    suffix.parse().ok().filter(|attempt| *attempt > 0)
}

/// Whether the FlightTask controller has asked the pod to stop
/// ([`STOPPED_ANNOTATION`]).
pub fn is_stopping(pod: &Pod) -> bool {
    pod.annotations().contains_key(STOPPED_ANNOTATION)
}

/// Whether the pod has Succeeded or Failed.
pub fn is_finished(pod: &Pod) -> bool {
    let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref());
    matches!(phase, Some("Succeeded" | "Failed"))
}

/// Whether the pod ended Failed, by itself or stopped.
pub fn has_failed(pod: &Pod) -> bool {
    pod.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Failed")
}

/// How to stop a pod whose attempt has ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopBy {
    /// Asked already, or finished: nothing to do.
    Nothing,
    /// A running pod on an aircraft: its `activeDeadlineSeconds`, lowered to
    /// the time it has run (at least 1 s, never raised), makes its kubelet
    /// end it as Failed, so it stays with its logs.
    Deadline { seconds: i64 },
    /// A pod that has not started: deleted, as it has nothing to keep.
    Delete,
}

/// How to stop `pod` at `now`.
pub fn stop_by(pod: &Pod, now: Timestamp) -> StopBy {
    if is_finished(pod) || is_stopping(pod) || pod.metadata.deletion_timestamp.is_some() {
        return StopBy::Nothing;
    }
    let started = (pod.status.as_ref())
        .filter(|s| s.phase.as_deref() == Some("Running"))
        .and_then(|s| s.start_time.as_ref());
    let on_aircraft = pod.spec.as_ref().is_some_and(|s| s.node_name.is_some());
    match started {
        Some(started) if on_aircraft => {
            let ran = now.duration_since(started.0).as_secs().max(1);
            let set = pod.spec.as_ref().and_then(|s| s.active_deadline_seconds);
            StopBy::Deadline {
                seconds: set.map_or(ran, |set| set.min(ran)),
            }
        }
        _ => StopBy::Delete,
    }
}

/// How far a pod got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PodState {
    /// Waiting for a node.
    Unscheduled,
    Scheduled {
        node: String,
    },
    Running {
        node: String,
    },
    Succeeded,
    /// The task failed: retried, and its node tainted.
    Failed(Failure),
    /// Stopped through no fault of its own: replaced without spending a retry.
    Disrupted {
        why: String,
    },
    /// Being deleted, or stopped by the task, while not finished.
    Terminating,
    /// The node stopped reporting.
    Unknown,
}

/// What a failed pod leaves to report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The first failing container's exit code and reason, or the pod's reason.
    pub detail: String,
    pub node: Option<String>,
    /// When it failed, if the pod says; backoff counts from here.
    pub at: Option<Timestamp>,
}

pub fn state(pod: &Pod) -> PodState {
    let status = pod.status.as_ref();
    let phase = status.and_then(|s| s.phase.as_deref()).unwrap_or("Pending");
    let node = pod.spec.as_ref().and_then(|s| s.node_name.clone());
    match phase {
        "Succeeded" => PodState::Succeeded,
        "Failed" => match disruption(pod) {
            Some(why) => PodState::Disrupted { why },
            None => PodState::Failed(Failure {
                detail: failure_detail(pod),
                node,
                at: failed_at(pod),
            }),
        },
        _ if pod.metadata.deletion_timestamp.is_some() || is_stopping(pod) => PodState::Terminating,
        "Running" => PodState::Running {
            node: node.unwrap_or_default(),
        },
        "Unknown" => PodState::Unknown,
        _ => match node {
            Some(node) => PodState::Scheduled { node },
            None => PodState::Unscheduled,
        },
    }
}

fn disruption(pod: &Pod) -> Option<String> {
    let status = pod.status.as_ref()?;
    let target = condition(pod, "DisruptionTarget").filter(|c| c.status == "True");
    let (reason, message) = match target {
        Some(c) => (c.reason.as_deref(), c.message.as_deref()),
        None => (status.reason.as_deref(), status.message.as_deref()),
    };
    let reason = reason.unwrap_or_default();
    let disrupted =
        target.is_some() || DISRUPTION_REASONS.contains(&reason) || reason.starts_with("OutOf");
    disrupted.then(|| match message {
        Some(message) if !message.is_empty() => format!("{reason}: {message}"),
        _ => reason.to_string(),
    })
}

/// The pod's condition of `type_`.
pub fn condition<'p>(pod: &'p Pod, type_: &str) -> Option<&'p PodCondition> {
    pod.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == type_)
}

/// Task containers first, then init containers that are not sidecars: a sidecar
/// is stopped with a non-zero code when the task ends, which says nothing.
fn task_container_statuses(pod: &Pod) -> impl Iterator<Item = &ContainerStatus> {
    let status = pod.status.as_ref();
    let sidecars: Vec<&str> = pod
        .spec
        .as_ref()
        .and_then(|s| s.init_containers.as_ref())
        .into_iter()
        .flatten()
        .filter(|c| c.restart_policy.as_deref() == Some("Always"))
        .map(|c| c.name.as_str())
        .collect();
    let main = status.and_then(|s| s.container_statuses.as_ref());
    let init = status.and_then(|s| s.init_container_statuses.as_ref());
    let init = init
        .into_iter()
        .flatten()
        .filter(move |c| !sidecars.contains(&c.name.as_str()));
    main.into_iter().flatten().chain(init)
}

fn failure_detail(pod: &Pod) -> String {
    let exited = task_container_statuses(pod).find_map(|c| {
        let terminated = c.state.as_ref()?.terminated.as_ref()?;
        (terminated.exit_code != 0).then_some((c, terminated))
    });
    if let Some((container, terminated)) = exited {
        let reason = terminated.reason.as_deref().unwrap_or("Error");
        return format!(
            "container {} exited with code {} ({reason})",
            container.name, terminated.exit_code
        );
    }
    let status = pod.status.as_ref();
    match (
        status.and_then(|s| s.reason.as_deref()),
        status.and_then(|s| s.message.as_deref()),
    ) {
        (Some(reason), Some(message)) => format!("{reason}: {message}"),
        (Some(text), None) | (None, Some(text)) => text.to_string(),
        (None, None) => "the pod failed".to_string(),
    }
}

/// When the last container finished, else when the pod stopped being ready:
/// times the pod keeps, so the backoff does not restart at every look.
fn failed_at(pod: &Pod) -> Option<Timestamp> {
    finished_at(pod).or_else(|| {
        let ready = condition(pod, "Ready").filter(|c| c.status == "False")?;
        ready.last_transition_time.as_ref().map(|t| t.0)
    })
}

/// When a finished pod's containers finished.
pub fn finished_at(pod: &Pod) -> Option<Timestamp> {
    task_container_statuses(pod)
        .filter_map(|c| c.state.as_ref()?.terminated.as_ref()?.finished_at.as_ref())
        .map(|t| t.0)
        .max()
}

/// A container that waits because its image cannot be pulled, as
/// "container: message". Pulls are retried by the kubelet, so this is reported,
/// not counted as a failure.
pub fn image_pull_error(pod: &Pod) -> Option<String> {
    let status = pod.status.as_ref()?;
    let all = [&status.init_container_statuses, &status.container_statuses];
    all.into_iter().flatten().flatten().find_map(|c| {
        let waiting = c.state.as_ref()?.waiting.as_ref()?;
        let reason = waiting.reason.as_deref()?;
        if reason != "ErrImagePull" && reason != "ImagePullBackOff" {
            return None;
        }
        let message = waiting.message.as_deref().unwrap_or(reason);
        Some(format!("{}: {message}", c.name))
    })
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::{
        Container, ContainerState, ContainerStateTerminated, PodSpec, PodStatus,
    };
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

    use super::*;
    use crate::controller::task_fixtures::{at, with_condition};

    fn exited(name: &str, exit_code: i32, finished: i64) -> ContainerStatus {
        ContainerStatus {
            name: name.into(),
            state: Some(ContainerState {
                terminated: Some(ContainerStateTerminated {
                    exit_code,
                    finished_at: Some(Time(at(finished))),
                    ..ContainerStateTerminated::default()
                }),
                ..ContainerState::default()
            }),
            ..ContainerStatus::default()
        }
    }

    /// A failed pod with a weapon sidecar and the preload init container.
    fn failed_pod(init: Vec<ContainerStatus>, main: Vec<ContainerStatus>) -> Pod {
        let sidecar = Container {
            name: "weapon-pl-15".into(),
            restart_policy: Some("Always".into()),
            ..Container::default()
        };
        let preload = Container {
            name: "weapon-preload".into(),
            ..Container::default()
        };
        Pod {
            spec: Some(PodSpec {
                init_containers: Some(vec![preload, sidecar]),
                node_name: Some("j20-01".into()),
                ..PodSpec::default()
            }),
            status: Some(PodStatus {
                phase: Some("Failed".into()),
                init_container_statuses: Some(init),
                container_statuses: Some(main),
                ..PodStatus::default()
            }),
            ..Pod::default()
        }
    }

    fn failure(pod: &Pod) -> Failure {
        match state(pod) {
            PodState::Failed(failure) => failure,
            other => panic!("not a failure: {other:?}"),
        }
    }

    #[test]
    fn the_attempt_is_the_number_after_the_task_name() {
        assert_eq!(attempt_of("strike-1", "strike-1-12"), Some(12));
        assert_eq!(attempt_of("strike-1", "strike-1-0"), None);
        assert_eq!(attempt_of("strike", "strike-1-2"), None);
        assert_eq!(attempt_of("strike-1", "other-1"), None);
    }

    #[test]
    fn a_failure_is_told_by_the_task_container_not_by_the_stopped_sidecar() {
        let pod = failed_pod(
            vec![
                exited("weapon-preload", 0, 1),
                exited("weapon-pl-15", 143, 9),
            ],
            vec![exited("task", 2, 8)],
        );
        let failure = failure(&pod);
        assert_eq!(failure.detail, "container task exited with code 2 (Error)");
        assert_eq!(
            failure.at,
            Some(at(8)),
            "the sidecar's stop is not the failure"
        );
        assert_eq!(failure.node.as_deref(), Some("j20-01"));
    }

    #[test]
    fn a_failing_preload_is_named_when_no_task_container_ran() {
        let pod = failed_pod(vec![exited("weapon-preload", 1, 4)], vec![]);
        assert_eq!(
            failure(&pod).detail,
            "container weapon-preload exited with code 1 (Error)"
        );
    }

    #[test]
    fn without_container_times_the_failure_dates_from_the_ready_condition() {
        let pod = with_condition(failed_pod(vec![], vec![]), "Ready", "False", "PodFailed", 6);
        let failure = failure(&pod);
        assert_eq!(
            (failure.detail.as_str(), failure.at),
            ("the pod failed", Some(at(6)))
        );
    }

    #[test]
    fn a_node_refusing_the_pod_at_admission_is_a_disruption() {
        let mut pod = failed_pod(vec![], vec![]);
        if let Some(status) = pod.status.as_mut() {
            status.reason = Some("NodeAffinity".into());
            status.message = Some("Pod Predicate NodeAffinity failed".into());
        }
        assert_eq!(
            state(&pod),
            PodState::Disrupted {
                why: "NodeAffinity: Pod Predicate NodeAffinity failed".into()
            }
        );
    }
}
