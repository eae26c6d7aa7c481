//! Leader election on a coordination.k8s.io/v1 Lease (`run --leader-elect`), so
//! two replicas never both act. The decision (acquire, renew, wait, lost) is a
//! pure function of the observed Lease; `Elector` does the reads and writes,
//! with the Lease's resourceVersion as the lock: a 409 means someone else won.

use std::time::Duration;

use k8s_openapi::api::coordination::v1::{Lease, LeaseSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime;
use k8s_openapi::jiff::{SignedDuration, Timestamp};
use kube::api::{ObjectMeta, PostParams};
use kube::{Api, Client};
use tokio::time::Instant;

/// The Lease every replica competes for.
pub const LEASE_NAME: &str = "kubectl-airforce-operator";
/// How long a holder's claim lasts without renewal.
pub const LEASE_DURATION: Duration = Duration::from_secs(15);
/// How often the holder renews.
pub const RENEW_INTERVAL: Duration = Duration::from_secs(5);
/// The holder gives up when it could not renew for this long: shorter than the
/// lease duration, so it stops before a standby may take over.
pub const RENEW_DEADLINE: Duration = Duration::from_secs(10);
/// How often a standby looks again, and a failed renewal is retried.
pub const RETRY_PERIOD: Duration = Duration::from_secs(2);

/// What to do about the Lease as observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Free or expired: claim it.
    Acquire,
    /// Ours: extend it.
    Renew,
    /// Someone else holds a live claim.
    Wait,
    /// We thought we held it, and now someone else (or no one) does.
    Lost,
}

/// Decides from the observed Lease spec (`None` when there is no Lease), my
/// identity, whether I believed I held it, and the time now.
pub fn decide(spec: Option<&LeaseSpec>, me: &str, held: bool, now: Timestamp) -> Decision {
    let holder = spec
        .and_then(|spec| spec.holder_identity.as_deref())
        .filter(|holder| !holder.is_empty());
    match holder {
        Some(holder) if holder == me => Decision::Renew,
        _ if held => Decision::Lost,
        Some(_) if !expired(spec, now) => Decision::Wait,
        _ => Decision::Acquire,
    }
}

/// Whether the holder's last renewal is older than its lease duration.
fn expired(spec: Option<&LeaseSpec>, now: Timestamp) -> bool {
    let Some(spec) = spec else { return true };
    let Some(renewed) = (spec.renew_time.as_ref()).or(spec.acquire_time.as_ref()) else {
        return true;
    };
    let seconds = spec
        .lease_duration_seconds
        .unwrap_or(LEASE_DURATION.as_secs() as i32);
    renewed.0 + SignedDuration::from_secs(i64::from(seconds)) < now
}

/// The spec to write for an `Acquire` or a `Renew`.
pub fn claim(spec: Option<&LeaseSpec>, me: &str, decision: Decision, now: Timestamp) -> LeaseSpec {
    let mut next = spec.cloned().unwrap_or_default();
    let stamp = Some(MicroTime(now));
    if decision == Decision::Acquire {
        let previous = next.holder_identity.as_deref().filter(|h| !h.is_empty());
        if previous.is_some_and(|previous| previous != me) {
            next.lease_transitions = Some(next.lease_transitions.unwrap_or(0) + 1);
        }
        next.holder_identity = Some(me.to_string());
        next.acquire_time = stamp.clone();
    }
    next.renew_time = stamp;
    next.lease_duration_seconds = Some(LEASE_DURATION.as_secs() as i32);
    next
}

/// Whether a holder whose last successful renewal was at `renewed` must give up.
pub fn renewal_overdue(renewed: Instant, now: Instant) -> bool {
    now.duration_since(renewed) > RENEW_DEADLINE
}

/// This process's holder identity: `POD_NAME`, else the hostname and pid.
pub fn identity() -> String {
    if let Some(pod) = std::env::var("POD_NAME").ok().filter(|p| !p.is_empty()) {
        return pod;
    }
    let host = hostname::get()
        .map(|h| h.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "unknown-host".to_string());
    format!("{host}_{}", std::process::id())
}

/// The lease was lost while the controllers ran.
#[derive(Debug, thiserror::Error)]
#[error("lost the leader lease {namespace}/{name}: {reason}")]
pub struct LeaseLost {
    pub namespace: String,
    pub name: String,
    pub reason: String,
}

/// What one read-and-write round found.
enum Step {
    Held,
    NotHeld,
    Lost(String),
}

/// Takes, keeps and gives back the Lease for this process.
pub struct Elector {
    api: Api<Lease>,
    namespace: String,
    identity: String,
}

impl Elector {
    pub fn new(client: Client, namespace: &str, identity: String) -> Elector {
        Elector {
            api: Api::namespaced(client, namespace),
            namespace: namespace.to_string(),
            identity,
        }
    }

    pub fn identity(&self) -> &str {
        &self.identity
    }

    pub fn lease(&self) -> String {
        format!("{}/{LEASE_NAME}", self.namespace)
    }

    /// Returns once this process holds the Lease.
    pub async fn acquire(&self) {
        loop {
            match self.step(false).await {
                Ok(Step::Held) => return,
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(lease = %self.lease(), %error, "cannot read or claim the lease")
                }
            }
            tokio::time::sleep(RETRY_PERIOD).await;
        }
    }

    /// Renews the Lease until it is lost; never returns while it is held.
    pub async fn hold(&self) -> LeaseLost {
        let mut renewed = Instant::now();
        let mut wait = RENEW_INTERVAL;
        loop {
            tokio::time::sleep(wait).await;
            let reason = match self.step(true).await {
                Ok(Step::Held) => {
                    renewed = Instant::now();
                    wait = RENEW_INTERVAL;
                    continue;
                }
                Ok(Step::Lost(holder)) => {
                    return self.lost(format!("it is now held by {holder:?}"));
                }
                Ok(Step::NotHeld) => "a concurrent write won (409)".to_string(),
                Err(error) => error.to_string(),
            };
            tracing::warn!(lease = %self.lease(), reason, "cannot renew the lease");
            if renewal_overdue(renewed, Instant::now()) {
                return self.lost(format!(
                    "not renewed for {}s (last failure: {reason})",
                    RENEW_DEADLINE.as_secs()
                ));
            }
            wait = RETRY_PERIOD;
        }
    }

    /// Gives the Lease up so a standby takes over at once, if it is still ours.
    pub async fn release(&self) {
        let result = async {
            let Some(mut lease) = self.api.get_opt(LEASE_NAME).await? else {
                return Ok(());
            };
            let spec = lease.spec.get_or_insert_with(Default::default);
            if spec.holder_identity.as_deref() != Some(self.identity.as_str()) {
                return Ok(());
            }
            spec.holder_identity = None;
            spec.lease_duration_seconds = Some(1);
            spec.renew_time = Some(MicroTime(Timestamp::now()));
            self.api
                .replace(LEASE_NAME, &PostParams::default(), &lease)
                .await
                .map(drop)
        }
        .await;
        match result {
            Ok(()) => tracing::info!(lease = %self.lease(), "released the lease"),
            Err(error) => {
                tracing::warn!(lease = %self.lease(), %error, "cannot release the lease; a standby takes over when it expires")
            }
        }
    }

    fn lost(&self, reason: String) -> LeaseLost {
        LeaseLost {
            namespace: self.namespace.clone(),
            name: LEASE_NAME.to_string(),
            reason,
        }
    }

    /// Reads the Lease, decides, and claims or renews it if that is the decision.
    async fn step(&self, held: bool) -> Result<Step, kube::Error> {
        let current = self.api.get_opt(LEASE_NAME).await?;
        let spec = current.as_ref().and_then(|lease| lease.spec.as_ref());
        let now = Timestamp::now();
        let decision = decide(spec, &self.identity, held, now);
        match decision {
            Decision::Wait => return Ok(Step::NotHeld),
            Decision::Lost => {
                let holder = spec
                    .and_then(|s| s.holder_identity.clone())
                    .unwrap_or_default();
                return Ok(Step::Lost(holder));
            }
            Decision::Acquire | Decision::Renew => {}
        }
        let next = claim(spec, &self.identity, decision, now);
        let written = match current {
            Some(mut lease) => {
                // Keeps metadata.resourceVersion: the write fails with 409 if
                // anyone wrote the Lease since it was read.
                lease.spec = Some(next);
                self.api
                    .replace(LEASE_NAME, &PostParams::default(), &lease)
                    .await
            }
            None => {
                let lease = Lease {
                    metadata: ObjectMeta {
                        name: Some(LEASE_NAME.to_string()),
                        ..Default::default()
                    },
                    spec: Some(next),
                };
                self.api.create(&PostParams::default(), &lease).await
            }
        };
        match written {
            Ok(_) => {
                if decision == Decision::Acquire {
                    tracing::info!(lease = %self.lease(), identity = %self.identity, "acquired the lease");
                }
                Ok(Step::Held)
            }
            Err(kube::Error::Api(status)) if status.code == 409 => Ok(Step::NotHeld),
            Err(error) => Err(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + seconds).unwrap()
    }

    fn held_by(holder: &str, renewed: i64) -> LeaseSpec {
        LeaseSpec {
            holder_identity: Some(holder.to_string()),
            renew_time: Some(MicroTime(at(renewed))),
            acquire_time: Some(MicroTime(at(renewed))),
            lease_duration_seconds: Some(15),
            ..Default::default()
        }
    }

    #[test]
    fn a_missing_or_free_lease_is_acquired() {
        assert_eq!(decide(None, "me", false, at(0)), Decision::Acquire);
        let free = LeaseSpec::default();
        assert_eq!(decide(Some(&free), "me", false, at(0)), Decision::Acquire);
        let released = LeaseSpec {
            holder_identity: Some(String::new()),
            ..held_by("x", 0)
        };
        assert_eq!(
            decide(Some(&released), "me", false, at(1)),
            Decision::Acquire
        );
    }

    #[test]
    fn another_holders_live_claim_is_waited_out_and_an_expired_one_taken() {
        let other = held_by("other", 0);
        assert_eq!(decide(Some(&other), "me", false, at(10)), Decision::Wait);
        assert_eq!(decide(Some(&other), "me", false, at(15)), Decision::Wait);
        assert_eq!(decide(Some(&other), "me", false, at(16)), Decision::Acquire);
    }

    #[test]
    fn my_own_claim_is_renewed_even_when_expired() {
        let mine = held_by("me", 0);
        assert_eq!(decide(Some(&mine), "me", true, at(3)), Decision::Renew);
        assert_eq!(decide(Some(&mine), "me", true, at(60)), Decision::Renew);
    }

    #[test]
    fn a_holder_that_finds_someone_else_or_no_one_on_the_lease_has_lost_it() {
        assert_eq!(
            decide(Some(&held_by("other", 0)), "me", true, at(1)),
            Decision::Lost
        );
        assert_eq!(
            decide(Some(&held_by("other", 0)), "me", true, at(99)),
            Decision::Lost
        );
        assert_eq!(decide(None, "me", true, at(1)), Decision::Lost);
    }

    #[test]
    fn acquiring_from_another_holder_counts_a_transition_and_stamps_the_times() {
        let taken = claim(Some(&held_by("other", 0)), "me", Decision::Acquire, at(20));
        assert_eq!(taken.holder_identity.as_deref(), Some("me"));
        assert_eq!(taken.lease_transitions, Some(1));
        assert_eq!(taken.acquire_time, Some(MicroTime(at(20))));
        assert_eq!(taken.renew_time, Some(MicroTime(at(20))));
        assert_eq!(taken.lease_duration_seconds, Some(15));
    }

    #[test]
    fn renewing_moves_only_the_renew_time() {
        let renewed = claim(Some(&held_by("me", 0)), "me", Decision::Renew, at(5));
        assert_eq!(renewed.acquire_time, Some(MicroTime(at(0))));
        assert_eq!(renewed.renew_time, Some(MicroTime(at(5))));
        assert_eq!(renewed.lease_transitions, None);
    }

    #[test]
    fn a_holder_gives_up_only_past_the_renew_deadline() {
        let start = Instant::now();
        assert!(!renewal_overdue(start, start + Duration::from_secs(9)));
        assert!(renewal_overdue(start, start + Duration::from_secs(11)));
        assert!(RENEW_DEADLINE < LEASE_DURATION && RENEW_INTERVAL < RENEW_DEADLINE);
    }
}
