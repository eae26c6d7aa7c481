//! `kubectl airforce weapon serve`: one simulated weapon serving the Weapon
//! Interface Protocol, the sidecar of a Weapon that names no image of its own.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Args;

use crate::api::duration;
use crate::cli::serving::{MetricsAddr, parse_metrics_addr, shutdown_signal};
use crate::weapon_protocol;
use crate::weapon_sim::weapon::{Identity, Timings};
use crate::weapon_sim::{self, Settings};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Serve the WeaponService and the gRPC health service on this address
    #[arg(long, value_name = "ADDR", env = "WEAPON_LISTEN",
          default_value_t = SocketAddr::from(([0, 0, 0, 0], weapon_protocol::DEFAULT_PORT)))]
    pub listen: SocketAddr,
    /// Serve /healthz, /readyz and /metrics on this address; "" or "off" disables
    /// [default: 0.0.0.0:9102]
    #[arg(long, value_name = "ADDR", env = "WEAPON_METRICS_ADDR", value_parser = parse_metrics_addr)]
    pub metrics_addr: Option<MetricsAddr>,
    /// The class of weapon (set by the sidecar injection as WEAPON_TYPE)
    #[arg(long, value_name = "TYPE", env = "WEAPON_TYPE")]
    pub weapon_type: String,
    /// The weapon's version, reported in its status (the image tag of the sidecar)
    #[arg(
        long,
        value_name = "VERSION",
        env = "WEAPON_VERSION",
        default_value = ""
    )]
    pub weapon_version: String,
    /// Rounds loaded by an Initialize that names none (the sidecar's QUANTITY)
    #[arg(long, value_name = "N", env = "QUANTITY", default_value_t = 0)]
    pub quantity: i32,
    /// Hardpoints, comma-separated, for an Initialize that names none (the sidecar's MOUNT_POINTS)
    #[arg(long, value_name = "LIST", env = "MOUNT_POINTS", value_delimiter = ',')]
    pub mount_points: Vec<String>,
    /// How long the weapon warms up after Initialize before it is READY
    #[arg(long, value_name = "DURATION", env = "WEAPON_WARM_UP", default_value = "2s",
          value_parser = parse_duration)]
    pub warm_up: Duration,
    /// How long a self-check takes
    #[arg(long, value_name = "DURATION", env = "WEAPON_SELF_CHECK_TIME", default_value = "500ms",
          value_parser = parse_duration)]
    pub self_check_time: Duration,
    /// How long locking a target takes
    #[arg(long, value_name = "DURATION", env = "WEAPON_LOCK_TIME", default_value = "300ms",
          value_parser = parse_duration)]
    pub lock_time: Duration,
    /// How long a launch takes
    #[arg(long, value_name = "DURATION", env = "WEAPON_LAUNCH_TIME", default_value = "200ms",
          value_parser = parse_duration)]
    pub launch_time: Duration,
    /// Make every self-check fail with this message and put the weapon in FAULT (for tests)
    #[arg(long, value_name = "MESSAGE", env = "WEAPON_FAULT")]
    pub fault: Option<String>,
}

fn parse_duration(value: &str) -> Result<Duration, String> {
    duration::parse(value).map_err(|error| error.to_string())
}

pub async fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let mount_points: Vec<String> = (args.mount_points.into_iter())
        .map(|mount_point| mount_point.trim().to_string())
        .filter(|mount_point| !mount_point.is_empty())
        .collect();
    let settings = Settings {
        identity: Identity {
            weapon_type: args.weapon_type.clone(),
            version: args.weapon_version,
        },
        timings: Timings {
            warm_up: args.warm_up,
            self_check: args.self_check_time,
            lock: args.lock_time,
            launch: args.launch_time,
        },
        fault: args.fault.filter(|fault| !fault.is_empty()),
        default_quantity: args.quantity,
        default_mount_points: mount_points,
    };
    let metrics = match args.metrics_addr {
        Some(MetricsAddr::Off) => None,
        Some(MetricsAddr::At(addr)) => Some(addr),
        None => Some(SocketAddr::from(([0, 0, 0, 0], weapon_sim::METRICS_PORT))),
    };
    let bound = weapon_sim::bind(settings, args.listen, metrics, shutdown_signal())
        .await
        .context(
            "the simulated weapon cannot start: pick free ports with --listen and --metrics-addr",
        )?;
    let metrics = match bound.metrics {
        Some(addr) => format!(", metrics on http://{addr}/metrics"),
        None => String::new(),
    };
    eprintln!(
        "simulated {} weapon serving gRPC on {}{metrics}; Ctrl-C stops it",
        args.weapon_type, bound.grpc
    );
    bound
        .serving
        .await
        .context("the simulated weapon stopped")?;
    eprintln!("stopped");
    Ok(ExitCode::SUCCESS)
}
