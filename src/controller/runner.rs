//! Hosts every controller in one process and one tokio runtime (SPEC X4), and
//! stops them together: a shutdown lets in-flight reconciles finish first.

use std::future::Future;
use std::sync::Arc;

use tokio::sync::watch;

use super::context::Context;
use super::{flight_task, mission, stage};

/// Runs the mission, stage and flight-task controllers until `shutdown` resolves.
pub async fn run(ctx: Arc<Context>, shutdown: impl Future<Output = ()> + Send + 'static) {
    let (stop, stopped) = watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop.send(true);
    });
    let when_stopped = |mut stopped: watch::Receiver<bool>| async move {
        let _ = stopped.wait_for(|stop| *stop).await;
    };
    tokio::join!(
        mission::run(ctx.clone(), when_stopped(stopped.clone())),
        stage::run(ctx.clone(), when_stopped(stopped.clone())),
        flight_task::run(ctx, when_stopped(stopped)),
    );
}
