//! `kubectl airforce node clear-marks`: take fault marks off aircraft by hand,
//! for a person who knows an aircraft is sound. The mark annotations go, and
//! with the last live one the suspect taint, in one merge patch per node
//! guarded by the resourceVersion read, so a concurrent change is never lost.

use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;
use k8s_openapi::api::core::v1::{Node, Taint};
use k8s_openapi::jiff::Timestamp;
use kube::api::{ListParams, Patch, PatchParams};
use kube::{Api, ResourceExt};
use serde_json::{Map, Value, json};

use crate::api::aircraft::labels;
use crate::api::fault_marks::{self, FaultMark};
use crate::api::field_managers;
use crate::cli::GlobalArgs;
use crate::cli::mission::submit::DryRun;

#[derive(Debug, Args)]
pub struct ClearMarksArgs {
    /// The aircraft to clear
    #[arg(
        value_name = "NODE",
        add = crate::cli::complete_names::aircraft(),
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    pub nodes: Vec<String>,
    /// Clear every aircraft that carries a mark
    #[arg(long)]
    pub all: bool,
    /// Only the marks this task made, as NAMESPACE/FLIGHTTASK (as node list shows them)
    #[arg(long, value_name = "NAMESPACE/TASK")]
    pub task: Option<String>,
    /// Only preview: "client" shows what would be cleared, "server" also has the API
    /// server check every patch; neither writes anything
    #[arg(long, value_enum, value_name = "MODE", num_args = 0..=1, require_equals = true, default_missing_value = "client")]
    pub dry_run: Option<DryRun>,
}

/// What clearing one node takes off it.
#[derive(Debug, Clone, PartialEq)]
pub struct Clearing {
    pub node: String,
    pub resource_version: Option<String>,
    /// The annotation key and the mark of each mark taken off.
    pub marks: Vec<(String, Option<FaultMark>)>,
    /// The node's taints afterwards, when the suspect taint goes too.
    pub taints: Option<Vec<Taint>>,
}

/// What clearing `node` of the marks of `task` (all when `None`) takes off,
/// or `None` when it carries no such mark.
pub fn clearing(node: &Node, task: Option<&str>, now: Timestamp) -> Option<Clearing> {
    let annotations = node.annotations();
    let marks: Vec<(String, Option<FaultMark>)> = (fault_marks::marks(annotations).into_iter())
        .filter(|mark| task.is_none_or(|task| mark.mark.as_ref().is_some_and(|m| m.task == task)))
        .map(|mark| (fault_marks::mark_key(&mark.task_uid), mark.mark))
        .collect();
    if marks.is_empty() {
        return None;
    }
    let mut left = annotations.clone();
    for (key, _) in &marks {
        left.remove(key);
    }
    let taints = (node.spec.as_ref())
        .and_then(|spec| spec.taints.as_deref())
        .unwrap_or_default();
    Some(Clearing {
        node: node.name_any(),
        resource_version: node.resource_version(),
        taints: fault_marks::suspect_taints(&left, taints, now),
        marks,
    })
}

impl Clearing {
    /// The merge patch: the marks' annotations removed, the taints when
    /// they change, guarded by the resourceVersion read.
    pub fn patch(&self) -> Value {
        let annotations: Map<String, Value> = (self.marks.iter())
            .map(|(key, _)| (key.clone(), Value::Null))
            .collect();
        let mut patch = json!({ "metadata": {
            "annotations": annotations,
            "resourceVersion": self.resource_version,
        }});
        if let Some(taints) = &self.taints {
            patch["spec"] = json!({ "taints": taints });
        }
        patch
    }

    /// `node/j20-01: cleared the fault mark of air/m-s-t (attempt 1: …)`, one line per mark.
    pub fn lines(&self, dry_run: bool) -> Vec<String> {
        let verb = if dry_run { "would clear" } else { "cleared" };
        (self.marks.iter())
            .map(|(key, mark)| match mark {
                Some(mark) => format!(
                    "node/{}: {verb} the fault mark of {} (attempt {}: {})",
                    self.node, mark.task, mark.attempt, mark.reason
                ),
                None => format!("node/{}: {verb} the unreadable fault mark {key}", self.node),
            })
            .collect()
    }
}

pub async fn run(args: ClearMarksArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let cluster = crate::cli::connect(global).await?;
    let api: Api<Node> = Api::all(cluster.client.clone());
    let nodes = if args.all {
        let listed = api.list(&ListParams::default().labels(labels::TYPE)).await;
        listed
            .with_context(|| format!("cannot list the aircraft of {}", cluster.server))?
            .items
    } else {
        let mut found = Vec::new();
        for name in &args.nodes {
            let node =
                (api.get_opt(name).await).with_context(|| format!("cannot read node {name}"))?;
            match node {
                Some(node) => found.push(node),
                None => bail!(
                    "node {name} not found: nothing was cleared (`kubectl airforce node list` shows the aircraft)"
                ),
            }
        }
        found
    };
    let now = Timestamp::now();
    let clearings: Vec<Clearing> = (nodes.iter())
        .filter_map(|node| clearing(node, args.task.as_deref(), now))
        .collect();
    if clearings.is_empty() {
        let whose = args
            .task
            .as_deref()
            .map(|t| format!(" of {t}"))
            .unwrap_or_default();
        eprintln!("No fault marks{whose} to clear.");
        return Ok(ExitCode::SUCCESS);
    }
    for clearing in &clearings {
        if args.dry_run != Some(DryRun::Client) {
            let params = PatchParams {
                field_manager: Some(field_managers::CLI.to_string()),
                dry_run: args.dry_run == Some(DryRun::Server),
                ..PatchParams::default()
            };
            (api.patch(&clearing.node, &params, &Patch::Merge(&clearing.patch()))
                .await)
                .with_context(|| {
                    format!(
                        "cannot clear node {} (a conflict means it changed meanwhile: run the command again)",
                        clearing.node
                    )
                })?;
        }
        for line in clearing.lines(args.dry_run.is_some()) {
            outln!("{line}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

    use super::*;
    use crate::api::fault_marks::{MARK_TAINT, mark_key, mark_value};

    fn at(second: i64) -> Timestamp {
        Timestamp::from_second(1_750_000_000 + second).expect("a valid time")
    }

    fn mark(task: &str) -> FaultMark {
        FaultMark {
            task: task.into(),
            attempt: 2,
            reason: "container task exited with code 3 (Error)".into(),
            expires: Time(at(600)),
        }
    }

    fn marked(marks: &[(&str, &str)]) -> Node {
        serde_json::from_value(json!({
            "metadata": {
                "name": "j20-01",
                "resourceVersion": "42",
                "annotations": (marks.iter())
                    .map(|(uid, task)| (mark_key(uid), json!(mark_value(&mark(task)))))
                    .collect::<Map<String, Value>>(),
            },
            "spec": { "taints": [
                { "key": MARK_TAINT, "effect": "PreferNoSchedule" },
                { "key": "dedicated", "value": "strike", "effect": "NoSchedule" },
            ]},
        }))
        .expect("a node")
    }

    #[test]
    fn clearing_every_mark_takes_the_suspect_taint_off_too_and_is_guarded() {
        let node = marked(&[("u1", "air/a"), ("u2", "air/b")]);
        let all = clearing(&node, None, at(0)).expect("marks to clear");
        let patch = all.patch();
        assert_eq!(patch["metadata"]["resourceVersion"], "42");
        assert_eq!(
            patch["metadata"]["annotations"][mark_key("u1")],
            Value::Null
        );
        assert_eq!(
            patch["metadata"]["annotations"][mark_key("u2")],
            Value::Null
        );
        let taints = patch["spec"]["taints"].as_array().expect("taints");
        assert_eq!(taints.len(), 1, "the other taint is kept: {taints:?}");
        assert_eq!(
            all.lines(false)[0],
            "node/j20-01: cleared the fault mark of air/a (attempt 2: container task exited with code 3 (Error))"
        );
    }

    #[test]
    fn clearing_one_tasks_mark_keeps_the_others_and_the_taint() {
        let node = marked(&[("u1", "air/a"), ("u2", "air/b")]);
        let only_b = clearing(&node, Some("air/b"), at(0)).expect("b's mark");
        assert_eq!(only_b.marks.len(), 1);
        assert_eq!(only_b.taints, None, "air/a still marks it");
        assert!(only_b.patch().get("spec").is_none());
        assert_eq!(clearing(&node, Some("air/c"), at(0)), None);
    }
}
