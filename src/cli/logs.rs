//! `kubectl airforce logs MISSION [TASK]`: the output of a mission's task
//! pods, each line prefixed `[stage/task#attempt]`. Pods of failed attempts
//! stay (as many per task as the operator's `keepFailedPods`), so earlier
//! attempts can be read; an attempt whose pod is gone is named on stderr.
//! With `-f` one task is followed as it runs, attempt after attempt, until
//! it has ended.

mod attempts;

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Args;
use futures::{AsyncBufReadExt, TryStreamExt};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{ListParams, LogParams};
use kube::{Api, ResourceExt};

use self::attempts::{Attempt, TaskAttempts, Which};
use super::GlobalArgs;
use crate::api::keys::MISSION_LABEL;
use crate::api::{FlightTask, Mission, MissionPhase, duration};
use crate::controller::{names, pod_state};

/// What `logs` reads and how.
#[derive(Debug, Args)]
pub struct LogsArgs {
    /// The mission
    #[arg(value_name = "MISSION", value_parser = crate::cli::mission::named::mission_name, add = crate::cli::complete_names::missions())]
    pub mission: String,
    /// One task: its name in its stage, STAGE/TASK, or its FlightTask's name
    #[arg(value_name = "TASK", add = crate::cli::complete_names::mission_tasks())]
    pub task: Option<String>,
    /// Which attempts: a number (from 1), latest or all
    #[arg(long, value_name = "N|latest|all", default_value = "latest")]
    pub attempt: Which,
    /// Only attempts that failed
    #[arg(long)]
    pub failed: bool,
    /// Follow the task's output while it runs, through its retries, until it has ended
    #[arg(short = 'f', long)]
    pub follow: bool,
    /// The container to read (default: the task's own, not its weapon sidecars)
    #[arg(
        short = 'c',
        long,
        value_name = "NAME",
        conflicts_with = "all_containers"
    )]
    pub container: Option<String>,
    /// Read every container of the pod, weapon sidecars included
    #[arg(long)]
    pub all_containers: bool,
    /// Only lines newer than this: 30s, 5m, 1h
    #[arg(long, value_name = "DURATION", value_parser = since)]
    pub since: Option<Duration>,
    /// The last N lines of each container; -1 for all
    #[arg(long, value_name = "N", default_value_t = -1, allow_negative_numbers = true)]
    pub tail: i64,
    /// Show each line's timestamp after its prefix
    #[arg(long)]
    pub timestamps: bool,
}

fn since(text: &str) -> Result<Duration, String> {
    duration::parse(text).map_err(|error| format!("{error}"))
}

/// How often `-f` looks at the followed task's pods.
const FOLLOW_POLL: Duration = Duration::from_secs(1);

pub async fn run(args: LogsArgs, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let cluster = super::connect(global).await?;
    super::ensure_crds(&cluster.client).await?;
    let namespace = cluster.namespace.clone();
    let client = cluster.client;
    let mission = &args.mission;
    let missions: Api<Mission> = Api::namespaced(client.clone(), &namespace);
    let found = (missions.get_opt(mission).await)
        .with_context(|| format!("cannot read mission {mission} in namespace {namespace}"))?
        .with_context(|| {
            format!(
                "mission {mission} not found in namespace {namespace} \
                 (`kubectl airforce mission list -n {namespace}` shows the missions there)"
            )
        })?;
    let reader = Reader {
        missions,
        tasks: Api::namespaced(client.clone(), &namespace),
        pods: Api::namespaced(client, &namespace),
        mission: mission.clone(),
    };
    if args.follow {
        let tasks: u32 = (found.spec.stages.iter())
            .flat_map(|stage| &stage.flight_tasks)
            .map(|task| task.replica_count())
            .sum();
        if args.task.is_none() && tasks != 1 {
            bail!(
                "-f follows one task, and mission {mission} has {tasks}: name the task after the mission"
            );
        }
        return follow_task(&reader, &args).await;
    }
    let (tasks, pods) = reader.read().await?;
    let all = attempts::of_mission(&tasks, &pods);
    if all.is_empty() {
        bail!("mission {mission} has no flight task yet: there is no output to read");
    }
    let chosen = matching(&all, &args, mission)?;
    let mut read = 0;
    let mut missing = 0;
    for task in chosen {
        let attempts = attempts::chosen(task, args.attempt, args.failed);
        if attempts.is_empty() {
            missing += 1;
            eprintln!("{}", no_attempt_message(task, &args));
        }
        for attempt in attempts {
            match print_attempt(&reader.pods, &args, task, attempt, false).await? {
                true => read += 1,
                false => missing += 1,
            }
        }
    }
    Ok(match (read, missing) {
        (0, 1..) => ExitCode::FAILURE,
        _ => ExitCode::SUCCESS,
    })
}

/// The tasks `args` names among the mission's (all without a TASK).
fn matching<'t, 'a>(
    all: &'t [TaskAttempts<'a>],
    args: &LogsArgs,
    mission: &str,
) -> anyhow::Result<Vec<&'t TaskAttempts<'a>>> {
    let Some(arg) = &args.task else {
        return Ok(all.iter().collect());
    };
    let found: Vec<&TaskAttempts> = all.iter().filter(|t| attempts::names(t, arg)).collect();
    if found.is_empty() {
        let known: Vec<String> = all.iter().map(TaskAttempts::path).collect();
        bail!(
            "mission {mission} has no task {arg}: give one of {}",
            known.join(", ")
        );
    }
    Ok(found)
}

/// The mission's tasks and pods, read again as `-f` goes on.
struct Reader {
    missions: Api<Mission>,
    tasks: Api<FlightTask>,
    pods: Api<Pod>,
    mission: String,
}

impl Reader {
    async fn read(&self) -> anyhow::Result<(Vec<FlightTask>, Vec<Pod>)> {
        let selector = format!("{MISSION_LABEL}={}", self.mission);
        let params = ListParams::default().labels(&selector);
        let tasks = (self.tasks.list(&params).await)
            .context("cannot list the mission's flight tasks")?
            .items;
        let pods = (self.pods.list(&params).await)
            .context("cannot list the mission's pods")?
            .items;
        Ok((tasks, pods))
    }

    /// Whether the mission has finished, or is gone; one that no operator
    /// has looked at yet has not.
    async fn mission_finished(&self) -> anyhow::Result<bool> {
        let mission = (self.missions.get_opt(&self.mission).await)
            .with_context(|| format!("cannot read mission {}", self.mission))?;
        Ok(match mission {
            None => true,
            Some(mission) => {
                (mission.status.and_then(|s| s.phase)).is_some_and(MissionPhase::is_finished)
            }
        })
    }
}

fn no_attempt_message(task: &TaskAttempts, args: &LogsArgs) -> String {
    let which = match args.attempt {
        Which::Number(n) => format!("no attempt {n}"),
        Which::Latest | Which::All if args.failed => "no failed attempt".to_string(),
        Which::Latest | Which::All => "no attempt yet".to_string(),
    };
    let known: Vec<String> = task.attempts.iter().map(|a| a.number.to_string()).collect();
    match known.as_slice() {
        [] => format!("[{}] {which}: it has not started", task.path()),
        _ => format!(
            "[{}] {which} (its attempts: {})",
            task.path(),
            known.join(", ")
        ),
    }
}

/// `[stage/task#attempt]`, and the container when it is not the pod's own.
fn prefix(task: &TaskAttempts, attempt: u32, container: Option<&str>) -> String {
    match container {
        Some(container) => format!("[{}#{attempt} {container}]", task.path()),
        None => format!("[{}#{attempt}]", task.path()),
    }
}

/// Prints one attempt's output (followed while it runs with `follow`);
/// false when there is nothing to read, said on stderr.
async fn print_attempt(
    pods: &Api<Pod>,
    args: &LogsArgs,
    task: &TaskAttempts<'_>,
    attempt: Attempt<'_>,
    follow: bool,
) -> anyhow::Result<bool> {
    let Some(pod) = attempt.pod else {
        let name = names::pod(&task.object, attempt.number);
        eprintln!(
            "{} no output: pod {name} is gone, and its logs with it",
            prefix(task, attempt.number, None)
        );
        return Ok(false);
    };
    let own = attempts::default_container(pod);
    let containers = match (&args.container, args.all_containers) {
        (Some(container), _) => {
            let all = attempts::all_containers(pod);
            if !all.contains(container) {
                bail!(
                    "pod {} has no container {container}: it has {}",
                    pod.name_any(),
                    all.join(", ")
                );
            }
            vec![container.clone()]
        }
        (None, true) => attempts::all_containers(pod),
        (None, false) => own.clone().into_iter().collect(),
    };
    let mut printed = false;
    for container in containers {
        let label = Some(container.as_str()).filter(|c| Some(*c) != own.as_deref());
        let prefix = prefix(task, attempt.number, label);
        let params = LogParams {
            container: Some(container.clone()),
            follow,
            since_seconds: args.since.map(|since| since.as_secs().max(1) as i64),
            tail_lines: (args.tail >= 0).then_some(args.tail),
            timestamps: args.timestamps,
            ..LogParams::default()
        };
        match print_container(pods, &pod.name_any(), &params, &prefix, follow).await {
            Ok(()) => printed = true,
            Err(Unreadable(why)) => eprintln!("{prefix} no output: {why}"),
        }
    }
    Ok(printed)
}

/// Why a container's log could not be read, in the API server's words.
struct Unreadable(String);

async fn print_container(
    pods: &Api<Pod>,
    pod: &str,
    params: &LogParams,
    prefix: &str,
    follow: bool,
) -> Result<(), Unreadable> {
    let stream = (pods.log_stream(pod, params).await).map_err(|error| Unreadable(reason(error)))?;
    let mut lines = stream.lines();
    loop {
        let next = match follow {
            // A kubelet ends the stream when the container stops; one that
            // keeps it open past that is left once the pod has finished.
            true => tokio::select! {
                line = lines.try_next() => line,
                () = finished(pods, pod) => return Ok(()),
            },
            false => lines.try_next().await,
        };
        match next.map_err(|error| Unreadable(error.to_string()))? {
            Some(line) => outln!("{prefix} {line}"),
            None => return Ok(()),
        }
    }
}

fn reason(error: kube::Error) -> String {
    match error {
        kube::Error::Api(status) => status.message,
        other => other.to_string(),
    }
}

/// Resolves once the pod has finished or is gone, and a moment more for
/// its last lines to arrive.
async fn finished(pods: &Api<Pod>, pod: &str) {
    loop {
        tokio::time::sleep(FOLLOW_POLL).await;
        match pods.get_opt(pod).await {
            Ok(Some(pod)) if !pod_state::is_finished(&pod) => {}
            Ok(_) => break,
            Err(_) => {}
        }
    }
    tokio::time::sleep(FOLLOW_POLL).await;
}

/// Prints the chosen attempts that have ended, before `-f` follows the
/// rest; returns the attempt to follow from: the first chosen one still
/// running, else the one after the last printed, else the task's latest.
async fn read_attempts(
    reader: &Reader,
    args: &LogsArgs,
    task: &TaskAttempts<'_>,
) -> anyhow::Result<u32> {
    let chosen = attempts::chosen(task, args.attempt, args.failed);
    let running = |a: &&Attempt| a.pod.is_some_and(|pod| !pod_state::is_finished(pod));
    if let Some(attempt) = chosen.iter().find(running) {
        for ended in chosen.iter().filter(|a| a.number < attempt.number) {
            print_attempt(&reader.pods, args, task, *ended, false).await?;
        }
        return Ok(attempt.number);
    }
    for ended in &chosen {
        print_attempt(&reader.pods, args, task, *ended, false).await?;
    }
    let latest = task.attempts.last().map_or(1, |a| a.number);
    Ok(chosen.last().map_or(latest, |a| a.number + 1))
}

/// Waits for the task `-f` follows to exist, prints its attempts that have
/// ended, then follows the rest.
async fn follow_task(reader: &Reader, args: &LogsArgs) -> anyhow::Result<ExitCode> {
    loop {
        let (tasks, pods) = reader.read().await?;
        let all = attempts::of_mission(&tasks, &pods);
        let found = match all.is_empty() {
            true => Vec::new(),
            false => matching(&all, args, &reader.mission)?,
        };
        match found.as_slice() {
            [task] => {
                let from = read_attempts(reader, args, task).await?;
                let (stage, name) = (task.stage.clone(), task.task.clone());
                return follow(reader, args, &stage, &name, from).await;
            }
            [] if !reader.mission_finished().await? => tokio::time::sleep(FOLLOW_POLL).await,
            [] => bail!(
                "mission {} ended before its task started: there is no output to follow",
                reader.mission
            ),
            many => {
                let known: Vec<String> = many.iter().map(|t| t.path()).collect();
                bail!(
                    "-f follows one task, and {} match: give one of {}",
                    many.len(),
                    known.join(", ")
                );
            }
        }
    }
}

/// Follows the task's attempts from `from` on, each as it runs, until the
/// task has ended and its last attempt has been read.
async fn follow(
    reader: &Reader,
    args: &LogsArgs,
    stage: &str,
    task: &str,
    mut from: u32,
) -> anyhow::Result<ExitCode> {
    loop {
        let (tasks, pods) = reader.read().await?;
        let all = attempts::of_mission(&tasks, &pods);
        let Some(current) = all.iter().find(|t| t.stage == stage && t.task == task) else {
            bail!("task {stage}/{task} is gone: its mission was deleted or run again");
        };
        let next =
            (current.attempts.iter()).find(|a| a.number >= from && a.pod.is_some_and(started));
        match next {
            Some(attempt) => {
                print_attempt(&reader.pods, args, current, *attempt, true).await?;
                from = attempt.number + 1;
            }
            None if current.finished => return Ok(ExitCode::SUCCESS),
            None => tokio::time::sleep(FOLLOW_POLL).await,
        }
    }
}

/// Whether the pod's containers have started, so that it has output to read.
fn started(pod: &Pod) -> bool {
    let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref());
    matches!(phase, Some("Running" | "Succeeded" | "Failed"))
}
