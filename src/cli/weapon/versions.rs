//! `kubectl airforce weapon versions NAME`: a weapon's version history, the
//! current version marked and each deprecation said as it stands today.

use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use k8s_openapi::jiff::Timestamp;
use k8s_openapi::jiff::tz::TimeZone;
use kube::Api;

use crate::api::Weapon;
use crate::cli::GlobalArgs;
use crate::cli::report_format::ReportFormat;
use crate::output::color::Palette;
use crate::output::weapons::render_versions;

#[derive(Debug, Args)]
pub struct VersionsArgs {
    /// The Weapon
    #[arg(add = crate::cli::complete_names::weapons())]
    pub weapon: String,
    /// Output format
    #[arg(short = 'o', long, value_enum, default_value_t = ReportFormat::Table)]
    pub output: ReportFormat,
}

pub async fn run(args: VersionsArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let cluster = crate::cli::global::connect(global).await?;
    let namespace = &cluster.namespace;
    let weapons: Api<Weapon> = Api::namespaced(cluster.client, namespace);
    let name = &args.weapon;
    let weapon = (weapons.get_opt(name).await)
        .with_context(|| format!("cannot read Weapon {name} in namespace {namespace}"))?
        .with_context(|| {
            format!("no Weapon {name} in namespace {namespace}: list them with `kubectl get weapons -n {namespace}`")
        })?;
    let today = Timestamp::now().to_zoned(TimeZone::UTC).date();
    args.output.print(&weapon.spec.version_history, || {
        render_versions(&weapon, today, Palette::for_stdout())
    })?;
    Ok(ExitCode::SUCCESS)
}
