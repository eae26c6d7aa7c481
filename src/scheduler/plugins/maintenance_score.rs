//! MaintenanceScore: an aircraft long before its next maintenance is
//! preferred, by the configured bands; unknown days count as the lowest band.

use super::Score;
use crate::scheduler::config::SchedulerConfig;
use crate::scheduler::node_info::NodeInfo;
use crate::scheduler::pod_request::PodRequest;
use crate::scheduler::reading::Reading;

/// Scores an aircraft by the days until its next maintenance.
pub struct MaintenanceScore;

impl Score for MaintenanceScore {
    fn name(&self) -> &'static str {
        "MaintenanceScore"
    }

    fn label(&self) -> &'static str {
        "maintenance"
    }

    fn weight(&self, config: &SchedulerConfig) -> u32 {
        config.weights.maintenance
    }

    fn score(&self, _: &PodRequest, node: &NodeInfo, config: &SchedulerConfig) -> Option<i64> {
        let bands = &config.maintenance;
        let score = node
            .maintenance_days
            .get()
            .map_or(bands.otherwise, |days| bands.score(days));
        Some(i64::from(score))
    }

    fn note(&self, node: &NodeInfo) -> Option<&'static str> {
        match node.maintenance_days {
            Reading::Absent => Some("no maintenance annotation, lowest band"),
            Reading::Malformed(_) => Some("maintenance annotation not a whole number, lowest band"),
            Reading::Valid(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::fixtures::{
        aircraft, defaults, info, j20, remove_annotation, strike_request,
    };

    fn score(days: &str) -> (Option<i64>, Option<&'static str>) {
        let node = info(&aircraft("a", "ready", "95", "east-sea", days));
        (
            MaintenanceScore.score(&strike_request(), &node, &defaults()),
            MaintenanceScore.note(&node),
        )
    }

    #[test]
    fn days_fall_into_the_spec_bands() {
        assert_eq!(score("45"), (Some(100), None));
        assert_eq!(score("20"), (Some(70), None));
        assert_eq!(score("8"), (Some(40), None));
        assert_eq!(score("7"), (Some(20), None));
        assert_eq!(score("-5"), (Some(20), None), "overdue is the lowest band");
    }

    #[test]
    fn unknown_days_score_the_lowest_band_and_say_so() {
        assert_eq!(
            score("ninety"),
            (
                Some(20),
                Some("maintenance annotation not a whole number, lowest band")
            )
        );
        let mut node = j20();
        remove_annotation(&mut node, "aircraft.mil/maintenance");
        let node = info(&node);
        assert_eq!(
            MaintenanceScore.score(&strike_request(), &node, &defaults()),
            Some(20)
        );
        assert_eq!(
            MaintenanceScore.note(&node),
            Some("no maintenance annotation, lowest band")
        );
    }
}
