//! `kubectl airforce mission diff -f FILE…`: what `mission submit` would change,
//! as `kubectl diff` shows it: the live object beside the one the API server
//! would store (a server-side dry run of the same apply, with the same field
//! manager), as a unified diff of their YAML. Exit 0 when nothing would change,
//! 1 when something would, 2 or more when the diff could not be made.

use std::process::ExitCode;

use anyhow::bail;
use clap::Args;
use kube::api::DynamicObject;
use serde_json::Value;

use super::submit::{self, Applier, Validation};
use crate::cli::GlobalArgs;
use crate::cli::armoury_arg::ArmouryArg;

/// The exit code of a diff that could not be made, as `kubectl diff` has it.
const FAILED: u8 = 2;

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Mission files, and the Weapon files they use: files, directories, or - for stdin
    #[arg(short = 'f', long = "filename", required = true, value_name = "FILE")]
    pub files: Vec<std::path::PathBuf>,
    /// Take over fields another manager set, as submit --force-conflicts would
    #[arg(long)]
    pub force_conflicts: bool,
    #[command(flatten)]
    pub armoury: ArmouryArg,
}

pub async fn run(args: DiffArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    match changes(args, global).await {
        Ok(false) => Ok(ExitCode::SUCCESS),
        Ok(true) => Ok(ExitCode::from(1)),
        Err(error) => {
            crate::output::error::print(&error);
            Ok(ExitCode::from(FAILED))
        }
    }
}

/// Prints the diff of every object; whether any would change.
async fn changes(args: DiffArgs, global: &GlobalArgs) -> anyhow::Result<bool> {
    let sources = crate::validate::read_sources(&args.files)?;
    let cluster = crate::cli::connect(global).await?;
    crate::cli::ensure_crds(&cluster.client).await?;
    let mut options = submit::check_options(Some(&cluster), global).await;
    options.armoury = args.armoury.namespace();
    let manifests = submit::checked_manifests(&sources, &options, Validation::Strict)?;
    let manifests =
        submit::in_namespace(manifests, global.namespace.as_deref(), &options.namespace)?;
    let applier = Applier::new(cluster.client.clone(), args.force_conflicts);
    let mut changed = false;
    for manifest in &manifests {
        let name = submit::resource_name(manifest);
        let live = applier.live(manifest).await?;
        let merged = match applier.preview(manifest).await {
            Ok(merged) => merged,
            Err(error) => bail!(
                "{name} ({}): {}",
                manifest.file,
                submit::explain(&error, manifest)
            ),
        };
        let before = live
            .as_ref()
            .map(comparable)
            .transpose()?
            .unwrap_or_default();
        let after = comparable(&merged)?;
        if before == after {
            continue;
        }
        changed = true;
        let diff = similar::TextDiff::from_lines(&before, &after);
        let unified = diff
            .unified_diff()
            .context_radius(3)
            .header(&format!("live/{name}"), &format!("merged/{name}"))
            .to_string();
        out!("{unified}");
    }
    Ok(changed)
}

/// The object as YAML without what every write changes by itself (the
/// resource version, the generation, the managed fields) and without the
/// status, which an apply of the spec never sets.
fn comparable(object: &DynamicObject) -> anyhow::Result<String> {
    let mut value = serde_json::to_value(object)?;
    if let Some(metadata) = value.get_mut("metadata").and_then(Value::as_object_mut) {
        for field in ["managedFields", "resourceVersion", "generation"] {
            metadata.remove(field);
        }
    }
    if let Some(object) = value.as_object_mut() {
        object.remove("status");
    }
    Ok(serde_yaml_ng::to_string(&value)?)
}
