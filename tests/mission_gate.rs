//! Approval gates on the local cluster with `run` going: a gated stage waits
//! without starting a task, `mission approve` opens it and `mission reject`
//! fails it (and with `abort` the mission), the API server refuses a
//! decision by anyone the gate does not list or one that rewrites an earlier
//! decision, and a decision is acted on once, whether `run` sees it made or
//! was killed when it was made.

mod support;

use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::Event;
use k8s_openapi::api::rbac::v1::{PolicyRule, Role, RoleBinding, RoleRef, Subject};
use kube::api::{ListParams, Patch, PatchParams, PostParams};
use kube::{Api, Client};
use kubectl_airforce::api::conditions::{self, reasons, types};
use kubectl_airforce::api::gate::GateState;
use kubectl_airforce::api::keys;
use kubectl_airforce::api::{FlightTask, Mission, MissionPhase, MissionStage, StagePhase};
use serde_json::json;
use support::Operator;

const TIMEOUT: Duration = Duration::from_secs(120);

/// A short recon, then a strike that waits for alice's approval, then a
/// return leg; the failure policy is the default, abort.
const MISSION: &str = r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {name: sortie}
spec:
  stages:
  - name: recon
    flightTasks:
    - name: look
      aircraftRequirement: {type: j20}
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: 1s}
  - name: strike
    dependsOn: [recon]
    gate:
      message: confirm the targets
      approvers: [alice]
    flightTasks:
    - name: hit
      aircraftRequirement: {type: j20}
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: 1s}
  - name: return
    dependsOn: [strike]
    flightTasks:
    - name: land
      aircraftRequirement: {type: j20}
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: 1s}
"#;

fn phase(stage: Option<&MissionStage>) -> Option<StagePhase> {
    stage.and_then(|s| s.status.as_ref()).and_then(|s| s.phase)
}

fn opened_by_gate(stage: Option<&MissionStage>) -> bool {
    let gate = stage
        .and_then(|s| s.status.as_ref())
        .and_then(|s| s.gate.as_ref());
    gate.is_some_and(|gate| gate.state == GateState::Approved)
}

fn awaiting(stage: Option<&MissionStage>) -> bool {
    phase(stage) == Some(StagePhase::AwaitingApproval)
}

/// Lets alice and bob read missions and edit stages in `ns`, as a mission
/// commander's role would: what refuses bob must be the gate, not RBAC.
async fn commanders(client: &Client, ns: &str) {
    let role = Role {
        metadata: kube::api::ObjectMeta {
            name: Some("commander".into()),
            ..Default::default()
        },
        rules: Some(vec![PolicyRule {
            api_groups: Some(vec!["airforce.mil".into()]),
            resources: Some(vec!["missions".into(), "missionstages".into()]),
            verbs: ["get", "list", "watch", "patch"].map(String::from).to_vec(),
            ..Default::default()
        }]),
    };
    let roles: Api<Role> = Api::namespaced(client.clone(), ns);
    roles
        .create(&PostParams::default(), &role)
        .await
        .expect("role");
    let user = |name: &str| Subject {
        kind: "User".into(),
        name: name.into(),
        api_group: Some("rbac.authorization.k8s.io".into()),
        ..Default::default()
    };
    let binding = RoleBinding {
        metadata: kube::api::ObjectMeta {
            name: Some("commanders".into()),
            ..Default::default()
        },
        role_ref: RoleRef {
            api_group: Some("rbac.authorization.k8s.io".into()),
            kind: "Role".into(),
            name: "commander".into(),
        },
        subjects: Some(vec![user("alice"), user("bob")]),
    };
    let bindings: Api<RoleBinding> = Api::namespaced(client.clone(), ns);
    bindings
        .create(&PostParams::default(), &binding)
        .await
        .expect("binding");
}

/// The API server's refusal of `patch` on the gated stage, as text.
async fn refused_patch(stages: &Api<MissionStage>, patch: &serde_json::Value) -> String {
    let params = PatchParams::default();
    let result = stages
        .patch("sortie.strike", &params, &Patch::Merge(patch))
        .await;
    result.expect_err("the API server refuses it").to_string()
}

async fn stage_events(client: &Client, ns: &str, name: &str, reason: &str) -> Vec<Event> {
    let events: Api<Event> = Api::namespaced(client.clone(), ns);
    let fields = format!("involvedObject.kind=MissionStage,involvedObject.name={name}");
    let mut found = Vec::new();
    // Events are written after the status; give them a moment.
    for _ in 0..20 {
        let listed = (events.list(&ListParams::default().fields(&fields)).await).expect("events");
        found = (listed.items.into_iter())
            .filter(|e| e.reason.as_deref() == Some(reason))
            .collect();
        if !found.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    found
}

#[tokio::test]
async fn a_gate_opens_only_for_its_approver_once_even_across_a_killed_run() {
    support::with_namespace("gate-approve", |client, ns| async move {
        support::ensure_crds(&client).await;
        commanders(&client, &ns).await;
        let mut operator = Operator::start(&ns);
        support::submit_yaml(&ns, MISSION);
        // kubectl waits on the mission's condition, as a script would.
        let waited = support::kubectl(&[
            "-n",
            &ns,
            "wait",
            "--for=condition=AwaitingApproval",
            "mission/sortie",
            "--timeout=90s",
        ]);
        let said = support::text(&waited.stdout) + &support::text(&waited.stderr);
        assert!(waited.status.success(), "{said}");
        assert!(
            said.contains("mission.airforce.mil/sortie condition met"),
            "{said}"
        );
        let stages: Api<MissionStage> = Api::namespaced(client.clone(), &ns);
        let waiting = support::wait_for(
            &stages,
            "sortie.strike",
            TIMEOUT,
            "AwaitingApproval",
            awaiting,
        )
        .await;
        let status = waiting.status.expect("status");
        assert!(conditions::is_true(
            &status.conditions,
            types::AWAITING_APPROVAL
        ));
        assert_eq!(
            status.message.as_deref(),
            Some("awaiting approval: confirm the targets (approvers: alice)")
        );
        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        let mission = missions.get("sortie").await.expect("mission");
        let mission_status = mission.status.expect("status");
        let condition = conditions::find(&mission_status.conditions, types::AWAITING_APPROVAL)
            .expect("the mission says a stage waits");
        assert_eq!(condition.status, "True", "{condition:?}");
        assert_eq!(condition.message, "stage strike waits for approval");

        // It holds: no task of the gated stage appears.
        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
        let until = Instant::now() + Duration::from_secs(3);
        while Instant::now() < until {
            let found = tasks.get_opt("sortie.strike.hit").await.expect("read");
            assert!(found.is_none(), "a task started before approval");
            tokio::time::sleep(Duration::from_millis(250)).await;
        }

        // What waits on a person shows where an operator looks.
        let listed = support::airforce_ok(&["-n", &ns, "mission", "list"]);
        assert!(listed.contains("approval of strike"), "{listed}");
        let tree = support::airforce_ok(&["-n", &ns, "watch", "sortie", "--no-follow"]);
        assert!(tree.contains("AwaitingApproval"), "{tree}");
        assert!(
            tree.contains("awaiting approval: confirm the targets"),
            "{tree}"
        );

        operator.kill();
        // Bob may edit stages, but the gate does not list him.
        let refused = support::airforce(&[
            "-n", &ns, "--as", "bob", "mission", "approve", "sortie", "strike",
        ]);
        let stderr = support::text(&refused.stderr);
        assert!(!refused.status.success(), "bob's approval was accepted");
        assert!(
            stderr.contains("user bob may not decide this stage's gate"),
            "{stderr}"
        );
        // Not even by writing alice's name himself.
        let as_bob: Api<MissionStage> = Api::namespaced(support::client_as("bob").await, &ns);
        let forged = json!({"metadata": {"annotations": {
            keys::GATE_DECISION_ANNOTATION: "approve",
            keys::GATE_DECIDED_BY_ANNOTATION: "alice",
        }}});
        let error = refused_patch(&as_bob, &forged).await;
        assert!(
            error.contains("must be the caller's own user name"),
            "{error}"
        );

        let approved = support::airforce_ok(&[
            "-n",
            &ns,
            "--as",
            "alice",
            "mission",
            "approve",
            "sortie",
            "strike",
            "-m",
            "targets confirmed",
        ]);
        assert_eq!(
            approved.trim(),
            "stage strike of mission sortie approved by alice"
        );
        // A decision is final: alice cannot turn it into a rejection.
        let as_alice: Api<MissionStage> = Api::namespaced(support::client_as("alice").await, &ns);
        let change =
            json!({"metadata": {"annotations": {keys::GATE_DECISION_ANNOTATION: "reject"}}});
        let error = refused_patch(&as_alice, &change).await;
        assert!(error.contains("a decision is final"), "{error}");

        // Until the operator acts on it, the tree says it was asked for.
        let tree = support::airforce_ok(&["-n", &ns, "watch", "sortie", "--no-follow"]);
        assert!(tree.contains("approval requested"), "{tree}");

        let _operator = Operator::start(&ns);
        support::mission_ended(&missions, "sortie", MissionPhase::Succeeded, TIMEOUT).await;
        let strike = stages.get("sortie.strike").await.expect("strike");
        let status = strike.status.expect("status");
        let record = status.gate.expect("the decision is recorded");
        assert_eq!(record.state, GateState::Approved);
        assert_eq!(record.decided_by.as_deref(), Some("alice"));
        assert_eq!(record.message.as_deref(), Some("targets confirmed"));
        assert!(record.decided_at.is_some());
        let condition =
            conditions::find(&status.conditions, types::AWAITING_APPROVAL).expect("set");
        assert_eq!(
            (condition.status.as_str(), condition.reason.as_str()),
            ("False", reasons::APPROVED)
        );
        let tree = support::airforce_ok(&["-n", &ns, "watch", "sortie", "--no-follow"]);
        assert!(tree.contains("approved by alice"), "{tree}");
        let task = tasks.get("sortie.strike.hit").await.expect("the task ran");
        assert_eq!(task.status.expect("status").retry_count, 0, "it ran once");
        let events = stage_events(&client, &ns, "sortie.strike", reasons::APPROVED).await;
        assert_eq!(events.len(), 1, "acted on once: {events:#?}");
        let note = events[0].message.clone().unwrap_or_default();
        assert_eq!(note, "approved by alice: targets confirmed");
        assert_eq!(events[0].count.unwrap_or(1), 1, "{events:#?}");
    })
    .await;
}

#[tokio::test]
async fn a_rejected_gate_fails_its_stage_and_under_abort_the_mission() {
    support::with_namespace("gate-reject", |client, ns| async move {
        support::ensure_crds(&client).await;
        commanders(&client, &ns).await;
        let mut operator = Operator::start(&ns);
        support::submit_yaml(&ns, MISSION);
        let stages: Api<MissionStage> = Api::namespaced(client.clone(), &ns);
        support::wait_for(
            &stages,
            "sortie.strike",
            TIMEOUT,
            "AwaitingApproval",
            awaiting,
        )
        .await;

        operator.kill();
        let rejected = support::airforce_ok(&[
            "-n",
            &ns,
            "--as",
            "alice",
            "mission",
            "reject",
            "sortie",
            "strike",
            "--reason",
            "wrong targets",
        ]);
        assert_eq!(
            rejected.trim(),
            "stage strike of mission sortie rejected by alice"
        );
        let _operator = Operator::start(&ns);

        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        support::mission_ended(&missions, "sortie", MissionPhase::Failed, TIMEOUT).await;
        let strike = stages.get("sortie.strike").await.expect("strike");
        let status = strike.status.expect("status");
        assert_eq!(status.phase, Some(StagePhase::Failed));
        let ready = conditions::find(&status.conditions, types::READY).expect("ready");
        assert_eq!(ready.reason, reasons::REJECTED);
        assert_eq!(ready.message, "rejected by alice: wrong targets");
        let record = status.gate.expect("recorded");
        assert_eq!(
            (record.state, record.decided_by.as_deref()),
            (GateState::Rejected, Some("alice"))
        );
        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
        assert!(
            tasks
                .get_opt("sortie.strike.hit")
                .await
                .expect("read")
                .is_none()
        );
        assert!(
            stages
                .get_opt("sortie.return")
                .await
                .expect("read")
                .is_none(),
            "under abort nothing after the rejected stage starts"
        );
        let events = stage_events(&client, &ns, "sortie.strike", reasons::REJECTED).await;
        assert_eq!(events.len(), 1, "acted on once: {events:#?}");
        assert_eq!(
            events[0].message.as_deref(),
            Some("rejected by alice: wrong targets")
        );

        // A second decision is answered by the CLI without a write.
        let again = support::airforce(&[
            "-n", &ns, "--as", "alice", "mission", "approve", "sortie", "strike",
        ]);
        assert!(!again.status.success());
        let stderr = support::text(&again.stderr);
        assert!(
            stderr.contains("was already rejected by alice: a decision is final"),
            "{stderr}"
        );
    })
    .await;
}

/// Two gates side by side: one that approves itself after two seconds, one
/// that waits for a person.
const TWO_GATES: &str = r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {name: dawn}
spec:
  stages:
  - name: patrol
    gate: {timeout: 2s, onTimeout: approve}
    flightTasks:
    - name: fly
      aircraftRequirement: {type: j20}
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: 1s}
  - name: strike
    gate: {message: go or no go}
    flightTasks:
    - name: hit
      aircraftRequirement: {type: j20}
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: 1s}
"#;

#[tokio::test]
async fn a_gate_timeout_decides_as_declared_and_a_decision_wakes_a_running_operator() {
    support::with_namespace("gate-live", |client, ns| async move {
        support::ensure_crds(&client).await;
        let _operator = Operator::start(&ns);
        support::submit_yaml(&ns, TWO_GATES);
        let stages: Api<MissionStage> = Api::namespaced(client.clone(), &ns);
        let opened =
            support::wait_for(&stages, "dawn.patrol", TIMEOUT, "opened", opened_by_gate).await;
        let record = opened.status.and_then(|s| s.gate).expect("recorded");
        assert_eq!(
            (record.state, record.decided_by),
            (GateState::Approved, None)
        );
        assert_eq!(record.message.as_deref(), Some("no decision within 2s"));
        let strike = stages.get("dawn.strike").await.expect("strike");
        assert_eq!(phase(Some(&strike)), Some(StagePhase::AwaitingApproval));

        // No restart: the running operator sees the decision.
        support::airforce_ok(&["-n", &ns, "mission", "approve", "dawn", "strike"]);
        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        let status =
            support::mission_ended(&missions, "dawn", MissionPhase::Succeeded, TIMEOUT).await;
        let condition =
            conditions::find(&status.conditions, types::AWAITING_APPROVAL).expect("set");
        assert_eq!(condition.status, "False");
    })
    .await;
}
