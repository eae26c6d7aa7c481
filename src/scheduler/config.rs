//! The aircraft-scheduler's settings, read from the YAML file given
//! with `--scheduler-config`; every field has a default, so an empty file, or
//! none, schedules as the README describes. The file may also be a
//! KubeSchedulerConfiguration ([`kube_scheduler_configuration`]).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Deserialize;

pub use crate::config_file::ConfigError;
use crate::config_file::{ConfigFile, Rewritten};

pub mod kube_scheduler_configuration;

/// Where a person finds every field with its default.
const EXAMPLE: &str = "examples/scheduler-config.yaml";

/// Everything the filters and scores can be tuned with.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct SchedulerConfig {
    pub weights: Weights,
    /// The least fuel (percent) any task may leave with, whatever it asks for.
    pub minimum_fuel: u32,
    pub zone_adjacency: ZoneAdjacency,
    pub location_scores: LocationScores,
    pub maintenance: MaintenanceBands,
    /// How many active task pods one aircraft may carry at a time.
    pub max_task_pods_per_aircraft: u32,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        SchedulerConfig {
            weights: Weights::default(),
            minimum_fuel: 30,
            zone_adjacency: ZoneAdjacency::default(),
            location_scores: LocationScores::default(),
            maintenance: MaintenanceBands::default(),
            max_task_pods_per_aircraft: 1,
        }
    }
}

/// The weight of each score; 0 turns that score off.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct Weights {
    pub fuel_level: u32,
    pub location: u32,
    pub maintenance: u32,
    pub balanced_allocation: u32,
    /// The penalty for a PreferNoSchedule taint the pod does not tolerate,
    /// such as that of an aircraft marked as suspect.
    pub taint_preference: u32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            fuel_level: 3,
            location: 2,
            maintenance: 1,
            balanced_allocation: 1,
            taint_preference: 2,
        }
    }
}

/// Which zones neighbour which. Symmetric whatever the file lists: naming
/// `east-sea: [south-sea]` makes south-sea adjacent to east-sea too.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "BTreeMap<String, Vec<String>>")]
pub struct ZoneAdjacency {
    // A HashMap of sets: the location score looks a pair up per node without
    // building a key.
    neighbours: HashMap<String, HashSet<String>>,
}

impl ZoneAdjacency {
    /// Whether `a` and `b` are listed as neighbours (either way round).
    pub fn adjacent(&self, a: &str, b: &str) -> bool {
        self.neighbours.get(a).is_some_and(|set| set.contains(b))
    }
}

impl From<BTreeMap<String, Vec<String>>> for ZoneAdjacency {
    fn from(listed: BTreeMap<String, Vec<String>>) -> Self {
        let mut neighbours: HashMap<String, HashSet<String>> = HashMap::new();
        for (zone, others) in listed {
            for other in others.into_iter().filter(|o| *o != zone) {
                neighbours
                    .entry(other.clone())
                    .or_default()
                    .insert(zone.clone());
                neighbours.entry(zone.clone()).or_default().insert(other);
            }
        }
        ZoneAdjacency { neighbours }
    }
}

impl Default for ZoneAdjacency {
    fn default() -> Self {
        BTreeMap::from([(
            "east-sea".to_string(),
            vec!["south-sea".to_string(), "yellow-sea".to_string()],
        )])
        .into()
    }
}

/// The location score by how far the aircraft's zone is from the task's.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct LocationScores {
    pub same_zone: u32,
    pub adjacent_zone: u32,
    /// Neither the same nor adjacent, or the aircraft has no zone label.
    pub farther: u32,
    /// The task names no zone: every aircraft scores this.
    pub no_zone_requested: u32,
}

impl Default for LocationScores {
    fn default() -> Self {
        LocationScores {
            same_zone: 100,
            adjacent_zone: 70,
            farther: 30,
            no_zone_requested: 50,
        }
    }
}

/// The maintenance score: the first band whose `moreThanDays` the aircraft's
/// days until maintenance exceed, else `otherwise`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct MaintenanceBands {
    /// Longest first.
    pub bands: Vec<MaintenanceBand>,
    /// Too close to maintenance for any band, or the days are unknown.
    pub otherwise: u32,
}

/// One maintenance band.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MaintenanceBand {
    pub more_than_days: i64,
    pub score: u32,
}

impl MaintenanceBands {
    /// The score of an aircraft `days` away from maintenance.
    pub fn score(&self, days: i64) -> u32 {
        (self.bands.iter())
            .find(|band| days > band.more_than_days)
            .map_or(self.otherwise, |band| band.score)
    }
}

impl Default for MaintenanceBands {
    fn default() -> Self {
        let band = |more_than_days, score| MaintenanceBand {
            more_than_days,
            score,
        };
        MaintenanceBands {
            bands: vec![band(30, 100), band(15, 70), band(7, 40)],
            otherwise: 20,
        }
    }
}

impl ConfigFile for SchedulerConfig {
    const EXAMPLE: &'static str = EXAMPLE;

    /// A KubeSchedulerConfiguration is read as its native equivalent.
    fn rewrite(document: serde_yaml_ng::Value) -> Result<Rewritten, (String, String)> {
        let kind = document.get("kind").and_then(serde_yaml_ng::Value::as_str);
        if kind != Some(kube_scheduler_configuration::KIND) {
            return Ok(Rewritten::unchanged(document));
        }
        let document = serde_json::to_value(&document)
            .map_err(|error| ("(document)".to_string(), error.to_string()))?;
        kube_scheduler_configuration::rewrite(&document)
    }

    /// The first field out of range, with what is wrong.
    fn validate(&self) -> Result<(), (String, String)> {
        let weights = [
            ("fuelLevel", self.weights.fuel_level),
            ("location", self.weights.location),
            ("maintenance", self.weights.maintenance),
            ("balancedAllocation", self.weights.balanced_allocation),
            ("taintPreference", self.weights.taint_preference),
        ];
        for (name, weight) in weights {
            at_most_100(&format!("weights.{name}"), weight, "a weight")?;
        }
        if weights.iter().all(|(_, weight)| *weight == 0) {
            return Err((
                "weights".into(),
                "every weight is 0, so no aircraft could be preferred over another; give at least one score a positive weight".into(),
            ));
        }
        at_most_100("minimumFuel", self.minimum_fuel, "a fuel percentage")?;
        let scores = &self.location_scores;
        for (name, score) in [
            ("sameZone", scores.same_zone),
            ("adjacentZone", scores.adjacent_zone),
            ("farther", scores.farther),
            ("noZoneRequested", scores.no_zone_requested),
        ] {
            at_most_100(&format!("locationScores.{name}"), score, "a score")?;
        }
        self.validate_maintenance()?;
        if self.max_task_pods_per_aircraft == 0 {
            return Err((
                "maxTaskPodsPerAircraft".into(),
                "is 0, so no task could ever be scheduled; use 1 (one task per aircraft) or more"
                    .into(),
            ));
        }
        Ok(())
    }
}

impl SchedulerConfig {
    fn validate_maintenance(&self) -> Result<(), (String, String)> {
        let bands = &self.maintenance.bands;
        for (index, band) in bands.iter().enumerate() {
            at_most_100(
                &format!("maintenance.bands[{index}].score"),
                band.score,
                "a score",
            )?;
        }
        if let Some(index) =
            (1..bands.len()).find(|&i| bands[i].more_than_days >= bands[i - 1].more_than_days)
        {
            return Err((
                format!("maintenance.bands[{index}].moreThanDays"),
                format!(
                    "is {} after {}: list the bands longest first, each with fewer days than the one before",
                    bands[index].more_than_days,
                    bands[index - 1].more_than_days
                ),
            ));
        }
        at_most_100(
            "maintenance.otherwise",
            self.maintenance.otherwise,
            "a score",
        )
    }
}

fn at_most_100(path: &str, value: u32, what: &str) -> Result<(), (String, String)> {
    if value > 100 {
        return Err((
            path.to_string(),
            format!("is {value}, but {what} must be between 0 and 100"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
