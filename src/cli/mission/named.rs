//! Missions a command names: read all of them before anything is written, and
//! named in its messages.

use anyhow::{Context, bail};
use clap::Args;
use kube::api::ListParams;
use kube::{Api, ResourceExt};

use crate::api::Mission;

/// Which missions a command acts on: the named ones, every one in the
/// namespace (`--all`), or those a label selector picks (`-l`), as kubectl
/// picks objects to delete.
#[derive(Debug, Args)]
pub struct Selection {
    /// The missions to act on
    #[arg(
        value_name = "MISSION", value_parser = mission_name, add = crate::cli::complete_names::missions(),
        required_unless_present_any = ["all", "selector"],
        conflicts_with_all = ["all", "selector"]
    )]
    pub missions: Vec<String>,
    /// Every mission in the namespace
    #[arg(long, conflicts_with = "selector")]
    pub all: bool,
    /// The missions whose labels match this selector (key=value, key!=value, key in (a,b))
    #[arg(short = 'l', long, value_name = "SELECTOR")]
    pub selector: Option<String>,
    /// Skip a named mission that does not exist instead of failing
    #[arg(long)]
    pub ignore_not_found: bool,
}

impl Selection {
    /// Whether the missions were named one by one, so each deserves a word
    /// when it is left alone.
    pub fn by_name(&self) -> bool {
        !self.all && self.selector.is_none()
    }

    /// The missions selected, read before anything is written: a name not
    /// found fails the command (`undone` says what did not happen) unless
    /// `--ignore-not-found`.
    pub async fn read(
        &self,
        api: &Api<Mission>,
        namespace: &str,
        undone: &str,
    ) -> anyhow::Result<Vec<(String, Mission)>> {
        if !self.by_name() {
            let mut params = ListParams::default();
            if let Some(selector) = &self.selector {
                params = params.labels(selector);
            }
            let listed = (api.list(&params).await)
                .with_context(|| format!("cannot list the missions in namespace {namespace}"))?;
            return Ok((listed.items.into_iter())
                .map(|m| (m.name_any(), m))
                .collect());
        }
        if !self.ignore_not_found {
            let found = read_all(api, &self.missions, namespace, undone).await?;
            return Ok((found.into_iter())
                .map(|(name, m)| (name.clone(), m))
                .collect());
        }
        let mut found = Vec::new();
        for name in &self.missions {
            let mission = (api.get_opt(name).await)
                .with_context(|| format!("cannot read mission {name} in namespace {namespace}"))?;
            found.extend(mission.map(|mission| (name.clone(), mission)));
        }
        Ok(found)
    }
}

/// Reads every named mission before anything is written, so a typo changes
/// nothing; `undone` says what did not happen ("nothing was cancelled").
pub(super) async fn read_all<'a>(
    api: &Api<Mission>,
    names: &'a [String],
    namespace: &str,
    undone: &str,
) -> anyhow::Result<Vec<(&'a String, Mission)>> {
    let mut missions = Vec::with_capacity(names.len());
    for name in names {
        let mission = (api.get_opt(name).await)
            .with_context(|| format!("cannot read mission {name} in namespace {namespace}"))?;
        match mission {
            Some(mission) => missions.push((name, mission)),
            None => bail!(
                "mission {name} not found in namespace {namespace}: nothing was {undone} \
                 (list them with `kubectl airforce mission list -n {namespace}`)"
            ),
        }
    }
    Ok(missions)
}

/// A mission as the command line names it: `NAME`, or `TYPE/NAME` as
/// `-o name` and kubectl print it (`mission/x`, `mission.airforce.mil/x`,
/// `missions/x`, `msn/x`), so `mission list -o name | xargs … cancel` works.
/// Another type is refused by name.
pub(crate) fn mission_name(arg: &str) -> Result<String, String> {
    let Some((kind, name)) = arg.split_once('/') else {
        return Ok(arg.to_string());
    };
    let kind = kind.to_ascii_lowercase();
    let kind = kind.strip_suffix(".airforce.mil").unwrap_or(&kind);
    match kind {
        "mission" | "missions" | "msn" if !name.is_empty() => Ok(name.to_string()),
        "mission" | "missions" | "msn" => Err(format!("{arg} names no mission: give mission/NAME")),
        other => Err(format!(
            "{arg} is a {other}, not a mission: give the mission's NAME or mission/NAME"
        )),
    }
}

/// "mission far-sea" or "2 missions (far-sea, patrol)", for prompts and errors.
pub(super) fn missions_phrase(names: &[&str]) -> String {
    match names {
        [one] => format!("mission {one}"),
        many => format!("{} missions ({})", many.len(), many.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mission_is_named_bare_or_as_kubectl_prints_it_and_another_type_is_refused() {
        for arg in [
            "quick",
            "mission/quick",
            "mission.airforce.mil/quick",
            "missions/quick",
            "msn/quick",
            "Mission/quick",
        ] {
            assert_eq!(mission_name(arg).as_deref(), Ok("quick"), "{arg}");
        }
        let refused = mission_name("weapon.airforce.mil/pl-15").expect_err("a weapon");
        assert_eq!(
            refused,
            "weapon.airforce.mil/pl-15 is a weapon, not a mission: give the mission's NAME or mission/NAME"
        );
        assert!(mission_name("mission/").is_err());
    }
}
