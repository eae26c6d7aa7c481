//! Which pods of failed attempts stay so that their logs can be read. The
//! pod of the task's current attempt always stays; of the others that
//! failed (by themselves or stopped by the task), the newest
//! [`TaskDefaults::kept_failed_pods`](super::TaskDefaults) stay and older
//! ones are deleted. Pods of attempts that did not fail (a surge's old pod,
//! a succeeded run before a re-run) are deleted as before. A mission's
//! deletion takes every kept pod with it through their owner references.

use std::collections::BTreeSet;

use super::model::{Observed, TaskPlan};
use crate::controller::pod_state::{self, TaskPod};

/// Keeps the newest failed pods out of `plan.delete`, and adds the failed
/// pods past the limit to it.
pub(super) fn apply(observed: &Observed, plan: &mut TaskPlan) {
    let current = plan.status.pod_ref.as_ref().map(|pod| pod.name.as_str());
    let failed: Vec<TaskPod> = pod_state::owned_pods(observed.task, observed.pods)
        .into_iter()
        .rev()
        .filter(|p| p.pod.metadata.deletion_timestamp.is_none() && pod_state::has_failed(p.pod))
        .filter(|p| Some(p.name) != current)
        .collect();
    let limit = observed.defaults.kept_failed_pods;
    let newest = failed.iter().take(limit).map(|p| p.name);
    let kept: BTreeSet<&str> = newest.chain(current).collect();
    plan.delete.retain(|name| !kept.contains(name.as_str()));
    for pod in failed.iter().skip(limit) {
        if !plan.delete.iter().any(|name| name == pod.name) {
            plan.delete.push(pod.name.to_string());
        }
    }
}
