//! The HTTP client: a [`Fetcher`] turns one URL into a decoded HTML [`Page`] or a classified [`FetchError`].
//! It owns the reqwest setup (rustls, timeouts, no system proxy, no automatic redirects or decompression,
//! `connect_to` mapping), the one place a request is sent ([`Fetcher::exchange`]: the headers, the raw body
//! under a cap, the [`Capture`] handed to the [`Recorder`] when archiving), and the order of checks on a
//! response: status, content type, size cap, decompression, charset. Politeness (rate limits, robots,
//! retries) is the caller's job.
//!
//! Bodies are read as received and decompressed by gleaner ([`decompress`](super::decompress)), so that an
//! archive holds exactly what the server sent. Redirects are followed here, one exchange per hop, for the
//! same reason.
//!
//! [`Fetcher::fetch`] is the one-shot path used by `ingest`. The crawler uses [`Fetcher::get`]
//! (in `exchange.rs`) instead: any status, conditional headers, and redirects left to the caller.

use std::borrow::Cow;
use std::net::SocketAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use encoding_rs::Encoding;
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use url::{Position, Url};

use super::body::{RawBody, is_html_content_type, read_raw, sniffs_as_html};
use super::capture::{Capture, CaptureRef, DECHUNKED_HEADER, ResponseHead, SharedRecorder};
use super::charset::{CharsetSource, decode_html};
use super::connect_to::ConnectTo;
use super::decompress::{ACCEPT_ENCODING, DecompressError, decompress};
use super::error::FetchError;
use super::redirect;

/// What the fetcher asks for.
pub(super) const ACCEPT_HTML: &str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1";

/// How the fetcher talks to servers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchConfig {
    pub user_agent: String,
    /// Limit for establishing the TCP (and TLS) connection.
    pub connect_timeout: Duration,
    /// Limit for the whole fetch: connecting, every redirect and reading the body.
    pub timeout: Duration,
    /// Largest body accepted, counted both as received and after decompression.
    pub max_body_bytes: u64,
    pub max_redirects: usize,
    /// Whether [`Fetcher::fetch`] follows redirects (up to `max_redirects`). The crawler turns this off and
    /// schedules each redirect target like any other URL, so a redirect hop is rate-limited too.
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
    /// Where the response was archived, when the fetcher has a recorder.
    pub capture: Option<CaptureRef>,
}

/// Fetches pages. Cheap to share: one per run, behind an `Arc` or by reference.
pub struct Fetcher {
    client: reqwest::Client,
    pub(super) connect_to: ConnectTo,
    pub(super) max_body_bytes: u64,
    user_agent: HeaderValue,
    max_redirects: usize,
    follow_redirects: bool,
    recorder: Option<SharedRecorder>,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher")
            .field("connect_to", &self.connect_to)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("recording", &self.recorder.is_some())
            .finish_non_exhaustive()
    }
}

/// One response as received: the head, the raw body, and where it was archived.
pub(super) struct Received {
    pub status: u16,
    pub headers: HeaderMap,
    /// The body as received (empty when it was neither wanted nor archived).
    pub body: Vec<u8>,
    /// Why a wanted body could not be read in full.
    pub body_error: Option<FetchError>,
    pub fetched_at: DateTime<Utc>,
    pub capture: Option<CaptureRef>,
}

impl Fetcher {
    pub fn new(config: FetchConfig) -> Result<Fetcher, FetchError> {
        let connect_to = ConnectTo::new(&config.connect_to);
        let user_agent = HeaderValue::from_str(&config.user_agent)
            .unwrap_or_else(|_| HeaderValue::from_static("gleaner"));
        let mut builder = reqwest::Client::builder()
            .tls_backend_rustls()
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .http1_title_case_headers()
            .no_proxy();
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
            user_agent,
            max_redirects: config.max_redirects,
            follow_redirects: config.follow_redirects,
            recorder: None,
        })
    }

    /// Archives every exchange from now on: each one is handed to `recorder` before its answer is used.
    pub fn with_recorder(mut self, recorder: SharedRecorder) -> Fetcher {
        self.recorder = Some(recorder);
        self
    }

    /// Fetches `url`, following redirects, and decodes it as HTML.
    pub async fn fetch(&self, url: &Url) -> Result<Page, FetchError> {
        check_fetchable(url)?;
        let mut current = url.clone();
        let mut chain = redirect::Chain::new(url, self.max_redirects, &self.connect_to);
        loop {
            let received = self
                .exchange(
                    &current,
                    url,
                    ACCEPT_HTML,
                    &[],
                    self.max_body_bytes,
                    |status, headers| {
                        (200..300).contains(&status)
                            && header_text(headers, header::CONTENT_TYPE)
                                .is_none_or(|declared| is_html_content_type(&declared))
                    },
                )
                .await?;
            if self.follow_redirects && redirect::is_redirect(received.status) {
                let target = self.location(&received.headers, &current);
                if let Some(target) = target.and_then(|t| Url::parse(&t).ok()) {
                    chain.follow(&target)?;
                    check_fetchable(&target)?;
                    current = target;
                    continue;
                }
            }
            return self.final_page(url, current, received);
        }
    }

    /// The checks of [`fetch`](Self::fetch) on its final response.
    fn final_page(
        &self,
        requested: &Url,
        url: Url,
        received: Received,
    ) -> Result<Page, FetchError> {
        if !(200..300).contains(&received.status) {
            return Err(FetchError::Status {
                url: requested.clone(),
                status: received.status,
            });
        }
        let headers = &received.headers;
        let content_type = header_text(headers, header::CONTENT_TYPE);
        if let Some(declared) = &content_type {
            if !is_html_content_type(declared) {
                return Err(FetchError::NotHtml {
                    url: requested.clone(),
                    content_type,
                });
            }
        }
        if let Some(error) = received.body_error {
            return Err(error);
        }
        let body = decode_body(requested, headers, received.body, self.max_body_bytes)?;
        decode_page(
            requested,
            Captured {
                url,
                status: received.status,
                content_type,
                etag: header_text(headers, header::ETAG),
                last_modified: header_text(headers, header::LAST_MODIFIED),
                body,
                fetched_at: received.fetched_at,
                capture: received.capture,
            },
        )
    }

    /// The `Location` of a response to `url`, resolved, in the caller's view of a mapped host.
    pub(super) fn location(&self, headers: &HeaderMap, url: &Url) -> Option<String> {
        let location = header_text(headers, header::LOCATION)?;
        // A mapped (`connect_to`) host answers with its plain-HTTP view; map it back.
        Some(match self.connect_to.outbound(url).join(&location) {
            Ok(target) => self.connect_to.inbound(&target, url).to_string(),
            Err(_) => location,
        })
    }

    /// Sends one GET for `url` and reads the answer: the one place a request leaves. `named` is the URL
    /// errors name. The body is read (raw, under `limit`) when `wants_body(status, headers)` says so, and
    /// always when archiving; only a wanted body's read failure is returned, as `body_error`. When
    /// archiving, the exchange is recorded before this returns.
    pub(super) async fn exchange(
        &self,
        url: &Url,
        named: &Url,
        accept: &'static str,
        extra: &[(HeaderName, &str)],
        limit: u64,
        wants_body: impl FnOnce(u16, &HeaderMap) -> bool,
    ) -> Result<Received, FetchError> {
        let outbound = self.connect_to.outbound(url);
        let mut sent: Vec<(HeaderName, HeaderValue)> = vec![
            (header::HOST, host_header(&outbound)),
            (header::USER_AGENT, self.user_agent.clone()),
            (header::ACCEPT, HeaderValue::from_static(accept)),
            (
                header::ACCEPT_ENCODING,
                HeaderValue::from_static(ACCEPT_ENCODING),
            ),
        ];
        for (name, value) in extra {
            if let Ok(value) = HeaderValue::from_str(value) {
                sent.push((name.clone(), value));
            }
        }
        let mut request = self.client.get(outbound.clone());
        for (name, value) in &sent {
            request = request.header(name, value);
        }
        let mut response = request
            .send()
            .await
            .map_err(|source| FetchError::from_send(named, source))?;
        let fetched_at = Utc::now();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let wanted = wants_body(status, &headers);
        let raw = if wanted || self.recorder.is_some() {
            read_raw(&mut response, named, limit).await
        } else {
            RawBody {
                bytes: Vec::new(),
                end: None,
            }
        };
        let (truncated, body_error) = match raw.end {
            Some((reason, error)) => (Some(reason), wanted.then_some(error)),
            None => (None, None),
        };
        let Some(recorder) = &self.recorder else {
            return Ok(Received {
                status,
                headers,
                body: raw.bytes,
                body_error,
                fetched_at,
                capture: None,
            });
        };
        let capture = Capture {
            url: url.clone(),
            target: outbound[Position::BeforePath..Position::AfterQuery].to_string(),
            request_headers: sent
                .iter()
                .map(|(name, value)| (title_case(name.as_str()), value.as_bytes().to_vec()))
                .collect(),
            version: version_text(response.version()),
            status,
            reason: reason_phrase(&response),
            headers: headers
                .iter()
                .map(|(name, value)| {
                    let name = if *name == header::TRANSFER_ENCODING {
                        DECHUNKED_HEADER
                    } else {
                        name.as_str()
                    };
                    (name.to_string(), value.as_bytes().to_vec())
                })
                .collect(),
            body: raw.bytes,
            truncated,
            ip: response.remote_addr().map(|addr| addr.ip()),
            fetched_at,
        };
        let recorder = std::sync::Arc::clone(recorder);
        let record_error = |source| FetchError::Record {
            url: url.clone(),
            source,
        };
        let (capture, recorded) = tokio::task::spawn_blocking(move || {
            let recorded = recorder.record(&capture);
            (capture, recorded)
        })
        .await
        .map_err(|join| record_error(Box::new(join)))?;
        let capture_ref = recorded.map_err(record_error)?;
        Ok(Received {
            status,
            headers,
            body: capture.body,
            body_error,
            fetched_at,
            capture: Some(capture_ref),
        })
    }
}

/// The `Host` header for `url`: its host, and its port when not the scheme's default (as hyper sends it).
fn host_header(url: &Url) -> HeaderValue {
    let host = url.host_str().unwrap_or_default();
    let value = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    };
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// `user-agent` → `User-Agent`: the case hyper writes with title-case headers on.
fn title_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = true;
    for c in name.chars() {
        out.push(if upper { c.to_ascii_uppercase() } else { c });
        upper = c == '-';
    }
    out
}

fn version_text(version: reqwest::Version) -> &'static str {
    match version {
        reqwest::Version::HTTP_09 => "HTTP/0.9",
        reqwest::Version::HTTP_10 => "HTTP/1.0",
        reqwest::Version::HTTP_2 => "HTTP/2",
        reqwest::Version::HTTP_3 => "HTTP/3",
        _ => "HTTP/1.1",
    }
}

/// The reason phrase as received: hyper keeps a non-canonical one; otherwise it was the canonical one
/// (or, over HTTP/2, there was none and the canonical one stands in).
fn reason_phrase(response: &reqwest::Response) -> String {
    match response.extensions().get::<hyper::ext::ReasonPhrase>() {
        Some(reason) => String::from_utf8_lossy(reason.as_bytes()).into_owned(),
        None => response
            .status()
            .canonical_reason()
            .unwrap_or_default()
            .to_string(),
    }
}

/// Decompresses a received body per its `Content-Encoding`, under `limit`.
pub(super) fn decode_body(
    url: &Url,
    headers: &HeaderMap,
    body: Vec<u8>,
    limit: u64,
) -> Result<Vec<u8>, FetchError> {
    let encoding = header_text(headers, header::CONTENT_ENCODING);
    decode_encoded(url, encoding.as_deref(), Cow::Owned(body), limit)
}

/// The decoded body; a body without a content coding is passed on as it is, not copied.
fn decode_encoded(
    url: &Url,
    encoding: Option<&str>,
    body: Cow<'_, [u8]>,
    limit: u64,
) -> Result<Vec<u8>, FetchError> {
    let decoded = match decompress(&body, encoding, limit) {
        Ok(Cow::Owned(decoded)) => Some(decoded),
        Ok(Cow::Borrowed(_)) => None,
        Err(DecompressError::TooLarge { limit }) => {
            return Err(FetchError::TooLarge {
                url: url.clone(),
                limit,
            });
        }
        Err(source) => {
            return Err(FetchError::Decompress {
                url: url.clone(),
                source,
            });
        }
    };
    Ok(decoded.unwrap_or_else(|| body.into_owned()))
}

impl Page {
    /// The page from an archived 2xx response (`replay`): the same checks, decompression (under `limit`)
    /// and decoding as a live fetch, so the page, and the article extracted from it, are the same.
    pub fn from_archive(
        url: Url,
        head: &ResponseHead,
        body: &[u8],
        fetched_at: DateTime<Utc>,
        capture: Option<CaptureRef>,
        limit: u64,
    ) -> Result<Page, FetchError> {
        if !(200..300).contains(&head.status) {
            return Err(FetchError::Status {
                url,
                status: head.status,
            });
        }
        let content_type = head.header("content-type");
        if let Some(declared) = &content_type {
            if !is_html_content_type(declared) {
                return Err(FetchError::NotHtml { url, content_type });
            }
        }
        let body = decode_encoded(
            &url,
            head.header("content-encoding").as_deref(),
            Cow::Borrowed(body),
            limit,
        )?;
        let requested = url.clone();
        decode_page(
            &requested,
            Captured {
                url,
                status: head.status,
                content_type,
                etag: head.header("etag"),
                last_modified: head.header("last-modified"),
                body,
                fetched_at,
                capture,
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
    pub capture: Option<CaptureRef>,
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
        capture: captured.capture,
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
