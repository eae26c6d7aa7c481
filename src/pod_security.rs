//! The Kubernetes Pod Security Standards, as far as a task pod meets them:
//! the security context every container the operator injects carries, so its
//! pods pass `restricted` whenever the template does, and the checks that say
//! which field of a template breaks which level, for `mission validate`.

use k8s_openapi::api::core::v1::{
    Capabilities, Container, PodSecurityContext, PodSpec, SeccompProfile, SecurityContext,
};

/// A Pod Security level, least strict first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Level {
    /// Anything goes.
    Privileged,
    /// No known privilege escalation: no host namespaces, privileged
    /// containers, host paths or ports, added capabilities beyond the defaults.
    Baseline,
    /// Hardened: also non-root, no privilege escalation, every capability
    /// dropped, a seccomp profile, and only ordinary volume types.
    Restricted,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Privileged => "privileged",
            Self::Baseline => "baseline",
            Self::Restricted => "restricted",
        }
    }
}

/// The user id injected containers run as: `nobody`, which every image has.
pub const NON_ROOT_USER: i64 = 65534;

/// The security context of a container the operator injects (the weapon
/// preload, the weapon sidecars, the default task container): it passes
/// `restricted`. `read_only_root` for containers known to write only to
/// their volumes.
pub fn restricted_context(read_only_root: bool) -> SecurityContext {
    SecurityContext {
        allow_privilege_escalation: Some(false),
        capabilities: Some(Capabilities {
            drop: Some(vec!["ALL".to_string()]),
            add: None,
        }),
        run_as_non_root: Some(true),
        run_as_user: Some(NON_ROOT_USER),
        run_as_group: Some(NON_ROOT_USER),
        read_only_root_filesystem: read_only_root.then_some(true),
        seccomp_profile: Some(SeccompProfile {
            type_: "RuntimeDefault".to_string(),
            localhost_profile: None,
        }),
        ..SecurityContext::default()
    }
}

/// The pod-level security context of a pod the operator makes on its own
/// (the weapon preload, the instances of a weapon pool): non-root and the
/// runtime's default seccomp profile, as `restricted` asks.
pub fn restricted_pod_context() -> PodSecurityContext {
    PodSecurityContext {
        run_as_non_root: Some(true),
        seccomp_profile: Some(SeccompProfile {
            type_: "RuntimeDefault".to_string(),
            localhost_profile: None,
        }),
        ..PodSecurityContext::default()
    }
}

/// One field that keeps a pod out of a level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The lowest level it breaks.
    pub level: Level,
    /// Below the pod spec: `containers[0].securityContext.privileged`.
    pub path: String,
    pub message: String,
}

/// Capabilities `baseline` lets a container add.
const BASELINE_CAPABILITIES: [&str; 13] = [
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// Sysctls `baseline` allows: the namespaced, safe ones.
const SAFE_SYSCTLS: [&str; 10] = [
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
];

/// Volume types `restricted` allows (image volumes since Kubernetes 1.33).
const RESTRICTED_VOLUMES: [&str; 9] = [
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

/// Everything in `spec` that breaks `baseline` or `restricted`.
pub fn violations(spec: &PodSpec) -> Vec<Violation> {
    let mut found = Vec::new();
    let mut at = |level, path: String, message: &str| {
        found.push(Violation {
            level,
            path,
            message: message.to_string(),
        })
    };
    for (field, set) in [
        ("hostNetwork", spec.host_network),
        ("hostPID", spec.host_pid),
        ("hostIPC", spec.host_ipc),
    ] {
        if set == Some(true) {
            at(
                Level::Baseline,
                field.to_string(),
                "host namespaces are not allowed",
            );
        }
    }
    let pod = spec.security_context.as_ref();
    for (index, sysctl) in pod
        .and_then(|p| p.sysctls.as_ref())
        .into_iter()
        .flatten()
        .enumerate()
    {
        if !SAFE_SYSCTLS.contains(&sysctl.name.as_str()) {
            let path = format!("securityContext.sysctls[{index}].name");
            at(
                Level::Baseline,
                path,
                "only the safe, namespaced sysctls are allowed",
            );
        }
    }
    let pod_seccomp = pod
        .and_then(|p| p.seccomp_profile.as_ref())
        .map(|s| s.type_.as_str());
    if pod_seccomp == Some("Unconfined") {
        let path = "securityContext.seccompProfile.type".to_string();
        at(Level::Baseline, path, "seccomp must not be Unconfined");
    }
    if pod.and_then(|p| p.run_as_user) == Some(0) {
        let path = "securityContext.runAsUser".to_string();
        at(Level::Restricted, path, "must not run as root (0)");
    }
    for (index, volume) in spec.volumes.iter().flatten().enumerate() {
        let value = serde_json::to_value(volume).unwrap_or_default();
        let kind = (value.as_object().into_iter().flatten())
            .map(|(key, _)| key.as_str())
            .find(|key| *key != "name")
            .unwrap_or_default()
            .to_string();
        let path = format!("volumes[{index}].{kind}");
        if kind == "hostPath" {
            at(Level::Baseline, path, "hostPath volumes are not allowed");
        } else if !RESTRICTED_VOLUMES.contains(&kind.as_str()) {
            at(
                Level::Restricted,
                path,
                "only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes are allowed",
            );
        }
    }
    let non_root = pod.and_then(|p| p.run_as_non_root) == Some(true);
    let seccomp = matches!(pod_seccomp, Some("RuntimeDefault" | "Localhost"));
    let lists = [
        ("containers", spec.containers.as_slice()),
        (
            "initContainers",
            spec.init_containers.as_deref().unwrap_or_default(),
        ),
    ];
    for (field, containers) in lists {
        for (index, container) in containers.iter().enumerate() {
            let base = format!("{field}[{index}]");
            found.extend(container_violations(container, &base, non_root, seccomp));
        }
    }
    found
}

/// What one container breaks, given whether the pod itself runs as non-root
/// and sets a seccomp profile.
fn container_violations(
    container: &Container,
    base: &str,
    pod_non_root: bool,
    pod_seccomp: bool,
) -> Vec<Violation> {
    let mut found = Vec::new();
    let mut at = |level, field: &str, message: String| {
        found.push(Violation {
            level,
            path: format!("{base}.{field}"),
            message,
        })
    };
    for (index, port) in container.ports.iter().flatten().enumerate() {
        if port.host_port.is_some_and(|p| p != 0) {
            at(
                Level::Baseline,
                &format!("ports[{index}].hostPort"),
                "host ports are not allowed".into(),
            );
        }
    }
    let context = container.security_context.clone().unwrap_or_default();
    if context.privileged == Some(true) {
        at(
            Level::Baseline,
            "securityContext.privileged",
            "privileged containers are not allowed".into(),
        );
    }
    if context
        .proc_mount
        .as_deref()
        .is_some_and(|m| m != "Default")
    {
        at(
            Level::Baseline,
            "securityContext.procMount",
            "only the Default /proc mount is allowed".into(),
        );
    }
    let seccomp = context.seccomp_profile.as_ref().map(|s| s.type_.as_str());
    if seccomp == Some("Unconfined") {
        at(
            Level::Baseline,
            "securityContext.seccompProfile.type",
            "seccomp must not be Unconfined".into(),
        );
    }
    let added: Vec<String> = (context.capabilities.as_ref())
        .and_then(|c| c.add.clone())
        .unwrap_or_default();
    for (index, capability) in added.iter().enumerate() {
        let field = format!("securityContext.capabilities.add[{index}]");
        if !BASELINE_CAPABILITIES.contains(&capability.as_str()) {
            at(
                Level::Baseline,
                &field,
                format!("adding {capability} is not allowed"),
            );
        } else if capability != "NET_BIND_SERVICE" {
            at(
                Level::Restricted,
                &field,
                format!("adding {capability} is not allowed; only NET_BIND_SERVICE is"),
            );
        }
    }
    if context.allow_privilege_escalation != Some(false) {
        at(
            Level::Restricted,
            "securityContext.allowPrivilegeEscalation",
            "must be false".into(),
        );
    }
    let drops_all = (context.capabilities.as_ref())
        .and_then(|c| c.drop.as_ref())
        .is_some_and(|drop| drop.iter().any(|c| c == "ALL"));
    if !drops_all {
        at(
            Level::Restricted,
            "securityContext.capabilities.drop",
            "must include ALL".into(),
        );
    }
    let non_root = context.run_as_non_root.unwrap_or(pod_non_root);
    if !non_root {
        at(
            Level::Restricted,
            "securityContext.runAsNonRoot",
            "must be true, here or in the pod's securityContext".into(),
        );
    }
    if context.run_as_user == Some(0) {
        at(
            Level::Restricted,
            "securityContext.runAsUser",
            "must not run as root (0)".into(),
        );
    }
    let confined = match seccomp {
        Some(kind) => matches!(kind, "RuntimeDefault" | "Localhost"),
        None => pod_seccomp,
    };
    if !confined {
        at(
            Level::Restricted,
            "securityContext.seccompProfile.type",
            "must be RuntimeDefault or Localhost, here or in the pod's securityContext".into(),
        );
    }
    found
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn spec(value: serde_json::Value) -> PodSpec {
        serde_json::from_value(value).expect("a pod spec")
    }

    fn paths(spec: &PodSpec, level: Level) -> Vec<String> {
        violations(spec)
            .into_iter()
            .filter(|v| v.level == level)
            .map(|v| v.path)
            .collect()
    }

    #[test]
    fn an_injected_container_passes_restricted() {
        let container = Container {
            name: "task".into(),
            image: Some("busybox".into()),
            security_context: Some(restricted_context(true)),
            ..Container::default()
        };
        let pod = PodSpec {
            containers: vec![container],
            ..PodSpec::default()
        };
        assert_eq!(violations(&pod), []);
    }

    #[test]
    fn a_plain_container_breaks_only_restricted_and_says_where() {
        let pod = spec(json!({ "containers": [{ "name": "t", "image": "busybox" }] }));
        assert!(paths(&pod, Level::Baseline).is_empty());
        assert_eq!(
            paths(&pod, Level::Restricted),
            [
                "containers[0].securityContext.allowPrivilegeEscalation",
                "containers[0].securityContext.capabilities.drop",
                "containers[0].securityContext.runAsNonRoot",
                "containers[0].securityContext.seccompProfile.type",
            ]
        );
    }

    #[test]
    fn the_pods_own_settings_count_for_every_container() {
        let pod = spec(json!({
            "securityContext": { "runAsNonRoot": true, "seccompProfile": { "type": "RuntimeDefault" } },
            "containers": [{ "name": "t", "image": "busybox", "securityContext": {
                "allowPrivilegeEscalation": false, "capabilities": { "drop": ["ALL"], "add": ["NET_BIND_SERVICE"] } } }],
        }));
        assert_eq!(violations(&pod), []);
    }

    #[test]
    fn privileged_host_and_capability_fields_break_baseline() {
        let pod = spec(json!({
            "hostNetwork": true,
            "volumes": [{ "name": "root", "hostPath": { "path": "/" } }, { "name": "n", "nfs": { "server": "s", "path": "/" } }],
            "containers": [{ "name": "t", "image": "busybox",
                "ports": [{ "containerPort": 80, "hostPort": 80 }],
                "securityContext": { "privileged": true, "capabilities": { "add": ["SYS_ADMIN", "CHOWN"] } } }],
        }));
        assert_eq!(
            paths(&pod, Level::Baseline),
            [
                "hostNetwork",
                "volumes[0].hostPath",
                "containers[0].ports[0].hostPort",
                "containers[0].securityContext.privileged",
                "containers[0].securityContext.capabilities.add[0]",
            ]
        );
        let restricted = paths(&pod, Level::Restricted);
        assert!(
            restricted.contains(&"volumes[1].nfs".to_string()),
            "{restricted:?}"
        );
        assert!(
            restricted.contains(&"containers[0].securityContext.capabilities.add[1]".to_string())
        );
    }
}
