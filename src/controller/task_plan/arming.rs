//! Arming an armed task's running pod: its weapons are asked to load and
//! check themselves until every one is READY (the WeaponsReady condition).
//! A weapon in FAULT fails the attempt at once (WeaponFault); weapons not
//! armed within the operator's weapon timeout fail it too
//! (WeaponUnresponsive). Either failure suspects the aircraft, so the retry
//! flies elsewhere. Once armed, the weapons are not asked again for the
//! attempt (what they do next is the mission payload's business) unless a
//! sidecar is reloaded in place to another image: the new version is armed
//! again, and the weapon timeout counts from the reload.

use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::jiff::Timestamp;

use super::model::{Ended, Planner, TaskPlan};
use crate::api::conditions::{self, reasons, types};
use crate::api::{FlightTaskStatus, TaskWeaponStatus, duration};
use crate::controller::pod_state::TaskPod;
use crate::weapon_link::{Sidecar, sidecars};

/// How often weapons that are still warming up are asked again.
const ARMING_POLL: Duration = Duration::from_secs(1);

/// Whether the attempt's weapons are armed already (the condition is
/// cleared when a new attempt starts).
fn armed(status: &FlightTaskStatus) -> bool {
    conditions::find(&status.conditions, types::WEAPONS_READY).is_some_and(|c| c.status == "True")
}

/// A sidecar of `pod` whose image is not the one its weapon was armed from.
fn reloaded(pod: &Pod, status: &FlightTaskStatus) -> Option<Sidecar> {
    sidecars::of_pod(pod).into_iter().find(|sidecar| {
        let armed_from = (status.weapons.iter())
            .find(|w| w.name == sidecar.weapon)
            .and_then(|w| w.image.as_ref());
        armed_from.is_some() && armed_from != sidecar.image.as_ref()
    })
}

impl Planner<'_, '_> {
    /// Returns whether the attempt failed on its weapons.
    pub(super) fn arming(&mut self, pod: TaskPod, node: &str, started: Timestamp) -> bool {
        let observed = self.observed;
        if observed.task.spec.template.weapon_loadout.is_empty() {
            return false;
        }
        if armed(&self.plan.status) {
            let Some(sidecar) = reloaded(pod.pod, &self.plan.status) else {
                return false;
            };
            let image = sidecar.image.unwrap_or_default();
            let message = format!(
                "weapon {} reloaded to {image}: arming it again",
                sidecar.weapon
            );
            self.conditions()
                .set(types::WEAPONS_READY, false, reasons::ARMING, &message);
        }
        // The clock runs from the pod's start, or from the reload that made
        // the weapons arm again.
        let since = conditions::find(&self.plan.status.conditions, types::WEAPONS_READY)
            .filter(|c| c.status == "False")
            .map_or(started, |c| c.last_transition_time.0.max(started));
        let Some(answers) = observed.weapons else {
            self.plan.arm_weapons = Some(pod.name.to_string());
            return false;
        };
        self.plan.status.weapons = answers.to_vec();
        if let Some(faulty) = answers.iter().find(|w| w.is_faulted()) {
            let said = faulty.message.as_deref().unwrap_or("no detail");
            let message = format!("weapon {} is in FAULT: {said}", faulty.name);
            self.conditions()
                .set(types::WEAPONS_READY, false, reasons::WEAPON_FAULT, &message);
            self.fail_on_weapons(pod, node, reasons::WEAPON_FAULT, message);
            return true;
        }
        let waiting: Vec<String> = (answers.iter())
            .filter(|w| !w.is_armed())
            .map(describe)
            .collect();
        if waiting.is_empty() {
            let armed: Vec<String> = (answers.iter())
                .map(|w| format!("{} ({} remaining)", w.name, w.remaining))
                .collect();
            let message = format!("armed: {}", armed.join(", "));
            self.conditions()
                .set(types::WEAPONS_READY, true, reasons::ARMED, &message);
            return false;
        }
        let waiting = waiting.join("; ");
        match self.left(since, self.limits.weapons) {
            Some(left) => {
                self.wake_in(left.min(ARMING_POLL));
                let message = format!("arming: {waiting}");
                self.conditions()
                    .set(types::WEAPONS_READY, false, reasons::ARMING, &message);
                false
            }
            None => {
                let limit = duration::human(self.limits.weapons);
                let message = format!("weapons not READY within {limit}: {waiting}");
                self.conditions().set(
                    types::WEAPONS_READY,
                    false,
                    reasons::WEAPON_UNRESPONSIVE,
                    &message,
                );
                self.fail_on_weapons(pod, node, reasons::WEAPON_UNRESPONSIVE, message);
                true
            }
        }
    }

    fn fail_on_weapons(&mut self, pod: TaskPod, node: &str, reason: &'static str, message: String) {
        let failed = Ended {
            reason,
            node: Some(node.to_string()),
            message,
            at: self.now(),
        };
        self.attempt_failed(pod, failed);
    }
}

fn describe(weapon: &TaskWeaponStatus) -> String {
    match weapon.message.as_deref() {
        Some(message) => format!("{} {} ({message})", weapon.name, weapon.state),
        None => format!("{} {}", weapon.name, weapon.state),
    }
}

impl TaskPlan {
    /// The pod this plan stops whose weapons were armed: they are told to
    /// Abort before it goes.
    pub(super) fn weapons_to_abort(&self) -> Option<String> {
        let current = self.status.pod_ref.as_ref()?;
        let live = self.status.weapons.iter().any(TaskWeaponStatus::is_live);
        (live && self.stop.contains(&current.name)).then(|| current.name.clone())
    }
}
