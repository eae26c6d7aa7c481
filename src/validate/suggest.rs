//! "Did you mean …?": the closest known name to a misspelt one.

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// The candidate closest to `wrong`, if one is close enough to be a typo: at most
/// a third of the word's letters differ (and at least one may), ignoring case.
pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong_lower = wrong.to_lowercase();
    let length = wrong.chars().count();
    let allowed = (length / 3).max(1);
    candidates
        .into_iter()
        // Lengths further apart than that cannot be close; skipping them
        // keeps a megabyte-long key from costing megabytes of comparisons.
        .filter(|candidate| candidate.chars().count().abs_diff(length) <= allowed)
        .map(|candidate| {
            (
                edit_distance(&wrong_lower, &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance <= allowed)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("minFuelLevel", "minFuelLevl"), 1);
        assert_eq!(edit_distance("dependsOn", "dependOn"), 1);
    }

    #[test]
    fn a_typo_finds_the_field_it_meant() {
        let fields = ["type", "minFuelLevel", "hardpoints", "capabilities"];
        assert_eq!(closest("minFuelLevl", fields), Some("minFuelLevel"));
        assert_eq!(closest("MinFuelLevel", fields), Some("minFuelLevel"));
        assert_eq!(closest("hardpoint", fields), Some("hardpoints"));
    }

    #[test]
    fn an_unrelated_word_finds_nothing() {
        assert_eq!(closest("altitude", ["type", "hardpoints"]), None);
        assert_eq!(closest("x", ["type"]), None);
    }
}
