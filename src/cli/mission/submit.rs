//! `kubectl airforce mission submit`: validate, then server-side apply.
//!
//! Nothing reaches the cluster unless every file is valid, and nothing is saved
//! unless the API server accepts every object in a dry run first, so a bad
//! document in the middle of a batch never leaves the batch half-applied.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, ValueEnum};
use kube::api::{ApiResource, DynamicObject, Patch, PatchParams, PostParams};
use kube::{Api, Client, ResourceExt};

use crate::api::field_managers;
use crate::api::{Mission, Weapon};
use crate::cli::GlobalArgs;
use crate::cli::armoury_arg::ArmouryArg;
use crate::cli::watch::WatchArgs;
use crate::kube_client::Cluster;
use crate::output::color::Palette;
use crate::output::diagnostics;
use crate::validate::{self, CheckOptions, Kind, Manifest};

/// How long the cluster may take to list the weapons references resolve against.
const CLUSTER_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Args)]
pub struct SubmitArgs {
    /// Mission files, and the Weapon files they use: files, directories, or - for stdin
    #[arg(short = 'f', long = "filename", required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Only preview: "client" prints what would be sent, "server" has the API server check
    /// everything without saving it
    #[arg(long, value_enum, value_name = "MODE", num_args = 0..=1, require_equals = true, default_missing_value = "client")]
    pub dry_run: Option<DryRun>,
    /// Take over fields another manager set, as `kubectl apply --server-side --force-conflicts`
    #[arg(long)]
    pub force_conflicts: bool,
    /// How the offline checks count: "strict" stops on any problem, "warn" reports them and
    /// lets the API server's own schema and rules decide, "ignore" skips them
    #[arg(long, value_enum, value_name = "MODE", default_value_t = Validation::Strict)]
    pub validate: Validation,
    /// Then follow the submitted mission's live tree until it finishes, as `watch` does
    /// (exit code 0 when it succeeds, 1 when it fails, 3 when cancelled); needs exactly
    /// one mission
    #[arg(short = 'w', long, conflicts_with = "dry_run")]
    pub watch: bool,
    /// "name" prints only each object's TYPE/NAME, as `kubectl apply -o name` does (the
    /// name the API server made, for a metadata.generateName)
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT")]
    pub output: Option<NameOutput>,
    /// With --watch: give up after this long (30s, 10m) with exit code 124
    #[arg(long, value_name = "DURATION", requires = "watch", value_parser = crate::cli::watch::timeout)]
    pub timeout: Option<Duration>,
    #[command(flatten)]
    pub armoury: ArmouryArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Validation {
    Strict,
    Warn,
    Ignore,
}

/// The one output format besides the default lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NameOutput {
    Name,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DryRun {
    Client,
    Server,
}

pub async fn run(args: SubmitArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let sources = validate::read_sources(&args.files)?;
    let client_only = args.dry_run == Some(DryRun::Client);
    // A client-side dry run needs no cluster; when one answers, its weapons still
    // resolve references the files leave open.
    let cluster = match crate::cli::connect(global).await {
        Ok(cluster) => Some(cluster),
        Err(_) if client_only => None,
        Err(error) => return Err(error),
    };
    if let Some(cluster) = cluster.as_ref().filter(|_| !client_only) {
        crate::cli::ensure_crds(&cluster.client).await?;
    }
    let mut options = check_options(cluster.as_ref(), global).await;
    options.armoury = args.armoury.namespace();
    let manifests = checked_manifests(&sources, &options, args.validate)?;
    let manifests = in_namespace(manifests, global.namespace.as_deref(), &options.namespace)?;

    let Some(cluster) = cluster.filter(|_| !client_only) else {
        for manifest in &manifests {
            outln!(
                "---\n{}",
                serde_yaml_ng::to_string(&manifest.value)?.trim_end()
            );
        }
        return Ok(ExitCode::SUCCESS);
    };
    if args.watch {
        one_mission_to_watch(&manifests)?;
    }
    let applier = Applier::new(cluster.client.clone(), args.force_conflicts);
    applier.dry_run_all(&manifests).await?;
    let mut followed = None;
    for manifest in &manifests {
        let (name, outcome) = if args.dry_run == Some(DryRun::Server) {
            let name = manifest.name.clone().unwrap_or_default();
            (name, "serverside-applied (server dry run)".to_string())
        } else {
            let (name, outcome) = applier.apply(manifest).await?;
            (name, outcome.to_string())
        };
        let shown = kind_and_name(manifest.kind, &name);
        match args.output {
            Some(NameOutput::Name) => outln!("{shown}"),
            None => outln!("{shown} {outcome}"),
        }
        if manifest.kind == Kind::Mission {
            followed = Some((name, manifest.namespace.clone().unwrap_or_default()));
        }
    }
    if !args.watch {
        return Ok(ExitCode::SUCCESS);
    }
    let (mission, namespace) =
        followed.context("--watch follows a mission, and none was submitted")?;
    let global = GlobalArgs {
        namespace: Some(namespace),
        ..global.clone()
    };
    let watch = WatchArgs {
        mission: Some(mission),
        all_namespaces: false,
        no_follow: false,
        replicas: false,
        timeout: args.timeout,
    };
    crate::cli::watch::run(watch, &global).await
}

/// Fails unless `manifests` hold exactly one mission: `--watch` follows one
/// tree, so several (or none) is an error, said before anything is applied.
fn one_mission_to_watch(manifests: &[Manifest]) -> anyhow::Result<()> {
    let missions: Vec<&Manifest> = (manifests.iter())
        .filter(|m| m.kind == Kind::Mission)
        .collect();
    match missions.as_slice() {
        [_] => Ok(()),
        [] => anyhow::bail!("--watch follows a mission, and the files hold none"),
        several => anyhow::bail!(
            "--watch follows one mission, and the files hold {} ({}): submit them without --watch, then `kubectl airforce watch`",
            several.len(),
            (several.iter())
                .map(|m| resource_name(m))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The objects to apply, weapons first so a mission never waits on a weapon
/// submitted with it; fails, printing every problem, when the checks say so.
pub(super) fn checked_manifests(
    sources: &[validate::Source],
    options: &CheckOptions,
    validation: Validation,
) -> anyhow::Result<Vec<Manifest>> {
    let checked = match validation {
        Validation::Ignore => validate::parse(sources),
        Validation::Strict | Validation::Warn => validate::check(sources, options),
    };
    if !checked.diagnostics.is_empty() && validation != Validation::Ignore {
        eprint!(
            "{}",
            diagnostics::render(&checked.diagnostics, Palette::for_stderr())
        );
    }
    eprint!("{}", diagnostics::weapons_found_lines(&checked));
    if checked.manifests.is_empty() || (checked.has_errors() && validation == Validation::Strict) {
        anyhow::bail!(
            "nothing was submitted: fix the problems above (`kubectl airforce mission validate` shows them again)"
        );
    }
    let mut manifests = checked.manifests;
    manifests.sort_by_key(|m| m.kind != Kind::Weapon);
    Ok(manifests)
}

/// The manifests, each in the namespace its file names or else `namespace`.
/// A namespace given with `-n` (`given`) that differs from the one a file
/// names is refused, as kubectl refuses it: otherwise the file would win
/// without a word.
pub(super) fn in_namespace(
    mut manifests: Vec<Manifest>,
    given: Option<&str>,
    namespace: &str,
) -> anyhow::Result<Vec<Manifest>> {
    if let Some(given) = given {
        let clashes: Vec<String> = (manifests.iter())
            .filter_map(|manifest| {
                let named = manifest
                    .namespace
                    .as_deref()
                    .filter(|named| *named != given)?;
                Some(format!(
                    "{}: {}/{} has metadata.namespace: {named}",
                    manifest.file,
                    manifest.kind.as_str(),
                    manifest.name.as_deref().unwrap_or_default()
                ))
            })
            .collect();
        if !clashes.is_empty() {
            anyhow::bail!(
                "the files name another namespace than -n {given}:\n  {}\nnothing was submitted: pass the file's namespace with -n, or remove metadata.namespace from the file to submit into {given}",
                clashes.join("\n  ")
            );
        }
    }
    for manifest in &mut manifests {
        manifest.set_namespace(namespace);
    }
    Ok(manifests)
}

/// `mission.airforce.mil/far-sea-strike`, as kubectl names objects; a
/// manifest with a `generateName` shows its prefix and `*`.
pub(super) fn resource_name(manifest: &Manifest) -> String {
    match (&manifest.name, manifest.generate_name()) {
        (None, Some(prefix)) => kind_and_name(manifest.kind, &format!("{prefix}*")),
        (name, _) => kind_and_name(manifest.kind, name.as_deref().unwrap_or_default()),
    }
}

fn kind_and_name(kind: Kind, name: &str) -> String {
    let resource = api_resource(kind);
    format!("{}.{}/{name}", resource.kind.to_lowercase(), resource.group)
}

fn api_resource(kind: Kind) -> ApiResource {
    match kind {
        Kind::Mission => ApiResource::erase::<Mission>(&()),
        Kind::Weapon => ApiResource::erase::<Weapon>(&()),
    }
}

pub(super) async fn check_options(cluster: Option<&Cluster>, global: &GlobalArgs) -> CheckOptions {
    let namespace = cluster
        .map(|c| c.namespace.clone())
        .or_else(|| global.namespace.clone())
        .unwrap_or_else(|| "default".to_string());
    let mut options = CheckOptions {
        offline: false,
        ..CheckOptions::offline(namespace)
    };
    match cluster {
        Some(cluster) => match validate::cluster_weapons(cluster.client.clone(), CLUSTER_TIMEOUT)
            .await
        {
            Ok(weapons) => options.cluster_weapons = Some(weapons),
            Err(error) => options.cluster_error = Some(format!("{:#}", anyhow::Error::new(error))),
        },
        None => options.cluster_error = Some("no cluster is configured".to_string()),
    }
    options
}

/// What applying an object changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Created,
    Configured,
    Unchanged,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Created => "created",
            Self::Configured => "configured",
            Self::Unchanged => "unchanged",
        })
    }
}

pub(super) struct Applier {
    client: Client,
    force: bool,
}

impl Applier {
    pub(super) fn new(client: Client, force: bool) -> Self {
        Self { client, force }
    }

    fn api(&self, manifest: &Manifest) -> Api<DynamicObject> {
        let namespace = manifest.namespace.as_deref().unwrap_or("default");
        Api::namespaced_with(self.client.clone(), namespace, &api_resource(manifest.kind))
    }

    fn params(&self, dry_run: bool) -> PatchParams {
        let mut params = PatchParams::apply(field_managers::CLI);
        params.force = self.force;
        params.dry_run = dry_run;
        params
    }

    /// Has the API server check every object (schema, CEL rules, conflicts) without saving.
    async fn dry_run_all(&self, manifests: &[Manifest]) -> anyhow::Result<()> {
        let mut refused = Vec::new();
        for manifest in manifests {
            if let Err(error) = self.preview(manifest).await {
                let started = self.started_stages_changed(&error, manifest).await;
                refused.push(format!(
                    "{} ({}): {}{started}",
                    resource_name(manifest),
                    manifest.file,
                    explain(&error, manifest)
                ));
            }
        }
        if refused.is_empty() {
            return Ok(());
        }
        anyhow::bail!(
            "nothing was submitted: the API server refused {} of {} objects:\n  {}",
            refused.len(),
            manifests.len(),
            refused.join("\n  ")
        )
    }

    /// The object as the API server would store it, from a dry run of the
    /// apply: defaults filled in, our fields merged over the live object's.
    /// One named by a `generateName` is always new: a dry run of its create.
    pub(super) async fn preview(&self, manifest: &Manifest) -> Result<DynamicObject, kube::Error> {
        match manifest.name.as_deref() {
            Some(name) => {
                (self.api(manifest))
                    .patch(name, &self.params(true), &Patch::Apply(&manifest.value))
                    .await
            }
            None => self.create(manifest, true).await,
        }
    }

    /// Creates an object named by its `generateName`, for which there is
    /// nothing to apply over: the API server picks its name.
    async fn create(
        &self,
        manifest: &Manifest,
        dry_run: bool,
    ) -> Result<DynamicObject, kube::Error> {
        let object: DynamicObject =
            serde_json::from_value(manifest.value.clone()).map_err(kube::Error::SerdeError)?;
        let params = PostParams {
            dry_run,
            field_manager: Some(field_managers::CLI.to_string()),
        };
        self.api(manifest).create(&params, &object).await
    }

    /// The object as it is stored now, if it exists; one still to be named
    /// by its `generateName` does not.
    pub(super) async fn live(&self, manifest: &Manifest) -> anyhow::Result<Option<DynamicObject>> {
        let Some(name) = manifest.name.as_deref() else {
            return Ok(None);
        };
        (self.api(manifest).get_opt(name).await)
            .with_context(|| format!("cannot read {}", resource_name(manifest)))
    }

    /// For an edit refused because it changes started stages: which ones, as
    /// "(started and changed: strike)"; empty for any other refusal, or when
    /// the mission cannot be read.
    async fn started_stages_changed(&self, error: &kube::Error, manifest: &Manifest) -> String {
        let refused_edit = matches!(error, kube::Error::Api(status)
            if status.message.contains(crate::api::mission::STARTED_STAGE_EDIT_REFUSED));
        let name = manifest.name.as_deref().unwrap_or_default();
        if manifest.kind != Kind::Mission || !refused_edit {
            return String::new();
        }
        let namespace = manifest.namespace.as_deref().unwrap_or("default");
        let api: Api<Mission> = Api::namespaced(self.client.clone(), namespace);
        let edited =
            serde_json::from_value::<crate::api::MissionSpec>(manifest.value["spec"].clone());
        match (api.get_opt(name).await, edited) {
            (Ok(Some(live)), Ok(edited)) => {
                let changed = live.started_stages_changed_by(&edited);
                match changed.is_empty() {
                    true => String::new(),
                    false => format!(" (started and changed: {})", changed.join(", ")),
                }
            }
            _ => String::new(),
        }
    }

    /// Applies the object (creates one with a `generateName`); returns its
    /// name and what changed.
    async fn apply(&self, manifest: &Manifest) -> anyhow::Result<(String, Outcome)> {
        let api = self.api(manifest);
        let Some(name) = manifest.name.as_deref() else {
            let created =
                tokio::time::timeout(Duration::from_secs(30), self.create(manifest, false))
                    .await
                    .with_context(|| format!("timed out creating {}", resource_name(manifest)))?
                    .map_err(|error| {
                        anyhow::anyhow!(
                            "{}: {}",
                            resource_name(manifest),
                            explain(&error, manifest)
                        )
                    })?;
            return Ok((created.name_any(), Outcome::Created));
        };
        let before = self.live(manifest).await?;
        let after = tokio::time::timeout(
            Duration::from_secs(30),
            api.patch(name, &self.params(false), &Patch::Apply(&manifest.value)),
        )
        .await
        .with_context(|| format!("timed out applying {}", resource_name(manifest)))?
        .map_err(|error| {
            anyhow::anyhow!("{}: {}", resource_name(manifest), explain(&error, manifest))
        })?;
        let outcome = match before {
            None => Outcome::Created,
            Some(before) if before.metadata.resource_version == after.metadata.resource_version => {
                Outcome::Unchanged
            }
            Some(_) => Outcome::Configured,
        };
        Ok((name.to_string(), outcome))
    }
}

/// The API server's refusal, with the next step where there is an obvious one.
pub(super) fn explain(error: &kube::Error, manifest: &Manifest) -> String {
    match error {
        kube::Error::Api(status) if status.code == 404 && status.message.contains("namespaces") => {
            format!(
                "{} (create it with `kubectl create namespace {}`)",
                status.message,
                manifest.namespace.as_deref().unwrap_or("default")
            )
        }
        kube::Error::Api(status) if status.code == 409 => {
            format!(
                "{} (pass --force-conflicts to take the fields over)",
                status.message
            )
        }
        kube::Error::Api(status) => status.message.clone(),
        other => other.to_string(),
    }
}
