//! The sink error type: every variant names the path or URL it failed on.

use std::io;
use std::path::PathBuf;

/// A failure to write an article. Output errors abort a run, so each one says where.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    #[error("cannot create output folder {}", path.display())]
    CreateDir {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("output folder {} is not writable", path.display())]
    NotWritable {
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
    #[error("cannot list output folder {}", path.display())]
    List {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot serialize the article from {url} to JSON")]
    Serialize {
        url: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("cannot write the article from {url} as JSON line {line}")]
    Stream {
        url: String,
        line: u64,
        #[source]
        source: io::Error,
    },
}
