//! A number read from a label or annotation, keeping "absent" and "malformed"
//! apart so a filter can say which one it met.

/// The value of one label or annotation, parsed once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reading<T> {
    /// The key is not there.
    Absent,
    /// The key is there but its value is not what the key stands for; the raw text.
    Malformed(String),
    Valid(T),
}

impl<T> Reading<T> {
    /// Reads `raw` with `parse`, which returns `None` for an unusable value.
    pub fn parse(raw: Option<&str>, parse: impl FnOnce(&str) -> Option<T>) -> Self {
        match raw {
            None => Reading::Absent,
            Some(text) => {
                parse(text.trim()).map_or_else(|| Reading::Malformed(text.into()), Reading::Valid)
            }
        }
    }

    /// The value when valid.
    pub fn valid(&self) -> Option<&T> {
        match self {
            Reading::Valid(value) => Some(value),
            _ => None,
        }
    }
}

impl<T> Reading<T> {
    /// What is wrong, for a person, or `None` when valid: `no
    /// aircraft.mil/fuel.level label`, `label aircraft.mil/fuel.level "ninety"
    /// is not a whole number 0-100`. `carrier` is "label", "annotation", …
    pub fn problem(&self, carrier: &str, key: &str, expected: &str) -> Option<String> {
        match self {
            Reading::Absent => Some(format!("no {key} {carrier}")),
            Reading::Malformed(raw) => Some(format!("{carrier} {key} {raw:?} is not {expected}")),
            Reading::Valid(_) => None,
        }
    }
}

impl<T: Copy> Reading<T> {
    /// The value when valid, else `None`: absent and malformed alike.
    pub fn get(&self) -> Option<T> {
        self.valid().copied()
    }
}

/// A percentage such as a fuel level: a whole number 0–100.
pub fn percent(text: &str) -> Option<u8> {
    text.parse().ok().filter(|p| *p <= 100)
}

/// A count such as free hardpoints: a whole number, never negative.
pub fn count(text: &str) -> Option<u32> {
    text.parse().ok()
}

/// A whole number of days, negative when overdue.
pub fn days(text: &str) -> Option<i64> {
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_whole_numbers_up_to_a_hundred() {
        assert_eq!(Reading::parse(Some("95"), percent), Reading::Valid(95));
        assert_eq!(Reading::parse(Some(" 0 "), percent), Reading::Valid(0));
        assert_eq!(Reading::parse(Some("100"), percent), Reading::Valid(100));
        for bad in ["ninety", "-5", "101", "9.5", ""] {
            assert_eq!(
                Reading::parse(Some(bad), percent),
                Reading::Malformed(bad.into())
            );
        }
        assert_eq!(Reading::parse(None, percent), Reading::Absent);
    }

    #[test]
    fn counts_refuse_negatives_and_days_accept_them() {
        assert_eq!(Reading::parse(Some("-5"), count).get(), None);
        assert_eq!(Reading::parse(Some("6"), count).get(), Some(6));
        assert_eq!(Reading::parse(Some("-5"), days).get(), Some(-5));
        assert_eq!(Reading::parse(Some("soon"), days).get(), None);
    }

    #[test]
    fn problems_name_the_key_and_what_is_wrong() {
        let problem = |reading: Reading<u8>| {
            reading.problem("label", "aircraft.mil/fuel.level", "a whole number 0-100")
        };
        assert_eq!(
            problem(Reading::Absent).as_deref(),
            Some("no aircraft.mil/fuel.level label")
        );
        assert_eq!(
            problem(Reading::Malformed("ninety".into())).as_deref(),
            Some("label aircraft.mil/fuel.level \"ninety\" is not a whole number 0-100")
        );
        assert_eq!(problem(Reading::Valid(5)), None);
    }
}
