//! A process's HTTP endpoint: `/healthz` while it runs, `/readyz` once it is
//! ready, `/metrics` for Prometheus. Served by the operator (`run
//! --metrics-addr`) and by a simulated weapon (`weapon serve`). HTTP/1 on hyper
//! inside the process's runtime: no second runtime, no framework.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// What an endpoint tells: its metrics, and whether the process is ready.
pub trait Exposition: Send + Sync + 'static {
    /// The Prometheus text exposition.
    fn metrics(&self) -> String;
    /// Why the process is not ready, or `None` once it is.
    fn not_ready(&self) -> Option<String>;
}

/// Binds `addr` now (so a taken port is reported at start) and serves in the
/// background for the rest of the process.
pub async fn serve(
    addr: SocketAddr,
    exposition: Arc<dyn Exposition>,
) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    tokio::spawn(accept(listener, exposition));
    Ok(bound)
}

async fn accept(listener: TcpListener, exposition: Arc<dyn Exposition>) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(error) => {
                tracing::warn!(%error, "cannot accept a metrics connection");
                continue;
            }
        };
        let exposition = exposition.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request: Request<Incoming>| {
                let response = respond(&request, exposition.as_ref());
                async move { Ok::<_, Infallible>(response) }
            });
            let connection = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
            if let Err(error) = connection.await {
                tracing::debug!(%error, "metrics connection ended");
            }
        });
    }
}

fn respond<B>(request: &Request<B>, exposition: &dyn Exposition) -> Response<Full<Bytes>> {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return text(StatusCode::METHOD_NOT_ALLOWED, "only GET\n".into());
    }
    match request.uri().path() {
        "/healthz" => text(StatusCode::OK, "ok\n".into()),
        "/readyz" => match exposition.not_ready() {
            None => text(StatusCode::OK, "ok\n".into()),
            Some(why) => text(StatusCode::SERVICE_UNAVAILABLE, format!("{why}\n")),
        },
        "/metrics" => {
            let mut response = text(StatusCode::OK, exposition.metrics());
            response.headers_mut().insert(
                hyper::header::CONTENT_TYPE,
                hyper::header::HeaderValue::from_static(
                    "application/openmetrics-text; version=1.0.0; charset=utf-8",
                ),
            );
            response
        }
        _ => text(
            StatusCode::NOT_FOUND,
            "not found: try /healthz, /readyz or /metrics\n".into(),
        ),
    }
}

fn text(status: StatusCode, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::*;

    #[derive(Default)]
    struct Switch(AtomicBool);

    impl Exposition for Switch {
        fn metrics(&self) -> String {
            "# EOF\n".into()
        }
        fn not_ready(&self) -> Option<String> {
            (!self.0.load(Ordering::Relaxed)).then(|| "not yet".into())
        }
    }

    fn get(path: &str) -> Request<()> {
        Request::get(path).body(()).unwrap()
    }

    #[test]
    fn readyz_is_503_with_the_reason_until_ready() {
        let switch = Switch::default();
        assert_eq!(respond(&get("/healthz"), &switch).status(), 200);
        assert_eq!(respond(&get("/readyz"), &switch).status(), 503);
        switch.0.store(true, Ordering::Relaxed);
        assert_eq!(respond(&get("/readyz"), &switch).status(), 200);
    }

    #[test]
    fn metrics_are_served_and_unknown_paths_are_404() {
        let switch = Switch::default();
        assert_eq!(respond(&get("/metrics"), &switch).status(), 200);
        assert_eq!(respond(&get("/nope"), &switch).status(), 404);
    }
}
