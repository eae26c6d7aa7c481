//! A pod's required node affinity, parsed once per pod and matched against
//! each node's labels with kube-scheduler's semantics: terms are ORed, the
//! expressions inside a term ANDed; an empty term matches no node.

use std::collections::BTreeMap;
use std::fmt;

use k8s_openapi::api::core::v1::{NodeSelector, NodeSelectorRequirement};

use crate::api::aircraft::labels;

/// The only node field a `matchFields` expression may name.
const NODE_NAME_FIELD: &str = "metadata.name";

/// `requiredDuringSchedulingIgnoredDuringExecution`, ready to match.
#[derive(Debug, Clone, PartialEq)]
pub struct RequiredAffinity {
    terms: Vec<Term>,
}

#[derive(Debug, Clone, PartialEq)]
struct Term {
    labels: Vec<Expression>,
    fields: Vec<Expression>,
}

#[derive(Debug, Clone, PartialEq)]
struct Expression {
    key: String,
    operator: Operator,
}

#[derive(Debug, Clone, PartialEq)]
enum Operator {
    In(Vec<String>),
    NotIn(Vec<String>),
    Exists,
    DoesNotExist,
    Gt(i64),
    Lt(i64),
    /// What the API server would have refused; matches nothing. Holds why.
    Invalid(String),
}

impl RequiredAffinity {
    pub fn parse(selector: &NodeSelector) -> Self {
        let terms = (selector.node_selector_terms.iter())
            .map(|term| Term {
                labels: expressions(term.match_expressions.as_deref()),
                fields: expressions(term.match_fields.as_deref()),
            })
            .collect();
        RequiredAffinity { terms }
    }

    /// `Ok` when some term matches the node, else why none does.
    pub fn matches(
        &self,
        node_name: &str,
        node_labels: &BTreeMap<String, String>,
    ) -> Result<(), String> {
        let mut first_miss = None;
        for term in &self.terms {
            match term.miss(node_name, node_labels) {
                None => return Ok(()),
                Some(miss) => {
                    first_miss.get_or_insert(miss);
                }
            }
        }
        let miss = first_miss.unwrap_or_else(|| "it has no terms".into());
        Err(match self.terms.len() {
            0 | 1 => format!("node affinity: {miss}"),
            n => format!("matches none of the {n} node affinity terms; the first: {miss}"),
        })
    }

    /// The aircraft types every matching node must have one of: the union over
    /// terms of each term's `aircraft.mil/type In [...]`. `None` when some term
    /// leaves the type open, or when there are no terms (no node matches then,
    /// which [`Self::matches`] explains).
    pub fn required_types(&self) -> Option<Vec<String>> {
        if self.terms.is_empty() {
            return None;
        }
        let mut types = Vec::new();
        for term in &self.terms {
            let listed = term.labels.iter().find_map(|e| match &e.operator {
                Operator::In(values) if e.key == labels::TYPE => Some(values),
                _ => None,
            })?;
            types.extend(listed.iter().cloned());
        }
        types.sort();
        types.dedup();
        Some(types)
    }
}

fn expressions(requirements: Option<&[NodeSelectorRequirement]>) -> Vec<Expression> {
    (requirements.unwrap_or_default().iter())
        .map(|r| Expression {
            key: r.key.clone(),
            operator: Operator::parse(&r.operator, r.values.as_deref().unwrap_or_default()),
        })
        .collect()
}

impl Operator {
    fn parse(operator: &str, values: &[String]) -> Self {
        let bound = |make: fn(i64) -> Operator| match values {
            [value] => value.parse().map(make).unwrap_or_else(|_| {
                Operator::Invalid(format!("{operator} needs an integer, not {value:?}"))
            }),
            _ => Operator::Invalid(format!("{operator} needs exactly one value")),
        };
        match operator {
            "In" => Operator::In(values.to_vec()),
            "NotIn" => Operator::NotIn(values.to_vec()),
            "Exists" => Operator::Exists,
            "DoesNotExist" => Operator::DoesNotExist,
            "Gt" => bound(Operator::Gt),
            "Lt" => bound(Operator::Lt),
            other => Operator::Invalid(format!("operator {other:?} is unknown")),
        }
    }
}

impl Term {
    /// Why this term does not match the node; `None` when it does.
    fn miss(&self, node_name: &str, node_labels: &BTreeMap<String, String>) -> Option<String> {
        if self.labels.is_empty() && self.fields.is_empty() {
            return Some("an empty term matches no node".into());
        }
        let label_miss = (self.labels.iter())
            .find_map(|e| e.miss(node_labels.get(&e.key).map(String::as_str), "label"));
        label_miss.or_else(|| {
            self.fields.iter().find_map(|e| {
                if e.key != NODE_NAME_FIELD {
                    return Some(format!(
                        "field {} cannot be matched, only {NODE_NAME_FIELD}",
                        e.key
                    ));
                }
                e.miss(Some(node_name), "field")
            })
        })
    }
}

impl Expression {
    /// Why `actual` (the label or field value, if any) fails this expression.
    fn miss(&self, actual: Option<&str>, kind: &str) -> Option<String> {
        let key = &self.key;
        let integer = |bound: i64, holds: fn(i64, i64) -> bool, sign: &str| match actual {
            None => Some(format!("no {key} {kind} to compare {sign} {bound}")),
            Some(text) => match text.parse::<i64>() {
                Ok(value) if holds(value, bound) => None,
                Ok(value) => Some(format!("{key} is {value}, not {sign} {bound}")),
                Err(_) => Some(format!(
                    "{key} {text:?} is not an integer to compare {sign} {bound}"
                )),
            },
        };
        match (&self.operator, actual) {
            (Operator::In(values), Some(value)) if values.iter().any(|v| v == value) => None,
            (Operator::In(values), Some(value)) => {
                Some(format!("{key} is {value}, not one of {}", List(values)))
            }
            (Operator::In(values), None) => {
                Some(format!("no {key} {kind} (needs one of {})", List(values)))
            }
            (Operator::NotIn(values), Some(value)) if values.iter().any(|v| v == value) => Some(
                format!("{key} is {value}, one of the excluded {}", List(values)),
            ),
            (Operator::NotIn(_), _) => None,
            (Operator::Exists, Some(_)) | (Operator::DoesNotExist, None) => None,
            (Operator::Exists, None) => Some(format!("no {key} {kind}")),
            (Operator::DoesNotExist, Some(value)) => {
                Some(format!("{key} is {value}, but must be absent"))
            }
            (Operator::Gt(bound), _) => integer(*bound, |v, b| v > b, ">"),
            (Operator::Lt(bound), _) => integer(*bound, |v, b| v < b, "<"),
            (Operator::Invalid(why), _) => Some(format!("{key}: {why}")),
        }
    }
}

/// `[a, b]`, for values in a reason.
struct List<'a>(&'a [String]);

impl fmt::Display for List<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}]", self.0.join(", "))
    }
}

#[cfg(test)]
mod tests;
