//! Weapon sidecars, checked without a server.

use k8s_openapi::api::core::v1::{EnvVar, Probe, ResourceRequirements};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use serde_json::json;

use super::*;
use crate::api::WeaponLoadout;
use crate::api::conditions::{reasons, types};
use crate::api::keys::placement as annotations;
use crate::api::weapon::WeaponContainer;
use crate::api::{WeaponRef, flight_task::AircraftRequirement};
use crate::controller::pod_builder::{Attempt, build};
use crate::controller::task_fixtures::{SIMULATOR_IMAGE, pod_settings, task, weapon};
use crate::placement::SchedulerChoice;

fn loadout(name: &str, quantity: i32, mount_points: &[&str]) -> WeaponLoadout {
    WeaponLoadout {
        weapon_ref: WeaponRef {
            name: name.into(),
            namespace: None,
        },
        quantity,
        mount_points: mount_points.iter().map(|m| m.to_string()).collect(),
    }
}

fn armed(aircraft: &str, entries: Vec<WeaponLoadout>) -> FlightTask {
    let mut task = task();
    task.spec.template.aircraft_requirement = AircraftRequirement {
        aircraft_type: Some(aircraft.into()),
        ..AircraftRequirement::default()
    };
    task.spec.template.weapon_loadout = entries;
    task
}

fn build_with(task: &FlightTask, weapons: &[Weapon]) -> Result<PodSpec, BuildError> {
    let attempt = Attempt {
        number: 1,
        retry: 0,
    };
    let pod = build(
        task,
        weapons,
        &[],
        attempt,
        &[],
        &pod_settings(SchedulerChoice::Aircraft),
    )?;
    Ok(pod.spec.expect("a spec"))
}

/// pl-15 with its own settings; yj-12 bare.
fn arsenal() -> Vec<Weapon> {
    let mut pl15 = weapon("pl-15");
    pl15.spec.image.as_mut().unwrap().pull_policy = Some(PullPolicy::IfNotPresent);
    pl15.spec.resources = Some(ResourceRequirements {
        limits: Some([("cpu".to_string(), Quantity("200m".into()))].into()),
        ..ResourceRequirements::default()
    });
    pl15.spec.container = Some(WeaponContainer {
        env: vec![
            EnvVar {
                name: "SEEKER".into(),
                value: Some("active-radar".into()),
                value_from: None,
            },
            EnvVar {
                name: "QUANTITY".into(),
                value: Some("99".into()),
                value_from: None,
            },
        ],
        volume_mounts: vec![VolumeMount {
            name: "data".into(),
            mount_path: "/data".into(),
            ..VolumeMount::default()
        }],
        readiness_probe: Some(Probe {
            period_seconds: Some(3),
            ..Probe::default()
        }),
        liveness_probe: Some(Probe {
            period_seconds: Some(10),
            ..Probe::default()
        }),
        ..WeaponContainer::default()
    });
    let mut yj12 = weapon("yj-12");
    yj12.spec.weapon_type = "anti-ship-missile".into();
    vec![yj12, pl15]
}

fn env(container: &Container) -> Vec<(&str, &str)> {
    let env = container.env.as_deref().unwrap_or_default();
    env.iter()
        .map(|e| (e.name.as_str(), e.value.as_deref().unwrap_or_default()))
        .collect()
}

fn mounts(container: &Container) -> Vec<(&str, &str)> {
    let mounts = container.volume_mounts.as_deref().unwrap_or_default();
    mounts
        .iter()
        .map(|m| (m.name.as_str(), m.mount_path.as_str()))
        .collect()
}

fn strike_task() -> FlightTask {
    armed(
        "j20",
        vec![
            loadout("pl-15", 2, &["internal-bay-1", "internal-bay-2"]),
            loadout("yj-12", 1, &[]),
        ],
    )
}

#[test]
fn weapons_are_native_sidecars_after_the_preload_container() {
    let spec = build_with(&strike_task(), &arsenal()).expect("a pod");
    let init = spec.init_containers.expect("init containers");
    let names: Vec<&str> = init.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["weapon-preload", "weapon-pl-15", "weapon-yj-12"]);
    assert_eq!(
        init[0].restart_policy, None,
        "the preload runs to completion first"
    );
    assert!(
        init[1..]
            .iter()
            .all(|c| c.restart_policy.as_deref() == Some("Always"))
    );
    assert_eq!(init[1].image.as_deref(), Some("registry.local/pl-15:2.1"));
    assert_eq!(init[1].image_pull_policy.as_deref(), Some("IfNotPresent"));
    assert_eq!(init[2].image_pull_policy, None);
    assert_eq!(
        spec.containers.len(),
        1,
        "weapons are not regular containers"
    );
}

#[test]
fn a_sidecar_is_told_its_loadout_and_keeps_the_weapons_own_settings() {
    let spec = build_with(&strike_task(), &arsenal()).expect("a pod");
    let init = spec.init_containers.expect("init containers");
    let pl15 = &init[1];
    assert_eq!(
        env(pl15),
        [
            ("SEEKER", "active-radar"),
            ("WEAPON_TYPE", "air-to-air-missile"),
            ("WEAPON_VERSION", "2.1"),
            ("QUANTITY", "2"),
            ("MOUNT_POINTS", "internal-bay-1,internal-bay-2"),
            ("AIRCRAFT_TYPE", "j20"),
            ("WEAPON_LISTEN", "0.0.0.0:9001"),
        ]
    );
    assert_eq!(
        pl15.readiness_probe.as_ref().and_then(|p| p.period_seconds),
        Some(3)
    );
    assert_eq!(
        pl15.liveness_probe.as_ref().and_then(|p| p.period_seconds),
        Some(10)
    );
    let cpu = pl15
        .resources
        .as_ref()
        .and_then(|r| r.limits.as_ref())
        .map(|l| l["cpu"].0.clone());
    assert_eq!(cpu.as_deref(), Some("200m"));
    assert_eq!(
        mounts(pl15),
        [
            ("data", "/data"),
            ("weapon-interface", "/interface"),
            ("weapon-configs", "/config")
        ]
    );
    let config = pl15
        .volume_mounts
        .as_ref()
        .and_then(|m| m.last())
        .and_then(|m| m.read_only);
    assert_eq!(config, Some(true));
    assert_eq!(
        env(&init[2])[2..],
        [
            ("QUANTITY", "1"),
            ("MOUNT_POINTS", ""),
            ("AIRCRAFT_TYPE", "j20"),
            ("WEAPON_LISTEN", "0.0.0.0:9002")
        ]
    );
}

#[test]
fn weapons_without_ports_get_a_grpc_port_each_from_9001_and_are_told_it() {
    let mut arsenal = arsenal();
    arsenal[1].spec.container.get_or_insert_default().ports = vec![ContainerPort {
        name: Some("telemetry".into()),
        container_port: 7000,
        ..ContainerPort::default()
    }];
    let spec = build_with(&strike_task(), &arsenal).expect("a pod");
    let init = spec.init_containers.expect("init containers");
    let port = |c: &Container| {
        let port = &c.ports.as_deref().unwrap_or_default()[0];
        (port.name.clone().unwrap_or_default(), port.container_port)
    };
    assert_eq!(port(&init[1]), ("telemetry".to_string(), 7000));
    assert!(
        !env(&init[1])
            .iter()
            .any(|(name, _)| *name == "WEAPON_LISTEN")
    );
    // The second weapon of the pod: the first port was the first weapon's to take.
    assert_eq!(port(&init[2]), ("grpc".to_string(), 9002));
    assert!(env(&init[2]).contains(&("WEAPON_LISTEN", "0.0.0.0:9002")));
}

fn grpc_probe_port(container: &Container) -> Option<i32> {
    let probe = container.readiness_probe.as_ref()?;
    probe.grpc.as_ref().map(|grpc| grpc.port)
}

#[test]
fn a_sidecar_is_ready_when_its_grpc_health_answers_unless_the_weapon_probes_itself() {
    let mut arsenal = arsenal();
    let spec = build_with(&strike_task(), &arsenal).expect("a pod");
    let init = spec.init_containers.expect("init containers");
    assert_eq!(
        grpc_probe_port(&init[1]),
        None,
        "pl-15 brings its own probe"
    );
    assert_eq!(grpc_probe_port(&init[2]), Some(9002));

    arsenal[0].spec.container.get_or_insert_default().ports = vec![
        ContainerPort {
            name: Some("telemetry".into()),
            container_port: 7000,
            ..ContainerPort::default()
        },
        ContainerPort {
            name: Some("grpc".into()),
            container_port: 7001,
            ..ContainerPort::default()
        },
    ];
    let spec = build_with(&strike_task(), &arsenal).expect("a pod");
    let yj12 = &spec.init_containers.expect("init containers")[2];
    assert_eq!(grpc_probe_port(yj12), Some(7001));
}

#[test]
fn a_weapon_without_an_image_runs_the_simulated_weapon_from_the_operator_image() {
    let mut arsenal = arsenal();
    arsenal[0].spec.image = None;
    let spec = build_with(&strike_task(), &arsenal).expect("a pod");
    let yj12 = &spec.init_containers.expect("init containers")[2];
    assert_eq!(yj12.image.as_deref(), Some(SIMULATOR_IMAGE));
    assert_eq!(yj12.image_pull_policy, None);
    assert_eq!(yj12.command, None, "the image's entrypoint is the binary");
    assert_eq!(yj12.args.as_deref().unwrap(), ["weapon", "serve"]);
    let ports: Vec<(Option<&str>, i32)> = (yj12.ports.iter().flatten())
        .map(|p| (p.name.as_deref(), p.container_port))
        .collect();
    assert_eq!(ports, [(Some("grpc"), 9002), (Some("metrics"), 9103)]);
    assert_eq!(grpc_probe_port(yj12), Some(9002));
    let listens: Vec<_> = (env(yj12).into_iter())
        .filter(|(name, _)| {
            name.starts_with("WEAPON_") && name.ends_with("ADDR") || *name == "WEAPON_LISTEN"
        })
        .collect();
    assert_eq!(
        listens,
        [
            ("WEAPON_LISTEN", "0.0.0.0:9002"),
            ("WEAPON_METRICS_ADDR", "0.0.0.0:9103")
        ]
    );
    assert_eq!(
        env(yj12)[..3],
        [
            ("WEAPON_TYPE", "anti-ship-missile"),
            ("WEAPON_VERSION", "v0.0.0-test"),
            ("QUANTITY", "1")
        ]
    );
}

#[test]
fn the_task_and_the_preload_share_the_interface_and_the_configmap_is_optional() {
    let mut task = strike_task();
    task.spec.template.pod_template = Some(json!({"spec": {
        "containers": [{"name": "pilot", "image": "pilot:1",
            "volumeMounts": [{"name": "scratch", "mountPath": "/interface"}]}],
        "initContainers": [{"name": "setup", "image": "busybox"}],
        "volumes": [{"name": "scratch", "emptyDir": {}}, {"name": "weapon-configs", "emptyDir": {}}],
    }}));
    let spec = build_with(&task, &arsenal()).expect("a pod");
    assert_eq!(
        mounts(&spec.containers[0]),
        [("weapon-interface", "/interface")]
    );
    let init = spec.init_containers.expect("init containers");
    assert_eq!(init.last().map(|c| c.name.as_str()), Some("setup"));
    assert_eq!(mounts(&init[0]), [("weapon-interface", "/interface")]);
    assert_eq!(env(&init[0]), [("WEAPONS", "pl-15 yj-12")]);
    let volumes = spec.volumes.expect("volumes");
    let names: Vec<&str> = volumes.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["scratch", "weapon-interface", "weapon-configs"]);
    assert!(volumes[1].empty_dir.is_some());
    let config = volumes[2].config_map.as_ref().expect("a ConfigMap volume");
    assert_eq!(
        (config.name.as_str(), config.optional),
        ("weapon-configs", Some(true))
    );
}

#[test]
fn the_aircraft_scheduler_is_told_the_weapons() {
    let task = strike_task();
    let pod = build(
        &task,
        &arsenal(),
        &[],
        Attempt {
            number: 1,
            retry: 0,
        },
        &[],
        &pod_settings(SchedulerChoice::Aircraft),
    )
    .expect("a pod");
    let annotations_ = pod.metadata.annotations.expect("annotations");
    assert_eq!(annotations_[annotations::WEAPONS], "pl-15,yj-12");
}

#[test]
fn entries_of_the_same_weapon_become_one_sidecar() {
    let task = armed(
        "j20",
        vec![
            loadout("pl-15", 2, &["internal-bay-1", "internal-bay-2"]),
            loadout("pl-15", 1, &["wing-1"]),
        ],
    );
    let spec = build_with(&task, &arsenal()).expect("a pod");
    let init = spec.init_containers.expect("init containers");
    assert_eq!(init.len(), 2);
    let env = env(&init[1]);
    assert!(env.contains(&("QUANTITY", "3")));
    assert!(env.contains(&("MOUNT_POINTS", "internal-bay-1,internal-bay-2,wing-1")));
}

#[test]
fn a_weapon_for_another_aircraft_type_is_refused() {
    let task = armed("h6", vec![loadout("pl-15", 1, &[])]);
    let error = build_with(&task, &arsenal()).expect_err("incompatible");
    assert_eq!(
        error,
        BuildError::IncompatibleWeapon {
            weapon: "pl-15".into(),
            mount_point: None,
            reason: "aircraft type h6 is not one of j20, j16".into(),
        }
    );
    assert_eq!(
        error.condition(),
        (types::WEAPONS_COMPATIBLE, reasons::INCOMPATIBLE_WEAPON)
    );
}

#[test]
fn a_weapon_on_a_hardpoint_it_does_not_fit_is_refused() {
    let task = armed("j20", vec![loadout("pl-15", 2, &["wing-1", "side-bay-1"])]);
    let error = build_with(&task, &arsenal()).expect_err("incompatible");
    assert_eq!(
        error.to_string(),
        "weapon pl-15 cannot be carried on side-bay-1: hardpoint type side-bay is not one of internal-bay, wing"
    );
}

#[test]
fn a_missing_weapon_or_one_outside_the_tasks_namespace_and_the_armoury_is_not_found() {
    let task = armed("j20", vec![loadout("pl-15", 1, &[])]);
    let error = build_with(&task, &[weapon("yj-12")]).expect_err("missing");
    assert_eq!(
        error,
        BuildError::WeaponNotFound {
            weapon: "pl-15".into()
        }
    );
    assert_eq!(
        error.condition(),
        (types::WEAPONS_COMPATIBLE, reasons::WEAPON_NOT_FOUND)
    );
    let mut elsewhere = weapon("pl-15");
    elsewhere.metadata.namespace = Some("team-b".into());
    assert!(build_with(&task, std::slice::from_ref(&elsewhere)).is_err());
    let mut in_the_armoury = elsewhere.clone();
    in_the_armoury.metadata.namespace = Some("weapons".into());
    assert!(build_with(&task, std::slice::from_ref(&in_the_armoury)).is_ok());
    let mut task = task;
    task.spec.template.weapon_loadout[0].weapon_ref.namespace = Some("team-b".into());
    assert!(build_with(&task, &[elsewhere]).is_ok());
    assert!(build_with(&task, &[in_the_armoury]).is_err());
}

#[test]
fn an_armed_pod_of_the_default_template_passes_pod_security_restricted() {
    let task = armed(
        "j20",
        vec![
            loadout("pl-15", 2, &["internal-bay-1", "internal-bay-2"]),
            loadout("yj-12", 1, &[]),
        ],
    );
    let spec = build_with(&task, &arsenal()).expect("it builds");
    assert_eq!(spec.init_containers.as_ref().map(Vec::len), Some(3));
    assert_eq!(crate::pod_security::violations(&spec), []);
}
