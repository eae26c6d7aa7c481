//! TaintToleration: a node's NoSchedule and NoExecute taints keep off every
//! pod that does not tolerate them (kube-scheduler's rules); PreferNoSchedule
//! taints are scored by [`super::TaintPreference`] instead.

use k8s_openapi::api::core::v1::Toleration;

use super::{Filter, Unfit};
use crate::scheduler::config::SchedulerConfig;
use crate::scheduler::node_info::NodeInfo;
use crate::scheduler::pod_request::PodRequest;

/// Refuses a node with a taint the pod does not tolerate.
pub struct TaintToleration;

impl Filter for TaintToleration {
    fn name(&self) -> &'static str {
        "TaintToleration"
    }

    fn filter(&self, pod: &PodRequest, node: &NodeInfo, _: &SchedulerConfig) -> Result<(), Unfit> {
        // PreferNoSchedule only discourages, so it never filters.
        let untolerated = node.taints.iter().find(|taint| {
            matches!(taint.effect.as_str(), "NoSchedule" | "NoExecute")
                && !tolerates(
                    &pod.tolerations,
                    &taint.key,
                    taint.value.as_deref().unwrap_or_default(),
                    &taint.effect,
                )
        });
        match untolerated {
            None => Ok(()),
            Some(taint) => {
                let value = taint
                    .value
                    .as_deref()
                    .map(|v| format!("={v}"))
                    .unwrap_or_default();
                Err(Unfit::new(
                    format!(
                        "taint {}{value}:{} is not tolerated",
                        taint.key, taint.effect
                    ),
                    format!("untolerated taint {}", taint.key),
                ))
            }
        }
    }
}

/// Whether any of `tolerations` tolerates the taint `key=value:effect`: an
/// empty effect matches every effect, an empty key (with `Exists`) every key,
/// `Exists` any value and `Equal` (the default) only the same value.
pub fn tolerates(tolerations: &[Toleration], key: &str, value: &str, effect: &str) -> bool {
    tolerations.iter().any(|toleration| {
        let effect_matches =
            (toleration.effect.as_deref()).is_none_or(|e| e.is_empty() || e == effect);
        let own_key = toleration.key.as_deref().unwrap_or_default();
        let key_matches = own_key.is_empty() || own_key == key;
        let value_matches = match toleration.operator.as_deref().unwrap_or_default() {
            "Exists" => true,
            "" | "Equal" => toleration.value.as_deref().unwrap_or_default() == value,
            _ => false,
        };
        effect_matches && key_matches && value_matches
    })
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::Taint;

    use super::*;
    use crate::scheduler::fixtures::{defaults, j20, plain_pod};

    fn taint(key: &str, value: Option<&str>, effect: &str) -> Taint {
        Taint {
            key: key.into(),
            value: value.map(String::from),
            effect: effect.into(),
            time_added: None,
        }
    }

    fn toleration(
        key: Option<&str>,
        operator: Option<&str>,
        value: Option<&str>,
        effect: Option<&str>,
    ) -> Toleration {
        Toleration {
            key: key.map(String::from),
            operator: operator.map(String::from),
            value: value.map(String::from),
            effect: effect.map(String::from),
            toleration_seconds: None,
        }
    }

    fn check(taints: Vec<Taint>, tolerations: Vec<Toleration>) -> Result<(), Unfit> {
        let mut node = j20();
        node.spec.as_mut().expect("a spec").taints = Some(taints);
        let mut pod = PodRequest::from_pod(&plain_pod("web", &[]));
        pod.tolerations = tolerations;
        TaintToleration.filter(&pod, &NodeInfo::new(&node, []), &defaults())
    }

    #[test]
    fn an_untolerated_no_schedule_taint_refuses_the_node() {
        let unfit = check(
            vec![taint("dedicated", Some("strike-1"), "NoSchedule")],
            vec![],
        )
        .expect_err("tainted");
        assert_eq!(
            unfit,
            Unfit::new(
                "taint dedicated=strike-1:NoSchedule is not tolerated",
                "untolerated taint dedicated"
            )
        );
        let unfit =
            check(vec![taint("maintenance", None, "NoExecute")], vec![]).expect_err("tainted");
        assert_eq!(unfit.reason, "taint maintenance:NoExecute is not tolerated");
    }

    #[test]
    fn prefer_no_schedule_never_filters() {
        assert_eq!(
            check(vec![taint("soon", None, "PreferNoSchedule")], vec![]),
            Ok(())
        );
        assert_eq!(check(vec![], vec![]), Ok(()));
    }

    #[test]
    fn the_toleration_matrix_follows_kube_scheduler() {
        let failed = || vec![taint("dedicated", Some("strike-1"), "NoSchedule")];
        let tolerated = [
            toleration(Some("dedicated"), Some("Exists"), None, None),
            toleration(Some("dedicated"), Some("Exists"), None, Some("NoSchedule")),
            toleration(Some("dedicated"), Some("Equal"), Some("strike-1"), None),
            toleration(
                Some("dedicated"),
                None,
                Some("strike-1"),
                Some("NoSchedule"),
            ),
            toleration(None, Some("Exists"), None, None),
            toleration(Some(""), Some("Exists"), None, Some("")),
        ];
        for t in tolerated {
            assert_eq!(check(failed(), vec![t.clone()]), Ok(()), "{t:?} tolerates");
        }
        let not_tolerated = [
            toleration(Some("dedicated"), Some("Equal"), Some("strike-2"), None),
            toleration(Some("dedicated"), None, None, None),
            toleration(Some("dedicated"), Some("Exists"), None, Some("NoExecute")),
            toleration(Some("other"), Some("Exists"), None, None),
            toleration(None, Some("Exists"), None, Some("PreferNoSchedule")),
            toleration(Some("dedicated"), Some("Gt"), Some("1"), None),
        ];
        for t in not_tolerated {
            assert!(
                check(failed(), vec![t.clone()]).is_err(),
                "{t:?} does not tolerate"
            );
        }
    }

    #[test]
    fn every_taint_must_be_tolerated() {
        let taints = || {
            vec![
                taint("a", None, "NoSchedule"),
                taint("b", Some("x"), "NoExecute"),
            ]
        };
        let only_a = vec![toleration(Some("a"), Some("Exists"), None, None)];
        assert_eq!(
            check(taints(), only_a.clone()).expect_err("b").summary,
            "untolerated taint b"
        );
        let both = [
            only_a,
            vec![toleration(
                Some("b"),
                Some("Equal"),
                Some("x"),
                Some("NoExecute"),
            )],
        ]
        .concat();
        assert_eq!(check(taints(), both), Ok(()));
    }
}
