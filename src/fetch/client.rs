//! The HTTP client: a [`Fetcher`] turns one URL into a decoded HTML [`Page`] or a classified [`FetchError`].
//! It owns the reqwest setup (rustls, automatic gzip/brotli/deflate, timeouts, no system proxy, the
//! redirect policy, `connect_to` mapping) and the order of checks on a response: status, content type,
//! size cap, charset. Politeness (rate limits, robots, retries) is the caller's job.
//!
//! [`Fetcher::fetch`] is the one-shot path used by `ingest`. The crawler uses [`Fetcher::get`]
//! (in `exchange.rs`) instead: any status, conditional headers, and redirects left to the caller.

use std::net::SocketAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use encoding_rs::Encoding;
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use url::Url;

use super::body::{is_html_content_type, read_capped, sniffs_as_html};
use super::charset::{CharsetSource, decode_html};
use super::connect_to::ConnectTo;
use super::error::FetchError;
use super::redirect;

/// What the fetcher asks for.
const ACCEPT_HTML: &str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1";

/// How the fetcher talks to servers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchConfig {
    pub user_agent: String,
    /// Limit for establishing the TCP (and TLS) connection.
    pub connect_timeout: Duration,
    /// Limit for the whole fetch: connecting, every redirect and reading the body.
    pub timeout: Duration,
    /// Largest body accepted, counted after decompression.
    pub max_body_bytes: u64,
    pub max_redirects: usize,
    /// Whether the client follows redirects itself (up to `max_redirects`). The crawler turns this off
    /// and schedules each redirect target like any other URL, so a redirect hop is rate-limited too.
    pub follow_redirects: bool,
    /// `(host, address)`: requests for `host` go over plain HTTP to `address`, keeping the `Host` header.
    pub connect_to: Vec<(String, SocketAddr)>,
}

impl Default for FetchConfig {
    fn default() -> FetchConfig {
        FetchConfig {
            user_agent: concat!(
                "gleaner/",
                env!("CARGO_PKG_VERSION"),
                " (+https://github.com/gleaner/gleaner)"
            )
            .to_string(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_body_bytes: 10 * 1024 * 1024,
            max_redirects: 10,
            follow_redirects: true,
            connect_to: Vec::new(),
        }
    }
}

/// A fetched HTML page: the raw capture and its decoded text.
#[derive(Debug, Clone)]
pub struct Page {
    /// The final URL, after redirects.
    pub url: Url,
    pub status: u16,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The body after Content-Encoding decompression, before charset decoding.
    pub body: Vec<u8>,
    pub html: String,
    pub charset: &'static Encoding,
    pub charset_source: CharsetSource,
    pub fetched_at: DateTime<Utc>,
}

/// Fetches pages. Cheap to share: one per run, behind an `Arc` or by reference.
#[derive(Debug)]
pub struct Fetcher {
    pub(super) client: reqwest::Client,
    pub(super) connect_to: ConnectTo,
    pub(super) max_body_bytes: u64,
}

impl Fetcher {
    pub fn new(config: FetchConfig) -> Result<Fetcher, FetchError> {
        let connect_to = ConnectTo::new(&config.connect_to);
        let mut default_headers = HeaderMap::new();
        default_headers.insert(header::ACCEPT, HeaderValue::from_static(ACCEPT_HTML));
        let mut builder = reqwest::Client::builder()
            .tls_backend_rustls()
            .user_agent(config.user_agent.as_str())
            .default_headers(default_headers)
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .redirect(if config.follow_redirects {
                redirect::policy(config.max_redirects, connect_to.clone())
            } else {
                reqwest::redirect::Policy::none()
            })
            .no_proxy()
            .gzip(true)
            .brotli(true)
            .deflate(true);
        for (host, addr) in &config.connect_to {
            builder = builder.resolve(host, *addr);
        }
        let client = builder
            .build()
            .map_err(|source| FetchError::Client { source })?;
        Ok(Fetcher {
            client,
            connect_to,
            max_body_bytes: config.max_body_bytes,
        })
    }

    /// Fetches `url`, following redirects, and decodes it as HTML.
    pub async fn fetch(&self, url: &Url) -> Result<Page, FetchError> {
        check_fetchable(url)?;
        let mut response = self
            .client
            .get(self.connect_to.outbound(url))
            .send()
            .await
            .map_err(|source| FetchError::from_send(url, &self.connect_to, source))?;
        let fetched_at = Utc::now();
        let status = response.status();
        if !status.is_success() {
            return Err(FetchError::Status {
                url: url.clone(),
                status: status.as_u16(),
            });
        }
        let final_url = self.connect_to.inbound(response.url(), url);
        let headers = response.headers();
        let content_type = header_text(headers, header::CONTENT_TYPE);
        let etag = header_text(headers, header::ETAG);
        let last_modified = header_text(headers, header::LAST_MODIFIED);
        if let Some(declared) = &content_type {
            if !is_html_content_type(declared) {
                return Err(FetchError::NotHtml {
                    url: url.clone(),
                    content_type,
                });
            }
        }
        let body = read_capped(&mut response, url, self.max_body_bytes).await?;
        decode_page(
            url,
            Captured {
                url: final_url,
                status: status.as_u16(),
                content_type,
                etag,
                last_modified,
                body,
                fetched_at,
            },
        )
    }
}

/// A successful response as received, before the HTML checks and decoding.
pub(super) struct Captured {
    pub url: Url,
    pub status: u16,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub body: Vec<u8>,
    pub fetched_at: DateTime<Utc>,
}

/// Checks that a captured body is HTML (declared, or sniffed when undeclared) and decodes it.
/// `requested` is the URL named in errors.
pub(super) fn decode_page(requested: &Url, captured: Captured) -> Result<Page, FetchError> {
    let not_html = |content_type: Option<String>| FetchError::NotHtml {
        url: requested.clone(),
        content_type,
    };
    match &captured.content_type {
        Some(declared) if !is_html_content_type(declared) => {
            return Err(not_html(captured.content_type));
        }
        None if !sniffs_as_html(&captured.body) => return Err(not_html(None)),
        _ => {}
    }
    let decoded = decode_html(&captured.body, captured.content_type.as_deref());
    Ok(Page {
        url: captured.url,
        status: captured.status,
        content_type: captured.content_type,
        etag: captured.etag,
        last_modified: captured.last_modified,
        body: captured.body,
        html: decoded.text,
        charset: decoded.encoding,
        charset_source: decoded.source,
        fetched_at: captured.fetched_at,
    })
}

pub(super) fn check_fetchable(url: &Url) -> Result<(), FetchError> {
    let reason = if !matches!(url.scheme(), "http" | "https") {
        "only http and https URLs can be fetched"
    } else if url.host_str().is_none_or(str::is_empty) {
        "the URL has no host"
    } else {
        return Ok(());
    };
    Err(FetchError::InvalidUrl {
        url: url.clone(),
        reason,
    })
}

/// A header's value as text (lossy for non-UTF-8 bytes); `None` when absent or blank.
pub(super) fn header_text(headers: &HeaderMap, name: HeaderName) -> Option<String> {
    let value = String::from_utf8_lossy(headers.get(name)?.as_bytes());
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}
