//! What `kubectl airforce dashboard` costs over the API server it reads, on
//! the local cluster, with the console as a child process (the release build)
//! spoken to in plain HTTP/1.1, as a browser would after its first visit:
//!
//! 1. The missions list with AIRFORCE_BENCH_DASHBOARD_MISSIONS (default 1,000)
//!    missions in the namespace: AIRFORCE_BENCH_DASHBOARD_LOADS (20) loads of
//!    `GET /missions?namespace=NS`, each on a fresh connection, from connect to
//!    the last byte. Yardstick: one plain list of the same missions by the
//!    bench; the page costs that list plus rendering and sending.
//! 2. A pod phase change until the mission page's live stream shows it. The
//!    page shows a pod only as the current pod of a FlightTask it owns (see
//!    `MissionView::build`), so the bench makes mission `live-bench` with its
//!    MissionStage, FlightTask (status naming the pod) and pod itself, all
//!    with the operator's names, labels and controller references; no operator
//!    runs, so nothing else changes them, and the pod names scheduler `nobody`,
//!    so kwok never binds it. AIRFORCE_BENCH_DASHBOARD_CHANGES (50) times the
//!    pod's `status.phase` flips between Running and Pending by a status patch,
//!    200 ms apart: from just before the patch until an `event: update` showing the new
//!    phase arrives. Yardstick, from the same patches: the bench's own pod
//!    watch seeing the change; the difference is the console's cost (its
//!    40 ms settle included).
//! 3. The console's resident memory after start, after the page loads and
//!    after the live section.
//!
//! `cargo bench --bench dashboard` (the cluster must be up: `tests/cluster/up`).
//! Figures are printed, never asserted: the machines are shared and noisy.

#[path = "common/console.rs"]
mod console;
#[path = "common/memory.rs"]
mod memory;
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

use std::process::Command;
use std::time::{Duration, Instant};

use console::Dashboard;
use futures::{StreamExt, stream};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{ListParams, ObjectMeta, Patch, PatchParams, PostParams};
use kube::{Api, Client, Resource};
use kubectl_airforce::api::flight_task::ObjectRef;
use kubectl_airforce::api::stage::StageConfig;
use kubectl_airforce::api::{
    FlightTask, FlightTaskSpec, Mission, MissionSpec, MissionStage, MissionStageSpec,
};
use kubectl_airforce::controller::names;
use percentiles::print_percentiles;
use serde_json::json;
use tokio::sync::mpsc::{self, UnboundedReceiver};

/// One stage with one task: the smallest mission the API server admits.
const SPEC: &str = "stages:\n- name: sortie\n  flightTasks: [{name: strike}]\n";
const LIVE: &str = "live-bench";
/// Missions created at once: enough to keep the API server busy, few enough
/// not to crowd out the other work on the machine.
const CREATORS: usize = 16;
/// How long one change may take to show before the bench gives up.
const PATIENCE: Duration = Duration::from_secs(10);
/// Between changes, well past the console's 40 ms settle: each change finds
/// the console idle, as the changes of one task come, not back to back.
const APART: Duration = Duration::from_millis(200);

async fn create_missions(client: &Client, ns: &str, count: usize) {
    let spec: MissionSpec = serde_yaml_ng::from_str(SPEC).expect("the mission spec reads");
    let missions: Api<Mission> = Api::namespaced(client.clone(), ns);
    stream::iter(0..count)
        .map(|index| {
            let mission = Mission::new(&format!("m-{index:05}"), spec.clone());
            let missions = missions.clone();
            async move {
                (missions.create(&PostParams::default(), &mission).await)
                    .unwrap_or_else(|error| panic!("create mission {index}: {error}"));
            }
        })
        .buffer_unordered(CREATORS)
        .collect::<()>()
        .await;
}

/// The missions page, `loads` times, each checked to be whole.
async fn page_loads(
    dashboard: &Dashboard,
    ns: &str,
    loads: usize,
    count: usize,
) -> (Vec<Duration>, usize) {
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..loads {
        let started = Instant::now();
        let (code, page) = dashboard.get(&format!("/missions?namespace={ns}")).await;
        times.push(started.elapsed());
        let rows = page.matches("data-mission=").count();
        assert!(
            code == 200 && rows == count,
            "the missions page answered {code} with {rows} of {count} missions:\n{}",
            &page[..page.len().min(2000)]
        );
        size = page.len();
    }
    (times, size)
}

/// The yardstick of the page: the same list, made by the bench itself.
async fn api_lists(client: &Client, ns: &str, loads: usize, count: usize) -> Vec<Duration> {
    let missions: Api<Mission> = Api::namespaced(client.clone(), ns);
    let mut times = Vec::new();
    for _ in 0..loads {
        let started = Instant::now();
        let listed = missions
            .list(&ListParams::default())
            .await
            .expect("the missions list");
        times.push(started.elapsed());
        assert_eq!(listed.items.len(), count, "missions listed");
    }
    times
}

/// The value at quantile `q` of `samples`, sorted, in milliseconds.
fn at(samples: &mut [Duration], q: f64) -> f64 {
    samples.sort();
    let index = ((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1;
    samples[index].as_secs_f64() * 1000.0
}

fn print_p90(what: &str, samples: &mut [Duration]) {
    let (p50, p90, max) = (at(samples, 0.5), at(samples, 0.9), at(samples, 1.0));
    println!(
        "  {what}: p50 {p50:.0} ms, p90 {p90:.0} ms, max {max:.0} ms (n = {})",
        samples.len()
    );
}

/// Mission `live-bench` and its stage, task and pod as the operator would
/// name, label and own them; the task's status names the pod as its current
/// one, which is what puts the pod's phase on the page.
async fn live_mission(client: &Client, ns: &str) -> String {
    let spec: MissionSpec = serde_yaml_ng::from_str(SPEC).expect("the mission spec reads");
    let template = spec.stages[0].clone();
    let (stage_name, task_name) = (template.name.clone(), "strike");
    let mission = create(client, ns, Mission::new(LIVE, spec)).await;
    let mut stage = MissionStage::new(
        &names::stage(LIVE, &stage_name),
        MissionStageSpec {
            mission_ref: ObjectRef { name: LIVE.into() },
            stage_name: stage_name.clone(),
            stage_index: 0,
            stage_type: template.stage_type,
            priority: None,
            flight_tasks: template.flight_tasks.clone(),
            config: StageConfig::default(),
            gate: None,
        },
    );
    adopt(
        &mut stage.metadata,
        names::labels(LIVE, &stage_name, None),
        &mission,
    );
    let stage = create(client, ns, stage).await;
    let object = names::flight_task(LIVE, &stage_name, task_name);
    let mut task = FlightTask::new(
        &object,
        FlightTaskSpec {
            stage_ref: Some(ObjectRef {
                name: names::stage(LIVE, &stage_name),
            }),
            priority: None,
            replica: None,
            template: template.flight_tasks[0].template.clone(),
        },
    );
    let labels = names::labels(LIVE, &stage_name, Some(task_name));
    adopt(&mut task.metadata, labels.clone(), &stage);
    let task = create(client, ns, task).await;
    let pod_name = names::pod(&object, 1);
    // No scheduler places it, so kwok never starts it: its phase is the
    // bench's to set.
    let container = json!({"name": "task", "image": "busybox:1.36"});
    let spec = json!({"schedulerName": "nobody", "containers": [container]});
    let pod =
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": pod_name}, "spec": spec});
    let mut pod: Pod = serde_json::from_value(pod).expect("the pod reads");
    adopt(&mut pod.metadata, labels, &task);
    create(client, ns, pod).await;
    let status = json!({"status": {"phase": "Running", "podRef": {"name": pod_name}}});
    (Api::<FlightTask>::namespaced(client.clone(), ns)
        .patch_status(&object, &PatchParams::default(), &Patch::Merge(&status))
        .await)
        .expect("the task's status names its pod");
    pod_name
}

fn adopt<K: Resource<DynamicType = ()>>(
    meta: &mut ObjectMeta,
    labels: std::collections::BTreeMap<String, String>,
    owner: &K,
) {
    meta.labels = Some(labels);
    meta.owner_references = names::owner_reference(owner).map(|owner| vec![owner]);
}

async fn create<K>(client: &Client, ns: &str, object: K) -> K
where
    K: Resource<DynamicType = (), Scope = kube::core::NamespaceResourceScope>
        + Clone
        + serde::Serialize
        + serde::de::DeserializeOwned
        + std::fmt::Debug,
{
    let api: Api<K> = Api::namespaced(client.clone(), ns);
    (api.create(&PostParams::default(), &object).await)
        .unwrap_or_else(|error| panic!("create {}: {error}", K::kind(&())))
}

/// The next update whose markup shows `shown`, and how many came without it.
async fn update_showing(
    page: &mut UnboundedReceiver<(String, Instant)>,
    shown: &str,
) -> (Instant, usize) {
    let mut others = 0;
    loop {
        let next = tokio::time::timeout(PATIENCE, page.recv()).await;
        let Ok(Some((event, at))) = next else {
            panic!("the live stream showed no {shown:?} within {PATIENCE:?}");
        };
        assert!(
            event.starts_with("event: update"),
            "the live stream said: {event}"
        );
        if event.contains(shown) {
            return (at, others);
        }
        others += 1;
    }
}

/// The phase flips; returns the times to the page and to the bench's watch,
/// and the updates that did not show a change.
async fn phase_changes(
    client: &Client,
    ns: &str,
    pod: &str,
    page: &mut UnboundedReceiver<(String, Instant)>,
    changes: usize,
) -> (Vec<Duration>, Vec<Duration>, usize) {
    let pods: Api<Pod> = Api::namespaced(client.clone(), ns);
    let (seen, mut watched) = mpsc::unbounded_channel();
    let watch = pod_watch::watch_pods(
        pods.clone(),
        &format!("airforce.mil/mission={LIVE}"),
        move |pod| {
            let phase = pod.status.and_then(|s| s.phase).unwrap_or_default();
            let _ = seen.send((phase, Instant::now()));
        },
    );
    // The watch holds the pod before the first patch, so no time of its
    // start is taken for a change seen.
    let first = tokio::time::timeout(PATIENCE, watched.recv()).await;
    first.ok().flatten().expect("the bench's pod watch starts");
    let (mut drawn, mut observed, mut others) = (Vec::new(), Vec::new(), 0);
    for index in 0..changes {
        let phase = ["Running", "Pending"][index % 2];
        let patch = json!({"status": {"phase": phase, "message": format!("bench change {index}")}});
        let patched = Instant::now();
        (pods
            .patch_status(pod, &PatchParams::default(), &Patch::Merge(&patch))
            .await)
            .expect("the pod's status patch");
        let (at, without) = update_showing(page, &shown(pod, phase)).await;
        loop {
            match tokio::time::timeout(PATIENCE, watched.recv()).await {
                Ok(Some((seen, when))) if seen == phase && when > patched => {
                    break observed.push(when - patched);
                }
                Ok(Some(_)) => {}
                _ => panic!("the bench's pod watch did not see {phase} within {PATIENCE:?}"),
            }
        }
        drawn.push(at - patched);
        others += without;
        tokio::time::sleep(APART).await;
    }
    watch.abort();
    (drawn, observed, others)
}

/// How a task row shows its pod's phase.
fn shown(pod: &str, phase: &str) -> String {
    format!("{pod} <span class=\"dim\">{phase}</span>")
}

/// `git` at the bench's working tree, trimmed.
fn git(args: &[&str]) -> String {
    let output = Command::new("git").args(args).output().expect("git runs");
    support::text(&output.stdout).trim().to_string()
}

fn print_header() {
    let changed = match git(&["status", "--porcelain"]).is_empty() {
        true => "",
        false => " with uncommitted changes",
    };
    let today = k8s_openapi::jiff::Timestamp::now().to_string();
    let commit = git(&["rev-parse", "--short", "HEAD"]);
    println!("\ndashboard, commit {commit}{changed}, {}:", &today[..10]);
}

/// Section 1: the missions page against the bench's own list.
async fn first_page(
    client: &Client,
    ns: &str,
    dashboard: &mut Dashboard,
    count: usize,
    loads: usize,
) {
    let (mut pages, bytes) = page_loads(dashboard, ns, loads, count).await;
    let mut lists = api_lists(client, ns, loads, count).await;
    dashboard.alive();
    println!(
        "first page load, {count} missions in the namespace ({} KiB a page):",
        bytes / 1024
    );
    print_p90(
        "GET /missions?namespace=NS, connect to last byte",
        &mut pages,
    );
    print_p90(
        "yardstick: one API list of the missions by the bench",
        &mut lists,
    );
    let ratio = at(&mut pages, 0.5) / at(&mut lists, 0.5);
    println!("  page / list, p50: {ratio:.1}x");
}

/// Section 2: a pod phase change until the live stream shows it, against
/// the bench's own watch.
async fn live_section(client: &Client, ns: &str, dashboard: &mut Dashboard, changes: usize) {
    let pod = live_mission(client, ns).await;
    let mut page = console::live_stream(dashboard, &format!("/missions/{ns}/{LIVE}/live")).await;
    // The page must show the pod before its changes are timed.
    update_showing(&mut page, &shown(&pod, "Pending")).await;
    let (mut drawn, mut observed, others) =
        phase_changes(client, ns, &pod, &mut page, changes).await;
    dashboard.alive();
    println!("pod phase change -> page, mission {LIVE}:");
    print_percentiles(
        "pod status patch -> live stream event: update showing it",
        &mut drawn,
    );
    print_percentiles(
        "yardstick: pod status patch -> the bench's own pod watch event",
        &mut observed,
    );
    println!("  updates that showed no change: {others}");
}

/// The console's resident memory at the end of each section.
fn print_resident(resident: &[u64]) {
    let [start, loaded, live] = [0, 1, 2].map(|i| memory::mib(resident[i]));
    let peak = memory::mib(resident.iter().copied().max().unwrap_or(0));
    println!(
        "dashboard resident: after start {start}, after the page loads {loaded}, \
         after the live section {live} (peak {peak}, last {live})"
    );
}

fn main() {
    if !run::under_cargo_bench("dashboard") {
        return;
    }
    let missions: usize = settings::setting("AIRFORCE_BENCH_DASHBOARD_MISSIONS", 1000);
    let loads: usize = settings::setting("AIRFORCE_BENCH_DASHBOARD_LOADS", 20);
    let changes: usize = settings::setting("AIRFORCE_BENCH_DASHBOARD_CHANGES", 50);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(support::with_namespace(
        "bench-dashboard",
        move |client, ns| async move {
            support::ensure_crds(&client).await;
            let cluster = memory::Sampler::cluster();
            create_missions(&client, &ns, missions).await;
            let mut dashboard = Dashboard::start(&ns).await;
            dashboard.enter().await;
            print_header();
            // Once it has answered a first request: ready, and nothing cached.
            let mut resident = vec![dashboard.rss()];
            first_page(&client, &ns, &mut dashboard, missions, loads).await;
            resident.push(dashboard.rss());
            live_section(&client, &ns, &mut dashboard, changes).await;
            resident.push(dashboard.rss());
            print_resident(&resident);
            println!("{}", cluster.take().line());
        },
    ));
}
