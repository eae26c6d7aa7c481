//! A fake API server for the reconcilers' tests. It keeps a small store of
//! objects, answers gets, lists (by label and field selector), creates,
//! merge patches and deletes the way the real one does for our requests, and
//! records every request in order, so a test can run a real reconcile and
//! read which writes it made, in which order, and what happens when one of
//! them fails.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context as TaskContext, Poll};

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use k8s_openapi::api::core::v1::Pod;
use kube::{Client, Resource, ResourceExt};
use serde::Serialize;
use serde_json::{Value, json};

use super::config::OperatorConfig;
use super::context::{Caches, Context};
use super::task_fixtures;
use crate::api::keys::TASK_LABEL;
use crate::placement::SchedulerChoice;
use crate::scheduler::config::SchedulerConfig;

/// Where an object lives: its resource's plural, namespace and name.
type Key = (String, Option<String>, String);

/// One request the server received, in the server's own terms.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: Method,
    pub plural: String,
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub subresource: Option<String>,
    pub body: Value,
}

impl Call {
    /// The call as a test reads it: `PATCH missions/op/status`,
    /// `POST missionstages`, `DELETE pods/p-1`.
    pub fn line(&self) -> String {
        let path = [
            Some(&self.plural),
            self.name.as_ref(),
            self.subresource.as_ref(),
        ];
        let path: Vec<&str> = path.into_iter().flatten().map(String::as_str).collect();
        format!("{} {}", self.method, path.join("/"))
    }
}

#[derive(Default)]
struct State {
    objects: BTreeMap<Key, Value>,
    calls: Vec<Call>,
    /// The [`Call::line`]s answered with a server error instead.
    failing: Vec<String>,
    /// Changes another client makes just before the next request of a
    /// [`Call::line`] arrives: `(line, merge patch)`.
    interfering: Vec<(String, Value)>,
    resource_version: u64,
}

/// The fake server; clones share one store.
#[derive(Clone, Default)]
pub struct MockApi {
    state: Arc<Mutex<State>>,
}

impl MockApi {
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores `object` as the server would hold it.
    pub fn put<K: Resource<DynamicType = ()> + Serialize>(&self, object: &K) {
        let value = serde_json::to_value(object).expect("a test object serializes");
        let key = (
            K::plural(&()).into_owned(),
            object.namespace(),
            object.name_any(),
        );
        self.lock().objects.insert(key, value);
    }

    /// The stored object of kind `K` named `name` in `namespace`.
    pub fn get<K: Resource<DynamicType = ()> + serde::de::DeserializeOwned>(
        &self,
        namespace: Option<&str>,
        name: &str,
    ) -> Option<K> {
        let key = (
            K::plural(&()).into_owned(),
            namespace.map(str::to_string),
            name.to_string(),
        );
        let value = self.lock().objects.get(&key).cloned()?;
        Some(serde_json::from_value(value).expect("a stored object deserializes"))
    }

    /// Answers requests whose [`Call::line`] is `line` with a 500 until
    /// [`MockApi::heal`].
    pub fn fail(&self, line: &str) {
        self.lock().failing.push(line.to_string());
    }

    /// Has another client merge-patch `patch` onto the object just before
    /// the next request whose [`Call::line`] is `line`, once.
    pub fn interfere_once(&self, line: &str, patch: Value) {
        self.lock().interfering.push((line.to_string(), patch));
    }

    /// Answers every request again.
    pub fn heal(&self) {
        self.lock().failing.clear();
    }

    /// Every request but the reads, in order, as [`Call::line`]s.
    pub fn writes(&self) -> Vec<String> {
        (self.calls().iter())
            .filter(|call| call.method != Method::GET)
            .map(Call::line)
            .collect()
    }

    /// The body of the `index`th request that was not a read.
    pub fn write_body(&self, index: usize) -> Value {
        let writes = self
            .calls()
            .into_iter()
            .filter(|call| call.method != Method::GET);
        writes
            .skip(index)
            .map(|call| call.body)
            .next()
            .expect("that many writes")
    }

    /// Every request so far, in order.
    pub fn calls(&self) -> Vec<Call> {
        self.lock().calls.clone()
    }

    /// Forgets the requests so far; the store stays.
    pub fn clear_calls(&self) {
        self.lock().calls.clear();
    }

    /// A controller context whose client talks to this server, and whose
    /// caches hold what the server holds now, as the watches would.
    pub fn context(&self) -> Arc<Context> {
        let client = Client::new(self.clone(), "default");
        let task_pods = (self.all::<Pod>().into_iter())
            .filter(|pod| pod.labels().contains_key(TASK_LABEL))
            .collect();
        // The events the reconcilers post are events.k8s.io/v1 bodies kept under
        // the same plural; only those a test stores as core/v1 are read back.
        let events = (self.values("events").into_iter())
            .filter_map(|value| serde_json::from_value(value).ok())
            .collect();
        let caches = Caches::filled(task_pods, self.all(), self.all(), events);
        Context::new(
            client,
            None,
            task_fixtures::pod_settings(SchedulerChoice::Aircraft),
            SchedulerConfig::default(),
            OperatorConfig::default(),
            caches,
        )
    }

    /// Every stored object of kind `K`.
    fn all<K: Resource<DynamicType = ()> + serde::de::DeserializeOwned>(&self) -> Vec<K> {
        (self.values(&K::plural(&())).into_iter())
            .map(|value| serde_json::from_value(value).expect("a stored object deserializes"))
            .collect()
    }

    /// Every stored object of the resource `plural`, as stored.
    fn values(&self, plural: &str) -> Vec<Value> {
        let state = self.lock();
        (state.objects.iter())
            .filter(|((stored, _, _), _)| stored == plural)
            .map(|(_, value)| value.clone())
            .collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn answer(&self, call: Call, query: &str) -> (StatusCode, Value) {
        let mut state = self.lock();
        state.calls.push(call.clone());
        if state.failing.contains(&call.line()) {
            return status(StatusCode::INTERNAL_SERVER_ERROR, "InternalError");
        }
        state.resource_version += 1;
        let version = state.resource_version.to_string();
        let namespace = call.namespace.clone();
        if let Some(at) = (state.interfering.iter()).position(|(line, _)| *line == call.line()) {
            let (_, patch) = state.interfering.remove(at);
            let key = (
                call.plural.clone(),
                namespace.clone(),
                call.name.clone().unwrap_or_default(),
            );
            if let Some(stored) = state.objects.get_mut(&key) {
                merge(stored, &patch);
                stored["metadata"]["resourceVersion"] = json!(format!("{version}-other"));
            }
        }
        let Some(name) = call.name.clone() else {
            return match call.method {
                Method::GET => (
                    StatusCode::OK,
                    list(&state, &call.plural, &namespace, query),
                ),
                Method::POST => create(&mut state, call, namespace, &version),
                _ => status(StatusCode::METHOD_NOT_ALLOWED, "MethodNotAllowed"),
            };
        };
        let key = (call.plural.clone(), namespace, name);
        let Some(stored) = state.objects.get_mut(&key) else {
            return status(StatusCode::NOT_FOUND, "NotFound");
        };
        match call.method {
            Method::GET => (StatusCode::OK, stored.clone()),
            Method::PATCH => {
                let expected = &call.body["metadata"]["resourceVersion"];
                if expected.is_string() && *expected != stored["metadata"]["resourceVersion"] {
                    return status(StatusCode::CONFLICT, "Conflict");
                }
                let mut patch = call.body.clone();
                if let Some(metadata) = patch.get_mut("metadata").and_then(Value::as_object_mut) {
                    metadata.remove("resourceVersion");
                }
                // Each status has one writer, which applies all of it: a
                // field it leaves out is one it no longer sets.
                if call.subresource.as_deref() == Some("status") {
                    stored["status"] = patch["status"].take();
                } else {
                    merge(stored, &patch);
                }
                stored["metadata"]["resourceVersion"] = json!(version);
                (StatusCode::OK, stored.clone())
            }
            Method::DELETE => {
                let gone = state.objects.remove(&key).expect("looked up above");
                (StatusCode::OK, gone)
            }
            _ => status(StatusCode::METHOD_NOT_ALLOWED, "MethodNotAllowed"),
        }
    }
}

impl tower::Service<Request<kube::client::Body>> for MockApi {
    type Response = Response<Full<Bytes>>;
    type Error = std::convert::Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, _: &mut TaskContext<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<kube::client::Body>) -> Self::Future {
        let server = self.clone();
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let bytes = body.collect().await.expect("a request body").to_bytes();
            let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            let call = parse(parts.method, parts.uri.path(), body);
            let (code, answer) = server.answer(call, parts.uri.query().unwrap_or_default());
            let bytes = serde_json::to_vec(&answer).expect("an answer serializes");
            let response = Response::builder()
                .status(code)
                .header("content-type", "application/json")
                .body(Full::new(Bytes::from(bytes)))
                .expect("a response");
            Ok(response)
        })
    }
}

/// Reads `/api/v1/namespaces/air/pods/p/status` and its kin.
fn parse(method: Method, path: &str, body: Value) -> Call {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let rest = match segments.first() {
        Some(&"api") => &segments[2..],
        _ => &segments[3..],
    };
    let (namespace, rest) = match rest {
        ["namespaces", namespace, rest @ ..] if !rest.is_empty() => (Some(*namespace), rest),
        _ => (None, rest),
    };
    let owned = |index: usize| rest.get(index).map(|s| s.to_string());
    Call {
        method,
        plural: owned(0).expect("a resource in the path"),
        namespace: namespace.map(str::to_string),
        name: owned(1),
        subresource: owned(2),
        body,
    }
}

fn create(
    state: &mut State,
    call: Call,
    namespace: Option<String>,
    version: &str,
) -> (StatusCode, Value) {
    let mut object = call.body;
    if let Some(namespace) = &namespace {
        object["metadata"]["namespace"] = json!(namespace);
    }
    let name = object["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let key = (call.plural, namespace, name.clone());
    if state.objects.contains_key(&key) {
        return status(StatusCode::CONFLICT, "AlreadyExists");
    }
    object["metadata"]["uid"] = json!(format!("uid-{name}"));
    object["metadata"]["resourceVersion"] = json!(version);
    state.objects.insert(key, object.clone());
    (StatusCode::CREATED, object)
}

fn list(state: &State, plural: &str, namespace: &Option<String>, query: &str) -> Value {
    let selectors = Selectors::parse(query);
    let items: Vec<&Value> = (state.objects.iter())
        .filter(|((p, ns, _), _)| p == plural && (namespace.is_none() || ns == namespace))
        .map(|(_, object)| object)
        .filter(|object| selectors.match_(object))
        .collect();
    json!({
        "apiVersion": "v1",
        "kind": "List",
        "metadata": { "resourceVersion": state.resource_version.to_string() },
        "items": items,
    })
}

/// A list's label and field selectors: `key=value` and bare `key` terms.
struct Selectors {
    labels: Vec<(String, Option<String>)>,
    fields: Vec<(String, String)>,
}

impl Selectors {
    fn parse(query: &str) -> Self {
        let mut selectors = Selectors {
            labels: Vec::new(),
            fields: Vec::new(),
        };
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let terms = value.split(',').filter(|term| !term.is_empty());
            match key.as_ref() {
                "labelSelector" => {
                    selectors
                        .labels
                        .extend(terms.map(|term| match term.split_once('=') {
                            Some((k, v)) => (k.to_string(), Some(v.to_string())),
                            None => (term.to_string(), None),
                        }))
                }
                "fieldSelector" => selectors.fields.extend(
                    terms
                        .filter_map(|t| t.split_once('='))
                        .map(|(k, v)| (k.into(), v.into())),
                ),
                _ => {}
            }
        }
        selectors
    }

    fn match_(&self, object: &Value) -> bool {
        let labels = &object["metadata"]["labels"];
        let labels_match = self.labels.iter().all(|(key, value)| match value {
            Some(value) => labels[key].as_str() == Some(value),
            None => labels.get(key).is_some(),
        });
        let fields_match = self.fields.iter().all(|(path, value)| {
            let found = path.split('.').fold(object, |at, step| &at[step]);
            found.as_str() == Some(value)
        });
        labels_match && fields_match
    }
}

/// A JSON merge patch: objects merge, null removes, anything else replaces.
fn merge(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = json!({});
    }
    let target = target.as_object_mut().expect("made an object above");
    for (key, value) in patch {
        if value.is_null() {
            target.remove(key);
        } else {
            merge(target.entry(key).or_insert(Value::Null), value);
        }
    }
}

fn status(code: StatusCode, reason: &str) -> (StatusCode, Value) {
    let body = json!({
        "apiVersion": "v1",
        "kind": "Status",
        "status": "Failure",
        "message": format!("the mock API server says {reason}"),
        "reason": reason,
        "code": code.as_u16(),
    });
    (code, body)
}
