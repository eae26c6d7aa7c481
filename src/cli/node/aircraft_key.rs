//! Aircraft keys for `node label`: which `aircraft.mil/` label or annotation
//! an argument names, and whether a value for it is valid — each refusal
//! saying what would be.

use crate::api::aircraft::{AircraftStatus, PREFIX, annotations, labels};

/// The most hardpoints an airframe is given; more is a typo.
pub const MAX_HARDPOINTS: u32 = 32;

/// The keys `node label` sets, in the order tables show them.
const KNOWN_KEYS: &str = "type, status, fuel.level, hardpoint.available, location.zone, \
     capability.<name>, maintenance, compatible-weapons";

/// An `aircraft.mil/` label or annotation. The order of the
/// variants is the order in which changes are listed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AircraftKey {
    Type,
    Status,
    FuelLevel,
    /// Derived from the fuel level: written by `node label`, never given.
    FuelStatus,
    Hardpoints,
    Zone,
    Capability(String),
    Maintenance,
    CompatibleWeapons,
}

/// Why an argument does not name an aircraft key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error(
        "{0} is not an aircraft key: node label sets only aircraft.mil/ keys ({KNOWN_KEYS}); \
         set other labels with `kubectl label node`"
    )]
    NotAircraft(String),
    #[error("{0} is not a known aircraft key: use one of {KNOWN_KEYS}")]
    Unknown(String),
    #[error(
        "aircraft.mil/busy-with is kept by the aircraft controller while a task runs on the \
         node: set status instead"
    )]
    Managed,
    #[error(
        "capability name {0:?} is not valid: use up to 52 letters, digits, '-', '_' or '.', \
         starting and ending with a letter or digit (e.g. capability.aesa-radar)"
    )]
    CapabilityName(String),
}

impl AircraftKey {
    /// Reads a key with or without the `aircraft.mil/` prefix; without it,
    /// `fuel`, `hardpoints` and `zone` are accepted as the flags spell them.
    pub fn parse(key: &str) -> Result<AircraftKey, KeyError> {
        let (name, prefixed) = match key.strip_prefix(PREFIX) {
            Some(name) => (name, true),
            None => (key, false),
        };
        Ok(match name {
            "type" => Self::Type,
            "status" => Self::Status,
            "fuel.level" => Self::FuelLevel,
            "fuel" if !prefixed => Self::FuelLevel,
            "fuel.status" => Self::FuelStatus,
            "hardpoint.available" => Self::Hardpoints,
            "hardpoints" if !prefixed => Self::Hardpoints,
            "location.zone" => Self::Zone,
            "zone" if !prefixed => Self::Zone,
            "maintenance" => Self::Maintenance,
            "compatible-weapons" => Self::CompatibleWeapons,
            "busy-with" => return Err(KeyError::Managed),
            _ => match name.strip_prefix("capability.") {
                Some(capability) if is_capability_name(capability) => {
                    Self::Capability(capability.to_string())
                }
                Some(capability) => return Err(KeyError::CapabilityName(capability.to_string())),
                None if prefixed => return Err(KeyError::Unknown(key.to_string())),
                None => return Err(KeyError::NotAircraft(key.to_string())),
            },
        })
    }

    /// The full key: `aircraft.mil/fuel.level`.
    pub fn full(&self) -> String {
        match self {
            Self::Type => labels::TYPE.to_string(),
            Self::Status => labels::STATUS.to_string(),
            Self::FuelLevel => labels::FUEL_LEVEL.to_string(),
            Self::FuelStatus => labels::FUEL_STATUS.to_string(),
            Self::Hardpoints => labels::HARDPOINTS_AVAILABLE.to_string(),
            Self::Zone => labels::ZONE.to_string(),
            Self::Capability(name) => format!("{}{name}", labels::CAPABILITY_PREFIX),
            Self::Maintenance => annotations::MAINTENANCE_DAYS.to_string(),
            Self::CompatibleWeapons => annotations::COMPATIBLE_WEAPONS.to_string(),
        }
    }

    /// The key without its prefix, as tables show it: `fuel.level`.
    pub fn short(&self) -> String {
        self.full()
            .strip_prefix(PREFIX)
            .unwrap_or_default()
            .to_string()
    }

    /// Maintenance and compatible weapons are annotations: nothing selects on them.
    pub fn is_annotation(&self) -> bool {
        matches!(self, Self::Maintenance | Self::CompatibleWeapons)
    }

    /// The value as it is to be written (numbers in canonical form, weapon
    /// lists without blanks or repeats), or why it is not valid and what would be.
    pub fn check(&self, value: &str) -> Result<String, String> {
        match self {
            Self::Type => label_value(value, "an aircraft type", "j20"),
            Self::Zone => label_value(value, "a zone", "east-sea"),
            Self::Status => AircraftStatus::parse(value)
                .map(|status| status.as_str().to_string())
                .ok_or_else(|| "the status must be one of ready, busy, maintenance".to_string()),
            Self::FuelLevel => {
                number(value.strip_suffix('%').unwrap_or(value), 100).ok_or_else(|| {
                    "the fuel level must be a whole number from 0 to 100 (e.g. 80)".to_string()
                })
            }
            Self::FuelStatus => match value {
                "high" | "medium" | "low" => Ok(value.to_string()),
                _ => Err("the fuel status must be high, medium or low".to_string()),
            },
            Self::Hardpoints => number(value, MAX_HARDPOINTS).ok_or_else(|| {
                format!(
                    "the available hardpoints must be a whole number from 0 to {MAX_HARDPOINTS}"
                )
            }),
            Self::Maintenance => number(value.strip_suffix('d').unwrap_or(value), u32::MAX)
                .ok_or_else(|| {
                    "the days until maintenance must be a whole number, 0 or more (e.g. 45)"
                        .to_string()
                }),
            Self::Capability(_) => match value {
                "true" | "false" => Ok(value.to_string()),
                _ => Err("a capability must be true or false".to_string()),
            },
            Self::CompatibleWeapons => weapon_list(value),
        }
    }
}

fn number(text: &str, max: u32) -> Option<String> {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    let value: u32 = text.parse().ok().filter(|_| digits)?;
    (value <= max).then(|| value.to_string())
}

/// A Kubernetes label value, non-empty: what the scheduler's node affinity matches.
fn label_value(value: &str, what: &str, example: &str) -> Result<String, String> {
    if is_label_name(value, 63) {
        Ok(value.to_string())
    } else {
        Err(format!(
            "not {what}: use up to 63 letters, digits, '-', '_' or '.', starting and ending \
             with a letter or digit (e.g. {example})"
        ))
    }
}

/// The rule Kubernetes has for label values and the name part of label keys.
fn is_label_name(text: &str, max: usize) -> bool {
    let alphanumeric = |c: char| c.is_ascii_alphanumeric();
    (1..=max).contains(&text.len())
        && text.starts_with(alphanumeric)
        && text.ends_with(alphanumeric)
        && text
            .chars()
            .all(|c| alphanumeric(c) || matches!(c, '-' | '_' | '.'))
}

/// `capability.<name>` must fit the 63 characters of a label key's name part.
fn is_capability_name(name: &str) -> bool {
    is_label_name(name, 63 - "capability.".len())
}

fn weapon_list(value: &str) -> Result<String, String> {
    let mut weapons: Vec<&str> = Vec::new();
    for weapon in crate::api::aircraft::compatible_weapons(value) {
        if !is_weapon_name(weapon) {
            return Err(format!(
                "{weapon:?} is not a weapon name: weapons are named with lower-case letters, \
                 digits and '-' (e.g. pl-15,pl-10)"
            ));
        }
        if !weapons.contains(&weapon) {
            weapons.push(weapon);
        }
    }
    if weapons.is_empty() {
        return Err(
            "name at least one weapon (e.g. pl-15,pl-10); compatible-weapons- removes the annotation"
                .to_string(),
        );
    }
    Ok(weapons.join(","))
}

/// Weapons are objects named as DNS labels.
fn is_weapon_name(name: &str) -> bool {
    let alphanumeric = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    (1..=63).contains(&name.len())
        && name.starts_with(alphanumeric)
        && name.ends_with(alphanumeric)
        && name.chars().all(|c| alphanumeric(c) || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_read_with_or_without_the_prefix_and_with_the_flag_spellings() {
        for (key, expected) in [
            ("type", AircraftKey::Type),
            ("aircraft.mil/status", AircraftKey::Status),
            ("fuel", AircraftKey::FuelLevel),
            ("fuel.level", AircraftKey::FuelLevel),
            ("hardpoints", AircraftKey::Hardpoints),
            ("aircraft.mil/hardpoint.available", AircraftKey::Hardpoints),
            ("zone", AircraftKey::Zone),
            ("maintenance", AircraftKey::Maintenance),
            ("compatible-weapons", AircraftKey::CompatibleWeapons),
            (
                "capability.aesa-radar",
                AircraftKey::Capability("aesa-radar".into()),
            ),
        ] {
            assert_eq!(AircraftKey::parse(key), Ok(expected), "{key}");
        }
        assert_eq!(
            AircraftKey::parse("aircraft.mil/fuel"),
            Err(KeyError::Unknown("aircraft.mil/fuel".into()))
        );
        assert_eq!(
            AircraftKey::Capability("radar".into()).full(),
            "aircraft.mil/capability.radar"
        );
        assert_eq!(AircraftKey::Hardpoints.short(), "hardpoint.available");
    }
}
