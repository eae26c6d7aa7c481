//! A task's pod template must be one the flight task controller can build a pod
//! from: a valid PodTemplateSpec that follows the rules of
//! [`crate::pod_template`], each break reported with a hint. What keeps it from a Pod Security
//! level is reported too: the containers the operator adds pass `restricted`,
//! the template's own are as the template writes them.

use k8s_openapi::api::core::v1::{PodSpec, PodTemplateSpec};
use serde_json::Value;

use super::diagnostic::{Finding, Rule};
use super::envelope::DNS_LABEL_HINT;
use super::path::FieldPath;
use super::tasks::task_path;
use crate::api::MissionSpec;
use crate::pod_security::{self, Level};
use crate::pod_template::{self, Kind};

/// `required`: the Pod Security level templates must pass (what breaks it is
/// an error, what breaks only a stricter level a warning); `None` makes every
/// break a warning. The mission's schema walk has already checked each
/// template against the pod template schema; `schema_clean` says it found
/// nothing, so a template that still cannot be read is reported here.
pub fn check(spec: &MissionSpec, required: Option<Level>, schema_clean: bool) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (stage_index, stage) in spec.stages.iter().enumerate() {
        for (task_index, task) in stage.flight_tasks.iter().enumerate() {
            if let Some(template) = &task.template.pod_template {
                let path = task_path(stage_index, task_index).key("podTemplate");
                findings.extend(check_template(template, &path, required, schema_clean));
            }
        }
    }
    findings
}

fn check_template(
    template: &Value,
    path: &FieldPath,
    required: Option<Level>,
    schema_clean: bool,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let typed: PodTemplateSpec = match serde_path_to_error::deserialize(template) {
        Ok(typed) => typed,
        Err(error) => {
            if schema_clean {
                let place = path.join(&FieldPath::from_serde(error.path()));
                let message = format!("not a valid pod template: {}", error.inner());
                findings.push(Finding::error(Rule::PodTemplate, place, message));
            }
            return findings;
        }
    };
    let spec_path = path.key("spec");
    for problem in pod_template::problems(template, &typed) {
        findings.push(finding(path, problem));
    }
    if let Some(spec) = &typed.spec {
        findings.extend(pod_security(spec, &spec_path, required));
    }
    findings
}

/// What in the template keeps its pods from a Pod Security level.
fn pod_security(spec: &PodSpec, spec_path: &FieldPath, required: Option<Level>) -> Vec<Finding> {
    (pod_security::violations(spec).into_iter())
        .filter(|_| required != Some(Level::Privileged))
        .map(|violation| {
            let path = spec_path.join(&FieldPath::parse(&violation.path));
            let level = violation.level.as_str();
            let message = format!("breaks Pod Security {level}: {}", violation.message);
            let hint = format!(
                "a namespace enforcing {level} (pod-security.kubernetes.io/enforce) refuses this pod; change the field, or check with --pod-security privileged if no namespace enforces it"
            );
            let finding = match required {
                Some(level) if violation.level <= level => Finding::error(Rule::PodSecurity, path, message),
                _ => Finding::warning(Rule::PodSecurity, path, message),
            };
            finding.hint(hint)
        })
        .collect()
}

/// A break of the template rules, placed below the template at `path`, with a
/// hint for the fix.
fn finding(path: &FieldPath, mut problem: pod_template::Problem) -> Finding {
    if let Kind::DuplicateName { earlier, .. } = &mut problem.kind {
        *earlier = path.join(&FieldPath::parse(earlier)).to_string();
    }
    let hint = match &problem.kind {
        Kind::NoContainers => {
            Some("list the task container, or leave containers out to get the default one")
        }
        Kind::NoName => None,
        Kind::ReservedName(_) => Some(
            "rename the container: weapons are declared in weaponLoadout, not in the pod template",
        ),
        Kind::InvalidName(_) => Some(DNS_LABEL_HINT),
        Kind::DuplicateName { .. } => {
            Some("container names must be unique within the pod: rename one of them")
        }
        Kind::NoImage(_) => Some("give an image, e.g. image: busybox:1.36"),
        Kind::Quantity(_) => {
            Some("write a quantity such as 250m or 0.5 for CPU and 128Mi or 1Gi for memory")
        }
    };
    let place = path.join(&FieldPath::parse(&problem.path));
    let finding = Finding::error(Rule::PodTemplate, place, problem.kind.to_string());
    match hint {
        Some(hint) => finding.hint(hint),
        None => finding,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::validate::diagnostic::Severity;

    /// What the template checks find, Pod Security aside.
    fn found(template: Value) -> Vec<(String, Rule)> {
        let path = FieldPath::root().key("podTemplate");
        check_template(&template, &path, Some(Level::Privileged), true)
            .into_iter()
            .map(|f| (f.path.to_string(), f.rule))
            .collect()
    }

    fn pod_security(template: &Value, required: Option<Level>) -> Vec<(String, Severity)> {
        check_template(
            template,
            &FieldPath::root().key("podTemplate"),
            required,
            true,
        )
        .into_iter()
        .filter(|f| f.rule == Rule::PodSecurity)
        .map(|f| (f.path.to_string(), f.severity))
        .collect()
    }

    #[test]
    fn requests_and_limits_must_be_quantities() {
        let template = json!({"spec": {"containers": [{"name": "task", "image": "busybox",
            "resources": {"requests": {"cpu": "12xx", "memory": "128Mi"},
                          "limits": {"cpu": "-1", "memory": "1e3"}}}]}});
        let resources = "podTemplate.spec.containers[0].resources";
        assert_eq!(
            found(template),
            [
                (format!("{resources}.requests.cpu"), Rule::PodTemplate),
                (format!("{resources}.limits.cpu"), Rule::PodTemplate),
            ]
        );
    }

    #[test]
    fn pod_security_breaks_are_warnings_unless_a_level_is_required() {
        let template = json!({"spec": {"containers": [{"name": "task", "image": "busybox",
            "securityContext": {"privileged": true}}]}});
        let privileged = "podTemplate.spec.containers[0].securityContext.privileged".to_string();
        let by_default = pod_security(&template, None);
        assert_eq!(by_default.len(), 5);
        assert!(by_default.iter().all(|(_, s)| *s == Severity::Warning));
        let baseline = pod_security(&template, Some(Level::Baseline));
        assert!(baseline.contains(&(privileged.clone(), Severity::Error)));
        assert_eq!(
            baseline
                .iter()
                .filter(|(_, s)| *s == Severity::Error)
                .count(),
            1,
            "only the baseline break is an error: {baseline:?}"
        );
        let restricted = pod_security(&template, Some(Level::Restricted));
        assert!(restricted.iter().all(|(_, s)| *s == Severity::Error));
        assert!(pod_security(&template, Some(Level::Privileged)).is_empty());
        let defaults_only = json!({"metadata": {"annotations": {"a": "b"}}});
        assert!(pod_security(&defaults_only, Some(Level::Restricted)).is_empty());
    }

    #[test]
    fn a_plain_template_is_valid() {
        let template = json!({"metadata": {"labels": {"app": "strike"}},
            "spec": {"containers": [{"name": "task", "image": "busybox:1.36",
                "resources": {"requests": {"cpu": "100m", "memory": 64}}}]}});
        assert_eq!(found(template), []);
    }

    #[test]
    fn a_template_without_containers_gets_the_default_one() {
        assert_eq!(
            found(json!({"spec": {"nodeSelector": {"zone": "east"}}})),
            []
        );
    }

    #[test]
    fn containers_need_unique_unreserved_names_and_images() {
        let template = json!({"spec": {
            "containers": [{"name": "task", "image": "busybox"}, {"name": "weapon-pl15", "image": "x"}, {"name": "task"}],
            "initContainers": [{"name": "", "image": "busybox"}],
        }});
        assert_eq!(
            found(template),
            [
                (
                    "podTemplate.spec.containers[1].name".to_string(),
                    Rule::PodTemplate
                ),
                (
                    "podTemplate.spec.containers[2].image".to_string(),
                    Rule::PodTemplate
                ),
                (
                    "podTemplate.spec.containers[2].name".to_string(),
                    Rule::PodTemplate
                ),
                (
                    "podTemplate.spec.initContainers[0].name".to_string(),
                    Rule::PodTemplate
                ),
            ]
        );
    }

    #[test]
    fn an_empty_container_list_is_refused() {
        let found = found(json!({"spec": {"containers": []}}));
        assert_eq!(
            found,
            [("podTemplate.spec.containers".to_string(), Rule::PodTemplate)]
        );
    }
}
