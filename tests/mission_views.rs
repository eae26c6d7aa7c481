//! `mission list`, `get`, `describe` and `delete` against the local cluster: a
//! mission run to the end by the operator, shown in every output format, then deleted.

mod support;

use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use kube::api::ListParams;
use kubectl_airforce::api::Mission;
use kubectl_airforce::api::keys::MISSION_LABEL;
use support::{Operator, airforce, text};

const PATROL: &str = r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata:
  name: patrol
spec:
  stages:
  - name: sweep
    type: parallel
    flightTasks:
    - name: look
      aircraftRequirement: {type: j20, minFuelLevel: 50}
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: 200ms}
"#;

#[tokio::test]
async fn list_get_describe_and_delete_a_finished_mission() {
    support::with_namespace("mission-views", |client, ns| async move {
        support::ensure_crds(&client).await;
        let _operator = Operator::start(&ns);
        support::submit_yaml(&ns, PATROL);
        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        support::wait_for(
            &missions,
            "patrol",
            Duration::from_secs(90),
            "finished",
            support::mission_finished,
        )
        .await;

        let listed = airforce(&["-n", &ns, "mission", "list"]);
        assert!(listed.status.success(), "{}", text(&listed.stderr));
        let table = text(&listed.stdout);
        assert!(table.starts_with("NAME "), "{table}");
        let row = (table.lines())
            .find(|l| l.starts_with("patrol "))
            .unwrap_or_else(|| panic!("patrol listed:\n{table}"));
        assert!(row.contains("Succeeded") && row.contains("1/1"), "{row}");

        let everywhere = text(&airforce(&["mission", "list", "-A", "-o", "wide"]).stdout);
        assert!(everywhere.starts_with("NAMESPACE "), "{everywhere}");
        assert!(
            everywhere
                .lines()
                .any(|l| l.starts_with(&ns) && l.contains("patrol")),
            "{everywhere}"
        );

        let named = airforce(&["-n", &ns, "mission", "get", "patrol", "-o", "name"]);
        assert_eq!(text(&named.stdout).trim(), "mission.airforce.mil/patrol");

        let json = airforce(&["-n", &ns, "mission", "get", "patrol", "-o", "json"]);
        let object: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
        assert_eq!(object["kind"], "Mission");
        assert_eq!(object["status"]["phase"], "Succeeded");
        assert!(object["metadata"].get("managedFields").is_none());

        let yaml = text(&airforce(&["-n", &ns, "mission", "list", "-o", "yaml"]).stdout);
        assert!(yaml.starts_with("apiVersion: v1\nitems:"), "{yaml}");

        let missing = airforce(&["-n", &ns, "mission", "get", "patrol", "ghost"]);
        assert_eq!(missing.status.code(), Some(1));
        assert!(
            text(&missing.stdout).contains("patrol"),
            "found ones still shown"
        );
        let stderr = text(&missing.stderr);
        assert!(
            stderr.contains(&format!("mission ghost not found in namespace {ns}")),
            "{stderr}"
        );

        let described = airforce(&["-n", &ns, "mission", "describe", "patrol"]);
        assert!(described.status.success(), "{}", text(&described.stderr));
        let description = text(&described.stdout);
        for expected in [
            "Name:         patrol",
            "Phase:        Succeeded",
            "sweep",
            "Conditions:",
            "Ready",
            "Events:",
            "flighttask/patrol.sweep.look",
        ] {
            assert!(description.contains(expected), "{expected}:\n{description}");
        }
        let ghost = airforce(&["-n", &ns, "mission", "describe", "ghost"]);
        assert_eq!(ghost.status.code(), Some(1));
        assert!(
            text(&ghost.stderr).contains("mission ghost not found"),
            "{}",
            text(&ghost.stderr)
        );

        // Deleting: never without a confirmation, nothing on a typo, then all of it.
        let unconfirmed = airforce(&["-n", &ns, "mission", "delete", "patrol"]);
        assert!(!unconfirmed.status.success());
        assert!(
            text(&unconfirmed.stderr).contains("--yes"),
            "{}",
            text(&unconfirmed.stderr)
        );
        let typo = airforce(&["-n", &ns, "mission", "delete", "patrol", "ghost", "--yes"]);
        assert!(!typo.status.success());
        assert!(
            text(&typo.stderr).contains("nothing was deleted"),
            "{}",
            text(&typo.stderr)
        );
        assert!(missions.get_opt("patrol").await.expect("read").is_some());

        let deleted = airforce(&["-n", &ns, "mission", "delete", "patrol", "--yes"]);
        assert!(deleted.status.success(), "{}", text(&deleted.stderr));
        assert!(text(&deleted.stdout).contains("mission.airforce.mil/patrol deleted"));
        assert!(
            missions.get_opt("patrol").await.expect("read").is_none(),
            "--wait returned early"
        );
        let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
        let left = pods
            .list(&ListParams::default().labels(&format!("{MISSION_LABEL}=patrol")))
            .await
            .expect("list pods");
        assert!(left.items.is_empty(), "the mission's pods went with it");
    })
    .await;
}

/// `mission list` in a terminal of `columns` columns (a pseudo-terminal made
/// by `script`): what it printed, without the carriage returns.
fn list_in_terminal(namespace: &str, columns: u16) -> String {
    let line = format!(
        "stty cols {columns} rows 40; {} --kubeconfig {} -n {namespace} mission list",
        assert_cmd::cargo::cargo_bin("kubectl-airforce").display(),
        support::kubeconfig_path().display()
    );
    let output = std::process::Command::new("script")
        .args(["-qefc", &line, "/dev/null"])
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script runs");
    let printed = text(&output.stdout).replace('\r', "");
    assert!(output.status.success(), "{printed}{}", text(&output.stderr));
    printed
}

/// kubectl never splits a cell: a narrow terminal gets rows that run past
/// its edge, one line per mission, never a name broken over two lines.
#[tokio::test]
async fn a_narrow_terminal_never_splits_a_cell_of_mission_list() {
    support::with_namespace("mission-narrow", |client, ns| async move {
        support::ensure_crds(&client).await;
        support::submit(&ns, &["examples/far-sea-strike.yaml"]);
        for columns in [80, 40] {
            let printed = list_in_terminal(&ns, columns);
            let lines: Vec<&str> = printed.lines().filter(|l| !l.trim().is_empty()).collect();
            assert_eq!(
                lines.len(),
                2,
                "a header and one row at {columns} columns:\n{printed}"
            );
            assert!(lines[0].starts_with("NAME "), "{printed}");
            assert!(lines[1].starts_with("far-sea-strike "), "{printed}");
            let header: Vec<&str> = lines[0].split_whitespace().collect();
            assert!(
                header
                    .iter()
                    .all(|h| h.chars().all(|c| c.is_ascii_uppercase() || c == '-')),
                "{printed}"
            );
        }
    })
    .await;
}

/// A mission that fails at once: its one task exits 1 on every attempt and
/// has no retries left to spend.
const DOOMED: &str = r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata:
  name: doomed
spec:
  config:
    failurePolicy: {maxRetries: 0}
    taskDefaults: {maxRetries: 0}
  stages:
  - name: sweep
    type: parallel
    flightTasks:
    - name: look
      aircraftRequirement: {type: j20}
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/exit-code: "1"}
"#;

/// `-o jsonpath` and `-o custom-columns` print the fields asked for, `--phase`
/// and kubectl's own `--field-selector status.phase=` select by phase on the
/// server, and `--sort-by` orders by any field.
#[tokio::test]
async fn chosen_fields_and_phases_as_kubectl_selects_them() {
    support::with_namespace("mission-select", |client, ns| async move {
        support::ensure_crds(&client).await;
        let _operator = Operator::start(&ns);
        support::submit_yaml(&ns, PATROL);
        support::submit_yaml(&ns, DOOMED);
        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        for name in ["patrol", "doomed"] {
            support::wait_for(
                &missions,
                name,
                Duration::from_secs(90),
                "finished",
                support::mission_finished,
            )
            .await;
        }
        let list = |extra: &[&str]| {
            let mut args = vec!["-n", ns.as_str(), "mission", "list"];
            args.extend(extra);
            support::airforce_ok(&args)
        };
        assert_eq!(
            list(&["-o", "jsonpath={.items[*].metadata.name}"]),
            "doomed patrol"
        );
        assert_eq!(
            list(&[
                "-o",
                "custom-columns=NAME:.metadata.name,PHASE:.status.phase"
            ]),
            "NAME     PHASE\ndoomed   Failed\npatrol   Succeeded\n"
        );
        assert_eq!(
            list(&["--phase", "Failed", "-o", "name"]),
            "mission.airforce.mil/doomed\n"
        );
        assert_eq!(
            list(&[
                "--phase",
                "succeeded",
                "--no-headers",
                "-o",
                "custom-columns=N:.metadata.name"
            ]),
            "patrol\n"
        );
        assert_eq!(
            list(&[
                "--sort-by",
                "{.status.phase}",
                "-o",
                "jsonpath={range .items[*]}{.metadata.name},{end}"
            ]),
            "doomed,patrol,"
        );
        assert_eq!(
            list(&[
                "--sort-by",
                ".metadata.name",
                "-o",
                "custom-columns=N:.metadata.name",
                "--no-headers"
            ]),
            "doomed\npatrol\n"
        );
        let kubectl = support::kubectl(&[
            "get",
            "msn",
            "-n",
            &ns,
            "--field-selector",
            "status.phase=Failed",
            "-o",
            "name",
        ]);
        assert!(kubectl.status.success(), "{}", text(&kubectl.stderr));
        assert_eq!(text(&kubectl.stdout), "mission.airforce.mil/doomed\n");

        let refused = airforce(&["-n", &ns, "mission", "list", "-o", "jsonpath={.items["]);
        assert!(!refused.status.success());
        let said = text(&refused.stderr);
        assert!(said.contains("never closed"), "{said}");
        let refused = airforce(&["-n", &ns, "mission", "list", "--phase", "Done"]);
        assert!(
            text(&refused.stderr)
                .contains("use one of Pending, Running, Succeeded, Failed, Cancelled"),
            "{}",
            text(&refused.stderr)
        );
    })
    .await;
}

/// Names as `-o name` prints them are names the commands take: `mission list
/// -o name | xargs kubectl airforce mission cancel`; another type is refused
/// by name before anything is read.
#[tokio::test]
async fn names_printed_by_list_o_name_are_taken_by_cancel_and_describe() {
    support::with_namespace("mission-names", |client, ns| async move {
        support::ensure_crds(&client).await;
        support::submit(&ns, &["examples/far-sea-strike.yaml"]);
        let listed = support::airforce_ok(&["-n", &ns, "mission", "list", "-o", "name"]);
        let names: Vec<&str> = listed.split_whitespace().collect();
        assert_eq!(names, ["mission.airforce.mil/far-sea-strike"], "{listed}");
        let described = support::airforce_ok(&["-n", &ns, "mission", "describe", names[0]]);
        assert!(described.contains("far-sea-strike"), "{described}");
        let mut cancel = vec!["-n", ns.as_str(), "mission", "cancel", "--yes"];
        cancel.extend(&names);
        let cancelled = support::airforce_ok(&cancel);
        assert!(
            cancelled.contains("mission.airforce.mil/far-sea-strike cancel requested"),
            "{cancelled}"
        );
        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        let mission = missions.get("far-sea-strike").await.expect("the mission");
        assert!(
            mission
                .metadata
                .annotations
                .unwrap_or_default()
                .contains_key("airforce.mil/cancel")
        );

        let refused = airforce(&["-n", &ns, "mission", "describe", "weapon/pl-15"]);
        let said = text(&refused.stderr);
        assert!(!refused.status.success(), "{said}");
        assert!(
            said.contains("weapon/pl-15 is a weapon, not a mission"),
            "{said}"
        );
    })
    .await;
}
