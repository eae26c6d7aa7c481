//! Reading a KubeSchedulerConfiguration: the seed's own example, weights,
//! args, and every way such a file is refused.

use crate::scheduler::config::{ConfigFile, SchedulerConfig, Weights};

/// The configuration of the original design document, as written there.
const SEED: &str = r#"
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: aircraft-scheduler
  plugins:
    preFilter:
      enabled:
      - name: NodeResourcesFit
      - name: AircraftAvailability
    filter:
      enabled:
      - name: NodeAffinity
      - name: TaintToleration
      - name: AircraftCapability
      - name: FuelCheck
      - name: WeaponCompatibility
    score:
      enabled:
      - name: NodeResourcesBalancedAllocation
        weight: 1
      - name: FuelLevelScore
        weight: 3
      - name: LocationScore
        weight: 2
      - name: MaintenanceScore
        weight: 1
    bind:
      enabled:
      - name: DefaultBinder
  pluginConfig:
  - name: FuelLevelScore
    args:
      minimumFuelThreshold: 30
  - name: LocationScore
    args:
      adjacentZones:
        east-sea: ["south-sea", "yellow-sea"]
        south-sea: ["east-sea"]
"#;

const HEAD: &str = "apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: aircraft-scheduler
";

fn read(text: &str) -> Result<SchedulerConfig, String> {
    SchedulerConfig::from_yaml(text, "sched.yaml").map_err(|error| error.to_string())
}

fn refused(text: &str) -> String {
    read(text).expect_err("the configuration should be refused")
}

#[test]
fn the_seed_example_gives_the_default_weights_fuel_threshold_and_zones() {
    let config = read(SEED).expect("the seed's configuration is accepted");
    assert_eq!(
        config.weights,
        Weights {
            fuel_level: 3,
            location: 2,
            maintenance: 1,
            balanced_allocation: 1,
            taint_preference: 2,
        }
    );
    assert_eq!(config.minimum_fuel, 30);
    assert!(config.zone_adjacency.adjacent("east-sea", "yellow-sea"));
    assert!(config.zone_adjacency.adjacent("south-sea", "east-sea"));
    assert_eq!(
        config,
        SchedulerConfig::default(),
        "the seed writes the defaults"
    );
}

#[test]
fn the_example_file_reads_like_the_native_example() {
    let kube = std::fs::read_to_string("examples/kube-scheduler-config.yaml").expect("example");
    let native = std::fs::read_to_string("examples/scheduler-config.yaml").expect("example");
    assert_eq!(read(&kube), read(&native));
}

#[test]
fn weights_and_args_set_the_native_fields() {
    let text = format!(
        "{HEAD}  plugins:
    score:
      disabled: [{{name: MaintenanceScore}}]
      enabled: [{{name: FuelLevelScore, weight: 7}}, {{name: TaintToleration, weight: 4}}, {{name: LocationScore}}]
  pluginConfig:
  - {{name: FuelCheck, args: {{minimumFuelThreshold: 45}}}}
  - {{name: MaintenanceScore, args: {{bands: [{{moreThanDays: 10, score: 90}}], otherwise: 5}}}}
  - {{name: AircraftAvailability, args: {{maxTaskPodsPerAircraft: 2}}}}
  - {{name: LocationScore, args: {{sameZone: 95}}}}
"
    );
    let config = read(&text).expect("accepted");
    assert_eq!(
        config.weights,
        Weights {
            fuel_level: 7,
            location: 2,
            maintenance: 0,
            balanced_allocation: 1,
            taint_preference: 4,
        },
        "a score without a weight keeps its default; a disabled one weighs 0"
    );
    assert_eq!(config.minimum_fuel, 45);
    assert_eq!(config.maintenance.score(11), 90);
    assert_eq!(config.maintenance.otherwise, 5);
    assert_eq!(config.max_task_pods_per_aircraft, 2);
    assert_eq!(config.location_scores.same_zone, 95);
    assert_eq!(config.location_scores.farther, 30);
}

#[test]
fn disabling_every_score_then_enabling_one_keeps_only_that_one() {
    let text = format!(
        "{HEAD}  plugins:
    score:
      disabled: [{{name: '*'}}]
      enabled: [{{name: LocationScore, weight: 5}}]
"
    );
    let weights = read(&text).expect("accepted").weights;
    assert_eq!(
        [
            weights.fuel_level,
            weights.location,
            weights.maintenance,
            weights.balanced_allocation,
            weights.taint_preference
        ],
        [0, 5, 0, 0, 0]
    );
}

#[test]
fn an_unknown_plugin_is_refused_by_name_where_it_is_written() {
    let text = format!(
        "{HEAD}  plugins:
    score:
      enabled: [{{name: FuelLevelScore}}, {{name: NodeResourcesMostAllocated, weight: 2}}]
"
    );
    let message = refused(&text);
    assert!(
        message.starts_with("sched.yaml: profiles[0].plugins.score.enabled[1].name: the aircraft-scheduler has no plugin named \"NodeResourcesMostAllocated\"; its plugins are NodeUnschedulable,"),
        "{message}"
    );
    let in_config = format!("{HEAD}  pluginConfig:\n  - {{name: VolumeBinding, args: {{}}}}\n");
    assert!(refused(&in_config).contains(
        "pluginConfig[0].name: the aircraft-scheduler has no plugin named \"VolumeBinding\""
    ));
}

#[test]
fn what_the_aircraft_scheduler_cannot_honour_is_refused_with_the_fix() {
    let cases = [
        (
            format!(
                "{HEAD}  plugins:\n    score:\n      enabled: [{{name: FuelCheck, weight: 2}}]\n"
            ),
            "profiles[0].plugins.score.enabled[0].name: FuelCheck is not a score plugin; the scores are FuelLevelScore,",
        ),
        (
            format!("{HEAD}  plugins:\n    filter:\n      disabled: [{{name: FuelCheck}}]\n"),
            "profiles[0].plugins.filter.disabled[0].name: the aircraft-scheduler always runs its filter plugins, so FuelCheck cannot be disabled; remove it",
        ),
        (
            format!("{HEAD}  plugins:\n    filter:\n      enabled: [{{name: FuelLevelScore}}]\n"),
            "profiles[0].plugins.filter.enabled[0].name: FuelLevelScore is not a filter plugin of the aircraft-scheduler; those are NodeUnschedulable,",
        ),
        (
            format!(
                "{HEAD}  plugins:\n    postFilter:\n      enabled: [{{name: DefaultPreemption}}]\n"
            ),
            "profiles[0].plugins.postFilter: the aircraft-scheduler has no postFilter plugins to configure; remove postFilter",
        ),
        (
            format!("{HEAD}  percentageOfNodesToScore: 50\n"),
            "profiles[0].percentageOfNodesToScore: the aircraft-scheduler scores every aircraft; remove it",
        ),
        (
            format!(
                "{HEAD}  pluginConfig:\n  - {{name: FuelLevelScore, args: {{minimumFuel: 20}}}}\n"
            ),
            "profiles[0].pluginConfig[0].args.minimumFuel: is not an arg of FuelLevelScore; it takes minimumFuelThreshold",
        ),
        (
            format!("{HEAD}  pluginConfig:\n  - {{name: NodeAffinity, args: {{}}}}\n"),
            "profiles[0].pluginConfig[0].name: NodeAffinity takes no args; remove this pluginConfig entry",
        ),
        (
            HEAD.replace("aircraft-scheduler", "default-scheduler"),
            "profiles[0].schedulerName: is \"default-scheduler\"; this file configures the aircraft-scheduler: set schedulerName: aircraft-scheduler",
        ),
        (
            format!("{HEAD}- schedulerName: default-scheduler\n"),
            "profiles[1]: this file configures the aircraft-scheduler alone, in one profile; remove the profile of default-scheduler",
        ),
        (
            format!("{HEAD}clientConnection: {{qps: 50}}\n"),
            "clientConnection: is a kube-scheduler setting the aircraft-scheduler does not have; remove clientConnection",
        ),
        (
            HEAD.replace("/v1", "/v1beta3"),
            "apiVersion: must be kubescheduler.config.k8s.io/v1 for a KubeSchedulerConfiguration",
        ),
    ];
    for (text, expected) in cases {
        let message = refused(&text);
        assert!(message.contains(expected), "{text}\n{message}");
        assert!(message.starts_with("sched.yaml: "), "{message}");
    }
}

#[test]
fn a_bad_value_is_named_where_the_file_wrote_it() {
    let heavy = format!(
        "{HEAD}  plugins:\n    score:\n      enabled: [{{name: FuelLevelScore, weight: 300}}]\n"
    );
    assert!(
        refused(&heavy).contains("profiles[0].plugins.score.enabled[0].weight: is 300, but a weight must be between 0 and 100"),
        "{}",
        refused(&heavy)
    );
    let typed = format!(
        "{HEAD}  plugins:\n    score:\n      enabled: [{{name: LocationScore, weight: heavy}}]\n"
    );
    assert!(
        refused(&typed).contains("profiles[0].plugins.score.enabled[0].weight: invalid type"),
        "{}",
        refused(&typed)
    );
    let bands = format!(
        "{HEAD}  pluginConfig:\n  - {{name: MaintenanceScore, args: {{bands: [{{moreThanDays: 5, score: 10}}, {{moreThanDays: 9, score: 5}}]}}}}\n"
    );
    assert!(
        refused(&bands)
            .contains("profiles[0].pluginConfig[0].args.bands[1].moreThanDays: is 9 after 5"),
        "{}",
        refused(&bands)
    );
    let none = format!("{HEAD}  plugins:\n    score:\n      disabled: [{{name: '*'}}]\n");
    assert!(
        refused(&none).starts_with("sched.yaml: profiles[0].plugins.score: every weight is 0"),
        "{}",
        refused(&none)
    );
}

#[test]
fn every_plugin_the_scheduler_runs_can_be_named() {
    use crate::scheduler::plugins::{FILTERS, SCORES};
    let names = (FILTERS.iter().map(|f| f.name())).chain(SCORES.iter().map(|s| s.name()));
    for name in names {
        let text = format!("{HEAD}  plugins:\n    score:\n      disabled: [{{name: {name}}}]\n");
        let known = match read(&text) {
            Ok(_) => true,
            Err(message) => !message.contains("has no plugin named"),
        };
        assert!(known, "{name}");
    }
}
