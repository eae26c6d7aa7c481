//! What a FlightTask reconcile reads before planning: the task's pods and the
//! FailedScheduling events of its current pod (both from the shared caches),
//! and the weapons of its loadout.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::{Event as CoreEvent, Pod};
use kube::api::ListParams;
use kube::{Api, ResourceExt};

use crate::api::conditions::reasons;
use crate::api::flight_task::WeaponRef;
use crate::api::keys::TASK_LABEL;
use crate::api::weapon_pool::POOL_LABEL;
use crate::api::{FlightTask, Weapon, armoury};
use crate::controller::context::Context;
use crate::controller::error::{Error, Result};
use crate::controller::pool_plan::{self, Borrowed};
use crate::controller::{pod_builder, pod_state};

/// The pods that may be the task's, from the shared cache of task pods. The
/// plan keeps only those the task controls ([`pod_state::task_pods`]).
pub async fn pods(ctx: &Context, task: &FlightTask, namespace: &str) -> Result<Vec<Pod>> {
    let labelled = pod_builder::identity_labels(task, &task.name_any()).contains_key(TASK_LABEL);
    match task.metadata.uid.as_deref() {
        Some(uid) if labelled => Ok((ctx.caches.pods.controlled_by(uid).iter())
            .map(|pod| Pod::clone(pod))
            .collect()),
        // A standalone task whose name does not fit a label: its pods carry
        // no task label, so the cache does not hold them and only ownership
        // tells them apart.
        _ => {
            let api: Api<Pod> = ctx.namespaced(namespace);
            let pods = api.list(&ListParams::default()).await.map_err(Error::kube(
                "list the pods of",
                format!("FlightTask {namespace}/{}", task.name_any()),
            ))?;
            Ok(pods.items)
        }
    }
}

/// How often the scheduler found no aircraft for the task's current pod, from
/// the shared cache of FailedScheduling events. Not counted once the status
/// holds the node the pod is bound to: the plan keeps the count of a bound pod
/// it has recorded.
pub fn failed_scheduling(ctx: &Context, task: &FlightTask, pods: &[Pod]) -> i32 {
    let Some(current) = pod_state::task_pods(task, pods).pop() else {
        return 0;
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
        return 0;
    }
    let Some(uid) = current.pod.metadata.uid.as_deref() else {
        return 0;
    };
    let events = ctx.caches.scheduling_failures.indexed_by(uid);
    count_failed_scheduling(events.iter().map(AsRef::as_ref), current.name, Some(uid))
}

/// The scheduling failures `events` report for the pod `name` (and `uid`, so
/// the events of an earlier pod of the same name are not counted).
fn count_failed_scheduling<'a>(
    events: impl IntoIterator<Item = &'a CoreEvent>,
    name: &str,
    uid: Option<&str>,
) -> i32 {
    (events.into_iter())
        .filter(|e| e.reason.as_deref() == Some(reasons::FAILED_SCHEDULING))
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

/// The Weapons the loadout names, each found where [`armoury::search_order`]
/// looks first; a missing one is left out, so the pod builder fails the task
/// with `WeaponNotFound`.
pub async fn weapons(ctx: &Context, task: &FlightTask, namespace: &str) -> Result<Vec<Weapon>> {
    let armoury = ctx.pods.armoury.as_deref();
    let wanted: BTreeSet<&WeaponRef> = (task.spec.template.weapon_loadout.iter())
        .map(|entry| &entry.weapon_ref)
        .collect();
    let mut weapons = Vec::with_capacity(wanted.len());
    for reference in wanted {
        let name = reference.name.as_str();
        for in_namespace in armoury::search_order(reference, namespace, armoury) {
            let api: Api<Weapon> = ctx.namespaced(in_namespace);
            let weapon = api
                .get_opt(name)
                .await
                .map_err(Error::kube("read", format!("Weapon {in_namespace}/{name}")))?;
            if let Some(weapon) = weapon {
                weapons.push(weapon);
                break;
            }
        }
    }
    Ok(weapons)
}

/// What the task holds of the weapon pools its loadout draws on.
#[derive(Debug, Default)]
pub struct Loans {
    pub borrowed: Vec<Borrowed>,
    /// One line per pool it still waits for.
    pub waiting: Vec<String>,
}

/// The instances lent to the task by the pools of `weapons` (those that
/// keep one), read fresh so a loan just recorded is seen.
pub async fn loans(ctx: &Context, task: &FlightTask, weapons: &[Weapon]) -> Result<Loans> {
    let mut loans = Loans::default();
    let uid = task.metadata.uid.as_deref().unwrap_or_default();
    for weapon in weapons.iter().filter(|weapon| weapon.spec.pool.is_some()) {
        let (name, namespace) = (weapon.name_any(), weapon.namespace().unwrap_or_default());
        let api: Api<Pod> = ctx.namespaced(&namespace);
        let selector = format!("{POOL_LABEL}={name}");
        let instances =
            (api.list(&ListParams::default().labels(&selector)).await).map_err(Error::kube(
                "list the pool instances of",
                format!("Weapon {namespace}/{name}"),
            ))?;
        match pool_plan::borrowed_by(uid, &name, &instances.items) {
            Some(borrowed) => loans.borrowed.push(borrowed),
            None => loans
                .waiting
                .push(pool_plan::waiting_message(weapon, &instances.items)),
        }
    }
    Ok(loans)
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::{EventSeries, ObjectReference};

    use super::*;

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
