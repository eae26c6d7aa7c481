//! Names offered on TAB: missions, flight tasks (and the tasks of the mission
//! a `logs` command line names), weapons, aircraft, namespaces and contexts, read from
//! the cluster the command line being completed points at (its `--kubeconfig`,
//! `--context` and `-n`), as kubectl completes resource names. The shell runs
//! the binary to complete (see [`super::completion`]); a cluster that does not
//! answer within [`ANSWER_WITHIN`] offers nothing rather than hanging the
//! prompt.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::time::Duration;

use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};
use k8s_openapi::api::core::v1::{Namespace, Node};
use kube::api::ListParams;
use kube::config::Kubeconfig;
use kube::{Api, Resource};
use serde::de::DeserializeOwned;

use crate::api::aircraft::labels;
use crate::api::keys::{MISSION_LABEL, TASK_LABEL};
use crate::api::{FlightTask, Mission, Weapon};
use crate::cli::mission::named::mission_name;
use crate::kube_client::{self, Target};

/// How long the cluster may take before TAB gives up.
const ANSWER_WITHIN: Duration = Duration::from_millis(1500);

/// The missions of the namespace the command line names.
pub fn missions() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| from_cluster(current, Names::Missions))
}

/// The FlightTasks of the namespace.
pub fn flight_tasks() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| from_cluster(current, Names::FlightTasks))
}

/// The tasks of the mission named before them on the command line
/// (`logs MISSION <TAB>`), by their names in their stages.
pub fn mission_tasks() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        match first_operand(&words(), "logs").map(|arg| mission_name(&arg)) {
            Some(Ok(mission)) => from_cluster(current, Names::TasksOf(mission)),
            _ => Vec::new(),
        }
    })
}

/// The Weapons of the namespace.
pub fn weapons() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| from_cluster(current, Names::Weapons))
}

/// The aircraft (nodes with an aircraft type).
pub fn aircraft() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| from_cluster(current, Names::Aircraft))
}

/// The namespaces of the cluster.
pub fn namespaces() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| from_cluster(current, Names::Namespaces))
}

/// The contexts of the kubeconfig the command line names.
pub fn contexts() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        let flags = Flags::of(&words());
        let config = match &flags.kubeconfig {
            Some(path) => Kubeconfig::read_from(path).ok(),
            None => Kubeconfig::read().ok(),
        };
        let names = (config.into_iter())
            .flat_map(|config| config.contexts)
            .map(|context| context.name);
        candidates(current, names)
    })
}

#[derive(Debug, Clone)]
enum Names {
    Missions,
    FlightTasks,
    /// The task labels of one mission's FlightTasks.
    TasksOf(String),
    Weapons,
    Aircraft,
    Namespaces,
}

/// Flags whose value is the next word, so that word is no operand.
const FLAGS_WITH_VALUES: [&str; 12] = [
    "-n",
    "--namespace",
    "--context",
    "--kubeconfig",
    "--as",
    "--as-group",
    "--request-timeout",
    "-c",
    "--container",
    "--attempt",
    "--since",
    "--tail",
];

/// The first operand after `command` in `words`, skipping flags and their values.
fn first_operand(words: &[String], command: &str) -> Option<String> {
    let mut rest = words.iter().skip_while(|word| *word != command).skip(1);
    while let Some(word) = rest.next() {
        if FLAGS_WITH_VALUES.contains(&word.as_str()) {
            rest.next();
        } else if !word.starts_with('-') {
            return Some(word.clone());
        }
    }
    None
}

/// The flags of the command line being completed that say where to look.
#[derive(Debug, Default, PartialEq, Eq)]
struct Flags {
    kubeconfig: Option<PathBuf>,
    context: Option<String>,
    namespace: Option<String>,
}

impl Flags {
    /// Reads `--kubeconfig`, `--context` and `-n`/`--namespace` (as `-n x`,
    /// `-nx`, `--namespace x` or `--namespace=x`) from the words typed.
    fn of(words: &[String]) -> Flags {
        let mut flags = Flags::default();
        let mut words = words.iter();
        while let Some(word) = words.next() {
            let (flag, inline) = match word.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_string())),
                _ => (word.as_str(), None),
            };
            let slot = match flag {
                "--kubeconfig" => None,
                "--context" => Some(&mut flags.context),
                "-n" | "--namespace" => Some(&mut flags.namespace),
                short if short.starts_with("-n") && short.len() > 2 && !short.starts_with("--") => {
                    flags.namespace = Some(short[2..].to_string()).filter(|v| !v.is_empty());
                    continue;
                }
                _ => continue,
            };
            let value = (inline.or_else(|| words.next().cloned())).filter(|v| !v.is_empty());
            match slot {
                Some(slot) => *slot = value,
                None => flags.kubeconfig = value.map(PathBuf::from),
            }
        }
        flags
    }

    fn target(&self) -> Target<'_> {
        Target {
            kubeconfig: self.kubeconfig.as_deref(),
            context: self.context.as_deref(),
            namespace: self.namespace.as_deref(),
            impersonate: None,
            impersonate_groups: &[],
            request_timeout: Some(ANSWER_WITHIN),
        }
    }
}

/// The words of the command line being completed: the completion engine is
/// run as `kubectl-airforce -- kubectl-airforce WORD…`.
fn words() -> Vec<String> {
    let args: Vec<OsString> = std::env::args_os().collect();
    let after = args
        .iter()
        .position(|arg| arg == "--")
        .map_or(0, |at| at + 1);
    (args[after..].iter())
        .map(|arg| arg.to_string_lossy().into_owned())
        .collect()
}

fn from_cluster(current: &OsStr, names: Names) -> Vec<CompletionCandidate> {
    let flags = Flags::of(&words());
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return Vec::new();
    };
    let listed =
        runtime.block_on(async { tokio::time::timeout(ANSWER_WITHIN, list(&flags, names)).await });
    candidates(current, listed.ok().flatten().unwrap_or_default())
}

async fn list(flags: &Flags, names: Names) -> Option<Vec<String>> {
    let cluster = kube_client::connect(flags.target()).await.ok()?;
    let (client, namespace) = (cluster.client, cluster.namespace.as_str());
    match names {
        Names::Missions => names_of(Api::<Mission>::namespaced(client, namespace), None).await,
        Names::FlightTasks => {
            names_of(Api::<FlightTask>::namespaced(client, namespace), None).await
        }
        Names::TasksOf(mission) => {
            let api = Api::<FlightTask>::namespaced(client, namespace);
            let params = ListParams::default().labels(&format!("{MISSION_LABEL}={mission}"));
            let listed = api.list_metadata(&params).await.ok()?;
            let labels = (listed.items.into_iter())
                .filter_map(|task| task.metadata.labels?.remove(TASK_LABEL));
            Some(labels.collect())
        }
        Names::Weapons => names_of(Api::<Weapon>::namespaced(client, namespace), None).await,
        Names::Aircraft => names_of(Api::<Node>::all(client), Some(labels::TYPE)).await,
        Names::Namespaces => names_of(Api::<Namespace>::all(client), None).await,
    }
}

/// The names of the objects `api` lists (only their metadata is read).
async fn names_of<K>(api: Api<K>, labelled: Option<&str>) -> Option<Vec<String>>
where
    K: Resource + Clone + DeserializeOwned + std::fmt::Debug,
{
    let params = labelled.map_or_else(ListParams::default, |label| {
        ListParams::default().labels(label)
    });
    let listed = api.list_metadata(&params).await.ok()?;
    Some(
        listed
            .items
            .into_iter()
            .filter_map(|object| object.metadata.name)
            .collect(),
    )
}

/// The names that start with what is typed so far, sorted.
fn candidates(
    current: &OsStr,
    names: impl IntoIterator<Item = String>,
) -> Vec<CompletionCandidate> {
    let typed = current.to_string_lossy();
    let mut names: Vec<String> = names
        .into_iter()
        .filter(|name| name.starts_with(&*typed))
        .collect();
    names.sort();
    names.dedup();
    names.into_iter().map(CompletionCandidate::new).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn the_flags_that_say_where_to_look_are_read_in_every_spelling() {
        let flags = Flags::of(&words(
            "kubectl-airforce --kubeconfig /tmp/k -n ops mission get",
        ));
        assert_eq!(flags.kubeconfig, Some(PathBuf::from("/tmp/k")));
        assert_eq!(flags.namespace.as_deref(), Some("ops"));
        let flags = Flags::of(&words(
            "kubectl-airforce mission get --namespace=air --context=dev x",
        ));
        assert_eq!(
            (flags.namespace.as_deref(), flags.context.as_deref()),
            (Some("air"), Some("dev"))
        );
        assert_eq!(
            Flags::of(&words("kubectl-airforce -nteam mission"))
                .namespace
                .as_deref(),
            Some("team")
        );
        assert_eq!(
            Flags::of(&words("kubectl-airforce mission get")),
            Flags::default()
        );
        // A flag being completed has no value yet.
        assert_eq!(Flags::of(&words("kubectl-airforce -n")).namespace, None);
    }

    #[test]
    fn the_mission_of_a_logs_command_line_is_its_first_operand() {
        let mission = |line: &str| first_operand(&words(line), "logs");
        assert_eq!(
            mission("kubectl-airforce -n air logs far-sea").as_deref(),
            Some("far-sea")
        );
        assert_eq!(
            mission("kubectl-airforce logs --attempt all -c task mission/far-sea").as_deref(),
            Some("mission/far-sea")
        );
        assert_eq!(mission("kubectl-airforce logs -f"), None);
    }

    #[test]
    fn only_names_starting_with_what_is_typed_are_offered() {
        let offered = candidates(
            OsStr::new("far"),
            ["far-sea-strike", "recon", "far-east", "far-sea-strike"].map(String::from),
        );
        let offered: Vec<String> = offered
            .iter()
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect();
        assert_eq!(offered, ["far-east", "far-sea-strike"]);
    }
}
