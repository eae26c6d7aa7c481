//! A task that arms a weapon at a deprecated version: warned before the
//! version's deprecation date, refused from it.

use super::*;
use crate::api::weapon::VersionRecord;
use crate::api::{WeaponLoadout, WeaponRef};
use crate::controller::task_fixtures::weapon;

/// A new task that carries pl-15, and pl-15 at version 2.1, deprecated from `date`.
fn arming(date: &str) -> (FlightTask, Weapon) {
    let mut task = task();
    task.spec.template.weapon_loadout = vec![WeaponLoadout {
        weapon_ref: WeaponRef {
            name: "pl-15".into(),
            namespace: None,
        },
        quantity: 2,
        mount_points: vec!["wing-1".into()],
    }];
    let mut pl15 = weapon("pl-15");
    pl15.spec.version_history = vec![VersionRecord {
        version: "2.1".into(),
        deprecated: true,
        deprecation_date: Some(date.into()),
        ..VersionRecord::default()
    }];
    (task, pl15)
}

fn planned(task: &FlightTask, pl15: &Weapon) -> TaskPlan {
    let settings = pod_settings(SchedulerChoice::Aircraft);
    observe(task, &[], 0).with_pod(task, std::slice::from_ref(pl15), &[], &settings, at(0))
}

#[test]
fn before_its_date_the_task_arms_it_with_a_warning_and_a_condition() {
    // at(0) is 2025-06-15.
    let (task, pl15) = arming("2025-07-01");
    let plan = planned(&task, &pl15);
    assert!(plan.pod.is_some(), "the pod is built");
    let warning = plan.events.first().expect("a warning event");
    assert_eq!(warning.reason, reasons::WEAPON_DEPRECATED);
    assert!(
        warning.note.contains("refused from 2025-07-01"),
        "{}",
        warning.note
    );
    assert_eq!(
        status_of(&plan, types::WEAPON_DEPRECATED),
        is("True", reasons::WEAPON_DEPRECATED)
    );
    assert_eq!(plan.quiet_for, None, "a warning is told at once");
}

#[test]
fn from_its_date_the_task_is_refused_with_the_date() {
    let (task, pl15) = arming("2025-06-15");
    let plan = planned(&task, &pl15);
    assert!(plan.pod.is_none(), "no pod is built");
    assert_eq!(phase(&plan), FlightTaskPhase::Failed);
    assert_eq!(
        status_of(&plan, types::WEAPONS_COMPATIBLE),
        is("False", reasons::WEAPON_DEPRECATED)
    );
    let message = plan.status.message.clone().unwrap_or_default();
    assert!(message.contains("deprecated since 2025-06-15"), "{message}");
}

#[test]
fn a_weapon_that_allows_it_is_still_armed_past_its_date() {
    let (task, mut pl15) = arming("2025-01-01");
    pl15.spec.allow_past_deprecation = true;
    let plan = planned(&task, &pl15);
    assert!(plan.pod.is_some(), "the pod is built");
    assert_eq!(plan.events.len(), 1, "{:?}", plan.events);
}

#[test]
fn a_current_version_neither_warns_nor_adds_the_condition() {
    let (task, mut pl15) = arming("2025-01-01");
    pl15.spec.version = Some("3.0".into());
    let plan = planned(&task, &pl15);
    assert!(plan.pod.is_some());
    assert!(plan.events.is_empty());
    assert!(conditions::find(&plan.status.conditions, types::WEAPON_DEPRECATED).is_none());
}
