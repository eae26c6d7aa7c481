//! Weapon compatibility verdicts: can this weapon hang on this
//! aircraft type, this hardpoint, this node? Pure functions of the objects, shared
//! by `weapon check` and the checks of mission files.

use k8s_openapi::api::core::v1::Node;
use kube::ResourceExt;

use crate::api::aircraft::{self, annotations, labels};
use crate::api::{Mission, Weapon, WeaponRef};

/// One line of a compatibility report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// The flight task whose loadout was checked, when checking a mission.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    pub weapon: String,
    /// The aircraft type, or the node name when checking a node.
    pub aircraft: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hardpoint: Option<String>,
    pub compatible: bool,
    pub reason: String,
}

/// Whether `weapon` can be carried by `aircraft_type`, on `hardpoint` when given.
pub fn for_aircraft_type(weapon: &Weapon, aircraft_type: &str, hardpoint: Option<&str>) -> Verdict {
    let refusal = weapon
        .spec
        .compatibility
        .refusal(Some(aircraft_type), hardpoint);
    Verdict {
        task: None,
        weapon: weapon.name_any(),
        aircraft: aircraft_type.to_string(),
        hardpoint: hardpoint.map(str::to_string),
        compatible: refusal.is_none(),
        reason: refusal.unwrap_or_else(|| match hardpoint {
            Some(h) => format!("cleared for {aircraft_type} on {h} hardpoints"),
            None => format!("cleared for {aircraft_type}"),
        }),
    }
}

/// Whether the aircraft `node` can carry `weapon`: its type must be one the weapon
/// lists, and the node's `compatible-weapons` annotation must name the weapon.
pub fn for_node(weapon: &Weapon, node: &Node) -> Verdict {
    let name = weapon.name_any();
    let node_name = node.name_any();
    let verdict = |compatible: bool, reason: String| Verdict {
        task: None,
        weapon: name.clone(),
        aircraft: node_name.clone(),
        hardpoint: None,
        compatible,
        reason,
    };
    let Some(aircraft_type) = node.labels().get(labels::TYPE) else {
        return verdict(
            false,
            format!("node has no {} label: it is not an aircraft", labels::TYPE),
        );
    };
    if let Some(refusal) = weapon.spec.compatibility.refusal(Some(aircraft_type), None) {
        return verdict(false, refusal);
    }
    match node.annotations().get(annotations::COMPATIBLE_WEAPONS) {
        None => verdict(
            false,
            format!(
                "node has no {} annotation, so it is cleared for no weapon",
                annotations::COMPATIBLE_WEAPONS
            ),
        ),
        Some(list) if aircraft::compatible_weapons(list).any(|w| w == name) => {
            verdict(true, format!("{aircraft_type} cleared for {name}"))
        }
        Some(list) => verdict(false, format!("node is cleared only for {list}")),
    }
}

/// Verdicts for every weapon of every flight task of a mission, per mount point.
/// `find` resolves a task's weapon reference in the mission's namespace.
pub fn for_mission<'w>(
    mission: &Mission,
    find: impl Fn(&WeaponRef) -> Option<&'w Weapon>,
) -> Vec<Verdict> {
    let mut verdicts = Vec::new();
    for stage in &mission.spec.stages {
        for (index, task) in stage.flight_tasks.iter().enumerate() {
            let task_name = task.effective_name(&stage.name, index);
            let requirement = &task.template.aircraft_requirement;
            let aircraft_type = requirement.aircraft_type.as_deref();
            for loadout in &task.template.weapon_loadout {
                let Some(weapon) = find(&loadout.weapon_ref) else {
                    verdicts.push(Verdict {
                        task: Some(task_name.clone()),
                        weapon: loadout.weapon_ref.name.clone(),
                        aircraft: aircraft_type.unwrap_or("any").to_string(),
                        hardpoint: None,
                        compatible: false,
                        reason: "no such weapon (pass its file with -f, or create it)".to_string(),
                    });
                    continue;
                };
                let hardpoints: Vec<Option<&str>> = if loadout.mount_points.is_empty() {
                    vec![None]
                } else {
                    let mut types = Vec::new();
                    for mount_point in &loadout.mount_points {
                        let hardpoint = Some(aircraft::hardpoint_type(mount_point));
                        if !types.contains(&hardpoint) {
                            types.push(hardpoint);
                        }
                    }
                    types
                };
                for hardpoint in hardpoints {
                    let mut verdict = match aircraft_type {
                        Some(t) => for_aircraft_type(weapon, t, hardpoint),
                        None => for_hardpoint_only(weapon, hardpoint),
                    };
                    verdict.task = Some(task_name.clone());
                    verdicts.push(verdict);
                }
            }
        }
    }
    verdicts
}

fn for_hardpoint_only(weapon: &Weapon, hardpoint: Option<&str>) -> Verdict {
    let refusal = weapon.spec.compatibility.refusal(None, hardpoint);
    Verdict {
        task: None,
        weapon: weapon.name_any(),
        aircraft: "any".to_string(),
        hardpoint: hardpoint.map(str::to_string),
        compatible: refusal.is_none(),
        reason: refusal
            .unwrap_or_else(|| "the task names no aircraft type; hardpoints fit".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::weapon::{Compatibility, WeaponImage, WeaponSpec};
    use kube::api::ObjectMeta;

    fn pl15() -> Weapon {
        let mut weapon = Weapon::new(
            "pl-15",
            WeaponSpec {
                weapon_type: "air-to-air-missile".into(),
                image: Some(WeaponImage {
                    repository: "pl15".into(),
                    tag: "1".into(),
                    pull_policy: None,
                }),
                compatibility: Compatibility {
                    aircraft_types: vec!["j20".into(), "j16".into()],
                    hardpoint_types: vec!["internal-bay".into(), "wing".into()],
                },
                ..Default::default()
            },
        );
        weapon.metadata.namespace = Some("default".into());
        weapon
    }

    fn node(labels: &[(&str, &str)], annotations: &[(&str, &str)]) -> Node {
        let map = |pairs: &[(&str, &str)]| {
            Some(
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            )
        };
        Node {
            metadata: ObjectMeta {
                name: Some("j20-01".into()),
                labels: map(labels),
                annotations: map(annotations),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    #[test]
    fn an_aircraft_type_outside_the_list_is_refused() {
        let verdict = for_aircraft_type(&pl15(), "h6", None);
        assert!(!verdict.compatible);
        assert_eq!(verdict.reason, "aircraft type h6 is not one of j20, j16");
    }

    #[test]
    fn a_listed_type_and_hardpoint_pass() {
        let verdict = for_aircraft_type(&pl15(), "j20", Some("internal-bay"));
        assert!(verdict.compatible, "{verdict:?}");
    }

    #[test]
    fn a_hardpoint_outside_the_list_is_refused() {
        let verdict = for_aircraft_type(&pl15(), "j20", Some("side-bay"));
        assert!(!verdict.compatible);
        assert_eq!(
            verdict.reason,
            "hardpoint type side-bay is not one of internal-bay, wing"
        );
    }

    #[test]
    fn a_node_must_be_cleared_by_its_annotation() {
        let cleared = node(
            &[(labels::TYPE, "j20")],
            &[(annotations::COMPATIBLE_WEAPONS, "pl-10, pl-15")],
        );
        assert!(for_node(&pl15(), &cleared).compatible);

        let not_listed = node(
            &[(labels::TYPE, "j20")],
            &[(annotations::COMPATIBLE_WEAPONS, "pl-10")],
        );
        let verdict = for_node(&pl15(), &not_listed);
        assert!(!verdict.compatible);
        assert_eq!(verdict.reason, "node is cleared only for pl-10");

        let unannotated = node(&[(labels::TYPE, "j20")], &[]);
        assert!(!for_node(&pl15(), &unannotated).compatible);
    }

    #[test]
    fn a_node_of_the_wrong_type_or_no_type_is_refused() {
        let bomber = node(
            &[(labels::TYPE, "h6")],
            &[(annotations::COMPATIBLE_WEAPONS, "pl-15")],
        );
        assert!(!for_node(&pl15(), &bomber).compatible);
        let plain = node(&[], &[]);
        assert!(for_node(&pl15(), &plain).reason.contains("not an aircraft"));
    }

    #[test]
    fn a_mission_gets_one_verdict_per_task_weapon_and_hardpoint_type() {
        let mission: Mission = serde_yaml_ng::from_str(
            r#"
apiVersion: airforce.mil/v1alpha1
kind: Mission
metadata: {name: m}
spec:
  stages:
  - name: strike
    flightTasks:
    - aircraftRequirement: {type: j20}
      weaponLoadout:
      - weaponRef: {name: pl-15}
        quantity: 2
        mountPoints: [internal-bay-1, side-bay-1]
      - weaponRef: {name: yj-12}
        quantity: 1
"#,
        )
        .expect("a mission");
        let weapon = pl15();
        let verdicts = for_mission(&mission, |r| (r.name == "pl-15").then_some(&weapon));
        let summary: Vec<_> = verdicts
            .iter()
            .map(|v| {
                (
                    v.task.as_deref().unwrap(),
                    v.weapon.as_str(),
                    v.hardpoint.as_deref(),
                    v.compatible,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("strike-1", "pl-15", Some("internal-bay"), true),
                ("strike-1", "pl-15", Some("side-bay"), false),
                ("strike-1", "yj-12", None, false),
            ]
        );
    }
}
