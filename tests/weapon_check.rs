//! `kubectl airforce weapon check`: by aircraft type (offline, from files), by
//! node (the local cluster's aircraft) and by every task of a mission file.

mod support;

use support::{airforce, text};

const WEAPONS: &str = "examples/weapons.yaml";

#[test]
fn a_listed_aircraft_type_and_hardpoint_pass() {
    let output = airforce(&[
        "weapon",
        "check",
        "pl-15",
        "--aircraft-type",
        "j20",
        "--hardpoint",
        "internal-bay",
        "-f",
        WEAPONS,
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let table = text(&output.stdout);
    assert!(table.starts_with("WEAPON"), "{table}");
    assert!(table.contains("pass"), "{table}");
}

#[test]
fn an_unlisted_aircraft_type_fails_with_the_reason_and_exit_1() {
    let output = airforce(&[
        "weapon",
        "check",
        "ls-6",
        "--aircraft-type",
        "j10c",
        "-f",
        WEAPONS,
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stdout).contains("aircraft type j10c is not one of j20, j16"),
        "{}",
        text(&output.stdout)
    );
}

#[test]
fn every_task_of_a_mission_file_is_checked() {
    let output = airforce(&[
        "weapon",
        "check",
        "-f",
        "examples/invalid/incompatible-hardpoint.yaml",
        "-f",
        WEAPONS,
    ]);
    assert_eq!(output.status.code(), Some(1));
    let table = text(&output.stdout);
    assert!(table.starts_with("TASK"), "{table}");
    assert!(
        table.contains("hardpoint type internal-bay is not one of side-bay, wing"),
        "{table}"
    );

    let valid = airforce(&[
        "weapon",
        "check",
        "-f",
        "examples/far-sea-strike.yaml",
        "-f",
        WEAPONS,
        "-o",
        "json",
    ]);
    assert!(valid.status.success(), "{}", text(&valid.stdout));
    let verdicts: serde_json::Value = serde_json::from_slice(&valid.stdout).expect("JSON");
    assert_eq!(verdicts.as_array().map(Vec::len), Some(14));
}

#[tokio::test]
async fn a_node_is_judged_by_its_type_and_compatible_weapons_annotation() {
    support::client().await;
    let output = airforce(&["weapon", "check", "--node", "j20-04", "-f", WEAPONS]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "ls-6 is not cleared on j20-04"
    );
    let table = text(&output.stdout);
    assert!(
        table.contains("node is cleared only for pl-15,pl-10"),
        "{table}"
    );
    assert!(table.contains("j20 cleared for pl-15"), "{table}");

    let cleared = airforce(&["weapon", "check", "ls-6", "--node", "j20-01", "-f", WEAPONS]);
    assert!(cleared.status.success(), "{}", text(&cleared.stdout));
}

#[test]
fn nothing_to_check_against_is_a_clear_error() {
    let output = airforce(&["weapon", "check", "pl-15"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("give --aircraft-type TYPE, --node NODE"),
        "{}",
        text(&output.stderr)
    );
}
