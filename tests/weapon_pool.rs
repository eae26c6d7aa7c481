//! A weapon pool on the local cluster: two warm instances of a simulated
//! weapon and five tasks that ask for it. The borrow records on the
//! instances are sampled through the run, across a SIGKILL of `run` in the
//! middle: never more than two lent at once, no instance lent away from a
//! task that has not finished, every task served once and
//! completed with the instance's address, and every instance free and reset
//! (Abort, then Initialize) at the end.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::Api;
use kube::api::ListParams;
use kubectl_airforce::api::conditions::{reasons, types};
use kubectl_airforce::api::keys::MISSION_LABEL;
use kubectl_airforce::api::weapon_pool::{BORROWED_BY, BORROWER_UID, POOL_LABEL};
use kubectl_airforce::api::{FlightTask, Mission, MissionPhase, Weapon};
use support::Operator;
use support::firing_range::FiringRange;

const POOL_SIZE: usize = 2;
const TASKS: usize = 5;

/// What the sampler saw of the pool and its borrowers.
#[derive(Default)]
struct Seen {
    samples: usize,
    most_lent: usize,
    /// Each instance's borrower at the last sample (uid), if any.
    holder: BTreeMap<String, Option<String>>,
    /// Every loan seen, as (instance, borrower uid), in the order first seen.
    loans: Vec<(String, String)>,
    /// Instances lent to another task while their borrower was unfinished.
    handed_over: Vec<String>,
    /// Tasks seen waiting for an instance.
    waited: BTreeSet<String>,
}

fn sample(pods: Api<Pod>, tasks: Api<FlightTask>, seen: Arc<Mutex<Seen>>, done: Arc<AtomicBool>) {
    tokio::spawn(async move {
        let instances = ListParams::default().labels(POOL_LABEL);
        while !done.load(Ordering::Relaxed) {
            let listed = (
                pods.list(&instances).await,
                tasks.list(&ListParams::default()).await,
            );
            if let (Ok(pods), Ok(tasks)) = listed {
                record(
                    &mut seen.lock().expect("the samples"),
                    &pods.items,
                    &tasks.items,
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
}

fn record(seen: &mut Seen, instances: &[Pod], tasks: &[FlightTask]) {
    seen.samples += 1;
    // The tasks are read after the instances, so a task's phase is at least
    // as new as the loans seen.
    let finished = |uid: &str| {
        (tasks.iter())
            .filter(|task| task.metadata.uid.as_deref() == Some(uid))
            .any(|task| {
                task.status
                    .as_ref()
                    .and_then(|s| s.phase)
                    .is_some_and(|p| p.is_finished())
            })
    };
    let mut lent = 0;
    for pod in instances {
        let name = pod.metadata.name.clone().unwrap_or_default();
        let annotations = pod.metadata.annotations.clone().unwrap_or_default();
        let holder = annotations.get(BORROWER_UID).cloned();
        lent += usize::from(holder.is_some());
        let before = seen.holder.get(&name).cloned().flatten();
        if let Some(uid) = &holder {
            // Taken back and lent again between two samples is fine; lent
            // away from a task that still flies would be a double lend.
            if before
                .as_ref()
                .is_some_and(|old| old != uid && !finished(old))
            {
                seen.handed_over
                    .push(format!("{name}: {before:?} -> {uid}"));
            }
            if before.as_ref() != Some(uid) {
                seen.loans.push((name.clone(), uid.clone()));
            }
            assert!(
                annotations.contains_key(BORROWED_BY),
                "{name} names its borrower"
            );
        }
        seen.holder.insert(name, holder);
    }
    seen.most_lent = seen.most_lent.max(lent);
    for task in tasks {
        let status = task.status.as_ref();
        let waiting = (status.into_iter().flat_map(|s| &s.conditions))
            .any(|c| c.type_ == types::WEAPONS_BORROWED && c.reason == reasons::WAITING_FOR_WEAPON);
        if waiting {
            seen.waited
                .insert(task.metadata.name.clone().unwrap_or_default());
        }
    }
}

fn mission(kind: &str) -> String {
    let task = |index: usize| {
        format!(
            r#"
    - name: strike-{index}
      aircraftRequirement: {{type: {kind}}}
      weaponLoadout:
      - weaponRef: {{name: pooled}}
        quantity: 1
      podTemplate:
        metadata:
          annotations: {{sim.airforce.mil/duration: 3s}}"#
        )
    };
    let tasks: String = (1..=TASKS).map(task).collect();
    format!(
        r#"apiVersion: airforce.mil/v1alpha1
kind: Weapon
metadata: {{name: pooled}}
spec:
  weaponType: air-to-air-missile
  compatibility: {{aircraftTypes: [{kind}]}}
  pool: {{size: {POOL_SIZE}}}
---
apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {{name: salvo}}
spec:
  stages:
  - name: strike
    type: parallel
    flightTasks:{tasks}
"#
    )
}

#[tokio::test]
async fn a_pool_of_two_serves_five_tasks_and_a_sigkill_loses_and_double_lends_nothing() {
    support::with_namespace("weapon-pool", |client, ns| async move {
        support::ensure_crds(&client).await;
        let kind = support::tag("pool", &ns);
        let fleet = client.clone();
        support::with_squadron(&fleet, &kind.clone(), TASKS, move |names| async move {
            support::clear_aircraft_for(&client, &names, "pooled").await;
            let range = FiringRange::open(client.clone(), &ns, Box::new(|_, _| None));
            let mut operator = Operator::start(&ns);
            support::submit_yaml(&ns, &mission(&kind));

            let pods: Api<Pod> = Api::namespaced(client.clone(), &ns);
            let tasks: Api<FlightTask> = Api::namespaced(client.clone(), &ns);
            let (seen, done) = (Arc::new(Mutex::new(Seen::default())), Arc::new(AtomicBool::new(false)));
            sample(pods.clone(), tasks.clone(), seen.clone(), done.clone());

            // Killed once the first loans are out and before the last task is served.
            let deadline = tokio::time::Instant::now() + Duration::from_secs(180);
            while seen.lock().expect("the samples").loans.len() < POOL_SIZE + 1 {
                assert!(tokio::time::Instant::now() < deadline, "three loans within 180 s");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            operator.kill();
            let at_kill = seen.lock().expect("the samples").loans.len();
            tokio::time::sleep(Duration::from_secs(2)).await;
            let _operator = Operator::start(&ns);

            let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
            let mission = support::finished_mission(&missions, "salvo", Duration::from_secs(300)).await;
            let status = mission.status.expect("a status");
            assert_eq!(status.phase, Some(MissionPhase::Succeeded), "{:?}", status.message);

            let weapons: Api<Weapon> = Api::namespaced(client.clone(), &ns);
            let weapon = support::wait_for(&weapons, "pooled", Duration::from_secs(90), "every instance back", |weapon: Option<&Weapon>| {
                let pool = weapon.and_then(|w| w.status.as_ref()).and_then(|s| s.pool.as_ref());
                pool.is_some_and(|pool| pool.borrowed.is_empty() && pool.ready == 2 && pool.waiting == 0)
            })
            .await;
            tokio::time::sleep(Duration::from_millis(300)).await;
            done.store(true, Ordering::Relaxed);
            let pool = weapon.status.and_then(|s| s.pool).expect("a pool status");
            assert_eq!(pool.size, 2);

            let seen = std::mem::take(&mut *seen.lock().expect("the samples"));
            println!(
                "{} loans ({at_kill} when run was killed), at most {} lent at once, {} tasks waited, over {} samples",
                seen.loans.len(),
                seen.most_lent,
                seen.waited.len(),
                seen.samples
            );
            assert!(seen.samples > 50, "sampled through the run: {}", seen.samples);
            assert_eq!(seen.most_lent, POOL_SIZE, "the pool was used, and never beyond its size");
            assert!(seen.handed_over.is_empty(), "an instance was lent away from an unfinished task: {:?}", seen.handed_over);
            let borrowers: Vec<&String> = seen.loans.iter().map(|(_, uid)| uid).collect();
            let distinct: BTreeSet<&String> = borrowers.iter().copied().collect();
            assert_eq!((borrowers.len(), distinct.len()), (TASKS, TASKS), "each task served once: {:?}", seen.loans);
            assert!(seen.waited.len() >= TASKS - POOL_SIZE, "tasks waited for an instance: {:?}", seen.waited);

            let all = tasks.list(&ListParams::default().labels(&format!("{MISSION_LABEL}=salvo"))).await.expect("the tasks");
            assert_eq!(all.items.len(), TASKS);
            let task_pods = pods.list(&ListParams::default().labels(&format!("{MISSION_LABEL}=salvo"))).await.expect("the pods");
            assert_eq!(task_pods.items.len(), TASKS, "one pod per task: none made twice");
            let instances = pods.list(&ListParams::default().labels(POOL_LABEL)).await.expect("the instances").items;
            assert_eq!(instances.len(), POOL_SIZE, "the pool kept its size");
            for pod in &task_pods.items {
                let spec = pod.spec.as_ref().expect("a spec");
                let env = spec.containers[0].env.clone().unwrap_or_default();
                let address = env.iter().find(|var| var.name == "WEAPON_POOLED_ADDRESS").and_then(|var| var.value.clone());
                assert!(address.as_deref().is_some_and(|a| a.ends_with(":9001")), "{:?} got {address:?}", pod.metadata.name);
                let sidecars = spec.init_containers.iter().flatten().filter(|c| c.name == "weapon-pooled").count();
                assert_eq!(sidecars, 0, "a borrowed weapon is no sidecar");
            }
            // Each return reset the instance through the protocol.
            let logs = range.logs("pooled-pool-");
            let resets: usize = logs.iter().map(|(_, _, log)| log.matches("Abort").count()).sum();
            let loads: usize = logs.iter().map(|(_, _, log)| log.matches("Initialize").count()).sum();
            assert!(resets >= TASKS && loads >= TASKS + POOL_SIZE, "{resets} aborts and {loads} loads: {logs:#?}");
        })
        .await;
    })
    .await;
}
