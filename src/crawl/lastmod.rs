//! Listing modification times: a sitemap entry's `<lastmod>` or a feed entry's `updated`, and the rule
//! that lets a URL they list go unrequested.
//!
//! A nightly crawl of a large site would otherwise re-ask every listed URL every night (conditionally,
//! but still one request each under the host's rate). When a listing says a URL last changed before the
//! crawl last fetched it, the URL is left alone without a request, as if it had answered
//! `304 Not Modified`: an article stays `unchanged`, a child sitemap or hub feeds its stored entries to
//! the frontier again. Listings can be wrong, so a URL is still re-checked once its last fetch is older
//! than `--recheck-after` (default 7 days; `0` turns the rule off).
//!
//! A lastmod is read as the *latest* instant it can mean, so an imprecise one never hides a change:
//! `2024-05-03` is the end of that day in the westernmost time zone (UTC−12), i.e. `2024-05-04T12:00Z`;
//! `2024-05` and `2024` the end of that month or year; a time without an offset is given 12 hours.

use std::borrow::Cow;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// How far past a local time the same wall-clock reading can be in UTC (the UTC−12 zone).
const LATEST_OFFSET_HOURS: i64 = 12;

/// Default for `--recheck-after`.
pub const DEFAULT_RECHECK_AFTER: std::time::Duration =
    std::time::Duration::from_secs(7 * 24 * 3600);

/// The latest UTC instant a W3C datetime (the sitemap `lastmod` format) can stand for, or `None` when
/// the text is not one. Accepts `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, and a date with `Thh:mm`,
/// `Thh:mm:ss` or `Thh:mm:ss.s`, with or without an offset (`Z`, `+hh:mm`, `+hhmm`); a space for the
/// `T` and before the offset is read too.
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let four_digit_year = bytes.len() >= 4
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes.get(4).is_none_or(|b| *b == b'-');
    if !four_digit_year {
        return None;
    }
    // Sloppy forms seen in the wild: a space for the `T`, a space before the offset.
    let text: Cow<'_, str> = match text.get(10..11) {
        Some(" ") => Cow::Owned(format!(
            "{}T{}",
            &text[..10],
            text[11..].replacen(" +", "+", 1).replacen(" -", "-", 1)
        )),
        _ => Cow::Borrowed(text),
    };
    let text = text.as_ref();
    if let Ok(moment) = DateTime::parse_from_rfc3339(text) {
        return Some(moment.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%dT%H:%M%#z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
    ] {
        if let Ok(moment) = DateTime::<FixedOffset>::parse_from_str(text, format) {
            return Some(moment.with_timezone(&Utc));
        }
    }
    let local_end = local_end(text)?;
    Some(Utc.from_utc_datetime(&local_end) + Duration::hours(LATEST_OFFSET_HOURS))
}

/// The end of what an offset-less date or time names, as a naive (local) time.
fn local_end(text: &str) -> Option<NaiveDateTime> {
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(time) = NaiveDateTime::parse_from_str(text, format) {
            return Some(time);
        }
    }
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return day.succ_opt().map(|next| next.and_time(NaiveTime::MIN));
    }
    let mut parts = text.split('-');
    let year: i32 = parts.next().filter(|y| y.len() == 4)?.parse().ok()?;
    let first_after = match (parts.next(), parts.next()) {
        (None, _) => NaiveDate::from_ymd_opt(year + 1, 1, 1)?,
        (Some(month), None) if month.len() == 2 => {
            let month: u32 = month.parse().ok()?;
            match month {
                1..=11 => NaiveDate::from_ymd_opt(year, month + 1, 1)?,
                12 => NaiveDate::from_ymd_opt(year + 1, 1, 1)?,
                _ => return None,
            }
        }
        _ => return None,
    };
    Some(first_after.and_time(NaiveTime::MIN))
}

/// The RFC 3339 form gleaner stores a lastmod in.
pub fn format(moment: &DateTime<Utc>) -> String {
    moment.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Whether a URL whose listing gives `lastmod` can be left unrequested: it was fetched at `last_fetch`
/// (RFC 3339), not before `lastmod`, and less than `recheck_after` before `now`. A `recheck_after` of
/// zero never lets a URL go unrequested.
pub fn unchanged_since(
    lastmod: &DateTime<Utc>,
    last_fetch: &str,
    now: &DateTime<Utc>,
    recheck_after: std::time::Duration,
) -> bool {
    let Ok(fetched) = DateTime::parse_from_rfc3339(last_fetch) else {
        return false;
    };
    let fetched = fetched.with_timezone(&Utc);
    let Ok(window) = Duration::from_std(recheck_after) else {
        return false;
    };
    *lastmod <= fetched && *now - fetched < window
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("rfc3339")
            .with_timezone(&Utc)
    }

    #[test]
    fn every_w3c_precision_reads_as_its_latest_instant() {
        let cases = [
            ("2024-05-03T10:15:00+02:00", "2024-05-03T08:15:00Z"),
            ("2024-05-03T10:15:00.5Z", "2024-05-03T10:15:00.500Z"),
            ("2024-05-03T10:15+02:00", "2024-05-03T08:15:00Z"),
            ("2024-05-03T10:15Z", "2024-05-03T10:15:00Z"),
            (" 2024-05-03 ", "2024-05-04T12:00:00Z"),
            ("2024-05-03T10:15:00", "2024-05-03T22:15:00Z"),
            ("2024-05-03 10:15:00 +0200", "2024-05-03T08:15:00Z"),
            ("2024-05-03T10:15:00-0500", "2024-05-03T15:15:00Z"),
            ("2024-05-03 10:15:00", "2024-05-03T22:15:00Z"),
            ("2024-05", "2024-06-01T12:00:00Z"),
            ("2024-12", "2025-01-01T12:00:00Z"),
            ("2024", "2025-01-01T12:00:00Z"),
        ];
        for (text, latest) in cases {
            assert_eq!(parse(text), Some(utc(latest)), "{text}");
        }
        for bad in [
            "",
            "yesterday",
            "2024-13",
            "2024-02-30",
            "24-05-03",
            "2024-5",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_url_goes_unrequested_only_when_fetched_after_its_lastmod_and_recently() {
        let week = DEFAULT_RECHECK_AFTER;
        let now = utc("2024-06-10T03:00:00Z");
        let lastmod = parse("2024-06-01").expect("date");
        // Fetched after the whole of June 1st had ended everywhere.
        assert!(unchanged_since(
            &lastmod,
            "2024-06-05T03:00:00Z",
            &now,
            week
        ));
        // Fetched on June 1st itself: the change may have come later that day.
        assert!(!unchanged_since(
            &lastmod,
            "2024-06-01T20:00:00Z",
            &now,
            week
        ));
        // Fetched too long ago: re-checked whatever the listing says.
        let old_now = utc("2024-06-20T03:00:00Z");
        assert!(!unchanged_since(
            &lastmod,
            "2024-06-05T03:00:00Z",
            &old_now,
            week
        ));
        // Turned off.
        let off = std::time::Duration::ZERO;
        assert!(!unchanged_since(
            &lastmod,
            "2024-06-05T03:00:00Z",
            &now,
            off
        ));
        // A last fetch that cannot be read never counts.
        assert!(!unchanged_since(&lastmod, "", &now, week));
    }
}
