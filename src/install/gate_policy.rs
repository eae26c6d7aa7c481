//! The admission policy that makes approval gates trustworthy: the API server
//! itself checks every decision written on a MissionStage, so patching the
//! object by hand cannot get round who may approve.
//!
//! A decision (the gate annotations in [`crate::api::keys`]) is refused when
//! it names anyone but the caller as its author, when the stage's gate lists
//! approvers and the caller is neither one of them nor in one of its groups,
//! when the stage has no gate, and when a decision was already made: a
//! decision is final. Writes that leave the decision alone (the operator's
//! own, every other edit) are not affected.

use k8s_openapi::api::admissionregistration::v1::{
    ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding,
    ValidatingAdmissionPolicyBindingSpec,
};
use serde_json::json;

use super::identity::metadata;
use crate::api::keys;

/// The policy's name, and its binding's.
pub const GATE_POLICY_NAME: &str = "airforce-gate-decisions";

/// The policy checking gate decisions on MissionStages.
pub fn gate_policy() -> ValidatingAdmissionPolicy {
    let decision_keys = [
        keys::GATE_DECISION_ANNOTATION,
        keys::GATE_DECIDED_BY_ANNOTATION,
        keys::GATE_DECIDED_AT_ANNOTATION,
        keys::GATE_DECISION_MESSAGE_ANNOTATION,
    ];
    let decision = keys::GATE_DECISION_ANNOTATION;
    let decided_by = keys::GATE_DECIDED_BY_ANNOTATION;
    let spec = json!({
        "failurePolicy": "Fail",
        "matchConstraints": {
            "resourceRules": [{
                "apiGroups": [crate::api::GROUP],
                "apiVersions": ["*"],
                "operations": ["CREATE", "UPDATE"],
                "resources": ["missionstages"],
            }],
        },
        "variables": [
            {
                "name": "now",
                "expression": "has(object.metadata.annotations) ? object.metadata.annotations : {}",
            },
            {
                "name": "before",
                "expression": "oldObject != null && has(oldObject.metadata.annotations) ? oldObject.metadata.annotations : {}",
            },
            {
                "name": "changed",
                "expression": format!(
                    "{keys}.exists(k, (k in variables.now) != (k in variables.before) || (k in variables.now && variables.now[k] != variables.before[k]))",
                    keys = serde_json::to_string(&decision_keys).unwrap_or_default(),
                ),
            },
            {
                "name": "approvers",
                "expression": "has(object.spec.gate) && has(object.spec.gate.approvers) ? object.spec.gate.approvers : []",
            },
            {
                "name": "approverGroups",
                "expression": "has(object.spec.gate) && has(object.spec.gate.approverGroups) ? object.spec.gate.approverGroups : []",
            },
        ],
        "validations": [
            {
                "expression": format!("!variables.changed || !('{decision}' in variables.before)"),
                "message": "the stage's gate was already decided: a decision is final and cannot be changed or taken back",
                "reason": "Forbidden",
            },
            {
                "expression": "!variables.changed || has(object.spec.gate)",
                "message": "this stage has no approval gate: there is nothing to approve or reject",
                "reason": "Invalid",
            },
            {
                "expression": format!("!variables.changed || ('{decision}' in variables.now && variables.now['{decision}'] in ['approve', 'reject'])"),
                "message": format!("annotation {decision} must be approve or reject"),
                "reason": "Invalid",
            },
            {
                "expression": format!("!variables.changed || ('{decided_by}' in variables.now && variables.now['{decided_by}'] == request.userInfo.username)"),
                "messageExpression": format!("'annotation {decided_by} must be the caller\\'s own user name, ' + request.userInfo.username"),
                "reason": "Forbidden",
            },
            {
                "expression": "!variables.changed || (size(variables.approvers) == 0 && size(variables.approverGroups) == 0) || request.userInfo.username in variables.approvers || (has(request.userInfo.groups) && request.userInfo.groups.exists(g, g in variables.approverGroups))",
                "messageExpression": "'user ' + request.userInfo.username + ' may not decide this stage\\'s gate: only its approvers (spec.gate.approvers, spec.gate.approverGroups) may approve or reject it'",
                "reason": "Forbidden",
            },
        ],
    });
    let mut policy: ValidatingAdmissionPolicy = serde_json::from_value(json!({ "spec": spec }))
        .expect("the policy is a valid ValidatingAdmissionPolicy");
    policy.metadata = metadata(GATE_POLICY_NAME, None);
    policy
}

/// Binds [`gate_policy`] to every namespace, refusing what it refuses.
pub fn gate_policy_binding() -> ValidatingAdmissionPolicyBinding {
    ValidatingAdmissionPolicyBinding {
        metadata: metadata(GATE_POLICY_NAME, None),
        spec: ValidatingAdmissionPolicyBindingSpec {
            policy_name: GATE_POLICY_NAME.to_string(),
            validation_actions: vec!["Deny".to_string()],
            ..Default::default()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_watches_stages_and_its_binding_denies() {
        let policy = gate_policy();
        let spec = policy.spec.expect("a spec");
        let rules = (spec.match_constraints.and_then(|m| m.resource_rules)).expect("rules");
        assert_eq!(
            rules[0].resources.as_deref(),
            Some(&["missionstages".to_string()][..])
        );
        assert_eq!(spec.validations.map(|v| v.len()), Some(5));
        let binding = gate_policy_binding().spec;
        assert_eq!(binding.policy_name, GATE_POLICY_NAME);
        assert_eq!(binding.validation_actions, vec!["Deny".to_string()]);
    }
}
