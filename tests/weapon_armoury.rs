//! The armoury on the local cluster: a mission in one namespace arms weapons
//! that live only in the armoury namespace, under an operator that runs with
//! the ServiceAccount token and the RBAC rules `install` writes, and the
//! weapons' usage counts the tasks that carry them.

mod support;

use std::time::Duration;

use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, RoleRef, Subject};
use kube::api::{DeleteParams, ObjectMeta, PostParams};

use kube::{Api, Client};
use kubectl_airforce::api::conditions::{is_true, types};
use kubectl_airforce::api::{FlightTask, Mission, MissionPhase, Weapon};
use support::firing_range::FiringRange;

/// One escort in the team's namespace whose pl-15 names no namespace.
const MISSION: &str = r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata:
  name: patrol
spec:
  missionName: Patrol
  missionType: patrol
  stages:
  - name: cap
    type: parallel
    flightTasks:
    - name: escort
      aircraftRequirement: {type: j20}
      weaponLoadout:
      - weaponRef: {name: pl-15}
        quantity: 2
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: "15s"}
"#;

/// A ServiceAccount in `namespace` bound to a ClusterRole of exactly the
/// rules `install` grants the operator; returns a kubeconfig that carries a
/// token of that account and nothing else.
async fn operator_identity(client: &Client, namespace: &str) -> std::path::PathBuf {
    let name = format!("{namespace}-operator");
    support::create_service_account(client, namespace, &name).await;
    let role = ClusterRole {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            ..ObjectMeta::default()
        },
        rules: Some(kubectl_airforce::install::policy_rules()),
        ..ClusterRole::default()
    };
    Api::<ClusterRole>::all(client.clone())
        .create(&PostParams::default(), &role)
        .await
        .expect("the role");
    let binding = ClusterRoleBinding {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            ..ObjectMeta::default()
        },
        role_ref: RoleRef {
            api_group: Some("rbac.authorization.k8s.io".into()),
            kind: "ClusterRole".into(),
            name: name.clone(),
        },
        subjects: Some(vec![Subject {
            kind: "ServiceAccount".into(),
            name: name.clone(),
            namespace: Some(namespace.into()),
            ..Subject::default()
        }]),
    };
    Api::<ClusterRoleBinding>::all(client.clone())
        .create(&PostParams::default(), &binding)
        .await
        .expect("the binding");
    support::kubeconfig_of(client, namespace, &name).await
}

async fn remove_identity(client: &Client, namespace: &str) {
    let name = format!("{namespace}-operator");
    let params = DeleteParams::default();
    let _ = Api::<ClusterRoleBinding>::all(client.clone())
        .delete(&name, &params)
        .await;
    let _ = Api::<ClusterRole>::all(client.clone())
        .delete(&name, &params)
        .await;
}

#[tokio::test]
async fn a_team_arms_weapons_that_live_only_in_the_armoury() {
    support::with_namespace("team-a", |client, team| async move {
        support::ensure_crds(&client).await;
        let armoury = format!("{team}-armoury");
        let namespaces: Api<Namespace> = Api::all(client.clone());
        support::create_namespace(&client, &armoury).await;
        let kubeconfig = operator_identity(&client, &team).await;

        let checked = std::panic::AssertUnwindSafe(async {
            support::airforce_ok(&[
                "-n",
                &armoury,
                "mission",
                "submit",
                "-f",
                "examples/weapons.yaml",
            ]);
            let mission_file = std::env::temp_dir().join(format!("{team}-mission.yaml"));
            std::fs::write(&mission_file, MISSION).expect("the mission file");
            let mission_file = mission_file.to_str().expect("a UTF-8 path").to_string();
            // Without the armoury the reference is refused, naming both places looked.
            let refused = support::airforce(&[
                "-n",
                &team,
                "mission",
                "validate",
                "-f",
                &mission_file,
                "--armoury",
                "",
            ]);
            assert!(!refused.status.success());
            let said = support::text(&refused.stderr);
            assert!(
                said.contains(&format!("no Weapon `pl-15` in namespace {team}")),
                "{said}"
            );
            let validated = support::airforce_ok(&[
                "-n",
                &team,
                "mission",
                "validate",
                "-f",
                &mission_file,
                "--armoury",
                &armoury,
            ]);
            let found = format!("weapons found: pl-15 in {armoury} (the armoury, in the cluster)");
            assert!(validated.contains(&found), "{validated}");
            let submitted = support::airforce(&[
                "-n",
                &team,
                "mission",
                "submit",
                "-f",
                &mission_file,
                "--armoury",
                &armoury,
            ]);
            assert!(
                submitted.status.success(),
                "{}",
                support::text(&submitted.stderr)
            );
            assert!(support::text(&submitted.stderr).contains(&found));

            let config = std::env::temp_dir().join(format!("{team}-operator.yaml"));
            std::fs::write(&config, format!("armoury: {armoury}\n")).expect("the config");
            let _range = FiringRange::open(client.clone(), &team, Box::new(|_, _| None));
            let _operator = support::Operator::start_as(
                &kubeconfig,
                &team,
                &["--config", config.to_str().expect("a UTF-8 path")],
            );

            let weapons: Api<Weapon> = Api::namespaced(client.clone(), &armoury);
            let used = support::wait_for(
                &weapons,
                "pl-15",
                Duration::from_secs(60),
                "counting the team's escort",
                |weapon: Option<&Weapon>| {
                    let usage = weapon.and_then(|w| w.status.as_ref()?.usage.clone());
                    usage.is_some_and(|u| u.task_count == 1)
                },
            )
            .await;
            let usage = used.status.and_then(|s| s.usage).expect("usage");
            assert_eq!(usage.quantity, 2);
            assert_eq!(usage.tasks, [format!("{team}/patrol.cap.escort")]);

            let missions: Api<Mission> = Api::namespaced(client.clone(), &team);
            support::mission_ended(
                &missions,
                "patrol",
                MissionPhase::Succeeded,
                Duration::from_secs(90),
            )
            .await;
            let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &team);
            let task = tasks.get("patrol.cap.escort").await.expect("the task");
            let status = task.status.expect("a status");
            assert!(
                is_true(&status.conditions, types::WEAPONS_READY),
                "{status:#?}"
            );
            assert_eq!(status.weapons[0].remaining, 2, "{status:#?}");
        });
        let outcome = futures::FutureExt::catch_unwind(checked).await;
        remove_identity(&client, &team).await;
        let _ = namespaces
            .delete(&armoury, &DeleteParams::background())
            .await;
        if let Err(panic) = outcome {
            std::panic::resume_unwind(panic);
        }
    })
    .await;
}
