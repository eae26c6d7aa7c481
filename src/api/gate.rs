//! Approval gates: a stage that, once its dependencies are done, waits for a
//! person to approve it before any of its tasks starts.
//!
//! The decision is asked for with annotations on the MissionStage
//! ([`keys::GATE_DECISION_ANNOTATION`] and its companions), so it survives an
//! operator restart; the stage controller records the first decision it sees
//! in `status.gate` and acts on it once. The API server, through the
//! admission policy installed with the CRDs, refuses a decision that names
//! someone other than the caller, one made by a caller the gate does not
//! list, and any change to a decision once made.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::keys;
use super::schema;

/// A stage's approval gate.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Gate {
    /// What the approver is asked to confirm, shown while the stage waits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 1024))]
    pub message: Option<String>,
    /// User names (as the API server knows them) that may approve or reject.
    /// With approverGroups also empty, anyone allowed to edit the stage may.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 32))]
    pub approvers: Vec<String>,
    /// Groups whose members may approve or reject.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 32))]
    pub approver_groups: Vec<String>,
    /// How long the stage waits for a decision (Go duration: "30m"); it waits
    /// for as long as it takes when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "schema::duration")]
    pub timeout: Option<String>,
    /// The decision taken when the timeout passes: reject (the default) or approve.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_timeout: Option<Decision>,
}

impl Gate {
    /// Whether the gate names who may decide; if not, anyone who may edit
    /// the stage may.
    pub fn restricted(&self) -> bool {
        !(self.approvers.is_empty() && self.approver_groups.is_empty())
    }
}

/// A decision on a gate.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Approve,
    Reject,
}

impl Decision {
    /// The spelling in the decision annotation and the gate's `onTimeout`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approve => "approve",
            Self::Reject => "reject",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "approve" => Some(Self::Approve),
            "reject" => Some(Self::Reject),
            _ => None,
        }
    }
}

/// A decision asked for on a stage, as its annotations spell it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecisionRequest {
    pub decision: Decision,
    /// The caller, as the API server saw it.
    pub by: String,
    /// When the caller decided (RFC 3339), as the caller's clock says.
    pub at: Option<String>,
    /// The approver's message or the rejection's reason.
    pub message: Option<String>,
}

impl DecisionRequest {
    /// The decision asked for by a MissionStage's `annotations`, if they
    /// hold a valid one.
    pub fn from_annotations(annotations: &BTreeMap<String, String>) -> Option<Self> {
        let decision = Decision::parse(annotations.get(keys::GATE_DECISION_ANNOTATION)?)?;
        let by = annotations.get(keys::GATE_DECIDED_BY_ANNOTATION)?.clone();
        Some(Self {
            decision,
            by,
            at: annotations.get(keys::GATE_DECIDED_AT_ANNOTATION).cloned(),
            message: annotations
                .get(keys::GATE_DECISION_MESSAGE_ANNOTATION)
                .cloned(),
        })
    }
}

/// Where a gate stands.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, JsonSchema)]
pub enum GateState {
    #[default]
    Waiting,
    Approved,
    Rejected,
}

/// The gate of a stage, as its controller saw it and acted on it.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GateStatus {
    /// Waiting for a decision, Approved or Rejected.
    pub state: GateState,
    /// When the stage began to wait.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting_since: Option<Time>,
    /// Who decided, as the API server authenticated them; absent when the
    /// gate's timeout decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    /// When the decision was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<Time>,
    /// The approver's message, the rejection's reason, or what the timeout did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}
