//! Figures for `run` on the local cluster, each beside ceiling C (the pod
//! lifecycles a second the cluster takes with no operator at all, measured on
//! the same aircraft first) and the memory of etcd and kube-apiserver:
//! - latency: between a stage finishing and the next one's first pod, and from
//!   submit until every pod of a parallel stage exists, with the API requests
//!   a task's life costs;
//! - throughput: 10,000 one-pod tasks submitted at once (100 missions of 100
//!   tasks): tasks completed a second, API writes and reads per task, and the
//!   resident memory of `run` through the run;
//! - one huge mission: one parallel stage whose one task fans out to 10,000
//!   replicas: how long it takes, the largest object and status in bytes, and
//!   how long `mission get` and `watch --no-follow` take on it.
//!
//! `cargo bench --bench controller` (the cluster must be up: `tests/cluster/up`).
//! It brings its own kwok aircraft and namespaces and removes them afterwards.
//! Settings: AIRFORCE_BENCH_AIRCRAFT (default 1000), AIRFORCE_BENCH_CEILING_PODS
//! (default 2000), AIRFORCE_BENCH_MISSIONS (latency missions, default 10),
//! AIRFORCE_BENCH_TASKS (throughput tasks, default 10000), AIRFORCE_BENCH_REPLICAS
//! (the huge mission's replicas, default 10000), AIRFORCE_BENCH_DEADLINE (seconds a
//! section may take, default 3600; one that takes longer reports how far it got,
//! marked NOT FINISHED).
//! Figures are printed, never asserted: the machines are shared and noisy.

#[path = "common/ceiling.rs"]
mod ceiling;
#[path = "common/cleanup.rs"]
mod cleanup;
#[path = "common/memory.rs"]
mod memory;
#[path = "common/operator.rs"]
mod operator;
#[path = "common/percentiles.rs"]
mod percentiles;
#[path = "common/pod_watch.rs"]
mod pod_watch;
#[path = "common/run.rs"]
mod run;
#[path = "common/settings.rs"]
mod settings;
#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ceiling::Ceiling;
use futures::{StreamExt, stream};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{ListParams, PostParams};
use kube::runtime::watcher::{self, Event};
use kube::{Api, Client, ResourceExt};
use kubectl_airforce::api::{FlightTask, FlightTaskPhase, Mission, MissionStage};
use memory::{Sampler, Taken, mib};
use operator::Operator;
use percentiles::print_percentiles;

const STAGES: [&str; 3] = ["ingress", "strike", "egress"];
const TASKS_PER_STAGE: usize = 50;
const TASKS_PER_MISSION: usize = 100;
const BENCH_TYPE: &str = "benchjet";

fn main() {
    if !run::under_cargo_bench("controller") {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let client = support::client().await;
        let aircraft: Vec<String> = (1..=settings::setting("AIRFORCE_BENCH_AIRCRAFT", 1000))
            .map(|i| format!("bench-{i:04}"))
            .collect();
        let started = Instant::now();
        support::create_aircraft(&client, &aircraft, &aircraft_labels()).await;
        println!(
            "{} kwok aircraft ready in {:.1} s",
            aircraft.len(),
            started.elapsed().as_secs_f64()
        );
        let outcome = tokio::spawn(benchmark(aircraft.clone())).await;
        support::delete_aircraft(&client, &aircraft).await;
        if let Err(panic) = outcome {
            std::panic::resume_unwind(panic.into_panic());
        }
    });
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

async fn benchmark(aircraft: Vec<String>) {
    let sampler = Arc::new(Sampler::cluster());
    tokio::time::sleep(Duration::from_secs(2)).await;
    println!("idle cluster, {}", sampler.take().line());
    let count = settings::setting("AIRFORCE_BENCH_CEILING_PODS", 2000);
    let fleet = aircraft.len();
    let ceiling = Arc::new(
        in_namespace("bench-ceiling", move |client, ns| async move {
            ceiling::measure(&client, &ns, &aircraft, count).await
        })
        .await,
    );
    ceiling.print(fleet);
    println!("  {}", sampler.take().line());

    let (s, c) = (sampler.clone(), ceiling.clone());
    in_namespace("bench-latency", move |client, ns| latency(client, ns, s, c)).await;
    let (s, c) = (sampler.clone(), ceiling.clone());
    in_namespace("bench-throughput", move |client, ns| {
        throughput(client, ns, s, c)
    })
    .await;
    let (s, c) = (sampler.clone(), ceiling.clone());
    in_namespace("bench-huge", move |client, ns| {
        huge_mission(client, ns, s, c)
    })
    .await;
}

/// Runs `section` in a namespace of its own and hands back what it returns.
async fn in_namespace<T, F, Fut>(prefix: &str, section: F) -> T
where
    T: Send + 'static,
    F: FnOnce(Client, String) -> Fut,
    Fut: Future<Output = T> + Send + 'static,
{
    let slot: Arc<Mutex<Option<T>>> = Arc::default();
    let into = slot.clone();
    support::with_namespace(prefix, move |client, ns| {
        let section = section(client, ns);
        async move {
            let value = section.await;
            *into.lock().expect("slot") = Some(value);
        }
    })
    .await;
    let value = slot.lock().expect("slot").take();
    value.expect("the section finished")
}

fn deadline() -> Duration {
    Duration::from_secs(settings::setting("AIRFORCE_BENCH_DEADLINE", 3600))
}

async fn latency(client: Client, ns: String, sampler: Arc<Sampler>, ceiling: Arc<Ceiling>) {
    let operator = Operator::start(&client, &ns).await;
    sampler.follow("run", operator.pid());
    sampler.take();
    let recorder = Recorder::start(&client, &ns);
    let missions = settings::setting("AIRFORCE_BENCH_MISSIONS", 10);
    let before = operator.metrics().await;
    let mut submits = Vec::new();
    let started = Instant::now();
    for index in 0..missions {
        let name = format!("overhead-{index}");
        let submitted = Instant::now();
        create_mission(&client, &ns, &overhead_mission(&name)).await;
        submits.push((name.clone(), submitted));
        wait_finished(&client, &ns, &name).await;
    }
    let elapsed = started.elapsed();
    let after = operator.metrics().await;
    let tasks = missions * STAGES.len() * TASKS_PER_STAGE;
    report_overhead(&recorder.seen(), &submits);
    let rate = tasks as f64 / elapsed.as_secs_f64();
    println!(
        "  {tasks} tasks in {:.1} s, one mission at a time: {rate:.1} tasks/s, {}",
        elapsed.as_secs_f64(),
        ceiling.fraction(rate)
    );
    println!("  {}", sampler.take().line());
    report_writes(&before, &after, tasks);
}

async fn throughput(client: Client, ns: String, sampler: Arc<Sampler>, ceiling: Arc<Ceiling>) {
    let operator = Operator::start(&client, &ns).await;
    sampler.follow("run", operator.pid());
    let total: usize = settings::setting("AIRFORCE_BENCH_TASKS", 10_000);
    let missions = total.div_ceil(TASKS_PER_MISSION);
    let before = operator.metrics().await;
    sampler.take();
    let started = Instant::now();
    stream::iter(0..missions)
        .map(|index| {
            let count = TASKS_PER_MISSION.min(total - index * TASKS_PER_MISSION);
            let tasks: Vec<serde_json::Value> =
                (1..=count).map(|t| task(&format!("t{t}"), "0s")).collect();
            let mission = serde_json::json!({
                "apiVersion": "airforce.mil/v1alpha1",
                "kind": "Mission",
                "metadata": { "name": format!("load-{index}") },
                "spec": { "stages": [{ "name": "sortie", "type": "parallel", "flightTasks": tasks }] },
            });
            let (client, ns) = (client.clone(), ns.clone());
            async move { create_mission(&client, &ns, &mission).await }
        })
        .buffer_unordered(16)
        .collect::<()>()
        .await;
    let submitted_in = started.elapsed();
    let finished = wait_all_finished(&client, &ns, missions).await;
    let elapsed = started.elapsed();
    let after = operator.metrics().await;
    let taken = sampler.take();
    println!();
    println!(
        "throughput, {total} one-pod tasks submitted at once ({missions} missions of up to {TASKS_PER_MISSION} parallel zero-length tasks):"
    );
    println!("  submitted in {:.1} s", submitted_in.as_secs_f64());
    let done = report_finish(&client, &ns, finished, elapsed, &ceiling).await;
    report_costs(&taken, &before, &after, done);
}

async fn huge_mission(client: Client, ns: String, sampler: Arc<Sampler>, ceiling: Arc<Ceiling>) {
    let operator = Operator::start(&client, &ns).await;
    sampler.follow("run", operator.pid());
    let replicas: usize = settings::setting("AIRFORCE_BENCH_REPLICAS", 10_000);
    let mut fanned = task("swarm", "0s");
    fanned["replicas"] = replicas.into();
    let mission = serde_json::json!({
        "apiVersion": "airforce.mil/v1alpha1",
        "kind": "Mission",
        "metadata": { "name": "huge" },
        "spec": { "stages": [{ "name": "wave", "type": "parallel", "flightTasks": [fanned] }] },
    });
    let before = operator.metrics().await;
    sampler.take();
    let started = Instant::now();
    create_mission(&client, &ns, &mission).await;
    let finished = wait_all_finished(&client, &ns, 1).await;
    let elapsed = started.elapsed();
    let after = operator.metrics().await;
    let taken = sampler.take();
    println!();
    println!("one huge mission: one parallel stage, one task with {replicas} replicas:");
    let done = report_finish(&client, &ns, finished, elapsed, &ceiling).await;
    print_sizes(&client, &ns).await;
    for args in [["mission", "get", "huge"], ["watch", "huge", "--no-follow"]] {
        let mut command = vec!["-n", ns.as_str()];
        command.extend(args);
        let started = Instant::now();
        let output = support::airforce(&command);
        let took = started.elapsed();
        // `watch` exits 1 when a mission it shows has failed.
        let answered =
            output.status.success() || (args[0] == "watch" && output.status.code() == Some(1));
        assert!(
            answered,
            "kubectl airforce {} failed:\n{}",
            args.join(" "),
            support::text(&output.stderr)
        );
        println!(
            "  kubectl airforce {}: {:.0} ms, {} lines",
            args.join(" "),
            took.as_secs_f64() * 1000.0,
            support::text(&output.stdout).lines().count()
        );
    }
    report_costs(&taken, &before, &after, done);
}

/// The memory of `run` and of the cluster over a section, and the API requests
/// `run` made per finished task.
fn report_costs(taken: &Taken, before: &str, after: &str, tasks: usize) {
    let run = taken.of("run");
    println!(
        "  resident memory of run through the run: median {}, peak {}",
        mib(run.median),
        mib(run.peak)
    );
    println!("  {}", taken.line());
    report_writes(before, after, tasks);
}

/// Prints how the missions of a section ended, or how far they got when the
/// deadline came first, and the rate of flight tasks that succeeded. Returns
/// how many flight tasks finished, the count the per-task figures divide by.
async fn report_finish(
    client: &Client,
    ns: &str,
    finished: Option<(usize, usize)>,
    elapsed: Duration,
    ceiling: &Ceiling,
) -> usize {
    let tasks: Vec<FlightTask> = list_all(client, ns).await;
    let phase = |t: &FlightTask| t.status.as_ref().and_then(|s| s.phase);
    let succeeded = (tasks.iter())
        .filter(|t| phase(t) == Some(FlightTaskPhase::Succeeded))
        .count();
    let failed = (tasks.iter())
        .filter(|t| phase(t) == Some(FlightTaskPhase::Failed))
        .count();
    match finished {
        Some((missions_succeeded, missions_failed)) => println!(
            "  every mission finished {:.1} s after the first submit ({missions_succeeded} succeeded, {missions_failed} failed)",
            elapsed.as_secs_f64()
        ),
        None => println!(
            "  NOT FINISHED within the deadline of {:.0} s (AIRFORCE_BENCH_DEADLINE): the figures below cover the tasks done by then",
            elapsed.as_secs_f64()
        ),
    }
    let rate = succeeded as f64 / elapsed.as_secs_f64();
    println!(
        "  {succeeded} of {} flight tasks succeeded and {failed} failed: {rate:.1} tasks/s, {}",
        tasks.len(),
        ceiling.fraction(rate)
    );
    (succeeded + failed).max(1)
}

/// Every object of kind `K` in `ns`, read 500 at a time. An API server that
/// thousands of tasks keep busy may drop a request: each page is tried up to
/// ten times before the benchmark gives up, saying which kind it could not read.
async fn list_all<K>(client: &Client, ns: &str) -> Vec<K>
where
    K: kube::Resource<Scope = kube::core::NamespaceResourceScope, DynamicType = ()>
        + Clone
        + serde::de::DeserializeOwned
        + std::fmt::Debug,
{
    let api: Api<K> = Api::namespaced(client.clone(), ns);
    let kind = K::kind(&());
    let mut items = Vec::new();
    let mut page = ListParams::default().limit(500);
    loop {
        let mut tries = 0;
        let list = loop {
            match api.list(&page).await {
                Ok(list) => break list,
                Err(error) if tries < 10 => {
                    tries += 1;
                    eprintln!("list {kind}: {error}; trying again");
                    tokio::time::sleep(Duration::from_secs(2)).await;
                }
                Err(error) => panic!("cannot list the {kind} objects of {ns}: {error}"),
            }
        };
        items.extend(list.items);
        match list.metadata.continue_.filter(|token| !token.is_empty()) {
            Some(token) => page = ListParams::default().limit(500).continue_token(&token),
            None => return items,
        }
    }
}

/// The largest object and the largest status of each kind in `ns`, in bytes
/// of JSON as the API server stores them.
async fn print_sizes(client: &Client, ns: &str) {
    fn largest<K: serde::Serialize>(objects: &[K], status: impl Fn(&K) -> usize) -> (usize, usize) {
        let whole = (objects.iter())
            .map(|o| serde_json::to_vec(o).map_or(0, |bytes| bytes.len()))
            .max()
            .unwrap_or(0);
        (whole, objects.iter().map(status).max().unwrap_or(0))
    }
    fn bytes<T: serde::Serialize>(value: &Option<T>) -> usize {
        serde_json::to_vec(value).map_or(0, |bytes| bytes.len())
    }
    let missions: Vec<Mission> = list_all(client, ns).await;
    let stages: Vec<MissionStage> = list_all(client, ns).await;
    let tasks: Vec<FlightTask> = list_all(client, ns).await;
    for (kind, (whole, status)) in [
        ("Mission", largest(&missions, |m| bytes(&m.status))),
        ("MissionStage", largest(&stages, |s| bytes(&s.status))),
        ("FlightTask", largest(&tasks, |t| bytes(&t.status))),
    ] {
        println!("  largest {kind}: {whole} bytes, its largest status {status} bytes");
    }
    println!("  flight tasks: {}", tasks.len());
}

/// Waits until all `count` missions in `ns` have finished; returns how many
/// succeeded and how many failed, or `None` when the deadline came first. Says
/// how far it is every 30 s, so a long run shows it is alive.
async fn wait_all_finished(client: &Client, ns: &str, count: usize) -> Option<(usize, usize)> {
    use kubectl_airforce::api::MissionPhase;
    let api: Api<Mission> = Api::namespaced(client.clone(), ns);
    let started = Instant::now();
    let mut told = Instant::now();
    loop {
        let missions = match api.list(&ListParams::default()).await {
            Ok(list) => list.items,
            Err(error) => {
                eprintln!("list missions: {error}; trying again");
                Vec::new()
            }
        };
        let phase = |m: &Mission| m.status.as_ref().and_then(|s| s.phase);
        let succeeded = (missions.iter())
            .filter(|m| phase(m) == Some(MissionPhase::Succeeded))
            .count();
        let failed = (missions.iter())
            .filter(|m| phase(m) == Some(MissionPhase::Failed))
            .count();
        if succeeded + failed == count {
            return Some((succeeded, failed));
        }
        if told.elapsed() > Duration::from_secs(30) {
            let statistics = (missions.iter()).filter_map(|m| Some(&m.status.as_ref()?.statistics));
            let tasks_done: i32 = statistics.map(|s| s.succeeded_tasks + s.failed_tasks).sum();
            eprintln!(
                "  ... {:.0} s: {succeeded} of {count} missions succeeded, {failed} failed; {tasks_done} flight tasks finished",
                started.elapsed().as_secs_f64()
            );
            told = Instant::now();
        }
        if started.elapsed() > deadline() {
            return None;
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
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
        // Thousands of tasks queue for a fleet of hundreds: the default of
        // five minutes would fail the tail of the queue, not measure it.
        "schedulingTimeout": "2h",
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
        let prefix = format!("{mission}.{stage}.");
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
