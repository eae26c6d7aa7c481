//! The checks every object gets before its schema: `apiVersion`, and the parts
//! of `metadata` this tool relies on.

use serde_json::{Map, Value};

use super::diagnostic::{Finding, Rule};
use super::document::Document;
use super::path::FieldPath;
use crate::api::API_VERSION;
use crate::api::naming::is_dns_label;

pub const DNS_LABEL_HINT: &str =
    "use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit";

/// `apiVersion`, and a name that can prefix the objects created from it and a
/// well-formed namespace in `metadata`.
pub fn check(document: &Document) -> Vec<Finding> {
    let mut findings = Vec::new();
    let api_version = document.value.get("apiVersion");
    if api_version.and_then(Value::as_str) != Some(API_VERSION) {
        let found = api_version.map_or("nothing".to_string(), Value::to_string);
        let message = format!("apiVersion must be {API_VERSION} (found {found})");
        let path = FieldPath::root().key("apiVersion");
        findings.push(Finding::error(Rule::Document, path, message));
    }
    let path = FieldPath::root().key("metadata");
    match document.value.get("metadata").and_then(Value::as_object) {
        Some(metadata) => findings.extend(metadata_findings(metadata, &path)),
        None => {
            let finding = Finding::error(Rule::Metadata, path, "missing metadata");
            findings.push(finding.hint("give the object a name: `metadata: {name: …}`"));
        }
    }
    findings
}

fn metadata_findings(metadata: &Map<String, Value>, path: &FieldPath) -> Vec<Finding> {
    let mut findings = Vec::new();
    let name = path.key("name");
    match metadata.get("name") {
        Some(Value::String(text)) if is_dns_label(text) => {}
        Some(Value::String(text)) => {
            let message = format!("{text:?} is not a valid name");
            findings.push(Finding::error(Rule::Metadata, name, message).hint(DNS_LABEL_HINT));
        }
        None if metadata.contains_key("generateName") => {
            findings.extend(generate_name_findings(metadata, path));
        }
        _ => findings.push(Finding::error(
            Rule::Metadata,
            name,
            "missing metadata.name",
        )),
    }
    match metadata.get("namespace") {
        None | Some(Value::Null) => {}
        Some(Value::String(namespace)) if is_dns_label(namespace) => {}
        Some(other) => {
            let message = format!("{other} is not a valid namespace");
            let path = path.key("namespace");
            findings.push(Finding::error(Rule::Metadata, path, message).hint(DNS_LABEL_HINT));
        }
    }
    findings
}

/// The API server appends five characters to `generateName`, so a prefix
/// longer than this would make a name longer than a DNS label.
const GENERATE_NAME_MAX: usize = 58;

/// A `generateName` (without a name) must be the start of a DNS label.
fn generate_name_findings(metadata: &Map<String, Value>, path: &FieldPath) -> Vec<Finding> {
    let path = path.key("generateName");
    let hint = "give a prefix of lower-case letters, digits and '-' (at most 58, e.g. \"strike-\"), or a metadata.name";
    match metadata.get("generateName") {
        Some(Value::String(prefix))
            if prefix.len() <= GENERATE_NAME_MAX && is_dns_label(&format!("{prefix}x")) =>
        {
            Vec::new()
        }
        Some(other) => {
            let message = format!("{other} is not a usable name prefix");
            vec![Finding::error(Rule::Metadata, path, message).hint(hint)]
        }
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn found(metadata: Value) -> Vec<(String, String)> {
        let map = metadata.as_object().cloned().unwrap_or_default();
        metadata_findings(&map, &FieldPath::root().key("metadata"))
            .into_iter()
            .map(|f| (f.path.to_string(), f.message))
            .collect()
    }

    #[test]
    fn a_name_and_namespace_that_are_dns_labels_pass() {
        assert_eq!(
            found(json!({"name": "far-sea-strike", "namespace": "team-a"})),
            []
        );
    }

    #[test]
    fn a_generate_name_prefix_stands_in_for_a_name() {
        assert_eq!(found(json!({"generateName": "strike-"})), []);
        let long = "a".repeat(59);
        assert_eq!(
            found(json!({"generateName": long}))[0].0,
            "metadata.generateName"
        );
        assert_eq!(
            found(json!({"generateName": "Strike_"}))[0].1,
            "\"Strike_\" is not a usable name prefix"
        );
    }

    #[test]
    fn a_missing_or_malformed_name_is_reported() {
        assert_eq!(found(json!({}))[0].0, "metadata.name");
        assert_eq!(
            found(json!({"name": "Far_Sea"}))[0].1,
            "\"Far_Sea\" is not a valid name"
        );
        assert_eq!(
            found(json!({"name": "a", "namespace": 7}))[0].0,
            "metadata.namespace"
        );
    }
}
