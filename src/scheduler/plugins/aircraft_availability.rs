//! AircraftAvailability: only a `ready` aircraft takes a task, and only while
//! it carries fewer active task pods than `maxTaskPodsPerAircraft`. The count
//! includes pods bound a moment ago, before the aircraft controller has had
//! time to mark the aircraft busy; and a busy mark whose recorded task pod
//! has finished already reads as ready (see [`NodeInfo::new`]).

use super::{Filter, Unfit};
use crate::api::aircraft::AircraftStatus;
use crate::scheduler::config::SchedulerConfig;
use crate::scheduler::node_info::NodeInfo;
use crate::scheduler::pod_request::PodRequest;
use crate::scheduler::reading::Reading;

/// Task pods named in a reason; more are counted, not listed.
const NAMED_PODS: usize = 3;

/// Refuses an aircraft that is not ready, or already full of tasks.
pub struct AircraftAvailability;

impl Filter for AircraftAvailability {
    fn name(&self) -> &'static str {
        "AircraftAvailability"
    }

    fn filter(
        &self,
        pod: &PodRequest,
        node: &NodeInfo,
        config: &SchedulerConfig,
    ) -> Result<(), Unfit> {
        match &node.status {
            Reading::Valid(AircraftStatus::Ready) => {}
            Reading::Valid(AircraftStatus::Busy) => {
                return Err(Unfit::new("aircraft is busy", "busy"));
            }
            Reading::Valid(AircraftStatus::Maintenance) => {
                return Err(Unfit::new("aircraft is in maintenance", "in maintenance"));
            }
            Reading::Malformed(raw) => {
                return Err(Unfit::new(
                    format!("aircraft status {raw:?} is none of ready, busy, maintenance"),
                    "unknown status",
                ));
            }
            Reading::Absent => {
                return Err(Unfit::new(
                    "no aircraft.mil/status label: not an aircraft, or not yet labelled (kubectl airforce node label)",
                    "no status label",
                ));
            }
        }
        let limit = usize::try_from(config.max_task_pods_per_aircraft).unwrap_or(usize::MAX);
        let carried = node.task_pod_count();
        if pod.task && carried >= limit {
            let mut named: Vec<&str> = node.task_pods().take(NAMED_PODS).collect();
            let more = carried.saturating_sub(named.len());
            let more = (more > 0).then(|| format!("{more} more"));
            named.extend(more.as_deref());
            return Err(Unfit::new(
                format!(
                    "aircraft is busy with {} ({carried} active task pod{}, {limit} allowed)",
                    named.join(", "),
                    if carried == 1 { "" } else { "s" }
                ),
                "busy",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::fixtures::{
        aircraft, defaults, in_phase, info, j20, plain_pod, remove_label, strike, strike_request,
        task_pod,
    };

    fn check(node: &NodeInfo, config: &SchedulerConfig) -> Result<(), Unfit> {
        AircraftAvailability.filter(&strike_request(), node, config)
    }

    #[test]
    fn only_a_ready_aircraft_is_available() {
        assert_eq!(check(&info(&j20()), &defaults()), Ok(()));
        let status = |value| info(&aircraft("j20-03", value, "90", "east-sea", "30"));
        assert_eq!(
            check(&status("busy"), &defaults()),
            Err(Unfit::new("aircraft is busy", "busy"))
        );
        assert_eq!(
            check(&status("maintenance"), &defaults()),
            Err(Unfit::new("aircraft is in maintenance", "in maintenance"))
        );
        assert_eq!(
            check(&status("Ready"), &defaults())
                .expect_err("case matters")
                .reason,
            "aircraft status \"Ready\" is none of ready, busy, maintenance"
        );
        let mut unlabelled = j20();
        remove_label(&mut unlabelled, "aircraft.mil/status");
        assert_eq!(
            check(&info(&unlabelled), &defaults())
                .expect_err("no label")
                .summary,
            "no status label"
        );
    }

    #[test]
    fn an_aircraft_with_a_task_pod_takes_no_other_task() {
        let node = NodeInfo::new(&j20(), [&task_pod("escort-1", &strike(), &[], &[])]);
        assert_eq!(
            check(&node, &defaults()),
            Err(Unfit::new(
                "aircraft is busy with default/escort-1 (1 active task pod, 1 allowed)",
                "busy"
            ))
        );
        let web = PodRequest::from_pod(&plain_pod("web", &[]));
        assert_eq!(
            AircraftAvailability.filter(&web, &node, &defaults()),
            Ok(()),
            "only tasks are limited"
        );
    }

    #[test]
    fn finished_task_pods_do_not_count() {
        let done = in_phase(task_pod("escort-1", &strike(), &[], &[]), "Succeeded");
        assert_eq!(check(&NodeInfo::new(&j20(), [&done]), &defaults()), Ok(()));
    }

    #[test]
    fn a_just_assumed_task_pod_counts() {
        let mut node = info(&j20());
        let mut other = strike_request();
        other.name = "strike-2".into();
        node.assume(&other);
        assert_eq!(check(&node, &defaults()).expect_err("busy").summary, "busy");
    }

    #[test]
    fn max_task_pods_per_aircraft_two_allows_a_second() {
        let config = SchedulerConfig {
            max_task_pods_per_aircraft: 2,
            ..defaults()
        };
        let pods: Vec<_> = (1..=5)
            .map(|i| task_pod(&format!("escort-{i}"), &strike(), &[], &[]))
            .collect();
        assert_eq!(check(&NodeInfo::new(&j20(), &pods[..1]), &config), Ok(()));
        assert_eq!(
            check(&NodeInfo::new(&j20(), &pods[..2]), &config)
                .expect_err("full")
                .reason,
            "aircraft is busy with default/escort-1, default/escort-2 (2 active task pods, 2 allowed)"
        );
        assert_eq!(
            check(&NodeInfo::new(&j20(), &pods), &config)
                .expect_err("full")
                .reason,
            "aircraft is busy with default/escort-1, default/escort-2, default/escort-3, 2 more (5 active task pods, 2 allowed)"
        );
    }
}
