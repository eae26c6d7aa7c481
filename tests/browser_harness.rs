//! The browser harness against pages served from the test itself: JavaScript
//! runs in the page, HTTP statuses are seen, and a page that changes itself is
//! followed without a reload. No cluster needed, but Chromium is.

mod browser;

use std::time::Duration;

use browser::Browser;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Changes its own text a moment after loading, as a live page would.
const LIVE_PAGE: &str = r#"<!doctype html>
<title>Harness</title>
<p id="state">waiting</p>
<script>
  setTimeout(() => { document.getElementById("state").textContent = "changed"; }, 500);
</script>"#;

const FORBIDDEN_PAGE: &str = "<!doctype html><p>Forbidden: this page is not for you</p>";

const WAIT: Duration = Duration::from_secs(10);

/// Serves `/` (200, [`LIVE_PAGE`]), `/forbidden` (403 with a page) and
/// `/unauthorized` (401 with no body, which Chromium replaces with its own
/// error page) on a free port for as long as the test's runtime lives;
/// returns the base URL.
async fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a local port");
    let address = listener.local_addr().expect("local address");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(respond(stream));
        }
    });
    format!("http://{address}")
}

async fn respond(mut stream: TcpStream) {
    let mut request = Vec::new();
    let mut buffer = [0; 1024];
    while !request.windows(4).any(|end| end == b"\r\n\r\n") {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(read) => request.extend_from_slice(&buffer[..read]),
        }
    }
    let request = String::from_utf8_lossy(&request);
    let (status, body) = match request.split_whitespace().nth(1) {
        Some("/") => ("200 OK", LIVE_PAGE),
        Some("/forbidden") => ("403 Forbidden", FORBIDDEN_PAGE),
        Some("/unauthorized") => ("401 Unauthorized", ""),
        _ => ("404 Not Found", "not found"),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    // The browser may hang up early (it gives up on a favicon, say); the
    // tests judge what the page shows, not this write.
    let _ = stream.write_all(response.as_bytes()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_runs_javascript_and_reports_its_http_status() {
    let base = serve().await;
    let browser = Browser::launch().await;

    let page = browser.open(&format!("{base}/")).await;
    assert_eq!(page.eval("1 + 2").await, json!(3));
    assert_eq!(page.eval("document.title").await, json!("Harness"));
    let promised = "new Promise(resolve => setTimeout(() => resolve({ later: [1, 2] }), 50))";
    assert_eq!(page.eval(promised).await, json!({ "later": [1, 2] }));
    assert_eq!(page.eval("undefined").await, json!(null));
    assert_eq!(page.navigation_status().await, 200);

    let forbidden = browser.open(&format!("{base}/forbidden")).await;
    assert_eq!(forbidden.navigation_status().await, 403);
    let text = forbidden.eval("document.body.innerText").await;
    assert!(
        text.as_str().is_some_and(|t| t.contains("not for you")),
        "{text}"
    );

    let unauthorized = browser.open(&format!("{base}/unauthorized")).await;
    assert_eq!(unauthorized.navigation_status().await, 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_change_made_by_the_page_itself_is_seen_without_a_reload() {
    let base = serve().await;
    let browser = Browser::launch().await;
    let page = browser.open(&format!("{base}/")).await;

    page.mark().await;
    page.wait_until(
        "document.getElementById('state').textContent === 'changed'",
        WAIT,
    )
    .await;
    assert!(page.still_marked().await, "the page was reloaded");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reload_loses_the_mark() {
    let base = serve().await;
    let browser = Browser::launch().await;
    let page = browser.open(&format!("{base}/")).await;
    page.mark().await;
    assert!(page.still_marked().await, "the mark did not stick");

    page.eval("location.reload()").await;
    page.wait_until(
        "document.readyState === 'complete' \
         && performance.getEntriesByType('navigation')[0].type === 'reload'",
        WAIT,
    )
    .await;
    assert!(!page.still_marked().await, "the reload kept the mark");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_condition_that_never_holds_fails_naming_itself_and_the_page_text() {
    let base = serve().await;
    let browser = Browser::launch().await;
    let page = browser.open(&format!("{base}/forbidden")).await;

    let waiting = tokio::spawn(async move {
        page.wait_until("document.title === 'never'", Duration::from_millis(600))
            .await;
    });
    let failure = waiting.await.expect_err("wait_until returned");
    let message = *failure
        .into_panic()
        .downcast::<String>()
        .expect("a formatted panic message");
    assert!(message.contains("document.title === 'never'"), "{message}");
    assert!(message.contains("not for you"), "{message}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_screenshot_is_saved_as_png() {
    let base = serve().await;
    let browser = Browser::launch().await;
    let page = browser.open(&format!("{base}/")).await;
    let path = std::env::temp_dir().join(format!("airforce-screenshot-{}.png", std::process::id()));

    page.screenshot(&path).await;
    let png = std::fs::read(&path).expect("the screenshot file");
    std::fs::remove_file(&path).expect("remove the screenshot");
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "not a PNG: {:?}",
        &png[..png.len().min(16)]
    );
}
