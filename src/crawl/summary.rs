//! The run summary: counts by outcome and by host, durations, trap rejections, the profiles whose
//! selectors stopped matching, and the failures. Written as JSON at the end of every run that got going
//! (`--summary`, default `<out>/crawl-summary.json`); its schema is `gleaner.crawl-summary/2` (`/2` added
//! `unchanged_per_lastmod`).
//!
//! Outcomes, one per URL visited:
//! `new`, `changed`, `unchanged` (articles written, rewritten, left alone), `duplicate` (an article whose
//! canonical URL or content was already written), `hub` (a page followed for its links), `listing` (a
//! feed or sitemap), `redirect`, `failed`, `disallowed` (by robots.txt, never requested) and `skipped`
//! (not requested: host unavailable or given up, page budget reached).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::fetch::HostStats;
use crate::report::{ExitStatus, Failure};

/// The summary's schema identifier.
pub const SUMMARY_SCHEMA: &str = "gleaner.crawl-summary/2";

/// Most failures listed in a summary (all are counted).
pub const MAX_LISTED_FAILURES: usize = 1000;

/// Counts by outcome.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub new: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub duplicate: u64,
    pub failed: u64,
    pub hub: u64,
    pub listing: u64,
    pub redirect: u64,
    pub disallowed: u64,
    pub skipped: u64,
}

impl Counts {
    /// Adds one URL with `outcome` (one of the outcome names).
    pub fn add(&mut self, outcome: &str) {
        let slot = match outcome {
            "new" => &mut self.new,
            "changed" => &mut self.changed,
            "unchanged" => &mut self.unchanged,
            "duplicate" => &mut self.duplicate,
            "failed" => &mut self.failed,
            "hub" => &mut self.hub,
            "listing" => &mut self.listing,
            "redirect" => &mut self.redirect,
            "disallowed" => &mut self.disallowed,
            _ => &mut self.skipped,
        };
        *slot += 1;
    }
}

/// One host's part of the run.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct HostSummary {
    pub counts: Counts,
    /// `rules`, `allow_all` or `unavailable`.
    pub robots: Option<String>,
    /// Age of the robots.txt copy used, in seconds (0 when fetched this run).
    pub robots_age_secs: Option<i64>,
    #[serde(flatten)]
    pub politeness: HostStats,
}

/// A profile whose selectors matched nothing on some articles.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct StaleProfile {
    pub profile: String,
    /// Articles with at least one selector that matched nothing.
    pub articles: u64,
    /// Per `select.*` field, how many articles it missed on.
    pub fields: BTreeMap<String, u64>,
}

/// Time spent, in seconds.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Durations {
    pub total_secs: f64,
    /// Summed over URLs: waiting for politeness and fetching.
    pub fetch_secs: f64,
    /// Summed over URLs: extraction, link discovery and writing.
    pub process_secs: f64,
    /// URLs visited per second of wall time.
    pub urls_per_sec: f64,
}

/// The whole summary.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CrawlSummary {
    pub schema: &'static str,
    pub run_id: i64,
    /// Whether this process continued an earlier, unfinished run.
    pub resumed: bool,
    pub started_at: String,
    pub finished_at: String,
    /// Whether the frontier was exhausted; false when stopped early (the next run resumes).
    pub complete: bool,
    /// `max_runtime` or `signal` when stopped early.
    pub stopped: Option<String>,
    pub sites: Vec<String>,
    pub counts: Counts,
    /// URLs (among the `unchanged`, `hub` and `listing` counts) left alone without a request because
    /// their listing's lastmod was not after their last fetch.
    pub unchanged_per_lastmod: u64,
    pub hosts: BTreeMap<String, HostSummary>,
    pub durations: Durations,
    /// URLs not queued, by trap guard.
    pub traps: BTreeMap<String, u64>,
    pub stale_profiles: Vec<StaleProfile>,
    pub failures: Vec<Failure>,
    /// The process exit code this summary maps to.
    pub exit_code: u8,
}

impl CrawlSummary {
    /// 0 when nothing failed, 2 when something did.
    pub fn exit_status(&self) -> ExitStatus {
        if self.counts.failed == 0 {
            ExitStatus::Ok
        } else {
            ExitStatus::SomeFailed
        }
    }

    /// One line for the terminal.
    pub fn line(&self) -> String {
        let c = &self.counts;
        let mut line = format!(
            "crawl: {} new, {} changed, {} unchanged, {} failed, {} duplicate, {} disallowed, {} skipped \
             ({} hubs, {} listings, {} redirects) in {:.1} s",
            c.new,
            c.changed,
            c.unchanged,
            c.failed,
            c.duplicate,
            c.disallowed,
            c.skipped,
            c.hub,
            c.listing,
            c.redirect,
            self.durations.total_secs
        );
        if self.unchanged_per_lastmod > 0 {
            line.push_str(&format!(
                "; {} not requested, unchanged per their listing's lastmod",
                self.unchanged_per_lastmod
            ));
        }
        if let Some(why) = &self.stopped {
            line.push_str(&format!("; stopped early ({why}), the next run resumes"));
        }
        line
    }
}

/// Collects what the summary needs as the run goes.
#[derive(Debug, Default)]
pub(crate) struct SummaryBuilder {
    pub counts: Counts,
    pub unchanged_per_lastmod: u64,
    pub hosts: BTreeMap<String, HostSummary>,
    pub fetch_secs: f64,
    pub process_secs: f64,
    pub traps: BTreeMap<String, u64>,
    pub stale: BTreeMap<String, StaleProfile>,
    pub failures: Vec<Failure>,
}

impl SummaryBuilder {
    pub fn outcome(&mut self, host: &str, outcome: &str) {
        self.counts.add(outcome);
        self.hosts
            .entry(host.to_string())
            .or_default()
            .counts
            .add(outcome);
    }

    pub fn failure(&mut self, failure: Failure) {
        if self.failures.len() < MAX_LISTED_FAILURES {
            self.failures.push(failure);
        }
    }

    pub fn trap(&mut self, name: &str) {
        *self.traps.entry(name.to_string()).or_default() += 1;
    }

    /// Records the extraction warnings of one article of `profile` (only "matched nothing" ones count).
    pub fn selectors(&mut self, profile: &str, warnings: &[String]) {
        let fields: Vec<String> = warnings
            .iter()
            .filter(|w| w.contains("matched nothing"))
            .filter_map(|w| {
                let field = w.split_whitespace().find(|t| t.starts_with("select."))?;
                Some(field.trim_start_matches("select.").to_string())
            })
            .collect();
        if fields.is_empty() {
            return;
        }
        let entry = self
            .stale
            .entry(profile.to_string())
            .or_insert_with(|| StaleProfile {
                profile: profile.to_string(),
                ..StaleProfile::default()
            });
        entry.articles += 1;
        for field in fields {
            *entry.fields.entry(field).or_default() += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_selector_warnings_are_grouped_by_field() {
        let mut b = SummaryBuilder::default();
        b.selectors(
            "news",
            &[
                "profile news: select.title matched nothing; used generic rules".into(),
                "profile news: select.body [\"div.x\"] matched nothing; fell back to generic extraction"
                    .into(),
                "no article text found".into(),
            ],
        );
        b.selectors(
            "news",
            &["profile news: select.body [\"x\"] matched nothing".into()],
        );
        b.selectors(
            "news",
            &["no main content found; used the whole page".into()],
        );
        let stale = &b.stale["news"];
        assert_eq!(stale.articles, 2);
        assert_eq!(stale.fields["body"], 2);
        assert_eq!(stale.fields["title"], 1);
    }

    #[test]
    fn counts_by_outcome_and_host() {
        let mut b = SummaryBuilder::default();
        b.outcome("a.test", "new");
        b.outcome("a.test", "failed");
        b.outcome("b.test", "whatever");
        assert_eq!((b.counts.new, b.counts.failed, b.counts.skipped), (1, 1, 1));
        assert_eq!(b.hosts["a.test"].counts.failed, 1);
    }
}
