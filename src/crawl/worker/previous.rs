//! What the state's record of a URL decides: the validators to send, the record a fetch starts
//! from, what a `304 Not Modified` gives (the stored links or listing entries, fed to the frontier
//! again), and the listing-lastmod rule that spares the request altogether (see
//! [`super::super::lastmod`]).

use std::time::Duration;

use url::Url;

use super::{ArticleOutcome, Done, ItemResult, Shared, failed, rfc3339};
use crate::crawl::discovery::Entry;
use crate::crawl::frontier::{Item, Kind};
use crate::crawl::lastmod;
use crate::fetch::{Response, Validators};
use crate::store::PageRecord;

/// The URL as its last fetch left it, when its listing's lastmod says it has not changed since (see
/// [`lastmod`]): done without a request, like a `304 Not Modified`. `None` when it must be requested:
/// no lastmod, never fetched successfully, fetched this run, fetched too long ago, or an article
/// whose file is gone.
pub(crate) fn unchanged_per_listing(
    shared: &Shared,
    item: &Item,
    previous: Option<&PageRecord>,
    now: &chrono::DateTime<chrono::Utc>,
) -> Option<Done> {
    let (Some(lastmod), Some(previous)) = (item.lastmod.as_ref(), previous) else {
        return None;
    };
    let kept = match item.kind {
        Kind::Page => matches!(
            previous.outcome.as_str(),
            "new" | "changed" | "unchanged" | "hub"
        ),
        // A listing whose entries carry no lastmod spares nothing downstream; asking it again
        // costs one request and lets a state from before lastmods were kept catch up.
        Kind::Sitemap | Kind::Feed => {
            previous.outcome == "listing" && !previous.lastmods.is_empty()
        }
    };
    let fetched = previous.last_fetch.as_deref()?;
    if !kept
        || previous.last_run == shared.run_id
        || !article_file_exists(shared, previous)
        || !lastmod::unchanged_since(lastmod, fetched, now, shared.recheck_after)
    {
        return None;
    }
    let base = base_record(item, Some(previous), shared.run_id);
    Some(Done {
        item: item.clone(),
        result: from_previous(shared, item, previous.clone(), base),
        not_modified: false,
        requested: false,
        fetch_time: Duration::ZERO,
        process_time: Duration::ZERO,
    })
}

/// False when the record names an article file that is no longer there.
fn article_file_exists(shared: &Shared, previous: &PageRecord) -> bool {
    previous
        .article_path
        .as_ref()
        .is_none_or(|path| shared.out.root().join(path).is_file())
}

/// The validators to send: only when the state has them and, for an article, its file still exists
/// (otherwise the article must be fetched again to be rewritten).
pub(super) fn validators(shared: &Shared, previous: Option<&PageRecord>) -> Validators {
    let Some(previous) = previous else {
        return Validators::default();
    };
    if !article_file_exists(shared, previous) {
        return Validators::default();
    }
    Validators {
        etag: previous.etag.clone(),
        last_modified: previous.last_modified.clone(),
    }
}

/// The previous record (or a fresh one) updated for this run.
pub(super) fn base_record(item: &Item, previous: Option<&PageRecord>, run_id: i64) -> PageRecord {
    let mut record = previous.cloned().unwrap_or_else(|| PageRecord {
        url: item.url.to_string(),
        kind: item.kind.as_str().to_string(),
        ..PageRecord::default()
    });
    record.last_run = run_id;
    record.redirect_to = None;
    record
}

fn parse_all(urls: &[String]) -> Vec<Url> {
    urls.iter().filter_map(|u| Url::parse(u).ok()).collect()
}

/// A listing's stored entries, with their stored modification times.
fn stored_entries(record: &PageRecord) -> Vec<Entry> {
    parse_all(&record.links)
        .into_iter()
        .map(|url| Entry {
            lastmod: record
                .lastmods
                .get(url.as_str())
                .and_then(|t| lastmod::parse(t)),
            url,
        })
        .collect()
}

/// A `304 Not Modified`: the previous record stands; its links or entries feed the frontier again.
pub(super) fn not_modified(
    shared: &Shared,
    item: &Item,
    previous: Option<PageRecord>,
    mut base: PageRecord,
    response: &Response,
) -> ItemResult {
    let Some(previous) = previous else {
        let message = format!("{}: 304 Not Modified to an unconditional request", item.url);
        return failed(base, "http_status", message, Some(304));
    };
    base.status = Some(304);
    base.last_fetch = Some(rfc3339(response));
    if let Some(etag) = &response.etag {
        base.etag = Some(etag.clone());
    }
    from_previous(shared, item, previous, base)
}

/// What an unchanged URL (a 304, or unchanged per its listing) gives: the previous record updated
/// as `base`, and its stored links or entries.
fn from_previous(
    shared: &Shared,
    item: &Item,
    previous: PageRecord,
    mut base: PageRecord,
) -> ItemResult {
    match item.kind {
        Kind::Sitemap | Kind::Feed => {
            base.outcome = "listing".into();
            let entries = stored_entries(&previous);
            let (sitemaps, pages) = if previous.kind == "sitemapindex" {
                (entries, Vec::new())
            } else {
                (Vec::new(), entries)
            };
            ItemResult::Listing {
                record: base,
                sitemaps,
                pages,
            }
        }
        Kind::Page if previous.article_path.is_some() || previous.content_hash.is_some() => {
            base.outcome = "unchanged".into();
            let canonical = previous
                .canonical_url
                .as_deref()
                .and_then(|c| Url::parse(c).ok())
                .filter(|c| *c != item.url);
            let links = if shared.sites[item.site].follows_from_depth(item.depth) {
                parse_all(&previous.links)
            } else {
                Vec::new()
            };
            ItemResult::Article {
                outcome: ArticleOutcome::Unchanged,
                record: base,
                links,
                canonical,
                warnings: None,
            }
        }
        Kind::Page => {
            base.outcome = "hub".into();
            ItemResult::Hub {
                record: base,
                links: parse_all(&previous.links),
            }
        }
    }
}
