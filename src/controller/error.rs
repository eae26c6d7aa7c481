//! Reconcile errors: one variant per kind of operation, wrapping its cause.
//! `error_policy` logs them and backs off; none is fatal to the process.

use std::sync::Arc;
use std::time::Duration;

use kube::Resource;
use kube::runtime::controller::{self, Action};
use kube::runtime::reflector::ObjectRef;

use super::context::Context;

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

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How long a failed reconcile waits before it is tried again.
const ERROR_BACKOFF: Duration = Duration::from_secs(5);

/// Shared by every controller: log with the cause chain and retry later. A 409
/// conflict is the usual cause and the retry reads fresh state.
pub fn error_policy<K>(object: Arc<K>, error: &Error, _ctx: Arc<Context>) -> Action
where
    K: kube::Resource<DynamicType = ()>,
{
    let name = object.meta().name.as_deref().unwrap_or_default();
    if error.is_gone() {
        // Deleted while it was being reconciled: its watch event ends the story.
        tracing::debug!(kind = %K::kind(&()), name, "object is gone");
        return Action::await_change();
    }
    tracing::warn!(kind = %K::kind(&()), name, error = %error_chain(error), "reconcile failed");
    Action::requeue(ERROR_BACKOFF)
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
