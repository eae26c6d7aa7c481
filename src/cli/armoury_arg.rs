//! `--armoury`: where `validate`, `submit` and `weapon check` look for a
//! weapon reference that names no namespace, after the mission's own
//! namespace, as the operator does.

use clap::Args;

use crate::api::armoury::DEFAULT_ARMOURY;

#[derive(Debug, Clone, Args)]
pub struct ArmouryArg {
    /// The namespace of shared weapons, searched after the mission's own for a
    /// weapon reference that names no namespace; as the operator's `armoury`
    /// setting, "" for none
    #[arg(long, value_name = "NAMESPACE", env = "AIRFORCE_ARMOURY", default_value = DEFAULT_ARMOURY)]
    pub armoury: String,
}

impl ArmouryArg {
    /// The armoury, if one is kept.
    pub fn namespace(&self) -> Option<String> {
        Some(self.armoury.clone()).filter(|armoury| !armoury.is_empty())
    }
}
