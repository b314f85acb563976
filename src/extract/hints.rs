//! Reading hints from markup: whether a class, id or itemprop value names one
//! of a list of marks ("comment", "byline", "logo"…), ASCII case-insensitively
//! and without allocating. Several rules ask this of every element of a page.

use scraper::node::Element;

use super::attrs::plain_attrs;

/// Whether `value` contains one of the lower-case `marks`. One pass over
/// `value`: only positions whose byte starts some mark compare the marks.
pub(crate) fn mentions(value: &str, marks: &[&str]) -> bool {
    // Bit b set: some mark starts with ASCII byte b (either case); marks
    // starting with other bytes are compared wherever a non-ASCII byte is.
    let mut ascii_starts = 0u128;
    let mut other_starts = false;
    for m in marks {
        match m.as_bytes().first() {
            None => return true,
            Some(b) if b.is_ascii() => ascii_starts |= 1 << b.to_ascii_lowercase(),
            Some(_) => other_starts = true,
        }
    }
    let hay = value.as_bytes();
    hay.iter().enumerate().any(|(i, b)| {
        let starts = if b.is_ascii() {
            ascii_starts >> b.to_ascii_lowercase() & 1 == 1
        } else {
            other_starts
        };
        starts && marks.iter().any(|m| starts_at(&hay[i..], m.as_bytes()))
    })
}

/// Whether `hay` starts with the non-empty `mark`, ignoring ASCII case: the
/// first bytes are compared before the rest.
fn starts_at(hay: &[u8], mark: &[u8]) -> bool {
    hay.len() >= mark.len() && hay.iter().zip(mark).all(|(h, m)| h.eq_ignore_ascii_case(m))
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
/// One pass over the element's attributes.
pub(crate) fn attrs_mention(e: &Element, attrs: &[&str], marks: &[&str]) -> bool {
    plain_attrs(e).any(|(name, value)| attrs.contains(&name) && mentions(value, marks))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_substrings_in_any_ascii_case() {
        assert!(mentions("Post-Comments wrap", &["comment"]));
        assert!(!mentions("content", &["comment", "byline"]));
        assert!(mentions("x", &[""]));
        assert!(!mentions("", &["a"]));
    }

    /// The plain definition: some window of `haystack` equals `needle`, ignoring ASCII case.
    fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
        needle.is_empty()
            || haystack
                .as_bytes()
                .windows(needle.len())
                .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
    }

    #[test]
    fn mentions_agrees_with_the_plain_definition() {
        let marks = ["comment", "nav", "é-x", "Date", "a"];
        for value in [
            "", "Top-NAV", "no-comm", "xé-xy", "b", "UPDATE", "COMMENTS", "naé",
        ] {
            for n in 0..=marks.len() {
                let expected = marks[..n].iter().any(|m| contains_ignore_case(value, m));
                assert_eq!(mentions(value, &marks[..n]), expected, "{value} {n}");
            }
        }
        assert!(mentions("x", &["nav", ""]));
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
