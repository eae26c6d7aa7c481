//! `kubectl airforce watch [MISSION]`: the live tree of missions, stages,
//! flight tasks and pods, fed by watches (never by polling) until every mission
//! shown has finished; the exit code says whether any failed.

use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use k8s_openapi::jiff::Timestamp;
use tokio::time::Instant;

use crate::api::MissionPhase;
use crate::cli::GlobalArgs;
use crate::output::color::Palette;
use crate::output::tree::MissionView;

mod display;
pub(crate) mod feed;

use display::{Display, Options};
use feed::{Feed, Scope, Snapshot};

/// At most ten frames a second, however fast the changes come.
const FRAME: Duration = Duration::from_millis(100);
/// Running clocks on a terminal move on this often without any change, and
/// a mission no operator looks at is noticed this soon.
const TICK: Duration = Duration::from_secs(1);

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The mission to watch (default: every mission in the namespace)
    #[arg(value_name = "MISSION", value_parser = crate::cli::mission::named::mission_name, add = crate::cli::complete_names::missions())]
    pub mission: Option<String>,
    /// Watch the missions of every namespace
    #[arg(short = 'A', long, conflicts_with = "mission")]
    pub all_namespaces: bool,
    /// Print the tree once and exit, instead of following the missions until they finish
    #[arg(long)]
    pub no_follow: bool,
    /// Show each replica of a task with replicas, not only the task's counts
    #[arg(long)]
    pub replicas: bool,
    /// Give up after this long (30s, 10m, 1h) with exit code 124, as timeout(1) does
    #[arg(long, value_name = "DURATION", value_parser = timeout, conflicts_with = "no_follow")]
    pub timeout: Option<Duration>,
}

/// A `--timeout` value: a positive duration.
pub(crate) fn timeout(text: &str) -> Result<Duration, String> {
    match crate::api::duration::parse(text) {
        Ok(duration) if duration.is_zero() => Err("give a positive duration".into()),
        Ok(duration) => Ok(duration),
        Err(error) => Err(error.to_string()),
    }
}

/// The exit code of a watch that gave up at its `--timeout`.
const TIMED_OUT_EXIT: u8 = 124;

/// How long a mission may go without a status before the watch says that no
/// operator seems to be running: the operator writes one within a second.
const UNOBSERVED_WARNING: Duration = Duration::from_secs(30);

pub async fn run(args: WatchArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let cluster = crate::cli::connect(global).await?;
    crate::cli::ensure_crds(&cluster.client).await?;
    let scope = Scope {
        namespace: (!args.all_namespaces).then(|| cluster.namespace.clone()),
        mission: args.mission.clone(),
    };
    let options = Options {
        palette: Palette::for_stdout(),
        show_namespace: args.all_namespaces,
        expand_replicas: args.replicas,
    };
    let snapshot = Snapshot::list(&cluster.client, &scope).await?;
    let views = snapshot.views();
    if let Some(name) = &scope.mission
        && views.is_empty()
    {
        anyhow::bail!(
            "mission {name} not found in {} (`kubectl get missions` lists them)",
            scope.place()
        );
    }
    if views.is_empty() {
        eprintln!(
            "No missions in {}: nothing to watch (`kubectl airforce mission submit -f FILE` sends one).",
            scope.place()
        );
        return Ok(ExitCode::FAILURE);
    }
    if args.no_follow {
        print_once(&views, &options);
        return Ok(exit_code(&views));
    }
    let feed = Feed::start(&cluster.client, &scope);
    feed.ready().await?;
    let display = Display::for_stdout(options);
    let deadline = args
        .timeout
        .map(|timeout| (Instant::now() + timeout, timeout));
    follow(&feed, display, &cluster.client, &scope, deadline).await
}

fn print_once(views: &[MissionView], options: &Options) {
    use std::io::IsTerminal;
    let width = std::io::stdout()
        .is_terminal()
        .then(|| usize::from(display::terminal_size().1));
    outln!(
        "{}",
        display::trees(views, options, width, Timestamp::now())
    );
}

/// Shows every change until all missions have finished, then shows them once
/// more as freshly listed, so the last tree is complete even when one watch
/// delivered the end before another delivered the last task.
async fn follow(
    feed: &Feed,
    mut display: Display,
    client: &kube::Client,
    scope: &Scope,
    deadline: Option<(Instant, Duration)>,
) -> anyhow::Result<ExitCode> {
    let mut ticks = tokio::time::interval_at(Instant::now() + TICK, TICK);
    let interrupted = tokio::signal::ctrl_c();
    tokio::pin!(interrupted);
    let give_up = async {
        match deadline {
            Some((at, _)) => tokio::time::sleep_until(at).await,
            None => std::future::pending().await,
        }
    };
    tokio::pin!(give_up);
    let mut warned = std::collections::BTreeSet::new();
    loop {
        let views = feed.snapshot().views();
        if let Some(name) = &scope.mission
            && views.is_empty()
        {
            anyhow::bail!("mission {name} was deleted from {}", scope.place());
        }
        if views.iter().all(MissionView::is_finished) {
            let views = Snapshot::list(client, scope).await?.views();
            display.finish(&views);
            return Ok(exit_code(&views));
        }
        display.update(&views);
        warn_unobserved(&views, &mut warned);
        let drawn = Instant::now();
        tokio::select! {
            () = feed.changed() => {}
            _ = ticks.tick() => {}
            _ = &mut interrupted => return Ok(ExitCode::from(130)),
            () = &mut give_up => {
                let waited = deadline.map(|(_, timeout)| timeout).unwrap_or_default();
                let unfinished: Vec<String> = (views.iter())
                    .filter(|view| !view.is_finished())
                    .map(|view| format!("{} ({:?})", view.name, view.phase))
                    .collect();
                eprintln!(
                    "timed out after {}: still unfinished: {}",
                    crate::api::duration::human(waited),
                    unfinished.join(", ")
                );
                return Ok(ExitCode::from(TIMED_OUT_EXIT));
            }
        }
        tokio::time::sleep_until(drawn + FRAME).await;
    }
}

/// Says once per mission, on stderr, that no operator has written its status
/// long after it was created: most likely none is running.
fn warn_unobserved(views: &[MissionView], warned: &mut std::collections::BTreeSet<String>) {
    let now = Timestamp::now();
    for view in views {
        let Some(created) = view.unobserved_since else {
            continue;
        };
        let waiting = now.duration_since(created).as_secs();
        let key = format!("{}/{}", view.namespace, view.name);
        if waiting >= UNOBSERVED_WARNING.as_secs() as i64 && warned.insert(key) {
            eprintln!(
                "warning: no operator has looked at mission {} in {waiting}s: is one running? \
                 (`kubectl airforce install` sets it up in the cluster; `kubectl airforce run` runs it here)",
                view.name
            );
        }
    }
}

/// The exit code of a cancelled mission (none failed): apart from a
/// failure's 1, so a script tells a person's stop from a mission's fault.
const CANCELLED_EXIT: u8 = 3;

/// 1 when any mission failed, else 3 when any was cancelled, else 0.
fn exit_code(views: &[MissionView]) -> ExitCode {
    let any = |phase: MissionPhase| views.iter().any(|view| view.phase == phase);
    if any(MissionPhase::Failed) {
        ExitCode::FAILURE
    } else if any(MissionPhase::Cancelled) {
        ExitCode::from(CANCELLED_EXIT)
    } else {
        ExitCode::SUCCESS
    }
}
