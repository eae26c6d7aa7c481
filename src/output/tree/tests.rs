//! The tree of a mission caught mid-flight, as snapshots: colour off, colour on
//! and cut to a narrow terminal; plus the status lines and the view's choices.
//!
//! The mission: recon and escort start together, strike needs recon, egress
//! needs strike and escort. Recon succeeded, escort failed (the policy is
//! continue), strike runs its second task on its second attempt, and egress
//! exists only in the spec.

use k8s_openapi::api::core::v1::Pod;
use kube::ResourceExt;
use serde_json::{Value, json};

use super::*;
use crate::api::keys;
use crate::api::{FlightTask, FlightTaskPhase, Mission, MissionPhase, MissionStage, StagePhase};
use crate::controller::names;

const T0: i64 = 1_700_000_000;

fn at(second: i64) -> Timestamp {
    Timestamp::from_second(T0 + second).expect("a valid test time")
}

fn time(second: i64) -> String {
    at(second).to_string()
}

fn task_spec(name: &str, role: &str) -> Value {
    json!({ "name": name, "role": role, "aircraftRequirement": { "type": "j20" } })
}

fn mission() -> Mission {
    serde_json::from_value(json!({
        "apiVersion": "airforce.mil/v1alpha1",
        "kind": "Mission",
        "metadata": { "name": "far-sea", "namespace": "air", "uid": "uid-far-sea" },
        "spec": {
            "config": { "failurePolicy": { "maxRetries": 1, "stageFailureAction": "continue" } },
            "stages": [
                { "name": "recon", "type": "parallel",
                  "flightTasks": [task_spec("recon-1", "recon"), task_spec("recon-2", "recon")] },
                { "name": "escort", "type": "parallel",
                  "flightTasks": [task_spec("escort-1", "escort"), task_spec("escort-2", "escort")] },
                { "name": "strike", "type": "sequential", "dependsOn": ["recon"],
                  "flightTasks": [task_spec("strike-1", "strike"), task_spec("strike-2", "strike"),
                                  task_spec("strike-3", "strike")] },
                { "name": "egress", "type": "parallel", "dependsOn": ["strike", "escort"],
                  "flightTasks": [task_spec("cover-1", "escort"), task_spec("bda", "recon")] },
            ],
        },
        "status": {
            "phase": "Running",
            "startTime": time(0),
            "message": "1 stage running, 1 succeeded, 1 failed, 1 pending",
        },
    }))
    .expect("a Mission")
}

fn owner(kind: &str, name: &str) -> Value {
    json!([{ "apiVersion": "airforce.mil/v1alpha1", "kind": kind, "name": name,
             "uid": format!("uid-{name}"), "controller": true }])
}

fn stage(mission: &Mission, index: usize, status: Value) -> MissionStage {
    let template = &mission.spec.stages[index];
    let name = names::stage("far-sea", &template.name);
    let labels = names::labels("far-sea", &template.name, None);
    serde_json::from_value(json!({
        "apiVersion": "airforce.mil/v1alpha1",
        "kind": "MissionStage",
        "metadata": { "name": name, "namespace": "air", "uid": format!("uid-{name}"),
                      "labels": labels, "ownerReferences": owner("Mission", "far-sea") },
        "spec": {
            "missionRef": { "name": "far-sea" },
            "stageName": template.name,
            "stageIndex": index,
            "stageType": template.stage_type,
            "flightTasks": template.flight_tasks,
        },
        "status": status,
    }))
    .expect("a MissionStage")
}

/// A task's status: where it ran and from when to when.
fn flown(phase: &str, node: &str, start: i64, end: Option<i64>, message: &str) -> Value {
    json!({
        "phase": phase,
        "schedulingInfo": { "assignedNode": node },
        "startTime": time(start),
        "completionTime": end.map(time),
        "message": message,
    })
}

fn succeeded(node: &str, start: i64, end: i64) -> Value {
    flown(
        "Succeeded",
        node,
        start,
        Some(end),
        &format!("succeeded on {node}"),
    )
}

/// A running task's status with one weapon armed and one still warming up.
fn armed(mut status: Value) -> Value {
    status["weapons"] = json!([
        {"name": "pl-15", "state": "READY", "remaining": 4, "selfCheckPassed": true},
        {"name": "pl-10", "state": "INITIALIZING", "remaining": 2},
    ]);
    status
}

/// A task on its `attempt`th pod, and that pod in `pod_phase`.
fn sortie(
    (stage, name): (&str, &str),
    mut status: Value,
    attempt: u32,
    pod_phase: &str,
) -> (FlightTask, Pod) {
    let task_name = names::flight_task("far-sea", stage, name);
    let pod_name = names::pod(&task_name, attempt);
    status["retryCount"] = json!(attempt - 1);
    status["podRef"] = json!({ "name": pod_name });
    let task = serde_json::from_value(json!({
        "apiVersion": "airforce.mil/v1alpha1",
        "kind": "FlightTask",
        "metadata": { "name": task_name, "namespace": "air", "uid": format!("uid-{task_name}"),
                      "labels": names::labels("far-sea", stage, Some(name)),
                      "ownerReferences": owner("MissionStage", &names::stage("far-sea", stage)) },
        "spec": { "stageRef": { "name": names::stage("far-sea", stage) } },
        "status": status,
    }))
    .expect("a FlightTask");
    let pod = serde_json::from_value(json!({
        "metadata": { "name": pod_name, "namespace": "air",
                      "labels": names::labels("far-sea", stage, Some(name)),
                      "ownerReferences": owner("FlightTask", &task_name) },
        "status": { "phase": pod_phase },
    }))
    .expect("a Pod");
    (task, pod)
}

struct World {
    mission: Mission,
    stages: Vec<MissionStage>,
    tasks: Vec<FlightTask>,
    pods: Vec<Pod>,
}

impl World {
    fn view(&self) -> MissionView {
        let stages: Vec<&MissionStage> = self.stages.iter().collect();
        let tasks: Vec<&FlightTask> = self.tasks.iter().collect();
        let pods: Vec<&Pod> = self.pods.iter().collect();
        MissionView::build(&self.mission, &stages, &tasks, &pods)
    }
}

fn mid_flight() -> World {
    let mission = mission();
    let escort_failed = json!({ "phase": "Failed", "startTime": time(1), "completionTime": time(52),
                                "message": "1 of 2 tasks failed: escort-2" });
    let stages = vec![
        stage(
            &mission,
            0,
            json!({ "phase": "Succeeded", "startTime": time(1), "completionTime": time(40) }),
        ),
        stage(&mission, 1, escort_failed),
        stage(
            &mission,
            2,
            json!({ "phase": "Running", "startTime": time(41) }),
        ),
    ];
    let no_retries_left = "attempt 4 on j20-03 failed: container task exited with code 3; \
                           no retries left after 3";
    let retry_started = "attempt 1 on j20-01 failed: container task exited with code 1; \
                         retry 1 of 3 started";
    let (tasks, pods) = [
        sortie(
            ("recon", "recon-1"),
            succeeded("j20-02", 2, 30),
            1,
            "Succeeded",
        ),
        sortie(
            ("recon", "recon-2"),
            succeeded("j20-04", 2, 38),
            1,
            "Succeeded",
        ),
        sortie(
            ("escort", "escort-1"),
            succeeded("j20-03", 2, 35),
            1,
            "Succeeded",
        ),
        sortie(
            ("escort", "escort-2"),
            flown("Failed", "j20-03", 2, Some(52), no_retries_left),
            4,
            "Failed",
        ),
        sortie(
            ("strike", "strike-1"),
            succeeded("j20-01", 42, 80),
            1,
            "Succeeded",
        ),
        sortie(
            ("strike", "strike-2"),
            armed(flown("Running", "j20-01", 81, None, retry_started)),
            2,
            "Running",
        ),
    ]
    .into_iter()
    .unzip();
    World {
        mission,
        stages,
        tasks,
        pods,
    }
}

fn options(palette: Palette, width: Option<usize>) -> RenderOptions {
    RenderOptions {
        palette,
        now: at(125),
        width,
        show_namespace: false,
        expand_replicas: false,
    }
}

#[test]
fn the_tree_without_colour_has_no_escape_codes() {
    let tree = render(&mid_flight().view(), &options(Palette::PLAIN, None));
    assert!(!tree.contains('\u{1b}'));
    insta::assert_snapshot!("mid_flight_plain", tree);
}

#[test]
fn the_tree_in_colour_paints_phases_and_bars() {
    let tree = render(
        &mid_flight().view(),
        &options(Palette { enabled: true }, None),
    );
    assert!(tree.contains('\u{1b}'));
    insta::assert_snapshot!("mid_flight_colour", tree);
}

#[test]
fn on_a_narrow_terminal_every_line_is_cut_to_its_width() {
    let tree = render(&mid_flight().view(), &options(Palette::PLAIN, Some(48)));
    assert!(
        tree.lines().all(|line| measure_text_width(line) <= 48),
        "{tree}"
    );
    insta::assert_snapshot!("mid_flight_narrow", tree);
}

#[test]
fn cutting_a_coloured_line_keeps_its_colours_closed() {
    let tree = render(
        &mid_flight().view(),
        &options(Palette { enabled: true }, Some(30)),
    );
    for line in tree.lines() {
        assert!(measure_text_width(line) <= 30, "{line:?}");
        assert!(line.matches("\u{1b}[").count() % 2 == 0, "{line:?}");
    }
}

#[test]
fn the_status_lines_say_where_everything_is_without_clocks() {
    let lines: Vec<String> = status_lines(&mid_flight().view(), false, false)
        .into_iter()
        .map(|line| line.text)
        .collect();
    insta::assert_snapshot!("mid_flight_status_lines", lines.join("\n"));
}

#[test]
fn stages_come_in_dependency_order_whatever_the_spec_order() {
    let mut world = mid_flight();
    world.mission.spec.stages.rotate_left(2);
    let view = world.view();
    let order: Vec<&str> = view.stages.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(order, ["recon", "strike", "escort", "egress"]);
}

#[test]
fn a_stage_not_created_yet_shows_its_spec_tasks_as_pending() {
    let view = mid_flight().view();
    let egress = &view.stages[3];
    assert!(!egress.created);
    assert_eq!(egress.phase, StagePhase::Pending);
    let tasks: Vec<(&str, bool)> = egress
        .tasks
        .iter()
        .map(|t| (t.name.as_str(), t.created))
        .collect();
    assert_eq!(tasks, [("cover-1", false), ("bda", false)]);
    assert_eq!(
        view.counts(),
        Counts {
            total: 9,
            succeeded: 4,
            failed: 1
        }
    );
}

#[test]
fn stages_and_tasks_are_found_by_their_spec_names_whatever_their_object_names() {
    let mut world = mid_flight();
    // Objects named as an earlier version named them, uids and labels kept.
    world.stages[0].metadata.name = Some("far-sea-recon".into());
    for task in (world.tasks.iter_mut()).filter(|t| t.labels()[keys::STAGE_LABEL] == "recon") {
        let old = task.name_any().replace('.', "-");
        task.metadata.name = Some(old);
    }
    let view = world.view();
    let recon = &view.stages[0];
    assert!(recon.created);
    assert_eq!(recon.phase, StagePhase::Succeeded);
    let tasks: Vec<(&str, &str, bool)> = (recon.tasks.iter())
        .map(|t| (t.name.as_str(), t.object_name.as_str(), t.created))
        .collect();
    assert_eq!(
        tasks,
        [
            ("recon-1", "far-sea-recon-recon-1", true),
            ("recon-2", "far-sea-recon-recon-2", true)
        ]
    );
}

#[test]
fn a_task_of_another_stage_with_the_same_short_name_is_not_taken() {
    let mut world = mid_flight();
    // A task labelled like recon-1 but controlled by another stage.
    let mut stranger = world.tasks[0].clone();
    stranger.metadata.name = Some("stranger".into());
    stranger
        .metadata
        .owner_references
        .as_mut()
        .expect("an owner")[0]
        .uid = "uid-other".into();
    world
        .tasks
        .retain(|t| t.labels()[keys::TASK_LABEL] != "recon-1");
    world.tasks.push(stranger);
    let view = world.view();
    let recon_1 = &view.stages[0].tasks[0];
    assert_eq!((recon_1.name.as_str(), recon_1.created), ("recon-1", false));
}

/// The controllers plan only with children they control; the tree shows the
/// same ones, so `watch` never shows a stage the mission controller ignores.
#[test]
fn a_stage_with_the_missions_labels_but_no_controller_is_not_shown() {
    let mut world = mid_flight();
    let recon = (world.stages.iter_mut())
        .find(|stage| stage.spec.stage_name == "recon")
        .expect("a recon stage");
    recon.metadata.owner_references = None;
    let view = world.view();
    let recon = (view.stages.iter())
        .find(|stage| stage.name == "recon")
        .expect("recon in the spec");
    assert!(!recon.created, "{recon:?}");
}

#[test]
fn a_finished_mission_is_timed_to_its_completion_not_to_now() {
    let mut world = mid_flight();
    let status = world.mission.status.as_mut().expect("status");
    status.phase = Some(MissionPhase::Failed);
    status.completion_time = Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(at(65)));
    let tree = render(&world.view(), &options(Palette::PLAIN, None));
    let first = tree.lines().next().expect("a mission line");
    assert!(first.starts_with("✖ far-sea  Failed  1m05s  "), "{first}");
}

#[test]
fn durations_read_like_a_stopwatch() {
    let run = |seconds| elapsed(Some(at(0)), Some(at(seconds)), at(0));
    assert_eq!(run(7).as_deref(), Some("7s"));
    assert_eq!(run(65).as_deref(), Some("1m05s"));
    assert_eq!(run(3725).as_deref(), Some("1h02m"));
    assert_eq!(elapsed(None, None, at(0)), None);
    assert_eq!(elapsed(Some(at(10)), None, at(5)).as_deref(), Some("0s"));
}

#[test]
fn a_failed_mission_with_a_retry_not_yet_acted_on_is_not_finished() {
    let mut world = mid_flight();
    let status = world.mission.status.as_mut().expect("status");
    status.phase = Some(MissionPhase::Failed);
    assert!(world.view().is_finished());
    world.mission.metadata.annotations = Some(
        [(
            keys::RETRY_REQUEST_ANNOTATION.to_string(),
            "2026-12-01T08:00:00Z".to_string(),
        )]
        .into(),
    );
    assert!(
        !world.view().is_finished(),
        "watch follows it into the retry"
    );
    let status = world.mission.status.as_mut().expect("status");
    status.last_handled_retry = Some("2026-12-01T08:00:00Z".to_string());
    assert!(
        world.view().is_finished(),
        "the retry was acted on and failed again"
    );
}

/// One stage whose one task runs as five replicas: two succeeded, one flies,
/// two not created yet.
fn fanned_out() -> World {
    let mut mission = mission();
    mission.spec.stages.truncate(1);
    mission.spec.stages[0].flight_tasks = vec![
        serde_json::from_value(json!({
            "name": "sweep", "role": "recon", "replicas": 5, "parallelism": 3,
            "aircraftRequirement": { "type": "j20" },
        }))
        .expect("a task"),
    ];
    let stages = vec![stage(
        &mission,
        0,
        json!({ "phase": "Running", "startTime": time(1) }),
    )];
    let flying = flown("Running", "j20-03", 3, None, "running on j20-03");
    let (tasks, pods) = [
        sortie(
            ("recon", "sweep.0"),
            succeeded("j20-01", 2, 10),
            1,
            "Succeeded",
        ),
        sortie(
            ("recon", "sweep.1"),
            succeeded("j20-02", 2, 12),
            1,
            "Succeeded",
        ),
        sortie(("recon", "sweep.2"), flying, 1, "Running"),
    ]
    .into_iter()
    .unzip();
    World {
        mission,
        stages,
        tasks,
        pods,
    }
}

#[test]
fn a_fanned_out_task_is_one_line_of_counts_and_expands_on_request() {
    let view = fanned_out().view();
    let stage = &view.stages[0];
    assert_eq!(stage.tasks.len(), 1);
    let sweep = &stage.tasks[0];
    assert_eq!(
        (sweep.name.as_str(), sweep.phase),
        ("sweep", FlightTaskPhase::Running)
    );
    let replicas = sweep.replicas.as_ref().expect("replicas");
    assert_eq!(
        (
            replicas.total,
            replicas.succeeded,
            replicas.running,
            replicas.failed
        ),
        (5, 2, 1, 0)
    );
    assert_eq!(
        stage.counts(),
        Counts {
            total: 5,
            succeeded: 2,
            failed: 0
        }
    );

    let folded = render(&view, &options(Palette::PLAIN, None));
    assert!(
        folded.contains("2/5 replicas succeeded, 1 running"),
        "{folded}"
    );
    assert!(!folded.contains("sweep.0"), "{folded}");
    let expanded = render(
        &view,
        &RenderOptions {
            expand_replicas: true,
            ..options(Palette::PLAIN, None)
        },
    );
    for replica in [
        "sweep.0",
        "sweep.1",
        "sweep.2",
        "pod far-sea.recon.sweep.2-1",
    ] {
        assert!(expanded.contains(replica), "{replica} in\n{expanded}");
    }
    insta::assert_snapshot!("fanned_out_expanded", expanded);

    let lines = |expand: bool| -> Vec<String> {
        (status_lines(&view, false, expand).into_iter())
            .map(|line| line.text)
            .collect()
    };
    assert_eq!(
        lines(false)[0],
        "task far-sea/recon/sweep Running (2/5 replicas succeeded, 1 running)"
    );
    assert_eq!(lines(true).len(), lines(false).len() + 3);
}

#[test]
fn a_request_the_operator_has_not_acted_on_shows_beside_its_part() {
    use crate::api::keys::{CANCEL_ANNOTATION, RETRY_REQUEST_ANNOTATION};
    let mut world = mid_flight();
    let annotate = |task: &mut FlightTask, key: &str, value: &str| {
        let annotations = task.metadata.annotations.get_or_insert_default();
        annotations.insert(key.to_string(), value.to_string());
    };
    for task in &mut world.tasks {
        match task.metadata.name.as_deref() {
            Some("far-sea.strike.strike-2") => annotate(task, CANCEL_ANNOTATION, "true"),
            Some("far-sea.escort.escort-2") => annotate(task, RETRY_REQUEST_ANNOTATION, "r1"),
            // Acted on already: a finished task's stop says nothing more.
            Some("far-sea.recon.recon-1") => annotate(task, CANCEL_ANNOTATION, "true"),
            _ => {}
        }
    }
    let lines: Vec<String> = status_lines(&world.view(), false, false)
        .into_iter()
        .map(|line| line.text)
        .collect();
    let line = |name: &str| {
        (lines.iter())
            .find(|l| l.starts_with(&format!("task far-sea/{name} ")))
            .cloned()
            .unwrap_or_default()
    };
    assert!(
        line("strike/strike-2").contains(", stop requested"),
        "{lines:#?}"
    );
    assert!(
        line("escort/escort-2").contains(", retry requested"),
        "{lines:#?}"
    );
    assert!(!line("recon/recon-1").contains("requested"), "{lines:#?}");
    let tree = render(&world.view(), &options(Palette::PLAIN, None));
    assert!(tree.contains("(stop requested)"), "{tree}");
}

#[test]
fn a_suspended_mission_says_so_on_its_line() {
    let mut world = mid_flight();
    world.mission.spec.suspend = Some(true);
    let lines = status_lines(&world.view(), false, false);
    let first = lines
        .iter()
        .find(|l| l.text.starts_with("mission "))
        .expect("a mission line");
    assert!(first.text.contains(", suspended"), "{}", first.text);
}

#[test]
fn a_pending_tasks_line_says_what_it_waits_for() {
    let mut world = mid_flight();
    let waiting = json!({ "phase": "Pending", "message": "waiting for an aircraft: 0/4 aircraft are available" });
    let (task, pod) = sortie(("strike", "strike-3"), waiting, 1, "Pending");
    world.tasks.push(task);
    world.pods.push(pod);
    let lines = status_lines(&world.view(), false, false);
    let line = (lines.iter())
        .find(|l| l.text.starts_with("task far-sea/strike/strike-3 "))
        .expect("a line for the pending task");
    assert_eq!(
        line.text,
        "task far-sea/strike/strike-3 Pending, pod far-sea.strike.strike-3-1: waiting for an aircraft: 0/4 aircraft are available"
    );
}
