//! A mission's page: its summary, the stage graph, each stage's tasks with
//! their aircraft, attempts, weapons, conditions and scheduling explanation,
//! and recent Events. The part that changes while the mission flies is one
//! fragment ([`mission_live`]), which the page's live feed replaces whole.

use std::collections::HashMap;

use k8s_openapi::jiff::Timestamp;
use maud::{Markup, html};

use super::dag;
use super::layout::{Chrome, page, state_badge, state_class};
use crate::api::conditions::Condition;
use crate::api::{MissionPhase, StagePhase};
use crate::output::tree::{MissionView, StageView, State, TaskView, elapsed};

/// Replicas listed one by one under a fanned-out task; the rest are counted.
const REPLICAS_SHOWN: usize = 100;

/// What the page knows of a task beyond its view: its conditions and, once
/// the aircraft-scheduler placed its pod, the explanation it recorded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskDetail {
    pub conditions: Vec<Condition>,
    /// `schedule explain`'s text for the current pod.
    pub explanation: Option<String>,
}

/// One Event about the mission or something it owns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    /// "12s", "3m05s": how long ago it was last seen.
    pub age: String,
    pub warning: bool,
    pub reason: String,
    /// `kind/name` of what it is about.
    pub object: String,
    pub message: String,
}

/// What a person may ask of a mission from the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    Cancel,
    Retry,
    Approve,
    Reject,
}

impl ActionKind {
    pub const ALL: [ActionKind; 4] = [Self::Cancel, Self::Retry, Self::Approve, Self::Reject];

    /// The last segment of the action's path.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Cancel => "cancel",
            Self::Retry => "retry",
            Self::Approve => "approve",
            Self::Reject => "reject",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.slug() == slug)
    }

    /// Whether it names a stage (a gate's decision) rather than the mission.
    pub fn needs_stage(self) -> bool {
        matches!(self, Self::Approve | Self::Reject)
    }

    fn label(self) -> &'static str {
        match self {
            Self::Cancel => "Cancel mission",
            Self::Retry => "Retry failed work",
            Self::Approve => "Approve",
            Self::Reject => "Reject",
        }
    }
}

/// Everything the mission page shows.
#[derive(Debug, Clone)]
pub struct MissionPage<'a> {
    pub view: &'a MissionView,
    /// By FlightTask name.
    pub details: &'a HashMap<String, TaskDetail>,
    pub events: &'a [EventRow],
    pub now: Timestamp,
    /// Offer the actions (the console runs with `--allow-actions`).
    pub actions: bool,
}

impl MissionPage<'_> {
    fn base(&self) -> String {
        format!("/missions/{}/{}", self.view.namespace, self.view.name)
    }
}

pub fn mission_page(chrome: &Chrome, mission: &MissionPage) -> Markup {
    let base = mission.base();
    page(
        chrome,
        html! {
            p.crumbs { a href={ "/missions?namespace=" (mission.view.namespace) } { (mission.view.namespace) } " / mission" }
            div #live data-live={ (base) "/live" } aria-live="polite" { (mission_live(mission)) }
            section.events aria-labelledby="events" {
                h2 #events { "Recent events" }
                (events_table(mission.events))
            }
        },
    )
}

/// The part of the page the live feed redraws.
pub fn mission_live(mission: &MissionPage) -> Markup {
    let view = mission.view;
    let state = State::from(view.phase);
    let counts = view.counts();
    html! {
        div.summary data-phase=(state.word()) {
            h1 { (view.name) " " (state_badge(state)) }
            dl.facts {
                dt { "Tasks" } dd { (counts.succeeded) "/" (counts.total) " succeeded" @if counts.failed > 0 { ", " (counts.failed) " failed" } }
                dt { "Duration" } dd { (elapsed(view.started, view.finished, mission.now).unwrap_or_else(|| "-".into())) }
                dt { "Retries" } dd { (view.retries.0) "/" (view.retries.1) }
                @if let Some(message) = &view.message { dt { "Message" } dd { (message) } }
            }
            (notices(view))
            @if mission.actions { (mission_actions(mission)) }
        }
        section.graph aria-label="Stage graph" { (dag::stage_graph(view)) }
        @for stage in &view.stages { (stage_section(mission, stage)) }
    }
}

fn notices(view: &MissionView) -> Markup {
    html! {
        @if view.suspended { p.notice { "Suspended: nothing new starts until it is resumed (" code { "kubectl airforce mission resume " (view.name) } ")." } }
        @if view.retry_requested { p.notice { "A retry was asked for; the operator has not acted on it yet." } }
        @if view.unobserved_since.is_some() { p.notice.warn { "No operator has written this mission's status yet: is " code { "kubectl airforce run" } " or the installed operator running?" } }
    }
}

fn mission_actions(mission: &MissionPage) -> Markup {
    let phase = mission.view.phase;
    let base = mission.base();
    html! {
        p.actions {
            @if !phase.is_finished() {
                a.button href={ (base) "/" (ActionKind::Cancel.slug()) } { (ActionKind::Cancel.label()) }
            }
            @if matches!(phase, MissionPhase::Failed | MissionPhase::Cancelled) && !mission.view.retry_requested {
                a.button href={ (base) "/" (ActionKind::Retry.slug()) } { (ActionKind::Retry.label()) }
            }
        }
    }
}

fn stage_section(mission: &MissionPage, stage: &StageView) -> Markup {
    let state = State::from(stage.phase);
    let counts = stage.counts();
    let base = mission.base();
    html! {
        section.stage id={ "stage-" (stage.name) } data-stage=(stage.name) data-phase=(state.word()) {
            h2 { (stage.name) " " (state_badge(state)) }
            p.meta {
                (format!("{:?}", stage.stage_type).to_lowercase()) " · "
                (counts.succeeded) "/" (counts.total) " tasks"
                @if !stage.depends_on.is_empty() { " · after " (stage.depends_on.join(", ")) }
                @if let Some(took) = elapsed(stage.started, stage.finished, mission.now) { " · " (took) }
            }
            @if let Some(message) = &stage.message { p.message { (message) } }
            @if let Some(request) = stage.request { p.notice { "Asked: " (request) " (the operator has not acted on it yet)" } }
            @if mission.actions && stage.phase == StagePhase::AwaitingApproval {
                p.actions {
                    @for kind in [ActionKind::Approve, ActionKind::Reject] {
                        a.button href={ (base) "/" (kind.slug()) "?stage=" (stage.name) } { (kind.label()) " " (stage.name) }
                    }
                }
            }
            (tasks_table(mission, &stage.tasks))
        }
    }
}

fn tasks_table(mission: &MissionPage, tasks: &[TaskView]) -> Markup {
    html! {
        div.scroll {
            table.tasks {
                thead { tr { th { "Task" } th { "State" } th { "Aircraft" } th { "Attempt" } th { "Pod" } th { "Weapons" } th { "Message" } } }
                tbody {
                    @for task in tasks {
                        (task_row(mission, task))
                        @if let Some(replicas) = &task.replicas {
                            @for replica in replicas.views.iter().take(REPLICAS_SHOWN) { (task_row(mission, replica)) }
                            @if replicas.views.len() > REPLICAS_SHOWN {
                                tr { td colspan="7" { (replicas.views.len() - REPLICAS_SHOWN) " more replicas are counted above, not listed" } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn task_row(mission: &MissionPage, task: &TaskView) -> Markup {
    let state = State::from(task.phase);
    let detail = mission.details.get(&task.object_name);
    let attempt = if task.started.is_some() || task.pod.is_some() {
        format!(
            "{} (retries {}/{})",
            task.retries.0 + 1,
            task.retries.0,
            task.retries.1
        )
    } else {
        "-".to_string()
    };
    html! {
        tr class={ "task " (state_class(state)) } data-task=(task.name) data-phase=(state.word()) {
            td { (task.name) @if let Some(role) = &task.role { " " span.role { (role) } } }
            td {
                @if let Some(replicas) = &task.replicas { (replicas.summary()) } @else { (state_badge(state)) }
            }
            td { (task.node.as_deref().unwrap_or("-")) }
            td { (attempt) }
            td {
                @if let Some(pod) = &task.pod { (pod.name) " " span.dim { (pod.phase.as_deref().unwrap_or("gone")) } } @else { "-" }
            }
            td {
                @if let Some(pod) = &task.pod {
                    @for weapon in &pod.weapons { span.weapon { (weapon.name) " " (weapon.state) } " " }
                }
            }
            td {
                (task.message.as_deref().unwrap_or(""))
                @if let Some(detail) = detail.filter(|d| !d.conditions.is_empty() || d.explanation.is_some()) {
                    details id={ "detail-" (task.object_name) } {
                        summary { "Conditions and placement" }
                        (conditions_list(&detail.conditions))
                        @if let Some(explanation) = &detail.explanation { pre.explain { (explanation) } }
                    }
                }
            }
        }
    }
}

fn conditions_list(conditions: &[Condition]) -> Markup {
    html! {
        ul.conditions {
            @for condition in conditions {
                li { strong { (condition.type_) } " " (condition.status) " " (condition.reason) @if !condition.message.is_empty() { ": " (condition.message) } }
            }
        }
    }
}

fn events_table(events: &[EventRow]) -> Markup {
    html! {
        @if events.is_empty() {
            p.dim { "No events." }
        } @else {
            div.scroll {
                table.events {
                    thead { tr { th { "Last seen" } th { "Type" } th { "Reason" } th { "Object" } th { "Message" } } }
                    tbody {
                        @for event in events {
                            tr class=(if event.warning { "warn" } else { "" }) {
                                td { (event.age) } td { (if event.warning { "Warning" } else { "Normal" }) }
                                td { (event.reason) } td { (event.object) } td { (event.message) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A request about to be made, for the person to confirm.
#[derive(Debug, Clone)]
pub struct Confirm<'a> {
    pub namespace: &'a str,
    pub mission: &'a str,
    pub stage: Option<&'a str>,
    pub kind: ActionKind,
    /// The token the form sends back, proving it came from this console.
    pub csrf: &'a str,
}

/// The page that asks "are you sure?" and sends the request when confirmed.
pub fn confirm_page(chrome: &Chrome, confirm: &Confirm) -> Markup {
    let Confirm {
        namespace,
        mission,
        stage,
        kind,
        csrf,
    } = *confirm;
    let back = format!("/missions/{namespace}/{mission}");
    let question = match (kind, stage) {
        (ActionKind::Cancel, _) => {
            format!("Cancel mission {mission}? Running stages stop and so do their pods.")
        }
        (ActionKind::Retry, _) => {
            format!("Run the failed work of mission {mission} again? What succeeded is kept.")
        }
        (ActionKind::Approve, stage) => format!(
            "Approve stage {} of mission {mission}? It starts at once.",
            stage.unwrap_or("?")
        ),
        (ActionKind::Reject, stage) => format!(
            "Reject stage {} of mission {mission}? It fails and the mission's failure policy decides what follows.",
            stage.unwrap_or("?")
        ),
    };
    page(
        chrome,
        html! {
            h1 { (kind.label()) }
            p { (question) }
            p.dim { "The request is made as you, in namespace " (namespace) "." }
            form method="post" action={ (back) "/" (kind.slug()) } {
                input type="hidden" name="csrf" value=(csrf);
                @if let Some(stage) = stage { input type="hidden" name="stage" value=(stage); }
                @if matches!(kind, ActionKind::Approve | ActionKind::Reject) {
                    label { "Note (optional) " input type="text" name="message" maxlength="500"; }
                }
                button type="submit" { "Yes, " (kind.label().to_lowercase()) }
                " "
                a href=(back) { "No, go back" }
            }
        },
    )
}
