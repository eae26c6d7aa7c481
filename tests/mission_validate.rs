//! `kubectl airforce mission validate` as a user runs it: every invalid example
//! fails with the report of its snapshot, the valid examples pass. All
//! offline: no cluster.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

const WEAPONS: &str = "examples/weapons.yaml";

fn validate() -> Command {
    let mut command = Command::cargo_bin("kubectl-airforce").expect("the binary is built");
    command.args(["mission", "validate", "--offline"]);
    command
}

fn invalid(file: &str) -> String {
    format!("examples/invalid/{file}")
}

/// The files of examples/invalid, sorted.
fn invalid_examples() -> Vec<String> {
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
    files
}

/// The whole report of each invalid example is a snapshot in
/// `tests/snapshots/`, so a changed path, line, word or hint shows in review.
/// After a deliberate change, `INSTA_UPDATE=always cargo test --test
/// mission_validate` rewrites them.
#[test]
fn every_invalid_example_fails_with_the_report_of_its_snapshot() {
    let files = invalid_examples();
    assert!(files.len() >= 20, "{files:?}");
    for file in files {
        let path = invalid(&file);
        let output = validate()
            .args(["-f", &path, "-f", WEAPONS])
            .output()
            .expect("the binary runs");
        assert_eq!(output.status.code(), Some(1), "{file}");
        let report = format!(
            "stdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let name = format!("invalid__{}", file.trim_end_matches(".yaml"));
        insta::assert_snapshot!(name, report);
    }
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
fn the_far_sea_strike_with_its_weapons_is_valid_and_says_where_each_weapon_was_found() {
    validate()
        .args(["-f", "examples/far-sea-strike.yaml", "-f", WEAPONS])
        .assert()
        .success()
        .stdout(concat!(
            "examples/far-sea-strike.yaml: Mission/far-sea-strike is valid (3 stages, 9 flight tasks, 3 weapons)\n",
            "  weapons found: ls-6 in default (a file given), pl-10 in default (a file given), pl-15 in default (a file given)\n",
        ));
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
            invalid_examples().len()
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
