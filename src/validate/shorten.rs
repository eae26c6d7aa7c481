//! How much of a person's text a report quotes: a value or key of megabytes
//! is quoted by its start only.

/// `text` when it has at most `max` characters, else its start and how much
/// was left out.
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((end, _)) => {
            let left = text[end..].chars().count();
            format!("{}… ({left} more characters)", &text[..end])
        }
    }
}
