//! The health page's readings: the API server's own readiness checks, the
//! operator's leader Lease in every namespace the user may read, and the
//! leader's metrics through the API server's proxy to its pod.

use hyper::StatusCode;
use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::jiff::Timestamp;
use kube::api::ListParams;
use kube::{Api, ResourceExt};

use super::console::{Body, Console, html};
use super::pages::chrome;
use crate::install::HTTP_PORT;
use crate::operator::leader::LEASE_NAME;
use crate::output::html::{self, HealthPage, LeaderView, Section};
use crate::output::tree::elapsed;

pub async fn health(console: &Console) -> hyper::Response<Body> {
    let readyz = http::Request::get("/readyz?verbose")
        .body(Vec::new())
        .expect("a fixed request is valid");
    let (readyz, leaders) = tokio::join!(console.client.request_text(readyz), leaders(console));
    let readyz_text;
    let readyz = match readyz {
        Ok(text) => {
            readyz_text = text;
            Ok((
                readyz_text.trim_end().ends_with("readyz check passed"),
                readyz_text.as_str(),
            ))
        }
        Err(error) => {
            readyz_text = format!("The API server did not answer /readyz: {error}");
            Err(readyz_text.as_str())
        }
    };
    let metrics = match &leaders {
        Ok(found) => leader_metrics(console, found).await,
        Err(_) => Err("The leader is not known, so neither are its metrics.".to_string()),
    };
    let (leaders_error, metrics_error);
    let leaders = match &leaders {
        Ok(found) => Ok(found.as_slice()),
        Err(why) => {
            leaders_error = why.clone();
            Err(leaders_error.as_str())
        }
    };
    let metrics = match &metrics {
        Ok(lines) => Ok(lines.as_slice()),
        Err(why) => {
            metrics_error = why.clone();
            Err(metrics_error.as_str())
        }
    };
    let page = HealthPage {
        readyz,
        leaders,
        metrics,
    };
    html(
        StatusCode::OK,
        html::health_page(&chrome(console, "Health", Section::Health), &page),
    )
}

/// The operator's leader Leases in every namespace the user may read.
async fn leaders(console: &Console) -> Result<Vec<LeaderView>, String> {
    let api: Api<Lease> = Api::all(console.client.clone());
    let params = ListParams::default().fields(&format!("metadata.name={LEASE_NAME}"));
    let leases = match api.list(&params).await {
        Ok(list) => list.items,
        Err(kube::Error::Api(status)) if status.code == 403 => {
            return Err(format!(
                "You may not read Leases ({}), so the operator's leader is not shown.",
                status.message
            ));
        }
        Err(error) => return Err(format!("The leader Lease could not be read: {error}")),
    };
    let now = Timestamp::now();
    Ok((leases.iter())
        .map(|lease| {
            let spec = lease.spec.clone().unwrap_or_default();
            let renewed = spec.renew_time.as_ref().map(|t| t.0);
            let duration = i64::from(spec.lease_duration_seconds.unwrap_or(15));
            let current = renewed.is_some_and(|at| now.duration_since(at).as_secs() <= duration);
            LeaderView {
                lease: format!(
                    "{}/{}",
                    lease.namespace().unwrap_or_default(),
                    lease.name_any()
                ),
                holder: spec.holder_identity.filter(|h| !h.is_empty()),
                renewed: elapsed(renewed, None, now).map(|ago| format!("{ago} ago")),
                current,
            }
        })
        .collect())
}

/// The current leader's own metrics, read through the API server's proxy to
/// its pod (so the user's `pods/proxy` permission applies), each family
/// summed over its labels.
async fn leader_metrics(
    console: &Console,
    leaders: &[LeaderView],
) -> Result<Vec<(String, String)>, String> {
    let Some(leader) = leaders.iter().find(|leader| leader.current) else {
        return Err("No operator holds the leader Lease now.".into());
    };
    let namespace = leader
        .lease
        .split_once('/')
        .map_or("", |(namespace, _)| namespace);
    let holder = leader.holder.as_deref().unwrap_or_default();
    let path = format!("/api/v1/namespaces/{namespace}/pods/{holder}:{HTTP_PORT}/proxy/metrics");
    let request = http::Request::get(path)
        .body(Vec::new())
        .map_err(|e| e.to_string())?;
    match console.client.request_text(request).await {
        Ok(text) => Ok(metric_sums(&text)),
        Err(kube::Error::Api(status)) if status.code == 404 => Err(format!(
            "The leader {holder} is not a pod in namespace {namespace} (a `kubectl airforce run` outside the cluster, perhaps): its metrics are on its own --metrics-addr."
        )),
        Err(kube::Error::Api(status)) if status.code == 403 => Err(format!(
            "You may not reach the operator's pod through the API server (pods/proxy): {}",
            status.message
        )),
        Err(error) => Err(format!("The leader's metrics could not be read: {error}")),
    }
}

/// `name value` per metric family of the operator, summed over label sets;
/// histogram buckets are left out (their count and sum stay).
fn metric_sums(exposition: &str) -> Vec<(String, String)> {
    let mut sums: std::collections::BTreeMap<String, f64> = std::collections::BTreeMap::new();
    for line in exposition
        .lines()
        .filter(|line| line.starts_with("airforce_"))
    {
        let Some((series, value)) = line.rsplit_once(' ') else {
            continue;
        };
        let name = series.split('{').next().unwrap_or(series);
        if name.ends_with("_bucket") {
            continue;
        }
        if let Ok(value) = value.parse::<f64>() {
            *sums.entry(name.to_string()).or_default() += value;
        }
    }
    sums.into_iter()
        .map(|(name, value)| (name, format!("{value}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_families_are_summed_over_their_labels_and_buckets_left_out() {
        let exposition = "# TYPE airforce_reconcile counter\n\
            airforce_reconcile_total{controller=\"mission\"} 3\n\
            airforce_reconcile_total{controller=\"stage\"} 4\n\
            airforce_reconcile_duration_seconds_bucket{le=\"0.1\"} 7\n\
            airforce_reconcile_duration_seconds_count 7\n\
            process_cpu_seconds_total 1\n";
        assert_eq!(
            metric_sums(exposition),
            [
                (
                    "airforce_reconcile_duration_seconds_count".to_string(),
                    "7".to_string()
                ),
                ("airforce_reconcile_total".to_string(), "7".to_string()),
            ]
        );
    }
}
