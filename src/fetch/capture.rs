//! The raw capture of one HTTP exchange, for archiving: the request gleaner sent and the response as the
//! client received it, before any Content-Encoding decompression. [`Fetcher`](super::Fetcher) builds one
//! [`Capture`] per request and hands it to its [`Recorder`] (the WARC writer), which answers with a
//! [`CaptureRef`] that travels with the page to the article.
//!
//! How close this is to the wire, given what hyper keeps:
//! - the request: the request line and every header gleaner sent, in the order sent, with the header-name
//!   case that went out on HTTP/1.1 (title case); nothing else is added by the client for a GET;
//! - the response: the HTTP version, the status code and the reason phrase as received (hyper keeps a
//!   non-canonical phrase; a canonical one is the same bytes); the headers in received order, except that
//!   hyper lower-cases header names and groups repeated fields at the position of their first occurrence;
//! - the body exactly as received (still compressed), but with chunked transfer framing removed by hyper.
//!   Because the stored body is no longer chunk-framed, a `Transfer-Encoding` header is stored renamed to
//!   [`DECHUNKED_HEADER`] so that readers do not try to de-chunk it.

use std::net::IpAddr;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use url::Url;

pub use crate::article::CaptureRef;

/// The name a received `Transfer-Encoding` header is stored under (its framing was removed).
pub const DECHUNKED_HEADER: &str = "x-gleaner-orig-transfer-encoding";

/// Why a captured body is incomplete (the WARC `WARC-Truncated` reasons).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truncation {
    /// The body exceeded the size cap.
    Length,
    /// The request timed out while the body was being read.
    Time,
    /// The connection failed while the body was being read.
    Disconnect,
}

impl Truncation {
    /// The `WARC-Truncated` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Truncation::Length => "length",
            Truncation::Time => "time",
            Truncation::Disconnect => "disconnect",
        }
    }
}

/// One HTTP exchange as sent and received.
#[derive(Debug, Clone)]
pub struct Capture {
    /// The URL the request was for, as the caller sees it (a `connect_to` mapping is not visible here).
    pub url: Url,
    /// The request line's target (origin form: path and query).
    pub target: String,
    /// The headers sent, in order, names as sent.
    pub request_headers: Vec<(String, Vec<u8>)>,
    /// `HTTP/1.1`, `HTTP/1.0` or `HTTP/2`.
    pub version: &'static str,
    pub status: u16,
    /// The reason phrase as received (empty when the server sent none).
    pub reason: String,
    /// The response headers as received (lower-case names; see the module doc).
    pub headers: Vec<(String, Vec<u8>)>,
    /// The body as received, before Content-Encoding decompression.
    pub body: Vec<u8>,
    pub truncated: Option<Truncation>,
    /// The address the response came from.
    pub ip: Option<IpAddr>,
    /// When the response head arrived.
    pub fetched_at: DateTime<Utc>,
}

impl Capture {
    /// The request as an HTTP/1.1 message head: request line, headers, blank line.
    pub fn request_head(&self) -> Vec<u8> {
        let version = if self.version == "HTTP/2" {
            "HTTP/2"
        } else {
            "HTTP/1.1"
        };
        let mut out = format!("GET {} {version}\r\n", self.target).into_bytes();
        write_headers(&mut out, &self.request_headers);
        out
    }

    /// The response's status line and headers, and the blank line that ends them.
    pub fn response_head(&self) -> Vec<u8> {
        let mut out = format!("{} {}", self.version, self.status).into_bytes();
        if !self.reason.is_empty() {
            out.push(b' ');
            out.extend_from_slice(self.reason.as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        write_headers(&mut out, &self.headers);
        out
    }

    /// The first value of a response header (case-insensitive name), as text.
    pub fn header(&self, name: &str) -> Option<String> {
        header_value(&self.headers, name)
    }

    /// Whether the body holds a complete, successful (2xx) answer.
    pub fn is_complete_success(&self) -> bool {
        (200..300).contains(&self.status) && self.truncated.is_none()
    }
}

/// The first value of `name` among `headers`, lossily decoded and trimmed; `None` when absent or blank.
pub fn header_value(headers: &[(String, Vec<u8>)], name: &str) -> Option<String> {
    let (_, value) = headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name))?;
    let value = String::from_utf8_lossy(value);
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// An HTTP response head read back from an archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseHead {
    pub version: String,
    pub status: u16,
    pub reason: String,
    pub headers: Vec<(String, Vec<u8>)>,
    /// Where the body starts in the parsed bytes.
    pub body_offset: usize,
}

impl ResponseHead {
    /// Parses the status line and headers at the start of `bytes` (an `application/http` response block).
    /// Lines may end in CRLF or LF; a header line starting with whitespace continues the previous one.
    pub fn parse(bytes: &[u8]) -> Option<ResponseHead> {
        let mut lines = Vec::new();
        let mut at = 0;
        loop {
            let end = bytes[at..].iter().position(|b| *b == b'\n')? + at;
            let line = &bytes[at..end];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            at = end + 1;
            if line.is_empty() {
                break;
            }
            lines.push(line);
        }
        let (status_line, header_lines) = lines.split_first()?;
        let status_line = std::str::from_utf8(status_line).ok()?;
        let mut parts = status_line.splitn(3, ' ');
        let version = parts.next().filter(|v| v.starts_with("HTTP/"))?.to_string();
        let status = parts.next()?.trim().parse().ok()?;
        let reason = parts.next().unwrap_or_default().trim().to_string();
        let mut headers: Vec<(String, Vec<u8>)> = Vec::new();
        for line in header_lines {
            if line.first().is_some_and(|b| *b == b' ' || *b == b'\t') {
                if let Some((_, value)) = headers.last_mut() {
                    value.push(b' ');
                    value.extend_from_slice(line.trim_ascii());
                }
                continue;
            }
            let colon = line.iter().position(|b| *b == b':')?;
            let name = String::from_utf8_lossy(&line[..colon]).trim().to_string();
            headers.push((name, line[colon + 1..].trim_ascii().to_vec()));
        }
        Some(ResponseHead {
            version,
            status,
            reason,
            headers,
            body_offset: at,
        })
    }

    /// The first value of a header (case-insensitive name), as text.
    pub fn header(&self, name: &str) -> Option<String> {
        header_value(&self.headers, name)
    }
}

fn write_headers(out: &mut Vec<u8>, headers: &[(String, Vec<u8>)]) {
    for (name, value) in headers {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
}

/// An error from a [`Recorder`]; it aborts the run (an archive that silently misses exchanges is worse
/// than a stopped run).
pub type RecordError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Where captures go. Called on the blocking thread pool, once per exchange, in the order exchanges finish.
pub trait Recorder: Send + Sync + 'static {
    /// Archives one exchange and says where its response (or revisit) record is.
    fn record(&self, capture: &Capture) -> Result<CaptureRef, RecordError>;
}

/// A shared recorder.
pub type SharedRecorder = Arc<dyn Recorder>;

#[cfg(test)]
mod tests {
    use super::*;

    fn capture() -> Capture {
        Capture {
            url: Url::parse("http://example.com/a?b=1").expect("url"),
            target: "/a?b=1".into(),
            request_headers: vec![
                ("Host".into(), b"example.com".to_vec()),
                ("User-Agent".into(), b"gleaner".to_vec()),
            ],
            version: "HTTP/1.1",
            status: 200,
            reason: "Fine".into(),
            headers: vec![("content-type".into(), b" text/html ".to_vec())],
            body: b"<p>x</p>".to_vec(),
            truncated: None,
            ip: None,
            fetched_at: Utc::now(),
        }
    }

    #[test]
    fn heads_are_http_messages() {
        let c = capture();
        assert_eq!(
            c.request_head(),
            b"GET /a?b=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: gleaner\r\n\r\n"
        );
        assert_eq!(
            c.response_head(),
            b"HTTP/1.1 200 Fine\r\ncontent-type:  text/html \r\n\r\n"
        );
        assert_eq!(c.header("Content-Type").as_deref(), Some("text/html"));
        assert!(c.is_complete_success());
        let mut block = c.response_head();
        block.extend_from_slice(&c.body);
        let head = ResponseHead::parse(&block).expect("head");
        assert_eq!((head.version.as_str(), head.status), ("HTTP/1.1", 200));
        assert_eq!(head.reason, "Fine");
        assert_eq!(head.header("content-type").as_deref(), Some("text/html"));
        assert_eq!(&block[head.body_offset..], b"<p>x</p>");
        let folded = ResponseHead::parse(b"HTTP/1.0 404\nX-A: 1\n  2\n\nbody").expect("head");
        assert_eq!((folded.status, folded.reason.as_str()), (404, ""));
        assert_eq!(folded.header("x-a").as_deref(), Some("1 2"));
        assert!(ResponseHead::parse(b"GET / HTTP/1.1\r\n\r\n").is_none());
    }
}
