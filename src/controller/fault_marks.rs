//! Whether a failed attempt may mark its aircraft as suspect (see
//! [`crate::api::fault_marks`]), as a pure function of the fleet.
//!
//! A circuit breaker keeps marks from spreading over the fleet: at most a
//! share (a third by default) of the aircraft of a type that are in service
//! (their node Ready, not in maintenance) carry a live mark at any time. Past
//! that, a failure is still recorded on its task, but no further aircraft is
//! marked: when many aircraft fail at once, the cause is rarely the aircraft.

use std::fmt;
use std::time::Duration;

use k8s_openapi::api::core::v1::Node;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::{SignedDuration, Timestamp};
use kube::ResourceExt;
use serde::Deserialize;

use crate::api::aircraft::{AircraftStatus, labels};
use crate::api::fault_marks::{self, NodeMark};

/// How marks are made: how long they hold and how many may hold at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkSettings {
    pub expiry: Duration,
    pub max_share: Share,
}

impl Default for MarkSettings {
    fn default() -> Self {
        MarkSettings {
            expiry: Duration::from_secs(600),
            max_share: Share {
                numerator: 1,
                denominator: 3,
            },
        }
    }
}

/// A fraction of a fleet, written "1/3".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Share {
    pub numerator: u32,
    pub denominator: u32,
}

impl Share {
    /// The whole number of aircraft out of `count` this share allows.
    pub fn of(self, count: usize) -> usize {
        let count = u64::try_from(count).unwrap_or(u64::MAX);
        let allowed = count.saturating_mul(u64::from(self.numerator)) / u64::from(self.denominator);
        usize::try_from(allowed).unwrap_or(usize::MAX)
    }
}

impl TryFrom<String> for Share {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        let invalid = || format!("{text:?} is not a fraction such as \"1/3\" (from 0/1 to 1/1)");
        let (numerator, denominator) = text.split_once('/').ok_or_else(invalid)?;
        let numerator: u32 = numerator.trim().parse().map_err(|_| invalid())?;
        let denominator: u32 = denominator.trim().parse().map_err(|_| invalid())?;
        if denominator == 0 || numerator > denominator {
            return Err(invalid());
        }
        Ok(Share {
            numerator,
            denominator,
        })
    }
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.numerator, self.denominator)
    }
}

/// What becomes of a suspect aircraft.
#[derive(Debug, Clone, PartialEq)]
pub enum MarkDecision {
    /// Mark it until then.
    Mark { until: Time },
    /// It already carries this task's live mark (a repeat after a restart).
    AlreadyMarked { until: Time },
    /// The breaker is open: no new aircraft of its type may be marked.
    LimitReached(Limit),
    /// The node no longer exists (or the task has no uid): nothing to mark.
    Gone,
}

/// Why the breaker refused a mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    /// The type's label value; `None` for nodes without one.
    pub aircraft_type: Option<String>,
    pub marked: usize,
    pub in_service: usize,
    pub allowed: usize,
    pub share: Share,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.aircraft_type {
            Some(kind) => format!("{kind} aircraft"),
            None => "aircraft without a type".to_string(),
        };
        write!(
            f,
            "{} of the {} {kind} in service already carry fault marks, and at most {} ({} of them) may",
            self.marked, self.in_service, self.allowed, self.share
        )
    }
}

/// Decides the mark the task with uid `task_uid` would put on `node`, given
/// every node of the fleet (any order; nodes of other types are ignored).
pub fn decide(
    fleet: &[Node],
    node: &str,
    task_uid: &str,
    now: Timestamp,
    settings: MarkSettings,
) -> MarkDecision {
    let kind = |n: &Node| n.labels().get(labels::TYPE).cloned();
    let suspect = fleet.iter().find(|n| n.name_any() == node);
    let aircraft_type = suspect.and_then(kind);
    let live = |n: &Node| fault_marks::is_suspect(n.annotations(), now);
    if let Some(until) = suspect.and_then(|n| own_live_mark(n, task_uid, now)) {
        return MarkDecision::AlreadyMarked { until };
    }
    let same_type: Vec<&Node> = (fleet.iter())
        .filter(|n| kind(n) == aircraft_type && in_service(n))
        .collect();
    let marked = same_type.iter().filter(|n| live(n)).count();
    let allowed = settings.max_share.of(same_type.len());
    let adds_one = !suspect.is_some_and(live) && suspect.is_some_and(in_service);
    if adds_one && marked + 1 > allowed {
        return MarkDecision::LimitReached(Limit {
            aircraft_type,
            marked,
            in_service: same_type.len(),
            allowed,
            share: settings.max_share,
        });
    }
    let expiry = SignedDuration::try_from(settings.expiry).unwrap_or(SignedDuration::MAX);
    let until = now.checked_add(expiry).unwrap_or(Timestamp::MAX);
    MarkDecision::Mark { until: Time(until) }
}

/// When this task's mark on `node` expires, if it holds.
fn own_live_mark(node: &Node, task_uid: &str, now: Timestamp) -> Option<Time> {
    fault_marks::marks(node.annotations())
        .into_iter()
        .filter(|mark| mark.task_uid == task_uid && mark.is_live(now))
        .find_map(|NodeMark { mark, .. }| mark.map(|m| m.expires))
}

/// In service: the node is Ready and the aircraft is not in maintenance.
fn in_service(node: &Node) -> bool {
    let ready = (node.status.as_ref())
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
        .is_some_and(|c| c.status == "True");
    let status = node.labels().get(labels::STATUS).map(String::as_str);
    ready && status.and_then(AircraftStatus::parse) != Some(AircraftStatus::Maintenance)
}

#[cfg(test)]
mod tests;
