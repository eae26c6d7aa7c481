//! Actions from the console: cancel, retry, and a gate's approve or reject.
//! Each is offered only when the console runs with `--allow-actions`, asks
//! for confirmation on a page of its own, and is sent back with the console's
//! CSRF secret from the same origin. The request itself is the same one the
//! CLI makes, as the user, with the same checks.

use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use kube::Api;

use super::access;
use super::console::{Body, Console, html};
use super::pages::{Failure, chrome, failure_page};
use crate::api::Mission;
use crate::api::gate::Decision;
use crate::cli::mission::gate_decision::{self, Asked, Decided};
use crate::cli::mission::{cancel, cancel_request, retry};
use crate::output::html::{self as pages_html, ActionKind, Confirm, Section};

/// A form is a few fields; anything larger is not one of ours.
const FORM_LIMIT: usize = 16 * 1024;

/// Which action on which mission.
pub struct Target {
    namespace: String,
    mission: String,
    kind: ActionKind,
}

impl Target {
    pub fn new(namespace: &str, mission: &str, kind: ActionKind) -> Target {
        Target {
            namespace: namespace.to_string(),
            mission: mission.to_string(),
            kind,
        }
    }
}

fn refusal(console: &Console, message: &str) -> Response<Body> {
    let failure = Failure {
        status: StatusCode::FORBIDDEN,
        message: message.to_string(),
    };
    failure_page(console, Section::Missions, failure)
}

const ACTIONS_OFF: &str = "Actions are off: this console was started without --allow-actions, so it only reads. Start it again with `kubectl airforce dashboard --allow-actions` to cancel, retry or approve from the browser.";

/// The confirmation page for an action.
pub fn confirm(
    console: &Console,
    namespace: &str,
    mission: &str,
    kind: ActionKind,
    query: &str,
) -> Response<Body> {
    if !console.actions {
        return refusal(console, ACTIONS_OFF);
    }
    let stage = form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == "stage")
        .map(|(_, value)| value.into_owned());
    if kind.needs_stage() && stage.is_none() {
        return failure_page(
            console,
            Section::Missions,
            Failure {
                status: StatusCode::BAD_REQUEST,
                message: "An approval or rejection names its stage: ?stage=NAME".into(),
            },
        );
    }
    let confirm = Confirm {
        namespace,
        mission,
        stage: stage.as_deref(),
        kind,
        csrf: console.secrets.csrf(),
    };
    let chrome = chrome(console, "Confirm", Section::Missions);
    html(StatusCode::OK, pages_html::confirm_page(&chrome, &confirm))
}

/// Makes the request once the form proves it came from the console's own page.
pub async fn perform(
    console: &Console,
    target: Target,
    request: Request<Incoming>,
) -> Response<Body> {
    if !console.actions {
        return refusal(console, ACTIONS_OFF);
    }
    if let Some(why) = access::cross_site(console.bound, request.headers()) {
        return refusal(console, &format!("Refused: {why}."));
    }
    let form = match Limited::new(request.into_body(), FORM_LIMIT)
        .collect()
        .await
    {
        Ok(body) => body.to_bytes(),
        Err(_) => return refusal(console, "Refused: the form could not be read."),
    };
    let field = |name: &str| {
        form_urlencoded::parse(&form)
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    };
    if !field("csrf").is_some_and(|given| console.secrets.csrf_matches(&given)) {
        return refusal(
            console,
            "Refused: the form did not come from this console's page (reload the page and try again).",
        );
    }
    let stage = field("stage");
    let message = field("message").filter(|m| !m.trim().is_empty());
    let done = act(console, &target, stage.as_deref(), message.as_deref()).await;
    let back = format!("/missions/{}/{}", target.namespace, target.mission);
    let chrome = chrome(console, "Done", Section::Missions);
    match done {
        Ok(text) => html(
            StatusCode::OK,
            pages_html::message_page(&chrome, "Requested", &text, (&back, "Back to the mission")),
        ),
        Err(failure) => html(
            failure.status,
            pages_html::message_page(
                &chrome,
                "Not done",
                &failure.message,
                (&back, "Back to the mission"),
            ),
        ),
    }
}

async fn act(
    console: &Console,
    target: &Target,
    stage: Option<&str>,
    message: Option<&str>,
) -> Result<String, Failure> {
    let (namespace, name) = (target.namespace.as_str(), target.mission.as_str());
    let api: Api<Mission> = Api::namespaced(console.client.clone(), namespace);
    let refused = |message: String| Failure {
        status: StatusCode::CONFLICT,
        message,
    };
    match target.kind {
        ActionKind::Cancel => {
            let mission = api
                .get(name)
                .await
                .map_err(|e| Failure::from_kube(e, "read the mission"))?;
            if let Some(why) = cancel::nothing_to_cancel(&mission) {
                return Err(refused(format!("Mission {name} {why}.")));
            }
            cancel_request::request_cancel(&api, name)
                .await
                .map_err(|e| Failure::from_kube(e, "cancel the mission"))?;
            Ok(format!(
                "Mission {name}: cancel requested. Running stages stop and so do their pods."
            ))
        }
        ActionKind::Retry => {
            let mission = api
                .get(name)
                .await
                .map_err(|e| Failure::from_kube(e, "read the mission"))?;
            retry::retryable(&mission).map_err(|why| refused(format!("Mission {name} {why}.")))?;
            retry::request_retry(&api, name)
                .await
                .map_err(|e| Failure::from_kube(e, "retry the mission"))?;
            Ok(format!("Mission {name}: {}.", retry::what_reruns(&mission)))
        }
        ActionKind::Approve | ActionKind::Reject => {
            let Some(stage) = stage else {
                return Err(refused("An approval or rejection names its stage.".into()));
            };
            let decision = match target.kind {
                ActionKind::Approve => Decision::Approve,
                _ => Decision::Reject,
            };
            let asked = Asked {
                mission: name,
                stage,
                decision,
                message,
            };
            match gate_decision::decide(&console.client, namespace, asked).await {
                Ok(Decided::Already(text) | Decided::Now(text)) => Ok(text),
                Err(error) => Err(refused(format!("{error:#}"))),
            }
        }
    }
}
