//! The MissionStage controller's I/O shell: reads a stage and its
//! FlightTasks, asks [`stage_plan::plan`] what to do, and applies it. Driven by
//! watches on stages and the tasks they own (read from the shared cache of
//! tasks); the stage timeout is its only timer.

use std::future::Future;
use std::sync::Arc;

use futures::StreamExt;
use kube::ResourceExt;
use kube::api::Api;
use kube::runtime::controller::{Action, Controller};

use super::apply::{
    ask_to_retry, cancel, hold_progress, is_cancelled, mark_suspended, now, publish, suspension,
    write_status,
};
use super::backoff::backoff_key;
use super::children;
use super::context::Context;
use super::error::{Error, Result, error_policy, log_outcome, reconciled};
use super::retry;
use super::stage_plan::{self, StageObserved, StagePlan};
use super::watch;
use crate::api::field_managers;
use crate::api::gate::DecisionRequest;
use crate::api::{FlightTask, MissionStage, StagePhase, SuspendMode};

/// Runs the MissionStage controller until `shutdown` completes.
pub async fn run(ctx: Arc<Context>, shutdown: impl Future<Output = ()> + Send + Sync + 'static) {
    let (store, changes) = watch::primary(ctx.watched::<MissionStage>(), watch::spec_and_requests);
    let controller =
        Controller::for_stream(changes, store.clone()).with_config(watch::controller_config());
    crate::metrics::count_cached_phases("MissionStage", store, &StagePhase::ALL, |object| {
        object.status.as_ref().and_then(|status| status.phase)
    });
    controller
        .owns_shared_stream(ctx.caches.tasks.subscribe())
        .graceful_shutdown_on(shutdown)
        .run(
            |object, ctx| reconciled("stage", object, ctx, reconcile),
            error_policy,
            ctx,
        )
        .for_each(|result| async move { log_outcome(result) })
        .await;
}

#[tracing::instrument(skip_all, fields(
    kind = "MissionStage",
    namespace = stage.metadata.namespace.as_deref(),
    name = stage.metadata.name.as_deref(),
))]
async fn reconcile(stage: Arc<MissionStage>, ctx: Arc<Context>) -> Result<Action> {
    let name = stage.name_any();
    let namespace =
        (stage.namespace()).ok_or_else(|| Error::MissingNamespace(format!("stage {name}")))?;
    let tasks_api: Api<FlightTask> = ctx.namespaced(&namespace);
    let tasks = ctx
        .caches
        .tasks
        .controlled_by(&stage.uid().unwrap_or_default());
    ctx.expected.seen(tasks.iter().map(AsRef::as_ref));
    let observed = StageObserved {
        stage: &stage,
        tasks: &tasks,
        cancelled: is_cancelled(stage.as_ref()),
        suspended: suspension(stage.as_ref()),
        retry_request: retry::request(stage.as_ref()),
        rerun_succeeded: retry::includes_succeeded(stage.as_ref()),
        gate_request: DecisionRequest::from_annotations(stage.annotations()),
        now: now(),
    };
    let plan = stage_plan::plan(&observed);
    apply_plan(&ctx, &stage, &tasks_api, &tasks, plan).await
}

/// The status fields that only sum up the stage's tasks.
const STAGE_PROGRESS: &[&str] = &["message", "flightTasksStatus", "taskProgress"];

/// The plan's writes, in its order: the retry asks, the status (held a
/// moment when it only moves the tasks' progress and nothing else is done),
/// the creates, the stops, then the events.
async fn apply_plan(
    ctx: &Context,
    stage: &MissionStage,
    tasks_api: &Api<FlightTask>,
    tasks: &[Arc<FlightTask>],
    plan: StagePlan,
) -> Result<Action> {
    let namespace = stage.namespace().unwrap_or_default();
    let task = |name: &str| format!("flight task {namespace}/{name}");
    // Before the status records the retry as handled: a crash in between
    // asks again instead of leaving failed tasks that fail the stage again.
    let request = plan
        .status
        .last_handled_retry
        .as_deref()
        .unwrap_or_default();
    for task_name in &plan.rerun_tasks {
        let manager = field_managers::STAGE_CONTROLLER;
        (ask_to_retry(tasks_api, task_name, request, manager).await)
            .map_err(Error::kube("retry", task(task_name)))?;
    }
    let (stored, manager) = (stage.status.as_ref(), field_managers::STAGE_CONTROLLER);
    let mut requeue_after = plan.requeue_after;
    let acts = !(plan.rerun_tasks.is_empty()
        && plan.create_tasks.is_empty()
        && plan.stop_tasks.is_empty()
        && plan.suspension_marks.is_empty());
    let key = backoff_key(stage);
    match hold_progress(ctx, &key, stage, acts, stored, &plan.status, STAGE_PROGRESS) {
        Some(wait) => requeue_after = Some(requeue_after.map_or(wait, |after| after.min(wait))),
        None => write_status(ctx, stage, "stage", stored, &plan.status, manager, false).await?,
    }
    if plan.status.phase.is_some_and(StagePhase::is_finished) {
        ctx.progress.forget(&key);
    }
    let mut events = plan.events;
    let uid = stage.uid().unwrap_or_default();
    let (creates, kind) = (&plan.create_tasks, "CreateTask");
    children::create_each(
        tasks_api,
        creates,
        &uid,
        &ctx.expected,
        kind,
        &mut events,
        &mut requeue_after,
    )
    .await?;
    // A task is asked to stop, not deleted: its controller makes its armed
    // weapons safe before it stops the pod, and the task stays to show it
    // was cancelled. A task asked already is not asked again.
    for task_name in &plan.stop_tasks {
        let asked = (tasks.iter()).any(|t| t.name_any() == *task_name && is_cancelled(t.as_ref()));
        if !asked {
            (cancel(tasks_api, task_name, manager).await)
                .map_err(Error::kube("stop", task(task_name)))?;
        }
    }
    for (task_name, stopping) in &plan.suspension_marks {
        let mark = stopping.then_some(SuspendMode::Stop);
        (mark_suspended(tasks_api, task_name, mark, manager).await)
            .map_err(Error::kube("suspend", task(task_name)))?;
    }
    publish(&ctx.recorder, events, stage).await;
    Ok(requeue_after.map_or_else(Action::await_change, Action::requeue))
}

#[cfg(test)]
mod write_order;
