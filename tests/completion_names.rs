//! Completion of names against the local cluster: the bash script and the
//! kubectl shim offer the missions of the namespace the command line names for
//! `mission get <TAB>`, the cluster's namespaces for `-n <TAB>`, a mission's tasks
//! for `logs MISSION <TAB>`, flight tasks and weapons.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

const BIN: &str = env!("CARGO_BIN_EXE_kubectl-airforce");

/// PATH with the freshly built binary first.
fn path_with_binary() -> std::ffi::OsString {
    let bin_dir = Path::new(BIN).parent().expect("the binary's directory");
    std::env::join_paths(
        std::iter::once(bin_dir.to_path_buf()).chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )),
    )
    .expect("a PATH")
}

fn lines(output: std::process::Output, what: &str) -> Vec<String> {
    assert!(output.status.success(), "{what}: {output:?}");
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    text.lines()
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

/// What bash offers for `kubectl-airforce WORDS…` (the last word being
/// completed) through the committed completion script.
fn bash_completes(words: &[&str]) -> Vec<String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/kubectl-airforce.bash");
    let quoted: Vec<String> = words.iter().map(|word| format!("'{word}'")).collect();
    let program = format!(
        r#"source '{}'
COMP_WORDS=(kubectl-airforce {})
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
COMP_LINE="${{COMP_WORDS[*]}}"
COMP_POINT=${{#COMP_LINE}}
COMP_TYPE=9
_clap_complete_kubectl_airforce kubectl-airforce "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#,
        script.display(),
        quoted.join(" ")
    );
    let output = Command::new("bash")
        .args(["-c", &program])
        .env("PATH", path_with_binary())
        .output()
        .expect("bash runs");
    lines(output, &format!("bash {words:?}"))
}

/// What the kubectl shim answers for `kubectl airforce WORDS…`.
fn kubectl_completes(words: &[&str]) -> Vec<String> {
    let shim = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/kubectl_complete-airforce");
    let output = Command::new("bash")
        .arg(shim)
        .args(words)
        .env("PATH", path_with_binary())
        .output()
        .expect("bash runs the shim");
    lines(output, &format!("shim {words:?}"))
}

#[tokio::test]
async fn mission_names_and_namespaces_come_from_the_cluster() {
    support::with_namespace("complete-names", |client, ns| async move {
        support::ensure_crds(&client).await;
        support::submit(&ns, &["examples/far-sea-strike.yaml"]);
        let kubeconfig = support::kubeconfig_path();
        let kubeconfig = kubeconfig.to_str().expect("a UTF-8 path");

        let mission_get = |typed: &str| {
            bash_completes(&[
                "--kubeconfig",
                kubeconfig,
                "-n",
                &ns,
                "mission",
                "get",
                typed,
            ])
        };
        let started = Instant::now();
        let offered = mission_get("");
        let took = started.elapsed();
        // With nothing typed, the flags follow the names (as clap offers them).
        let names: Vec<&String> = offered
            .iter()
            .filter(|word| !word.starts_with('-'))
            .collect();
        assert_eq!(names, ["far-sea-strike"], "{offered:?}");
        assert_eq!(offered[0], "far-sea-strike");
        assert_eq!(mission_get("far"), ["far-sea-strike"]);
        assert!(mission_get("zz").is_empty());
        let prefix = &ns[..ns.len() - 2];
        let offered = bash_completes(&["--kubeconfig", kubeconfig, "-n", prefix]);
        assert!(offered.contains(&ns), "{ns} among {offered:?}");

        let offered = kubectl_completes(&[
            "--kubeconfig",
            kubeconfig,
            "-n",
            &ns,
            "mission",
            "describe",
            "f",
        ]);
        assert_eq!(offered, ["far-sea-strike"]);
        let offered = kubectl_completes(&["--kubeconfig", kubeconfig, "--namespace", prefix]);
        assert!(offered.contains(&ns), "{ns} among {offered:?}");
        println!("mission names offered in {} ms", took.as_millis());
    })
    .await;
}

#[tokio::test]
async fn task_and_weapon_names_come_from_the_cluster() {
    use kube::Api;
    use kube::api::PostParams;
    use kubectl_airforce::api::{FlightTask, FlightTaskSpec};

    support::with_namespace("complete-tasks", |client, ns| async move {
        support::ensure_crds(&client).await;
        support::submit(&ns, &[]);
        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
        for (stage, task) in [("sweep", "look"), ("sweep", "listen"), ("strike", "hit")] {
            let mut flight_task =
                FlightTask::new(&format!("patrol.{stage}.{task}"), FlightTaskSpec::default());
            flight_task.metadata.labels = Some(
                [
                    ("airforce.mil/mission", "patrol"),
                    ("airforce.mil/stage", stage),
                    ("airforce.mil/task", task),
                ]
                .map(|(key, value)| (key.to_string(), value.to_string()))
                .into(),
            );
            (tasks.create(&PostParams::default(), &flight_task).await)
                .expect("the task is created");
        }
        let kubeconfig = support::kubeconfig_path();
        let kubeconfig = kubeconfig.to_str().expect("a UTF-8 path");
        let complete = |words: &[&str]| {
            let mut line = vec!["--kubeconfig", kubeconfig, "-n", ns.as_str()];
            line.extend(words);
            bash_completes(&line)
        };
        assert_eq!(complete(&["logs", "patrol", "l"]), ["listen", "look"]);
        assert_eq!(
            complete(&["logs", "--attempt", "all", "mission/patrol", "h"]),
            ["hit"]
        );
        assert_eq!(
            complete(&["schedule", "explain", "patrol.sw"]),
            ["patrol.sweep.listen", "patrol.sweep.look"]
        );
        assert_eq!(complete(&["weapon", "versions", "pl"]), ["pl-10", "pl-15"]);
    })
    .await;
}
