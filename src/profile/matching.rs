//! Which profile applies to a URL: host matching (exact or `*.` wildcard) and
//! `article_urls` preference.

use std::sync::Arc;

use url::Url;

use super::{Profile, ProfileSet};

impl Profile {
    /// Whether `host` is one of this profile's hosts (case-insensitive). `*.example.com`
    /// matches any subdomain of `example.com`, but not `example.com` itself.
    pub fn matches_host(&self, host: &str) -> bool {
        let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
        self.hosts
            .iter()
            .any(|pattern| match pattern.strip_prefix("*.") {
                Some(domain) => host
                    .strip_suffix(domain)
                    .and_then(|sub| sub.strip_suffix('.'))
                    .is_some_and(|sub| !sub.is_empty()),
                None => *pattern == host,
            })
    }

    /// Whether the URL matches one of `article_urls` (false when there are none).
    pub fn matches_article_url(&self, url: &Url) -> bool {
        self.article_urls.iter().any(|re| re.is_match(url.as_str()))
    }

    /// Whether this profile applies to `url`: its host matches and, when the profile
    /// has `article_urls`, the full URL matches one of them.
    pub fn applies_to(&self, url: &Url) -> bool {
        url.host_str().is_some_and(|host| self.matches_host(host))
            && (self.article_urls.is_empty() || self.matches_article_url(url))
    }
}

impl ProfileSet {
    /// The profile for `url`: among profiles whose hosts match, the first (file order)
    /// whose `article_urls` match the URL, else the first without `article_urls`.
    pub fn for_url(&self, url: &Url) -> Option<&Arc<Profile>> {
        let host = url.host_str()?;
        let mut fallback = None;
        for profile in self.profiles().iter().filter(|p| p.matches_host(host)) {
            if profile.article_urls.is_empty() {
                fallback = fallback.or(Some(profile));
            } else if profile.matches_article_url(url) {
                return Some(profile);
            }
        }
        fallback
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn profile(name: &str, hosts: &[&str]) -> Profile {
        let hosts = hosts
            .iter()
            .map(|h| format!("{h:?}"))
            .collect::<Vec<_>>()
            .join(", ");
        let text = format!("name = {name:?}\nhosts = [{hosts}]\n");
        Profile::from_toml_str(&text, Path::new("test.toml")).unwrap()
    }

    #[test]
    fn exact_hosts_ignore_case_and_trailing_dot() {
        let p = profile("a", &["Example.COM"]);
        assert!(p.matches_host("example.com"));
        assert!(p.matches_host("EXAMPLE.com"));
        assert!(p.matches_host("example.com."));
        assert!(!p.matches_host("www.example.com"));
        assert!(!p.matches_host("example.co"));
        assert!(!p.matches_host("notexample.com"));
    }

    #[test]
    fn wildcards_match_subdomains_only() {
        let p = profile("a", &["*.example.com"]);
        assert!(p.matches_host("www.example.com"));
        assert!(p.matches_host("a.b.example.com"));
        assert!(!p.matches_host("example.com"));
        assert!(!p.matches_host(".example.com"));
        assert!(!p.matches_host("badexample.com"));
    }

    #[test]
    fn applies_to_checks_article_urls() {
        let text =
            "name = \"a\"\nhosts = [\"x.test\"]\narticle_urls = ['^https://x\\.test/\\d{4}/']\n";
        let p = Profile::from_toml_str(text, Path::new("a.toml")).unwrap();
        assert!(p.applies_to(&Url::parse("https://x.test/2024/a").unwrap()));
        assert!(!p.applies_to(&Url::parse("https://x.test/about").unwrap()));
        assert!(!p.applies_to(&Url::parse("https://y.test/2024/a").unwrap()));
        assert!(profile("b", &["x.test"]).applies_to(&Url::parse("http://X.TEST/any").unwrap()));
    }
}
