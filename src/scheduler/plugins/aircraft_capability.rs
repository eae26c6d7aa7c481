//! AircraftCapability: every capability the task requires must be labelled
//! `aircraft.mil/capability.<name>=true` on the aircraft.

use super::{Filter, Unfit};
use crate::scheduler::config::SchedulerConfig;
use crate::scheduler::node_info::NodeInfo;
use crate::scheduler::pod_request::PodRequest;

/// Refuses an aircraft lacking a required capability.
pub struct AircraftCapability;

impl Filter for AircraftCapability {
    fn name(&self) -> &'static str {
        "AircraftCapability"
    }

    fn filter(&self, pod: &PodRequest, node: &NodeInfo, _: &SchedulerConfig) -> Result<(), Unfit> {
        if pod
            .capabilities
            .iter()
            .all(|c| node.capabilities.contains(c))
        {
            return Ok(());
        }
        let lacking: Vec<&str> = (pod.capabilities.iter())
            .filter(|c| !node.capabilities.contains(*c))
            .map(String::as_str)
            .collect();
        let lacking = lacking.join(", ");
        Err(Unfit::new(
            format!("lacks {lacking} (no aircraft.mil/capability.<name>=true label)"),
            format!("lacks {lacking}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::fixtures::{defaults, info, j20, set_label, strike_request};

    fn needing(capabilities: &[&str]) -> PodRequest {
        PodRequest {
            capabilities: capabilities.iter().map(|c| c.to_string()).collect(),
            ..strike_request()
        }
    }

    #[test]
    fn every_required_capability_must_be_labelled_true() {
        let mut node = j20();
        set_label(&mut node, "aircraft.mil/capability.strike", "true");
        set_label(&mut node, "aircraft.mil/capability.recon", "false");
        let node = info(&node);
        assert_eq!(
            AircraftCapability.filter(&needing(&[]), &node, &defaults()),
            Ok(())
        );
        assert_eq!(
            AircraftCapability.filter(&needing(&["stealth", "strike"]), &node, &defaults()),
            Ok(())
        );
        assert_eq!(
            AircraftCapability.filter(&needing(&["stealth", "recon", "ew"]), &node, &defaults()),
            Err(Unfit::new(
                "lacks recon, ew (no aircraft.mil/capability.<name>=true label)",
                "lacks recon, ew"
            ))
        );
    }
}
