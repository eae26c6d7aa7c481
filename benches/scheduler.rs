//! Figures for the aircraft-scheduler on the local cluster: on a
//! generated fleet of 1,000 kwok aircraft, how fast it binds 5,000 pods, against
//! kube-scheduler placing the same pods (same requirements as node affinity)
//! on the same cluster in the same run, and how good each placement is by the
//! aircraft-scheduler's own weighted scores. kube-scheduler runs twice: the
//! cluster's own, as deployed by default (client QPS 50, burst 100), and a
//! second one the benchmark starts from the same binary, tuned as the
//! upstream scheduler_perf runs it (client QPS and burst 5,000) and scoring
//! every aircraft (`percentageOfNodesToScore: 100`, as ours does). Ceiling C,
//! the pod lifecycles a second the cluster takes with no scheduler at all,
//! is measured on the same fleet first; each rate is also given as a
//! fraction of it, and each turn prints the memory of etcd and kube-apiserver.
//!
//! `cargo bench --bench scheduler` (the cluster must be up: `tests/cluster/up`).
//! It brings its own aircraft (`tests/cluster/fleet generate`) and namespaces and
//! removes them afterwards. Settings: AIRFORCE_BENCH_FLEET (default 1000),
//! AIRFORCE_BENCH_PODS (default 5000), AIRFORCE_BENCH_SEED (default 42),
//! AIRFORCE_BENCH_CEILING_PODS (default: AIRFORCE_BENCH_PODS).
//! Figures are printed, never asserted: the machines are shared and noisy.
//!
//! Both schedulers get the same procedure: the pods are created 32 at a time
//! while the scheduler runs, and the rate is pods / (last binding - first
//! creation). The pods carry no task label, so the aircraft-scheduler's
//! one-task-per-aircraft rule does not apply and both place against resources.

#[path = "common/ceiling.rs"]
mod ceiling;
#[path = "common/cleanup.rs"]
mod cleanup;
#[path = "common/memory.rs"]
mod memory;
#[path = "common/operator.rs"]
mod operator;
#[path = "common/pod_watch.rs"]
mod pod_watch;
#[path = "common/run.rs"]
mod run;
#[path = "common/settings.rs"]
mod settings;
#[path = "common/sortie.rs"]
mod sortie;
#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cleanup::remove_all;
use futures::{StreamExt, stream};
use k8s_openapi::api::core::v1::{Node, Pod};
use kube::api::{DeleteParams, ListParams, PostParams};
use kube::{Api, Client, ResourceExt};
use kubectl_airforce::api::AircraftRequirement;
use kubectl_airforce::placement::SchedulerChoice;
use kubectl_airforce::scheduler::config::SchedulerConfig;
use kubectl_airforce::scheduler::decision::decide;
use kubectl_airforce::scheduler::pod_request::PodRequest;
use kubectl_airforce::scheduler::snapshot::Snapshot;
use memory::Sampler;
use operator::Operator;
use pod_watch::watch_pods;
use sortie::{BENCH_LABEL, pod, requirements};

const CREATORS: usize = 32;

fn main() {
    if !run::under_cargo_bench("scheduler") {
        return;
    }
    let fleet_size = settings::setting("AIRFORCE_BENCH_FLEET", 1000);
    let pods = settings::setting("AIRFORCE_BENCH_PODS", 5000) as usize;
    let seed = settings::setting("AIRFORCE_BENCH_SEED", 42);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let fleet = generate_fleet(fleet_size, seed);
    let names = node_names(&fleet);
    let started = Instant::now();
    apply_fleet(&fleet);
    println!(
        "fleet: {} generated kwok aircraft (seed {seed}) ready in {:.1} s",
        names.len(),
        started.elapsed().as_secs_f64()
    );
    runtime.block_on(async {
        let client = support::client().await;
        let outcome = tokio::spawn(benchmark(client.clone(), names.clone(), pods, seed)).await;
        let nodes: Api<Node> = Api::all(client.clone());
        stream::iter(&names)
            .for_each_concurrent(CREATORS, |name| {
                let nodes = nodes.clone();
                async move {
                    let _ = nodes.delete(name, &DeleteParams::default()).await;
                }
            })
            .await;
        if let Err(panic) = outcome {
            std::panic::resume_unwind(panic.into_panic());
        }
    });
}

fn generate_fleet(count: u64, seed: u64) -> String {
    let output = Command::new("tests/cluster/fleet")
        .args(["generate", &count.to_string(), &seed.to_string()])
        .output()
        .expect("tests/cluster/fleet runs");
    assert!(output.status.success(), "fleet generate failed");
    String::from_utf8(output.stdout).expect("UTF-8")
}

fn node_names(fleet: &str) -> Vec<String> {
    fleet
        .lines()
        .filter_map(|line| line.trim().strip_prefix("name: "))
        .map(str::to_string)
        .collect()
}

fn apply_fleet(fleet: &str) {
    let file =
        std::env::temp_dir().join(format!("airforce-bench-fleet-{}.yaml", std::process::id()));
    std::fs::write(&file, fleet).expect("write the fleet file");
    let status = Command::new("tests/cluster/fleet")
        .arg("apply")
        .arg(&file)
        .status()
        .expect("tests/cluster/fleet runs");
    let _ = std::fs::remove_file(&file);
    assert!(status.success(), "fleet apply failed");
}

async fn benchmark(client: Client, fleet: Vec<String>, count: usize, seed: u64) {
    let sampler = Arc::new(Sampler::cluster());
    tokio::time::sleep(Duration::from_secs(2)).await;
    println!("fleet ready, idle cluster: {}", sampler.take().line());
    let ceiling_pods = settings::setting("AIRFORCE_BENCH_CEILING_PODS", count);
    let ceiling = ceiling_on(&fleet, ceiling_pods).await;
    ceiling.print(fleet.len());
    println!("  {}", sampler.take().line());

    let requirements = requirements(count, seed);
    let tuned = TunedScheduler::start().await;
    let mut turns = Vec::new();
    for turn in [Turn::Aircraft, Turn::KubeDefault, Turn::KubeTuned] {
        let placed = placed_in(&requirements, turn, &sampler).await;
        turns.push((turn, placed));
    }
    drop(tuned);

    println!();
    println!("{count} pods on {} aircraft:", fleet.len());
    for (turn, placed) in &turns {
        placed.print(turn.title(), &ceiling);
    }
    let ours = turns[0].1.rate();
    for (turn, placed) in &turns[1..] {
        if placed.rate() > 0.0 {
            println!(
                "  ratio: aircraft-scheduler binds {:.2}x as many pods per second as {}",
                ours / placed.rate(),
                turn.title()
            );
        }
    }

    // Listed after every placement: freshly created nodes carry the not-ready
    // taint for a moment, which would count against whoever used them first.
    let nodes: Vec<Node> = Api::<Node>::all(client.clone())
        .list(&ListParams::default())
        .await
        .expect("list nodes")
        .items
        .into_iter()
        .filter(|node| fleet.contains(&node.name_any()))
        .collect();

    // One yardstick for all: the aircraft-scheduler's weighted score of the
    // chosen aircraft for each pod, against the fleet with nothing on it.
    let config = SchedulerConfig::default();
    let snapshot = Snapshot::new(nodes.iter(), std::iter::empty::<&Pod>());
    let mut totals = vec![(0u64, 0usize); turns.len()];
    for (index, requirement) in requirements.iter().enumerate() {
        let request = PodRequest::from_pod(&pod(index, requirement, SchedulerChoice::Aircraft));
        let decision = decide(&request, snapshot.nodes(), &config);
        let score = |node: &Option<String>| {
            let node = node.as_deref()?;
            (decision.candidates.iter())
                .find(|c| c.node == node)
                .map(|c| c.total as u64)
        };
        for (total, (_, placed)) in totals.iter_mut().zip(&turns) {
            match score(&placed.nodes[index]) {
                Some(points) => total.0 += points,
                None => total.1 += usize::from(placed.nodes[index].is_some()),
            }
        }
    }
    println!(
        "  total weighted score of the placement (aircraft-scheduler's plugins, default weights):"
    );
    for ((turn, _), (total, rejected)) in turns.iter().zip(totals) {
        println!(
            "    {:<22} {total:>9}  ({rejected} pods on aircraft its filters reject)",
            turn.name()
        );
    }
}

async fn ceiling_on(fleet: &[String], count: usize) -> ceiling::Ceiling {
    let slot: Arc<Mutex<Option<ceiling::Ceiling>>> = Arc::default();
    let fleet = fleet.to_vec();
    support::with_namespace("bench-ceiling", {
        let slot = slot.clone();
        move |client, ns| async move {
            let measured = ceiling::measure(&client, &ns, &fleet, count).await;
            *slot.lock().expect("slot") = Some(measured);
        }
    })
    .await;
    let measured = slot.lock().expect("slot").take();
    measured.expect("the ceiling was measured")
}

/// Who places the pods in a turn of the benchmark.
#[derive(Clone, Copy, Debug)]
enum Turn {
    Aircraft,
    KubeDefault,
    KubeTuned,
}

impl Turn {
    fn name(self) -> &'static str {
        match self {
            Turn::Aircraft => "aircraft-scheduler",
            Turn::KubeDefault => "kube-scheduler default",
            Turn::KubeTuned => "kube-scheduler tuned",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Turn::Aircraft => "aircraft-scheduler",
            Turn::KubeDefault => "kube-scheduler (the cluster's, default client QPS 50, burst 100)",
            Turn::KubeTuned => {
                "kube-scheduler tuned (client QPS/burst 5000, percentageOfNodesToScore 100)"
            }
        }
    }

    fn pod(self, index: usize, requirement: &AircraftRequirement) -> Pod {
        let choice = match self {
            Turn::Aircraft => SchedulerChoice::Aircraft,
            Turn::KubeDefault | Turn::KubeTuned => SchedulerChoice::Default,
        };
        let mut pod = pod(index, requirement, choice);
        if let (Turn::KubeTuned, Some(spec)) = (self, pod.spec.as_mut()) {
            spec.scheduler_name = Some(TUNED_SCHEDULER.to_string());
        }
        pod
    }
}

struct Placed {
    created_in: Duration,
    bound_in: Duration,
    bound: usize,
    /// The node each pod ended on, by index.
    nodes: Vec<Option<String>>,
    memory: String,
}

impl Placed {
    fn rate(&self) -> f64 {
        self.bound as f64 / self.bound_in.as_secs_f64()
    }

    fn print(&self, name: &str, ceiling: &ceiling::Ceiling) {
        println!("  {name}:");
        println!(
            "    {} pods bound in {:.1} s from the first creation: {:.0} pods/s, {} (creating them took {:.1} s)",
            self.bound,
            self.bound_in.as_secs_f64(),
            self.rate(),
            ceiling.fraction(self.rate()),
            self.created_in.as_secs_f64()
        );
        println!("    {}", self.memory);
    }
}

/// Places the pods in a namespace of their own; the aircraft-scheduler's turn
/// runs `run` (release build, as shipped) for just that namespace.
async fn placed_in(
    requirements: &[AircraftRequirement],
    turn: Turn,
    sampler: &Arc<Sampler>,
) -> Placed {
    let slot: Arc<Mutex<Option<Placed>>> = Arc::default();
    let requirements = requirements.to_vec();
    let prefix = match turn {
        Turn::Aircraft => "bench-air",
        Turn::KubeDefault => "bench-kube",
        Turn::KubeTuned => "bench-tuned",
    };
    sampler.take();
    support::with_namespace(prefix, {
        let slot = slot.clone();
        let sampler = sampler.clone();
        move |client, ns| async move {
            let _operator = match turn {
                Turn::Aircraft => {
                    let operator = Operator::start(&client, &ns).await;
                    sampler.follow("run", operator.pid());
                    Some(operator)
                }
                Turn::KubeDefault | Turn::KubeTuned => None,
            };
            let placed = place(&client, &ns, &requirements, turn).await;
            *slot.lock().expect("slot") = Some(placed);
        }
    })
    .await;
    let placed = slot.lock().expect("slot").take();
    let mut placed = placed.expect("the placement finished");
    placed.memory = sampler.take().line();
    placed
}

const TUNED_SCHEDULER: &str = "bench-tuned-scheduler";

/// A second kube-scheduler, started from the binary the cluster's own runs,
/// with its own `schedulerName`; stopped when dropped.
struct TunedScheduler(std::process::Child);

impl TunedScheduler {
    async fn start() -> TunedScheduler {
        let state = support::kubeconfig_path()
            .parent()
            .expect("the cluster state directory")
            .to_path_buf();
        let pid = memory::cluster_pid("kube-scheduler")
            .expect("the cluster's kube-scheduler runs (tests/cluster/up)");
        let binary = std::fs::read_link(format!("/proc/{pid}/exe"))
            .expect("the cluster's kube-scheduler binary");
        let kubeconfig = state.join("kube-scheduler.kubeconfig");
        let config = std::env::temp_dir().join(format!("bench-tuned-{}.yaml", std::process::id()));
        std::fs::write(
            &config,
            format!(
                "apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
clientConnection:
  kubeconfig: {kubeconfig}
  qps: 5000
  burst: 5000
leaderElection:
  leaderElect: false
percentageOfNodesToScore: 100
profiles:
  - schedulerName: {TUNED_SCHEDULER}
",
                kubeconfig = kubeconfig.display()
            ),
        )
        .expect("write the tuned scheduler's configuration");
        let port = support::free_port();
        let log_path = std::env::temp_dir().join("bench-tuned-scheduler.log");
        let log = std::fs::File::create(&log_path).expect("a log file");
        let child = Command::new(&binary)
            .arg("--config")
            .arg(&config)
            .args([
                "--bind-address",
                "127.0.0.1",
                "--secure-port",
                &port.to_string(),
            ])
            .arg("--authentication-kubeconfig")
            .arg(&kubeconfig)
            .arg("--authorization-kubeconfig")
            .arg(&kubeconfig)
            .stderr(log)
            .spawn()
            .expect("the tuned kube-scheduler starts");
        let mut scheduler = TunedScheduler(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = scheduler.0.try_wait() {
                let log = std::fs::read_to_string(&log_path).unwrap_or_default();
                panic!("the tuned kube-scheduler exited ({status}):\n{log}");
            }
            let ready = Command::new("curl")
                .args(["-skf", "--max-time", "2"])
                .arg(format!("https://127.0.0.1:{port}/readyz"))
                .output()
                .is_ok_and(|output| output.status.success());
            if ready {
                return scheduler;
            }
            if Instant::now() > deadline {
                let log = std::fs::read_to_string(&log_path).unwrap_or_default();
                panic!("the tuned kube-scheduler was not ready within 60 s:\n{log}");
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
}

impl Drop for TunedScheduler {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Creates a pod, retrying what an overloaded API server drops.
async fn create(api: &Api<Pod>, pod: &Pod) {
    let mut attempt = 0;
    loop {
        match api.create(&PostParams::default(), pod).await {
            Ok(_) => return,
            Err(kube::Error::Api(status)) if status.is_already_exists() => return,
            Err(error) if attempt < 5 => {
                attempt += 1;
                eprintln!("create {}: {error}; trying again", pod.name_any());
                tokio::time::sleep(Duration::from_millis(500 * attempt)).await;
            }
            Err(error) => panic!("create {}: {error}", pod.name_any()),
        }
    }
}

async fn place(
    client: &Client,
    ns: &str,
    requirements: &[AircraftRequirement],
    turn: Turn,
) -> Placed {
    let api: Api<Pod> = Api::namespaced(client.clone(), ns);
    let bindings: Arc<Mutex<HashMap<String, (String, Instant)>>> = Arc::default();
    let watch = watch_pods(api.clone(), BENCH_LABEL, {
        let bindings = bindings.clone();
        move |pod| {
            if let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.clone()) {
                let mut bindings = bindings.lock().expect("bindings");
                bindings
                    .entry(pod.name_any())
                    .or_insert((node, Instant::now()));
            }
        }
    });
    // The watch is established before the first pod exists.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let started = Instant::now();
    let pods: Vec<Pod> = (requirements.iter().enumerate())
        .map(|(index, requirement)| turn.pod(index, requirement))
        .collect();
    stream::iter(pods)
        .map(|pod| {
            let api = api.clone();
            async move { create(&api, &pod).await }
        })
        .buffer_unordered(CREATORS)
        .collect::<()>()
        .await;
    let created_in = started.elapsed();
    // Done when every pod is bound or nothing has been bound for 30 s: the
    // rest fit nowhere.
    let mut last_count = 0;
    let mut quiet_since = Instant::now();
    loop {
        let count = bindings.lock().expect("bindings").len();
        if count == requirements.len() {
            break;
        }
        if count != last_count {
            (last_count, quiet_since) = (count, Instant::now());
        } else if quiet_since.elapsed() > Duration::from_secs(30) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    watch.abort();
    let bindings = bindings.lock().expect("bindings").clone();
    assert!(
        !bindings.is_empty(),
        "{}: not one of {} pods was bound in 30 s; the scheduler is not placing pods, so there is no figure to report",
        turn.name(),
        requirements.len()
    );
    let last = (bindings.values())
        .map(|(_, at)| *at)
        .max()
        .unwrap_or(started);
    let nodes = (0..requirements.len())
        .map(|index| (bindings.get(&format!("sortie-{index:05}"))).map(|(node, _)| node.clone()))
        .collect();
    // Free the aircraft for the next scheduler's turn.
    remove_all(&api, BENCH_LABEL).await;
    Placed {
        created_in,
        bound_in: last.duration_since(started),
        bound: bindings.len(),
        nodes,
        memory: String::new(),
    }
}
