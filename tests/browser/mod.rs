//! A headless Chromium for end-to-end tests of pages, driven over the Chrome
//! DevTools Protocol. A test opens a page, runs JavaScript in it and waits for
//! a condition, all in the one document the browser loaded, so it can tell a
//! page that updates itself from one that had to be reloaded.
//!
//! ```ignore
//! let browser = Browser::launch().await;
//! let page = browser.open(&url).await;
//! page.mark().await;
//! page.wait_until("document.querySelector('#state').textContent === 'done'", timeout).await;
//! assert!(page.still_marked().await, "the page reloaded");
//! ```
//!
//! Chromium comes from `AIRFORCE_CHROMIUM`, else `chromium` or `chromium-browser`
//! on PATH; `tests/browser/install-chromium` installs it. Without it the tests
//! fail rather than skip, so a machine that cannot run them is noticed.

#![allow(dead_code)] // each test binary uses its own subset

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::sync::{Mutex, mpsc};
use tokio::time::{Instant, sleep, timeout, timeout_at};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

const INSTALL_HINT: &str =
    "run `tests/browser/install-chromium`, or point AIRFORCE_CHROMIUM at a Chromium binary";
/// A cold start on a loaded CI machine, first profile creation included.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);
/// Long enough for any single command; a hung browser must still end the test.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);
const LOAD_TIMEOUT: Duration = Duration::from_secs(30);
const POLL_INTERVAL: Duration = Duration::from_millis(200);
/// Characters of page text: enough to explain a failure without burying the message.
const PAGE_TEXT_LIMIT: usize = 4096;

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A running headless Chromium with a profile of its own; dropping it ends the
/// browser and deletes the profile.
pub struct Browser {
    process: Process,
    devtools: Connection,
    /// `host:port` of the DevTools server, where every page has a socket of its own.
    address: String,
}

/// One tab. Its socket stays open for the life of the value, so every call
/// talks to the same document unless the page itself navigates.
pub struct Page {
    connection: Connection,
}

impl Browser {
    /// Starts Chromium and connects to it. Panics, naming the installer, when
    /// no Chromium is found, and with Chromium's own output when it fails to start.
    pub async fn launch() -> Browser {
        let binary = find_chromium();
        let profile = fresh_profile();
        let mut child = Command::new(&binary)
            .args([
                "--headless",
                // Tests run as root, where Chromium's sandbox refuses to start.
                "--no-sandbox",
                "--disable-gpu",
                // Containers often give /dev/shm only 64 MB, too little for a renderer.
                "--disable-dev-shm-usage",
                // Port 0 lets parallel tests each get a free port; the chosen one is on stderr.
                "--remote-debugging-port=0",
                "--window-size=1280,800",
                "--no-first-run",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                let _ = std::fs::remove_dir_all(&profile);
                panic!("cannot start {}: {e}; {INSTALL_HINT}", binary.display())
            });
        let (lines, stderr_reader) = forward_lines(child.stderr.take().expect("stderr is piped"));
        let process = Process {
            child,
            stderr_reader,
            profile,
        };
        let url = devtools_url(lines).await;
        let address = url
            .strip_prefix("ws://")
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("unexpected DevTools address {url}"))
            .to_string();
        let devtools = Connection::open(&url).await;
        Browser {
            process,
            devtools,
            address,
        }
    }

    /// Opens `url` in a new tab and returns once its document has loaded.
    /// Panics when the page cannot be fetched at all (an HTTP error status is
    /// a loaded page: see [`Page::navigation_status`]).
    pub async fn open(&self, url: &str) -> Page {
        // The tab starts blank and is navigated afterwards because Page.navigate
        // answers only once the new document is committed: the readyState poll
        // below then cannot mistake the blank tab's own finished document for
        // the page, and a refused connection comes back as an error to report.
        let target = self
            .devtools
            .call("Target.createTarget", json!({ "url": "about:blank" }))
            .await;
        let id = target["targetId"]
            .as_str()
            .unwrap_or_else(|| panic!("Target.createTarget returned no targetId: {target}"));
        let page = Page {
            connection: Connection::open(&format!("ws://{}/devtools/page/{id}", self.address))
                .await,
        };
        let navigation = page
            .connection
            .call("Page.navigate", json!({ "url": url }))
            .await;
        // A bare HTTP error (a 401 with no body, say) is an answer a test may
        // expect: Chromium shows its own error page for it, and
        // Page::navigation_status still reports the status.
        let error = navigation["errorText"].as_str().unwrap_or_default();
        if !error.is_empty() && error != "net::ERR_HTTP_RESPONSE_CODE_FAILURE" {
            panic!("cannot load {url}: {error}");
        }
        page.wait_until("document.readyState === 'complete'", LOAD_TIMEOUT)
            .await;
        page
    }
}

impl Page {
    /// The value of a JavaScript expression, after awaiting it if it is a
    /// promise; `null` for `undefined`. Panics with the exception if it throws.
    pub async fn eval(&self, expression: &str) -> Value {
        self.try_eval(expression)
            .await
            .unwrap_or_else(|e| panic!("evaluating `{expression}` failed: {e}"))
    }

    /// Polls `predicate` until it evaluates to `true`. A predicate that throws
    /// is polled again, since the elements it reads may not exist yet. On
    /// timeout it panics with the predicate, its last result and the page text.
    pub async fn wait_until(&self, predicate: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            let last = self.try_eval(predicate).await;
            if last == Ok(Value::Bool(true)) {
                return;
            }
            if Instant::now() >= deadline {
                let last = last.unwrap_or_else(|e| Value::String(format!("exception: {e}")));
                panic!(
                    "`{predicate}` did not become true within {timeout:?} (last result: {last}); \
                     the page reads:\n{}",
                    self.text().await
                );
            }
            sleep(POLL_INTERVAL).await;
        }
    }

    /// Leaves a mark on the page's `window`. A reload or navigation replaces
    /// the window and so loses it: [`Page::still_marked`] is then false.
    pub async fn mark(&self) {
        self.eval("window.__airforceMark = true").await;
    }

    /// Whether the mark set by [`Page::mark`] is still there, i.e. the page has
    /// not been reloaded since.
    pub async fn still_marked(&self) -> bool {
        self.eval("window.__airforceMark === true").await == Value::Bool(true)
    }

    /// The HTTP status the current document was served with, so a test can
    /// tell a refusal (401, 403) from a page that merely looks like one.
    pub async fn navigation_status(&self) -> u16 {
        let status = self
            .eval("performance.getEntriesByType('navigation')[0].responseStatus")
            .await;
        (status.as_u64().and_then(|s| u16::try_from(s).ok()))
            .unwrap_or_else(|| panic!("no HTTP status for this document: {status}"))
    }

    /// Saves what the tab shows as a PNG, for a test to keep when it fails.
    pub async fn screenshot(&self, path: &Path) {
        let shot = self
            .connection
            .call("Page.captureScreenshot", json!({ "format": "png" }))
            .await;
        let data = shot["data"]
            .as_str()
            .unwrap_or_else(|| panic!("Page.captureScreenshot returned no data: {shot}"));
        let png = base64::engine::general_purpose::STANDARD
            .decode(data)
            .unwrap_or_else(|e| panic!("screenshot is not base64: {e}"));
        std::fs::write(path, png)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }

    async fn try_eval(&self, expression: &str) -> Result<Value, String> {
        let params = json!({
            "expression": expression,
            "returnByValue": true,
            "awaitPromise": true,
        });
        let reply = self.connection.try_call("Runtime.evaluate", params).await?;
        if let Some(details) = reply.get("exceptionDetails") {
            return Err(exception_text(details));
        }
        Ok(reply["result"].get("value").cloned().unwrap_or(Value::Null))
    }

    /// The visible text of the page, shortened, for failure messages.
    async fn text(&self) -> String {
        let text = match self.try_eval("document.body?.innerText ?? ''").await {
            Ok(Value::String(text)) => text,
            other => return format!("(page text unavailable: {other:?})"),
        };
        let shown: String = text.chars().take(PAGE_TEXT_LIMIT).collect();
        if shown.len() < text.len() {
            format!("{shown}\n[… cut at {PAGE_TEXT_LIMIT} characters]")
        } else {
            shown
        }
    }
}

/// The most telling part of a CDP exception: the error with its stack, or the
/// thrown value when it was not an Error.
fn exception_text(details: &Value) -> String {
    let exception = &details["exception"];
    (exception["description"].as_str().map(str::to_string))
        .or_else(|| exception.get("value").map(Value::to_string))
        .unwrap_or_else(|| details["text"].to_string())
}

/// One DevTools WebSocket. Calls take turns on it, so each reply read is the
/// answer to the call that is waiting.
struct Connection {
    socket: Mutex<Socket>,
    next_id: AtomicU64,
}

impl Connection {
    async fn open(url: &str) -> Connection {
        let (socket, _) = connect_async(url)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to DevTools at {url}: {e}"));
        Connection {
            socket: Mutex::new(socket),
            next_id: AtomicU64::new(1),
        }
    }

    async fn call(&self, method: &str, params: Value) -> Value {
        (self.try_call(method, params).await).unwrap_or_else(|e| panic!("{method} failed: {e}"))
    }

    /// The result of a command, or the error Chromium answered with. Events
    /// arriving in between are skipped: nothing here subscribes to them.
    async fn try_call(&self, method: &str, params: Value) -> Result<Value, String> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let request = json!({ "id": id, "method": method, "params": params });
        let mut socket = self.socket.lock().await;
        let exchange = async {
            (socket.send(Message::text(request.to_string())).await)
                .unwrap_or_else(|e| panic!("cannot send {method} to DevTools: {e}"));
            loop {
                let message = match socket.next().await {
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(_)) => continue,
                    Some(Err(e)) => panic!("DevTools connection failed during {method}: {e}"),
                    None => panic!("DevTools closed the connection during {method}"),
                };
                let reply: Value = serde_json::from_str(&message)
                    .unwrap_or_else(|e| panic!("DevTools sent invalid JSON ({e}): {message}"));
                if reply["id"] != id {
                    continue;
                }
                return match reply.get("error") {
                    Some(error) => Err(error.to_string()),
                    None => Ok(reply["result"].clone()),
                };
            }
        };
        (timeout(COMMAND_TIMEOUT, exchange).await)
            .unwrap_or_else(|_| panic!("{method} got no answer within {COMMAND_TIMEOUT:?}"))
    }
}

/// Chromium's process and profile directory, cleaned up when dropped, even
/// when a test panics halfway through [`Browser::launch`].
struct Process {
    child: Child,
    /// Reads Chromium's stderr until every process holding it has exited.
    stderr_reader: JoinHandle<()>,
    profile: PathBuf,
}

impl Drop for Process {
    fn drop(&mut self) {
        // Errors are ignored: the process may have exited already, and a
        // profile left in the temp directory harms nothing (a panic here,
        // while a failing test unwinds, would abort the whole test binary).
        let _ = self.child.kill();
        let _ = self.child.wait();
        // Chromium's helper processes outlive the main one by a moment and
        // write to the profile until they go. They share its stderr, so the
        // reader reaching the end means they are all gone.
        for _ in 0..100 {
            if self.stderr_reader.is_finished() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn find_chromium() -> PathBuf {
    if let Some(binary) = std::env::var_os("AIRFORCE_CHROMIUM") {
        return binary.into();
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    ["chromium", "chromium-browser"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| panic!("no chromium or chromium-browser on PATH: {INSTALL_HINT}"))
}

/// A new, empty profile, so no state leaks between tests or from earlier runs.
fn fresh_profile() -> PathBuf {
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let nanos = (SystemTime::now().duration_since(UNIX_EPOCH)).map_or(0, |d| d.as_nanos());
    let dir = std::env::temp_dir().join(format!(
        "airforce-chromium-{}-{}-{nanos}",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// Chromium's stderr, line by line, and the thread reading it, which ends
/// when the last process holding the pipe has exited. The thread keeps going
/// after the receiver is dropped, discarding: Chromium logs all the time, and
/// would stall once the pipe filled up.
fn forward_lines(stderr: ChildStderr) -> (mpsc::UnboundedReceiver<String>, JoinHandle<()>) {
    let (sender, receiver) = mpsc::unbounded_channel();
    let reader = std::thread::spawn(move || {
        let mut reader = BufReader::new(stderr);
        let mut line = Vec::new();
        while reader
            .read_until(b'\n', &mut line)
            .is_ok_and(|read| read > 0)
        {
            let _ = sender.send(String::from_utf8_lossy(&line).trim_end().to_string());
            line.clear();
        }
    });
    (receiver, reader)
}

/// The browser's DevTools WebSocket address, which Chromium prints on stderr
/// once it listens.
async fn devtools_url(mut lines: mpsc::UnboundedReceiver<String>) -> String {
    let deadline = Instant::now() + STARTUP_TIMEOUT;
    let mut seen = String::new();
    loop {
        match timeout_at(deadline, lines.recv()).await {
            Ok(Some(line)) => match line.strip_prefix("DevTools listening on ") {
                Some(url) => return url.trim().to_string(),
                None => seen.extend([line.as_str(), "\n"]),
            },
            Ok(None) => panic!("Chromium exited before listening for DevTools; it said:\n{seen}"),
            Err(_) => panic!(
                "Chromium did not listen for DevTools within {STARTUP_TIMEOUT:?}; it said:\n{seen}"
            ),
        }
    }
}
