//! Shared by the end-to-end tests: a client for the local test cluster (never the
//! user's own kubeconfig), a fresh namespace per test that is deleted afterwards,
//! and waiting helpers. A test that needs the cluster and cannot reach it fails
//! and says how to start it.

#![allow(dead_code)] // each test binary uses its own subset

use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use k8s_openapi::api::core::v1::Namespace;
use kube::ResourceExt;
use kube::api::{DeleteParams, ObjectMeta, PostParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::runtime::wait::{Condition, await_condition};
use kube::{Api, Client, Config, Resource};
use serde::de::DeserializeOwned;

pub mod firing_range;

const START_HINT: &str =
    "start it with `tests/cluster/up`, or run the whole suite with `tests/run`";

/// The admin kubeconfig `tests/cluster/up` writes (same lookup as tests/cluster/lib.sh).
pub fn kubeconfig_path() -> PathBuf {
    if let Some(path) = std::env::var_os("AIRFORCE_TEST_KUBECONFIG") {
        return path.into();
    }
    let state = match std::env::var_os("AIRFORCE_CLUSTER_STATE") {
        Some(state) => PathBuf::from(state),
        None => cache_root().join("cluster").join("state"),
    };
    state.join("kubeconfig")
}

fn cache_root() -> PathBuf {
    if let Some(dir) = std::env::var_os("AIRFORCE_CACHE_DIR") {
        return dir.into();
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").expect("HOME is set")).join(".cache")
        });
    cache.join("kubectl-airforce")
}

/// A client for the local test cluster; panics with a hint when it is not running.
pub async fn client() -> Client {
    let path = kubeconfig_path();
    let kubeconfig = Kubeconfig::read_from(&path).unwrap_or_else(|error| {
        panic!(
            "the local test cluster is not running (cannot read {}: {error}): {START_HINT}",
            path.display()
        )
    });
    let config = Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
        .await
        .unwrap_or_else(|error| panic!("unusable kubeconfig {}: {error}", path.display()));
    let client = Client::try_from(config).expect("a client from the test kubeconfig");
    if let Err(error) = client.apiserver_version().await {
        panic!("the local test cluster does not answer ({error}): {START_HINT}");
    }
    client
}

static NAMESPACE_COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_name(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .subsec_nanos();
    let count = NAMESPACE_COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(
        "{prefix}-{:x}{:x}{count}",
        std::process::id() % 0xfff,
        nanos % 0xffff
    )
}

/// Runs `test` with a client and a namespace of its own, then deletes the
/// namespace whether the test passed or panicked.
pub async fn with_namespace<F, Fut>(prefix: &str, test: F)
where
    F: FnOnce(Client, String) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let client = client().await;
    let name = unique_name(prefix);
    let namespaces: Api<Namespace> = Api::all(client.clone());
    create_namespace(&client, &name).await;
    let outcome = tokio::spawn(test(client, name.clone())).await;
    let _ = namespaces.delete(&name, &DeleteParams::background()).await;
    if let Err(error) = outcome {
        std::panic::resume_unwind(error.into_panic());
    }
}

/// Creates namespace `name`, labelled as a test's; panics if it cannot.
pub async fn create_namespace(client: &Client, name: &str) {
    let namespace = Namespace {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            labels: Some([("airforce.mil/test".to_string(), "true".to_string())].into()),
            ..Default::default()
        },
        ..Default::default()
    };
    Api::<Namespace>::all(client.clone())
        .create(&PostParams::default(), &namespace)
        .await
        .unwrap_or_else(|error| panic!("cannot create test namespace {name}: {error}"));
}

/// Waits until `condition` holds for the named object, or panics after `timeout`.
pub async fn wait_for<K>(
    api: &Api<K>,
    name: &str,
    timeout: Duration,
    what: &str,
    condition: impl Condition<K>,
) -> K
where
    K: Resource + Clone + DeserializeOwned + std::fmt::Debug + Send + 'static,
{
    match tokio::time::timeout(timeout, await_condition(api.clone(), name, condition)).await {
        Ok(Ok(Some(object))) => object,
        Ok(Ok(None)) => panic!("{name} was deleted while waiting for {what}"),
        Ok(Err(error)) => panic!("watching {name} failed while waiting for {what}: {error}"),
        Err(_) => {
            let current = api.get_opt(name).await.ok().flatten();
            panic!(
                "timed out after {timeout:?} waiting for {name} to be {what}; it is now: {current:#?}"
            )
        }
    }
}

/// Waits until the named object no longer exists.
pub async fn wait_deleted<K>(api: &Api<K>, name: &str, timeout: Duration)
where
    K: Resource + Clone + DeserializeOwned + std::fmt::Debug + Send + 'static,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        match api.get_opt(name).await {
            Ok(None) => return,
            Ok(Some(_)) if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(200)).await
            }
            Ok(Some(object)) => panic!("{name} still exists after {timeout:?}: {object:#?}"),
            Err(error) => panic!("cannot read {name}: {error}"),
        }
    }
}

/// Waits until the FlightTask controller has stopped the named pod: a pod
/// that ran has ended Failed with `airforce.mil/stopped-at` and stays for its
/// logs; one that never started is deleted.
pub async fn wait_stopped(
    pods: &Api<k8s_openapi::api::core::v1::Pod>,
    name: &str,
    timeout: Duration,
) {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let pod = match pods.get_opt(name).await {
            Ok(None) => return,
            Ok(Some(pod)) => pod,
            Err(error) => panic!("cannot read {name}: {error}"),
        };
        let stopped = pod.annotations().contains_key("airforce.mil/stopped-at");
        let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref());
        if stopped && phase == Some("Failed") {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{name} was not stopped within {timeout:?}: {pod:#?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The binary under test, pointed at the local cluster (never the user's
/// kubeconfig), without colour.
pub fn airforce(args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("kubectl-airforce")
        .expect("the kubectl-airforce binary is built")
        .arg("--kubeconfig")
        .arg(kubeconfig_path())
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("kubectl-airforce runs")
}

/// The binary under test, as [`airforce`] runs it, failing the test unless
/// it succeeds; returns what it printed on stdout.
pub fn airforce_ok(args: &[&str]) -> String {
    let output = airforce(args);
    let stdout = text(&output.stdout);
    assert!(
        output.status.success(),
        "kubectl airforce {} failed:\n{stdout}{}",
        args.join(" "),
        text(&output.stderr)
    );
    stdout
}

/// Output bytes as text, for assertions and failure messages.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// For [`wait_for`]: the pod exists and runs.
pub fn pod_running(pod: Option<&k8s_openapi::api::core::v1::Pod>) -> bool {
    pod.and_then(|p| p.status.as_ref())
        .and_then(|s| s.phase.as_deref())
        == Some("Running")
}

/// A client of the local cluster acting as `user` (impersonation).
pub async fn client_as(user: &str) -> Client {
    let kubeconfig = Kubeconfig::read_from(kubeconfig_path()).expect("the kubeconfig reads");
    let mut config = Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
        .await
        .expect("the kubeconfig is usable");
    config.auth_info.impersonate = Some(user.to_string());
    Client::try_from(config).expect("a client")
}

/// kubectl from `$KUBECTL`, else from PATH, on the local cluster, with a
/// discovery cache of its own so a stale one from before the CRDs existed
/// cannot hide them.
pub fn kubectl(args: &[&str]) -> std::process::Output {
    let program = std::env::var_os("KUBECTL").unwrap_or_else(|| "kubectl".into());
    std::process::Command::new(&program)
        .arg("--kubeconfig")
        .arg(kubeconfig_path())
        .arg("--cache-dir")
        .arg(kubectl_cache())
        .args(args)
        .output()
        .unwrap_or_else(|error| {
            panic!(
                "cannot run {program:?} ({error}): set KUBECTL, run through `tests/run`, \
                 or eval \"$(tests/cluster/env)\" first"
            )
        })
}

/// The discovery cache of [`kubectl`], one per test process.
pub fn kubectl_cache() -> PathBuf {
    std::env::temp_dir().join(format!("airforce-kubectl-{}", std::process::id()))
}

/// Makes sure the CRDs are installed (another test binary may have uninstalled them).
pub async fn ensure_crds(client: &Client) {
    kubectl_airforce::install::apply_api(client)
        .await
        .expect("the CRDs install");
}

/// `kubectl airforce run` as a child process restricted to one namespace, killed
/// when the test ends however it ends.
pub struct Operator(std::process::Child);

impl Operator {
    pub fn start(namespace: &str) -> Operator {
        Operator::start_with(namespace, &[])
    }

    /// `run` with extra flags, such as `--scheduler default`.
    pub fn start_with(namespace: &str, flags: &[&str]) -> Operator {
        Operator::start_as(&kubeconfig_path(), namespace, flags)
    }

    /// `run` with extra flags as the identity `kubeconfig` gives it.
    pub fn start_as(kubeconfig: &std::path::Path, namespace: &str, flags: &[&str]) -> Operator {
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("kubectl-airforce"))
            .arg("--kubeconfig")
            .arg(kubeconfig)
            .args(["-n", namespace, "-v", "run"])
            // Several operators run at once in a test binary: no shared
            // metrics port, unless the test gives one of its own.
            .args(
                ["--metrics-addr", "off"]
                    .iter()
                    .filter(|_| !flags.contains(&"--metrics-addr")),
            )
            .args(flags)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .expect("kubectl-airforce run starts");
        Operator(child)
    }

    /// Ends the process at once, as a crash or `kill -9` would.
    pub fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Operator {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Submits the example weapons and `files` into `namespace`; fails the test if
/// submit does.
pub fn submit(namespace: &str, files: &[&str]) {
    let mut args = vec![
        "-n",
        namespace,
        "mission",
        "submit",
        "-f",
        "examples/weapons.yaml",
    ];
    for file in files {
        args.extend(["-f", file]);
    }
    let output = airforce(&args);
    assert!(
        output.status.success(),
        "submit failed: {}",
        text(&output.stderr)
    );
}

/// Submits a mission written inline, with the example weapons.
pub fn submit_yaml(namespace: &str, yaml: &str) {
    let path = std::env::temp_dir().join(format!("{namespace}-mission.yaml"));
    std::fs::write(&path, yaml).expect("the mission file is written");
    submit(namespace, &[path.to_str().expect("a UTF-8 temp path")]);
    let _ = std::fs::remove_file(&path);
}

/// Whether a mission has ended, one way or the other (a `wait_for` condition).
pub fn mission_finished(mission: Option<&kubectl_airforce::api::Mission>) -> bool {
    use kubectl_airforce::api::MissionPhase;
    let phase = mission
        .and_then(|m| m.status.as_ref())
        .and_then(|s| s.phase);
    phase.is_some_and(MissionPhase::is_finished)
}

/// The mission `name` once it has ended, one way or the other; panics after
/// `timeout`.
pub async fn finished_mission(
    missions: &Api<kubectl_airforce::api::Mission>,
    name: &str,
    timeout: Duration,
) -> kubectl_airforce::api::Mission {
    wait_for(missions, name, timeout, "finished", mission_finished).await
}

/// Waits until mission `name` finishes, fails the test unless it ended in
/// `phase`, and returns its status.
pub async fn mission_ended(
    missions: &Api<kubectl_airforce::api::Mission>,
    name: &str,
    phase: kubectl_airforce::api::MissionPhase,
    timeout: Duration,
) -> kubectl_airforce::api::MissionStatus {
    let mission = finished_mission(missions, name, timeout).await;
    let status = mission.status.unwrap_or_default();
    assert_eq!(status.phase, Some(phase), "mission {name}: {status:#?}");
    status
}

/// Waits until some pod matches `selector`, or panics after `timeout` naming `what`.
pub async fn wait_for_pods(
    pods: &Api<k8s_openapi::api::core::v1::Pod>,
    selector: &str,
    timeout: Duration,
    what: &str,
) {
    let deadline = tokio::time::Instant::now() + timeout;
    let params = kube::api::ListParams::default().labels(selector);
    while pods
        .list(&params)
        .await
        .expect("pods list")
        .items
        .is_empty()
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out after {timeout:?}: {what}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Creates kwok aircraft named `names` with `labels` (plus the fake-node
/// annotation kwok manages), waits until each is Ready, and returns the names.
/// A test brings its own aircraft when it would change them (taints, labels),
/// so the shared fleet stays as other tests expect; [`delete_aircraft`] after.
pub async fn create_aircraft(
    client: &Client,
    names: &[String],
    labels: &std::collections::BTreeMap<String, String>,
) {
    use k8s_openapi::api::core::v1::Node;
    let nodes: Api<Node> = Api::all(client.clone());
    for name in names {
        let node = Node {
            metadata: ObjectMeta {
                name: Some(name.clone()),
                labels: Some(labels.clone()),
                annotations: Some([("kwok.x-k8s.io/node".to_string(), "fake".to_string())].into()),
                ..Default::default()
            },
            ..Default::default()
        };
        nodes
            .create(&PostParams::default(), &node)
            .await
            .unwrap_or_else(|error| panic!("cannot create aircraft {name}: {error}"));
    }
    for name in names {
        wait_for(
            &nodes,
            name,
            Duration::from_secs(120),
            "Ready",
            |node: Option<&Node>| {
                node.and_then(|n| n.status.as_ref())
                    .and_then(|s| s.conditions.as_ref())
                    .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
            },
        )
        .await;
    }
}

/// Deletes aircraft made by [`create_aircraft`]; missing ones are fine.
pub async fn delete_aircraft(client: &Client, names: &[String]) {
    use k8s_openapi::api::core::v1::Node;
    let nodes: Api<Node> = Api::all(client.clone());
    for name in names {
        let _ = nodes.delete(name, &DeleteParams::default()).await;
    }
}

/// Runs `test` with `count` kwok aircraft of its own, of type `kind` (ready,
/// fuel 90, 8 hardpoints), named `<kind>-1`…, and deletes them afterwards
/// even when the test panics. A type of its own keeps other tests' tasks off
/// them and lets the test count them apart from the shared fleet.
pub async fn with_squadron<F, Fut>(client: &Client, kind: &str, count: usize, test: F)
where
    F: FnOnce(Vec<String>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let names: Vec<String> = (1..=count).map(|index| format!("{kind}-{index}")).collect();
    let labels = [
        ("aircraft.mil/type", kind),
        ("aircraft.mil/status", "ready"),
        ("aircraft.mil/fuel.level", "90"),
        ("aircraft.mil/fuel.status", "high"),
        ("aircraft.mil/hardpoint.available", "8"),
    ]
    .into_iter()
    .map(|(key, value)| (key.to_string(), value.to_string()))
    .collect();
    create_aircraft(client, &names, &labels).await;
    let outcome = tokio::spawn(test(names.clone())).await;
    delete_aircraft(client, &names).await;
    if let Err(error) = outcome {
        std::panic::resume_unwind(error.into_panic());
    }
}

/// Clears the aircraft `names` to carry `weapons` (comma-separated Weapon
/// names): their compatible-weapons annotation.
pub async fn clear_aircraft_for(client: &Client, names: &[String], weapons: &str) {
    use kube::api::{Patch, PatchParams};
    let nodes: Api<k8s_openapi::api::core::v1::Node> = Api::all(client.clone());
    let cleared = serde_json::json!({"metadata": {"annotations": {"aircraft.mil/compatible-weapons": weapons}}});
    for name in names {
        nodes
            .patch(name, &PatchParams::default(), &Patch::Merge(&cleared))
            .await
            .unwrap_or_else(|error| panic!("cannot clear aircraft {name} for {weapons}: {error}"));
    }
}

/// A name of `prefix` and the namespace's random suffix: unique per test run,
/// for cluster-wide things a test makes (an aircraft type, node names).
pub fn tag(prefix: &str, namespace: &str) -> String {
    format!("{prefix}-{}", namespace.rsplit('-').next().unwrap_or("x"))
}

/// A free port on 127.0.0.1, for an operator's metrics endpoint.
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}

/// The value of the Prometheus sample `name{labels}` that an operator
/// serves on `port`; 0 when it has none yet.
pub async fn metric(port: u16, name: &str, labels: &str) -> f64 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut text = String::new();
    if let Ok(mut stream) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await {
        let request = "GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
        if stream.write_all(request.as_bytes()).await.is_ok() {
            let _ = stream.read_to_string(&mut text).await;
        }
    }
    let prefix = format!("{name}{{{labels}}} ");
    text.lines()
        .find_map(|line| line.strip_prefix(&prefix)?.trim().parse().ok())
        .unwrap_or(0.0)
}

/// A kubeconfig for the local cluster that carries a fresh token of the
/// ServiceAccount `account` in `namespace` and no other credential.
pub async fn kubeconfig_of(client: &Client, namespace: &str, account: &str) -> PathBuf {
    use k8s_openapi::api::authentication::v1::{TokenRequest, TokenRequestSpec};
    use k8s_openapi::api::core::v1::ServiceAccount;
    use kube::config::AuthInfo;
    let accounts: Api<ServiceAccount> = Api::namespaced(client.clone(), namespace);
    let request = TokenRequest {
        spec: Some(TokenRequestSpec {
            audiences: None,
            expiration_seconds: Some(3600),
            ..TokenRequestSpec::default()
        }),
        ..TokenRequest::default()
    };
    let issued: TokenRequest = accounts
        .create_subresource("token", account, &PostParams::default(), &request)
        .await
        .expect("a token is issued");
    let token = issued.status.and_then(|s| s.token).expect("a token");
    let mut kubeconfig = Kubeconfig::read_from(kubeconfig_path()).expect("kubeconfig");
    for user in &mut kubeconfig.auth_infos {
        user.auth_info = Some(AuthInfo {
            token: Some(token.clone().into()),
            ..AuthInfo::default()
        });
    }
    let path = std::env::temp_dir().join(format!("{namespace}-{account}.kubeconfig"));
    let yaml = serde_yaml_ng::to_string(&kubeconfig).expect("the kubeconfig writes");
    std::fs::write(&path, yaml).expect("the kubeconfig is saved");
    path
}

/// Creates the ServiceAccount `name` in `namespace`.
pub async fn create_service_account(client: &Client, namespace: &str, name: &str) {
    use k8s_openapi::api::core::v1::ServiceAccount;
    let accounts: Api<ServiceAccount> = Api::namespaced(client.clone(), namespace);
    let account = ServiceAccount {
        metadata: ObjectMeta {
            name: Some(name.into()),
            ..ObjectMeta::default()
        },
        ..ServiceAccount::default()
    };
    accounts
        .create(&PostParams::default(), &account)
        .await
        .expect("the account");
}
