//! gleaner: fetch web articles politely, strip everything that is not the article,
//! and write one normalized JSON document per article.
//!
//! The pipeline flows one way: sources → fetcher → extractor → normalizer → sinks.
//! Extraction and normalization are pure, synchronous functions of a captured page
//! and a profile; only fetching is async.

pub mod article;
pub mod fetch;
pub mod profile;

pub use article::{Article, Block, PageDate, SCHEMA_VERSION};
