//! What every command shares: the flags kubectl users know, and connecting to
//! the cluster they name.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::{ArgAction, Args};

/// Flags every command accepts, as kubectl spells them.
#[derive(Debug, Clone, Default, Args)]
pub struct GlobalArgs {
    /// Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)
    #[arg(long, global = true, value_name = "PATH")]
    pub kubeconfig: Option<PathBuf>,
    /// The kubeconfig context to use (default: the current context)
    #[arg(long, global = true, value_name = "NAME", add = crate::cli::complete_names::contexts())]
    pub context: Option<String>,
    /// The namespace to work in (default: the context's namespace, then "default";
    /// for install and uninstall, the operator's namespace, default airforce-system)
    #[arg(short = 'n', long, global = true, value_name = "NAME", add = crate::cli::complete_names::namespaces())]
    pub namespace: Option<String>,
    /// Act as this user (impersonation, as kubectl --as); the kubeconfig's
    /// user must be allowed to impersonate
    #[arg(long = "as", global = true, value_name = "USER")]
    pub impersonate: Option<String>,
    /// With --as: act as a member of this group; repeat for more
    #[arg(
        long = "as-group",
        global = true,
        value_name = "GROUP",
        requires = "impersonate"
    )]
    pub impersonate_groups: Vec<String>,
    /// How long one request to the API server may take before it is given up:
    /// "30s", "2m", or whole seconds; 0 for the client's defaults
    #[arg(long, global = true, value_name = "DURATION", value_parser = request_timeout)]
    pub request_timeout: Option<RequestTimeout>,
    /// More logging on stderr: -v info, -vv debug with every API request, its status
    /// and time, -vvv trace; kubectl's -v=N works too (6 shows the requests)
    #[arg(short = 'v', long = "verbose", global = true, action = ArgAction::Count)]
    pub verbose: u8,
}

/// A `--request-timeout` value; zero keeps the client's own timeouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestTimeout(pub Option<Duration>);

fn request_timeout(text: &str) -> Result<RequestTimeout, String> {
    let duration = match text.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => crate::api::duration::parse(text).map_err(|error| {
            format!("{error}: give a duration such as \"30s\" or \"2m\", whole seconds, or 0")
        })?,
    };
    Ok(RequestTimeout(Some(duration).filter(|d| !d.is_zero())))
}

/// The command line with kubectl's verbosity spellings (`-v=6`, `--v=6`)
/// turned into as many `-v` as the level means here: 0 none, 1 to 3 info,
/// 4 to 8 debug with every request, 9 and above trace.
pub fn kubectl_verbosity(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    args.into_iter()
        .filter_map(|arg| {
            let text = arg.to_string_lossy();
            let level = (text
                .strip_prefix("-v=")
                .or_else(|| text.strip_prefix("--v=")))
            .and_then(|level| level.parse::<u8>().ok());
            match level {
                None => Some(arg),
                Some(0) => None,
                Some(1..=3) => Some("-v".into()),
                Some(4..=8) => Some("-vv".into()),
                Some(_) => Some("-vvv".into()),
            }
        })
        .collect()
}

impl GlobalArgs {
    /// Where and as whom to connect, as the flags say.
    pub fn target(&self) -> crate::kube_client::Target<'_> {
        crate::kube_client::Target {
            kubeconfig: self.kubeconfig.as_deref(),
            context: self.context.as_deref(),
            namespace: self.namespace.as_deref(),
            impersonate: self.impersonate.as_deref(),
            impersonate_groups: &self.impersonate_groups,
            request_timeout: self.request_timeout.and_then(|timeout| timeout.0),
        }
    }
}

/// Connects as the global flags say. The client is lazy: an unreachable server
/// shows up on the first request, where the caller adds what it was doing.
pub async fn connect(global: &GlobalArgs) -> anyhow::Result<crate::kube_client::Cluster> {
    crate::kube_client::connect(global.target())
        .await
        .context("cannot connect to a cluster: check --kubeconfig, --context or KUBECONFIG")
}

/// Fails with the next step when the airforce.mil CRDs are not installed.
pub async fn ensure_crds(client: &kube::Client) -> anyhow::Result<()> {
    match client
        .list_api_group_resources(crate::api::API_VERSION)
        .await
    {
        Ok(_) => Ok(()),
        Err(kube::Error::Api(status)) if status.code == 404 => anyhow::bail!(
            "the airforce.mil CRDs are not installed in this cluster: run `kubectl airforce install --crds-only` (or `install` for the operator too)"
        ),
        Err(error) => Err(error).context("cannot reach the cluster"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubectl_verbosity_levels_become_counted_flags() {
        let args = |words: &[&str]| -> Vec<OsString> { words.iter().map(OsString::from).collect() };
        assert_eq!(
            kubectl_verbosity(args(&["kubectl-airforce", "-v=6", "mission", "list"])),
            args(&["kubectl-airforce", "-vv", "mission", "list"])
        );
        assert_eq!(kubectl_verbosity(args(&["x", "--v=2"])), args(&["x", "-v"]));
        assert_eq!(
            kubectl_verbosity(args(&["x", "--v=9"])),
            args(&["x", "-vvv"])
        );
        assert_eq!(kubectl_verbosity(args(&["x", "-v=0"])), args(&["x"]));
        assert_eq!(
            kubectl_verbosity(args(&["x", "-vv", "-v=high"])),
            args(&["x", "-vv", "-v=high"]),
            "anything else is left for clap to judge"
        );
    }

    #[test]
    fn a_request_timeout_is_a_duration_whole_seconds_or_zero() {
        assert_eq!(
            request_timeout("30s"),
            Ok(RequestTimeout(Some(Duration::from_secs(30))))
        );
        assert_eq!(
            request_timeout("2m"),
            Ok(RequestTimeout(Some(Duration::from_secs(120))))
        );
        assert_eq!(
            request_timeout("5"),
            Ok(RequestTimeout(Some(Duration::from_secs(5))))
        );
        assert_eq!(request_timeout("0"), Ok(RequestTimeout(None)));
        assert!(request_timeout("soon").is_err());
    }
}
