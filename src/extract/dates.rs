//! Published and modified dates: which source to believe, and in which offset.
//!
//! The published date is the first of:
//! 1. structured values (the profile's selectors, JSON-LD `datePublished`,
//!    `article:published_time` and the other meta names), in that order;
//! 2. a `<time datetime>` marked as the publication time, else the first one
//!    not marked as an update;
//! 3. date text printed near the headline (an element whose class or id says
//!    date, time, published or byline), unless it is labelled as an update;
//! 4. `/2024/06/20/`, `/2024/jun/20/` or `/2024-06-20/` in the URL.
//!
//! A page can be re-dated: an evergreen guide or a developing story, updated
//! under the same URL, shows readers only the date of its current version
//! ("24 December 2023" in the byline) while its structured data keeps the
//! first version's `datePublished`. When the first date printed near the
//! headline is the declared modified day, later than the published day, is not
//! labelled as an update, and the published day is printed nowhere, the page
//! presents itself as of that day, so that is its published date (see
//! [`PageTimes::shown`]). "Updated December 26, 2023" (or "By Ann Lee, last
//! updated …") says the article was published earlier, so there the declared
//! published date stays. The modified date stays the modified date.
//!
//! Many sites write their structured timestamps in UTC while the page shows
//! local time. When the page itself gives the same instant in a local offset
//! (a `<time datetime>` with an offset, a printed "8:00 PM EST", a meta value
//! in local time without an offset) that offset is kept, so the date is the
//! day the page's readers saw. No offset is ever guessed.

use std::cell::OnceCell;

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeDelta};
use ego_tree::NodeId;
use scraper::Html;
use url::Url;

use super::attrs::attr;
use super::landmarks::elements;
use super::printed::{Printed, marked, scan, short_text};
use crate::article::PageDate;
use crate::normalize::{parse_date, parse_date_text, parse_naive_datetime};

/// Two sources agree on an instant when they are this close (printed times lack seconds).
const SAME_INSTANT_SECS: i64 = 60;
/// The widest UTC offset in use.
const MAX_OFFSET_SECS: i64 = 14 * 3600;
/// Offsets are whole quarter hours.
const OFFSET_STEP_SECS: i64 = 15 * 60;

/// What the page says about time besides its structured values, each part
/// read once and only when a decision needs it (most pages declare their
/// dates, and walking the page is the expensive part).
pub(crate) struct PageTimes<'a> {
    doc: &'a Html,
    /// The page's first `<h1>`: printed dates after it come first.
    headline: Option<NodeId>,
    /// `<time datetime>` values: (marked as published, marked as updated, value).
    times: OnceCell<Vec<(bool, bool, PageDate)>>,
    /// Values of non-meta elements with `itemprop="datePublished"`.
    itemprops: OnceCell<Vec<PageDate>>,
    /// Printed dates, the ones after the headline first.
    printed: OnceCell<Vec<Printed>>,
    /// Structured timestamps without an offset: the page's local time.
    naive: Vec<NaiveDateTime>,
}

impl<'a> PageTimes<'a> {
    /// Prepares the reading of `doc`, whose first `<h1>` is `headline`;
    /// `local_values` are meta values that may be local timestamps without
    /// an offset.
    pub fn read(doc: &'a Html, headline: Option<NodeId>, local_values: &[String]) -> Self {
        let naive = local_values
            .iter()
            .filter_map(|v| parse_naive_datetime(v))
            .collect();
        PageTimes {
            doc,
            headline,
            times: OnceCell::new(),
            itemprops: OnceCell::new(),
            printed: OnceCell::new(),
            naive,
        }
    }

    /// `<time datetime>` values (what `time[datetime]` selects), in page order.
    fn times(&self) -> &[(bool, bool, PageDate)] {
        self.times.get_or_init(|| {
            elements(self.doc)
                .filter(|t| t.value().name() == "time")
                .filter_map(|t| {
                    let date = attr(t.value(), "datetime").and_then(parse_date)?;
                    Some((
                        marked(t, &["publish"]),
                        marked(t, &["modif", "update"]),
                        date,
                    ))
                })
                .collect()
        })
    }

    /// Values of the elements `[itemprop=datePublished i]:not(meta)` selects.
    fn itemprops(&self) -> &[PageDate] {
        self.itemprops.get_or_init(|| {
            elements(self.doc)
                .filter(|e| {
                    let v = e.value();
                    v.name() != "meta"
                        && attr(v, "itemprop")
                            .is_some_and(|p| p.eq_ignore_ascii_case("datePublished"))
                })
                .filter_map(|e| {
                    let v = e.value();
                    attr(v, "content")
                        .or_else(|| attr(v, "datetime"))
                        .and_then(parse_date)
                        .or_else(|| short_text(e).and_then(|t| parse_date(&t)))
                })
                .collect()
        })
    }

    /// Dates printed in the page, the ones after the headline first.
    fn printed(&self) -> &[Printed] {
        self.printed.get_or_init(|| scan(self.doc, self.headline))
    }

    /// The published date: `structured` values in trust order, then the page.
    pub fn published(&self, structured: &[String], url: &Url) -> Option<PageDate> {
        let date = structured
            .iter()
            .find_map(|d| parse_date(d))
            .or_else(|| self.itemprops().first().copied())
            .or_else(|| self.times().iter().find(|t| t.0).map(|t| t.2))
            .or_else(|| self.times().iter().find(|t| !t.1).map(|t| t.2))
            .or_else(|| {
                self.printed()
                    .iter()
                    .find(|p| !p.update)
                    .map(|p| PageDate::Date(p.date.date))
            })
            .or_else(|| date_in_url(url))?;
        Some(self.localize(date))
    }

    /// The modified date: `structured` values in trust order.
    pub fn modified(&self, structured: &[String]) -> Option<PageDate> {
        let date = structured.iter().find_map(|d| parse_date(d))?;
        Some(self.localize(date))
    }

    /// The date the page presents itself under: `published`, or `modified` when
    /// the page is re-dated (the first printed date is the modified day, later
    /// than the published day and not labelled as an update, and the published
    /// day is not printed).
    pub fn shown(
        &self,
        published: Option<PageDate>,
        modified: Option<PageDate>,
    ) -> Option<PageDate> {
        let (Some(p), Some(m)) = (published, modified) else {
            return published;
        };
        let (p_day, m_day) = (p.date(), m.date());
        if m_day <= p_day {
            return published;
        }
        let printed = self.printed();
        let redated = printed
            .first()
            .is_some_and(|f| f.date.date == m_day && !f.mentions_update)
            && printed.iter().all(|d| d.date.date != p_day);
        Some(if redated { m } else { p })
    }

    /// A UTC timestamp in the local offset the page shows for the same instant.
    fn localize(&self, date: PageDate) -> PageDate {
        let PageDate::DateTime(dt) = date else {
            return date;
        };
        if dt.offset().local_minus_utc() != 0 {
            return date;
        }
        let utc = dt.naive_utc();
        let close = |other: NaiveDateTime| (other - utc).num_seconds().abs() <= SAME_INSTANT_SECS;
        let from_times = self.times().iter().find_map(|(_, _, t)| match t {
            PageDate::DateTime(t) if t.offset().local_minus_utc() != 0 && close(t.naive_utc()) => {
                Some(*t.offset())
            }
            _ => None,
        });
        let from_printed = || {
            self.printed().iter().filter(|p| !p.update).find_map(|p| {
                let p = &p.date;
                let local = p.date.and_time(p.time?);
                p.offsets.iter().find_map(|&o| {
                    let instant = local - TimeDelta::seconds(i64::from(o));
                    (o != 0 && close(instant))
                        .then(|| FixedOffset::east_opt(o))
                        .flatten()
                })
            })
        };
        // A printed publication time without a zone, to the minute: whole
        // quarter hours away from the instant means the page's local time.
        let from_zoneless = || {
            self.printed().iter().find_map(|printed| {
                let p = &printed.date;
                if !printed.publish || printed.update || !p.offsets.is_empty() {
                    return None;
                }
                let diff = (p.date.and_time(p.time?) - utc).num_seconds();
                let steps = (diff as f64 / OFFSET_STEP_SECS as f64).round() as i64;
                let offset = steps * OFFSET_STEP_SECS;
                (steps != 0
                    && offset.abs() <= MAX_OFFSET_SECS
                    && (diff - offset).abs() <= SAME_INSTANT_SECS)
                    .then(|| FixedOffset::east_opt(i32::try_from(offset).ok()?))
                    .flatten()
            })
        };
        let from_naive = || {
            self.naive.iter().find_map(|n| {
                let diff = (*n - utc).num_seconds();
                (diff != 0 && diff.abs() <= MAX_OFFSET_SECS && diff % OFFSET_STEP_SECS == 0)
                    .then(|| FixedOffset::east_opt(i32::try_from(diff).ok()?))
                    .flatten()
            })
        };
        match from_times
            .or_else(from_printed)
            .or_else(from_naive)
            .or_else(from_zoneless)
        {
            Some(offset) => PageDate::DateTime(DateTime::from_naive_utc_and_offset(utc, offset)),
            None => date,
        }
    }
}

/// `/2024/06/20/`, `/2024/jun/20/` or a `/2024-06-20/` segment in the URL path.
pub(crate) fn date_in_url(url: &Url) -> Option<PageDate> {
    let parts: Vec<&str> = url.path_segments()?.collect();
    let from_three = parts.windows(3).find_map(|w| {
        let (y, m, d) = (w[0], w[1], w[2]);
        if y.len() != 4 || d.len() != 2 || !y.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let month = if m.len() == 2 {
            m.to_string()
        } else {
            let named = parse_date_text(&format!("{d} {m} {y}"))?;
            return parse_date(&named.date.to_string());
        };
        parse_date(&format!("{y}-{month}-{d}"))
    });
    from_three.or_else(|| {
        parts
            .iter()
            .filter(|p| p.len() == 10 && p.as_bytes()[4] == b'-' && p.as_bytes()[7] == b'-')
            .find_map(|p| parse_date(p))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(html: &str, local: &[&str]) -> PageTimes<'static> {
        let local: Vec<String> = local.iter().map(|s| s.to_string()).collect();
        // Leaked so the times can borrow the document; fine in a test.
        let doc: &'static Html = Box::leak(Box::new(Html::parse_document(html)));
        let headline = super::super::landmarks::Landmarks::new(doc)
            .headline()
            .map(|h| h.id());
        PageTimes::read(doc, headline, &local)
    }

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn published(p: &PageTimes<'_>, structured: &[&str], u: &str) -> Option<String> {
        let structured: Vec<String> = structured.iter().map(|s| s.to_string()).collect();
        p.published(&structured, &url(u)).map(|d| d.to_string())
    }

    #[test]
    fn keeps_the_local_offset_of_a_time_element_for_the_same_instant() {
        let p = page(
            "<time datetime='2023-12-22T22:22:07-0500'>Dec 22</time>",
            &[],
        );
        assert_eq!(
            published(&p, &["2023-12-23T03:22:07Z"], "https://n.example/a").as_deref(),
            Some("2023-12-22T22:22:07-05:00")
        );
        // A different instant is another date, not an offset.
        assert_eq!(
            published(&p, &["2023-12-20T03:22:07Z"], "https://n.example/a").as_deref(),
            Some("2023-12-20T03:22:07Z")
        );
    }

    #[test]
    fn keeps_the_offset_of_a_printed_zone_that_agrees() {
        let p = page(
            "<h1>T</h1><div class='timestamp'>Published 8:00 PM EST, Tue December 19, 2023</div>",
            &[],
        );
        assert_eq!(
            published(&p, &["2023-12-20T01:00:21Z"], "https://n.example/a").as_deref(),
            Some("2023-12-19T20:00:21-05:00")
        );
        let p = page(
            "<time class='c-timestamp'>Dec 23, 2023 5:06pm PT</time>",
            &[],
        );
        assert_eq!(
            published(&p, &["2023-12-24T01:06:51+00:00"], "https://n.example/a").as_deref(),
            Some("2023-12-23T17:06:51-08:00")
        );
    }

    #[test]
    fn learns_the_offset_from_a_printed_publication_time() {
        let p = page(
            "<h1>T</h1><div id='publish-date'>December 26, 2023 - 9:03AM</div>",
            &[],
        );
        assert_eq!(
            published(&p, &["2023-12-25T22:03:00Z"], "https://n.example/a").as_deref(),
            Some("2023-12-26T09:03:00+11:00")
        );
        let p = page(
            "<h1>T</h1><div class='date'>December 26, 2023 - 9:03AM</div>",
            &[],
        );
        assert_eq!(
            published(&p, &["2023-12-25T22:03:00Z"], "https://n.example/a").as_deref(),
            Some("2023-12-25T22:03:00Z")
        );
        let p = page(
            "<span itemprop='datePublished' content='2023-12-15'>x</span>",
            &[],
        );
        assert_eq!(
            published(&p, &[], "https://n.example/a").as_deref(),
            Some("2023-12-15")
        );
    }

    #[test]
    fn learns_the_offset_from_a_local_timestamp_of_the_same_instant() {
        let p = page("", &["2023-12-23 17:06:51"]);
        assert_eq!(
            published(&p, &["2023-12-24T01:06:51Z"], "https://n.example/a").as_deref(),
            Some("2023-12-23T17:06:51-08:00")
        );
        let p = page("", &["2023-12-23 17:06:50"]);
        assert_eq!(
            published(&p, &["2023-12-24T01:06:51Z"], "https://n.example/a").as_deref(),
            Some("2023-12-24T01:06:51Z")
        );
    }

    #[test]
    fn a_page_that_shows_only_its_modified_day_is_re_dated() {
        let shown = |html: &str| {
            let p = page(html, &[]);
            let published = parse_date("2023-12-21T10:12:07Z");
            let modified = parse_date("2023-12-24T07:00:00Z");
            p.shown(published, modified).map(|d| d.to_string())
        };
        let redated = "<h1>T</h1><time datetime='2023-12-24T07:00:00Z'>24 December 2023</time>";
        assert_eq!(shown(redated).as_deref(), Some("2023-12-24T07:00:00Z"));
        // An update label says the article is older: the published date stays.
        for labelled in [
            "<h1>T</h1><p class='date'>Updated December 24, 2023</p>",
            "<h1>T</h1><span>Last updated <time>Dec. 24, 2023</time></span>",
            "<h1>T</h1><div class='byline'>By Ann Lee, last updated 24 December 2023</div>",
        ] {
            assert_eq!(
                shown(labelled).as_deref(),
                Some("2023-12-21T10:12:07Z"),
                "{labelled}"
            );
        }
        // The published day printed too, or nothing printed: the published date stays.
        let both = "<h1>T</h1><time>24 December 2023</time><p class='date'>21 December 2023</p>";
        assert_eq!(shown(both).as_deref(), Some("2023-12-21T10:12:07Z"));
        assert_eq!(shown("<h1>T</h1>").as_deref(), Some("2023-12-21T10:12:07Z"));
        // A modified date before the published one is not a newer version.
        let p = page("<h1>T</h1><time>20 December 2023</time>", &[]);
        let earlier = p.shown(parse_date("2023-12-21"), parse_date("2023-12-20"));
        assert_eq!(
            earlier.map(|d| d.to_string()).as_deref(),
            Some("2023-12-21")
        );
    }

    #[test]
    fn falls_back_to_time_elements_printed_dates_and_the_url() {
        let p = page(
            "<time datetime='2023-05-01' class='updated'></time>\
             <time datetime='2023-04-01' itemprop='datePublished'></time>",
            &[],
        );
        assert_eq!(
            published(&p, &[], "https://n.example/a").as_deref(),
            Some("2023-04-01")
        );
        let p = page(
            "<aside><span class='date'>June 1, 2023</span></aside><h1>T</h1>\
             <p class='date'>Updated June 3, 2023</p><dd id='date_posted'>June 2, 2023</dd>",
            &[],
        );
        assert_eq!(
            published(&p, &[], "https://n.example/a").as_deref(),
            Some("2023-06-02")
        );
        let p = page("", &[]);
        assert_eq!(
            published(&p, &[], "https://n.example/2023/dec/21/slug/").as_deref(),
            Some("2023-12-21")
        );
        assert_eq!(
            published(&p, &[], "https://n.example/story/2023-12-21/slug").as_deref(),
            Some("2023-12-21")
        );
        assert_eq!(
            published(&p, &[], "https://n.example/2024/06/20/slug/").as_deref(),
            Some("2024-06-20")
        );
    }
}
