//! The fleet by zone: each aircraft's type, readiness, fuel, hardpoints,
//! maintenance, the task on board and its fault marks, with CPU and memory in
//! use when the cluster serves `metrics.k8s.io` (and a plain sentence when it
//! does not).

use std::collections::{BTreeMap, HashMap};

use k8s_openapi::jiff::Timestamp;
use maud::{Markup, html};

use super::layout::{Chrome, page};
use crate::output::fleet::{Aircraft, NONE};

/// What `metrics.k8s.io` said about the nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Usage {
    /// CPU and memory in use, by node name, as the API gives them.
    Nodes(HashMap<String, (String, String)>),
    /// Why there are no figures, in a sentence.
    Unavailable(String),
}

#[derive(Debug, Clone)]
pub struct FleetPage<'a> {
    pub fleet: &'a [Aircraft],
    pub usage: &'a Usage,
    pub now: Timestamp,
}

pub fn fleet_page(chrome: &Chrome, fleet: &FleetPage) -> Markup {
    let mut zones: BTreeMap<&str, Vec<&Aircraft>> = BTreeMap::new();
    for aircraft in fleet.fleet {
        zones
            .entry(aircraft.zone.as_deref().unwrap_or("(no zone)"))
            .or_default()
            .push(aircraft);
    }
    let ready = (fleet.fleet.iter())
        .filter(|a| a.ready.as_deref() == Some("True"))
        .count();
    page(
        chrome,
        html! {
            h1 { "Aircraft" }
            p.dim { (fleet.fleet.len()) " aircraft, " (ready) " ready, in " (zones.len()) " zones" }
            @if let Usage::Unavailable(why) = fleet.usage { p.notice { (why) } }
            @if fleet.fleet.is_empty() {
                p.notice { "No aircraft: aircraft are nodes with an aircraft.mil/type label (" code { "kubectl airforce node label NODE --type j20" } ")." }
            }
            @for (zone, aircraft) in &zones {
                section.zone aria-label={ "Zone " (zone) } {
                    h2 { "Zone " (zone) " " span.dim { "(" (aircraft.len()) ")" } }
                    div.scroll { (zone_table(aircraft, fleet)) }
                }
            }
        },
    )
}

fn zone_table(aircraft: &[&Aircraft], fleet: &FleetPage) -> Markup {
    let figures = match fleet.usage {
        Usage::Nodes(figures) => Some(figures),
        Usage::Unavailable(_) => None,
    };
    html! {
        table.fleet {
            thead { tr {
                th { "Aircraft" } th { "Type" } th { "Ready" } th { "Status" } th { "Fuel" } th { "Hardpoints" }
                th { "Maintenance" } th { "Task on board" } th { "Fault marks" }
                @if figures.is_some() { th { "CPU" } th { "Memory" } }
            } }
            tbody {
                @for one in aircraft {
                    @let (marks, marked) = one.marks_text(fleet.now);
                    tr.aircraft data-aircraft=(one.name) {
                        td { (one.name) }
                        td { (one.aircraft_type.as_deref().unwrap_or(NONE)) }
                        td class=(if one.ready.as_deref() == Some("True") { "" } else { "bad" }) { (one.ready.as_deref().unwrap_or("Unknown")) }
                        td class={ "status-" (one.status.as_deref().unwrap_or("none")) } { (one.status.as_deref().unwrap_or(NONE)) }
                        td class={ "fuel-" (one.fuel_status.as_deref().unwrap_or("none")) } { (one.fuel_text()) }
                        td { (one.hardpoints.as_deref().unwrap_or(NONE)) }
                        td { (one.maintenance_text()) }
                        td { (match &one.tasks { None => "<unknown>".to_string(), Some(t) if t.is_empty() => NONE.to_string(), Some(t) => t.join(", ") }) }
                        td class=(if marked { "warn" } else { "" }) { (marks) }
                        @if let Some(figures) = figures {
                            @let (cpu, memory) = figures.get(&one.name).cloned().unwrap_or_else(|| ("-".into(), "-".into()));
                            td { (cpu) } td { (memory) }
                        }
                    }
                }
            }
        }
    }
}
