//! A task's weapons in its pod: each loaded weapon becomes a native
//! sidecar `weapon-<name>`, with a `weapon-preload` init container and the volumes
//! they share with the task.
//!
//! Both run unprivileged, as non-root with every capability dropped, so a pod
//! whose template passes Pod Security `restricted` passes it with its weapons.
//!
//! Native sidecars (init containers with `restartPolicy: Always`) because a weapon
//! service runs until told to stop: as a plain container it would keep a finished
//! task pod Running forever, the sidecar problem Argo Workflows and Tekton had to
//! work around. The kubelet stops native sidecars once the task containers exit,
//! so the pod's phase follows the task alone.

use k8s_openapi::api::core::v1::{
    ConfigMapVolumeSource, Container, ContainerPort, EmptyDirVolumeSource, GRPCAction, PodSpec,
    Probe, Volume, VolumeMount,
};
use kube::ResourceExt;

use crate::api::aircraft::hardpoint_type;
use crate::api::armoury;
use crate::api::weapon::PullPolicy;
use crate::api::{FlightTask, Weapon};
use crate::pod_security;
use crate::pod_template::{PRELOAD_CONTAINER, SIDECAR_PREFIX};
use crate::{weapon_protocol, weapon_sim};

use super::pod_parts::{BuildError, HELPER_IMAGE, env_var, merge_env};
use crate::weapon_link::sidecars::GRPC_PORT_NAME;

/// The emptyDir through which the task and its weapons talk.
pub const INTERFACE_VOLUME: &str = "weapon-interface";
pub const INTERFACE_PATH: &str = "/interface";
/// The ConfigMap (and the pod volume of the same name) with weapon settings.
pub const CONFIG_VOLUME: &str = "weapon-configs";
pub const CONFIG_PATH: &str = "/config";
/// The first ports given to weapons that declare none: the sidecars of a pod
/// share its network, so each takes the next one.
const GRPC_PORT: i32 = weapon_protocol::DEFAULT_PORT as i32;
const SIMULATOR_METRICS_PORT: i32 = weapon_sim::METRICS_PORT as i32;

/// Prepares the interface directory: one folder per weapon and the loadout list.
/// Failing here (a read-only or missing volume) fails the pod before any weapon
/// or task container starts, which is the clearest place to see it.
const PRELOAD_SCRIPT: &str = r#"set -eu
touch /interface/.writable && rm /interface/.writable
for weapon in $WEAPONS; do mkdir -p "/interface/$weapon"; done
printf '%s\n' $WEAPONS > /interface/loadout
echo "weapon interface ready for: $WEAPONS""#;

/// One weapon as the pod carries it: every loadout entry naming the same weapon,
/// merged, since a pod can hold only one sidecar of a name.
#[derive(Debug, Clone)]
pub struct Armament<'w> {
    pub weapon: &'w Weapon,
    pub quantity: i32,
    pub mount_points: Vec<String>,
}

/// The task's loadout matched with `weapons` (each entry resolved as
/// [`armoury::resolve`] says, in loadout order) and checked against its
/// aircraft type and hardpoints.
pub fn arm<'w>(
    task: &FlightTask,
    weapons: &'w [Weapon],
    armoury: Option<&str>,
) -> Result<Vec<Armament<'w>>, BuildError> {
    let template = &task.spec.template;
    let aircraft_type = template.aircraft_requirement.aircraft_type.as_deref();
    let mut armaments: Vec<Armament<'w>> = Vec::new();
    for entry in &template.weapon_loadout {
        let wanted = &entry.weapon_ref;
        let home = task.metadata.namespace.as_deref().unwrap_or_default();
        let weapon = armoury::resolve(wanted, home, armoury, weapons).ok_or_else(|| {
            BuildError::WeaponNotFound {
                weapon: wanted.name.clone(),
            }
        })?;
        check_fit(weapon, aircraft_type, &entry.mount_points)?;
        match armaments
            .iter_mut()
            .find(|a| a.weapon.name_any() == wanted.name)
        {
            Some(armament) => {
                armament.quantity += entry.quantity;
                armament
                    .mount_points
                    .extend(entry.mount_points.iter().cloned());
            }
            None => armaments.push(Armament {
                weapon,
                quantity: entry.quantity,
                mount_points: entry.mount_points.clone(),
            }),
        }
    }
    Ok(armaments)
}

fn check_fit(
    weapon: &Weapon,
    aircraft_type: Option<&str>,
    mount_points: &[String],
) -> Result<(), BuildError> {
    let compatibility = &weapon.spec.compatibility;
    let refused = |mount_point: Option<&String>, reason| BuildError::IncompatibleWeapon {
        weapon: weapon.name_any(),
        mount_point: mount_point.cloned(),
        reason,
    };
    if let Some(reason) = compatibility.refusal(aircraft_type, None) {
        return Err(refused(None, reason));
    }
    for mount_point in mount_points {
        if let Some(reason) = compatibility.refusal(None, Some(hardpoint_type(mount_point))) {
            return Err(refused(Some(mount_point), reason));
        }
    }
    Ok(())
}

/// Adds the preload container, the sidecars and the shared volumes to `spec`,
/// and mounts the interface in every task container. Nothing when unarmed.
/// A weapon that names no image gets the simulated weapon: `simulator_image`
/// (the operator's own) running `weapon serve`.
pub fn install(
    spec: &mut PodSpec,
    armaments: &[Armament],
    aircraft_type: Option<&str>,
    simulator_image: &str,
) {
    if armaments.is_empty() {
        return;
    }
    for container in &mut spec.containers {
        mount(container, interface_mount());
    }
    // The preload runs first, then the sidecars start in order; the template's own
    // init containers come after them, so they can already reach the weapons.
    let mut init = vec![preload(armaments)];
    init.extend(
        (armaments.iter().enumerate())
            .map(|(slot, a)| sidecar(a, slot, aircraft_type, simulator_image)),
    );
    init.extend(spec.init_containers.take().unwrap_or_default());
    spec.init_containers = Some(init);
    let volumes = spec.volumes.get_or_insert_with(Vec::new);
    volumes.retain(|v| v.name != INTERFACE_VOLUME && v.name != CONFIG_VOLUME);
    volumes.extend(shared_volumes());
}

/// Mounts `ours` in `container`, replacing whatever the template mounted there.
pub fn mount(container: &mut Container, ours: VolumeMount) {
    let mounts = container.volume_mounts.get_or_insert_with(Vec::new);
    mounts.retain(|m| m.mount_path != ours.mount_path);
    mounts.push(ours);
}

fn preload(armaments: &[Armament]) -> Container {
    let names: Vec<String> = armaments.iter().map(|a| a.weapon.name_any()).collect();
    Container {
        name: PRELOAD_CONTAINER.to_string(),
        image: Some(HELPER_IMAGE.to_string()),
        command: Some(vec!["sh".into(), "-c".into(), PRELOAD_SCRIPT.into()]),
        env: Some(vec![env_var("WEAPONS", &names.join(" "))]),
        volume_mounts: Some(vec![interface_mount()]),
        security_context: Some(pod_security::restricted_context(true)),
        ..Container::default()
    }
}

/// The sidecar of the weapon in `slot` (its place in the pod's loadout): the
/// weapon's service, restarted on its own and sharing the task's volumes.
fn sidecar(
    armament: &Armament,
    slot: usize,
    aircraft_type: Option<&str>,
    simulator_image: &str,
) -> Container {
    let own_mounts = (armament.weapon.spec.container.as_ref())
        .map(|own| own.volume_mounts.clone())
        .unwrap_or_default();
    let mut container = service(armament, slot, aircraft_type, simulator_image);
    container.restart_policy = Some("Always".to_string());
    container.volume_mounts = Some(own_mounts);
    mount(&mut container, interface_mount());
    mount(&mut container, config_mount());
    container
}

/// The container that runs the weapon's service in a pod of its own: an
/// instance of its pool, loaded with `quantity` rounds. The weapon's own
/// volume mounts name volumes of a task's pod, so an instance has none.
pub fn pool_instance(weapon: &Weapon, quantity: i32, simulator_image: &str) -> Container {
    let armament = Armament {
        weapon,
        quantity,
        mount_points: Vec::new(),
    };
    service(&armament, 0, None, simulator_image)
}

/// The weapon's service in `slot`: its image, the environment it is told its
/// load by, its ports and its readiness.
fn service(
    armament: &Armament,
    slot: usize,
    aircraft_type: Option<&str>,
    simulator_image: &str,
) -> Container {
    let weapon = armament.weapon;
    let spec = &weapon.spec;
    let own = spec.container.clone().unwrap_or_default();
    let simulated = spec.image.is_none();
    // The controller's facts about the loadout win over a weapon's own `env`.
    let mut ours = vec![
        env_var("WEAPON_TYPE", &spec.weapon_type),
        env_var("WEAPON_VERSION", &spec.current_version(simulator_image)),
        env_var("QUANTITY", &armament.quantity.to_string()),
        env_var("MOUNT_POINTS", &armament.mount_points.join(",")),
        env_var("AIRCRAFT_TYPE", aircraft_type.unwrap_or_default()),
    ];
    let offset = i32::try_from(slot).unwrap_or(0);
    if own.ports.is_empty() {
        let listen = format!("0.0.0.0:{}", GRPC_PORT + offset);
        ours.push(env_var("WEAPON_LISTEN", &listen));
        if simulated {
            let metrics = format!("0.0.0.0:{}", SIMULATOR_METRICS_PORT + offset);
            ours.push(env_var("WEAPON_METRICS_ADDR", &metrics));
        }
    }
    let ports = ports(own.ports, simulated, offset);
    let grpc_port = grpc_port(&ports);
    Container {
        name: format!("{SIDECAR_PREFIX}{}", weapon.name_any()),
        image: Some(spec.sidecar_image(simulator_image)),
        image_pull_policy: (spec.image.as_ref())
            .and_then(|image| image.pull_policy)
            .map(pull_policy),
        args: simulated.then(|| vec!["weapon".to_string(), "serve".to_string()]),
        env: Some(merge_env(own.env, ours)),
        ports: Some(ports),
        liveness_probe: own.liveness_probe,
        readiness_probe: own.readiness_probe.or_else(|| Some(grpc_probe(grpc_port))),
        resources: spec.resources.clone(),
        // A weapon image may write where it runs; it still runs unprivileged.
        security_context: Some(pod_security::restricted_context(false)),
        ..Container::default()
    }
}

/// Ready once the weapon answers the gRPC health service on its protocol port,
/// which every weapon serves beside the Weapon Interface Protocol.
fn grpc_probe(port: i32) -> Probe {
    Probe {
        grpc: Some(GRPCAction {
            port,
            service: None,
        }),
        period_seconds: Some(5),
        failure_threshold: Some(3),
        ..Probe::default()
    }
}

fn pull_policy(policy: PullPolicy) -> String {
    match policy {
        PullPolicy::Always => "Always",
        PullPolicy::IfNotPresent => "IfNotPresent",
        PullPolicy::Never => "Never",
    }
    .to_string()
}

/// The weapon's own ports, or the protocol's (and the simulator's metrics)
/// shifted by `offset`, matching the listen addresses the sidecar is given.
fn ports(own: Vec<ContainerPort>, simulated: bool, offset: i32) -> Vec<ContainerPort> {
    if !own.is_empty() {
        return own;
    }
    let port = |name: &str, number| ContainerPort {
        name: Some(name.to_string()),
        container_port: number,
        protocol: Some("TCP".to_string()),
        ..ContainerPort::default()
    };
    let mut ports = vec![port(GRPC_PORT_NAME, GRPC_PORT + offset)];
    if simulated {
        ports.push(port("metrics", SIMULATOR_METRICS_PORT + offset));
    }
    ports
}

/// The port named `grpc`, else the first, else the protocol's default.
fn grpc_port(ports: &[ContainerPort]) -> i32 {
    (ports.iter())
        .find(|port| port.name.as_deref() == Some(GRPC_PORT_NAME))
        .or(ports.first())
        .map_or(GRPC_PORT, |port| port.container_port)
}

fn interface_mount() -> VolumeMount {
    VolumeMount {
        name: INTERFACE_VOLUME.to_string(),
        mount_path: INTERFACE_PATH.to_string(),
        ..VolumeMount::default()
    }
}

fn config_mount() -> VolumeMount {
    VolumeMount {
        name: CONFIG_VOLUME.to_string(),
        mount_path: CONFIG_PATH.to_string(),
        read_only: Some(true),
        ..VolumeMount::default()
    }
}

fn shared_volumes() -> [Volume; 2] {
    [
        Volume {
            name: INTERFACE_VOLUME.to_string(),
            empty_dir: Some(EmptyDirVolumeSource::default()),
            ..Volume::default()
        },
        Volume {
            name: CONFIG_VOLUME.to_string(),
            config_map: Some(ConfigMapVolumeSource {
                name: CONFIG_VOLUME.to_string(),
                // Settings are optional for a weapon; a required ConfigMap that
                // nobody created would hold the pod in ContainerCreating forever,
                // a stuck task with no failure to retry.
                optional: Some(true),
                ..ConfigMapVolumeSource::default()
            }),
            ..Volume::default()
        },
    ]
}

#[cfg(test)]
mod tests;
