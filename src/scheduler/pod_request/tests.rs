//! Reading a pod's requirements and its resource requests.

use k8s_openapi::api::core::v1::{ResourceRequirements, Toleration};

use super::*;
use crate::api::AircraftRequirement;
use crate::scheduler::fixtures::{container, plain_pod, quantities, strike, task_pod};

fn annotated(pairs: &[(&str, &str)]) -> PodRequest {
    let mut pod = plain_pod("p", &[]);
    pod.metadata.annotations = Some(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    );
    PodRequest::from_pod(&pod)
}

fn requests_of(spec: PodSpec) -> Resources {
    Resources::of_pod(&spec)
}

fn mib(n: i64) -> i64 {
    n << 20
}

#[test]
fn a_task_pod_carries_its_requirement_in_annotations_and_affinity() {
    let requirement = AircraftRequirement {
        capabilities: vec!["stealth".into(), "aesa-radar".into()],
        ..strike()
    };
    let request = PodRequest::from_pod(&task_pod(
        "strike-1",
        &requirement,
        &["pl-15", "pl-10"],
        &[],
    ));
    assert_eq!(request.key(), "default/strike-1");
    assert!(request.task);
    assert_eq!(request.required_fuel, Reading::Valid(70));
    assert_eq!(request.required_hardpoints, Reading::Valid(6));
    assert_eq!(request.preferred_zone.as_deref(), Some("east-sea"));
    assert_eq!(request.capabilities, ["stealth", "aesa-radar"]);
    assert_eq!(request.weapons, ["pl-15", "pl-10"]);
    assert_eq!(request.required_types, Some(vec!["j20".to_string()]));
    assert!(request.affinity.is_some());
    assert_eq!(request.requests, Resources::default());
}

#[test]
fn a_plain_pod_asks_for_nothing_in_particular() {
    let request = PodRequest::from_pod(&plain_pod("web", &[]));
    assert!(!request.task);
    assert_eq!(request.required_fuel, Reading::Absent);
    assert_eq!(request.required_hardpoints, Reading::Absent);
    assert_eq!(request.preferred_zone, None);
    assert!(request.capabilities.is_empty() && request.weapons.is_empty());
    assert_eq!(request.affinity, None);
    assert_eq!(request.required_types, None);
    let empty = PodRequest::from_pod(&Pod::default());
    assert_eq!(empty.key(), "/");
    assert_eq!(empty.requests, Resources::default());
}

#[test]
fn malformed_annotations_are_kept_for_the_filters_to_report() {
    let request = annotated(&[
        (annotations::REQUIRED_FUEL, "ninety"),
        (annotations::REQUIRED_HARDPOINTS, "-5"),
        (annotations::PREFERRED_ZONE, "  "),
        (annotations::REQUIRED_CAPABILITIES, " stealth, ,strike ,"),
        (annotations::WEAPONS, ""),
    ]);
    assert_eq!(request.required_fuel, Reading::Malformed("ninety".into()));
    assert_eq!(request.required_hardpoints, Reading::Malformed("-5".into()));
    assert_eq!(request.preferred_zone, None);
    assert_eq!(request.capabilities, ["stealth", "strike"]);
    assert!(request.weapons.is_empty());
    let over = annotated(&[(annotations::REQUIRED_FUEL, "101")]);
    assert_eq!(over.required_fuel, Reading::Malformed("101".into()));
}

#[test]
fn node_selector_and_tolerations_are_kept() {
    let mut pod = plain_pod("p", &[]);
    let spec = pod.spec.as_mut().expect("a spec");
    spec.node_selector = Some(BTreeMap::from([("disk".to_string(), "ssd".to_string())]));
    let toleration = Toleration {
        key: Some("dedicated".into()),
        operator: Some("Exists".into()),
        ..Toleration::default()
    };
    spec.tolerations = Some(vec![toleration.clone()]);
    let request = PodRequest::from_pod(&pod);
    assert_eq!(
        request.node_selector.get("disk").map(String::as_str),
        Some("ssd")
    );
    assert_eq!(request.tolerations, [toleration]);
}

#[test]
fn app_containers_add_up() {
    let requests = requests_of(PodSpec {
        containers: vec![
            container("a", &[("cpu", "250m"), ("memory", "64Mi")]),
            container("b", &[("cpu", "0.5")]),
            container("c", &[]),
        ],
        ..PodSpec::default()
    });
    assert_eq!(
        requests,
        Resources {
            milli_cpu: 750,
            memory: mib(64)
        }
    );
}

#[test]
fn an_init_container_counts_only_when_it_is_the_peak() {
    let spec = |init_cpu: &str| PodSpec {
        containers: vec![container("a", &[("cpu", "500m"), ("memory", "64Mi")])],
        init_containers: Some(vec![container(
            "init",
            &[("cpu", init_cpu), ("memory", "32Mi")],
        )]),
        ..PodSpec::default()
    };
    assert_eq!(
        requests_of(spec("100m")),
        Resources {
            milli_cpu: 500,
            memory: mib(64)
        }
    );
    assert_eq!(
        requests_of(spec("2")),
        Resources {
            milli_cpu: 2000,
            memory: mib(64)
        }
    );
}

#[test]
fn sidecars_run_alongside_so_they_are_added() {
    let sidecar = Container {
        restart_policy: Some("Always".into()),
        ..container("weapon-preload", &[("cpu", "100m"), ("memory", "16Mi")])
    };
    let requests = requests_of(PodSpec {
        containers: vec![container("task", &[("cpu", "200m"), ("memory", "32Mi")])],
        init_containers: Some(vec![
            sidecar,
            container("setup", &[("cpu", "1"), ("memory", "8Mi")]),
        ]),
        ..PodSpec::default()
    });
    // Running: 200m + 100m sidecar; during `setup`: 1000m + the 100m sidecar.
    assert_eq!(
        requests,
        Resources {
            milli_cpu: 1100,
            memory: mib(48)
        }
    );
}

#[test]
fn pod_level_requests_replace_the_containers_and_overhead_is_added() {
    let requests = requests_of(PodSpec {
        containers: vec![container("a", &[("cpu", "250m"), ("memory", "64Mi")])],
        resources: Some(ResourceRequirements {
            requests: Some(quantities(&[("cpu", "1")])),
            ..ResourceRequirements::default()
        }),
        overhead: Some(quantities(&[("cpu", "10m"), ("memory", "1Mi")])),
        ..PodSpec::default()
    });
    assert_eq!(
        requests,
        Resources {
            milli_cpu: 1010,
            memory: mib(65)
        }
    );
}

#[test]
fn a_malformed_request_counts_as_nothing() {
    let requests = requests_of(PodSpec {
        containers: vec![container("a", &[("cpu", "lots"), ("memory", "1Gi")])],
        ..PodSpec::default()
    });
    assert_eq!(
        requests,
        Resources {
            milli_cpu: 0,
            memory: 1 << 30
        }
    );
    assert!(!requests.is_empty());
    assert!(Resources::default().is_empty());
}
