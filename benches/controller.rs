//! Figures for `run` on the local cluster: how long the controllers
//! take between a stage finishing and the next one's first pod, how long from
//! submit until every pod of a parallel stage exists, how many API writes a
//! task's life costs, and the memory of `run` with 1,000 tasks in flight.
//!
//! `cargo bench --bench controller` (the cluster must be up: `tests/cluster/up`).
//! It brings its own kwok aircraft and namespace and removes both afterwards.
//! Settings: AIRFORCE_BENCH_MISSIONS (overhead missions, default 10),
//! AIRFORCE_BENCH_AIRCRAFT (default 60), AIRFORCE_BENCH_IN_FLIGHT (default 1000).
//! Figures are printed, never asserted: the machines are shared and noisy.

#[path = "common/run.rs"]
mod run;
#[path = "common/settings.rs"]
mod settings;
#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{ListParams, PostParams};
use kube::runtime::watcher::{self, Event};
use kube::{Api, Client, ResourceExt};
use kubectl_airforce::api::{FlightTask, FlightTaskPhase, Mission};

const STAGES: [&str; 3] = ["ingress", "strike", "egress"];
const TASKS_PER_STAGE: usize = 50;
const METRICS_ADDR: &str = "127.0.0.1:18089";
const BENCH_TYPE: &str = "benchjet";

fn main() {
    if !run::under_cargo_bench("controller") {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(support::with_namespace("bench", |client, ns| async move {
        let aircraft: Vec<String> = (1..=settings::setting("AIRFORCE_BENCH_AIRCRAFT", 60))
            .map(|i| format!("bench-{i:03}"))
            .collect();
        support::create_aircraft(&client, &aircraft, &aircraft_labels()).await;
        let outcome = tokio::spawn(benchmark(client.clone(), ns)).await;
        support::delete_aircraft(&client, &aircraft).await;
        if let Err(panic) = outcome {
            std::panic::resume_unwind(panic.into_panic());
        }
    }));
}

fn aircraft_labels() -> BTreeMap<String, String> {
    [
        ("aircraft.mil/type", BENCH_TYPE),
        ("aircraft.mil/status", "ready"),
        ("aircraft.mil/fuel.level", "90"),
        ("aircraft.mil/fuel.status", "high"),
        ("aircraft.mil/hardpoint.available", "10"),
        ("aircraft.mil/location.zone", "east-sea"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

async fn benchmark(client: Client, ns: String) {
    let mut operator = std::process::Command::new(env!("CARGO_BIN_EXE_kubectl-airforce"))
        .arg("--kubeconfig")
        .arg(support::kubeconfig_path())
        .args(["-n", &ns, "run", "--metrics-addr", METRICS_ADDR])
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("kubectl-airforce run starts");
    let pid = operator.id();
    wait_for_metrics().await;
    println!("kubectl-airforce run (release build), namespace {ns}, pid {pid}");
    println!("idle resident memory: {}", rss(pid).map_or("?".into(), mib));

    let recorder = Recorder::start(&client, &ns);
    let missions = settings::setting("AIRFORCE_BENCH_MISSIONS", 10);
    let before = scrape().await;
    let mut submits = Vec::new();
    for index in 0..missions {
        let name = format!("overhead-{index}");
        let submitted = Instant::now();
        create_mission(&client, &ns, &overhead_mission(&name)).await;
        submits.push((name.clone(), submitted));
        wait_finished(&client, &ns, &name).await;
    }
    let after = scrape().await;
    report_overhead(&recorder.seen(), &submits);
    report_writes(&before, &after, missions * STAGES.len() * TASKS_PER_STAGE);

    let in_flight = settings::setting("AIRFORCE_BENCH_IN_FLIGHT", 1000);
    report_memory(&client, &ns, pid, in_flight).await;
    let _ = operator.kill();
    let _ = operator.wait();
}

/// Three stages in a chain, 50 zero-length tasks each, run in parallel.
fn overhead_mission(name: &str) -> serde_json::Value {
    let stages: Vec<serde_json::Value> = STAGES
        .iter()
        .enumerate()
        .map(|(index, stage)| {
            let tasks: Vec<serde_json::Value> = (1..=TASKS_PER_STAGE)
                .map(|t| task(&format!("t{t}"), "0s"))
                .collect();
            let depends_on: Vec<&str> = index
                .checked_sub(1)
                .map(|i| STAGES[i])
                .into_iter()
                .collect();
            serde_json::json!({
                "name": stage, "type": "parallel", "dependsOn": depends_on, "flightTasks": tasks,
            })
        })
        .collect();
    serde_json::json!({
        "apiVersion": "airforce.mil/v1alpha1",
        "kind": "Mission",
        "metadata": { "name": name },
        "spec": { "stages": stages },
    })
}

fn task(name: &str, duration: &str) -> serde_json::Value {
    serde_json::json!({
        "name": name,
        "aircraftRequirement": { "type": BENCH_TYPE },
        "podTemplate": { "metadata": { "annotations": { "sim.airforce.mil/duration": duration } } },
    })
}

async fn create_mission(client: &Client, ns: &str, mission: &serde_json::Value) {
    let mission: Mission = serde_json::from_value(mission.clone()).expect("a Mission");
    Api::<Mission>::namespaced(client.clone(), ns)
        .create(&PostParams::default(), &mission)
        .await
        .expect("mission created");
}

async fn wait_finished(client: &Client, ns: &str, name: &str) {
    let missions: Api<Mission> = Api::namespaced(client.clone(), ns);
    let done = support::wait_for(
        &missions,
        name,
        Duration::from_secs(600),
        "finished",
        support::mission_finished,
    )
    .await;
    let phase = done.status.and_then(|s| s.phase);
    println!("mission {name}: {phase:?}");
}

/// When each pod was first seen and each task first seen Succeeded, by this
/// process's clock (creation timestamps have one-second resolution).
#[derive(Default)]
struct Seen {
    pod_created: HashMap<String, Instant>,
    pod_succeeded: HashMap<String, Instant>,
    task_succeeded: HashMap<String, Instant>,
}

struct Recorder {
    seen: Arc<Mutex<Seen>>,
}

impl Recorder {
    fn start(client: &Client, ns: &str) -> Recorder {
        let seen = Arc::new(Mutex::new(Seen::default()));
        let pods: Api<Pod> = Api::namespaced(client.clone(), ns);
        let tasks: Api<FlightTask> = Api::namespaced(client.clone(), ns);
        let into = seen.clone();
        tokio::spawn(async move {
            let mut events = watcher::watcher(pods, watcher::Config::default()).boxed();
            while let Some(Ok(event)) = events.next().await {
                if let Event::Apply(pod) | Event::InitApply(pod) = event {
                    let now = Instant::now();
                    let mut seen = into.lock().expect("not poisoned");
                    seen.pod_created.entry(pod.name_any()).or_insert(now);
                    let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref());
                    if phase == Some("Succeeded") {
                        seen.pod_succeeded.entry(pod.name_any()).or_insert(now);
                    }
                }
            }
        });
        let into = seen.clone();
        tokio::spawn(async move {
            let mut events = watcher::watcher(tasks, watcher::Config::default()).boxed();
            while let Some(Ok(event)) = events.next().await {
                if let Event::Apply(task) | Event::InitApply(task) = event {
                    let phase = task.status.as_ref().and_then(|s| s.phase);
                    if phase == Some(FlightTaskPhase::Succeeded) {
                        let mut seen = into.lock().expect("not poisoned");
                        seen.task_succeeded
                            .entry(task.name_any())
                            .or_insert_with(Instant::now);
                    }
                }
            }
        });
        Recorder { seen }
    }

    fn seen(&self) -> std::sync::MutexGuard<'_, Seen> {
        self.seen.lock().expect("not poisoned")
    }
}

fn report_overhead(seen: &Seen, submits: &[(String, Instant)]) {
    let of_stage = |map: &HashMap<String, Instant>, mission: &str, stage: &str| -> Vec<Instant> {
        let prefix = format!("{mission}-{stage}-");
        (map.iter())
            .filter(|(name, _)| name.starts_with(&prefix))
            .map(|(_, at)| *at)
            .collect()
    };
    let mut from_task = Vec::new();
    let mut from_pod = Vec::new();
    let mut all_pods_created = Vec::new();
    for (mission, submitted) in submits {
        let first_stage = of_stage(&seen.pod_created, mission, STAGES[0]);
        if let Some(last) = first_stage.iter().max()
            && first_stage.len() == TASKS_PER_STAGE
        {
            all_pods_created.push(*last - *submitted);
        }
        for pair in STAGES.windows(2) {
            let next_first = of_stage(&seen.pod_created, mission, pair[1])
                .into_iter()
                .min();
            let task_last = of_stage(&seen.task_succeeded, mission, pair[0])
                .into_iter()
                .max();
            let pod_last = of_stage(&seen.pod_succeeded, mission, pair[0])
                .into_iter()
                .max();
            if let (Some(next), Some(task)) = (next_first, task_last) {
                from_task.push(next.saturating_duration_since(task));
            }
            if let (Some(next), Some(pod)) = (next_first, pod_last) {
                from_pod.push(next.saturating_duration_since(pod));
            }
        }
    }
    println!();
    println!(
        "controller overhead, {} missions of {} stages x {TASKS_PER_STAGE} zero-length tasks:",
        submits.len(),
        STAGES.len()
    );
    print_percentiles(
        "last task Succeeded -> next stage's first pod created",
        &mut from_task,
    );
    print_percentiles(
        "last pod Succeeded  -> next stage's first pod created",
        &mut from_pod,
    );
    print_percentiles(
        &format!("submit -> all {TASKS_PER_STAGE} pods of the first (parallel) stage created"),
        &mut all_pods_created,
    );
}

fn print_percentiles(what: &str, samples: &mut [Duration]) {
    samples.sort();
    let at = |q: f64| -> String {
        if samples.is_empty() {
            return "-".into();
        }
        let index = ((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1;
        format!("{:.0} ms", samples[index].as_secs_f64() * 1000.0)
    };
    println!(
        "  {what}: p50 {}, p99 {}, max {} (n = {})",
        at(0.50),
        at(0.99),
        at(1.0),
        samples.len()
    );
}

/// The operator's `/metrics` text (empty while it does not answer).
async fn scrape() -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Ok(mut stream) = tokio::net::TcpStream::connect(METRICS_ADDR).await else {
        return String::new();
    };
    let request = format!("GET /metrics HTTP/1.0\r\nHost: {METRICS_ADDR}\r\n\r\n");
    let mut response = String::new();
    if stream.write_all(request.as_bytes()).await.is_err()
        || stream.read_to_string(&mut response).await.is_err()
    {
        return String::new();
    }
    response
}

async fn wait_for_metrics() {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !scrape().await.contains("airforce_leader 1") {
        assert!(
            Instant::now() < deadline,
            "run did not start its controllers"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// `airforce_api_requests_total` samples: (verb, resource/subresource) -> count.
fn requests(text: &str) -> BTreeMap<(String, String), f64> {
    let mut counts = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| l.starts_with("airforce_api_requests_total{"))
    {
        let Some((labels, value)) = line.rsplit_once(' ') else {
            continue;
        };
        let label = |key: &str| -> String {
            let start = format!("{key}=\"");
            (labels.split_once(&start))
                .and_then(|(_, rest)| rest.split_once('"'))
                .map(|(value, _)| value.to_string())
                .unwrap_or_default()
        };
        let resource = match label("subresource").as_str() {
            "" => label("resource"),
            sub => format!("{}/{sub}", label("resource")),
        };
        counts.insert((label("verb"), resource), value.parse().unwrap_or(0.0));
    }
    counts
}

fn report_writes(before: &str, after: &str, tasks: usize) {
    let before = requests(before);
    let after = requests(after);
    println!();
    println!("API requests of `run` during those missions, per flight task ({tasks} tasks):");
    let mut writes = 0.0;
    let mut reads = 0.0;
    for ((verb, resource), count) in &after {
        let spent = count
            - before
                .get(&(verb.clone(), resource.clone()))
                .unwrap_or(&0.0);
        if spent <= 0.0 {
            continue;
        }
        let write = matches!(verb.as_str(), "create" | "update" | "patch" | "delete");
        if write {
            writes += spent;
        } else {
            reads += spent;
        }
        println!(
            "  {:<6} {verb:<8} {resource:<24} {:>8.0} total  {:>6.2} per task",
            if write { "write" } else { "read" },
            spent,
            spent / tasks as f64
        );
    }
    println!(
        "  writes per task: {:.2}; reads (get/list/watch) per task: {:.2}",
        writes / tasks as f64,
        reads / tasks as f64
    );
}

async fn report_memory(client: &Client, ns: &str, pid: u32, in_flight: usize) {
    let per_mission = 100;
    let missions = in_flight.div_ceil(per_mission);
    for index in 0..missions {
        let count = per_mission.min(in_flight - index * per_mission);
        let tasks: Vec<serde_json::Value> = (1..=count)
            .map(|t| task(&format!("t{t}"), "600s"))
            .collect();
        let mission = serde_json::json!({
            "apiVersion": "airforce.mil/v1alpha1",
            "kind": "Mission",
            "metadata": { "name": format!("load-{index}") },
            "spec": { "stages": [{ "name": "hold", "type": "parallel", "flightTasks": tasks }] },
        });
        create_mission(client, ns, &mission).await;
    }
    let pods: Api<Pod> = Api::namespaced(client.clone(), ns);
    let load = ListParams::default().labels("airforce.mil/stage");
    let started = Instant::now();
    let mut peak = 0;
    let mut created = 0;
    while started.elapsed() < Duration::from_secs(300) {
        peak = peak.max(rss(pid).unwrap_or(0));
        let listed = pods.list(&load).await.expect("pods list").items;
        created = listed
            .iter()
            .filter(|pod| pod.name_any().starts_with("load-"))
            .count();
        if created >= in_flight {
            break;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    println!();
    println!(
        "{in_flight} tasks in flight ({missions} missions x {per_mission} parallel 600 s tasks): \
         all {created} pods created in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // A steady minute after every pod exists: watches settled, caches full.
    let mut steady = Vec::new();
    for _ in 0..30 {
        tokio::time::sleep(Duration::from_secs(2)).await;
        if let Some(bytes) = rss(pid) {
            peak = peak.max(bytes);
            steady.push(bytes);
        }
    }
    steady.sort();
    let median = steady.get(steady.len() / 2).copied().unwrap_or(0);
    println!(
        "  resident memory of run: steady {} (median of 30 samples over 60 s), peak {}",
        mib(median),
        mib(peak)
    );
}

/// Resident set size of a process, from /proc.
fn rss(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}
