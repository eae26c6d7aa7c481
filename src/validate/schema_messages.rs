//! How schema findings read: what was expected and found, and a hint where
//! one helps (quote a number, the field a typo meant, the form a pattern wants).

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::JSONSchemaProps;
use serde_json::Value;

use super::diagnostic::{Finding, Rule};
use super::path::FieldPath;
use super::shorten::shorten;
use super::suggest;
use crate::api::duration::DURATION_PATTERN;

/// The pattern of names used as DNS labels (stage, task and aircraft type names).
pub const DNS_LABEL_PATTERN: &str = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

fn expected(schema: &JSONSchemaProps) -> &'static str {
    if schema.x_kubernetes_int_or_string == Some(true) {
        return "an integer or a string";
    }
    match schema.type_.as_deref() {
        Some("object") => "a mapping of fields",
        Some("array") => "a list",
        Some("string") => "a string",
        Some("integer") => "an integer",
        Some("number") => "a number",
        Some("boolean") => "true or false",
        _ => "a value",
    }
}

/// The value as a person would name it in a message.
pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "an empty value".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("{:?}", shorten(s, 60)),
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "a mapping".to_string(),
    }
}

pub fn wrong_type(schema: &JSONSchemaProps, value: &Value, path: &FieldPath) -> Finding {
    let expected = expected(schema);
    let finding = Finding::error(
        Rule::WrongType,
        path.clone(),
        format!("expected {expected}, found {}", describe(value)),
    );
    let quoted = match value {
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match (expected, quoted, value) {
        ("a string" | "an integer or a string", Some(text), _) => {
            finding.hint(format!("quote it: \"{text}\""))
        }
        ("an integer", _, Value::String(s)) if s.parse::<i64>().is_ok() => {
            finding.hint("remove the quotes")
        }
        ("a list", _, Value::String(_) | Value::Number(_) | Value::Bool(_)) => {
            finding.hint("write a list: [a, b] or one `- item` per line")
        }
        _ => finding,
    }
}

pub fn unknown_field(schema: &JSONSchemaProps, key: &str, path: FieldPath) -> Finding {
    let known: Vec<&str> = schema
        .properties
        .iter()
        .flat_map(|properties| properties.keys().map(String::as_str))
        .collect();
    let finding = Finding::error(
        Rule::UnknownField,
        path,
        format!("unknown field `{}`", shorten(key, 60)),
    );
    match suggest::closest(key, known.iter().copied()) {
        Some(close) => finding.hint(format!("did you mean `{close}`?")),
        None if known.is_empty() => finding.hint("this mapping takes no fields"),
        None => finding.hint(format!("the fields here are {}", known.join(", "))),
    }
}

pub fn pattern_hint(pattern: &str) -> String {
    match pattern {
        DNS_LABEL_PATTERN => {
            "use lower-case letters, digits and '-', starting and ending with a letter or digit"
                .to_string()
        }
        DURATION_PATTERN => "write a Go duration such as 90s, 10m or 1h30m".to_string(),
        other => format!("it must match the regular expression {other}"),
    }
}

pub fn plural(count: i64, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

pub fn number_text(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{}", number as i64)
    } else {
        number.to_string()
    }
}
