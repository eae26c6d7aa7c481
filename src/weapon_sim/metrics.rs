//! The simulated weapon's Prometheus metrics: launches asked and launches that
//! fired, and at every scrape its rounds, temperature and state.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::{Registry, Unit};
use std::sync::atomic::AtomicU64;

use crate::weapon_protocol::v1::StatusResponse;
use crate::weapon_protocol::v1::status_response::WeaponState;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabels {
    state: &'static str,
}

const STATES: [WeaponState; 5] = [
    WeaponState::Initializing,
    WeaponState::Ready,
    WeaponState::Locked,
    WeaponState::Launched,
    WeaponState::Fault,
];

pub struct WeaponMetrics {
    registry: Registry,
    launches: Counter,
    launches_succeeded: Counter,
    rounds: Counter,
    remaining: Gauge,
    temperature: Gauge<f64, AtomicU64>,
    state: Family<StateLabels, Gauge>,
}

impl WeaponMetrics {
    /// Every series carries the weapon's type, so one Prometheus can tell the
    /// sidecars of a pod apart.
    pub fn new(weapon_type: &str) -> WeaponMetrics {
        let mut root = Registry::default();
        let registry =
            root.sub_registry_with_label(("weapon_type".into(), weapon_type.to_string().into()));
        let launches = Counter::default();
        let launches_succeeded = Counter::default();
        let rounds = Counter::default();
        let remaining = Gauge::default();
        let temperature = Gauge::<f64, AtomicU64>::default();
        let state = Family::<StateLabels, Gauge>::default();
        registry.register(
            "airforce_weapon_launches",
            "Launch calls answered, refused ones included",
            launches.clone(),
        );
        registry.register(
            "airforce_weapon_launches_succeeded",
            "Launch calls that fired",
            launches_succeeded.clone(),
        );
        registry.register(
            "airforce_weapon_rounds_launched",
            "Rounds that left the weapon",
            rounds.clone(),
        );
        registry.register(
            "airforce_weapon_remaining",
            "Rounds the weapon still holds",
            remaining.clone(),
        );
        registry.register_with_unit(
            "airforce_weapon_temperature",
            "The weapon's temperature",
            Unit::Celsius,
            temperature.clone(),
        );
        registry.register(
            "airforce_weapon_state",
            "1 for the state the weapon is in, 0 for the others",
            state.clone(),
        );
        WeaponMetrics {
            registry: root,
            launches,
            launches_succeeded,
            rounds,
            remaining,
            temperature,
            state,
        }
    }

    /// One Launch call answered; `fired` rounds left the weapon when it succeeded.
    pub fn launch(&self, fired: Option<i32>) {
        self.launches.inc();
        if let Some(rounds) = fired {
            self.launches_succeeded.inc();
            self.rounds.inc_by(rounds.max(0) as u64);
        }
    }

    /// The text exposition, with the gauges taken from `status`.
    pub fn encode(&self, status: &StatusResponse) -> String {
        self.remaining.set(status.remaining_count.into());
        self.temperature.set(status.temperature.into());
        for state in STATES {
            let current = i64::from(status.state == state as i32);
            self.state
                .get_or_create(&StateLabels {
                    state: state.as_str_name(),
                })
                .set(current);
        }
        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}
