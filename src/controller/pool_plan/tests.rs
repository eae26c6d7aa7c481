use k8s_openapi::api::core::v1::{PodCondition, PodStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use super::*;
use crate::api::FlightTaskPhase;
use crate::api::weapon_pool::WeaponPool;
use crate::controller::task_fixtures::{SIMULATOR_IMAGE, at, task, weapon};

fn pooled(size: i32) -> Weapon {
    let mut weapon = weapon("pl-15");
    weapon.metadata.uid = Some("weapon-uid".into());
    weapon.spec.pool = Some(WeaponPool {
        size,
        quantity: Some(2),
    });
    weapon
}

/// Instance `slot` as the cluster shows it once it runs and answers.
fn ready(weapon: &Weapon, slot: i32) -> Pod {
    let mut pod = instance(weapon, slot, SIMULATOR_IMAGE).expect("an instance");
    pod.metadata.resource_version = Some(format!("rv-{slot}"));
    pod.status = Some(PodStatus {
        phase: Some("Running".into()),
        pod_ip: Some(format!("10.0.0.{slot}")),
        conditions: Some(vec![PodCondition {
            type_: "Ready".into(),
            status: "True".into(),
            ..PodCondition::default()
        }]),
        ..PodStatus::default()
    });
    pod
}

fn lent(mut pod: Pod, task: &FlightTask) -> Pod {
    let annotations = pod.metadata.annotations.get_or_insert_with(BTreeMap::new);
    let borrower = weapon_pool::borrower("default", &task.name_any());
    annotations.insert(BORROWED_BY.into(), borrower);
    annotations.insert(BORROWER_UID.into(), task.uid().expect("a uid"));
    pod
}

/// A task that loads the weapon, created `created` seconds after the origin.
fn waiting(name: &str, created: i64) -> FlightTask {
    let mut task = task();
    task.metadata.name = Some(name.into());
    task.metadata.uid = Some(format!("{name}-uid"));
    task.metadata.creation_timestamp = Some(Time(at(created)));
    task
}

fn finished(mut task: FlightTask, phase: FlightTaskPhase) -> FlightTask {
    task.status.get_or_insert_with(Default::default).phase = Some(phase);
    task
}

fn plan_for(weapon: &Weapon, instances: &[Pod], tasks: &[FlightTask]) -> PoolPlan {
    plan(&PoolObserved {
        weapon,
        instances,
        tasks,
        simulator_image: SIMULATOR_IMAGE,
    })
}

fn lent_to(plan: &PoolPlan) -> Vec<(&str, &str)> {
    (plan.lend.iter())
        .map(|lend| (lend.instance.name.as_str(), lend.task.as_str()))
        .collect()
}

#[test]
fn a_new_pool_starts_every_instance_owned_by_the_weapon() {
    let weapon = pooled(2);
    let plan = plan_for(&weapon, &[], &[]);
    let names: Vec<String> = plan.create.iter().map(ResourceExt::name_any).collect();
    assert_eq!(names, ["pl-15-pool-0", "pl-15-pool-1"]);
    let pod = &plan.create[0];
    let owner = &pod.owner_references()[0];
    assert_eq!(
        (owner.uid.as_str(), owner.controller),
        ("weapon-uid", Some(true))
    );
    let spec = pod.spec.as_ref().expect("a spec");
    let container = &spec.containers[0];
    assert_eq!(container.name, "weapon-pl-15");
    assert_eq!(container.restart_policy, None);
    let quantity = (container.env.iter().flatten()).find(|var| var.name == "QUANTITY");
    assert_eq!(quantity.and_then(|var| var.value.as_deref()), Some("2"));
    assert_eq!(
        sidecars::of_pod(pod).len(),
        1,
        "the weapon link finds the weapon"
    );
    let status = plan.status.expect("a pool status");
    assert_eq!(
        (status.size, status.ready, status.borrowed.len()),
        (2, 0, 0)
    );
}

#[test]
fn waiting_tasks_are_lent_free_instances_first_come_first_served() {
    let weapon = pooled(2);
    let instances = [ready(&weapon, 0), ready(&weapon, 1)];
    let tasks = [
        waiting("late", 30),
        waiting("early", 10),
        waiting("middle", 20),
    ];
    let plan = plan_for(&weapon, &instances, &tasks);
    assert_eq!(
        lent_to(&plan),
        [
            ("pl-15-pool-0", "default/early"),
            ("pl-15-pool-1", "default/middle")
        ]
    );
    assert_eq!(plan.lend[0].instance.resource_version, "rv-0");
    assert_eq!(plan.lend[0].task_uid, "early-uid");
    let status = plan.status.expect("a pool status");
    assert_eq!(
        (status.ready, status.waiting, status.borrowed.len()),
        (2, 1, 2)
    );
    assert!(plan.create.is_empty() && plan.delete.is_empty());
}

#[test]
fn an_instance_is_never_lent_twice_nor_a_task_given_two() {
    let weapon = pooled(2);
    let early = waiting("early", 10);
    let instances = [lent(ready(&weapon, 0), &early), ready(&weapon, 1)];
    let tasks = [early, waiting("late", 30)];
    let plan = plan_for(&weapon, &instances, &tasks);
    assert_eq!(lent_to(&plan), [("pl-15-pool-1", "default/late")]);
    let status = plan.status.expect("a pool status");
    let holders: Vec<&str> = status.borrowed.iter().map(|l| l.task.as_str()).collect();
    assert_eq!(holders, ["default/early", "default/late"]);
}

#[test]
fn the_loan_of_a_finished_or_vanished_task_is_taken_back_before_it_is_lent_again() {
    let weapon = pooled(2);
    let done = finished(waiting("done", 10), FlightTaskPhase::Failed);
    let gone = waiting("gone", 11);
    let instances = [
        lent(ready(&weapon, 0), &done),
        lent(ready(&weapon, 1), &gone),
    ];
    let tasks = [done, waiting("next", 30)];
    let plan = plan_for(&weapon, &instances, &tasks);
    let back: Vec<&str> = plan.take_back.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(back, ["pl-15-pool-0", "pl-15-pool-1"]);
    assert!(plan.lend.is_empty(), "a returned instance is reset first");
    assert_eq!(plan.status.expect("a pool status").waiting, 1);
}

#[test]
fn free_instances_out_of_date_or_beyond_the_size_are_replaced_but_a_lent_one_waits() {
    let mut weapon = pooled(1);
    let holder = waiting("holder", 10);
    let stale = |slot| {
        let mut pod = ready(&weapon, slot);
        (pod.metadata.annotations.as_mut().expect("annotations"))
            .insert(INSTANCE_HASH.into(), "old".into());
        pod
    };
    let instances = [lent(stale(0), &holder), ready(&weapon, 1)];
    let plan = plan_for(&weapon, &instances, std::slice::from_ref(&holder));
    assert_eq!(plan.delete, ["pl-15-pool-1"]);
    assert!(plan.take_back.is_empty() && plan.create.is_empty());

    let free = [stale(0)];
    assert_eq!(plan_for(&weapon, &free, &[]).delete, ["pl-15-pool-0"]);
    weapon.spec.pool = None;
    let gone = plan_for(&weapon, &[ready(&weapon, 0)], &[]);
    assert_eq!(gone.delete, ["pl-15-pool-0"]);
    assert_eq!(plan_for(&weapon, &[], &[]), PoolPlan::default());
}

#[test]
fn a_slot_whose_instance_is_still_going_away_is_filled_once_it_is_gone() {
    let weapon = pooled(1);
    let mut leaving = ready(&weapon, 0);
    leaving.metadata.deletion_timestamp = Some(Time(at(5)));
    let plan = plan_for(&weapon, &[leaving], &[waiting("t", 1)]);
    assert!(plan.create.is_empty() && plan.lend.is_empty());
    assert_eq!(plan.status.expect("a pool status").ready, 0);
}

#[test]
fn a_task_finds_its_loan_with_the_address_of_the_weapon() {
    let weapon = pooled(2);
    let task = waiting("t", 1);
    let instances = [ready(&weapon, 0), lent(ready(&weapon, 1), &task)];
    let borrowed = borrowed_by("t-uid", "pl-15", &instances).expect("a loan");
    assert_eq!(borrowed.instance, "default/pl-15-pool-1");
    assert_eq!(borrowed.address, "10.0.0.1:9001");
    assert_eq!(borrowed_by("other-uid", "pl-15", &instances), None);
    let message = waiting_message(&weapon, &instances);
    assert_eq!(
        message,
        "an instance of weapon pool default/pl-15 (1 of 2 lent, 2 ready)"
    );
}
