//! All of the operator's manifests together, in install order, and their
//! rendering as a YAML stream or a JSON `List` for `install --dry-run`.

use k8s_openapi::api::admissionregistration::v1::{
    ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding,
};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Namespace, ServiceAccount};
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding};
use k8s_openapi::api::scheduling::v1::PriorityClass;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::Resource;
use kube::api::DynamicObject;
use serde::Serialize;

use super::identity::metadata;
use super::{InstallError, InstallOptions, deployment, gate_policy, labels, monitoring, rbac};

/// The CRDs as `api::all_crds()` generates them, with the install labels added.
pub fn crds() -> Vec<CustomResourceDefinition> {
    crate::api::all_crds()
        .into_iter()
        .map(|mut crd| {
            crd.metadata
                .labels
                .get_or_insert_with(Default::default)
                .extend(labels());
            crd
        })
        .collect()
}

/// One PriorityClass per mission priority, which task pods name. They never
/// preempt: a more urgent task waits for an aircraft to free rather than
/// evicting a task in flight.
pub fn priority_classes() -> Vec<PriorityClass> {
    crate::api::Priority::ALL
        .into_iter()
        .map(|priority| PriorityClass {
            metadata: metadata(priority.class_name(), None),
            value: Some(priority.value()),
            global_default: Some(false),
            preemption_policy: Some("Never".to_string()),
            description: Some(format!(
                "Task pods of kubectl-airforce missions of {} priority",
                priority.as_str()
            )),
        })
        .collect()
}

/// The namespace the operator runs in.
pub fn namespace(name: &str) -> Namespace {
    Namespace {
        metadata: metadata(name, None),
        ..Default::default()
    }
}

/// `kind.group/name`, as kubectl prints an object (`deployment.apps/x`, `namespace/x`).
pub fn object_ref<K: Resource<DynamicType = ()>>(name: &str) -> String {
    let kind = K::kind(&()).to_lowercase();
    let group = K::group(&());
    if group.is_empty() {
        format!("{kind}/{name}")
    } else {
        format!("{kind}.{group}/{name}")
    }
}

/// Everything `install` applies.
#[derive(Debug, Clone)]
pub struct Manifests {
    pub crds: Vec<CustomResourceDefinition>,
    pub priority_classes: Vec<PriorityClass>,
    pub gate_policy: ValidatingAdmissionPolicy,
    pub gate_policy_binding: ValidatingAdmissionPolicyBinding,
    /// The roles that add this API to `view` and `edit`.
    pub user_roles: Vec<ClusterRole>,
    pub namespace: Namespace,
    pub service_account: ServiceAccount,
    pub cluster_role: ClusterRole,
    pub cluster_role_binding: ClusterRoleBinding,
    pub deployment: Deployment,
    /// The PodMonitors, with `--monitoring`; else none.
    pub monitors: Vec<DynamicObject>,
}

/// One manifest of any kind, serialized as itself.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
enum Document<'a> {
    Crd(&'a CustomResourceDefinition),
    PriorityClass(&'a PriorityClass),
    Policy(&'a ValidatingAdmissionPolicy),
    PolicyBinding(&'a ValidatingAdmissionPolicyBinding),
    Namespace(&'a Namespace),
    ServiceAccount(&'a ServiceAccount),
    ClusterRole(&'a ClusterRole),
    ClusterRoleBinding(&'a ClusterRoleBinding),
    Deployment(&'a Deployment),
    Monitor(&'a DynamicObject),
}

/// How `--dry-run` prints the manifests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// A multi-document YAML stream
    #[default]
    Yaml,
    /// A `v1` `List` holding every object, as `kubectl get -o json` prints several
    Json,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct List<'a> {
    api_version: &'static str,
    kind: &'static str,
    items: Vec<Document<'a>>,
}

impl Manifests {
    pub fn build(options: &InstallOptions) -> Self {
        Self {
            crds: crds(),
            priority_classes: priority_classes(),
            gate_policy: gate_policy::gate_policy(),
            gate_policy_binding: gate_policy::gate_policy_binding(),
            user_roles: rbac::user_roles(),
            namespace: namespace(&options.namespace),
            service_account: rbac::service_account(&options.namespace),
            cluster_role: rbac::cluster_role(),
            cluster_role_binding: rbac::cluster_role_binding(&options.namespace),
            deployment: deployment::deployment(options),
            monitors: match options.monitoring {
                true => monitoring::pod_monitors(&options.namespace),
                false => Vec::new(),
            },
        }
    }

    /// The documents in apply order; only the API (CRDs, PriorityClasses,
    /// the gate policy and the roles people read and change it with) when
    /// `crds_only`.
    fn documents(&self, crds_only: bool) -> Vec<Document<'_>> {
        let mut documents: Vec<Document> = self.crds.iter().map(Document::Crd).collect();
        documents.extend(self.priority_classes.iter().map(Document::PriorityClass));
        documents.extend([
            Document::Policy(&self.gate_policy),
            Document::PolicyBinding(&self.gate_policy_binding),
        ]);
        documents.extend(self.user_roles.iter().map(Document::ClusterRole));
        if !crds_only {
            documents.extend([
                Document::Namespace(&self.namespace),
                Document::ServiceAccount(&self.service_account),
                Document::ClusterRole(&self.cluster_role),
                Document::ClusterRoleBinding(&self.cluster_role_binding),
                Document::Deployment(&self.deployment),
            ]);
            documents.extend(self.monitors.iter().map(Document::Monitor));
        }
        documents
    }
}

/// The manifests as text `kubectl apply -f -` accepts.
pub fn render(
    manifests: &Manifests,
    crds_only: bool,
    format: Format,
) -> Result<String, InstallError> {
    let documents = manifests.documents(crds_only);
    match format {
        Format::Yaml => {
            let mut out = String::new();
            for document in documents {
                out.push_str("---\n");
                let yaml =
                    serde_yaml_ng::to_string(&document).map_err(|e| render_error("YAML", e))?;
                out.push_str(&yaml);
            }
            Ok(out)
        }
        Format::Json => {
            let list = List {
                api_version: "v1",
                kind: "List",
                items: documents,
            };
            let mut json =
                serde_json::to_string_pretty(&list).map_err(|e| render_error("JSON", e))?;
            json.push('\n');
            Ok(json)
        }
    }
}

fn render_error(
    format: &'static str,
    source: impl std::error::Error + Send + Sync + 'static,
) -> InstallError {
    InstallError::Render {
        format,
        source: Box::new(source),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml_documents(text: &str) -> Vec<serde_json::Value> {
        text.split("---\n")
            .filter(|doc| !doc.trim().is_empty())
            .map(|doc| serde_yaml_ng::from_str(doc).expect("each document parses"))
            .collect()
    }

    #[test]
    fn the_yaml_stream_holds_every_object_in_apply_order() {
        let manifests = Manifests::build(&InstallOptions::default());
        let documents = yaml_documents(&render(&manifests, false, Format::Yaml).unwrap());
        let kinds: Vec<&str> = documents
            .iter()
            .map(|d| d["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            [
                "CustomResourceDefinition",
                "CustomResourceDefinition",
                "CustomResourceDefinition",
                "CustomResourceDefinition",
                "PriorityClass",
                "PriorityClass",
                "PriorityClass",
                "PriorityClass",
                "ValidatingAdmissionPolicy",
                "ValidatingAdmissionPolicyBinding",
                "ClusterRole",
                "ClusterRole",
                "Namespace",
                "ServiceAccount",
                "ClusterRole",
                "ClusterRoleBinding",
                "Deployment"
            ]
        );
    }

    #[test]
    fn monitoring_adds_the_pod_monitors_after_the_deployment_and_never_with_crds_only() {
        let options = InstallOptions {
            monitoring: true,
            ..InstallOptions::default()
        };
        let manifests = Manifests::build(&options);
        let documents = yaml_documents(&render(&manifests, false, Format::Yaml).unwrap());
        let kinds: Vec<&str> = (documents.iter().rev().take(4))
            .map(|d| d["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            ["PodMonitor", "PodMonitor", "PodMonitor", "Deployment"]
        );
        assert_eq!(documents[18]["apiVersion"], "monitoring.coreos.com/v1");
        let api_only = yaml_documents(&render(&manifests, true, Format::Yaml).unwrap());
        assert!(api_only.iter().all(|d| d["kind"] != "PodMonitor"));
    }

    #[test]
    fn crds_only_renders_nothing_but_the_crds_priority_classes_gate_policy_and_user_roles() {
        let manifests = Manifests::build(&InstallOptions::default());
        let documents = yaml_documents(&render(&manifests, true, Format::Yaml).unwrap());
        assert_eq!(documents.len(), 12);
        let api = [
            "CustomResourceDefinition",
            "PriorityClass",
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding",
            "ClusterRole",
        ];
        assert!((documents.iter()).all(|d| api.contains(&d["kind"].as_str().unwrap_or_default())));
    }

    #[test]
    fn priority_classes_are_named_and_valued_as_the_api_says_and_never_preempt() {
        let classes = priority_classes();
        for (class, priority) in classes.iter().zip(crate::api::Priority::ALL) {
            assert_eq!(class.metadata.name.as_deref(), Some(priority.class_name()));
            assert_eq!(class.value, Some(priority.value()));
            assert_eq!(class.preemption_policy.as_deref(), Some("Never"));
            assert_eq!(class.global_default, Some(false));
        }
    }

    #[test]
    fn the_json_form_is_a_list_of_every_object() {
        let manifests = Manifests::build(&InstallOptions::default());
        let json: serde_json::Value =
            serde_json::from_str(&render(&manifests, false, Format::Json).unwrap()).unwrap();
        assert_eq!(json["kind"], "List");
        assert_eq!(json["items"].as_array().unwrap().len(), 17);
    }

    #[test]
    fn every_object_carries_the_name_managed_by_and_version_labels() {
        let manifests = Manifests::build(&InstallOptions::default());
        for document in yaml_documents(&render(&manifests, false, Format::Yaml).unwrap()) {
            let labels = &document["metadata"]["labels"];
            assert_eq!(
                labels["app.kubernetes.io/name"], "kubectl-airforce",
                "{document}"
            );
            assert_eq!(labels["app.kubernetes.io/managed-by"], "kubectl-airforce");
            assert_eq!(labels["app.kubernetes.io/version"], crate::install::VERSION);
        }
    }

    #[test]
    fn the_default_image_is_tagged_with_the_crate_version() {
        let manifests = Manifests::build(&InstallOptions::default());
        let spec = manifests.deployment.spec.unwrap().template.spec.unwrap();
        let image = spec.containers[0].image.clone().unwrap();
        assert_eq!(
            image,
            format!(
                "ghcr.io/airforce-mil/kubectl-airforce:v{}",
                env!("CARGO_PKG_VERSION")
            )
        );
    }

    #[test]
    fn objects_are_named_as_kubectl_prints_them() {
        assert_eq!(
            object_ref::<CustomResourceDefinition>("missions.airforce.mil"),
            "customresourcedefinition.apiextensions.k8s.io/missions.airforce.mil"
        );
        assert_eq!(object_ref::<Namespace>("x"), "namespace/x");
        assert_eq!(object_ref::<Deployment>("x"), "deployment.apps/x");
    }
}
