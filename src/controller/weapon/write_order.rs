//! The weapon reconciler against the mock API server: its status is written
//! before the rollout marks or deletes a pod, and a status that cannot be
//! written touches no pod.

use std::sync::Arc;

use k8s_openapi::api::core::v1::Pod;

use super::reconcile;
use crate::api::flight_task::{FlightTaskStatus, WeaponLoadout, WeaponRef};
use crate::api::keys;
use crate::api::weapon::{RollingUpdate, WeaponPhase};
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
        &[],
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
    server_with(RollingUpdate::default())
}

fn server_with(limits: RollingUpdate) -> MockApi {
    let api = MockApi::new();
    let old = task_fixtures::weapon("pl-15");
    let mut weapon = old.clone();
    weapon.spec.update_strategy.rolling_update = Some(limits);
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
    let (weapons, _) = kube::runtime::reflector::store();
    let preload = super::Preload::new(weapons);
    reconcile(Arc::new(weapon), api.context(), &preload)
        .await
        .map(|_| ())
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
async fn a_surging_rollout_marks_one_pod_and_deletes_another_after_the_status() {
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    let api = server_with(RollingUpdate {
        max_unavailable: Some(IntOrString::Int(1)),
        max_surge: Some(IntOrString::Int(1)),
    });
    reconcile_stored(&api).await.expect("a clean reconcile");
    assert_eq!(
        api.writes(),
        [
            "PATCH weapons/pl-15/status",
            "PATCH pods/a-1",
            "DELETE pods/b-1",
            "POST events",
            "POST events"
        ]
    );
    let marked: Pod = api.get(Some("default"), "a-1").expect("a-1 stays");
    let annotations = marked.metadata.annotations.unwrap_or_default();
    assert_eq!(
        annotations.get(keys::SURGE_ANNOTATION).map(String::as_str),
        Some("true")
    );
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
