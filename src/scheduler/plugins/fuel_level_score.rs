//! FuelLevelScore: more fuel, longer on station; the score is the fuel level.

use super::Score;
use crate::scheduler::config::SchedulerConfig;
use crate::scheduler::node_info::NodeInfo;
use crate::scheduler::pod_request::PodRequest;

/// Scores an aircraft by its fuel level (0–100).
pub struct FuelLevelScore;

impl Score for FuelLevelScore {
    fn name(&self) -> &'static str {
        "FuelLevelScore"
    }

    fn label(&self) -> &'static str {
        "fuel"
    }

    fn weight(&self, config: &SchedulerConfig) -> u32 {
        config.weights.fuel_level
    }

    /// `None` only for an aircraft without a valid level, which FuelCheck
    /// has already turned down.
    fn score(&self, _: &PodRequest, node: &NodeInfo, _: &SchedulerConfig) -> Option<i64> {
        node.fuel.get().map(i64::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::fixtures::{aircraft, defaults, info, strike_request};

    #[test]
    fn the_score_is_the_fuel_level() {
        let score = |level| {
            FuelLevelScore.score(
                &strike_request(),
                &info(&aircraft("a", "ready", level, "east-sea", "45")),
                &defaults(),
            )
        };
        assert_eq!(score("95"), Some(95));
        assert_eq!(score("0"), Some(0));
        assert_eq!(score("ninety"), None);
    }
}
