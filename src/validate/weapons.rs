//! Weapon references: each must name a Weapon given alongside or found in the
//! cluster, and that weapon must fit the task's aircraft type and mount points.

use std::collections::{BTreeMap, HashSet};

use kube::ResourceExt;

use super::diagnostic::{Finding, Rule, Severity};
use super::path::FieldPath;
use super::stages::name_hint;
use super::tasks::task_path;
use crate::api::aircraft::hardpoint_type;
use crate::api::weapon::Compatibility;
use crate::api::{Mission, MissionTask, Weapon, WeaponLoadout};

/// A weapon a reference may resolve to.
#[derive(Debug, Clone)]
struct Entry {
    name: String,
    /// `None` for a file that names no namespace: it matches any.
    namespace: Option<String>,
    /// `None` when the weapon's own document is invalid, so it cannot be judged.
    compatibility: Option<Compatibility>,
}

/// What happens to a reference that no known weapon matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    /// The known weapons are complete (a cluster was listed, or `--offline` with
    /// weapon files): the reference is an error.
    Error(String),
    /// The reference could not be checked: a warning saying why.
    Unchecked(String),
}

/// Every weapon a reference may resolve to.
#[derive(Debug, Clone)]
pub struct Catalog {
    entries: Vec<Entry>,
    unresolved: Unresolved,
}

impl Catalog {
    pub fn new(unresolved: Unresolved) -> Self {
        Self {
            entries: Vec::new(),
            unresolved,
        }
    }

    /// A Weapon from a file; `weapon` is `None` when its document did not
    /// deserialize, so the name still resolves but compatibility is not judged.
    pub fn add_file(&mut self, name: &str, namespace: Option<&str>, weapon: Option<&Weapon>) {
        self.entries.push(Entry {
            name: name.to_string(),
            namespace: namespace.map(str::to_owned),
            compatibility: weapon.map(|w| w.spec.compatibility.clone()),
        });
    }

    pub fn add_cluster(&mut self, weapon: &Weapon) {
        self.entries.push(Entry {
            name: weapon.name_any(),
            namespace: weapon.namespace(),
            compatibility: Some(weapon.spec.compatibility.clone()),
        });
    }

    fn find(&self, name: &str, namespace: &str) -> Option<&Entry> {
        self.entries.iter().find(|entry| {
            entry.name == name && entry.namespace.as_deref().is_none_or(|ns| ns == namespace)
        })
    }

    /// The finding for a reference nothing matches.
    fn unresolved(&self, path: FieldPath, name: &str, namespace: &str) -> Finding {
        match &self.unresolved {
            Unresolved::Error(among) => {
                let message = format!("no Weapon `{name}` in namespace {namespace} {among}");
                let names = self.entries.iter().map(|entry| entry.name.as_str());
                let elsewhere = self.entries.iter().find(|entry| entry.name == name);
                let hint = match (elsewhere, self.entries.is_empty()) {
                    (
                        Some(Entry {
                            namespace: Some(other),
                            ..
                        }),
                        _,
                    ) => format!(
                        "there is one in namespace {other}: set `namespace: {other}` in weaponRef"
                    ),
                    (_, true) => "create the weapon, or pass its file with -f".to_string(),
                    (_, false) => name_hint(name, names, "weapons"),
                };
                Finding::error(Rule::UnknownWeapon, path, message).hint(hint)
            }
            Unresolved::Unchecked(why) => Finding::warning(
                Rule::WeaponNotChecked,
                path,
                format!("weapon `{name}` could not be checked: {why}"),
            )
            .hint("pass the weapon's file with -f to check it offline (this is its first use)"),
        }
    }
}

/// Resolves every weapon reference of `mission` and checks compatibility.
/// `namespace` is where objects that name none go (the `-n` namespace).
pub fn check(mission: &Mission, catalog: &Catalog, namespace: &str) -> Vec<Finding> {
    let namespace = mission.metadata.namespace.as_deref().unwrap_or(namespace);
    let mut findings = Vec::new();
    // An unchecked weapon is worth one warning, at its first use, not one per use.
    let mut unchecked: HashSet<(&str, &str)> = HashSet::new();
    for (stage_index, stage) in mission.spec.stages.iter().enumerate() {
        for (task_index, task) in stage.flight_tasks.iter().enumerate() {
            let task_path = task_path(stage_index, task_index);
            for (index, entry) in task.template.weapon_loadout.iter().enumerate() {
                let path = task_path.key("weaponLoadout").index(index);
                let reference = &entry.weapon_ref;
                let namespace = reference.namespace.as_deref().unwrap_or(namespace);
                match catalog.find(&reference.name, namespace) {
                    None => {
                        let finding = catalog.unresolved(
                            path.key("weaponRef").key("name"),
                            &reference.name,
                            namespace,
                        );
                        if finding.severity == Severity::Error
                            || unchecked.insert((&reference.name, namespace))
                        {
                            findings.push(finding);
                        }
                    }
                    Some(Entry {
                        compatibility: Some(compatibility),
                        ..
                    }) => findings.extend(compatible(&path, task, entry, compatibility)),
                    Some(_) => {}
                }
            }
        }
    }
    findings
}

fn compatible(
    path: &FieldPath,
    task: &MissionTask,
    entry: &WeaponLoadout,
    compatibility: &Compatibility,
) -> Vec<Finding> {
    let weapon = &entry.weapon_ref.name;
    let mut findings = Vec::new();
    let aircraft = task.template.aircraft_requirement.aircraft_type.as_deref();
    if let Some(why) = compatibility.refusal(aircraft, None) {
        let message = format!("weapon {weapon} cannot be carried by this task's aircraft: {why}");
        let hint = "choose an aircraft type the weapon lists in compatibility.aircraftTypes, or another weapon";
        let finding = Finding::error(
            Rule::IncompatibleAircraft,
            path.key("weaponRef").key("name"),
            message,
        );
        findings.push(finding.hint(hint));
    }
    // One finding per hardpoint type, placed on its first mount point.
    let mut by_type: BTreeMap<&str, Vec<(usize, &str)>> = BTreeMap::new();
    for (position, mount_point) in entry.mount_points.iter().enumerate() {
        by_type
            .entry(hardpoint_type(mount_point))
            .or_default()
            .push((position, mount_point));
    }
    for (kind, mounts) in by_type {
        let Some(why) = compatibility.refusal(None, Some(kind)) else {
            continue;
        };
        let names: Vec<&str> = mounts.iter().map(|(_, name)| *name).collect();
        let message = format!("weapon {weapon} cannot hang on {}: {why}", names.join(", "));
        let hint = format!(
            "use mount points of type {}",
            compatibility.hardpoint_types.join(" or ")
        );
        let place = path.key("mountPoints").index(mounts[0].0);
        findings.push(Finding::error(Rule::IncompatibleHardpoint, place, message).hint(hint));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{MissionSpec, StageTemplate, WeaponRef, WeaponSpec};

    fn weapon(name: &str, aircraft: &[&str], hardpoints: &[&str]) -> Weapon {
        let mut weapon = Weapon::new(name, WeaponSpec::default());
        weapon.spec.compatibility = Compatibility {
            aircraft_types: aircraft.iter().map(|a| a.to_string()).collect(),
            hardpoint_types: hardpoints.iter().map(|h| h.to_string()).collect(),
        };
        weapon
    }

    fn mission(aircraft: &str, weapon: &str, mounts: &[&str]) -> Mission {
        let mut task = MissionTask::default();
        task.template.aircraft_requirement.aircraft_type = Some(aircraft.to_string());
        task.template.weapon_loadout = vec![WeaponLoadout {
            weapon_ref: WeaponRef {
                name: weapon.to_string(),
                namespace: None,
            },
            quantity: i32::try_from(mounts.len()).unwrap_or(1).max(1),
            mount_points: mounts.iter().map(|m| m.to_string()).collect(),
        }];
        let stage = StageTemplate {
            name: "s".to_string(),
            flight_tasks: vec![task],
            ..Default::default()
        };
        Mission::new(
            "m",
            MissionSpec {
                stages: vec![stage],
                ..Default::default()
            },
        )
    }

    fn found(mission: &Mission, catalog: &Catalog) -> Vec<(String, Rule)> {
        check(mission, catalog, "default")
            .into_iter()
            .map(|f| (f.path.to_string(), f.rule))
            .collect()
    }

    fn catalog_with(weapon: &Weapon) -> Catalog {
        let mut catalog = Catalog::new(Unresolved::Error(
            "among the weapon files given".to_string(),
        ));
        catalog.add_file(&weapon.name_any(), None, Some(weapon));
        catalog
    }

    #[test]
    fn a_compatible_loadout_passes() {
        let catalog = catalog_with(&weapon("pl-15", &["j20"], &["internal-bay"]));
        let mission = mission("j20", "pl-15", &["internal-bay-1", "internal-bay-2"]);
        assert_eq!(found(&mission, &catalog), []);
    }

    #[test]
    fn wrong_aircraft_and_hardpoints_are_both_reported() {
        let catalog = catalog_with(&weapon("pl-15", &["j20"], &["internal-bay"]));
        let mission = mission("j10c", "pl-15", &["internal-bay-1", "wing-1", "wing-2"]);
        let base = "spec.stages[0].flightTasks[0].weaponLoadout[0]";
        assert_eq!(
            found(&mission, &catalog),
            [
                (format!("{base}.weaponRef.name"), Rule::IncompatibleAircraft),
                (
                    format!("{base}.mountPoints[1]"),
                    Rule::IncompatibleHardpoint
                ),
            ]
        );
    }

    #[test]
    fn an_unknown_weapon_is_an_error_or_a_warning_as_the_catalog_says() {
        let mission = mission("j20", "pl-16", &[]);
        let catalog = catalog_with(&weapon("pl-15", &["j20"], &[]));
        let finding = &check(&mission, &catalog, "default")[0];
        assert_eq!(finding.rule, Rule::UnknownWeapon);
        assert_eq!(finding.hint.as_deref(), Some("did you mean `pl-15`?"));
        let unchecked = Catalog::new(Unresolved::Unchecked("no cluster".to_string()));
        let finding = &check(&mission, &unchecked, "default")[0];
        assert_eq!(finding.severity, Severity::Warning);
    }

    #[test]
    fn an_unchecked_weapon_is_warned_about_once() {
        let mut twice = mission("j20", "pl-15", &[]);
        let task = twice.spec.stages[0].flight_tasks[0].clone();
        twice.spec.stages[0].flight_tasks.push(task);
        let unchecked = Catalog::new(Unresolved::Unchecked("no cluster".to_string()));
        assert_eq!(found(&twice, &unchecked).len(), 1);
    }

    #[test]
    fn a_weapon_in_another_namespace_does_not_resolve() {
        let mut catalog = Catalog::new(Unresolved::Error("in the cluster".to_string()));
        let mut pl15 = weapon("pl-15", &["j20"], &[]);
        pl15.metadata.namespace = Some("weapons".to_string());
        catalog.add_cluster(&pl15);
        let mission = mission("j20", "pl-15", &[]);
        let findings = check(&mission, &catalog, "default");
        assert_eq!(
            findings[0].hint.as_deref(),
            Some("there is one in namespace weapons: set `namespace: weapons` in weaponRef")
        );
        let mut elsewhere = mission.clone();
        elsewhere.spec.stages[0].flight_tasks[0]
            .template
            .weapon_loadout[0]
            .weapon_ref
            .namespace = Some("weapons".to_string());
        assert_eq!(found(&elsewhere, &catalog), []);
    }
}
