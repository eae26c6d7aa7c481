//! How a request to run failed work again travels down the hierarchy. A
//! mission hands a request (`mission retry`'s timestamp, or the id of an
//! automatic retry of its failure policy) to its failed stages through the
//! retry annotation, and a stage hands it on to its failed flight tasks. Each
//! object records the last request it acted on in `status.lastHandledRetry`,
//! so a request is acted on once however often it is seen. Between the
//! parent's ask and the child's act, the child still says Failed; the parent
//! counts it as running, or it would see the old failure and fail again.

use kube::{Resource, ResourceExt};

use crate::api::{Mission, MissionPhase, keys};

/// The request id of a mission's automatic retry number `retry` (from 1).
pub fn automatic_request(retry: i32) -> String {
    format!("retry-{retry}")
}

/// The value of the retry annotation on `object`, if any.
pub fn request<K: Resource>(object: &K) -> Option<&str> {
    (object.annotations().get(keys::RETRY_REQUEST_ANNOTATION)).map(String::as_str)
}

/// Whether a stage's retry request runs its succeeded tasks again too.
pub fn includes_succeeded<K: Resource>(object: &K) -> bool {
    (object
        .annotations()
        .get(keys::RETRY_INCLUDES_SUCCEEDED_ANNOTATION))
    .is_some_and(|value| value == "true")
}

/// Whether `object`, which finished, was asked to run again by one of
/// `handled` (the requests its parent has passed on) and has not acted on it
/// yet: `acted` is its own `status.lastHandledRetry`.
pub fn asked_not_acted<K: Resource>(object: &K, acted: Option<&str>, handled: &[&str]) -> bool {
    request(object).is_some_and(|asked| handled.contains(&asked) && acted != Some(asked))
}

/// Whether `mission` failed or was cancelled and carries a retry request that the controller
/// has not acted on yet: it is about to run again.
pub fn retry_pending(mission: &Mission) -> bool {
    let status = mission.status.as_ref();
    let failed = (status.and_then(|s| s.phase)).is_some_and(MissionPhase::is_unsuccessful);
    let handled = status.and_then(|s| s.last_handled_retry.as_deref());
    failed && request(mission).is_some_and(|request| Some(request) != handled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::MissionStage;

    fn asked(request: Option<&str>) -> MissionStage {
        let mut stage = MissionStage::new("m-s", Default::default());
        if let Some(request) = request {
            stage.metadata.annotations = Some(
                [(
                    keys::RETRY_REQUEST_ANNOTATION.to_string(),
                    request.to_string(),
                )]
                .into(),
            );
        }
        stage
    }

    #[test]
    fn a_child_asked_by_a_handled_request_counts_until_it_acts() {
        let stage = asked(Some("retry-1"));
        assert!(asked_not_acted(&stage, None, &["retry-1"]));
        assert!(
            !asked_not_acted(&stage, Some("retry-1"), &["retry-1"]),
            "acted"
        );
        assert!(
            !asked_not_acted(&stage, None, &["retry-2"]),
            "an older request"
        );
        assert!(
            !asked_not_acted(&asked(None), None, &["retry-1"]),
            "never asked"
        );
    }

    #[test]
    fn automatic_requests_are_numbered() {
        assert_eq!(automatic_request(2), "retry-2");
    }
}
