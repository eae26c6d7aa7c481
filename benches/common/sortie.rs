//! The pods both scheduler benchmarks place: requirements drawn from what a
//! generated fleet offers, from a seed, so every scheduler and every run gets
//! the same ones.

use k8s_openapi::api::core::v1::{Container, Pod, PodSpec, ResourceRequirements};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use kube::api::ObjectMeta;
use kubectl_airforce::api::AircraftRequirement;
use kubectl_airforce::placement::{SchedulerChoice, placement};

/// On every pod a benchmark makes, so it can find and remove them.
pub const BENCH_LABEL: &str = "airforce.mil/bench";

/// Requirements drawn from what the generated fleet offers, from a seed, so
/// both schedulers get the same pods.
pub fn requirements(count: usize, seed: u64) -> Vec<AircraftRequirement> {
    let mut state = seed.max(1);
    let mut next = move |modulus: u64| {
        state = state * 48271 % 2147483647;
        state % modulus
    };
    (0..count)
        .map(|_| AircraftRequirement {
            aircraft_type: match next(4) {
                0 => None,
                pick => Some(["j20", "j16", "j10c"][pick as usize - 1].to_string()),
            },
            min_fuel_level: Some([40, 50, 60][next(3) as usize]),
            hardpoints: Some([2, 4][next(2) as usize]),
            capabilities: Vec::new(),
            preferred_zone: Some(
                ["east-sea", "south-sea", "yellow-sea", "bohai-sea"][next(4) as usize].to_string(),
            ),
        })
        .collect()
}

pub fn pod(index: usize, requirement: &AircraftRequirement, choice: SchedulerChoice) -> Pod {
    let placement = placement(requirement, &[], &[], choice);
    let mut spec = PodSpec {
        containers: vec![Container {
            name: "task".into(),
            image: Some("busybox:1.36".into()),
            resources: Some(ResourceRequirements {
                requests: Some(
                    [
                        ("cpu".to_string(), Quantity("100m".into())),
                        ("memory".to_string(), Quantity("128Mi".into())),
                    ]
                    .into(),
                ),
                ..Default::default()
            }),
            ..Default::default()
        }],
        ..Default::default()
    };
    placement.apply_to(&mut spec);
    Pod {
        metadata: ObjectMeta {
            name: Some(format!("sortie-{index:05}")),
            labels: Some([(BENCH_LABEL.to_string(), "scheduler".to_string())].into()),
            annotations: Some(placement.annotations),
            ..Default::default()
        },
        spec: Some(spec),
        status: None,
    }
}
