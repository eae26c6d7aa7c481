//! Reading the scheduler configuration: defaults, overrides and every way a
//! file can be wrong.

use std::path::Path;

use super::*;

fn read(text: &str) -> Result<SchedulerConfig, ConfigError> {
    SchedulerConfig::from_yaml(text, "sched.yaml")
}

fn error(text: &str) -> String {
    read(text)
        .expect_err("the configuration should be refused")
        .to_string()
}

#[test]
fn an_empty_file_gives_the_spec_defaults() {
    for text in ["", "# nothing set\n", "{}", "---\n"] {
        assert_eq!(
            read(text).expect("defaults"),
            SchedulerConfig::default(),
            "{text:?}"
        );
    }
    let config = SchedulerConfig::default();
    assert_eq!(
        config.weights,
        Weights {
            fuel_level: 3,
            location: 2,
            maintenance: 1,
            balanced_allocation: 1,
            taint_preference: 2
        }
    );
    assert_eq!(config.minimum_fuel, 30);
    assert_eq!(config.max_task_pods_per_aircraft, 1);
    assert_eq!(config.location_scores.same_zone, 100);
    assert_eq!(config.location_scores.adjacent_zone, 70);
    assert_eq!(config.location_scores.farther, 30);
    assert_eq!(config.location_scores.no_zone_requested, 50);
}

#[test]
fn the_default_adjacency_links_east_sea_both_ways() {
    let zones = SchedulerConfig::default().zone_adjacency;
    assert!(zones.adjacent("east-sea", "south-sea"));
    assert!(zones.adjacent("south-sea", "east-sea"));
    assert!(zones.adjacent("yellow-sea", "east-sea"));
    assert!(!zones.adjacent("south-sea", "yellow-sea"));
    assert!(!zones.adjacent("east-sea", "east-sea"));
    assert!(!zones.adjacent("east-sea", "north-sea"));
}

#[test]
fn the_default_maintenance_bands_follow_the_spec() {
    let bands = SchedulerConfig::default().maintenance;
    let scores: Vec<_> = [45, 31, 30, 16, 15, 8, 7, 0, -3]
        .into_iter()
        .map(|days| bands.score(days))
        .collect();
    assert_eq!(scores, [100, 100, 70, 70, 40, 40, 20, 20, 20]);
}

#[test]
fn the_example_file_spells_out_the_defaults() {
    let text = include_str!("../../../examples/scheduler-config.yaml");
    let config = SchedulerConfig::from_yaml(text, "examples/scheduler-config.yaml")
        .expect("the example is valid");
    assert_eq!(config, SchedulerConfig::default());
}

#[test]
fn weights_given_replace_only_those_weights() {
    let config = read("weights:\n  fuelLevel: 5\n  balancedAllocation: 0\n").expect("valid");
    assert_eq!(
        config.weights,
        Weights {
            fuel_level: 5,
            location: 2,
            maintenance: 1,
            balanced_allocation: 0,
            taint_preference: 2
        }
    );
    assert_eq!(config.minimum_fuel, 30);
}

#[test]
fn a_listed_adjacency_replaces_the_default_and_is_made_symmetric() {
    let config =
        read("zoneAdjacency:\n  north-sea: [yellow-sea]\n  yellow-sea: [north-sea, bohai]\n")
            .expect("valid");
    let zones = &config.zone_adjacency;
    assert!(zones.adjacent("north-sea", "yellow-sea"));
    assert!(zones.adjacent("bohai", "yellow-sea"));
    assert!(zones.adjacent("yellow-sea", "bohai"));
    assert!(!zones.adjacent("east-sea", "south-sea"));
}

#[test]
fn all_other_fields_can_be_set() {
    let config = read(
        "minimumFuel: 40\nmaxTaskPodsPerAircraft: 2\nlocationScores: {sameZone: 90, noZoneRequested: 10}\n\
         maintenance:\n  bands: [{moreThanDays: 60, score: 100}, {moreThanDays: 0, score: 50}]\n  otherwise: 0\n",
    )
    .expect("valid");
    assert_eq!(config.minimum_fuel, 40);
    assert_eq!(config.max_task_pods_per_aircraft, 2);
    assert_eq!(config.location_scores.same_zone, 90);
    assert_eq!(config.location_scores.adjacent_zone, 70);
    assert_eq!(config.location_scores.no_zone_requested, 10);
    assert_eq!(config.maintenance.score(61), 100);
    assert_eq!(config.maintenance.score(1), 50);
    assert_eq!(config.maintenance.score(0), 0);
}

#[test]
fn an_unknown_field_is_refused_with_its_path() {
    let message = error("weights:\n  fuel: 3\n");
    assert!(
        message.starts_with("sched.yaml: weights.fuel: unknown field `fuel`"),
        "{message}"
    );
    assert!(
        message.contains("fuelLevel"),
        "the known fields are listed: {message}"
    );
    assert!(
        message.contains("examples/scheduler-config.yaml"),
        "{message}"
    );
    let message = error("minimumFeul: 20\n");
    assert!(message.contains("unknown field `minimumFeul`"), "{message}");
}

#[test]
fn a_value_of_the_wrong_type_names_the_field() {
    let message = error("weights:\n  location: high\n");
    assert!(
        message.starts_with("sched.yaml: weights.location: invalid type"),
        "{message}"
    );
    let message = error("minimumFuel: -5\n");
    assert!(
        message.starts_with("sched.yaml: minimumFuel: invalid value"),
        "{message}"
    );
    let message = error("maintenance:\n  bands: [{score: 10}]\n");
    assert!(
        message.starts_with("sched.yaml: maintenance.bands[0]: missing field `moreThanDays`"),
        "{message}"
    );
    let message = error("- a list\n");
    assert!(
        message.starts_with("sched.yaml: (document): invalid type"),
        "{message}"
    );
    let message = error("weights: [unclosed\n");
    assert!(message.starts_with("sched.yaml: (document):"), "{message}");
}

#[test]
fn out_of_range_values_are_refused_with_the_range() {
    assert_eq!(
        error("weights: {location: 101}"),
        "sched.yaml: weights.location: is 101, but a weight must be between 0 and 100"
    );
    assert_eq!(
        error("minimumFuel: 120"),
        "sched.yaml: minimumFuel: is 120, but a fuel percentage must be between 0 and 100"
    );
    assert_eq!(
        error("locationScores: {farther: 200}"),
        "sched.yaml: locationScores.farther: is 200, but a score must be between 0 and 100"
    );
    assert_eq!(
        error("maintenance: {otherwise: 101}"),
        "sched.yaml: maintenance.otherwise: is 101, but a score must be between 0 and 100"
    );
    assert!(
        error("maxTaskPodsPerAircraft: 0").starts_with("sched.yaml: maxTaskPodsPerAircraft: is 0")
    );
}

#[test]
fn all_weights_zero_is_refused() {
    let message = error(
        "weights: {fuelLevel: 0, location: 0, maintenance: 0, balancedAllocation: 0, taintPreference: 0}",
    );
    assert!(
        message.starts_with("sched.yaml: weights: every weight is 0"),
        "{message}"
    );
    read("weights: {fuelLevel: 0, location: 0, maintenance: 0, balancedAllocation: 1, taintPreference: 0}")
        .expect("one positive weight is enough");
}

#[test]
fn maintenance_bands_must_run_longest_first() {
    assert_eq!(
        error(
            "maintenance:\n  bands: [{moreThanDays: 7, score: 40}, {moreThanDays: 30, score: 100}]\n"
        ),
        "sched.yaml: maintenance.bands[1].moreThanDays: is 30 after 7: list the bands longest first, each with fewer days than the one before"
    );
    assert!(
        error(
            "maintenance:\n  bands: [{moreThanDays: 7, score: 40}, {moreThanDays: 7, score: 10}]\n"
        )
        .contains("bands[1].moreThanDays")
    );
    assert!(
        error("maintenance:\n  bands: [{moreThanDays: 7, score: 140}]\n")
            .starts_with("sched.yaml: maintenance.bands[0].score: is 140")
    );
    let none = read("maintenance: {bands: [], otherwise: 60}").expect("no bands is valid");
    assert_eq!(none.maintenance.score(100), 60);
}

#[test]
fn a_missing_file_is_a_read_error_naming_it() {
    let error =
        SchedulerConfig::from_file(Path::new("/nonexistent/sched.yaml")).expect_err("no such file");
    assert!(matches!(error, ConfigError::Read { .. }));
    assert!(
        error
            .to_string()
            .starts_with("cannot read the configuration /nonexistent/sched.yaml: "),
        "{error}"
    );
}
