//! The work on one URL, run as a task by the driver: fetch it politely (conditionally when the state has
//! validators), then, on the blocking pool, turn the answer into an [`ItemResult`]: an article written or
//! left alone, a hub's links, a listing's entries, a redirect, or a failure. (The robots.txt task that
//! opens each host is in `robots_task`.)
//!
//! Workers never touch the frontier or the state database: they return what they found and the driver
//! records it, so the order "article file written, then state committed" holds for every URL. What the
//! state's previous record decides (validators, 304s, the lastmod rule) is in `previous`.

mod previous;

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use url::Url;

use super::CrawlError;
use super::canonical::Canonicalizer;
use super::dedup::Dedup;
use super::discovery::{self, Entry};
use super::frontier::{Item, Kind};
use super::lastmod;
use super::site::Site;
use crate::article::SCHEMA_VERSION;
use crate::fetch::{Accept, Exchange, Fetcher, Politeness, Response};
use crate::ingest::{article_from_page, error_chain, output_url};
use crate::profile::ProfileSet;
use crate::sink::warc::{ArticleRef, WarcWriter};
use crate::sink::{JsonDir, article_path};
use crate::store::PageRecord;
pub(crate) use previous::unchanged_per_listing;
use previous::{base_record, not_modified, validators};

/// Everything the workers share.
pub(crate) struct Shared {
    pub fetcher: Fetcher,
    pub politeness: Politeness,
    pub profiles: Arc<ProfileSet>,
    pub sites: Vec<Site>,
    pub out: JsonDir,
    pub canonicalizer: Canonicalizer,
    pub dedup: Mutex<Dedup>,
    /// Bounds CPU work (extraction, parsing) to the machine's parallelism.
    pub cpu: Semaphore,
    pub run_id: i64,
    pub max_body: u64,
    pub max_listing_bytes: u64,
    /// The WARC archive, when archiving (also the fetcher's recorder).
    pub warc: Option<Arc<WarcWriter>>,
    /// See [`super::CrawlConfig::recheck_after`].
    pub recheck_after: Duration,
}

/// What happened to an article page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ArticleOutcome {
    New,
    Changed,
    Unchanged,
    Duplicate { of: String },
}

impl ArticleOutcome {
    pub fn as_str(&self) -> &'static str {
        match self {
            ArticleOutcome::New => "new",
            ArticleOutcome::Changed => "changed",
            ArticleOutcome::Unchanged => "unchanged",
            ArticleOutcome::Duplicate { .. } => "duplicate",
        }
    }
}

/// The result of one URL.
#[derive(Debug)]
pub(crate) enum ItemResult {
    Article {
        outcome: ArticleOutcome,
        record: PageRecord,
        links: Vec<Url>,
        /// The article's canonical URL, when it differs from the URL fetched.
        canonical: Option<Url>,
        /// Profile name and extraction warnings, for the stale-selector report.
        warnings: Option<(String, Vec<String>)>,
    },
    Hub {
        record: PageRecord,
        links: Vec<Url>,
    },
    Listing {
        record: PageRecord,
        sitemaps: Vec<Entry>,
        pages: Vec<Entry>,
    },
    Redirect {
        record: Option<PageRecord>,
        target: Url,
    },
    Failed {
        reason: String,
        message: String,
        record: PageRecord,
    },
    /// Writing the article or archiving failed: the run must stop.
    Output(CrawlError),
}

/// A finished item.
#[derive(Debug)]
pub(crate) struct Done {
    pub item: Item,
    pub result: ItemResult,
    /// Whether the answer was `304 Not Modified`.
    pub not_modified: bool,
    /// Whether a request was made (false: its listing's lastmod said it had not changed).
    pub requested: bool,
    pub fetch_time: Duration,
    pub process_time: Duration,
}

/// Fetches and processes one frontier item.
pub(crate) async fn run_item(
    shared: Arc<Shared>,
    item: Item,
    previous: Option<PageRecord>,
) -> Done {
    let started = Instant::now();
    let (result, not_modified, process_time) = fetch_and_process(&shared, &item, previous).await;
    Done {
        item,
        result,
        not_modified,
        requested: true,
        fetch_time: started.elapsed().saturating_sub(process_time),
        process_time,
    }
}

/// The work of [`run_item`]: the result, whether it was a 304, and the time spent processing the body.
async fn fetch_and_process(
    shared: &Arc<Shared>,
    item: &Item,
    previous: Option<PageRecord>,
) -> (ItemResult, bool, Duration) {
    // A permanent redirect remembered from an earlier run is followed without asking again.
    if let Some(target) = previous
        .as_ref()
        .filter(|p| p.last_run != shared.run_id)
        .and_then(|p| p.redirect_to.as_deref())
        .and_then(|t| Url::parse(t).ok())
    {
        let result = ItemResult::Redirect {
            record: None,
            target,
        };
        return (result, false, Duration::ZERO);
    }
    let validators = validators(shared, previous.as_ref());
    let (accept, cap) = match item.kind {
        Kind::Page => (Accept::Html, shared.max_body),
        Kind::Sitemap | Kind::Feed => (Accept::Any, shared.max_listing_bytes),
    };
    let exchange = shared
        .politeness
        .get(&shared.fetcher, &item.url, &validators, accept, cap)
        .await;
    let base = base_record(item, previous.as_ref(), shared.run_id);
    let response = match exchange {
        Ok(Exchange { response, .. }) => response,
        Err(error) if error.is_fatal() => {
            return (
                ItemResult::Output(CrawlError::Archive(Box::new(error))),
                false,
                Duration::ZERO,
            );
        }
        Err(error) => {
            let result = failed(base, error.kind(), error_chain(&error), None);
            return (result, false, Duration::ZERO);
        }
    };
    if response.is_not_modified() {
        let result = not_modified(shared, item, previous, base, &response);
        return (result, true, Duration::ZERO);
    }
    if response.is_redirect() {
        let result = match response.redirect_target() {
            Some(target) => ItemResult::Redirect {
                record: Some(PageRecord {
                    status: Some(response.status),
                    outcome: "redirect".into(),
                    last_fetch: Some(rfc3339(&response)),
                    redirect_to: response.is_permanent_redirect().then(|| target.to_string()),
                    ..base
                }),
                target,
            },
            None => failed(
                base,
                "redirect",
                format!("{}: redirect without a usable Location", item.url),
                Some(response.status),
            ),
        };
        return (result, false, Duration::ZERO);
    }
    if !response.is_success() {
        let message = format!("{}: HTTP status {}", item.url, response.status);
        let result = failed(base, "http_status", message, Some(response.status));
        return (result, false, Duration::ZERO);
    }
    let started = Instant::now();
    let permit = shared.cpu.acquire().await.ok();
    let (task_shared, task_item) = (Arc::clone(shared), item.clone());
    let processed = tokio::task::spawn_blocking(move || {
        process(&task_shared, &task_item, response, previous, base)
    })
    .await;
    drop(permit);
    let result = processed.unwrap_or_else(|error| ItemResult::Failed {
        reason: "internal".into(),
        message: format!("{}: processing failed: {error}", item.url),
        record: base_record(item, None, shared.run_id),
    });
    (result, false, started.elapsed())
}

fn failed(
    mut record: PageRecord,
    reason: &str,
    message: String,
    status: Option<u16>,
) -> ItemResult {
    record.outcome = "failed".into();
    record.status = status;
    ItemResult::Failed {
        reason: reason.to_string(),
        message,
        record,
    }
}

pub(crate) fn rfc3339(response: &Response) -> String {
    response
        .fetched_at
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Processes a 2xx body (on the blocking pool).
fn process(
    shared: &Shared,
    item: &Item,
    response: Response,
    previous: Option<PageRecord>,
    mut base: PageRecord,
) -> ItemResult {
    base.status = Some(response.status);
    base.last_fetch = Some(rfc3339(&response));
    base.etag = response.etag.clone();
    base.last_modified = response.last_modified.clone();
    match item.kind {
        Kind::Page => process_page(shared, item, response, previous, base),
        Kind::Sitemap | Kind::Feed => process_listing(shared, item, &response, base),
    }
}

fn process_listing(
    shared: &Shared,
    item: &Item,
    response: &Response,
    mut base: PageRecord,
) -> ItemResult {
    let listing =
        match discovery::parse_listing(&response.body, &item.url, shared.max_listing_bytes) {
            Ok(listing) => listing,
            Err(error) => {
                return failed(
                    base,
                    error.kind(),
                    error_chain(&error),
                    Some(response.status),
                );
            }
        };
    let site = &shared.sites[item.site];
    let canonical = |entries: Vec<Entry>| -> Vec<Entry> {
        let mut seen = HashSet::new();
        entries
            .into_iter()
            .filter_map(|e| {
                let url = shared.canonicalizer.canonical(&e.url)?;
                Some(Entry { url, ..e })
            })
            .filter(|e| seen.insert(e.url.to_string()))
            .collect()
    };
    let sitemaps: Vec<Entry> = canonical(listing.sitemaps)
        .into_iter()
        .filter(|e| site.in_scope(&e.url))
        .collect();
    let pages: Vec<Entry> = canonical(listing.pages)
        .into_iter()
        .filter(|e| site.wants_entry(&e.url))
        .collect();
    base.kind = listing.format.to_string();
    base.outcome = "listing".into();
    base.content_hash = None;
    base.links = sitemaps
        .iter()
        .chain(&pages)
        .map(|e| e.url.to_string())
        .collect();
    base.lastmods = sitemaps
        .iter()
        .chain(&pages)
        .filter_map(|e| Some((e.url.to_string(), lastmod::format(e.lastmod.as_ref()?))))
        .collect();
    ItemResult::Listing {
        record: base,
        sitemaps,
        pages,
    }
}

fn process_page(
    shared: &Shared,
    item: &Item,
    response: Response,
    previous: Option<PageRecord>,
    mut base: PageRecord,
) -> ItemResult {
    let status = response.status;
    let page = match response.into_page() {
        Ok(page) => page,
        Err(error) => return failed(base, error.kind(), error_chain(&error), Some(status)),
    };
    let site = &shared.sites[item.site];
    let links = if site.follows_from_depth(item.depth) {
        let mut seen = HashSet::new();
        discovery::links(&page.html, &page.url)
            .iter()
            .filter_map(|u| shared.canonicalizer.canonical(u))
            .filter(|u| *u != item.url && site.wants_link(u) && seen.insert(u.to_string()))
            .collect()
    } else {
        Vec::new()
    };
    base.kind = "page".into();
    base.links = links.iter().map(Url::to_string).collect();
    if !site.is_article(&item.url, item.listed) {
        base.outcome = "hub".into();
        base.content_hash = None;
        base.article_path = None;
        return ItemResult::Hub {
            record: base,
            links,
        };
    }

    let article = article_from_page(&page, &shared.profiles);
    let canonical = shared
        .canonicalizer
        .canonical(&output_url(&article, &page.url))
        .unwrap_or_else(|| item.url.clone());
    let warnings = article
        .extraction
        .profile
        .clone()
        .map(|profile| (profile, article.extraction.warnings.clone()));
    let hash = article.content_hash.clone();
    let relative = article_path(&canonical).to_string_lossy().into_owned();
    let previous_path = previous
        .as_ref()
        .and_then(|p| p.article_path.clone())
        .filter(|p| shared.out.root().join(p).is_file());
    base.content_hash = Some(hash.clone());
    base.canonical_url = Some(canonical.to_string());
    let alias = (canonical != item.url).then(|| canonical.clone());

    let unchanged = previous_path.as_deref() == Some(relative.as_str())
        && previous.as_ref().and_then(|p| p.content_hash.as_deref()) == Some(hash.as_str());
    let outcome = if unchanged {
        ArticleOutcome::Unchanged
    } else {
        let old_hash = previous.as_ref().and_then(|p| p.content_hash.clone());
        let claim = shared
            .dedup
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .claim(
                &hash,
                canonical.as_str(),
                item.url.as_str(),
                old_hash.as_deref(),
            );
        match claim {
            Err(of) => ArticleOutcome::Duplicate { of },
            Ok(()) => {
                if let Err(error) = shared.out.write(&article, &canonical) {
                    return ItemResult::Output(CrawlError::Output(error));
                }
                if let (Some(warc), Some(capture)) = (&shared.warc, &article.capture) {
                    let reference = ArticleRef {
                        schema: SCHEMA_VERSION.to_string(),
                        key: canonical.to_string(),
                        path: Some(relative.clone()),
                        content_hash: hash.clone(),
                    };
                    if let Err(error) = warc.record_article(capture, &page.url, &reference) {
                        return ItemResult::Output(CrawlError::Warc(error));
                    }
                }
                if previous_path.is_some() {
                    ArticleOutcome::Changed
                } else {
                    ArticleOutcome::New
                }
            }
        }
    };
    match &outcome {
        ArticleOutcome::Duplicate { .. } => base.article_path = None,
        _ => base.article_path = Some(relative),
    }
    base.outcome = outcome.as_str().into();
    ItemResult::Article {
        outcome,
        record: base,
        links,
        canonical: alias,
        warnings,
    }
}
