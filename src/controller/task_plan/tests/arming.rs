//! Arming the weapons of an armed task's running pod, stopping it on request,
//! and the Abort its armed weapons get first.

use super::*;
use crate::api::{TaskWeaponStatus, WeaponLoadout, WeaponRef};

/// A task that carries one weapon and has seen its pod of attempt 1.
fn armed_task() -> FlightTask {
    let mut task = following(1, 0);
    task.spec.template.weapon_loadout = vec![WeaponLoadout {
        weapon_ref: WeaponRef {
            name: "pl-15".into(),
            namespace: None,
        },
        quantity: 4,
        mount_points: vec!["wing-1".into()],
    }];
    task
}

fn weapon(state: &str, self_check: Option<bool>) -> TaskWeaponStatus {
    TaskWeaponStatus {
        name: "pl-15".into(),
        state: state.into(),
        remaining: 4,
        temperature: Some(35),
        self_check_passed: self_check,
        version: Some("v1".into()),
        message: Some(format!("{state} now")),
        image: Some("registry.local/pl-15:1".into()),
    }
}

fn observe_with(
    task: &FlightTask,
    pods: &[Pod],
    weapons: Option<&[TaskWeaponStatus]>,
    cancelled: bool,
    now: i64,
) -> TaskPlan {
    plan(&Observed {
        task,
        pods,
        failed_scheduling: 0,
        retry_request: None,
        cancelled,
        suspended: false,
        weapons,
        defaults: TaskDefaults::default(),
        now: at(now),
    })
}

/// The task's pod of `attempt`. Built from the task without its loadout:
/// the plan reads a pod's state, not its sidecars.
fn task_pod(attempt: u32, retry: u32) -> Pod {
    pod(&task(), attempt, retry)
}

fn running_pod() -> Pod {
    running(task_pod(1, 0), "j20-01", 10)
}

#[test]
fn a_running_armed_pod_asks_for_its_weapons_answers() {
    let task = armed_task();
    let pods = [running_pod()];
    let plan = observe_with(&task, &pods, None, false, 12);
    assert_eq!(plan.arm_weapons, Some(name(1)));
    assert_eq!(phase(&plan), FlightTaskPhase::Running);
}

#[test]
fn an_unarmed_task_never_calls_weapons() {
    let task = following(1, 0);
    let pods = [running_pod()];
    let plan = observe_with(&task, &pods, None, false, 12);
    assert_eq!(plan.arm_weapons, None);
    assert!(conditions::find(&plan.status.conditions, types::WEAPONS_READY).is_none());
}

#[test]
fn weapons_warming_up_keep_the_condition_false_and_ask_again_soon() {
    let task = armed_task();
    let pods = [running_pod()];
    let answers = [weapon("INITIALIZING", None)];
    let plan = observe_with(&task, &pods, Some(&answers), false, 12);
    assert_eq!(
        status_of(&plan, types::WEAPONS_READY),
        is("False", reasons::ARMING)
    );
    assert_eq!(plan.status.weapons, answers);
    assert_eq!(plan.requeue_after, Some(std::time::Duration::from_secs(1)));
}

#[test]
fn weapons_ready_and_checked_make_the_condition_true_and_are_not_asked_again() {
    let task = armed_task();
    let pods = [running_pod()];
    let answers = [weapon("READY", Some(true))];
    let plan = observe_with(&task, &pods, Some(&answers), false, 12);
    let ready = condition(&plan, types::WEAPONS_READY);
    assert_eq!(
        (ready.status.as_str(), ready.reason.as_str()),
        ("True", reasons::ARMED)
    );
    assert_eq!(ready.message, "armed: pl-15 (4 remaining)");
    let again = observe_with(&after(task, &plan), &pods, None, false, 20);
    assert_eq!(again.arm_weapons, None);
    assert_eq!(again.status, plan.status);
}

#[test]
fn a_ready_weapon_not_yet_checked_is_not_armed() {
    let task = armed_task();
    let pods = [running_pod()];
    let answers = [weapon("READY", None)];
    let plan = observe_with(&task, &pods, Some(&answers), false, 12);
    assert_eq!(
        status_of(&plan, types::WEAPONS_READY),
        is("False", reasons::ARMING)
    );
}

#[test]
fn a_weapon_in_fault_fails_the_attempt_and_suspects_its_aircraft() {
    let task = armed_task();
    let pods = [running_pod()];
    let answers = [weapon("FAULT", Some(false))];
    let plan = observe_with(&task, &pods, Some(&answers), false, 12);
    assert_eq!(
        status_of(&plan, types::WEAPONS_READY),
        is("False", reasons::WEAPON_FAULT)
    );
    let failure = plan.status.failures.last().expect("the attempt failed");
    assert_eq!(failure.reason, reasons::WEAPON_FAULT);
    assert_eq!(failure.node.as_deref(), Some("j20-01"));
    assert_eq!(
        plan.suspect.as_ref().map(|s| s.node.as_str()),
        Some("j20-01")
    );
    assert_eq!(plan.stop, [name(1)]);
    assert_eq!(phase(&plan), FlightTaskPhase::Retrying);
    // A faulted weapon holds nothing to make safe.
    assert_eq!(plan.abort_weapons, None);
}

#[test]
fn weapons_that_never_answer_fail_the_attempt_after_the_weapon_timeout() {
    let task = armed_task();
    let pods = [running_pod()];
    let unreachable = [TaskWeaponStatus {
        name: "pl-15".into(),
        state: TaskWeaponStatus::UNREACHABLE.into(),
        message: Some("connection refused".into()),
        ..TaskWeaponStatus::default()
    }];
    let waiting = observe_with(&task, &pods, Some(&unreachable), false, 69);
    assert_eq!(
        status_of(&waiting, types::WEAPONS_READY),
        is("False", reasons::ARMING)
    );
    let late = observe_with(&task, &pods, Some(&unreachable), false, 70);
    let failure = late.status.failures.last().expect("the attempt failed");
    assert_eq!(failure.reason, reasons::WEAPON_UNRESPONSIVE);
    assert!(
        (failure.message.as_deref().unwrap_or_default())
            .contains("pl-15 UNREACHABLE (connection refused)"),
        "{failure:?}"
    );
}

#[test]
fn a_new_attempt_starts_with_no_weapons_recorded() {
    let task = armed_task();
    let pods = [running_pod()];
    let answers = [weapon("READY", Some(true))];
    let armed = after(
        task,
        &observe_with(&armed_task(), &pods, Some(&answers), false, 12),
    );
    let next = [running(task_pod(2, 1), "j20-02", 30)];
    let plan = observe_with(&armed, &next, None, false, 31);
    assert!(plan.status.weapons.is_empty());
    assert!(conditions::find(&plan.status.conditions, types::WEAPONS_READY).is_none());
    assert_eq!(plan.arm_weapons, Some(name(2)));
}

#[test]
fn cancelling_stops_the_pod_fails_the_task_and_aborts_armed_weapons_first() {
    let task = armed_task();
    let pods = [running_pod()];
    let answers = [weapon("READY", Some(true))];
    let armed = after(
        task,
        &observe_with(&armed_task(), &pods, Some(&answers), false, 12),
    );
    let plan = observe_with(&armed, &pods, None, true, 20);
    assert_eq!(phase(&plan), FlightTaskPhase::Failed);
    assert_eq!(
        status_of(&plan, types::READY),
        is("False", reasons::CANCELLED)
    );
    assert_eq!(plan.stop, [name(1)]);
    assert_eq!(plan.abort_weapons, Some(name(1)));
    assert_eq!(plan.create, None);
    // After a crash between the status write and the stop, the stop and
    // the Abort are planned again.
    let again = observe_with(&after(armed, &plan), &pods, None, true, 21);
    assert_eq!(again.stop, [name(1)]);
    assert_eq!(again.abort_weapons, Some(name(1)));
}

#[test]
fn a_cancelled_task_whose_pod_already_succeeded_succeeds() {
    let task = armed_task();
    let pods = [succeeded(task_pod(1, 0), "j20-01", 15)];
    let plan = observe_with(&task, &pods, None, true, 20);
    assert_eq!(phase(&plan), FlightTaskPhase::Succeeded);
    assert!(plan.stop.is_empty());
}

#[test]
fn cancelling_before_any_pod_starts_nothing() {
    let task = task();
    let plan = observe_with(&task, &[], None, true, 0);
    assert_eq!(phase(&plan), FlightTaskPhase::Failed);
    assert_eq!(plan.create, None);
}

/// `pod` carrying the pl-15 sidecar at `image`.
fn with_sidecar(mut pod: Pod, image: &str) -> Pod {
    let sidecar = serde_json::from_value(serde_json::json!({
        "name": "weapon-pl-15", "image": image, "restartPolicy": "Always",
    }))
    .expect("a container");
    let spec = pod.spec.get_or_insert_default();
    spec.init_containers.get_or_insert_default().push(sidecar);
    pod
}

#[test]
fn a_sidecar_reloaded_to_another_image_is_armed_again_with_a_fresh_timeout() {
    let task = armed_task();
    let before = [with_sidecar(running_pod(), "registry.local/pl-15:1")];
    let answers = [weapon("READY", Some(true))];
    let armed = after(
        task,
        &observe_with(&armed_task(), &before, Some(&answers), false, 12),
    );
    let same = observe_with(&armed, &before, None, false, 100);
    assert_eq!(same.arm_weapons, None, "the same image is not asked again");

    let reloaded = [with_sidecar(running_pod(), "registry.local/pl-15:2")];
    let plan = observe_with(&armed, &reloaded, None, false, 100);
    assert_eq!(plan.arm_weapons, Some(name(1)));
    let ready = condition(&plan, types::WEAPONS_READY);
    assert_eq!(
        (ready.status.as_str(), ready.reason.as_str()),
        ("False", reasons::ARMING)
    );
    assert!(
        ready.message.contains("registry.local/pl-15:2"),
        "{}",
        ready.message
    );

    // Warming up long after the pod started: the timeout runs from the reload.
    let arming = after(armed, &plan);
    let warming = [TaskWeaponStatus {
        image: Some("registry.local/pl-15:2".into()),
        ..weapon("INITIALIZING", None)
    }];
    let plan = observe_with(&arming, &reloaded, Some(&warming), false, 120);
    assert!(
        plan.status.failures.is_empty(),
        "{:#?}",
        plan.status.failures
    );
    assert_eq!(
        status_of(&plan, types::WEAPONS_READY),
        is("False", reasons::ARMING)
    );
    let rearmed = [TaskWeaponStatus {
        image: Some("registry.local/pl-15:2".into()),
        ..weapon("READY", Some(true))
    }];
    let plan = observe_with(&after(arming, &plan), &reloaded, Some(&rearmed), false, 121);
    assert_eq!(
        status_of(&plan, types::WEAPONS_READY),
        is("True", reasons::ARMED)
    );
    let again = observe_with(&after(armed_task(), &plan), &reloaded, None, false, 130);
    assert_eq!(again.arm_weapons, None);
}
