//! `kubectl airforce node …`: aircraft are nodes described by `aircraft.mil/`
//! labels and annotations; these commands set and show them.

use std::process::ExitCode;

use clap::Subcommand;

use super::GlobalArgs;

pub mod aircraft_key;
pub mod clear_marks;
mod fleet;
pub mod label;
pub mod label_plan;
pub mod list;

#[derive(Debug, Subcommand)]
pub enum NodeCommand {
    /// Set aircraft labels and annotations on nodes, checked, showing each change
    ///
    /// Every value and every node is checked before anything is written, so one mistake
    /// writes nothing. aircraft.mil/fuel.status is derived from the fuel level. Each node
    /// gets one merge patch (field manager kubectl-airforce) of just the keys that change;
    /// running the same command again reports "unchanged" and writes nothing.
    ///
    /// Examples:
    ///   kubectl airforce node label j20-01 --fuel 95 --status ready --zone east-sea
    ///   kubectl airforce node label j20-01 j20-02 fuel.level=80 capability.radar=true
    ///   kubectl airforce node label j20-01 --capability stealth --capability supercruise=false
    ///   kubectl airforce node label j20-01 --compatible-weapons pl-15,pl-10 --maintenance 45
    ///   kubectl airforce node label j20-03 status=maintenance capability.radar-
    ///   kubectl airforce node label -l aircraft.mil/location.zone=east-sea --status maintenance
    ///   kubectl airforce node label --from-file examples/fleet.yaml --dry-run
    #[command(verbatim_doc_comment)]
    Label(Box<label::LabelArgs>),
    /// List the aircraft: type, status, fuel, zone, hardpoints, maintenance, task on board
    ///
    /// Nodes with an aircraft.mil/type label, sorted by name. CURRENT TASK is the
    /// <namespace>/<FlightTask> of each task pod bound to the node and not finished, in any
    /// namespace; READY is the node's Ready condition; FAULT MARKS names each task whose
    /// failed attempt marked the aircraft as suspect, and the time left on its mark.
    ///
    /// Examples:
    ///   kubectl airforce node list
    ///   kubectl airforce node list -o wide -l aircraft.mil/status=ready
    ///   kubectl airforce node list -o json | jq '.[] | select(.fuel.level < 50) | .name'
    #[command(verbatim_doc_comment)]
    List(list::ListArgs),
    /// Take fault marks off aircraft that a person knows to be sound
    ///
    /// A failed attempt of a flight task may mark its aircraft as suspect (node list shows
    /// the marks under FAULT MARKS): schedulers then prefer other aircraft until the mark
    /// expires or the task ends. This removes the marks, and with the last one the taint
    /// aircraft.mil/suspect:PreferNoSchedule. The task that made a mark still keeps its
    /// own retries off that aircraft.
    ///
    /// Examples:
    ///   kubectl airforce node clear-marks j20-01
    ///   kubectl airforce node clear-marks --all --task ops/far-sea-strike-strike-1
    ///   kubectl airforce node clear-marks --all --dry-run
    #[command(verbatim_doc_comment)]
    ClearMarks(clear_marks::ClearMarksArgs),
}

impl NodeCommand {
    pub async fn run(self, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
        match self {
            Self::Label(args) => label::run(*args, global).await,
            Self::List(args) => list::run(args, global).await,
            Self::ClearMarks(args) => clear_marks::run(args, global).await,
        }
    }
}
