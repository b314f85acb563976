//! Scheduled crawls: `gleaner crawl` visits the sites whose profiles have a `[crawl]` section, writes new
//! and changed articles, and keeps an incremental, resumable state.
//!
//! The parts, in the order data flows:
//! - [`site`]: a crawled profile and its scope rules (same-site, `follow`, `article_urls`, limits);
//! - [`canonical`]: URL canonicalization (case, ports, fragments, tracking parameters, parameter order);
//! - [`traps`]: guards against endless URL spaces (calendars, repeating segments, query permutations);
//! - [`frontier`]: per-host queues and the run's seen set;
//! - [`discovery`]: links, sitemaps (index, urlset, news, gzip) and feeds (RSS, Atom);
//! - [`lastmod`]: listing modification times, and when a listed URL can go unrequested;
//! - `worker`: one URL fetched (through [`Politeness`](crate::fetch::Politeness), the one place that owns
//!   rate limits, robots delays, retries and backoff) and processed; `robots_task`: a host's robots.txt;
//!   `dedup`: content hashes and canonical URLs already written;
//! - `driver`: the run loop, the one place that owns concurrency, the frontier and the state
//!   (`driver/results.rs`: recording finished tasks and queueing what they found);
//! - [`summary`]: the JSON run summary.
//!
//! Around them: the state database ([`crate::store`]) and the run lock ([`crate::lock`]); with
//! [`CrawlConfig::warc`], the WARC archive of every exchange ([`crate::sink::warc`]).

pub mod canonical;
mod dedup;
pub mod discovery;
mod driver;
pub mod frontier;
pub mod lastmod;
mod robots_task;
pub mod site;
pub mod summary;
pub mod traps;
mod worker;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use indicatif::ProgressBar;

use crate::fetch::{FetchConfig, FetchError, PoliteError, PolitenessConfig};
use crate::lock::LockError;
use crate::profile::ProfileSet;
use crate::sink::SinkError;
use crate::sink::warc::{WarcConfig, WarcError};
use crate::store::StoreError;

pub use canonical::Canonicalizer;
pub use summary::CrawlSummary;
pub use traps::TrapConfig;

/// File name of the default state database, in the output folder.
pub const DEFAULT_STATE_FILE: &str = "crawl-state.sqlite";
/// File name of the default summary, in the output folder.
pub const DEFAULT_SUMMARY_FILE: &str = "crawl-summary.json";

/// How a crawl runs.
#[derive(Debug, Clone)]
pub struct CrawlConfig {
    /// Output folder for articles.
    pub out: PathBuf,
    /// The state database; default `<out>/crawl-state.sqlite`.
    pub state: Option<PathBuf>,
    /// Where the JSON summary goes; default `<out>/crawl-summary.json`.
    pub summary: Option<PathBuf>,
    /// Profiles to crawl by name; empty means every profile with a `[crawl]` section.
    pub sites: Vec<String>,
    pub fetch: FetchConfig,
    pub politeness: PolitenessConfig,
    /// Tracking parameters removed on top of the defaults (`name` or `prefix*`).
    pub strip_params: Vec<String>,
    pub traps: TrapConfig,
    /// Stop cleanly after this long; the next run resumes.
    pub max_runtime: Option<Duration>,
    /// Largest sitemap or feed, after decompression.
    pub max_listing_bytes: u64,
    /// Archive every exchange (robots.txt, listings, redirects, retries included) in WARC files.
    pub warc: Option<WarcConfig>,
    /// A URL whose listing's lastmod is not after its last fetch is left unrequested, unless that
    /// fetch is older than this (zero: always requested). See [`lastmod`].
    pub recheck_after: Duration,
}

impl Default for CrawlConfig {
    fn default() -> Self {
        CrawlConfig {
            out: PathBuf::from("articles"),
            state: None,
            summary: None,
            sites: Vec::new(),
            fetch: FetchConfig::default(),
            politeness: PolitenessConfig::default(),
            strip_params: Vec::new(),
            traps: TrapConfig::default(),
            max_runtime: None,
            max_listing_bytes: 50 * 1024 * 1024,
            warc: None,
            recheck_after: lastmod::DEFAULT_RECHECK_AFTER,
        }
    }
}

impl CrawlConfig {
    /// The state database path.
    pub fn state_path(&self) -> PathBuf {
        self.state
            .clone()
            .unwrap_or_else(|| self.out.join(DEFAULT_STATE_FILE))
    }

    /// The summary path.
    pub fn summary_path(&self) -> PathBuf {
        self.summary
            .clone()
            .unwrap_or_else(|| self.out.join(DEFAULT_SUMMARY_FILE))
    }
}

/// Errors that stop a crawl (per-URL failures never do: they are in the summary).
#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    /// Another run holds the lock (or the lock file cannot be used).
    #[error(transparent)]
    Lock(#[from] LockError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Output(#[from] SinkError),
    #[error("cannot create the folder {} for the crawl state", path.display())]
    StateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot build the HTTP client")]
    Client(#[source] FetchError),
    /// The WARC folder or a WARC file cannot be used.
    #[error(transparent)]
    Warc(#[from] WarcError),
    /// An exchange could not be archived.
    #[error("cannot archive an exchange")]
    Archive(#[source] Box<PoliteError>),
    #[error("no profile named {name:?} has a [crawl] section (crawlable: {})", available.join(", "))]
    UnknownSite {
        name: String,
        available: Vec<String>,
    },
    #[error("no profile has a [crawl] section: nothing to crawl")]
    NothingToCrawl,
    #[error("a crawl task failed")]
    Task(#[source] tokio::task::JoinError),
}

impl CrawlError {
    /// Whether the error is "another run holds the lock" (exit code 75).
    pub fn is_locked(&self) -> bool {
        matches!(self, CrawlError::Lock(LockError::Held { .. }))
    }
}

/// Runs a crawl until the frontier is exhausted, `max_runtime` passes or `stop` completes (e.g. on
/// SIGTERM). Takes the run lock first: a second run on the same state fails at once with
/// [`CrawlError::Lock`]. Writes the summary and returns it.
pub async fn crawl(
    profiles: Arc<ProfileSet>,
    config: CrawlConfig,
    progress: ProgressBar,
    stop: impl Future<Output = ()> + Send,
) -> Result<CrawlSummary, CrawlError> {
    let state = config.state_path();
    if let Some(dir) = state.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| CrawlError::StateDir {
            path: dir.to_owned(),
            source,
        })?;
    }
    let _lock = crate::lock::RunLock::acquire(&crate::lock::RunLock::path_for(&state))?;
    let sites = select_sites(&profiles, &config.sites)?;
    driver::run(profiles, sites, &config, &state, progress, stop).await
}

/// The sites to crawl: the named ones, or every profile with a `[crawl]` section.
fn select_sites(profiles: &ProfileSet, names: &[String]) -> Result<Vec<site::Site>, CrawlError> {
    let crawlable: Vec<site::Site> = profiles
        .profiles()
        .iter()
        .filter_map(|p| site::Site::new(Arc::clone(p)))
        .collect();
    if names.is_empty() {
        if crawlable.is_empty() {
            return Err(CrawlError::NothingToCrawl);
        }
        return Ok(crawlable);
    }
    let mut chosen = Vec::new();
    for name in names {
        match crawlable.iter().find(|s| s.name() == name) {
            Some(site) if !chosen.iter().any(|c: &site::Site| c.name() == name) => {
                chosen.push(site.clone())
            }
            Some(_) => {}
            None => {
                return Err(CrawlError::UnknownSite {
                    name: name.clone(),
                    available: crawlable.iter().map(|s| s.name().to_string()).collect(),
                });
            }
        }
    }
    Ok(chosen)
}
