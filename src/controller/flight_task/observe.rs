//! What a FlightTask reconcile reads before planning: the task's pods, the
//! FailedScheduling events of its current pod, and the weapons of its loadout.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::{Event as CoreEvent, Pod};
use kube::api::ListParams;
use kube::{Api, ResourceExt};

use crate::api::keys::{MISSION_LABEL, STAGE_LABEL, TASK_LABEL};
use crate::api::{FlightTask, Weapon};
use crate::controller::context::Context;
use crate::controller::error::{Error, Result};
use crate::controller::pod_state;

/// The pods that may be the task's, read fresh from the API server. The plan
/// keeps only those the task controls ([`pod_state::task_pods`]).
pub async fn pods(ctx: &Context, task: &FlightTask, namespace: &str) -> Result<Vec<Pod>> {
    let params = match selector(task) {
        Some(selector) => ListParams::default().labels(&selector),
        // A standalone task whose name does not fit a label: its pods carry no
        // task label, so only ownership tells them apart.
        None => ListParams::default(),
    };
    let api: Api<Pod> = ctx.namespaced(namespace);
    let pods = api.list(&params).await.map_err(Error::kube(
        "list the pods of",
        format!("FlightTask {namespace}/{}", task.name_any()),
    ))?;
    Ok(pods.items)
}

/// The label selector matching the labels [`crate::controller::pod_builder`]
/// puts on the task's pods, or `None` when they carry no task label.
fn selector(task: &FlightTask) -> Option<String> {
    let name = task.name_any();
    let labels = task.labels();
    let mut terms: Vec<String> = [MISSION_LABEL, STAGE_LABEL, TASK_LABEL]
        .into_iter()
        .filter_map(|key| Some(format!("{key}={}", labels.get(key)?)))
        .collect();
    if !labels.contains_key(TASK_LABEL) {
        if name.len() > 63 {
            return None;
        }
        terms.push(format!("{TASK_LABEL}={name}"));
    }
    Some(terms.join(","))
}

/// How often the scheduler found no aircraft for the task's current pod. Not
/// read again once the status holds the node the pod is bound to: the plan
/// keeps the count of a bound pod it has recorded.
pub async fn failed_scheduling(
    ctx: &Context,
    task: &FlightTask,
    namespace: &str,
    pods: &[Pod],
) -> Result<i32> {
    let Some(current) = pod_state::task_pods(task, pods).pop() else {
        return Ok(0);
    };
    let node = current
        .pod
        .spec
        .as_ref()
        .and_then(|s| s.node_name.as_deref());
    let status = task.status.as_ref();
    let recorded = status
        .and_then(|s| s.pod_ref.as_ref())
        .is_some_and(|r| r.name == current.name);
    let recorded_node = status
        .and_then(|s| s.scheduling_info.as_ref())
        .and_then(|i| i.assigned_node.as_deref());
    if recorded && node.is_some() && node == recorded_node {
        return Ok(0);
    }
    let fields = format!(
        "involvedObject.kind=Pod,reason=FailedScheduling,involvedObject.name={}",
        current.name
    );
    let api: Api<CoreEvent> = ctx.namespaced(namespace);
    let events = api
        .list(&ListParams::default().fields(&fields))
        .await
        .map_err(Error::kube(
            "list the scheduling events of",
            format!("pod {namespace}/{}", current.name),
        ))?;
    let uid = current.pod.metadata.uid.as_deref();
    Ok(count_failed_scheduling(&events.items, current.name, uid))
}

/// The scheduling failures `events` report for the pod `name` (and `uid`, so
/// the events of an earlier pod of the same name are not counted).
fn count_failed_scheduling(events: &[CoreEvent], name: &str, uid: Option<&str>) -> i32 {
    events
        .iter()
        .filter(|e| e.reason.as_deref() == Some("FailedScheduling"))
        .filter(|e| e.involved_object.name.as_deref() == Some(name))
        .filter(|e| match (uid, e.involved_object.uid.as_deref()) {
            (Some(pod), Some(event)) => pod == event,
            _ => true,
        })
        .map(|e| {
            let series = e.series.as_ref().and_then(|s| s.count).unwrap_or(0);
            e.count.unwrap_or(0).max(series).max(1)
        })
        .fold(0, i32::saturating_add)
}

/// The Weapons the loadout names that exist; a missing one is left out, so the
/// pod builder fails the task with `WeaponNotFound`.
pub async fn weapons(ctx: &Context, task: &FlightTask, namespace: &str) -> Result<Vec<Weapon>> {
    let wanted: BTreeSet<(&str, &str)> = task
        .spec
        .template
        .weapon_loadout
        .iter()
        .map(|entry| {
            let reference = &entry.weapon_ref;
            let in_namespace = reference.namespace.as_deref().unwrap_or(namespace);
            (in_namespace, reference.name.as_str())
        })
        .collect();
    let mut weapons = Vec::with_capacity(wanted.len());
    for (in_namespace, name) in wanted {
        let api: Api<Weapon> = ctx.namespaced(in_namespace);
        let weapon = api
            .get_opt(name)
            .await
            .map_err(Error::kube("read", format!("Weapon {in_namespace}/{name}")))?;
        weapons.extend(weapon);
    }
    Ok(weapons)
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::{EventSeries, ObjectReference};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    use super::*;

    fn task(name: &str, labels: &[(&str, &str)]) -> FlightTask {
        let mut task = FlightTask::new(name, Default::default());
        task.metadata = ObjectMeta {
            name: Some(name.into()),
            labels: Some(
                labels
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ),
            ..ObjectMeta::default()
        };
        task
    }

    fn event(pod: &str, uid: Option<&str>, count: Option<i32>, series: Option<i32>) -> CoreEvent {
        CoreEvent {
            reason: Some("FailedScheduling".into()),
            involved_object: ObjectReference {
                kind: Some("Pod".into()),
                name: Some(pod.into()),
                uid: uid.map(Into::into),
                ..ObjectReference::default()
            },
            count,
            series: series.map(|count| EventSeries {
                count: Some(count),
                ..EventSeries::default()
            }),
            ..CoreEvent::default()
        }
    }

    #[test]
    fn a_mission_task_selects_its_pods_by_mission_stage_and_task() {
        let task = task(
            "m-s-t",
            &[(MISSION_LABEL, "m"), (STAGE_LABEL, "s"), (TASK_LABEL, "t")],
        );
        let selector = selector(&task).expect("labelled");
        assert_eq!(
            selector,
            "airforce.mil/mission=m,airforce.mil/stage=s,airforce.mil/task=t"
        );
    }

    #[test]
    fn a_standalone_task_selects_its_pods_by_its_name() {
        assert_eq!(
            selector(&task("solo", &[])).as_deref(),
            Some("airforce.mil/task=solo")
        );
        assert_eq!(selector(&task(&"x".repeat(64), &[])), None);
    }

    #[test]
    fn scheduling_failures_are_summed_over_aggregated_events() {
        let events = [
            event("p-1", Some("u1"), Some(3), None),
            event("p-1", Some("u1"), None, Some(4)),
            event("p-1", None, None, None),
            event("p-1", Some("old"), Some(9), None),
            event("p-2", Some("u2"), Some(5), None),
        ];
        assert_eq!(count_failed_scheduling(&events, "p-1", Some("u1")), 8);
    }
}
