//! `kubectl airforce logs` on the local cluster with `run` going: the output
//! of every attempt of a task that failed three times and then ran past its
//! timeout, read after the task has failed; the failure told by the tree and
//! `describe`; a task followed with `-f` through its retries. kwok serves each
//! attempt's pod a log file of its own through a Logs object named after the
//! pod, as a container runtime would keep each container's output.

mod support;

use std::path::Path;
use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use kube::api::DeleteParams;
use kubectl_airforce::api::{FlightTask, FlightTaskPhase};
use support::Operator;

const TIMEOUT: Duration = Duration::from_secs(120);

/// Gives pod `pod` of namespace `ns` the output `lines`, as kwok serves it.
fn give_output(ns: &str, dir: &Path, pod: &str, lines: &[&str]) {
    let file = dir.join(format!("{pod}.log"));
    let text: String = (lines.iter().enumerate())
        .map(|(second, line)| format!("2026-01-01T00:00:0{second}.000000000Z stdout F {line}\n"))
        .collect();
    std::fs::write(&file, text).expect("the log file is written");
    let manifest = dir.join(format!("{pod}.yaml"));
    let yaml = format!(
        "apiVersion: kwok.x-k8s.io/v1alpha1\nkind: Logs\nmetadata: {{name: {pod}, namespace: {ns}}}\nspec:\n  logs:\n  - logsFile: {}\n",
        file.display()
    );
    std::fs::write(&manifest, yaml).expect("the manifest is written");
    let applied = support::kubectl(&["apply", "-f", &manifest.to_string_lossy()]);
    assert!(
        applied.status.success(),
        "{}",
        support::text(&applied.stderr)
    );
}

/// A directory of the test's own for the log files kwok serves.
fn output_dir(ns: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("airforce-{ns}"));
    std::fs::create_dir_all(&dir).expect("the directory is made");
    dir
}

fn stubborn(kind: &str) -> String {
    format!(
        r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {{name: stubborn}}
spec:
  stages:
  - name: recon
    flightTasks:
    - name: bad
      aircraftRequirement: {{type: {kind}}}
      timeout: 3s
      retryBackoff: 500ms
      podTemplate:
        metadata:
          annotations:
            sim.airforce.mil/exit-code: "3"
            sim.airforce.mil/exit-code-attempts: "1,2,3"
            sim.airforce.mil/fail-after: 1s
            sim.airforce.mil/duration: 60s
"#
    )
}

#[tokio::test]
async fn every_attempt_of_a_task_that_failed_three_times_then_timed_out_can_be_read() {
    support::with_namespace("logs", |client, ns| async move {
        support::ensure_crds(&client).await;
        let kind = support::tag("lg", &ns);
        let fleet = client.clone();
        support::with_squadron(&fleet, &kind.clone(), 2, move |_| async move {
            let dir = output_dir(&ns);
            for attempt in 1..=4 {
                let pod = format!("stubborn.recon.bad-{attempt}");
                let words = match attempt {
                    4 => "holding over the target".to_string(),
                    n => format!("engine {n} flamed out"),
                };
                give_output(
                    &ns,
                    &dir,
                    &pod,
                    &[&format!("attempt {attempt} airborne"), &words],
                );
            }
            let _operator = Operator::start(&ns);
            support::submit_yaml(&ns, &stubborn(&kind));
            let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
            let task = support::wait_for(
                &tasks,
                "stubborn.recon.bad",
                TIMEOUT,
                "Failed",
                |t: Option<&FlightTask>| {
                    t.and_then(|t| t.status.as_ref()).and_then(|s| s.phase)
                        == Some(FlightTaskPhase::Failed)
                },
            )
            .await;
            let policy = &task.spec.template.policy;
            assert_eq!(
                policy.retry_backoff.as_deref(),
                Some("500ms"),
                "the task carries its backoff"
            );

            // Every attempt's pod stays, the last one stopped at its timeout.
            let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
            support::wait_stopped(&pods, "stubborn.recon.bad-4", TIMEOUT).await;
            let all =
                support::airforce_ok(&["-n", &ns, "logs", "stubborn", "bad", "--attempt", "all"]);
            println!("{all}");
            let expected = [
                "[recon/bad#1] attempt 1 airborne",
                "[recon/bad#1] engine 1 flamed out",
                "[recon/bad#2] engine 2 flamed out",
                "[recon/bad#3] engine 3 flamed out",
                "[recon/bad#4] attempt 4 airborne",
                "[recon/bad#4] holding over the target",
            ];
            for line in expected {
                assert!(
                    all.lines().any(|l| l == line),
                    "{line:?} missing from:\n{all}"
                );
            }
            assert_eq!(
                all.lines().count(),
                8,
                "two lines from each of four attempts:\n{all}"
            );

            // By default the latest attempt; by number; the failed ones; the tail.
            let latest = support::airforce_ok(&["-n", &ns, "logs", "stubborn"]);
            assert_eq!(
                latest,
                "[recon/bad#4] attempt 4 airborne\n[recon/bad#4] holding over the target\n"
            );
            let second = support::airforce_ok(&[
                "-n",
                &ns,
                "logs",
                "stubborn",
                "recon/bad",
                "--attempt",
                "2",
                "--tail",
                "1",
                "--timestamps",
            ]);
            assert_eq!(
                second,
                "[recon/bad#2] 2026-01-01T00:00:01.000000000Z engine 2 flamed out\n"
            );

            // The tree and describe tell why it failed, after the fact.
            let tree = support::airforce(&["-n", &ns, "watch", "stubborn", "--no-follow"]);
            let drawn = support::text(&tree.stdout);
            assert_eq!(tree.status.code(), Some(1), "{drawn}");
            assert!(
                drawn.contains("✖ bad") && drawn.contains("it ran longer than its timeout of 3s"),
                "{drawn}"
            );
            let described = support::airforce_ok(&["-n", &ns, "mission", "describe", "stubborn"]);
            for told in ["DeadlineExceeded", "exited with code 3"] {
                assert!(
                    described.contains(told),
                    "{told:?} missing from:\n{described}"
                );
            }

            // The scheduler's decision for the task, named as the tree names it.
            for named in ["stubborn/bad", "stubborn/recon/bad"] {
                let explained = support::airforce_ok(&["-n", &ns, "schedule", "explain", named]);
                assert!(explained.contains("(chosen)"), "{explained}");
            }
            let unknown = support::airforce(&["-n", &ns, "schedule", "explain", "stubborn/good"]);
            assert_eq!(unknown.status.code(), Some(1));
            assert!(
                support::text(&unknown.stderr)
                    .contains("mission stubborn has no task good: its tasks are recon/bad"),
                "{}",
                support::text(&unknown.stderr)
            );

            // A pod that is gone is named, and reading only it fails.
            (pods
                .delete("stubborn.recon.bad-1", &DeleteParams::default())
                .await)
                .expect("deleted");
            support::wait_deleted(&pods, "stubborn.recon.bad-1", TIMEOUT).await;
            let described = support::airforce_ok(&["-n", &ns, "mission", "describe", "stubborn"]);
            assert!(
                described.contains("pod/stubborn.recon.bad-1"),
                "the Events of a pod deleted since are still told:\n{described}"
            );
            let gone = support::airforce(&["-n", &ns, "logs", "stubborn", "bad", "--attempt", "1"]);
            assert_eq!(gone.status.code(), Some(1));
            assert_eq!(
                support::text(&gone.stderr),
                "[recon/bad#1] no output: pod stubborn.recon.bad-1 is gone, and its logs with it\n"
            );
            let rest =
                support::airforce_ok(&["-n", &ns, "logs", "stubborn", "bad", "--attempt", "all"]);
            assert_eq!(rest.lines().count(), 6, "{rest}");

            let unknown = support::airforce(&["-n", &ns, "logs", "stubborn", "good"]);
            assert_eq!(unknown.status.code(), Some(1));
            assert!(
                support::text(&unknown.stderr)
                    .contains("mission stubborn has no task good: give one of recon/bad"),
                "{}",
                support::text(&unknown.stderr)
            );
        })
        .await;
    })
    .await;
}

#[tokio::test]
async fn follow_reads_a_task_through_its_retries_until_it_succeeds() {
    support::with_namespace("logs-follow", |client, ns| async move {
        support::ensure_crds(&client).await;
        let kind = support::tag("lf", &ns);
        let fleet = client.clone();
        support::with_squadron(&fleet, &kind.clone(), 2, move |_| async move {
            let dir = output_dir(&ns);
            for attempt in 1..=3 {
                let pod = format!("shaky.recon.scout-{attempt}");
                give_output(&ns, &dir, &pod, &[&format!("attempt {attempt} reporting")]);
            }
            let _operator = Operator::start(&ns);
            support::submit_yaml(
                &ns,
                &format!(
                    r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {{name: shaky}}
spec:
  stages:
  - name: recon
    flightTasks:
    - name: scout
      aircraftRequirement: {{type: {kind}}}
      podTemplate:
        metadata:
          annotations:
            sim.airforce.mil/exit-code: "1"
            sim.airforce.mil/exit-code-attempts: "1,2"
            sim.airforce.mil/fail-after: 1s
            sim.airforce.mil/duration: 3s
"#
                ),
            );
            let follow = ns.clone();
            let followed = tokio::time::timeout(
                TIMEOUT,
                tokio::task::spawn_blocking(move || {
                    support::airforce(&["-n", &follow, "logs", "shaky", "scout", "-f", "--attempt", "all"])
                }),
            )
            .await
            .expect("-f ends once the task has ended")
            .expect("the command ran");
            let out = support::text(&followed.stdout);
            println!("{out}{}", support::text(&followed.stderr));
            assert!(followed.status.success(), "{}", support::text(&followed.stderr));
            assert_eq!(
                out,
                "[recon/scout#1] attempt 1 reporting\n[recon/scout#2] attempt 2 reporting\n[recon/scout#3] attempt 3 reporting\n"
            );
            let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
            let task = tasks.get("shaky.recon.scout").await.expect("the task");
            assert_eq!(task.status.and_then(|s| s.phase), Some(FlightTaskPhase::Succeeded));
        })
        .await;
    })
    .await;
}
