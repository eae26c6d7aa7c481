//! Installing the operator: pure builders for its manifests (CRDs, the
//! PriorityClasses of task pods, the admission policy of approval gates, namespace, ServiceAccount, least-privilege
//! RBAC, Deployment, and with `--monitoring` the Prometheus operator's
//! PodMonitors) and the calls that apply
//! them with server-side apply or remove them again.
//!
//! Builders make no API calls, so `install --dry-run` needs no cluster and the
//! manifests are unit-tested; `apply` and `remove` are the imperative shell.

mod apply;
mod deployment;
mod error;
mod gate_policy;
mod identity;
mod manifests;
mod monitoring;
mod rbac;
mod remove;

pub use apply::{
    Applied, ApplyOutcome, DEFAULT_TIMEOUT, Monitors, apply_api, apply_api_reporting,
    apply_monitors, apply_operator, missing_priority_classes,
};
pub use deployment::{HTTP_PORT, deployment};
pub use error::{InstallError, MissionCount};
pub use gate_policy::{GATE_POLICY_NAME, gate_policy, gate_policy_binding};
pub use identity::{
    APP_NAME, DEFAULT_IMAGE, DEFAULT_NAMESPACE, FIELD_MANAGER, InstallOptions, MANAGED_BY_LABEL,
    NAME_LABEL, OPERATOR_NAME, SERVICE_ACCOUNT, VERSION, VERSION_LABEL, labels,
};
pub use manifests::{Format, Manifests, crds, namespace, object_ref, priority_classes, render};
pub use monitoring::{
    MONITORS, OPERATOR_MONITOR, POD_MONITOR_CRD, WEAPONS_MONITOR, pod_monitor_resource,
    pod_monitors,
};
pub use rbac::{cluster_role, cluster_role_binding, policy_rules, service_account};
pub use remove::{DeleteOutcome, Deleted, count_missions, delete_api, delete_operator};
