//! The weapon reconciler against the mock API server: its status is written
//! before the rollout deletes a pod, and a status that cannot be written
//! deletes nothing.

use std::sync::Arc;

use k8s_openapi::api::core::v1::Pod;

use super::reconcile;
use crate::api::flight_task::{FlightTaskStatus, WeaponLoadout, WeaponRef};
use crate::api::weapon::WeaponPhase;
use crate::api::{FlightTaskPhase, Weapon};
use crate::controller::error::Result;
use crate::controller::mock_api::MockApi;
use crate::controller::pod_builder::{Attempt, build};
use crate::controller::task_fixtures::{self, pod_settings, running};
use crate::placement::SchedulerChoice;

/// A running task that carries pl-15, and its pod armed with `armed`.
fn carrying(api: &MockApi, name: &str, armed: &Weapon) {
    let mut task = task_fixtures::task();
    task.metadata.name = Some(name.into());
    task.metadata.uid = Some(format!("uid-{name}"));
    task.spec.template.aircraft_requirement.aircraft_type = Some("j20".into());
    task.spec.template.weapon_loadout = vec![WeaponLoadout {
        weapon_ref: WeaponRef {
            name: "pl-15".into(),
            namespace: None,
        },
        quantity: 2,
        mount_points: Vec::new(),
    }];
    task.status = Some(FlightTaskStatus {
        phase: Some(FlightTaskPhase::Running),
        ..FlightTaskStatus::default()
    });
    let attempt = Attempt {
        number: 1,
        retry: 0,
    };
    let weapons = [armed.clone()];
    let pod = build(
        &task,
        &weapons,
        attempt,
        &[],
        &pod_settings(SchedulerChoice::Aircraft),
    )
    .expect("it builds");
    api.put(&task);
    api.put(&running(pod, "j20-1", 0));
}

/// pl-15 moved from tag 2.1 to 2.2 while two tasks carry the old image.
fn server() -> MockApi {
    let api = MockApi::new();
    let old = task_fixtures::weapon("pl-15");
    let mut weapon = old.clone();
    weapon.metadata.uid = Some("uid-pl-15".into());
    weapon.metadata.generation = Some(2);
    weapon.spec.image.as_mut().unwrap().tag = "2.2".into();
    api.put(&weapon);
    carrying(&api, "a", &old);
    carrying(&api, "b", &old);
    api
}

async fn reconcile_stored(api: &MockApi) -> Result<()> {
    let weapon: Weapon = api
        .get(Some("default"), "pl-15")
        .expect("the weapon is stored");
    reconcile(Arc::new(weapon), api.context()).await.map(|_| ())
}

#[tokio::test]
async fn a_rollout_writes_the_status_then_deletes_one_old_pod_then_tells() {
    let api = server();
    reconcile_stored(&api).await.expect("a clean reconcile");
    assert_eq!(
        api.writes(),
        [
            "PATCH weapons/pl-15/status",
            "DELETE pods/a-1",
            "POST events"
        ]
    );
    let weapon: Weapon = api.get(Some("default"), "pl-15").expect("the weapon");
    let status = weapon.status.expect("a status");
    assert_eq!(status.phase, Some(WeaponPhase::Updating));
}

#[tokio::test]
async fn a_status_that_cannot_be_written_deletes_nothing() {
    let api = server();
    api.fail("PATCH weapons/pl-15/status");
    assert!(reconcile_stored(&api).await.is_err());
    assert_eq!(api.writes(), ["PATCH weapons/pl-15/status"]);
    let pods: Vec<String> = ["a-1", "b-1"]
        .into_iter()
        .filter(|name| api.get::<Pod>(Some("default"), name).is_some())
        .map(|name| name.to_string())
        .collect();
    assert_eq!(pods, ["a-1", "b-1"]);
}
