//! Pre-pulled weapon images on the local cluster: a Weapon with
//! `preload: true` gets a DaemonSet whose pods run on every aircraft node and
//! are admitted where Pod Security `restricted` is enforced; a new tag rolls
//! out to them; without a preloading weapon the DaemonSet goes.

mod support;

use std::time::Duration;

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{Namespace, Pod};
use kube::api::{ListParams, Patch, PatchParams};
use kube::{Api, Client};
use kubectl_airforce::api::keys::PRELOAD_LABEL;
use kubectl_airforce::controller::preload_plan::PRELOAD_DAEMON_SET;
use serde_json::json;

/// The aircraft every test cluster starts with.
const FLEET: [&str; 4] = ["j20-01", "j20-02", "j20-03", "j20-04"];

const WEAPON: &str = r#"apiVersion: airforce.mil/v1alpha1
kind: Weapon
metadata:
  name: pl-15
spec:
  weaponType: air-to-air-missile
  image: {repository: registry.local/pl-15, tag: "2.1"}
  compatibility:
    aircraftTypes: [j20]
  preload: true
"#;

/// The images mounted by a preload pod.
fn images(pod: &Pod) -> Vec<String> {
    (pod.spec
        .iter()
        .flat_map(|spec| spec.volumes.iter().flatten()))
    .filter_map(|volume| volume.image.as_ref()?.reference.clone())
    .collect()
}

/// Waits until every aircraft of the fleet runs a preload pod that mounts
/// `image`.
async fn every_aircraft_holds(client: &Client, namespace: &str, image: &str) {
    let pods: Api<Pod> = Api::namespaced(client.clone(), namespace);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    loop {
        let listed = (pods
            .list(&ListParams::default().labels(&format!("{PRELOAD_LABEL}=true")))
            .await)
            .expect("the pods list");
        let holding: Vec<&str> = (listed.items.iter())
            .filter(|pod| {
                support::pod_running(Some(pod)) && pod.metadata.deletion_timestamp.is_none()
            })
            .filter(|pod| images(pod) == [image])
            .filter_map(|pod| pod.spec.as_ref()?.node_name.as_deref())
            .collect();
        if FLEET.iter().all(|node| holding.contains(node)) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "not every aircraft holds {image}: {holding:?}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[tokio::test]
async fn a_preloading_weapon_keeps_its_image_on_every_aircraft_until_it_stops_asking() {
    support::with_namespace("preload", |client, ns| async move {
        support::ensure_crds(&client).await;
        let restricted = json!({"metadata": {"labels": {
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/enforce-version": "latest",
        }}});
        Api::<Namespace>::all(client.clone())
            .patch(&ns, &PatchParams::default(), &Patch::Merge(&restricted))
            .await
            .expect("the namespace enforces restricted");
        let file = std::env::temp_dir().join(format!("{ns}-weapon.yaml"));
        std::fs::write(&file, WEAPON).expect("the weapon file");
        let file = file.to_str().expect("a UTF-8 path").to_string();
        support::airforce_ok(&["-n", &ns, "mission", "submit", "-f", &file]);
        let _operator = support::Operator::start(&ns);

        every_aircraft_holds(&client, &ns, "registry.local/pl-15:2.1").await;
        let table =
            support::airforce_ok(&["node", "list", "-o", "wide", "-l", "aircraft.mil/type=j20"]);
        for node in FLEET {
            let row = table
                .lines()
                .find(|line| line.starts_with(node))
                .expect("a row");
            assert!(
                row.ends_with(" yes"),
                "{node} is not shown preloaded:\n{table}"
            );
        }

        let weapons: Api<kubectl_airforce::api::Weapon> = Api::namespaced(client.clone(), &ns);
        let retag = json!({"spec": {"image": {"tag": "2.2"}}});
        weapons
            .patch("pl-15", &PatchParams::default(), &Patch::Merge(&retag))
            .await
            .expect("the new tag");
        every_aircraft_holds(&client, &ns, "registry.local/pl-15:2.2").await;

        let off = json!({"spec": {"preload": false}});
        weapons
            .patch("pl-15", &PatchParams::default(), &Patch::Merge(&off))
            .await
            .expect("no more preload");
        let sets: Api<DaemonSet> = Api::namespaced(client.clone(), &ns);
        support::wait_deleted(&sets, PRELOAD_DAEMON_SET, Duration::from_secs(60)).await;
    })
    .await;
}
