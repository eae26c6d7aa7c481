//! The phases of the three kinds a mission is made of, apart from the kinds
//! themselves: a mission's status lists its stages' phases and a stage's its
//! tasks', so every kind reads the phases of the others from here.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
pub enum MissionPhase {
    #[default]
    Pending,
    Running,
    Succeeded,
    Failed,
    /// Stopped by a person (`mission cancel`) before it could finish.
    Cancelled,
}

impl MissionPhase {
    /// Every phase, in life order (metrics list them all, even at zero).
    pub const ALL: [MissionPhase; 5] = [
        Self::Pending,
        Self::Running,
        Self::Succeeded,
        Self::Failed,
        Self::Cancelled,
    ];

    pub fn is_finished(self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed | Self::Cancelled)
    }

    /// Finished without succeeding: what a retry runs again.
    pub fn is_unsuccessful(self) -> bool {
        matches!(self, Self::Failed | Self::Cancelled)
    }
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
pub enum StagePhase {
    #[default]
    Pending,
    /// Its dependencies are done and its approval gate waits for a decision.
    AwaitingApproval,
    Running,
    Succeeded,
    Failed,
}

impl StagePhase {
    /// Every phase, in life order (metrics list them all, even at zero).
    pub const ALL: [StagePhase; 5] = [
        Self::Pending,
        Self::AwaitingApproval,
        Self::Running,
        Self::Succeeded,
        Self::Failed,
    ];

    pub fn is_finished(self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed)
    }
}

/// Where a task is in its life.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, JsonSchema)]
pub enum FlightTaskPhase {
    #[default]
    Pending,
    Scheduled,
    Running,
    Succeeded,
    Failed,
    Retrying,
}

impl FlightTaskPhase {
    /// Every phase, in life order (metrics list them all, even at zero).
    pub const ALL: [FlightTaskPhase; 6] = [
        Self::Pending,
        Self::Scheduled,
        Self::Running,
        Self::Retrying,
        Self::Succeeded,
        Self::Failed,
    ];

    pub fn is_finished(self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed)
    }
}
