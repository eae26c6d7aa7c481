//! Removing what `install` created, and counting the missions that would go
//! with the CRDs. A 404 on delete is success: uninstalling twice is fine.

use std::fmt;
use std::time::Duration;

use k8s_openapi::api::admissionregistration::v1::{
    ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding,
};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Namespace, ServiceAccount};
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding};
use k8s_openapi::api::scheduling::v1::PriorityClass;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{DeleteParams, DynamicObject, ListParams};
use kube::{Api, Client, Resource};
use serde::de::DeserializeOwned;

use super::identity::is_managed;
use super::rbac;
use super::{
    GATE_POLICY_NAME, InstallError, MissionCount, OPERATOR_NAME, SERVICE_ACCOUNT, crds, monitoring,
    object_ref, priority_classes,
};
use crate::api::Mission;

/// Counts Missions in every namespace; none when the CRD is not installed.
pub async fn count_missions(client: &Client) -> Result<MissionCount, InstallError> {
    let missions: Api<Mission> = Api::all(client.clone());
    let list = match missions.list_metadata(&ListParams::default()).await {
        Ok(list) => list,
        Err(error) if is_not_found(&error) => {
            return Ok(MissionCount::default());
        }
        Err(source) => return Err(InstallError::ListMissions { source }),
    };
    let mut count = MissionCount::default();
    for mission in list.items {
        let namespace = mission.metadata.namespace.unwrap_or_default();
        *count.by_namespace.entry(namespace).or_default() += 1;
    }
    Ok(count)
}

/// What deleting one object did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteOutcome {
    Deleted,
    NotFound,
    /// It exists but `install` did not create it (a namespace that was already there).
    Kept,
}

/// One deleted object, printed as kubectl prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deleted {
    pub object: String,
    pub outcome: DeleteOutcome,
}

impl fmt::Display for Deleted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.outcome {
            DeleteOutcome::Deleted => "deleted",
            DeleteOutcome::NotFound => "not found",
            DeleteOutcome::Kept => "kept (kubectl-airforce did not create it)",
        };
        write!(f, "{} {what}", self.object)
    }
}

/// Deletes the CRDs (and with them every object of their kinds), children's
/// kinds first, then waits up to `timeout` until they are gone; then the
/// PriorityClasses `install` created.
pub async fn delete_api(
    client: &Client,
    timeout: Duration,
    mut report: impl FnMut(&Deleted),
) -> Result<(), InstallError> {
    let roles: Api<ClusterRole> = Api::all(client.clone());
    for role in [rbac::EDIT_ROLE, rbac::VIEW_ROLE] {
        report(&delete_if_managed(&roles, role).await?);
    }
    let bindings: Api<ValidatingAdmissionPolicyBinding> = Api::all(client.clone());
    report(&delete_if_managed(&bindings, GATE_POLICY_NAME).await?);
    let policies: Api<ValidatingAdmissionPolicy> = Api::all(client.clone());
    report(&delete_if_managed(&policies, GATE_POLICY_NAME).await?);
    let api: Api<CustomResourceDefinition> = Api::all(client.clone());
    let names: Vec<String> = crds()
        .into_iter()
        .rev()
        .filter_map(|crd| crd.metadata.name)
        .collect();
    for name in &names {
        report(&delete(&api, name).await?);
    }
    for name in &names {
        wait_gone(&api, name, timeout).await?;
    }
    let classes: Api<PriorityClass> = Api::all(client.clone());
    for class in priority_classes() {
        let name = class.metadata.name.unwrap_or_default();
        report(&delete_if_managed(&classes, &name).await?);
    }
    Ok(())
}

/// Deletes the Deployment, binding, ClusterRole, ServiceAccount and — when
/// `install` created it — the namespace, then waits up to `timeout` for the
/// namespace to be gone so an immediate reinstall works.
pub async fn delete_operator(
    client: &Client,
    namespace: &str,
    timeout: Duration,
    mut report: impl FnMut(&Deleted),
) -> Result<(), InstallError> {
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), namespace);
    report(&delete(&deployments, OPERATOR_NAME).await?);
    // The monitors of `install --monitoring`, told only when there were any.
    let resource = monitoring::pod_monitor_resource();
    let monitors: Api<DynamicObject> = Api::namespaced_with(client.clone(), namespace, &resource);
    for name in monitoring::MONITORS {
        let deleted = delete_as(&monitors, name, monitoring::monitor_ref(name)).await?;
        if deleted.outcome == DeleteOutcome::Deleted {
            report(&deleted);
        }
    }
    let bindings: Api<ClusterRoleBinding> = Api::all(client.clone());
    report(&delete(&bindings, OPERATOR_NAME).await?);
    let roles: Api<ClusterRole> = Api::all(client.clone());
    report(&delete(&roles, OPERATOR_NAME).await?);
    let accounts: Api<ServiceAccount> = Api::namespaced(client.clone(), namespace);
    report(&delete(&accounts, SERVICE_ACCOUNT).await?);
    let namespaces: Api<Namespace> = Api::all(client.clone());
    let deleted = delete_if_managed(&namespaces, namespace).await?;
    report(&deleted);
    if deleted.outcome == DeleteOutcome::Deleted {
        wait_gone(&namespaces, namespace, timeout).await?;
    }
    Ok(())
}

/// Deletes an object only if it carries the managed-by label `install` sets.
async fn delete_if_managed<K>(api: &Api<K>, name: &str) -> Result<Deleted, InstallError>
where
    K: Resource<DynamicType = ()> + Clone + DeserializeOwned + fmt::Debug,
{
    let reference = object_ref::<K>(name);
    let existing = api
        .get_opt(name)
        .await
        .map_err(|source| InstallError::Read {
            object: reference.clone(),
            source,
        })?;
    match existing {
        None => Ok(Deleted {
            object: reference,
            outcome: DeleteOutcome::NotFound,
        }),
        Some(object) if !is_managed(object.meta()) => Ok(Deleted {
            object: reference,
            outcome: DeleteOutcome::Kept,
        }),
        Some(_) => delete(api, name).await,
    }
}

async fn delete<K>(api: &Api<K>, name: &str) -> Result<Deleted, InstallError>
where
    K: Resource<DynamicType = ()> + Clone + DeserializeOwned + fmt::Debug,
{
    delete_as(api, name, object_ref::<K>(name)).await
}

/// [`delete`] for any kind, printed as `object`.
async fn delete_as<K>(api: &Api<K>, name: &str, object: String) -> Result<Deleted, InstallError>
where
    K: Resource + Clone + DeserializeOwned + fmt::Debug,
{
    match api.delete(name, &DeleteParams::background()).await {
        Ok(_) => Ok(Deleted {
            object,
            outcome: DeleteOutcome::Deleted,
        }),
        Err(error) if is_not_found(&error) => Ok(Deleted {
            object,
            outcome: DeleteOutcome::NotFound,
        }),
        Err(source) => Err(InstallError::Delete { object, source }),
    }
}

/// A 404, whatever its reason: kube's `Status::is_not_found` misses a plain
/// "404 page not found" (the reason then is not `NotFound`), which is what a
/// list of a kind whose CRD is gone returns.
fn is_not_found(error: &kube::Error) -> bool {
    matches!(error, kube::Error::Api(status) if status.code == 404 || status.is_not_found())
}

/// Polls until the object is gone; deletions finish in seconds, so a watch buys nothing.
async fn wait_gone<K>(api: &Api<K>, name: &str, timeout: Duration) -> Result<(), InstallError>
where
    K: Resource<DynamicType = ()> + Clone + DeserializeOwned + fmt::Debug,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let existing = api
            .get_opt(name)
            .await
            .map_err(|source| InstallError::Read {
                object: object_ref::<K>(name),
                source,
            })?;
        if existing.is_none() {
            return Ok(());
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(InstallError::NotDeleted {
                object: object_ref::<K>(name),
                timeout,
            });
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mission_count_says_how_many_and_where() {
        let count = MissionCount {
            by_namespace: [("alpha".to_string(), 2), ("bravo".to_string(), 1)].into(),
        };
        assert_eq!(count.to_string(), "3 missions (2 in alpha, 1 in bravo)");
        let one = MissionCount {
            by_namespace: [("alpha".to_string(), 1)].into(),
        };
        assert_eq!(one.to_string(), "1 mission (1 in alpha)");
    }

    #[test]
    fn a_refusal_names_the_missions_and_the_way_out() {
        let count = MissionCount {
            by_namespace: [("alpha".to_string(), 2)].into(),
        };
        let text = InstallError::MissionsExist(count).to_string();
        assert!(text.starts_with("the cluster still has 2 missions (2 in alpha):"));
        assert!(text.contains("--force"));
    }
}
