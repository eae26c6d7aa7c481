//! One simulated weapon: the protocol's state machine, its rounds and its heat,
//! as a pure function of the calls made and the time they were made at. The
//! gRPC service around it only locks, waits out the timings and logs.

use std::time::Duration;

use tokio::time::Instant;

use crate::weapon_protocol::v1::{
    ComponentCheck, SelfCheckResponse, StatusResponse, Target, status_response::WeaponState,
};

/// How long each step takes on this weapon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timings {
    /// From Initialize until READY.
    pub warm_up: Duration,
    pub self_check: Duration,
    pub lock: Duration,
    pub launch: Duration,
}

/// What the weapon was started as, reported in every status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    pub weapon_type: String,
    pub version: String,
}

/// Why a call was refused; each maps to one gRPC status code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{call} is not allowed while the weapon is {state}: {hint}")]
    WrongState {
        call: &'static str,
        state: &'static str,
        hint: &'static str,
    },
    #[error("cannot launch {asked}: {remaining} remaining")]
    OverLaunch { asked: i32, remaining: i32 },
    #[error("{0}")]
    Invalid(String),
}

/// Degrees Celsius of a cold weapon, of one warmed up, and what one round adds.
const AMBIENT: f32 = 20.0;
const WARM: f32 = 35.0;
const HEAT_PER_ROUND: f32 = 12.0;
/// How fast launch heat fades: it halves in this time.
const HEAT_HALF_LIFE: Duration = Duration::from_secs(20);

#[derive(Debug)]
pub struct SimulatedWeapon {
    identity: Identity,
    timings: Timings,
    /// Set for tests: every self-check fails with this message.
    fault: Option<String>,
    state: WeaponState,
    mount_points: Vec<String>,
    loaded: i32,
    remaining: i32,
    /// When the warm-up of the last Initialize ends.
    ready_at: Option<Instant>,
    target: Option<String>,
    self_check: Option<bool>,
    message: String,
    /// Launch heat above the warm temperature, as of `heat_at`.
    heat: f32,
    heat_at: Instant,
}

impl SimulatedWeapon {
    pub fn new(identity: Identity, timings: Timings, fault: Option<String>, now: Instant) -> Self {
        SimulatedWeapon {
            identity,
            timings,
            fault,
            state: WeaponState::Initializing,
            mount_points: Vec::new(),
            loaded: 0,
            remaining: 0,
            ready_at: None,
            target: None,
            self_check: None,
            message: "waiting for Initialize".to_string(),
            heat: 0.0,
            heat_at: now,
        }
    }

    pub fn timings(&self) -> Timings {
        self.timings
    }

    /// The state as of `now`: a warm-up that has ended has made the weapon READY.
    pub fn state(&mut self, now: Instant) -> WeaponState {
        if self.state == WeaponState::Initializing && self.ready_at.is_some_and(|at| now >= at) {
            self.state = WeaponState::Ready;
            self.message = format!("ready: {} loaded", self.remaining);
        }
        self.state
    }

    pub fn status(&mut self, now: Instant) -> StatusResponse {
        let state = self.state(now);
        StatusResponse {
            state: state as i32,
            remaining_count: self.remaining,
            temperature: self.temperature(now),
            self_check_passed: self.self_check == Some(true),
            message: self.message.clone(),
            self_checked: self.self_check.is_some(),
            weapon_type: self.identity.weapon_type.clone(),
            version: self.identity.version.clone(),
            mount_points: self.mount_points.clone(),
        }
    }

    /// Loads the weapon and starts its warm-up. Loading the same again changes
    /// nothing, so a caller may retry; a different load is taken only before
    /// any round has left and while no target is held.
    pub fn initialize(
        &mut self,
        quantity: i32,
        mount_points: Vec<String>,
        now: Instant,
    ) -> Result<StatusResponse, Refusal> {
        if quantity < 1 {
            return Err(Refusal::Invalid(format!(
                "quantity must be at least 1, got {quantity}"
            )));
        }
        let state = self.state(now);
        let same =
            self.ready_at.is_some() && self.loaded == quantity && self.mount_points == mount_points;
        match state {
            WeaponState::Initializing | WeaponState::Ready if same => return Ok(self.status(now)),
            WeaponState::Locked | WeaponState::Launched => {
                return Err(self.wrong_state("Initialize", "call Abort first"));
            }
            WeaponState::Fault => {
                return Err(self.wrong_state("Initialize", "restart the weapon to clear the fault"));
            }
            WeaponState::Initializing | WeaponState::Ready if self.remaining != self.loaded => {
                return Err(self.wrong_state(
                    "Initialize",
                    "rounds have already left; restart the weapon to load it again",
                ));
            }
            WeaponState::Initializing | WeaponState::Ready => {}
        }
        self.loaded = quantity;
        self.remaining = quantity;
        self.mount_points = mount_points;
        self.state = WeaponState::Initializing;
        self.ready_at = Some(now + self.timings.warm_up);
        self.message = format!("warming up with {quantity} loaded");
        Ok(self.status(now))
    }

    pub fn lock(
        &mut self,
        target: Option<Target>,
        now: Instant,
    ) -> Result<StatusResponse, Refusal> {
        let target = target.ok_or_else(|| Refusal::Invalid("a target is required".into()))?;
        match self.state(now) {
            WeaponState::Ready | WeaponState::Locked | WeaponState::Launched => {}
            _ => return Err(self.wrong_state("LockTarget", "wait for READY")),
        }
        if self.remaining == 0 {
            return Err(self.wrong_state("LockTarget", "nothing remains to launch"));
        }
        let id = if target.target_id.is_empty() {
            format!("{:.4},{:.4}", target.latitude, target.longitude)
        } else {
            target.target_id
        };
        self.message = format!("locked on {id}");
        self.target = Some(id);
        self.state = WeaponState::Locked;
        Ok(self.status(now))
    }

    /// Fires `count` rounds at the locked target; returns how many left.
    pub fn launch(&mut self, target_id: &str, count: i32, now: Instant) -> Result<i32, Refusal> {
        if count < 1 {
            return Err(Refusal::Invalid(format!(
                "count must be at least 1, got {count}"
            )));
        }
        if self.state(now) != WeaponState::Locked {
            return Err(self.wrong_state("Launch", "lock a target first"));
        }
        let locked = self.target.as_deref().unwrap_or_default();
        if !target_id.is_empty() && target_id != locked {
            return Err(Refusal::Invalid(format!(
                "target {target_id} is not the locked target ({locked})"
            )));
        }
        if count > self.remaining {
            return Err(Refusal::OverLaunch {
                asked: count,
                remaining: self.remaining,
            });
        }
        self.heat = self.excess_heat(now) + HEAT_PER_ROUND * count as f32;
        self.heat_at = now;
        self.remaining -= count;
        self.message = format!("launched {count} at {locked}, {} remaining", self.remaining);
        self.target = None;
        self.state = WeaponState::Launched;
        Ok(count)
    }

    /// Drops any lock and makes the weapon safe. Always allowed; a weapon that
    /// holds no target stays as it is.
    pub fn abort(&mut self, reason: &str, now: Instant) -> StatusResponse {
        if matches!(self.state(now), WeaponState::Locked | WeaponState::Launched) {
            self.state = WeaponState::Ready;
            self.target = None;
            self.message = format!("aborted: {reason}");
        }
        self.status(now)
    }

    /// Tests every component. A fault set for the weapon fails its seeker and
    /// puts it in FAULT; otherwise the verdict depends on its heat.
    pub fn self_check(&mut self, now: Instant) -> SelfCheckResponse {
        self.state(now);
        let temperature = self.temperature(now);
        let components = vec![
            check("power", true, "bus at 28 V".to_string()),
            match &self.fault {
                Some(fault) => check("seeker", false, fault.clone()),
                None => check("seeker", true, "tracking".to_string()),
            },
            check(
                "thermal",
                temperature < 90.0,
                format!("{temperature:.1} °C (limit 90)"),
            ),
            check(
                "rounds",
                self.remaining <= self.loaded,
                format!("{} of {} remaining", self.remaining, self.loaded),
            ),
        ];
        let passed = components.iter().all(|c| c.passed);
        self.self_check = Some(passed);
        if !passed {
            let failed: Vec<String> = components
                .iter()
                .filter(|c| !c.passed)
                .map(|c| format!("{}: {}", c.component, c.detail))
                .collect();
            self.state = WeaponState::Fault;
            self.target = None;
            self.message = format!("self-check failed: {}", failed.join("; "));
        } else if self.state != WeaponState::Fault {
            self.message = match self.state {
                WeaponState::Initializing if self.ready_at.is_none() => {
                    "self-check passed; waiting for Initialize".to_string()
                }
                _ => "self-check passed".to_string(),
            };
        }
        SelfCheckResponse {
            passed,
            components,
            status: Some(self.status(now)),
        }
    }

    /// Cold until initialized, warming through the warm-up, then warm plus the
    /// heat of recent launches.
    pub fn temperature(&self, now: Instant) -> f32 {
        let base = match self.ready_at {
            None => AMBIENT,
            Some(ready_at) => {
                let warm_up = self.timings.warm_up.as_secs_f32();
                let left = ready_at.saturating_duration_since(now).as_secs_f32();
                if warm_up == 0.0 {
                    WARM
                } else {
                    WARM - (WARM - AMBIENT) * (left / warm_up).min(1.0)
                }
            }
        };
        base + self.excess_heat(now)
    }

    fn excess_heat(&self, now: Instant) -> f32 {
        let since = now.saturating_duration_since(self.heat_at).as_secs_f32();
        self.heat * 0.5f32.powf(since / HEAT_HALF_LIFE.as_secs_f32())
    }

    fn wrong_state(&self, call: &'static str, hint: &'static str) -> Refusal {
        Refusal::WrongState {
            call,
            state: self.state.as_str_name(),
            hint,
        }
    }
}

fn check(component: &str, passed: bool, detail: String) -> ComponentCheck {
    ComponentCheck {
        component: component.to_string(),
        passed,
        detail,
    }
}

#[cfg(test)]
mod tests;
