//! Weapon references: each must name a Weapon given alongside or found in the
//! cluster, where the operator would look for it (the task's namespace, then
//! the armoury; see [`crate::api::armoury`]), and that weapon must fit the
//! task's aircraft type and mount points. Where each was found is reported.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use kube::ResourceExt;
use serde::Serialize;

use super::diagnostic::{Finding, Rule, Severity};
use super::path::FieldPath;
use super::stages::name_hint;
use super::tasks::task_path;
use crate::api::aircraft::hardpoint_type;
use crate::api::armoury;
use crate::api::flight_task::WeaponRef;
use crate::api::weapon::Compatibility;
use crate::api::{Mission, MissionTask, Weapon, WeaponLoadout};

/// A weapon a reference may resolve to.
#[derive(Debug, Clone)]
struct Entry {
    name: String,
    /// `None` for a file that names no namespace: it matches any.
    namespace: Option<String>,
    origin: Origin,
    /// `None` when the weapon's own document is invalid, so it cannot be judged.
    compatibility: Option<Compatibility>,
}

/// Where a weapon a reference resolved to was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Origin {
    /// One of the files given.
    File,
    /// The cluster.
    Cluster,
}

/// Where one weapon a mission names was found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Resolved {
    pub name: String,
    pub namespace: String,
    pub origin: Origin,
    /// Found in the armoury, not where the task lives or the reference says.
    pub armoury: bool,
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

/// Every weapon a reference may resolve to, and the armoury searched after a
/// task's own namespace.
#[derive(Debug, Clone)]
pub struct Catalog {
    entries: Vec<Entry>,
    unresolved: Unresolved,
    armoury: Option<String>,
}

impl Catalog {
    pub fn new(unresolved: Unresolved, armoury: Option<String>) -> Self {
        Self {
            entries: Vec::new(),
            unresolved,
            armoury,
        }
    }

    /// A Weapon from a file; `weapon` is `None` when its document did not
    /// deserialize, so the name still resolves but compatibility is not judged.
    pub fn add_file(&mut self, name: &str, namespace: Option<&str>, weapon: Option<&Weapon>) {
        self.entries.push(Entry {
            name: name.to_string(),
            namespace: namespace.map(str::to_owned),
            origin: Origin::File,
            compatibility: weapon.map(|w| w.spec.compatibility.clone()),
        });
    }

    pub fn add_cluster(&mut self, weapon: &Weapon) {
        self.entries.push(Entry {
            name: weapon.name_any(),
            namespace: weapon.namespace(),
            origin: Origin::Cluster,
            compatibility: Some(weapon.spec.compatibility.clone()),
        });
    }

    /// The weapon `reference` of a task in `home` resolves to, and where: the
    /// first namespace of the search order that has it. Files come before the
    /// cluster, since they are what is about to be applied.
    fn find(&self, reference: &WeaponRef, home: &str) -> Option<(&Entry, Resolved)> {
        let order = armoury::search_order(reference, home, self.armoury.as_deref());
        order.iter().find_map(|namespace| {
            let matching = |entry: &&Entry| {
                entry.name == reference.name
                    && entry.namespace.as_deref().is_none_or(|ns| ns == *namespace)
            };
            let entry = (self.entries.iter().filter(|e| e.origin == Origin::File))
                .find(matching)
                .or_else(|| self.entries.iter().find(matching))?;
            let resolved = Resolved {
                name: reference.name.clone(),
                namespace: namespace.to_string(),
                origin: entry.origin,
                armoury: reference.namespace.is_none() && *namespace != home,
            };
            Some((entry, resolved))
        })
    }

    /// The finding for a reference nothing matches.
    fn unresolved(&self, path: FieldPath, reference: &WeaponRef, home: &str) -> Finding {
        let name = reference.name.as_str();
        let order = armoury::search_order(reference, home, self.armoury.as_deref());
        let namespace = order.join(" or ");
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

/// Resolves every weapon reference of `mission` and checks compatibility;
/// also says where each weapon was found, once per weapon. `namespace` is
/// where objects that name none go (the `-n` namespace).
pub fn check(
    mission: &Mission,
    catalog: &Catalog,
    namespace: &str,
) -> (Vec<Finding>, Vec<Resolved>) {
    let home = mission.metadata.namespace.as_deref().unwrap_or(namespace);
    let mut findings = Vec::new();
    let mut resolved: BTreeSet<Resolved> = BTreeSet::new();
    // An unchecked weapon is worth one warning, at its first use, not one per use.
    let mut unchecked: HashSet<&WeaponRef> = HashSet::new();
    for (stage_index, stage) in mission.spec.stages.iter().enumerate() {
        for (task_index, task) in stage.flight_tasks.iter().enumerate() {
            let task_path = task_path(stage_index, task_index);
            for (index, entry) in task.template.weapon_loadout.iter().enumerate() {
                let path = task_path.key("weaponLoadout").index(index);
                let reference = &entry.weapon_ref;
                match catalog.find(reference, home) {
                    None => {
                        let finding =
                            catalog.unresolved(path.key("weaponRef").key("name"), reference, home);
                        if finding.severity == Severity::Error || unchecked.insert(reference) {
                            findings.push(finding);
                        }
                    }
                    Some((found, at)) => {
                        resolved.insert(at);
                        if let Some(compatibility) = &found.compatibility {
                            findings.extend(compatible(&path, task, entry, compatibility));
                        }
                    }
                }
            }
        }
    }
    (findings, resolved.into_iter().collect())
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
    use crate::api::armoury::DEFAULT_ARMOURY;
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
            .0
            .into_iter()
            .map(|f| (f.path.to_string(), f.rule))
            .collect()
    }

    fn catalog_with(weapon: &Weapon) -> Catalog {
        let mut catalog = Catalog::new(
            Unresolved::Error("among the weapon files given".to_string()),
            Some(DEFAULT_ARMOURY.to_string()),
        );
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
        let finding = &check(&mission, &catalog, "default").0[0];
        assert_eq!(finding.rule, Rule::UnknownWeapon);
        assert_eq!(finding.hint.as_deref(), Some("did you mean `pl-15`?"));
        let unchecked = Catalog::new(Unresolved::Unchecked("no cluster".to_string()), None);
        let finding = &check(&mission, &unchecked, "default").0[0];
        assert_eq!(finding.severity, Severity::Warning);
    }

    #[test]
    fn an_unchecked_weapon_is_warned_about_once() {
        let mut twice = mission("j20", "pl-15", &[]);
        let task = twice.spec.stages[0].flight_tasks[0].clone();
        twice.spec.stages[0].flight_tasks.push(task);
        let unchecked = Catalog::new(Unresolved::Unchecked("no cluster".to_string()), None);
        assert_eq!(found(&twice, &unchecked).len(), 1);
    }

    #[test]
    fn a_weapon_in_another_namespace_does_not_resolve() {
        let armoury = Some(DEFAULT_ARMOURY.to_string());
        let mut catalog = Catalog::new(Unresolved::Error("in the cluster".to_string()), armoury);
        let mut pl15 = weapon("pl-15", &["j20"], &[]);
        pl15.metadata.namespace = Some("team-b".to_string());
        catalog.add_cluster(&pl15);
        let mission = mission("j20", "pl-15", &[]);
        let (findings, _) = check(&mission, &catalog, "default");
        assert_eq!(
            findings[0].message,
            "no Weapon `pl-15` in namespace default or weapons in the cluster"
        );
        assert_eq!(
            findings[0].hint.as_deref(),
            Some("there is one in namespace team-b: set `namespace: team-b` in weaponRef")
        );
        let mut elsewhere = mission.clone();
        elsewhere.spec.stages[0].flight_tasks[0]
            .template
            .weapon_loadout[0]
            .weapon_ref
            .namespace = Some("team-b".to_string());
        assert_eq!(found(&elsewhere, &catalog), []);
    }

    #[test]
    fn a_weapon_is_found_at_home_before_the_armoury_and_says_where() {
        let armoury = Some(DEFAULT_ARMOURY.to_string());
        let mut catalog = Catalog::new(Unresolved::Error("in the cluster".to_string()), armoury);
        let mut shared = weapon("pl-15", &["j20"], &[]);
        shared.metadata.namespace = Some("weapons".to_string());
        catalog.add_cluster(&shared);
        let mission = mission("j20", "pl-15", &[]);
        let (findings, found) = check(&mission, &catalog, "team-a");
        assert_eq!(findings.len(), 0, "{findings:?}");
        let from_the_armoury = Resolved {
            name: "pl-15".into(),
            namespace: "weapons".into(),
            origin: Origin::Cluster,
            armoury: true,
        };
        assert_eq!(found, [from_the_armoury]);
        let mut own = weapon("pl-15", &["j20"], &[]);
        own.metadata.namespace = Some("team-a".to_string());
        catalog.add_cluster(&own);
        let (_, found) = check(&mission, &catalog, "team-a");
        assert_eq!(
            (found[0].namespace.as_str(), found[0].armoury),
            ("team-a", false)
        );
    }
}
