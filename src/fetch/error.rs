//! Why a fetch failed. Every variant names the URL that was asked for, keeps the underlying error as its
//! source, and maps to a short stable reason code ([`FetchError::kind`]) for run reports.

use url::Url;

use super::capture::RecordError;
use super::decompress::DecompressError;

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The URL cannot be fetched at all (not http/https, no host).
    #[error("{url}: invalid URL: {reason}")]
    InvalidUrl { url: Url, reason: &'static str },
    #[error("{url}: DNS lookup failed")]
    Dns {
        url: Url,
        #[source]
        source: reqwest::Error,
    },
    #[error("{url}: could not connect")]
    Connect {
        url: Url,
        #[source]
        source: reqwest::Error,
    },
    #[error("{url}: timed out")]
    Timeout {
        url: Url,
        #[source]
        source: reqwest::Error,
    },
    /// A redirect pointed back at `location`, which the chain had already visited.
    /// (Boxed to keep `FetchError` small on the happy path.)
    #[error("{url}: redirect loop back to {location}")]
    RedirectLoop { url: Url, location: Box<Url> },
    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects { url: Url, limit: usize },
    #[error("{url}: HTTP status {status}")]
    Status { url: Url, status: u16 },
    #[error("{url}: not HTML (content type {})", content_type.as_deref().unwrap_or("missing"))]
    NotHtml {
        url: Url,
        content_type: Option<String>,
    },
    #[error("{url}: body larger than {limit} bytes")]
    TooLarge { url: Url, limit: u64 },
    /// The body could not be read or decompressed.
    #[error("{url}: reading the body failed")]
    Body {
        url: Url,
        #[source]
        source: reqwest::Error,
    },
    /// The body could not be decoded (corrupt or unsupported Content-Encoding).
    #[error("{url}: cannot decode the body")]
    Decompress {
        url: Url,
        #[source]
        source: DecompressError,
    },
    /// The exchange could not be archived. Fatal for the run: an archive must not silently miss exchanges.
    #[error("{url}: cannot archive the exchange")]
    Record {
        url: Url,
        #[source]
        source: RecordError,
    },
    /// Any other failure to get a response (protocol error, connection reset before the headers, …).
    #[error("{url}: request failed")]
    Request {
        url: Url,
        #[source]
        source: reqwest::Error,
    },
    /// The HTTP client could not be built from the configuration.
    #[error("could not build the HTTP client")]
    Client {
        #[source]
        source: reqwest::Error,
    },
}

impl FetchError {
    /// A short stable reason code for reports.
    pub fn kind(&self) -> &'static str {
        match self {
            FetchError::InvalidUrl { .. } => "invalid_url",
            FetchError::Dns { .. } => "dns",
            FetchError::Connect { .. } => "connect",
            FetchError::Timeout { .. } => "timeout",
            FetchError::RedirectLoop { .. } => "redirect_loop",
            FetchError::TooManyRedirects { .. } => "too_many_redirects",
            FetchError::Status { .. } => "http_status",
            FetchError::NotHtml { .. } => "not_html",
            FetchError::TooLarge { .. } => "too_large",
            FetchError::Body { .. } | FetchError::Decompress { .. } => "body",
            FetchError::Record { .. } => "archive",
            FetchError::Request { .. } => "request",
            FetchError::Client { .. } => "client",
        }
    }

    /// Whether the error must stop the run rather than fail one URL (archiving failed).
    pub fn is_fatal(&self) -> bool {
        matches!(self, FetchError::Record { .. })
    }

    /// Classifies a failure to get a response for `url`.
    pub(crate) fn from_send(url: &Url, source: reqwest::Error) -> FetchError {
        let url = url.clone();
        if source.is_timeout() {
            FetchError::Timeout { url, source }
        } else if source.is_dns() {
            FetchError::Dns { url, source }
        } else if source.is_connect() {
            FetchError::Connect { url, source }
        } else {
            FetchError::Request { url, source }
        }
    }

    /// Classifies a failure while streaming the body of `url`.
    pub(crate) fn from_body(url: &Url, source: reqwest::Error) -> FetchError {
        let url = url.clone();
        if source.is_timeout() {
            FetchError::Timeout { url, source }
        } else {
            FetchError::Body { url, source }
        }
    }
}
