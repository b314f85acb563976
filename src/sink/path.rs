//! Where an article lives on disk: a deterministic, relative, portable path per URL.
//!
//! [`article_path`] maps a (canonical) URL to `<host>/<slug>-<hash>.json`. The host
//! folder groups a site's articles, the slug keeps file names readable, and the hash
//! (sha256 of the full URL) keeps different URLs apart when their slugs collide. Every
//! component is built from `[a-z0-9._-]` only, so no URL, however hostile, can name a
//! parent folder, an absolute path, a separator, a control character or a Windows
//! reserved device, and the whole path stays under [`MAX_PATH_LEN`] bytes.

use std::net::Ipv6Addr;
use std::path::PathBuf;

use sha2::{Digest, Sha256};
use url::{Host, Url};

/// Upper bound, in bytes, of any path returned by [`article_path`].
pub const MAX_PATH_LEN: usize = 200;

/// Longest host folder name, in bytes (port suffix included).
const MAX_HOST_LEN: usize = 90;
/// Longest slug, in bytes.
const MAX_SLUG_LEN: usize = 80;
/// Hex digits of the URL hash kept in the file name.
const HASH_LEN: usize = 16;
/// Host folder for URLs without a host (`file:`, `data:`, ...).
const NO_HOST: &str = "no-host";

/// Names Windows reserves for devices, with or without an extension.
const WINDOWS_RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
    "com8", "com9", "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// The relative path `<host>/<slug>-<hash>.json` an article from `url` is written to.
///
/// Deterministic: the same URL always gives the same path, and different URLs give
/// different file names (the hash covers the full URL string).
pub fn article_path(url: &Url) -> PathBuf {
    let file = format!("{}-{}.json", slug(url), url_hash(url));
    PathBuf::from(host_folder(url)).join(file)
}

/// The host folder: lower-case `[a-z0-9.-]`, `_<port>` for a non-default port,
/// [`NO_HOST`] when nothing usable is left.
fn host_folder(url: &Url) -> String {
    let host = match url.host() {
        Some(Host::Domain(domain)) => sanitize_host(domain),
        Some(Host::Ipv4(ip)) => ip.to_string(),
        Some(Host::Ipv6(ip)) => ipv6_name(ip),
        None => String::new(),
    };
    let port = url.port().map(|p| format!("_{p}")).unwrap_or_default();
    let mut host = truncate(&host, MAX_HOST_LEN - port.len())
        .trim_end_matches(['.', '-'])
        .to_owned();
    if host.is_empty() {
        host.push_str(NO_HOST);
    }
    if is_windows_reserved(&host) {
        host.insert(0, '_');
    }
    host + &port
}

/// Lower-cases a domain and maps anything outside `[a-z0-9.-]` to `-`; no leading or
/// trailing dots, so never `.`, `..` or a hidden folder.
fn sanitize_host(domain: &str) -> String {
    let mapped: String = domain
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '.' | '-' => c,
            _ => '-',
        })
        .collect();
    mapped.trim_matches('.').to_owned()
}

/// `[::1]` → `0-0-0-0-0-0-0-1`: every segment, so equal addresses give equal names.
fn ipv6_name(ip: Ipv6Addr) -> String {
    let segments: Vec<String> = ip.segments().iter().map(|s| format!("{s:x}")).collect();
    segments.join("-")
}

/// The readable part of the file name, from the decoded path and query.
fn slug(url: &Url) -> String {
    let mut raw = percent_decode(url.path());
    if let Some(query) = url.query() {
        raw.push('?');
        raw.push_str(&percent_decode(query));
    }
    let mut slug = String::with_capacity(raw.len());
    for c in raw.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = truncate(slug.trim_matches('-'), MAX_SLUG_LEN).trim_end_matches('-');
    if slug.is_empty() {
        "index".to_owned()
    } else {
        slug.to_owned()
    }
}

/// First [`HASH_LEN`] hex digits of the sha256 of the full URL string.
fn url_hash(url: &Url) -> String {
    let digest = Sha256::digest(url.as_str().as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    hex[..HASH_LEN].to_owned()
}

/// Decodes `%XX` escapes (invalid UTF-8 becomes U+FFFD); malformed escapes stay as-is.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The longest prefix of `s` of at most `max` bytes that ends on a char boundary.
fn truncate(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// `CON`, `nul.txt`, `Com1.example`: names Windows maps to devices.
fn is_windows_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name);
    WINDOWS_RESERVED
        .iter()
        .any(|r| r.eq_ignore_ascii_case(stem.trim_end_matches(' ')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(s: &str) -> String {
        let url = Url::parse(s).expect("test URL parses");
        article_path(&url).to_string_lossy().into_owned()
    }

    #[test]
    fn readable_slug_from_path() {
        let p = path("https://NewsFront.Example/2024/06/20/putin-step-back/");
        assert!(
            p.starts_with("newsfront.example/2024-06-20-putin-step-back-"),
            "{p}"
        );
        assert!(p.ends_with(".json"));
    }

    #[test]
    fn root_is_index_and_query_joins_slug() {
        assert!(path("https://a.example/").starts_with("a.example/index-"));
        assert!(path("https://a.example/list?page=2").starts_with("a.example/list-page-2-"));
    }

    #[test]
    fn percent_escapes_are_decoded_before_slugging() {
        assert!(path("https://a.example/hello%20World").starts_with("a.example/hello-world-"));
        assert_eq!(percent_decode("%2e%2E%2f%zz%4"), "../%zz%4");
    }

    #[test]
    fn ports_and_ip_literals() {
        assert!(path("http://a.example:8080/x").starts_with("a.example_8080/x-"));
        assert!(path("http://a.example:80/x").starts_with("a.example/x-"));
        assert!(path("http://[::1]:8080/a").starts_with("0-0-0-0-0-0-0-1_8080/a-"));
        assert!(path("http://127.0.0.1/a").starts_with("127.0.0.1/a-"));
    }

    #[test]
    fn reserved_and_empty_hosts() {
        assert!(path("foo://CON/x").starts_with("_con/"));
        assert!(path("foo://nul.example/x").starts_with("_nul.example/"));
        assert!(path("file:///etc/passwd").starts_with("no-host/etc-passwd-"));
        assert!(path("foo://.../x").starts_with("no-host/"));
        assert!(is_windows_reserved("LPT1"));
        assert!(!is_windows_reserved("console"));
    }

    #[test]
    fn truncation_respects_char_boundaries() {
        assert_eq!(truncate("aé", 2), "a");
        assert_eq!(truncate("abc", 10), "abc");
    }
}
