//! `completion`: the scripts it prints are the committed ones, and the kubectl
//! shim answers `kubectl airforce <TAB>` as kubectl asks it (needs bash, no cluster).

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_kubectl-airforce");

fn repo_file(relative: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {path:?}: {e}"))
}

fn printed(shell: &str) -> Vec<u8> {
    let output = Command::new(BIN)
        .args(["completion", shell])
        .output()
        .unwrap();
    assert!(output.status.success(), "completion {shell}: {output:?}");
    output.stdout
}

#[test]
fn completion_prints_the_committed_scripts() {
    for (shell, file) in [
        ("bash", "completions/kubectl-airforce.bash"),
        ("zsh", "completions/_kubectl-airforce"),
        ("fish", "completions/kubectl-airforce.fish"),
        ("powershell", "completions/_kubectl-airforce.ps1"),
        ("kubectl", "completions/kubectl_complete-airforce"),
    ] {
        assert!(
            printed(shell) == repo_file(file),
            "completion {shell} differs from {file}"
        );
    }
}

/// Runs the shim the way kubectl does: the words after `airforce`, the last one
/// being completed, with the freshly built binary first on PATH.
fn kubectl_completes(words: &[&str]) -> Vec<String> {
    let bin_dir = Path::new(BIN).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let shim = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/kubectl_complete-airforce");
    let output = Command::new("bash")
        .arg(shim)
        .args(words)
        .env("PATH", path)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("bash runs the kubectl completion shim");
    assert!(output.status.success(), "{words:?}: {output:?}");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_kubectl_shim_completes_commands_subcommands_flags_and_values() {
    assert!(kubectl_completes(&[""]).contains(&"mission".to_owned()));
    assert_eq!(kubectl_completes(&["mis"]), ["mission"]);
    assert_eq!(kubectl_completes(&["mission", "su"]), ["submit", "suspend"]);
    assert_eq!(
        kubectl_completes(&["-n", "air", "mission", "sub"]),
        ["submit"]
    );
    assert_eq!(
        kubectl_completes(&["mission", "submit", "--dry"]),
        ["--dry-run"]
    );
    assert_eq!(
        kubectl_completes(&["weapon", "check", "-o", ""]),
        ["table", "json", "yaml"]
    );
    assert_eq!(kubectl_completes(&["completion", "p"]), ["powershell"]);
}

#[test]
fn the_kubectl_shim_offers_files_where_a_file_is_expected() {
    assert_eq!(
        kubectl_completes(&["mission", "submit", "-f", "examples/far"]),
        ["examples/far-sea-strike.yaml"]
    );
}
