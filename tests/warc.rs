//! WARC archiving end to end: a crawl of the local test site with `--warc` (gzip, brotli and chunked
//! bodies, a legacy charset, a redirect, a 404, identical payloads, conditional second run), checked by
//! warcio and a standard-library reader (digests, one gzip member per record, the CDXJ index), by what
//! the server received (the request records), and by the replay round trip: replaying the WARC files into
//! a fresh folder gives the same articles. Also `ingest --warc` and `replay --all-responses`.

#[path = "common/articles.rs"]
mod articles;
#[path = "common/cli.rs"]
mod cli;
#[path = "common/compress.rs"]
mod compress;
#[path = "common/fetch_server.rs"]
#[allow(dead_code)]
mod fetch_server;
#[path = "common/python.rs"]
mod python;
#[path = "common/site.rs"]
#[allow(dead_code)]
mod site;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use articles::article_files;
use compress::{brotli, gzip};
use fetch_server::{Reply, Request};
use gleaner::sink::warc::{Entry, WarcReader};
use site::{
    Host, Run, article, gleaner, hub, not_found, path_of, stderr, story_hub, story_profile,
    with_etag,
};

/// `body` in two HTTP chunks.
fn chunked(body: &[u8]) -> Vec<u8> {
    let (a, b) = body.split_at(body.len() / 2);
    let mut out = Vec::new();
    for part in [a, b] {
        out.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        out.extend_from_slice(part);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

/// A 200 with an ETag and extra headers, or a 304 when `If-None-Match` carries the ETag.
fn tagged(req: &Request, etag: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Reply {
    if req.header("if-none-match") == Some(etag) {
        return Reply::Full {
            status: 304,
            headers: vec![("ETag".into(), etag.into())],
            body: Vec::new(),
        };
    }
    let mut all = vec![("ETag".to_string(), etag.to_string())];
    all.extend(headers.iter().map(|(n, v)| (n.to_string(), v.to_string())));
    Reply::Full {
        status: 200,
        headers: all,
        body,
    }
}

const HTML: &str = "text/html; charset=utf-8";

async fn archive_site(changed: Arc<AtomicBool>) -> Host {
    let plain = article("A page without validators", &[]);
    Host::start(7, move |req| {
        let html = ("Content-Type", HTML);
        match path_of(req) {
            "/robots.txt" => with_etag(req, "\"r\"", "text/plain", "User-agent: *\nAllow: /\n"),
            "/" => with_etag(
                req,
                "\"home\"",
                "text/html",
                hub(&[
                    "/story/gzip",
                    "/story/br",
                    "/story/chunked",
                    "/story/latin1",
                    "/story/old",
                    "/story/plain",
                    "/story/copy",
                    "/story/changing",
                    "/story/missing",
                ]),
            ),
            "/story/gzip" => tagged(
                req,
                "\"gz\"",
                &[
                    html,
                    ("Content-Encoding", "gzip"),
                    ("X-Twice", "1"),
                    ("Vary", "Accept-Encoding"),
                    ("X-Twice", "2"),
                ],
                gzip(article("A story sent with gzip", &[]).as_bytes()),
            ),
            "/story/br" => tagged(
                req,
                "\"br\"",
                &[html, ("Content-Encoding", "br")],
                brotli(article("A story sent with brotli", &[]).as_bytes()),
            ),
            "/story/chunked" => tagged(
                req,
                "\"ch\"",
                &[html, ("Transfer-Encoding", "chunked")],
                chunked(article("A story sent in chunks", &[]).as_bytes()),
            ),
            "/story/latin1" => {
                let text = article("Caf\u{e9} cr\u{e8}me, a story in Latin-1", &[]);
                let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
                tagged(
                    req,
                    "\"l1\"",
                    &[("Content-Type", "text/html; charset=windows-1252")],
                    bytes.into_owned(),
                )
            }
            "/story/old" => Reply::Full {
                status: 301,
                headers: vec![("Location".into(), "/story/moved".into())],
                body: b"moved".to_vec(),
            },
            "/story/moved" => tagged(
                req,
                "\"mv\"",
                &[html],
                article("The story that moved", &[]).into(),
            ),
            // No validators: refetched in full by the second run (an identical payload).
            "/story/plain" | "/story/copy" => Reply::html(Some(HTML), plain.clone()),
            "/story/changing" if changed.load(Ordering::SeqCst) => tagged(
                req,
                "\"v2\"",
                &[html],
                article("A story that was corrected", &[]).into(),
            ),
            "/story/changing" => tagged(
                req,
                "\"v1\"",
                &[html],
                article("A story before its correction", &[]).into(),
            ),
            _ => not_found(),
        }
    })
    .await
}

/// Every WARC file in `dir`, sorted (= capture order).
fn warc_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("warc dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".warc.gz"))
        .collect();
    files.sort();
    files
}

/// Every record of every file, with its file name.
fn records(files: &[PathBuf]) -> Vec<(String, Entry)> {
    let mut out = Vec::new();
    for file in files {
        let name = file
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        for entry in WarcReader::open(file).expect("open WARC") {
            out.push((name.clone(), entry.expect("record")));
        }
    }
    out
}

fn http_head(block: &[u8]) -> (String, Vec<(String, String)>, &[u8]) {
    let end = block
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("HTTP head");
    let head = String::from_utf8_lossy(&block[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let first = lines.next().unwrap_or_default().to_string();
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    (first, headers, &block[end + 4..])
}

fn field<'a>(entry: &'a Entry, name: &str) -> &'a str {
    entry.record.get(name).unwrap_or_default()
}

/// Article files under `dir` (`<host>/<file>.json`, not in a `warc` folder) as JSON, by relative path.
fn articles(dir: &Path) -> BTreeMap<String, serde_json::Value> {
    article_files(dir)
        .into_iter()
        .filter(|file| !file.starts_with(dir.join("warc")))
        .map(|file| {
            let text = std::fs::read_to_string(&file).expect("article");
            let relative = file
                .strip_prefix(dir)
                .expect("relative")
                .display()
                .to_string();
            (relative, serde_json::from_str(&text).expect("article JSON"))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crawl_archives_every_exchange_and_replays_to_the_same_articles() {
    let changed = Arc::new(AtomicBool::new(false));
    let site = archive_site(Arc::clone(&changed)).await;
    let run = Run::new();
    let warc = run.dir.path().join("warc");
    story_profile(&run, "archive", &site, "50/s");
    let warc_arg = warc.display().to_string();
    let first = run.crawl(&["--warc", &warc_arg]).await;
    assert_eq!(
        first.status.code(),
        Some(2),
        "the 404 fails: {}",
        stderr(&first)
    );
    let after_first = warc_files(&warc);
    assert_eq!(after_first.len(), 1, "one file per run at this size");
    changed.store(true, Ordering::SeqCst);
    let second = run.crawl(&["--warc", &warc_arg]).await;
    assert_eq!(second.status.code(), Some(2), "{}", stderr(&second));
    let files = warc_files(&warc);
    assert_eq!(files.len(), 2);
    assert!(
        !std::fs::read_dir(&warc).expect("dir").any(|e| e
            .expect("entry")
            .path()
            .to_string_lossy()
            .ends_with(".open")),
        "every file is closed"
    );

    // 1. Independent readers: warcio and a standard-library gzip/SHA-1 check.
    if let Some(python) = python::python("warcio checks of the crawl's WARC files") {
        let output = python::run_script(&python, "check_warc.py", &files);
        python::assert_success(&output, "warcio check of the WARC files");
        eprintln!("{}", String::from_utf8_lossy(&output.stdout));
    }

    let stored = records(&files);
    let of_type = |t: &'static str| {
        stored
            .iter()
            .filter(move |(_, e)| e.record.warc_type() == t)
    };

    let requests = site.requests();
    let request_records: Vec<&Entry> = of_type("request").map(|(_, e)| e).collect();
    assert_eq!(
        request_records.len(),
        requests.len(),
        "one request record per request received"
    );

    // 2. Each request record holds the request line and headers the server received, byte for byte.
    for (record, received) in request_records.iter().zip(&requests) {
        assert_eq!(
            String::from_utf8_lossy(&record.record.block),
            String::from_utf8_lossy(&received.head),
            "{}",
            received.path
        );
        let (line, headers, body) = http_head(&record.record.block);
        assert_eq!(line, format!("GET {} HTTP/1.1", received.path));
        assert!(body.is_empty());
        let sent: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
            .collect();
        assert_eq!(sent, received.headers, "{}", received.path);
        assert!(
            headers.iter().any(|(n, _)| n == "User-Agent"),
            "title-case names as sent"
        );
    }

    // 3. Response records hold the status line, headers and body as received.
    let response = |path: &str| {
        of_type("response")
            .map(|(_, e)| e)
            .find(|e| field(e, "WARC-Target-URI") == site.url(path))
            .unwrap_or_else(|| panic!("no response record for {path}"))
    };
    let (line, headers, body) = http_head(&response("/story/gzip").record.block);
    assert_eq!(
        line, "HTTP/1.1 200 Whatever",
        "the reason phrase as received"
    );
    assert_eq!(
        body,
        gzip(article("A story sent with gzip", &[]).as_bytes()),
        "still gzipped"
    );
    let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "connection",
            "etag",
            "content-type",
            "content-encoding",
            "x-twice",
            "x-twice",
            "vary",
            "content-length"
        ],
        "received order, repeated fields grouped, names lower-cased"
    );
    let (_, _, body) = http_head(&response("/story/br").record.block);
    assert_eq!(
        body,
        brotli(article("A story sent with brotli", &[]).as_bytes())
    );
    let (_, headers, body) = http_head(&response("/story/chunked").record.block);
    assert_eq!(
        body,
        article("A story sent in chunks", &[]).as_bytes(),
        "chunk framing removed"
    );
    assert!(headers.contains(&("x-gleaner-orig-transfer-encoding".into(), "chunked".into())));
    assert!(!headers.iter().any(|(n, _)| n == "transfer-encoding"));
    assert!(
        response("/story/missing")
            .record
            .block
            .starts_with(b"HTTP/1.1 404 Whatever\r\n")
    );
    assert!(
        response("/story/old")
            .record
            .block
            .starts_with(b"HTTP/1.1 301 Whatever\r\n")
    );
    let robots = response("/robots.txt");
    assert_eq!(field(robots, "WARC-IP-Address"), "127.0.0.7");

    // 4. Revisits: 304s in the second run name the first run's response; an identical payload too.
    let revisits: Vec<&Entry> = of_type("revisit").map(|(_, e)| e).collect();
    let not_modified: Vec<&&Entry> = revisits
        .iter()
        .filter(|e| field(e, "WARC-Profile").ends_with("/server-not-modified"))
        .collect();
    assert_eq!(
        not_modified.len(),
        7,
        "robots, home, gzip, br, chunked, latin1, moved"
    );
    for revisit in &not_modified {
        assert!(revisit.record.block.starts_with(b"HTTP/1.1 304 "));
        let original = response(
            field(revisit, "WARC-Target-URI")
                .trim_start_matches(&site.url(""))
                .to_string()
                .as_str(),
        );
        assert_eq!(field(revisit, "WARC-Refers-To"), original.record.id());
        assert_eq!(
            field(revisit, "WARC-Payload-Digest"),
            field(original, "WARC-Payload-Digest")
        );
    }
    let identical: Vec<&&Entry> = revisits
        .iter()
        .filter(|e| field(e, "WARC-Profile").ends_with("/identical-payload-digest"))
        .collect();
    assert_eq!(
        identical.len(),
        3,
        "/story/copy or /story/plain in run 1, both in run 2"
    );
    for revisit in &identical {
        let (line, _, body) = http_head(&revisit.record.block);
        assert_eq!(line, "HTTP/1.1 200 Whatever");
        assert!(
            body.is_empty(),
            "no payload in an identical-payload revisit"
        );
        assert!(!field(revisit, "WARC-Refers-To").is_empty());
    }

    // 5. Every article points at the record it was extracted from.
    let out = articles(&run.out());
    assert_eq!(out.len(), 7, "{:?}", out.keys());
    let by_id: BTreeMap<&str, (&String, &Entry)> = stored
        .iter()
        .map(|(f, e)| (e.record.id(), (f, e)))
        .collect();
    for (path, article) in &out {
        assert_eq!(article["schema"], "gleaner.article/2");
        let capture = &article["capture"];
        let id = capture["record_id"].as_str().expect("record id");
        let (file, entry) = by_id
            .get(id)
            .unwrap_or_else(|| panic!("{path}: no record {id}"));
        assert_eq!(capture["warc_file"].as_str(), Some(file.as_str()));
        assert_eq!(entry.record.warc_type(), "response", "{path}");
        assert_eq!(
            field(entry, "WARC-Target-URI"),
            article["url"].as_str().unwrap_or_default()
        );
        assert_eq!(
            field(entry, "WARC-Date"),
            article["fetch"]["fetched_at"].as_str().unwrap_or_default()
        );
    }
    let corrected = out
        .values()
        .find(|a| a["url"] == site.url("/story/changing"))
        .expect("changing story");
    assert_eq!(corrected["title"], "A story that was corrected");
    assert!(
        corrected["capture"]["warc_file"]
            == files[1]
                .file_name()
                .expect("name")
                .to_string_lossy()
                .as_ref()
    );

    if let Some(python) = python::python("jsonschema validation of the crawl's articles") {
        let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join(gleaner::schema::SCHEMA_PATH);
        let output = python::run_script(&python, "validate_articles.py", &[schema, run.out()]);
        python::assert_success(&output, "jsonschema validation of articles with captures");
    }

    // 6. Replaying the WARC files into a fresh folder gives the same articles.
    let fresh = run.dir.path().join("replayed");
    let mut args = vec!["replay".to_string()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    args.extend([
        "--profiles".into(),
        run.profiles().display().to_string(),
        "--out".into(),
        fresh.display().to_string(),
    ]);
    let replayed = gleaner(args).await;
    assert_eq!(replayed.status.code(), Some(0), "{}", stderr(&replayed));
    let again = articles(&fresh);
    assert_eq!(
        again.keys().collect::<Vec<_>>(),
        out.keys().collect::<Vec<_>>(),
        "same article files"
    );
    for (path, article) in &out {
        // Identical, fetch.fetched_at included: WARC-Date and fetched_at are both to the second.
        assert_eq!(&again[path], article, "{path} differs after replay");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn ingest_archives_redirect_hops_and_replay_all_responses_reads_any_warc() {
    let site = Host::start(8, |req| match path_of(req) {
        "/a" => Reply::redirect("/b"),
        "/b" => Reply::html(Some(HTML), article("Where the redirect lands", &[])),
        _ => not_found(),
    })
    .await;
    let run = Run::new();
    let warc = run.dir.path().join("warc");
    let output = gleaner(vec![
        "ingest".into(),
        site.url("/a"),
        "--no-profiles".into(),
        "--out".into(),
        run.out().display().to_string(),
        "--warc".into(),
        warc.display().to_string(),
        "--rate".into(),
        "100/s".into(),
    ])
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let files = warc_files(&warc);
    let stored = records(&files);
    let types: Vec<&str> = stored.iter().map(|(_, e)| e.record.warc_type()).collect();
    assert_eq!(
        types,
        [
            "warcinfo", "request", "response", "request", "response", "metadata"
        ],
        "the redirect hop is an exchange of its own"
    );
    assert_eq!(field(&stored[2].1, "WARC-Target-URI"), site.url("/a"));
    assert_eq!(field(&stored[4].1, "WARC-Target-URI"), site.url("/b"));
    let info = String::from_utf8_lossy(&stored[0].1.record.block).into_owned();
    assert!(
        info.contains("description: gleaner ingest") && info.contains("robots: ignore"),
        "{info}"
    );
    if let Some(python) = python::python("warcio checks of ingest's WARC file") {
        python::assert_success(
            &python::run_script(&python, "check_warc.py", &files),
            "warcio check",
        );
    }

    let out = articles(&run.out());
    for (mode, extra) in [
        ("metadata", None),
        ("all responses", Some("--all-responses")),
    ] {
        let fresh = run.dir.path().join(mode.replace(' ', "-"));
        let mut args = vec!["replay".to_string()];
        args.extend(files.iter().map(|f| f.display().to_string()));
        args.extend([
            "--no-profiles".into(),
            "--out".into(),
            fresh.display().to_string(),
        ]);
        args.extend(extra.map(str::to_string));
        let replayed = gleaner(args).await;
        assert_eq!(
            replayed.status.code(),
            Some(0),
            "{mode}: {}",
            stderr(&replayed)
        );
        assert_eq!(articles(&fresh), out, "{mode}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn small_size_limit_rotates_files_and_keeps_exchanges_whole() {
    let site = story_hub(9, 3).await;
    let run = Run::new();
    let warc = run.dir.path().join("warc");
    story_profile(&run, "small", &site, "50/s");
    let output = run
        .crawl(&[
            "--warc",
            &warc.display().to_string(),
            "--warc-max-size",
            "2000",
        ])
        .await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let files = warc_files(&warc);
    assert!(files.len() >= 4, "{files:?}");
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    for (serial, name) in names.iter().enumerate() {
        assert!(
            name.starts_with("gleaner-") && name.ends_with(&format!("-{serial:05}.warc.gz")),
            "{name}"
        );
    }
    for file in &files {
        let entries: Vec<Entry> = WarcReader::open(file)
            .expect("open")
            .map(|e| e.expect("record"))
            .collect();
        assert_eq!(entries[0].record.warc_type(), "warcinfo");
        let requests = entries
            .iter()
            .filter(|e| e.record.warc_type() == "request")
            .count();
        let responses = entries
            .iter()
            .filter(|e| e.record.warc_type() == "response")
            .count();
        assert_eq!(
            requests,
            responses,
            "{}: exchanges stay whole",
            file.display()
        );
        assert!(
            file.with_extension("").with_extension("cdxj").is_file(),
            "{}",
            file.display()
        );
    }
    if let Some(python) = python::python("warcio checks of rotated WARC files") {
        python::assert_success(
            &python::run_script(&python, "check_warc.py", &files),
            "warcio check",
        );
    }
}

#[tokio::test]
async fn an_unusable_warc_folder_is_fatal_before_any_fetch() {
    let site = Host::start(10, |_| not_found()).await;
    let run = Run::new();
    let not_a_folder = run.dir.path().join("file");
    std::fs::write(&not_a_folder, "x").expect("write");
    let output = gleaner(vec![
        "ingest".into(),
        site.url("/a"),
        "--out".into(),
        run.out().display().to_string(),
        "--warc".into(),
        not_a_folder.display().to_string(),
    ])
    .await;
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("cannot archive"),
        "{}",
        stderr(&output)
    );
    assert!(site.requests().is_empty());
}
