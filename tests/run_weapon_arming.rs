//! The operator arms the weapons of running task pods, on the local cluster
//! with every weapon sidecar served by a real `weapon serve` behind a kwok
//! PortForward (see `support::firing_range`): the far-sea mission's tasks
//! report their weapons READY with the rounds they were loaded with, a person
//! asks them with `weapon status` and `weapon self-check`, cancelling the
//! mission makes each armed weapon Abort, and a weapon in FAULT fails its
//! attempt, whose retry flies another aircraft.

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::api::ListParams;
use kube::{Api, ResourceExt};
use kubectl_airforce::api::conditions::{self, is_true, reasons, types};
use kubectl_airforce::api::{FlightTask, FlightTaskPhase, Mission, MissionPhase};
use serde_yaml_ng::Value;
use support::Operator;
use support::firing_range::{FaultRule, FiringRange};

const TIMEOUT: Duration = Duration::from_secs(240);

fn no_faults() -> FaultRule {
    Box::new(|_, _| None)
}

/// The far-sea example with every task running `duration`.
fn far_sea(duration: &str) -> String {
    let text = std::fs::read_to_string("examples/far-sea-strike.yaml").expect("the example");
    let mut mission: Value = serde_yaml_ng::from_str(&text).expect("the example is YAML");
    let annotations = serde_yaml_ng::from_str::<Value>(&format!(
        "{{metadata: {{annotations: {{sim.airforce.mil/duration: {duration}}}}}}}"
    ))
    .expect("a pod template");
    let stages = mission["spec"]["stages"].as_sequence_mut().expect("stages");
    for stage in stages {
        for task in stage["flightTasks"].as_sequence_mut().expect("tasks") {
            task["podTemplate"] = annotations.clone();
        }
    }
    serde_yaml_ng::to_string(&mission).expect("YAML")
}

fn weapons_ready(task: Option<&FlightTask>) -> bool {
    task.and_then(|t| t.status.as_ref())
        .is_some_and(|s| is_true(&s.conditions, types::WEAPONS_READY))
}

/// What each weapon of a task was loaded with, by weapon.
fn loadout(task: &FlightTask) -> BTreeMap<String, i32> {
    let mut rounds = BTreeMap::new();
    for entry in &task.spec.template.weapon_loadout {
        *rounds.entry(entry.weapon_ref.name.clone()).or_default() += entry.quantity;
    }
    rounds
}

#[tokio::test]
async fn far_sea_tasks_arm_every_weapon_and_a_person_can_ask_them() {
    support::with_namespace("arming", |client, ns| async move {
        support::ensure_crds(&client).await;
        let _range = FiringRange::open(client.clone(), &ns, no_faults());
        let _operator = Operator::start(&ns);
        support::submit_yaml(&ns, &far_sea("12s"));
        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
        let escort = "far-sea-strike.air-superiority.escort-1";
        support::wait_for(&tasks, escort, TIMEOUT, "WeaponsReady", weapons_ready).await;

        let asked = support::airforce_ok(&["-n", &ns, "weapon", "status", escort, "-o", "json"]);
        let answers: Vec<serde_json::Value> =
            serde_json::from_str(&asked).expect("weapon status -o json is JSON");
        let live: BTreeMap<String, (String, i64)> = (answers.iter())
            .map(|w| {
                let name = w["name"].as_str().unwrap_or_default().to_string();
                let state = w["state"].as_str().unwrap_or_default().to_string();
                (name, (state, w["remaining"].as_i64().unwrap_or(-1)))
            })
            .collect();
        assert_eq!(
            live,
            BTreeMap::from([
                ("pl-10".to_string(), ("READY".to_string(), 2)),
                ("pl-15".to_string(), ("READY".to_string(), 4)),
            ])
        );
        let table = support::airforce_ok(&["-n", &ns, "weapon", "status", escort]);
        assert!(
            table.starts_with("WEAPON") && table.contains("pl-15") && table.contains("READY"),
            "{table}"
        );
        println!("weapon status {escort}:\n{table}");
        let checked = support::airforce_ok(&["-n", &ns, "weapon", "self-check", escort]);
        println!("weapon self-check {escort}:\n{checked}");
        assert!(
            checked.contains("seeker") && checked.contains("pass"),
            "{checked}"
        );

        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        let mission = support::finished_mission(&missions, "far-sea-strike", TIMEOUT).await;
        let phase = mission.status.as_ref().and_then(|s| s.phase);
        assert_eq!(
            phase,
            Some(MissionPhase::Succeeded),
            "{:#?}",
            mission.status
        );
        let all = tasks.list(&ListParams::default()).await.expect("tasks");
        let armed: Vec<&FlightTask> = (all.items.iter())
            .filter(|t| !t.spec.template.weapon_loadout.is_empty())
            .collect();
        assert_eq!(
            armed.len(),
            8,
            "every far-sea task but the recon carries weapons"
        );
        for task in armed {
            let status = task.status.as_ref().expect("a status");
            assert!(
                is_true(&status.conditions, types::WEAPONS_READY),
                "{}: {:#?}",
                task.name_any(),
                status.conditions
            );
            let recorded: BTreeMap<String, i32> = (status.weapons.iter())
                .map(|w| (w.name.clone(), w.remaining))
                .collect();
            assert_eq!(recorded, loadout(task), "{}", task.name_any());
        }
    })
    .await;
}

#[tokio::test]
async fn cancelling_far_sea_makes_every_armed_weapon_abort() {
    support::with_namespace("abort", |client, ns| async move {
        support::ensure_crds(&client).await;
        let range = FiringRange::open(client.clone(), &ns, no_faults());
        let _operator = Operator::start(&ns);
        support::submit_yaml(&ns, &far_sea("300s"));
        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
        let escorts = ["escort-1", "escort-2", "escort-3"]
            .map(|name| format!("far-sea-strike.air-superiority.{name}"));
        for escort in &escorts {
            support::wait_for(&tasks, escort, TIMEOUT, "WeaponsReady", weapons_ready).await;
        }
        let cancelled =
            support::airforce(&["-n", &ns, "mission", "cancel", "far-sea-strike", "-y"]);
        assert!(
            cancelled.status.success(),
            "{}",
            support::text(&cancelled.stderr)
        );
        let stopped = |task: Option<&FlightTask>| {
            let status = task.and_then(|t| t.status.as_ref());
            status.is_some_and(|s| {
                s.phase == Some(FlightTaskPhase::Failed)
                    && conditions::find(&s.conditions, types::READY)
                        .is_some_and(|c| c.reason == reasons::CANCELLED)
            })
        };
        for escort in &escorts {
            support::wait_for(&tasks, escort, TIMEOUT, "Failed as Cancelled", stopped).await;
        }
        let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
        for escort in &escorts {
            support::wait_stopped(&pods, &format!("{escort}-1"), TIMEOUT).await;
        }
        let logs = range.logs("far-sea-strike.air-superiority.");
        assert_eq!(logs.len(), 6, "three escorts, two weapons each");
        for (pod, weapon, log) in &logs {
            assert!(
                log.contains("Abort") && log.contains("cancelled"),
                "{weapon} of {pod} was not told to abort:\n{log}"
            );
        }
    })
    .await;
}

/// One strike task on a squadron of three aircraft of its own type, with a
/// weapon that names no image (the simulated weapon).
fn strike(kind: &str) -> String {
    format!(
        r#"apiVersion: airforce.mil/v1alpha1
kind: Weapon
metadata: {{name: fx-1}}
spec:
  weaponName: FX-1
  weaponType: air-to-surface-missile
  compatibility: {{aircraftTypes: [{kind}], hardpointTypes: [wing]}}
  version: "1.0"
---
apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {{name: strike}}
spec:
  stages:
  - name: hit
    flightTasks:
    - name: hit-1
      aircraftRequirement: {{type: {kind}}}
      weaponLoadout:
      - weaponRef: {{name: fx-1}}
        quantity: 2
        mountPoints: [wing-1, wing-2]
      podTemplate:
        metadata:
          annotations: {{sim.airforce.mil/duration: 6s}}
"#
    )
}

#[tokio::test]
async fn a_weapon_in_fault_fails_the_attempt_and_the_retry_flies_another_aircraft() {
    support::with_namespace("fault", |client, ns| async move {
        support::ensure_crds(&client).await;
        let kind = support::tag("fx", &ns);
        let squadron_client = client.clone();
        support::with_squadron(
            &squadron_client,
            &kind.clone(),
            3,
            move |names| async move {
                support::clear_aircraft_for(&client, &names, "fx-1").await;
                // The first attempt's weapon fails its self-check; later ones are sound.
                let first_attempt: FaultRule = Box::new(|pod, _| {
                    let attempt = pod.annotations().get("airforce.mil/attempt").cloned();
                    (attempt.as_deref() == Some("1")).then(|| "seeker offline".to_string())
                });
                let range = FiringRange::open(client.clone(), &ns, first_attempt);
                let _operator = Operator::start(&ns);
                support::submit_yaml(&ns, &strike(&kind));
                let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
                let mission = support::finished_mission(&missions, "strike", TIMEOUT).await;
                let phase = mission.status.as_ref().and_then(|s| s.phase);
                assert_eq!(
                    phase,
                    Some(MissionPhase::Succeeded),
                    "{:#?}",
                    mission.status
                );

                let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
                let task = tasks.get("strike.hit.hit-1").await.expect("the task");
                let status = task.status.expect("a status");
                let failure = status.failures.first().expect("the first attempt failed");
                assert_eq!(failure.reason, reasons::WEAPON_FAULT, "{failure:#?}");
                assert!(
                    failure
                        .message
                        .as_deref()
                        .unwrap_or_default()
                        .contains("seeker offline"),
                    "{failure:#?}"
                );
                let first = failure.node.clone().expect("the first attempt's aircraft");
                let last = (status.scheduling_info.as_ref())
                    .and_then(|info| info.assigned_node.clone())
                    .expect("the last attempt's aircraft");
                assert_ne!(
                    first, last,
                    "the retry flew the aircraft the weapon failed on"
                );
                assert!(
                    is_true(&status.conditions, types::WEAPONS_READY),
                    "{:#?}",
                    status.conditions
                );
                let faulted = range.logs("strike.hit.hit-1-1");
                assert!(
                    faulted.iter().any(|(_, _, log)| log.contains("SelfCheck")),
                    "{faulted:#?}"
                );
            },
        )
        .await;
    })
    .await;
}
