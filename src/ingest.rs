//! One-off ingestion: fetch a list of URLs concurrently, each host at its own
//! rate, extract each page on a blocking thread, and hand the articles to a sink.
//!
//! This module owns the run's concurrency: one global limit on requests in
//! flight, and the per-host rate ([`HostLimiter`]) taken from the host's profile
//! (`[crawl] rate`) or the run's default. A URL that fails is a [`Failure`] in
//! the report and never stops the run; only an output error does.
//!
//! With [`IngestConfig::warc`], every exchange (redirect hops included) is archived in WARC files, each
//! article points at its response record, and a `metadata` record names the article written from it.

use std::collections::HashSet;
use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use futures::StreamExt;
use indicatif::ProgressBar;
use thiserror::Error;
use url::Url;

use crate::article::{Article, FetchInfo, SCHEMA_VERSION};
use crate::extract::extract;
use crate::fetch::{FetchConfig, FetchError, Fetcher, HostLimiter, Page};
use crate::profile::{ProfileSet, Rate};
use crate::report::{Failure, RunReport, Written};
use crate::sink::warc::{ArticleRef, WarcConfig, WarcError, WarcWriter};
use crate::sink::{JsonDir, JsonLines, SinkError, article_path};

/// How a run fetches.
#[derive(Debug, Clone)]
pub struct IngestConfig {
    /// Requests in flight at once, across all hosts.
    pub concurrency: usize,
    /// Per-host rate for hosts whose profile sets none.
    pub default_rate: Rate,
    pub fetch: FetchConfig,
    /// Archive every exchange in WARC files here.
    pub warc: Option<WarcConfig>,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            concurrency: 8,
            default_rate: Rate::default(),
            fetch: FetchConfig::default(),
            warc: None,
        }
    }
}

/// Where articles go.
pub enum ArticleSink {
    /// One JSON file per article.
    Files(Arc<JsonDir>),
    /// One JSON line per article.
    Lines(JsonLines<Box<dyn Write + Send>>),
}

/// Errors that stop a run.
#[derive(Debug, Error)]
pub enum IngestError {
    #[error("cannot build the HTTP client")]
    Client(#[source] FetchError),
    #[error("cannot write the article for {url}")]
    Output {
        url: String,
        #[source]
        source: SinkError,
    },
    /// An exchange could not be archived, or the WARC folder cannot be used.
    #[error("cannot archive {url}")]
    Archive {
        url: String,
        #[source]
        source: ArchiveError,
    },
    #[error("extraction task for {url} failed")]
    Task {
        url: String,
        #[source]
        source: tokio::task::JoinError,
    },
}

/// Why archiving failed.
#[derive(Debug, Error)]
pub enum ArchiveError {
    #[error(transparent)]
    Fetch(Box<FetchError>),
    #[error(transparent)]
    Warc(#[from] WarcError),
}

/// Parses one line of URL input. Blank lines and `#` comments yield `None`.
pub fn parse_url_line(line: &str) -> Option<Result<Url, Failure>> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    Some(parse_url(line))
}

fn parse_url(raw: &str) -> Result<Url, Failure> {
    let invalid = |message: String| Failure {
        url: raw.to_string(),
        reason: "invalid_url".to_string(),
        message,
    };
    let url = Url::parse(raw).map_err(|e| invalid(format!("invalid URL {raw:?}: {e}")))?;
    match url.scheme() {
        "http" | "https" if url.host_str().is_some() => Ok(url),
        _ => Err(invalid(format!("not an http(s) URL: {raw:?}"))),
    }
}

/// What one URL turned into.
enum Item {
    Done {
        url: Url,
        article: Box<Article>,
        path: Option<std::path::PathBuf>,
    },
    Failed(Failure),
}

/// Fetches, extracts and writes every URL. Invalid and duplicate URLs are
/// reported (duplicates are fetched once). Returns the report, or the error
/// that stopped the run.
pub async fn ingest(
    inputs: Vec<Result<Url, Failure>>,
    profiles: Arc<ProfileSet>,
    config: &IngestConfig,
    mut sink: ArticleSink,
    progress: &ProgressBar,
) -> Result<RunReport, IngestError> {
    let started = Instant::now();
    let mut report = RunReport::default();
    let mut seen = HashSet::new();
    let mut urls = Vec::new();
    for input in inputs {
        match input {
            Ok(url) if seen.insert(url.clone()) => urls.push(url),
            Ok(_) => {}
            Err(failure) => {
                progress.suspend(|| eprintln!("gleaner: {}", failure.message));
                report.failed.push(failure);
            }
        }
    }
    progress.set_length(urls.len() as u64);

    let warc = match &config.warc {
        Some(warc) => Some(Arc::new(WarcWriter::open(warc.clone()).map_err(
            |source| IngestError::Archive {
                url: warc.dir.display().to_string(),
                source: source.into(),
            },
        )?)),
        None => None,
    };
    let mut fetcher = Fetcher::new(config.fetch.clone()).map_err(IngestError::Client)?;
    if let Some(warc) = &warc {
        fetcher = fetcher.with_recorder(Arc::clone(warc) as crate::fetch::SharedRecorder);
    }
    let fetcher = Arc::new(fetcher);
    let limiter = Arc::new(HostLimiter::new(config.default_rate.quota()));
    for url in &urls {
        if let (Some(host), Some(rate)) = (
            url.host_str(),
            profiles
                .for_url(url)
                .and_then(|p| p.crawl.as_ref())
                .map(|c| c.rate),
        ) {
            limiter.set_quota(host, rate.quota());
        }
    }
    let files = match &sink {
        ArticleSink::Files(dir) => Some(Arc::clone(dir)),
        ArticleSink::Lines(_) => None,
    };

    let mut results = futures::stream::iter(urls)
        .map(|url| {
            let fetcher = Arc::clone(&fetcher);
            let limiter = Arc::clone(&limiter);
            let profiles = Arc::clone(&profiles);
            let files = files.clone();
            let warc = warc.clone();
            async move { process(url, &fetcher, &limiter, profiles, files, warc).await }
        })
        .buffer_unordered(config.concurrency.max(1));

    while let Some(item) = results.next().await {
        progress.inc(1);
        match item? {
            Item::Done { url, article, path } => {
                if let ArticleSink::Lines(lines) = &mut sink {
                    lines
                        .write(&article, &url)
                        .map_err(|source| IngestError::Output {
                            url: url.to_string(),
                            source,
                        })?;
                }
                report.written.push(Written {
                    url: url.to_string(),
                    path,
                });
            }
            Item::Failed(failure) => {
                progress.suspend(|| eprintln!("gleaner: {}", failure.message));
                report.failed.push(failure);
            }
        }
    }
    drop(results);
    if let Some(warc) = &warc {
        warc.finish().map_err(|source| IngestError::Archive {
            url: warc.dir().display().to_string(),
            source: source.into(),
        })?;
    }
    report.elapsed_secs = started.elapsed().as_secs_f64();
    Ok(report)
}

async fn process(
    url: Url,
    fetcher: &Fetcher,
    limiter: &HostLimiter,
    profiles: Arc<ProfileSet>,
    files: Option<Arc<JsonDir>>,
    warc: Option<Arc<WarcWriter>>,
) -> Result<Item, IngestError> {
    limiter
        .until_ready(url.host_str().unwrap_or_default())
        .await;
    let page = match fetcher.fetch(&url).await {
        Ok(page) => page,
        Err(e) if e.is_fatal() => {
            return Err(IngestError::Archive {
                url: url.to_string(),
                source: ArchiveError::Fetch(Box::new(e)),
            });
        }
        Err(e) => {
            return Ok(Item::Failed(Failure {
                url: url.to_string(),
                reason: e.kind().to_string(),
                message: error_chain(&e),
            }));
        }
    };
    let task_url = url.to_string();
    tokio::task::spawn_blocking(move || {
        let article = article_from_page(&page, &profiles);
        let key = output_url(&article, &page.url);
        let path = match &files {
            Some(dir) => Some(
                dir.write(&article, &key)
                    .map_err(|source| IngestError::Output {
                        url: page.url.to_string(),
                        source,
                    })?,
            ),
            None => None,
        };
        if let (Some(warc), Some(capture)) = (&warc, &article.capture) {
            let reference = ArticleRef {
                schema: SCHEMA_VERSION.to_string(),
                key: key.to_string(),
                path: files
                    .is_some()
                    .then(|| article_path(&key).to_string_lossy().into_owned()),
                content_hash: article.content_hash.clone(),
            };
            warc.record_article(capture, &page.url, &reference)
                .map_err(|source| IngestError::Archive {
                    url: page.url.to_string(),
                    source: source.into(),
                })?;
        }
        Ok(Item::Done {
            url,
            article: Box::new(article),
            path,
        })
    })
    .await
    .map_err(|source| IngestError::Task {
        url: task_url,
        source,
    })?
}

/// Extracts a fetched page with its host's profile and records the fetch.
pub fn article_from_page(page: &Page, profiles: &ProfileSet) -> Article {
    let profile = profiles.for_url(&page.url).map(|p| p.as_ref());
    let mut article = extract(&page.html, &page.url, profile);
    article.fetch = Some(FetchInfo {
        fetched_at: page
            .fetched_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        status: page.status,
        etag: page.etag.clone(),
        last_modified: page.last_modified.clone(),
        content_type: page.content_type.clone(),
        charset: page.charset.name().to_string(),
        charset_source: page.charset_source.as_str().to_string(),
    });
    article.capture = page.capture.clone();
    article
}

/// The URL an article is filed under: its canonical URL when that stays on the
/// fetched host (a page cannot claim another site's file), else the final URL.
pub fn output_url(article: &Article, fetched: &Url) -> Url {
    article
        .canonical_url
        .as_deref()
        .and_then(|c| Url::parse(c).ok())
        .filter(|c| c.host_str() == fetched.host_str())
        .unwrap_or_else(|| fetched.clone())
}

/// An error and its causes on one line: "timeout: operation timed out".
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !out.contains(&s_text) {
            out.push_str(": ");
            out.push_str(&s_text);
        }
        source = s.source();
    }
    out
}
