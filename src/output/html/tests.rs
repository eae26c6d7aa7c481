use std::collections::HashMap;

use k8s_openapi::jiff::Timestamp;

use super::*;
use crate::api::{FlightTaskPhase, MissionPhase, StagePhase, StageType};
use crate::output::tree::{MissionView, StageView, TaskView};

fn task(name: &str, phase: FlightTaskPhase) -> TaskView {
    TaskView {
        name: name.into(),
        object_name: format!("m.s.{name}"),
        role: None,
        depends_on: Vec::new(),
        phase,
        created: true,
        node: Some("aircraft-1".into()),
        retries: (0, 3),
        message: Some("<script>alert(1)</script>".into()),
        started: None,
        finished: None,
        request: None,
        pod: None,
        replicas: None,
    }
}

fn stage(name: &str, deps: &[&str], phase: StagePhase, tasks: Vec<TaskView>) -> StageView {
    StageView {
        name: name.into(),
        stage_type: StageType::Parallel,
        depends_on: deps.iter().map(|d| d.to_string()).collect(),
        phase,
        created: true,
        message: None,
        request: None,
        started: None,
        finished: None,
        tasks,
    }
}

fn view() -> MissionView {
    MissionView {
        namespace: "far".into(),
        name: "far-sea".into(),
        phase: MissionPhase::Running,
        message: None,
        retries: (0, 1),
        started: None,
        finished: None,
        retry_requested: false,
        suspended: false,
        unobserved_since: None,
        stages: vec![
            stage(
                "recon",
                &[],
                StagePhase::Succeeded,
                vec![task("eye", FlightTaskPhase::Succeeded)],
            ),
            stage(
                "strike",
                &["recon"],
                StagePhase::AwaitingApproval,
                vec![task("hammer", FlightTaskPhase::Pending)],
            ),
        ],
    }
}

fn render(actions: bool) -> String {
    let view = view();
    let details = HashMap::new();
    let page = MissionPage {
        view: &view,
        details: &details,
        events: &[],
        now: Timestamp::UNIX_EPOCH,
        actions,
    };
    mission_live(&page).into_string()
}

#[test]
fn the_live_fragment_draws_a_box_per_stage_and_a_row_per_task_with_its_phase_in_words() {
    let html = render(false);
    assert_eq!(html.matches("<g class=\"stage ").count(), 2, "{html}");
    assert!(
        html.contains("data-task=\"eye\" data-phase=\"Succeeded\""),
        "{html}"
    );
    assert!(
        html.contains("data-task=\"hammer\" data-phase=\"Pending\""),
        "{html}"
    );
    assert!(
        html.contains("class=\"edge\""),
        "recon → strike is drawn: {html}"
    );
}

#[test]
fn text_from_the_cluster_is_escaped_never_markup() {
    let html = render(false);
    assert!(!html.contains("<script>"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
}

#[test]
fn actions_are_offered_only_when_the_console_allows_them() {
    assert!(!render(false).contains("/far-sea/cancel"));
    let html = render(true);
    assert!(
        html.contains("href=\"/missions/far/far-sea/cancel\""),
        "{html}"
    );
    assert!(
        html.contains("href=\"/missions/far/far-sea/approve?stage=strike\""),
        "{html}"
    );
    assert!(
        !html.contains("/far-sea/retry"),
        "a running mission has nothing to retry: {html}"
    );
}

#[test]
fn the_confirmation_posts_the_request_with_its_csrf_token() {
    let chrome = Chrome {
        title: "confirm",
        section: Section::Missions,
        cluster: "local",
        actions: true,
    };
    let confirm = Confirm {
        namespace: "far",
        mission: "far-sea",
        stage: Some("strike"),
        kind: ActionKind::Approve,
        csrf: "t0ken",
    };
    let html = confirm_page(&chrome, &confirm).into_string();
    assert!(
        html.contains("<form method=\"post\" action=\"/missions/far/far-sea/approve\">"),
        "{html}"
    );
    assert!(html.contains("name=\"csrf\" value=\"t0ken\""), "{html}");
    assert!(html.contains("name=\"stage\" value=\"strike\""), "{html}");
}

#[test]
fn a_phase_round_trips_through_its_query_word() {
    let filter = MissionFilter {
        namespace: Some("far".into()),
        phase: Some(MissionPhase::Failed),
        labels: Some("team=blue".into()),
    };
    assert_eq!(
        filter.query(),
        "namespace=far&phase=Failed&labels=team%3Dblue"
    );
    assert_eq!(parse_phase("Failed"), Some(MissionPhase::Failed));
    assert_eq!(parse_phase("nope"), None);
}
