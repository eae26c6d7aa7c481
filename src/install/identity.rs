//! Who the installed operator is: its names, the labels on everything
//! `install` applies, and what it deploys unless told otherwise.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

/// The field manager for everything `install` applies.
pub const FIELD_MANAGER: &str = crate::api::field_managers::CLI;
/// Where the operator runs unless `-n` says otherwise.
pub const DEFAULT_NAMESPACE: &str = "airforce-system";
/// The operator's ServiceAccount.
pub const SERVICE_ACCOUNT: &str = "kubectl-airforce";
/// The Deployment, ClusterRole and ClusterRoleBinding.
pub const OPERATOR_NAME: &str = "kubectl-airforce-operator";
/// The crate version, stamped on every object and in the default image tag.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The image `install` deploys unless `--image` says otherwise.
pub const DEFAULT_IMAGE: &str = concat!(
    "ghcr.io/airforce-mil/kubectl-airforce:v",
    env!("CARGO_PKG_VERSION")
);

/// `app.kubernetes.io/name` and its value on every installed object.
pub const NAME_LABEL: &str = "app.kubernetes.io/name";
pub const APP_NAME: &str = "kubectl-airforce";
/// Marks objects `install` manages, so people and `uninstall` can find them.
pub const MANAGED_BY_LABEL: &str = "app.kubernetes.io/managed-by";
pub const VERSION_LABEL: &str = "app.kubernetes.io/version";

/// What `install` deploys and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstallOptions {
    pub namespace: String,
    pub image: String,
    pub replicas: i32,
    /// Add the PodMonitors of `install --monitoring`.
    pub monitoring: bool,
}

impl Default for InstallOptions {
    fn default() -> Self {
        Self {
            namespace: DEFAULT_NAMESPACE.to_string(),
            image: DEFAULT_IMAGE.to_string(),
            replicas: 1,
            monitoring: false,
        }
    }
}

/// The labels every installed object carries.
pub fn labels() -> BTreeMap<String, String> {
    [
        (NAME_LABEL, APP_NAME),
        (MANAGED_BY_LABEL, FIELD_MANAGER),
        (VERSION_LABEL, VERSION),
    ]
    .into_iter()
    .map(|(key, value)| (key.to_string(), value.to_string()))
    .collect()
}

/// Whether `install` created the object (it carries the managed-by label), so
/// `uninstall` may delete it and `install` may change it.
pub(super) fn is_managed(meta: &ObjectMeta) -> bool {
    meta.labels
        .as_ref()
        .and_then(|labels| labels.get(MANAGED_BY_LABEL))
        .is_some_and(|value| value == FIELD_MANAGER)
}

/// Name, namespace (for namespaced kinds) and the common labels.
pub(super) fn metadata(name: &str, namespace: Option<&str>) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.to_string()),
        namespace: namespace.map(str::to_string),
        labels: Some(labels()),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_objects_labelled_by_install_count_as_managed() {
        let mut meta = ObjectMeta::default();
        assert!(!is_managed(&meta));
        meta.labels = Some(labels());
        assert!(is_managed(&meta));
    }
}
