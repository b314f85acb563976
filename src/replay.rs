//! `gleaner replay`: re-extract articles from WARC files with the current profiles, without fetching, so an
//! archive can be reprocessed when a profile improves.
//!
//! Which records become articles: the ones gleaner wrote an article from, as its `metadata` records say
//! (`Content-Type: application/vnd.gleaner.article-ref+json`, `WARC-Refers-To` the response record). Each
//! is extracted again and written under the same key URL, so the same file path, in record order (a later
//! capture of the same article replaces an earlier one, as it did when crawling). With
//! [`ReplayOptions::all_responses`] (for WARC files from other tools), every complete 2xx HTML response is
//! an article instead, filed under its canonical URL like `ingest` does.
//!
//! A revisit record (identical payload) takes its payload from the response it refers to
//! (`WARC-Refers-To`, else the same payload digest) in any of the files given. The article is built by the
//! same code as a live fetch ([`Page::from_archive`], then [`article_from_page`]): `fetch` comes from the
//! archived headers and `WARC-Date`, and `capture` points at the same record, so a replayed article equals
//! the one written when crawling, apart from what the new profiles change.
//!
//! Pass 1 reads every record once and keeps only ids, offsets and the article references; pass 2 reads the
//! records it needs again by offset. Files that cannot be read, or records that cannot be used, are
//! failures in the report; only an output error stops the run.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, Utc};
use url::Url;

use crate::article::CaptureRef;
use crate::fetch::{Page, ResponseHead, is_html_content_type};
use crate::ingest::{article_from_page, error_chain, output_url};
use crate::profile::ProfileSet;
use crate::report::{Failure, RunReport, Written};
use crate::sink::warc::{ARTICLE_REF_TYPE, ArticleRef, Entry, WarcError, WarcReader};
use crate::sink::{JsonDir, SinkError};

/// How a replay runs.
#[derive(Debug, Clone)]
pub struct ReplayOptions {
    /// Extract every complete 2xx HTML response, not only those gleaner wrote articles from.
    pub all_responses: bool,
    /// Largest body after decompression.
    pub max_body: u64,
}

impl Default for ReplayOptions {
    fn default() -> Self {
        ReplayOptions {
            all_responses: false,
            max_body: 100 * 1024 * 1024,
        }
    }
}

/// Errors that stop a replay.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error("cannot write the article for {url}")]
    Output {
        url: String,
        #[source]
        source: SinkError,
    },
}

/// Where a record is: the file's index in the list, and its offset.
type Location = (usize, u64);

/// An article to extract: the record it comes from, and the key URL it is filed under (`None`: computed).
struct Job {
    target: Location,
    url: String,
    key: Option<String>,
}

/// An article reference whose response record is looked up once every file has been read.
struct PendingRef {
    record_id: Option<String>,
    url: String,
    key: String,
    /// Where the reference itself is, for messages.
    at: (PathBuf, u64),
}

/// What pass 1 learns.
#[derive(Default)]
struct Catalog {
    by_id: HashMap<String, Location>,
    by_digest: HashMap<String, Location>,
    jobs: Vec<Job>,
}

/// Replays `files` (in the order given; gleaner's file names sort in capture order) into `out`.
pub fn replay(
    files: &[PathBuf],
    profiles: &ProfileSet,
    out: &JsonDir,
    options: &ReplayOptions,
) -> Result<RunReport, ReplayError> {
    let started = Instant::now();
    let mut report = RunReport::default();
    let catalog = catalog(files, options, &mut report);
    if catalog.jobs.is_empty() && !options.all_responses {
        eprintln!(
            "gleaner: no article records (written by gleaner ingest/crawl --warc) in the files given; \
             --all-responses extracts every HTML response instead"
        );
    }
    for job in &catalog.jobs {
        match extract_job(files, &catalog, job, profiles, options) {
            Ok((article, key)) => {
                let path = out
                    .write(&article, &key)
                    .map_err(|source| ReplayError::Output {
                        url: job.url.clone(),
                        source,
                    })?;
                report.written.push(Written {
                    url: job.url.clone(),
                    path: Some(path),
                });
            }
            Err(failure) => {
                eprintln!("gleaner: {}", failure.message);
                report.failed.push(failure);
            }
        }
    }
    report.elapsed_secs = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Pass 1: ids, payload digests and the articles to extract.
fn catalog(files: &[PathBuf], options: &ReplayOptions, report: &mut RunReport) -> Catalog {
    let mut catalog = Catalog::default();
    let mut references = Vec::new();
    for (index, path) in files.iter().enumerate() {
        let reader = match WarcReader::open(path) {
            Ok(reader) => reader,
            Err(error) => {
                report.failed.push(warc_failure(path, &error));
                continue;
            }
        };
        for entry in reader {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    report.failed.push(warc_failure(path, &error));
                    break;
                }
            };
            let location = (index, entry.offset);
            let record = &entry.record;
            match record.warc_type() {
                "response" | "revisit" => {
                    catalog.by_id.insert(record.id().to_string(), location);
                    let head = ResponseHead::parse(&record.block);
                    let complete = record.get("WARC-Truncated").is_none();
                    let success = head
                        .as_ref()
                        .is_some_and(|h| (200..300).contains(&h.status));
                    if record.warc_type() == "response" && success && complete {
                        if let Some(digest) = record.get("WARC-Payload-Digest") {
                            catalog
                                .by_digest
                                .entry(digest.to_string())
                                .or_insert(location);
                        }
                    }
                    let html = head.as_ref().is_some_and(|h| {
                        h.header("content-type")
                            .is_none_or(|ct| is_html_content_type(&ct))
                    });
                    if options.all_responses && success && complete && html {
                        catalog.jobs.push(Job {
                            target: location,
                            url: target_uri(&entry),
                            key: None,
                        });
                    }
                }
                "metadata" if !options.all_responses && is_article_ref(&entry) => {
                    let key = serde_json::from_slice::<ArticleRef>(&record.block)
                        .map(|r| r.key)
                        .unwrap_or_default();
                    references.push(PendingRef {
                        record_id: record.get("WARC-Refers-To").map(str::to_string),
                        url: target_uri(&entry),
                        key,
                        at: (path.clone(), entry.offset),
                    });
                }
                _ => {}
            }
        }
    }
    for reference in references {
        let target = reference
            .record_id
            .as_deref()
            .and_then(|id| catalog.by_id.get(id).copied());
        match target {
            Some(target) if !reference.key.is_empty() => catalog.jobs.push(Job {
                target,
                url: reference.url,
                key: Some(reference.key),
            }),
            _ => report.failed.push(Failure {
                message: format!(
                    "{}: the article record at offset {} names no response record in the files given",
                    reference.at.0.display(),
                    reference.at.1
                ),
                url: reference.url,
                reason: "warc".into(),
            }),
        }
    }
    catalog
}

fn is_article_ref(entry: &Entry) -> bool {
    entry
        .record
        .get("Content-Type")
        .is_some_and(|ct| ct.eq_ignore_ascii_case(ARTICLE_REF_TYPE))
}

fn target_uri(entry: &Entry) -> String {
    let uri = entry.record.get("WARC-Target-URI").unwrap_or_default();
    uri.trim_start_matches('<')
        .trim_end_matches('>')
        .to_string()
}

/// Pass 2 for one article: read its record (and a revisit's original), rebuild the page, extract.
fn extract_job(
    files: &[PathBuf],
    catalog: &Catalog,
    job: &Job,
    profiles: &ProfileSet,
    options: &ReplayOptions,
) -> Result<(crate::Article, Url), Failure> {
    let fail = |reason: &str, message: String| Failure {
        url: job.url.clone(),
        reason: reason.to_string(),
        message: format!("{}: {message}", job.url),
    };
    let read = |(file, offset): Location| {
        WarcReader::read_at(&files[file], offset).map_err(|e| fail("warc", error_chain(&e)))
    };
    let entry = read(job.target)?;
    let record = &entry.record;
    if record.get("WARC-Truncated").is_some() {
        return Err(fail("too_large", "the archived body is truncated".into()));
    }
    let head = ResponseHead::parse(&record.block)
        .ok_or_else(|| fail("warc", "the record holds no HTTP response".into()))?;
    let url = Url::parse(&job.url).map_err(|e| fail("invalid_url", e.to_string()))?;
    let fetched_at = record
        .get("WARC-Date")
        .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
        .map(|d| d.with_timezone(&Utc))
        .ok_or_else(|| fail("warc", "the record has no valid WARC-Date".into()))?;
    let refers_to = record.get("WARC-Refers-To").map(str::to_string);
    let original;
    let body = if record.warc_type() == "revisit" {
        let location = refers_to
            .as_deref()
            .and_then(|id| catalog.by_id.get(id))
            .or_else(|| {
                record
                    .get("WARC-Payload-Digest")
                    .and_then(|d| catalog.by_digest.get(d))
            })
            .copied()
            .ok_or_else(|| {
                fail(
                    "warc",
                    "the revisit's original response is not in the files given".into(),
                )
            })?;
        original = read(location)?;
        let original_head = ResponseHead::parse(&original.record.block)
            .ok_or_else(|| fail("warc", "the original record holds no HTTP response".into()))?;
        &original.record.block[original_head.body_offset..]
    } else {
        &record.block[head.body_offset..]
    };
    let capture = CaptureRef {
        warc_file: file_name(&files[job.target.0]),
        record_id: record.id().to_string(),
        refers_to,
    };
    let page = Page::from_archive(
        url,
        &head,
        body,
        fetched_at,
        Some(capture),
        options.max_body,
    )
    .map_err(|e| fail(e.kind(), error_chain(&e)))?;
    let article = article_from_page(&page, profiles);
    let key = match &job.key {
        Some(key) => Url::parse(key).map_err(|e| fail("invalid_url", e.to_string()))?,
        None => output_url(&article, &page.url),
    };
    Ok((article, key))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn warc_failure(path: &Path, error: &WarcError) -> Failure {
    Failure {
        url: path.display().to_string(),
        reason: "warc".into(),
        message: error_chain(error),
    }
}
