//! URL canonicalization: the one form of a URL under which the frontier deduplicates, the state keys its
//! records and the article file is named.
//!
//! - scheme and host lower-cased, default ports dropped, dot segments resolved (the `url` crate's parser
//!   does these for http and https);
//! - user info and the fragment dropped;
//! - tracking parameters removed: [`DEFAULT_TRACKING_PARAMS`] plus any configured; a name ending in `*`
//!   is a prefix (`utm_*`); names compare case-insensitively;
//! - the remaining query parameters sorted by name (stable, so repeated names keep their order): a server
//!   does not care about parameter order, and sorting folds every permutation into one URL;
//! - an empty query (`?`) dropped.
//!
//! Parameters are kept byte for byte (never decoded and re-encoded), so canonicalization cannot change
//! what a server receives for the parameters that remain.

use url::Url;

/// Tracking parameters removed by default.
pub const DEFAULT_TRACKING_PARAMS: &[&str] = &[
    "utm_*",
    "fbclid",
    "gclid",
    "gclsrc",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "twclid",
    "ttclid",
    "li_fat_id",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "_gl",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "oly_anon_id",
    "oly_enc_id",
    "vero_id",
    "wickedid",
    "rb_clickid",
    "s_cid",
];

/// Canonicalizes URLs with a set of tracking parameters to strip.
#[derive(Debug, Clone)]
pub struct Canonicalizer {
    exact: Vec<String>,
    prefixes: Vec<String>,
}

impl Default for Canonicalizer {
    fn default() -> Self {
        Canonicalizer::new(&[])
    }
}

impl Canonicalizer {
    /// The default tracking parameters plus `extra` (same syntax: `name` or `prefix*`).
    pub fn new(extra: &[String]) -> Canonicalizer {
        let mut exact = Vec::new();
        let mut prefixes = Vec::new();
        let names = DEFAULT_TRACKING_PARAMS
            .iter()
            .map(|s| s.to_string())
            .chain(extra.iter().cloned());
        for name in names {
            let name = name.trim().to_ascii_lowercase();
            match name.strip_suffix('*') {
                Some(prefix) if !prefix.is_empty() => prefixes.push(prefix.to_string()),
                Some(_) => {}
                None if !name.is_empty() => exact.push(name),
                None => {}
            }
        }
        Canonicalizer { exact, prefixes }
    }

    /// The canonical form of `url`, or `None` for a URL the crawler cannot fetch (not http or https, or
    /// without a host).
    pub fn canonical(&self, url: &Url) -> Option<Url> {
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
            return None;
        }
        let mut out = url.clone();
        out.set_fragment(None);
        // Both only fail for URLs that cannot have credentials, which http(s) URLs with a host can.
        let _ = out.set_username("");
        let _ = out.set_password(None);
        let query = url.query().map(|query| self.clean_query(query));
        out.set_query(query.as_deref().filter(|q| !q.is_empty()));
        Some(out)
    }

    /// Parses `raw` (relative to `base` when given) and canonicalizes it.
    pub fn parse(&self, raw: &str, base: Option<&Url>) -> Option<Url> {
        let raw = raw.trim();
        let url = match base {
            Some(base) => base.join(raw).ok()?,
            None => Url::parse(raw).ok()?,
        };
        self.canonical(&url)
    }

    fn clean_query(&self, query: &str) -> String {
        let mut pairs: Vec<(String, &str)> = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let raw_name = pair.split('=').next().unwrap_or_default();
                (decode_name(raw_name), pair)
            })
            .filter(|(name, _)| !self.is_tracking(name))
            .collect();
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        pairs
            .iter()
            .map(|(_, pair)| *pair)
            .collect::<Vec<_>>()
            .join("&")
    }

    fn is_tracking(&self, name: &str) -> bool {
        let name = name.to_ascii_lowercase();
        self.exact.contains(&name) || self.prefixes.iter().any(|p| name.starts_with(p.as_str()))
    }
}

/// A query parameter name, percent- and plus-decoded, for matching and sorting.
fn decode_name(raw: &str) -> String {
    url::form_urlencoded::parse(raw.as_bytes())
        .next()
        .map(|(name, _)| name.into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        Canonicalizer::default()
            .canonical(&Url::parse(s).expect("url"))
            .map(|u| u.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn case_ports_fragments_and_credentials() {
        assert_eq!(
            canon("HTTP://Example.COM:80/a/../b#top"),
            "http://example.com/b"
        );
        assert_eq!(canon("https://example.com:443/"), "https://example.com/");
        assert_eq!(
            canon("http://example.com:8080/x"),
            "http://example.com:8080/x"
        );
        assert_eq!(
            canon("http://user:pw@example.com/x"),
            "http://example.com/x"
        );
        assert_eq!(canon("http://example.com"), "http://example.com/");
        assert_eq!(canon("ftp://example.com/x"), "");
        assert_eq!(canon("mailto:a@example.com"), "");
    }

    #[test]
    fn tracking_parameters_go_and_the_rest_is_sorted() {
        assert_eq!(
            canon("http://a.test/p?utm_source=x&b=2&UTM_Medium=y&a=1&fbclid=z&gclid=q#f"),
            "http://a.test/p?a=1&b=2"
        );
        assert_eq!(canon("http://a.test/p?utm_source=x"), "http://a.test/p");
        assert_eq!(canon("http://a.test/p?"), "http://a.test/p");
        assert_eq!(
            canon("http://a.test/p?tag=b&tag=a&page=2"),
            "http://a.test/p?page=2&tag=b&tag=a"
        );
        // Values are kept byte for byte.
        assert_eq!(
            canon("http://a.test/s?q=a+b%20c&x=%2F"),
            "http://a.test/s?q=a+b%20c&x=%2F"
        );
    }

    #[test]
    fn extra_parameters_are_configurable() {
        let c = Canonicalizer::new(&["ref".into(), "sess*".into()]);
        let url = Url::parse("http://a.test/?ref=home&session_id=9&id=3").expect("url");
        assert_eq!(
            c.canonical(&url).expect("canonical").as_str(),
            "http://a.test/?id=3"
        );
        assert_eq!(
            c.parse(
                "../b?utm_x=1",
                Url::parse("http://a.test/x/y").ok().as_ref()
            )
            .expect("parsed")
            .as_str(),
            "http://a.test/b"
        );
    }
}
