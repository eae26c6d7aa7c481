//! Deprecated weapon versions against the local cluster: before its
//! deprecation date a task carries one with a warning event and condition;
//! from the date it is refused with a reason that names the date; `weapon
//! versions` says where each stands.

mod support;

use std::time::Duration;

use k8s_openapi::api::core::v1::Event;
use kube::Api;
use kube::api::ListParams;
use kubectl_airforce::api::conditions::{self, reasons, types};
use kubectl_airforce::api::{FlightTask, Mission, MissionPhase};
use support::Operator;
use support::firing_range::FiringRange;

const TIMEOUT: Duration = Duration::from_secs(120);

/// Two weapons whose current version is deprecated: one from a day long
/// gone, one from a day far ahead; and a mission for each.
const MISSIONS: &str = r#"apiVersion: airforce.mil/v1alpha1
kind: Weapon
metadata: {name: pl-10}
spec:
  weaponType: air-to-air-missile
  image: {repository: ghcr.io/airforce-mil/weapon-pl10, tag: 1.0.0}
  compatibility: {aircraftTypes: [j20], hardpointTypes: [internal-bay, wing]}
  version: 1.0.0
  versionHistory:
  - {version: 1.0.0, releaseDate: "2020-01-01", deprecated: true, deprecationDate: "2026-01-01"}
---
apiVersion: airforce.mil/v1alpha1
kind: Weapon
metadata: {name: pl-15}
spec:
  weaponType: air-to-air-missile
  image: {repository: ghcr.io/airforce-mil/weapon-pl15, tag: 2.0.0}
  compatibility: {aircraftTypes: [j20], hardpointTypes: [internal-bay, wing]}
  version: 2.0.0
  versionHistory:
  - {version: 2.0.0, releaseDate: "2025-01-01", changelog: Longer range, deprecated: true, deprecationDate: "2099-01-01"}
---
apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {name: refused}
spec:
  stages:
  - name: s
    flightTasks:
    - name: t
      aircraftRequirement: {type: j20}
      weaponLoadout:
      - weaponRef: {name: pl-10}
        quantity: 1
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: "1s"}
---
apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {name: warned}
spec:
  stages:
  - name: s
    flightTasks:
    - name: t
      aircraftRequirement: {type: j20}
      weaponLoadout:
      - weaponRef: {name: pl-15}
        quantity: 1
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: "1s"}
"#;

async fn task_event_reasons(client: &kube::Client, ns: &str, task: &str) -> Vec<(String, String)> {
    let events: Api<Event> = Api::namespaced(client.clone(), ns);
    let fields = format!("involvedObject.kind=FlightTask,involvedObject.name={task}");
    let listed = events
        .list(&ListParams::default().fields(&fields))
        .await
        .expect("events");
    (listed.items.into_iter())
        .map(|e| (e.reason.unwrap_or_default(), e.message.unwrap_or_default()))
        .collect()
}

#[tokio::test]
async fn a_deprecated_version_is_armed_with_a_warning_before_its_date_and_refused_from_it() {
    support::with_namespace("weapon-versions", |client, ns| async move {
        support::ensure_crds(&client).await;
        let _range = FiringRange::open(client.clone(), &ns, Box::new(|_, _| None));
        let _operator = Operator::start(&ns);
        let path = std::env::temp_dir().join(format!("{ns}-versions.yaml"));
        std::fs::write(&path, MISSIONS).expect("the file is written");
        let path = path.to_str().expect("a UTF-8 path").to_string();
        support::airforce_ok(&["-n", &ns, "mission", "submit", "-f", &path]);

        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        support::mission_ended(&missions, "refused", MissionPhase::Failed, TIMEOUT).await;
        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
        let refused = tasks.get("refused.s.t").await.expect("the refused task");
        let status = refused.status.expect("a status");
        let compatible = conditions::find(&status.conditions, types::WEAPONS_COMPATIBLE)
            .expect("WeaponsCompatible");
        assert_eq!(
            (compatible.status.as_str(), compatible.reason.as_str()),
            ("False", reasons::WEAPON_DEPRECATED)
        );
        assert!(
            compatible.message.contains("deprecated since 2026-01-01"),
            "{}",
            compatible.message
        );
        assert!(status.pod_ref.is_none(), "no pod was made for it");

        support::mission_ended(&missions, "warned", MissionPhase::Succeeded, TIMEOUT).await;
        let warned = tasks.get("warned.s.t").await.expect("the warned task");
        let status = warned.status.expect("a status");
        let deprecated = conditions::find(&status.conditions, types::WEAPON_DEPRECATED)
            .expect("WeaponDeprecated");
        assert_eq!(deprecated.status, "True", "{deprecated:?}");
        let events = task_event_reasons(&client, &ns, "warned.s.t").await;
        let warning = (events.iter()).find(|(reason, _)| reason == reasons::WEAPON_DEPRECATED);
        let (_, message) =
            warning.unwrap_or_else(|| panic!("a WeaponDeprecated event: {events:?}"));
        assert!(message.contains("refused from 2099-01-01"), "{message}");

        let table = support::airforce_ok(&["-n", &ns, "weapon", "versions", "pl-10"]);
        assert!(table.contains("yes, refused since 2026-01-01"), "{table}");
        let table = support::airforce_ok(&["-n", &ns, "weapon", "versions", "pl-15"]);
        assert!(table.contains("yes, refused from 2099-01-01"), "{table}");
        assert!(table.contains("Longer range"), "{table}");
    })
    .await;
}
