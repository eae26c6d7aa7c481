//! Durations in the API are strings in Go's `time.ParseDuration` syntax ("90s",
//! "1h30m", "250ms"), the syntax CEL's `duration()` accepts on the API server, so
//! offline validation and the server agree.

use std::time::Duration;

/// The regular expression the CRD schema uses for duration fields.
pub const DURATION_PATTERN: &str = r"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$";

/// Why a duration string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    #[error("empty duration")]
    Empty,
    #[error("missing unit after {0:?} (use ms, s, m or h, e.g. \"90s\" or \"1h30m\")")]
    MissingUnit(String),
    #[error("unknown unit {0:?} (use ns, us, ms, s, m or h)")]
    UnknownUnit(String),
    #[error("expected a number at {0:?}")]
    ExpectedNumber(String),
    #[error("duration is too long")]
    Overflow,
}

/// Parses a non-negative Go-style duration such as "1h30m" or "2.5s".
pub fn parse(input: &str) -> Result<Duration, DurationError> {
    if input.is_empty() {
        return Err(DurationError::Empty);
    }
    let mut rest = input;
    let mut total = 0f64;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..number_len];
        if number.is_empty() || number.starts_with('.') || number.ends_with('.') {
            return Err(DurationError::ExpectedNumber(rest.to_string()));
        }
        let value: f64 = number
            .parse()
            .map_err(|_| DurationError::ExpectedNumber(rest.to_string()))?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        let seconds_per_unit = match unit {
            "" => return Err(DurationError::MissingUnit(number.to_string())),
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            other => return Err(DurationError::UnknownUnit(other.to_string())),
        };
        total += value * seconds_per_unit;
        rest = &rest[unit_len..];
    }
    Duration::try_from_secs_f64(total).map_err(|_| DurationError::Overflow)
}

/// Formats a duration the way `kubectl get` shows ages: "45s", "3m12s", "2h5m", "3d4h".
pub fn human(duration: Duration) -> String {
    let secs = duration.as_secs();
    match secs {
        0..60 => format!("{secs}s"),
        60..600 => match secs % 60 {
            0 => format!("{}m", secs / 60),
            s => format!("{}m{s}s", secs / 60),
        },
        600..3600 => format!("{}m", secs / 60),
        3600..86400 => match (secs % 3600) / 60 {
            0 => format!("{}h", secs / 3600),
            m => format!("{}h{m}m", secs / 3600),
        },
        _ => match (secs % 86400) / 3600 {
            0 => format!("{}d", secs / 86400),
            h => format!("{}d{h}h", secs / 86400),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_single_and_compound_units() {
        assert_eq!(parse("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse("0s"), Ok(Duration::ZERO));
    }

    #[test]
    fn refuses_what_go_refuses() {
        assert_eq!(parse(""), Err(DurationError::Empty));
        assert_eq!(parse("10"), Err(DurationError::MissingUnit("10".into())));
        assert_eq!(
            parse("5 min"),
            Err(DurationError::UnknownUnit(" min".into()))
        );
        assert_eq!(parse("10d"), Err(DurationError::UnknownUnit("d".into())));
        assert!(matches!(parse("m5"), Err(DurationError::ExpectedNumber(_))));
        assert!(matches!(
            parse("-5s"),
            Err(DurationError::ExpectedNumber(_))
        ));
        assert!(matches!(
            parse(".5s"),
            Err(DurationError::ExpectedNumber(_))
        ));
    }

    #[test]
    fn human_durations_read_like_kubectl_ages() {
        assert_eq!(human(Duration::from_secs(45)), "45s");
        assert_eq!(human(Duration::from_secs(192)), "3m12s");
        assert_eq!(human(Duration::from_secs(720)), "12m");
        assert_eq!(human(Duration::from_secs(7500)), "2h5m");
        assert_eq!(human(Duration::from_secs(3 * 86400 + 4 * 3600)), "3d4h");
    }
}
