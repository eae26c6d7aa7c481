//! `kubectl airforce watch` against the local cluster: piped, it logs one line
//! per change without escape codes and exits with the mission's outcome; in a
//! terminal (a pseudo-terminal made by `script`) it redraws the tree in place.
//! Each test starts its own `run`, restricted to the test's namespace.

mod support;

use std::process::{Command, Output, Stdio};

use support::Operator;

/// A mission of a few seconds: two parallel tasks, then two in sequence.
const SORTIE: &str = r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {name: sortie}
spec:
  stages:
  - name: recon
    type: parallel
    flightTasks:
    - name: look-1
      role: recon
      aircraftRequirement: {type: j20}
      podTemplate: {metadata: {annotations: {sim.airforce.mil/duration: 1s}}}
    - name: look-2
      role: recon
      aircraftRequirement: {type: j20}
      podTemplate: {metadata: {annotations: {sim.airforce.mil/duration: 1s}}}
  - name: strike
    type: sequential
    dependsOn: [recon]
    flightTasks:
    - name: hit-1
      role: strike
      aircraftRequirement: {type: j20}
      podTemplate: {metadata: {annotations: {sim.airforce.mil/duration: 1s}}}
    - name: hit-2
      role: strike
      aircraftRequirement: {type: j20}
      podTemplate: {metadata: {annotations: {sim.airforce.mil/duration: 1s}}}
"#;

/// Fails fast, and without failing a pod: a task that outlasts its stage's
/// timeout is stopped, so no aircraft is tainted for the other tests.
const DOOMED: &str = r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {name: doomed}
spec:
  config: {failurePolicy: {maxRetries: 0, stageFailureAction: abort}}
  stages:
  - name: loiter
    timeout: 2s
    flightTasks:
    - name: orbit
      aircraftRequirement: {type: j20}
      podTemplate: {metadata: {annotations: {sim.airforce.mil/duration: 60s}}}
  - name: never
    dependsOn: [loiter]
    flightTasks:
    - name: idle
      aircraftRequirement: {type: j20}
"#;

/// Long enough for a mission of a few seconds on a busy machine, short enough
/// that a watch that never ends fails the test instead of hanging it.
const WATCH_TIMEOUT: &str = "120";

fn binary() -> String {
    let path = assert_cmd::cargo::cargo_bin("kubectl-airforce");
    path.to_str().expect("a UTF-8 binary path").to_string()
}

/// `watch` with stdout piped, as in CI; colour is left to the command to decide.
async fn watch_piped(namespace: &str, args: &[&str]) -> Output {
    let mut command = Command::new("timeout");
    command
        .args([WATCH_TIMEOUT, &binary(), "--kubeconfig"])
        .arg(support::kubeconfig_path())
        .args(["-n", namespace, "watch"])
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null());
    run(command).await
}

/// `watch` in a pseudo-terminal: `script` gives it one and returns its exit code.
async fn watch_in_terminal(namespace: &str, mission: &str) -> Output {
    let kubeconfig = support::kubeconfig_path();
    let line = format!(
        "timeout {WATCH_TIMEOUT} {} --kubeconfig {} -n {namespace} watch {mission}",
        binary(),
        kubeconfig.display()
    );
    let mut command = Command::new("script");
    command
        .args(["-qefc", &line, "/dev/null"])
        .env_remove("NO_COLOR")
        .stdin(Stdio::null());
    run(command).await
}

async fn run(mut command: Command) -> Output {
    tokio::task::spawn_blocking(move || command.output().expect("the command runs"))
        .await
        .expect("the command's thread")
}

fn describe(output: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status.code(),
        support::text(&output.stdout),
        support::text(&output.stderr)
    )
}

/// The position of the first line containing `needle`, for ordering checks.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|line| line.contains(needle))
        .unwrap_or_else(|| panic!("no line contains {needle:?} in:\n{text}"))
}

#[tokio::test]
async fn piped_watch_logs_each_change_without_escape_codes_and_exits_0_on_success() {
    support::with_namespace("watch-pipe", |client, ns| async move {
        support::ensure_crds(&client).await;
        let _operator = Operator::start(&ns);
        support::submit_yaml(&ns, SORTIE);

        let output = watch_piped(&ns, &["sortie"]).await;
        let stdout = support::text(&output.stdout);
        assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
        assert!(!stdout.contains('\u{1b}'), "{}", describe(&output));

        let recon_done = line_of(&stdout, "stage sortie/recon Succeeded (2/2 tasks)");
        let strike_runs = line_of(&stdout, "stage sortie/strike Running");
        assert!(recon_done < strike_runs, "{stdout}");
        let hit_1 = line_of(&stdout, "task sortie/strike/hit-1 Succeeded on ");
        let hit_2 = line_of(&stdout, "task sortie/strike/hit-2 Succeeded on ");
        assert!(hit_1 < hit_2, "sequential tasks finish in order:\n{stdout}");
        let finished = line_of(&stdout, "mission sortie Succeeded (4/4 tasks succeeded");
        assert!(finished > hit_2, "{stdout}");
        assert!(
            stdout
                .lines()
                .next()
                .is_some_and(|l| l.as_bytes()[2] == b':'),
            "lines start with the time:\n{stdout}"
        );

        let tree = &stdout[stdout
            .find("\n\n")
            .expect("the final tree follows a blank line")..];
        assert!(tree.contains("✔ sortie  Succeeded"), "{tree}");
        assert!(tree.contains("← needs: recon"), "{tree}");
        assert!(
            tree.contains("└─ pod sortie.strike.hit-2-1  Succeeded"),
            "{tree}"
        );
    })
    .await;
}

#[tokio::test]
async fn piped_watch_exits_1_when_the_mission_fails() {
    support::with_namespace("watch-fail", |client, ns| async move {
        support::ensure_crds(&client).await;
        let _operator = Operator::start(&ns);
        support::submit_yaml(&ns, DOOMED);

        let output = watch_piped(&ns, &["doomed"]).await;
        let stdout = support::text(&output.stdout);
        assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
        assert!(!stdout.contains('\u{1b}'), "{}", describe(&output));
        assert!(stdout.contains("stage doomed/loiter Failed"), "{stdout}");
        assert!(stdout.contains("mission doomed Failed"), "{stdout}");
        assert!(stdout.contains("✖ doomed  Failed"), "{stdout}");
        assert!(
            !stdout.contains("stage doomed/never "),
            "the stage after the failure never starts:\n{stdout}"
        );
    })
    .await;
}

#[tokio::test]
async fn in_a_terminal_watch_redraws_the_tree_in_place_and_leaves_the_final_one() {
    support::with_namespace("watch-tty", |client, ns| async move {
        support::ensure_crds(&client).await;
        let _operator = Operator::start(&ns);
        support::submit_yaml(&ns, SORTIE);

        let output = watch_in_terminal(&ns, "sortie").await;
        let stdout = support::text(&output.stdout);
        assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
        let cursor_up = regex_lite::Regex::new("\u{1b}\\[[0-9]+A").expect("a regex");
        assert!(
            cursor_up.is_match(&stdout),
            "the cursor moves up to redraw: {stdout:?}"
        );
        assert!(
            stdout.contains("\u{1b}[K"),
            "lines are cleared to their end"
        );
        let last_frame = &stdout[stdout.rfind("\u{1b}[?2026h").expect("a frame")..];
        for part in [
            "sortie",
            "Succeeded",
            "4/4 tasks",
            "hit-2",
            "sortie.strike.hit-2-1",
        ] {
            assert!(last_frame.contains(part), "{part} in {last_frame:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn with_no_follow_the_tree_is_printed_once_even_before_the_mission_starts() {
    support::with_namespace("watch-once", |client, ns| async move {
        support::ensure_crds(&client).await;
        support::submit_yaml(&ns, SORTIE);

        let output = watch_piped(&ns, &["sortie", "--no-follow"]).await;
        let stdout = support::text(&output.stdout);
        assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
        assert!(stdout.starts_with("◌ sortie  Pending"), "{stdout}");
        assert!(stdout.contains("└─ ◌ strike  sequential"), "{stdout}");
        assert!(stdout.contains("◌ hit-2"), "{stdout}");
        assert_eq!(
            stdout.lines().count(),
            7,
            "mission, 2 stages, 4 tasks:\n{stdout}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_mission_that_does_not_exist_is_named_with_its_namespace() {
    support::with_namespace("watch-none", |client, ns| async move {
        support::ensure_crds(&client).await;
        let output = watch_piped(&ns, &["ghost"]).await;
        assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
        let stderr = support::text(&output.stderr);
        assert!(
            stderr.contains(&format!("mission ghost not found in namespace {ns}")),
            "{stderr}"
        );
    })
    .await;
}

#[tokio::test]
async fn submit_with_watch_follows_the_submitted_mission_to_its_end() {
    support::with_namespace("watch-submit", |client, ns| async move {
        support::ensure_crds(&client).await;
        let _operator = Operator::start(&ns);
        let file = std::env::temp_dir().join(format!("{ns}-sortie.yaml"));
        std::fs::write(&file, SORTIE).expect("write the mission file");
        let mut command = Command::new("timeout");
        command
            .args([WATCH_TIMEOUT, &binary(), "--kubeconfig"])
            .arg(support::kubeconfig_path())
            .args(["-n", &ns, "mission", "submit", "--watch", "-f"])
            .arg(&file)
            .stdin(Stdio::null());
        let output = run(command).await;
        let _ = std::fs::remove_file(&file);
        let stdout = support::text(&output.stdout);
        assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
        let submitted = line_of(&stdout, "mission.airforce.mil/sortie ");
        let finished = line_of(&stdout, "mission sortie Succeeded");
        assert!(submitted < finished, "{stdout}");
    })
    .await;
}
