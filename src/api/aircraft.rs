//! Aircraft are Nodes: their labels and annotations.

/// The prefix of every aircraft label and annotation.
pub const PREFIX: &str = "aircraft.mil/";

pub mod labels {
    pub const TYPE: &str = "aircraft.mil/type";
    pub const STATUS: &str = "aircraft.mil/status";
    pub const FUEL_LEVEL: &str = "aircraft.mil/fuel.level";
    pub const FUEL_STATUS: &str = "aircraft.mil/fuel.status";
    pub const HARDPOINTS_AVAILABLE: &str = "aircraft.mil/hardpoint.available";
    pub const ZONE: &str = "aircraft.mil/location.zone";
    /// Followed by the capability name: `aircraft.mil/capability.stealth`.
    pub const CAPABILITY_PREFIX: &str = "aircraft.mil/capability.";
}

pub mod annotations {
    /// Comma-separated weapon names this airframe is cleared to carry.
    pub const COMPATIBLE_WEAPONS: &str = "aircraft.mil/compatible-weapons";
    /// Days until the next scheduled maintenance.
    pub const MAINTENANCE_DAYS: &str = "aircraft.mil/maintenance";
    /// On a node the operator made busy: the `<namespace>/<name>` of the task
    /// pod it is busy with. Its absence on a busy node means a person set `busy`.
    pub const BUSY_WITH: &str = "aircraft.mil/busy-with";
    /// `"true"` while the node's `Ready` condition is True, `"false"` while it
    /// is False or Unknown, as the operator last saw it.
    pub const ONLINE: &str = "aircraft.mil/online";
}

/// The values `aircraft.mil/status` may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AircraftStatus {
    Ready,
    Busy,
    Maintenance,
}

impl AircraftStatus {
    pub const ALL: [AircraftStatus; 3] = [Self::Ready, Self::Busy, Self::Maintenance];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ready => "ready",
            Self::Busy => "busy",
            Self::Maintenance => "maintenance",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// `fuel.status` as derived from `fuel.level`: high above 70, medium above 30.
pub fn fuel_status(level: u8) -> &'static str {
    match level {
        71.. => "high",
        31..=70 => "medium",
        _ => "low",
    }
}

/// The weapons listed in a `compatible-weapons` annotation value.
pub fn compatible_weapons(annotation: &str) -> impl Iterator<Item = &str> {
    annotation
        .split(',')
        .map(str::trim)
        .filter(|w| !w.is_empty())
}

/// The hardpoint type of a mount point: its name without a trailing `-<number>`
/// ("internal-bay-2" → "internal-bay", "wing" → "wing").
pub fn hardpoint_type(mount_point: &str) -> &str {
    match mount_point.rsplit_once('-') {
        Some((kind, index))
            if !kind.is_empty()
                && index.chars().all(|c| c.is_ascii_digit())
                && !index.is_empty() =>
        {
            kind
        }
        _ => mount_point,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuel_status_follows_the_thresholds() {
        assert_eq!(fuel_status(100), "high");
        assert_eq!(fuel_status(71), "high");
        assert_eq!(fuel_status(70), "medium");
        assert_eq!(fuel_status(31), "medium");
        assert_eq!(fuel_status(30), "low");
        assert_eq!(fuel_status(0), "low");
    }

    #[test]
    fn hardpoint_type_strips_the_index() {
        assert_eq!(hardpoint_type("internal-bay-2"), "internal-bay");
        assert_eq!(hardpoint_type("wing-10"), "wing");
        assert_eq!(hardpoint_type("centerline"), "centerline");
        assert_eq!(hardpoint_type("side-bay"), "side-bay");
        assert_eq!(hardpoint_type("-3"), "-3");
    }

    #[test]
    fn compatible_weapons_ignores_blanks() {
        let weapons: Vec<_> = compatible_weapons(" pl-15, pl-10,,").collect();
        assert_eq!(weapons, ["pl-15", "pl-10"]);
    }

    #[test]
    fn status_round_trips() {
        for status in AircraftStatus::ALL {
            assert_eq!(AircraftStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(AircraftStatus::parse("flying"), None);
    }
}
