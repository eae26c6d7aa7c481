//! What can go wrong while installing or removing the operator, each error
//! saying what to do next.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    #[error("cannot apply {object}{hint}", hint = hint(.source))]
    Apply {
        object: String,
        #[source]
        source: kube::Error,
    },
    #[error("cannot read {object}{hint}", hint = hint(.source))]
    Read {
        object: String,
        #[source]
        source: kube::Error,
    },
    #[error("cannot delete {object}{hint}", hint = hint(.source))]
    Delete {
        object: String,
        #[source]
        source: kube::Error,
    },
    #[error("cannot list missions to see whether any would be deleted{hint}", hint = hint(.source))]
    ListMissions {
        #[source]
        source: kube::Error,
    },
    #[error(
        "CustomResourceDefinition {name} is not Established after {timeout:?}: \
         see its conditions with `kubectl describe crd {name}`, or retry with a longer --timeout"
    )]
    NotEstablished { name: String, timeout: Duration },
    #[error("cannot watch CustomResourceDefinition {name} while waiting for it to be Established")]
    WaitEstablished {
        name: String,
        #[source]
        source: kube::runtime::wait::Error,
    },
    #[error(
        "{object} still exists after {timeout:?}: objects with finalizers may be waiting for \
         the operator (check `kubectl get airforce -A` and that the operator runs), or retry \
         with a longer --timeout"
    )]
    NotDeleted { object: String, timeout: Duration },
    #[error(
        "the cluster still has {0}: removing the CRDs deletes every mission and everything \
         it owns; delete them first (`kubectl delete missions --all -A`) or pass --force"
    )]
    MissionsExist(MissionCount),
    #[error("cannot render the manifests as {format}")]
    Render {
        format: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// A next step for the API errors people actually meet.
fn hint(error: &kube::Error) -> &'static str {
    match error {
        kube::Error::Api(status) if status.code == 403 || status.is_forbidden() => {
            ": your user is not allowed to (installing needs cluster-admin rights; \
             check with `kubectl auth can-i create customresourcedefinitions`)"
        }
        kube::Error::Api(_) => "",
        _ => ": is the cluster reachable? check --kubeconfig and --context",
    }
}

/// Missions in the cluster, by namespace.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MissionCount {
    pub by_namespace: BTreeMap<String, usize>,
}

impl MissionCount {
    pub fn total(&self) -> usize {
        self.by_namespace.values().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.total() == 0
    }
}

impl fmt::Display for MissionCount {
    /// "3 missions (2 in alpha, 1 in bravo)".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.total();
        let noun = if total == 1 { "mission" } else { "missions" };
        let places: Vec<String> = self
            .by_namespace
            .iter()
            .map(|(namespace, count)| format!("{count} in {namespace}"))
            .collect();
        write!(f, "{total} {noun} ({})", places.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forbidden_apply_says_which_rights_are_missing() {
        let status = kube::core::Status {
            code: 403,
            reason: "Forbidden".into(),
            message: "forbidden".into(),
            ..Default::default()
        };
        let error = InstallError::Apply {
            object: "namespace/airforce-system".into(),
            source: kube::Error::Api(Box::new(status)),
        };
        let text = error.to_string();
        assert!(text.starts_with("cannot apply namespace/airforce-system: your user"));
        assert!(text.contains("cluster-admin"));
    }
}
