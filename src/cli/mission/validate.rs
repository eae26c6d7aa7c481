//! `kubectl airforce mission validate`: check mission and weapon files without
//! a cluster and report every problem at once.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, ValueEnum};

use crate::cli::GlobalArgs;
use crate::cli::armoury_arg::ArmouryArg;
use crate::output::color::Palette;
use crate::output::diagnostics;
use crate::pod_security::Level;
use crate::validate::{self, CheckOptions, Checked, Source, ValidateError};

/// How long the cluster may take to list its weapons before references are
/// reported as unchecked instead.
const CLUSTER_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Mission and Weapon files to check: a file, a directory (its *.yaml and
    /// *.yml files), or - for standard input. Repeat -f or list several files.
    #[arg(short = 'f', long = "filename", value_name = "FILE", required = true, num_args = 1..)]
    pub filename: Vec<PathBuf>,
    /// Output format: text for people, json for programs
    #[arg(short = 'o', long, value_enum, default_value_t = ValidateOutput::Text)]
    pub output: ValidateOutput,
    /// Never contact a cluster: weapon references are checked only against the
    /// Weapon files given with -f, which are then taken as the complete set
    #[arg(long)]
    pub offline: bool,
    /// The Pod Security level the task pods must pass (the level a namespace enforces
    /// with pod-security.kubernetes.io/enforce): what in a pod template breaks it is an
    /// error. Without it, everything that breaks baseline or restricted is a warning.
    /// The containers the operator adds always pass restricted
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub pod_security: Option<Level>,
    #[command(flatten)]
    pub armoury: ArmouryArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidateOutput {
    /// One line per problem with a hint, then a count
    Text,
    /// A JSON object with the diagnostics and the counts
    Json,
}

pub async fn run(args: ValidateArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let sources =
        validate::read_sources(&args.filename).context("cannot read the files to validate")?;
    let namespace = global
        .namespace
        .clone()
        .unwrap_or_else(|| "default".to_string());
    let mut options = CheckOptions {
        offline: args.offline,
        pod_security: args.pod_security,
        armoury: args.armoury.namespace(),
        ..CheckOptions::offline(namespace)
    };
    let mut checked = validate::check(&sources, &options);
    // The cluster is asked only when the files leave a weapon unresolved, so a
    // complete set of files validates without waiting on the network.
    if !args.offline && checked.needs_cluster() {
        checked = with_cluster(&sources, &mut options, global).await;
    }
    match args.output {
        ValidateOutput::Text => {
            eprint!(
                "{}",
                diagnostics::render(&checked.diagnostics, Palette::for_stderr())
            );
            out!("{}", diagnostics::valid(&checked, Palette::for_stdout()));
        }
        ValidateOutput::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&diagnostics::json(&checked))
                .context("cannot write the JSON report")?
        ),
    }
    Ok(if checked.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Checks again with the cluster's weapons, or, when the cluster cannot be
/// reached, with the reason in the warnings.
async fn with_cluster(
    sources: &[Source],
    options: &mut CheckOptions,
    global: &GlobalArgs,
) -> Checked {
    let listed = async {
        let cluster = match crate::cli::connect(global).await {
            Ok(cluster) => cluster,
            Err(error) => {
                // The cause is long (kubeconfig lookups); the warnings stay short.
                tracing::info!(
                    error = format!("{error:#}"),
                    "cannot reach a cluster to look up weapons"
                );
                return Err("no cluster could be reached (run with -v to see why)".to_string());
            }
        };
        let weapons = validate::cluster_weapons(cluster.client, CLUSTER_TIMEOUT)
            .await
            .map_err(|error| unlisted(&error, &cluster.server))?;
        Ok((cluster.namespace, weapons))
    };
    match tokio::time::timeout(CLUSTER_TIMEOUT, listed).await {
        Ok(Ok((namespace, weapons))) => {
            options.namespace = namespace;
            options.cluster_weapons = Some(weapons);
        }
        Ok(Err(why)) => options.cluster_error = Some(why),
        Err(_) => {
            let waited = CLUSTER_TIMEOUT.as_secs();
            options.cluster_error = Some(format!("the cluster did not answer within {waited}s"));
        }
    }
    validate::check(sources, options)
}

/// Why a reached cluster listed no weapons, short enough for every warning.
fn unlisted(error: &ValidateError, server: &str) -> String {
    match error {
        ValidateError::ListWeapons(kube::Error::Api(status)) if status.code == 404 => {
            format!("the Weapon CRD is not installed in the cluster at {server}")
        }
        ValidateError::ListWeapons(kube::Error::Api(status)) => {
            format!(
                "the cluster at {server} refused to list weapons: {}",
                status.message
            )
        }
        other => {
            let chain: Vec<String> =
                std::iter::successors(Some(other as &dyn std::error::Error), |e| e.source())
                    .map(ToString::to_string)
                    .collect();
            tracing::info!(error = chain.join(": "), "cannot list weapons");
            format!("the cluster at {server} could not be asked (run with -v to see why)")
        }
    }
}
