//! A firing range for end-to-end tests of weapons: every weapon sidecar of
//! every pod in a namespace (and the weapon of every pool instance) gets a real `weapon serve` process on a local
//! port, and a kwok PortForward named after the pod sends the sidecar's port
//! there. So the operator's port-forward through the API server reaches a
//! real simulated weapon, as it would reach the sidecar on a real aircraft.
//! A sidecar reloaded in place to another image gets a fresh simulator of
//! that version on the same port, as a kubelet restarts the container. Each
//! simulator logs its calls to a file the test reads (one per sidecar, across
//! restarts).

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use futures::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{ApiResource, DynamicObject, PostParams};
use kube::runtime::watcher::{self, Event};
use kube::{Api, Client, ResourceExt};
use kubectl_airforce::weapon_link::{Sidecar, sidecars};
use serde_json::json;

/// What message, if any, a pod's simulated weapon fails its self-checks with.
pub type FaultRule = Box<dyn Fn(&Pod, &Sidecar) -> Option<String> + Send + Sync>;

/// One simulated weapon standing in for a sidecar.
pub struct Simulator {
    pub pod: String,
    pub weapon: String,
    pub log: PathBuf,
    port: u16,
    image: Option<String>,
    child: Child,
}

impl Simulator {
    /// Everything the simulator has logged so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

pub struct FiringRange {
    simulators: Arc<Mutex<Vec<Simulator>>>,
    watch: tokio::task::JoinHandle<()>,
}

impl FiringRange {
    /// Serves the weapons of every pod that appears in `namespace` from now on.
    pub fn open(client: Client, namespace: &str, fault: FaultRule) -> FiringRange {
        let simulators = Arc::new(Mutex::new(Vec::new()));
        let pods: Api<Pod> = Api::namespaced(client.clone(), namespace);
        let forwards: Api<DynamicObject> =
            Api::namespaced_with(client, namespace, &port_forward_resource());
        let serving = simulators.clone();
        let namespace = namespace.to_string();
        let watch = tokio::spawn(async move {
            let mut seen = BTreeSet::new();
            let mut events = watcher::watcher(pods, watcher::Config::default()).boxed();
            while let Some(event) = events.next().await {
                let (Ok(Event::Apply(pod)) | Ok(Event::InitApply(pod))) = event else {
                    continue;
                };
                let armed = sidecars::of_pod(&pod);
                if armed.is_empty() {
                    continue;
                }
                if !seen.insert(pod.name_any()) {
                    reload_changed(&serving, &namespace, &pod, &armed, &fault);
                    continue;
                }
                let mut forwarded = Vec::new();
                for sidecar in &armed {
                    let port = super::free_port();
                    let simulator =
                        start_simulator(&namespace, &pod, sidecar, port, fault(&pod, sidecar));
                    forwarded.push(json!({
                        "ports": [sidecar.port],
                        "target": {"address": "127.0.0.1", "port": port},
                    }));
                    serving.lock().expect("the range").push(simulator);
                }
                let forward = DynamicObject::new(&pod.name_any(), &port_forward_resource())
                    .within(&namespace)
                    .data(json!({"spec": {"forwards": forwarded}}));
                forwards
                    .create(&PostParams::default(), &forward)
                    .await
                    .unwrap_or_else(|error| {
                        panic!(
                            "cannot create the PortForward of {}: {error}",
                            pod.name_any()
                        )
                    });
            }
        });
        FiringRange { simulators, watch }
    }

    /// The simulators serving pods whose name starts with `pod_prefix`, by
    /// pod and weapon, with what each logged.
    pub fn logs(&self, pod_prefix: &str) -> Vec<(String, String, String)> {
        let simulators = self.simulators.lock().expect("the range");
        (simulators.iter())
            .filter(|s| s.pod.starts_with(pod_prefix))
            .map(|s| (s.pod.clone(), s.weapon.clone(), s.log_text()))
            .collect()
    }
}

impl Drop for FiringRange {
    fn drop(&mut self) {
        self.watch.abort();
        if let Ok(mut simulators) = self.simulators.lock() {
            for simulator in simulators.iter_mut() {
                let _ = simulator.child.kill();
                let _ = simulator.child.wait();
            }
        }
    }
}

/// Restarts the simulator of every sidecar of `pod` whose image changed.
fn reload_changed(
    serving: &Mutex<Vec<Simulator>>,
    namespace: &str,
    pod: &Pod,
    armed: &[Sidecar],
    fault: &FaultRule,
) {
    let mut simulators = serving.lock().expect("the range");
    for sidecar in armed {
        let Some(simulator) =
            (simulators.iter_mut()).find(|s| s.pod == pod.name_any() && s.weapon == sidecar.weapon)
        else {
            continue;
        };
        if simulator.image == sidecar.image {
            continue;
        }
        let _ = simulator.child.kill();
        let _ = simulator.child.wait();
        *simulator = start_simulator(namespace, pod, sidecar, simulator.port, fault(pod, sidecar));
    }
}

fn port_forward_resource() -> ApiResource {
    ApiResource {
        group: "kwok.x-k8s.io".into(),
        version: "v1alpha1".into(),
        api_version: "kwok.x-k8s.io/v1alpha1".into(),
        kind: "PortForward".into(),
        plural: "portforwards".into(),
    }
}

/// `weapon serve` with the sidecar's own environment (type, load), of the
/// version its image's tag names (or its environment, for the simulated
/// weapon), on local `port`, warming up and checking itself quickly.
fn start_simulator(
    namespace: &str,
    pod: &Pod,
    sidecar: &Sidecar,
    port: u16,
    fault: Option<String>,
) -> Simulator {
    let log = std::env::temp_dir().join(format!(
        "{namespace}-{}-{}.log",
        pod.name_any(),
        sidecar.weapon
    ));
    let mut file = (std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log))
    .expect("the simulator's log file");
    let image = sidecar.image.clone().unwrap_or_default();
    let _ = writeln!(file, "--- starting {image}");
    // A sidecar is an init container; a pool instance runs its weapon as
    // its own container.
    let container = (pod.spec.iter())
        .flat_map(|spec| {
            spec.init_containers
                .iter()
                .flatten()
                .chain(&spec.containers)
        })
        .find(|c| c.name == sidecar.container)
        .expect("the sidecar's container");
    let mut env: Vec<(String, String)> = (container.env.iter().flatten())
        .filter_map(|var| Some((var.name.clone(), var.value.clone()?)))
        .collect();
    // A weapon image of its own knows its version by its tag; the simulated
    // weapon (the operator's own image, which the operator in these tests
    // names) takes the one its environment gives, as it does in a cluster.
    if image != kubectl_airforce::install::DEFAULT_IMAGE {
        let tag = image.rsplit_once(':').map_or("", |(_, tag)| tag);
        env.push(("WEAPON_VERSION".into(), tag.into()));
    }
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("kubectl-airforce"));
    command
        .env("NO_COLOR", "1")
        .envs(env)
        .args([
            "weapon",
            "serve",
            "--metrics-addr",
            "off",
            "--warm-up",
            "300ms",
        ])
        .args(["--self-check-time", "100ms", "--listen"])
        .arg(format!("127.0.0.1:{port}"))
        .stdout(Stdio::from(file.try_clone().expect("the log file")))
        .stderr(Stdio::from(file));
    if let Some(fault) = fault {
        command.args(["--fault", &fault]);
    }
    Simulator {
        pod: pod.name_any(),
        weapon: sidecar.weapon.clone(),
        log,
        port,
        image: sidecar.image.clone(),
        child: command.spawn().expect("weapon serve starts"),
    }
}
