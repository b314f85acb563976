//! One raw HTTP exchange for the crawler: [`Fetcher::get`] sends a GET (conditional when validators are
//! known), and returns whatever status came back with the headers the crawler acts on (`ETag`,
//! `Last-Modified`, `Location`, `Retry-After`). The body is read, under a cap, and decompressed for 2xx
//! answers (read for every answer when archiving).
//!
//! Nothing here waits, retries or follows redirects: a 304, a 429 or a 301 is an answer like any other,
//! and deciding what to do with it is the job of [`Politeness`](super::Politeness) and the crawl driver.

use chrono::Utc;
use reqwest::header;
use url::Url;

use super::capture::CaptureRef;
use super::client::{
    ACCEPT_HTML, Captured, Fetcher, Page, check_fetchable, decode_body, decode_page, header_text,
};
use super::error::FetchError;

/// Validators from an earlier fetch of the same URL, sent back as `If-None-Match` and
/// `If-Modified-Since`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    /// Whether a conditional request can be made.
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// What a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accept {
    /// HTML documents (the client's default `Accept`).
    Html,
    /// Anything: robots.txt, sitemaps, feeds.
    Any,
}

/// A response as received: any status, the headers the crawler needs, and the body of a 2xx answer.
#[derive(Debug, Clone)]
pub struct Response {
    /// The URL asked for (no redirect is followed, so also the URL answered).
    pub url: Url,
    pub status: u16,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The raw `Location` header of a redirect.
    pub location: Option<String>,
    /// The raw `Retry-After` header (seconds or an HTTP-date).
    pub retry_after: Option<String>,
    /// The body after Content-Encoding decompression; empty unless the status is 2xx.
    pub body: Vec<u8>,
    pub fetched_at: chrono::DateTime<Utc>,
    /// Where the exchange was archived, when the fetcher has a recorder.
    pub capture: Option<CaptureRef>,
}

impl Response {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// `304 Not Modified`: the validators still hold.
    pub fn is_not_modified(&self) -> bool {
        self.status == 304
    }

    /// Whether this is a redirect that carries a target (301, 302, 303, 307, 308).
    pub fn is_redirect(&self) -> bool {
        super::redirect::is_redirect(self.status) && self.location.is_some()
    }

    /// Whether the redirect is permanent (301, 308), i.e. worth remembering across runs.
    pub fn is_permanent_redirect(&self) -> bool {
        matches!(self.status, 301 | 308)
    }

    /// The redirect target, resolved against the requested URL.
    pub fn redirect_target(&self) -> Option<Url> {
        let location = self.location.as_deref()?;
        self.url.join(location.trim()).ok()
    }

    /// Turns a 2xx response into a decoded HTML [`Page`], with the same checks as
    /// [`Fetcher::fetch`]: any other status is [`FetchError::Status`], a non-HTML body is
    /// [`FetchError::NotHtml`].
    pub fn into_page(self) -> Result<Page, FetchError> {
        if !self.is_success() {
            return Err(FetchError::Status {
                url: self.url,
                status: self.status,
            });
        }
        let requested = self.url.clone();
        decode_page(
            &requested,
            Captured {
                url: self.url,
                status: self.status,
                content_type: self.content_type,
                etag: self.etag,
                last_modified: self.last_modified,
                body: self.body,
                fetched_at: self.fetched_at,
                capture: self.capture,
            },
        )
    }
}

impl Fetcher {
    /// Sends one GET for `url` and returns the response whatever its status; redirects are returned, not
    /// followed. `max_body` caps the body of a 2xx answer, both as received and after decompression.
    pub async fn get(
        &self,
        url: &Url,
        validators: &Validators,
        accept: Accept,
        max_body: u64,
    ) -> Result<Response, FetchError> {
        check_fetchable(url)?;
        let accept = match accept {
            Accept::Html => ACCEPT_HTML,
            Accept::Any => "*/*",
        };
        let mut extra = Vec::new();
        if let Some(etag) = validators.etag.as_deref() {
            extra.push((header::IF_NONE_MATCH, etag));
        }
        if let Some(date) = validators.last_modified.as_deref() {
            extra.push((header::IF_MODIFIED_SINCE, date));
        }
        let received = self
            .exchange(url, url, accept, &extra, max_body, |status, _| {
                (200..300).contains(&status)
            })
            .await?;
        let headers = &received.headers;
        let mut out = Response {
            url: url.clone(),
            status: received.status,
            content_type: header_text(headers, header::CONTENT_TYPE),
            etag: header_text(headers, header::ETAG),
            last_modified: header_text(headers, header::LAST_MODIFIED),
            location: self.location(headers, url),
            retry_after: header_text(headers, header::RETRY_AFTER),
            body: Vec::new(),
            fetched_at: received.fetched_at,
            capture: received.capture,
        };
        if out.is_success() {
            if let Some(error) = received.body_error {
                return Err(error);
            }
            out.body = decode_body(url, headers, received.body, max_body)?;
        }
        Ok(out)
    }
}
