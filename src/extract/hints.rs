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

/// Where the last match of one of the lower-case `marks` in `value` ends,
/// ignoring ASCII case: the head of a compound name ("TextCaption" is a caption).
pub(crate) fn last_mention_end(value: &str, marks: &[&str]) -> Option<usize> {
    marks
        .iter()
        .filter(|m| !m.is_empty() && m.len() <= value.len())
        .filter_map(|m| {
            value
                .as_bytes()
                .windows(m.len())
                .rposition(|w| w.eq_ignore_ascii_case(m.as_bytes()))
                .map(|start| start + m.len())
        })
        .max()
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

    #[test]
    fn finds_the_last_mention() {
        assert_eq!(
            last_mention_end("CarouselTextCaption-x", &["text", "caption"]),
            Some(19)
        );
        assert_eq!(last_mention_end("caption-text", &["caption"]), Some(7));
        assert_eq!(last_mention_end("body", &["caption"]), None);
    }
}
