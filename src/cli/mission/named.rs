//! Missions a command names: read all of them before anything is written, and
//! named in its messages.

use anyhow::{Context, bail};
use kube::Api;

use crate::api::Mission;

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

/// "mission far-sea" or "2 missions (far-sea, patrol)", for prompts and errors.
pub(super) fn missions_phrase(names: &[&str]) -> String {
    match names {
        [one] => format!("mission {one}"),
        many => format!("{} missions ({})", many.len(), many.join(", ")),
    }
}
