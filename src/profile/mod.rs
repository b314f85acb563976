//! Site profiles: per-site CSS selectors and removal rules, compiled once at load.
//!
//! A profile is data (`site-profiles/*.toml`); this module owns reading it,
//! validating every selector and regex up front (errors name the file, the field
//! and the value), and matching a URL to the profile that applies.

use std::num::NonZeroU32;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use regex::Regex;
use scraper::Selector;
use url::Url;

/// A compiled site profile.
#[derive(Debug, Clone)]
pub struct Profile {
    /// Unique profile name (`name`).
    pub name: String,
    /// Display name of the site (`site_name`), used for `site.name` and to strip title suffixes.
    pub site_name: Option<String>,
    /// Lower-case hosts this profile applies to; `*.example.com` matches any subdomain.
    pub hosts: Vec<String>,
    /// When non-empty, the profile applies only to URLs matching one of these.
    pub article_urls: Vec<Regex>,
    pub select: Selectors,
    pub remove: RemoveRules,
    pub crawl: Option<CrawlSpec>,
    /// The file the profile was read from (`<builtin>` for the default).
    pub source: PathBuf,
}

/// `[select]`: where the article's parts are. Each list is tried in order; the first
/// rule that yields a non-empty value wins (for `body`, all matches of that selector).
#[derive(Debug, Clone, Default)]
pub struct Selectors {
    pub title: Vec<FieldRule>,
    pub body: Vec<SelectorRule>,
    pub authors: Vec<FieldRule>,
    pub published: Vec<FieldRule>,
    pub modified: Vec<FieldRule>,
    pub description: Vec<FieldRule>,
    pub image: Vec<FieldRule>,
    pub tags: Vec<FieldRule>,
}

/// A compiled CSS selector with its source text.
#[derive(Debug, Clone)]
pub struct SelectorRule {
    pub css: String,
    pub selector: Selector,
}

/// `"css"` takes the element's text, `"css@attr"` takes an attribute.
#[derive(Debug, Clone)]
pub struct FieldRule {
    pub rule: SelectorRule,
    pub attr: Option<String>,
}

/// `[remove]`: boilerplate inside the body.
#[derive(Debug, Clone, Default)]
pub struct RemoveRules {
    /// Elements matching these are dropped with their subtree.
    pub selectors: Vec<SelectorRule>,
    /// A short block whose text starts with one of these (case-insensitive) is
    /// dropped together with the rest of its section.
    pub phrases: Vec<String>,
}

/// `[crawl]`: how to discover the site's articles.
#[derive(Debug, Clone)]
pub struct CrawlSpec {
    pub start_urls: Vec<Url>,
    pub feeds: Vec<Url>,
    pub sitemaps: Vec<Url>,
    pub follow: Vec<Regex>,
    pub rate: Rate,
    pub max_pages: Option<u32>,
    pub max_depth: Option<u32>,
}

/// A request rate: `requests` per `per`, written `"2/s"`, `"30/m"`, `"1/5s"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub requests: NonZeroU32,
    pub per: Duration,
}

/// All loaded profiles.
#[derive(Debug, Clone, Default)]
pub struct ProfileSet {
    profiles: Vec<Arc<Profile>>,
}

impl ProfileSet {
    pub fn new(profiles: Vec<Profile>) -> Self {
        ProfileSet {
            profiles: profiles.into_iter().map(Arc::new).collect(),
        }
    }

    pub fn profiles(&self) -> &[Arc<Profile>] {
        &self.profiles
    }
}
