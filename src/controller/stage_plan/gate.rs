//! The stage's approval gate, decided before anything of the stage runs: it
//! is open (no gate, or approved), waiting for a decision, or rejected.
//!
//! The first decision seen is recorded in `status.gate` and the record is
//! what later plans read, so a decision is acted on once; a decision that
//! arrives after the gate was decided (by its timeout, say) changes nothing.

use std::time::Duration;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::Timestamp;
use kube::runtime::events::EventType;

use super::model::elapsed;
use crate::api::conditions::{Condition, reasons, types};
use crate::api::duration;
use crate::api::gate::{Decision, DecisionRequest, Gate, GateState, GateStatus};
use crate::controller::report::{self, PlanEvent};

/// Where the gate leaves the stage.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Passage {
    /// The stage runs; `record` is its gate's status (none without a gate),
    /// `event` tells the decision made now.
    Open {
        record: Option<GateStatus>,
        event: Option<PlanEvent>,
    },
    /// Nothing starts yet; look again after `remaining` when the gate has a
    /// timeout.
    Waiting {
        record: GateStatus,
        remaining: Option<Duration>,
        event: Option<PlanEvent>,
    },
    /// The stage fails without running a task; its failure event tells
    /// the decision.
    Rejected { record: GateStatus },
}

/// Judges the gate of a stage that has not finished; see the module doc.
pub(super) fn judge(
    gate: Option<&Gate>,
    old: Option<&GateStatus>,
    request: Option<&DecisionRequest>,
    now: &Time,
) -> Passage {
    let Some(gate) = gate else {
        return Passage::Open {
            record: None,
            event: None,
        };
    };
    match old.map(|record| record.state) {
        Some(GateState::Approved) => {
            return Passage::Open {
                record: old.cloned(),
                event: None,
            };
        }
        Some(GateState::Rejected) => {
            let record = old.cloned().unwrap_or_default();
            return Passage::Rejected { record };
        }
        Some(GateState::Waiting) | None => {}
    }
    let since = (old.and_then(|record| record.waiting_since.clone())).unwrap_or(now.clone());
    if let Some(request) = request {
        let record = GateStatus {
            state: state_of(request.decision),
            waiting_since: Some(since),
            decided_by: Some(request.by.clone()),
            decided_at: Some(decided_at(request.at.as_deref(), now)),
            message: request.message.clone(),
        };
        return decided(record);
    }
    let timeout = gate
        .timeout
        .as_deref()
        .and_then(|t| duration::parse(t).ok());
    let waited = elapsed(&since, now);
    if timeout.is_some_and(|timeout| waited >= timeout) {
        let decision = gate.on_timeout.unwrap_or(Decision::Reject);
        let text = gate.timeout.as_deref().unwrap_or_default();
        let record = GateStatus {
            state: state_of(decision),
            waiting_since: Some(since),
            decided_by: None,
            decided_at: Some(now.clone()),
            message: Some(format!("no decision within {text}")),
        };
        return decided(record);
    }
    let event = old.is_none().then(|| PlanEvent {
        type_: EventType::Normal,
        reason: reasons::AWAITING_APPROVAL,
        action: "AwaitApproval",
        note: waiting_note(gate),
    });
    Passage::Waiting {
        record: GateStatus {
            state: GateState::Waiting,
            waiting_since: Some(since),
            ..GateStatus::default()
        },
        remaining: timeout.map(|timeout| timeout.saturating_sub(waited)),
        event,
    }
}

fn decided(record: GateStatus) -> Passage {
    match record.state {
        GateState::Rejected => Passage::Rejected { record },
        _ => Passage::Open {
            event: Some(approved_event(&record)),
            record: Some(record),
        },
    }
}

fn state_of(decision: Decision) -> GateState {
    match decision {
        Decision::Approve => GateState::Approved,
        Decision::Reject => GateState::Rejected,
    }
}

/// The caller's time when it parses, else the time the decision was seen.
fn decided_at(at: Option<&str>, now: &Time) -> Time {
    (at.and_then(|text| text.parse::<Timestamp>().ok())).map_or_else(|| now.clone(), Time)
}

/// "awaiting approval: confirm the targets (approvers: alice, group ops)".
pub(super) fn waiting_note(gate: &Gate) -> String {
    let mut note = "awaiting approval".to_string();
    if let Some(message) = &gate.message {
        note.push_str(&format!(": {message}"));
    }
    let who: Vec<String> = (gate.approvers.iter().cloned())
        .chain(
            gate.approver_groups
                .iter()
                .map(|group| format!("group {group}")),
        )
        .collect();
    if !who.is_empty() {
        note.push_str(&format!(" (approvers: {})", who.join(", ")));
    }
    note
}

/// "approved by alice: targets confirmed", "rejected after no decision within 30m".
pub(super) fn decision_note(record: &GateStatus) -> String {
    let verb = match record.state {
        GateState::Rejected => "rejected",
        _ => "approved",
    };
    let mut note = match &record.decided_by {
        Some(by) => format!("{verb} by {by}"),
        None => format!("{verb} automatically"),
    };
    if let Some(message) = &record.message {
        note.push_str(&format!(": {message}"));
    }
    note
}

fn approved_event(record: &GateStatus) -> PlanEvent {
    PlanEvent {
        type_: EventType::Normal,
        reason: reasons::APPROVED,
        action: "Approve",
        note: decision_note(record),
    }
}

/// The gate's own condition: True while it waits, False once decided.
pub(super) fn condition(record: &GateStatus, generation: Option<i64>) -> Condition {
    let (holds, reason, message) = match record.state {
        GateState::Waiting => (
            true,
            reasons::AWAITING_APPROVAL,
            "waiting for a decision".to_string(),
        ),
        GateState::Approved => (false, reasons::APPROVED, decision_note(record)),
        GateState::Rejected => (false, reasons::REJECTED, decision_note(record)),
    };
    report::condition(
        types::AWAITING_APPROVAL,
        holds,
        reason,
        &message,
        generation,
    )
}
