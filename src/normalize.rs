//! Text and date normalization: the last step before a value enters an [`Article`].
//!
//! Text: entities decoded, Unicode NFC, invisible characters dropped, whitespace
//! folded to single spaces, markup debris (a stray `>` glued to a word) removed.
//! Typographic characters such as curly quotes are kept exactly as the page had them.
//!
//! Dates: RFC 3339 and the ISO 8601 variants pages actually use, RFC 2822, and
//! date text in several languages. A timestamp keeps the offset the page gave; a value
//! without an offset becomes a date, never a guessed UTC time.
//!
//! [`Article`]: crate::Article

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc};
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
    // ASCII text is always in NFC; checking it byte-wise is much cheaper.
    if s.is_ascii() || is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
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

/// Collapses runs of whitespace to one space and trims the ends.
pub fn fold_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lower-cases `s` and folds its whitespace to single spaces: the key for
/// comparing a line with a title or a name.
pub fn fold_lower(s: &str) -> String {
    fold_whitespace(s).to_lowercase()
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
        .or_else(|| parse_date_text(s).map(|t| PageDate::Date(t.date)))?;
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

/// Month names and abbreviations in English, French, German, Spanish, Italian,
/// Portuguese and Dutch, lower-case. A word names a month when it is one of
/// these or a prefix of at least three letters of one ("Dec", "déc", "Sept").
const MONTH_NAMES: [&[&str]; 12] = [
    &[
        "january", "janvier", "januar", "jänner", "enero", "gennaio", "janeiro", "januari",
    ],
    &[
        "february",
        "février",
        "fevrier",
        "februar",
        "febrero",
        "febbraio",
        "fevereiro",
        "februari",
    ],
    &[
        "march", "mars", "märz", "maerz", "marzo", "março", "marco", "maart", "mrt",
    ],
    &["april", "avril", "abril", "aprile"],
    &["may", "mai", "mayo", "maggio", "maio", "mei"],
    &["june", "juin", "juni", "junio", "giugno", "junho"],
    &["july", "juillet", "juli", "julio", "luglio", "julho"],
    &["august", "août", "aout", "agosto", "augustus"],
    &[
        "september",
        "septembre",
        "septiembre",
        "settembre",
        "setembro",
    ],
    &[
        "october", "octobre", "oktober", "octubre", "ottobre", "outubro",
    ],
    &["november", "novembre", "noviembre", "novembro"],
    &[
        "december",
        "décembre",
        "decembre",
        "dezember",
        "diciembre",
        "dicembre",
        "dezembro",
    ],
];

/// Three-letter prefixes that are also common words ("2 days ago", "sold out").
const NOT_MONTHS: &[&str] = &["ago", "out", "set", "gen"];

/// Words between a day, a month and a year: "13 de diciembre de 2023", "the 5th of May".
const DATE_FILLERS: &[&str] = &[
    "de", "del", "of", "the", "le", "el", "den", "der", "am", "on",
];

/// Time zone abbreviations and the UTC offsets (seconds) each may stand for.
/// Several are ambiguous; callers only use an offset that agrees with another
/// source of the same instant.
const ZONES: &[(&str, &[i32])] = &[
    ("UTC", &[0]),
    ("GMT", &[0]),
    ("Z", &[0]),
    ("WET", &[0]),
    ("BST", &[3600]),
    ("WEST", &[3600]),
    ("CET", &[3600]),
    ("CEST", &[7200]),
    ("EET", &[7200]),
    ("EEST", &[10800]),
    ("MSK", &[10800]),
    ("SAST", &[7200]),
    ("IST", &[19800, 3600, 7200]),
    ("PKT", &[18000]),
    ("WIB", &[25200]),
    ("HKT", &[28800]),
    ("SGT", &[28800]),
    ("AWST", &[28800]),
    ("JST", &[32400]),
    ("KST", &[32400]),
    ("ACST", &[34200]),
    ("AEST", &[36000]),
    ("AEDT", &[39600]),
    ("NZST", &[43200]),
    ("NZDT", &[46800]),
    ("ET", &[-18000, -14400]),
    ("EST", &[-18000]),
    ("EDT", &[-14400]),
    ("CT", &[-21600, -18000]),
    ("CST", &[-21600, 28800]),
    ("CDT", &[-18000]),
    ("MT", &[-25200, -21600]),
    ("MST", &[-25200]),
    ("MDT", &[-21600]),
    ("PT", &[-28800, -25200]),
    ("PST", &[-28800]),
    ("PDT", &[-25200]),
    ("AKST", &[-32400]),
    ("AKDT", &[-28800]),
    ("HST", &[-36000]),
];

/// A date written as text, with its time and zone when the text gives them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TextDate {
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
    /// The UTC offsets (seconds) the text's zone may mean; empty when it names none.
    pub offsets: Vec<i32>,
}

/// Date text as pages print it, in several languages: "June 20, 2024",
/// "20. Juni 2024", "13 de diciembre de 2023", "Tue December 19, 2023 8:00 PM EST",
/// "20.06.2024", "2024-06-20". Numeric day/month orders are read only when
/// unambiguous.
pub(crate) fn parse_date_text(s: &str) -> Option<TextDate> {
    let raw: Vec<&str> = raw_date_words(s).collect();
    let words: Vec<String> = raw
        .iter()
        .map(|w| {
            w.trim_matches(|c: char| "().:;–—".contains(c))
                .to_lowercase()
        })
        .filter(|w| !w.is_empty() && !DATE_FILLERS.contains(&w.as_str()))
        .collect();
    let date = words
        .iter()
        .enumerate()
        .find_map(|(i, w)| month_number(w).and_then(|m| date_around(&words, i, m)))
        .or_else(|| words.iter().find_map(|w| numeric_date(w)))?;
    Some(TextDate {
        date,
        time: text_time(&words),
        offsets: text_offsets(&raw),
    })
}

/// The words of date text as printed, split at spaces, commas and separators.
fn raw_date_words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| c.is_whitespace() || c == ',' || c == '|' || c == '·')
        .filter(|w| !w.is_empty())
}

/// Words that may stand beside a date on a line of its own ("Published:",
/// "Updated … at 4 p.m."), and English weekdays.
const DATE_LINE_WORDS: &[&str] = &[
    "published",
    "updated",
    "posted",
    "modified",
    "last",
    "first",
    "at",
    "am",
    "pm",
    "a.m",
    "p.m",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Whether `s` is a date and nothing else ("Dec 20, 2023", "Published: 22
/// Dec 2023", "December 22, 2023 — 4.00pm", "Updated 3:45 PM EST Fri Dec. 22,
/// 2023"): every word is a number or time, a month, a weekday, a zone, or a
/// date label.
pub(crate) fn is_date_line(s: &str) -> bool {
    parse_date_text(s).is_some()
        && raw_date_words(s)
            .map(|w| {
                w.trim_matches(|c: char| "().:;–—-".contains(c))
                    .trim_end_matches('.')
                    .to_lowercase()
            })
            .filter(|w| !w.is_empty())
            .all(|w| {
                w.chars().any(|c| c.is_ascii_digit())
                    || month_number(&w).is_some()
                    || DATE_FILLERS.contains(&w.as_str())
                    || DATE_LINE_WORDS.contains(&w.as_str())
                    || ZONES.iter().any(|(zone, _)| zone.eq_ignore_ascii_case(&w))
            })
}

fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    if w.chars().count() < 3 || !w.chars().all(char::is_alphabetic) {
        return None;
    }
    if NOT_MONTHS.contains(&w) {
        return None;
    }
    MONTH_NAMES
        .iter()
        .position(|names| names.iter().any(|n| n.starts_with(w)))
        .map(|i| i as u32 + 1)
}

/// "20 June 2024" or "June 20 2024" around the month at `i`.
fn date_around(words: &[String], i: usize, month: u32) -> Option<NaiveDate> {
    let day = |w: &String| -> Option<u32> {
        let digits = w.trim_end_matches(|c: char| c.is_alphabetic() || c == '.' || c == 'º');
        (1..=2)
            .contains(&digits.len())
            .then(|| digits.parse().ok())
            .flatten()
    };
    let year = |w: &String| -> Option<i32> {
        let w = w.trim_end_matches('.');
        (w.len() == 4).then(|| w.parse().ok()).flatten()
    };
    let before = i.checked_sub(1).and_then(|b| words.get(b));
    let (d, y) = match (words.get(i + 1), words.get(i + 2)) {
        (Some(d), Some(y)) if day(d).is_some() && year(y).is_some() => (day(d)?, year(y)?),
        (Some(y), _) if year(y).is_some() => (before.and_then(day)?, year(y)?),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(y, month, d)
}

/// "2024-06-20", "20.06.2024", "20/06/2024" (day first) or "06/20/2024"
/// (month first); "05/06/2024" is ambiguous and rejected.
fn numeric_date(word: &str) -> Option<NaiveDate> {
    if let Some(head) = word.get(..10)
        && let Ok(d) = NaiveDate::parse_from_str(head, "%Y-%m-%d")
    {
        return Some(d);
    }
    let w = word.trim_end_matches('.');
    for sep in ['.', '/', '-'] {
        let parts: Vec<&str> = w.split(sep).collect();
        let [a, b, y] = parts.as_slice() else {
            continue;
        };
        if y.len() != 4 || a.len() > 2 || b.len() > 2 {
            continue;
        }
        let (a, b, y): (u32, u32, i32) = (a.parse().ok()?, b.parse().ok()?, y.parse().ok()?);
        let (day, month) = match sep {
            '.' => (a, b),
            _ if a > 12 => (a, b),
            _ if b > 12 => (b, a),
            _ => return None,
        };
        return NaiveDate::from_ymd_opt(y, month, day);
    }
    None
}

/// "8:00 PM", "5:06pm", "5.30am", "17:06:51".
fn text_time(words: &[String]) -> Option<NaiveTime> {
    words.iter().enumerate().find_map(|(i, w)| {
        let (clock, suffix) = match w.find(|c: char| c.is_ascii_alphabetic()) {
            Some(at) => w.split_at(at),
            None => (w.as_str(), words.get(i + 1).map_or("", String::as_str)),
        };
        let suffix = suffix.replace('.', "");
        let mut parts = clock.split([':', '.']);
        let h: u32 = parts.next()?.parse().ok()?;
        let m_str = parts.next()?;
        if m_str.len() != 2 {
            return None;
        }
        let m: u32 = m_str.parse().ok()?;
        let sec: u32 = parts.next().map_or(Some(0), |p| p.parse().ok())?;
        let h = match suffix.as_str() {
            "pm" if h < 12 => h + 12,
            "am" if h == 12 => 0,
            "am" | "pm" => h,
            _ if clock.contains('.') => return None,
            _ => h,
        };
        NaiveTime::from_hms_opt(h, m, sec)
    })
}

/// Offsets named by an upper-case zone ("EST", "PT") or written out ("UTC+2", "GMT-05:00").
fn text_offsets(raw: &[&str]) -> Vec<i32> {
    for w in raw {
        let w = w.trim_matches(|c: char| "().,;".contains(c));
        if let Some((_, offsets)) = ZONES.iter().find(|(name, _)| *name == w) {
            return offsets.to_vec();
        }
        for zone in ["UTC", "GMT"] {
            if let Some(rest) = w.strip_prefix(zone)
                && let Some(off) = written_offset(rest)
            {
                return vec![off];
            }
        }
    }
    Vec::new()
}

/// "+2", "-05:00", "+0530" as seconds east of UTC.
fn written_offset(s: &str) -> Option<i32> {
    let sign = match s.chars().next()? {
        '+' => 1,
        '-' | '−' => -1,
        _ => return None,
    };
    let digits: String = s.chars().skip(1).filter(char::is_ascii_digit).collect();
    let (h, m): (i32, i32) = match digits.len() {
        1 | 2 => (digits.parse().ok()?, 0),
        4 => (digits[..2].parse().ok()?, digits[2..].parse().ok()?),
        _ => return None,
    };
    (h <= 14 && m < 60).then_some(sign * (h * 3600 + m * 60))
}

/// A timestamp without an offset ("2023-12-23T17:06:51"): the page's local
/// time, which [`parse_date`] reduces to a date. Callers may pair it with
/// another source of the same instant to learn the page's offset.
pub(crate) fn parse_naive_datetime(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
        .iter()
        .find_map(|fmt| NaiveDateTime::parse_from_str(s, fmt).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_lines_are_a_date_and_nothing_else() {
        for line in [
            "Dec 20, 2023",
            "Published: 22 Dec 2023",
            "December 22, 2023 — 4.00pm",
            "Updated 3:45 PM EST Fri Dec. 22, 2023",
            "Saturday December 23, 2023 09:30 PM EST 12/23/2023 9:30 PM",
        ] {
            assert!(is_date_line(line), "{line}");
        }
        for line in [
            "It rained on Dec 20, 2023",
            "Jane Doe, Dec 20, 2023",
            "Published by the council",
        ] {
            assert!(!is_date_line(line), "{line}");
        }
    }

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
    fn parses_date_text_in_several_languages() {
        let cases = [
            ("Dec. 23, 2023", "2023-12-23"),
            ("20. Juni 2024", "2024-06-20"),
            ("13 de diciembre de 2023", "2023-12-13"),
            ("le 1er décembre 2023", "2023-12-01"),
            ("3 settembre 2023", "2023-09-03"),
            ("20.06.2024", "2024-06-20"),
            ("06/20/2024", "2024-06-20"),
            ("Published 2024-06-20", "2024-06-20"),
        ];
        for (raw, want) in cases {
            let got = parse_date_text(raw).map(|t| t.date.to_string());
            assert_eq!(got.as_deref(), Some(want), "{raw}");
        }
        assert_eq!(parse_date_text("05/06/2024"), None);
        assert_eq!(parse_date_text("2 days ago"), None);
        assert_eq!(parse_date_text("sold out 12 2023"), None);
    }

    #[test]
    fn reads_times_and_zones_in_date_text() {
        let t = parse_date_text("Published 8:00 PM EST, Tue December 19, 2023").unwrap();
        assert_eq!(t.date.to_string(), "2023-12-19");
        assert_eq!(t.time, NaiveTime::from_hms_opt(20, 0, 0));
        assert_eq!(t.offsets, vec![-18000]);
        let t = parse_date_text("Dec 23, 2023 5:06pm PT").unwrap();
        assert_eq!(t.time, NaiveTime::from_hms_opt(17, 6, 0));
        assert_eq!(t.offsets, vec![-28800, -25200]);
        let t = parse_date_text("December 23, 2023 — 5.30am").unwrap();
        assert_eq!(t.time, NaiveTime::from_hms_opt(5, 30, 0));
        assert!(t.offsets.is_empty());
        let t = parse_date_text("20.06.2024 14:05 (UTC+2)").unwrap();
        assert_eq!(t.offsets, vec![7200]);
        // "est" in French text is a verb, not a zone.
        let t = parse_date_text("il est 10:00, 20 juin 2024").unwrap();
        assert!(t.offsets.is_empty());
    }

    #[test]
    fn rejects_implausible_dates() {
        assert_eq!(parse_date("1990-01-01"), None);
        assert_eq!(parse_date("2999-01-01"), None);
        assert_eq!(parse_date("not a date"), None);
        assert_eq!(parse_date("2024-13-45"), None);
    }
}
