//! Crawler-trap guards: URL shapes that generate endless distinct URLs for the same few pages. Each new
//! URL (already canonical, so query permutations have been folded into one) passes [`TrapGuard::check`]
//! before it enters the frontier.
//!
//! Structural rules, for every URL:
//! - longer than `max_url_len` bytes;
//! - more than `max_path_segments` path segments;
//! - a path segment repeated more than `max_segment_repeats` times, or a run of segments repeated back to
//!   back (`/a/b/a/b/`): the signature of relative links resolving against themselves.
//!
//! Budget rules, for URLs that are not articles (hubs, calendars, listings reached by `follow`):
//! - more than `max_query_params` query parameters;
//! - more than `max_query_variants` distinct queries on one path (filters and sort orders combined
//!   endlessly);
//! - a date in the URL (`/2024/06/`, `?month=2024-06`) with a year before `min_year` or more than
//!   `max_years_ahead` years ahead: an endless calendar walking off into the past or the future;
//! - more than `max_date_pages` dated URLs of one shape (the URL with its digits blanked): a calendar's
//!   "next month" chain, cut after a budget even within the allowed years.
//!
//! Article URLs (matching `article_urls`, or listed by a feed or sitemap) are exempt from the budgets: a
//! site has as many articles as it has.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use url::Url;

/// Limits of the trap guards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrapConfig {
    pub max_url_len: usize,
    pub max_path_segments: usize,
    pub max_segment_repeats: usize,
    pub max_query_params: usize,
    pub max_query_variants: u32,
    pub max_date_pages: u32,
    pub min_year: i32,
    pub max_years_ahead: i32,
}

impl Default for TrapConfig {
    fn default() -> Self {
        TrapConfig {
            max_url_len: 1024,
            max_path_segments: 16,
            max_segment_repeats: 2,
            max_query_params: 8,
            max_query_variants: 32,
            max_date_pages: 24,
            min_year: 1990,
            max_years_ahead: 1,
        }
    }
}

/// Which guard rejected a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trap {
    UrlTooLong,
    TooDeep,
    RepeatingSegments,
    TooManyParams,
    QueryVariants,
    DateOutOfRange,
    Calendar,
}

impl Trap {
    /// A short stable name for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Trap::UrlTooLong => "url_too_long",
            Trap::TooDeep => "too_deep",
            Trap::RepeatingSegments => "repeating_segments",
            Trap::TooManyParams => "too_many_params",
            Trap::QueryVariants => "query_variants",
            Trap::DateOutOfRange => "date_out_of_range",
            Trap::Calendar => "calendar",
        }
    }
}

/// A year-like token, optionally with month and day: `2024`, `2024-06`, `2024/06/01`, `20240601`.
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^((?:19|20|21)\d{2})(?:[-/._]?\d{1,2}){0,2}$").expect("valid date regex")
});
static DIGITS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d+").expect("valid regex"));

/// The guards and their per-run budgets.
#[derive(Debug)]
pub struct TrapGuard {
    config: TrapConfig,
    current_year: i32,
    query_variants: HashMap<String, u32>,
    date_shapes: HashMap<String, u32>,
}

impl TrapGuard {
    pub fn new(config: TrapConfig, current_year: i32) -> TrapGuard {
        TrapGuard {
            config,
            current_year,
            query_variants: HashMap::new(),
            date_shapes: HashMap::new(),
        }
    }

    /// Checks a new URL; when it passes, counts it against the budgets. `article` exempts it from the
    /// budget rules.
    pub fn check(&mut self, url: &Url, article: bool) -> Result<(), Trap> {
        let c = &self.config;
        if url.as_str().len() > c.max_url_len {
            return Err(Trap::UrlTooLong);
        }
        let segments: Vec<&str> = url
            .path_segments()
            .map(|s| s.filter(|s| !s.is_empty()).collect())
            .unwrap_or_default();
        if segments.len() > c.max_path_segments {
            return Err(Trap::TooDeep);
        }
        if repeats(&segments, c.max_segment_repeats) {
            return Err(Trap::RepeatingSegments);
        }
        if article {
            return Ok(());
        }
        let params: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if params.len() > c.max_query_params {
            return Err(Trap::TooManyParams);
        }
        let years = years(&segments, &params);
        let (min, max) = (c.min_year, self.current_year + c.max_years_ahead);
        if years.iter().any(|y| *y < min || *y > max) {
            return Err(Trap::DateOutOfRange);
        }
        let path_key = format!("{}{}", host_port(url), url.path());
        if url.query().is_some()
            && self.query_variants.get(&path_key).copied().unwrap_or(0) >= c.max_query_variants
        {
            return Err(Trap::QueryVariants);
        }
        let shape = DIGITS.replace_all(url.as_str(), "0").into_owned();
        if !years.is_empty()
            && self.date_shapes.get(&shape).copied().unwrap_or(0) >= c.max_date_pages
        {
            return Err(Trap::Calendar);
        }
        if url.query().is_some() {
            *self.query_variants.entry(path_key).or_default() += 1;
        }
        if !years.is_empty() {
            *self.date_shapes.entry(shape).or_default() += 1;
        }
        Ok(())
    }
}

fn host_port(url: &Url) -> String {
    match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_string(),
    }
}

/// A segment occurring more than `max` times, or a run of 2+ segments immediately repeated.
fn repeats(segments: &[&str], max: usize) -> bool {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for segment in segments {
        let count = counts.entry(segment).or_default();
        *count += 1;
        if *count > max {
            return true;
        }
    }
    (2..=segments.len() / 2).any(|run| {
        (0..=segments.len() - 2 * run)
            .any(|start| segments[start..start + run] == segments[start + run..start + 2 * run])
    })
}

/// Years named by date-like path segments (`/2024/06/`) and query values (`?month=2024-06`).
fn years(segments: &[&str], params: &[(String, String)]) -> Vec<i32> {
    segments
        .iter()
        .copied()
        .chain(params.iter().map(|(_, v)| v.as_str()))
        .filter_map(|token| DATE.captures(token))
        .filter_map(|caps| caps.get(1)?.as_str().parse().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard() -> TrapGuard {
        TrapGuard::new(TrapConfig::default(), 2026)
    }

    fn url(s: &str) -> Url {
        Url::parse(s).expect("url")
    }

    #[test]
    fn structural_rules_apply_to_everything() {
        let mut g = guard();
        let long = format!("http://a.test/{}", "x".repeat(1100));
        assert_eq!(g.check(&url(&long), true), Err(Trap::UrlTooLong));
        assert_eq!(
            g.check(&url("http://a.test/foo/foo/foo/"), true),
            Err(Trap::RepeatingSegments)
        );
        assert_eq!(
            g.check(&url("http://a.test/a/b/a/b/"), false),
            Err(Trap::RepeatingSegments)
        );
        assert_eq!(g.check(&url("http://a.test/foo/bar/foo/"), false), Ok(()));
        let deep = format!(
            "http://a.test/{}",
            (0..20).map(|i| format!("s{i}/")).collect::<String>()
        );
        assert_eq!(g.check(&url(&deep), true), Err(Trap::TooDeep));
    }

    #[test]
    fn calendars_are_bounded_by_years_and_budget() {
        let mut g = guard();
        assert_eq!(
            g.check(&url("http://a.test/calendar?month=2031-01"), false),
            Err(Trap::DateOutOfRange)
        );
        assert_eq!(
            g.check(&url("http://a.test/events/1979/01/"), false),
            Err(Trap::DateOutOfRange)
        );
        let mut accepted = 0;
        for i in 0..100 {
            let (y, m) = (2026 - i / 12, 12 - i % 12);
            if g.check(
                &url(&format!("http://a.test/calendar?month={y}-{m:02}")),
                false,
            )
            .is_ok()
            {
                accepted += 1;
            }
        }
        assert_eq!(accepted, 24);
        // Articles are exempt from the budgets.
        assert_eq!(
            g.check(&url("http://a.test/1985/05/old-story/"), true),
            Ok(())
        );
    }

    #[test]
    fn query_variants_are_budgeted_per_path() {
        let mut g = guard();
        let mut accepted = 0;
        for i in 0..50 {
            if g.check(&url(&format!("http://a.test/list?sort=s{i}")), false)
                .is_ok()
            {
                accepted += 1;
            }
        }
        assert_eq!(accepted, 32);
        assert_eq!(g.check(&url("http://a.test/other?sort=x"), false), Ok(()));
        let many = "http://a.test/f?a=1&b=1&c=1&d=1&e=1&f=1&g=1&h=1&i=1";
        assert_eq!(g.check(&url(many), false), Err(Trap::TooManyParams));
    }
}
