//! Which earlier responses a revisit record can name: by payload digest (an identical payload, under any
//! URL) and by URL (the payload a `304` confirms). Earlier runs' responses come from the folder's dedup
//! index ([`dedup_index`](super::dedup_index), kept in step with the CDXJ files); the current run's go to
//! temporary tables of the same connection, which live on disk too, so memory stays bounded however large
//! the archive or the run. An entry from a CDXJ index knows where its record is, not its id; the id is read
//! from the file the first time a revisit needs it, and remembered in the index.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::WarcError;
use super::cdxj::timestamp_date;
use super::dedup_index::{self, INDEX_FILE, db_error};

/// An earlier response that a revisit can name.
#[derive(Debug, Clone)]
pub(super) struct Original {
    pub uri: String,
    pub date: String,
    pub digest: String,
    /// The record id, or where to read it from (file name, offset).
    pub id: Result<String, (String, u64)>,
}

/// The current run's responses, `run_by_digest` and `run_by_url` (they win over the index's: a run's
/// responses are the latest); `key` is the digest or the URL.
const RUN_TABLE: &str = "
CREATE TEMP TABLE {table} (
    key TEXT PRIMARY KEY,
    uri TEXT NOT NULL,
    digest TEXT NOT NULL,
    date TEXT NOT NULL,
    id TEXT,
    file TEXT,
    offset INTEGER
) WITHOUT ROWID;
";

/// Earlier responses, by payload digest (the first) and by URL (the latest).
#[derive(Debug)]
pub(super) struct Originals {
    conn: Connection,
    path: PathBuf,
}

impl Originals {
    /// Opens the folder's index, up to date with its CDXJ files, and an empty set for this run.
    pub fn open(dir: &Path) -> Result<Originals, WarcError> {
        let conn = dedup_index::open(dir)?;
        let path = dir.join(INDEX_FILE);
        for table in ["run_by_digest", "run_by_url"] {
            conn.execute_batch(&RUN_TABLE.replace("{table}", table))
                .map_err(db_error(&path, "creating the run's tables"))?;
        }
        Ok(Originals { conn, path })
    }

    /// The first response with this payload digest.
    pub fn by_digest(&self, digest: &str) -> Result<Option<Original>, WarcError> {
        let earlier = self
            .query(
                "SELECT uri, ts, digest, file, offset FROM by_digest WHERE digest = ?1",
                digest,
                from_index,
            )?
            .flatten();
        match earlier {
            Some(original) => Ok(Some(original)),
            None => self.query(
                "SELECT uri, date, digest, id, file, offset FROM run_by_digest WHERE key = ?1",
                digest,
                from_run,
            ),
        }
    }

    /// The latest response of this URL.
    pub fn by_url(&self, uri: &str) -> Result<Option<Original>, WarcError> {
        let this_run = self.query(
            "SELECT uri, date, digest, id, file, offset FROM run_by_url WHERE key = ?1",
            uri,
            from_run,
        )?;
        match this_run {
            Some(original) => Ok(Some(original)),
            None => Ok(self
                .query(
                    "SELECT uri, ts, digest, file, offset FROM by_url WHERE uri = ?1",
                    uri,
                    from_index,
                )?
                .flatten()),
        }
    }

    /// A response archived by this run: the first with its payload (unless one is known) and the
    /// latest of its URL.
    pub fn add(&self, original: &Original) -> Result<(), WarcError> {
        if self.by_digest(&original.digest)?.is_none() {
            self.insert("run_by_digest", &original.digest, original)?;
        }
        self.set_url(&original.uri, original)
    }

    /// Makes `original` what a later `304` for `uri` confirms, for the rest of this run.
    pub fn set_url(&self, uri: &str, original: &Original) -> Result<(), WarcError> {
        self.insert("run_by_url", uri, original)
    }

    /// The id of the record at (file, offset), when it was read before.
    pub fn known_id(&self, file: &str, offset: u64) -> Result<Option<String>, WarcError> {
        self.conn
            .prepare_cached("SELECT id FROM record_ids WHERE file = ?1 AND offset = ?2")
            .and_then(|mut stmt| {
                stmt.query_row(params![file, offset as i64], |row| row.get(0))
                    .optional()
            })
            .map_err(db_error(&self.path, "reading a record id"))
    }

    /// Remembers the id of the record at (file, offset).
    pub fn remember_id(&self, file: &str, offset: u64, id: &str) -> Result<(), WarcError> {
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO record_ids (file, offset, id) VALUES (?1, ?2, ?3)",
            )
            .and_then(|mut stmt| stmt.execute(params![file, offset as i64, id]))
            .map(|_| ())
            .map_err(db_error(&self.path, "remembering a record id"))
    }

    fn query<T>(
        &self,
        sql: &str,
        key: &str,
        row: impl FnOnce(&Row) -> rusqlite::Result<T>,
    ) -> Result<Option<T>, WarcError> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut stmt| stmt.query_row([key], row).optional())
            .map_err(db_error(&self.path, "looking up an earlier response"))
    }

    fn insert(&self, table: &str, key: &str, original: &Original) -> Result<(), WarcError> {
        let (id, file, offset) = match &original.id {
            Ok(id) => (Some(id.as_str()), None, None),
            Err((file, offset)) => (None, Some(file.as_str()), Some(*offset as i64)),
        };
        let sql = format!(
            "INSERT OR REPLACE INTO {table} (key, uri, digest, date, id, file, offset) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        );
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut stmt| {
                stmt.execute(params![
                    key,
                    original.uri,
                    original.digest,
                    original.date,
                    id,
                    file,
                    offset
                ])
            })
            .map(|_| ())
            .map_err(db_error(&self.path, "recording a response of this run"))
    }
}

/// A row of `by_digest` / `by_url`: `None` when its timestamp is not a date (never stored so).
fn from_index(row: &Row) -> rusqlite::Result<Option<Original>> {
    let timestamp: String = row.get(1)?;
    let Some(date) = timestamp_date(&timestamp) else {
        return Ok(None);
    };
    Ok(Some(Original {
        uri: row.get(0)?,
        date,
        digest: row.get(2)?,
        id: Err((row.get(3)?, row.get::<_, i64>(4)? as u64)),
    }))
}

/// A row of `run_by_digest` / `run_by_url`.
fn from_run(row: &Row) -> rusqlite::Result<Original> {
    let id: Option<String> = row.get(3)?;
    let id = match id {
        Some(id) => Ok(id),
        None => Err((
            row.get::<_, Option<String>>(4)?.unwrap_or_default(),
            row.get::<_, Option<i64>>(5)?.unwrap_or_default() as u64,
        )),
    };
    Ok(Original {
        uri: row.get(0)?,
        date: row.get(1)?,
        digest: row.get(2)?,
        id,
    })
}
