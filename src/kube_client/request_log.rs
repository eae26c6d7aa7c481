//! A tower layer on the kube client that logs every request with its status
//! and how long it took, at debug level (`-vv`, or kubectl's `-v=6`), as
//! kubectl's request logging does.

use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use futures::future::BoxFuture;
use http::{Request, Response};
use tower::{Layer, Service};

/// Wraps the client's service in [`LogRequests`].
#[derive(Clone, Debug)]
pub struct LogRequestsLayer {
    /// The API server's URL without its trailing `/`: requests reach this
    /// layer with their path only.
    server: Arc<str>,
}

impl LogRequestsLayer {
    pub fn new(server: &str) -> Self {
        LogRequestsLayer {
            server: server.trim_end_matches('/').into(),
        }
    }
}

impl<S> Layer<S> for LogRequestsLayer {
    type Service = LogRequests<S>;

    fn layer(&self, inner: S) -> LogRequests<S> {
        LogRequests {
            inner,
            server: self.server.clone(),
        }
    }
}

/// Hands each request on and logs how it went.
#[derive(Clone, Debug)]
pub struct LogRequests<S> {
    inner: S,
    server: Arc<str>,
}

impl<S, B, R> Service<Request<B>> for LogRequests<S>
where
    S: Service<Request<B>, Response = Response<R>>,
    S::Future: Send + 'static,
    S::Error: std::fmt::Display + Send + 'static,
    R: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<S::Response, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let method = request.method().clone();
        let uri = format!("{}{}", self.server, request.uri());
        let started = Instant::now();
        let answer = self.inner.call(request);
        Box::pin(async move {
            let result = answer.await;
            let took = started.elapsed().as_millis();
            match &result {
                Ok(response) => {
                    tracing::debug!(target: "kubectl_airforce::requests", "{method} {uri} {} in {took} ms", response.status())
                }
                Err(error) => {
                    tracing::debug!(target: "kubectl_airforce::requests", "{method} {uri} failed after {took} ms: {error}")
                }
            }
            result
        })
    }
}
