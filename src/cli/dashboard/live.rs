//! The live feeds: server-sent event streams that redraw a page's live part
//! whenever a watch reports a change. Each stream owns its watches, so they
//! stop when the browser goes away; nothing is polled.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use http::header::{self, HeaderValue};
use http_body_util::{BodyExt, StreamBody};
use hyper::body::{Bytes, Frame};
use hyper::{Response, StatusCode};
use k8s_openapi::jiff::Timestamp;
use kube::runtime::{WatchStreamExt, reflector, watcher};
use maud::Markup;
use tokio::sync::{Notify, mpsc};

use super::console::{Body, Console};
use super::pages::{self, task_details};
use crate::cli::watch::feed::{Feed, Scope};
use crate::output::html::{self, MissionPage, MissionsPage};

/// Changes to one mission that come together are drawn once, this long
/// after the first.
const MISSION_SETTLE: Duration = Duration::from_millis(40);
/// The list redraws every mission it shows, so with many missions changing
/// it gathers their changes for longer.
const LIST_SETTLE: Duration = Duration::from_secs(1);
/// A comment this often shows a stream whose browser left, and keeps proxies
/// from closing a quiet one.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// The mission page's stream: its stages, tasks and pods as they change.
pub fn mission(console: Arc<Console>, namespace: &str, name: &str) -> Response<Body> {
    let scope = Scope {
        namespace: Some(namespace.to_string()),
        mission: Some(name.to_string()),
    };
    let name = name.to_string();
    stream(move |events| async move {
        let feed = Feed::start(&console.client, &scope);
        if let Err(error) = feed.ready().await {
            let _ = events.send(event("gone", &format!("{error:#}"))).await;
            return;
        }
        let mut drawn = String::new();
        loop {
            let snapshot = feed.snapshot();
            let Some(view) = snapshot.views().pop() else {
                let text = format!("mission {name} was deleted");
                let _ = events.send(event("gone", &text)).await;
                return;
            };
            let details = task_details(&snapshot);
            let page = MissionPage {
                view: &view,
                details: &details,
                events: &[],
                now: Timestamp::now(),
                actions: console.actions,
            };
            if !send_if_changed(&events, html::mission_live(&page), &mut drawn).await {
                return;
            }
            if !next_change(&events, feed.changed(), MISSION_SETTLE).await {
                return;
            }
        }
    })
}

/// The missions list's stream: the missions the filter admits.
pub fn missions(console: Arc<Console>, query: &str) -> Response<Body> {
    let filter = pages::filter(&console, query);
    stream(move |events| async move {
        let mut config = watcher::Config::default();
        if let Some(labels) = &filter.labels {
            config = config.labels(labels);
        }
        let (store, writer) = reflector::store();
        let changed = Arc::new(Notify::new());
        let signal = changed.clone();
        let api = pages::missions_api(&console, &filter);
        let driver = tokio::spawn(async move {
            let mut changes = watcher(api, config)
                .default_backoff()
                .reflect(writer)
                .boxed();
            while let Some(change) = changes.next().await {
                if let Err(error) = change {
                    tracing::warn!(%error, "the missions watch failed; it is retried");
                }
                signal.notify_one();
            }
        });
        let _stop = AbortOnDrop(driver);
        if store.wait_until_ready().await.is_err() {
            let _ = events
                .send(event("gone", "the missions watch stopped"))
                .await;
            return;
        }
        let mut drawn = String::new();
        loop {
            let missions = pages::admitted(&filter, store.state().iter().map(|m| (**m).clone()));
            let list = MissionsPage {
                filter: &filter,
                missions: &missions,
                now: Timestamp::now(),
            };
            if !send_if_changed(&events, html::missions_live(&list), &mut drawn).await {
                return;
            }
            if !next_change(&events, changed.notified(), LIST_SETTLE).await {
                return;
            }
        }
    })
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

type Events = mpsc::Sender<Bytes>;

/// Sends the markup when it differs from what was drawn last; false once the
/// browser has gone.
async fn send_if_changed(events: &Events, markup: Markup, drawn: &mut String) -> bool {
    let markup = markup.into_string();
    if markup == *drawn {
        return true;
    }
    let sent = events.send(event("update", &markup)).await.is_ok();
    *drawn = markup;
    sent
}

/// Waits for `change` (then `settle` for its fellows), sending keep-alives
/// meanwhile; false once the browser has gone.
async fn next_change(events: &Events, change: impl Future<Output = ()>, settle: Duration) -> bool {
    tokio::pin!(change);
    loop {
        tokio::select! {
            () = &mut change => {
                tokio::time::sleep(settle).await;
                return true;
            }
            () = tokio::time::sleep(KEEPALIVE) => {
                if events.send(Bytes::from_static(b": keep-alive\n\n")).await.is_err() {
                    return false;
                }
            }
        }
    }
}

/// One server-sent event: its name, then each line of data.
fn event(name: &str, data: &str) -> Bytes {
    let mut text = format!("event: {name}\n");
    for line in data.lines() {
        text.push_str("data: ");
        text.push_str(line);
        text.push('\n');
    }
    text.push('\n');
    Bytes::from(text)
}

/// A response whose body is what `produce` sends, for as long as it runs;
/// the browser leaving drops the body, and with it the producer's next send
/// fails.
fn stream<F, Fut>(produce: F) -> Response<Body>
where
    F: FnOnce(Events) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (sender, receiver) = mpsc::channel::<Bytes>(8);
    tokio::spawn(produce(sender));
    let frames = futures::stream::unfold(receiver, |mut receiver| async move {
        let bytes = receiver.recv().await?;
        Some((Ok(Frame::data(bytes)), receiver))
    });
    let mut response = Response::new(BodyExt::boxed(StreamBody::new(frames)));
    *response.status_mut() = StatusCode::OK;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream; charset=utf-8"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_carries_every_line_of_its_data() {
        let bytes = event("update", "<p>\none</p>");
        assert_eq!(&bytes[..], b"event: update\ndata: <p>\ndata: one</p>\n\n");
    }
}
