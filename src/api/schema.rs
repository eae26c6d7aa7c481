//! Schema fragments the derive cannot express on its own.

use schemars::{Schema, SchemaGenerator, json_schema};

/// A pod template kept as raw JSON: the API server stores it untouched, which keeps
/// the CRD small; the operator checks it when it builds the pod.
pub fn raw_object(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "object",
        "x-kubernetes-preserve-unknown-fields": true,
    })
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
