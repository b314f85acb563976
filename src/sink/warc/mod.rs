//! WARC 1.1 archiving of every HTTP exchange, with a CDXJ index beside each file.
//!
//! - [`record`]: one record, its digests, ids and dates, and its gzip member;
//! - [`writer`]: the writer: naming, rotation, revisits, article metadata;
//! - `files`: closing files, their index files, recovering files a killed run left open;
//! - `originals`: the earlier responses a revisit can name;
//! - `dedup_index`: the folder's on-disk index of them (`.gleaner-warc-index.sqlite`), a cache of the
//!   CDXJ files;
//! - [`cdxj`]: the pywb-style index (SURT keys);
//! - [`reader`]: reading records back with their offsets (replay, recovery, revisit lookups).
//!
//! **Why gleaner writes WARC records itself.** The `warc` crate (0.4) was the candidate: it gzips a whole
//! file as one stream (archives need one gzip member per record, so that an index can point at a record
//! and a reader can seek to it), keeps a record's fields in a `HashMap` (so `WARC-Type` is not first and
//! field order changes from run to run), and computes no block or payload digests. No other maintained
//! crate writes WARC. The format itself is small (a version line, named fields, a block), so the writer is
//! a few hundred lines on top of flate2 (gzip members), sha1 + data-encoding (base32 digests) and uuid
//! (record ids); warcio, the reference Python library, checks its output in the tests.

pub mod cdxj;
mod dedup_index;
mod files;
mod originals;
pub mod reader;
pub mod record;
pub mod writer;

use std::io;
use std::path::PathBuf;

use super::SinkError;

pub use cdxj::{CdxjLine, index_line, surt};
pub use dedup_index::INDEX_FILE;
pub use files::index_path;
pub use reader::{Entry, WarcReader};
pub use record::Record;
pub use writer::{ARTICLE_REF_TYPE, ArticleRef, DEFAULT_MAX_FILE_BYTES, WarcConfig, WarcWriter};

/// A failure to write or read WARC files; each names the file.
#[derive(Debug, thiserror::Error)]
pub enum WarcError {
    #[error("cannot create WARC folder {}", path.display())]
    CreateDir {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot list WARC folder {}", path.display())]
    List {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot open {}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot write the index {}", path.display())]
    Index {
        path: PathBuf,
        #[source]
        source: SinkError,
    },
    #[error("WARC dedup index {}: {what} failed", path.display())]
    DedupIndex {
        path: PathBuf,
        what: &'static str,
        #[source]
        source: Box<rusqlite::Error>,
    },
    #[error("WARC dedup index {} has schema version {found}", path.display())]
    DedupIndexVersion { path: PathBuf, found: i64 },
    #[error("cannot read {} at offset {offset}", path.display())]
    Read {
        path: PathBuf,
        offset: u64,
        #[source]
        source: io::Error,
    },
    #[error("{}: invalid WARC record at offset {offset}: {message}", path.display())]
    Format {
        path: PathBuf,
        offset: u64,
        message: String,
    },
}
