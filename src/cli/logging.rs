//! Structured logs on stderr: warnings by default, `-v` info, `-vv` debug
//! (every API request with its status and time among them),
//! `-vvv` trace; `RUST_LOG` overrides.

use tracing_subscriber::EnvFilter;

pub fn init(verbosity: u8) {
    let default = match verbosity {
        0 => "warn",
        // Crate names, not a "kube" prefix: that would also match kubectl_airforce.
        1 => "info,kube_client=warn,kube_runtime=warn",
        2 => {
            "debug,kube_client=info,kube_runtime=info,hyper=info,hyper_util=info,tower=info,rustls=info"
        }
        _ => "trace",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(crate::output::color::stderr_enabled())
        .init();
}
