//! Connecting to a cluster the way kubectl does: `--kubeconfig`, then
//! `KUBECONFIG`, then `~/.kube/config` (or the in-cluster service account);
//! `--context` picks the context, `-n` overrides its namespace.

mod request_log;

use std::path::Path;
use std::time::Duration;

use kube::client::ClientBuilder;
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};

use self::request_log::LogRequestsLayer;
use crate::metrics::CountRequestsLayer;

/// A client and the namespace commands work in.
#[derive(Clone)]
pub struct Cluster {
    pub client: Client,
    pub namespace: String,
    /// The API server URL, for messages.
    pub server: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("cannot read kubeconfig {path}")]
    ReadKubeconfig {
        path: String,
        #[source]
        source: kube::config::KubeconfigError,
    },
    #[error("no usable kubeconfig: set KUBECONFIG or pass --kubeconfig")]
    Infer(#[source] kube::config::InferConfigError),
    #[error("kubeconfig is not usable{context}")]
    Kubeconfig {
        context: String,
        #[source]
        source: kube::config::KubeconfigError,
    },
    #[error("cannot build a client for {server}")]
    Client {
        server: String,
        #[source]
        source: kube::Error,
    },
}

/// Where to connect, as the global flags say.
#[derive(Debug, Clone, Default)]
pub struct Target<'a> {
    pub kubeconfig: Option<&'a Path>,
    pub context: Option<&'a str>,
    pub namespace: Option<&'a str>,
    /// The user to act as, and their groups (kubectl's `--as`, `--as-group`).
    pub impersonate: Option<&'a str>,
    pub impersonate_groups: &'a [String],
    /// How long one request may take (kubectl's `--request-timeout`); the
    /// client's defaults when unset.
    pub request_timeout: Option<Duration>,
}

pub async fn connect(target: Target<'_>) -> Result<Cluster, ConnectError> {
    let options = KubeConfigOptions {
        context: target.context.map(str::to_owned),
        ..Default::default()
    };
    let config = match (target.kubeconfig, target.context) {
        (Some(path), _) => {
            let kubeconfig =
                Kubeconfig::read_from(path).map_err(|source| ConnectError::ReadKubeconfig {
                    path: path.display().to_string(),
                    source,
                })?;
            Config::from_custom_kubeconfig(kubeconfig, &options)
                .await
                .map_err(|source| kubeconfig_error(target.context, source))?
        }
        (None, Some(_)) => Config::from_kubeconfig(&options)
            .await
            .map_err(|source| kubeconfig_error(target.context, source))?,
        (None, None) => Config::infer().await.map_err(ConnectError::Infer)?,
    };
    let mut config = config;
    if let Some(user) = target.impersonate {
        config.auth_info.impersonate = Some(user.to_string());
        if !target.impersonate_groups.is_empty() {
            config.auth_info.impersonate_groups = Some(target.impersonate_groups.to_vec());
        }
    }
    if let Some(timeout) = target.request_timeout {
        config.connect_timeout = Some(timeout);
        config.read_timeout = Some(timeout);
        config.write_timeout = Some(timeout);
    }
    let server = config.cluster_url.to_string();
    let namespace = target
        .namespace
        .map(str::to_owned)
        .unwrap_or_else(|| config.default_namespace.clone());
    let client = ClientBuilder::try_from(config)
        .map_err(|source| ConnectError::Client {
            server: server.clone(),
            source,
        })?
        .with_layer(&CountRequestsLayer)
        .with_layer(&LogRequestsLayer::new(&server))
        .build();
    Ok(Cluster {
        client,
        namespace,
        server,
    })
}

fn kubeconfig_error(context: Option<&str>, source: kube::config::KubeconfigError) -> ConnectError {
    ConnectError::Kubeconfig {
        context: context
            .map(|c| format!(" for context {c}"))
            .unwrap_or_default(),
        source,
    }
}
