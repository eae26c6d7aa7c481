//! Resident memory of processes, read from /proc: the `run` a benchmark
//! measures, and the local cluster's etcd and kube-apiserver, whose peaks are
//! printed beside every figure, so a figure never hides an overloaded cluster.

#![allow(dead_code)] // each benchmark uses its own subset

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// Resident set size of a process, from /proc.
pub fn rss(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

pub fn mib(bytes: u64) -> String {
    format!("{:.0} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// The pid of a component of the local cluster, from the pid file
/// `tests/cluster/up` writes beside its kubeconfig.
pub fn cluster_pid(component: &str) -> Option<u32> {
    let kubeconfig = crate::support::kubeconfig_path();
    let file = kubeconfig
        .parent()?
        .join("pids")
        .join(format!("{component}.pid"));
    std::fs::read_to_string(file).ok()?.trim().parse().ok()
}

type Samples = Arc<Mutex<BTreeMap<String, Vec<u64>>>>;

/// How much etcd or kube-apiserver may hold before the benchmark stops:
/// AIRFORCE_BENCH_CLUSTER_MEMORY in MiB, else a third of the machine. The
/// cluster's soft memory limits make Go collect harder but do not cap what a
/// flood of requests keeps alive (etcd reached 11.9 GB on a 24 GB machine).
fn cluster_memory_limit() -> u64 {
    let total = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .map_or(u64::MAX, |kib| kib * 1024);
    let limit_mib: u64 =
        crate::settings::setting("AIRFORCE_BENCH_CLUSTER_MEMORY", (total / 3) >> 20);
    limit_mib << 20
}

/// Kills the operators the benchmark runs, which make the load, and ends the
/// benchmark with what to clean up; the cluster recovers once they are gone.
fn stop_before_the_machine_runs_out(
    name: &str,
    bytes: u64,
    limit: u64,
    processes: &[(String, u32)],
) {
    for (_, pid) in processes.iter().filter(|(name, _)| name == "run") {
        let _ = std::process::Command::new("kill")
            .args(["-9", &pid.to_string()])
            .status();
    }
    eprintln!(
        "benchmark stopped: {name} holds {} against a limit of {} (AIRFORCE_BENCH_CLUSTER_MEMORY); \
         `run` was killed so the cluster can recover. The benchmark's namespaces (bench-*) and \
         aircraft remain: `tests/cluster/down && tests/cluster/up` starts afresh.",
        mib(bytes),
        mib(limit)
    );
    std::process::exit(2);
}

/// Samples the resident memory of named processes every 250 ms on a thread of
/// its own, until dropped. [`Sampler::take`] hands over what was sampled since
/// the last take, so each section of a benchmark reports its own peaks.
pub struct Sampler {
    processes: Arc<Mutex<Vec<(String, u32)>>>,
    samples: Samples,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    missing: Vec<String>,
}

/// What one process used over a section: the median and the peak.
#[derive(Clone, Copy, Default)]
pub struct Usage {
    pub median: u64,
    pub peak: u64,
}

impl Sampler {
    /// Samples etcd and kube-apiserver of the local cluster.
    pub fn cluster() -> Sampler {
        let mut processes = Vec::new();
        let mut missing = Vec::new();
        for component in ["etcd", "kube-apiserver"] {
            match cluster_pid(component) {
                Some(pid) => processes.push((component.to_string(), pid)),
                None => missing.push(component.to_string()),
            }
        }
        let processes = Arc::new(Mutex::new(processes));
        let samples: Samples = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let thread = std::thread::spawn({
            let (processes, samples, stop) = (processes.clone(), samples.clone(), stop.clone());
            move || {
                let limit = cluster_memory_limit();
                while !stop.load(Ordering::Relaxed) {
                    let processes = processes.lock().expect("processes").clone();
                    for (name, pid) in &processes {
                        let Some(bytes) = rss(*pid) else { continue };
                        let mut samples = samples.lock().expect("samples");
                        samples.entry(name.clone()).or_default().push(bytes);
                        if name != "run" && bytes > limit {
                            stop_before_the_machine_runs_out(name, bytes, limit, &processes);
                        }
                    }
                    std::thread::sleep(Duration::from_millis(250));
                }
            }
        });
        Sampler {
            processes,
            samples,
            stop,
            thread: Some(thread),
            missing,
        }
    }

    /// Samples process `pid` as well, under `name` (in place of any earlier
    /// process of that name).
    pub fn follow(&self, name: &str, pid: u32) {
        let mut processes = self.processes.lock().expect("processes");
        processes.retain(|(known, _)| known != name);
        processes.push((name.to_string(), pid));
    }

    /// What each process used since the last take.
    pub fn take(&self) -> Taken {
        let taken = std::mem::take(&mut *self.samples.lock().expect("samples"));
        let usage = taken
            .into_iter()
            .map(|(name, mut samples)| {
                samples.sort_unstable();
                let usage = Usage {
                    median: samples.get(samples.len() / 2).copied().unwrap_or(0),
                    peak: samples.last().copied().unwrap_or(0),
                };
                (name, usage)
            })
            .collect();
        Taken {
            usage,
            missing: self.missing.clone(),
        }
    }
}

/// The memory of the sampled processes over one section of a benchmark.
pub struct Taken {
    usage: BTreeMap<String, Usage>,
    missing: Vec<String>,
}

impl Taken {
    pub fn of(&self, name: &str) -> Usage {
        self.usage.get(name).copied().unwrap_or_default()
    }

    /// One line to print beside a section's figures.
    pub fn line(&self) -> String {
        let mut parts: Vec<String> = ["etcd", "kube-apiserver", "run"]
            .iter()
            .filter_map(|name| {
                let usage = self.usage.get(*name)?;
                Some(format!(
                    "{name} peak {} (median {})",
                    mib(usage.peak),
                    mib(usage.median)
                ))
            })
            .collect();
        parts.extend((self.missing.iter()).map(|name| format!("{name} not sampled (no pid file)")));
        format!("resident memory: {}", parts.join(", "))
    }
}

impl Drop for Sampler {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
