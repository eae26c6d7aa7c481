//! Following the pods a benchmark made, as they change.

use futures::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use kube::runtime::{WatchStreamExt, watcher};
use tokio::task::JoinHandle;

/// Calls `seen` with every state of the pods that match `selector`, until
/// the returned task is aborted. A watch error (a dropped connection under
/// load) is retried by the backoff: it must not end the count.
pub fn watch_pods(
    api: Api<Pod>,
    selector: &str,
    mut seen: impl FnMut(Pod) + Send + 'static,
) -> JoinHandle<()> {
    let config = watcher::Config::default().labels(selector);
    tokio::spawn(async move {
        let mut events = watcher(api, config)
            .default_backoff()
            .applied_objects()
            .boxed();
        while let Some(pod) = events.next().await {
            if let Ok(pod) = pod {
                seen(pod);
            }
        }
    })
}
