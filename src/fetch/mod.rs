//! Fetching pages: the HTTP client ([`Fetcher`]), charset decoding ([`decode_html`]) and per-host rate
//! limiting ([`HostLimiter`]). Only this layer and the crawl driver are async; everything downstream works on
//! the [`Page`] it returns.

mod body;
mod charset;
mod client;
mod connect_to;
mod error;
mod limiter;
mod prescan;
mod redirect;

pub use charset::{CharsetSource, Decoded, decode_html};
pub use client::{FetchConfig, Fetcher, Page};
pub use error::FetchError;
pub use governor::Quota;
pub use limiter::HostLimiter;
