//! `kubectl airforce mission describe NAME`: the mission's fields, its tree,
//! its conditions and the recent Events of everything it owns, as
//! `kubectl describe` and `tkn pipelinerun describe` show theirs.

use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;
use k8s_openapi::api::core::v1::Event;
use k8s_openapi::jiff::Timestamp;
use kube::Api;
use kube::api::ListParams;

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
    let uids = snapshot.uids();
    let events: Api<Event> = Api::namespaced(cluster.client.clone(), namespace);
    let mut events: Vec<Event> = (events.list(&ListParams::default()).await)
        .with_context(|| format!("cannot list the events in namespace {namespace}"))?
        .items
        .into_iter()
        .filter(|e| (e.involved_object.uid.as_ref()).is_some_and(|uid| uids.contains(uid)))
        .collect();
    events.sort_by_key(describe::last_seen);
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
