//! Pre-pulled weapon images: from the Weapons of one namespace, the DaemonSet
//! that keeps every image of those that ask for it (`spec.preload`, or every
//! weapon when the operator's configuration says so) pulled on every aircraft
//! node, or none when no weapon asks. Pure; the weapon reconciler applies it.
//!
//! Each image is an image volume of a pause container: the kubelet pulls an
//! image to mount it, and nothing of it ever runs, so the pod needs no shell
//! or command from the weapon's image, no privileges, and passes Pod Security
//! `restricted`. A new tag changes the pod template, and the DaemonSet rolls
//! it out node by node. Every preloading Weapon owns the DaemonSet, so it goes
//! with the last of them.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{DaemonSet, DaemonSetSpec};
use k8s_openapi::api::core::v1::{
    Affinity, Container, ImageVolumeSource, NodeAffinity, NodeSelector, NodeSelectorRequirement,
    NodeSelectorTerm, PodSpec, PodTemplateSpec, ResourceRequirements, Toleration, Volume,
    VolumeMount,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, OwnerReference};
use kube::{Resource, ResourceExt};

use crate::api::Weapon;
use crate::api::aircraft::labels as aircraft;
use crate::api::keys::PRELOAD_LABEL;
use crate::pod_security;

/// The DaemonSet's name, one per namespace of preloading weapons.
pub const PRELOAD_DAEMON_SET: &str = "airforce-weapon-preload";
/// What holds the mounted images: a container that only sleeps.
pub const PAUSE_IMAGE: &str = "registry.k8s.io/pause:3.10";
/// On the DaemonSet: [`fingerprint`] of what was last applied, so an
/// unchanged one is not written again on every weapon reconcile.
pub const PRELOAD_HASH: &str = "airforce.mil/preload-hash";

/// The DaemonSet for `weapons` (those of one namespace), or `None` when none
/// of them preloads. `all` preloads every one.
pub fn daemon_set<'w>(
    namespace: &str,
    weapons: impl IntoIterator<Item = &'w Weapon>,
    simulator_image: &str,
    all: bool,
) -> Option<DaemonSet> {
    let mut preloading: Vec<&Weapon> = (weapons.into_iter())
        .filter(|w| w.meta().deletion_timestamp.is_none())
        .filter(|w| all || w.spec.preload)
        .collect();
    preloading.sort_by_key(|w| w.name_any());
    if preloading.is_empty() {
        return None;
    }
    // One volume per image: weapons sharing an image pull it once.
    let mut images: BTreeMap<String, String> = BTreeMap::new();
    for weapon in &preloading {
        let image = weapon.spec.sidecar_image(simulator_image);
        images.entry(image).or_insert_with(|| weapon.name_any());
    }
    let volumes: Vec<Volume> = (images.iter())
        .map(|(image, weapon)| Volume {
            name: format!("weapon-{weapon}"),
            image: Some(ImageVolumeSource {
                reference: Some(image.clone()),
                pull_policy: Some("IfNotPresent".into()),
            }),
            ..Volume::default()
        })
        .collect();
    let mounts: Vec<VolumeMount> = (volumes.iter())
        .map(|volume| VolumeMount {
            name: volume.name.clone(),
            mount_path: format!("/weapons/{}", volume.name),
            read_only: Some(true),
            ..VolumeMount::default()
        })
        .collect();
    let selector: BTreeMap<String, String> =
        [(PRELOAD_LABEL.to_string(), "true".to_string())].into();
    let owners: Vec<OwnerReference> = (preloading.iter())
        .filter_map(|weapon| weapon.controller_owner_ref(&()))
        .map(|owner| OwnerReference {
            controller: Some(false),
            block_owner_deletion: Some(false),
            ..owner
        })
        .collect();
    let hold = Container {
        name: "hold".into(),
        image: Some(PAUSE_IMAGE.into()),
        volume_mounts: Some(mounts),
        security_context: Some(pod_security::restricted_context(true)),
        resources: Some(ResourceRequirements {
            requests: Some(
                [
                    ("cpu".to_string(), Quantity("1m".into())),
                    ("memory".to_string(), Quantity("8Mi".into())),
                ]
                .into(),
            ),
            limits: Some([("memory".to_string(), Quantity("16Mi".into()))].into()),
            ..ResourceRequirements::default()
        }),
        ..Container::default()
    };
    let on_aircraft = NodeSelectorRequirement {
        key: aircraft::TYPE.into(),
        operator: "Exists".into(),
        values: None,
    };
    Some(DaemonSet {
        metadata: ObjectMeta {
            name: Some(PRELOAD_DAEMON_SET.into()),
            namespace: Some(namespace.into()),
            labels: Some(selector.clone()),
            owner_references: Some(owners),
            ..ObjectMeta::default()
        },
        spec: Some(DaemonSetSpec {
            selector: LabelSelector {
                match_labels: Some(selector.clone()),
                ..LabelSelector::default()
            },
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(selector),
                    ..ObjectMeta::default()
                }),
                spec: Some(PodSpec {
                    containers: vec![hold],
                    volumes: Some(volumes),
                    automount_service_account_token: Some(false),
                    security_context: Some(pod_security::restricted_pod_context()),
                    affinity: Some(Affinity {
                        node_affinity: Some(NodeAffinity {
                            required_during_scheduling_ignored_during_execution: Some(
                                NodeSelector {
                                    node_selector_terms: vec![NodeSelectorTerm {
                                        match_expressions: Some(vec![on_aircraft]),
                                        ..NodeSelectorTerm::default()
                                    }],
                                },
                            ),
                            ..NodeAffinity::default()
                        }),
                        ..Affinity::default()
                    }),
                    // An aircraft in maintenance or marked suspect still
                    // keeps its images for when it flies again.
                    tolerations: Some(vec![Toleration {
                        operator: Some("Exists".into()),
                        ..Toleration::default()
                    }]),
                    ..PodSpec::default()
                }),
            },
            ..DaemonSetSpec::default()
        }),
        ..DaemonSet::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::weapon::{WeaponImage, WeaponSpec};
    use crate::pod_security::{Level, violations};

    fn weapon(name: &str, tag: Option<&str>, preload: bool) -> Weapon {
        let mut weapon = Weapon::new(
            name,
            WeaponSpec {
                image: tag.map(|tag| WeaponImage {
                    repository: format!("registry.local/{name}"),
                    tag: tag.into(),
                    pull_policy: None,
                }),
                preload,
                ..WeaponSpec::default()
            },
        );
        weapon.metadata.namespace = Some("weapons".into());
        weapon.metadata.uid = Some(format!("uid-{name}"));
        weapon
    }

    fn images(set: &DaemonSet) -> Vec<String> {
        let spec = set.spec.as_ref().unwrap().template.spec.as_ref().unwrap();
        (spec.volumes.iter().flatten())
            .filter_map(|v| v.image.as_ref()?.reference.clone())
            .collect()
    }

    #[test]
    fn no_weapon_that_preloads_means_no_daemon_set() {
        let weapons = [weapon("pl-15", Some("2.1"), false)];
        assert!(daemon_set("weapons", &weapons, "sim:1", false).is_none());
        assert!(daemon_set("weapons", &[], "sim:1", true).is_none());
    }

    #[test]
    fn every_image_of_the_preloading_weapons_is_mounted_once_and_each_owns_it() {
        let weapons = [
            weapon("pl-15", Some("2.1"), true),
            weapon("pl-10", None, true),
            weapon("yj-12", None, true),
            weapon("ls-6", Some("3.0"), false),
        ];
        let set = daemon_set("weapons", &weapons, "sim:1", false).expect("a DaemonSet");
        assert_eq!(images(&set), ["registry.local/pl-15:2.1", "sim:1"]);
        let owners: Vec<_> = set
            .metadata
            .owner_references
            .iter()
            .flatten()
            .map(|o| &o.name)
            .collect();
        assert_eq!(owners, ["pl-10", "pl-15", "yj-12"]);
        assert!(
            set.metadata
                .owner_references
                .iter()
                .flatten()
                .all(|o| o.controller == Some(false))
        );
        let every = daemon_set("weapons", &weapons, "sim:1", true).expect("a DaemonSet");
        assert_eq!(
            images(&every).len(),
            3,
            "the operator setting preloads ls-6 too"
        );
    }

    #[test]
    fn a_new_tag_changes_the_pod_template() {
        let before = daemon_set(
            "weapons",
            &[weapon("pl-15", Some("2.1"), true)],
            "sim:1",
            false,
        );
        let after = daemon_set(
            "weapons",
            &[weapon("pl-15", Some("2.2"), true)],
            "sim:1",
            false,
        );
        assert_ne!(
            before.unwrap().spec.unwrap().template,
            after.unwrap().spec.unwrap().template
        );
    }

    #[test]
    fn its_pods_pass_pod_security_restricted() {
        let set = daemon_set(
            "weapons",
            &[weapon("pl-15", Some("2.1"), true)],
            "sim:1",
            false,
        );
        let spec = set.unwrap().spec.unwrap().template.spec.unwrap();
        let found = violations(&spec);
        assert!(
            found
                .iter()
                .all(|v| v.level != Level::Restricted && v.level != Level::Baseline),
            "{found:?}"
        );
    }
}
