//! `kubectl airforce run` as a benchmark runs it: the release build, for one
//! namespace, measured only once it answers `/readyz`. A benchmark never
//! reports a figure from an operator that is not running, so one that exits or
//! never gets ready ends the benchmark with its log.

#![allow(dead_code)] // each benchmark uses its own subset

use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use kube::Client;

pub struct Operator {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Operator {
    /// Starts `run` for namespace `ns` (installing the CRDs first) and waits
    /// until it is ready.
    pub async fn start(client: &Client, ns: &str) -> Operator {
        crate::support::ensure_crds(client).await;
        let port = crate::support::free_port();
        let log = std::env::temp_dir().join(format!("bench-run-{ns}.log"));
        let file = std::fs::File::create(&log).expect("a log file for run");
        let child = Command::new(env!("CARGO_BIN_EXE_kubectl-airforce"))
            .arg("--kubeconfig")
            .arg(crate::support::kubeconfig_path())
            .args(["-n", ns, "run", "--metrics-addr"])
            .arg(format!("127.0.0.1:{port}"))
            .stderr(file)
            .spawn()
            .expect("kubectl-airforce run starts");
        let mut operator = Operator { child, port, log };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = operator.child.try_wait() {
                panic!(
                    "kubectl-airforce run exited ({status}) before it was ready:\n{}",
                    operator.log_text()
                );
            }
            if operator
                .get("/readyz")
                .await
                .is_some_and(|(code, _)| code == 200)
            {
                return operator;
            }
            if Instant::now() > deadline {
                panic!(
                    "kubectl-airforce run was not ready within 60 s:\n{}",
                    operator.log_text()
                );
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The operator's `/metrics` text; panics when it does not answer, since
    /// a figure from its counters would be wrong.
    pub async fn metrics(&self) -> String {
        match self.get("/metrics").await {
            Some((200, body)) => body,
            _ => panic!(
                "kubectl-airforce run does not serve /metrics:\n{}",
                self.log_text()
            ),
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The status code and body of a GET on the operator's metrics server.
    async fn get(&self, path: &str) -> Option<(u16, String)> {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", self.port))
            .await
            .ok()?;
        let request = format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
        stream.write_all(request.as_bytes()).await.ok()?;
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.ok()?;
        let code = answer.split_whitespace().nth(1)?.parse().ok()?;
        let body = answer.split_once("\r\n\r\n").map_or("", |(_, body)| body);
        Some((code, body.to_string()))
    }
}

impl Drop for Operator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
