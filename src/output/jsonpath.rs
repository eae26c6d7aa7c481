//! kubectl's JSONPath templates (`-o jsonpath=…`, custom columns, `--sort-by`):
//! text with `{…}` actions, where an action is a path (`{.items[*].metadata.name}`),
//! a quoted string (`{"\n"}`), or `{range PATH}…{end}` to render the part between
//! once per value found. Paths are evaluated by `serde_json_path` (RFC 9535),
//! after the relaxed forms kubectl takes (`.a.b`, `a.b`, `@.a`) are given their
//! `$` root; this module only splits the template into its actions.
//!
//! As `kubectl get` does, a path that finds nothing prints nothing, several
//! values print separated by one space, strings print as they are and other
//! values as JSON.

use serde_json::Value;
use serde_json_path::JsonPath;

/// A template that did not parse: what is wrong, in the words of the template.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} in template {template:?}")]
pub struct TemplateError {
    pub template: String,
    pub message: String,
}

/// A parsed template, ready to render any number of objects.
#[derive(Debug, Clone)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Path(JsonPath),
    Range(JsonPath, Vec<Part>),
}

impl Template {
    pub fn parse(template: &str) -> Result<Template, TemplateError> {
        let fail = |message: String| TemplateError {
            template: template.to_string(),
            message,
        };
        let mut stack: Vec<(JsonPath, Vec<Part>)> = Vec::new();
        let mut parts = Vec::new();
        let mut rest = template;
        while !rest.is_empty() {
            let Some(open) = rest.find('{') else {
                parts.push(Part::Text(rest.to_string()));
                break;
            };
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_string()));
            }
            let action_and_rest = &rest[open + 1..];
            let close = action_end(action_and_rest).ok_or_else(|| {
                fail(format!(
                    "the action at byte {open} is never closed with '}}'"
                ))
            })?;
            let action = action_and_rest[..close].trim();
            rest = &action_and_rest[close + 1..];
            if action == "end" {
                let (path, outer) = stack
                    .pop()
                    .ok_or_else(|| fail("{end} without a {range …} before it".to_string()))?;
                let body = std::mem::replace(&mut parts, outer);
                parts.push(Part::Range(path, body));
            } else if let Some(path) = action.strip_prefix("range ") {
                let path = compile(path.trim()).map_err(fail)?;
                stack.push((path, std::mem::take(&mut parts)));
            } else if action.starts_with('"') {
                parts.push(Part::Text(unquote(action).map_err(fail)?));
            } else if action.is_empty() {
                return Err(fail("an empty action {}".to_string()));
            } else {
                parts.push(Part::Path(compile(action).map_err(fail)?));
            }
        }
        if !stack.is_empty() {
            return Err(fail("{range …} without its {end}".to_string()));
        }
        Ok(Template { parts })
    }

    /// The template rendered against `value`.
    pub fn render(&self, value: &Value) -> String {
        let mut out = String::new();
        render_parts(&self.parts, value, &mut out);
        out
    }
}

/// A single path, in any of the relaxed forms kubectl takes for columns and
/// sorting (`.a.b`, `{.a.b}`, `a.b`).
pub fn relaxed_path(path: &str) -> Result<JsonPath, String> {
    let trimmed = path.trim();
    let inner = (trimmed.strip_prefix('{'))
        .and_then(|inner| inner.strip_suffix('}'))
        .unwrap_or(trimmed);
    compile(inner.trim())
}

/// A value as kubectl prints it in a template: a string as it is, anything
/// else as JSON.
pub fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn render_parts(parts: &[Part], value: &Value, out: &mut String) {
    for part in parts {
        match part {
            Part::Text(text) => out.push_str(text),
            Part::Path(path) => {
                let found: Vec<String> = path.query(value).all().into_iter().map(text_of).collect();
                out.push_str(&found.join(" "));
            }
            Part::Range(path, body) => {
                for item in path.query(value).all() {
                    render_parts(body, item, out);
                }
            }
        }
    }
}

/// Where the action that starts after a `{` ends: its `}`, skipping any inside
/// quotes (a filter's string, a quoted text).
fn action_end(text: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (at, c) in text.char_indices() {
        match (quote, c) {
            (Some(_), '\\') if !escaped => {
                escaped = true;
                continue;
            }
            (Some(open), c) if c == open && !escaped => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '}') => return Some(at),
            _ => {}
        }
        escaped = false;
    }
    None
}

/// A path as kubectl writes it, with the root RFC 9535 wants.
fn compile(path: &str) -> Result<JsonPath, String> {
    let rooted = if let Some(rest) = path.strip_prefix('@') {
        format!("${rest}")
    } else if path.starts_with('$') {
        path.to_string()
    } else if path.starts_with('.') || path.starts_with('[') {
        format!("${path}")
    } else {
        format!("$.{path}")
    };
    JsonPath::parse(&rooted).map_err(|error| format!("{path:?} is not a JSONPath: {error}"))
}

/// A quoted text action: `"\n"`, `"\t"`, `", "`.
fn unquote(action: &str) -> Result<String, String> {
    serde_json::from_str::<String>(action)
        .map_err(|_| format!("{action} is not a quoted text such as \"\\n\" or \", \""))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn missions() -> Value {
        json!({"kind": "List", "items": [
            {"metadata": {"name": "alpha", "labels": {"team": "blue"}}, "status": {"phase": "Failed"}},
            {"metadata": {"name": "bravo"}, "status": {"phase": "Succeeded", "retries": 2}},
        ]})
    }

    fn render(template: &str) -> String {
        Template::parse(template)
            .expect("a template")
            .render(&missions())
    }

    #[test]
    fn a_path_prints_every_value_it_finds_separated_by_a_space() {
        assert_eq!(render("{.items[*].metadata.name}"), "alpha bravo");
        assert_eq!(render("{$.items[0].metadata.name}"), "alpha");
        assert_eq!(
            render("names: {.items[*].metadata.name}!"),
            "names: alpha bravo!"
        );
    }

    #[test]
    fn range_renders_its_body_once_per_value_with_quoted_text() {
        assert_eq!(
            render(r#"{range .items[*]}{.metadata.name}{"\t"}{.status.phase}{"\n"}{end}"#),
            "alpha\tFailed\nbravo\tSucceeded\n"
        );
    }

    #[test]
    fn filters_and_missing_fields_behave_as_in_kubectl() {
        assert_eq!(
            render(r#"{.items[?(@.status.phase=="Failed")].metadata.name}"#),
            "alpha"
        );
        assert_eq!(render("{.items[*].metadata.labels.team}"), "blue");
        assert_eq!(render("{.items[1].metadata.labels}"), "");
        assert_eq!(
            render("{.items[1].status}"),
            r#"{"phase":"Succeeded","retries":2}"#
        );
    }

    #[test]
    fn a_broken_template_says_what_is_wrong() {
        let error = |t: &str| Template::parse(t).expect_err("broken").to_string();
        assert!(
            error("{.items[*]").contains("never closed"),
            "{}",
            error("{.items[*]")
        );
        assert!(error("{range .items[*]}{.a}").contains("without its {end}"));
        assert!(error("{end}").contains("without a {range"));
        assert!(
            error("{.items[}").contains("is not a JSONPath"),
            "{}",
            error("{.items[}")
        );
    }

    #[test]
    fn the_relaxed_forms_of_columns_and_sorting_are_taken() {
        for path in [".metadata.name", "{.metadata.name}", "metadata.name"] {
            let found = relaxed_path(path).expect("a path");
            let item = &missions()["items"][0];
            assert_eq!(found.query(item).all(), vec![&json!("alpha")], "{path}");
        }
    }
}
