//! `kubectl airforce mission validate` as a user runs it: every invalid example
//! fails naming its field, the valid examples pass. All offline: no cluster.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

const WEAPONS: &str = "examples/weapons.yaml";

/// Each invalid example and the text its report must contain: the field path
/// of its problem (the line, for the syntax error, which has no field).
const INVALID: &[(&str, &str)] = &[
    (
        "bad-duration.yaml",
        "spec.stages[0].timeout: invalid timeout",
    ),
    ("bad-name.yaml", "metadata.name: "),
    (
        "bad-pod-template.yaml",
        "spec.stages[0].flightTasks[0].podTemplate.spec.containers[0].image: ",
    ),
    (
        "bad-stage-type.yaml",
        "spec.stages[0].type: \"mixd\" is not one of",
    ),
    (
        "duplicate-key.yaml",
        "spec.stages[0].flightTasks[0].weaponLoadout: the key `weaponLoadout` appears twice",
    ),
    (
        "duplicate-mount-point.yaml",
        "spec.stages[0].flightTasks[0].weaponLoadout[1].mountPoints[0]: ",
    ),
    (
        "duplicate-stage.yaml",
        "spec.stages[1].name: stage name `strike` is already used",
    ),
    (
        "duplicate-task.yaml",
        "spec.stages[1].flightTasks[0].name: flight task name `escort-1` is already used",
    ),
    (
        "incompatible-hardpoint.yaml",
        "spec.stages[0].flightTasks[0].weaponLoadout[0].mountPoints[0]: ",
    ),
    (
        "incompatible-weapon.yaml",
        "spec.stages[0].flightTasks[0].weaponLoadout[0].weaponRef.name: ",
    ),
    (
        "missing-dependency.yaml",
        "spec.stages[1].dependsOn[0]: there is no stage named `air-superority`",
    ),
    (
        "missing-field.yaml",
        "spec.stages[0].flightTasks: missing required field",
    ),
    (
        "mixed-missing-dependency.yaml",
        "spec.stages[0].flightTasks[1].dependsOn[1]: ",
    ),
    (
        "mixed-task-cycle.yaml",
        "spec.stages[0].flightTasks[2].dependsOn[0]: ",
    ),
    (
        "mount-points-mismatch.yaml",
        "spec.stages[0].flightTasks[0].weaponLoadout[0].mountPoints: ",
    ),
    (
        "quantity-zero.yaml",
        "spec.stages[0].flightTasks[0].weaponLoadout[0].quantity: ",
    ),
    (
        "self-dependency.yaml",
        "spec.stages[1].dependsOn[1]: stage `strike` depends on itself",
    ),
    ("several-problems.yaml", "6 errors"),
    ("stage-cycle.yaml", "spec.stages[2].dependsOn[0]: "),
    (
        "task-dependency-outside-mixed.yaml",
        "spec.stages[0].flightTasks[1].dependsOn: ",
    ),
    (
        "unknown-field.yaml",
        "spec.stages[0].flightTasks[0].aircraftRequirement.minFuelLevl: ",
    ),
    (
        "unknown-weapon.yaml",
        "spec.stages[0].flightTasks[0].weaponLoadout[0].weaponRef.name: ",
    ),
    ("wrong-kind.yaml", "kind: kind Pod is not checked"),
    (
        "wrong-type.yaml",
        "spec.stages[0].flightTasks[0].taskParams.altitude: ",
    ),
    (
        "yaml-syntax.yaml",
        "yaml-syntax.yaml:13: error: invalid YAML",
    ),
    (
        "zero-task-timeout.yaml",
        "spec.stages[0].flightTasks[0].timeout: timeout must be longer than 0s",
    ),
];

fn validate() -> Command {
    let mut command = Command::cargo_bin("kubectl-airforce").expect("the binary is built");
    command.args(["mission", "validate", "--offline"]);
    command
}

fn invalid(file: &str) -> String {
    format!("examples/invalid/{file}")
}

#[test]
fn every_invalid_example_fails_and_names_the_field_of_its_problem() {
    for (file, expected) in INVALID {
        let path = invalid(file);
        validate()
            .args(["-f", &path, "-f", WEAPONS])
            .assert()
            .code(1)
            .stderr(
                predicate::str::contains(*expected)
                    .and(predicate::str::contains(format!("{path}:"))),
            );
    }
}

#[test]
fn every_file_in_the_invalid_folder_has_an_expectation() {
    let mut files: Vec<String> = std::fs::read_dir(Path::new("examples/invalid"))
        .expect("examples/invalid exists")
        .map(|entry| {
            entry
                .expect("a readable entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    let expected: Vec<&str> = INVALID.iter().map(|(file, _)| *file).collect();
    assert_eq!(files, expected);
}

#[test]
fn a_cycle_is_printed_on_the_line_of_the_dependency_that_closes_it() {
    validate()
        .args(["-f", &invalid("stage-cycle.yaml"), "-f", WEAPONS])
        .assert()
        .code(1)
        .stderr(
            "examples/invalid/stage-cycle.yaml:20: error: spec.stages[2].dependsOn[0]: \
             stages depend on each other in a cycle: strike → egress → strike\n  \
             hint: → reads \"depends on\": remove one of these dependencies\n\
             1 error, 0 warnings in 1 file\n",
        );
}

#[test]
fn several_problems_in_one_file_are_all_reported() {
    let assert = validate()
        .args(["-f", &invalid("several-problems.yaml"), "-f", WEAPONS])
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    for expected in [
        "several-problems.yaml:12: error: spec.stages[0].timeout: ",
        "several-problems.yaml:17: error: spec.stages[0].flightTasks[0].aircraftRequirement.minFuelLevl: ",
        "several-problems.yaml:19: error: spec.stages[0].flightTasks[0].weaponLoadout[0].weaponRef.name: ",
        "several-problems.yaml:23: error: spec.stages[0].flightTasks[0].weaponLoadout[1].mountPoints: ",
        "several-problems.yaml:25: error: spec.stages[1].dependsOn[0]: ",
        "several-problems.yaml:32: error: spec.stages[1].flightTasks[0].podTemplate.spec.containers[0].name: ",
        "6 errors, 0 warnings in 1 file",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in:\n{stderr}"
        );
    }
}

#[test]
fn the_far_sea_strike_with_its_weapons_is_valid_in_one_line() {
    validate()
        .args(["-f", "examples/far-sea-strike.yaml", "-f", WEAPONS])
        .assert()
        .success()
        .stdout("examples/far-sea-strike.yaml: Mission/far-sea-strike is valid (3 stages, 9 flight tasks, 3 weapons)\n");
}

#[test]
fn the_weapons_example_is_valid_on_its_own() {
    validate()
        .args(["-f", WEAPONS])
        .assert()
        .success()
        .stdout("3 weapons valid: pl-15, pl-10, ls-6\n");
}

#[test]
fn a_mission_read_from_standard_input_is_checked() {
    let mission =
        std::fs::read_to_string("examples/far-sea-strike.yaml").expect("the example exists");
    validate()
        .args(["-f", "-", "-f", WEAPONS])
        .write_stdin(mission)
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "-: Mission/far-sea-strike is valid",
        ));
}

#[test]
fn weapons_that_cannot_be_checked_are_warnings_once_each() {
    validate()
        .args(["-f", "examples/far-sea-strike.yaml"])
        .assert()
        .success()
        .stderr(predicate::str::contains("0 errors, 3 warnings in 1 file"))
        .stderr(predicate::str::contains(
            "weapon `pl-15` could not be checked",
        ));
}

#[test]
fn a_directory_is_read_file_by_file() {
    validate()
        .args(["-f", "examples/invalid", "-f", WEAPONS])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "examples/invalid/bad-duration.yaml:",
        ))
        .stderr(predicate::str::contains(
            "examples/invalid/yaml-syntax.yaml:",
        ))
        .stderr(predicate::str::contains(format!(
            "in {} files",
            INVALID.len()
        )));
}

#[test]
fn the_json_report_parses_and_counts_its_diagnostics() {
    let assert = validate()
        .args([
            "-o",
            "json",
            "-f",
            &invalid("several-problems.yaml"),
            "-f",
            WEAPONS,
        ])
        .assert()
        .code(1);
    let report: serde_json::Value =
        serde_json::from_slice(&assert.get_output().stdout).expect("the report is JSON");
    assert_eq!(report["valid"], false);
    assert_eq!(report["errors"], 6);
    let diagnostics = report["diagnostics"]
        .as_array()
        .expect("a list of diagnostics");
    assert_eq!(diagnostics.len(), 6);
    let cycle = diagnostics
        .iter()
        .find(|d| d["rule"] == "stage-cycle")
        .expect("the cycle is reported");
    assert_eq!(cycle["path"], "spec.stages[1].dependsOn[0]");
    assert_eq!(cycle["line"], 25);
    assert_eq!(cycle["object"], "Mission/several-problems");
    assert_eq!(cycle["severity"], "error");
}

#[test]
fn the_json_report_of_a_valid_mission_says_so() {
    let assert = validate()
        .args([
            "-o",
            "json",
            "-f",
            "examples/far-sea-strike.yaml",
            "-f",
            WEAPONS,
        ])
        .assert()
        .success();
    let report: serde_json::Value =
        serde_json::from_slice(&assert.get_output().stdout).expect("the report is JSON");
    assert_eq!(report["valid"], true);
    assert_eq!(report["missions"][0]["name"], "far-sea-strike");
    assert_eq!(report["missions"][0]["flightTasks"], 9);
    assert_eq!(report["weapons"].as_array().map(Vec::len), Some(3));
}

#[test]
fn a_file_that_does_not_exist_is_an_error_naming_it() {
    validate()
        .args(["-f", "examples/no-such-mission.yaml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "cannot read examples/no-such-mission.yaml",
        ));
}

#[test]
fn tasks_whose_retries_cannot_fit_in_the_stage_timeout_are_a_warning_not_an_error() {
    let path = std::env::temp_dir().join(format!("tight-{}.yaml", std::process::id()));
    std::fs::write(
        &path,
        "apiVersion: airforce.mil/v1alpha1\nkind: Mission\nmetadata: {name: tight}\nspec:\n  stages:\n  - name: strike\n    timeout: 5m\n    flightTasks:\n    - name: strike-1\n      timeout: 2m\n      aircraftRequirement: {type: j20}\n",
    )
    .expect("the file is written");
    let file = path.to_str().expect("a UTF-8 path").to_string();
    validate().args(["-f", &file]).assert().code(0).stderr(
        predicate::str::contains(format!("{file}:7: warning: spec.stages[0].timeout: the stage's tasks, run one after another with every retry spent, can take 8m14s"))
            .and(predicate::str::contains("longer than the stage timeout of 5m")),
    );
    let _ = std::fs::remove_file(&path);
}

#[test]
fn pod_security_breaks_are_warnings_until_a_level_is_required() {
    let path = std::env::temp_dir().join(format!("privileged-{}.yaml", std::process::id()));
    std::fs::write(
        &path,
        "apiVersion: airforce.mil/v1alpha1\nkind: Mission\nmetadata: {name: rogue}\nspec:\n  stages:\n  - name: s\n    flightTasks:\n    - name: t\n      aircraftRequirement: {type: j20}\n      podTemplate:\n        spec:\n          containers:\n          - name: task\n            image: busybox:1.37\n            securityContext: {privileged: true}\n",
    )
    .expect("the file is written");
    let file = path.to_str().expect("a UTF-8 path").to_string();
    let privileged = "spec.stages[0].flightTasks[0].podTemplate.spec.containers[0].securityContext.privileged: breaks Pod Security baseline: privileged containers are not allowed";
    validate()
        .args(["-f", &file])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(format!("warning: {privileged}")));
    validate()
        .args(["-f", &file, "--pod-security", "baseline"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains(format!("error: {privileged}")).and(predicate::str::contains(
                "warning: spec.stages[0].flightTasks[0].podTemplate.spec.containers[0].securityContext.allowPrivilegeEscalation: breaks Pod Security restricted",
            )),
        );
    validate()
        .args(["-f", &file, "--pod-security", "privileged"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("Pod Security").not());
    let _ = std::fs::remove_file(&path);
}
