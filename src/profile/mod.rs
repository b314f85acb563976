//! Site profiles: per-site CSS selectors and removal rules, compiled once at load.
//!
//! A profile is data (`site-profiles/*.toml`); this module owns reading it,
//! validating every selector and regex up front (errors name the file, the field
//! and the value), and matching a URL to the profile that applies.
//!
//! - `spec`: the raw TOML structs (unknown keys rejected);
//! - `compile`: spec → `Profile`, every selector, regex, URL, host and rate checked;
//! - `rate`: the `"1/5s"` rate syntax;
//! - `matching`: URL → profile;
//! - `set`: loading and checking a folder, cross-file rules;
//! - `error`: `ProfileError`.
//!
//! # File format
//!
//! ```toml
//! name = "wp-news"            # required, unique, [a-z0-9][a-z0-9_-]*
//! site_name = "Newsfront"     # optional display name
//! hosts = ["newsfront.example", "*.cdn.example", "127.0.0.2:8080"]   # required; "*." = any subdomain; ":port" = that port only
//! article_urls = ['^https://newsfront\.example/\d{4}/']   # optional regexes
//!
//! [select]                    # each: a string or an array, tried in order
//! title = "h1.entry-title"
//! body = "div.entry-content"  # plain CSS only
//! authors = [".author-name", "meta[name=author]@content"]   # "css@attr" takes an attribute
//! # also: published, modified, description, image, tags
//!
//! [remove]
//! selectors = [".breadcrumbs", "#comments"]
//! phrases = ["You may also like"]   # non-blank
//!
//! [crawl]                     # optional
//! start_urls = ["https://newsfront.example/"]   # also feeds, sitemaps: absolute http(s)
//! follow = ['^https://newsfront\.example/category/']
//! rate = "1/5s"               # "<N>/s|m|h" or "<N>/<k>s|m|h"; default "1/s"
//! max_pages = 1000            # optional, >= 1
//! max_depth = 5               # optional
//! ```
//!
//! `"css@attr"` splits at the last `@`: the suffix is an attribute only if it looks like
//! an attribute name (`[A-Za-z_:][-A-Za-z0-9_:.]*`) and the CSS part is non-empty.
//! Two profiles may claim the same host only if both set `article_urls`; for a URL,
//! the first profile (file order) whose `article_urls` match wins, else the first
//! without `article_urls` ([`ProfileSet::for_url`]).

mod compile;
mod error;
mod matching;
mod rate;
mod set;
mod spec;

use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use regex::Regex;
use scraper::Selector;
use url::Url;

pub use error::{CssError, ProfileError};
pub use rate::RateError;

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

impl Profile {
    /// Reads a profile from TOML text; `source` is the file it came from (used in
    /// errors and kept in `Profile::source`). Returns the first error.
    pub fn from_toml_str(text: &str, source: &Path) -> Result<Profile, ProfileError> {
        // `check_toml_str` never returns an empty error list.
        Profile::check_toml_str(text, source).map_err(|mut errors| errors.swap_remove(0))
    }

    /// Like [`Profile::from_toml_str`], but returns every error of the file
    /// (never an empty list).
    pub fn check_toml_str(text: &str, source: &Path) -> Result<Profile, Vec<ProfileError>> {
        let spec = toml::from_str::<spec::ProfileSpec>(text)
            .map_err(|error| vec![ProfileError::toml(source, text, error)])?;
        compile::compile(spec, source)
    }
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
