//! What one status write costs the local cluster's API server and etcd, by
//! the size of the object written: a Mission of 1, 10 and 100 inline tasks
//! has its status patched AIRFORCE_BENCH_WRITES times (default 600), one write
//! after another, and the CPU time kube-apiserver and etcd spent meanwhile
//! (from /proc) is divided by the writes. The yardstick, in the same run: a
//! ConfigMap of the same size patched as often. Then the 10-task mission's
//! status written the three ways a controller can (server-side apply, merge
//! patch, JSON patch), to tell the cost of the kind of write from that of the
//! object. This is the cost the controllers' progress writes are paced by.
//!
//! `cargo bench --bench write_cost` (the cluster must be up: `tests/cluster/up`).
//! Figures are printed, never asserted: the machines are shared and noisy.

#[path = "common/memory.rs"]
mod memory;
#[path = "common/run.rs"]
mod run;
#[path = "common/settings.rs"]
mod settings;
#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::ConfigMap;
use kube::Api;
use kube::api::{Patch, PatchParams, PostParams};
use kubectl_airforce::api::Mission;
use serde_json::json;

/// CPU seconds a process has spent, user and system, from /proc.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .unwrap_or_else(|e| panic!("cannot read /proc/{pid}/stat: {e}"));
    // The fields after the command name, which may hold spaces, in its parentheses.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |index: usize| {
        fields
            .get(index)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime, the 14th and 15th fields of the line; Linux counts 100 ticks a second.
    (ticks(11) + ticks(12)) / 100.0
}

struct Cost {
    apiserver_ms: f64,
    etcd_ms: f64,
    rate: f64,
}

/// Runs `write` `count` times and divides the cluster's CPU time by them.
async fn measure<F, Fut>(count: usize, mut write: F) -> Cost
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = ()>,
{
    let pid = |component| {
        memory::cluster_pid(component).unwrap_or_else(|| {
            panic!("no {component} pid: is the local cluster up (tests/cluster/up)?")
        })
    };
    let (apiserver, etcd) = (pid("kube-apiserver"), pid("etcd"));
    let (api0, etcd0, started) = (cpu_seconds(apiserver), cpu_seconds(etcd), Instant::now());
    for index in 0..count {
        write(index).await;
    }
    let elapsed: Duration = started.elapsed();
    Cost {
        apiserver_ms: (cpu_seconds(apiserver) - api0) * 1e3 / count as f64,
        etcd_ms: (cpu_seconds(etcd) - etcd0) * 1e3 / count as f64,
        rate: count as f64 / elapsed.as_secs_f64(),
    }
}

fn mission(name: &str, tasks: usize) -> Mission {
    let tasks: Vec<serde_json::Value> = (0..tasks)
        .map(|index| {
            json!({
                "name": format!("t{index}"),
                "aircraftRequirement": { "type": "j20" },
                "schedulingTimeout": "2h",
                "podTemplate": { "metadata": { "annotations": { "sim.airforce.mil/duration": "0s" } } },
            })
        })
        .collect();
    serde_json::from_value(json!({
        "apiVersion": "airforce.mil/v1alpha1",
        "kind": "Mission",
        "metadata": { "name": name },
        "spec": { "stages": [{ "name": "sortie", "type": "parallel", "flightTasks": tasks }] },
    }))
    .expect("a Mission")
}

#[tokio::main]
async fn main() {
    if !run::under_cargo_bench("write_cost") {
        return;
    }
    let writes: usize = settings::setting("AIRFORCE_BENCH_WRITES", 600);
    support::with_namespace("bench-write-cost", move |client, ns| async move {
        support::ensure_crds(&client).await;
        let missions: Api<Mission> = Api::namespaced(client.clone(), &ns);
        let maps: Api<ConfigMap> = Api::namespaced(client.clone(), &ns);
        let params = PatchParams::default();
        println!("status writes, {writes} one after another (CPU per write):");
        for tasks in [1, 10, 100] {
            let name = format!("size-{tasks}");
            let created = (missions.create(&PostParams::default(), &mission(&name, tasks)).await)
                .expect("the mission is created");
            let bytes = serde_json::to_vec(&created).expect("JSON").len();
            let cost = measure(writes, |index| {
                let patch = json!({ "status": { "message": format!("write {index}") } });
                let (missions, name, params) = (&missions, &name, &params);
                async move {
                    (missions.patch_status(name, params, &Patch::Merge(&patch)).await)
                        .expect("the status is written");
                }
            })
            .await;
            let map = json!({ "metadata": { "name": name }, "data": { "filler": "x".repeat(bytes) } });
            let map: ConfigMap = serde_json::from_value(map).expect("a ConfigMap");
            (maps.create(&PostParams::default(), &map).await).expect("the ConfigMap is created");
            let yardstick = measure(writes, |index| {
                let patch = json!({ "data": { "message": format!("write {index}") } });
                let (maps, name, params) = (&maps, &name, &params);
                async move {
                    (maps.patch(name, params, &Patch::Merge(&patch)).await).expect("the ConfigMap is written");
                }
            })
            .await;
            println!(
                "  Mission of {tasks:>3} tasks ({bytes:>6} bytes): kube-apiserver {:.1} ms, etcd {:.1} ms, {:.0} writes/s; \
                 ConfigMap of the same size: kube-apiserver {:.1} ms, etcd {:.1} ms, {:.0} writes/s ({:.1}x)",
                cost.apiserver_ms,
                cost.etcd_ms,
                cost.rate,
                yardstick.apiserver_ms,
                yardstick.etcd_ms,
                yardstick.rate,
                cost.apiserver_ms / yardstick.apiserver_ms.max(0.01)
            );
        }
        patch_kinds(&missions, writes).await;
    })
    .await;
}

/// The 10-task mission's status written by each kind of patch.
async fn patch_kinds(missions: &Api<Mission>, writes: usize) {
    let name = "size-10";
    println!("the same status write, {name}, by kind of patch (CPU per write):");
    for kind in ["server-side apply", "merge patch", "JSON patch"] {
        let cost = measure(writes, |index| {
            let message = format!("{kind} {index}");
            async move {
                let written = match kind {
                    "server-side apply" => {
                        let body = json!({
                            "apiVersion": "airforce.mil/v1alpha1",
                            "kind": "Mission",
                            "status": { "message": message },
                        });
                        let params = PatchParams::apply("bench.airforce.mil/write-cost").force();
                        missions
                            .patch_status(name, &params, &Patch::Apply(&body))
                            .await
                    }
                    "merge patch" => {
                        let body = json!({ "status": { "message": message } });
                        missions
                            .patch_status(name, &PatchParams::default(), &Patch::Merge(&body))
                            .await
                    }
                    _ => {
                        let body =
                            json!([{ "op": "add", "path": "/status/message", "value": message }]);
                        let patch: json_patch::Patch =
                            serde_json::from_value(body).expect("a JSON patch");
                        missions
                            .patch_status(name, &PatchParams::default(), &Patch::<()>::Json(patch))
                            .await
                    }
                };
                written.expect("the status is written");
            }
        })
        .await;
        println!(
            "  {kind:<17}: kube-apiserver {:.1} ms, etcd {:.1} ms, {:.0} writes/s",
            cost.apiserver_ms, cost.etcd_ms, cost.rate
        );
    }
}
