//! Unit tests of the weapon plan.
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::*;
use crate::api::FlightTaskPhase;
use crate::api::conditions::find;
use crate::api::flight_task::{FlightTaskStatus, WeaponLoadout, WeaponRef};
use crate::api::weapon::{RollingUpdate, UpdateStrategy, VersionRecord};
use crate::controller::pod_builder::{Attempt, build};
use crate::controller::task_fixtures::{self, SIMULATOR_IMAGE, at, bound, pod_settings, running};
use crate::placement::SchedulerChoice;

const NEW: &str = "registry.local/pl-15:2.2";

fn weapon(strategy: UpdateStrategyType, max_unavailable: Option<IntOrString>) -> Weapon {
    surging_weapon(strategy, max_unavailable, None)
}

fn surging_weapon(
    strategy: UpdateStrategyType,
    max_unavailable: Option<IntOrString>,
    max_surge: Option<IntOrString>,
) -> Weapon {
    let mut weapon = task_fixtures::weapon("pl-15");
    weapon.metadata.generation = Some(3);
    weapon.spec.image.as_mut().unwrap().tag = "2.2".into();
    weapon.spec.update_strategy = UpdateStrategy {
        strategy_type: strategy,
        rolling_update: Some(RollingUpdate {
            max_unavailable,
            max_surge,
        }),
    };
    weapon
}

/// The weapon as it was before the tag change, to build old pods with.
fn old(weapon: &Weapon) -> Weapon {
    let mut old = weapon.clone();
    old.spec.image.as_mut().unwrap().tag = "2.1".into();
    old
}

fn task(name: &str, loadout: Vec<(&str, i32, Option<&str>)>) -> FlightTask {
    let mut task = task_fixtures::task();
    task.metadata.name = Some(name.into());
    task.metadata.uid = Some(format!("{name}-uid"));
    task.spec.template.aircraft_requirement.aircraft_type = Some("j20".into());
    task.spec.template.weapon_loadout = loadout
        .into_iter()
        .map(|(weapon, quantity, namespace)| WeaponLoadout {
            weapon_ref: WeaponRef {
                name: weapon.into(),
                namespace: namespace.map(str::to_string),
            },
            quantity,
            mount_points: Vec::new(),
        })
        .collect();
    task
}

fn carrying(name: &str) -> FlightTask {
    task(name, vec![("pl-15", 2, None)])
}

fn in_phase(mut task: FlightTask, phase: FlightTaskPhase) -> FlightTask {
    task.status = Some(FlightTaskStatus {
        phase: Some(phase),
        ..FlightTaskStatus::default()
    });
    task
}

/// Attempt `number` of `task`'s pod, armed with `weapon` as it is.
fn pod(task: &FlightTask, weapon: &Weapon, number: u32) -> Pod {
    let attempt = Attempt { number, retry: 0 };
    let weapons = [weapon.clone()];
    let pod = build(
        task,
        &weapons,
        &[],
        attempt,
        &[],
        &pod_settings(SchedulerChoice::Aircraft),
    )
    .expect("it builds");
    running(pod, "j20-1", 0)
}

fn terminating(mut pod: Pod) -> Pod {
    pod.metadata.deletion_timestamp = Some(Time(at(5)));
    pod
}

fn pending(mut pod: Pod) -> Pod {
    pod.status = None;
    pod.spec.as_mut().expect("a spec").node_name = None;
    pod
}

fn planned(weapon: &Weapon, tasks: &[FlightTask], pods: &[Pod]) -> WeaponPlan {
    planned_at(weapon, tasks, pods, 10)
}

/// The plan at second `now`, the weapon its only namesake, the armoury
/// `weapons`.
fn planned_at(weapon: &Weapon, tasks: &[FlightTask], pods: &[Pod], now: i64) -> WeaponPlan {
    planned_among(weapon, std::slice::from_ref(weapon), tasks, pods, now)
}

fn planned_among(
    weapon: &Weapon,
    namesakes: &[Weapon],
    tasks: &[FlightTask],
    pods: &[Pod],
    now: i64,
) -> WeaponPlan {
    plan(&WeaponObserved {
        weapon,
        tasks,
        pods,
        simulator_image: SIMULATOR_IMAGE,
        namesakes: Namesakes {
            weapons: namesakes,
            armoury: Some("weapons"),
        },
        now: Time(at(now)),
    })
}

fn deleted(plan: &WeaponPlan) -> Vec<&str> {
    plan.delete.iter().map(|p| p.name.as_str()).collect()
}

/// Three running tasks whose pods all carry the old image.
fn three_out_of_date(weapon: &Weapon) -> (Vec<FlightTask>, Vec<Pod>) {
    let tasks: Vec<FlightTask> = ["a", "b", "c"].into_iter().map(carrying).collect();
    let pods = tasks.iter().map(|t| pod(t, &old(weapon), 1)).collect();
    (tasks, pods)
}

#[test]
fn max_unavailable_is_an_integer_or_a_percentage_of_the_out_of_date_pods_rounded_up() {
    let percent = |p: &str| IntOrString::String(p.into());
    assert_eq!(max_unavailable(Some(&IntOrString::Int(2)), 5, false), 2);
    assert_eq!(max_unavailable(Some(&percent("25%")), 5, false), 2);
    assert_eq!(max_unavailable(Some(&percent("50%")), 3, false), 2);
    assert_eq!(max_unavailable(Some(&percent("100%")), 4, false), 4);
    assert_eq!(max_unavailable(Some(&percent("250%")), 4, false), 4);
    assert_eq!(max_unavailable(Some(&percent("10%")), 3, false), 1);
}

#[test]
fn max_unavailable_is_one_when_unset_zero_or_unreadable() {
    assert_eq!(max_unavailable(None, 7, false), 1);
    assert_eq!(max_unavailable(Some(&IntOrString::Int(0)), 7, false), 1);
    assert_eq!(max_unavailable(Some(&IntOrString::Int(-3)), 7, false), 1);
    assert_eq!(
        max_unavailable(Some(&IntOrString::String("0%".into())), 7, false),
        1
    );
    assert_eq!(
        max_unavailable(Some(&IntOrString::String("x".into())), 7, false),
        1
    );
}

#[test]
fn max_unavailable_may_be_zero_only_when_a_surge_makes_room() {
    let zero = IntOrString::Int(0);
    assert_eq!(max_unavailable(Some(&zero), 4, true), 0);
    assert_eq!(max_unavailable(None, 4, true), 1, "unset is still 1");
    assert_eq!(
        max_unavailable(Some(&IntOrString::String("x".into())), 4, true),
        1
    );
}

#[test]
fn max_surge_is_zero_unless_set_and_reads_like_max_unavailable() {
    let percent = |p: &str| IntOrString::String(p.into());
    assert_eq!(max_surge(None, 4), 0);
    assert_eq!(max_surge(Some(&IntOrString::Int(-1)), 4), 0);
    assert_eq!(max_surge(Some(&percent("bad")), 4), 0);
    assert_eq!(max_surge(Some(&IntOrString::Int(2)), 4), 2);
    assert_eq!(max_surge(Some(&percent("25%")), 5), 2);
}

fn surged(plan: &WeaponPlan) -> Vec<&str> {
    plan.surge.iter().map(|p| p.name.as_str()).collect()
}

fn marked(mut pod: Pod) -> Pod {
    (pod.annotations_mut()).insert(keys::SURGE_ANNOTATION.into(), "true".into());
    pod
}

#[test]
fn a_surging_rolling_update_marks_pods_before_it_deletes_any() {
    let weapon = surging_weapon(
        UpdateStrategyType::RollingUpdate,
        Some(IntOrString::Int(0)),
        Some(IntOrString::Int(1)),
    );
    let (tasks, pods) = three_out_of_date(&weapon);
    let plan = planned(&weapon, &tasks, &pods);
    assert_eq!(surged(&plan), ["a-1"]);
    assert!(plan.delete.is_empty(), "maxUnavailable 0 deletes nothing");
    assert_eq!(plan.status.phase, Some(WeaponPhase::Updating));
    assert_eq!(plan.events.len(), 1);
    assert_eq!(plan.events[0].action, "SurgePod");
}

#[test]
fn a_surge_under_way_uses_the_room_until_its_new_pod_runs() {
    let weapon = surging_weapon(
        UpdateStrategyType::RollingUpdate,
        Some(IntOrString::Int(0)),
        Some(IntOrString::Int(1)),
    );
    let (tasks, mut pods) = three_out_of_date(&weapon);
    // Marked, its new pod not made yet.
    pods[0] = marked(pods[0].clone());
    let plan = planned(&weapon, &tasks, &pods);
    assert!(plan.surge.is_empty() && plan.delete.is_empty());
    // Its new pod waits for an aircraft beside it.
    pods.push(pending(pod(&tasks[0], &weapon, 2)));
    let plan = planned(&weapon, &tasks, &pods);
    assert!(plan.surge.is_empty() && plan.delete.is_empty());
    assert!(plan.status.phase == Some(WeaponPhase::Updating));
    // Its new pod runs and the old one goes: the next task's turn.
    pods[0] = terminating(pods[0].clone());
    pods[3] = pod(&tasks[0], &weapon, 2);
    assert_eq!(surged(&planned(&weapon, &tasks, &pods)), ["b-1"]);
}

#[test]
fn a_surge_with_no_aircraft_for_its_new_pod_gives_way_to_a_delete_when_allowed() {
    let limits = |unavailable| {
        surging_weapon(
            UpdateStrategyType::RollingUpdate,
            Some(IntOrString::Int(unavailable)),
            Some(IntOrString::Int(1)),
        )
    };
    let weapon = limits(1);
    let (tasks, mut pods) = three_out_of_date(&weapon);
    pods.truncate(1);
    let tasks = &tasks[..1];
    pods[0] = marked(pods[0].clone());
    pods.push(pending(pod(&tasks[0], &weapon, 2)));
    let plan = planned(&weapon, tasks, &pods);
    assert_eq!(deleted(&plan), ["a-1"], "its aircraft goes to the new pod");
    // No room to be without a pod: the surge waits.
    assert!(planned(&limits(0), tasks, &pods).delete.is_empty());
    // A new pod with an aircraft of its own just has to start.
    let last = pods.len() - 1;
    pods[last] = bound(pods[last].clone(), "j20-2", 9);
    assert!(planned(&weapon, tasks, &pods).delete.is_empty());
}

#[test]
fn surge_and_unavailability_add_up() {
    let weapon = surging_weapon(
        UpdateStrategyType::RollingUpdate,
        Some(IntOrString::Int(1)),
        Some(IntOrString::Int(1)),
    );
    let (tasks, pods) = three_out_of_date(&weapon);
    let plan = planned(&weapon, &tasks, &pods);
    assert_eq!((surged(&plan), deleted(&plan)), (vec!["a-1"], vec!["b-1"]));
}

#[test]
fn recreate_and_hot_reload_never_surge() {
    for strategy in [UpdateStrategyType::Recreate, UpdateStrategyType::HotReload] {
        let weapon = surging_weapon(strategy, None, Some(IntOrString::Int(3)));
        let (tasks, pods) = three_out_of_date(&weapon);
        assert!(planned(&weapon, &tasks, &pods).surge.is_empty());
    }
}

#[test]
fn a_weapon_whose_pods_all_carry_its_image_is_available_and_deletes_nothing() {
    let weapon = weapon(UpdateStrategyType::RollingUpdate, None);
    let tasks = vec![carrying("a")];
    let pods = vec![pod(&tasks[0], &weapon, 1)];
    let plan = planned(&weapon, &tasks, &pods);
    assert!(plan.delete.is_empty());
    assert!(plan.events.is_empty());
    assert_eq!(plan.status.phase, Some(WeaponPhase::Available));
    let ready = find(&plan.status.conditions, types::READY).expect("Ready");
    assert_eq!(
        (ready.status.as_str(), ready.reason.as_str()),
        ("True", "Available")
    );
    let rolled = find(&plan.status.conditions, types::ROLLED_OUT).expect("RolledOut");
    assert_eq!(rolled.status, "True");
    assert_eq!(plan.status.observed_generation, Some(3));
}

#[test]
fn a_rolling_update_deletes_one_out_of_date_running_pod_by_default() {
    let weapon = weapon(UpdateStrategyType::RollingUpdate, None);
    let (tasks, pods) = three_out_of_date(&weapon);
    let plan = planned(&weapon, &tasks, &pods);
    assert_eq!(deleted(&plan), ["a-1"]);
    assert_eq!(plan.delete[0].namespace, "default");
    assert_eq!(plan.status.phase, Some(WeaponPhase::Updating));
    let ready = find(&plan.status.conditions, types::READY).expect("Ready");
    assert_eq!(
        (ready.status.as_str(), ready.reason.as_str()),
        ("False", "Updating")
    );
    assert_eq!(plan.events.len(), 1);
    assert!(
        plan.events[0].note.contains("a-1"),
        "{}",
        plan.events[0].note
    );
}

#[test]
fn a_rolling_update_waits_while_a_deleted_pod_is_still_going() {
    let weapon = weapon(UpdateStrategyType::RollingUpdate, None);
    let (tasks, mut pods) = three_out_of_date(&weapon);
    pods[0] = terminating(pods[0].clone());
    let plan = planned(&weapon, &tasks, &pods);
    assert!(plan.delete.is_empty());
    assert_eq!(plan.status.phase, Some(WeaponPhase::Updating));
}

#[test]
fn a_rolling_update_waits_while_a_replacement_is_not_running_yet() {
    let weapon = weapon(UpdateStrategyType::RollingUpdate, Some(IntOrString::Int(2)));
    let (tasks, mut pods) = three_out_of_date(&weapon);
    pods[0] = pending(pod(&tasks[0], &weapon, 2));
    let plan = planned(&weapon, &tasks, &pods);
    assert_eq!(
        deleted(&plan),
        ["b-1"],
        "one of two is taken by the replacement"
    );
}

#[test]
fn a_task_whose_seen_pod_is_gone_counts_as_being_replaced() {
    let weapon = weapon(UpdateStrategyType::RollingUpdate, None);
    let (mut tasks, mut pods) = three_out_of_date(&weapon);
    pods.remove(0);
    tasks[0].status = Some(FlightTaskStatus {
        phase: Some(FlightTaskPhase::Running),
        pod_ref: Some(crate::api::flight_task::ObjectRef { name: "a-1".into() }),
        ..FlightTaskStatus::default()
    });
    assert!(planned(&weapon, &tasks, &pods).delete.is_empty());
}

#[test]
fn a_percentage_of_the_out_of_date_pods_is_deleted_at_once() {
    let weapon = weapon(
        UpdateStrategyType::RollingUpdate,
        Some(IntOrString::String("50%".into())),
    );
    let (tasks, pods) = three_out_of_date(&weapon);
    assert_eq!(deleted(&planned(&weapon, &tasks, &pods)), ["a-1", "b-1"]);
}

#[test]
fn recreate_deletes_every_out_of_date_running_pod() {
    let weapon = weapon(UpdateStrategyType::Recreate, None);
    let (tasks, mut pods) = three_out_of_date(&weapon);
    pods.push(pod(&carrying("d"), &weapon, 1));
    let mut tasks = tasks;
    tasks.push(carrying("d"));
    let plan = planned(&weapon, &tasks, &pods);
    assert_eq!(deleted(&plan), ["a-1", "b-1", "c-1"]);
    assert_eq!(plan.status.phase, Some(WeaponPhase::Updating));
}

#[test]
fn pods_that_are_not_running_are_not_rolled() {
    let weapon = weapon(UpdateStrategyType::Recreate, None);
    let (tasks, mut pods) = three_out_of_date(&weapon);
    pods[1] = pending(pods[1].clone());
    assert_eq!(deleted(&planned(&weapon, &tasks, &pods)), ["a-1", "c-1"]);
}

#[test]
fn hot_reload_deletes_nothing_and_reloads_every_running_sidecar_in_place() {
    let weapon = weapon(UpdateStrategyType::HotReload, None);
    let (tasks, pods) = three_out_of_date(&weapon);
    let plan = planned(&weapon, &tasks, &pods);
    assert!(plan.delete.is_empty());
    let reloaded: Vec<(&str, &str, &str)> = (plan.reload.iter())
        .map(|r| (r.pod.name.as_str(), r.container.as_str(), r.image.as_str()))
        .collect();
    assert_eq!(
        reloaded,
        [
            ("a-1", "weapon-pl-15", NEW),
            ("b-1", "weapon-pl-15", NEW),
            ("c-1", "weapon-pl-15", NEW)
        ]
    );
    assert_eq!(plan.status.phase, Some(WeaponPhase::Available));
    let rolled = find(&plan.status.conditions, types::ROLLED_OUT).expect("RolledOut");
    assert_eq!(rolled.status, "False");
    assert_eq!(rolled.reason, reasons::UPDATING);
    assert_eq!(
        rolled.message,
        format!("3 running task pods reloading {NEW} in place")
    );
    assert_eq!(plan.events.len(), 1);
    assert_eq!(plan.events[0].action, "ReloadSidecar");
    assert_eq!(
        plan.events[0].note,
        format!("hot-reloading pl-15 to {NEW} in place: a-1, b-1, c-1")
    );
}

#[test]
fn the_other_strategies_reload_nothing() {
    for strategy in [
        UpdateStrategyType::RollingUpdate,
        UpdateStrategyType::Recreate,
    ] {
        let weapon = weapon(strategy, None);
        let (tasks, pods) = three_out_of_date(&weapon);
        assert!(planned(&weapon, &tasks, &pods).reload.is_empty());
    }
}

#[test]
fn usage_counts_unfinished_tasks_and_sums_their_quantities() {
    let weapon = weapon(UpdateStrategyType::RollingUpdate, None);
    let tasks = vec![
        task(
            "a",
            vec![("pl-15", 2, None), ("pl-15", 1, None), ("pl-10", 4, None)],
        ),
        in_phase(carrying("b"), FlightTaskPhase::Running),
        in_phase(carrying("done"), FlightTaskPhase::Succeeded),
        in_phase(carrying("lost"), FlightTaskPhase::Failed),
        task("other-weapon", vec![("ls-6", 1, None)]),
    ];
    let usage = planned(&weapon, &tasks, &[]).status.usage.expect("usage");
    assert_eq!(usage.task_count, 2);
    assert_eq!(usage.quantity, 5);
    assert_eq!(usage.tasks, ["a", "b"]);
}

#[test]
fn tasks_elsewhere_count_only_when_their_reference_names_the_weapons_namespace() {
    let weapon = weapon(UpdateStrategyType::RollingUpdate, None);
    let mut named = task("far", vec![("pl-15", 1, Some("default"))]);
    named.metadata.namespace = Some("ops".into());
    let mut local = carrying("near");
    local.metadata.namespace = Some("ops".into());
    let usage = planned(&weapon, &[named, local], &[])
        .status
        .usage
        .expect("usage");
    assert_eq!(usage.tasks, ["ops/far"]);
}

#[test]
fn an_armoury_weapon_counts_the_tasks_whose_own_namespace_has_no_namesake() {
    let mut shared = weapon(UpdateStrategyType::RollingUpdate, None);
    shared.metadata.namespace = Some("weapons".into());
    let mut own = shared.clone();
    own.metadata.namespace = Some("team-b".into());
    let in_team = |namespace: &str, name: &str| {
        let mut task = carrying(name);
        task.metadata.namespace = Some(namespace.into());
        task
    };
    let tasks = [in_team("team-a", "a"), in_team("team-b", "b")];
    let namesakes = [shared.clone(), own.clone()];
    let usage = |weapon: &Weapon| {
        let plan = planned_among(weapon, &namesakes, &tasks, &[], 10);
        plan.status.usage.expect("usage").tasks
    };
    assert_eq!(usage(&shared), ["team-a/a"], "team-b has its own pl-15");
    assert_eq!(usage(&own), ["b"]);
}

#[test]
fn usage_lists_at_most_fifty_task_names() {
    let weapon = weapon(UpdateStrategyType::RollingUpdate, None);
    let tasks: Vec<FlightTask> = (0..60).map(|i| carrying(&format!("t{i:02}"))).collect();
    let status = planned(&weapon, &tasks, &[]).status;
    let usage = status.usage.expect("usage");
    assert_eq!(usage.task_count, 60);
    assert_eq!(usage.tasks.len(), MAX_LISTED_TASKS);
    assert_eq!(status.compatibility_checks.len(), MAX_LISTED_TASKS);
}

#[test]
fn compatibility_is_checked_against_each_tasks_aircraft_and_mount_points() {
    let weapon = weapon(UpdateStrategyType::RollingUpdate, None);
    let fits = carrying("fits");
    let mut wrong_aircraft = carrying("wrong-aircraft");
    wrong_aircraft
        .spec
        .template
        .aircraft_requirement
        .aircraft_type = Some("j10c".into());
    let mut wrong_mount = carrying("wrong-mount");
    wrong_mount.spec.template.weapon_loadout[0].mount_points =
        vec!["wing-1".into(), "side-bay-1".into()];
    let checks = planned(&weapon, &[fits, wrong_aircraft, wrong_mount], &[])
        .status
        .compatibility_checks;
    let verdict = |task: &str| checks.iter().find(|c| c.task == task).expect("a check");
    assert!(verdict("fits").compatible);
    assert_eq!(verdict("fits").message.as_deref(), Some("cleared for j20"));
    assert!(!verdict("wrong-aircraft").compatible);
    assert!(
        verdict("wrong-aircraft")
            .message
            .as_deref()
            .unwrap()
            .contains("j10c")
    );
    let mount = verdict("wrong-mount");
    assert!(!mount.compatible);
    assert!(mount.message.as_deref().unwrap().starts_with("side-bay-1:"));
}

#[test]
fn the_current_version_is_the_spec_version_else_the_image_tag() {
    let mut weapon = weapon(UpdateStrategyType::RollingUpdate, None);
    let status = planned(&weapon, &[], &[]).status;
    assert_eq!(status.current_version.as_deref(), Some("2.2"));
    weapon.spec.version = Some("2.2.0".into());
    let status = planned(&weapon, &[], &[]).status;
    assert_eq!(status.current_version.as_deref(), Some("2.2.0"));
}

#[test]
fn a_deprecated_current_version_makes_the_weapon_deprecated_and_not_ready() {
    let mut weapon = weapon(UpdateStrategyType::RollingUpdate, None);
    weapon.spec.version = Some("2.0.0".into());
    weapon.spec.version_history = vec![VersionRecord {
        version: "2.0.0".into(),
        deprecated: true,
        ..VersionRecord::default()
    }];
    let status = planned(&weapon, &[], &[]).status;
    assert_eq!(status.phase, Some(WeaponPhase::Deprecated));
    let ready = find(&status.conditions, types::READY).expect("Ready");
    assert_eq!(
        (ready.status.as_str(), ready.reason.as_str()),
        ("False", "Deprecated")
    );
}

#[test]
fn planning_again_with_nothing_changed_keeps_every_time() {
    let mut weapon = weapon(UpdateStrategyType::RollingUpdate, None);
    let tasks = vec![carrying("a")];
    let first = planned(&weapon, &tasks, &[]).status;
    assert_eq!(first.last_update_time, Some(Time(at(10))));
    weapon.status = Some(first.clone());
    let again = planned_at(&weapon, &tasks, &[], 99);
    assert_eq!(again.status, first);
}

#[test]
fn a_change_moves_the_update_time_and_a_flip_the_transition_time() {
    let mut weapon = weapon(UpdateStrategyType::RollingUpdate, None);
    let (tasks, pods) = three_out_of_date(&weapon);
    weapon.status = Some(planned(&weapon, &tasks, &[]).status);
    let later = planned_at(&weapon, &tasks, &pods, 50).status;
    assert_eq!(later.last_update_time, Some(Time(at(50))));
    let ready = find(&later.conditions, types::READY).expect("Ready");
    assert_eq!(ready.last_transition_time, Time(at(50)));
    let rolled = find(&later.conditions, types::ROLLED_OUT).expect("RolledOut");
    assert_eq!(rolled.last_transition_time, Time(at(50)));
}
