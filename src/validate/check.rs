//! Runs every check over every document and gathers the diagnostics: the
//! schema first, then, on the typed object, the rules the schema cannot say.

use std::collections::{BTreeMap, HashMap};

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::JSONSchemaProps;
use serde::de::DeserializeOwned;

use super::diagnostic::{Diagnostic, Finding, Rule, Severity};
use super::document::{self, Document, Kind, Manifest};
use super::path::FieldPath;
use super::schema;
use super::schemas::{MISSION, WEAPON};
use super::weapons::{Catalog, Resolved, Unresolved};
use super::{Source, envelope, limits, pod_template, stages, tasks, weapons};
use crate::api::armoury::DEFAULT_ARMOURY;
use crate::api::{Mission, Weapon};
use crate::pod_security::Level;

/// What [`check`] knows besides the files.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The namespace of objects and references that name none: `-n`, the
    /// context's namespace when a cluster was reached, else "default".
    pub namespace: String,
    /// The weapons a cluster listed; `None` when no cluster was consulted.
    pub cluster_weapons: Option<Vec<Weapon>>,
    /// `--offline`: the weapon files given are the complete set, so a reference
    /// none of them defines is an error.
    pub offline: bool,
    /// Why no cluster was consulted, for the warning on unchecked references.
    pub cluster_error: Option<String>,
    /// `--pod-security`: pod templates must pass this Pod Security level, and
    /// what breaks it is an error. `None` reports every break as a warning.
    pub pod_security: Option<Level>,
    /// Where a weapon reference that names no namespace is looked for after
    /// the mission's own namespace (`--armoury`); `None` for nowhere.
    pub armoury: Option<String>,
}

impl CheckOptions {
    /// Options for checking without a cluster, in `namespace`.
    pub fn offline(namespace: impl Into<String>) -> Self {
        Self {
            namespace: namespace.into(),
            cluster_weapons: None,
            offline: true,
            cluster_error: None,
            pod_security: None,
            armoury: Some(DEFAULT_ARMOURY.to_string()),
        }
    }
}

/// The outcome of [`check`]: the objects that could be read, and every problem.
#[derive(Debug, Clone)]
pub struct Checked {
    /// How many sources were checked.
    pub files: usize,
    /// Each mission that could be read, with the file it came from; also those
    /// with problems, so check [`Checked::has_errors`] before using them.
    pub missions: Vec<(String, Mission)>,
    /// The weapons read from the files (not those of the cluster).
    pub weapons: Vec<Weapon>,
    /// Every Mission and Weapon document, in file order, as written: what
    /// `submit` applies once there is no error.
    pub manifests: Vec<Manifest>,
    pub diagnostics: Vec<Diagnostic>,
    /// Where the weapons of each mission (by file and name) were found.
    pub weapon_sources: BTreeMap<(String, String), Vec<Resolved>>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// The missions read, without their files.
    pub fn missions(&self) -> impl Iterator<Item = &Mission> {
        self.missions.iter().map(|(_, mission)| mission)
    }

    /// The weapons read from the files.
    pub fn weapons(&self) -> impl Iterator<Item = &Weapon> {
        self.weapons.iter()
    }

    /// Whether some weapon reference could be checked only against a cluster.
    pub fn needs_cluster(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.rule == Rule::WeaponNotChecked)
    }
}

/// Checks every Mission and Weapon document in `sources` by every rule. Pure:
/// what the cluster knows comes in through `options`.
pub fn check(sources: &[Source], options: &CheckOptions) -> Checked {
    run(sources, Some(options))
}

/// Reads the Mission and Weapon documents in `sources` without judging them:
/// only what must hold to use them at all (YAML syntax, kinds, the schemas,
/// the types) is reported. For commands that use files without submitting them.
pub fn parse(sources: &[Source]) -> Checked {
    run(sources, None)
}

/// Reads every document; with `options`, also judges them by every rule.
fn run(sources: &[Source], options: Option<&CheckOptions>) -> Checked {
    let mut placed: Vec<(usize, Diagnostic)> = Vec::new();
    let mut documents = Vec::new();
    for (index, source) in sources.iter().enumerate() {
        let parsed = document::parse(index, source);
        placed.extend(parsed.diagnostics.into_iter().map(|d| (index, d)));
        documents.extend(parsed.documents);
    }
    let mut catalog = options.map(|options| {
        placed.extend(duplicate_objects(&documents, &options.namespace));
        let mut catalog = Catalog::new(unresolved(&documents, options), options.armoury.clone());
        for weapon in options.cluster_weapons.iter().flatten() {
            catalog.add_cluster(weapon);
        }
        catalog
    });
    let mut weapons = Vec::new();
    for document in documents.iter().filter(|d| d.kind == Kind::Weapon) {
        let (findings, weapon) = typed::<Weapon>(document, &WEAPON);
        if let (Some(catalog), Some(name)) = (catalog.as_mut(), &document.name) {
            catalog.add_file(name, document.namespace.as_deref(), weapon.as_ref());
        }
        placed.extend(place(document, findings));
        weapons.extend(weapon);
    }
    let mut missions = Vec::new();
    let mut weapon_sources = BTreeMap::new();
    for document in documents.iter().filter(|d| d.kind == Kind::Mission) {
        let (mut findings, mission) = typed::<Mission>(document, &MISSION);
        if let Some(mission) = mission {
            if let (Some(options), Some(catalog)) = (options, &catalog) {
                let schema_clean = !findings.iter().any(|finding| finding.rule.is_schema());
                let (found, sources) = rules(&mission, catalog, options, schema_clean);
                findings.extend(found);
                let key = (document.file.clone(), kube::ResourceExt::name_any(&mission));
                weapon_sources.insert(key, sources);
            }
            missions.push((document.file.clone(), mission));
        }
        placed.extend(place(document, findings));
    }
    // Stable: within a line, problems keep the order the checks found them in.
    placed.sort_by_key(|(file, diagnostic)| (*file, diagnostic.line.unwrap_or(usize::MAX)));
    Checked {
        files: sources.len(),
        missions,
        weapons,
        manifests: documents.iter().map(Document::manifest).collect(),
        diagnostics: bounded(placed.into_iter().map(|(_, diagnostic)| diagnostic)),
        weapon_sources,
    }
}

/// How many problems of one rule a file reports before the rest are counted
/// instead: a list of a thousand bad items says what is wrong in the first
/// few, and a report a person can read stays short.
const MAX_REPEATED: usize = 20;

/// `diagnostics` with at most [`MAX_REPEATED`] per file, rule and severity,
/// and one line that counts the ones left out.
fn bounded(diagnostics: impl Iterator<Item = Diagnostic>) -> Vec<Diagnostic> {
    let mut seen: HashMap<(String, Rule, Severity), usize> = HashMap::new();
    let mut kept = Vec::new();
    for diagnostic in diagnostics {
        let key = (
            diagnostic.file.clone(),
            diagnostic.rule,
            diagnostic.severity,
        );
        let count = seen.entry(key).or_default();
        *count += 1;
        if *count <= MAX_REPEATED {
            kept.push(diagnostic.shortened());
        }
    }
    let mut left_out: Vec<_> = (seen.into_iter())
        .filter(|(_, count)| *count > MAX_REPEATED)
        .collect();
    left_out.sort();
    for ((file, rule, severity), count) in left_out {
        let after = (kept.iter())
            .rposition(|d| d.file == file && d.rule == rule && d.severity == severity)
            .map_or(kept.len(), |position| position + 1);
        let more = Diagnostic {
            severity,
            rule,
            file,
            line: None,
            object: None,
            path: None,
            message: format!(
                "{} more problems like the {MAX_REPEATED} above are not shown",
                count - MAX_REPEATED
            ),
            hint: Some("fix the ones shown and validate again".to_string()),
        };
        kept.insert(after, more);
    }
    kept
}

/// The rules a schema cannot say, on the typed mission, and where its weapons
/// were found. `schema_clean`: the schema walk found nothing, so a part that
/// still cannot be read is news.
fn rules(
    mission: &Mission,
    catalog: &Catalog,
    options: &CheckOptions,
    schema_clean: bool,
) -> (Vec<Finding>, Vec<Resolved>) {
    let mut findings = stages::check(&mission.spec);
    findings.extend(tasks::check(&mission.spec));
    findings.extend(limits::check(&mission.spec));
    let (weapon_findings, sources) = weapons::check(mission, catalog, &options.namespace);
    findings.extend(weapon_findings);
    findings.extend(pod_template::check(
        &mission.spec,
        options.pod_security,
        schema_clean,
    ));
    (findings, sources)
}

/// How a reference that no known weapon matches is reported.
fn unresolved(documents: &[Document], options: &CheckOptions) -> Unresolved {
    let files_have_weapons = documents.iter().any(|d| d.kind == Kind::Weapon);
    if options.cluster_weapons.is_some() {
        Unresolved::Error("in the cluster or the weapon files given".to_string())
    } else if options.offline && files_have_weapons {
        Unresolved::Error("among the weapon files given (--offline)".to_string())
    } else if options.offline {
        Unresolved::Unchecked("--offline was given and no weapon files".to_string())
    } else {
        let why = options
            .cluster_error
            .as_deref()
            .unwrap_or("no cluster was consulted");
        Unresolved::Unchecked(format!("it is not among the weapon files given, and {why}"))
    }
}

/// The schema walk and the envelope checks, then the typed object, which later
/// rules need. Deserializing follows the kept value (unknown fields dropped), so
/// a stray field does not hide the other problems.
fn typed<T: DeserializeOwned>(
    document: &Document,
    schema: &JSONSchemaProps,
) -> (Vec<Finding>, Option<T>) {
    let walked = schema::walk(schema, &document.value, &FieldPath::root());
    let mut findings = envelope::check(document);
    let schema_clean = walked.findings.is_empty();
    findings.extend(walked.findings);
    match serde_path_to_error::deserialize(walked.value) {
        Ok(object) => (findings, Some(object)),
        Err(error) => {
            // With schema findings this failure is their consequence; without,
            // the schema and the types disagree, and the user still needs to know.
            if schema_clean {
                let path = FieldPath::from_serde(error.path());
                let message = format!(
                    "cannot read this {}: {}",
                    document.kind.as_str(),
                    error.inner()
                );
                findings.push(Finding::error(Rule::Deserialize, path, message));
            }
            (findings, None)
        }
    }
}

/// Places a document's findings, dropping a schema finding where a semantic
/// rule says something about the same field: one problem, said precisely once.
fn place(document: &Document, findings: Vec<Finding>) -> Vec<(usize, Diagnostic)> {
    let semantic: Vec<FieldPath> = findings
        .iter()
        .filter(|finding| !finding.rule.is_schema())
        .map(|finding| finding.path.clone())
        .collect();
    findings
        .into_iter()
        .filter(|finding| !finding.rule.is_schema() || !semantic.contains(&finding.path))
        .map(|finding| (document.file_index, document.diagnostic(finding)))
        .collect()
}

/// The same object twice: submitting would apply one over the other.
fn duplicate_objects(documents: &[Document], namespace: &str) -> Vec<(usize, Diagnostic)> {
    let mut seen: HashMap<(Kind, &str, &str), &Document> = HashMap::new();
    let mut found = Vec::new();
    for document in documents {
        let Some(name) = document.name.as_deref() else {
            continue;
        };
        let key = (
            document.kind,
            document.namespace.as_deref().unwrap_or(namespace),
            name,
        );
        let Some(earlier) = seen.get(&key) else {
            seen.insert(key, document);
            continue;
        };
        let line = earlier.lines.line(&FieldPath::root());
        let at = line.map_or(String::new(), |line| format!(":{line}"));
        let message = format!(
            "{} is defined again (first in {}{at})",
            document.object(),
            earlier.file
        );
        let path = FieldPath::root().key("metadata").key("name");
        let finding = Finding::error(Rule::DuplicateObject, path, message)
            .hint("each object may appear once: remove one or rename it");
        found.push((document.file_index, document.diagnostic(finding)));
    }
    found
}
