//! Filter, score, choose and keep every step for the explanation:
//! the decision is written onto the bound pod as JSON and read back by
//! `schedule explain`, so it is compact and round-trips.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::config::SchedulerConfig;
use super::node_info::NodeInfo;
use super::plugins::{FILTERS, SCORES, Score, filter_rank};
use super::pod_request::PodRequest;

mod messages;
pub mod timing;

use timing::{FILTER, PluginClock, SCORE, Untimed};

/// Where one pod goes and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    /// The best candidate; `None` when every node was turned down.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chosen: Option<String>,
    pub nodes_evaluated: usize,
    /// How many nodes passed every filter, counting those a truncation dropped.
    pub feasible: usize,
    /// Best first; see [`decide`] for the order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<Candidate>,
    /// By node name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<Rejection>,
    /// Every rejected node counted by cause, most frequent first; kept whole
    /// by [`Decision::truncated`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected_by_reason: Vec<ReasonCount>,
}

/// A node that passed every filter, with its scores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    pub node: String,
    pub total: i64,
    /// One per score plugin that is on (weight > 0) and had something to say.
    pub scores: Vec<PluginScore>,
}

/// One score of one candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PluginScore {
    pub plugin: Cow<'static, str>,
    pub raw: i64,
    pub weight: u32,
    pub weighted: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Cow<'static, str>>,
}

/// A node turned down: by the first filter it failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rejection {
    pub node: String,
    pub plugin: Cow<'static, str>,
    pub reason: String,
}

/// How many nodes a filter turned down for one cause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReasonCount {
    pub plugin: Cow<'static, str>,
    /// The cause without any one node's particulars: `fuel below 70`.
    pub reason: Cow<'static, str>,
    pub count: usize,
}

/// Runs every filter on every node, scores the survivors and picks the best:
/// the highest total, ties going to the node whose name sorts first, so the
/// same cluster state always gives the same answer. Cost is one pass of the
/// plugins per node; allocations only for what the decision records.
pub fn decide<'a>(
    pod: &PodRequest,
    nodes: impl IntoIterator<Item = &'a NodeInfo>,
    config: &SchedulerConfig,
) -> Decision {
    decide_timed(pod, nodes, config, &mut Untimed)
}

/// [`decide`], running every plugin call through `clock`.
pub fn decide_timed<'a>(
    pod: &PodRequest,
    nodes: impl IntoIterator<Item = &'a NodeInfo>,
    config: &SchedulerConfig,
    clock: &mut impl PluginClock,
) -> Decision {
    let scores: Vec<(&dyn Score, u32)> = (SCORES.iter())
        .map(|score| (*score, score.weight(config)))
        .filter(|(_, weight)| *weight > 0)
        .collect();
    let mut decision = Decision::default();
    let mut by_reason: BTreeMap<(usize, Cow<'static, str>), usize> = BTreeMap::new();
    for node in nodes {
        decision.nodes_evaluated += 1;
        let unfit = FILTERS.iter().find_map(|filter| {
            let verdict = clock.run(filter.name(), FILTER, || filter.filter(pod, node, config));
            verdict.err().map(|unfit| (filter.name(), unfit))
        });
        match unfit {
            Some((plugin, unfit)) => {
                *by_reason
                    .entry((filter_rank(plugin), unfit.summary))
                    .or_default() += 1;
                decision.rejected.push(Rejection {
                    node: node.name.clone(),
                    plugin: Cow::Borrowed(plugin),
                    reason: unfit.reason,
                });
            }
            None => decision
                .candidates
                .push(candidate(pod, node, config, &scores, clock)),
        }
    }
    decision.feasible = decision.candidates.len();
    (decision.candidates).sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.node.cmp(&b.node)));
    decision.rejected.sort_by(|a, b| a.node.cmp(&b.node));
    decision.chosen = decision.candidates.first().map(|c| c.node.clone());
    let mut counts: Vec<ReasonCount> = (by_reason.into_iter())
        .map(|((rank, reason), count)| ReasonCount {
            plugin: Cow::Borrowed(FILTERS[rank].name()),
            reason,
            count,
        })
        .collect();
    // Stable: equal counts keep the filter order, then the reason's.
    counts.sort_by_key(|c| std::cmp::Reverse(c.count));
    decision.rejected_by_reason = counts;
    decision
}

fn candidate(
    pod: &PodRequest,
    node: &NodeInfo,
    config: &SchedulerConfig,
    scores: &[(&dyn Score, u32)],
    clock: &mut impl PluginClock,
) -> Candidate {
    let scores: Vec<PluginScore> = (scores.iter())
        .filter_map(|(score, weight)| {
            let raw = clock.run(score.name(), SCORE, || score.score(pod, node, config))?;
            Some(PluginScore {
                plugin: Cow::Borrowed(score.name()),
                raw,
                weight: *weight,
                weighted: raw * i64::from(*weight),
                note: score.note(node).map(Cow::Borrowed),
            })
        })
        .collect();
    Candidate {
        node: node.name.clone(),
        total: scores.iter().map(|s| s.weighted).sum(),
        scores,
    }
}

impl Decision {
    /// The same decision keeping only the best `max_nodes` candidates and
    /// the first `max_nodes` rejections, so that one about a thousand nodes
    /// still fits in an annotation; the counts stay whole.
    pub fn truncated(mut self, max_nodes: usize) -> Decision {
        self.candidates.truncate(max_nodes);
        self.rejected.truncate(max_nodes);
        self
    }

    /// How many nodes were turned down, counting those a truncation dropped.
    pub fn rejected_count(&self) -> usize {
        self.rejected_by_reason.iter().map(|r| r.count).sum()
    }
}

#[cfg(test)]
mod tests;
