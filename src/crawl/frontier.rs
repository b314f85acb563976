//! The frontier: the URLs of the run still to visit, one queue per host, and every URL the run has already
//! seen (queued, done, or claimed as another page's canonical URL), so a URL is visited once per run.
//!
//! Per host, listings (sitemaps, feeds) go before pages, since they discover the most. A host is *ready*
//! when it has queued URLs and nothing in flight; the driver takes ready hosts in turn and runs at most one
//! item per host at a time (the politeness layer enforces the same for requests). The frontier is only
//! memory; the driver mirrors every change into the state's `frontier` table, which is what a resumed
//! run reloads.

use std::collections::{HashMap, HashSet, VecDeque};

use chrono::{DateTime, Utc};
use url::Url;

use crate::fetch::host_key;

/// What a frontier URL is expected to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// An HTML page: an article or a hub whose links are followed.
    Page,
    /// A sitemap or sitemap index.
    Sitemap,
    /// An RSS or Atom feed.
    Feed,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Page => "page",
            Kind::Sitemap => "sitemap",
            Kind::Feed => "feed",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "page" => Some(Kind::Page),
            "sitemap" => Some(Kind::Sitemap),
            "feed" => Some(Kind::Feed),
            _ => None,
        }
    }

    pub fn is_listing(self) -> bool {
        !matches!(self, Kind::Page)
    }
}

/// One URL to visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Canonical URL.
    pub url: Url,
    /// Index of the site (crawl profile) it is crawled for.
    pub site: usize,
    pub kind: Kind,
    /// Links followed from a start URL, feed or sitemap entry (those are depth 0).
    pub depth: u32,
    /// Listed by a feed or sitemap.
    pub listed: bool,
    /// Redirects followed to reach it.
    pub hops: u32,
    /// When the listing that named it says it last changed (see [`super::lastmod`]).
    pub lastmod: Option<DateTime<Utc>>,
}

#[derive(Debug, Default)]
struct HostQueue {
    listings: VecDeque<Item>,
    pages: VecDeque<Item>,
    busy: bool,
    in_ready: bool,
}

impl HostQueue {
    fn is_empty(&self) -> bool {
        self.listings.is_empty() && self.pages.is_empty()
    }
}

/// Queues by host, the seen set, and the hosts ready to run.
#[derive(Debug, Default)]
pub struct Frontier {
    seen: HashSet<String>,
    hosts: HashMap<String, HostQueue>,
    ready: VecDeque<String>,
    queued: usize,
}

impl Frontier {
    pub fn new() -> Frontier {
        Frontier::default()
    }

    /// Whether the run has already seen `url` (canonical form).
    pub fn has_seen(&self, url: &str) -> bool {
        self.seen.contains(url)
    }

    /// Marks `url` seen; returns false when it already was.
    pub fn mark_seen(&mut self, url: &str) -> bool {
        if self.seen.contains(url) {
            return false;
        }
        self.seen.insert(url.to_string())
    }

    /// Queues an item (mark it seen first).
    pub fn push(&mut self, item: Item) {
        let key = host_key(&item.url);
        let queue = self.hosts.entry(key.clone()).or_default();
        if item.kind.is_listing() {
            queue.listings.push_back(item);
        } else {
            queue.pages.push_back(item);
        }
        self.queued += 1;
        if !queue.busy && !queue.in_ready {
            queue.in_ready = true;
            self.ready.push_back(key);
        }
    }

    /// The next host with queued URLs and nothing in flight.
    pub fn next_ready_host(&mut self) -> Option<String> {
        while let Some(key) = self.ready.pop_front() {
            if let Some(queue) = self.hosts.get_mut(&key) {
                queue.in_ready = false;
                if !queue.busy && !queue.is_empty() {
                    return Some(key);
                }
            }
        }
        None
    }

    /// The next item of `host`, without taking it.
    pub fn peek(&self, host: &str) -> Option<&Item> {
        let queue = self.hosts.get(host)?;
        queue.listings.front().or_else(|| queue.pages.front())
    }

    /// Takes the next item of `host` (listings first).
    pub fn pop(&mut self, host: &str) -> Option<Item> {
        let queue = self.hosts.get_mut(host)?;
        let item = queue
            .listings
            .pop_front()
            .or_else(|| queue.pages.pop_front())?;
        self.queued -= 1;
        Some(item)
    }

    /// Marks `host` as running an item, or not. A host set idle with URLs left becomes ready again.
    pub fn set_busy(&mut self, host: &str, busy: bool) {
        let queue = self.hosts.entry(host.to_string()).or_default();
        queue.busy = busy;
        if !busy && !queue.is_empty() && !queue.in_ready {
            queue.in_ready = true;
            self.ready.push_back(host.to_string());
        }
    }

    /// Puts `host` back in the ready list if it has work (after the driver popped it but ran nothing).
    pub fn requeue_host(&mut self, host: &str) {
        self.set_busy(host, false);
    }

    /// Removes and returns everything queued for `host`.
    pub fn drain_host(&mut self, host: &str) -> Vec<Item> {
        let Some(queue) = self.hosts.get_mut(host) else {
            return Vec::new();
        };
        let items: Vec<Item> = queue
            .listings
            .drain(..)
            .chain(queue.pages.drain(..))
            .collect();
        self.queued -= items.len();
        items
    }

    /// URLs queued and not yet taken.
    pub fn queued(&self) -> usize {
        self.queued
    }

    /// Every host with queued URLs.
    pub fn hosts_with_work(&self) -> Vec<String> {
        self.hosts
            .iter()
            .filter(|(_, q)| !q.is_empty())
            .map(|(k, _)| k.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(url: &str, kind: Kind) -> Item {
        Item {
            url: Url::parse(url).expect("url"),
            site: 0,
            kind,
            depth: 0,
            listed: false,
            hops: 0,
            lastmod: None,
        }
    }

    #[test]
    fn hosts_take_turns_listings_first_one_at_a_time() {
        let mut f = Frontier::new();
        assert!(f.mark_seen("http://a.test/1"));
        assert!(!f.mark_seen("http://a.test/1"));
        f.push(item("http://a.test/1", Kind::Page));
        f.push(item("http://a.test/feed", Kind::Feed));
        f.push(item("http://b.test:81/1", Kind::Page));
        assert_eq!(f.queued(), 3);
        assert_eq!(f.next_ready_host().as_deref(), Some("a.test"));
        f.set_busy("a.test", true);
        assert_eq!(f.pop("a.test").map(|i| i.kind), Some(Kind::Feed));
        assert_eq!(f.next_ready_host().as_deref(), Some("b.test:81"));
        f.set_busy("b.test:81", true);
        assert!(f.pop("b.test:81").is_some());
        // a.test is busy: not ready until released.
        f.push(item("http://a.test/2", Kind::Page));
        assert_eq!(f.next_ready_host(), None);
        f.set_busy("a.test", false);
        assert_eq!(f.next_ready_host().as_deref(), Some("a.test"));
        assert_eq!(f.drain_host("a.test").len(), 2);
        assert_eq!(f.queued(), 0);
    }
}
