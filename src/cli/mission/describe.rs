//! `kubectl airforce mission describe NAME`: the mission's fields, its tree,
//! its conditions and the recent Events of everything it owns or owned (a
//! pod deleted since still has its Events told), as `kubectl describe` and
//! `tkn pipelinerun describe` show theirs.

use std::collections::HashSet;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;
use k8s_openapi::api::core::v1::Event;
use k8s_openapi::jiff::Timestamp;
use kube::api::ListParams;
use kube::{Api, ResourceExt};

use crate::api::Mission;
use crate::cli::GlobalArgs;
use crate::cli::watch::feed::{Scope, Snapshot};
use crate::output::color::Palette;
use crate::output::describe;
use crate::output::tree::{self, RenderOptions};

/// Show a mission in detail: fields, tree, conditions and recent events
#[derive(Debug, Args)]
pub struct DescribeArgs {
    /// The mission to describe
    #[arg(value_name = "MISSION", value_parser = crate::cli::mission::named::mission_name, add = crate::cli::complete_names::missions())]
    pub mission: String,
    /// Show each replica of a task with replicas, not only the task's counts
    #[arg(long)]
    pub replicas: bool,
}

pub async fn run(args: DescribeArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let cluster = crate::cli::connect(global).await?;
    crate::cli::ensure_crds(&cluster.client).await?;
    let namespace = &cluster.namespace;
    let scope = Scope {
        namespace: Some(namespace.clone()),
        mission: Some(args.mission.clone()),
    };
    let snapshot = Snapshot::list(&cluster.client, &scope).await?;
    let (Some(mission), Some(view)) = (snapshot.missions().next(), snapshot.views().pop()) else {
        bail!(
            "mission {} not found in namespace {namespace} (`kubectl airforce mission list` shows the missions there)",
            args.mission
        );
    };
    let events = mission_events(&cluster.client, mission, &snapshot).await?;
    let palette = Palette::for_stdout();
    let now = Timestamp::now();
    let tree = tree::render(
        &view,
        &RenderOptions {
            palette,
            now,
            width: None,
            show_namespace: false,
            expand_replicas: args.replicas,
        },
    );
    outln!(
        "{}",
        describe::render(mission, &tree, &events, now, palette)
    );
    Ok(ExitCode::SUCCESS)
}

/// The Events of `mission` and of everything it owns or owned, oldest first;
/// `snapshot` holds what it owns now.
pub async fn mission_events(
    client: &kube::Client,
    mission: &Mission,
    snapshot: &Snapshot,
) -> anyhow::Result<Vec<Event>> {
    let namespace = mission.namespace().unwrap_or_default();
    let name = mission.name_any();
    let uids = snapshot.uids();
    let created = mission.metadata.creation_timestamp.as_ref().map(|t| t.0);
    let events: Api<Event> = Api::namespaced(client.clone(), &namespace);
    let mut events: Vec<Event> = (events.list(&ListParams::default()).await)
        .with_context(|| format!("cannot list the events in namespace {namespace}"))?
        .items
        .into_iter()
        .filter(|event| about_mission(event, &uids, &name, created))
        .collect();
    events.sort_by_key(describe::last_seen);
    Ok(events)
}

/// Whether `event` tells of the mission or of something it owns, or owned
/// and has since lost (a pod of an earlier attempt, a stage a retry
/// replaced): by uid, or by the name the operator gives every child of the
/// mission (`MISSION.…`, never another mission's, as a mission's name holds
/// no dot) for an event since the mission was created.
fn about_mission(
    event: &Event,
    uids: &HashSet<String>,
    mission: &str,
    created: Option<Timestamp>,
) -> bool {
    let object = &event.involved_object;
    if (object.uid.as_ref()).is_some_and(|uid| uids.contains(uid)) {
        return true;
    }
    let child = matches!(
        object.kind.as_deref(),
        Some("MissionStage" | "FlightTask" | "Pod")
    );
    let named = (object.name.as_deref()).is_some_and(|name| {
        name.strip_prefix(mission)
            .is_some_and(|rest| rest.starts_with('.'))
    });
    let since = match (created, describe::last_seen(event)) {
        (Some(created), Some(seen)) => seen >= created,
        _ => false,
    };
    child && named && since
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::ObjectReference;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

    use super::*;

    fn event(kind: &str, name: &str, uid: &str, at: &str) -> Event {
        Event {
            involved_object: ObjectReference {
                kind: Some(kind.into()),
                name: Some(name.into()),
                uid: Some(uid.into()),
                ..ObjectReference::default()
            },
            last_timestamp: Some(Time(at.parse().expect("a time"))),
            ..Event::default()
        }
    }

    #[test]
    fn events_of_children_gone_since_count_and_another_missions_do_not() {
        let uids = HashSet::from(["uid-task".to_string()]);
        let created = Some("2026-12-04T10:00:00Z".parse().expect("a time"));
        let about = |e: &Event| about_mission(e, &uids, "far-sea", created);
        let now = "2026-12-04T10:05:00Z";
        assert!(about(&event(
            "FlightTask",
            "far-sea.strike.s-1",
            "uid-task",
            now
        )));
        assert!(about(&event(
            "Pod",
            "far-sea.strike.s-1-1",
            "uid-gone-pod",
            now
        )));
        assert!(!about(&event(
            "Pod",
            "far-sea-2.strike.s-1-1",
            "uid-other",
            now
        )));
        assert!(!about(&event("Node", "far-sea.x", "uid-node", now)));
        assert!(
            !about(&event(
                "Pod",
                "far-sea.strike.s-1-1",
                "uid-old",
                "2026-12-04T09:00:00Z"
            )),
            "a mission of the same name deleted before this one was created"
        );
    }
}
