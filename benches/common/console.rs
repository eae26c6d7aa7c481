//! The console (`kubectl airforce dashboard`) as a benchmark runs it: the
//! release build as a child process, spoken to in plain HTTP/1.1 with the
//! cookie its token earns, as a browser would after its first visit.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc::{self, UnboundedReceiver};

/// The console as a child process, killed when the bench ends however it ends.
pub struct Dashboard {
    child: Child,
    pub port: u16,
    token: String,
    /// The Cookie header line the token earns, once [`Dashboard::enter`] has.
    cookie: String,
    log: PathBuf,
}

impl Dashboard {
    pub async fn start(ns: &str) -> Dashboard {
        let log = std::env::temp_dir().join(format!("bench-dashboard-{ns}.log"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_kubectl-airforce"))
            .arg("--kubeconfig")
            .arg(crate::support::kubeconfig_path())
            .args(["-n", ns, "dashboard"])
            .stdout(Stdio::piped())
            .stderr(File::create(&log).expect("a log file for the dashboard"))
            .spawn()
            .expect("kubectl-airforce dashboard starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("its stdout is piped"));
        let printed = tokio::task::block_in_place(|| {
            let mut line = String::new();
            stdout.read_line(&mut line).map(|_| line)
        });
        let line = printed.unwrap_or_default();
        let url = line.trim().strip_prefix("http://127.0.0.1:");
        let Some((port, token)) = url.and_then(|rest| rest.split_once("/?token=")) else {
            let _ = child.kill();
            let log_text = std::fs::read_to_string(&log).unwrap_or_default();
            panic!("the dashboard printed {line:?}, not its URL:\n{log_text}");
        };
        let port = port.parse().expect("a port in the dashboard's URL");
        let token = token.to_string();
        Dashboard {
            child,
            port,
            token,
            cookie: String::new(),
            log,
        }
    }

    /// Panics unless the console still runs: no figure comes from one that
    /// has gone.
    pub fn alive(&mut self) {
        if let Ok(Some(status)) = self.child.try_wait() {
            let log = std::fs::read_to_string(&self.log).unwrap_or_default();
            panic!("kubectl-airforce dashboard exited ({status}):\n{log}");
        }
    }

    pub fn rss(&mut self) -> u64 {
        self.alive();
        crate::memory::rss(self.child.id()).expect("the dashboard's /proc/<pid>/status")
    }

    /// A first visit with the token, as a browser's: it must earn the cookie.
    pub async fn enter(&mut self) {
        let (code, answer) = self.get(&format!("/?token={}", self.token)).await;
        let cookie = format!("airforce-dashboard-{}={}", self.port, self.token);
        let head = answer.split("\r\n\r\n").next().unwrap_or_default();
        let admitted = (head.lines()).any(|line| {
            line.to_ascii_lowercase().starts_with("set-cookie:") && line.contains(&cookie)
        });
        assert!(
            code == 303 && admitted,
            "the token did not admit the bench:\n{head}"
        );
        self.cookie = format!("Cookie: {cookie}\r\n");
    }

    /// Connects and sends `GET path` with the cookie (once earned) and `headers`.
    pub async fn send(&self, path: &str, headers: &str) -> TcpStream {
        let port = self.port;
        let mut stream =
            (TcpStream::connect(("127.0.0.1", port)).await).expect("the dashboard accepts");
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{}{headers}\r\n",
            self.cookie
        );
        (stream.write_all(request.as_bytes()).await).expect("the request is sent");
        stream
    }

    /// `GET path` on a connection of its own, read to its end: the status
    /// code and the whole answer.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let mut stream = self.send(path, "Connection: close\r\n").await;
        let mut answer = Vec::new();
        (stream.read_to_end(&mut answer).await).expect("the answer is read");
        let answer = String::from_utf8_lossy(&answer).into_owned();
        let code = answer
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok());
        (code.unwrap_or(0), answer)
    }
}

impl Drop for Dashboard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The stream of `path`: each event's name and data, when it arrived.
pub async fn live_stream(
    dashboard: &Dashboard,
    path: &str,
) -> UnboundedReceiver<(String, Instant)> {
    let mut stream = dashboard.send(path, "Accept: text/event-stream\r\n").await;
    let (sender, receiver) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut buffer = Vec::new();
        let mut chunk = [0u8; 16384];
        while let Ok(read @ 1..) = stream.read(&mut chunk).await {
            buffer.extend_from_slice(&chunk[..read]);
            // An event is one chunk of the chunked body, whole: its text
            // lies between "event: " and the blank line that ends it.
            while let Some(event) = next_event(&mut buffer) {
                if sender.send((event, Instant::now())).is_err() {
                    return;
                }
            }
        }
    });
    receiver
}

fn next_event(buffer: &mut Vec<u8>) -> Option<String> {
    let find = |bytes: &[u8], what: &[u8]| bytes.windows(what.len()).position(|w| w == what);
    let start = find(buffer, b"event: ")?;
    let end = start + find(&buffer[start..], b"\n\n")?;
    let event = String::from_utf8_lossy(&buffer[start..end]).into_owned();
    buffer.drain(..end + 2);
    Some(event)
}
