//! Fetching pages: the HTTP client ([`Fetcher`]), charset decoding ([`decode_html`]), Content-Encoding
//! decoding ([`decompress`]), per-host rate limiting ([`HostLimiter`]) and, for the crawler, raw
//! conditional exchanges ([`Fetcher::get`]), robots.txt ([`Robots`]), the retry policy ([`RetryPolicy`])
//! and the one place that owns politeness ([`Politeness`]). Every exchange can be archived: the fetcher
//! hands a [`Capture`] (request and response as sent and received) to its [`Recorder`]. Only this layer
//! and the drivers are async; everything downstream works on the [`Page`] or [`Response`] it returns.

mod body;
pub mod capture;
mod charset;
mod client;
mod connect_to;
pub mod decompress;
mod error;
mod exchange;
mod limiter;
pub mod politeness;
mod prescan;
mod redirect;
pub mod retry;
pub mod robots;

pub(crate) use body::is_html_content_type;
pub use capture::{
    Capture, CaptureRef, RecordError, Recorder, ResponseHead, SharedRecorder, Truncation,
};
pub use charset::{CharsetSource, Decoded, decode_html};
pub use client::{FetchConfig, Fetcher, Page};
pub use error::FetchError;
pub use exchange::{Accept, Response, Validators};
pub use governor::Quota;
pub use limiter::HostLimiter;
pub use politeness::{
    Exchange, GiveUp, HostStats, PoliteError, Politeness, PolitenessConfig, host_key,
};
pub use retry::RetryPolicy;
pub use robots::Robots;
