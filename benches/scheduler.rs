//! Figures for the aircraft-scheduler on the local cluster: on a
//! generated fleet of 1,000 kwok aircraft, how fast it binds 5,000 pods, against
//! kube-scheduler placing the same pods (same requirements as node affinity)
//! on the same cluster in the same run, and how good each placement is by the
//! aircraft-scheduler's own weighted scores.
//!
//! `cargo bench --bench scheduler` (the cluster must be up: `tests/cluster/up`).
//! It brings its own aircraft (`tests/cluster/fleet generate`) and namespaces and
//! removes them afterwards. Settings: AIRFORCE_BENCH_FLEET (default 1000),
//! AIRFORCE_BENCH_PODS (default 5000), AIRFORCE_BENCH_SEED (default 42).
//! Figures are printed, never asserted: the machines are shared and noisy.
//!
//! Both schedulers get the same procedure: the pods are created 32 at a time
//! while the scheduler runs, and the rate is pods / (last binding - first
//! creation). The pods carry no task label, so the aircraft-scheduler's
//! one-task-per-aircraft rule does not apply and both place against resources.

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

use futures::{StreamExt, stream};
use k8s_openapi::api::core::v1::{Node, Pod};
use kube::api::{DeleteParams, ListParams, PostParams};
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Api, Client, ResourceExt};
use kubectl_airforce::api::AircraftRequirement;
use kubectl_airforce::placement::SchedulerChoice;
use kubectl_airforce::scheduler::config::SchedulerConfig;
use kubectl_airforce::scheduler::decision::decide;
use kubectl_airforce::scheduler::pod_request::PodRequest;
use kubectl_airforce::scheduler::snapshot::Snapshot;
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
    let requirements = requirements(count, seed);
    let ours = placed_in("bench-air", &requirements, SchedulerChoice::Aircraft).await;
    let theirs = placed_in("bench-kube", &requirements, SchedulerChoice::Default).await;

    println!();
    println!("{count} pods on {} aircraft:", fleet.len());
    ours.print("aircraft-scheduler");
    theirs.print("kube-scheduler (default configuration: client QPS 50, burst 100)");
    if theirs.rate() > 0.0 {
        println!(
            "  ratio: aircraft-scheduler binds {:.2}x as many pods per second",
            ours.rate() / theirs.rate()
        );
    }

    // Listed after both placements: freshly created nodes carry the not-ready
    // taint for a moment, which would count against whoever used them first.
    let nodes: Vec<Node> = Api::<Node>::all(client.clone())
        .list(&ListParams::default())
        .await
        .expect("list nodes")
        .items
        .into_iter()
        .filter(|node| fleet.contains(&node.name_any()))
        .collect();

    // One yardstick for both: the aircraft-scheduler's weighted score of the
    // chosen aircraft for each pod, against the fleet with nothing on it.
    let config = SchedulerConfig::default();
    let snapshot = Snapshot::new(nodes.iter(), std::iter::empty::<&Pod>());
    let mut totals = [(0u64, 0usize), (0u64, 0usize)];
    for (index, requirement) in requirements.iter().enumerate() {
        let request = PodRequest::from_pod(&pod(index, requirement, SchedulerChoice::Aircraft));
        let decision = decide(&request, snapshot.nodes(), &config);
        let score = |node: &Option<String>| {
            let node = node.as_deref()?;
            (decision.candidates.iter())
                .find(|c| c.node == node)
                .map(|c| c.total as u64)
        };
        for (total, placement) in totals.iter_mut().zip([&ours, &theirs]) {
            match score(&placement.nodes[index]) {
                Some(points) => total.0 += points,
                None => total.1 += usize::from(placement.nodes[index].is_some()),
            }
        }
    }
    println!(
        "  total weighted score of the placement (aircraft-scheduler's plugins, default weights):"
    );
    for (name, (total, rejected)) in ["aircraft-scheduler", "kube-scheduler"].iter().zip(totals) {
        println!("    {name:<20} {total:>9}  ({rejected} pods on aircraft its filters reject)");
    }
}

struct Placed {
    created_in: Duration,
    bound_in: Duration,
    bound: usize,
    /// The node each pod ended on, by index.
    nodes: Vec<Option<String>>,
}

impl Placed {
    fn rate(&self) -> f64 {
        self.bound as f64 / self.bound_in.as_secs_f64()
    }

    fn print(&self, name: &str) {
        println!("  {name}:");
        println!(
            "    {} pods bound in {:.1} s from the first creation: {:.0} pods/s (creating them took {:.1} s)",
            self.bound,
            self.bound_in.as_secs_f64(),
            self.rate(),
            self.created_in.as_secs_f64()
        );
    }
}

/// Places the pods in a namespace of their own; the aircraft-scheduler's turn
/// runs `run` (release build, as shipped) for just that namespace.
async fn placed_in(
    prefix: &str,
    requirements: &[AircraftRequirement],
    choice: SchedulerChoice,
) -> Placed {
    let slot: Arc<Mutex<Option<Placed>>> = Arc::default();
    let requirements = requirements.to_vec();
    support::with_namespace(prefix, {
        let slot = slot.clone();
        move |client, ns| async move {
            let _operator = match choice {
                SchedulerChoice::Aircraft => Some(operator(&client, &ns).await),
                SchedulerChoice::Default => None,
            };
            let placed = place(&client, &ns, &requirements, choice).await;
            *slot.lock().expect("slot") = Some(placed);
        }
    })
    .await;
    let placed = slot.lock().expect("slot").take();
    placed.expect("the placement finished")
}

/// `run` for namespace `ns`, once it is ready: a benchmark never measures a
/// scheduler that is not running, so one that exits or never gets ready ends
/// the benchmark with its log.
async fn operator(client: &Client, ns: &str) -> Stopped {
    support::ensure_crds(client).await;
    let port = support::free_port();
    let log_path = std::env::temp_dir().join(format!("bench-run-{ns}.log"));
    let log = std::fs::File::create(&log_path).expect("a log file for run");
    let child = Command::new(env!("CARGO_BIN_EXE_kubectl-airforce"))
        .arg("--kubeconfig")
        .arg(support::kubeconfig_path())
        .args([
            "-n",
            ns,
            "run",
            "--metrics-addr",
            &format!("127.0.0.1:{port}"),
        ])
        .stderr(log)
        .spawn()
        .expect("kubectl-airforce run starts");
    let mut operator = Stopped(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(Some(status)) = operator.0.try_wait() {
            let log = std::fs::read_to_string(&log_path).unwrap_or_default();
            panic!("kubectl-airforce run exited ({status}) before it was ready:\n{log}");
        }
        if readyz(port).await {
            return operator;
        }
        if Instant::now() > deadline {
            let log = std::fs::read_to_string(&log_path).unwrap_or_default();
            panic!("kubectl-airforce run was not ready within 60 s:\n{log}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Whether the operator on `port` answers `/readyz` with 200.
async fn readyz(port: u16) -> bool {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Ok(mut stream) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await else {
        return false;
    };
    let request = "GET /readyz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    let mut answer = String::new();
    stream.write_all(request.as_bytes()).await.is_ok()
        && stream.read_to_string(&mut answer).await.is_ok()
        && answer.split_whitespace().nth(1) == Some("200")
}

/// A child process killed when dropped, even when the benchmark panics.
struct Stopped(std::process::Child);

impl Drop for Stopped {
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
    choice: SchedulerChoice,
) -> Placed {
    let api: Api<Pod> = Api::namespaced(client.clone(), ns);
    let bindings: Arc<Mutex<HashMap<String, (String, Instant)>>> = Arc::default();
    let watch = tokio::spawn({
        let (api, bindings) = (api.clone(), bindings.clone());
        async move {
            let config = watcher::Config::default().labels(BENCH_LABEL);
            let mut events = watcher(api, config)
                .default_backoff()
                .applied_objects()
                .boxed();
            // A watch error (a dropped connection under load) is retried by
            // the backoff; it must not end the count.
            while let Some(pod) = events.next().await {
                let Ok(pod) = pod else { continue };
                if let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.clone()) {
                    let mut bindings = bindings.lock().expect("bindings");
                    bindings
                        .entry(pod.name_any())
                        .or_insert((node, Instant::now()));
                }
            }
        }
    });
    // The watch is established before the first pod exists.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let started = Instant::now();
    let pods: Vec<Pod> = (requirements.iter().enumerate())
        .map(|(index, requirement)| pod(index, requirement, choice))
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
        "{choice:?}: not one of {} pods was bound in 30 s; the scheduler is not placing pods, so there is no figure to report",
        requirements.len()
    );
    let last = (bindings.values())
        .map(|(_, at)| *at)
        .max()
        .unwrap_or(started);
    let nodes = (0..requirements.len())
        .map(|index| (bindings.get(&format!("sortie-{index:05}"))).map(|(node, _)| node.clone()))
        .collect();
    // Free the aircraft for the next scheduler's turn. A collection of
    // thousands may outlast one request's timeout: ask again until it is gone.
    let deadline = Instant::now() + Duration::from_secs(300);
    while Instant::now() < deadline {
        let _ = api
            .delete_collection(
                &DeleteParams::default().grace_period(0),
                &ListParams::default().labels(BENCH_LABEL),
            )
            .await;
        let left = api
            .list_metadata(&ListParams::default().labels(BENCH_LABEL))
            .await;
        if left.is_ok_and(|list| list.items.is_empty()) {
            break;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    Placed {
        created_in,
        bound_in: last.duration_since(started),
        bound: bindings.len(),
        nodes,
    }
}
