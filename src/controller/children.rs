//! Creating a child under its deterministic name without ever taking over an
//! object that someone else made under that name: a create, not an apply, so
//! a name already in use is seen, and then the existing object's controller
//! reference tells ours (a create repeated after a restart) from a stranger's.

use std::time::{Duration, Instant};

use futures::{StreamExt, stream};
use kube::api::{Api, PostParams};
use kube::{Resource, ResourceExt};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::api::conditions::reasons;
use crate::controller::error::Error;
use crate::controller::expectations::Expectations;
use crate::controller::report::PlanEvent;

/// What became of a child's create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Created {
    /// Made now.
    New,
    /// Made earlier by the same owner; the cache had not caught up.
    Existing,
    /// Another object holds the name; says whose it is.
    Taken(String),
}

/// Creates `child`, owned by the object with uid `owner`.
pub async fn create<K>(api: &Api<K>, child: &K, owner: &str) -> kube::Result<Created>
where
    K: Resource + Clone + Serialize + DeserializeOwned + std::fmt::Debug,
{
    match api.create(&PostParams::default(), child).await {
        Ok(_) => Ok(Created::New),
        Err(kube::Error::Api(status)) if status.is_already_exists() => {
            let existing = api.get(&child.name_any()).await?;
            Ok(match controller_of(&existing) {
                Some((_, uid)) if uid == owner => Created::Existing,
                _ => Created::Taken(holder(&existing)),
            })
        }
        Err(error) => Err(error),
    }
}

/// Creates at most this many children at once: a stage's fifty tasks start
/// in a few round trips instead of fifty, without flooding the API server
/// with a fan-out's thousands.
const CONCURRENT_CREATES: usize = 16;

/// Creates each of `children`, owned by the object with uid `owner`, up to
/// [`CONCURRENT_CREATES`] at once, but for those `expected` says are on
/// their way back through the watch. A name a stranger holds adds a
/// NameTaken Warning to `events` (for `action`, the owner's) and brings
/// `requeue_after` within 30 seconds. On an error the creates already sent
/// may have landed; the next reconcile finds them made.
pub async fn create_each<K>(
    api: &Api<K>,
    children: &[K],
    owner: &str,
    expected: &Expectations,
    action: &'static str,
    events: &mut Vec<PlanEvent>,
    requeue_after: &mut Option<Duration>,
) -> crate::controller::error::Result<()>
where
    K: Resource<DynamicType = ()> + Clone + Serialize + DeserializeOwned + std::fmt::Debug,
{
    let kind = K::kind(&());
    let now = Instant::now();
    let children: Vec<&K> = (children.iter())
        .filter(|child| !expected.awaited(owner, &child.name_any(), now))
        .collect();
    let creates: Vec<_> = (children.iter())
        .map(|child| create(api, child, owner))
        .collect();
    let mut results = stream::iter(creates).buffered(CONCURRENT_CREATES);
    let mut children = children.iter();
    while let Some(result) = results.next().await {
        let child = children.next().expect("one result per child, in order");
        let name = child.name_any();
        let object = format!("{kind} {}/{name}", child.namespace().unwrap_or_default());
        match result.map_err(Error::kube("create", object))? {
            // Trusted from when the create came back, not from when the batch
            // began: a fan-out's thousands of creates can take longer than the
            // trust itself, and the last ones would be forgotten at once.
            Created::New | Created::Existing => expected.created(owner, &name, Instant::now()),
            Created::Taken(holder) => {
                events.push(name_taken(action, &kind, &name, &holder));
                *requeue_after = Some(try_again_within(*requeue_after));
            }
        }
    }
    Ok(())
}

/// How soon an owner whose child's name is taken looks again: the stranger
/// is not watched, so only a timer sees it go.
const TAKEN_RETRY: Duration = Duration::from_secs(30);

/// The requeue of a reconcile that found a name taken: `planned`, or sooner.
fn try_again_within(planned: Option<Duration>) -> Duration {
    planned.map_or(TAKEN_RETRY, |planned| planned.min(TAKEN_RETRY))
}

/// The Warning event an owner records when a stranger holds its child's name.
fn name_taken(action: &'static str, kind: &str, name: &str, holder: &str) -> PlanEvent {
    PlanEvent {
        type_: kube::runtime::events::EventType::Warning,
        reason: reasons::NAME_TAKEN,
        action,
        note: name_taken_message(kind, name, holder),
    }
}

/// Why a child cannot be made, and what to do about it.
pub fn name_taken_message(kind: &str, name: &str, holder: &str) -> String {
    format!(
        "{kind} {name} already exists and {holder}; the operator does not take over objects \
         it did not make: delete or rename that {kind} and it is created on the next try"
    )
}

/// Whose an object is, in words.
fn holder<K: Resource>(object: &K) -> String {
    match controller_of(object) {
        Some((kind, _)) => format!("is controlled by {kind}"),
        None => "has no controller".to_string(),
    }
}

/// The kind/name and uid of an object's controller.
fn controller_of<K: Resource>(object: &K) -> Option<(String, &str)> {
    let reference = super::names::controller_reference(object)?;
    Some((
        format!("{} {}", reference.kind, reference.name),
        reference.uid.as_str(),
    ))
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::Pod;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;

    use super::*;

    fn owned_by(controller: Option<bool>) -> Pod {
        let mut pod = Pod::default();
        pod.metadata.owner_references = Some(vec![OwnerReference {
            api_version: "airforce.mil/v1".into(),
            kind: "FlightTask".into(),
            name: "m.s.t".into(),
            uid: "u1".into(),
            controller,
            ..OwnerReference::default()
        }]);
        pod
    }

    #[test]
    fn only_a_controller_reference_names_the_holder() {
        assert_eq!(
            holder(&owned_by(Some(true))),
            "is controlled by FlightTask m.s.t"
        );
        assert_eq!(holder(&owned_by(None)), "has no controller");
        assert_eq!(holder(&Pod::default()), "has no controller");
    }

    #[test]
    fn the_message_says_what_to_do() {
        let message = name_taken_message("pod", "m.s.t-1", "has no controller");
        assert!(message.starts_with("pod m.s.t-1 already exists and has no controller;"));
        assert!(message.contains("delete or rename that pod"));
    }
}
