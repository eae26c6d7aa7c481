//! One running console, and the responses its handlers build.

use std::convert::Infallible;
use std::net::SocketAddr;

use http::header::{self, HeaderValue};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Response, StatusCode};
use kube::Client;
use maud::Markup;

use super::access::Secrets;

pub type Body = BoxBody<Bytes, Infallible>;

/// One running console.
pub struct Console {
    /// Authenticated as the person who started it: their RBAC applies.
    pub client: Client,
    /// The namespace of the current context, where lists start.
    pub namespace: String,
    /// The API server, shown in every page's header.
    pub cluster: String,
    pub secrets: Secrets,
    /// Whether `--allow-actions` was given.
    pub actions: bool,
    pub bound: SocketAddr,
}

pub fn set(response: &mut Response<Body>, name: header::HeaderName, value: &'static str) {
    response
        .headers_mut()
        .insert(name, HeaderValue::from_static(value));
}

pub fn full(status: StatusCode, body: Bytes) -> Response<Body> {
    let mut response = Response::new(Full::new(body).boxed());
    *response.status_mut() = status;
    response
}

pub fn text(status: StatusCode, body: String) -> Response<Body> {
    let mut response = full(status, body.into());
    set(
        &mut response,
        header::CONTENT_TYPE,
        "text/plain; charset=utf-8",
    );
    response
}

pub fn html(status: StatusCode, markup: Markup) -> Response<Body> {
    let mut response = full(status, markup.into_string().into());
    set(
        &mut response,
        header::CONTENT_TYPE,
        "text/html; charset=utf-8",
    );
    response
}

pub fn redirect(location: &str) -> Response<Body> {
    let mut response = full(StatusCode::SEE_OTHER, Bytes::new());
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}
