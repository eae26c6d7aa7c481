//! Reconcile errors: one variant per kind of operation, wrapping its cause,
//! each with a label for the error metric. `error_policy` logs them and backs
//! off per object; none is fatal to the process.

use std::future::Future;
use std::sync::Arc;

use kube::Resource;
use kube::runtime::controller::{self, Action};
use kube::runtime::reflector::ObjectRef;

use super::backoff::backoff_key;
use super::context::Context;
use crate::metrics::MetricLabel;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot {action} {object}")]
    Kube {
        action: &'static str,
        object: String,
        #[source]
        source: kube::Error,
    },
    #[error("{0} has no namespace")]
    MissingNamespace(String),
    #[error("cannot record an event for {object}")]
    Event {
        object: String,
        #[source]
        source: kube::Error,
    },
}

impl Error {
    /// Whether the object the reconcile wrote to no longer exists.
    pub fn is_gone(&self) -> bool {
        matches!(self, Error::Kube { source: kube::Error::Api(status), .. } if status.code == 404)
    }

    /// Whether a write guarded by a resourceVersion lost to a newer version
    /// of the object: the cached copy the plan was made from was behind.
    pub fn is_conflict(&self) -> bool {
        matches!(self, Error::Kube { source: kube::Error::Api(status), .. } if status.is_conflict())
    }

    /// Wraps a client error with what was being done to which object.
    pub fn kube(
        action: &'static str,
        object: impl Into<String>,
    ) -> impl FnOnce(kube::Error) -> Error {
        let object = object.into();
        move |source| Error::Kube {
            action,
            object,
            source,
        }
    }
}

impl MetricLabel for Error {
    fn metric_label(&self) -> &'static str {
        match self {
            Error::Kube { source, .. } => match source {
                kube::Error::Api(status) => match status.code {
                    404 => "not_found",
                    403 => "forbidden",
                    409 => "conflict",
                    422 => "invalid",
                    429 => "throttled",
                    500.. => "server",
                    _ => "refused",
                },
                _ => "unreachable",
            },
            Error::MissingNamespace(_) => "missing_namespace",
            Error::Event { .. } => "event",
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Runs one reconcile of `object` for `controller`: measured in the metrics,
/// and its backoff forgotten once it succeeds. What every controller hands
/// to `Controller::run`.
pub async fn reconciled<K, F, Fut>(
    controller: &'static str,
    object: Arc<K>,
    ctx: Arc<Context>,
    reconcile: F,
) -> Result<Action>
where
    K: Resource<DynamicType = ()>,
    F: FnOnce(Arc<K>, Arc<Context>) -> Fut,
    Fut: Future<Output = Result<Action>>,
{
    let key = backoff_key(&*object);
    let result = (crate::metrics::global())
        .measure(controller, reconcile(object, ctx.clone()))
        .await;
    if result.is_ok() {
        ctx.backoff.succeeded(&key);
    }
    result
}

/// How soon an object whose guarded write lost to a newer version is looked
/// at again.
const LOOK_AGAIN_AFTER_CONFLICT: std::time::Duration = std::time::Duration::from_millis(100);

/// Shared by every controller: log with the cause chain and retry after the
/// object's backoff; a conflict is looked at again at once, from the copy
/// the watch has brought meanwhile.
pub fn error_policy<K>(object: Arc<K>, error: &Error, ctx: Arc<Context>) -> Action
where
    K: kube::Resource<DynamicType = ()>,
{
    let name = object.meta().name.as_deref().unwrap_or_default();
    if error.is_gone() {
        // Deleted while it was being reconciled: its watch event ends the story.
        tracing::debug!(kind = %K::kind(&()), name, "object is gone");
        ctx.backoff.succeeded(&backoff_key(&*object));
        return Action::await_change();
    }
    if error.is_conflict() {
        // Not a failure: the watch is about to bring the newer version, and
        // waiting out a backoff would hold up a stage transition for
        // seconds. Its own status write does not wake an object, so look
        // again shortly.
        tracing::debug!(kind = %K::kind(&()), name, "planned from a stale copy; looking again");
        return Action::requeue(LOOK_AGAIN_AFTER_CONFLICT);
    }
    let wait = ctx.backoff.failed(&backoff_key(&*object));
    tracing::warn!(
        kind = %K::kind(&()),
        name,
        error = %error_chain(error),
        retry_in = ?wait,
        "reconcile failed"
    );
    Action::requeue(wait)
}

/// Logs what the controller stream yields. A failed reconcile was already
/// logged by `error_policy`; a watch that fails (the CRDs are missing, the
/// RBAC forbids a list) is logged as a warning, since nothing else reports it.
pub fn log_outcome<K, Q>(result: Result<(ObjectRef<K>, Action), controller::Error<Error, Q>>)
where
    K: Resource,
    K::DynamicType: std::fmt::Debug,
    Q: std::error::Error + 'static,
{
    match result {
        Ok((object, action)) => tracing::debug!(object = %object.name, ?action, "reconciled"),
        Err(error @ (controller::Error::QueueError(_) | controller::Error::RunnerError(_))) => {
            tracing::warn!(error = %error_chain(&error), "controller stream error")
        }
        Err(error) => tracing::debug!(error = %error_chain(&error), "reconcile did not finish"),
    }
}

pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_labelled_by_what_the_api_server_said() {
        let api = |code| Error::Kube {
            action: "patch",
            object: "FlightTask air/t".into(),
            source: kube::Error::Api(Box::new(kube::core::Status {
                code,
                ..Default::default()
            })),
        };
        let labels: Vec<&str> = [409, 403, 404, 422, 429, 503, 400]
            .into_iter()
            .map(|code| api(code).metric_label())
            .collect();
        assert_eq!(
            labels,
            [
                "conflict",
                "forbidden",
                "not_found",
                "invalid",
                "throttled",
                "server",
                "refused"
            ]
        );
        assert_eq!(
            Error::MissingNamespace("x".into()).metric_label(),
            "missing_namespace"
        );
    }

    #[tokio::test]
    async fn a_conflict_is_looked_at_again_at_once_and_counts_as_no_failure() {
        let ctx = crate::controller::mock_api::MockApi::new().context();
        let mission = Arc::new(crate::api::Mission::new("op", Default::default()));
        let conflict = Error::Kube {
            action: "write the status of",
            object: "mission air/op".into(),
            source: kube::Error::Api(Box::new(kube::core::Status {
                reason: "Conflict".into(),
                code: 409,
                ..Default::default()
            })),
        };
        for _ in 0..3 {
            let action = error_policy(mission.clone(), &conflict, ctx.clone());
            assert_eq!(action, Action::requeue(LOOK_AGAIN_AFTER_CONFLICT));
        }
        let failure = Error::MissingNamespace("mission op".into());
        let first_failure = error_policy(mission, &failure, ctx);
        assert_eq!(
            first_failure,
            Action::requeue(std::time::Duration::from_secs(5))
        );
    }
}
