//! `kubectl airforce dashboard` in a real browser: headless Chromium against the
//! console on the local cluster. The far-sea mission's page draws its stage
//! graph and follows every task to Succeeded through its live feed, with no
//! reload; a request without the token is refused; actions are refused unless
//! the console was started with --allow-actions, and with it a confirmed
//! cancel is made as the user.

mod browser;
mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use browser::Browser;
use kube::{Api, ResourceExt};
use kubectl_airforce::api::Mission;
use kubectl_airforce::api::keys::CANCEL_ANNOTATION;
use serde_json::Value;
use support::Operator;

const FAR_SEA: &str = "far-sea-strike";

/// The console as a child process, killed when the test ends.
struct Dashboard {
    child: Child,
    /// `http://127.0.0.1:PORT/?token=…`, as it printed it.
    url: String,
}

impl Dashboard {
    fn start(namespace: &str, flags: &[&str]) -> Dashboard {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("kubectl-airforce"))
            .arg("--kubeconfig")
            .arg(support::kubeconfig_path())
            .args(["-n", namespace, "dashboard"])
            .args(flags)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("kubectl-airforce dashboard starts");
        let stdout = child.stdout.take().expect("its stdout is piped");
        let mut url = String::new();
        BufReader::new(stdout)
            .read_line(&mut url)
            .expect("the dashboard prints its URL");
        let url = url.trim().to_string();
        assert!(
            url.starts_with("http://127.0.0.1:") && url.contains("/?token="),
            "printed: {url:?}"
        );
        Dashboard { child, url }
    }

    /// `http://127.0.0.1:PORT`, without the token.
    fn base(&self) -> &str {
        self.url.split("/?").next().expect("a URL")
    }

    /// `path` with the token, as a person's first visit.
    fn entry(&self, path: &str) -> String {
        let token = self.url.split("token=").nth(1).expect("a token");
        format!("{}{path}?token={token}", self.base())
    }
}

impl Drop for Dashboard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A cancel posted from the page itself with a guessed CSRF secret: its HTTP status.
async fn guessed_cancel(page: &browser::Page, ns: &str) -> Value {
    page.eval(&format!(
        "fetch('/missions/{ns}/{FAR_SEA}/cancel', {{method: 'POST', headers: {{'Content-Type': \
         'application/x-www-form-urlencoded'}}, body: 'csrf=guess'}}).then(r => r.status)"
    ))
    .await
}

const ALL_TASKS_SUCCEEDED: &str = "(() => { const rows = [...document.querySelectorAll('tr.task')]; \
    return rows.length === 9 && rows.every(r => r.dataset.phase === 'Succeeded'); })()";

#[tokio::test(flavor = "multi_thread")]
async fn the_far_sea_page_draws_its_stage_graph_and_follows_every_task_to_succeeded_without_a_reload()
 {
    support::with_namespace("dash-far-sea", |client, ns| async move {
        support::ensure_crds(&client).await;
        support::submit(&ns, &["examples/far-sea-strike.yaml"]);
        let dashboard = Dashboard::start(&ns, &[]);
        let browser = Browser::launch().await;
        let page = browser.open(&dashboard.entry(&format!("/missions/{ns}/{FAR_SEA}"))).await;
        assert_eq!(page.navigation_status().await, 200);
        page.mark().await;
        let boxes = page.eval("[...document.querySelectorAll('svg.dag g.stage')].map(g => g.dataset.stage)").await;
        assert_eq!(boxes, serde_json::json!(["air-superiority", "strike", "egress"]));
        let edges = page.eval("document.querySelectorAll('svg.dag path.edge').length").await;
        assert_eq!(edges, Value::from(2), "air-superiority → strike → egress");
        let succeeded_at_first = page.eval("document.querySelectorAll('tr.task[data-phase=Succeeded]').length").await;
        assert_eq!(succeeded_at_first, Value::from(0), "no operator runs yet: nothing has flown");

        let _operator = Operator::start(&ns);
        page.wait_until(ALL_TASKS_SUCCEEDED, Duration::from_secs(240)).await;
        page.wait_until(
            "[...document.querySelectorAll('svg.dag g.stage')].every(g => g.dataset.phase === 'Succeeded') \
             && document.querySelector('.summary').dataset.phase === 'Succeeded'",
            Duration::from_secs(30),
        )
        .await;
        assert!(page.still_marked().await, "the page was reloaded: the live feed should have drawn the changes");
        let updates = page.eval("Number(document.getElementById('live').dataset.updates)").await;
        assert!(updates.as_f64().is_some_and(|n| n >= 2.0), "updates drawn: {updates}");
        let aircraft = page.eval("[...document.querySelectorAll('tr.task')].every(r => /^j20-\\d+$/.test(r.children[2].textContent.trim()))").await;
        assert_eq!(aircraft, Value::Bool(true), "every task shows its aircraft");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_without_the_token_is_refused() {
    support::with_namespace("dash-token", |client, ns| async move {
        support::ensure_crds(&client).await;
        let dashboard = Dashboard::start(&ns, &[]);
        let browser = Browser::launch().await;
        let page = browser
            .open(&format!("{}/missions", dashboard.base()))
            .await;
        assert_eq!(page.navigation_status().await, 401);
        let text = page.eval("document.body.innerText").await;
        assert!(
            text.as_str().is_some_and(|t| t.contains("refused")),
            "{text}"
        );
        let wrong = browser
            .open(&format!("{}/missions?token=0123", dashboard.base()))
            .await;
        assert_eq!(wrong.navigation_status().await, 401);
        let right = browser.open(&dashboard.entry("/missions")).await;
        assert_eq!(right.navigation_status().await, 200);
        let cleaned = right.eval("location.search").await;
        assert_eq!(cleaned, Value::from(""), "the token leaves the address bar");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_action_without_allow_actions_is_refused() {
    support::with_namespace("dash-read-only", |client, ns| async move {
        support::ensure_crds(&client).await;
        support::submit(&ns, &["examples/far-sea-strike.yaml"]);
        let dashboard = Dashboard::start(&ns, &[]);
        let browser = Browser::launch().await;
        let page = browser
            .open(&dashboard.entry(&format!("/missions/{ns}/{FAR_SEA}")))
            .await;
        let offered = page
            .eval("document.querySelectorAll('a[href$=\"/cancel\"]').length")
            .await;
        assert_eq!(
            offered,
            Value::from(0),
            "a read-only console offers no action"
        );
        let status = guessed_cancel(&page, &ns).await;
        assert_eq!(status, Value::from(403));
        let confirm = browser
            .open(&format!(
                "{}/missions/{ns}/{FAR_SEA}/cancel",
                dashboard.base()
            ))
            .await;
        assert_eq!(confirm.navigation_status().await, 403);
        let missions: Api<Mission> = Api::namespaced(client, &ns);
        let mission = missions.get(FAR_SEA).await.expect("the mission is there");
        assert!(
            !mission.annotations().contains_key(CANCEL_ANNOTATION),
            "nothing was cancelled"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn with_allow_actions_a_confirmed_cancel_is_made_and_a_forged_one_is_refused() {
    support::with_namespace("dash-actions", |client, ns| async move {
        support::ensure_crds(&client).await;
        support::submit(&ns, &["examples/far-sea-strike.yaml"]);
        let dashboard = Dashboard::start(&ns, &["--allow-actions"]);
        let browser = Browser::launch().await;
        let page = browser
            .open(&dashboard.entry(&format!("/missions/{ns}/{FAR_SEA}")))
            .await;
        let forged = guessed_cancel(&page, &ns).await;
        assert_eq!(
            forged,
            Value::from(403),
            "a form without the console's secret"
        );
        let missions: Api<Mission> = Api::namespaced(client, &ns);
        let untouched = missions.get(FAR_SEA).await.expect("the mission is there");
        assert!(!untouched.annotations().contains_key(CANCEL_ANNOTATION));

        page.eval("document.querySelector('a[href$=\"/cancel\"]').click()")
            .await;
        page.wait_until(
            "document.querySelector('form button[type=submit]') !== null",
            Duration::from_secs(10),
        )
        .await;
        page.eval("document.querySelector('form button[type=submit]').click()")
            .await;
        page.wait_until(
            "document.querySelector('h1')?.textContent === 'Requested'",
            Duration::from_secs(10),
        )
        .await;
        let cancelled = missions.get(FAR_SEA).await.expect("the mission is there");
        assert_eq!(
            cancelled
                .annotations()
                .get(CANCEL_ANNOTATION)
                .map(String::as_str),
            Some("true"),
            "the confirmed cancel wrote the same request as `mission cancel`"
        );
    })
    .await;
}
