//! The FlightTask controller: observes a task's pods, weapons and
//! FailedScheduling events, asks [`super::task_plan`] what to do, and applies
//! the plan in its documented order: the fault mark, marks taken back,
//! deletes, create, status, stops. A running pod is stopped through its
//! `activeDeadlineSeconds`, not deleted, so the output of the attempt can
//! still be read. A task carries no finalizer: the marks of
//! a deleted task are taken back by the aircraft controller (see
//! [`crate::controller::aircraft_plan`]).

mod events;
mod finalizer;
mod marks;
mod observe;
mod weapons;

use std::collections::hash_map::DefaultHasher;
use std::future::Future;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use futures::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::jiff::Timestamp;
use kube::api::{DeleteParams, Patch, PatchParams};
use kube::runtime::controller::{Action, Controller};
use kube::runtime::events::{Event, EventType};
use kube::runtime::reflector::ObjectRef;
use kube::runtime::watcher;
use kube::{Api, Resource, ResourceExt};
use serde_json::json;

use super::apply::{is_cancelled, suspension};
use super::children;
use super::context::Context;
use super::error::{Error, Result, error_policy, log_outcome, reconciled};
use super::launch_window::Admission;
use super::names;
use super::pod_parts::BuildError;
use super::pod_state::{self, StopBy};
use super::pool_plan;
use super::report::PlanEvent;
use super::retry;
use super::task_plan::{self, Observed, Refusal, TaskPlan};
use super::watch;
use crate::api::conditions::reasons;
use crate::api::field_managers;
use crate::api::weapon_pool::POOL_LABEL;
use crate::api::{API_VERSION, FlightTask, FlightTaskPhase, FlightTaskStatus, SuspendMode, keys};

/// Runs the FlightTask controller until `shutdown` resolves. Task pods wake
/// their task through their controller reference, from the shared cache of
/// task pods.
pub async fn run(ctx: Arc<Context>, shutdown: impl Future<Output = ()> + Send + Sync + 'static) {
    let pods = ctx.caches.pods.subscribe();
    let (store, changes) = watch::primary(ctx.watched::<FlightTask>(), what_the_plan_reads);
    let controller =
        Controller::for_stream(changes, store.clone()).with_config(watch::controller_config());
    crate::metrics::count_cached_phases(
        "FlightTask",
        store.clone(),
        &FlightTaskPhase::ALL,
        |object| object.status.as_ref().and_then(|status| status.phase),
    );
    crate::metrics::report_cached_task_weapons(store.clone());
    let mut controller = controller
        .owns_shared_stream(pods)
        .reconcile_on(ctx.launches.wake_ups());
    // A loan recorded on a pool instance wakes its borrower, which may now
    // create its pod.
    let armoury = ctx.separate_armoury();
    let pool_scopes = std::iter::once(ctx.watched::<Pod>())
        .chain(armoury.map(|armoury| ctx.namespaced(&armoury)));
    for instances in pool_scopes {
        let lent = watcher::Config::default().labels(POOL_LABEL);
        controller = controller.watches(instances, lent, |pod| borrower(&pod));
    }
    let launches = ctx.clone();
    let reconciles = controller
        .graceful_shutdown_on(shutdown)
        .run(
            |object, ctx| reconciled("flight_task", object, ctx, reconcile),
            error_policy,
            ctx,
        )
        .for_each(|result| async move { log_outcome(result) });
    // The window follows the pods for as long as tasks are reconciled.
    tokio::select! {
        () = reconciles => {}
        () = launches.launches.follow(&launches.caches.pods) => {}
    }
}

/// The task a pool instance is lent to.
fn borrower(instance: &Pod) -> Option<ObjectRef<FlightTask>> {
    let (task, _) = pool_plan::loan(instance)?;
    let (namespace, name) = task.split_once('/')?;
    Some(ObjectRef::new(name).within(namespace))
}

/// What wakes a task: its spec, the requests made through its annotations,
/// its deletion and a finalizer an older version left. Not its own status
/// write: the plan that wrote it already acted on everything it says, and
/// what changes next (a pod, a request, a timer) wakes the task by itself.
/// Waking on it would plan again from a pod cache that may not yet hold the
/// pod just created.
fn what_the_plan_reads(task: &FlightTask) -> Option<u64> {
    let mut hasher = DefaultHasher::new();
    watch::spec_and_requests(task).hash(&mut hasher);
    task.finalizers().hash(&mut hasher);
    Some(hasher.finish())
}

/// One look at a task: observe and plan, decide its fault mark, build its
/// pod, apply.
#[tracing::instrument(skip_all, fields(namespace, name))]
async fn reconcile(task: Arc<FlightTask>, ctx: Arc<Context>) -> Result<Action> {
    let name = task.name_any();
    let namespace = task
        .namespace()
        .ok_or_else(|| Error::MissingNamespace(format!("FlightTask {name}")))?;
    let span = tracing::Span::current();
    span.record("namespace", namespace.as_str());
    span.record("name", name.as_str());
    if finalizer::is_held(&task) {
        finalizer::release(&ctx, &task, &namespace).await?;
    }
    // Its pods go with it through their owner reference; start nothing new.
    if task.metadata.deletion_timestamp.is_some() {
        ctx.launches.leave(&task);
        return Ok(Action::await_change());
    }
    let now = Timestamp::now();
    let plan = observe_and_plan(&ctx, &task, &namespace, now).await?;
    let plan = decide_marks(&ctx, &task, &namespace, plan, now).await?;
    let plan = match plan.create {
        Some(attempt) => {
            let weapons = observe::weapons(&ctx, &task, &namespace).await?;
            let loans = observe::loans(&ctx, &task, &weapons).await?;
            let pod_name = names::pod(&name, attempt.number);
            if !loans.waiting.is_empty() {
                plan.waiting_for_weapons(&task, &loans.waiting, now)
            } else if let (true, Admission::Queued { limit }) = (
                plan.creates_only_pod(),
                ctx.launches.admit(&task, &pod_name),
            ) {
                plan.queued(&task, limit, now)
            } else {
                let plan = plan.with_pod(&task, &weapons, &loans.borrowed, &ctx.pods, now);
                if plan.pod.is_none() {
                    ctx.launches.withdraw(&task, &pod_name);
                }
                plan
            }
        }
        None => {
            ctx.launches.leave(&task);
            plan
        }
    };
    tracing::debug!(
        create = ?plan.create.map(|a| a.number),
        delete = ?plan.delete,
        stop = ?plan.stop,
        suspect = ?plan.suspect.as_ref().map(|s| &s.node),
        phase = ?plan.status.phase,
        "planned"
    );
    apply(&ctx, &task, &namespace, plan, now).await
}

/// Observes and plans; when the plan asks for the answers of a running
/// pod's weapons, asks them and plans again with what they said.
async fn observe_and_plan(
    ctx: &Context,
    task: &FlightTask,
    namespace: &str,
    now: Timestamp,
) -> Result<TaskPlan> {
    let pods = observe::pods(ctx, task, namespace).await?;
    let failed_scheduling = observe::failed_scheduling(ctx, task, &pods);
    let mut observed = Observed {
        task,
        pods: &pods,
        failed_scheduling,
        retry_request: retry::request(task),
        cancelled: is_cancelled(task),
        suspended: suspension(task) == Some(SuspendMode::Stop),
        weapons: None,
        defaults: ctx.config.task_defaults(),
        now,
    };
    let plan = task_plan::plan(&observed);
    let arming = (plan.arm_weapons.as_deref())
        .and_then(|name| pods.iter().find(|pod| pod.name_any() == name));
    let Some(pod) = arming else {
        return Ok(plan);
    };
    let answers = weapons::arm(ctx, pod).await;
    observed.weapons = Some(&answers);
    Ok(task_plan::plan(&observed))
}

/// The plan's fault mark, decided against the fleet and written, and the
/// marks it takes back removed: first, as the plan's order has it.
async fn decide_marks(
    ctx: &Context,
    task: &FlightTask,
    namespace: &str,
    mut plan: TaskPlan,
    now: Timestamp,
) -> Result<TaskPlan> {
    if let Some(suspect) = &plan.suspect {
        let decision = marks::mark(ctx, task, namespace, suspect, now).await?;
        plan.mark_decided(task, &decision, now);
    }
    if let Some(uid) = task.metadata.uid.as_deref() {
        for node in &plan.unmark {
            marks::unmark(ctx, uid, node).await?;
        }
    }
    Ok(plan)
}

/// The rest of the plan's writes, in its order: the deletes, the create, the
/// status, the stops, then the events.
async fn apply(
    ctx: &Context,
    task: &FlightTask,
    namespace: &str,
    mut plan: TaskPlan,
    now: Timestamp,
) -> Result<Action> {
    for pod_name in &plan.delete {
        delete_pod(ctx, namespace, pod_name).await?;
    }
    let mut created = None;
    if let Some(pod) = plan.pod.take() {
        let pod_name = pod.name_any();
        let outcome = create_pod(ctx, task, namespace, pod).await;
        if !matches!(outcome, Ok(Created::New(_) | Created::Existing)) {
            ctx.launches.withdraw(task, &pod_name);
        }
        match outcome? {
            Created::New(event) => created = Some(event),
            Created::Existing => {}
            Created::Invalid(error) => {
                plan = plan.build_failed(task, &error, now);
                plan.build_error = Some(error);
            }
            Created::Refused(refusal) => plan = plan.create_refused(task, &pod_name, &refusal, now),
        }
    }
    if let Some(pod_name) = plan.abort_weapons.clone() {
        abort_weapons(ctx, task, namespace, &pod_name, &mut plan).await?;
    }
    let acts = created.is_some()
        || !plan.delete.is_empty()
        || !plan.stop.is_empty()
        || !plan.events.is_empty()
        || plan.build_error.is_some();
    let verdict_held = match plan.quiet_for {
        Some(_) => None,
        None => hold_verdict(ctx, task, acts, &plan.status),
    };
    if plan.quiet_for.is_none() && verdict_held.is_none() {
        write_status(ctx, task, namespace, &plan).await?;
    }
    if !plan.stop.is_empty() {
        let pods = observe::pods(ctx, task, namespace).await?;
        for pod in pods
            .iter()
            .filter(|pod| plan.stop.contains(&pod.name_any()))
        {
            stop_pod(ctx, namespace, pod, now).await?;
        }
    }
    let old = task.status.clone().unwrap_or_default();
    let mut events: Vec<Event> = plan.events.iter().cloned().map(Event::from).collect();
    events.extend(created);
    match (&plan.build_error, plan.quiet_for) {
        (Some(error), _) => events.push(events::build_failed(error)),
        (None, None) => events.extend(events::transition(&old, &plan.status)),
        (None, Some(_)) => {}
    }
    for event in events {
        publish(ctx, task, event).await;
    }
    // A quiet step is looked at again when it would be told; a pod just
    // created wakes the task by itself once the cache shows it, and looking
    // before then would only ask for the same pod again.
    let recheck = plan.quiet_for.filter(|_| plan.create.is_none());
    let wake = [plan.requeue_after, recheck, verdict_held]
        .into_iter()
        .flatten()
        .min();
    Ok(match wake {
        Some(after) => Action::requeue(after),
        None => Action::await_change(),
    })
}

/// Makes the armed weapons of a pod about to be stopped safe, and records
/// what they said after it. Repeated after a crash before the status write,
/// which is harmless: an Abort changes nothing on a safe weapon.
async fn abort_weapons(
    ctx: &Context,
    task: &FlightTask,
    namespace: &str,
    pod_name: &str,
    plan: &mut TaskPlan,
) -> Result<()> {
    let pods = observe::pods(ctx, task, namespace).await?;
    let Some(pod) = pods.iter().find(|pod| pod.name_any() == pod_name) else {
        return Ok(());
    };
    let why = plan
        .status
        .message
        .clone()
        .unwrap_or_else(|| "the task stopped".into());
    let answers = weapons::abort(ctx, pod, &why).await;
    for answer in &answers {
        if let Some(recorded) = (plan.status.weapons.iter_mut()).find(|w| w.name == answer.name) {
            *recorded = answer.clone();
        }
    }
    let told: Vec<&str> = answers.iter().map(|w| w.name.as_str()).collect();
    if !told.is_empty() {
        plan.events.push(PlanEvent {
            type_: EventType::Normal,
            reason: reasons::WEAPONS_ABORTED,
            action: "Abort",
            note: format!("told {} of pod {pod_name} to abort: {why}", told.join(", ")),
        });
    }
    Ok(())
}

/// Stops a pod whose attempt has ended, as [`pod_state::stop_by`] says: a
/// running one through its deadline, so it stays with its logs, another by
/// deleting it.
async fn stop_pod(ctx: &Context, namespace: &str, pod: &Pod, now: Timestamp) -> Result<()> {
    let name = pod.name_any();
    match pod_state::stop_by(pod, now) {
        StopBy::Nothing => Ok(()),
        StopBy::Delete => delete_pod(ctx, namespace, &name).await,
        StopBy::Deadline { seconds } => {
            let api: Api<Pod> = ctx.namespaced(namespace);
            let patch = json!({
                "metadata": {"annotations": {keys::STOPPED_ANNOTATION: now.to_string()}},
                "spec": {"activeDeadlineSeconds": seconds},
            });
            match api
                .patch(&name, &PatchParams::default(), &Patch::Merge(&patch))
                .await
            {
                Ok(_) => {
                    tracing::info!(pod = name, seconds, "stopped the pod through its deadline");
                    Ok(())
                }
                Err(kube::Error::Api(status)) if status.is_not_found() => Ok(()),
                Err(error) => Err(Error::kube("stop", format!("pod {namespace}/{name}"))(
                    error,
                )),
            }
        }
    }
}

async fn delete_pod(ctx: &Context, namespace: &str, name: &str) -> Result<()> {
    let api: Api<Pod> = ctx.namespaced(namespace);
    match api.delete(name, &DeleteParams::default()).await {
        Ok(_) => {
            tracing::info!(pod = name, "deleted the pod");
            Ok(())
        }
        Err(kube::Error::Api(status)) if status.is_not_found() => Ok(()),
        Err(error) => Err(Error::kube("delete", format!("pod {namespace}/{name}"))(
            error,
        )),
    }
}

/// What became of a pod create.
enum Created {
    /// Created now; the event to record.
    New(Event),
    /// Created earlier, and the pod cache had not caught up.
    Existing,
    /// The API server found the pod invalid: a template the builder let
    /// through, as final for the task as one it caught.
    Invalid(BuildError),
    /// Admission refused it: Pod Security, a quota, a webhook or a policy.
    /// Told on the task and tried again (see [`task_plan`]).
    Refused(Refusal),
}

async fn create_pod(
    ctx: &Context,
    task: &FlightTask,
    namespace: &str,
    pod: Pod,
) -> Result<Created> {
    let api: Api<Pod> = ctx.namespaced(namespace);
    let name = pod.name_any();
    let owner = task.metadata.uid.as_deref().unwrap_or_default();
    match children::create(&api, &pod, owner).await {
        Ok(children::Created::New) => {
            tracing::info!(pod = name, "created the pod");
            Ok(Created::New(events::pod_created(&name)))
        }
        Ok(children::Created::Existing) => Ok(Created::Existing),
        // Waits like an admission refusal: whoever holds the name may free it.
        Ok(children::Created::Taken(holder)) => Ok(Created::Refused(Refusal {
            reason: reasons::NAME_TAKEN.to_string(),
            message: children::name_taken_message("pod", &name, &holder),
        })),
        // 422 for a pod that breaks validation, 400 for one the server cannot
        // even decode (a malformed quantity): the template is at fault either way.
        Err(kube::Error::Api(status)) if status.is_invalid() || status.code == 400 => {
            Ok(Created::Invalid(BuildError::InvalidTemplate {
                path: String::new(),
                message: format!("the API server refused pod {name}: {}", status.message),
            }))
        }
        // Admission may let the pod in later (a quota frees, a policy
        // changes); a missing namespace, throttling and server errors are
        // for the error backoff.
        Err(kube::Error::Api(status)) if status.is_forbidden() => Ok(Created::Refused(Refusal {
            reason: status.reason,
            message: status.message,
        })),
        Err(error) => Err(Error::kube("create", format!("pod {namespace}/{name}"))(
            error,
        )),
    }
}

/// How long to hold the write of `status` when it only rewords the verdict
/// on the task's waiting pod (see [`task_plan::rewords_verdict`]), until
/// [`task_plan::VERDICT_REFRESH`] after the task's last write; `None` to write
/// it now. Every write of a task starts the interval again.
fn hold_verdict(
    ctx: &Context,
    task: &FlightTask,
    acts: bool,
    status: &FlightTaskStatus,
) -> Option<std::time::Duration> {
    let key = super::backoff::backoff_key(task);
    let stored = task.status.as_ref();
    if status.phase.is_some_and(FlightTaskPhase::is_finished) {
        ctx.progress.forget(&key);
        return None;
    }
    let now = std::time::Instant::now();
    if acts || stored == Some(status) || !task_plan::rewords_verdict(stored, status) {
        if stored != Some(status) {
            ctx.progress.written(&key, now);
        }
        return None;
    }
    ctx.progress.hold(&key, now, task_plan::VERDICT_REFRESH)
}

/// Writes the planned status when it differs from the stored one, through the
/// status subresource with server-side apply.
async fn write_status(
    ctx: &Context,
    task: &FlightTask,
    namespace: &str,
    plan: &TaskPlan,
) -> Result<()> {
    if task.status.as_ref() == Some(&plan.status) {
        return Ok(());
    }
    let name = task.name_any();
    let api: Api<FlightTask> = ctx.namespaced(namespace);
    let patch = json!({
        "apiVersion": API_VERSION,
        "kind": "FlightTask",
        "status": plan.status,
    });
    let params = PatchParams::apply(field_managers::FLIGHT_TASK_CONTROLLER).force();
    api.patch_status(&name, &params, &Patch::Apply(&patch))
        .await
        .map_err(Error::kube(
            "update the status of",
            format!("FlightTask {namespace}/{name}"),
        ))?;
    Ok(())
}

/// Records an event on the task; a failure is logged, never fatal.
async fn publish(ctx: &Context, task: &FlightTask, event: Event) {
    let reference = task.object_ref(&());
    if let Err(error) = ctx.recorder.publish(&event, &reference).await {
        let task = task.name_any();
        tracing::warn!(%task, reason = %event.reason, %error, "cannot record an event");
    }
}

#[cfg(test)]
mod write_order;
