//! Checks a document against an OpenAPI v3 schema, the same one the CRD gives
//! the API server: unknown fields, types, enums, ranges, lengths, item counts,
//! patterns and required fields.

use std::collections::HashMap;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::{
    JSONSchemaProps, JSONSchemaPropsOrArray, JSONSchemaPropsOrBool,
};
use regex_lite::Regex;
use serde_json::{Map, Value};

use super::diagnostic::{Finding, Rule};
use super::path::FieldPath;
use super::schema_messages::{
    describe, number_text, pattern_hint, plural, unknown_field, wrong_type,
};
use super::shorten::shorten;
use super::suggest;

/// What a schema walk found, and the value as the API server would keep it:
/// unknown fields and nulls in non-nullable fields dropped.
#[derive(Debug)]
pub struct Walked {
    pub findings: Vec<Finding>,
    pub value: Value,
}

/// Checks `value`, found at `base`, against `schema`.
pub fn walk(schema: &JSONSchemaProps, value: &Value, base: &FieldPath) -> Walked {
    let mut walker = Walker::default();
    let value = walker.walk(schema, value, base);
    Walked {
        findings: walker.findings,
        value,
    }
}

#[derive(Default)]
struct Walker {
    findings: Vec<Finding>,
    patterns: HashMap<String, Option<Regex>>,
}

impl Walker {
    fn walk(&mut self, schema: &JSONSchemaProps, value: &Value, path: &FieldPath) -> Value {
        if !type_matches(schema, value) {
            self.findings.push(wrong_type(schema, value, path));
            return value.clone();
        }
        self.check_enum(schema, value, path);
        match value {
            Value::String(text) => {
                self.check_string(schema, text, path);
                value.clone()
            }
            Value::Number(number) => {
                if let Some(number) = number.as_f64() {
                    self.check_range(schema, number, path);
                }
                value.clone()
            }
            Value::Array(items) => Value::Array(self.walk_array(schema, items, path)),
            Value::Object(map) => Value::Object(self.walk_object(schema, map, path)),
            Value::Null | Value::Bool(_) => value.clone(),
        }
    }

    fn walk_array(
        &mut self,
        schema: &JSONSchemaProps,
        items: &[Value],
        path: &FieldPath,
    ) -> Vec<Value> {
        let count = items.len() as i64;
        if let Some(min) = schema.min_items.filter(|min| count < *min) {
            let message = format!("must have at least {} (has {count})", plural(min, "item"));
            self.findings
                .push(Finding::error(Rule::ItemCount, path.clone(), message));
        }
        if let Some(max) = schema.max_items.filter(|max| count > *max) {
            let message = format!("must have at most {} (has {count})", plural(max, "item"));
            self.findings
                .push(Finding::error(Rule::ItemCount, path.clone(), message));
        }
        let Some(JSONSchemaPropsOrArray::Schema(item_schema)) = &schema.items else {
            return items.to_vec();
        };
        items
            .iter()
            .enumerate()
            .map(|(index, item)| self.walk(item_schema, item, &path.index(index)))
            .collect()
    }

    fn walk_object(
        &mut self,
        schema: &JSONSchemaProps,
        map: &Map<String, Value>,
        path: &FieldPath,
    ) -> Map<String, Value> {
        let additional = match &schema.additional_properties {
            Some(JSONSchemaPropsOrBool::Schema(schema)) => Some(schema.as_ref()),
            _ => None,
        };
        let open = schema.x_kubernetes_preserve_unknown_fields == Some(true)
            || matches!(
                schema.additional_properties,
                Some(JSONSchemaPropsOrBool::Bool(true))
            );
        let mut kept = Map::new();
        for (key, child) in map {
            let field = path.key(key);
            let property = schema.properties.as_ref().and_then(|p| p.get(key));
            match property.or(additional) {
                // The API server drops nulls in fields that are not nullable.
                Some(child_schema) if child.is_null() && child_schema.nullable != Some(true) => {}
                Some(child_schema) => {
                    let child = self.walk(child_schema, child, &field);
                    kept.insert(key.clone(), child);
                }
                None if open => {
                    kept.insert(key.clone(), child.clone());
                }
                None => self.findings.push(unknown_field(schema, key, field)),
            }
        }
        for name in schema.required.iter().flatten() {
            if !kept.contains_key(name) {
                let message = if map.contains_key(name) {
                    format!("`{name}` is required and must not be empty")
                } else {
                    format!("missing required field `{name}`")
                };
                self.findings
                    .push(Finding::error(Rule::Required, path.key(name), message));
            }
        }
        kept
    }

    fn check_enum(&mut self, schema: &JSONSchemaProps, value: &Value, path: &FieldPath) {
        let Some(allowed) = &schema.enum_ else {
            return;
        };
        if allowed.iter().any(|json| json.0 == *value) {
            return;
        }
        let names: Vec<&str> = allowed.iter().filter_map(|json| json.0.as_str()).collect();
        let mut finding = Finding::error(
            Rule::NotAllowed,
            path.clone(),
            format!("{} is not one of {}", describe(value), names.join(", ")),
        );
        if let Some(close) = value
            .as_str()
            .and_then(|v| suggest::closest(v, names.clone()))
        {
            finding = finding.hint(format!("did you mean `{close}`?"));
        }
        self.findings.push(finding);
    }

    fn check_string(&mut self, schema: &JSONSchemaProps, text: &str, path: &FieldPath) {
        let length = text.chars().count() as i64;
        if let Some(min) = schema.min_length.filter(|min| length < *min) {
            let message = if min == 1 {
                "must not be empty".to_string()
            } else {
                format!(
                    "must be at least {} long (is {length})",
                    plural(min, "character")
                )
            };
            self.findings
                .push(Finding::error(Rule::Length, path.clone(), message));
        }
        if let Some(max) = schema.max_length.filter(|max| length > *max) {
            let message = format!(
                "must be at most {} long (is {length})",
                plural(max, "character")
            );
            self.findings
                .push(Finding::error(Rule::Length, path.clone(), message));
            // Said once is enough, and a pattern run over megabytes is slow.
            return;
        }
        if let Some(pattern) = &schema.pattern
            && !self.matches(pattern, text)
        {
            let finding = Finding::error(
                Rule::Pattern,
                path.clone(),
                format!("{:?} is not of the expected form", shorten(text, 60)),
            );
            self.findings.push(finding.hint(pattern_hint(pattern)));
        }
    }

    /// Whether `text` matches; a pattern this regex engine cannot compile is
    /// left to the API server rather than failing every document.
    fn matches(&mut self, pattern: &str, text: &str) -> bool {
        let regex = self
            .patterns
            .entry(pattern.to_string())
            .or_insert_with(|| Regex::new(pattern).ok());
        regex.as_ref().is_none_or(|regex| regex.is_match(text))
    }

    fn check_range(&mut self, schema: &JSONSchemaProps, number: f64, path: &FieldPath) {
        if let Some(min) = schema.minimum {
            let exclusive = schema.exclusive_minimum == Some(true);
            if number < min || (exclusive && number == min) {
                let bound = if exclusive {
                    "greater than"
                } else {
                    "at least"
                };
                let message = format!(
                    "must be {bound} {} (is {})",
                    number_text(min),
                    number_text(number)
                );
                self.findings
                    .push(Finding::error(Rule::OutOfRange, path.clone(), message));
            }
        }
        if let Some(max) = schema.maximum {
            let exclusive = schema.exclusive_maximum == Some(true);
            if number > max || (exclusive && number == max) {
                let bound = if exclusive { "less than" } else { "at most" };
                let message = format!(
                    "must be {bound} {} (is {})",
                    number_text(max),
                    number_text(number)
                );
                self.findings
                    .push(Finding::error(Rule::OutOfRange, path.clone(), message));
            }
        }
    }
}

fn type_matches(schema: &JSONSchemaProps, value: &Value) -> bool {
    if value.is_null() {
        return schema.nullable == Some(true);
    }
    if schema.x_kubernetes_int_or_string == Some(true) {
        return value.is_string() || value.is_i64() || value.is_u64();
    }
    match schema.type_.as_deref() {
        Some("object") => value.is_object(),
        Some("array") => value.is_array(),
        Some("string") => value.is_string(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::validate::schema_messages::DNS_LABEL_PATTERN;

    fn schema(value: Value) -> JSONSchemaProps {
        serde_json::from_value(value).expect("a valid test schema")
    }

    fn task_schema() -> JSONSchemaProps {
        schema(json!({
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 8, "pattern": DNS_LABEL_PATTERN},
                "minFuelLevel": {"type": "integer", "minimum": 0.0, "maximum": 100.0, "nullable": true},
                "type": {"type": "string", "enum": ["sequential", "parallel", "mixed"]},
                "tags": {"type": "array", "maxItems": 2, "items": {"type": "string"}},
                "params": {"type": "object", "additionalProperties": {"type": "string"}},
                "port": {"x-kubernetes-int-or-string": true},
                "raw": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
            }
        }))
    }

    fn findings(value: Value) -> Vec<(String, Rule, String, Option<String>)> {
        walk(&task_schema(), &value, &FieldPath::root().key("task"))
            .findings
            .into_iter()
            .map(|f| (f.path.to_string(), f.rule, f.message, f.hint))
            .collect()
    }

    #[test]
    fn a_valid_value_has_no_findings() {
        let value = json!({"name": "a", "minFuelLevel": null, "type": "mixed", "tags": ["x"],
            "params": {"k": "v"}, "port": "grpc", "raw": {"anything": [1]}});
        assert_eq!(findings(value), vec![]);
    }

    #[test]
    fn an_unknown_field_suggests_the_closest_one() {
        let found = findings(json!({"name": "a", "minFuelLevl": 50}));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "task.minFuelLevl");
        assert_eq!(found[0].1, Rule::UnknownField);
        assert_eq!(found[0].3.as_deref(), Some("did you mean `minFuelLevel`?"));
    }

    #[test]
    fn an_unknown_field_is_dropped_from_the_kept_value() {
        let walked = walk(
            &task_schema(),
            &json!({"name": "a", "extra": 1}),
            &FieldPath::root(),
        );
        assert_eq!(walked.value, json!({"name": "a"}));
    }

    #[test]
    fn a_number_where_a_string_belongs_says_to_quote_it() {
        let found = findings(json!({"name": "a", "params": {"altitude": 12000}}));
        assert_eq!(found[0].0, "task.params.altitude");
        assert_eq!(found[0].1, Rule::WrongType);
        assert_eq!(found[0].2, "expected a string, found the number 12000");
        assert_eq!(found[0].3.as_deref(), Some("quote it: \"12000\""));
    }

    #[test]
    fn every_constraint_is_reported_in_one_walk() {
        let value = json!({"name": "Too-Long-Name", "minFuelLevel": 120, "type": "mixd",
            "tags": ["a", "b", "c"], "port": 1.5});
        let rules: Vec<Rule> = findings(value).into_iter().map(|f| f.1).collect();
        assert_eq!(
            rules,
            vec![
                Rule::OutOfRange,
                Rule::Length,
                Rule::WrongType,
                Rule::ItemCount,
                Rule::NotAllowed
            ]
        );
    }

    #[test]
    fn a_pattern_is_checked_only_on_a_string_within_its_length() {
        let found = findings(json!({"name": "Bad_Name"}));
        assert_eq!(
            (found[0].1, found[0].2.as_str()),
            (Rule::Pattern, "\"Bad_Name\" is not of the expected form")
        );
        let found = findings(json!({"name": "Too_Long_Name"}));
        assert_eq!(
            found.iter().map(|f| f.1).collect::<Vec<_>>(),
            [Rule::Length]
        );
    }

    #[test]
    fn a_missing_or_empty_required_field_is_reported() {
        let found = findings(json!({"type": "mixed"}));
        assert_eq!(found[0].0, "task.name");
        assert_eq!(found[0].2, "missing required field `name`");
        let found = findings(json!({"name": null}));
        assert_eq!(found[0].2, "`name` is required and must not be empty");
    }

    #[test]
    fn nulls_in_optional_fields_are_dropped_quietly() {
        let walked = walk(
            &task_schema(),
            &json!({"name": "a", "tags": null}),
            &FieldPath::root(),
        );
        assert_eq!(walked.findings, vec![]);
        assert_eq!(walked.value, json!({"name": "a"}));
    }
}
