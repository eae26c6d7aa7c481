//! A tower layer on the kube client that counts every request by verb and
//! resource into the process's metrics, so `/metrics` tells how many API
//! writes the operator spends (the request counterpart of controller-runtime's
//! `rest_client_requests_total`).

use std::task::{Context, Poll};

use http::Request;
use tower::{Layer, Service};

use super::registry::{ApiRequest, global};

/// Wraps the client's service in [`CountRequests`].
#[derive(Clone, Copy, Debug, Default)]
pub struct CountRequestsLayer;

impl<S> Layer<S> for CountRequestsLayer {
    type Service = CountRequests<S>;

    fn layer(&self, inner: S) -> CountRequests<S> {
        CountRequests { inner }
    }
}

/// Counts each request, then hands it on unchanged.
#[derive(Clone, Debug)]
pub struct CountRequests<S> {
    inner: S,
}

impl<S, B> Service<Request<B>> for CountRequests<S>
where
    S: Service<Request<B>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let uri = request.uri();
        global().count_request(&ApiRequest::classify(
            request.method(),
            uri.path(),
            uri.query(),
        ));
        self.inner.call(request)
    }
}
