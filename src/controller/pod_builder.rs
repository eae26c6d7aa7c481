//! The pod of one attempt of a flight task: the task's pod template (a
//! busybox task container when it has none), its weapons as sidecars (see
//! [`super::weapon_sidecars`]), its aircraft requirement as scheduling constraints
//! (see [`crate::placement`]), and the labels and owner reference that tie it to
//! the task. Pure: the reconciler resolves the weapons and creates the pod.
//!
//! Weapons are native sidecars (init containers with `restartPolicy: Always`): a
//! long-running weapon service must never keep a finished task pod alive, the
//! sidecar problem Argo Workflows and Tekton ran into.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, EnvVar, Pod, PodSpec, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::ResourceExt;
use serde_json::Value;

use super::names;
use super::pod_parts::{BuildError, HELPER_IMAGE, env_var, merge_env};
use super::pool_plan::Borrowed;
use super::weapon_sidecars;
use crate::api::keys::{
    ATTEMPT_ANNOTATION, MISSION_LABEL, REPLICA_INDEX_LABEL, RETRIES_SPENT_ANNOTATION, STAGE_LABEL,
    TASK_LABEL,
};
use crate::api::{FlightTask, Weapon};
use crate::placement::{SchedulerChoice, placement};
use crate::pod_security;
use crate::pod_template;

/// The default task container's name.
pub const TASK_CONTAINER: &str = "task";

const DEFAULT_SCRIPT: &str =
    r#"echo "flight task $TASK_NAME (role ${ROLE:-none}) of mission ${MISSION:-none}"; sleep 5"#;

/// What the operator decides for every task pod, whatever the task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodSettings {
    /// Which scheduler task pods ask for.
    pub scheduler: SchedulerChoice,
    /// The operator's own image: the sidecar of a weapon that names no image
    /// runs it as the simulated weapon.
    pub simulator_image: String,
    /// Where a weapon reference that names no namespace is looked for after
    /// the task's own (see [`crate::api::armoury`]); `None` for nowhere.
    pub armoury: Option<String>,
}

/// Which pod of a task to build: the attempt number (from 1) and the retries
/// spent before it (0 for the first attempt; a pod lost to a disruption is
/// replaced without spending one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    pub number: u32,
    pub retry: u32,
}

/// The pod for `attempt` of `task`. `weapons` are the Weapons its loadout names,
/// resolved by the reconciler (any order; extra ones are ignored); `loans`
/// the pool instances lent to the task, one for each of those weapons that
/// keeps a pool; `avoid` names the nodes the pod must keep off (see
/// [`super::task_plan`]).
pub fn build(
    task: &FlightTask,
    weapons: &[Weapon],
    loans: &[Borrowed],
    attempt: Attempt,
    avoid: &[String],
    settings: &PodSettings,
) -> Result<Pod, BuildError> {
    let name = task.metadata.name.as_deref().ok_or(BuildError::NotStored)?;
    let owner = names::owner_reference(task).ok_or(BuildError::NotStored)?;
    let template = &task.spec.template;
    let armaments = weapon_sidecars::arm(task, weapons, settings.armoury.as_deref())?;
    let (template_meta, mut spec) = parse_template(template.pod_template.as_ref())?;
    let aircraft_type = template.aircraft_requirement.aircraft_type.as_deref();

    let (pooled, carried): (Vec<_>, Vec<_>) =
        (armaments.iter().cloned()).partition(|armament| armament.weapon.spec.pool.is_some());
    let mut env = task_env(task, name);
    for armament in &pooled {
        env.extend(borrowed_env(&armament.weapon.name_any(), loans)?);
    }
    for container in &mut spec.containers {
        let own = container.env.take().unwrap_or_default();
        container.env = Some(merge_env(own, env.clone()));
    }
    weapon_sidecars::install(
        &mut spec,
        &carried,
        aircraft_type,
        &settings.simulator_image,
    );
    // The controller retries with backoff and a taint on the failed node; a
    // kubelet restarting the container in place would do neither.
    spec.restart_policy = Some("Never".to_string());
    let weapon_names: Vec<String> = armaments.iter().map(|a| a.weapon.name_any()).collect();
    let weapon_names: Vec<&str> = weapon_names.iter().map(String::as_str).collect();
    let placement = placement(
        &template.aircraft_requirement,
        &weapon_names,
        avoid,
        settings.scheduler,
    );
    placement.apply_to(&mut spec);
    // The mission's priority decides which pods are placed first when
    // aircraft are scarce, whatever class the template names.
    let priority = task.spec.priority.unwrap_or_default();
    spec.priority_class_name = Some(priority.class_name().to_string());

    let mut labels = template_meta.labels.unwrap_or_default();
    labels.extend(identity_labels(task, name));
    if let Some(replica) = task.spec.replica {
        labels.insert(REPLICA_INDEX_LABEL.into(), replica.index.to_string());
    }
    let mut annotations = template_meta.annotations.unwrap_or_default();
    annotations.extend(placement.annotations);
    annotations.insert(ATTEMPT_ANNOTATION.into(), attempt.number.to_string());
    annotations.insert(RETRIES_SPENT_ANNOTATION.into(), attempt.retry.to_string());
    Ok(Pod {
        metadata: ObjectMeta {
            name: Some(names::pod(name, attempt.number)),
            namespace: task.metadata.namespace.clone(),
            labels: Some(labels),
            annotations: Some(annotations),
            owner_references: Some(vec![owner]),
            ..ObjectMeta::default()
        },
        spec: Some(spec),
        status: None,
    })
}

/// The template's metadata and spec, typed, with the default task container when
/// it lists none. Only labels and annotations of its metadata are used: name,
/// owner and finalizers are the controller's to set.
fn parse_template(template: Option<&Value>) -> Result<(ObjectMeta, PodSpec), BuildError> {
    let Some(value) = template else {
        return Ok((ObjectMeta::default(), default_spec()));
    };
    let typed: PodTemplateSpec =
        serde_path_to_error::deserialize(value).map_err(|error| BuildError::InvalidTemplate {
            path: field_path(&error.path().to_string()),
            message: error.inner().to_string(),
        })?;
    // The rules `mission validate` reports by; the first break refuses the
    // template.
    if let Some(problem) = pod_template::problems(value, &typed).into_iter().next() {
        return Err(invalid(
            &format!(".{}", problem.path),
            &problem.kind.to_string(),
        ));
    }
    let metadata = typed.metadata.unwrap_or_default();
    let mut spec = typed.spec.unwrap_or_default();
    // Containers left out get the default one (an explicit empty list is
    // refused above).
    if spec.containers.is_empty() {
        spec.containers = default_spec().containers;
    }
    Ok((metadata, spec))
}

fn field_path(serde_path: &str) -> String {
    match serde_path {
        "." => String::new(),
        path => format!(".{path}"),
    }
}

fn invalid(path: &str, message: &str) -> BuildError {
    BuildError::InvalidTemplate {
        path: path.to_string(),
        message: message.to_string(),
    }
}

fn default_spec() -> PodSpec {
    PodSpec {
        containers: vec![Container {
            name: TASK_CONTAINER.to_string(),
            image: Some(HELPER_IMAGE.to_string()),
            command: Some(vec!["sh".into(), "-c".into(), DEFAULT_SCRIPT.into()]),
            security_context: Some(pod_security::restricted_context(true)),
            ..Container::default()
        }],
        ..PodSpec::default()
    }
}

/// The labels that find a task's pods: the task's own mission, stage and task
/// labels; a standalone task is labelled with its name when that fits a label.
pub fn identity_labels(task: &FlightTask, name: &str) -> BTreeMap<String, String> {
    let mut labels: BTreeMap<String, String> = [MISSION_LABEL, STAGE_LABEL, TASK_LABEL]
        .into_iter()
        .filter_map(|key| Some((key.to_string(), task.labels().get(key)?.clone())))
        .collect();
    if !labels.contains_key(TASK_LABEL) && name.len() <= 63 {
        labels.insert(TASK_LABEL.to_string(), name.to_string());
    }
    labels
}

/// What every task container is told: who it is, which replica when its task
/// has `replicas`, and its `taskParams`.
fn task_env(task: &FlightTask, name: &str) -> Vec<EnvVar> {
    let label = |key: &str| task.labels().get(key).cloned().unwrap_or_default();
    let template = &task.spec.template;
    let mut env = vec![
        env_var("TASK_NAME", name),
        env_var("MISSION", &label(MISSION_LABEL)),
        env_var("STAGE", &label(STAGE_LABEL)),
        env_var("ROLE", template.role.as_deref().unwrap_or_default()),
    ];
    if let Some(replica) = task.spec.replica {
        env.push(env_var("REPLICA_INDEX", &replica.index.to_string()));
        env.push(env_var("REPLICAS", &replica.count.to_string()));
    }
    env.extend(
        template
            .task_params
            .iter()
            .map(|(key, value)| env_var(&param_env_name(key), value)),
    );
    env
}

/// Where the task reaches the instance of `weapon` it borrowed:
/// `WEAPON_<NAME>_ADDRESS` (`ip:port` of the weapon protocol) and
/// `WEAPON_<NAME>_INSTANCE` (`namespace/pod`).
fn borrowed_env(weapon: &str, loans: &[Borrowed]) -> Result<[EnvVar; 2], BuildError> {
    let loan = (loans.iter())
        .find(|loan| loan.weapon == weapon)
        .ok_or_else(|| BuildError::WeaponNotLent {
            weapon: weapon.to_string(),
        })?;
    let prefix: String = (weapon.chars())
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    Ok([
        env_var(&format!("WEAPON_{prefix}_ADDRESS"), &loan.address),
        env_var(&format!("WEAPON_{prefix}_INSTANCE"), &loan.instance),
    ])
}

/// `TASK_PARAM_` and the key in upper snake case: `targetZone` and `target-zone`
/// both become `TASK_PARAM_TARGET_ZONE`.
pub fn param_env_name(key: &str) -> String {
    let mut snake = String::new();
    let mut previous: Option<char> = None;
    for c in key.chars() {
        if c.is_ascii_alphanumeric() {
            let word_starts = c.is_ascii_uppercase()
                && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
            if word_starts {
                snake.push('_');
            }
            snake.push(c.to_ascii_uppercase());
        } else if !snake.is_empty() && !snake.ends_with('_') {
            snake.push('_');
        }
        previous = Some(c);
    }
    format!("TASK_PARAM_{}", snake.trim_end_matches('_'))
}

#[cfg(test)]
mod tests;
