//! Ceiling C: how many pod lifecycles a second the local cluster takes with no
//! operator and no scheduler at all. Pods are created already bound
//! (`nodeName` set, round robin over the aircraft) as fast as the API server
//! takes them, and C is their count over the time from the first creation to
//! the last pod seen Succeeded. Every other figure is also given as a
//! fraction of C: the part of what this machine can do that the component
//! measured reaches.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::{StreamExt, stream};
use k8s_openapi::api::core::v1::{Container, Pod, PodSpec, Toleration};
use kube::api::{ObjectMeta, PostParams};
use kube::{Api, Client, ResourceExt};

use crate::cleanup::remove_all;
use crate::pod_watch::watch_pods;

const CREATORS: usize = 32;
const LABEL: &str = "airforce.mil/bench-ceiling";

pub struct Ceiling {
    pub pods: usize,
    pub elapsed: Duration,
}

impl Ceiling {
    /// Pod lifecycles per second.
    pub fn rate(&self) -> f64 {
        self.pods as f64 / self.elapsed.as_secs_f64()
    }

    /// `rate` as a fraction of C, for printing beside a figure.
    pub fn fraction(&self, rate: f64) -> String {
        format!("{:.2} C", rate / self.rate())
    }

    pub fn print(&self, aircraft: usize) {
        println!(
            "ceiling C: {} pods created already bound on {aircraft} aircraft, all Succeeded in {:.1} s: {:.1} lifecycles/s",
            self.pods,
            self.elapsed.as_secs_f64(),
            self.rate()
        );
    }
}

/// Measures C with `count` pods in namespace `ns` on the aircraft `nodes`,
/// then removes the pods.
pub async fn measure(client: &Client, ns: &str, nodes: &[String], count: usize) -> Ceiling {
    assert!(
        !nodes.is_empty(),
        "the ceiling needs aircraft to bind pods to"
    );
    let api: Api<Pod> = Api::namespaced(client.clone(), ns);
    let succeeded: Arc<Mutex<(HashSet<String>, Option<Instant>)>> = Arc::default();
    let watch = watch_pods(api.clone(), LABEL, {
        let succeeded = succeeded.clone();
        move |pod| {
            let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref());
            if phase == Some("Succeeded") {
                let mut succeeded = succeeded.lock().expect("succeeded");
                if succeeded.0.insert(pod.name_any()) {
                    succeeded.1 = Some(Instant::now());
                }
            }
        }
    });
    // The watch is established before the first pod exists.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let started = Instant::now();
    stream::iter(0..count)
        .map(|index| {
            let api = api.clone();
            let pod = bound_pod(index, &nodes[index % nodes.len()]);
            async move {
                api.create(&PostParams::default(), &pod)
                    .await
                    .unwrap_or_else(|error| panic!("create {}: {error}", pod.name_any()));
            }
        })
        .buffer_unordered(CREATORS)
        .collect::<()>()
        .await;
    let mut last_count = 0;
    let mut quiet_since = Instant::now();
    loop {
        let count_now = succeeded.lock().expect("succeeded").0.len();
        if count_now == count {
            break;
        }
        if count_now != last_count {
            (last_count, quiet_since) = (count_now, Instant::now());
        } else if quiet_since.elapsed() > Duration::from_secs(60) {
            panic!(
                "ceiling: only {count_now} of {count} bound pods Succeeded, none more in 60 s; is kwok running?"
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    watch.abort();
    let last = succeeded.lock().expect("succeeded").1.unwrap_or(started);
    remove_all(&api, LABEL).await;
    Ceiling {
        pods: count,
        elapsed: last.duration_since(started),
    }
}

fn bound_pod(index: usize, node: &str) -> Pod {
    Pod {
        metadata: ObjectMeta {
            name: Some(format!("ceiling-{index:05}")),
            labels: Some([(LABEL.to_string(), "true".to_string())].into()),
            annotations: Some([("sim.airforce.mil/duration".to_string(), "0s".to_string())].into()),
            ..Default::default()
        },
        spec: Some(PodSpec {
            node_name: Some(node.to_string()),
            // kwok ends only pods that do not restart, as a kubelet would.
            restart_policy: Some("Never".into()),
            containers: vec![Container {
                name: "task".into(),
                image: Some("busybox:1.36".into()),
                ..Default::default()
            }],
            // A pod placed by hand is not evicted by a taint of its aircraft.
            tolerations: Some(vec![Toleration {
                operator: Some("Exists".into()),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        status: None,
    }
}
