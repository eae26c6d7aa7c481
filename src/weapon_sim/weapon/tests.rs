use std::time::Duration;

use tokio::time::Instant;

use super::*;

const WARM_UP: Duration = Duration::from_secs(2);

fn timings() -> Timings {
    Timings {
        warm_up: WARM_UP,
        self_check: Duration::ZERO,
        lock: Duration::ZERO,
        launch: Duration::ZERO,
    }
}

fn weapon(now: Instant) -> SimulatedWeapon {
    let identity = Identity {
        weapon_type: "air-to-air-missile".into(),
        version: "v2.1".into(),
    };
    SimulatedWeapon::new(identity, timings(), None, now)
}

fn target(id: &str) -> Option<Target> {
    Some(Target {
        latitude: 30.5,
        longitude: 122.25,
        target_id: id.into(),
        ..Target::default()
    })
}

fn bay() -> Vec<String> {
    vec!["internal-bay-1".to_string()]
}

/// A weapon loaded with `quantity` and warmed up, as of the returned instant.
fn ready(quantity: i32) -> (SimulatedWeapon, Instant) {
    let start = Instant::now();
    let mut weapon = weapon(start);
    weapon.initialize(quantity, bay(), start).unwrap();
    (weapon, start + WARM_UP)
}

#[test]
fn a_weapon_starts_initializing_and_is_ready_once_its_warm_up_ends() {
    let start = Instant::now();
    let mut weapon = weapon(start);
    assert_eq!(weapon.status(start).state(), WeaponState::Initializing);
    let status = weapon.initialize(4, bay(), start).unwrap();
    assert_eq!(status.state(), WeaponState::Initializing);
    assert_eq!(status.remaining_count, 4);
    assert_eq!(status.mount_points, bay());
    let almost = start + WARM_UP - Duration::from_millis(1);
    assert_eq!(weapon.status(almost).state(), WeaponState::Initializing);
    let status = weapon.status(start + WARM_UP);
    assert_eq!(status.state(), WeaponState::Ready);
    assert_eq!(status.message, "ready: 4 loaded");
    assert_eq!(status.weapon_type, "air-to-air-missile");
    assert_eq!(status.version, "v2.1");
}

#[test]
fn initializing_again_with_the_same_loadout_changes_nothing() {
    let (mut weapon, now) = ready(4);
    let again = weapon.initialize(4, bay(), now).unwrap();
    assert_eq!(again.state(), WeaponState::Ready);
    assert_eq!(again.remaining_count, 4);
}

#[test]
fn a_new_loadout_restarts_the_warm_up_before_any_round_has_left() {
    let (mut weapon, now) = ready(4);
    let status = weapon.initialize(2, bay(), now).unwrap();
    assert_eq!(status.state(), WeaponState::Initializing);
    assert_eq!(status.remaining_count, 2);
    assert_eq!(weapon.state(now + WARM_UP), WeaponState::Ready);
}

#[test]
fn initialize_refuses_no_rounds() {
    let start = Instant::now();
    let refusal = weapon(start).initialize(0, bay(), start).unwrap_err();
    assert_eq!(
        refusal,
        Refusal::Invalid("quantity must be at least 1, got 0".into())
    );
}

#[test]
fn lock_launch_and_lock_again_until_nothing_remains() {
    let (mut weapon, now) = ready(3);
    let locked = weapon.lock(target("bogey-1"), now).unwrap();
    assert_eq!(locked.state(), WeaponState::Locked);
    assert_eq!(locked.message, "locked on bogey-1");
    assert_eq!(weapon.launch("bogey-1", 2, now), Ok(2));
    let status = weapon.status(now);
    assert_eq!(status.state(), WeaponState::Launched);
    assert_eq!(status.remaining_count, 1);
    weapon.lock(target(""), now).unwrap();
    assert_eq!(weapon.launch("", 1, now), Ok(1));
    assert_eq!(weapon.status(now).remaining_count, 0);
    assert_eq!(
        weapon.lock(target("bogey-2"), now).unwrap_err(),
        Refusal::WrongState {
            call: "LockTarget",
            state: "LAUNCHED",
            hint: "nothing remains to launch",
        }
    );
}

#[test]
fn a_target_without_an_id_is_named_by_its_position() {
    let (mut weapon, now) = ready(1);
    let status = weapon.lock(target(""), now).unwrap();
    assert_eq!(status.message, "locked on 30.5000,122.2500");
}

#[test]
fn launching_more_than_remains_is_refused_and_fires_nothing() {
    let (mut weapon, now) = ready(2);
    weapon.lock(target("bogey-1"), now).unwrap();
    assert_eq!(
        weapon.launch("bogey-1", 3, now),
        Err(Refusal::OverLaunch {
            asked: 3,
            remaining: 2
        })
    );
    let status = weapon.status(now);
    assert_eq!(status.state(), WeaponState::Locked);
    assert_eq!(status.remaining_count, 2);
    assert_eq!(
        Refusal::OverLaunch {
            asked: 3,
            remaining: 2
        }
        .to_string(),
        "cannot launch 3: 2 remaining"
    );
}

#[test]
fn launch_needs_a_lock_on_that_target_and_a_positive_count() {
    let (mut weapon, now) = ready(2);
    assert_eq!(
        weapon.launch("", 1, now).unwrap_err().to_string(),
        "Launch is not allowed while the weapon is READY: lock a target first"
    );
    weapon.lock(target("bogey-1"), now).unwrap();
    assert_eq!(
        weapon.launch("bogey-9", 1, now),
        Err(Refusal::Invalid(
            "target bogey-9 is not the locked target (bogey-1)".into()
        ))
    );
    assert_eq!(
        weapon.launch("", 0, now),
        Err(Refusal::Invalid("count must be at least 1, got 0".into()))
    );
}

#[test]
fn nothing_can_be_locked_before_the_weapon_is_ready() {
    let start = Instant::now();
    let mut weapon = weapon(start);
    weapon.initialize(2, bay(), start).unwrap();
    assert_eq!(
        weapon
            .lock(target("bogey-1"), start)
            .unwrap_err()
            .to_string(),
        "LockTarget is not allowed while the weapon is INITIALIZING: wait for READY"
    );
    assert!(matches!(
        weapon.lock(None, start + WARM_UP),
        Err(Refusal::Invalid(_))
    ));
}

#[test]
fn abort_releases_a_lock_and_a_launched_weapon_and_leaves_others_alone() {
    let (mut weapon, now) = ready(2);
    let untouched = weapon.abort("mission cancelled", now);
    assert_eq!(untouched.state(), WeaponState::Ready);
    assert_eq!(untouched.message, "ready: 2 loaded");
    weapon.lock(target("bogey-1"), now).unwrap();
    let safe = weapon.abort("mission cancelled", now);
    assert_eq!(safe.state(), WeaponState::Ready);
    assert_eq!(safe.message, "aborted: mission cancelled");
    assert!(weapon.launch("bogey-1", 1, now).is_err());
    weapon.lock(target("bogey-1"), now).unwrap();
    weapon.launch("bogey-1", 1, now).unwrap();
    assert_eq!(weapon.abort("stop", now).state(), WeaponState::Ready);
    assert_eq!(weapon.status(now).remaining_count, 1);
}

#[test]
fn a_weapon_holding_a_target_or_having_fired_cannot_be_loaded_again() {
    let (mut weapon, now) = ready(2);
    weapon.lock(target("bogey-1"), now).unwrap();
    assert_eq!(
        weapon.initialize(2, bay(), now).unwrap_err().to_string(),
        "Initialize is not allowed while the weapon is LOCKED: call Abort first"
    );
    weapon.launch("", 1, now).unwrap();
    weapon.abort("done", now);
    assert_eq!(
        weapon.initialize(4, bay(), now).unwrap_err().to_string(),
        "Initialize is not allowed while the weapon is READY: rounds have already left; \
         restart the weapon to load it again"
    );
}

#[test]
fn a_healthy_self_check_passes_every_component() {
    let (mut weapon, now) = ready(2);
    let result = weapon.self_check(now);
    assert!(result.passed);
    let names: Vec<&str> = result
        .components
        .iter()
        .map(|c| c.component.as_str())
        .collect();
    assert_eq!(names, ["power", "seeker", "thermal", "rounds"]);
    let status = result.status.unwrap();
    assert_eq!(status.state(), WeaponState::Ready);
    assert!(status.self_checked && status.self_check_passed);
    assert_eq!(status.message, "self-check passed");
}

#[test]
fn a_fault_set_for_the_weapon_fails_its_self_check_into_fault() {
    let start = Instant::now();
    let mut weapon = SimulatedWeapon::new(
        Identity::default(),
        timings(),
        Some("seeker head cracked".into()),
        start,
    );
    weapon.initialize(2, bay(), start).unwrap();
    let now = start + WARM_UP;
    let result = weapon.self_check(now);
    assert!(!result.passed);
    let status = result.status.unwrap();
    assert_eq!(status.state(), WeaponState::Fault);
    assert!(status.self_checked && !status.self_check_passed);
    assert_eq!(
        status.message,
        "self-check failed: seeker: seeker head cracked"
    );
    for refusal in [
        weapon.lock(target("bogey-1"), now).unwrap_err(),
        weapon.initialize(2, bay(), now).unwrap_err(),
    ] {
        assert!(matches!(
            refusal,
            Refusal::WrongState { state: "FAULT", .. }
        ));
    }
    assert_eq!(weapon.abort("safe it", now).state(), WeaponState::Fault);
    assert_eq!(weapon.state(now + WARM_UP * 10), WeaponState::Fault);
}

#[test]
fn temperature_rises_through_the_warm_up_and_with_each_launch_then_fades() {
    let start = Instant::now();
    let mut weapon = weapon(start);
    assert_eq!(weapon.temperature(start), AMBIENT);
    weapon.initialize(4, bay(), start).unwrap();
    let halfway = weapon.temperature(start + WARM_UP / 2);
    assert!((halfway - (AMBIENT + WARM) / 2.0).abs() < 0.01, "{halfway}");
    let now = start + WARM_UP;
    assert_eq!(weapon.temperature(now), WARM);
    weapon.lock(target("bogey-1"), now).unwrap();
    weapon.launch("", 2, now).unwrap();
    assert_eq!(weapon.temperature(now), WARM + 2.0 * HEAT_PER_ROUND);
    let later = weapon.temperature(now + HEAT_HALF_LIFE);
    assert!((later - (WARM + HEAT_PER_ROUND)).abs() < 0.01, "{later}");
}

#[test]
fn a_weapon_too_hot_fails_its_thermal_check() {
    let (mut weapon, now) = ready(5);
    weapon.lock(target("bogey-1"), now).unwrap();
    weapon.launch("", 5, now).unwrap();
    let result = weapon.self_check(now);
    assert!(!result.passed);
    assert_eq!(
        result.status.unwrap().message,
        "self-check failed: thermal: 95.0 °C (limit 90)"
    );
}
