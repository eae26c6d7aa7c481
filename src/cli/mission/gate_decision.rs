//! What `mission approve` and `mission reject` share: find the stage waiting
//! at its gate, learn who the caller is from the API server, and write the
//! decision as annotations on the MissionStage. The stage controller acts on
//! it once, even if it was not running when the decision was written; the
//! API server refuses a decision by someone the gate does not list, or on a
//! gate already decided.

use std::process::ExitCode;

use anyhow::{Context, bail};
use k8s_openapi::api::authentication::v1::SelfSubjectReview;
use k8s_openapi::jiff::Timestamp;
use kube::api::{Patch, PatchParams, PostParams};
use kube::{Api, Client, ResourceExt};
use serde_json::json;

use crate::api::field_managers;
use crate::api::gate::{Decision, DecisionRequest, GateState};
use crate::api::keys;
use crate::api::{Mission, MissionStage};
use crate::cli::GlobalArgs;
use crate::controller::names;

/// One decision on one stage's gate.
pub(crate) struct Asked<'a> {
    pub mission: &'a str,
    pub stage: &'a str,
    pub decision: Decision,
    pub message: Option<&'a str>,
}

pub(super) async fn run(asked: Asked<'_>, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let cluster = crate::cli::connect(global).await?;
    crate::cli::ensure_crds(&cluster.client).await?;
    match decide(&cluster.client, &cluster.namespace, asked).await? {
        Decided::Already(text) => eprintln!("{text}"),
        Decided::Now(text) => outln!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// What came of a decision, in a sentence.
pub(crate) enum Decided {
    /// The same decision was made before: nothing was written.
    Already(String),
    /// The decision was written, as the caller.
    Now(String),
}

/// Writes `asked` on the stage as the caller of `client`, after checking that
/// the stage waits at a gate that nobody decided differently.
pub(crate) async fn decide(
    client: &Client,
    namespace: &str,
    asked: Asked<'_>,
) -> anyhow::Result<Decided> {
    let Asked {
        mission,
        stage,
        decision,
        message,
    } = asked;
    let verb = past_tense(decision);
    let name = names::stage(mission, stage);
    let stages: Api<MissionStage> = Api::namespaced(client.clone(), namespace);
    let found = (stages.get_opt(&name).await)
        .with_context(|| format!("cannot read MissionStage {name} in namespace {namespace}"))?;
    let Some(found) = found else {
        return Err(not_started(client, namespace, mission, stage).await);
    };
    if found.spec.gate.is_none() {
        bail!(
            "stage {stage} of mission {mission} has no approval gate: it runs as soon as its dependencies are done (a gate is declared in the mission, spec.stages[].gate)"
        );
    }
    if let Some(earlier) = earlier_decision(&found) {
        if earlier.0 == decision {
            return Ok(Decided::Already(format!(
                "stage {stage} of mission {mission} was already {verb} {}: left as it is",
                earlier.1
            )));
        }
        bail!(
            "stage {stage} of mission {mission} was already {} {}: a decision is final",
            past_tense(earlier.0),
            earlier.1
        );
    }
    let user = caller(client).await?;
    let mut annotations = json!({
        keys::GATE_DECISION_ANNOTATION: decision.as_str(),
        keys::GATE_DECIDED_BY_ANNOTATION: user,
        keys::GATE_DECIDED_AT_ANNOTATION: Timestamp::now().to_string(),
    });
    if let Some(message) = message {
        annotations[keys::GATE_DECISION_MESSAGE_ANNOTATION] = json!(message);
    }
    let patch = json!({ "metadata": { "annotations": annotations } });
    let params = PatchParams::apply(field_managers::CLI);
    match stages.patch(&name, &params, &Patch::Merge(&patch)).await {
        Ok(_) => {}
        // A refusal by the gate's admission policy says all there is to say.
        Err(kube::Error::Api(status)) if status.code == 403 || status.code == 422 => bail!(
            "the API server refused to record stage {stage} of mission {mission} as {verb} by {user}: {}",
            status.message
        ),
        Err(error) => {
            return Err(error).with_context(|| format!("cannot write the decision on {name}"));
        }
    }
    Ok(Decided::Now(format!(
        "stage {stage} of mission {mission} {verb} by {user}"
    )))
}

fn past_tense(decision: Decision) -> &'static str {
    match decision {
        Decision::Approve => "approved",
        Decision::Reject => "rejected",
    }
}

/// The decision already made on the stage, recorded by its controller or
/// still only asked for, with "by whom" for messages.
fn earlier_decision(stage: &MissionStage) -> Option<(Decision, String)> {
    let record = (stage.status.as_ref()).and_then(|status| status.gate.as_ref());
    let by =
        |who: Option<&str>| who.map_or("by its timeout".to_string(), |who| format!("by {who}"));
    let recorded = record.and_then(|record| match record.state {
        GateState::Approved => Some(Decision::Approve),
        GateState::Rejected => Some(Decision::Reject),
        GateState::Waiting => None,
    });
    if let (Some(decision), Some(record)) = (recorded, record) {
        return Some((decision, by(record.decided_by.as_deref())));
    }
    let asked = DecisionRequest::from_annotations(stage.annotations())?;
    Some((asked.decision, by(Some(&asked.by))))
}

/// The caller's user name, as the API server authenticates it (and as the
/// gate's admission policy checks it).
async fn caller(client: &Client) -> anyhow::Result<String> {
    let reviews: Api<SelfSubjectReview> = Api::all(client.clone());
    let review = (reviews
        .create(&PostParams::default(), &SelfSubjectReview::default())
        .await)
        .context("cannot ask the API server who you are (SelfSubjectReview)")?;
    (review.status.and_then(|status| status.user_info))
        .and_then(|user| user.username)
        .context(
            "the API server did not say who you are: a gate decision needs an authenticated user",
        )
}

/// Why there is no stage to decide: no such mission, no such stage, or the
/// stage has not reached its gate yet.
async fn not_started(
    client: &Client,
    namespace: &str,
    mission: &str,
    stage: &str,
) -> anyhow::Error {
    let missions: Api<Mission> = Api::namespaced(client.clone(), namespace);
    match missions.get_opt(mission).await {
        Err(error) => anyhow::Error::new(error).context(format!(
            "cannot read mission {mission} in namespace {namespace}"
        )),
        Ok(None) => anyhow::anyhow!(
            "mission {mission} not found in namespace {namespace} (list them with `kubectl airforce mission list -n {namespace}`)"
        ),
        Ok(Some(found)) if !found.spec.stages.iter().any(|s| s.name == stage) => {
            let known: Vec<&str> = found.spec.stages.iter().map(|s| s.name.as_str()).collect();
            anyhow::anyhow!(
                "mission {mission} has no stage {stage}; its stages are {}",
                known.join(", ")
            )
        }
        Ok(Some(_)) => anyhow::anyhow!(
            "stage {stage} of mission {mission} has not reached its gate yet (the stages it depends on are not done): nothing to decide"
        ),
    }
}
