//! LocationScore: an aircraft already in the task's zone is preferred, then
//! one in an adjacent zone (`zoneAdjacency`), then any other.

use super::Score;
use crate::scheduler::config::SchedulerConfig;
use crate::scheduler::node_info::NodeInfo;
use crate::scheduler::pod_request::PodRequest;

/// Scores an aircraft by how far its zone is from the task's preferred zone.
pub struct LocationScore;

impl Score for LocationScore {
    fn name(&self) -> &'static str {
        "LocationScore"
    }

    fn label(&self) -> &'static str {
        "location"
    }

    fn weight(&self, config: &SchedulerConfig) -> u32 {
        config.weights.location
    }

    fn score(&self, pod: &PodRequest, node: &NodeInfo, config: &SchedulerConfig) -> Option<i64> {
        let scores = &config.location_scores;
        let score = match (pod.preferred_zone.as_deref(), node.zone.as_deref()) {
            (None, _) => scores.no_zone_requested,
            (Some(wanted), Some(zone)) if wanted == zone => scores.same_zone,
            (Some(wanted), Some(zone)) if config.zone_adjacency.adjacent(wanted, zone) => {
                scores.adjacent_zone
            }
            _ => scores.farther,
        };
        Some(i64::from(score))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config_file::ConfigFile;
    use crate::scheduler::fixtures::{aircraft, defaults, info, j20, remove_label, strike_request};

    fn score_in(zone: &str, pod: &PodRequest, config: &SchedulerConfig) -> Option<i64> {
        LocationScore.score(
            pod,
            &info(&aircraft("a", "ready", "95", zone, "45")),
            config,
        )
    }

    #[test]
    fn same_adjacent_and_farther_zones_score_down() {
        let pod = strike_request();
        assert_eq!(score_in("east-sea", &pod, &defaults()), Some(100));
        assert_eq!(score_in("south-sea", &pod, &defaults()), Some(70));
        assert_eq!(score_in("yellow-sea", &pod, &defaults()), Some(70));
        assert_eq!(score_in("north-sea", &pod, &defaults()), Some(30));
        let mut nowhere = j20();
        remove_label(&mut nowhere, "aircraft.mil/location.zone");
        assert_eq!(
            LocationScore.score(&pod, &info(&nowhere), &defaults()),
            Some(30)
        );
    }

    #[test]
    fn a_task_without_a_zone_scores_every_aircraft_alike() {
        let pod = PodRequest {
            preferred_zone: None,
            ..strike_request()
        };
        assert_eq!(score_in("east-sea", &pod, &defaults()), Some(50));
        assert_eq!(score_in("north-sea", &pod, &defaults()), Some(50));
    }

    #[test]
    fn a_custom_adjacency_is_used_both_ways() {
        let config = SchedulerConfig::from_yaml("zoneAdjacency: {north-sea: [east-sea]}", "test")
            .expect("valid");
        let pod = strike_request();
        assert_eq!(score_in("north-sea", &pod, &config), Some(70));
        assert_eq!(
            score_in("south-sea", &pod, &config),
            Some(30),
            "the default adjacency is replaced"
        );
    }
}
