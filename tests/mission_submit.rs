//! `kubectl airforce mission submit` on the local cluster: creates once, is a
//! no-op the second time, lets the API server's own schema and CEL rules refuse
//! what slips past the offline checks, and never applies half a batch.

mod support;

use kube::Api;
use kube::api::ListParams;
use kubectl_airforce::api::{Mission, Weapon};
use support::{airforce, text};

const MISSION: &str = "examples/far-sea-strike.yaml";
const WEAPONS: &str = "examples/weapons.yaml";

fn submit(namespace: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "-n", namespace, "mission", "submit", "-f", WEAPONS, "-f", MISSION,
    ];
    args.extend_from_slice(extra);
    airforce(&args)
}

async fn mission_names(client: &kube::Client, namespace: &str) -> Vec<String> {
    let missions: Api<Mission> = Api::namespaced(client.clone(), namespace);
    let list = missions
        .list(&ListParams::default())
        .await
        .expect("missions list");
    list.items
        .into_iter()
        .filter_map(|m| m.metadata.name)
        .collect()
}

#[tokio::test]
async fn submitting_the_same_files_twice_leaves_one_unchanged_mission() {
    support::with_namespace("submit-twice", |client, ns| async move {
        support::ensure_crds(&client).await;
        let first = submit(&ns, &[]);
        assert!(first.status.success(), "{}", text(&first.stderr));
        let stdout = text(&first.stdout);
        assert!(
            stdout.contains("weapon.airforce.mil/pl-15 created"),
            "{stdout}"
        );
        assert!(
            stdout.contains("mission.airforce.mil/far-sea-strike created"),
            "{stdout}"
        );

        let second = submit(&ns, &[]);
        assert!(second.status.success(), "{}", text(&second.stderr));
        assert!(
            text(&second.stdout).contains("mission.airforce.mil/far-sea-strike unchanged"),
            "{}",
            text(&second.stdout)
        );
        assert_eq!(mission_names(&client, &ns).await, ["far-sea-strike"]);
        let weapons: Api<Weapon> = Api::namespaced(client.clone(), &ns);
        assert_eq!(
            weapons
                .list(&ListParams::default())
                .await
                .expect("weapons")
                .items
                .len(),
            3
        );
    })
    .await;
}

#[tokio::test]
async fn a_server_dry_run_is_refused_by_the_api_servers_own_rules() {
    support::with_namespace("submit-cel", |client, ns| async move {
        support::ensure_crds(&client).await;
        let cases = [
            (
                "examples/invalid/duplicate-stage.yaml",
                "stage names must be unique within the mission",
            ),
            (
                "examples/invalid/self-dependency.yaml",
                "a stage cannot depend on itself",
            ),
            (
                "examples/invalid/quantity-zero.yaml",
                "should be greater than or equal to 1",
            ),
        ];
        for (file, refusal) in cases {
            let output = airforce(&[
                "-n",
                &ns,
                "mission",
                "submit",
                "-f",
                WEAPONS,
                "-f",
                file,
                "--dry-run=server",
                "--validate=ignore",
            ]);
            assert!(!output.status.success(), "{file} was accepted");
            let stderr = text(&output.stderr);
            assert!(stderr.contains(refusal), "{file}: {stderr}");
            assert!(stderr.contains("nothing was submitted"), "{stderr}");
        }
        assert!(mission_names(&client, &ns).await.is_empty());
    })
    .await;
}

#[tokio::test]
async fn an_invalid_file_stops_the_whole_batch_before_the_cluster_sees_it() {
    support::with_namespace("submit-invalid", |client, ns| async move {
        support::ensure_crds(&client).await;
        let output = submit(&ns, &["-f", "examples/invalid/stage-cycle.yaml"]);
        assert_eq!(output.status.code(), Some(1));
        let stderr = text(&output.stderr);
        assert!(stderr.contains("stage-cycle.yaml"), "{stderr}");
        assert!(
            mission_names(&client, &ns).await.is_empty(),
            "nothing is applied"
        );
        let weapons: Api<Weapon> = Api::namespaced(client.clone(), &ns);
        assert!(
            weapons
                .list(&ListParams::default())
                .await
                .expect("weapons")
                .items
                .is_empty()
        );
    })
    .await;
}

#[tokio::test]
async fn a_batch_the_api_server_refuses_in_part_is_not_applied_at_all() {
    support::with_namespace("submit-atomic", |client, ns| async move {
        support::ensure_crds(&client).await;
        let output = submit(
            &ns,
            &[
                "-f",
                "examples/invalid/duplicate-stage.yaml",
                "--validate=warn",
            ],
        );
        assert_eq!(output.status.code(), Some(1), "{}", text(&output.stdout));
        assert!(
            text(&output.stderr).contains("refused 1 of 5 objects"),
            "{}",
            text(&output.stderr)
        );
        assert!(
            mission_names(&client, &ns).await.is_empty(),
            "the valid mission was not applied either"
        );
    })
    .await;
}

#[test]
fn a_client_dry_run_prints_the_objects_without_a_cluster() {
    let output = assert_cmd::Command::cargo_bin("kubectl-airforce")
        .expect("binary")
        .args([
            "--kubeconfig",
            "/nonexistent",
            "-n",
            "ops",
            "mission",
            "submit",
            "-f",
            WEAPONS,
            "-f",
            MISSION,
        ])
        .arg("--dry-run=client")
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", text(&output.stderr));
    let yaml = text(&output.stdout);
    assert!(
        yaml.contains("kind: Mission") && yaml.contains("namespace: ops"),
        "{yaml}"
    );
    assert_eq!(yaml.matches("kind: Weapon").count(), 3);
}

/// As kubectl refuses it: `-n b` for a file that says `namespace: a` is an
/// error naming both and the file, and nothing reaches either namespace.
#[tokio::test]
async fn a_namespace_given_with_n_against_the_files_own_is_refused() {
    support::with_namespace("submit-ns-a", |client, ns| async move {
        support::ensure_crds(&client).await;
        let file = std::env::temp_dir().join(format!("{ns}-elsewhere.yaml"));
        let mission = std::fs::read_to_string(MISSION).expect("the example mission");
        let elsewhere =
            mission.replacen("metadata:\n", &format!("metadata:\n  namespace: {ns}\n"), 1);
        assert_ne!(elsewhere, mission, "the example has a metadata block");
        std::fs::write(&file, elsewhere).expect("the file is written");
        let path = file.to_str().expect("a UTF-8 path");
        let other = format!("{ns}-b");
        let refused = airforce(&["-n", &other, "mission", "submit", "-f", WEAPONS, "-f", path]);
        let _ = std::fs::remove_file(&file);
        let stderr = text(&refused.stderr);
        assert_eq!(refused.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(&format!("-n {other}"))
                && stderr.contains(&format!("metadata.namespace: {ns}"))
                && stderr.contains(path),
            "{stderr}"
        );
        assert!(mission_names(&client, &ns).await.is_empty());
        let weapons: Api<Weapon> = Api::namespaced(client.clone(), &ns);
        let listed = weapons
            .list(&ListParams::default())
            .await
            .expect("weapons list");
        assert!(listed.items.is_empty(), "nothing applied");
    })
    .await;
}
