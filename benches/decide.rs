//! The aircraft-scheduler's decision alone, in memory, on one thread: how many
//! pods a second it places on snapshots of 1,000 and 5,000 generated aircraft,
//! and how long one decision takes (p50, p99), beside two yardsticks measured
//! in the same run: a pass that only reads, for every aircraft, the labels the
//! filters read (the least any scheduler must do per pod), and the goal of 660
//! decisions a second at 1,000 aircraft. Then where a decision's time goes,
//! plugin by plugin.
//!
//! `cargo bench --bench decide`; no cluster needed. Settings:
//! AIRFORCE_BENCH_PODS (default 1000 per fleet), AIRFORCE_BENCH_SEED (42).
//! Figures are printed, never asserted: the machines are shared and noisy.

#[path = "common/run.rs"]
mod run;
#[path = "common/settings.rs"]
mod settings;
#[path = "common/sortie.rs"]
mod sortie;

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::{Node, NodeCondition, NodeStatus, Pod};
use kube::ResourceExt;
use kubectl_airforce::placement::SchedulerChoice;
use kubectl_airforce::scheduler::config::SchedulerConfig;
use kubectl_airforce::scheduler::decision::timing::PluginTimes;
use kubectl_airforce::scheduler::decision::{decide, decide_timed};
use kubectl_airforce::scheduler::pod_request::PodRequest;
use kubectl_airforce::scheduler::snapshot::Snapshot;

/// What a decision a second should at least be at 1,000 aircraft.
const GOAL_PER_SECOND: f64 = 660.0;

fn main() {
    if !run::under_cargo_bench("decide") {
        return;
    }
    let pods = settings::setting("AIRFORCE_BENCH_PODS", 1000) as usize;
    let seed = settings::setting("AIRFORCE_BENCH_SEED", 42);
    let requests: Vec<PodRequest> = (sortie::requirements(pods, seed).iter().enumerate())
        .map(|(index, requirement)| {
            PodRequest::from_pod(&sortie::pod(index, requirement, SchedulerChoice::Aircraft))
        })
        .collect();
    let config = SchedulerConfig::default();
    println!("{pods} pods, one thread, default weights; each placed pod stays on its aircraft");
    for aircraft in [1000, 5000] {
        let fleet = fleet(aircraft, seed);
        measure(&fleet, &requests, &config);
    }
}

/// `count` generated aircraft, all Ready.
fn fleet(count: u64, seed: u64) -> Vec<Node> {
    let output = Command::new("tests/cluster/fleet")
        .args(["generate", &count.to_string(), &seed.to_string()])
        .output()
        .expect("tests/cluster/fleet runs");
    assert!(
        output.status.success(),
        "tests/cluster/fleet generate failed"
    );
    let list: serde_json::Value =
        serde_yaml_ng::from_slice(&output.stdout).expect("the fleet is YAML");
    let items = list["items"].as_array().expect("a list of nodes");
    (items.iter())
        .map(|item| {
            let mut node: Node = serde_json::from_value(item.clone()).expect("a node");
            let status = node.status.get_or_insert_with(NodeStatus::default);
            status.conditions = Some(vec![NodeCondition {
                type_: "Ready".into(),
                status: "True".into(),
                ..NodeCondition::default()
            }]);
            node
        })
        .collect()
}

fn measure(fleet: &[Node], requests: &[PodRequest], config: &SchedulerConfig) {
    let fresh = || Snapshot::new(fleet.iter(), std::iter::empty::<&Pod>());

    // The yardstick: read what the filters read of every aircraft, per pod.
    let snapshot = fresh();
    let started = Instant::now();
    for _ in requests {
        let mut seen = 0usize;
        for node in snapshot.nodes() {
            seen += node.name.len();
        }
        black_box(seen);
    }
    let floor = started.elapsed();
    let labels_started = Instant::now();
    for _ in requests {
        for node in fleet {
            black_box(node.labels().get("aircraft.mil/type"));
            black_box(node.labels().get("aircraft.mil/fuel.level"));
        }
    }
    let labels = labels_started.elapsed();

    let mut snapshot = fresh();
    let mut took = Vec::with_capacity(requests.len());
    let mut placed = 0;
    let all = Instant::now();
    for request in requests {
        let started = Instant::now();
        let decision = decide(request, snapshot.nodes(), config);
        took.push(started.elapsed());
        if let Some(node) = &decision.chosen {
            snapshot.assume(node, request);
            placed += 1;
        }
    }
    let total = all.elapsed();
    took.sort();
    let rate = requests.len() as f64 / total.as_secs_f64();
    let at = |quantile: f64| took[((took.len() as f64 * quantile) as usize).min(took.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!();
    println!("{} aircraft:", fleet.len());
    println!(
        "  decide: {rate:.0} decisions/s ({placed} of {} placed); p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        requests.len(),
        ms(at(0.50)),
        ms(at(0.99)),
        ms(*took.last().expect("some pods"))
    );
    println!(
        "  yardsticks: a pass over the snapshot's aircraft {:.4} ms per pod ({:.0}x faster); reading two labels of every node object {:.3} ms per pod ({:.1}x faster)",
        ms(floor) / requests.len() as f64,
        total.as_secs_f64() / floor.as_secs_f64().max(1e-9),
        ms(labels) / requests.len() as f64,
        total.as_secs_f64() / labels.as_secs_f64().max(1e-9),
    );
    println!(
        "  against the goal of {GOAL_PER_SECOND:.0} decisions/s: {:.2}x",
        rate / GOAL_PER_SECOND
    );

    // Where the time goes: the same decisions, each plugin timed.
    let mut snapshot = fresh();
    let mut times = PluginTimes::default();
    for request in requests {
        let decision = decide_timed(request, snapshot.nodes(), config, &mut times);
        if let Some(node) = &decision.chosen {
            snapshot.assume(node, request);
        }
    }
    let mut spent: Vec<_> = times.spent().to_vec();
    spent.sort_by_key(|(_, _, took)| std::cmp::Reverse(*took));
    let sum: Duration = spent.iter().map(|(_, _, d)| *d).sum();
    let line: Vec<String> = (spent.iter().take(6))
        .map(|(plugin, point, d)| {
            format!(
                "{plugin} ({point}) {:.0}%",
                100.0 * d.as_secs_f64() / sum.as_secs_f64().max(1e-9)
            )
        })
        .collect();
    println!("  plugin time, largest first: {}", line.join(", "));
}
