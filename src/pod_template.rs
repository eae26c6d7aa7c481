//! The rules a task's pod template must follow for the operator to build a pod
//! from it, in one place: `mission validate` reports every break with a hint,
//! and the flight-task controller refuses a template on the first, so a
//! template that validates is one the controller builds. (Pod Security is
//! apart, in [`crate::pod_security`]: the namespace decides which level
//! applies.)

use std::collections::HashMap;

use k8s_openapi::api::core::v1::{Container, PodTemplateSpec};
use serde_json::Value;

use crate::api::naming::is_dns_label;
use crate::quantity::{self, QuantityError};

/// The init container the flight-task controller adds to preload weapons.
pub const PRELOAD_CONTAINER: &str = "weapon-preload";
/// The prefix of the weapon sidecars the controller adds (`weapon-<name>`).
pub const SIDECAR_PREFIX: &str = "weapon-";

/// One break of the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Below the template, as `spec.containers[0].image`.
    pub path: String,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Kind {
    /// `containers: []`; leaving the list out gets the default task container.
    #[error("containers must not be empty")]
    NoContainers,
    #[error("every container needs a name")]
    NoName,
    #[error("container name `{0}` is reserved for the weapon containers the operator adds")]
    ReservedName(String),
    #[error("container name {0:?} is not valid")]
    InvalidName(String),
    /// `earlier` is the path of the container that has the name first.
    #[error("container name `{name}` is already used by {earlier}")]
    DuplicateName { name: String, earlier: String },
    #[error("{}", no_image(.0))]
    NoImage(String),
    /// A request or limit the API server would not read.
    #[error("{0}")]
    Quantity(QuantityError),
}

fn no_image(name: &str) -> String {
    match name {
        "" => "the container has no image".to_string(),
        name => format!("container `{name}` has no image"),
    }
}

/// Every break in `template`, which reads as `typed`, in the order of the
/// document.
pub fn problems(template: &Value, typed: &PodTemplateSpec) -> Vec<Problem> {
    let mut found = Vec::new();
    let containers = template.pointer("/spec/containers");
    if containers
        .and_then(Value::as_array)
        .is_some_and(Vec::is_empty)
    {
        found.push(Problem {
            path: "spec.containers".to_string(),
            kind: Kind::NoContainers,
        });
    }
    let Some(spec) = &typed.spec else {
        return found;
    };
    let lists = [
        ("containers", spec.containers.as_slice()),
        (
            "initContainers",
            spec.init_containers.as_deref().unwrap_or_default(),
        ),
    ];
    let mut names: HashMap<&str, String> = HashMap::new();
    for (field, list) in lists {
        for (index, container) in list.iter().enumerate() {
            let path = format!("spec.{field}[{index}]");
            found.extend(container_problems(&path, container));
            let name = container.name.as_str();
            if name.is_empty() {
                continue;
            }
            match names.get(name) {
                Some(earlier) => found.push(Problem {
                    path: format!("{path}.name"),
                    kind: Kind::DuplicateName {
                        name: name.to_string(),
                        earlier: earlier.clone(),
                    },
                }),
                None => {
                    names.insert(name, path);
                }
            }
        }
    }
    found
}

fn container_problems(path: &str, container: &Container) -> Vec<Problem> {
    let mut found = Vec::new();
    let name = container.name.as_str();
    let name_problem = if name.is_empty() {
        Some(Kind::NoName)
    } else if name == PRELOAD_CONTAINER || name.starts_with(SIDECAR_PREFIX) {
        Some(Kind::ReservedName(name.to_string()))
    } else if !is_dns_label(name) {
        Some(Kind::InvalidName(name.to_string()))
    } else {
        None
    };
    found.extend(name_problem.map(|kind| Problem {
        path: format!("{path}.name"),
        kind,
    }));
    if container.image.as_deref().is_none_or(str::is_empty) {
        found.push(Problem {
            path: format!("{path}.image"),
            kind: Kind::NoImage(name.to_string()),
        });
    }
    let Some(resources) = &container.resources else {
        return found;
    };
    for (field, list) in [
        ("requests", &resources.requests),
        ("limits", &resources.limits),
    ] {
        for (resource, amount) in list.iter().flatten() {
            match quantity::units(amount) {
                Err(error @ (QuantityError::Malformed(_) | QuantityError::Negative(_))) => {
                    found.push(Problem {
                        path: format!("{path}.resources.{field}.{resource}"),
                        kind: Kind::Quantity(error),
                    });
                }
                // The API server keeps quantities past what the scheduler
                // counts in whole units; they are not refused here.
                Ok(_) | Err(QuantityError::TooLarge(_)) => {}
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn found(template: Value) -> Vec<(String, Kind)> {
        let typed = serde_json::from_value(template.clone()).expect("a pod template");
        (problems(&template, &typed).into_iter())
            .map(|problem| (problem.path, problem.kind))
            .collect()
    }

    #[test]
    fn a_template_without_containers_gets_the_default_and_an_empty_list_is_refused() {
        assert_eq!(found(json!({"spec": {}})), []);
        assert_eq!(
            found(json!({"spec": {"containers": []}})),
            [("spec.containers".to_string(), Kind::NoContainers)]
        );
    }

    #[test]
    fn names_must_be_labels_unique_and_not_the_weapon_containers() {
        let template = json!({"spec": {
            "initContainers": [{"name": "weapon-pl15", "image": "x"}],
            "containers": [
                {"name": "task", "image": "x"},
                {"name": "Task", "image": "x"},
                {"name": "task", "image": "x"},
                {"image": "x"},
            ],
        }});
        assert_eq!(
            found(template),
            [
                (
                    "spec.containers[1].name".to_string(),
                    Kind::InvalidName("Task".into())
                ),
                (
                    "spec.containers[2].name".to_string(),
                    Kind::DuplicateName {
                        name: "task".into(),
                        earlier: "spec.containers[0]".into()
                    }
                ),
                ("spec.containers[3].name".to_string(), Kind::NoName),
                (
                    "spec.initContainers[0].name".to_string(),
                    Kind::ReservedName("weapon-pl15".into())
                ),
            ]
        );
    }

    #[test]
    fn a_container_needs_an_image_and_quantities_the_api_server_reads() {
        let template = json!({"spec": {"containers": [{"name": "task",
            "resources": {"requests": {"cpu": "12xx", "memory": "128Mi"}}}]}});
        let found = found(template);
        assert_eq!(found[0].0, "spec.containers[0].image");
        assert_eq!(found[0].1.to_string(), "container `task` has no image");
        assert_eq!(found[1].0, "spec.containers[0].resources.requests.cpu");
        assert!(matches!(found[1].1, Kind::Quantity(_)), "{found:?}");
        assert_eq!(found.len(), 2);
    }
}
