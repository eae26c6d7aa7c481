//! A weapon pool: warm instances of a weapon that flight tasks borrow
//! instead of carrying a sidecar of their own, the names of those instances,
//! and what the pool reports in the Weapon's status.
//!
//! A loan is recorded on the instance pod itself ([`BORROWED_BY`] and
//! [`BORROWER_UID`]), written with the pod's resourceVersion as a
//! precondition, so two writers can never lend one instance twice: the second
//! write is refused and looks again.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// On a pool instance pod: the Weapon whose pool it belongs to.
pub const POOL_LABEL: &str = "airforce.mil/weapon-pool";
/// On a pool instance pod: its slot in the pool, from 0.
pub const SLOT_LABEL: &str = "airforce.mil/pool-slot";
/// On a lent pool instance: the borrowing flight task, `namespace/name`.
pub const BORROWED_BY: &str = "airforce.mil/borrowed-by";
/// On a lent pool instance: the borrowing task's uid, so a task deleted and
/// created again under the same name is another borrower.
pub const BORROWER_UID: &str = "airforce.mil/borrower-uid";
/// On a pool instance: a fingerprint of what it runs, so an instance left
/// behind by a change of the Weapon is replaced once it is free.
pub const INSTANCE_HASH: &str = "airforce.mil/instance-hash";

/// `spec.pool` of a Weapon.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WeaponPool {
    /// How many instances to keep running.
    #[schemars(range(min = 0, max = 50))]
    pub size: i32,
    /// Rounds each instance is loaded with, when it is warmed and each time
    /// it is returned. Default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1000))]
    pub quantity: Option<i32>,
}

impl WeaponPool {
    pub fn quantity(&self) -> i32 {
        self.quantity.unwrap_or(1)
    }
}

/// `status.pool` of a Weapon.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PoolStatus {
    /// Instances the pool keeps.
    pub size: i32,
    /// Instances running and ready to serve.
    pub ready: i32,
    /// Tasks waiting for an instance.
    #[serde(default)]
    pub waiting: i32,
    /// Instances lent, each with its borrower.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub borrowed: Vec<Loan>,
}

/// One lent instance.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Loan {
    /// The instance pod.
    pub instance: String,
    /// The borrowing flight task, `namespace/name`.
    pub task: String,
}

/// The name of the pool instance in `slot`.
pub fn instance_name(weapon: &str, slot: i32) -> String {
    format!("{weapon}-pool-{slot}")
}

/// How a borrower is written on an instance.
pub fn borrower(namespace: &str, name: &str) -> String {
    format!("{namespace}/{name}")
}
