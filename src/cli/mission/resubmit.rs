//! `kubectl airforce mission resubmit NAME`: a fresh run of a mission, as Argo's
//! `resubmit`: a new Mission with the same spec, labels and annotations, named
//! `NAME-xxxxx` by the API server (`metadata.generateName`) unless `--name`
//! says, with none of the old run's requests (cancel, retry, suspension, gate
//! decisions). The old mission stays as it is, its record intact. To run again
//! only what failed, keeping what succeeded, use `mission retry`.

use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use kube::api::{ObjectMeta, PostParams};
use kube::{Api, ResourceExt};

use super::named::read_all;
use crate::api::{Mission, field_managers};
use crate::cli::GlobalArgs;

/// Annotations of a run that a new run must not inherit: every request made
/// to the operator, and kubectl's record of the last apply.
const RUN_ANNOTATION_PREFIXES: [&str; 2] = ["airforce.mil/", "kubectl.kubernetes.io/"];

#[derive(Debug, Args)]
pub struct ResubmitArgs {
    /// The mission to run again
    #[arg(value_name = "MISSION", value_parser = crate::cli::mission::named::mission_name, add = crate::cli::complete_names::missions())]
    pub mission: String,
    /// The new mission's name (default: the old name and five random characters)
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Print only the new mission's name, as `kubectl create -o name`
    #[arg(short = 'o', long, value_name = "FORMAT", value_parser = ["name"])]
    pub output: Option<String>,
}

pub async fn run(args: ResubmitArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let cluster = crate::cli::connect(global).await?;
    crate::cli::ensure_crds(&cluster.client).await?;
    let namespace = &cluster.namespace;
    let api: Api<Mission> = Api::namespaced(cluster.client.clone(), namespace);
    // One mission named, so one read back (a missing one is an error).
    let named = std::slice::from_ref(&args.mission);
    let (_, old) = read_all(&api, named, namespace, "resubmitted")
        .await?
        .remove(0);
    let fresh = fresh_run(&old, args.name.as_deref());
    let params = PostParams {
        field_manager: Some(field_managers::CLI.to_string()),
        ..PostParams::default()
    };
    let created = (api.create(&params, &fresh).await)
        .with_context(|| format!("cannot create the new run of mission {}", args.mission))?;
    let name = format!("mission.airforce.mil/{}", created.name_any());
    match args.output {
        Some(_) => outln!("{name}"),
        None => outln!("{name} created (a new run of mission {})", args.mission),
    }
    Ok(ExitCode::SUCCESS)
}

/// The new mission: the old one's spec, labels and annotations, without the
/// requests made to the old run.
fn fresh_run(old: &Mission, name: Option<&str>) -> Mission {
    let annotations = (old.annotations().iter())
        .filter(|(key, _)| {
            !RUN_ANNOTATION_PREFIXES
                .iter()
                .any(|prefix| key.starts_with(prefix))
        })
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    let metadata = ObjectMeta {
        name: name.map(str::to_string),
        generate_name: name.is_none().then(|| format!("{}-", old.name_any())),
        namespace: old.namespace(),
        labels: old.metadata.labels.clone(),
        annotations: Some(annotations),
        ..ObjectMeta::default()
    };
    Mission {
        metadata,
        spec: old.spec.clone(),
        status: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_run_keeps_the_spec_and_labels_and_drops_the_old_requests() {
        let mut old = Mission::new("strike", crate::api::MissionSpec::default());
        old.metadata.namespace = Some("ops".into());
        old.metadata.uid = Some("u-1".into());
        old.metadata.labels = Some([("team".to_string(), "blue".to_string())].into());
        old.metadata.annotations = Some(
            [
                ("airforce.mil/cancel", "true"),
                ("kubectl.kubernetes.io/last-applied-configuration", "{}"),
                ("owner", "ops-desk"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        );
        let fresh = fresh_run(&old, None);
        assert_eq!(fresh.metadata.generate_name.as_deref(), Some("strike-"));
        assert_eq!((fresh.metadata.name, fresh.metadata.uid), (None, None));
        assert_eq!(fresh.metadata.namespace.as_deref(), Some("ops"));
        assert_eq!(fresh.metadata.labels, old.metadata.labels);
        let kept: Vec<&String> = fresh
            .metadata
            .annotations
            .as_ref()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(kept, ["owner"]);
        assert_eq!(fresh.spec, old.spec);
        let named = fresh_run(&old, Some("strike-again"));
        assert_eq!(named.metadata.name.as_deref(), Some("strike-again"));
        assert_eq!(named.metadata.generate_name, None);
    }
}
