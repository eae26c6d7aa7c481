//! The edges a daily kubectl user meets, on the local cluster: missions picked
//! by label, by `--all` or skipped when missing for cancel, retry and delete;
//! `watch` of nothing, `watch --timeout` with a warning when no operator looks
//! at the mission; every request shown at kubectl's `-v=6`.

mod support;

use std::time::Duration;

use kube::Api;
use kubectl_airforce::api::{Mission, MissionPhase};
use support::{Operator, airforce, airforce_ok, text};

const TIMEOUT: Duration = Duration::from_secs(90);

/// A one-task mission's spec that succeeds in a moment.
const QUICK_SPEC: &str = "spec:
  stages:
  - name: sweep
    flightTasks:
    - name: look
      aircraftRequirement: {type: j20}
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: 200ms}
";

/// A mission that flies for a minute unless stopped, labelled `team`.
fn loiter(name: &str, team: &str) -> String {
    format!(
        r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata:
  name: {name}
  labels: {{team: {team}}}
spec:
  stages:
  - name: orbit
    flightTasks:
    - name: cap
      aircraftRequirement: {{type: j20}}
      podTemplate:
        metadata:
          annotations: {{sim.airforce.mil/duration: 60s}}
"#
    )
}

fn phase(mission: Option<&Mission>) -> Option<MissionPhase> {
    mission
        .and_then(|m| m.status.as_ref())
        .and_then(|s| s.phase)
}

#[tokio::test]
async fn cancel_retry_and_delete_pick_missions_by_label_or_all_and_skip_missing_ones() {
    support::with_namespace("cli-pick", |client, ns| async move {
        support::ensure_crds(&client).await;
        let _operator = Operator::start(&ns);
        for (name, team) in [("blue-1", "blue"), ("blue-2", "blue"), ("red-1", "red")] {
            support::submit_yaml(&ns, &loiter(name, team));
        }
        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        for name in ["blue-1", "blue-2", "red-1"] {
            support::wait_for(&missions, name, TIMEOUT, "Running", |m: Option<&Mission>| {
                phase(m) == Some(MissionPhase::Running)
            })
            .await;
        }

        let listed = airforce_ok(&["-n", &ns, "mission", "list", "-L", "team", "--since", "1h"]);
        let header: Vec<&str> = listed.lines().next().unwrap_or_default().split_whitespace().collect();
        assert_eq!(header.last(), Some(&"TEAM"), "{listed}");
        let red = (listed.lines()).find(|l| l.starts_with("red-1 ")).unwrap_or_default();
        assert!(red.trim_end().ends_with(" red"), "{listed}");

        let cancelled = airforce_ok(&["-n", &ns, "mission", "cancel", "-l", "team=blue", "--yes"]);
        assert_eq!(
            cancelled,
            "mission.airforce.mil/blue-1 cancel requested\nmission.airforce.mil/blue-2 cancel requested\n"
        );
        for name in ["blue-1", "blue-2"] {
            support::wait_for(&missions, name, TIMEOUT, "Cancelled", |m: Option<&Mission>| {
                phase(m) == Some(MissionPhase::Cancelled)
            })
            .await;
        }
        let red = missions.get("red-1").await.expect("red-1");
        assert_eq!(phase(Some(&red)), Some(MissionPhase::Running), "another label is left alone");

        let missing = airforce(&["-n", &ns, "mission", "cancel", "ghost", "--yes"]);
        assert_eq!(missing.status.code(), Some(1));
        let skipped = airforce(&["-n", &ns, "mission", "cancel", "ghost", "--ignore-not-found", "--yes"]);
        assert!(skipped.status.success(), "{}", text(&skipped.stderr));
        assert_eq!(text(&skipped.stdout), "");

        // --all retries what can be retried (the two cancelled) and leaves the running one.
        let retried = airforce_ok(&["-n", &ns, "mission", "retry", "--all"]);
        let lines: Vec<&str> = retried.lines().collect();
        assert_eq!(lines.len(), 2, "{retried}");
        assert!(lines[0].starts_with("mission.airforce.mil/blue-1 ") && lines[1].starts_with("mission.airforce.mil/blue-2 "), "{retried}");
        for name in ["blue-1", "blue-2"] {
            support::wait_for(&missions, name, TIMEOUT, "Running again", |m: Option<&Mission>| {
                phase(m) == Some(MissionPhase::Running)
            })
            .await;
        }

        let deleted = airforce_ok(&["-n", &ns, "mission", "delete", "-l", "team!=blue", "--yes", "--wait=false"]);
        assert_eq!(deleted, "mission.airforce.mil/red-1 deleted\n");
        support::wait_deleted(&missions, "red-1", TIMEOUT).await;
        assert!(missions.get_opt("blue-1").await.expect("read").is_some());

        let refused = airforce(&["-n", &ns, "mission", "cancel", "blue-1", "--all"]);
        assert_eq!(refused.status.code(), Some(2), "names and --all do not mix");
    })
    .await;
}

#[tokio::test]
async fn watch_says_when_there_is_nothing_to_watch_and_gives_up_at_its_timeout() {
    support::with_namespace("cli-watch", |client, ns| async move {
        support::ensure_crds(&client).await;
        let nothing = airforce(&["-n", &ns, "watch"]);
        assert_eq!(nothing.status.code(), Some(1));
        assert!(
            text(&nothing.stderr)
                .starts_with(&format!("No missions in namespace {ns}: nothing to watch")),
            "{}",
            text(&nothing.stderr)
        );

        // No operator runs in this namespace: the mission is never looked at.
        support::submit_yaml(&ns, &loiter("unseen", "blue"));
        let begun = std::time::Instant::now();
        let watched = airforce(&["-n", &ns, "watch", "unseen", "--timeout", "33s"]);
        let stderr = text(&watched.stderr);
        assert_eq!(watched.status.code(), Some(124), "{stderr}");
        assert!(begun.elapsed() >= Duration::from_secs(33));
        assert!(
            stderr.contains("warning: no operator has looked at mission unseen in 3")
                && stderr.contains("kubectl airforce install"),
            "{stderr}"
        );
        assert!(
            stderr.contains("timed out after 33s: still unfinished: unseen (Pending)"),
            "{stderr}"
        );
    })
    .await;
}

#[tokio::test]
async fn kubectl_verbosity_six_shows_every_request_with_its_status() {
    support::with_namespace("cli-verbose", |client, ns| async move {
        support::ensure_crds(&client).await;
        let listed = airforce(&["-n", &ns, "-v=6", "mission", "list"]);
        let stderr = text(&listed.stderr);
        assert!(listed.status.success(), "{stderr}");
        let request = "GET https://127.0.0.1:";
        let path = format!("/apis/airforce.mil/v1alpha1/namespaces/{ns}/missions");
        assert!(
            stderr.lines().any(|line| line.contains(request)
                && line.contains(&path)
                && line.contains(" 200 OK in ")),
            "{stderr}"
        );
        let quiet = airforce(&["-n", &ns, "--request-timeout", "30s", "mission", "list"]);
        assert!(quiet.status.success());
        assert_eq!(
            text(&quiet.stderr),
            format!("No missions found in namespace {ns}.\n")
        );
    })
    .await;
}

#[tokio::test]
async fn a_generate_name_makes_a_fresh_mission_on_every_submit() {
    support::with_namespace("cli-generate", |client, ns| async move {
        support::ensure_crds(&client).await;
        let _operator = Operator::start(&ns);
        let dir = std::env::temp_dir().join(format!("airforce-{ns}"));
        std::fs::create_dir_all(&dir).expect("a directory");
        let file = dir.join("sortie.yaml");
        std::fs::write(
            &file,
            format!("apiVersion: airforce.mil/v1alpha1\nkind: Mission\nmetadata:\n  generateName: sortie-\n{QUICK_SPEC}"),
        )
        .expect("the file is written");
        let file = file.to_string_lossy().into_owned();
        let submit = |extra: &[&str]| {
            let mut args = vec!["-n", ns.as_str(), "mission", "submit", "-f", file.as_str()];
            args.extend(extra);
            airforce(&args)
        };
        let first = submit(&["-o", "name"]);
        let second = submit(&["-o", "name"]);
        let (first, second) = (text(&first.stdout), text(&second.stdout));
        for named in [&first, &second] {
            assert!(
                named.starts_with("mission.airforce.mil/sortie-") && named.lines().count() == 1,
                "{named}"
            );
        }
        assert_ne!(first, second, "each submit makes a mission of its own");

        let watched = submit(&["--watch", "--timeout", "80s"]);
        let out = text(&watched.stdout);
        assert_eq!(
            watched.status.code(),
            Some(0),
            "{out}{}",
            text(&watched.stderr)
        );
        let created = out.lines().next().unwrap_or_default();
        assert!(
            created.starts_with("mission.airforce.mil/sortie-") && created.ends_with(" created"),
            "{out}"
        );
        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        let listed = missions.list(&Default::default()).await.expect("missions");
        assert_eq!(listed.items.len(), 3);
    })
    .await;
}

#[tokio::test]
async fn list_watch_prints_each_change_of_a_mission_until_stopped() {
    support::with_namespace("cli-list-watch", |client, ns| async move {
        use std::io::BufRead;
        support::ensure_crds(&client).await;
        let _operator = Operator::start(&ns);
        let mut watching =
            std::process::Command::new(assert_cmd::cargo::cargo_bin("kubectl-airforce"))
                .arg("--kubeconfig")
                .arg(support::kubeconfig_path())
                .args(["-n", &ns, "mission", "list", "-w"])
                .args([
                    "-o",
                    "custom-columns=NAME:.metadata.name,PHASE:.status.phase",
                ])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("mission list -w starts");
        let stdout = watching.stdout.take().expect("its stdout");
        let (lines, seen) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        support::submit_yaml(
            &ns,
            &format!("apiVersion: airforce.mil/v1alpha1\nkind: Mission\nmetadata: {{name: quick}}\n{QUICK_SPEC}"),
        );
        let mut printed = Vec::new();
        let deadline = std::time::Instant::now() + TIMEOUT;
        while !printed
            .iter()
            .any(|line: &String| line.split_whitespace().eq(["quick", "Succeeded"]))
        {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match seen.recv_timeout(left) {
                Ok(line) => printed.push(line),
                Err(_) => panic!("no Succeeded row within {TIMEOUT:?}: {printed:#?}"),
            }
        }
        let _ = watching.kill();
        let _ = watching.wait();
        assert!(
            printed
                .iter()
                .any(|line| line.split_whitespace().eq(["quick", "Running"])),
            "the mission's run was printed as it went: {printed:#?}"
        );
        assert!(
            !printed.iter().skip(1).any(|line| line.starts_with("NAME")),
            "a header only above the first listing, none for changes: {printed:#?}"
        );
    })
    .await;
}
