//! Text and date normalization: the last step before a value enters an [`Article`].
//!
//! Text: entities decoded, Unicode NFC, invisible characters dropped, whitespace
//! folded to single spaces, markup debris (a stray `>` glued to a word) removed.
//! Typographic characters such as curly quotes are kept exactly as the page had them.
//!
//! Dates: RFC 3339 and the ISO 8601 variants pages actually use, RFC 2822, and
//! common English date text. A timestamp keeps the offset the page gave; a value
//! without an offset becomes a date, never a guessed UTC time.
//!
//! [`Article`]: crate::Article

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use unicode_normalization::{UnicodeNormalization, is_nfc_quick};

use crate::article::PageDate;

/// Normalizes a run of text from the DOM (entities already decoded by the parser).
pub fn clean_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending_space = false;
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        // Markup debris: a '>' that starts a word ("Russia; >Moscow") is the
        // leftover of a broken tag, not text. "a > b" and "->" are kept.
        let starts_word = out.is_empty() || pending_space || out.ends_with('(');
        if c == '>' && starts_word && chars.peek().is_some_and(|n| n.is_alphanumeric()) {
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    nfc(out)
}

/// Text from a source the HTML parser did not decode (JSON-LD, attributes of
/// double-escaped pages): decodes entities first, then [`clean_text`].
pub fn clean_encoded_text(raw: &str) -> String {
    if raw.contains('&') {
        clean_text(&html_escape::decode_html_entities(raw))
    } else {
        clean_text(raw)
    }
}

/// Like [`clean_text`] but keeps line breaks (for `<pre>` code blocks): each line
/// is right-trimmed, leading and trailing blank lines are dropped.
pub fn clean_preformatted(raw: &str) -> String {
    let text: String = raw.chars().filter(|c| !is_invisible(*c)).collect();
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let start = lines
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(start, |i| i + 1);
    nfc(lines[start..end].join("\n"))
}

fn nfc(s: String) -> String {
    if is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        s
    } else {
        s.nfc().collect()
    }
}

/// Zero-width and formatting characters that carry no text.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    ) || (c.is_control() && !c.is_whitespace())
}

/// The earliest publication date gleaner believes (the web before 1995 is noise).
pub fn min_plausible_year() -> i32 {
    1995
}

/// Parses a date as pages write it. Returns `None` for anything unparseable or
/// implausible (before 1995, or more than a day in the future).
pub fn parse_date(raw: &str) -> Option<PageDate> {
    let s = raw.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    let date = parse_iso(s)
        .or_else(|| DateTime::parse_from_rfc2822(s).ok().map(PageDate::DateTime))
        .or_else(|| parse_text_date(s))?;
    plausible(date).then_some(date)
}

fn plausible(date: PageDate) -> bool {
    let day = date.date();
    let tomorrow = Utc::now().date_naive().succ_opt().unwrap_or(NaiveDate::MAX);
    day.year() >= min_plausible_year() && day <= tomorrow
}

/// ISO 8601 as found in meta tags and JSON-LD.
fn parse_iso(s: &str) -> Option<PageDate> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(PageDate::DateTime(dt));
    }
    // Offsets without a colon, a space instead of 'T', fractional seconds.
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
    ] {
        if let Ok(dt) = DateTime::<FixedOffset>::parse_from_str(s, fmt) {
            return Some(PageDate::DateTime(dt));
        }
    }
    // No offset given: keep the calendar date rather than invent a time zone.
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(PageDate::Date(dt.date()));
        }
    }
    let head = s.get(..10)?;
    let rest = &s[10..];
    let date_only = rest.is_empty();
    let date = NaiveDate::parse_from_str(head, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(head, "%Y/%m/%d"))
        .ok()?;
    (date_only || rest.starts_with(['T', ' '])).then_some(PageDate::Date(date))
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// English date text: "June 20, 2024", "20 Jun 2024", "Thursday, June 20, 2024 at 10:15".
fn parse_text_date(s: &str) -> Option<PageDate> {
    let words: Vec<String> = s
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let month_at = words
        .iter()
        .position(|w| w.len() >= 3 && MONTHS.iter().any(|m| w.starts_with(m)))?;
    let month = MONTHS.iter().position(|m| words[month_at].starts_with(m))? as u32 + 1;
    let number = |w: &String| -> Option<u32> {
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        digits.parse().ok()
    };
    // "June 20 2024" or "20 June 2024"
    let (day, year) = match (words.get(month_at + 1), words.get(month_at + 2)) {
        (Some(d), Some(y)) if number(d).is_some_and(|d| d <= 31) && y.len() == 4 => {
            (number(d)?, y.parse().ok()?)
        }
        _ => {
            let d = words.get(month_at.checked_sub(1)?)?;
            let y = words.get(month_at + 1)?;
            (number(d)?, y.parse().ok()?)
        }
    };
    NaiveDate::from_ymd_opt(year, month, day).map(PageDate::Date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_whitespace_and_drops_invisible_characters() {
        assert_eq!(clean_text("  a\u{00A0}\n\t b\u{200B}c  "), "a bc");
        assert_eq!(clean_text(""), "");
    }

    #[test]
    fn removes_markup_debris_but_keeps_operators_and_quotes() {
        assert_eq!(
            clean_text("Russia; >Moscow will transfer"),
            "Russia; Moscow will transfer"
        );
        assert_eq!(clean_text(">Moscow"), "Moscow");
        assert_eq!(clean_text("x -> y"), "x -> y");
        assert_eq!(clean_text("5 > 3"), "5 > 3");
        assert_eq!(
            clean_text("“Putin essentially” proposed"),
            "“Putin essentially” proposed"
        );
    }

    #[test]
    fn composes_to_nfc() {
        assert_eq!(clean_text("Cafe\u{0301}"), "Café");
    }

    #[test]
    fn decodes_entities_in_unparsed_sources() {
        assert_eq!(
            clean_encoded_text("Tom &amp; Jerry&#8217;s"),
            "Tom & Jerry’s"
        );
    }

    #[test]
    fn preformatted_keeps_lines() {
        assert_eq!(
            clean_preformatted("\n  fn a() {\n    b();  \n  }\n\n"),
            "  fn a() {\n    b();\n  }"
        );
    }

    #[test]
    fn parses_dates_keeping_the_offset() {
        let cases = [
            ("2024-06-20T10:15:00+03:00", "2024-06-20T10:15:00+03:00"),
            ("2024-06-20T10:15:00.000+0300", "2024-06-20T10:15:00+03:00"),
            ("2024-06-20T07:15:00Z", "2024-06-20T07:15:00Z"),
            ("2024-06-20 10:15:00 +0200", "2024-06-20T10:15:00+02:00"),
            ("2024-06-20T10:15:00", "2024-06-20"),
            ("2024-06-20", "2024-06-20"),
            (
                "Thu, 20 Jun 2024 10:15:00 +0300",
                "2024-06-20T10:15:00+03:00",
            ),
            ("June 20, 2024", "2024-06-20"),
            ("20 June 2024", "2024-06-20"),
            ("Thursday, Jun 20th, 2024", "2024-06-20"),
        ];
        for (raw, want) in cases {
            assert_eq!(
                parse_date(raw).map(|d| d.to_string()).as_deref(),
                Some(want),
                "{raw}"
            );
        }
    }

    #[test]
    fn rejects_implausible_dates() {
        assert_eq!(parse_date("1990-01-01"), None);
        assert_eq!(parse_date("2999-01-01"), None);
        assert_eq!(parse_date("not a date"), None);
        assert_eq!(parse_date("2024-13-45"), None);
    }
}
