//! The schemas documents are checked against, built once: the CRDs' own OpenAPI
//! schemas (one source of truth with the API server) and a pod template schema
//! generated from k8s-openapi the way the CRD derive generates ours.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use k8s_openapi::api::core::v1::PodTemplateSpec;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::{
    CustomResourceDefinition, JSONSchemaProps,
};
use kube::CustomResourceExt;
use kube::core::schema::{OptionalEnum, OptionalIntOrString, StructuralSchemaRewriter};
use schemars::generate::SchemaSettings;
use schemars::transform::AddNullable;

use crate::api::{Mission, Weapon};

pub static MISSION: LazyLock<JSONSchemaProps> = LazyLock::new(|| resource_schema(Mission::crd()));
pub static WEAPON: LazyLock<JSONSchemaProps> = LazyLock::new(|| resource_schema(Weapon::crd()));
pub static POD_TEMPLATE: LazyLock<JSONSchemaProps> = LazyLock::new(pod_template_schema);

/// The CRD's schema, plus the fields every object has and the API server checks
/// itself: `apiVersion` and `kind` (checked when the document is classified) and
/// `metadata` (checked by `document::check_metadata`).
fn resource_schema(crd: CustomResourceDefinition) -> JSONSchemaProps {
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

/// The schema of a pod template, except that `spec.containers` is optional: the
/// flight task controller supplies the task container when a template has none.
fn pod_template_schema() -> JSONSchemaProps {
    let generator = SchemaSettings::openapi3()
        .with(|settings| {
            settings.inline_subschemas = true;
            settings.meta_schema = None;
        })
        .with_transform(AddNullable::default())
        .with_transform(StructuralSchemaRewriter)
        .with_transform(OptionalEnum)
        .with_transform(OptionalIntOrString)
        .into_generator();
    let schema = generator.into_root_schema_for::<PodTemplateSpec>();
    let mut schema: JSONSchemaProps = serde_json::to_value(schema)
        .and_then(serde_json::from_value)
        .expect("k8s-openapi's pod template schema is a valid OpenAPI schema");
    if let Some(spec) = schema
        .properties
        .as_mut()
        .and_then(|properties| properties.get_mut("spec"))
        && let Some(required) = spec.required.as_mut()
    {
        required.retain(|field| field != "containers");
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mission_schema_knows_the_stages_and_the_common_fields() {
        let properties = MISSION.properties.as_ref().expect("properties");
        for field in ["apiVersion", "kind", "metadata", "spec"] {
            assert!(properties.contains_key(field), "{field}");
        }
    }

    #[test]
    fn the_pod_template_schema_leaves_containers_optional() {
        let spec = &POD_TEMPLATE.properties.as_ref().expect("properties")["spec"];
        assert!(
            spec.properties
                .as_ref()
                .expect("spec properties")
                .contains_key("containers")
        );
        assert!(!spec.required.iter().flatten().any(|f| f == "containers"));
    }
}
