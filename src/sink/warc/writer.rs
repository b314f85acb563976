//! The WARC writer: one folder of `.warc.gz` files, each opened by a `warcinfo` record and holding, per HTTP
//! exchange, a `request` record and a `response` record (or a `revisit`), each its own gzip member, with a
//! CDXJ index beside it.
//!
//! - **Files** are named `<prefix>-<YYYYMMDDhhmmssSSS>-<serial>.warc.gz` (UTC time the file was opened,
//!   serial counting from 00000 within a run), so names sort in capture order. A file is written as
//!   `<name>.open` under an exclusive lock and renamed when closed; it is closed once it reaches the size
//!   limit (the exchange that crosses the limit stays whole in it) and at the end of the run. Closing
//!   fsyncs the file, writes its `<prefix>-…-<serial>.cdxj` index (sorted) and then renames it.
//! - **Revisits**: a `304 Not Modified` becomes a `server-not-modified` revisit; a complete 2xx whose
//!   payload digest equals an earlier response's (this run, or any file indexed in the folder) becomes an
//!   `identical-payload-digest` revisit without the body. Both name the earlier response when known
//!   (`WARC-Refers-To`, `-Target-URI`, `-Date`). A revisit's `WARC-Payload-Digest` is the digest of the
//!   payload it stands for (for a 304 whose earlier response is unknown: of its own, empty, payload).
//! - **Digests**: every record has `WARC-Block-Digest` (SHA-1 of the block) and `WARC-Payload-Digest`
//!   (SHA-1 of the HTTP body as stored for request and response records; of the block for `warcinfo` and
//!   `metadata`), base32, as warcio checks them.
//! - **Articles**: after an article is written, [`WarcWriter::record_article`] appends a `metadata` record
//!   referring to its response record, holding the article's key URL and path; `gleaner replay` reads them.
//! - **Recovery**: a `.open` file left by a killed run (and not locked by a live one) is cut after its last
//!   complete record, indexed and renamed when the next writer opens the folder.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use chrono::Utc;
use fs4::FileExt;
use serde::{Deserialize, Serialize};
use url::Url;

use super::WarcError;
use super::cdxj::{CdxjFields, CdxjLine, mime_of};
use super::files::{OPEN_SUFFIX, close_file, recover_open_files};
use super::originals::{Original, Originals};
use super::reader::WarcReader;
use super::record::{
    HTTP_REQUEST, HTTP_RESPONSE, PROFILE_IDENTICAL, PROFILE_NOT_MODIFIED, Record, new_record_id,
    sha1_digest, warc_date,
};
use crate::article::CaptureRef;
use crate::fetch::capture::{Capture, RecordError, Recorder};

/// Default size at which a WARC file is closed: 1 GB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 1_000_000_000;
/// `Content-Type` of gleaner's article metadata records.
pub const ARTICLE_REF_TYPE: &str = "application/vnd.gleaner.article-ref+json";
/// Payload digest of an empty payload.
pub(super) const EMPTY_DIGEST: &str = "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ";

/// Where and how WARC files are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcConfig {
    pub dir: PathBuf,
    /// A file is closed once it holds this many bytes.
    pub max_file_bytes: u64,
    /// File name prefix.
    pub prefix: String,
    /// Extra `warcinfo` fields (after `software`, `format` and `conformsTo`).
    pub info: Vec<(String, String)>,
}

impl WarcConfig {
    pub fn new(dir: impl Into<PathBuf>) -> WarcConfig {
        WarcConfig {
            dir: dir.into(),
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            prefix: "gleaner".into(),
            info: Vec::new(),
        }
    }

    /// `warcinfo` fields describing a run of `gleaner <command>`: its description, robots policy,
    /// User-Agent, and how the records differ from the bytes on the wire.
    pub fn run_info(command: &str, user_agent: &str) -> Vec<(String, String)> {
        let robots = if command == "crawl" { "obey" } else { "ignore" };
        vec![
            ("description".into(), format!("gleaner {command}")),
            ("robots".into(), robots.into()),
            ("http-header-user-agent".into(), user_agent.into()),
            (
                "gleaner-capture".into(),
                "bodies as received (before Content-Encoding decoding); chunked transfer framing \
                 removed and Transfer-Encoding stored as x-gleaner-orig-transfer-encoding; response \
                 header names lower-cased by the HTTP client, repeated fields grouped"
                    .into(),
            ),
        ]
    }
}

/// The body of an article metadata record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleRef {
    /// The article schema the article was written with.
    pub schema: String,
    /// The URL the article file is keyed by (its path is a function of it).
    pub key: String,
    /// The article file, relative to the output folder (`null` when articles went to a stream).
    pub path: Option<String>,
    pub content_hash: String,
}

pub(super) struct OpenFile {
    /// The final name (without `.open`).
    pub name: String,
    pub open_path: PathBuf,
    pub file: File,
    pub size: u64,
    pub warcinfo_id: String,
    pub index: Vec<CdxjLine>,
}

struct State {
    current: Option<OpenFile>,
    serial: u32,
    originals: Originals,
    /// Names of the files closed so far.
    closed: Vec<String>,
}

/// Writes WARC files; share it behind an `Arc` (it is also the fetcher's [`Recorder`]).
pub struct WarcWriter {
    config: WarcConfig,
    state: Mutex<State>,
}

impl std::fmt::Debug for WarcWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WarcWriter")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// What the response record of an exchange becomes.
enum Kind {
    Response,
    Identical(Original),
    NotModified(Option<Original>),
}

impl WarcWriter {
    /// Opens the folder (creating it): recovers files a killed run left open and loads the folder's CDXJ
    /// indexes, so that payloads archived earlier become revisits. No file is created before the first
    /// record.
    pub fn open(config: WarcConfig) -> Result<WarcWriter, WarcError> {
        fs::create_dir_all(&config.dir).map_err(|source| WarcError::CreateDir {
            path: config.dir.clone(),
            source,
        })?;
        recover_open_files(&config.dir)?;
        let originals = Originals::open(&config.dir)?;
        Ok(WarcWriter {
            config,
            state: Mutex::new(State {
                current: None,
                serial: 0,
                originals,
                closed: Vec::new(),
            }),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.config.dir
    }

    /// Archives one exchange: a request record, then a response or revisit record. Returns where the
    /// response (or revisit) record is.
    pub fn record_capture(&self, capture: &Capture) -> Result<CaptureRef, WarcError> {
        let payload_digest = sha1_digest(&capture.body);
        let date = warc_date(capture.fetched_at);
        let uri = capture.url.as_str();
        let request_id = new_record_id();
        let response_id = new_record_id();
        let mut state = self.lock();
        let kind = if capture.status == 304 {
            Kind::NotModified(state.originals.by_url(uri)?)
        } else if capture.is_complete_success() && !capture.body.is_empty() {
            match state.originals.by_digest(&payload_digest)? {
                Some(original) => Kind::Identical(original),
                None => Kind::Response,
            }
        } else {
            Kind::Response
        };
        let (original, profile) = match &kind {
            Kind::Response => (None, None),
            Kind::Identical(original) => (Some(original), Some(PROFILE_IDENTICAL)),
            Kind::NotModified(original) => (original.as_ref(), Some(PROFILE_NOT_MODIFIED)),
        };
        let refers_to = match original {
            Some(original) => self.original_id(&state.originals, original)?,
            None => None,
        };
        // What the record's payload digest says: the payload it stands for.
        let digest = original.map_or(payload_digest.clone(), |o| o.digest.clone());

        let warcinfo_id = self.current_file(&mut state)?.warcinfo_id.clone();
        let request = Record::new("request", &request_id, &date)
            .field("WARC-Target-URI", uri)
            .field("WARC-Warcinfo-ID", &warcinfo_id)
            .field("WARC-Concurrent-To", &response_id)
            .block(HTTP_REQUEST, capture.request_head(), EMPTY_DIGEST);
        let mut block = capture.response_head();
        if !matches!(kind, Kind::Identical(_)) {
            block.extend_from_slice(&capture.body);
        }
        let warc_type = if profile.is_some() {
            "revisit"
        } else {
            "response"
        };
        let response = Record::new(warc_type, &response_id, &date)
            .field("WARC-Target-URI", uri)
            .field_opt("WARC-IP-Address", capture.ip.map(|ip| ip.to_string()))
            .field("WARC-Warcinfo-ID", &warcinfo_id)
            .field_opt("WARC-Profile", profile)
            .field_opt("WARC-Refers-To", refers_to.clone())
            .field_opt("WARC-Refers-To-Target-URI", original.map(|o| o.uri.clone()))
            .field_opt("WARC-Refers-To-Date", original.map(|o| o.date.clone()))
            .field_opt("WARC-Truncated", capture.truncated.map(|t| t.as_str()))
            .block(HTTP_RESPONSE, block, &digest);

        let file = self.current_file(&mut state)?;
        self.append(file, &request)?;
        let (offset, length) = self.append(file, &response)?;
        let mime = if profile.is_some() {
            "warc/revisit".to_string()
        } else {
            mime_of(capture.header("content-type"))
        };
        file.index.push(CdxjLine::new(
            &capture.url,
            &date,
            CdxjFields {
                url: uri.to_string(),
                mime,
                status: capture.status.to_string(),
                digest: digest.trim_start_matches("sha1:").to_string(),
                length: length.to_string(),
                offset: offset.to_string(),
                filename: file.name.clone(),
            },
        ));
        let warc_file = file.name.clone();
        let full = file.size >= self.config.max_file_bytes;
        match kind {
            Kind::Response if capture.is_complete_success() && !capture.body.is_empty() => {
                state.originals.add(&Original {
                    uri: uri.to_string(),
                    date,
                    digest,
                    id: Ok(response_id.clone()),
                })?;
            }
            // The URL's payload is the earlier one: a later 304 for this URL can name it.
            Kind::Identical(mut original) => {
                if let Some(id) = &refers_to {
                    original.id = Ok(id.clone());
                }
                state.originals.set_url(uri, &original)?;
            }
            _ => {}
        }
        if full {
            self.close_current(&mut state)?;
        }
        Ok(CaptureRef {
            warc_file,
            record_id: response_id,
            refers_to,
        })
    }

    /// Appends a `metadata` record saying that `article` was written from the record `capture` points to.
    pub fn record_article(
        &self,
        capture: &CaptureRef,
        url: &Url,
        article: &ArticleRef,
    ) -> Result<(), WarcError> {
        let body = serde_json::to_vec(article).unwrap_or_default();
        let digest = sha1_digest(&body);
        let mut state = self.lock();
        let file = self.current_file(&mut state)?;
        let record = Record::new("metadata", &new_record_id(), &warc_date(Utc::now()))
            .field("WARC-Target-URI", url.as_str())
            .field("WARC-Warcinfo-ID", &file.warcinfo_id)
            .field("WARC-Refers-To", &capture.record_id)
            .block(ARTICLE_REF_TYPE, body, &digest);
        self.append(file, &record)?;
        if file.size >= self.config.max_file_bytes {
            self.close_current(&mut state)?;
        }
        Ok(())
    }

    /// Closes the open file (fsync, index, rename). Returns the names of every file this writer closed.
    /// Writing again afterwards opens a new file.
    pub fn finish(&self) -> Result<Vec<String>, WarcError> {
        let mut state = self.lock();
        self.close_current(&mut state)?;
        Ok(state.closed.clone())
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The earlier record's id, read from its file the first time it is needed (then remembered).
    fn original_id(
        &self,
        originals: &Originals,
        original: &Original,
    ) -> Result<Option<String>, WarcError> {
        let (file, offset) = match &original.id {
            Ok(id) => return Ok(Some(id.clone())),
            Err((file, offset)) => (file, *offset),
        };
        if let Some(id) = originals.known_id(file, offset)? {
            return Ok(Some(id));
        }
        let Ok(entry) = WarcReader::read_at(&self.config.dir.join(file), offset) else {
            return Ok(None);
        };
        let id = entry.record.id().to_string();
        originals.remember_id(file, offset, &id)?;
        Ok(Some(id))
    }

    /// The open file, opening a new one (with its `warcinfo` record) when there is none.
    fn current_file<'s>(&self, state: &'s mut State) -> Result<&'s mut OpenFile, WarcError> {
        let file = match state.current.take() {
            Some(file) => file,
            None => self.open_file(&mut state.serial)?,
        };
        Ok(state.current.insert(file))
    }

    fn open_file(&self, serial: &mut u32) -> Result<OpenFile, WarcError> {
        let stamp = Utc::now().format("%Y%m%d%H%M%S%3f").to_string();
        loop {
            let name = format!("{}-{stamp}-{serial:05}.warc.gz", self.config.prefix);
            *serial += 1;
            let path = self.config.dir.join(&name);
            let open_path = self.config.dir.join(format!("{name}{OPEN_SUFFIX}"));
            if path.exists() {
                continue;
            }
            let file = match OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&open_path)
            {
                Ok(file) => file,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(source) => {
                    return Err(WarcError::Open {
                        path: open_path,
                        source,
                    });
                }
            };
            FileExt::try_lock(&file).map_err(|e| WarcError::Open {
                path: open_path.clone(),
                source: std::io::Error::other(e.to_string()),
            })?;
            let mut open = OpenFile {
                name,
                open_path,
                file,
                size: 0,
                warcinfo_id: new_record_id(),
                index: Vec::new(),
            };
            let info = self.warcinfo(&open);
            self.append(&mut open, &info)?;
            return Ok(open);
        }
    }

    fn warcinfo(&self, file: &OpenFile) -> Record {
        let mut fields = vec![
            (
                "software".to_string(),
                concat!("gleaner/", env!("CARGO_PKG_VERSION")).to_string(),
            ),
            ("format".into(), "WARC File Format 1.1".into()),
            (
                "conformsTo".into(),
                "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
                    .into(),
            ),
        ];
        fields.extend(self.config.info.iter().cloned());
        let mut block = Vec::new();
        for (name, value) in fields {
            let value = value.replace(['\r', '\n'], " ");
            block.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        let digest = sha1_digest(&block);
        Record::new("warcinfo", &file.warcinfo_id, &warc_date(Utc::now()))
            .field("WARC-Filename", &file.name)
            .block("application/warc-fields", block, &digest)
    }

    /// Appends one record as its own gzip member; returns the member's offset and length.
    fn append(&self, file: &mut OpenFile, record: &Record) -> Result<(u64, u64), WarcError> {
        let write_error = |source| WarcError::Write {
            path: file.open_path.clone(),
            source,
        };
        let member = record.to_gzip_member().map_err(write_error)?;
        file.file
            .write_all(&member)
            .map_err(|source| WarcError::Write {
                path: file.open_path.clone(),
                source,
            })?;
        let offset = file.size;
        file.size += member.len() as u64;
        Ok((offset, member.len() as u64))
    }

    fn close_current(&self, state: &mut State) -> Result<(), WarcError> {
        if let Some(file) = state.current.take() {
            let name = file.name.clone();
            close_file(&self.config.dir, file)?;
            state.closed.push(name);
        }
        Ok(())
    }
}

impl Recorder for WarcWriter {
    fn record(&self, capture: &Capture) -> Result<CaptureRef, RecordError> {
        Ok(self.record_capture(capture)?)
    }
}

impl Drop for WarcWriter {
    /// A writer dropped without [`finish`](WarcWriter::finish) (an early error) still closes its file.
    fn drop(&mut self) {
        let mut state = self.lock();
        if let Err(error) = self.close_current(&mut state) {
            tracing::error!(%error, "closing the WARC file failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::files::{index_path, list};
    use super::super::reader::Entry;
    use super::*;
    use crate::fetch::capture::Truncation;

    fn capture(url: &str, status: u16, body: &[u8]) -> Capture {
        Capture {
            url: Url::parse(url).expect("url"),
            target: Url::parse(url).expect("url").path().to_string(),
            request_headers: vec![("Host".into(), b"a.test".to_vec())],
            version: "HTTP/1.1",
            status,
            reason: "OK".into(),
            headers: vec![("content-type".into(), b"text/html; charset=utf-8".to_vec())],
            body: body.to_vec(),
            truncated: None,
            ip: Some([127, 0, 0, 1].into()),
            fetched_at: Utc::now(),
        }
    }

    fn records(dir: &Path) -> Vec<(String, Entry)> {
        let mut out = Vec::new();
        for path in list(dir).expect("list") {
            if path.to_string_lossy().ends_with(".warc.gz") {
                let name = path
                    .file_name()
                    .expect("name")
                    .to_string_lossy()
                    .into_owned();
                for entry in WarcReader::open(&path).expect("open") {
                    out.push((name.clone(), entry.expect("record")));
                }
            }
        }
        out
    }

    #[test]
    fn exchanges_revisits_and_metadata() {
        let dir = tempfile::tempdir().expect("tempdir");
        let writer = WarcWriter::open(WarcConfig::new(dir.path())).expect("open");
        let first = writer
            .record_capture(&capture("http://a.test/1", 200, b"<p>one</p>"))
            .expect("first");
        assert_eq!(first.refers_to, None);
        let same = writer
            .record_capture(&capture("http://a.test/copy", 200, b"<p>one</p>"))
            .expect("identical");
        assert_eq!(same.refers_to.as_deref(), Some(first.record_id.as_str()));
        let not_modified = writer
            .record_capture(&capture("http://a.test/1", 304, b""))
            .expect("304");
        assert_eq!(not_modified.refers_to, Some(first.record_id.clone()));
        let mut cut = capture("http://a.test/big", 200, b"<p>partial");
        cut.truncated = Some(Truncation::Length);
        writer.record_capture(&cut).expect("truncated");
        let article = ArticleRef {
            schema: "gleaner.article/2".into(),
            key: "http://a.test/1".into(),
            path: Some("a.test/1.json".into()),
            content_hash: "sha256:x".into(),
        };
        let url = Url::parse("http://a.test/1").expect("url");
        writer
            .record_article(&first, &url, &article)
            .expect("metadata");
        let files = writer.finish().expect("finish");
        assert_eq!(files.len(), 1);
        assert!(
            !dir.path()
                .join(format!("{}{OPEN_SUFFIX}", files[0]))
                .exists()
        );

        let stored = records(dir.path());
        let types: Vec<&str> = stored.iter().map(|(_, e)| e.record.warc_type()).collect();
        assert_eq!(
            types,
            [
                "warcinfo", "request", "response", "request", "revisit", "request", "revisit",
                "request", "response", "metadata"
            ]
        );
        for (_, entry) in &stored {
            let r = &entry.record;
            assert_eq!(
                r.get("WARC-Block-Digest"),
                Some(sha1_digest(&r.block).as_str())
            );
            assert!(r.get("WARC-Payload-Digest").is_some());
        }
        let identical = &stored[4].1.record;
        assert_eq!(identical.get("WARC-Profile"), Some(PROFILE_IDENTICAL));
        assert_eq!(
            identical.get("WARC-Refers-To-Target-URI"),
            Some("http://a.test/1")
        );
        assert_eq!(
            identical.get("WARC-Payload-Digest"),
            Some(sha1_digest(b"<p>one</p>").as_str())
        );
        assert!(
            identical.block.ends_with(b"\r\n\r\n"),
            "revisit keeps the head only"
        );
        assert_eq!(
            stored[6].1.record.get("WARC-Profile"),
            Some(PROFILE_NOT_MODIFIED)
        );
        assert_eq!(stored[8].1.record.get("WARC-Truncated"), Some("length"));
        let meta: ArticleRef = serde_json::from_slice(&stored[9].1.record.block).expect("json");
        assert_eq!(meta, article);

        let index = fs::read_to_string(index_path(dir.path(), &files[0])).expect("index");
        let lines: Vec<CdxjLine> = index.lines().filter_map(CdxjLine::parse).collect();
        assert_eq!(lines.len(), 4, "{index}");
        let response = lines
            .iter()
            .find(|l| l.fields.url == "http://a.test/1" && l.fields.mime == "text/html")
            .expect("line");
        assert_eq!(response.fields.offset, stored[2].1.offset.to_string());
        assert_eq!(response.fields.length, stored[2].1.length.to_string());
        assert_eq!(response.key, "test,a)/1");

        // A later writer on the same folder knows the payload from the index.
        let later = WarcWriter::open(WarcConfig::new(dir.path())).expect("reopen");
        let again = later
            .record_capture(&capture("http://a.test/1", 200, b"<p>one</p>"))
            .expect("again");
        assert_eq!(again.refers_to.as_deref(), Some(first.record_id.as_str()));
        assert_eq!(later.finish().expect("finish").len(), 1);
    }

    #[test]
    fn files_rotate_at_the_size_limit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut config = WarcConfig::new(dir.path());
        config.max_file_bytes = 1;
        let writer = WarcWriter::open(config).expect("open");
        let a = writer
            .record_capture(&capture("http://a.test/a", 200, b"a"))
            .expect("a");
        let b = writer
            .record_capture(&capture("http://a.test/b", 200, b"b"))
            .expect("b");
        assert_ne!(a.warc_file, b.warc_file);
        assert!(a.warc_file.ends_with("-00000.warc.gz") && b.warc_file.ends_with("-00001.warc.gz"));
        let files = writer.finish().expect("finish");
        assert_eq!(files, [a.warc_file.clone(), b.warc_file.clone()]);
        for file in &files {
            let types: Vec<String> = WarcReader::open(&dir.path().join(file))
                .expect("open")
                .map(|e| e.expect("record").record.warc_type().to_string())
                .collect();
            assert_eq!(types, ["warcinfo", "request", "response"]);
        }
    }

    #[test]
    fn a_file_left_open_is_cut_after_its_last_record_and_closed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let writer = WarcWriter::open(WarcConfig::new(dir.path())).expect("open");
        let a = writer
            .record_capture(&capture("http://a.test/a", 200, b"a"))
            .expect("a");
        // Simulate a kill: keep the .open file, add a torn member, skip finish.
        let open_path = dir.path().join(format!("{}{OPEN_SUFFIX}", a.warc_file));
        let copy = dir.path().join("copy");
        fs::copy(&open_path, &copy).expect("copy");
        drop(writer);
        fs::rename(&copy, &open_path).expect("restore");
        fs::remove_file(dir.path().join(&a.warc_file)).expect("remove closed");
        let torn = Record::new("response", &new_record_id(), "2026-01-01T00:00:00Z")
            .block(
                HTTP_RESPONSE,
                b"HTTP/1.1 200 OK\r\n\r\nxyz".to_vec(),
                EMPTY_DIGEST,
            )
            .to_gzip_member()
            .expect("gzip");
        let mut file = OpenOptions::new()
            .append(true)
            .open(&open_path)
            .expect("open");
        file.write_all(&torn[..torn.len() / 2]).expect("torn");
        drop(file);

        WarcWriter::open(WarcConfig::new(dir.path())).expect("recover");
        assert!(!open_path.exists());
        let stored = records(dir.path());
        assert_eq!(stored.len(), 3);
        assert!(index_path(dir.path(), &a.warc_file).is_file());
    }
}
