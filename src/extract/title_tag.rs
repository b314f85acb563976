//! The `<title>` element as a headline: which part of "Headline | Section |
//! Site" is the article's title.
//!
//! This follows Mozilla Readability's long-tested heuristics, so that a page
//! that declares nothing else gets the title a reader view would show:
//! - with separators (" | ", " - ", " – ", " — ", " / ", " \ ", " > ", " » "),
//!   the last segment (the site) is removed; when that leaves fewer than three
//!   words, the first segment is removed instead;
//! - with a colon, the part after it is the title, unless a heading on the page
//!   prints the whole `<title>`, or the part before the colon is long;
//! - a title shorter than 15 or longer than 150 characters is replaced by the
//!   page's only `<h1>`;
//! - a result of four words or fewer keeps the whole `<title>`: short titles are
//!   names ("Mozilla - Wikipedia"), and cutting them loses the meaning.

/// Separator characters between title segments (each surrounded by spaces).
const SEPARATORS: &[char] = &['|', '-', '–', '—', '\\', '/', '>', '»'];
/// Separators of a path ("Docs / Guides / Title") rather than of a site name.
const HIERARCHICAL: &[char] = &['\\', '/', '>', '»'];
/// Titles outside this many characters are not trusted over a lone `<h1>`.
const TRUSTED_CHARS: std::ops::Range<usize> = 15..151;
/// A colon prefix longer than this many words is part of the title.
const MAX_COLON_PREFIX_WORDS: usize = 5;
/// A trimmed title needs at least this many words …
const MIN_TRIMMED_WORDS: usize = 3;
/// … and more than this many, or the whole `<title>` is kept.
const MAX_NAME_WORDS: usize = 4;

/// The headline part of `title` (already whitespace-folded). `headings` are the
/// texts of the page's `<h1>` and `<h2>` elements; `only_h1` is the text of the
/// page's `<h1>` when it has exactly one.
pub(crate) fn headline(title: &str, headings: &[String], only_h1: Option<&str>) -> String {
    let orig = title.trim();
    let mut hierarchical = false;
    let mut cur = if let Some(last) = last_separator(orig) {
        hierarchical = separator_positions(orig).any(|(_, c)| HIERARCHICAL.contains(&c));
        let head = &orig[..last];
        if words(head) < MIN_TRIMMED_WORDS {
            after_first_separator_char(orig).to_string()
        } else {
            head.to_string()
        }
    } else if orig.contains(": ") {
        if headings.iter().any(|h| h.trim() == orig) {
            orig.to_string()
        } else {
            colon_part(orig)
        }
    } else if !TRUSTED_CHARS.contains(&orig.chars().count()) {
        only_h1.unwrap_or(orig).to_string()
    } else {
        orig.to_string()
    };
    cur = crate::normalize::clean_text(&cur);
    let n = words(&cur);
    if n <= MAX_NAME_WORDS && (!hierarchical || n + 1 != words(&strip_separators(orig))) {
        return orig.to_string();
    }
    cur
}

/// The last " x "-separated segment: usually the site's name.
pub(crate) fn last_segment(title: &str) -> Option<&str> {
    let (at, _) = separator_positions(title).last()?;
    let rest = title.get(at + 1..)?;
    let seg = rest
        .trim_start_matches(|c: char| SEPARATORS.contains(&c))
        .trim();
    (!seg.is_empty() && at > 0).then_some(seg)
}

/// Byte offsets and characters of " x " separators, in order.
fn separator_positions(s: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    (1..chars.len().saturating_sub(1)).filter_map(move |i| {
        let c = chars[i].1;
        (SEPARATORS.contains(&c) && chars[i - 1].1 == ' ' && chars[i + 1].1 == ' ')
            .then_some((chars[i - 1].0, c))
    })
}

/// Start of the last " x " separator.
fn last_separator(s: &str) -> Option<usize> {
    separator_positions(s).last().map(|(at, _)| at)
}

/// Everything after the first separator character (spaced or not).
fn after_first_separator_char(s: &str) -> &str {
    s.char_indices()
        .find(|(_, c)| SEPARATORS.contains(c))
        .map_or(s, |(at, c)| &s[at + c.len_utf8()..])
}

/// "Section: Title" → "Title", unless that is too short or the prefix too long.
fn colon_part(orig: &str) -> String {
    let last = orig.rfind(':').map_or(orig, |at| &orig[at + 1..]);
    if words(last) >= MIN_TRIMMED_WORDS {
        let prefix = orig.find(':').map_or("", |at| &orig[..at]);
        if words(prefix) > MAX_COLON_PREFIX_WORDS {
            return orig.to_string();
        }
        return last.to_string();
    }
    orig.find(':')
        .map_or(orig, |at| &orig[at + 1..])
        .to_string()
}

fn strip_separators(s: &str) -> String {
    s.chars().filter(|c| !SEPARATORS.contains(c)).collect()
}

/// Whitespace-separated pieces, counting an empty piece at either end the way
/// Readability's `split(/\s+/)` does.
fn words(s: &str) -> usize {
    let inner = s.split_whitespace().count().max(1);
    let leading = usize::from(s.starts_with(char::is_whitespace) && !s.trim().is_empty());
    let trailing = usize::from(s.ends_with(char::is_whitespace) && !s.trim().is_empty());
    inner + leading + trailing
}

/// Share of `b`'s words (ASCII word characters) that also occur in `a`,
/// weighted by length: 1.0 when every word of `b` is in `a`.
pub(crate) fn similarity(a: &str, b: &str) -> f64 {
    let tokens = |s: &str| -> Vec<String> {
        s.to_lowercase()
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect()
    };
    let (ta, tb) = (tokens(a), tokens(b));
    if ta.is_empty() || tb.is_empty() {
        return 0.0;
    }
    let unique: Vec<&str> = tb
        .iter()
        .filter(|t| !ta.contains(t))
        .map(String::as_str)
        .collect();
    let total = tb.join(" ").len() as f64;
    1.0 - unique.join(" ").len() as f64 / total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(title: &str) -> String {
        headline(title, &[], None)
    }

    #[test]
    fn removes_the_last_segment() {
        assert_eq!(
            h("Painting a fence the easy way | Garden | Joe's Blog"),
            "Painting a fence the easy way | Garden"
        );
        assert_eq!(
            h("Painting a fence the easy way – Joe's Blog"),
            "Painting a fence the easy way"
        );
    }

    #[test]
    fn removes_the_first_segment_when_the_head_is_too_short() {
        assert_eq!(
            h("Joe's Blog - Painting a fence the easy way"),
            "Painting a fence the easy way"
        );
    }

    #[test]
    fn finds_the_last_segment() {
        assert_eq!(
            last_segment("Fences | Garden - Joe's Blog"),
            Some("Joe's Blog")
        );
        assert_eq!(last_segment("Well-known fences"), None);
        assert_eq!(last_segment("- Fences"), None);
    }

    #[test]
    fn keeps_short_names_whole() {
        assert_eq!(h("Paint - Encyclopedia"), "Paint - Encyclopedia");
        assert_eq!(h("Fences: Paint"), "Fences: Paint");
        assert_eq!(
            h("Painting fences on weekends - Garden Blog"),
            "Painting fences on weekends - Garden Blog"
        );
    }

    #[test]
    fn takes_the_part_after_a_colon_unless_a_heading_prints_it_all() {
        assert_eq!(
            h("Garden: How to paint a fence in one day"),
            "How to paint a fence in one day"
        );
        let all = "Garden: How to paint a fence in one day".to_string();
        assert_eq!(headline(&all, std::slice::from_ref(&all), None), all);
        let long = "A long story about our garden this year: how to paint a fence";
        assert_eq!(h(long), long);
    }

    #[test]
    fn replaces_an_untrustworthy_title_by_the_only_h1() {
        assert_eq!(
            headline("Home", &[], Some("Painting a fence the easy way")),
            "Painting a fence the easy way"
        );
        assert_eq!(headline("Home", &[], None), "Home");
    }

    #[test]
    fn measures_word_overlap() {
        assert!(similarity("Fence", "Fence - Garden Blog") < 0.75);
        assert!(similarity("Fence painting guide", "Fence painting guide") > 0.99);
        assert_eq!(similarity("", "x"), 0.0);
    }
}
