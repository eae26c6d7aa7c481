//! Schema fragments the derive cannot express on its own.

use k8s_openapi::api::core::v1::PodTemplateSpec;
use schemars::{Schema, SchemaGenerator, json_schema};
use serde_json::Value;

/// A pod template: Kubernetes' own PodTemplateSpec schema, so the API server
/// prunes fields a pod does not have and refuses wrong types before any
/// controller reads the object. Typed all the way down, it also bounds how
/// deep a template can nest, which a free-form object does not: one object
/// too deep for the operator's JSON reader would stop the list every
/// controller starts from.
///
/// `spec.containers` is optional (the flight task controller supplies the task
/// container when a template has none), and the field descriptions are left
/// out: a copy of every pod field's documentation in each CRD would make them
/// too large for client-side `kubectl apply`, and `kubectl explain pod` has
/// them.
pub fn pod_template(generator: &mut SchemaGenerator) -> Schema {
    let mut schema = generator.subschema_for::<PodTemplateSpec>();
    if let Some(required) =
        (schema.pointer_mut("/properties/spec/required")).and_then(Value::as_array_mut)
    {
        required.retain(|field| field != "containers");
    }
    forget_descriptions(&mut schema);
    schema
}

fn forget_descriptions(schema: &mut Schema) {
    if let Some(object) = schema.as_object_mut() {
        object.remove("description");
    }
    let mut pending: Vec<&mut Value> = schema
        .as_object_mut()
        .into_iter()
        .flat_map(|o| o.values_mut())
        .collect();
    while let Some(value) = pending.pop() {
        match value {
            Value::Object(object) => {
                object.remove("description");
                pending.extend(object.values_mut());
            }
            Value::Array(items) => pending.extend(items.iter_mut()),
            _ => {}
        }
    }
}
/// A string in Go duration syntax, checked by the API server too.
pub fn duration(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "string",
        "maxLength": 32,
        "pattern": super::duration::DURATION_PATTERN,
    })
}

/// A Kubernetes name usable as a DNS label, bounded so derived object names fit.
pub fn short_name(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "string",
        "minLength": 1,
        "maxLength": 40,
        "pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
    })
}

/// A list of short names (stage or task dependencies).
pub fn short_name_list(generator: &mut SchemaGenerator) -> Schema {
    let item = short_name(generator);
    json_schema!({
        "type": "array",
        "maxItems": 20,
        "items": item,
    })
}

/// Conditions as a map keyed by type, so server-side apply merges them per type.
pub fn conditions(generator: &mut SchemaGenerator) -> Schema {
    let mut schema = generator.subschema_for::<Vec<super::conditions::Condition>>();
    schema.insert("x-kubernetes-list-type".into(), "map".into());
    schema.insert(
        "x-kubernetes-list-map-keys".into(),
        serde_json::json!(["type"]),
    );
    schema
}

#[cfg(test)]
mod tests {
    use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::{
        CustomResourceDefinition, JSONSchemaProps, JSONSchemaPropsOrArray, JSONSchemaPropsOrBool,
    };
    use kube::CustomResourceExt;

    use crate::api::{FlightTask, Mission, MissionStage, Weapon};

    /// Fields below `schema` without a description, as `kubectl explain` paths.
    /// A pod template's own fields are the pod's: `kubectl explain pod` has them.
    fn undocumented(schema: &JSONSchemaProps, path: &str, found: &mut Vec<String>) {
        for (name, field) in schema.properties.iter().flatten() {
            let path = format!("{path}.{name}");
            if field.description.as_deref().is_none_or(str::is_empty) {
                found.push(path.clone());
            }
            if name != "podTemplate" {
                undocumented(field, &path, found);
            }
        }
        if let Some(JSONSchemaPropsOrArray::Schema(items)) = &schema.items {
            undocumented(items, path, found);
        }
        if let Some(JSONSchemaPropsOrBool::Schema(values)) = &schema.additional_properties {
            undocumented(values, path, found);
        }
    }

    #[test]
    fn every_field_of_the_four_kinds_has_a_description() {
        let crds: [CustomResourceDefinition; 4] = [
            Mission::crd(),
            MissionStage::crd(),
            FlightTask::crd(),
            Weapon::crd(),
        ];
        let mut found = Vec::new();
        for crd in &crds {
            let schema = (crd.spec.versions[0].schema.as_ref())
                .and_then(|validation| validation.open_api_v3_schema.as_ref())
                .expect("a schema");
            let kind = &crd.spec.names.kind;
            for part in ["spec", "status"] {
                let Some(field) = schema.properties.as_ref().and_then(|p| p.get(part)) else {
                    continue;
                };
                if field.description.as_deref().is_none_or(str::is_empty) {
                    found.push(format!("{kind}.{part}"));
                }
                undocumented(field, &format!("{kind}.{part}"), &mut found);
            }
        }
        assert!(found.is_empty(), "fields without a doc comment: {found:#?}");
    }
}
