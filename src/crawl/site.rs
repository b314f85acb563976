//! A crawled site: one profile with a `[crawl]` section, and the scope rules derived from it.
//!
//! - **Scope**: a URL is in scope when its host (and port, for `host:port` entries) is one of the profile's
//!   `hosts`; nothing outside the site is ever queued.
//! - **Articles**: with `article_urls`, a page is an article when it matches one of them; without, the
//!   pages listed by the site's feeds and sitemaps are its articles. Every other page is a hub: its links
//!   are followed, nothing is written.
//! - **Links** found on a page are queued when in scope and matching `article_urls` or `follow`.
//! - **Listing entries** (feeds, sitemaps) are queued when in scope and, when the profile sets
//!   `article_urls`, matching them or `follow`.

use std::sync::Arc;

use url::Url;

use crate::profile::{CrawlSpec, Profile};

/// A site being crawled.
#[derive(Debug, Clone)]
pub struct Site {
    pub profile: Arc<Profile>,
    pub crawl: CrawlSpec,
}

impl Site {
    /// The site for `profile`, if it has a `[crawl]` section.
    pub fn new(profile: Arc<Profile>) -> Option<Site> {
        let crawl = profile.crawl.clone()?;
        Some(Site { profile, crawl })
    }

    pub fn name(&self) -> &str {
        &self.profile.name
    }

    pub fn in_scope(&self, url: &Url) -> bool {
        self.profile.matches_url_host(url)
    }

    /// Whether `url` is written as an article (`listed`: it came from a feed or sitemap).
    pub fn is_article(&self, url: &Url, listed: bool) -> bool {
        if self.profile.article_urls.is_empty() {
            listed
        } else {
            self.profile.matches_article_url(url)
        }
    }

    fn follows(&self, url: &Url) -> bool {
        self.crawl.follow.iter().any(|re| re.is_match(url.as_str()))
    }

    /// Whether a link found on one of the site's pages is queued.
    pub fn wants_link(&self, url: &Url) -> bool {
        self.in_scope(url) && (self.profile.matches_article_url(url) || self.follows(url))
    }

    /// Whether a feed or sitemap entry is queued.
    pub fn wants_entry(&self, url: &Url) -> bool {
        self.in_scope(url)
            && (self.profile.article_urls.is_empty()
                || self.profile.matches_article_url(url)
                || self.follows(url))
    }

    /// Whether links are extracted from a page at `depth` (they would be at `depth + 1`).
    pub fn follows_from_depth(&self, depth: u32) -> bool {
        self.crawl.max_depth.is_none_or(|max| depth < max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn site(extra: &str) -> Site {
        let text = format!(
            "name = \"s\"\nhosts = [\"127.0.0.2:8080\"]\n{extra}\n[crawl]\nstart_urls = [\"http://127.0.0.2:8080/\"]\nfollow = ['/section/']\nmax_depth = 2\n"
        );
        let profile = Profile::from_toml_str(&text, Path::new("s.toml")).expect("profile");
        Site::new(Arc::new(profile)).expect("crawl section")
    }

    fn url(s: &str) -> Url {
        Url::parse(s).expect("url")
    }

    #[test]
    fn scope_articles_and_links() {
        let s = site("article_urls = ['/story/']");
        assert!(s.in_scope(&url("http://127.0.0.2:8080/x")));
        assert!(!s.in_scope(&url("http://127.0.0.3:8080/x")));
        assert!(s.is_article(&url("http://127.0.0.2:8080/story/1"), false));
        assert!(!s.is_article(&url("http://127.0.0.2:8080/about"), true));
        assert!(s.wants_link(&url("http://127.0.0.2:8080/section/a")));
        assert!(s.wants_link(&url("http://127.0.0.2:8080/story/2")));
        assert!(!s.wants_link(&url("http://127.0.0.2:8080/about")));
        assert!(!s.wants_link(&url("http://127.0.0.9:8080/story/2")));
        assert!(!s.wants_entry(&url("http://127.0.0.2:8080/about")));
        assert!(s.follows_from_depth(1) && !s.follows_from_depth(2));

        let listed_only = site("");
        assert!(listed_only.is_article(&url("http://127.0.0.2:8080/any"), true));
        assert!(!listed_only.is_article(&url("http://127.0.0.2:8080/any"), false));
        assert!(listed_only.wants_entry(&url("http://127.0.0.2:8080/any")));
    }
}
