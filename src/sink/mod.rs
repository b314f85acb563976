//! Sinks: where finished articles go.
//!
//! [`JsonDir`] writes one pretty JSON file per article under a deterministic
//! [`article_path`], atomically (temp file, fsync, rename, fsync folder), so a crash
//! never leaves a partial article. [`JsonLines`] streams compact articles one per line.
//! Every failure is a [`SinkError`] naming the path or URL involved. [`warc`] archives the HTTP
//! exchanges themselves (WARC files and their CDXJ indexes).

mod error;
pub mod files;
pub mod jsonl;
pub mod path;
pub mod warc;

pub use error::SinkError;
pub use files::{JsonDir, StagedFile, is_temp_file, write_atomic};
pub use jsonl::JsonLines;
pub use path::{MAX_PATH_LEN, article_path};
