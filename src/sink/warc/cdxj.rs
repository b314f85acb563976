//! The CDXJ index written beside each WARC file, in the style pywb reads: one line per response or
//! revisit record, `<SURT key> <14-digit timestamp> <JSON>`, the JSON holding `url`, `mime`, `status`,
//! `digest`, `length`, `offset` and `filename` (numbers as strings, as pywb writes them). Lines are sorted
//! byte-wise, so the file can be binary-searched and merged with other indexes.
//!
//! The SURT key follows the usual archive canonicalization: scheme, user info and fragment dropped; host
//! lower-cased, a leading `www.` (or `www2.` …) removed, labels reversed and joined by commas (IP
//! addresses are kept as they are); a non-default port kept as `:port`; then `)`, the path and query
//! lower-cased, with the query parameters sorted. `digest` is the payload digest without its `sha1:`
//! prefix, as pywb writes it.

use serde::{Deserialize, Serialize};
use url::{Host, Url};

use super::reader::Entry;
use crate::fetch::ResponseHead;

/// One index line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CdxjLine {
    pub key: String,
    /// `YYYYMMDDhhmmss`.
    pub timestamp: String,
    pub fields: CdxjFields,
}

/// The JSON part of a line, in pywb's field order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CdxjFields {
    pub url: String,
    pub mime: String,
    pub status: String,
    pub digest: String,
    pub length: String,
    pub offset: String,
    pub filename: String,
}

impl CdxjLine {
    /// The line for a record of `url` captured at `warc_date` (`YYYY-MM-DDThh:mm:ssZ`).
    pub fn new(url: &Url, warc_date: &str, fields: CdxjFields) -> CdxjLine {
        CdxjLine {
            key: surt(url),
            timestamp: warc_date.chars().filter(char::is_ascii_digit).collect(),
            fields,
        }
    }

    /// The line as written (no newline).
    pub fn render(&self) -> String {
        let json = serde_json::to_string(&self.fields).unwrap_or_else(|_| "{}".into());
        format!("{} {} {json}", self.key, self.timestamp)
    }

    /// Parses a line written by [`render`](Self::render) (or by pywb).
    pub fn parse(line: &str) -> Option<CdxjLine> {
        let (key, rest) = line.split_once(' ')?;
        let (timestamp, json) = rest.split_once(' ')?;
        Some(CdxjLine {
            key: key.to_string(),
            timestamp: timestamp.to_string(),
            fields: serde_json::from_str(json).ok()?,
        })
    }

    /// The timestamp as a `WARC-Date`.
    pub fn warc_date(&self) -> Option<String> {
        timestamp_date(&self.timestamp)
    }
}

/// A 14-digit CDXJ timestamp as a `WARC-Date`.
pub(super) fn timestamp_date(t: &str) -> Option<String> {
    (t.len() == 14 && t.bytes().all(|b| b.is_ascii_digit())).then(|| {
        format!(
            "{}-{}-{}T{}:{}:{}Z",
            &t[0..4],
            &t[4..6],
            &t[6..8],
            &t[8..10],
            &t[10..12],
            &t[12..14]
        )
    })
}

/// The index file's text: the lines sorted byte-wise, one per line.
pub fn render_sorted(lines: &[CdxjLine]) -> String {
    let mut rendered: Vec<String> = lines.iter().map(CdxjLine::render).collect();
    rendered.sort();
    let mut out = rendered.join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// The index line of a stored response or revisit record (`None` for other records).
pub fn index_line(entry: &Entry, filename: &str) -> Option<CdxjLine> {
    let record = &entry.record;
    let warc_type = record.warc_type();
    if warc_type != "response" && warc_type != "revisit" {
        return None;
    }
    let uri = record.get("WARC-Target-URI")?;
    let url = Url::parse(uri.trim_start_matches('<').trim_end_matches('>')).ok()?;
    let head = ResponseHead::parse(&record.block);
    let mime = if warc_type == "revisit" {
        "warc/revisit".to_string()
    } else {
        mime_of(head.as_ref().and_then(|h| h.header("content-type")))
    };
    Some(CdxjLine::new(
        &url,
        record.get("WARC-Date")?,
        CdxjFields {
            url: url.to_string(),
            mime,
            status: head.map_or("-".into(), |h| h.status.to_string()),
            digest: record
                .get("WARC-Payload-Digest")
                .unwrap_or("-")
                .trim_start_matches("sha1:")
                .to_string(),
            length: entry.length.to_string(),
            offset: entry.offset.to_string(),
            filename: filename.to_string(),
        },
    ))
}

/// The media type of a `Content-Type` value, lower-cased (`unk` when there is none).
pub(super) fn mime_of(content_type: Option<String>) -> String {
    content_type
        .and_then(|ct| {
            let essence = ct.split(';').next()?.trim().to_ascii_lowercase();
            (!essence.is_empty()).then_some(essence)
        })
        .unwrap_or_else(|| "unk".to_string())
}

/// The SURT form of `url` (see the module doc).
pub fn surt(url: &Url) -> String {
    let host = match url.host() {
        Some(Host::Domain(domain)) => {
            let domain = domain.trim_end_matches('.').to_ascii_lowercase();
            let domain = strip_www(&domain);
            let mut labels: Vec<&str> = domain.split('.').collect();
            labels.reverse();
            labels.join(",")
        }
        Some(Host::Ipv4(ip)) => ip.to_string(),
        Some(Host::Ipv6(ip)) => format!("[{ip}]"),
        None => String::new(),
    };
    let mut key = host;
    if let Some(port) = url.port() {
        key.push_str(&format!(":{port}"));
    }
    key.push(')');
    key.push_str(&url.path().to_lowercase());
    if let Some(query) = url.query().filter(|q| !q.is_empty()) {
        let mut params: Vec<String> = query.split('&').map(str::to_lowercase).collect();
        params.sort();
        key.push('?');
        key.push_str(&params.join("&"));
    }
    key
}

/// `www.example.com` → `example.com` (also `www2.` and the like), unless nothing would be left.
fn strip_www(domain: &str) -> &str {
    if let Some((first, rest)) = domain.split_once('.') {
        let digits = first.strip_prefix("www").unwrap_or("x");
        if digits.bytes().all(|b| b.is_ascii_digit()) && rest.contains('.') {
            return rest;
        }
    }
    domain
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> String {
        surt(&Url::parse(s).expect("url"))
    }

    #[test]
    fn surt_keys() {
        assert_eq!(key("http://www.Example.com/"), "com,example)/");
        assert_eq!(
            key("https://news.example.co.uk/A/b?z=1&a=2#f"),
            "uk,co,example,news)/a/b?a=2&z=1"
        );
        assert_eq!(
            key("http://127.0.0.2:8080/story/1"),
            "127.0.0.2:8080)/story/1"
        );
        assert_eq!(key("http://www2.example.org:81/x"), "org,example:81)/x");
        assert_eq!(key("http://www.com/"), "com,www)/");
        assert_eq!(key("http://[::1]:8000/"), "[::1]:8000)/");
    }

    #[test]
    fn lines_render_parse_and_sort() {
        let line = CdxjLine::new(
            &Url::parse("http://example.com/b").expect("url"),
            "2026-11-24T18:00:05Z",
            CdxjFields {
                url: "http://example.com/b".into(),
                mime: "text/html".into(),
                status: "200".into(),
                digest: "ABC".into(),
                length: "120".into(),
                offset: "0".into(),
                filename: "f.warc.gz".into(),
            },
        );
        assert_eq!(
            line.render(),
            "com,example)/b 20261124180005 {\"url\":\"http://example.com/b\",\"mime\":\"text/html\",\
             \"status\":\"200\",\"digest\":\"ABC\",\"length\":\"120\",\"offset\":\"0\",\"filename\":\"f.warc.gz\"}"
        );
        assert_eq!(CdxjLine::parse(&line.render()), Some(line.clone()));
        assert_eq!(line.warc_date().as_deref(), Some("2026-11-24T18:00:05Z"));
        let mut a = line.clone();
        a.key = "com,example)/a".into();
        let text = render_sorted(&[line, a]);
        assert!(text.starts_with("com,example)/a "), "{text}");
        assert_eq!(text.lines().count(), 2);
    }
}
