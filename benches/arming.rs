//! How long the operator takes to arm a task's weapons: from the moment its
//! pod is seen Running until the task is seen with WeaponsReady=True, for
//! AIRFORCE_BENCH_ARMED_TASKS (default 50) tasks started at once, each
//! carrying two simulated weapons served by real `weapon serve` processes
//! behind kwok port-forwards (the tests' firing range). The yardstick, from
//! the same run: from pod Running until the task is seen Running, the
//! operator's reaction to the pod with no weapon call in it. The floor is the
//! simulator's own warm-up (300 ms) and self-check (100 ms).
//!
//! `cargo bench --bench arming` (the cluster must be up: `tests/cluster/up`).
//! Figures are printed, never asserted: the machines are shared and noisy.

#[path = "common/operator.rs"]
mod operator;
#[path = "common/percentiles.rs"]
mod percentiles;
#[path = "common/run.rs"]
mod run;
#[path = "common/settings.rs"]
mod settings;
#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use futures::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use kube::runtime::watcher::{self, Event};
use kube::{Api, ResourceExt};
use kubectl_airforce::api::conditions::{is_true, types};
use kubectl_airforce::api::{FlightTask, FlightTaskPhase};
use operator::Operator;
use percentiles::print_percentiles;
use support::firing_range::FiringRange;

const DEADLINE: Duration = Duration::from_secs(600);

/// One parallel stage of `count` replicas of a task with two weapons of the
/// squadron's own type, running long enough to be armed.
fn mission(kind: &str, count: usize) -> String {
    format!(
        r#"apiVersion: airforce.mil/v1alpha1
kind: Weapon
metadata: {{name: fx-1}}
spec:
  weaponType: air-to-air-missile
  compatibility: {{aircraftTypes: [{kind}], hardpointTypes: [wing]}}
---
apiVersion: airforce.mil/v1alpha1
kind: Weapon
metadata: {{name: fx-2}}
spec:
  weaponType: glide-bomb
  compatibility: {{aircraftTypes: [{kind}], hardpointTypes: [wing]}}
---
apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {{name: arming}}
spec:
  stages:
  - name: sortie
    type: parallel
    flightTasks:
    - name: armed
      replicas: {count}
      aircraftRequirement: {{type: {kind}}}
      weaponLoadout:
      - weaponRef: {{name: fx-1}}
        quantity: 4
      - weaponRef: {{name: fx-2}}
        quantity: 2
      podTemplate:
        metadata:
          annotations: {{sim.airforce.mil/duration: 120s}}
"#
    )
}

/// When each pod was first seen Running, by pod name.
async fn pods_running(pods: Api<Pod>, count: usize) -> HashMap<String, Instant> {
    let mut seen = HashMap::new();
    let mut events = watcher::watcher(pods, watcher::Config::default()).boxed();
    while seen.len() < count {
        let Some(Ok(Event::Apply(pod) | Event::InitApply(pod))) = events.next().await else {
            continue;
        };
        let running = pod.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running");
        if running {
            seen.entry(pod.name_any()).or_insert_with(Instant::now);
        }
    }
    seen
}

/// When each task was first seen Running and with WeaponsReady, by its pod.
async fn tasks_armed(
    tasks: Api<FlightTask>,
    count: usize,
) -> (HashMap<String, Instant>, HashMap<String, Instant>) {
    let (mut running, mut armed) = (HashMap::new(), HashMap::new());
    let mut events = watcher::watcher(tasks, watcher::Config::default()).boxed();
    while armed.len() < count {
        let Some(Ok(Event::Apply(task) | Event::InitApply(task))) = events.next().await else {
            continue;
        };
        let Some(status) = task.status.as_ref() else {
            continue;
        };
        let Some(pod) = status.pod_ref.as_ref().map(|p| p.name.clone()) else {
            continue;
        };
        if status.phase == Some(FlightTaskPhase::Running) {
            running.entry(pod.clone()).or_insert_with(Instant::now);
        }
        if is_true(&status.conditions, types::WEAPONS_READY) {
            armed.entry(pod).or_insert_with(Instant::now);
        }
    }
    (running, armed)
}

fn since(from: &HashMap<String, Instant>, to: &HashMap<String, Instant>) -> Vec<Duration> {
    (to.iter())
        .filter_map(|(pod, at)| Some(at.saturating_duration_since(*from.get(pod)?)))
        .collect()
}

fn main() {
    if !run::under_cargo_bench("arming") {
        return;
    }
    let count: usize = settings::setting("AIRFORCE_BENCH_ARMED_TASKS", 50);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(support::with_namespace("bench-arming", move |client, ns| async move {
        let kind = support::tag("arm", &ns);
        let fleet = client.clone();
        support::with_squadron(&fleet, &kind.clone(), count, move |names| async move {
            support::clear_aircraft_for(&client, &names, "fx-1,fx-2").await;
            let range = FiringRange::open(client.clone(), &ns, Box::new(|_, _| None));
            let _operator = Operator::start(&client, &ns).await;
            let pods = tokio::spawn(pods_running(Api::namespaced(client.clone(), &ns), count));
            let tasks = tokio::spawn(tasks_armed(Api::namespaced(client.clone(), &ns), count));
            let submitted = Instant::now();
            support::submit_yaml(&ns, &mission(&kind, count));
            let measured = tokio::time::timeout(DEADLINE, async {
                (pods.await.expect("the pod watch"), tasks.await.expect("the task watch"))
            })
            .await;
            let Ok((running_pods, (running_tasks, armed))) = measured else {
                panic!("{count} tasks were not all armed within {DEADLINE:?}");
            };
            let simulators = range.logs("arming.").len();
            println!();
            println!(
                "{count} tasks, 2 weapons each ({simulators} simulators), all armed {:.1} s after submit:",
                submitted.elapsed().as_secs_f64()
            );
            print_percentiles(
                "pod Running -> WeaponsReady=True (Initialize, warm-up, SelfCheck through port-forward)",
                &mut since(&running_pods, &armed),
            );
            print_percentiles(
                "yardstick: pod Running -> task Running (the operator's reaction, no weapon call)",
                &mut since(&running_pods, &running_tasks),
            );
            println!("  floor: the simulator's warm-up 300 ms + self-check 100 ms = 400 ms");
        })
        .await;
    }));
}
