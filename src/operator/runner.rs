//! Hosts every controller in one process and one tokio runtime, and
//! stops them together: a shutdown lets in-flight reconciles finish first.
//! With leader election the controllers start only once the lease is held and
//! stop when it is lost.

use std::future::Future;
use std::sync::Arc;

use tokio::sync::watch;

use super::leader::{Elector, LeaseLost};
use crate::api::conditions::reasons;
use crate::api::keys::TASK_LABEL;
use crate::controller::context::Context;
use crate::controller::{aircraft, flight_task, mission, stage, weapon};
use crate::placement::SchedulerChoice;
use crate::scheduler;

/// Runs every controller, and the aircraft-scheduler when task pods ask for it, until `shutdown` resolves.
/// `started` is told `true` when they start and `false` when they have stopped.
pub async fn run(
    ctx: Arc<Context>,
    shutdown: impl Future<Output = ()> + Send + 'static,
    started: impl Fn(bool),
) {
    let stopped = stop_on(shutdown);
    started(true);
    run_controllers(ctx, stopped).await;
    started(false);
}

/// Waits for `elector` to hold the lease, then runs the controllers until
/// `shutdown` resolves (and gives the lease back) or the lease is lost.
/// A shutdown before the lease is held returns at once.
pub async fn run_elected(
    ctx: Arc<Context>,
    elector: Elector,
    shutdown: impl Future<Output = ()> + Send + 'static,
    started: impl Fn(bool),
) -> Result<(), LeaseLost> {
    let stopped = stop_on(shutdown);
    tokio::select! {
        () = elector.acquire() => {}
        () = when_stopped(stopped.clone()) => return Ok(()),
    }
    // The controllers stop on shutdown or when the lease is lost, whichever is first.
    let (lose, lost) = watch::channel(false);
    let either = {
        let (stopped, lost) = (stopped.clone(), lost.clone());
        async move {
            tokio::select! {
                () = when_stopped(stopped) => {}
                () = when_stopped(lost) => {}
            }
        }
    };
    let (stop, controllers_stopped) = watch::channel(false);
    tokio::spawn(async move {
        either.await;
        let _ = stop.send(true);
    });
    started(true);
    let controllers = run_controllers(ctx, controllers_stopped);
    tokio::pin!(controllers);
    // The lease is renewed while the controllers drain after a shutdown, too.
    let outcome = tokio::select! {
        () = &mut controllers => Ok(()),
        lost = elector.hold() => Err(lost),
    };
    if outcome.is_err() {
        let _ = lose.send(true);
        controllers.await;
    }
    started(false);
    if outcome.is_ok() {
        elector.release().await;
    }
    outcome
}

/// Turns a shutdown future into a flag every controller can wait on.
fn stop_on(shutdown: impl Future<Output = ()> + Send + 'static) -> watch::Receiver<bool> {
    let (stop, stopped) = watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop.send(true);
    });
    stopped
}

async fn when_stopped(mut stopped: watch::Receiver<bool>) {
    let _ = stopped.wait_for(|stop| *stop).await;
}

async fn run_controllers(ctx: Arc<Context>, stopped: watch::Receiver<bool>) {
    tokio::join!(
        run_caches(&ctx, stopped.clone()),
        run_controllers_once_cached(ctx.clone(), stopped),
    );
}

/// Fills the shared caches and keeps them current until the stop.
async fn run_caches(ctx: &Context, stopped: watch::Receiver<bool>) {
    let caches = &ctx.caches;
    let every = Context::watcher_config;
    let stop = || when_stopped(stopped.clone());
    let task_pods = every().labels(TASK_LABEL);
    let failures = every().fields(&format!("reason={}", reasons::FAILED_SCHEDULING));
    tokio::join!(
        (caches.pods).run(ctx.watched(), task_pods, stop()),
        (caches.tasks).run(ctx.watched(), every(), stop()),
        (caches.stages).run(ctx.watched(), every(), stop()),
        (caches.scheduling_failures).run(ctx.watched(), failures, stop()),
    );
}

/// Starts the controllers once every cache holds its first full list, so
/// that no reconcile plans from half a picture; a stop before then starts
/// nothing.
async fn run_controllers_once_cached(ctx: Arc<Context>, stopped: watch::Receiver<bool>) {
    tokio::select! {
        () = ctx.caches.ready() => {}
        () = when_stopped(stopped.clone()) => return,
    }
    let scheduler = {
        let (ctx, stopped) = (ctx.clone(), stopped.clone());
        async move {
            if ctx.pods.scheduler == SchedulerChoice::Aircraft {
                let connection = scheduler::runner::Connection {
                    client: ctx.client.clone(),
                    recorder: ctx.recorder.clone(),
                    namespace: ctx.namespace.clone(),
                };
                let config = ctx.scheduler_config.clone();
                scheduler::runner::run(connection, config, when_stopped(stopped)).await;
            }
        }
    };
    tokio::join!(
        scheduler,
        mission::run(ctx.clone(), when_stopped(stopped.clone())),
        stage::run(ctx.clone(), when_stopped(stopped.clone())),
        weapon::run(ctx.clone(), when_stopped(stopped.clone())),
        aircraft::run(ctx.clone(), when_stopped(stopped.clone())),
        flight_task::run(ctx, when_stopped(stopped)),
    );
}
