//! gleaner: fetch web articles politely, strip everything that is not the article,
//! and write one normalized JSON document per article.
//!
//! The pipeline flows one way: sources → fetcher → extractor → normalizer → sinks.
//! Extraction and normalization are pure, synchronous functions of a captured page
//! and a profile; only fetching is async.
//!
//! - [`fetch`]: the HTTP client, charset decoding, per-host rate limits
//! - [`profile`]: site profiles, compiled once at load
//! - [`extract`]: the extraction cascade and metadata
//! - [`normalize`]: text and date normalization
//! - [`sink`]: atomic JSON files, JSON Lines, and WARC archives of every exchange ([`sink::warc`])
//! - [`eval`]: scoring extraction against public datasets (`gleaner eval`)
//! - [`ingest`]: the one-off ingestion driver; [`report`]: outcomes and exit codes
//! - [`replay`]: re-extracting articles from WARC files (`gleaner replay`); [`schema`]: the article's JSON
//!   Schema
//! - [`crawl`]: scheduled crawls (discovery, politeness, incremental state); [`store`]: the crawl state;
//!   [`lock`]: the run lock
//! - [`snapshot`], [`serve`], [`demo`]: the snapshot catalog, its loopback server, the offline demo

pub mod article;
pub mod crawl;
pub mod demo;
pub mod eval;
pub mod extract;
pub mod fetch;
pub mod ingest;
pub mod lock;
pub mod normalize;
pub mod profile;
pub mod replay;
pub mod report;
pub mod schema;
pub mod serve;
pub mod sink;
pub mod snapshot;
pub mod store;

pub use article::{Article, Block, PageDate, SCHEMA_VERSION};
pub use extract::extract;
