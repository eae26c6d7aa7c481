//! The filter and score plugins, one small unit each, in the fixed order
//! [`crate::scheduler::decision::decide`] runs them.

mod aircraft_availability;
mod aircraft_capability;
mod aircraft_type;
mod balanced_allocation;
mod fuel_check;
mod fuel_level_score;
mod hardpoints;
mod location_score;
mod maintenance_score;
mod node_affinity;
mod node_resources_fit;
mod node_state;
mod plugin;
mod taint_preference;
mod taint_toleration;
mod weapon_compatibility;

pub use aircraft_availability::AircraftAvailability;
pub use aircraft_capability::AircraftCapability;
pub use aircraft_type::AircraftType;
pub use balanced_allocation::BalancedAllocation;
pub use fuel_check::FuelCheck;
pub use fuel_level_score::FuelLevelScore;
pub use hardpoints::Hardpoints;
pub use location_score::LocationScore;
pub use maintenance_score::MaintenanceScore;
pub use node_affinity::NodeAffinity;
pub use node_resources_fit::NodeResourcesFit;
pub use node_state::{NodeReady, NodeUnschedulable};
pub use plugin::{Filter, Score, Unfit};
pub use taint_preference::TaintPreference;
pub use taint_toleration::{TaintToleration, tolerates};
pub use weapon_compatibility::WeaponCompatibility;

/// Every filter, in order: the node's own state first, then the aircraft
/// checks, so a node is turned down with the most specific reason (the
/// placement's node affinity repeats status, fuel, hardpoints and
/// capabilities, and would otherwise speak first), and resources last.
pub const FILTERS: [&dyn Filter; 11] = [
    &NodeUnschedulable,
    &NodeReady,
    &TaintToleration,
    &AircraftType,
    &AircraftAvailability,
    &FuelCheck,
    &Hardpoints,
    &AircraftCapability,
    &WeaponCompatibility,
    &NodeAffinity,
    &NodeResourcesFit,
];

/// Every score; the total of a candidate is the sum of score × weight.
pub const SCORES: [&dyn Score; 5] = [
    &FuelLevelScore,
    &LocationScore,
    &MaintenanceScore,
    &BalancedAllocation,
    &TaintPreference,
];

/// The message word for the score plugin `name`, or the name itself for a
/// plugin this build does not know (a decision written by another version).
pub fn score_label(name: &str) -> &str {
    (SCORES.iter())
        .find(|score| score.name() == name)
        .map_or(name, |score| score.label())
}

/// What an explanation shows for a candidate the score plugin `name` said
/// nothing about.
pub fn score_absent(name: &str) -> &'static str {
    (SCORES.iter())
        .find(|score| score.name() == name)
        .map_or("skipped", |score| score.absent())
}

/// Where `name` runs among the filters; unknown names sort last.
pub fn filter_rank(name: &str) -> usize {
    (FILTERS.iter())
        .position(|filter| filter.name() == name)
        .unwrap_or(FILTERS.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plugin_names_are_unique_and_labels_resolve() {
        let mut names: Vec<_> = FILTERS.iter().map(|f| f.name()).collect();
        names.extend(SCORES.iter().map(|s| s.name()));
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count);
        assert_eq!(score_label("FuelLevelScore"), "fuel");
        assert_eq!(score_label("FutureScore"), "FutureScore");
        assert_eq!(filter_rank("NodeUnschedulable"), 0);
        assert_eq!(filter_rank("NodeResourcesFit"), 10);
        assert_eq!(filter_rank("FutureFilter"), 11);
    }
}
