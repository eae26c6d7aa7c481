//! Output into a reader that stops early (`kubectl airforce crds | head -1`):
//! the command ends quietly with exit 0, never a panic. The pipe's reading
//! end is closed before the command writes, so every write meets a closed
//! pipe whatever the size of the output.

mod support;

use std::process::{Command, Stdio};

/// Runs the binary (on the local cluster, without colour) with stdout a pipe
/// nobody reads from; returns its exit code and stderr.
fn into_closed_pipe(args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("kubectl-airforce"))
        .arg("--kubeconfig")
        .arg(support::kubeconfig_path())
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kubectl-airforce starts");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("kubectl-airforce ends");
    (output.status.code(), support::text(&output.stderr))
}

fn ends_quietly(args: &[&str]) {
    let (code, stderr) = into_closed_pipe(args);
    assert_eq!(
        code,
        Some(0),
        "kubectl airforce {} into a closed pipe: {stderr}",
        args.join(" ")
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn output_without_a_cluster_into_a_closed_pipe_ends_quietly() {
    for args in [
        &["crds"][..],
        &["install", "--dry-run", "-o", "yaml"],
        &["completion", "bash"],
        &[
            "mission",
            "validate",
            "-f",
            "examples/weapons.yaml",
            "-f",
            "examples/far-sea-strike.yaml",
        ],
        &[
            "weapon",
            "check",
            "pl-15",
            "-f",
            "examples/weapons.yaml",
            "--aircraft-type",
            "j20",
        ],
    ] {
        ends_quietly(args);
    }
}

#[tokio::test]
async fn output_from_the_cluster_into_a_closed_pipe_ends_quietly() {
    support::with_namespace("pipes", |client, ns| async move {
        support::ensure_crds(&client).await;
        support::submit(&ns, &["examples/far-sea-strike.yaml"]);
        let mission = "far-sea-strike";
        for args in [
            &["mission", "list", "-o", "json"][..],
            &["mission", "get", mission, "-o", "yaml"],
            &["mission", "describe", mission],
            &["watch", mission, "--no-follow"],
            &["node", "list", "-o", "yaml"],
            &[
                "mission",
                "submit",
                "-f",
                "examples/far-sea-strike.yaml",
                "--dry-run=client",
            ],
        ] {
            let mut scoped = vec!["-n", ns.as_str()];
            scoped.extend(args);
            ends_quietly(&scoped);
        }
    })
    .await;
}
