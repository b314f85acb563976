//! Turning a raw `ProfileSpec` into a compiled `Profile`.
//!
//! Every selector, regex, URL, host and rate is checked here, once, at load. The
//! compiler keeps going after a bad value so that `check_dir` can report every
//! problem of a file at once; each error names the field and the value.

use std::path::{Path, PathBuf};

use regex::Regex;
use scraper::Selector;
use url::Url;

use super::error::CssError;
use super::spec::{CrawlSection, OneOrMany, ProfileSpec, RemoveSpec, SelectSpec};
use super::{
    CrawlSpec, FieldRule, Profile, ProfileError, Rate, RemoveRules, SelectorRule, Selectors,
};

/// Compiles `spec` (read from `source`), returning all errors found.
pub(crate) fn compile(spec: ProfileSpec, source: &Path) -> Result<Profile, Vec<ProfileError>> {
    let mut c = Compiler {
        path: source.to_path_buf(),
        errors: Vec::new(),
    };
    if !is_valid_name(&spec.name) {
        c.errors.push(ProfileError::InvalidName {
            path: c.path.clone(),
            value: spec.name.clone(),
        });
    }
    let hosts = c.hosts(&spec.hosts);
    let article_urls = c.regexes("article_urls", &spec.article_urls);
    let select = c.selectors(&spec.select);
    let remove = c.remove(&spec.remove);
    let crawl = spec.crawl.as_ref().map(|crawl| c.crawl(crawl));

    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    Ok(Profile {
        name: spec.name,
        site_name: spec.site_name,
        hosts,
        article_urls,
        select,
        remove,
        crawl,
        source: c.path,
    })
}

/// `[a-z0-9][a-z0-9_-]*`
fn is_valid_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// Splits `"css@attr"` at the last `@`. The suffix is an attribute only if it looks
/// like an attribute name and the CSS part is non-empty; otherwise the whole string
/// is CSS (e.g. `a[href$='@example.com']`).
pub(crate) fn split_attr(value: &str) -> (&str, Option<&str>) {
    match value.rsplit_once('@') {
        Some((css, attr)) if !css.is_empty() && is_attr_name(attr) => (css, Some(attr)),
        _ => (value, None),
    }
}

/// `^[A-Za-z_:][-A-Za-z0-9_:.]*$`
fn is_attr_name(attr: &str) -> bool {
    let mut bytes = attr.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_' || b == b':')
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
}

/// Collects errors while compiling one file.
struct Compiler {
    path: PathBuf,
    errors: Vec<ProfileError>,
}

impl Compiler {
    fn hosts(&mut self, hosts: &[String]) -> Vec<String> {
        if hosts.is_empty() {
            self.errors.push(ProfileError::NoHosts {
                path: self.path.clone(),
            });
        }
        let mut out: Vec<String> = Vec::with_capacity(hosts.len());
        for (i, value) in hosts.iter().enumerate() {
            let field = format!("hosts[{i}]");
            if let Some(host) = self.host(field, value) {
                if !out.contains(&host) {
                    out.push(host);
                }
            }
        }
        out
    }

    /// Normalizes a host (lower case, IDNA to ASCII, no trailing dot); keeps a leading `*.` and a
    /// `:port` suffix (`127.0.0.2:8080`, `[::1]:8080`, `*.example.com:8443`).
    fn host(&mut self, field: String, value: &str) -> Option<String> {
        let (host, port) = match super::matching::split_port(value) {
            Some((host, Some(port))) => (host, Some(port)),
            Some((host, None)) => (host, None),
            None => {
                self.errors.push(ProfileError::InvalidHost {
                    path: self.path.clone(),
                    field,
                    value: value.to_owned(),
                    error: url::ParseError::InvalidPort,
                });
                return None;
            }
        };
        let host = self.bare_host(field, value, host)?;
        Some(match port {
            Some(port) => format!("{host}:{port}"),
            None => host,
        })
    }

    /// [`host`](Self::host) without the port.
    fn bare_host(&mut self, field: String, value: &str, host: &str) -> Option<String> {
        let (wildcard, rest) = match host.strip_prefix("*.") {
            Some(rest) => ("*.", rest),
            None => ("", host),
        };
        let bad_wildcard = || ProfileError::InvalidWildcard {
            path: self.path.clone(),
            field: field.clone(),
            value: value.to_owned(),
        };
        if rest.contains('*') {
            self.errors.push(bad_wildcard());
            return None;
        }
        match url::Host::parse(rest) {
            Ok(url::Host::Domain(domain)) => Some(format!(
                "{wildcard}{}",
                domain.strip_suffix('.').unwrap_or(&domain)
            )),
            Ok(_) if !wildcard.is_empty() => {
                self.errors.push(bad_wildcard());
                None
            }
            Ok(ip) => Some(ip.to_string()),
            Err(error) => {
                self.errors.push(ProfileError::InvalidHost {
                    path: self.path.clone(),
                    field,
                    value: value.to_owned(),
                    error,
                });
                None
            }
        }
    }

    fn regexes(&mut self, field: &str, values: &[String]) -> Vec<Regex> {
        let mut out = Vec::with_capacity(values.len());
        for (i, value) in values.iter().enumerate() {
            match Regex::new(value) {
                Ok(regex) => out.push(regex),
                Err(error) => self.errors.push(ProfileError::InvalidRegex {
                    path: self.path.clone(),
                    field: format!("{field}[{i}]"),
                    value: value.clone(),
                    error,
                }),
            }
        }
        out
    }

    fn selector(&mut self, field: &str, value: &str, css: &str) -> Option<SelectorRule> {
        match Selector::parse(css) {
            Ok(selector) => Some(SelectorRule {
                css: css.to_owned(),
                selector,
            }),
            Err(error) => {
                self.errors.push(ProfileError::InvalidSelector {
                    path: self.path.clone(),
                    field: field.to_owned(),
                    value: value.to_owned(),
                    error: CssError(error),
                });
                None
            }
        }
    }

    fn field_rules(&mut self, field: &str, values: &OneOrMany) -> Vec<FieldRule> {
        let mut out = Vec::new();
        for (field, value) in values.entries(field) {
            let (css, attr) = split_attr(value);
            if let Some(rule) = self.selector(&field, value, css) {
                out.push(FieldRule {
                    rule,
                    // HTML parsers lower-case attribute names; match them that way.
                    attr: attr.map(str::to_ascii_lowercase),
                });
            }
        }
        out
    }

    fn selectors(&mut self, select: &SelectSpec) -> Selectors {
        // Compiled in document order so errors come out in that order too.
        let title = self.field_rules("select.title", &select.title);
        let mut body = Vec::new();
        for (field, value) in select.body.entries("select.body") {
            if split_attr(value).1.is_some() {
                self.errors.push(ProfileError::AttrOnBody {
                    path: self.path.clone(),
                    field,
                    value: value.to_owned(),
                });
            } else if let Some(rule) = self.selector(&field, value, value) {
                body.push(rule);
            }
        }
        Selectors {
            title,
            body,
            authors: self.field_rules("select.authors", &select.authors),
            published: self.field_rules("select.published", &select.published),
            modified: self.field_rules("select.modified", &select.modified),
            description: self.field_rules("select.description", &select.description),
            image: self.field_rules("select.image", &select.image),
            tags: self.field_rules("select.tags", &select.tags),
        }
    }

    fn remove(&mut self, remove: &RemoveSpec) -> RemoveRules {
        let mut selectors = Vec::with_capacity(remove.selectors.len());
        for (i, value) in remove.selectors.iter().enumerate() {
            let field = format!("remove.selectors[{i}]");
            selectors.extend(self.selector(&field, value, value));
        }
        for (i, value) in remove.phrases.iter().enumerate() {
            if value.trim().is_empty() {
                self.errors.push(ProfileError::EmptyPhrase {
                    path: self.path.clone(),
                    field: format!("remove.phrases[{i}]"),
                    value: value.clone(),
                });
            }
        }
        RemoveRules {
            selectors,
            phrases: remove.phrases.clone(),
        }
    }

    fn urls(&mut self, field: &str, values: &[String]) -> Vec<Url> {
        let mut out = Vec::with_capacity(values.len());
        for (i, value) in values.iter().enumerate() {
            let field = format!("{field}[{i}]");
            match Url::parse(value) {
                Ok(url) if matches!(url.scheme(), "http" | "https") => out.push(url),
                Ok(_) => self.errors.push(ProfileError::NotHttpUrl {
                    path: self.path.clone(),
                    field,
                    value: value.clone(),
                }),
                Err(error) => self.errors.push(ProfileError::InvalidUrl {
                    path: self.path.clone(),
                    field,
                    value: value.clone(),
                    error,
                }),
            }
        }
        out
    }

    fn crawl(&mut self, crawl: &CrawlSection) -> CrawlSpec {
        let rate = match crawl.rate.as_deref().map(Rate::parse) {
            None => Rate::default(),
            Some(Ok(rate)) => rate,
            Some(Err(error)) => {
                self.errors.push(ProfileError::InvalidRate {
                    path: self.path.clone(),
                    field: "crawl.rate".to_owned(),
                    value: crawl.rate.clone().unwrap_or_default(),
                    error,
                });
                Rate::default()
            }
        };
        if crawl.max_pages == Some(0) {
            self.errors.push(ProfileError::NotPositive {
                path: self.path.clone(),
                field: "crawl.max_pages".to_owned(),
                value: "0".to_owned(),
            });
        }
        CrawlSpec {
            start_urls: self.urls("crawl.start_urls", &crawl.start_urls),
            feeds: self.urls("crawl.feeds", &crawl.feeds),
            sitemaps: self.urls("crawl.sitemaps", &crawl.sitemaps),
            follow: self.regexes("crawl.follow", &crawl.follow),
            rate,
            max_pages: crawl.max_pages,
            max_depth: crawl.max_depth,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attr_is_taken_after_the_last_at() {
        assert_eq!(split_attr("h1"), ("h1", None));
        assert_eq!(
            split_attr("meta[name=author]@content"),
            ("meta[name=author]", Some("content"))
        );
        assert_eq!(split_attr("a@b@data-x.y"), ("a@b", Some("data-x.y")));
        assert_eq!(split_attr("svg@xlink:href"), ("svg", Some("xlink:href")));
        assert_eq!(split_attr("x@_a"), ("x", Some("_a")));
    }

    #[test]
    fn odd_suffixes_stay_css() {
        // Not an attribute name after the last '@'.
        assert_eq!(
            split_attr("a[href$='@example.com']"),
            ("a[href$='@example.com']", None)
        );
        assert_eq!(split_attr("a@1x"), ("a@1x", None));
        assert_eq!(split_attr("a@-x"), ("a@-x", None));
        assert_eq!(split_attr("a@"), ("a@", None));
        // Empty CSS part.
        assert_eq!(split_attr("@content"), ("@content", None));
    }

    #[test]
    fn names() {
        for good in ["a", "0", "wp-news", "site_2", "9x"] {
            assert!(is_valid_name(good), "{good}");
        }
        for bad in ["", "-a", "_a", "Wp", "a b", "a.b", "é"] {
            assert!(!is_valid_name(bad), "{bad}");
        }
    }
}
