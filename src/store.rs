//! Crawl state: one SQLite file (rusqlite, SQLite bundled, so no system library is needed) that makes
//! crawls incremental and resumable.
//!
//! Tables:
//! - `runs`: one row per run; `outcome` is NULL while a run is going (or after it was killed),
//!   `stopped` when `--max-runtime` or a signal ended it, `complete` otherwise. A run that is not
//!   `complete` is resumed by the next start.
//! - `pages`: per URL, across runs: kind, HTTP status, outcome, last fetch, ETag, Last-Modified, content
//!   hash, article path (relative to the output folder), canonical URL, a remembered permanent redirect,
//!   and the in-scope links or listing entries it yielded, with the entries' modification times (so a
//!   `304 Not Modified` hub or sitemap still feeds the frontier).
//! - `robots`: per host, the last robots.txt answer with its body, validators, age and run.
//! - `frontier`: the current run's URLs, `queued` or `done`, in discovery order, each with the
//!   modification time its listing gave.
//!
//! Versions: a state from an older gleaner is migrated in place, in one transaction, when opened
//! (version 1 → 2 added the modification times); a state from a newer gleaner is refused.
//!
//! Durability: WAL journal with `synchronous=NORMAL`, so a committed transaction survives the process being
//! killed (SIGKILL) and the file is never left corrupt. A URL's completion (its `pages` row, its frontier
//! row marked done, and the URLs it discovered) is one transaction: after a kill, a URL is either
//! finished with everything it found, or still queued and fetched again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, Row, params};

/// The schema this build reads and writes (`PRAGMA user_version`).
const SCHEMA_VERSION: i64 = 2;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    outcome TEXT
);
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    status INTEGER,
    outcome TEXT NOT NULL,
    last_fetch TEXT,
    last_run INTEGER NOT NULL,
    etag TEXT,
    last_modified TEXT,
    content_hash TEXT,
    article_path TEXT,
    canonical_url TEXT,
    redirect_to TEXT,
    links TEXT NOT NULL DEFAULT '[]',
    lastmods TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS pages_content_hash ON pages(content_hash);
CREATE TABLE IF NOT EXISTS robots (
    host TEXT PRIMARY KEY,
    status INTEGER NOT NULL,
    body BLOB NOT NULL,
    fetched_at TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    run_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS frontier (
    seq INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    site TEXT NOT NULL,
    kind TEXT NOT NULL,
    depth INTEGER NOT NULL,
    listed INTEGER NOT NULL,
    hops INTEGER NOT NULL,
    state TEXT NOT NULL,
    outcome TEXT,
    lastmod TEXT
);
";

/// Version 1 → 2: the listing entries' modification times.
const MIGRATE_1_TO_2: &str = "
BEGIN;
ALTER TABLE pages ADD COLUMN lastmods TEXT NOT NULL DEFAULT '{}';
ALTER TABLE frontier ADD COLUMN lastmod TEXT;
PRAGMA user_version = 2;
COMMIT;
";

/// A failure of the state database. Each names the file and the operation.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the crawl state {}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("crawl state {}: {what} failed", path.display())]
    Query {
        path: PathBuf,
        what: &'static str,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "crawl state {} has schema version {found}; this gleaner reads versions 1 to {SCHEMA_VERSION}",
        path.display()
    )]
    Version { path: PathBuf, found: i64 },
}

/// The run this process works on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunInfo {
    pub id: i64,
    /// Whether an unfinished earlier run is being continued.
    pub resumed: bool,
    pub started_at: String,
}

/// A URL of the current run's frontier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontierRow {
    pub url: String,
    /// The profile (site) the URL is crawled for.
    pub site: String,
    /// `page`, `sitemap` or `feed`.
    pub kind: String,
    pub depth: u32,
    /// Found in a feed or sitemap (rather than by following a link).
    pub listed: bool,
    /// Redirects followed to reach it.
    pub hops: u32,
    /// `queued` or `done`.
    pub state: String,
    /// For done rows: what happened (`new`, `unchanged`, `disallowed`, ...).
    pub outcome: Option<String>,
    /// When its listing says it last changed (RFC 3339, UTC).
    pub lastmod: Option<String>,
}

/// What the state remembers about a URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageRecord {
    pub url: String,
    pub kind: String,
    pub status: Option<u16>,
    pub outcome: String,
    /// RFC 3339 time of the last response.
    pub last_fetch: Option<String>,
    pub last_run: i64,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub content_hash: Option<String>,
    /// The article file, relative to the output folder.
    pub article_path: Option<String>,
    pub canonical_url: Option<String>,
    /// The target of a permanent redirect (301, 308).
    pub redirect_to: Option<String>,
    /// In-scope links (pages) or entries (sitemaps, feeds) found in the body.
    pub links: Vec<String>,
    /// For listings: the entries' modification times (RFC 3339, UTC), by URL, where given.
    pub lastmods: BTreeMap<String, String>,
}

/// The last robots.txt answer of a host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RobotsRecord {
    pub host: String,
    pub status: u16,
    pub body: Vec<u8>,
    /// RFC 3339 time of the last answer (a 304 refreshes it): the age of the copy.
    pub fetched_at: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub run_id: i64,
}

/// The open state database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the state at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let open_error = |source| StoreError::Open {
            path: path.to_owned(),
            source,
        };
        let conn = Connection::open(path).map_err(open_error)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(open_error)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_error)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(open_error)?;
        let store = Store {
            conn,
            path: path.to_owned(),
        };
        let version: i64 = store
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(store.err("reading the schema version"))?;
        match version {
            0 => {
                store
                    .conn
                    .execute_batch(SCHEMA)
                    .map_err(store.err("creating the schema"))?;
                store
                    .conn
                    .pragma_update(None, "user_version", SCHEMA_VERSION)
                    .map_err(store.err("setting the schema version"))?;
            }
            SCHEMA_VERSION => {}
            1 => store
                .conn
                .execute_batch(MIGRATE_1_TO_2)
                .map_err(store.err("migrating the state from version 1 to 2"))?,
            found => {
                return Err(StoreError::Version {
                    path: path.to_owned(),
                    found,
                });
            }
        }
        Ok(store)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err<'a>(&'a self, what: &'static str) -> impl Fn(rusqlite::Error) -> StoreError + 'a {
        err(&self.path, what)
    }

    /// Starts a run: continues the last run if it did not complete (killed, or stopped by
    /// `--max-runtime`), else opens a new one with an empty frontier.
    pub fn begin_run(&mut self, now: &str) -> Result<RunInfo, StoreError> {
        let last: Option<(i64, Option<String>, String)> = self
            .conn
            .query_row(
                "SELECT id, outcome, started_at FROM runs ORDER BY id DESC LIMIT 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()
            .map_err(self.err("reading the last run"))?;
        if let Some((id, outcome, started_at)) = last {
            if outcome.as_deref() != Some("complete") {
                self.conn
                    .execute(
                        "UPDATE runs SET outcome = NULL, finished_at = NULL WHERE id = ?1",
                        params![id],
                    )
                    .map_err(self.err("reopening the last run"))?;
                return Ok(RunInfo {
                    id,
                    resumed: true,
                    started_at,
                });
            }
        }
        let Store { conn, path } = self;
        let tx = conn.transaction().map_err(err(path, "starting a run"))?;
        tx.execute("DELETE FROM frontier", [])
            .map_err(err(path, "clearing the frontier"))?;
        tx.execute("INSERT INTO runs (started_at) VALUES (?1)", params![now])
            .map_err(err(path, "recording the run"))?;
        let id = tx.last_insert_rowid();
        tx.commit().map_err(err(path, "starting a run"))?;
        Ok(RunInfo {
            id,
            resumed: false,
            started_at: now.to_string(),
        })
    }

    /// Ends a run: `complete`, or `stopped` (resumed by the next start).
    pub fn finish_run(&mut self, id: i64, outcome: &str, now: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE runs SET outcome = ?2, finished_at = ?3 WHERE id = ?1",
                params![id, outcome, now],
            )
            .map_err(self.err("finishing the run"))?;
        Ok(())
    }

    /// The current run's frontier, in discovery order.
    pub fn frontier(&self) -> Result<Vec<FrontierRow>, StoreError> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT url, site, kind, depth, listed, hops, state, outcome, lastmod FROM frontier
                 ORDER BY seq",
            )
            .map_err(self.err("reading the frontier"))?;
        let rows = statement
            .query_map([], |row| {
                Ok(FrontierRow {
                    url: row.get(0)?,
                    site: row.get(1)?,
                    kind: row.get(2)?,
                    depth: row.get(3)?,
                    listed: row.get(4)?,
                    hops: row.get(5)?,
                    state: row.get(6)?,
                    outcome: row.get(7)?,
                    lastmod: row.get(8)?,
                })
            })
            .map_err(self.err("reading the frontier"))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(self.err("reading the frontier"))
    }

    /// Adds rows to the frontier (a URL already there is left as it is).
    pub fn enqueue(&mut self, rows: &[FrontierRow]) -> Result<(), StoreError> {
        let Store { conn, path } = self;
        let tx = conn.transaction().map_err(err(path, "queueing URLs"))?;
        insert_rows(&tx, rows).map_err(err(path, "queueing URLs"))?;
        tx.commit().map_err(err(path, "queueing URLs"))
    }

    /// Finishes `url` in one transaction: records `page` (if it was fetched), marks the frontier row done
    /// with `outcome`, and queues what it discovered.
    pub fn complete(
        &mut self,
        url: &str,
        outcome: &str,
        page: Option<&PageRecord>,
        children: &[FrontierRow],
    ) -> Result<(), StoreError> {
        let Store { conn, path } = self;
        let tx = conn.transaction().map_err(err(path, "recording a URL"))?;
        let result = (|| {
            if let Some(page) = page {
                upsert_page(&tx, page)?;
            }
            tx.execute(
                "UPDATE frontier SET state = 'done', outcome = ?2 WHERE url = ?1",
                params![url, outcome],
            )?;
            insert_rows(&tx, children)
        })();
        result.map_err(err(path, "recording a URL"))?;
        tx.commit().map_err(err(path, "recording a URL"))
    }

    /// What the state remembers about `url`.
    pub fn page(&self, url: &str) -> Result<Option<PageRecord>, StoreError> {
        self.conn
            .query_row(
                "SELECT url, kind, status, outcome, last_fetch, last_run, etag, last_modified,
                        content_hash, article_path, canonical_url, redirect_to, links, lastmods
                 FROM pages WHERE url = ?1",
                params![url],
                page_from_row,
            )
            .optional()
            .map_err(self.err("reading a page"))
    }

    /// Every URL with an article file: `(url, article path)`, sorted by URL.
    pub fn articles(&self) -> Result<Vec<(String, String)>, StoreError> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT url, article_path FROM pages WHERE article_path IS NOT NULL ORDER BY url",
            )
            .map_err(self.err("listing articles"))?;
        let rows = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(self.err("listing articles"))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(self.err("listing articles"))
    }

    /// `(content hash, canonical URL)` of every written article, for duplicate detection.
    pub fn article_hashes(&self) -> Result<Vec<(String, String)>, StoreError> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT content_hash, COALESCE(canonical_url, url) FROM pages
                 WHERE article_path IS NOT NULL AND content_hash IS NOT NULL",
            )
            .map_err(self.err("listing content hashes"))?;
        let rows = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(self.err("listing content hashes"))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(self.err("listing content hashes"))
    }

    /// The last robots.txt answer kept for `host`.
    pub fn robots(&self, host: &str) -> Result<Option<RobotsRecord>, StoreError> {
        self.conn
            .query_row(
                "SELECT host, status, body, fetched_at, etag, last_modified, run_id
                 FROM robots WHERE host = ?1",
                params![host],
                |row| {
                    Ok(RobotsRecord {
                        host: row.get(0)?,
                        status: row.get(1)?,
                        body: row.get(2)?,
                        fetched_at: row.get(3)?,
                        etag: row.get(4)?,
                        last_modified: row.get(5)?,
                        run_id: row.get(6)?,
                    })
                },
            )
            .optional()
            .map_err(self.err("reading robots.txt"))
    }

    /// Keeps a host's robots.txt answer.
    pub fn save_robots(&mut self, record: &RobotsRecord) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO robots (host, status, body, fetched_at, etag, last_modified, run_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(host) DO UPDATE SET status = excluded.status, body = excluded.body,
                   fetched_at = excluded.fetched_at, etag = excluded.etag,
                   last_modified = excluded.last_modified, run_id = excluded.run_id",
                params![
                    record.host,
                    record.status,
                    record.body,
                    record.fetched_at,
                    record.etag,
                    record.last_modified,
                    record.run_id
                ],
            )
            .map_err(self.err("saving robots.txt"))?;
        Ok(())
    }
}

/// Wraps a rusqlite error with the file and the operation.
fn err<'a>(path: &'a Path, what: &'static str) -> impl Fn(rusqlite::Error) -> StoreError + 'a {
    move |source| StoreError::Query {
        path: path.to_owned(),
        what,
        source,
    }
}

fn insert_rows(conn: &Connection, rows: &[FrontierRow]) -> Result<(), rusqlite::Error> {
    let mut statement = conn.prepare_cached(
        "INSERT OR IGNORE INTO frontier (url, site, kind, depth, listed, hops, state, outcome, lastmod)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for row in rows {
        statement.execute(params![
            row.url,
            row.site,
            row.kind,
            row.depth,
            row.listed,
            row.hops,
            row.state,
            row.outcome,
            row.lastmod
        ])?;
    }
    Ok(())
}

fn upsert_page(conn: &Connection, page: &PageRecord) -> Result<(), rusqlite::Error> {
    let links = serde_json::to_string(&page.links).unwrap_or_else(|_| "[]".to_string());
    let lastmods = serde_json::to_string(&page.lastmods).unwrap_or_else(|_| "{}".to_string());
    conn.prepare_cached(
        "INSERT INTO pages (url, kind, status, outcome, last_fetch, last_run, etag, last_modified,
                            content_hash, article_path, canonical_url, redirect_to, links, lastmods)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
         ON CONFLICT(url) DO UPDATE SET kind = excluded.kind, status = excluded.status,
           outcome = excluded.outcome, last_fetch = excluded.last_fetch,
           last_run = excluded.last_run, etag = excluded.etag,
           last_modified = excluded.last_modified, content_hash = excluded.content_hash,
           article_path = excluded.article_path, canonical_url = excluded.canonical_url,
           redirect_to = excluded.redirect_to, links = excluded.links,
           lastmods = excluded.lastmods",
    )?
    .execute(params![
        page.url,
        page.kind,
        page.status,
        page.outcome,
        page.last_fetch,
        page.last_run,
        page.etag,
        page.last_modified,
        page.content_hash,
        page.article_path,
        page.canonical_url,
        page.redirect_to,
        links,
        lastmods
    ])?;
    Ok(())
}

fn page_from_row(row: &Row<'_>) -> Result<PageRecord, rusqlite::Error> {
    let links: String = row.get(12)?;
    let lastmods: String = row.get(13)?;
    Ok(PageRecord {
        url: row.get(0)?,
        kind: row.get(1)?,
        status: row.get(2)?,
        outcome: row.get(3)?,
        last_fetch: row.get(4)?,
        last_run: row.get(5)?,
        etag: row.get(6)?,
        last_modified: row.get(7)?,
        content_hash: row.get(8)?,
        article_path: row.get(9)?,
        canonical_url: row.get(10)?,
        redirect_to: row.get(11)?,
        links: serde_json::from_str(&links).unwrap_or_default(),
        lastmods: serde_json::from_str(&lastmods).unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(url: &str, state: &str) -> FrontierRow {
        FrontierRow {
            url: url.into(),
            site: "s".into(),
            kind: "page".into(),
            depth: 0,
            listed: false,
            hops: 0,
            state: state.into(),
            outcome: None,
            lastmod: None,
        }
    }

    #[test]
    fn runs_resume_until_complete_and_frontier_survives() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("state.sqlite");
        let mut store = Store::open(&path).expect("open");
        let run = store.begin_run("t0").expect("run");
        assert!(!run.resumed);
        store
            .enqueue(&[
                row("http://a.test/", "queued"),
                row("http://a.test/x", "queued"),
            ])
            .expect("enqueue");
        let page = PageRecord {
            url: "http://a.test/".into(),
            kind: "page".into(),
            status: Some(200),
            outcome: "hub".into(),
            last_run: run.id,
            etag: Some("\"v1\"".into()),
            links: vec!["http://a.test/x".into()],
            lastmods: BTreeMap::from([("http://a.test/x".into(), "2024-01-02T12:00:00Z".into())]),
            ..PageRecord::default()
        };
        store
            .complete(
                "http://a.test/",
                "hub",
                Some(&page),
                &[
                    row("http://a.test/x", "queued"),
                    FrontierRow {
                        lastmod: Some("2024-01-02T12:00:00Z".into()),
                        ..row("http://a.test/y", "queued")
                    },
                ],
            )
            .expect("complete");
        drop(store);

        // As if killed: the next start resumes the same run with its frontier.
        let mut store = Store::open(&path).expect("reopen");
        let again = store.begin_run("t1").expect("run");
        assert_eq!((again.id, again.resumed), (run.id, true));
        let frontier = store.frontier().expect("frontier");
        let states: Vec<(&str, &str)> = frontier
            .iter()
            .map(|r| (r.url.as_str(), r.state.as_str()))
            .collect();
        assert_eq!(
            states,
            [
                ("http://a.test/", "done"),
                ("http://a.test/x", "queued"),
                ("http://a.test/y", "queued")
            ]
        );
        assert_eq!(frontier[2].lastmod.as_deref(), Some("2024-01-02T12:00:00Z"));
        assert_eq!(store.page("http://a.test/").expect("page"), Some(page));
        store.finish_run(run.id, "complete", "t2").expect("finish");
        let next = store.begin_run("t3").expect("run");
        assert!(!next.resumed && next.id > run.id);
        assert!(store.frontier().expect("frontier").is_empty());
    }

    /// The tables as gleaner 0.1 with state version 1 created them.
    const SCHEMA_V1: &str = "
        CREATE TABLE runs (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT,
            outcome TEXT);
        CREATE TABLE pages (url TEXT PRIMARY KEY, kind TEXT NOT NULL, status INTEGER,
            outcome TEXT NOT NULL, last_fetch TEXT, last_run INTEGER NOT NULL, etag TEXT,
            last_modified TEXT, content_hash TEXT, article_path TEXT, canonical_url TEXT,
            redirect_to TEXT, links TEXT NOT NULL DEFAULT '[]');
        CREATE INDEX pages_content_hash ON pages(content_hash);
        CREATE TABLE robots (host TEXT PRIMARY KEY, status INTEGER NOT NULL, body BLOB NOT NULL,
            fetched_at TEXT NOT NULL, etag TEXT, last_modified TEXT, run_id INTEGER NOT NULL);
        CREATE TABLE frontier (seq INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE,
            site TEXT NOT NULL, kind TEXT NOT NULL, depth INTEGER NOT NULL,
            listed INTEGER NOT NULL, hops INTEGER NOT NULL, state TEXT NOT NULL, outcome TEXT);
        INSERT INTO runs (started_at) VALUES ('t0');
        INSERT INTO pages (url, kind, status, outcome, last_fetch, last_run, etag, links)
            VALUES ('http://a.test/s.xml', 'urlset', 200, 'listing', 't0', 1, '\"e\"',
                    '[\"http://a.test/x\"]');
        INSERT INTO frontier (url, site, kind, depth, listed, hops, state)
            VALUES ('http://a.test/x', 's', 'page', 0, 1, 0, 'queued');
        PRAGMA user_version = 1;
    ";

    #[test]
    fn a_version_1_state_is_migrated_and_a_newer_one_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("v1.sqlite");
        Connection::open(&path)
            .and_then(|c| c.execute_batch(SCHEMA_V1))
            .expect("v1 state");
        let mut store = Store::open(&path).expect("migrated");
        let version: i64 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version");
        assert_eq!(version, SCHEMA_VERSION);
        let page = store
            .page("http://a.test/s.xml")
            .expect("read")
            .expect("kept");
        assert_eq!(page.links, ["http://a.test/x"]);
        assert_eq!(page.etag.as_deref(), Some("\"e\""));
        assert!(page.lastmods.is_empty());
        // The unfinished run and its frontier carry on.
        let run = store.begin_run("t1").expect("run");
        assert!(run.resumed);
        let frontier = store.frontier().expect("frontier");
        assert_eq!(frontier.len(), 1);
        assert_eq!(frontier[0].lastmod, None);
        drop(store);
        assert!(Store::open(&path).is_ok(), "a migrated state opens again");

        let newer = dir.path().join("v9.sqlite");
        Connection::open(&newer)
            .and_then(|c| c.execute_batch("PRAGMA user_version = 9;"))
            .expect("newer state");
        let err = Store::open(&newer).expect_err("newer is refused");
        assert!(matches!(err, StoreError::Version { found: 9, .. }), "{err}");
    }

    #[test]
    fn robots_round_trip() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = Store::open(&dir.path().join("s.sqlite")).expect("open");
        let record = RobotsRecord {
            host: "a.test:8080".into(),
            status: 200,
            body: b"User-agent: *\nDisallow: /x".to_vec(),
            fetched_at: "2026-01-01T00:00:00Z".into(),
            etag: Some("\"r\"".into()),
            last_modified: None,
            run_id: 1,
        };
        store.save_robots(&record).expect("save");
        assert_eq!(store.robots("a.test:8080").expect("read"), Some(record));
        assert_eq!(store.robots("b.test").expect("read"), None);
    }
}
