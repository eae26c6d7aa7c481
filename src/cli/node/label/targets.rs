//! The nodes a label request names: each by name (on the command line or in a
//! fleet file) with its edits, or all that a selector matches.

use crate::cli::node::label_plan::Edits;

pub(super) enum Targets {
    /// Named on the command line (`named_at` empty) or by a fleet file.
    Named(Vec<Target>),
    Selected {
        selector: String,
        edits: Edits,
    },
}

pub(super) struct Target {
    pub(super) name: String,
    pub(super) edits: Edits,
    /// Where a fleet file names the node, for messages.
    pub(super) named_at: Option<String>,
}
