//! Which profile applies to a URL: host matching (exact or `*.` wildcard, optionally with a port) and
//! `article_urls` preference.
//!
//! A `hosts` entry without a port (`example.com`) matches that host on any port. An entry with a port
//! (`127.0.0.2:8080`, `example.com:8443`) matches only URLs whose port, explicit or the scheme's default,
//! is that port: `example.com:443` matches `https://example.com/`. Test sites and mirrors on loopback
//! addresses use the second form.

use std::sync::Arc;

use url::Url;

use super::{Profile, ProfileSet};

impl Profile {
    /// Whether `host` is one of this profile's hosts (case-insensitive). `*.example.com`
    /// matches any subdomain of `example.com`, but not `example.com` itself.
    ///
    /// Entries with a port never match here (the port is unknown); see [`matches_authority`](Self::matches_authority).
    pub fn matches_host(&self, host: &str) -> bool {
        self.matches_authority(host, None)
    }

    /// Whether `host` on `port` is one of this profile's hosts: entries without a port match any port,
    /// entries with a port match only that port.
    pub fn matches_authority(&self, host: &str, port: Option<u16>) -> bool {
        let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
        self.hosts.iter().any(|entry| {
            let Some((pattern, wanted)) = split_port(entry) else {
                return false;
            };
            if wanted.is_some() && wanted != port {
                return false;
            }
            match pattern.strip_prefix("*.") {
                Some(domain) => host
                    .strip_suffix(domain)
                    .and_then(|sub| sub.strip_suffix('.'))
                    .is_some_and(|sub| !sub.is_empty()),
                None => pattern == host,
            }
        })
    }

    /// Whether the URL's host (and port) is one of this profile's hosts.
    pub fn matches_url_host(&self, url: &Url) -> bool {
        url.host_str()
            .is_some_and(|host| self.matches_authority(host, url.port_or_known_default()))
    }

    /// Whether the URL matches one of `article_urls` (false when there are none).
    pub fn matches_article_url(&self, url: &Url) -> bool {
        self.article_urls.iter().any(|re| re.is_match(url.as_str()))
    }

    /// Whether this profile applies to `url`: its host matches and, when the profile
    /// has `article_urls`, the full URL matches one of them.
    pub fn applies_to(&self, url: &Url) -> bool {
        self.matches_url_host(url)
            && (self.article_urls.is_empty() || self.matches_article_url(url))
    }
}

/// Splits a `hosts` entry into host and port: `"a.test:8080"` → `("a.test", Some(8080))`,
/// `"[::1]:80"` → `("[::1]", Some(80))`, `"a.test"` → `("a.test", None)`. A bare IPv6 address keeps its
/// colons. `None` when the port is not a valid port number.
pub(crate) fn split_port(entry: &str) -> Option<(&str, Option<u16>)> {
    match entry.rsplit_once(':') {
        Some((host, port))
            if !port.is_empty()
                && port.bytes().all(|b| b.is_ascii_digit())
                && (!host.contains(':') || (host.starts_with('[') && host.ends_with(']'))) =>
        {
            port.parse().ok().map(|port| (host, Some(port)))
        }
        _ => Some((entry, None)),
    }
}

impl ProfileSet {
    /// The profile for `url`: among profiles whose hosts match, the first (file order)
    /// whose `article_urls` match the URL, else the first without `article_urls`.
    /// Hosts match as [`Profile::matches_url_host`] says (an entry with a port matches only that port).
    pub fn for_url(&self, url: &Url) -> Option<&Arc<Profile>> {
        let mut fallback = None;
        for profile in self.profiles().iter().filter(|p| p.matches_url_host(url)) {
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
    fn ports_in_hosts() {
        let p = profile(
            "a",
            &["127.0.0.2:8080", "Example.com:8443", "*.wild.test:81"],
        );
        assert_eq!(
            p.hosts,
            ["127.0.0.2:8080", "example.com:8443", "*.wild.test:81"]
        );
        let url = |s: &str| Url::parse(s).unwrap();
        assert!(p.matches_url_host(&url("http://127.0.0.2:8080/x")));
        assert!(!p.matches_url_host(&url("http://127.0.0.2:8081/x")));
        assert!(!p.matches_url_host(&url("http://127.0.0.2/x")));
        assert!(p.matches_url_host(&url("https://example.com:8443/")));
        assert!(p.matches_url_host(&url("http://a.wild.test:81/")));
        assert!(!p.matches_host("127.0.0.2"));
        let any_port = profile("b", &["example.org"]);
        assert!(any_port.matches_url_host(&url("http://example.org:9000/")));
        let default_port = profile("c", &["example.net:443"]);
        assert!(default_port.matches_url_host(&url("https://example.net/")));
        assert!(!default_port.matches_url_host(&url("http://example.net/")));
        let set = ProfileSet::new(vec![p, any_port]);
        assert_eq!(
            set.for_url(&url("http://127.0.0.2:8080/a"))
                .map(|p| p.name.as_str()),
            Some("a")
        );
        assert!(set.for_url(&url("http://127.0.0.2:9/a")).is_none());
    }

    #[test]
    fn bad_ports_are_errors() {
        let text = "name = \"a\"\nhosts = [\"a.test:99999\"]\n";
        let err = Profile::from_toml_str(text, Path::new("a.toml")).unwrap_err();
        assert!(err.to_string().contains("a.test:99999"), "{err}");
        assert_eq!(split_port("::1"), Some(("::1", None)));
        assert_eq!(split_port("[::1]:80"), Some(("[::1]", Some(80))));
        assert_eq!(split_port("[::1]"), Some(("[::1]", None)));
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
