//! Fault marks: what a failed attempt leaves on the aircraft it failed on.
//!
//! A mark says "this aircraft is suspect": one annotation per task that
//! marked it, `fault.aircraft.mil/<task uid>`, holding who marked it, why and
//! until when. While an aircraft carries any mark that has not expired, it also
//! carries the taint `aircraft.mil/suspect:PreferNoSchedule`, which both the
//! aircraft-scheduler and kube-scheduler read as "choose another aircraft if
//! one fits": a suspect aircraft stays in service for every mission. The task
//! that marked it keeps its own retries off it through node affinity.
//!
//! A person clears a mark by removing its annotation
//! (`kubectl airforce node clear-marks NODE`); the aircraft controller then
//! takes the taint off.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Taint;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The prefix of every mark's annotation key; the task's uid follows.
pub const MARK_PREFIX: &str = "fault.aircraft.mil/";

/// The taint an aircraft carries while it has a live mark.
pub const MARK_TAINT: &str = "aircraft.mil/suspect";
/// Soft: schedulers prefer other aircraft, but may still choose this one.
pub const MARK_TAINT_EFFECT: &str = "PreferNoSchedule";

/// One task's mark on one aircraft, as stored in its annotation (JSON).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct FaultMark {
    /// The task that marked the aircraft, as `<namespace>/<name>`.
    pub task: String,
    /// The attempt that failed here.
    pub attempt: i32,
    /// Why it failed, in a few words.
    pub reason: String,
    pub expires: Time,
}

/// A mark read from an aircraft, with the uid of the task that made it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeMark {
    pub task_uid: String,
    /// `None` when the annotation does not hold a readable mark: it is
    /// treated as expired, so a damaged mark never keeps an aircraft suspect.
    pub mark: Option<FaultMark>,
}

impl NodeMark {
    /// Whether the mark holds at `now`.
    pub fn is_live(&self, now: Timestamp) -> bool {
        self.mark.as_ref().is_some_and(|mark| mark.expires.0 > now)
    }
}

/// The annotation key of the mark made by the task with uid `task_uid`.
pub fn mark_key(task_uid: &str) -> String {
    format!("{MARK_PREFIX}{task_uid}")
}

/// The annotation value of `mark`.
pub fn mark_value(mark: &FaultMark) -> String {
    serde_json::to_string(mark).expect("a fault mark serializes")
}

/// Every mark among a node's annotations, in key order.
pub fn marks(annotations: &BTreeMap<String, String>) -> Vec<NodeMark> {
    (annotations.iter())
        .filter_map(|(key, value)| {
            let task_uid = key.strip_prefix(MARK_PREFIX)?;
            Some(NodeMark {
                task_uid: task_uid.to_string(),
                mark: serde_json::from_str(value).ok(),
            })
        })
        .collect()
}

/// Whether a node with these annotations has a mark that holds at `now`.
pub fn is_suspect(annotations: &BTreeMap<String, String>, now: Timestamp) -> bool {
    marks(annotations).iter().any(|mark| mark.is_live(now))
}

/// The node's taints as they should be for these annotations at `now`: with
/// the suspect taint while a mark holds, without it otherwise. `None` when
/// the taints are already right.
pub fn suspect_taints(
    annotations: &BTreeMap<String, String>,
    taints: &[Taint],
    now: Timestamp,
) -> Option<Vec<Taint>> {
    let is_ours = |taint: &Taint| taint.key == MARK_TAINT && taint.effect == MARK_TAINT_EFFECT;
    match (is_suspect(annotations, now), taints.iter().any(is_ours)) {
        (true, false) => {
            let mut wanted = taints.to_vec();
            wanted.push(Taint {
                key: MARK_TAINT.to_string(),
                value: None,
                effect: MARK_TAINT_EFFECT.to_string(),
                time_added: None,
            });
            Some(wanted)
        }
        (false, true) => Some(taints.iter().filter(|t| !is_ours(t)).cloned().collect()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(second: i64) -> Timestamp {
        Timestamp::from_second(second).expect("a valid test time")
    }

    fn mark(expires: i64) -> FaultMark {
        FaultMark {
            task: "ns/m-s-t".into(),
            attempt: 1,
            reason: "container task exited with code 3".into(),
            expires: Time(at(expires)),
        }
    }

    #[test]
    fn a_mark_round_trips_through_its_annotation() {
        let annotations = BTreeMap::from([
            (mark_key("uid-1"), mark_value(&mark(100))),
            ("aircraft.mil/maintenance".to_string(), "45".to_string()),
        ]);
        let found = marks(&annotations);
        assert_eq!(
            found,
            vec![NodeMark {
                task_uid: "uid-1".into(),
                mark: Some(mark(100)),
            }]
        );
    }

    #[test]
    fn a_node_is_suspect_only_while_a_mark_holds() {
        let annotations = BTreeMap::from([(mark_key("uid-1"), mark_value(&mark(100)))]);
        assert!(is_suspect(&annotations, at(99)));
        assert!(!is_suspect(&annotations, at(100)));
        assert!(!is_suspect(&BTreeMap::new(), at(0)));
    }

    #[test]
    fn an_unreadable_mark_counts_as_expired() {
        let annotations = BTreeMap::from([(mark_key("uid-1"), "not json".to_string())]);
        let found = marks(&annotations);
        assert_eq!(found.len(), 1);
        assert!(!found[0].is_live(at(0)));
        assert!(!is_suspect(&annotations, at(0)));
    }
}
