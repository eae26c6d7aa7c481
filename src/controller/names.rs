//! The identity of every object the controllers create: deterministic names,
//! labels (their keys are in [`crate::api::keys`]) and owner references, so a restarted operator finds what it already
//! made instead of making it twice.
//!
//! Names are injective: a child's name joins its parents' with a dot, which a
//! stage's or a task's short name (a DNS label) cannot contain, so the last
//! part is always the child's own and no two paths share a name (`-` would:
//! stage `a-b` with task `c` and stage `a` with task `b-c`). A pod adds
//! `-<attempt>`, and an attempt is only digits.
//!
//! The controllers find a child by its labels and its controller reference,
//! never by its name, so children made under an earlier naming keep working.
//! Object names may run past 63 characters (a mission name alone may use 63), so
//! labels carry the short names from the spec, never an object name.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;
use kube::Resource;

use crate::api::keys::{MISSION_LABEL, STAGE_LABEL, TASK_LABEL};

/// The MissionStage for `stage` of `mission`.
pub fn stage(mission: &str, stage: &str) -> String {
    format!("{mission}.{stage}")
}

/// The FlightTask for `task` (its effective name, see
/// [`crate::api::MissionTask::effective_name`]) in `stage` of `mission`.
pub fn flight_task(mission: &str, stage: &str, task: &str) -> String {
    format!("{mission}.{stage}.{task}")
}

/// The pod of a flight task's `attempt`, counted from 1, so a retried task gets
/// a fresh pod while a restarted operator finds the pod of the current attempt.
pub fn pod(flight_task: &str, attempt: u32) -> String {
    format!("{flight_task}-{attempt}")
}

/// The labels every child of a mission carries: stages get mission and stage,
/// tasks and pods the task as well.
pub fn labels(mission: &str, stage: &str, task: Option<&str>) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::from([
        (MISSION_LABEL.to_string(), mission.to_string()),
        (STAGE_LABEL.to_string(), stage.to_string()),
    ]);
    if let Some(task) = task {
        labels.insert(TASK_LABEL.to_string(), task.to_string());
    }
    labels
}

/// The controller reference a child carries to its parent. `blockOwnerDeletion`
/// is set so a foreground deletion of the parent (what a mission retry uses)
/// finishes only once the children are gone. `None` when the owner has no uid,
/// which an object read from the API server always has.
pub fn owner_reference<K: Resource<DynamicType = ()>>(owner: &K) -> Option<OwnerReference> {
    Some(OwnerReference {
        block_owner_deletion: Some(true),
        ..owner.controller_owner_ref(&())?
    })
}

/// The reference to `object`'s controller, if it has one.
pub fn controller_reference<K: Resource>(object: &K) -> Option<&OwnerReference> {
    (object.meta().owner_references.as_deref())
        .unwrap_or_default()
        .iter()
        .find(|reference| reference.controller == Some(true))
}

/// Whether the object with uid `owner` is the controller of `child`: the one
/// rule by which the controllers pick the children they plan with and `watch`
/// picks the children it shows. An object carrying a child's labels but
/// controlled by another object (a deleted namesake's leftovers, a stranger's
/// object) is not the owner's.
pub fn is_controlled_by<K: Resource>(child: &K, owner: &str) -> bool {
    controller_reference(child).is_some_and(|reference| reference.uid == owner)
}

#[cfg(test)]
mod tests {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    use super::*;
    use crate::api::Mission;

    #[test]
    fn children_are_named_after_their_parents() {
        assert_eq!(stage("far-sea", "strike"), "far-sea.strike");
        assert_eq!(
            flight_task("far-sea", "strike", "strike-1"),
            "far-sea.strike.strike-1"
        );
        assert_eq!(
            pod("far-sea.strike.strike-1", 1),
            "far-sea.strike.strike-1-1"
        );
    }

    #[test]
    fn paths_that_a_dash_would_join_into_one_name_get_two() {
        assert_ne!(flight_task("m", "a-b", "c"), flight_task("m", "a", "b-c"));
        assert_ne!(stage("m", "a-b"), stage("m-a", "b"));
        assert_ne!(pod("t", 12), pod("t-1", 2));
    }

    #[test]
    fn a_stage_is_labelled_with_mission_and_stage_only() {
        let labels = labels("far-sea", "strike", None);
        assert_eq!(labels.len(), 2);
        assert_eq!(labels[MISSION_LABEL], "far-sea");
        assert_eq!(labels[STAGE_LABEL], "strike");
    }

    #[test]
    fn a_task_is_labelled_with_its_short_name_not_its_object_name() {
        let mission = "m".repeat(63);
        let labels = labels(&mission, "strike", Some("strike-1"));
        assert_eq!(labels[TASK_LABEL], "strike-1");
        assert!(labels.values().all(|value| value.len() <= 63));
        assert!(flight_task(&mission, "strike", "strike-1").len() > 63);
    }

    #[test]
    fn the_owner_reference_is_a_blocking_controller_reference() {
        let mut mission = Mission::new("far-sea", Default::default());
        assert_eq!(owner_reference(&mission), None);
        mission.metadata = ObjectMeta {
            name: Some("far-sea".into()),
            uid: Some("uid-1".into()),
            ..ObjectMeta::default()
        };
        let reference = owner_reference(&mission).expect("the mission has a uid");
        assert_eq!(reference.kind, "Mission");
        assert_eq!(reference.api_version, "airforce.mil/v1alpha1");
        assert_eq!(reference.uid, "uid-1");
        assert_eq!(reference.controller, Some(true));
        assert_eq!(reference.block_owner_deletion, Some(true));
    }
}
