//! The Weapon Interface Protocol every weapon sidecar serves, generated at build
//! time from `proto/airforce/weapon/v1/weapon.proto` (client and server).

pub mod v1 {
    tonic::include_proto!("airforce.weapon.v1");
}

/// The port a weapon serves the protocol on unless its Weapon names another.
pub const DEFAULT_PORT: u16 = 9001;
