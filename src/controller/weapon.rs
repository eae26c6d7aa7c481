//! The Weapon controller's I/O shell: reads a weapon, the flight tasks
//! that load it and their pods, asks [`weapon_plan::plan`] for the status and
//! the pods a rollout deletes or reloads, and applies it. Woken by the weapon's own watch
//! and by flight tasks naming it, so a rollout advances as replaced pods start
//! (their tasks' status changes), never on a timer.

use std::collections::BTreeSet;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt;
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams};
use kube::runtime::controller::{Action, Controller};
use kube::runtime::predicates;
use kube::runtime::reflector::{ObjectRef, Store};
use kube::runtime::watcher;
use kube::{Resource, ResourceExt};

use super::apply::{forced_apply, now, publish, write_status};
use super::context::Context;
use super::error::{Error, Result, error_policy, log_outcome, reconciled};
use super::fingerprint::fingerprint;
use super::pool_plan::{self, PoolObserved};
use super::preload_plan::{self, PRELOAD_DAEMON_SET, PRELOAD_HASH};
use super::watch;
use super::weapon_plan::{self, Namesakes, PodKey, SidecarReload, WeaponObserved, WeaponPlan};
use crate::api::field_managers;
use crate::api::keys::{self, TASK_LABEL};
use crate::api::weapon_pool::POOL_LABEL;
use crate::api::{FlightTask, Weapon, armoury};

/// While instances of a pool are lent, how often the weapon is looked at to
/// notice a borrower that was deleted outright.
const LENT_RECHECK: Duration = Duration::from_secs(30);

/// Runs the Weapon controller until `shutdown` completes: over the weapons
/// `run` watches and, when it watches one namespace, the armoury's too, whose
/// weapons that namespace's tasks may carry.
pub async fn run(ctx: Arc<Context>, shutdown: impl Future<Output = ()> + Send + Sync + 'static) {
    let armoury = ctx.separate_armoury();
    let shutdown = futures::FutureExt::shared(shutdown);
    let watched = (ctx.watched::<Weapon>(), ctx.watched::<Pod>());
    let home = run_over(ctx.clone(), watched, shutdown.clone());
    match armoury {
        Some(armoury) => {
            let scope = (ctx.namespaced(&armoury), ctx.namespaced(&armoury));
            let shared = run_over(ctx.clone(), scope, shutdown);
            futures::join!(home, shared);
        }
        None => home.await,
    }
}

/// The controller over `weapons`, woken by changes to their pool instances
/// among `pods` too.
async fn run_over(
    ctx: Arc<Context>,
    (weapons, pods): (Api<Weapon>, Api<Pod>),
    shutdown: impl Future<Output = ()> + Send + Sync + 'static,
) {
    let every_change = predicates::resource_version;
    let (store, changes) = watch::primary(weapons, every_change);
    let armoury = ctx.pods.armoury.clone();
    let preload = Arc::new(Preload::new(store.clone()));
    let instances = watcher::Config::default().labels(POOL_LABEL);
    Controller::for_stream(changes, store)
        .with_config(watch::controller_config())
        .owns(pods, instances)
        .watches_shared_stream(ctx.caches.tasks.subscribe(), move |task| {
            loaded_weapons(&task, armoury.as_deref())
        })
        .graceful_shutdown_on(shutdown)
        .run(
            move |object, ctx| {
                let preload = preload.clone();
                reconciled("weapon", object, ctx, |weapon, ctx| async move {
                    reconcile(weapon, ctx, &preload).await
                })
            },
            error_policy,
            ctx,
        )
        .for_each(|result| async move { log_outcome(result) })
        .await;
}

/// Every weapon a task's loadout may resolve to: each entry's namespace, or
/// the task's and the armoury's.
fn loaded_weapons(task: &FlightTask, armoury: Option<&str>) -> Vec<ObjectRef<Weapon>> {
    let home = task.namespace().unwrap_or_default();
    let refs: BTreeSet<(&str, &str)> = (task.spec.template.weapon_loadout.iter())
        .flat_map(|entry| {
            let wanted = &entry.weapon_ref;
            let order = armoury::search_order(wanted, &home, armoury);
            order.into_iter().map(|ns| (wanted.name.as_str(), ns))
        })
        .collect();
    (refs.into_iter())
        .map(|(name, ns)| ObjectRef::new(name).within(ns))
        .collect()
}

#[tracing::instrument(skip_all, fields(
    kind = "Weapon",
    namespace = weapon.metadata.namespace.as_deref(),
    name = weapon.metadata.name.as_deref(),
))]
async fn reconcile(weapon: Arc<Weapon>, ctx: Arc<Context>, preload: &Preload) -> Result<Action> {
    let name = weapon.name_any();
    let namespace =
        (weapon.namespace()).ok_or_else(|| Error::MissingNamespace(format!("weapon {name}")))?;
    let object = format!("weapon {namespace}/{name}");
    if weapon.meta().deletion_timestamp.is_some() {
        return Ok(Action::await_change());
    }
    let namesakes = namesakes(&ctx, &weapon, &object).await?;
    let namesakes = Namesakes {
        weapons: &namesakes,
        armoury: ctx.pods.armoury.as_deref(),
    };
    // Tasks anywhere we watch may name the weapon in another namespace.
    let listed = (ctx
        .watched::<FlightTask>()
        .list(&ListParams::default())
        .await)
        .map_err(Error::kube("list the flight tasks that may load", &object))?;
    let tasks: Vec<FlightTask> = (listed.items.into_iter())
        .filter(|task| weapon_plan::references(task, &weapon, namesakes))
        .collect();
    let pods = task_pods(&ctx, &tasks, &object).await?;
    let observed = WeaponObserved {
        weapon: &weapon,
        tasks: &tasks,
        pods: &pods,
        simulator_image: &ctx.pods.simulator_image,
        namesakes,
        now: now(),
    };
    let mut plan = weapon_plan::plan(&observed);
    tracing::debug!(phase = ?plan.status.phase, delete = ?plan.delete, "planned");
    let instances = pool::instances(&ctx, &weapon, &object).await?;
    let pool_plan = pool_plan::plan(&PoolObserved {
        weapon: &weapon,
        instances: &instances,
        tasks: &tasks,
        simulator_image: &ctx.pods.simulator_image,
    });
    let applied = pool::apply(&ctx, &weapon, &instances, &pool_plan).await?;
    plan.status.pool = pool_plan.status.map(|mut status| {
        let lent = status.borrowed.len();
        (status.borrowed).retain(|loan| !applied.not_lent.contains(&loan.instance));
        let unlent = lent - status.borrowed.len();
        status.waiting += i32::try_from(unlent).unwrap_or(0);
        status
    });
    plan.events.extend(applied.events);
    let lent = (plan.status.pool.as_ref()).is_some_and(|pool| !pool.borrowed.is_empty());
    apply_plan(&ctx, &weapon, plan).await?;
    sync_preload(&ctx, &namespace, preload).await?;
    Ok(next_look(lent, applied.look_again))
}

/// When to look at the weapon again without a change to wake it: soon after
/// a pool write found an instance changed or silent; every half minute while
/// instances are lent, since a borrower deleted outright wakes nothing.
fn next_look(lent: bool, look_again: Option<Duration>) -> Action {
    match look_again {
        Some(after) => Action::requeue(after),
        None if lent => Action::requeue(LENT_RECHECK),
        None => Action::await_change(),
    }
}

/// The weapons the controller watches, from its own cache, and what each
/// namespace's preload DaemonSet was last brought to by this process: a weapon
/// reconcile, woken by every change to a task that carries the weapon, reads
/// and writes nothing for the preload unless the weapons changed what it
/// should be.
pub(super) struct Preload {
    weapons: Store<Weapon>,
    synced: Mutex<HashMap<String, Option<String>>>,
}

impl Preload {
    pub(super) fn new(weapons: Store<Weapon>) -> Self {
        Preload {
            weapons,
            synced: Mutex::new(HashMap::new()),
        }
    }

    fn synced(&self) -> std::sync::MutexGuard<'_, HashMap<String, Option<String>>> {
        self.synced
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Keeps the namespace's preload DaemonSet as its weapons ask: applied when
/// one preloads and it differs from what was last applied (a hash of it is
/// kept on it, since the server fills in defaults), deleted when none does.
async fn sync_preload(ctx: &Context, namespace: &str, preload: &Preload) -> Result<()> {
    let object = format!("the weapon preload of namespace {namespace}");
    let weapons = preload.weapons.state();
    let here = (weapons.iter())
        .filter(|weapon| weapon.namespace().as_deref() == Some(namespace))
        .map(|weapon| &**weapon);
    let preload_all = ctx.config.preload_all_weapons;
    let desired = preload_plan::daemon_set(namespace, here, &ctx.pods.simulator_image, preload_all);
    let wanted = desired.as_ref().map(fingerprint);
    if preload.synced().get(namespace) == Some(&wanted) {
        return Ok(());
    }
    let sets: Api<DaemonSet> = ctx.namespaced(namespace);
    let existing =
        (sets.get_opt(PRELOAD_DAEMON_SET).await).map_err(Error::kube("read", &object))?;
    match (desired, existing) {
        (Some(mut desired), existing) => {
            let applied = existing
                .as_ref()
                .and_then(|set| set.annotations().get(PRELOAD_HASH));
            if applied != wanted.as_ref() {
                let hash = wanted.clone().unwrap_or_default();
                desired.annotations_mut().insert(PRELOAD_HASH.into(), hash);
                let params = forced_apply(field_managers::WEAPON_CONTROLLER);
                tracing::info!(namespace, "applying the weapon preload DaemonSet");
                (sets
                    .patch(PRELOAD_DAEMON_SET, &params, &Patch::Apply(&desired))
                    .await)
                    .map_err(Error::kube("apply", &object))?;
            }
        }
        (None, Some(_)) => {
            tracing::info!(
                namespace,
                "deleting the weapon preload DaemonSet: no weapon asks for it"
            );
            match sets
                .delete(PRELOAD_DAEMON_SET, &DeleteParams::background())
                .await
            {
                Ok(_) => {}
                Err(kube::Error::Api(status)) if status.is_not_found() => {}
                Err(error) => return Err(Error::kube("delete", &object)(error)),
            }
        }
        (None, None) => {}
    }
    preload.synced().insert(namespace.to_string(), wanted);
    Ok(())
}

/// The weapon and the Weapons of its name where the tasks `run` watches live:
/// a reference that names no namespace resolves to a namesake in the task's
/// own namespace before the armoury's. Watching one namespace, only that one
/// is read, so a `run` allowed no more than its namespace and the armoury
/// needs no more.
async fn namesakes(ctx: &Context, weapon: &Weapon, object: &str) -> Result<Vec<Weapon>> {
    let name = weapon.name_any();
    let Some(watched) = ctx.namespace.as_deref() else {
        let by_name = ListParams::default().fields(&format!("metadata.name={name}"));
        let listed = (Api::<Weapon>::all(ctx.client.clone()).list(&by_name).await)
            .map_err(Error::kube("list the namesakes of", object))?;
        return Ok(listed.items);
    };
    let mut found = vec![weapon.clone()];
    if weapon.namespace().as_deref() != Some(watched) {
        let api: Api<Weapon> = ctx.namespaced(watched);
        let namesake = (api.get_opt(&name).await).map_err(Error::kube(
            "read the namesake in the watched namespace of",
            object,
        ))?;
        found.extend(namesake);
    }
    Ok(found)
}

/// The plan's writes, in its order: the status, the surge marks, the deletes
/// of task pods that are out of date, the sidecars reloaded in place, then the
/// events.
async fn apply_plan(ctx: &Context, weapon: &Weapon, plan: WeaponPlan) -> Result<()> {
    let (stored, manager) = (weapon.status.as_ref(), field_managers::WEAPON_CONTROLLER);
    write_status(ctx, weapon, "weapon", stored, &plan.status, manager, false).await?;
    for pod in &plan.surge {
        mark_for_surge(ctx, pod).await?;
    }
    for pod in &plan.delete {
        delete_pod(ctx, pod).await?;
    }
    for reload in &plan.reload {
        reload_sidecar(ctx, reload).await?;
    }
    publish(&ctx.recorder, plan.events, weapon).await;
    Ok(())
}

/// The task pods in the namespaces of `tasks`: read fresh, not from a cache, so
/// a pod deleted a moment ago already shows as terminating and the rollout's
/// budget is not spent twice.
async fn task_pods(ctx: &Context, tasks: &[FlightTask], object: &str) -> Result<Vec<Pod>> {
    let namespaces: BTreeSet<String> = tasks.iter().filter_map(|t| t.namespace()).collect();
    let mut pods = Vec::new();
    for namespace in namespaces {
        let api: Api<Pod> = ctx.namespaced(&namespace);
        let listed = (api.list(&ListParams::default().labels(TASK_LABEL)).await)
            .map_err(Error::kube("list the task pods that carry", object))?;
        pods.extend(listed.items);
    }
    Ok(pods)
}

/// Deletes a pod so its task replaces it with the current image; one already
/// gone is fine.
async fn delete_pod(ctx: &Context, pod: &PodKey) -> Result<()> {
    let api: Api<Pod> = ctx.namespaced(&pod.namespace);
    tracing::info!(pod = %pod.name, namespace = %pod.namespace, "deleting an out-of-date task pod");
    let deleted = api.delete(&pod.name, &DeleteParams::default()).await;
    unless_gone(deleted.map(drop), "delete", pod)
}

/// A write to a task pod: one that is gone meanwhile needs it no more.
fn unless_gone(written: kube::Result<()>, action: &'static str, pod: &PodKey) -> Result<()> {
    match written {
        Ok(()) => Ok(()),
        Err(kube::Error::Api(status)) if status.is_not_found() => Ok(()),
        Err(source) => Err(Error::Kube {
            action,
            object: format!("pod {}/{}", pod.namespace, pod.name),
            source,
        }),
    }
}

/// Marks a running out-of-date pod so its task starts the next attempt beside
/// it; marking it again changes nothing, and a pod gone meanwhile needs none.
async fn mark_for_surge(ctx: &Context, pod: &PodKey) -> Result<()> {
    let api: Api<Pod> = ctx.namespaced(&pod.namespace);
    tracing::info!(pod = %pod.name, namespace = %pod.namespace, "asking the task to replace its pod beside it");
    let patch = serde_json::json!({"metadata": {"annotations": {keys::SURGE_ANNOTATION: "true"}}});
    let params = PatchParams {
        field_manager: Some(field_managers::WEAPON_CONTROLLER.to_string()),
        ..PatchParams::default()
    };
    let marked = api.patch(&pod.name, &params, &Patch::Merge(patch)).await;
    unless_gone(marked.map(drop), "mark for a surge", pod)
}

/// Sets the sidecar's image in the running pod (the one pod field that may
/// change), so the kubelet restarts that container on the new image while the
/// pod and its task go on. Patching the same image again changes nothing; a
/// pod gone meanwhile needs no reload.
async fn reload_sidecar(ctx: &Context, reload: &SidecarReload) -> Result<()> {
    let pod = &reload.pod;
    let api: Api<Pod> = ctx.namespaced(&pod.namespace);
    tracing::info!(pod = %pod.name, namespace = %pod.namespace, image = %reload.image, "reloading a weapon sidecar in place");
    // A strategic merge keyed by container name touches that one image.
    let patch = serde_json::json!({"spec": {"initContainers": [
        {"name": reload.container, "image": reload.image}
    ]}});
    let params = PatchParams {
        field_manager: Some(field_managers::WEAPON_CONTROLLER.to_string()),
        ..PatchParams::default()
    };
    let reloaded = api
        .patch(&pod.name, &params, &Patch::Strategic(patch))
        .await;
    unless_gone(reloaded.map(drop), "reload the weapon sidecar of", pod)
}

mod pool;
#[cfg(test)]
mod write_order;
