//! What the driver does with a finished task: record it in the state (one transaction per URL, with
//! the URLs it discovered), queue the new URLs that pass scope, depth, the trap guards and the seen set,
//! and count it for the summary.

use std::sync::Arc;

use url::Url;

use super::{Driver, HostRobots, TaskOutput};
use crate::crawl::CrawlError;
use crate::crawl::discovery::Entry;
use crate::crawl::frontier::{Item, Kind};
use crate::crawl::robots_task::RobotsDone;
use crate::crawl::worker::{Done, ItemResult};
use crate::fetch::host_key;
use crate::report::Failure;
use crate::store::{FrontierRow, PageRecord};

impl Driver {
    pub(super) fn handle(&mut self, output: TaskOutput) -> Result<(), CrawlError> {
        match output {
            TaskOutput::Robots(done) => self.handle_robots(*done),
            TaskOutput::Item(done) => self.handle_item(*done),
        }
    }

    fn handle_robots(&mut self, done: RobotsDone) -> Result<(), CrawlError> {
        let RobotsDone {
            host,
            robots,
            record,
            age_secs,
            failure,
            fatal,
        } = done;
        if let Some(error) = fatal {
            return Err(CrawlError::Archive(Box::new(error)));
        }
        if let Some(record) = &record {
            self.store.save_robots(record)?;
        }
        let entry = self.summary.hosts.entry(host.clone()).or_default();
        entry.robots = Some(robots.kind().to_string());
        entry.robots_age_secs = age_secs;
        if let Some(delay) = robots.crawl_delay() {
            let applied = self.shared.politeness.set_crawl_delay(&host, delay);
            tracing::info!(
                host,
                crawl_delay = applied.as_secs_f64(),
                "honouring Crawl-delay"
            );
        }
        if let Some((reason, message)) = failure {
            tracing::warn!(host, reason, error = %message, "host unavailable this run");
            self.summary.outcome(&host, "failed");
            self.summary.failure(Failure {
                url: format!("robots.txt of {host}"),
                reason,
                message,
            });
        }
        let mut items = Vec::new();
        for sitemap in robots.sitemaps() {
            let Some(url) = self.shared.canonicalizer.parse(sitemap, None) else {
                continue;
            };
            let Some(site) = self.shared.sites.iter().position(|s| s.in_scope(&url)) else {
                continue;
            };
            if self.frontier.mark_seen(url.as_str()) {
                items.push(Item {
                    url,
                    site,
                    kind: Kind::Sitemap,
                    depth: 0,
                    listed: false,
                    hops: 0,
                    lastmod: None,
                });
            }
        }
        self.enqueue(items)?;
        self.robots
            .insert(host.clone(), HostRobots::Ready(Arc::new(robots)));
        self.frontier.set_busy(&host, false);
        Ok(())
    }

    pub(super) fn handle_item(&mut self, done: Done) -> Result<(), CrawlError> {
        let Done {
            item,
            result,
            not_modified,
            requested,
            fetch_time,
            process_time,
        } = done;
        let host = host_key(&item.url);
        self.frontier.set_busy(&host, false);
        self.summary.fetch_secs += fetch_time.as_secs_f64();
        self.summary.process_secs += process_time.as_secs_f64();
        let mut children = Vec::new();
        let mut aliases = Vec::new();
        let mut failure = None;
        let (outcome, record): (&str, Option<PageRecord>) = match result {
            ItemResult::Article {
                outcome,
                record,
                links,
                canonical,
                warnings,
            } => {
                if let Some((profile, warnings)) = warnings {
                    self.summary.selectors(&profile, &warnings);
                }
                children = self.link_children(&item, &links);
                if let Some(canonical) = canonical {
                    if self.shared.sites[item.site].in_scope(&canonical)
                        && self.frontier.mark_seen(canonical.as_str())
                    {
                        let alias = Item {
                            url: canonical,
                            ..item.clone()
                        };
                        aliases.push(self.row(&alias, "done", Some("alias")));
                    }
                }
                (outcome.as_str(), Some(record))
            }
            ItemResult::Hub { record, links } => {
                children = self.link_children(&item, &links);
                ("hub", Some(record))
            }
            ItemResult::Listing {
                record,
                sitemaps,
                pages,
            } => {
                children = self.listing_children(&item, sitemaps, pages);
                ("listing", Some(record))
            }
            ItemResult::Redirect { record, target } => {
                match self.redirect_child(&item, &target) {
                    Ok(child) => children.extend(child),
                    Err(message) => {
                        failure = Some(Failure {
                            url: item.url.to_string(),
                            reason: "too_many_redirects".into(),
                            message,
                        });
                    }
                }
                let outcome = if failure.is_some() {
                    "failed"
                } else {
                    "redirect"
                };
                (outcome, record)
            }
            ItemResult::Failed {
                reason,
                message,
                record,
            } => {
                failure = Some(Failure {
                    url: item.url.to_string(),
                    reason,
                    message,
                });
                ("failed", Some(record))
            }
            ItemResult::Output(error) => return Err(error),
        };
        let mut rows: Vec<FrontierRow> = children
            .iter()
            .map(|c| self.row(c, "queued", None))
            .collect();
        rows.extend(aliases);
        self.store
            .complete(item.url.as_str(), outcome, record.as_ref(), &rows)?;
        for child in children {
            self.frontier.push(child);
        }
        self.summary.outcome(&host, outcome);
        if !requested {
            self.summary.unchanged_per_lastmod += 1;
        }
        self.finished += 1;
        let status = record.as_ref().and_then(|r| r.status);
        match failure {
            Some(failure) => {
                tracing::warn!(url = %item.url, reason = %failure.reason, error = %failure.message, "failed");
                self.progress
                    .set_message(format!("failed: {}", failure.url));
                self.summary.failure(failure);
            }
            None => {
                tracing::info!(url = %item.url, outcome, status, not_modified, requested, "visited");
            }
        }
        Ok(())
    }

    /// New URLs among a page's links, one level deeper.
    fn link_children(&mut self, item: &Item, links: &[Url]) -> Vec<Item> {
        let site = &self.shared.sites[item.site];
        if !site.follows_from_depth(item.depth) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for link in links {
            if self.frontier.has_seen(link.as_str()) {
                continue;
            }
            let article = site.is_article(link, false);
            self.frontier.mark_seen(link.as_str());
            if let Err(trap) = self.traps.check(link, article) {
                self.summary.trap(trap.as_str());
                tracing::debug!(url = %link, trap = trap.as_str(), "trap guard");
                continue;
            }
            out.push(Item {
                url: link.clone(),
                site: item.site,
                kind: Kind::Page,
                depth: item.depth + 1,
                listed: false,
                hops: 0,
                lastmod: None,
            });
        }
        out
    }

    /// New URLs among a listing's entries: child sitemaps, and pages (listed, so exempt from the
    /// trap budgets).
    fn listing_children(
        &mut self,
        item: &Item,
        sitemaps: Vec<Entry>,
        pages: Vec<Entry>,
    ) -> Vec<Item> {
        let entries = sitemaps
            .into_iter()
            .map(|e| (e, Kind::Sitemap))
            .chain(pages.into_iter().map(|e| (e, Kind::Page)));
        let mut out = Vec::new();
        for (Entry { url, lastmod }, kind) in entries {
            if !self.frontier.mark_seen(url.as_str()) {
                continue;
            }
            if let Err(trap) = self.traps.check(&url, true) {
                self.summary.trap(trap.as_str());
                continue;
            }
            out.push(Item {
                url,
                site: item.site,
                kind,
                depth: 0,
                listed: kind == Kind::Page,
                hops: 0,
                lastmod,
            });
        }
        out
    }

    /// The redirect target as a new item (same kind, depth and listing), if new and in scope.
    fn redirect_child(&mut self, item: &Item, target: &Url) -> Result<Option<Item>, String> {
        if item.hops + 1 > self.max_redirects {
            return Err(format!(
                "{}: more than {} redirects",
                item.url, self.max_redirects
            ));
        }
        let Some(target) = self.shared.canonicalizer.canonical(target) else {
            return Ok(None);
        };
        let site = &self.shared.sites[item.site];
        if !site.in_scope(&target) || !self.frontier.mark_seen(target.as_str()) {
            tracing::debug!(from = %item.url, to = %target, "redirect target out of scope or seen");
            return Ok(None);
        }
        let article = item.listed || site.is_article(&target, false);
        if let Err(trap) = self.traps.check(&target, article) {
            self.summary.trap(trap.as_str());
            return Ok(None);
        }
        Ok(Some(Item {
            url: target,
            hops: item.hops + 1,
            ..item.clone()
        }))
    }
}
