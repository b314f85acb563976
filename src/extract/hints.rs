//! Reading hints from markup: whether a class, id or itemprop value names one
//! of a list of marks ("comment", "byline", "logo"…), ASCII case-insensitively
//! and without allocating. Several rules ask this of every element of a page.

use scraper::node::Element;

/// Whether `haystack` contains `lower_needle` (already lower-case), ignoring ASCII case.
pub(crate) fn contains_ignore_case(haystack: &str, lower_needle: &str) -> bool {
    lower_needle.is_empty()
        || haystack
            .as_bytes()
            .windows(lower_needle.len())
            .any(|w| w.eq_ignore_ascii_case(lower_needle.as_bytes()))
}

/// Whether `value` contains one of the lower-case `marks`.
pub(crate) fn mentions(value: &str, marks: &[&str]) -> bool {
    marks.iter().any(|m| contains_ignore_case(value, m))
}

/// Whether one of the element's `attrs` values contains one of `marks`.
pub(crate) fn attrs_mention(e: &Element, attrs: &[&str], marks: &[&str]) -> bool {
    attrs
        .iter()
        .filter_map(|a| e.attr(a))
        .any(|v| mentions(v, marks))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_substrings_in_any_ascii_case() {
        assert!(mentions("Post-Comments wrap", &["comment"]));
        assert!(!mentions("content", &["comment", "byline"]));
        assert!(contains_ignore_case("x", ""));
        assert!(!contains_ignore_case("", "a"));
    }
}
