//! `kubectl airforce dashboard`: the operations console in the browser,
//! served by this binary against the current context, as the person who runs
//! it. Missions with their stage graph kept live by watches, the fleet, the
//! weapons and the operator's health; cancel, retry and gate decisions only
//! with `--allow-actions`. Loopback by default, behind a random token.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use tokio::net::TcpListener;

use crate::cli::GlobalArgs;

mod access;
mod actions;
mod assets;
mod console;
mod health;
mod live;
mod pages;
mod routes;
mod server;

#[derive(Debug, Args)]
pub struct DashboardArgs {
    /// Where to listen (port 0: any free port)
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:0")]
    pub address: SocketAddr,
    /// Open the console in the system's browser
    #[arg(long)]
    pub open: bool,
    /// Offer cancel, retry, approve and reject in the console, each confirmed and made as you
    #[arg(long)]
    pub allow_actions: bool,
}

pub async fn run(args: DashboardArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let cluster = crate::cli::connect(global).await?;
    crate::cli::ensure_crds(&cluster.client).await?;
    let secrets = access::Secrets::generate()
        .map_err(|error| anyhow::anyhow!("cannot draw a random access token: {error}"))?;
    let listener = TcpListener::bind(args.address).await.with_context(|| {
        format!(
            "cannot listen on {} (--address 127.0.0.1:0 takes any free port)",
            args.address
        )
    })?;
    let bound = listener
        .local_addr()
        .context("cannot read the address listened on")?;
    let url = format!("http://{}/?token={}", shown(bound), secrets.token());
    outln!("{url}");
    eprintln!(
        "Serving the console for {} as you{}; Ctrl-C stops it.",
        cluster.server,
        if args.allow_actions {
            ", actions allowed"
        } else {
            ", read-only"
        }
    );
    if !bound.ip().is_loopback() {
        eprintln!(
            "warning: listening on {bound}, beyond this machine: anyone with the URL above acts as you"
        );
    }
    if args.open {
        open_browser(&url);
    }
    let console = Arc::new(console::Console {
        client: cluster.client,
        namespace: cluster.namespace,
        cluster: cluster.server,
        secrets,
        actions: args.allow_actions,
        bound,
    });
    tokio::select! {
        () = server::serve(listener, console) => {}
        signal = tokio::signal::ctrl_c() => signal.context("cannot wait for Ctrl-C")?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The address as a browser is given it: loopback by a name it accepts.
fn shown(bound: SocketAddr) -> String {
    match bound {
        SocketAddr::V6(v6) => format!("[{}]:{}", v6.ip(), v6.port()),
        SocketAddr::V4(v4) => v4.to_string(),
    }
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(error) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("warning: cannot open a browser with {opener} ({error}): open the URL above");
    }
}
