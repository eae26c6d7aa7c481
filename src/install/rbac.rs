//! The operator's identity and least-privilege RBAC: exactly the verbs and
//! resources the controllers and the aircraft-scheduler use, nothing else.
//! And the people's: two ClusterRoles that add this API to Kubernetes' own
//! `view` and `edit` (and through `edit`, `admin`), so whoever may read or
//! change a namespace may read or change its missions and weapons.

use k8s_openapi::api::core::v1::ServiceAccount;
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, PolicyRule, RoleRef, Subject};

use super::identity::metadata;
use super::{OPERATOR_NAME, SERVICE_ACCOUNT};

/// The kinds whose objects the operator makes and changes, by plural name.
const AIRFORCE_KINDS: [&str; 3] = ["missions", "missionstages", "flighttasks"];

/// One RBAC rule: API group, resources, verbs.
type Rule = (&'static str, Vec<String>, &'static [&'static str]);

/// The rules, one per need, each saying which controller needs it.
fn rules() -> Vec<Rule> {
    let airforce = |suffix: &str| -> Vec<String> {
        AIRFORCE_KINDS
            .iter()
            .map(|kind| format!("{kind}{suffix}"))
            .collect()
    };
    let core =
        |resources: &[&str]| -> Vec<String> { resources.iter().map(|r| r.to_string()).collect() };
    vec![
        // Mission, stage and flight-task controllers: watch their own kind and
        // create, update and delete the children they own (stages, tasks).
        (
            "airforce.mil",
            airforce(""),
            &[
                "get", "list", "watch", "create", "patch", "update", "delete",
            ],
        ),
        // The same controllers: each writes its own kind's status subresource.
        (
            "airforce.mil",
            airforce("/status"),
            &["get", "patch", "update"],
        ),
        // Weapons, wherever they live (a team's namespace or the armoury), are
        // only read: by the flight-task controller to arm a pod, by the weapon
        // controller, which writes nothing but their status.
        (
            "airforce.mil",
            core(&["weapons"]),
            &["get", "list", "watch"],
        ),
        (
            "airforce.mil",
            core(&["weapons/status"]),
            &["get", "patch", "update"],
        ),
        // Owner references with blockOwnerDeletion need it on the owner; the flight-task
        // controller also removes the finalizers earlier versions put on tasks.
        ("airforce.mil", airforce("/finalizers"), &["update"]),
        // Flight-task controller creates, replaces and deletes task pods; the weapon
        // controller deletes out-of-date ones or patches their sidecar image in place;
        // the scheduler and the aircraft controller watch them.
        (
            "",
            core(&["pods"]),
            &["get", "list", "watch", "create", "delete", "patch"],
        ),
        // Flight-task controller and `weapon status`: a `run` outside the cluster
        // reaches a pod's weapon sidecars through the API server's port-forward
        // (inside, it dials the pod's address).
        ("", core(&["pods/portforward"]), &["get", "create"]),
        // Weapon controller: keeps one DaemonSet per namespace of weapons that
        // pre-pulls their images on every aircraft.
        (
            "apps",
            core(&["daemonsets"]),
            &["get", "create", "patch", "delete"],
        ),
        // Aircraft-scheduler: binds a pod to the chosen aircraft node.
        ("", core(&["pods/binding"]), &["create"]),
        // Aircraft-scheduler: records PodScheduled=False with the reason it cannot place a pod.
        ("", core(&["pods/status"]), &["patch", "update"]),
        // Aircraft controller keeps aircraft labels, fault-mark expiry and the suspect
        // taint consistent; flight-task controller marks a node a task failed on; the
        // scheduler reads them all.
        (
            "",
            core(&["nodes"]),
            &["get", "list", "watch", "patch", "update"],
        ),
        // Every controller and the scheduler explain decisions with Events (core API);
        // the flight-task controller watches them to count FailedScheduling attempts.
        ("", core(&["events"]), &["create", "patch", "list", "watch"]),
        // … and through events.k8s.io, which kube-rs's event recorder uses.
        ("events.k8s.io", core(&["events"]), &["create", "patch"]),
        // `run` checks at start that the PriorityClasses task pods name exist.
        ("scheduling.k8s.io", core(&["priorityclasses"]), &["get"]),
        // `run --leader-elect`: one active replica holds a Lease.
        (
            "coordination.k8s.io",
            core(&["leases"]),
            &["get", "create", "update", "patch"],
        ),
    ]
}

/// The policy rules of the operator's ClusterRole.
pub fn policy_rules() -> Vec<PolicyRule> {
    rules()
        .into_iter()
        .map(|(group, resources, verbs)| PolicyRule {
            api_groups: Some(vec![group.to_string()]),
            resources: Some(resources),
            verbs: verbs.iter().map(|v| v.to_string()).collect(),
            ..Default::default()
        })
        .collect()
}

/// The identity the operator's pods run as.
pub fn service_account(namespace: &str) -> ServiceAccount {
    ServiceAccount {
        metadata: metadata(SERVICE_ACCOUNT, Some(namespace)),
        ..Default::default()
    }
}

pub fn cluster_role() -> ClusterRole {
    ClusterRole {
        metadata: metadata(OPERATOR_NAME, None),
        rules: Some(policy_rules()),
        ..Default::default()
    }
}

/// Every kind of this API, as people read and change them.
const USER_KINDS: [&str; 4] = ["missions", "missionstages", "flighttasks", "weapons"];
/// The ClusterRole aggregated into `view`.
pub const VIEW_ROLE: &str = "airforce-view";
/// The ClusterRole aggregated into `edit` and `admin`.
pub const EDIT_ROLE: &str = "airforce-edit";

/// `airforce-view` (read, into `view`) and `airforce-edit` (change, into
/// `edit`; `view` itself is part of `edit`, so readers and editors both read).
pub fn user_roles() -> Vec<ClusterRole> {
    let role = |name: &str, aggregate_to: &str, resources: Vec<String>, verbs: &[&str]| {
        let mut metadata = metadata(name, None);
        let labels = metadata.labels.get_or_insert_with(Default::default);
        labels.insert(
            format!("rbac.authorization.k8s.io/aggregate-to-{aggregate_to}"),
            "true".to_string(),
        );
        ClusterRole {
            metadata,
            rules: Some(vec![PolicyRule {
                api_groups: Some(vec!["airforce.mil".to_string()]),
                resources: Some(resources),
                verbs: verbs.iter().map(|verb| verb.to_string()).collect(),
                ..Default::default()
            }]),
            ..Default::default()
        }
    };
    let kinds: Vec<String> = USER_KINDS.iter().map(|kind| kind.to_string()).collect();
    let readable: Vec<String> = (kinds.iter())
        .flat_map(|kind| [kind.clone(), format!("{kind}/status")])
        .collect();
    vec![
        role(VIEW_ROLE, "view", readable, &["get", "list", "watch"]),
        role(
            EDIT_ROLE,
            "edit",
            kinds,
            &["create", "update", "patch", "delete", "deletecollection"],
        ),
    ]
}

/// Grants the ClusterRole to the ServiceAccount in `namespace`.
pub fn cluster_role_binding(namespace: &str) -> ClusterRoleBinding {
    ClusterRoleBinding {
        metadata: metadata(OPERATOR_NAME, None),
        role_ref: RoleRef {
            api_group: Some("rbac.authorization.k8s.io".to_string()),
            kind: "ClusterRole".to_string(),
            name: OPERATOR_NAME.to_string(),
        },
        subjects: Some(vec![Subject {
            kind: "ServiceAccount".to_string(),
            name: SERVICE_ACCOUNT.to_string(),
            namespace: Some(namespace.to_string()),
            ..Default::default()
        }]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn granted() -> Vec<(String, String, String)> {
        policy_rules()
            .into_iter()
            .flat_map(|rule| {
                let group = rule.api_groups.unwrap_or_default().concat();
                let resources = rule.resources.unwrap_or_default();
                resources
                    .into_iter()
                    .flat_map(|resource| {
                        let group = group.clone();
                        rule.verbs
                            .clone()
                            .into_iter()
                            .map(move |verb| (group.clone(), resource.clone(), verb))
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn the_cluster_role_has_no_wildcard_anywhere() {
        for rule in policy_rules() {
            let fields = [
                rule.api_groups.unwrap_or_default(),
                rule.resources.unwrap_or_default(),
                rule.verbs,
                rule.resource_names.unwrap_or_default(),
                rule.non_resource_urls.unwrap_or_default(),
            ];
            for value in fields.iter().flatten() {
                assert!(!value.contains('*'), "wildcard in {value}");
            }
        }
    }

    #[test]
    fn the_cluster_role_grants_nothing_on_secrets_or_configmaps() {
        for (_, resource, verb) in granted() {
            assert!(
                !resource.starts_with("secrets") && !resource.starts_with("configmaps"),
                "{verb} {resource} is granted"
            );
        }
    }

    #[test]
    fn the_cluster_role_lets_the_scheduler_bind_pods_and_the_controllers_write_status() {
        let granted = granted();
        let has = |group: &str, resource: &str, verb: &str| {
            granted
                .iter()
                .any(|(g, r, v)| g == group && r == resource && v == verb)
        };
        assert!(has("", "pods/binding", "create"));
        assert!(has("airforce.mil", "missions/status", "patch"));
        assert!(has("airforce.mil", "flighttasks/finalizers", "update"));
        assert!(has("coordination.k8s.io", "leases", "update"));
        assert!(!has("", "pods", "deletecollection"));
        assert!(!has("", "nodes", "delete"));
    }

    #[test]
    fn the_binding_grants_the_role_to_the_service_account_in_the_install_namespace() {
        let binding = cluster_role_binding("ops");
        assert_eq!(binding.role_ref.name, OPERATOR_NAME);
        let subject = &binding.subjects.unwrap()[0];
        assert_eq!(subject.name, SERVICE_ACCOUNT);
        assert_eq!(subject.namespace.as_deref(), Some("ops"));
    }

    #[test]
    fn people_read_through_view_and_change_through_edit_but_never_write_a_status() {
        let roles = user_roles();
        let label = |role: &ClusterRole, to: &str| {
            let key = format!("rbac.authorization.k8s.io/aggregate-to-{to}");
            role.metadata
                .labels
                .as_ref()
                .and_then(|l| l.get(&key))
                .cloned()
        };
        assert_eq!(label(&roles[0], "view").as_deref(), Some("true"));
        assert_eq!(label(&roles[1], "edit").as_deref(), Some("true"));
        let rule = |role: &ClusterRole| role.rules.clone().unwrap_or_default().remove(0);
        assert_eq!(rule(&roles[0]).verbs, ["get", "list", "watch"]);
        let edited = rule(&roles[1]).resources.unwrap_or_default();
        assert!(edited.contains(&"missions".to_string()));
        assert!(edited.iter().all(|resource| !resource.ends_with("/status")));
    }
}
