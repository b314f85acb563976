//! JSON Lines output: one compact article per line, flushed after each.
//!
//! Suited to pipes and log-style archives (`gleaner ingest … | jq`); each line is a
//! complete JSON document, so a reader never sees half an article unless the writer
//! itself is cut off mid-line.

use std::io::Write;

use url::Url;

use super::SinkError;
use crate::Article;

/// Writes articles as JSON Lines to any [`Write`] (stdout, a file, a socket).
#[derive(Debug)]
pub struct JsonLines<W: Write> {
    out: W,
    lines: u64,
}

impl<W: Write> JsonLines<W> {
    pub fn new(out: W) -> JsonLines<W> {
        JsonLines { out, lines: 0 }
    }

    /// Writes `article` (read from `url`, named in errors) as one line and flushes.
    pub fn write(&mut self, article: &Article, url: &Url) -> Result<(), SinkError> {
        let mut line = serde_json::to_vec(article).map_err(|source| SinkError::Serialize {
            url: url.to_string(),
            source,
        })?;
        line.push(b'\n');
        let line_no = self.lines + 1;
        self.out
            .write_all(&line)
            .and_then(|()| self.out.flush())
            .map_err(|source| SinkError::Stream {
                url: url.to_string(),
                line: line_no,
                source,
            })?;
        self.lines = line_no;
        Ok(())
    }

    /// Number of articles written so far.
    pub fn lines(&self) -> u64 {
        self.lines
    }

    /// The underlying writer.
    pub fn into_inner(self) -> W {
        self.out
    }
}
