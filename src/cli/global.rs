//! What every command shares: the flags kubectl users know, and connecting to
//! the cluster they name.

use std::path::PathBuf;

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
    /// More logging on stderr: -v info, -vv debug, -vvv trace
    #[arg(short = 'v', long = "verbose", global = true, action = ArgAction::Count)]
    pub verbose: u8,
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
