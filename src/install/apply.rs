//! Server-side apply of the manifests in dependency order, waiting for the CRDs
//! to be Established before anything may use them. Re-applying is a no-op.

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
use kube::api::{DynamicObject, Patch, PatchParams};
use kube::runtime::wait::{await_condition, conditions};
use kube::{Api, Client, Resource};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::identity::is_managed;
use super::rbac;
use super::{
    FIELD_MANAGER, InstallError, Manifests, crds, gate_policy, gate_policy_binding, monitoring,
    object_ref, priority_classes,
};

/// How long to wait for CRDs to be Established (and, when removing, gone).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// What applying one object did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyOutcome {
    Created,
    Configured,
    /// The server already held exactly this; nothing was written.
    Unchanged,
    /// It existed before and `install` did not create it (a namespace of the
    /// user's), so it was left as it is.
    Existing,
}

/// One applied object, printed as kubectl prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// `kind.group/name`.
    pub object: String,
    pub outcome: ApplyOutcome,
}

impl fmt::Display for Applied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.outcome {
            ApplyOutcome::Created | ApplyOutcome::Configured => {
                write!(f, "{} serverside-applied", self.object)
            }
            ApplyOutcome::Unchanged => write!(f, "{} unchanged", self.object),
            ApplyOutcome::Existing => write!(
                f,
                "{} exists, left as it is (kubectl-airforce did not create it)",
                self.object
            ),
        }
    }
}

/// Makes sure the API exists: the CRDs, Established, and the PriorityClasses
/// task pods name; for tests and commands that need them. Safe to call any
/// number of times.
pub async fn apply_api(client: &Client) -> Result<(), InstallError> {
    apply_api_reporting(client, DEFAULT_TIMEOUT, |_| {}).await
}

/// Applies the CRDs and the PriorityClasses, reporting each, then waits up
/// to `timeout` for each CRD to be Established.
pub async fn apply_api_reporting(
    client: &Client,
    timeout: Duration,
    mut report: impl FnMut(&Applied),
) -> Result<(), InstallError> {
    let api: Api<CustomResourceDefinition> = Api::all(client.clone());
    let crds = crds();
    for crd in &crds {
        report(&apply(&api, crd).await?);
    }
    let classes: Api<PriorityClass> = Api::all(client.clone());
    for class in &priority_classes() {
        report(&apply(&classes, class).await?);
    }
    for crd in &crds {
        wait_established(
            &api,
            crd.metadata.name.as_deref().unwrap_or_default(),
            timeout,
        )
        .await?;
    }
    // After the CRDs are served: the API server checks the policy's
    // expressions against the MissionStage schema.
    let policies: Api<ValidatingAdmissionPolicy> = Api::all(client.clone());
    report(&apply(&policies, &gate_policy()).await?);
    let bindings: Api<ValidatingAdmissionPolicyBinding> = Api::all(client.clone());
    report(&apply(&bindings, &gate_policy_binding()).await?);
    let roles: Api<ClusterRole> = Api::all(client.clone());
    for role in &rbac::user_roles() {
        report(&apply(&roles, role).await?);
    }
    Ok(())
}

/// The PriorityClasses task pods name that the cluster lacks: a task pod that
/// names a missing class is refused by the API server.
pub async fn missing_priority_classes(client: &Client) -> Result<Vec<String>, InstallError> {
    let api: Api<PriorityClass> = Api::all(client.clone());
    let mut missing = Vec::new();
    for class in priority_classes() {
        let name = class.metadata.name.unwrap_or_default();
        let found = (api.get_opt(&name).await).map_err(|source| InstallError::Read {
            object: object_ref::<PriorityClass>(&name),
            source,
        })?;
        if found.is_none() {
            missing.push(name);
        }
    }
    Ok(missing)
}

/// What `install --monitoring` did with the monitors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Monitors {
    /// None were asked for.
    None,
    Applied,
    /// The cluster serves no PodMonitor kind: nothing was applied.
    NotServed,
}

/// Applies the PodMonitors of `--monitoring`, if asked for and the cluster
/// serves them.
pub async fn apply_monitors(
    client: &Client,
    manifests: &Manifests,
    mut report: impl FnMut(&Applied),
) -> Result<Monitors, InstallError> {
    let Some(first) = manifests.monitors.first() else {
        return Ok(Monitors::None);
    };
    let resource = monitoring::pod_monitor_resource();
    let served = (monitoring::served(client).await).map_err(|source| InstallError::Read {
        object: format!("the API group {}", resource.api_version),
        source,
    })?;
    if !served {
        return Ok(Monitors::NotServed);
    }
    let namespace = first.metadata.namespace.as_deref().unwrap_or_default();
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), namespace, &resource);
    for monitor in &manifests.monitors {
        let name = monitor.metadata.name.as_deref().unwrap_or_default();
        report(&apply_as(&api, monitor, monitoring::monitor_ref(name)).await?);
    }
    Ok(Monitors::Applied)
}

/// Applies namespace, ServiceAccount, ClusterRole, binding and Deployment, in that order.
pub async fn apply_operator(
    client: &Client,
    manifests: &Manifests,
    mut report: impl FnMut(&Applied),
) -> Result<(), InstallError> {
    let namespace = manifests
        .namespace
        .metadata
        .name
        .as_deref()
        .unwrap_or_default();
    report(&apply_namespace(client, &manifests.namespace).await?);
    let accounts: Api<ServiceAccount> = Api::namespaced(client.clone(), namespace);
    report(&apply(&accounts, &manifests.service_account).await?);
    let roles: Api<ClusterRole> = Api::all(client.clone());
    report(&apply(&roles, &manifests.cluster_role).await?);
    let bindings: Api<ClusterRoleBinding> = Api::all(client.clone());
    report(&apply(&bindings, &manifests.cluster_role_binding).await?);
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), namespace);
    report(&apply(&deployments, &manifests.deployment).await?);
    Ok(())
}

/// Applies the namespace unless it already exists without the managed-by label:
/// labelling someone's namespace would let `uninstall` delete it.
async fn apply_namespace(client: &Client, namespace: &Namespace) -> Result<Applied, InstallError> {
    let api: Api<Namespace> = Api::all(client.clone());
    let name = namespace.metadata.name.as_deref().unwrap_or_default();
    let existing = api
        .get_opt(name)
        .await
        .map_err(|source| InstallError::Read {
            object: object_ref::<Namespace>(name),
            source,
        })?;
    match existing {
        Some(existing) if !is_managed(&existing.metadata) => Ok(Applied {
            object: object_ref::<Namespace>(name),
            outcome: ApplyOutcome::Existing,
        }),
        _ => apply(&api, namespace).await,
    }
}

/// Server-side applies one object with force, telling created, changed and unchanged apart.
async fn apply<K>(api: &Api<K>, object: &K) -> Result<Applied, InstallError>
where
    K: Resource<DynamicType = ()> + Clone + Serialize + DeserializeOwned + fmt::Debug,
{
    let name = object.meta().name.as_deref().unwrap_or_default();
    apply_as(api, object, object_ref::<K>(name)).await
}

/// [`apply`] for any kind, printed as `reference`.
async fn apply_as<K>(api: &Api<K>, object: &K, reference: String) -> Result<Applied, InstallError>
where
    K: Resource + Clone + Serialize + DeserializeOwned + fmt::Debug,
{
    let name = object.meta().name.as_deref().unwrap_or_default();
    let before = api
        .get_opt(name)
        .await
        .map_err(|source| InstallError::Read {
            object: reference.clone(),
            source,
        })?;
    let params = PatchParams::apply(FIELD_MANAGER).force();
    let after = api
        .patch(name, &params, &Patch::Apply(object))
        .await
        .map_err(|source| InstallError::Apply {
            object: reference.clone(),
            source,
        })?;
    let outcome = match before {
        None => ApplyOutcome::Created,
        Some(before) if before.meta().resource_version == after.meta().resource_version => {
            ApplyOutcome::Unchanged
        }
        Some(_) => ApplyOutcome::Configured,
    };
    Ok(Applied {
        object: reference,
        outcome,
    })
}

async fn wait_established(
    api: &Api<CustomResourceDefinition>,
    name: &str,
    timeout: Duration,
) -> Result<(), InstallError> {
    let established = await_condition(api.clone(), name, conditions::is_crd_established());
    match tokio::time::timeout(timeout, established).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(source)) => Err(InstallError::WaitEstablished {
            name: name.to_string(),
            source,
        }),
        Err(_) => Err(InstallError::NotEstablished {
            name: name.to_string(),
            timeout,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_applied_object_prints_like_kubectl_apply_server_side() {
        let applied = Applied {
            object: "namespace/airforce-system".into(),
            outcome: ApplyOutcome::Created,
        };
        assert_eq!(
            applied.to_string(),
            "namespace/airforce-system serverside-applied"
        );
        let unchanged = Applied {
            outcome: ApplyOutcome::Unchanged,
            ..applied
        };
        assert_eq!(unchanged.to_string(), "namespace/airforce-system unchanged");
    }
}
