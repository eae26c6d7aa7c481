//! `kubectl airforce run` and weapons against the local cluster: a
//! weapon's status shows the tasks that carry it, and a new image tag rolls out
//! to their running pods, each replaced as the next attempt of its task and
//! never more at once than maxUnavailable allows, or started beside the old
//! pod within maxSurge; Recreate replaces them all at once; under HotReload
//! the running pod's sidecar takes the new image in place.

mod support;

use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::api::{ListParams, Patch, PatchParams};
use kube::{Api, ResourceExt};
use kubectl_airforce::api::conditions::{is_true, types};
use kubectl_airforce::api::{FlightTask, Weapon};
use serde_json::json;
use support::Operator;
use support::firing_range::FiringRange;

/// The example weapons name no image: their sidecars run the simulated weapon.
const OLD_IMAGE: &str = kubectl_airforce::install::DEFAULT_IMAGE;
const NEW_IMAGE: &str = "ghcr.io/airforce-mil/weapon-pl15:2.2.0";

/// Two escorts carrying pl-15 that run for a minute, long enough to roll out to.
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
    timeout: 10m
    flightTasks:
    - name: escort-1
      aircraftRequirement: {type: j20}
      weaponLoadout:
      - weaponRef: {name: pl-15}
        quantity: 2
        mountPoints: [internal-bay-1, internal-bay-2]
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: "60s"}
    - name: escort-2
      aircraftRequirement: {type: j20}
      weaponLoadout:
      - weaponRef: {name: pl-15}
        quantity: 1
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: "60s"}
"#;

/// One escort carrying pl-10, whose updateStrategy is HotReload.
const HOT_RELOAD_MISSION: &str = r#"apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata:
  name: patrol
spec:
  missionName: Patrol
  missionType: patrol
  stages:
  - name: cap
    type: parallel
    timeout: 10m
    flightTasks:
    - name: escort-1
      aircraftRequirement: {type: j20}
      weaponLoadout:
      - weaponRef: {name: pl-10}
        quantity: 2
      podTemplate:
        metadata:
          annotations: {sim.airforce.mil/duration: "60s"}
"#;

fn sidecar_image(pod: &Pod) -> Option<&str> {
    sidecar_image_of(pod, "pl-15")
}

fn sidecar_image_of<'p>(pod: &'p Pod, weapon: &str) -> Option<&'p str> {
    let spec = pod.spec.as_ref()?;
    let name = format!("weapon-{weapon}");
    (spec.init_containers.iter().flatten())
        .find(|c| c.name == name)
        .and_then(|c| c.image.as_deref())
}

fn is_running(pod: &Pod) -> bool {
    let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref());
    phase == Some("Running") && pod.metadata.deletion_timestamp.is_none()
}

/// Applies a new image tag and version to a weapon, as a user would.
async fn change_tag(weapons: &Api<Weapon>, weapon: &str, repository: &str, tag: &str) {
    let new_tag = json!({
        "apiVersion": "airforce.mil/v1alpha1",
        "kind": "Weapon",
        "metadata": { "name": weapon },
        "spec": {
            "image": { "repository": repository, "tag": tag },
            "version": tag,
        },
    });
    weapons
        .patch(
            weapon,
            &PatchParams::apply("run-weapon-test").force(),
            &Patch::Apply(&new_tag),
        )
        .await
        .expect("the new tag applies");
}

/// Polls the pods until `done` holds for them, or panics after `timeout`;
/// returns the pods that satisfied it.
async fn wait_for_pods(
    pods: &Api<Pod>,
    timeout: Duration,
    what: &str,
    done: impl Fn(&[Pod]) -> bool,
) -> Vec<Pod> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let listed = pods
            .list(&ListParams::default().labels("airforce.mil/mission=patrol"))
            .await
            .expect("the pods list");
        if done(&listed.items) {
            return listed.items;
        }
        if tokio::time::Instant::now() > deadline {
            let seen: Vec<(Option<&str>, Option<&str>, Option<&str>)> = (listed.items.iter())
                .map(|p| {
                    let phase = p.status.as_ref().and_then(|s| s.phase.as_deref());
                    (p.metadata.name.as_deref(), phase, sidecar_image(p))
                })
                .collect();
            panic!("timed out after {timeout:?} waiting for {what}; pods: {seen:#?}");
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[tokio::test]
async fn a_new_pl_15_tag_rolls_out_to_the_running_tasks_that_carry_it() {
    support::with_namespace("run-weapon", |client, ns| async move {
        support::ensure_crds(&client).await;
        // The weapons answer, so the operator arms them and lets them fly.
        let _range = FiringRange::open(client.clone(), &ns, Box::new(|_, _| None));
        let _operator = Operator::start(&ns);
        support::submit_yaml(&ns, MISSION);

        let weapons: Api<Weapon> = Api::namespaced(client.clone(), &ns);
        let weapon = support::wait_for(
            &weapons,
            "pl-15",
            Duration::from_secs(90),
            "in use by both tasks at 2.1.0 and Ready",
            |weapon: Option<&Weapon>| {
                weapon.and_then(|w| w.status.as_ref()).is_some_and(|s| {
                    s.usage.as_ref().is_some_and(|u| u.task_count == 2)
                        && s.current_version.as_deref() == Some("2.1.0")
                        && is_true(&s.conditions, types::READY)
                })
            },
        )
        .await;
        let status = weapon.status.expect("a status");
        let usage = status.usage.expect("usage");
        assert_eq!(usage.task_count, 2, "{usage:?}");
        assert_eq!(usage.quantity, 3, "{usage:?}");
        assert_eq!(status.compatibility_checks.len(), 2);
        assert!(status.compatibility_checks.iter().all(|c| c.compatible));

        let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
        wait_for_pods(
            &pods,
            Duration::from_secs(60),
            "both tasks running",
            |pods| {
                pods.iter().filter(|p| is_running(p)).count() == 2
                    && pods.iter().all(|p| sidecar_image(p) == Some(OLD_IMAGE))
            },
        )
        .await;

        change_tag(
            &weapons,
            "pl-15",
            "ghcr.io/airforce-mil/weapon-pl15",
            "2.2.0",
        )
        .await;

        wait_for_pods(
            &pods,
            Duration::from_secs(60),
            "a task pod recreated with the new sidecar image",
            |pods| {
                pods.iter()
                    .any(|p| is_running(p) && sidecar_image(p) == Some(NEW_IMAGE))
            },
        )
        .await;
        support::wait_for(
            &weapons,
            "pl-15",
            Duration::from_secs(60),
            "at 2.2.0, rolled out and Ready",
            |weapon: Option<&Weapon>| {
                weapon.and_then(|w| w.status.as_ref()).is_some_and(|s| {
                    s.current_version.as_deref() == Some("2.2.0")
                        && is_true(&s.conditions, types::READY)
                        && is_true(&s.conditions, types::ROLLED_OUT)
                })
            },
        )
        .await;

        // Both tasks end up running the new image, each in its next attempt.
        wait_for_pods(
            &pods,
            Duration::from_secs(60),
            "both tasks running attempt 2 with the new image",
            |pods| {
                let running: Vec<&Pod> = pods.iter().filter(|p| is_running(p)).collect();
                running.len() == 2
                    && running.iter().all(|p| {
                        sidecar_image(p) == Some(NEW_IMAGE)
                            && p.metadata
                                .name
                                .as_deref()
                                .is_some_and(|n| n.ends_with("-2"))
                    })
            },
        )
        .await;
        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
        for task in tasks
            .list(&ListParams::default())
            .await
            .expect("tasks")
            .items
        {
            let retries = task.status.map(|s| s.retry_count);
            assert_eq!(retries, Some(0), "a rollout spends no retry");
        }
    })
    .await;
}

#[tokio::test]
async fn a_new_hot_reload_tag_reloads_the_running_sidecar_in_place() {
    support::with_namespace("run-weapon-hot", |client, ns| async move {
        support::ensure_crds(&client).await;
        // The weapons answer, so the operator arms them and lets them fly.
        let range = FiringRange::open(client.clone(), &ns, Box::new(|_, _| None));
        let _operator = Operator::start(&ns);
        support::submit_yaml(&ns, HOT_RELOAD_MISSION);

        let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
        let old_image = OLD_IMAGE;
        let new_image = "ghcr.io/airforce-mil/weapon-pl10:1.5.0";
        let listed = wait_for_pods(&pods, Duration::from_secs(60), "the task running", |pods| {
            pods.iter()
                .any(|p| is_running(p) && sidecar_image_of(p, "pl-10") == Some(old_image))
        })
        .await;
        let running = listed
            .iter()
            .find(|p| is_running(p))
            .expect("a running pod");
        let uid = running.metadata.uid.clone().expect("a uid");

        let weapons: Api<Weapon> = Api::namespaced(client.clone(), &ns);
        change_tag(
            &weapons,
            "pl-10",
            "ghcr.io/airforce-mil/weapon-pl10",
            "1.5.0",
        )
        .await;
        let weapon = support::wait_for(
            &weapons,
            "pl-10",
            Duration::from_secs(30),
            "at 1.5.0 and rolled out",
            |weapon: Option<&Weapon>| {
                weapon.and_then(|w| w.status.as_ref()).is_some_and(|s| {
                    s.current_version.as_deref() == Some("1.5.0")
                        && is_true(&s.conditions, types::ROLLED_OUT)
                })
            },
        )
        .await;
        let status = weapon.status.expect("a status");
        assert!(is_true(&status.conditions, types::READY), "{status:#?}");

        // The same pod, its sidecar on the new image, and no retry spent.
        let listed = pods
            .list(&ListParams::default().labels("airforce.mil/mission=patrol"))
            .await
            .expect("the pods list");
        let names: Vec<&str> = (listed.items.iter())
            .filter_map(|p| p.metadata.name.as_deref())
            .collect();
        assert_eq!(names, ["patrol.cap.escort-1-1"]);
        let pod = &listed.items[0];
        assert_eq!(pod.metadata.uid.as_deref(), Some(uid.as_str()));
        assert!(is_running(pod));
        assert_eq!(sidecar_image_of(pod, "pl-10"), Some(new_image));
        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
        let task = tasks.get("patrol.cap.escort-1").await.expect("the task");
        assert_eq!(task.status.map(|s| s.retry_count), Some(0));

        // The reloaded weapon, restarted on its new image, is armed again.
        let rearmed = |task: Option<&FlightTask>| {
            task.and_then(|t| t.status.as_ref()).is_some_and(|s| {
                is_true(&s.conditions, types::WEAPONS_READY)
                    && (s.weapons.iter()).any(|w| {
                        w.name == "pl-10"
                            && w.image.as_deref() == Some(new_image)
                            && w.version.as_deref() == Some("1.5.0")
                    })
            })
        };
        let task = "patrol.cap.escort-1";
        support::wait_for(
            &tasks,
            task,
            Duration::from_secs(60),
            "armed at 1.5.0",
            rearmed,
        )
        .await;
        let logs = range.logs("patrol.cap.escort-1-1");
        let (_, _, log) = (logs.iter())
            .find(|(_, weapon, _)| weapon == "pl-10")
            .expect("pl-10's simulator");
        let (_, since_reload) = log
            .rsplit_once(&format!("--- starting {new_image}"))
            .unwrap_or_else(|| panic!("the simulator was not restarted on {new_image}:\n{log}"));
        assert!(
            since_reload.contains("Initialize") && since_reload.contains("SelfCheck"),
            "{log}"
        );
    })
    .await;
}

/// Four tasks carrying rl-9, a weapon of the squadron's own type rolled out
/// by `strategy` (the Weapon's `updateStrategy`, as YAML flow).
fn rolling_mission(kind: &str, strategy: &str) -> String {
    let tasks: String = (1..=4)
        .map(|index| {
            format!(
                r#"    - name: escort-{index}
      aircraftRequirement: {{type: {kind}}}
      weaponLoadout:
      - weaponRef: {{name: rl-9}}
        quantity: 1
      podTemplate:
        metadata:
          annotations: {{sim.airforce.mil/duration: "120s"}}
"#
            )
        })
        .collect();
    format!(
        r#"apiVersion: airforce.mil/v1alpha1
kind: Weapon
metadata:
  name: rl-9
spec:
  weaponType: air-to-air-missile
  image: {{repository: registry.local/rl-9, tag: "1.0"}}
  compatibility:
    aircraftTypes: [{kind}]
  updateStrategy: {strategy}
---
apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata:
  name: patrol
spec:
  missionName: Patrol
  missionType: patrol
  stages:
  - name: cap
    type: parallel
    timeout: 10m
    flightTasks:
{tasks}"#
    )
}

const RL_9_OLD: &str = "registry.local/rl-9:1.0";
const RL_9_NEW: &str = "registry.local/rl-9:1.1";

/// How many of the four tasks have no pod running: between versions.
fn between_versions(pods: &[Pod]) -> usize {
    4 - running_per_task(pods).len()
}

/// The running pods of each task that has one.
fn running_per_task(pods: &[Pod]) -> std::collections::BTreeMap<&str, Vec<&Pod>> {
    let mut running: std::collections::BTreeMap<&str, Vec<&Pod>> = Default::default();
    for pod in pods.iter().filter(|p| is_running(p)) {
        if let Some(task) = pod.labels().get("airforce.mil/task") {
            running.entry(task.as_str()).or_default().push(pod);
        }
    }
    running
}

/// How many running pods carry `image`.
fn running_on(pods: &[Pod], image: &str) -> usize {
    (pods.iter())
        .filter(|p| is_running(p) && sidecar_image_of(p, "rl-9") == Some(image))
        .count()
}

/// Runs the four-task rl-9 mission on a squadron of `aircraft`, waits for
/// every task to run 1.0, rolls 1.1 out and calls `sample` with the pods every
/// 200 ms until every task runs 1.1 alone (failing after two minutes); then
/// checks that no task spent a retry on the rollout.
async fn roll_rl_9(
    prefix: &str,
    aircraft: usize,
    strategy: &'static str,
    sample: impl FnMut(&[Pod]) + Send + 'static,
) {
    support::with_namespace(prefix, move |client, ns| async move {
        support::ensure_crds(&client).await;
        let kind = support::tag("rl", &ns);
        let fleet = client.clone();
        support::with_squadron(&fleet, &kind.clone(), aircraft, move |names| async move {
            let mut sample = sample;
            support::clear_aircraft_for(&client, &names, "rl-9").await;
            // The weapons answer, so the operator arms them and lets them fly.
            let _range = FiringRange::open(client.clone(), &ns, Box::new(|_, _| None));
            let _operator = Operator::start(&ns);
            support::submit_yaml(&ns, &rolling_mission(&kind, strategy));
            let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
            wait_for_pods(
                &pods,
                Duration::from_secs(90),
                "four tasks running",
                |pods| running_on(pods, RL_9_OLD) == 4,
            )
            .await;

            let weapons: Api<Weapon> = Api::namespaced(client.clone(), &ns);
            change_tag(&weapons, "rl-9", "registry.local/rl-9", "1.1").await;

            let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
            let mut samples = 0;
            loop {
                let listed = pods
                    .list(&ListParams::default().labels("airforce.mil/mission=patrol"))
                    .await
                    .expect("the pods list");
                samples += 1;
                sample(&listed.items);
                let rolled = running_on(&listed.items, RL_9_NEW);
                if rolled == 4
                    && running_per_task(&listed.items)
                        .values()
                        .all(|p| p.len() == 1)
                {
                    break;
                }
                assert!(
                    tokio::time::Instant::now() < deadline,
                    "the rollout did not finish: {rolled} of 4 tasks on {RL_9_NEW}"
                );
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            println!("{samples} samples");
            let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
            for task in tasks
                .list(&ListParams::default())
                .await
                .expect("tasks list")
            {
                let spent = task.status.as_ref().map_or(0, |s| s.retry_count);
                assert_eq!(spent, 0, "{} spent a retry on the rollout", task.name_any());
            }
        })
        .await;
    })
    .await;
}

#[tokio::test]
async fn a_rolling_update_keeps_all_but_max_unavailable_tasks_running() {
    let worst = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = worst.clone();
    let strategy = "{type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}";
    roll_rl_9("run-weapon-rolling", 4, strategy, move |pods| {
        let between = between_versions(pods);
        let worst = seen
            .fetch_max(between, std::sync::atomic::Ordering::SeqCst)
            .max(between);
        assert!(worst <= 1, "{worst} tasks between versions at once");
    })
    .await;
    let worst = worst.load(std::sync::atomic::Ordering::SeqCst);
    println!("at most {worst} task between versions");
    assert_eq!(worst, 1, "the rollout replaced a pod");
}

/// With maxUnavailable 0 and maxSurge 1 on a squadron with one spare
/// aircraft, each task gets its new pod beside the old one: no task is ever
/// without a running pod, and at most one runs two.
#[tokio::test]
async fn a_surging_rolling_update_never_leaves_a_task_without_a_running_pod() {
    let most = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = most.clone();
    let strategy = "{type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}";
    roll_rl_9("run-weapon-surge", 5, strategy, move |pods| {
        assert_eq!(between_versions(pods), 0, "a task without a running pod");
        let doubled = running_per_task(pods)
            .values()
            .filter(|p| p.len() > 1)
            .count();
        assert!(doubled <= 1, "{doubled} tasks run two pods at once");
        seen.fetch_max(doubled, std::sync::atomic::Ordering::SeqCst);
    })
    .await;
    let most = most.load(std::sync::atomic::Ordering::SeqCst);
    println!("at most {most} task with two running pods");
    assert_eq!(most, 1, "no pod was ever replaced beside its successor");
}

/// Recreate replaces every out-of-date pod at once: no new pod runs while an
/// old one still does.
#[tokio::test]
async fn recreate_stops_every_old_pod_before_a_new_one_runs() {
    roll_rl_9("run-weapon-recreate", 4, "{type: Recreate}", |pods| {
        let (old, new) = (running_on(pods, RL_9_OLD), running_on(pods, RL_9_NEW));
        assert!(
            old == 0 || new == 0,
            "{old} pods on {RL_9_OLD} ran beside {new} on {RL_9_NEW}"
        );
    })
    .await;
}
