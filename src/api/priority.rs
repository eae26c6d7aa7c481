//! How urgent a mission is. A mission's priority reaches every task pod it
//! creates as a PriorityClass, so both the aircraft-scheduler and kube-scheduler
//! place the pods of more urgent missions first when aircraft are scarce.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A mission's priority; its task pods carry the matching PriorityClass.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Low,
    #[default]
    Normal,
    High,
    Critical,
}

impl Priority {
    /// Every priority, least urgent first.
    pub const ALL: [Priority; 4] = [Self::Low, Self::Normal, Self::High, Self::Critical];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Normal => "normal",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }

    /// The PriorityClass its task pods name (installed with the CRDs).
    pub fn class_name(self) -> &'static str {
        match self {
            Self::Low => "airforce-low",
            Self::Normal => "airforce-normal",
            Self::High => "airforce-high",
            Self::Critical => "airforce-critical",
        }
    }

    /// The PriorityClass's value: what a pod's `spec.priority` becomes.
    /// Spaced apart and far below the system classes, so that cluster
    /// components always outrank task pods.
    pub fn value(self) -> i32 {
        match self {
            Self::Low => 1000,
            Self::Normal => 2000,
            Self::High => 3000,
            Self::Critical => 4000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_urgent_priorities_have_higher_values_and_distinct_classes() {
        let values: Vec<i32> = Priority::ALL.iter().map(|p| p.value()).collect();
        assert!(values.windows(2).all(|pair| pair[0] < pair[1]));
        let mut classes: Vec<&str> = Priority::ALL.iter().map(|p| p.class_name()).collect();
        classes.dedup();
        assert_eq!(classes.len(), 4);
        assert_eq!(Priority::default(), Priority::Normal);
    }
}
