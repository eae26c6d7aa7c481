//! Which pods the scheduler should try in a cycle, as a pure function of the
//! cached pods and what it remembers: pods it bound but the watch has not yet
//! shown bound ("assumed"), pods that fit nowhere at a given count of
//! cluster changes (tried again only once the count moves on), and, within
//! one cycle, the needs that already fit nowhere.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use k8s_openapi::api::core::v1::Pod;
use kube::ResourceExt;
use kube::runtime::watcher::Event;

use super::pod_request::PodRequest;
use crate::api::keys::AIRCRAFT_SCHEDULER;

/// What the scheduler remembers between cycles.
#[derive(Default)]
pub struct Attempts {
    assumed: HashMap<String, (Arc<Pod>, String)>,
    /// Pod key → the change count at which it fit nowhere.
    unschedulable: HashMap<String, u64>,
    /// Pods that shared another's verdict and were told why they wait: the
    /// cache may not show that write yet, and it is made once.
    told: HashSet<String>,
}

impl Attempts {
    /// Drops what the caches now show settled: an assumed pod seen bound (or
    /// gone), a waiting pod that is gone or no longer waits.
    pub fn forget_settled(&mut self, pods: &[Arc<Pod>]) {
        let waiting: HashMap<String, bool> = (pods.iter())
            .map(|pod| (key(pod), waits_for_us(pod)))
            .collect();
        self.assumed
            .retain(|key, _| waiting.get(key).copied().unwrap_or(false));
        self.unschedulable
            .retain(|key, _| waiting.get(key).copied().unwrap_or(false));
        self.told
            .retain(|key| waiting.get(key).copied().unwrap_or(false));
    }

    /// The pods to try now: the highest priority first (a pod's
    /// `spec.priority`, from its PriorityClass), then the oldest, then by
    /// namespace and name, so the order is the same on every run.
    pub fn due(&self, pods: &[Arc<Pod>], changes: u64) -> Vec<Arc<Pod>> {
        let mut due: Vec<Arc<Pod>> = (pods.iter())
            .filter(|pod| waits_for_us(pod))
            .filter(|pod| {
                let key = key(pod);
                !self.assumed.contains_key(&key)
                    && self.unschedulable.get(&key).is_none_or(|at| *at < changes)
            })
            .cloned()
            .collect();
        due.sort_by(|a, b| {
            let created = |pod: &Pod| pod.metadata.creation_timestamp.as_ref().map(|t| t.0);
            let priority = |pod: &Pod| pod.spec.as_ref().and_then(|s| s.priority).unwrap_or(0);
            (priority(b), created(a), a.namespace(), a.name_any()).cmp(&(
                priority(a),
                created(b),
                b.namespace(),
                b.name_any(),
            ))
        });
        due
    }

    /// The pods bound in an earlier cycle that the caches do not show yet, and
    /// their nodes: the next snapshot must count them.
    pub fn assumed(&self) -> impl Iterator<Item = (&str, &Pod)> {
        (self.assumed.values()).map(|(pod, node)| (node.as_str(), pod.as_ref()))
    }

    pub fn assume(&mut self, pod: Arc<Pod>, node: String) {
        self.unschedulable.remove(&key(&pod));
        self.assumed.insert(key(&pod), (pod, node));
    }

    /// The binding failed: the pod is free to be tried again.
    pub fn release(&mut self, pod: &Pod) {
        self.assumed.remove(&key(pod));
    }

    /// How many pods fit nowhere and wait for the change count to move past
    /// `changes`.
    pub fn waiting(&self, changes: u64) -> usize {
        self.unschedulable
            .values()
            .filter(|at| **at >= changes)
            .count()
    }

    /// The pod fit nowhere when the change count was `changes`.
    pub fn unschedulable(&mut self, pod: &Pod, changes: u64) {
        self.unschedulable.insert(key(pod), changes);
    }

    /// The pod shared the verdict of a pod alike when the change count was
    /// `changes`. Returns whether it is yet to be told why it waits: never
    /// when it already carries a PodScheduled condition, once otherwise.
    pub fn shares_verdict(&mut self, pod: &Pod, changes: u64) -> bool {
        self.unschedulable(pod, changes);
        let told = (pod.status.as_ref())
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|c| c.iter().any(|c| c.type_ == "PodScheduled"));
        !told && self.told.insert(key(pod))
    }
}

/// The needs of the pods that fit nowhere in the current cycle, each with the
/// reason. A cycle works on one snapshot that only fills up as it binds, so a
/// pod that needs exactly what one of these needed fits nowhere either: it
/// shares that verdict instead of being decided again. A queue of thousands of
/// alike pods (the replicas of one task) then costs one decision, one event
/// and one status write per cluster change, not thousands.
#[derive(Default)]
pub struct UnfitNeeds(Vec<(PodRequest, String)>);

impl UnfitNeeds {
    /// Why a pod with `request`'s needs fits nowhere in this cycle, if one
    /// alike already did not.
    pub fn verdict(&self, request: &PodRequest) -> Option<&str> {
        let needs = needs(request);
        (self.0.iter())
            .find(|(unfit, _)| *unfit == needs)
            .map(|(_, reason)| reason.as_str())
    }

    pub fn record(&mut self, request: &PodRequest, reason: String) {
        self.0.push((needs(request), reason));
    }
}

/// What the plugins read of a pod: everything but its name.
fn needs(request: &PodRequest) -> PodRequest {
    PodRequest {
        name: String::new(),
        ..request.clone()
    }
}

/// Whether a pod asks this scheduler to place it.
pub fn asks_for_us(pod: &Pod) -> bool {
    pod.spec.as_ref().and_then(|s| s.scheduler_name.as_deref()) == Some(AIRCRAFT_SCHEDULER)
}

/// Ours, not bound, not being deleted, not finished.
fn waits_for_us(pod: &Pod) -> bool {
    let unbound = pod.spec.as_ref().is_some_and(|s| s.node_name.is_none());
    let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref());
    asks_for_us(pod)
        && unbound
        && pod.metadata.deletion_timestamp.is_none()
        && !matches!(phase, Some("Succeeded" | "Failed"))
}

/// Whether a pod event may let a waiting pod fit: a pod left a node (deleted
/// or finished), or the cache was relisted and anything may have changed.
pub fn frees_a_node(event: &Event<Pod>) -> bool {
    let on_node = |pod: &Pod| pod.spec.as_ref().is_some_and(|s| s.node_name.is_some());
    match event {
        Event::Delete(pod) => on_node(pod),
        Event::Apply(pod) => {
            let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref());
            on_node(pod)
                && (matches!(phase, Some("Succeeded" | "Failed"))
                    || pod.metadata.deletion_timestamp.is_some())
        }
        Event::Init | Event::InitApply(_) => false,
        Event::InitDone => true,
    }
}

fn key(pod: &Pod) -> String {
    format!("{}/{}", pod.namespace().unwrap_or_default(), pod.name_any())
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::{PodCondition, PodSpec, PodStatus};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
    use kube::api::ObjectMeta;

    use super::*;

    fn pod(name: &str, created: i64, scheduler: &str, node: Option<&str>) -> Arc<Pod> {
        Arc::new(Pod {
            metadata: ObjectMeta {
                name: Some(name.into()),
                namespace: Some("ns".into()),
                creation_timestamp: Some(Time(
                    k8s_openapi::jiff::Timestamp::from_second(created).expect("a time"),
                )),
                ..Default::default()
            },
            spec: Some(PodSpec {
                scheduler_name: Some(scheduler.into()),
                node_name: node.map(str::to_string),
                ..Default::default()
            }),
            status: Some(PodStatus {
                phase: Some("Pending".into()),
                ..Default::default()
            }),
        })
    }

    fn names(pods: &[Arc<Pod>]) -> Vec<String> {
        pods.iter().map(|p| p.name_any()).collect()
    }

    #[test]
    fn only_our_unbound_pods_are_due_oldest_first() {
        let pods = vec![
            pod("late", 30, AIRCRAFT_SCHEDULER, None),
            pod("theirs", 10, "default-scheduler", None),
            pod("bound", 5, AIRCRAFT_SCHEDULER, Some("j20-01")),
            pod("early", 20, AIRCRAFT_SCHEDULER, None),
        ];
        assert_eq!(names(&Attempts::default().due(&pods, 0)), ["early", "late"]);
    }

    #[test]
    fn a_pod_of_higher_priority_is_tried_before_older_ones() {
        let with_priority = |name, created, priority| {
            let mut pod = (*pod(name, created, AIRCRAFT_SCHEDULER, None)).clone();
            pod.spec.as_mut().expect("a spec").priority = Some(priority);
            Arc::new(pod)
        };
        let pods = vec![
            with_priority("low-old", 1, 1000),
            with_priority("high-new", 9, 3000),
            with_priority("normal", 5, 2000),
            pod("unclassed", 0, AIRCRAFT_SCHEDULER, None),
        ];
        assert_eq!(
            names(&Attempts::default().due(&pods, 0)),
            ["high-new", "normal", "low-old", "unclassed"]
        );
    }

    #[test]
    fn an_unschedulable_pod_waits_for_the_next_cluster_change() {
        let pods = vec![pod("stuck", 1, AIRCRAFT_SCHEDULER, None)];
        let mut attempts = Attempts::default();
        attempts.unschedulable(&pods[0], 4);
        assert!(
            attempts.due(&pods, 4).is_empty(),
            "nothing changed: no retry"
        );
        assert_eq!(names(&attempts.due(&pods, 5)), ["stuck"]);
    }

    #[test]
    fn an_assumed_pod_is_not_tried_again_until_its_binding_fails() {
        let pods = vec![pod("a", 1, AIRCRAFT_SCHEDULER, None)];
        let mut attempts = Attempts::default();
        attempts.assume(pods[0].clone(), "j20-01".into());
        assert!(attempts.due(&pods, 0).is_empty());
        assert_eq!(
            attempts
                .assumed()
                .map(|(n, p)| (n.to_string(), p.name_any()))
                .collect::<Vec<_>>(),
            [("j20-01".to_string(), "a".to_string())]
        );
        attempts.release(&pods[0]);
        assert_eq!(names(&attempts.due(&pods, 0)), ["a"]);
    }

    #[test]
    fn a_pod_seen_bound_or_gone_is_forgotten() {
        let waiting = pod("a", 1, AIRCRAFT_SCHEDULER, None);
        let mut attempts = Attempts::default();
        attempts.assume(waiting.clone(), "j20-01".into());
        attempts.forget_settled(std::slice::from_ref(&waiting));
        assert_eq!(
            attempts.assumed().count(),
            1,
            "still not bound in the cache"
        );
        attempts.forget_settled(&[pod("a", 1, AIRCRAFT_SCHEDULER, Some("j20-01"))]);
        assert_eq!(attempts.assumed().count(), 0);
        attempts.unschedulable(&waiting, 1);
        attempts.forget_settled(&[]);
        assert_eq!(
            names(&attempts.due(&[waiting], 0)),
            ["a"],
            "a new pod of that name starts fresh"
        );
    }

    #[test]
    fn a_pod_alike_one_that_fit_nowhere_shares_its_verdict() {
        let request = |name: &str, zone: &str| {
            let mut pod = (*pod(name, 1, AIRCRAFT_SCHEDULER, None)).clone();
            pod.metadata.annotations = Some(
                [(
                    crate::api::keys::placement::PREFERRED_ZONE.to_string(),
                    zone.to_string(),
                )]
                .into(),
            );
            PodRequest::from_pod(&pod)
        };
        let mut unfit = UnfitNeeds::default();
        assert_eq!(unfit.verdict(&request("a-1", "east-sea")), None);
        unfit.record(
            &request("a-1", "east-sea"),
            "0/3 aircraft are available".into(),
        );
        assert_eq!(
            unfit.verdict(&request("a-2", "east-sea")),
            Some("0/3 aircraft are available"),
            "the same needs under another name"
        );
        assert_eq!(
            unfit.verdict(&request("b-1", "south-sea")),
            None,
            "other needs are decided on their own"
        );
    }

    #[test]
    fn a_pod_sharing_a_verdict_is_told_once_and_waits_for_the_next_change() {
        let waiting = pod("a-2", 1, AIRCRAFT_SCHEDULER, None);
        let mut attempts = Attempts::default();
        assert!(attempts.shares_verdict(&waiting, 3));
        assert!(
            !attempts.shares_verdict(&waiting, 3),
            "the cache does not show the write yet; it is not made again"
        );
        assert!(attempts.due(std::slice::from_ref(&waiting), 3).is_empty());
        assert_eq!(
            names(&attempts.due(std::slice::from_ref(&waiting), 4)),
            ["a-2"]
        );

        let mut told = (*pod("b-2", 1, AIRCRAFT_SCHEDULER, None)).clone();
        told.status.get_or_insert_default().conditions = Some(vec![PodCondition {
            type_: "PodScheduled".into(),
            status: "False".into(),
            ..Default::default()
        }]);
        assert!(
            !attempts.shares_verdict(&told, 3),
            "already carries a reason"
        );
    }

    #[test]
    fn pods_leaving_a_node_count_as_a_change() {
        let bound = pod("a", 1, AIRCRAFT_SCHEDULER, Some("j20-01"));
        assert!(frees_a_node(&Event::Delete((*bound).clone())));
        assert!(
            !frees_a_node(&Event::Apply((*bound).clone())),
            "still running"
        );
        let mut finished = (*bound).clone();
        finished.status.as_mut().expect("status").phase = Some("Succeeded".into());
        assert!(frees_a_node(&Event::Apply(finished)));
        let unbound = pod("b", 1, AIRCRAFT_SCHEDULER, None);
        assert!(!frees_a_node(&Event::Delete((*unbound).clone())));
        assert!(frees_a_node(&Event::InitDone));
    }
}
