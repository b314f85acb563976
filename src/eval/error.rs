//! The eval error type: every variant names the dataset file, folder or page it failed on.
//!
//! Dataset-level errors (no recognizable format, an unreadable truth file) abort a run; a page
//! whose HTML cannot be read is a per-page failure recorded in the report instead.

use std::io;
use std::path::PathBuf;

/// A failure to read a dataset or write eval output.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error(
        "{} is not a dataset: expected ground-truth.json (aeb), truth.json (naeb) \
         or <case>/expected-metadata.json folders (readability)",
        path.display()
    )]
    UnknownFormat { path: PathBuf },
    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot list dataset folder {}", path.display())]
    List {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("invalid truth JSON in {}", path.display())]
    Truth {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("page {id} in {}: invalid URL {url:?}", path.display())]
    Url {
        path: PathBuf,
        id: String,
        url: String,
        #[source]
        source: url::ParseError,
    },
    #[error("cannot gunzip {}", path.display())]
    Gunzip {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot write predictions to {}", path.display())]
    WritePredictions {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot serialize predictions for {}", path.display())]
    SerializePredictions {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
}
