//! The weapon pool's writes: instance pods created and deleted, loans taken
//! back and lent. A loan is an annotation on the instance, always written
//! with the resourceVersion the plan read as a precondition: a write on a
//! stale reading is refused (409) and the pool is looked at again, so no
//! instance is ever lent twice, whatever crashed in between.

use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams};
use kube::runtime::events::EventType;
use kube::{Resource, ResourceExt};
use serde_json::{Value, json};

use crate::api::Weapon;
use crate::api::conditions::reasons;
use crate::api::field_managers;
use crate::api::weapon_pool::{BORROWED_BY, BORROWER_UID, POOL_LABEL};
use crate::controller::children;
use crate::controller::context::Context;
use crate::controller::error::{Error, Result};
use crate::controller::pool_plan::{self, Instance, Lend, PoolPlan};
use crate::controller::report::PlanEvent;
use crate::weapon_link::sidecars;
use crate::weapon_protocol::v1::status_response::WeaponState;

/// How soon the pool is looked at again after a write found the instance
/// changed, or an instance did not answer.
const LOOK_AGAIN: Duration = Duration::from_secs(2);

/// The weapon's instance pods, read fresh: a loan is decided on the
/// resourceVersion just read. Nothing is read for a weapon that keeps no
/// pool and never kept one.
pub async fn instances(ctx: &Context, weapon: &Weapon, object: &str) -> Result<Vec<Pod>> {
    let had_pool = weapon.status.as_ref().is_some_and(|s| s.pool.is_some());
    if weapon.spec.pool.is_none() && !had_pool {
        return Ok(Vec::new());
    }
    let namespace = weapon.namespace().unwrap_or_default();
    let api: Api<Pod> = ctx.namespaced(&namespace);
    let selector = format!("{POOL_LABEL}={}", weapon.name_any());
    let listed = (api.list(&ListParams::default().labels(&selector)).await)
        .map_err(Error::kube("list the pool instances of", object))?;
    Ok(listed.items)
}

/// What applying the plan came to: the loans that did not land (the status
/// leaves them out) and the events to record.
pub struct Applied {
    pub not_lent: Vec<String>,
    pub events: Vec<PlanEvent>,
    pub look_again: Option<Duration>,
}

/// The plan's writes, in order: deletes, creates, loans taken back, loans.
pub async fn apply(
    ctx: &Context,
    weapon: &Weapon,
    instances: &[Pod],
    plan: &PoolPlan,
) -> Result<Applied> {
    let namespace = weapon.namespace().unwrap_or_default();
    let api: Api<Pod> = ctx.namespaced(&namespace);
    let mut applied = Applied {
        not_lent: Vec::new(),
        events: plan.events.clone(),
        look_again: None,
    };
    for name in &plan.delete {
        delete(&api, name, &namespace).await?;
    }
    let owner = weapon.meta().uid.clone().unwrap_or_default();
    for pod in &plan.create {
        let object = format!("pool instance {namespace}/{}", pod.name_any());
        (children::create(&api, pod, &owner).await).map_err(Error::kube("create", &object))?;
    }
    let find = |name: &str| instances.iter().find(|pod| pod.name_any() == name);
    for instance in &plan.take_back {
        let Some(pod) = find(&instance.name) else {
            continue;
        };
        let (event, changed) = take_back(ctx, &api, pod, instance).await?;
        applied.events.push(event);
        if changed {
            applied.look_again = Some(LOOK_AGAIN);
        }
    }
    for lend in &plan.lend {
        let Some(pod) = find(&lend.instance.name) else {
            continue;
        };
        if self::lend(ctx, &api, pod, lend).await? {
            applied.events.push(PlanEvent {
                type_: EventType::Normal,
                reason: reasons::LENT,
                action: "Lend",
                note: format!("lent {} to flight task {}", lend.instance.name, lend.task),
            });
        } else {
            applied.not_lent.push(lend.instance.name.clone());
            applied.look_again = Some(LOOK_AGAIN);
        }
    }
    Ok(applied)
}

/// Resets a returned instance through the weapon protocol and clears its
/// loan; an instance that cannot be reset (it fired, it is in FAULT, it does
/// not answer) is deleted instead, and its slot gets a fresh one. Returns the
/// event, and whether the instance had changed since the plan read it.
async fn take_back(
    ctx: &Context,
    api: &Api<Pod>,
    pod: &Pod,
    instance: &Instance,
) -> Result<(PlanEvent, bool)> {
    let borrower = pool_plan::loan(pod)
        .map(|(task, _)| task)
        .unwrap_or_default();
    let reset = match sidecars::of_pod(pod).first() {
        Some(weapon) => ctx
            .weapons
            .reset(pod, weapon)
            .await
            .map_err(|e| e.to_string()),
        None => Err("it runs no weapon".to_string()),
    };
    let namespace = pod.namespace().unwrap_or_default();
    let event = |note: String| PlanEvent {
        type_: EventType::Normal,
        reason: reasons::RETURNED,
        action: "TakeBack",
        note,
    };
    let why = match reset {
        Ok(true) => {
            let cleared = json!({BORROWED_BY: Value::Null, BORROWER_UID: Value::Null});
            let written = annotate(api, instance, cleared).await?;
            let note = format!("{} is back from {borrower}, reset and free", instance.name);
            return Ok((event(note), !written));
        }
        Ok(false) => "the weapon cannot be loaded again without a restart".to_string(),
        Err(error) => error,
    };
    delete(api, &instance.name, &namespace).await?;
    let note = format!(
        "{} is back from {borrower} and replaced: {why}",
        instance.name
    );
    Ok((event(note), false))
}

/// Arms a free instance (loaded, warmed up and self-checked) and records the
/// loan on it. `false` when it is not lent now: it is still warming up, did
/// not answer, or changed since the plan read it. One in FAULT is replaced.
async fn lend(ctx: &Context, api: &Api<Pod>, pod: &Pod, lend: &Lend) -> Result<bool> {
    let Some(weapon) = sidecars::of_pod(pod).into_iter().next() else {
        return Ok(false);
    };
    let status = match ctx.weapons.arm(pod, &weapon).await {
        Ok(status) => status,
        Err(error) => {
            tracing::info!(instance = %lend.instance.name, %error, "a pool instance did not answer");
            return Ok(false);
        }
    };
    let state = WeaponState::try_from(status.state).unwrap_or(WeaponState::Fault);
    if state == WeaponState::Fault || (status.self_checked && !status.self_check_passed) {
        let namespace = pod.namespace().unwrap_or_default();
        tracing::warn!(instance = %lend.instance.name, message = %status.message, "replacing a pool instance in fault");
        delete(api, &lend.instance.name, &namespace).await?;
        return Ok(false);
    }
    if state != WeaponState::Ready {
        return Ok(false);
    }
    let loan = json!({BORROWED_BY: lend.task, BORROWER_UID: lend.task_uid});
    annotate(api, &lend.instance, loan).await
}

/// Writes `annotations` on the instance as it was read; `false` when it has
/// changed (or gone) since.
async fn annotate(api: &Api<Pod>, instance: &Instance, annotations: Value) -> Result<bool> {
    let patch = json!({"metadata": {
        "resourceVersion": instance.resource_version,
        "annotations": annotations,
    }});
    let params = PatchParams {
        field_manager: Some(field_managers::WEAPON_CONTROLLER.to_string()),
        ..PatchParams::default()
    };
    match api
        .patch(&instance.name, &params, &Patch::Merge(patch))
        .await
    {
        Ok(_) => Ok(true),
        Err(kube::Error::Api(status)) if status.code == 409 || status.is_not_found() => Ok(false),
        Err(error) => Err(Error::kube(
            "record a loan on",
            format!("pool instance {}", instance.name),
        )(error)),
    }
}

async fn delete(api: &Api<Pod>, name: &str, namespace: &str) -> Result<()> {
    match api.delete(name, &DeleteParams::default()).await {
        Ok(_) => Ok(()),
        Err(kube::Error::Api(status)) if status.is_not_found() => Ok(()),
        Err(error) => Err(Error::kube(
            "delete",
            format!("pool instance {namespace}/{name}"),
        )(error)),
    }
}
