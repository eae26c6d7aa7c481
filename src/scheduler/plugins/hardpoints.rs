//! Hardpoints: the aircraft must have as many free hardpoints as the task needs.

use super::{Filter, Unfit};
use crate::api::aircraft::labels::HARDPOINTS_AVAILABLE;
use crate::api::keys::placement::REQUIRED_HARDPOINTS;
use crate::scheduler::config::SchedulerConfig;
use crate::scheduler::node_info::NodeInfo;
use crate::scheduler::pod_request::PodRequest;
use crate::scheduler::reading::Reading;

const COUNT: &str = "a whole number of at least 0";

/// Refuses an aircraft with too few free hardpoints.
pub struct Hardpoints;

impl Filter for Hardpoints {
    fn name(&self) -> &'static str {
        "Hardpoints"
    }

    fn filter(&self, pod: &PodRequest, node: &NodeInfo, _: &SchedulerConfig) -> Result<(), Unfit> {
        let needed = match &pod.required_hardpoints {
            Reading::Valid(needed) => *needed,
            Reading::Absent => 0,
            Reading::Malformed(_) => {
                let problem =
                    pod.required_hardpoints
                        .problem("pod annotation", REQUIRED_HARDPOINTS, COUNT);
                return Err(Unfit::new(
                    format!(
                        "{}; fix the task's aircraftRequirement.hardpoints",
                        problem.unwrap_or_default()
                    ),
                    "malformed required-hardpoints annotation",
                ));
            }
        };
        // Asking for none is no requirement: an unlabelled aircraft will do.
        if needed == 0 {
            return Ok(());
        }
        match node.hardpoints {
            Reading::Valid(free) if free >= needed => Ok(()),
            Reading::Valid(free) => Err(Unfit::new(
                format!("hardpoints {free} < {needed} required"),
                format!("fewer than {needed} hardpoints"),
            )),
            _ => Err(Unfit::new(
                node.hardpoints
                    .problem("label", HARDPOINTS_AVAILABLE, COUNT)
                    .unwrap_or_default(),
                "hardpoints unknown",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::fixtures::{
        defaults, info, j20, remove_label, set_label, strike_request,
    };

    fn with_free(free: &str) -> NodeInfo {
        let mut node = j20();
        set_label(&mut node, HARDPOINTS_AVAILABLE, free);
        info(&node)
    }

    fn needing(hardpoints: Reading<u32>) -> PodRequest {
        PodRequest {
            required_hardpoints: hardpoints,
            ..strike_request()
        }
    }

    #[test]
    fn free_hardpoints_must_cover_the_task() {
        let pod = strike_request();
        assert_eq!(
            Hardpoints.filter(&pod, &with_free("6"), &defaults()),
            Ok(())
        );
        assert_eq!(
            Hardpoints.filter(&pod, &with_free("4"), &defaults()),
            Err(Unfit::new(
                "hardpoints 4 < 6 required",
                "fewer than 6 hardpoints"
            ))
        );
    }

    #[test]
    fn missing_or_malformed_labels_refuse_only_when_hardpoints_are_needed() {
        let pod = strike_request();
        for bad in ["-5", "six", "2.5"] {
            assert_eq!(
                Hardpoints.filter(&pod, &with_free(bad), &defaults()),
                Err(Unfit::new(
                    format!(
                        "label aircraft.mil/hardpoint.available {bad:?} is not a whole number of at least 0"
                    ),
                    "hardpoints unknown"
                ))
            );
        }
        let mut bare = j20();
        remove_label(&mut bare, HARDPOINTS_AVAILABLE);
        assert_eq!(
            Hardpoints
                .filter(&pod, &info(&bare), &defaults())
                .expect_err("unknown")
                .reason,
            "no aircraft.mil/hardpoint.available label"
        );
        assert_eq!(
            Hardpoints.filter(&needing(Reading::Absent), &info(&bare), &defaults()),
            Ok(())
        );
        assert_eq!(
            Hardpoints.filter(&needing(Reading::Valid(0)), &with_free("-5"), &defaults()),
            Ok(())
        );
    }

    #[test]
    fn a_malformed_request_names_the_annotation() {
        let unfit = Hardpoints
            .filter(
                &needing(Reading::Malformed("-5".into())),
                &with_free("8"),
                &defaults(),
            )
            .expect_err("malformed");
        assert_eq!(unfit.summary, "malformed required-hardpoints annotation");
        assert!(
            unfit
                .reason
                .starts_with("pod annotation airforce.mil/required-hardpoints \"-5\"")
        );
    }
}
