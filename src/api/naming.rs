//! The name rules Kubernetes applies, where this tool checks names itself.

/// An RFC 1123 label: what Kubernetes requires of namespaces, container names,
/// and of names that prefix derived object names.
pub fn is_dns_label(name: &str) -> bool {
    let alphanumeric = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    (1..=63).contains(&name.len())
        && name.chars().all(|c| alphanumeric(c) || c == '-')
        && name.starts_with(alphanumeric)
        && name.ends_with(alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_labels_are_recognised() {
        assert!(is_dns_label("far-sea-strike"));
        assert!(is_dns_label("j20"));
        assert!(!is_dns_label("Far"));
        assert!(!is_dns_label("-a"));
        assert!(!is_dns_label("a-"));
        assert!(!is_dns_label(""));
        assert!(!is_dns_label(&"a".repeat(64)));
    }
}
