//! Where anything in the tree is, whatever its kind, the tone it is drawn
//! in, and for how long it has run.

use k8s_openapi::jiff::Timestamp;

use crate::api::{FlightTaskPhase, MissionPhase, StagePhase};
use crate::output::color::Palette;

/// How long something has run: "45s", "1m05s", "2h03m"; `None` before it starts.
pub fn elapsed(
    started: Option<Timestamp>,
    finished: Option<Timestamp>,
    now: Timestamp,
) -> Option<String> {
    let end = finished.unwrap_or(now);
    let seconds = end.duration_since(started?).as_secs().max(0);
    Some(match seconds {
        0..60 => format!("{seconds}s"),
        60..3600 => format!("{}m{:02}s", seconds / 60, seconds % 60),
        _ => format!("{}h{:02}m", seconds / 3600, seconds % 3600 / 60),
    })
}

/// Where anything in the tree is, whatever its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Pending,
    AwaitingApproval,
    Scheduled,
    Running,
    Retrying,
    Succeeded,
    Failed,
    Cancelled,
}

impl State {
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Pending => "◌",
            Self::AwaitingApproval => "⏸",
            Self::Scheduled => "◎",
            Self::Running => "●",
            Self::Retrying => "↻",
            Self::Succeeded => "✔",
            Self::Failed => "✖",
            Self::Cancelled => "⊘",
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Self::Pending => "Pending",
            Self::AwaitingApproval => "AwaitingApproval",
            Self::Scheduled => "Scheduled",
            Self::Running => "Running",
            Self::Retrying => "Retrying",
            Self::Succeeded => "Succeeded",
            Self::Failed => "Failed",
            Self::Cancelled => "Cancelled",
        }
    }

    pub(super) fn tone(self) -> Tone {
        match self {
            Self::Pending => Tone::Dim,
            Self::AwaitingApproval | Self::Scheduled | Self::Retrying => Tone::Yellow,
            Self::Running => Tone::Blue,
            Self::Succeeded => Tone::Green,
            Self::Failed => Tone::Red,
            Self::Cancelled => Tone::Magenta,
        }
    }
}

impl From<MissionPhase> for State {
    fn from(phase: MissionPhase) -> Self {
        match phase {
            MissionPhase::Pending => Self::Pending,
            MissionPhase::Running => Self::Running,
            MissionPhase::Succeeded => Self::Succeeded,
            MissionPhase::Failed => Self::Failed,
            MissionPhase::Cancelled => Self::Cancelled,
        }
    }
}

impl From<StagePhase> for State {
    fn from(phase: StagePhase) -> Self {
        match phase {
            StagePhase::Pending => Self::Pending,
            StagePhase::AwaitingApproval => Self::AwaitingApproval,
            StagePhase::Running => Self::Running,
            StagePhase::Succeeded => Self::Succeeded,
            StagePhase::Failed => Self::Failed,
        }
    }
}

impl From<FlightTaskPhase> for State {
    fn from(phase: FlightTaskPhase) -> Self {
        match phase {
            FlightTaskPhase::Pending => Self::Pending,
            FlightTaskPhase::Scheduled => Self::Scheduled,
            FlightTaskPhase::Running => Self::Running,
            FlightTaskPhase::Retrying => Self::Retrying,
            FlightTaskPhase::Succeeded => Self::Succeeded,
            FlightTaskPhase::Failed => Self::Failed,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tone {
    Plain,
    Bold,
    Dim,
    Green,
    Red,
    Blue,
    Yellow,
    Magenta,
}

impl Tone {
    pub(super) fn paint(self, text: &str, palette: Palette) -> String {
        match self {
            _ if text.is_empty() => String::new(),
            Self::Plain => text.to_string(),
            Self::Bold => palette.bold(text),
            Self::Dim => palette.dim(text),
            Self::Green => palette.green(text),
            Self::Red => palette.red(text),
            Self::Blue => palette.blue(text),
            Self::Yellow => palette.yellow(text),
            Self::Magenta => palette.magenta(text),
        }
    }
}
