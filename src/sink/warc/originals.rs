//! Which earlier responses a revisit record can name: by payload digest (an identical payload, under any
//! URL) and by URL (the payload a `304` confirms). Filled from every CDXJ index already in the WARC folder
//! when a writer opens it, then by each response the writer archives. An entry loaded from an index knows
//! where its record is, not its id; the id is read from the file the first time a revisit needs it.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use super::WarcError;
use super::cdxj::CdxjLine;
use super::files::list;
use super::writer::EMPTY_DIGEST;

/// An earlier response that a revisit can name.
#[derive(Debug, Clone)]
pub(super) struct Original {
    pub uri: String,
    pub date: String,
    pub digest: String,
    /// The record id, or where to read it from (file name, offset).
    pub id: Result<String, (String, u64)>,
}

/// Earlier responses, by payload digest and by URL (the latest).
#[derive(Debug, Default)]
pub(super) struct Originals {
    pub by_digest: HashMap<String, Original>,
    pub by_url: HashMap<String, Original>,
}

impl Originals {
    pub fn add(&mut self, original: Original) {
        self.by_digest
            .entry(original.digest.clone())
            .or_insert_with(|| original.clone());
        self.by_url.insert(original.uri.clone(), original);
    }
}

/// Earlier responses from every CDXJ index in the folder.
pub(super) fn load(dir: &Path) -> Result<Originals, WarcError> {
    let mut originals = Originals::default();
    let mut lines = Vec::new();
    for path in list(dir)? {
        if path.extension().is_some_and(|e| e == "cdxj") {
            let text = fs::read_to_string(&path).map_err(|source| WarcError::Read {
                path: path.clone(),
                offset: 0,
                source,
            })?;
            lines.extend(text.lines().filter_map(CdxjLine::parse));
        }
    }
    // Oldest first, so `by_url` ends with the latest response and `by_digest` with the first.
    lines.sort_by(|a, b| a.timestamp.cmp(&b.timestamp));
    for line in lines {
        let fields = &line.fields;
        let digest = format!("sha1:{}", fields.digest);
        if fields.mime == "warc/revisit"
            || !fields.status.starts_with('2')
            || digest == EMPTY_DIGEST
        {
            continue;
        }
        let (Some(date), Ok(offset)) = (line.warc_date(), fields.offset.parse()) else {
            continue;
        };
        originals.add(Original {
            uri: fields.url.clone(),
            date,
            digest,
            id: Err((fields.filename.clone(), offset)),
        });
    }
    Ok(originals)
}
