//! A short digest of an object as planned, kept on what was applied from it.

use serde::Serialize;

/// A digest of an object as planned, kept on what was applied from it: the
/// server fills in defaults, so comparing the stored object with the plan
/// would always find a difference.
pub fn fingerprint(object: &impl Serialize) -> String {
    use std::hash::{Hash, Hasher};
    let text = serde_json::to_string(object).unwrap_or_default();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}
