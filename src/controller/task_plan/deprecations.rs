//! Weapons at a deprecated version: a task that arms one is warned (an event
//! and the WeaponDeprecated condition); from the version's deprecation date
//! the pod is not built and the task fails, unless the Weapon allows it.

use k8s_openapi::jiff::Timestamp;
use k8s_openapi::jiff::tz::TimeZone;
use kube::ResourceExt;
use kube::runtime::events::EventType;

use super::TaskPlan;
use crate::api::conditions::{reasons, types};
use crate::api::weapon::Arming;
use crate::api::{FlightTask, Weapon};
use crate::controller::pod_builder::PodSettings;
use crate::controller::pod_parts::BuildError;
use crate::controller::report::PlanEvent;
use crate::controller::task_status::Conditions;
use crate::controller::weapon_sidecars;

/// Why the task is warned about a deprecated weapon it may still arm.
pub(super) type Warning = String;

/// The warnings for the weapons the task arms, or the refusal of the first
/// whose deprecation date has come. A loadout that does not resolve is left
/// to the pod builder to refuse.
pub(super) fn check(
    task: &FlightTask,
    weapons: &[Weapon],
    settings: &PodSettings,
    now: Timestamp,
) -> Result<Vec<Warning>, BuildError> {
    let Ok(armaments) = weapon_sidecars::arm(task, weapons, settings.armoury.as_deref()) else {
        return Ok(Vec::new());
    };
    let today = now.to_zoned(TimeZone::UTC).date();
    let mut warnings = Vec::new();
    for armament in armaments {
        let weapon = armament.weapon.name_any();
        match armament
            .weapon
            .spec
            .arming(&settings.simulator_image, today)
        {
            Arming::Current => {}
            Arming::Refused { version, since } => {
                return Err(BuildError::DeprecatedWeapon {
                    weapon,
                    version,
                    since,
                });
            }
            Arming::Deprecated { version, until } => {
                let when = match until {
                    Some(date) if date > today => format!("; tasks are refused from {date}"),
                    Some(date) => format!(" since {date}; the Weapon allows it still"),
                    None => String::new(),
                };
                warnings.push(format!(
                    "weapon {weapon} is at version {version}, deprecated{when}"
                ));
            }
        }
    }
    Ok(warnings)
}

/// Records the warnings on the plan: one event each, and the condition
/// (taken back to False once an attempt carries no deprecated weapon); a
/// status that says so is written at once.
pub(super) fn warn(plan: &mut TaskPlan, task: &FlightTask, warnings: &[Warning], now: Timestamp) {
    let mut conditions = Conditions::new(&mut plan.status.conditions, task, now);
    let told = !warnings.is_empty() || conditions.has(types::WEAPON_DEPRECATED);
    if !warnings.is_empty() {
        let message = warnings.join("; ");
        conditions.set(
            types::WEAPON_DEPRECATED,
            true,
            reasons::WEAPON_DEPRECATED,
            &message,
        );
    } else if conditions.has(types::WEAPON_DEPRECATED) {
        let message = "every weapon is at a current version";
        conditions.set(
            types::WEAPON_DEPRECATED,
            false,
            reasons::COMPATIBLE,
            message,
        );
    }
    if told {
        plan.quiet_for = None;
    }
    plan.events.extend(warnings.iter().map(|note| PlanEvent {
        type_: EventType::Warning,
        reason: reasons::WEAPON_DEPRECATED,
        action: "Arm",
        note: note.clone(),
    }));
}
