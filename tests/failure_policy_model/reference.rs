//! The reference model: the failure policy's rules, simulated second by
//! second from their description, sharing no code with the plans.

use kubectl_airforce::api::{
    FlightTaskPhase, MissionPhase, StageFailureAction, StagePhase, StageType,
};

use super::missions::Spec;
use super::{FLIGHT, MISSION_BACKOFF, Outcome};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Task {
    NotStarted,
    Flying { attempt: usize, lands: i64 },
    Waiting { until: i64 },
    Succeeded,
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    NotStarted,
    Running,
    Succeeded,
    Failed { at: i64 },
}

struct TaskState {
    state: Task,
    retries_spent: u32,
    next_attempt: usize,
}

/// The rules, simulated second by second: a task's attempt flies FLIGHT
/// seconds; a failed attempt with retries left is tried again after 2, 4, 8…
/// seconds; a stage starts its tasks as their order or dependencies allow and
/// starts nothing after one of them failed; a stage fails once a task failed
/// and none flies; a stage starts once every stage it depends on succeeded
/// (or, under continue, ended); under abort no stage starts after one failed;
/// a failed mission with retries left runs the failed tasks of its failed
/// stages again, with fresh retries, MISSION_BACKOFF×2^n seconds after its
/// last stage failure.
pub fn reference(spec: &Spec) -> Outcome {
    let mut tasks: Vec<Vec<TaskState>> = (spec.stages.iter())
        .map(|stage| {
            (stage.tasks.iter())
                .map(|_| TaskState {
                    state: Task::NotStarted,
                    retries_spent: 0,
                    next_attempt: 1,
                })
                .collect()
        })
        .collect();
    let mut stages = vec![Stage::NotStarted; spec.stages.len()];
    let mut retries = 0;
    let fly = |task: &mut TaskState, now: i64| {
        task.state = Task::Flying {
            attempt: task.next_attempt,
            lands: now + FLIGHT,
        };
        task.next_attempt += 1;
    };
    for now in 0..100_000 {
        for (s, stage) in spec.stages.iter().enumerate() {
            for (t, task) in tasks[s].iter_mut().enumerate() {
                match task.state {
                    Task::Flying { attempt, lands } if lands == now => {
                        let failed = stage.tasks[t]
                            .fails
                            .get(attempt - 1)
                            .copied()
                            .unwrap_or(false);
                        task.state = if !failed {
                            Task::Succeeded
                        } else if task.retries_spent < stage.tasks[t].retries {
                            task.retries_spent += 1;
                            Task::Waiting {
                                until: now + (1 << task.retries_spent),
                            }
                        } else {
                            Task::Failed
                        };
                    }
                    Task::Waiting { until } if until == now => fly(task, now),
                    _ => {}
                }
            }
        }
        loop {
            let mut changed = false;
            for (s, stage) in spec.stages.iter().enumerate() {
                if stages[s] != Stage::Running {
                    continue;
                }
                let states: Vec<Task> = tasks[s].iter().map(|t| t.state).collect();
                let failed = states.contains(&Task::Failed);
                for t in 0..stage.tasks.len() {
                    let deps: Vec<usize> = match stage.kind {
                        StageType::Sequential => (t > 0).then(|| t - 1).into_iter().collect(),
                        StageType::Parallel => Vec::new(),
                        StageType::Mixed => stage.tasks[t].deps.clone(),
                    };
                    let ready = deps.iter().all(|d| states[*d] == Task::Succeeded);
                    if !failed && ready && states[t] == Task::NotStarted {
                        fly(&mut tasks[s][t], now);
                        changed = true;
                    }
                }
                let states: Vec<Task> = tasks[s].iter().map(|t| t.state).collect();
                let flying = states
                    .iter()
                    .any(|t| matches!(t, Task::Flying { .. } | Task::Waiting { .. }));
                if states.iter().all(|t| *t == Task::Succeeded) {
                    stages[s] = Stage::Succeeded;
                    changed = true;
                } else if failed && !flying {
                    stages[s] = Stage::Failed { at: now };
                    changed = true;
                }
            }
            let any_failed = stages.iter().any(|s| matches!(s, Stage::Failed { .. }));
            let halted = spec.action == StageFailureAction::Abort && any_failed;
            for (s, stage) in spec.stages.iter().enumerate() {
                let done = |d: &usize| match stages[*d] {
                    Stage::Succeeded => true,
                    Stage::Failed { .. } => spec.action == StageFailureAction::Continue,
                    _ => false,
                };
                if !halted && stages[s] == Stage::NotStarted && stage.deps.iter().all(done) {
                    stages[s] = Stage::Running;
                    changed = true;
                }
            }
            if changed {
                continue;
            }
            let running = stages.contains(&Stage::Running);
            let startable = !halted && stages.contains(&Stage::NotStarted);
            if running || startable {
                break;
            }
            if stages.iter().all(|s| *s == Stage::Succeeded) || retries >= spec.max_retries {
                return reference_outcome(spec, &stages, &tasks, retries, now);
            }
            let last_failure = (stages.iter())
                .filter_map(|s| match s {
                    Stage::Failed { at } => Some(*at),
                    _ => None,
                })
                .max()
                .unwrap_or(now);
            if now < last_failure + MISSION_BACKOFF * (1 << retries) {
                break;
            }
            retries += 1;
            for (s, stage) in stages.iter_mut().enumerate() {
                if matches!(stage, Stage::Failed { .. }) {
                    *stage = Stage::Running;
                    for task in tasks[s].iter_mut().filter(|t| t.state == Task::Failed) {
                        task.retries_spent = 0;
                        fly(task, now);
                    }
                }
            }
        }
    }
    panic!("the reference model did not finish: {spec:?}");
}

fn reference_outcome(
    spec: &Spec,
    stages: &[Stage],
    tasks: &[Vec<TaskState>],
    retries: i32,
    ended_at: i64,
) -> Outcome {
    let all: Vec<Task> = tasks.iter().flatten().map(|t| t.state).collect();
    let count = |wanted: Task| all.iter().filter(|t| **t == wanted).count() as i32;
    let (succeeded, failed) = (count(Task::Succeeded), count(Task::Failed));
    let succeeded_all = stages.iter().all(|s| *s == Stage::Succeeded);
    Outcome {
        phase: if succeeded_all {
            MissionPhase::Succeeded
        } else {
            MissionPhase::Failed
        },
        ended_at,
        retries,
        tasks: (succeeded, failed, all.len() as i32 - succeeded - failed),
        stages: (stages.iter())
            .map(|s| match s {
                Stage::NotStarted => None,
                Stage::Running => Some(StagePhase::Running),
                Stage::Succeeded => Some(StagePhase::Succeeded),
                Stage::Failed { .. } => Some(StagePhase::Failed),
            })
            .collect(),
        task_phases: (spec.stages.iter().enumerate())
            .map(|(s, _)| {
                (tasks[s].iter())
                    .map(|t| match t.state {
                        Task::NotStarted => None,
                        Task::Succeeded => Some(FlightTaskPhase::Succeeded),
                        Task::Failed => Some(FlightTaskPhase::Failed),
                        Task::Flying { .. } | Task::Waiting { .. } => {
                            Some(FlightTaskPhase::Running)
                        }
                    })
                    .collect()
            })
            .collect(),
    }
}
