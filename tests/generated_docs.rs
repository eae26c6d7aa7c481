//! The committed completions/, man/ and crds/ are exactly what the clap
//! definition and the API types generate now: nothing stale, nothing missing,
//! nothing left over.
//!
//! `AIRFORCE_UPDATE_DOCS=1 cargo test --test generated_docs` rewrites them first.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use kubectl_airforce::cli::generated_docs::{DIRECTORIES, GeneratedFile, generated_files};

const REGENERATE: &str = "AIRFORCE_UPDATE_DOCS=1 cargo test --test generated_docs";

#[test]
fn committed_completions_man_pages_and_crds_match_what_the_code_generates() {
    let generated = generated_files();
    if std::env::var_os("AIRFORCE_UPDATE_DOCS").is_some_and(|value| value == "1") {
        update(&generated);
    }
    let problems = drift(&generated);
    assert!(
        problems.is_empty(),
        "completions/, man/ and crds/ do not match what the code generates:\n  {}\nregenerate them with: {REGENERATE}",
        problems.join("\n  ")
    );
}

fn drift(generated: &[GeneratedFile]) -> Vec<String> {
    let mut problems = Vec::new();
    for file in generated {
        match fs::read(repo_path(&file.path)) {
            Err(_) => problems.push(format!("{}: missing", file.path)),
            Ok(committed) if committed != file.contents => problems.push(format!(
                "{}: stale from line {}",
                file.path,
                first_difference(&committed, &file.contents)
            )),
            Ok(_) if file.executable && !is_executable(&repo_path(&file.path)) => {
                problems.push(format!("{}: not executable", file.path));
            }
            Ok(_) => {}
        }
    }
    let wanted: BTreeSet<&str> = generated.iter().map(|file| file.path.as_str()).collect();
    for path in committed_paths() {
        if !wanted.contains(path.as_str()) {
            problems.push(format!("{path}: no longer generated"));
        }
    }
    problems
}

fn update(generated: &[GeneratedFile]) {
    let wanted: BTreeSet<&str> = generated.iter().map(|file| file.path.as_str()).collect();
    for path in committed_paths() {
        if !wanted.contains(path.as_str()) {
            fs::remove_file(repo_path(&path)).unwrap_or_else(|e| panic!("removing {path}: {e}"));
        }
    }
    for file in generated {
        let target = repo_path(&file.path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).unwrap_or_else(|e| panic!("creating {parent:?}: {e}"));
        }
        fs::write(&target, &file.contents).unwrap_or_else(|e| panic!("writing {target:?}: {e}"));
        if file.executable {
            make_executable(&target);
        }
    }
}

/// Every file under the generated directories, as a `/`-separated relative path.
fn committed_paths() -> Vec<String> {
    let mut paths = Vec::new();
    let mut pending: Vec<String> = DIRECTORIES.iter().map(|dir| dir.to_string()).collect();
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(repo_path(&dir)) else {
            continue;
        };
        for entry in entries {
            let entry = entry.unwrap_or_else(|e| panic!("listing {dir}: {e}"));
            let path = format!("{dir}/{}", entry.file_name().to_string_lossy());
            if entry.path().is_dir() {
                pending.push(path);
            } else {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
}

fn first_difference(committed: &[u8], generated: &[u8]) -> usize {
    let mut committed = committed.split(|&byte| byte == b'\n');
    let mut generated = generated.split(|&byte| byte == b'\n');
    let mut line = 1;
    while committed.next() == generated.next() {
        line += 1;
    }
    line
}

fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|meta| meta.permissions().mode() & 0o111 != 0)
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755))
        .unwrap_or_else(|e| panic!("making {path:?} executable: {e}"));
}

// Windows has no execute bit; git keeps the one committed from unix.
#[cfg(not(unix))]
fn is_executable(_path: &Path) -> bool {
    true
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) {}
