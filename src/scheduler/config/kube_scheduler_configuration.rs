//! The scheduler configuration written as a kube-scheduler user writes one:
//! a `KubeSchedulerConfiguration` with one profile for the
//! aircraft-scheduler, whose score plugins carry the weights and whose
//! `pluginConfig` carries the thresholds. It is rewritten into the native
//! form; whatever kube-scheduler has and this scheduler does not is refused
//! by name, never ignored.

use serde_json::{Map, Value, json};

use crate::api::keys::AIRCRAFT_SCHEDULER;
use crate::config_file::Rewritten;

pub const API_VERSION: &str = "kubescheduler.config.k8s.io/v1";
pub const KIND: &str = "KubeSchedulerConfiguration";

/// What a plugin named in the file is to this scheduler.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// One of the filters, which always run.
    Filter,
    /// A score, and the native weight that its weight sets.
    Score(&'static str),
    /// The binder, which always runs.
    Binder,
}

/// Every plugin the file may name. kube-scheduler's own names for the two
/// scores it shares with this scheduler are accepted beside ours.
const PLUGINS: [(&str, Role); 19] = [
    ("NodeUnschedulable", Role::Filter),
    ("NodeReady", Role::Filter),
    ("TaintToleration", Role::Filter),
    ("AircraftType", Role::Filter),
    ("AircraftAvailability", Role::Filter),
    ("FuelCheck", Role::Filter),
    ("Hardpoints", Role::Filter),
    ("AircraftCapability", Role::Filter),
    ("WeaponCompatibility", Role::Filter),
    ("NodeAffinity", Role::Filter),
    ("NodeResourcesFit", Role::Filter),
    ("FuelLevelScore", Role::Score("fuelLevel")),
    ("LocationScore", Role::Score("location")),
    ("MaintenanceScore", Role::Score("maintenance")),
    ("BalancedAllocation", Role::Score("balancedAllocation")),
    (
        "NodeResourcesBalancedAllocation",
        Role::Score("balancedAllocation"),
    ),
    ("TaintPreference", Role::Score("taintPreference")),
    ("TaintToleration", Role::Score("taintPreference")),
    ("DefaultBinder", Role::Binder),
];

/// The args each plugin takes in `pluginConfig`, and the native field each
/// one sets.
const ARGS: [(&str, &str, &str); 10] = [
    ("FuelLevelScore", "minimumFuelThreshold", "minimumFuel"),
    ("FuelCheck", "minimumFuelThreshold", "minimumFuel"),
    ("LocationScore", "adjacentZones", "zoneAdjacency"),
    ("LocationScore", "sameZone", "locationScores.sameZone"),
    (
        "LocationScore",
        "adjacentZone",
        "locationScores.adjacentZone",
    ),
    ("LocationScore", "farther", "locationScores.farther"),
    (
        "LocationScore",
        "noZoneRequested",
        "locationScores.noZoneRequested",
    ),
    ("MaintenanceScore", "bands", "maintenance.bands"),
    ("MaintenanceScore", "otherwise", "maintenance.otherwise"),
    (
        "AircraftAvailability",
        "maxTaskPodsPerAircraft",
        "maxTaskPodsPerAircraft",
    ),
];

/// The score plugins' weights, in the order the native form lists them.
const WEIGHTS: [&str; 5] = [
    "fuelLevel",
    "location",
    "maintenance",
    "balancedAllocation",
    "taintPreference",
];

type Refusal = (String, String);

/// The native document `document` means, and where each of its fields came
/// from; or the first field this scheduler cannot honour, with what to do.
pub fn rewrite(document: &Value) -> Result<Rewritten, Refusal> {
    let top = object(document, "(document)")?;
    only_keys(top, "", &["apiVersion", "kind", "profiles"], |key| {
        format!("is a kube-scheduler setting the aircraft-scheduler does not have; remove {key}")
    })?;
    if top.get("apiVersion").and_then(Value::as_str) != Some(API_VERSION) {
        return Err((
            "apiVersion".into(),
            format!("must be {API_VERSION} for a {KIND}"),
        ));
    }
    let mut out = Output::default();
    let profiles = match top.get("profiles") {
        None => return Ok(out.done()),
        Some(profiles) => array(profiles, "profiles")?,
    };
    if let Some(extra) = profiles.get(1) {
        let name = extra.get("schedulerName").and_then(Value::as_str);
        return Err((
            "profiles[1]".into(),
            format!(
                "this file configures the aircraft-scheduler alone, in one profile; remove the profile of {}",
                name.unwrap_or("default-scheduler")
            ),
        ));
    }
    if let Some(profile) = profiles.first() {
        out.profile(profile, "profiles[0]")?;
    }
    Ok(out.done())
}

/// The native document being built.
#[derive(Default)]
struct Output {
    document: Map<String, Value>,
    moved: Vec<(String, String)>,
}

impl Output {
    fn done(self) -> Rewritten {
        let document = serde_yaml_ng::to_value(Value::Object(self.document)).expect("JSON is YAML");
        Rewritten {
            document,
            moved: self.moved,
        }
    }

    /// Sets the native field at dotted `native`, read from `source`.
    fn set(&mut self, native: &str, value: Value, source: String) {
        let mut at = &mut self.document;
        let mut steps = native.split('.').peekable();
        while let Some(step) = steps.next() {
            if steps.peek().is_none() {
                at.insert(step.to_string(), value);
                break;
            }
            let next = at.entry(step).or_insert_with(|| json!({}));
            at = next.as_object_mut().expect("native paths nest objects");
        }
        self.moved.retain(|(moved, _)| moved != native);
        self.moved.push((native.to_string(), source));
    }

    fn profile(&mut self, profile: &Value, path: &str) -> Result<(), Refusal> {
        let profile = object(profile, path)?;
        only_keys(
            profile,
            path,
            &["schedulerName", "plugins", "pluginConfig"],
            |key| match key {
                "percentageOfNodesToScore" => {
                    "the aircraft-scheduler scores every aircraft; remove it".to_string()
                }
                _ => format!(
                    "is a kube-scheduler setting the aircraft-scheduler does not have; remove {key}"
                ),
            },
        )?;
        let name = profile.get("schedulerName").and_then(Value::as_str);
        if name != Some(AIRCRAFT_SCHEDULER) {
            return Err((
                format!("{path}.schedulerName"),
                format!(
                    "is {}; this file configures the aircraft-scheduler: set schedulerName: {AIRCRAFT_SCHEDULER}",
                    name.map_or("not set (default-scheduler)".to_string(), |n| format!(
                        "{n:?}"
                    ))
                ),
            ));
        }
        if let Some(plugins) = profile.get("plugins") {
            self.plugins(plugins, &format!("{path}.plugins"))?;
        }
        if let Some(configs) = profile.get("pluginConfig") {
            let path = format!("{path}.pluginConfig");
            for (index, config) in array(configs, &path)?.iter().enumerate() {
                self.plugin_args(config, &format!("{path}[{index}]"))?;
            }
        }
        Ok(())
    }

    fn plugins(&mut self, plugins: &Value, path: &str) -> Result<(), Refusal> {
        let points = ["preFilter", "filter", "score", "bind"];
        let plugins = object(plugins, path)?;
        only_keys(plugins, path, &points, |key| {
            format!("the aircraft-scheduler has no {key} plugins to configure; remove {key}")
        })?;
        for (point, set) in plugins {
            let path = format!("{path}.{point}");
            if point == "score" {
                // What is wrong with the weights together is wrong here.
                self.moved.push(("weights".into(), path.clone()));
            }
            let set = object(set, &path)?;
            only_keys(set, &path, &["enabled", "disabled"], |key| {
                format!("lists plugins under enabled and disabled only; remove {key}")
            })?;
            // Disabled first, as kube-scheduler reads them: `enabled` may
            // bring back a plugin that `disabled: [{name: "*"}]` turned off.
            if let Some(disabled) = set.get("disabled") {
                self.disabled(point, disabled, &format!("{path}.disabled"))?;
            }
            if let Some(enabled) = set.get("enabled") {
                self.enabled(point, enabled, &format!("{path}.enabled"))?;
            }
        }
        Ok(())
    }

    fn disabled(&mut self, point: &str, listed: &Value, path: &str) -> Result<(), Refusal> {
        for (index, entry) in array(listed, path)?.iter().enumerate() {
            let path = format!("{path}[{index}]");
            let name = name_of(entry, &path)?;
            if point != "score" {
                return Err((
                    format!("{path}.name"),
                    format!(
                        "the aircraft-scheduler always runs its {point} plugins, so {name} cannot be disabled; remove it"
                    ),
                ));
            }
            let weights: Vec<&str> = match name {
                "*" => WEIGHTS.to_vec(),
                _ => vec![score_weight(name, &format!("{path}.name"))?],
            };
            for weight in weights {
                self.set(&format!("weights.{weight}"), json!(0), path.clone());
            }
        }
        Ok(())
    }

    fn enabled(&mut self, point: &str, listed: &Value, path: &str) -> Result<(), Refusal> {
        for (index, entry) in array(listed, path)?.iter().enumerate() {
            let path = format!("{path}[{index}]");
            let name = name_of(entry, &path)?;
            let weight = entry.get("weight");
            match point {
                "score" => {
                    let native = score_weight(name, &format!("{path}.name"))?;
                    // No weight, or 0, keeps the score's default, as in kube-scheduler.
                    if let Some(weight) = weight.filter(|w| w.as_u64() != Some(0)) {
                        let native = format!("weights.{native}");
                        self.set(&native, weight.clone(), format!("{path}.weight"));
                    }
                }
                "bind" => expect_role(name, Role::Binder, "bind", &path)?,
                _ => expect_role(name, Role::Filter, point, &path)?,
            }
            if point != "score" && weight.is_some() {
                return Err((
                    format!("{path}.weight"),
                    format!("only score plugins have a weight; remove it from {name}"),
                ));
            }
        }
        Ok(())
    }

    fn plugin_args(&mut self, config: &Value, path: &str) -> Result<(), Refusal> {
        only_keys(object(config, path)?, path, &["name", "args"], |key| {
            format!("a pluginConfig entry has a name and args only; remove {key}")
        })?;
        let name = name_of(config, path)?;
        known(name, &format!("{path}.name"))?;
        let takes: Vec<&str> = (ARGS.iter())
            .filter(|(plugin, _, _)| *plugin == name)
            .map(|(_, arg, _)| *arg)
            .collect();
        if takes.is_empty() {
            return Err((
                format!("{path}.name"),
                format!("{name} takes no args; remove this pluginConfig entry"),
            ));
        }
        let Some(args) = config.get("args") else {
            return Ok(());
        };
        let path = format!("{path}.args");
        for (arg, value) in object(args, &path)? {
            let native = (ARGS.iter())
                .find(|(plugin, known, _)| *plugin == name && known == arg)
                .map(|(_, _, native)| *native)
                .ok_or_else(|| {
                    (
                        format!("{path}.{arg}"),
                        format!(
                            "is not an arg of {name}; it takes {}",
                            unique(&takes).join(", ")
                        ),
                    )
                })?;
            self.set(native, value.clone(), format!("{path}.{arg}"));
        }
        Ok(())
    }
}

/// The native weight the score plugin `name` sets.
fn score_weight(name: &str, path: &str) -> Result<&'static str, Refusal> {
    known(name, path)?;
    (PLUGINS.iter())
        .find_map(|(plugin, role)| match role {
            Role::Score(weight) if *plugin == name => Some(*weight),
            _ => None,
        })
        .ok_or_else(|| {
            (
                path.to_string(),
                format!(
                    "{name} is not a score plugin; the scores are {}",
                    names(|role| matches!(role, Role::Score(_)))
                ),
            )
        })
}

/// Refuses `name` unless it is a plugin with `role`.
fn expect_role(name: &str, role: Role, point: &str, path: &str) -> Result<(), Refusal> {
    known(name, &format!("{path}.name"))?;
    let fits = (PLUGINS.iter()).any(|(plugin, r)| *plugin == name && *r == role);
    if fits {
        return Ok(());
    }
    Err((
        format!("{path}.name"),
        format!(
            "{name} is not a {point} plugin of the aircraft-scheduler; those are {}",
            names(|r| *r == role)
        ),
    ))
}

/// Refuses a plugin name this scheduler does not have, naming it.
fn known(name: &str, path: &str) -> Result<(), Refusal> {
    if PLUGINS.iter().any(|(plugin, _)| *plugin == name) {
        return Ok(());
    }
    Err((
        path.to_string(),
        format!(
            "the aircraft-scheduler has no plugin named {name:?}; its plugins are {}",
            names(|_| true)
        ),
    ))
}

/// The names of the plugins whose role passes `keep`, once each.
fn names(keep: impl Fn(&Role) -> bool) -> String {
    let listed: Vec<&str> = (PLUGINS.iter())
        .filter(|(_, role)| keep(role))
        .map(|(name, _)| *name)
        .collect();
    unique(&listed).join(", ")
}

fn unique<'a>(names: &[&'a str]) -> Vec<&'a str> {
    let mut seen = Vec::new();
    for name in names {
        if !seen.contains(name) {
            seen.push(*name);
        }
    }
    seen
}

fn name_of<'a>(entry: &'a Value, path: &str) -> Result<&'a str, Refusal> {
    entry.get("name").and_then(Value::as_str).ok_or_else(|| {
        (
            format!("{path}.name"),
            "is missing: every plugin entry names its plugin".to_string(),
        )
    })
}

fn object<'a>(value: &'a Value, path: &str) -> Result<&'a Map<String, Value>, Refusal> {
    value
        .as_object()
        .ok_or_else(|| (path.to_string(), "must be a mapping".to_string()))
}

fn array<'a>(value: &'a Value, path: &str) -> Result<&'a Vec<Value>, Refusal> {
    value
        .as_array()
        .ok_or_else(|| (path.to_string(), "must be a list".to_string()))
}

/// Refuses the first key of `map` not in `allowed`, with `why`.
fn only_keys(
    map: &Map<String, Value>,
    path: &str,
    allowed: &[&str],
    why: impl Fn(&str) -> String,
) -> Result<(), Refusal> {
    match map.keys().find(|key| !allowed.contains(&key.as_str())) {
        None => Ok(()),
        Some(key) => {
            let at = match path {
                "" => key.clone(),
                _ => format!("{path}.{key}"),
            };
            Err((at, why(key)))
        }
    }
}

#[cfg(test)]
mod tests;
