//! A decision told to a person, for Events and pod conditions: what was
//! chosen, each candidate's scores and each rejection, within the API
//! server's limit on an Event message.

use super::{Candidate, Decision, ReasonCount};
use crate::scheduler::plugins::score_label;

/// The longest Event message the API server accepts, in bytes.
pub const MAX_MESSAGE_BYTES: usize = 1024;

/// Kept free for the rejections when candidates are listed first.
const REJECTED_ROOM: usize = 320;

impl Decision {
    /// `bound to j20-01 (585); candidates: j20-01 585 (fuel 95×3, …), …;
    /// rejected: j20-03 AircraftAvailability: aircraft is busy, …`; the
    /// [`Self::unschedulable_message`] when nothing was chosen.
    pub fn scheduled_message(&self) -> String {
        let Some(chosen) = &self.chosen else {
            return self.unschedulable_message();
        };
        let mut text = match self.candidates.first() {
            Some(best) if &best.node == chosen => format!("bound to {chosen} ({})", best.total),
            _ => format!("bound to {chosen}"),
        };
        let rejected = self.rejected_count();
        let room = if rejected > 0 { REJECTED_ROOM } else { 0 };
        let candidates = self.candidates.iter().map(candidate);
        push_list(
            &mut text,
            "; candidates: ",
            candidates,
            self.feasible,
            MAX_MESSAGE_BYTES - room,
        );
        if !self.rejected.is_empty() {
            let rejections =
                (self.rejected.iter()).map(|r| format!("{} {}: {}", r.node, r.plugin, r.reason));
            push_list(
                &mut text,
                "; rejected: ",
                rejections,
                rejected,
                MAX_MESSAGE_BYTES,
            );
        } else if rejected > 0 {
            let groups = self.rejected_by_reason.iter().map(group);
            push_list(
                &mut text,
                "; rejected: ",
                groups,
                self.rejected_by_reason.len(),
                MAX_MESSAGE_BYTES,
            );
        }
        capped(text)
    }

    /// In kube-scheduler's style: `0/4 aircraft are available: 2 FuelCheck
    /// (fuel below 70), 1 AircraftAvailability (busy), …`, causes most
    /// frequent first.
    pub fn unschedulable_message(&self) -> String {
        let mut text = format!("0/{} aircraft are available: ", self.nodes_evaluated);
        if self.nodes_evaluated == 0 {
            text.push_str("no nodes are known to the scheduler.");
            return text;
        }
        let groups = self.rejected_by_reason.iter().map(group);
        // One byte of the limit is kept for the closing full stop.
        push_list(
            &mut text,
            "",
            groups,
            self.rejected_by_reason.len(),
            MAX_MESSAGE_BYTES - 1,
        );
        text.push('.');
        capped(text)
    }
}

/// `j20-01 585 (fuel 95×3, location 100×2, maintenance 100×1)`.
fn candidate(candidate: &Candidate) -> String {
    let scores: Vec<String> = (candidate.scores.iter())
        .map(|s| {
            let note = s
                .note
                .as_deref()
                .map(|n| format!(": {n}"))
                .unwrap_or_default();
            format!("{} {}×{}{note}", score_label(&s.plugin), s.raw, s.weight)
        })
        .collect();
    match scores.is_empty() {
        true => format!("{} {}", candidate.node, candidate.total),
        false => format!(
            "{} {} ({})",
            candidate.node,
            candidate.total,
            scores.join(", ")
        ),
    }
}

/// `2 FuelCheck (fuel below 70)`.
fn group(count: &ReasonCount) -> String {
    format!("{} {} ({})", count.count, count.plugin, count.reason)
}

/// Appends `label` and as many of `items` (of `total` in all, some perhaps
/// dropped already) as keep `text` within `limit` bytes, then `… and N more`
/// for the rest.
fn push_list(
    text: &mut String,
    label: &str,
    items: impl Iterator<Item = String>,
    total: usize,
    limit: usize,
) {
    text.push_str(label);
    let tail_room = format!(", … and {total} more").len();
    let mut shown = 0;
    for item in items {
        let separator = if shown == 0 { "" } else { ", " };
        let tail = if shown + 1 < total { tail_room } else { 0 };
        if text.len() + separator.len() + item.len() + tail > limit {
            break;
        }
        text.push_str(separator);
        text.push_str(&item);
        shown += 1;
    }
    if shown < total {
        let separator = if shown == 0 { "" } else { ", " };
        text.push_str(&format!("{separator}… and {} more", total - shown));
    }
}

/// `text` cut to the limit on a character boundary, should a single node name
/// or reason be long enough to pass it alone.
fn capped(mut text: String) -> String {
    if text.len() <= MAX_MESSAGE_BYTES {
        return text;
    }
    let ellipsis = "…";
    let mut end = MAX_MESSAGE_BYTES - ellipsis.len();
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text.push_str(ellipsis);
    text
}
