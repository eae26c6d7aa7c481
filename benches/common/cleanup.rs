//! Removing what a benchmark made, so the next part starts on a clean cluster.

use k8s_openapi::api::core::v1::Pod;

/// Deletes the pods that match `selector` and waits until they are gone. A
/// collection of thousands may outlast one request's timeout: it asks again
/// until none is left.
pub async fn remove_all(api: &kube::Api<Pod>, selector: &str) {
    use kube::api::{DeleteParams, ListParams};
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
    while std::time::Instant::now() < deadline {
        let _ = api
            .delete_collection(
                &DeleteParams::default().grace_period(0),
                &ListParams::default().labels(selector),
            )
            .await;
        let left = api
            .list_metadata(&ListParams::default().labels(selector))
            .await;
        if left.is_ok_and(|list| list.items.is_empty()) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
}
