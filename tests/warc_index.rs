//! The WARC folder's dedup index (`.gleaner-warc-index.sqlite`): created by the first writer and reused
//! by the next, rebuilt when deleted, corrupt or out of date with the CDXJ files, and picking up CDXJ
//! files another writer (or a person) put in the folder; a revisit names the same earlier response as
//! when every CDXJ line was loaded into memory.

use std::fs;
use std::path::Path;

use chrono::Utc;
use gleaner::article::CaptureRef;
use gleaner::fetch::Capture;
use gleaner::sink::warc::record::sha1_digest;
use gleaner::sink::warc::{INDEX_FILE, WarcConfig, WarcReader, WarcWriter, surt};
use url::Url;

fn capture(url: &str, status: u16, body: &[u8]) -> Capture {
    let parsed = Url::parse(url).expect("url");
    Capture {
        target: parsed.path().to_string(),
        url: parsed,
        request_headers: vec![("Host".into(), b"a.test".to_vec())],
        version: "HTTP/1.1",
        status,
        reason: "OK".into(),
        headers: vec![("content-type".into(), b"text/html".to_vec())],
        body: body.to_vec(),
        truncated: None,
        ip: None,
        fetched_at: Utc::now(),
    }
}

/// One writer run over `dir`, archiving `captures` in order.
fn run(dir: &Path, captures: &[Capture]) -> Vec<CaptureRef> {
    let writer = WarcWriter::open(WarcConfig::new(dir)).expect("open the WARC folder");
    let refs = captures
        .iter()
        .map(|c| writer.record_capture(c).expect("record"))
        .collect();
    writer.finish().expect("finish");
    refs
}

/// A field of the record `capture` points to.
fn field(dir: &Path, capture: &CaptureRef, name: &str) -> Option<String> {
    WarcReader::open(&dir.join(&capture.warc_file))
        .expect("open WARC")
        .map(|e| e.expect("record").record)
        .find(|r| r.id() == capture.record_id)
        .expect("the record")
        .get(name)
        .map(str::to_string)
}

fn index_rows(dir: &Path, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(dir.join(INDEX_FILE)).expect("open the index");
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
        row.get(0)
    })
    .expect("count")
}

fn remove_index(dir: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = fs::remove_file(dir.join(format!("{INDEX_FILE}{suffix}")));
    }
}

const PAGE: &[u8] = b"<p>the same payload</p>";

#[test]
fn the_index_is_created_by_the_first_run_and_reused_by_the_next() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = run(dir.path(), &[capture("http://a.test/1", 200, PAGE)]);
    assert!(dir.path().join(INDEX_FILE).is_file());
    assert_eq!(first[0].refers_to, None);

    // Run 2 finds run 1's payload through the index (run 1's CDXJ ingested) and reads its id once.
    let second = run(dir.path(), &[capture("http://a.test/copy", 200, PAGE)]);
    assert_eq!(second[0].refers_to, Some(first[0].record_id.clone()));
    assert_eq!(index_rows(dir.path(), "record_ids"), 1);

    // Run 3 reuses the index as it is (a rebuild would forget the id read by run 2) and only adds run
    // 2's CDXJ; a 304 for the first URL names its response.
    let third = run(dir.path(), &[capture("http://a.test/1", 304, b"")]);
    assert_eq!(third[0].refers_to, Some(first[0].record_id.clone()));
    assert_eq!(index_rows(dir.path(), "record_ids"), 1);
    assert_eq!(index_rows(dir.path(), "sources"), 2);
}

#[test]
fn a_deleted_index_is_rebuilt_from_the_cdxj_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = run(dir.path(), &[capture("http://a.test/1", 200, PAGE)]);
    remove_index(dir.path());
    let second = run(dir.path(), &[capture("http://a.test/copy", 200, PAGE)]);
    assert_eq!(second[0].refers_to, Some(first[0].record_id.clone()));
    assert!(dir.path().join(INDEX_FILE).is_file());
    assert_eq!(index_rows(dir.path(), "sources"), 1);
}

#[test]
fn a_corrupt_index_is_replaced_by_a_rebuilt_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = run(dir.path(), &[capture("http://a.test/1", 200, PAGE)]);
    remove_index(dir.path());
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7919 % 251) as u8).collect();
    fs::write(dir.path().join(INDEX_FILE), garbage).expect("garbage");
    let second = run(dir.path(), &[capture("http://a.test/copy", 200, PAGE)]);
    assert_eq!(second[0].refers_to, Some(first[0].record_id.clone()));
    assert_eq!(index_rows(dir.path(), "sources"), 1);
    assert_eq!(index_rows(dir.path(), "by_digest"), 1);
}

#[test]
fn a_cdxj_file_put_in_the_folder_by_another_writer_is_picked_up() {
    let dir = tempfile::tempdir().expect("tempdir");
    run(
        dir.path(),
        &[capture("http://a.test/other", 200, b"<p>other</p>")],
    );
    // A run's own CDXJ is ingested by the next writer that opens the folder.
    assert_eq!(index_rows(dir.path(), "sources"), 0);

    // Another writer archives the payload elsewhere; its WARC and CDXJ are then copied in.
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let theirs = run(elsewhere.path(), &[capture("http://b.test/x", 200, PAGE)]);
    for entry in fs::read_dir(elsewhere.path()).expect("list") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if !name.starts_with('.') {
            fs::copy(&path, dir.path().join(&name)).expect("copy");
        }
    }
    let ours = run(dir.path(), &[capture("http://a.test/copy", 200, PAGE)]);
    assert_eq!(ours[0].refers_to, Some(theirs[0].record_id.clone()));
    assert_eq!(
        field(dir.path(), &ours[0], "WARC-Refers-To-Target-URI").as_deref(),
        Some("http://b.test/x")
    );
    assert_eq!(index_rows(dir.path(), "sources"), 2);
}

#[test]
fn a_changed_or_removed_cdxj_file_rebuilds_the_index() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = run(dir.path(), &[capture("http://a.test/1", 200, PAGE)]);
    let cdxj = dir
        .path()
        .join(first[0].warc_file.replace(".warc.gz", ".cdxj"));
    // Emptied by hand: the payload is no longer known.
    fs::write(&cdxj, "").expect("empty the CDXJ");
    let second = run(dir.path(), &[capture("http://a.test/2", 200, PAGE)]);
    assert_eq!(second[0].refers_to, None, "a stale entry was used");
    assert_eq!(
        field(dir.path(), &second[0], "WARC-Type").as_deref(),
        Some("response")
    );

    // Run 2's CDXJ removed: its response is forgotten too.
    let cdxj = dir
        .path()
        .join(second[0].warc_file.replace(".warc.gz", ".cdxj"));
    fs::remove_file(cdxj).expect("remove the CDXJ");
    let third = run(dir.path(), &[capture("http://a.test/3", 200, PAGE)]);
    assert_eq!(third[0].refers_to, None, "a stale entry was used");
}

/// A CDXJ file written by hand, naming a response of `url` with `body` at `timestamp` (in a WARC file
/// that is not there: its record id is then unknown, but the revisit still names the URL and date).
fn write_cdxj(dir: &Path, name: &str, url: &str, timestamp: &str, body: &[u8]) {
    let key = surt(&Url::parse(url).expect("url"));
    let digest = sha1_digest(body);
    let digest = digest.trim_start_matches("sha1:");
    let json = format!(
        r#"{{"url":"{url}","mime":"text/html","status":"200","digest":"{digest}","length":"100","offset":"0","filename":"missing.warc.gz"}}"#
    );
    fs::write(dir.join(name), format!("{key} {timestamp} {json}\n")).expect("write CDXJ");
}

#[test]
fn an_earlier_capture_in_a_cdxj_ingested_later_becomes_the_original() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_cdxj(
        dir.path(),
        "z-late.cdxj",
        "http://late.test/",
        "20250101000000",
        PAGE,
    );
    let before = run(dir.path(), &[capture("http://a.test/1", 200, PAGE)]);
    assert_eq!(
        field(dir.path(), &before[0], "WARC-Refers-To-Target-URI").as_deref(),
        Some("http://late.test/")
    );
    assert_eq!(
        field(dir.path(), &before[0], "WARC-Refers-To-Date").as_deref(),
        Some("2025-01-01T00:00:00Z")
    );
    // An older capture of the payload, added afterwards: the first capture is now that one, exactly as
    // if every line had been loaded and sorted by time.
    write_cdxj(
        dir.path(),
        "a-early.cdxj",
        "http://early.test/",
        "20240101000000",
        PAGE,
    );
    let after = run(dir.path(), &[capture("http://a.test/2", 200, PAGE)]);
    assert_eq!(
        field(dir.path(), &after[0], "WARC-Refers-To-Target-URI").as_deref(),
        Some("http://early.test/")
    );
    let rebuilt = tempfile::tempdir().expect("tempdir");
    for name in ["z-late.cdxj", "a-early.cdxj"] {
        fs::copy(dir.path().join(name), rebuilt.path().join(name)).expect("copy");
    }
    let fresh = run(rebuilt.path(), &[capture("http://a.test/2", 200, PAGE)]);
    assert_eq!(
        field(rebuilt.path(), &fresh[0], "WARC-Refers-To-Target-URI").as_deref(),
        Some("http://early.test/")
    );
}
