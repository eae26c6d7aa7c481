//! `kubectl airforce install`: the CRDs and the operator, applied server-side,
//! or printed with `--dry-run`.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Args;

use super::GlobalArgs;
use crate::install::{self, Applied, Format, InstallOptions, Manifests, Monitors};
use crate::kube_client::{self, Target};

/// Install the CRDs and the operator (ServiceAccount, least-privilege RBAC and a
/// Deployment running `run --leader-elect`) with server-side apply.
///
/// The operator goes into the namespace given by -n (default: airforce-system).
/// Running it again changes nothing unless the manifests changed.
#[derive(Debug, Args)]
pub struct InstallArgs {
    /// The operator image
    #[arg(long, value_name = "IMAGE", default_value = install::DEFAULT_IMAGE)]
    pub image: String,
    /// How many operator replicas to run (one leads, the others stand by)
    #[arg(long, value_name = "N", default_value_t = 1,
          value_parser = clap::value_parser!(i32).range(0..))]
    pub replicas: i32,
    /// Install only the API: the CRDs, the PriorityClasses task pods use, the
    /// admission policy of approval gates and the roles that fold the API into
    /// `view` and `edit`, without the operator (enough to submit
    /// missions, and to `run` the operator in a terminal)
    #[arg(long)]
    pub crds_only: bool,
    /// Print the manifests instead of applying them; needs no cluster
    #[arg(long)]
    pub dry_run: bool,
    /// Output format for --dry-run
    #[arg(short = 'o', long, value_enum, default_value_t = Format::Yaml, requires = "dry_run")]
    pub output: Format,
    /// Also add PodMonitors so a Prometheus operator scrapes the operator and the
    /// weapon sidecars (without its CRDs, everything else is installed and the
    /// monitors are named as missing)
    #[arg(long)]
    pub monitoring: bool,
    /// How long to wait for the CRDs to be Established (e.g. 30s, 2m)
    #[arg(long, value_name = "DURATION", default_value = "60s",
          value_parser = parse_duration)]
    pub timeout: Duration,
}

pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    crate::api::duration::parse(text).map_err(|error| error.to_string())
}

pub async fn run(args: InstallArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let options = InstallOptions {
        namespace: operator_namespace(global),
        image: args.image.clone(),
        replicas: args.replicas,
        monitoring: args.monitoring,
    };
    let manifests = Manifests::build(&options);
    if args.dry_run {
        out!(
            "{}",
            install::render(&manifests, args.crds_only, args.output)?
        );
        return Ok(ExitCode::SUCCESS);
    }
    let cluster = kube_client::connect(Target {
        namespace: None,
        ..global.target()
    })
    .await
    .context("cannot connect to the cluster to install")?;
    let print = |applied: &Applied| outln!("{applied}");
    install::apply_api_reporting(&cluster.client, args.timeout, print)
        .await
        .with_context(|| format!("cannot install the CRDs into {}", cluster.server))?;
    if args.crds_only {
        eprintln!(
            "The CRDs, PriorityClasses and gate policy are installed; `kubectl airforce install` adds the operator."
        );
        return Ok(ExitCode::SUCCESS);
    }
    install::apply_operator(&cluster.client, &manifests, print)
        .await
        .with_context(|| format!("cannot install the operator into {}", cluster.server))?;
    let monitors = install::apply_monitors(&cluster.client, &manifests, print)
        .await
        .with_context(|| format!("cannot install the monitors into {}", cluster.server))?;
    if monitors == Monitors::NotServed {
        eprintln!(
            "warning: the monitors were not installed: {} is missing, the Prometheus operator's \
             PodMonitor CRD. Install the Prometheus operator, then run `install --monitoring` again.",
            install::POD_MONITOR_CRD
        );
    }
    eprintln!(
        "The operator is installed in namespace {ns}. Follow its rollout with \
         `kubectl -n {ns} rollout status deployment/{name}`.",
        ns = options.namespace,
        name = install::OPERATOR_NAME,
    );
    Ok(ExitCode::SUCCESS)
}

/// The operator's namespace: `-n` when given, else the default — never the
/// context's namespace, which is where people keep their missions.
pub(crate) fn operator_namespace(global: &GlobalArgs) -> String {
    global
        .namespace
        .clone()
        .unwrap_or_else(|| install::DEFAULT_NAMESPACE.to_string())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use crate::cli::{Cli, Command};

    fn parse(args: &[&str]) -> super::InstallArgs {
        let cli = Cli::try_parse_from([&["kubectl-airforce", "install"], args].concat()).unwrap();
        match cli.command {
            Command::Install(args) => args,
            other => panic!("parsed {other:?}"),
        }
    }

    #[test]
    fn install_defaults_to_the_versioned_image_and_one_replica() {
        let args = parse(&[]);
        assert_eq!(args.image, crate::install::DEFAULT_IMAGE);
        assert_eq!(args.replicas, 1);
        assert_eq!(args.timeout, std::time::Duration::from_secs(60));
    }

    #[test]
    fn an_output_format_without_dry_run_is_refused() {
        let parsed = Cli::try_parse_from(["kubectl-airforce", "install", "-o", "json"]);
        assert!(parsed.is_err());
    }
}
