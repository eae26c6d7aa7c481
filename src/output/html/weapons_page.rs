//! The weapons: type, current version and phase, how many tasks carry each,
//! and the rollouts in progress (a weapon Updating while its pods are
//! replaced).

use kube::ResourceExt;
use maud::{Markup, html};

use super::layout::{Chrome, page};
use crate::api::Weapon;
use crate::api::conditions::types::ROLLED_OUT;
use crate::api::weapon::WeaponPhase;

#[derive(Debug, Clone)]
pub struct WeaponsPage<'a> {
    /// `None` for every namespace.
    pub namespace: Option<&'a str>,
    pub weapons: &'a [Weapon],
}

pub fn weapons_page(chrome: &Chrome, list: &WeaponsPage) -> Markup {
    let rolling: Vec<&Weapon> = (list.weapons.iter())
        .filter(|w| phase(w) == WeaponPhase::Updating)
        .collect();
    page(
        chrome,
        html! {
            h1 { "Weapons" }
            p.dim { (list.weapons.len()) " weapons in " (list.namespace.map_or("every namespace".to_string(), |ns| format!("namespace {ns}"))) }
            section aria-labelledby="rollouts" {
                h2 #rollouts { "Rollouts in progress" }
                @if rolling.is_empty() { p.dim { "None." } }
                ul {
                    @for weapon in &rolling {
                        li { strong { (weapon.name_any()) } " → " (version(weapon)) ": " (rollout_message(weapon)) }
                    }
                }
            }
            div.scroll {
                table.weapons {
                    thead { tr {
                        th { "Namespace" } th { "Weapon" } th { "Type" } th { "Version" } th { "Phase" } th { "Tasks" } th { "Carried" } th { "Versions known" }
                    } }
                    tbody {
                        @for weapon in list.weapons {
                            @let usage = weapon.status.as_ref().and_then(|s| s.usage.clone()).unwrap_or_default();
                            tr.weapon data-weapon=(weapon.name_any()) {
                                td { (weapon.namespace().unwrap_or_default()) }
                                td { (weapon.name_any()) }
                                td { (weapon.spec.weapon_type) }
                                td { (version(weapon)) }
                                td { (format!("{:?}", phase(weapon))) }
                                td { (usage.task_count) }
                                td { (usage.quantity) }
                                td { (weapon.spec.version_history.iter().map(|r| r.version.as_str()).collect::<Vec<_>>().join(", ")) }
                            }
                        }
                    }
                }
            }
        },
    )
}

fn phase(weapon: &Weapon) -> WeaponPhase {
    (weapon.status.as_ref())
        .and_then(|s| s.phase)
        .unwrap_or_default()
}

fn version(weapon: &Weapon) -> String {
    (weapon.status.as_ref())
        .and_then(|s| s.current_version.clone())
        .or_else(|| weapon.spec.version.clone())
        .unwrap_or_else(|| "-".to_string())
}

/// The RolledOut condition's message: how far the rollout has come.
fn rollout_message(weapon: &Weapon) -> String {
    (weapon.status.as_ref())
        .and_then(|s| s.conditions.iter().find(|c| c.type_ == ROLLED_OUT))
        .map(|c| c.message.clone())
        .unwrap_or_else(|| "pods are being replaced".to_string())
}
