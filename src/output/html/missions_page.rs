//! The missions list: phase, progress, duration and what waits on a person,
//! with filters by namespace, phase and label. The table is the part the live
//! feed redraws ([`missions_live`]).

use k8s_openapi::jiff::Timestamp;
use kube::ResourceExt;
use maud::{Markup, html};

use super::layout::{Chrome, page, state_badge, state_class};
use crate::api::{Mission, MissionPhase};
use crate::output::missions::waiting_on;
use crate::output::tree::{State, elapsed};

/// The filters as the query string gave them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MissionFilter {
    /// `None` for every namespace.
    pub namespace: Option<String>,
    pub phase: Option<MissionPhase>,
    /// A label selector, as `kubectl get -l` takes it.
    pub labels: Option<String>,
}

impl MissionFilter {
    /// The query string that gives this filter back, for links and the feed.
    pub fn query(&self) -> String {
        let mut pairs = form_urlencoded::Serializer::new(String::new());
        pairs.append_pair("namespace", self.namespace.as_deref().unwrap_or(""));
        if let Some(phase) = self.phase {
            pairs.append_pair("phase", phase_word(phase));
        }
        if let Some(labels) = &self.labels {
            pairs.append_pair("labels", labels);
        }
        pairs.finish()
    }

    pub fn admits(&self, mission: &Mission) -> bool {
        let phase = (mission.status.as_ref()).and_then(|status| status.phase);
        self.phase
            .is_none_or(|wanted| phase.unwrap_or_default() == wanted)
    }
}

const PHASES: [MissionPhase; 5] = [
    MissionPhase::Pending,
    MissionPhase::Running,
    MissionPhase::Succeeded,
    MissionPhase::Failed,
    MissionPhase::Cancelled,
];

fn phase_word(phase: MissionPhase) -> &'static str {
    State::from(phase).word()
}

/// A phase from its word in a query string.
pub fn parse_phase(word: &str) -> Option<MissionPhase> {
    PHASES.into_iter().find(|phase| phase_word(*phase) == word)
}

/// Everything the list shows.
#[derive(Debug, Clone)]
pub struct MissionsPage<'a> {
    pub filter: &'a MissionFilter,
    /// In the order to show them, already filtered.
    pub missions: &'a [Mission],
    pub now: Timestamp,
}

pub fn missions_page(chrome: &Chrome, list: &MissionsPage) -> Markup {
    let filter = list.filter;
    page(
        chrome,
        html! {
            h1 { "Missions" }
            form.filters method="get" action="/missions" {
                label { "Namespace " input type="text" name="namespace" value=(filter.namespace.as_deref().unwrap_or("")) placeholder="all namespaces"; }
                label { "Phase "
                    select name="phase" {
                        option value="" selected[filter.phase.is_none()] { "any" }
                        @for phase in PHASES {
                            option value=(phase_word(phase)) selected[filter.phase == Some(phase)] { (phase_word(phase)) }
                        }
                    }
                }
                label { "Labels " input type="text" name="labels" value=(filter.labels.as_deref().unwrap_or("")) placeholder="team=blue,tier!=test"; }
                button type="submit" { "Filter" }
            }
            div #live data-live={ "/missions/live?" (filter.query()) } aria-live="polite" { (missions_live(list)) }
        },
    )
}

/// The table the live feed redraws.
pub fn missions_live(list: &MissionsPage) -> Markup {
    let all_namespaces = list.filter.namespace.is_none();
    html! {
        p.dim { (list.missions.len()) @if list.missions.len() == 1 { " mission" } @else { " missions" } }
        div.scroll {
            table.missions {
                thead { tr {
                    @if all_namespaces { th { "Namespace" } }
                    th { "Name" } th { "Phase" } th { "Stages" } th { "Tasks" } th { "Failed" } th { "Waiting on" } th { "Duration" } th { "Age" }
                } }
                tbody {
                    @for mission in list.missions { (row(mission, all_namespaces, list.now)) }
                }
            }
        }
    }
}

fn row(mission: &Mission, all_namespaces: bool, now: Timestamp) -> Markup {
    let status = mission.status.clone().unwrap_or_default();
    let state = State::from(status.phase.unwrap_or_default());
    let namespace = mission.namespace().unwrap_or_default();
    let name = mission.name_any();
    let time =
        |t: &Option<k8s_openapi::apimachinery::pkg::apis::meta::v1::Time>| t.as_ref().map(|t| t.0);
    let created = mission.metadata.creation_timestamp.as_ref().map(|t| t.0);
    html! {
        tr class={ "mission " (state_class(state)) } data-mission=(name) data-phase=(state.word()) {
            @if all_namespaces { td { (namespace) } }
            td { a href={ "/missions/" (namespace) "/" (name) } { (name) } }
            td { (state_badge(state)) }
            td { (status.stage_progress.as_deref().unwrap_or("-")) }
            td { (status.task_progress.as_deref().unwrap_or("-")) }
            td { (status.statistics.failed_tasks) }
            td { (waiting_on(mission, &status.stages_summary)) }
            td { (elapsed(time(&status.start_time), time(&status.completion_time), now).unwrap_or_else(|| "-".into())) }
            td { (elapsed(created, None, now).unwrap_or_else(|| "-".into())) }
        }
    }
}
