//! The cluster's weapons, for resolving references that no file defines.

use std::time::Duration;

use kube::Api;
use kube::api::ListParams;

use super::source::ValidateError;
use crate::api::Weapon;

/// Lists the Weapons of every namespace, giving up after `timeout` so a
/// cluster that does not answer cannot stall validation.
pub async fn cluster_weapons(
    client: kube::Client,
    timeout: Duration,
) -> Result<Vec<Weapon>, ValidateError> {
    let api: Api<Weapon> = Api::all(client);
    match tokio::time::timeout(timeout, api.list(&ListParams::default())).await {
        Ok(Ok(list)) => Ok(list.items),
        Ok(Err(error)) => Err(ValidateError::ListWeapons(error)),
        Err(_) => Err(ValidateError::Timeout(timeout)),
    }
}
