//! The tree as status lines, for pipes and CI logs where nothing can be redrawn:
//! one line for the mission and for each stage and task that exists. A line's
//! text holds no running clock, so it changes only when its object does and the
//! caller prints exactly the lines whose text differs from the last it printed.

use super::state::{State, elapsed};
use super::view::{MissionView, StageView, TaskView};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    /// Identifies the object across views (namespace included).
    pub key: String,
    pub text: String,
}

/// Each stage's tasks, then the stage, and the mission last, so that lines
/// changed together read as cause, then effect; stages and tasks not created
/// yet have none.
pub fn status_lines(
    view: &MissionView,
    show_namespace: bool,
    expand_replicas: bool,
) -> Vec<StatusLine> {
    let mission = match show_namespace {
        true => format!("{}/{}", view.namespace, view.name),
        false => view.name.clone(),
    };
    let line = |path: String, text: String| StatusLine {
        key: format!("{}/{path}", view.namespace),
        text,
    };
    let mut lines = Vec::new();
    for stage in view.stages.iter().filter(|stage| stage.created) {
        let path = format!("{}/{}", view.name, stage.name);
        for task in stage.tasks.iter().filter(|task| task.created) {
            let text = task_text(task, &format!("{mission}/{}", stage.name));
            lines.push(line(format!("{path}/{}", task.name), text));
            let replicas = task.replicas.as_ref().filter(|_| expand_replicas);
            for replica in replicas.iter().flat_map(|replicas| &replicas.views) {
                let text = task_text(replica, &format!("{mission}/{}", stage.name));
                lines.push(line(format!("{path}/{}", replica.name), text));
            }
        }
        lines.push(line(path, stage_text(stage, &mission)));
    }
    lines.push(line(view.name.clone(), mission_text(view, &mission)));
    lines
}

fn stage_text(stage: &StageView, mission: &str) -> String {
    let state = State::from(stage.phase);
    let counts = stage.counts();
    let mut text = format!(
        "stage {mission}/{} {} ({}/{} tasks)",
        stage.name,
        state.word(),
        counts.succeeded,
        counts.total
    );
    if let Some(request) = stage.request {
        text.push_str(&format!(", {request}"));
    }
    if matches!(state, State::Failed | State::AwaitingApproval) {
        append_message(&mut text, stage.message.as_deref());
    }
    text
}

fn task_text(task: &TaskView, stage: &str) -> String {
    let state = State::from(task.phase);
    let mut text = format!("task {stage}/{} {}", task.name, state.word());
    if let Some(replicas) = &task.replicas {
        text.push_str(&format!(" ({})", replicas.summary()));
    }
    if let Some(node) = &task.node {
        text.push_str(&format!(" on {node}"));
    }
    if let (retries @ 1.., max) = task.retries {
        text.push_str(&format!(", retry {retries}/{max}"));
    }
    if let Some(pod) = &task.pod {
        text.push_str(&format!(", pod {}", pod.name));
        let weapons: Vec<String> = (pod.weapons.iter())
            .map(|w| format!("{} {} {}", w.name, w.state, w.remaining))
            .collect();
        if !weapons.is_empty() {
            text.push_str(&format!(", weapons {}", weapons.join(", ")));
        }
    }
    if let Some(request) = task.request {
        text.push_str(&format!(", {request}"));
    }
    // A pending task says what it waits for (an aircraft, its turn, a
    // gate), so a CI log shows why nothing moves.
    if matches!(state, State::Failed | State::Retrying | State::Pending) {
        append_message(&mut text, task.message.as_deref());
    }
    text
}

fn mission_text(view: &MissionView, mission: &str) -> String {
    let state = State::from(view.phase);
    let mut text = format!("mission {mission} {}", state.word());
    if let (retries @ 1.., max) = view.retries {
        text.push_str(&format!(", retry {retries}/{max}"));
    }
    if view.suspended {
        text.push_str(", suspended");
    }
    if let Some(finished) = view.finished.filter(|_| view.is_finished()) {
        let counts = view.counts();
        text.push_str(&format!(
            " ({}/{} tasks succeeded",
            counts.succeeded, counts.total
        ));
        if let Some(took) = elapsed(view.started, Some(finished), finished) {
            text.push_str(&format!(" in {took}"));
        }
        text.push(')');
    }
    if matches!(state, State::Failed | State::Cancelled) {
        append_message(&mut text, view.message.as_deref());
    }
    text
}

fn append_message(text: &mut String, message: Option<&str>) {
    if let Some(message) = message.filter(|m| !m.is_empty()) {
        text.push_str(": ");
        text.push_str(message);
    }
}
