//! The web console's pages as HTML, for `kubectl airforce dashboard`: pure
//! functions of view models (the clock passed in), like the terminal
//! renderers beside them. Markup is written with `maud`, which escapes every
//! value it interpolates, so names and messages from the cluster can never
//! become markup.
//!
//! Pages carry no inline script or style (the console's Content-Security-Policy
//! refuses both): behaviour and looks come from the two compiled-in assets.

mod dag;
mod fleet_page;
mod health_page;
mod layout;
mod mission_page;
mod missions_page;
mod weapons_page;

pub use fleet_page::Usage;
pub use fleet_page::{FleetPage, fleet_page};
pub use health_page::{HealthPage, LeaderView, health_page};
pub use layout::{Chrome, Section, message_page};
pub use mission_page::{
    ActionKind, Confirm, EventRow, MissionPage, TaskDetail, confirm_page, mission_live,
    mission_page,
};
pub use missions_page::{MissionFilter, MissionsPage, missions_live, missions_page, parse_phase};
pub use weapons_page::{WeaponsPage, weapons_page};

#[cfg(test)]
mod tests;
