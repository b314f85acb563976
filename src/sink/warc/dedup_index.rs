//! The WARC folder's dedup index, `DIR/.gleaner-warc-index.sqlite`: an SQLite cache (rusqlite, SQLite
//! bundled) of what the folder's CDXJ indexes say a revisit can name, so that a writer holds neither every
//! earlier record in memory nor reads every CDXJ line when it opens the folder.
//!
//! Tables:
//! - `sources`: each CDXJ file ingested, by file name, with the size and mtime it had when read;
//! - `by_digest`: per payload digest, the first response with that payload;
//! - `by_url`: per URL, its latest response;
//! - `record_ids`: record ids already read from WARC files (file, offset → id), so each is read once.
//!
//! "First" and "latest" are by `(timestamp, CDXJ file name, line number)`: the order the in-memory load
//! used (every line sorted by timestamp, a stable sort over files in name order). A line replaces the
//! entry of its digest only when its key is smaller, and the entry of its URL only when greater, so the
//! tables are the same whatever order files are ingested in, and a new CDXJ file is simply ingested.
//!
//! It is a cache and never the only copy of anything. When a writer opens the folder, CDXJ files not yet
//! in `sources` are ingested; if one in `sources` has changed (size or mtime) or is gone, the tables are
//! rebuilt from every CDXJ file. A file that is not a database, is corrupt, or has another schema version
//! is deleted (with a logged note) and rebuilt. Each sync is one transaction, so a run killed half way
//! leaves the index as it was. Journal: WAL with `synchronous=NORMAL`, as the crawl state.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use rusqlite::{Connection, ErrorCode, TransactionBehavior, params};

use super::WarcError;
use super::cdxj::CdxjLine;
use super::files::list;
use super::writer::EMPTY_DIGEST;

/// The index's file name in the WARC folder.
pub const INDEX_FILE: &str = ".gleaner-warc-index.sqlite";

/// The schema this build reads and writes (`PRAGMA user_version`).
const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS sources (
    name TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS by_digest (
    digest TEXT PRIMARY KEY,
    ts TEXT NOT NULL,
    source TEXT NOT NULL,
    line INTEGER NOT NULL,
    uri TEXT NOT NULL,
    file TEXT NOT NULL,
    offset INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS by_url (
    uri TEXT PRIMARY KEY,
    ts TEXT NOT NULL,
    source TEXT NOT NULL,
    line INTEGER NOT NULL,
    digest TEXT NOT NULL,
    file TEXT NOT NULL,
    offset INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS record_ids (
    file TEXT NOT NULL,
    offset INTEGER NOT NULL,
    id TEXT NOT NULL,
    PRIMARY KEY (file, offset)
) WITHOUT ROWID;
";

const UPSERT_DIGEST: &str = "
INSERT INTO by_digest (digest, ts, source, line, uri, file, offset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (digest) DO UPDATE SET ts = excluded.ts, source = excluded.source, line = excluded.line,
    uri = excluded.uri, file = excluded.file, offset = excluded.offset
WHERE (excluded.ts, excluded.source, excluded.line) < (by_digest.ts, by_digest.source, by_digest.line)";

const UPSERT_URL: &str = "
INSERT INTO by_url (uri, ts, source, line, digest, file, offset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (uri) DO UPDATE SET ts = excluded.ts, source = excluded.source, line = excluded.line,
    digest = excluded.digest, file = excluded.file, offset = excluded.offset
WHERE (excluded.ts, excluded.source, excluded.line) > (by_url.ts, by_url.source, by_url.line)";

/// A failure of the index database itself (not of reading a CDXJ file).
pub(super) fn db_error(path: &Path, what: &'static str) -> impl Fn(rusqlite::Error) -> WarcError {
    let path = path.to_owned();
    move |source| WarcError::DedupIndex {
        path: path.clone(),
        what,
        source: Box::new(source),
    }
}

/// Opens the folder's index (creating it) and brings it up to date with the folder's CDXJ files.
pub(super) fn open(dir: &Path) -> Result<Connection, WarcError> {
    let path = dir.join(INDEX_FILE);
    match open_and_sync(dir, &path) {
        Err(error) if unusable(&error) => {
            tracing::warn!(index = %path.display(), %error, "the WARC dedup index is unusable; rebuilding it from the CDXJ files");
            remove(&path)?;
            open_and_sync(dir, &path)
        }
        result => result,
    }
}

/// Whether the file is not a database, is corrupt, or has another schema version.
fn unusable(error: &WarcError) -> bool {
    match error {
        WarcError::DedupIndex { source, .. } => matches!(
            source.sqlite_error_code(),
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt)
        ),
        WarcError::DedupIndexVersion { .. } => true,
        _ => false,
    }
}

/// Deletes the index and its WAL files.
fn remove(path: &Path) -> Result<(), WarcError> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let file = PathBuf::from(format!("{}{suffix}", path.display()));
        match fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(WarcError::Write { path: file, source }),
        }
    }
    Ok(())
}

fn open_and_sync(dir: &Path, path: &Path) -> Result<Connection, WarcError> {
    let open_error = db_error(path, "opening");
    let mut conn = Connection::open(path).map_err(&open_error)?;
    conn.busy_timeout(Duration::from_secs(30))
        .map_err(&open_error)?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(&open_error)?;
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(&open_error)?;
    // The current run's additions live in temporary tables: on disk, not in memory.
    conn.pragma_update(None, "temp_store", "FILE")
        .map_err(&open_error)?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(db_error(path, "reading the schema version"))?;
    match version {
        0 => {
            conn.execute_batch(SCHEMA)
                .map_err(db_error(path, "creating the schema"))?;
            conn.pragma_update(None, "user_version", SCHEMA_VERSION)
                .map_err(db_error(path, "setting the schema version"))?;
        }
        SCHEMA_VERSION => {}
        found => {
            return Err(WarcError::DedupIndexVersion {
                path: path.to_owned(),
                found,
            });
        }
    }
    sync(&mut conn, dir, path)?;
    Ok(conn)
}

/// A CDXJ file as found in the folder.
struct Source {
    name: String,
    path: PathBuf,
    size: i64,
    mtime_ns: i64,
}

fn stamp(meta: &fs::Metadata) -> (i64, i64) {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(-1, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
    (i64::try_from(meta.len()).unwrap_or(i64::MAX), mtime)
}

/// The folder's CDXJ files, in name order.
fn sources(dir: &Path) -> Result<Vec<Source>, WarcError> {
    let mut out = Vec::new();
    for path in list(dir)? {
        if path.extension().is_none_or(|e| e != "cdxj") {
            continue;
        }
        let meta = fs::metadata(&path).map_err(|source| WarcError::Read {
            path: path.clone(),
            offset: 0,
            source,
        })?;
        let (size, mtime_ns) = stamp(&meta);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push(Source {
            name,
            path,
            size,
            mtime_ns,
        });
    }
    Ok(out)
}

/// Ingests new CDXJ files, or rebuilds everything when an ingested one changed or went away.
fn sync(conn: &mut Connection, dir: &Path, path: &Path) -> Result<(), WarcError> {
    let on_disk = sources(dir)?;
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(db_error(path, "starting a sync"))?;
    let known: HashMap<String, (i64, i64)> = {
        let mut stmt = tx
            .prepare("SELECT name, size, mtime_ns FROM sources")
            .map_err(db_error(path, "reading the ingested CDXJ files"))?;
        stmt.query_map([], |row| Ok((row.get(0)?, (row.get(1)?, row.get(2)?))))
            .and_then(|rows| rows.collect())
            .map_err(db_error(path, "reading the ingested CDXJ files"))?
    };
    let current: HashMap<&str, (i64, i64)> = on_disk
        .iter()
        .map(|s| (s.name.as_str(), (s.size, s.mtime_ns)))
        .collect();
    let stale = known
        .iter()
        .any(|(name, stamp)| current.get(name.as_str()) != Some(stamp));
    if stale {
        tracing::info!(index = %path.display(), "a CDXJ file changed or went away; rebuilding the WARC dedup index");
        tx.execute_batch(
            "DELETE FROM sources; DELETE FROM by_digest; DELETE FROM by_url; DELETE FROM record_ids;",
        )
        .map_err(db_error(path, "clearing the index"))?;
    }
    for source in &on_disk {
        if stale || !known.contains_key(&source.name) {
            ingest(&tx, path, source)?;
        }
    }
    tx.commit().map_err(db_error(path, "committing a sync"))
}

/// Adds one CDXJ file's responses.
fn ingest(tx: &rusqlite::Transaction, db: &Path, cdxj: &Source) -> Result<(), WarcError> {
    let read_error = |source| WarcError::Read {
        path: cdxj.path.clone(),
        offset: 0,
        source,
    };
    let file = File::open(&cdxj.path).map_err(read_error)?;
    // The stamp of the file as read (it may have been replaced since the folder was listed).
    let (size, mtime_ns) = file.metadata().map(|m| stamp(&m)).map_err(read_error)?;
    let write_error = db_error(db, "ingesting a CDXJ file");
    let mut by_digest = tx.prepare_cached(UPSERT_DIGEST).map_err(&write_error)?;
    let mut by_url = tx.prepare_cached(UPSERT_URL).map_err(&write_error)?;
    for (number, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(read_error)?;
        let Some(line) = CdxjLine::parse(&line) else {
            continue;
        };
        let fields = &line.fields;
        let digest = format!("sha1:{}", fields.digest);
        if fields.mime == "warc/revisit"
            || !fields.status.starts_with('2')
            || digest == EMPTY_DIGEST
            || line.warc_date().is_none()
        {
            continue;
        }
        let Ok(offset) = fields.offset.parse::<u64>() else {
            continue;
        };
        // Stored bit for bit; read back with `as u64`.
        let offset = offset as i64;
        let number = number as i64;
        by_digest
            .execute(params![
                digest,
                line.timestamp,
                cdxj.name,
                number,
                fields.url,
                fields.filename,
                offset
            ])
            .map_err(&write_error)?;
        by_url
            .execute(params![
                fields.url,
                line.timestamp,
                cdxj.name,
                number,
                digest,
                fields.filename,
                offset
            ])
            .map_err(&write_error)?;
    }
    tx.execute(
        "INSERT OR REPLACE INTO sources (name, size, mtime_ns) VALUES (?1, ?2, ?3)",
        params![cdxj.name, size, mtime_ns],
    )
    .map_err(&write_error)?;
    Ok(())
}
