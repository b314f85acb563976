//! The run loop, the one place that owns the run's concurrency, its frontier and its state.
//!
//! 1. Take the state's run: resume an unfinished one (reload its frontier; what it finished is not fetched
//!    again) or start a new one seeded with every site's start URLs, feeds and sitemaps.
//! 2. Dispatch: each *ready* host (queued URLs, nothing in flight) first gets its robots.txt task, then one
//!    item at a time. Disallowed URLs are recorded without a request, and so are listed URLs whose
//!    listing's lastmod says they have not changed since their last fetch (see `lastmod`); a host whose
//!    robots.txt is unavailable, or that politeness gave up on, has its URLs skipped.
//! 3. Collect a finished task: record the URL and what it discovered in one state transaction, queue the
//!    new URLs that pass scope, depth, trap guards and the seen set, and dispatch again.
//! 4. Stop when nothing is queued or in flight, at `--max-runtime`, or on a stop signal. An early stop
//!    aborts the tasks in flight (their URLs stay queued) and marks the run `stopped`, so the next start
//!    resumes it.
//!
//! Concurrency: tasks are tokio tasks in one `JoinSet`; requests are bounded by the politeness layer
//! (global permits, one per host); CPU work by a semaphore sized to the machine. The driver itself is a
//! single loop, so the frontier and the state connection need no locks.

use std::collections::HashMap;
use std::future::Future;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::Datelike;
use futures::FutureExt;
use indicatif::ProgressBar;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use url::Url;

use super::canonical::Canonicalizer;
use super::dedup::Dedup;
use super::frontier::{Frontier, Item, Kind};
use super::robots_task::{RobotsDone, run_robots};
use super::site::Site;
use super::summary::{CrawlSummary, Durations, SUMMARY_SCHEMA, SummaryBuilder};
use super::traps::TrapGuard;
use super::worker::{Done, Shared, run_item, unchanged_per_listing};
use super::{CrawlConfig, CrawlError};
use crate::fetch::{Fetcher, Politeness, Robots, host_key};
use crate::profile::ProfileSet;
use crate::sink::warc::WarcWriter;
use crate::sink::{JsonDir, write_atomic};
use crate::store::{FrontierRow, RunInfo, Store};

mod results;

/// A finished task.
enum TaskOutput {
    Robots(Box<RobotsDone>),
    Item(Box<Done>),
}

/// A host's robots.txt for this run.
enum HostRobots {
    Fetching,
    Ready(Arc<Robots>),
}

struct Driver {
    shared: Arc<Shared>,
    store: Store,
    run: RunInfo,
    frontier: Frontier,
    traps: TrapGuard,
    robots: HashMap<String, HostRobots>,
    tasks: JoinSet<TaskOutput>,
    summary: SummaryBuilder,
    progress: ProgressBar,
    /// Pages started per site, for `max_pages`.
    pages_started: Vec<u32>,
    max_redirects: u32,
    finished: u64,
}

fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Runs a crawl on `sites` with the state at `state_path` (the lock is already held).
pub(super) async fn run(
    profiles: Arc<ProfileSet>,
    sites: Vec<Site>,
    config: &CrawlConfig,
    state_path: &Path,
    progress: ProgressBar,
    stop: impl Future<Output = ()> + Send,
) -> Result<CrawlSummary, CrawlError> {
    let started = Instant::now();
    let out = JsonDir::open(&config.out)?;
    let mut store = Store::open(state_path)?;
    let run = store.begin_run(&now_rfc3339())?;
    let mut fetch = config.fetch.clone();
    fetch.follow_redirects = false;
    let mut fetcher = Fetcher::new(fetch).map_err(CrawlError::Client)?;
    let warc = match &config.warc {
        Some(warc) => Some(Arc::new(WarcWriter::open(warc.clone())?)),
        None => None,
    };
    if let Some(warc) = &warc {
        fetcher = fetcher.with_recorder(Arc::clone(warc) as crate::fetch::SharedRecorder);
    }
    let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
    let shared = Arc::new(Shared {
        fetcher,
        politeness: Politeness::new(config.politeness.clone()),
        profiles,
        sites,
        out,
        canonicalizer: Canonicalizer::new(&config.strip_params),
        dedup: Mutex::new(Dedup::new(store.article_hashes()?)),
        cpu: Semaphore::new(cpus),
        run_id: run.id,
        max_body: config.fetch.max_body_bytes,
        max_listing_bytes: config.max_listing_bytes,
        recheck_after: config.recheck_after,
        warc,
    });
    tracing::info!(
        run = run.id,
        resumed = run.resumed,
        sites = shared.sites.len(),
        state = %state_path.display(),
        "crawl started"
    );
    let mut driver = Driver {
        pages_started: vec![0; shared.sites.len()],
        shared,
        store,
        run,
        frontier: Frontier::new(),
        traps: TrapGuard::new(config.traps.clone(), chrono::Utc::now().year()),
        robots: HashMap::new(),
        tasks: JoinSet::new(),
        summary: SummaryBuilder::default(),
        progress,
        max_redirects: u32::try_from(config.fetch.max_redirects).unwrap_or(u32::MAX),
        finished: 0,
    };
    if driver.run.resumed {
        driver.restore()?;
    } else {
        driver.seed()?;
    }
    let stopped = driver.run_loop(stop, config.max_runtime).await?;
    if let Some(warc) = &driver.shared.warc {
        let files = warc.finish()?;
        tracing::info!(files = files.len(), dir = %warc.dir().display(), "WARC files closed");
    }
    let finished_at = now_rfc3339();
    let outcome = if stopped.is_some() {
        "stopped"
    } else {
        "complete"
    };
    driver
        .store
        .finish_run(driver.run.id, outcome, &finished_at)?;
    let summary = driver.summary(stopped, finished_at, started.elapsed().as_secs_f64());
    let mut json = serde_json::to_vec_pretty(&summary).unwrap_or_default();
    json.push(b'\n');
    write_atomic(&config.summary_path(), &json)?;
    tracing::info!(
        run = summary.run_id,
        new = summary.counts.new,
        changed = summary.counts.changed,
        unchanged = summary.counts.unchanged,
        failed = summary.counts.failed,
        complete = summary.complete,
        "crawl finished"
    );
    Ok(summary)
}

impl Driver {
    fn site_index(&self, name: &str) -> Option<usize> {
        self.shared.sites.iter().position(|s| s.name() == name)
    }

    /// A new run: every site's start URLs, feeds and sitemaps.
    fn seed(&mut self) -> Result<(), CrawlError> {
        let mut items = Vec::new();
        for (index, site) in self.shared.sites.iter().enumerate() {
            let seeds = site
                .crawl
                .start_urls
                .iter()
                .map(|u| (u, Kind::Page))
                .chain(site.crawl.feeds.iter().map(|u| (u, Kind::Feed)))
                .chain(site.crawl.sitemaps.iter().map(|u| (u, Kind::Sitemap)));
            for (url, kind) in seeds {
                let Some(url) = self.shared.canonicalizer.canonical(url) else {
                    continue;
                };
                if self.frontier.mark_seen(url.as_str()) {
                    items.push(Item {
                        url,
                        site: index,
                        kind,
                        depth: 0,
                        listed: false,
                        hops: 0,
                        lastmod: None,
                    });
                }
            }
        }
        self.enqueue(items)
    }

    /// A resumed run: the stored frontier, minus sites no longer crawled.
    fn restore(&mut self) -> Result<(), CrawlError> {
        let rows = self.store.frontier()?;
        let mut queued = 0;
        for row in rows {
            self.frontier.mark_seen(&row.url);
            let (Some(site), Some(kind), Ok(url)) = (
                self.site_index(&row.site),
                Kind::parse(&row.kind),
                Url::parse(&row.url),
            ) else {
                continue;
            };
            let article = row.listed || self.shared.sites[site].is_article(&url, false);
            let _ = self.traps.check(&url, article);
            if row.state == "queued" {
                queued += 1;
                self.frontier.push(Item {
                    url,
                    site,
                    kind,
                    depth: row.depth,
                    listed: row.listed,
                    hops: row.hops,
                    lastmod: row.lastmod.as_deref().and_then(super::lastmod::parse),
                });
            } else {
                self.finished += 1;
                let counted = !matches!(
                    row.outcome.as_deref(),
                    Some("disallowed" | "skipped" | "alias")
                );
                if kind == Kind::Page && counted {
                    self.pages_started[site] += 1;
                }
            }
        }
        tracing::info!(
            run = self.run.id,
            queued,
            finished = self.finished,
            "resuming an unfinished run"
        );
        Ok(())
    }

    /// Records new items as queued in the state, then queues them: a killed
    /// run finds them again at the next start.
    fn enqueue(&mut self, items: Vec<Item>) -> Result<(), CrawlError> {
        let rows: Vec<FrontierRow> = items.iter().map(|i| self.row(i, "queued", None)).collect();
        self.store.enqueue(&rows)?;
        for item in items {
            self.frontier.push(item);
        }
        Ok(())
    }

    fn row(&self, item: &Item, state: &str, outcome: Option<&str>) -> FrontierRow {
        FrontierRow {
            url: item.url.to_string(),
            site: self.shared.sites[item.site].name().to_string(),
            kind: item.kind.as_str().to_string(),
            depth: item.depth,
            listed: item.listed,
            hops: item.hops,
            state: state.to_string(),
            outcome: outcome.map(str::to_string),
            lastmod: item.lastmod.as_ref().map(super::lastmod::format),
        }
    }

    async fn run_loop(
        &mut self,
        stop: impl Future<Output = ()> + Send,
        max_runtime: Option<std::time::Duration>,
    ) -> Result<Option<String>, CrawlError> {
        tokio::pin!(stop);
        let deadline = async {
            match max_runtime {
                Some(limit) => tokio::time::sleep(limit).await,
                None => std::future::pending().await,
            }
        };
        tokio::pin!(deadline);
        loop {
            self.dispatch()?;
            self.update_progress();
            if self.tasks.is_empty() {
                return Ok(None);
            }
            let why = tokio::select! {
                biased;
                () = &mut stop => "signal",
                () = &mut deadline => "max_runtime",
                joined = self.tasks.join_next() => {
                    match joined {
                        Some(Ok(output)) => self.handle(output)?,
                        Some(Err(error)) if error.is_cancelled() => {}
                        Some(Err(error)) => return Err(CrawlError::Task(error)),
                        None => {}
                    }
                    continue;
                }
            };
            tracing::warn!(reason = why, in_flight = self.tasks.len(), "stopping early");
            self.tasks.abort_all();
            while let Some(joined) = self.tasks.join_next().await {
                match joined {
                    Ok(output) => self.handle(output)?,
                    Err(error) if error.is_cancelled() => {}
                    Err(error) => return Err(CrawlError::Task(error)),
                }
            }
            return Ok(Some(why.to_string()));
        }
    }

    fn update_progress(&self) {
        let total = self.finished + self.frontier.queued() as u64 + self.tasks.len() as u64;
        self.progress.set_length(total);
        self.progress.set_position(self.finished);
    }

    /// Starts work on every ready host.
    fn dispatch(&mut self) -> Result<(), CrawlError> {
        while let Some(host) = self.frontier.next_ready_host() {
            match self.robots.get(&host) {
                None => self.open_host(&host)?,
                Some(HostRobots::Fetching) => {}
                Some(HostRobots::Ready(robots)) => {
                    let robots = Arc::clone(robots);
                    self.next_item(&host, &robots)?;
                }
            }
        }
        Ok(())
    }

    /// Sets the host's rate and starts its robots.txt task.
    fn open_host(&mut self, host: &str) -> Result<(), CrawlError> {
        let Some((url, site)) = self.frontier.peek(host).map(|i| (i.url.clone(), i.site)) else {
            return Ok(());
        };
        let rate = self.shared.sites[site].crawl.rate;
        self.shared.politeness.set_rate(host, rate);
        let previous = self.store.robots(host)?;
        self.robots.insert(host.to_string(), HostRobots::Fetching);
        self.frontier.set_busy(host, true);
        let task = run_robots(Arc::clone(&self.shared), host.to_string(), url, previous);
        self.tasks
            .spawn(task.map(|done| TaskOutput::Robots(Box::new(done))));
        Ok(())
    }

    /// Starts the host's next item, recording the ones that need no request on the way.
    fn next_item(&mut self, host: &str, robots: &Robots) -> Result<(), CrawlError> {
        let given_up = self.shared.politeness.is_given_up(host);
        while let Some(item) = self.frontier.pop(host) {
            if !robots.is_available() || given_up {
                self.finish_unrequested(&item, "skipped")?;
                continue;
            }
            if !robots.allows(item.url.as_str()) {
                self.finish_unrequested(&item, "disallowed")?;
                continue;
            }
            let previous = self.store.page(item.url.as_str())?;
            let now = chrono::Utc::now();
            if let Some(done) = unchanged_per_listing(&self.shared, &item, previous.as_ref(), &now)
            {
                self.handle_item(done)?;
                continue;
            }
            if item.kind == Kind::Page {
                let limit = self.shared.sites[item.site].crawl.max_pages;
                if limit.is_some_and(|max| self.pages_started[item.site] >= max) {
                    self.finish_unrequested(&item, "skipped")?;
                    continue;
                }
                self.pages_started[item.site] += 1;
            }
            self.frontier.set_busy(host, true);
            let task = run_item(Arc::clone(&self.shared), item, previous);
            self.tasks
                .spawn(task.map(|done| TaskOutput::Item(Box::new(done))));
            return Ok(());
        }
        Ok(())
    }

    fn finish_unrequested(&mut self, item: &Item, outcome: &str) -> Result<(), CrawlError> {
        self.store.complete(item.url.as_str(), outcome, None, &[])?;
        self.summary.outcome(&host_key(&item.url), outcome);
        self.finished += 1;
        tracing::debug!(url = %item.url, outcome, "not requested");
        Ok(())
    }

    fn summary(
        &mut self,
        stopped: Option<String>,
        finished_at: String,
        total: f64,
    ) -> CrawlSummary {
        let builder = std::mem::take(&mut self.summary);
        let mut hosts = builder.hosts;
        for (host, stats) in self.shared.politeness.stats() {
            hosts.entry(host).or_default().politeness = stats;
        }
        let visited = builder.counts.new
            + builder.counts.changed
            + builder.counts.unchanged
            + builder.counts.duplicate
            + builder.counts.failed
            + builder.counts.hub
            + builder.counts.listing
            + builder.counts.redirect;
        let mut summary = CrawlSummary {
            schema: SUMMARY_SCHEMA,
            run_id: self.run.id,
            resumed: self.run.resumed,
            started_at: self.run.started_at.clone(),
            finished_at,
            complete: stopped.is_none(),
            stopped,
            sites: self
                .shared
                .sites
                .iter()
                .map(|s| s.name().to_string())
                .collect(),
            counts: builder.counts,
            unchanged_per_lastmod: builder.unchanged_per_lastmod,
            hosts,
            durations: Durations {
                total_secs: total,
                fetch_secs: builder.fetch_secs,
                process_secs: builder.process_secs,
                urls_per_sec: if total > 0.0 {
                    visited as f64 / total
                } else {
                    0.0
                },
            },
            traps: builder.traps,
            stale_profiles: builder.stale.into_values().collect(),
            failures: builder.failures,
            exit_code: 0,
        };
        summary.exit_code = summary.exit_status().code();
        summary
    }
}
