//! A flight task as the command line names it: its FlightTask's name
//! (`far-sea.strike.strike-1`), `flighttask/NAME` (or `ft/NAME`) as kubectl
//! prints it, or `MISSION/TASK` and `MISSION/STAGE/TASK` with the names the
//! tree and `logs` show.

use anyhow::{Context, bail};
use kube::api::ListParams;
use kube::{Api, ResourceExt};

use crate::api::FlightTask;
use crate::api::keys::{MISSION_LABEL, STAGE_LABEL, TASK_LABEL};

/// What a task argument names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskArg {
    /// A FlightTask by its object name.
    Object(String),
    /// A task of a mission by its name in its stage (and the stage's, when given).
    InMission {
        mission: String,
        stage: Option<String>,
        task: String,
    },
}

impl TaskArg {
    pub fn parse(arg: &str) -> Result<TaskArg, String> {
        let parts: Vec<&str> = arg.split('/').collect();
        if parts.iter().any(|part| part.is_empty()) {
            return Err(format!(
                "{arg:?} is not a task: give FLIGHTTASK, MISSION/TASK or MISSION/STAGE/TASK"
            ));
        }
        let kind = |word: &str| {
            let word = word.to_ascii_lowercase();
            let word = word
                .strip_suffix(".airforce.mil")
                .unwrap_or(&word)
                .to_string();
            matches!(word.as_str(), "flighttask" | "flighttasks" | "ft")
        };
        Ok(match parts.as_slice() {
            [name] => TaskArg::Object(name.to_string()),
            [first, name] if kind(first) => TaskArg::Object(name.to_string()),
            [mission, task] => TaskArg::InMission {
                mission: mission.to_string(),
                stage: None,
                task: task.to_string(),
            },
            [mission, stage, task] => TaskArg::InMission {
                mission: mission.to_string(),
                stage: Some(stage.to_string()),
                task: task.to_string(),
            },
            _ => {
                return Err(format!(
                    "{arg:?} has too many parts: give FLIGHTTASK, MISSION/TASK or MISSION/STAGE/TASK"
                ));
            }
        })
    }

    /// The FlightTask named, read from `namespace`; an error that says how
    /// to name it when there is none, or when a task name fits several stages.
    pub async fn find(&self, api: &Api<FlightTask>, namespace: &str) -> anyhow::Result<FlightTask> {
        let (mission, stage, task) = match self {
            TaskArg::Object(name) => {
                let found = (api.get_opt(name).await).with_context(|| {
                    format!("cannot read FlightTask {name} in namespace {namespace}")
                })?;
                return found.with_context(|| {
                    format!(
                        "no FlightTask {name} in namespace {namespace}: name it <mission>.<stage>.<task>, \
                         MISSION/TASK or MISSION/STAGE/TASK (`kubectl get ft -n {namespace}` lists them)"
                    )
                });
            }
            TaskArg::InMission {
                mission,
                stage,
                task,
            } => (mission, stage, task),
        };
        let params = ListParams::default().labels(&format!("{MISSION_LABEL}={mission}"));
        let tasks = (api.list(&params).await)
            .with_context(|| format!("cannot list the flight tasks of mission {mission}"))?
            .items;
        let label = |t: &FlightTask, key: &str| t.labels().get(key).cloned().unwrap_or_default();
        let matching: Vec<&FlightTask> = (tasks.iter())
            .filter(|t| label(t, TASK_LABEL) == *task)
            .filter(|t| {
                stage
                    .as_ref()
                    .is_none_or(|stage| label(t, STAGE_LABEL) == *stage)
            })
            .collect();
        match matching.as_slice() {
            [one] => Ok((*one).clone()),
            [] => {
                let mut known: Vec<String> = (tasks.iter())
                    .map(|t| format!("{}/{}", label(t, STAGE_LABEL), label(t, TASK_LABEL)))
                    .collect();
                known.sort();
                match known.is_empty() {
                    true => {
                        bail!("mission {mission} has no flight task in namespace {namespace} yet")
                    }
                    false => bail!(
                        "mission {mission} has no task {task}: its tasks are {}",
                        known.join(", ")
                    ),
                }
            }
            several => bail!(
                "task {task} is in {} stages of mission {mission}: name it {mission}/STAGE/{task}",
                several.len()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_is_named_by_object_kind_and_object_or_mission_path() {
        let object = |name: &str| Ok(TaskArg::Object(name.into()));
        assert_eq!(
            TaskArg::parse("far-sea.strike.strike-1"),
            object("far-sea.strike.strike-1")
        );
        assert_eq!(
            TaskArg::parse("ft/far-sea.strike.strike-1"),
            object("far-sea.strike.strike-1")
        );
        assert_eq!(
            TaskArg::parse("flighttask.airforce.mil/a.b.c"),
            object("a.b.c")
        );
        assert_eq!(
            TaskArg::parse("far-sea/strike-1"),
            Ok(TaskArg::InMission {
                mission: "far-sea".into(),
                stage: None,
                task: "strike-1".into()
            })
        );
        assert_eq!(
            TaskArg::parse("far-sea/strike/strike-1"),
            Ok(TaskArg::InMission {
                mission: "far-sea".into(),
                stage: Some("strike".into()),
                task: "strike-1".into()
            })
        );
        assert!(TaskArg::parse("far-sea/").is_err());
        assert!(TaskArg::parse("a/b/c/d").is_err());
    }
}
