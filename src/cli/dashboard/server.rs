//! The console's HTTP server: HTTP/1 on hyper inside the command's runtime.
//! Every request passes the token check first; every response carries the
//! headers that keep the pages to themselves (no inline script, no framing,
//! no referrer, no caching of what the cluster said).

use std::convert::Infallible;
use std::sync::Arc;

use http::header::{self, HeaderValue};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use super::access::{self, Access};
use super::console::{Body, Console, full, redirect, set, text};
use super::routes::{Route, route};
use super::{actions, assets, health, live, pages};

/// Only the console's own script and stylesheet; nothing inline, nothing
/// from elsewhere, no framing by another page, forms only to itself.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
    style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; \
    frame-ancestors 'none'; base-uri 'none'";

/// Serves `listener` until the process ends.
pub async fn serve(listener: TcpListener, console: Arc<Console>) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(error) => {
                tracing::warn!(%error, "cannot accept a console connection");
                continue;
            }
        };
        let console = console.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request: Request<Incoming>| {
                let console = console.clone();
                async move { Ok::<_, Infallible>(secure(handle(request, console).await)) }
            });
            let connection = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
            if let Err(error) = connection.await {
                tracing::debug!(%error, "console connection ended");
            }
        });
    }
}

async fn handle(request: Request<Incoming>, console: Arc<Console>) -> Response<Body> {
    match access::check(
        &console.secrets,
        console.bound,
        request.uri(),
        request.headers(),
    ) {
        Access::Granted => {}
        Access::Enter { location } => {
            let mut response = redirect(&location);
            let cookie = access::admitting_cookie(&console.secrets, console.bound);
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            return response;
        }
        Access::Refused(why) => return text(StatusCode::UNAUTHORIZED, format!("refused: {why}\n")),
    }
    let path = request.uri().path().to_string();
    let query = request.uri().query().unwrap_or_default().to_string();
    let get = matches!(*request.method(), Method::GET | Method::HEAD);
    match route(&path) {
        Route::Home if get => redirect("/missions"),
        Route::Missions if get => pages::missions(&console, &query).await,
        Route::MissionsLive if get => live::missions(console, &query),
        Route::Mission { namespace, name } if get => {
            pages::mission(&console, namespace, name).await
        }
        Route::MissionLive { namespace, name } if get => live::mission(console, namespace, name),
        Route::Action {
            namespace,
            name,
            kind,
        } => match *request.method() {
            Method::GET => actions::confirm(&console, namespace, name, kind, &query),
            Method::POST => {
                let target = actions::Target::new(namespace, name, kind);
                actions::perform(&console, target, request).await
            }
            _ => text(StatusCode::METHOD_NOT_ALLOWED, "GET or POST only\n".into()),
        },
        Route::Aircraft if get => pages::fleet(&console).await,
        Route::Weapons if get => pages::weapons(&console, &query).await,
        Route::Health if get => health::health(&console).await,
        Route::Asset(name) if get => match assets::find(name) {
            Some(asset) => {
                let mut response = full(StatusCode::OK, asset.body.into());
                set(&mut response, header::CONTENT_TYPE, asset.content_type);
                response
            }
            None => text(StatusCode::NOT_FOUND, "no such asset\n".into()),
        },
        Route::NotFound => text(StatusCode::NOT_FOUND, format!("not found: {path}\n")),
        _ => text(StatusCode::METHOD_NOT_ALLOWED, "GET only\n".into()),
    }
}

fn secure(mut response: Response<Body>) -> Response<Body> {
    set(
        &mut response,
        header::CONTENT_SECURITY_POLICY,
        CONTENT_SECURITY_POLICY,
    );
    set(&mut response, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(&mut response, header::X_FRAME_OPTIONS, "DENY");
    set(&mut response, header::REFERRER_POLICY, "no-referrer");
    set(&mut response, header::CACHE_CONTROL, "no-store");
    response
}
