//! `kubectl airforce run --leader-elect` against the local cluster: of two
//! replicas exactly one leads and is ready, a standby takes over at once when
//! the leader stops, a leader that loses the lease exits non-zero, and
//! `/metrics` counts reconciles and the scheduler's attempts. Each test runs its replicas in its own namespace,
//! which also holds their Lease.

mod support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use k8s_openapi::api::coordination::v1::Lease;
use kube::Api;
use kube::api::PostParams;
use support::{airforce, text};

const LEASE: &str = "kubectl-airforce-operator";

/// One `run --leader-elect` replica, killed when the test ends however it ends.
struct Replica {
    child: Child,
    port: u16,
}

impl Replica {
    fn start(namespace: &str) -> Replica {
        let port = free_port();
        let child = Command::new(assert_cmd::cargo::cargo_bin("kubectl-airforce"))
            .arg("--kubeconfig")
            .arg(support::kubeconfig_path())
            .args(["-n", namespace, "-v", "run", "--leader-elect"])
            .args(["--leader-election-namespace", namespace])
            .args(["--metrics-addr", &format!("127.0.0.1:{port}")])
            .env_remove("POD_NAME")
            .env_remove("POD_NAMESPACE")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("kubectl-airforce run starts");
        Replica { child, port }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The status code of GET `path`, or `None` while nothing answers.
    fn status(&self, path: &str) -> Option<u16> {
        get(self.port, path).map(|(status, _)| status)
    }

    fn metrics(&self) -> String {
        get(self.port, "/metrics")
            .map(|(_, body)| body)
            .unwrap_or_default()
    }

    /// SIGTERM, as the kubelet sends, then the exit status.
    fn terminate(&mut self) -> ExitStatus {
        let sent = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success(), "cannot signal {}", self.pid());
        self.wait_exit(Duration::from_secs(30))
            .expect("run stops within 30s of SIGTERM")
    }

    fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("wait on run") {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        None
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free local port");
    listener.local_addr().expect("its address").port()
}

/// A minimal HTTP/1.0 GET: the status code and the body.
fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split(' ').nth(1)?.parse().ok()?;
    let body = response.split_once("\r\n\r\n").map(|(_, body)| body)?;
    Some((status, body.to_string()))
}

/// Polls `condition` every 200 ms until it holds; panics with `what` after `timeout`.
async fn eventually(timeout: Duration, what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !condition() {
        assert!(
            Instant::now() < deadline,
            "timed out after {timeout:?}: {what}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn holder(leases: &Api<Lease>) -> Option<String> {
    let lease = leases.get_opt(LEASE).await.expect("read the lease")?;
    lease.spec?.holder_identity.filter(|h| !h.is_empty())
}

fn is_held_by(holder: Option<&str>, replica: &Replica) -> bool {
    holder.is_some_and(|h| h.ends_with(&format!("_{}", replica.pid())))
}

/// Starts two replicas and returns them leader first, once one of them is ready.
async fn leader_and_standby(ns: &str) -> (Replica, Replica) {
    let (a, b) = (Replica::start(ns), Replica::start(ns));
    eventually(Duration::from_secs(30), "one replica is ready", || {
        a.status("/readyz") == Some(200) || b.status("/readyz") == Some(200)
    })
    .await;
    if a.status("/readyz") == Some(200) {
        (a, b)
    } else {
        (b, a)
    }
}

#[tokio::test]
async fn of_two_replicas_exactly_one_leads_and_a_standby_takes_over_when_it_stops() {
    support::with_namespace("run-leader", |client, ns| async move {
        support::ensure_crds(&client).await;
        let leases: Api<Lease> = Api::namespaced(client.clone(), &ns);
        let (mut leader, standby) = leader_and_standby(&ns).await;

        eventually(Duration::from_secs(10), "the standby serves", || {
            standby.status("/healthz") == Some(200)
        })
        .await;
        for _ in 0..10 {
            assert_eq!(leader.status("/readyz"), Some(200));
            assert_eq!(
                standby.status("/readyz"),
                Some(503),
                "the standby is not ready"
            );
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        assert!(is_held_by(holder(&leases).await.as_deref(), &leader));
        assert!(leader.metrics().contains("airforce_leader 1"));
        assert!(standby.metrics().contains("airforce_leader 0"));

        let stopped = Instant::now();
        let status = leader.terminate();
        assert!(status.success(), "a SIGTERM ends run cleanly: {status}");
        eventually(Duration::from_secs(5), "the standby takes over", || {
            standby.status("/readyz") == Some(200)
        })
        .await;
        eprintln!(
            "the standby took over {:?} after SIGTERM",
            stopped.elapsed()
        );
        assert!(is_held_by(holder(&leases).await.as_deref(), &standby));
        assert!(standby.metrics().contains("airforce_leader 1"));
    })
    .await;
}

#[tokio::test]
async fn a_leader_whose_lease_is_taken_stops_and_exits_non_zero() {
    support::with_namespace("run-leader-lost", |client, ns| async move {
        support::ensure_crds(&client).await;
        let leases: Api<Lease> = Api::namespaced(client.clone(), &ns);
        let mut leader = Replica::start(&ns);
        eventually(Duration::from_secs(30), "the replica leads", || {
            leader.status("/readyz") == Some(200)
        })
        .await;

        let mut lease = leases.get(LEASE).await.expect("the lease exists");
        let spec = lease.spec.as_mut().expect("a lease spec");
        spec.holder_identity = Some("someone-else".to_string());
        (leases.replace(LEASE, &PostParams::default(), &lease).await).expect("take the lease");

        let status = leader
            .wait_exit(Duration::from_secs(20))
            .expect("the leader exits after its lease is taken");
        assert!(
            !status.success(),
            "losing the lease is an error exit: {status}"
        );
        assert_eq!(holder(&leases).await.as_deref(), Some("someone-else"));
    })
    .await;
}

#[tokio::test]
async fn the_leaders_metrics_count_reconciles_per_controller_and_the_schedulers_work() {
    support::with_namespace("run-leader-metrics", |client, ns| async move {
        support::ensure_crds(&client).await;
        let leader = Replica::start(&ns);
        eventually(Duration::from_secs(30), "the replica leads", || {
            leader.status("/readyz") == Some(200)
        })
        .await;
        let output = airforce(&[
            "-n",
            &ns,
            "mission",
            "submit",
            "-f",
            "examples/weapons.yaml",
            "-f",
            "examples/far-sea-strike.yaml",
        ]);
        assert!(output.status.success(), "{}", text(&output.stderr));

        let wanted = [
            "airforce_reconcile_total{controller=\"mission\"}",
            "airforce_reconcile_total{controller=\"stage\"}",
            "airforce_reconcile_total{controller=\"flight_task\"}",
            "airforce_reconcile_duration_seconds_count{controller=\"mission\"}",
        ];
        eventually(Duration::from_secs(60), "reconciles are counted", || {
            let metrics = leader.metrics();
            wanted.iter().all(|line| metrics.contains(line))
        })
        .await;
        let metrics = leader.metrics();
        assert!(metrics.contains("airforce_leader 1"), "{metrics}");

        let scheduled = |metrics: &str| {
            let prefix = "airforce_scheduler_schedule_attempts_total{result=\"scheduled\"} ";
            (metrics.lines())
                .find_map(|line| line.strip_prefix(prefix))
                .and_then(|value| value.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        eventually(Duration::from_secs(60), "bindings are counted", || {
            scheduled(&leader.metrics()) >= 1.0
        })
        .await;
        let metrics = leader.metrics();
        for series in [
            "airforce_scheduler_pending_pods{queue=\"active\"}",
            "airforce_scheduler_pending_pods{queue=\"unschedulable\"}",
            "airforce_scheduler_scheduling_attempt_duration_seconds_count{result=\"scheduled\"}",
            "airforce_scheduler_pod_scheduling_duration_seconds_count",
            "airforce_scheduler_plugin_execution_duration_seconds_count{plugin=\"FuelCheck\",extension_point=\"Filter\"}",
            "airforce_scheduler_plugin_execution_duration_seconds_count{plugin=\"FuelLevelScore\",extension_point=\"Score\"}",
        ] {
            assert!(metrics.contains(series), "{series} in\n{metrics}");
        }
    })
    .await;
}
