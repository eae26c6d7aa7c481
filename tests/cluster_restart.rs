//! The local cluster keeps its data when a component dies: `tests/cluster/up`
//! starts again only what is down, with the same certificates and etcd data.
//! A test binary of its own, so no other test sees the API server go away.

mod support;

use std::process::Command;
use std::time::Duration;

use kube::Api;
use kube::api::PostParams;
use kubectl_airforce::api::Mission;

#[tokio::test]
async fn a_killed_api_server_comes_back_with_every_mission_still_there() {
    support::with_namespace("restart", |client, ns| async move {
        support::ensure_crds(&client).await;
        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        let mission: Mission = serde_yaml_ng::from_str(
            "apiVersion: airforce.mil/v1alpha1\nkind: Mission\nmetadata: {name: kept}\nspec:\n  stages:\n  - name: s\n    flightTasks: [{name: t}]\n",
        )
        .expect("a mission");
        let created = missions.create(&PostParams::default(), &mission).await.expect("created");

        let state = support::kubeconfig_path().parent().expect("the state directory").to_path_buf();
        let pid = std::fs::read_to_string(state.join("pids/kube-apiserver.pid")).expect("the API server's pid");
        let killed = Command::new("kill").args(["-9", pid.trim()]).status().expect("kill runs");
        assert!(killed.success());

        let up = Command::new("tests/cluster/up").output().expect("up runs");
        let said = support::text(&up.stderr);
        println!("{said}");
        assert!(up.status.success(), "{said}");
        assert!(said.contains("started kube-apiserver again; kept the certificates and the etcd data"), "{said}");

        // The certificates are the same, so the client made before still works.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        let kept = loop {
            match missions.get("kept").await {
                Ok(kept) => break kept,
                Err(error) if tokio::time::Instant::now() < deadline => {
                    println!("not yet: {error}");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(error) => panic!("the mission is gone after the restart: {error}"),
            }
        };
        assert_eq!(kept.metadata.uid, created.metadata.uid, "the same mission, not a new one");
    })
    .await;
}
