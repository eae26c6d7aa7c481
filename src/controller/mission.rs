//! The Mission controller's I/O shell: reads a mission and its
//! MissionStages, asks [`mission_plan::plan`] what to do, and applies it.
//! Driven by watches on missions and the stages they own (read from the
//! shared cache of stages); it never polls.
//!
//! Also holds what the stage controller's shell shares with this one: how a
//! status is written only when it changed, how a result is logged, and how
//! events are published.

use std::future::Future;
use std::sync::Arc;

use futures::StreamExt;
use kube::ResourceExt;
use kube::api::Api;
use kube::runtime::controller::{Action, Controller};

use super::apply::{
    ask_to_retry, cancel, hold_progress, is_cancelled, mark_suspended, now, publish, write_status,
};
use super::backoff::backoff_key;
use super::children;
use super::context::Context;
use super::error::{Error, Result, error_policy, log_outcome, reconciled};
use super::mission_plan::{self, MissionObserved, MissionPlan};
use super::retry;
use super::watch;
use crate::api::field_managers;
use crate::api::{Mission, MissionPhase, MissionStage};

/// Runs the Mission controller until `shutdown` completes.
pub async fn run(ctx: Arc<Context>, shutdown: impl Future<Output = ()> + Send + Sync + 'static) {
    let (store, changes) = watch::primary(ctx.watched::<Mission>(), watch::spec_and_requests);
    let controller =
        Controller::for_stream(changes, store.clone()).with_config(watch::controller_config());
    crate::metrics::count_cached_phases("Mission", store, &MissionPhase::ALL, |object| {
        object.status.as_ref().and_then(|status| status.phase)
    });
    controller
        .owns_shared_stream(ctx.caches.stages.subscribe())
        .graceful_shutdown_on(shutdown)
        .run(
            |object, ctx| reconciled("mission", object, ctx, reconcile),
            error_policy,
            ctx,
        )
        .for_each(|result| async move { log_outcome(result) })
        .await;
}

#[tracing::instrument(skip_all, fields(
    kind = "Mission",
    namespace = mission.metadata.namespace.as_deref(),
    name = mission.metadata.name.as_deref(),
))]
async fn reconcile(mission: Arc<Mission>, ctx: Arc<Context>) -> Result<Action> {
    let name = mission.name_any();
    let namespace =
        (mission.namespace()).ok_or_else(|| Error::MissingNamespace(format!("mission {name}")))?;
    let stages_api: Api<MissionStage> = ctx.namespaced(&namespace);
    let stages: Vec<MissionStage> = (ctx.caches.stages)
        .controlled_by(&mission.uid().unwrap_or_default())
        .iter()
        .map(|stage| MissionStage::clone(stage))
        .collect();
    ctx.expected.seen(&stages);
    let observed = MissionObserved {
        mission: &mission,
        stages: &stages,
        cancelled: is_cancelled(mission.as_ref()),
        retry_request: retry::request(mission.as_ref()),
        now: now(),
    };
    let plan = mission_plan::plan(&observed);
    apply_plan(&ctx, &mission, &stages_api, &stages, plan).await
}

/// The status fields that only sum up the mission's tasks. The stages'
/// summary is not among them: it records which stages have started.
const MISSION_PROGRESS: &[&str] = &["lastUpdateTime", "message", "statistics", "taskProgress"];

/// The plan's writes, in its order: the retry asks, the status (held a
/// moment when it only moves the tasks' progress and nothing else is done),
/// the creates, the cancels, then the events.
async fn apply_plan(
    ctx: &Context,
    mission: &Mission,
    stages_api: &Api<MissionStage>,
    stages: &[MissionStage],
    plan: MissionPlan,
) -> Result<Action> {
    let manager = field_managers::MISSION_CONTROLLER;
    let stage = |name: &str| format!("stage {}/{name}", mission.namespace().unwrap_or_default());
    // A retry reaches the failed stages before the status records it, so a
    // crash in between repeats it instead of losing it.
    if let Some(request) = plan.retry_request.as_deref() {
        for stage_name in &plan.retry_stages {
            (ask_to_retry(stages_api, stage_name, request, manager).await)
                .map_err(Error::kube("retry", stage(stage_name)))?;
        }
    }
    // Suspension is the spec's to say, so telling the stages first or last
    // makes no difference; first, so the status never claims more.
    for (stage_name, suspension) in &plan.suspension_marks {
        (mark_suspended(stages_api, stage_name, *suspension, manager).await)
            .map_err(Error::kube("suspend", stage(stage_name)))?;
    }
    // The status first: it is a retry's commit point (see mission_plan), and
    // it marks the stages about to start as started. Written only if the
    // spec is still the one planned with, so that an edit accepted meanwhile
    // is planned again instead of lost to a stage made from the old spec.
    let guard = !plan.create_stages.is_empty();
    let stored = mission.status.as_ref();
    let mut requeue_after = plan.requeue_after;
    let acts = guard
        || plan.retry_request.is_some()
        || !plan.cancel_stages.is_empty()
        || !plan.suspension_marks.is_empty();
    let key = backoff_key(mission);
    match hold_progress(
        ctx,
        &key,
        mission,
        acts,
        stored,
        &plan.status,
        MISSION_PROGRESS,
    ) {
        Some(wait) => requeue_after = Some(requeue_after.map_or(wait, |after| after.min(wait))),
        None => {
            let status = &plan.status;
            write_status(ctx, mission, "mission", stored, status, manager, guard).await?;
        }
    }
    if plan.status.phase.is_some_and(MissionPhase::is_finished) {
        ctx.progress.forget(&key);
    }
    let mut events = plan.events;
    let uid = mission.uid().unwrap_or_default();
    let (creates, kind) = (&plan.create_stages, "CreateStage");
    children::create_each(
        stages_api,
        creates,
        &uid,
        &ctx.expected,
        kind,
        &mut events,
        &mut requeue_after,
    )
    .await?;
    for stage_name in &plan.cancel_stages {
        let already = (stages.iter()).any(|s| s.name_any() == *stage_name && is_cancelled(s));
        if !already {
            (cancel(stages_api, stage_name, manager).await)
                .map_err(Error::kube("cancel", stage(stage_name)))?;
        }
    }
    publish(&ctx.recorder, events, mission).await;
    Ok(requeue_after.map_or_else(Action::await_change, Action::requeue))
}

#[cfg(test)]
mod write_order;
