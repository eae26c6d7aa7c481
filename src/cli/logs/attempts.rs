//! Which attempts of a mission's tasks `logs` reads, from the FlightTasks and
//! the pods that are left: every attempt a task recorded or a pod shows, with
//! its pod when the pod is still there. Pure, so the choices are tested
//! without a cluster.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Pod;
use kube::ResourceExt;

use crate::api::FlightTask;
use crate::api::keys::{STAGE_LABEL, TASK_LABEL};
use crate::controller::pod_state;

/// One task of the mission and its attempts, oldest first.
#[derive(Debug)]
pub struct TaskAttempts<'a> {
    pub stage: String,
    pub task: String,
    /// The FlightTask's object name.
    pub object: String,
    pub attempts: Vec<Attempt<'a>>,
    /// The task has Succeeded or Failed: no attempt comes after these.
    pub finished: bool,
}

impl TaskAttempts<'_> {
    /// `stage/task`, as the tree and the prefixes name it.
    pub fn path(&self) -> String {
        format!("{}/{}", self.stage, self.task)
    }
}

/// One attempt of a task.
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    pub number: u32,
    /// Its pod, while it is still there.
    pub pod: Option<&'a Pod>,
    /// Its pod failed, or the task recorded it as failed.
    pub failed: bool,
}

/// Which attempts to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// The newest of each task.
    Latest,
    All,
    Number(u32),
}

impl std::str::FromStr for Which {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "latest" => Ok(Which::Latest),
            "all" => Ok(Which::All),
            number => match number.parse::<u32>() {
                Ok(n) if n > 0 => Ok(Which::Number(n)),
                _ => Err(format!(
                    "{text:?} is not an attempt: give a number from 1, \"latest\" or \"all\""
                )),
            },
        }
    }
}

/// Every task of the mission with its attempts, in stage then task order.
pub fn of_mission<'a>(tasks: &[FlightTask], pods: &'a [Pod]) -> Vec<TaskAttempts<'a>> {
    let mut found: Vec<TaskAttempts<'a>> = tasks.iter().map(|t| of_task(t, pods)).collect();
    found.sort_by(|a, b| (&a.stage, &a.task).cmp(&(&b.stage, &b.task)));
    found
}

fn of_task<'a>(task: &FlightTask, pods: &'a [Pod]) -> TaskAttempts<'a> {
    let object = task.name_any();
    let label = |key: &str| task.labels().get(key).cloned();
    let status = task.status.clone().unwrap_or_default();
    let mut attempts: BTreeMap<u32, Attempt<'a>> = BTreeMap::new();
    let mut note = |number: u32, pod: Option<&'a Pod>, failed: bool| {
        let entry = attempts.entry(number).or_insert(Attempt {
            number,
            pod: None,
            failed: false,
        });
        entry.pod = entry.pod.or(pod);
        entry.failed |= failed;
    };
    for failure in &status.failures {
        if let Ok(number) = u32::try_from(failure.attempt) {
            note(number, None, true);
        }
    }
    let current = (status.pod_ref.as_ref()).and_then(|p| pod_state::attempt_of(&object, &p.name));
    if let Some(number) = current {
        note(number, None, false);
    }
    for owned in pod_state::owned_pods(task, pods) {
        note(
            owned.attempt,
            Some(owned.pod),
            pod_state::has_failed(owned.pod),
        );
    }
    TaskAttempts {
        stage: label(STAGE_LABEL).unwrap_or_default(),
        task: label(TASK_LABEL).unwrap_or_else(|| object.clone()),
        object,
        attempts: attempts.into_values().collect(),
        finished: status.phase.is_some_and(|phase| phase.is_finished()),
    }
}

/// Whether `arg` names this task: its name in the stage, `stage/task`, or
/// the FlightTask's object name.
pub fn names(task: &TaskAttempts, arg: &str) -> bool {
    arg == task.task || arg == task.path() || arg == task.object
}

/// The attempts `which` asks for, only failed ones with `failed_only`.
pub fn chosen<'a>(task: &TaskAttempts<'a>, which: Which, failed_only: bool) -> Vec<Attempt<'a>> {
    let mut candidates = (task.attempts.iter()).filter(|a| !failed_only || a.failed);
    match which {
        Which::All => candidates.copied().collect(),
        Which::Latest => candidates.next_back().copied().into_iter().collect(),
        Which::Number(n) => candidates.filter(|a| a.number == n).copied().collect(),
    }
}

/// The container whose output is a pod's own: the one kubectl's
/// `default-container` annotation names, else the first.
pub fn default_container(pod: &Pod) -> Option<String> {
    let named = pod
        .annotations()
        .get("kubectl.kubernetes.io/default-container");
    let first = (pod.spec.as_ref()).and_then(|s| s.containers.first().map(|c| c.name.clone()));
    named.cloned().or(first)
}

/// Every container of the pod, init containers (weapon sidecars among them)
/// first, as `--all-containers` reads them.
pub fn all_containers(pod: &Pod) -> Vec<String> {
    let Some(spec) = pod.spec.as_ref() else {
        return Vec::new();
    };
    let init = spec.init_containers.iter().flatten();
    init.chain(&spec.containers)
        .map(|c| c.name.clone())
        .collect()
}

#[cfg(test)]
mod tests;
