//! The schemas documents are checked against, built once: the CRDs' own OpenAPI
//! schemas, one source of truth with the API server (a task's pod template
//! included).
//!
//! They are read from the committed `crds/`, which a test keeps identical to
//! what the API types generate: generating them here instead would cost every
//! `mission validate` a few hundred milliseconds of schema rewriting.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::{
    CustomResourceDefinition, JSONSchemaProps,
};

pub static MISSION: LazyLock<JSONSchemaProps> =
    LazyLock::new(|| resource_schema(include_str!("../../crds/missions.airforce.mil.yaml")));
pub static WEAPON: LazyLock<JSONSchemaProps> =
    LazyLock::new(|| resource_schema(include_str!("../../crds/weapons.airforce.mil.yaml")));

/// The CRD's schema, plus the fields every object has and the API server checks
/// itself: `apiVersion` and `kind` (checked when the document is classified) and
/// `metadata` (checked by `document::check_metadata`).
fn resource_schema(committed: &str) -> JSONSchemaProps {
    let crd: CustomResourceDefinition = serde_yaml_ng::from_str(committed)
        .expect("the committed CRDs are generated, so they parse");
    let mut schema = crd
        .spec
        .versions
        .into_iter()
        .next()
        .and_then(|version| version.schema)
        .and_then(|validation| validation.open_api_v3_schema)
        .expect("derived CRDs carry a schema");
    let open = JSONSchemaProps {
        x_kubernetes_preserve_unknown_fields: Some(true),
        ..Default::default()
    };
    let properties = schema.properties.get_or_insert_with(BTreeMap::new);
    for field in ["apiVersion", "kind", "metadata"] {
        properties.insert(field.to_string(), open.clone());
    }
    schema
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::validate::diagnostic::Rule;
    use crate::validate::path::FieldPath;
    use crate::validate::schema;

    #[test]
    fn the_mission_schema_knows_the_stages_and_the_common_fields() {
        let properties = MISSION.properties.as_ref().expect("properties");
        for field in ["apiVersion", "kind", "metadata", "spec"] {
            assert!(properties.contains_key(field), "{field}");
        }
    }

    /// The pod template's schema is the CRD's own, so the walk that finds a
    /// typo in a mission finds one in a template too, and prunes it.
    #[test]
    fn the_mission_schema_checks_pod_templates_and_leaves_containers_optional() {
        let task = json!({"name": "t", "podTemplate": {"spec": {
            "contianers": [{"name": "task", "image": "busybox"}],
            "nodeSelector": {"zone": "east"},
        }}});
        let mission = json!({"spec": {"stages": [{"name": "s", "flightTasks": [task]}]}});
        let walked = schema::walk(&MISSION, &mission, &FieldPath::root());
        let found: Vec<_> = (walked.findings.iter())
            .map(|f| (f.path.to_string(), f.rule))
            .collect();
        let template = "spec.stages[0].flightTasks[0].podTemplate";
        assert_eq!(
            found,
            [(format!("{template}.spec.contianers"), Rule::UnknownField)]
        );
        assert_eq!(
            walked
                .value
                .pointer("/spec/stages/0/flightTasks/0/podTemplate"),
            Some(&json!({"spec": {"nodeSelector": {"zone": "east"}}}))
        );
    }
}
