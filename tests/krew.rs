//! `krew/render` turns the template into a krew manifest for the crate's version,
//! each platform pointing at its own archive with that archive's checksum
//! (needs bash and sha256sum, no cluster).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_yaml_ng::Value;

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// (os, arch, Rust target of the archive)
const PLATFORMS: [(&str, &str, &str); 4] = [
    ("linux", "amd64", "x86_64-unknown-linux-musl"),
    ("linux", "arm64", "aarch64-unknown-linux-musl"),
    ("darwin", "amd64", "x86_64-apple-darwin"),
    ("darwin", "arm64", "aarch64-apple-darwin"),
];

fn archive_name(target: &str) -> String {
    format!("kubectl-airforce-{target}.tar.gz")
}

/// A directory of stand-in archives, each with different bytes so that a sum on
/// the wrong platform shows.
fn fake_archives(name: &str, targets: &[&str]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for target in targets {
        std::fs::write(
            dir.join(archive_name(target)),
            format!("archive for {target}"),
        )
        .unwrap();
    }
    dir
}

fn render(archives: &Path) -> Output {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("krew/render");
    Command::new("bash")
        .arg(script)
        .arg(VERSION)
        .arg(archives)
        .output()
        .expect("bash runs krew/render")
}

fn sha256(path: &Path) -> String {
    let output = Command::new("sha256sum").arg(path).output().unwrap();
    String::from_utf8(output.stdout).unwrap()[..64].to_owned()
}

#[test]
fn the_rendered_manifest_names_every_platform_with_its_archive_and_checksum() {
    let targets: Vec<&str> = PLATFORMS.iter().map(|(_, _, target)| *target).collect();
    let archives = fake_archives("krew-complete", &targets);
    let output = render(&archives);
    assert!(output.status.success(), "krew/render failed: {output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(!text.contains("{{"), "unfilled template markers:\n{text}");

    let manifest: Value = serde_yaml_ng::from_str(&text).expect("the manifest is YAML");
    assert_eq!(
        manifest["apiVersion"],
        "krew.googlecontainertools.github.com/v1alpha2"
    );
    assert_eq!(manifest["kind"], "Plugin");
    assert_eq!(manifest["metadata"]["name"], "airforce");
    let spec = &manifest["spec"];
    assert_eq!(spec["version"], format!("v{VERSION}").as_str());
    for field in ["homepage", "shortDescription", "description"] {
        assert!(
            spec[field].as_str().is_some_and(|s| !s.is_empty()),
            "spec.{field} is empty"
        );
    }

    let platforms = spec["platforms"]
        .as_sequence()
        .expect("spec.platforms is a list");
    assert_eq!(platforms.len(), PLATFORMS.len());
    for (platform, (os, arch, target)) in platforms.iter().zip(PLATFORMS) {
        let labels = &platform["selector"]["matchLabels"];
        assert_eq!(
            (&labels["os"], &labels["arch"]),
            (&Value::from(os), &Value::from(arch))
        );
        assert_eq!(
            platform["uri"],
            format!(
                "https://github.com/kubectl-airforce/kubectl-airforce/releases/download/v{VERSION}/{}",
                archive_name(target)
            )
            .as_str()
        );
        assert_eq!(
            platform["sha256"],
            sha256(&archives.join(archive_name(target))).as_str()
        );
        assert_eq!(platform["bin"], "kubectl-airforce");
        assert_eq!(platform["files"][0]["from"], "kubectl-airforce");
    }
}

#[test]
fn rendering_without_every_archive_fails_and_names_the_missing_one() {
    let archives = fake_archives("krew-partial", &["x86_64-unknown-linux-musl"]);
    let output = render(&archives);
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(&archive_name("aarch64-unknown-linux-musl")),
        "stderr: {stderr}"
    );
}
