//! Splitting a file into YAML documents, telling Missions from Weapons, and the
//! checks every object gets: `apiVersion`, `kind` and `metadata`.

use serde_json::Value;

use super::diagnostic::{Diagnostic, Finding, Rule, Severity};
use super::guard;
use super::lines::{self, LineMap};
use super::path::FieldPath;
use super::source::Source;
use crate::api::API_VERSION;

/// The kinds a file may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Mission,
    Weapon,
}

impl Kind {
    fn parse(kind: &str) -> Option<Self> {
        match kind {
            "Mission" => Some(Self::Mission),
            "Weapon" => Some(Self::Weapon),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mission => "Mission",
            Self::Weapon => "Weapon",
        }
    }
}

/// One Mission or Weapon document of a file.
#[derive(Debug)]
pub struct Document {
    /// Index of the file among the sources, for ordering the report.
    pub file_index: usize,
    pub file: String,
    pub kind: Kind,
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub value: Value,
    pub lines: LineMap,
}

/// A document as it is to be applied: the object as written, with what the
/// API call needs to address it.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    /// The file it came from, for messages.
    pub file: String,
    pub kind: Kind,
    pub name: Option<String>,
    pub namespace: Option<String>,
    /// The object as written (merge keys resolved), to send as is.
    pub value: Value,
}

impl Manifest {
    /// The prefix the API server names the object from, when it has no name.
    pub fn generate_name(&self) -> Option<&str> {
        self.value.get("metadata")?.get("generateName")?.as_str()
    }

    /// Puts the object in `namespace` unless it names its own.
    pub fn set_namespace(&mut self, namespace: &str) {
        if self.namespace.is_some() {
            return;
        }
        self.namespace = Some(namespace.to_string());
        if let Some(metadata) = self
            .value
            .get_mut("metadata")
            .and_then(Value::as_object_mut)
        {
            metadata.insert(
                "namespace".to_string(),
                Value::String(namespace.to_string()),
            );
        }
    }
}

impl Document {
    pub fn manifest(&self) -> Manifest {
        Manifest {
            file: self.file.clone(),
            kind: self.kind,
            name: self.name.clone(),
            namespace: self.namespace.clone(),
            value: self.value.clone(),
        }
    }

    /// `Kind/name`, or the kind alone when the document has no name.
    pub fn object(&self) -> String {
        match &self.name {
            Some(name) => format!("{}/{name}", self.kind.as_str()),
            None => self.kind.as_str().to_string(),
        }
    }

    pub fn diagnostic(&self, finding: Finding) -> Diagnostic {
        place(&self.file, Some(self.object()), &self.lines, finding)
    }
}

fn place(file: &str, object: Option<String>, lines: &LineMap, finding: Finding) -> Diagnostic {
    Diagnostic {
        severity: finding.severity,
        rule: finding.rule,
        file: file.to_string(),
        line: lines.line(&finding.path),
        object,
        path: (!finding.path.is_root()).then(|| finding.path.to_string()),
        message: finding.message,
        hint: finding.hint,
    }
}

/// What a file holds: its Mission and Weapon documents, and the problems found
/// while reading it.
#[derive(Debug, Default)]
pub struct Parsed {
    pub documents: Vec<Document>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads every document of `source`; empty documents are skipped, and a syntax
/// error ends the file (the documents before it are still checked).
pub fn parse(file_index: usize, source: &Source) -> Parsed {
    let mut parsed = Parsed::default();
    let within = match source.too_large {
        true => Err(guard::too_large()),
        false => guard::check(&source.text),
    };
    if let Err(refusal) = within {
        let mut diagnostic = place(&source.name, None, &LineMap::default(), refusal.finding);
        diagnostic.line = refusal.line;
        parsed.diagnostics.push(diagnostic);
        return parsed;
    }
    let lines = lines::scan(&source.text);
    for (position, document) in serde_yaml_ng::Deserializer::from_str(&source.text).enumerate() {
        let line_map = lines.documents.get(position).cloned().unwrap_or_default();
        let yaml = match <serde_yaml_ng::Value as serde::Deserialize>::deserialize(document) {
            Ok(yaml) => yaml,
            Err(error) => {
                parsed
                    .diagnostics
                    .extend(syntax_error(source, position, &lines, &error));
                // The stream cannot be resumed after an error: it repeats forever.
                break;
            }
        };
        match to_json(yaml) {
            Ok(Value::Null) => {}
            Ok(value) => match classify(file_index, source, value, &line_map) {
                Ok(document) => parsed.documents.push(document),
                Err(finding) => {
                    let diagnostic = place(&source.name, None, &line_map, finding);
                    parsed.diagnostics.push(diagnostic);
                }
            },
            Err(finding) => {
                let diagnostic = place(&source.name, None, &line_map, finding);
                parsed.diagnostics.push(diagnostic);
            }
        }
    }
    if parsed.documents.is_empty() && parsed.diagnostics.is_empty() {
        let finding = Finding::error(
            Rule::Document,
            FieldPath::root(),
            "the file holds no document: it is empty or only comments",
        )
        .hint(format!(
            "give files that hold Mission or Weapon documents of {API_VERSION}"
        ));
        parsed
            .diagnostics
            .push(place(&source.name, None, &LineMap::default(), finding));
    }
    parsed
}

/// A duplicate key fails the whole document in `serde_yaml_ng`, at the start of
/// its mapping; the line scan knows where the key repeats, so that is reported.
fn syntax_error(
    source: &Source,
    position: usize,
    lines: &lines::Lines,
    error: &serde_yaml_ng::Error,
) -> Vec<Diagnostic> {
    let duplicates: Vec<Diagnostic> = lines
        .duplicate_keys
        .iter()
        .filter(|duplicate| duplicate.document == position)
        .map(|duplicate| {
            let key = duplicate.path.last_key().unwrap_or_default();
            let finding = Finding::error(
                Rule::DuplicateKey,
                duplicate.path.clone(),
                format!("the key `{key}` appears twice in one mapping"),
            )
            .hint("YAML keeps only one of them: merge the two or remove one");
            let mut diagnostic = place(&source.name, None, &LineMap::default(), finding);
            diagnostic.line = Some(duplicate.line);
            diagnostic
        })
        .collect();
    if !duplicates.is_empty() {
        return duplicates;
    }
    vec![Diagnostic {
        severity: Severity::Error,
        rule: Rule::YamlSyntax,
        file: source.name.clone(),
        line: error.location().map(|location| location.line()),
        object: None,
        path: None,
        message: format!("invalid YAML: {error}"),
        hint: Some("check the indentation and the brackets around this line".to_string()),
    }]
}

fn to_json(mut yaml: serde_yaml_ng::Value) -> Result<Value, Finding> {
    yaml.apply_merge().map_err(|error| {
        Finding::error(
            Rule::YamlSyntax,
            FieldPath::root(),
            format!("invalid merge key: {error}"),
        )
    })?;
    if let Some(path) = non_finite(&yaml, FieldPath::root()) {
        return Err(Finding::error(
            Rule::WrongType,
            path,
            "not a number JSON can carry: .nan, .inf and -.inf have no JSON form, so the \
             API server never sees them",
        )
        .hint("write a finite number"));
    }
    serde_json::to_value(yaml).map_err(|error| {
        Finding::error(
            Rule::YamlSyntax,
            FieldPath::root(),
            format!("not representable as JSON: {error}"),
        )
        .hint("keys must be strings")
    })
}

/// The first `.nan` or `.inf` in `yaml`, which JSON would turn into `null`
/// and so let through a field that must hold a number.
fn non_finite(yaml: &serde_yaml_ng::Value, path: FieldPath) -> Option<FieldPath> {
    use serde_yaml_ng::Value as Yaml;
    match yaml {
        Yaml::Number(number) if number.as_f64().is_some_and(|n| !n.is_finite()) => Some(path),
        Yaml::Sequence(items) => {
            (items.iter().enumerate()).find_map(|(index, item)| non_finite(item, path.index(index)))
        }
        Yaml::Mapping(map) => map
            .iter()
            .find_map(|(key, value)| non_finite(value, path.key(key.as_str().unwrap_or_default()))),
        Yaml::Tagged(tagged) => non_finite(&tagged.value, path),
        _ => None,
    }
}

/// The document as a Mission or Weapon, or why it is neither.
fn classify(
    file_index: usize,
    source: &Source,
    value: Value,
    lines: &LineMap,
) -> Result<Document, Finding> {
    let kinds_hint = format!("files may hold Mission and Weapon documents of {API_VERSION}");
    let Some(object) = value.as_object() else {
        let finding = Finding::error(
            Rule::Document,
            FieldPath::root(),
            "a document must be a mapping",
        );
        return Err(finding.hint(kinds_hint));
    };
    let kind_path = FieldPath::root().key("kind");
    let Some(kind_name) = object.get("kind").and_then(Value::as_str) else {
        let finding = Finding::error(Rule::Document, kind_path, "missing kind");
        return Err(finding.hint(kinds_hint));
    };
    let Some(kind) = Kind::parse(kind_name) else {
        let message = format!("kind {kind_name} is not checked by mission validate");
        return Err(Finding::error(Rule::Document, kind_path, message).hint(kinds_hint));
    };
    let metadata = object.get("metadata");
    let text = |field: &str| {
        metadata
            .and_then(|m| m.get(field))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    Ok(Document {
        file_index,
        file: source.name.clone(),
        kind,
        name: text("name"),
        namespace: text("namespace"),
        value,
        lines: lines.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Source {
        Source::new("m.yaml", text)
    }

    #[test]
    fn missions_and_weapons_are_told_apart_and_empty_documents_skipped() {
        let text = "---\nkind: Mission\nmetadata: {name: a}\n---\n---\nkind: Weapon\nmetadata: {name: b}\n";
        let parsed = parse(0, &source(text));
        let kinds: Vec<_> = parsed
            .documents
            .iter()
            .map(|d| (d.kind, d.object()))
            .collect();
        assert_eq!(
            kinds,
            [
                (Kind::Mission, "Mission/a".to_string()),
                (Kind::Weapon, "Weapon/b".to_string())
            ]
        );
        assert!(parsed.diagnostics.is_empty());
        assert_eq!(
            parsed.documents[1]
                .lines
                .line(&FieldPath::root().key("kind")),
            Some(6)
        );
    }

    #[test]
    fn another_kind_says_which_kinds_are_accepted() {
        let parsed = parse(0, &source("apiVersion: v1\nkind: Pod\n"));
        assert_eq!(parsed.diagnostics.len(), 1);
        let diagnostic = &parsed.diagnostics[0];
        assert_eq!(diagnostic.line, Some(2));
        assert_eq!(diagnostic.path.as_deref(), Some("kind"));
        assert!(
            diagnostic
                .hint
                .as_deref()
                .unwrap_or("")
                .contains("Mission and Weapon")
        );
    }

    #[test]
    fn a_syntax_error_gives_its_line_and_keeps_earlier_documents() {
        let parsed = parse(0, &source("kind: Weapon\n---\nkind: Mission\nspec: [a,\n"));
        assert_eq!(parsed.documents.len(), 1);
        assert_eq!(parsed.diagnostics[0].rule, Rule::YamlSyntax);
        assert_eq!(parsed.diagnostics[0].line, Some(5));
    }

    #[test]
    fn a_duplicate_key_is_reported_where_it_repeats() {
        let parsed = parse(0, &source("kind: Mission\nspec:\n  a: 1\n  a: 2\n"));
        let diagnostic = &parsed.diagnostics[0];
        assert_eq!(diagnostic.rule, Rule::DuplicateKey);
        assert_eq!(
            (diagnostic.line, diagnostic.path.as_deref()),
            (Some(4), Some("spec.a"))
        );
        assert_eq!(
            diagnostic.message,
            "the key `a` appears twice in one mapping"
        );
    }

    #[test]
    fn a_manifest_takes_the_default_namespace_only_when_it_names_none() {
        let text = "kind: Mission\nmetadata: {name: a}\n---\nkind: Weapon\nmetadata: {name: b, namespace: weapons}\n";
        let parsed = parse(0, &source(text));
        let mut manifests: Vec<Manifest> =
            parsed.documents.iter().map(Document::manifest).collect();
        for manifest in &mut manifests {
            manifest.set_namespace("team");
        }
        assert_eq!(manifests[0].namespace.as_deref(), Some("team"));
        assert_eq!(manifests[0].value["metadata"]["namespace"], "team");
        assert_eq!(manifests[1].namespace.as_deref(), Some("weapons"));
    }
}
