//! WARC dedup index benchmark: the cost of opening a WARC folder that already holds many records.
//!
//! `cargo bench --bench warc_index -- [--lines 500000] [--files 50]`
//!
//! Builds a folder of synthetic CDXJ indexes (`--lines` response lines over `--files` files, about one
//! payload in ten repeated), then opens it in child processes, each reporting its open time and its peak
//! RSS (`VmHWM` in `/proc/self/status`):
//! 1. **baseline**: a child that opens nothing (the process's own footprint);
//! 2. **in-memory** (the code before the index): every CDXJ line read, sorted by time and kept in two
//!    hash maps, by digest and by URL; this is the old loader, verbatim;
//! 3. **index, cold**: `WarcWriter::open` with no index in the folder: it builds the index;
//! 4. **index, warm**: `WarcWriter::open` again: it finds the index up to date.

use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use gleaner::sink::warc::cdxj::CdxjFields;
use gleaner::sink::warc::record::sha1_digest;
use gleaner::sink::warc::{CdxjLine, INDEX_FILE, WarcConfig, WarcWriter};
use url::Url;

const CHILD: &str = "GLEANER_WARC_INDEX_BENCH_CHILD";
const EMPTY_DIGEST: &str = "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ";

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map_or(default, |v| v.parse().expect("a number"))
}

/// Peak resident set of this process, KiB.
fn vm_hwm_kib() -> u64 {
    let status = fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

fn write_folder(dir: &Path, lines: usize, files: usize) {
    let per_file = lines.div_ceil(files);
    let distinct = (lines * 9 / 10).max(1);
    for f in 0..files {
        let warc = format!("gleaner-2024010100000000{f:01}-{f:05}.warc.gz");
        let mut rendered = Vec::with_capacity(per_file);
        for i in f * per_file..((f + 1) * per_file).min(lines) {
            let url = Url::parse(&format!(
                "https://www.host{}.example/news/{}/a-fairly-typical-article-slug-{i}.html",
                i % 1000,
                i / 1000
            ))
            .expect("url");
            let seconds = 1_704_067_200 + i as i64 * 7;
            let date = chrono::DateTime::from_timestamp(seconds, 0)
                .expect("date")
                .format("%Y-%m-%dT%H:%M:%SZ")
                .to_string();
            let digest = sha1_digest((i % distinct).to_string().as_bytes());
            let line = CdxjLine::new(
                &url,
                &date,
                CdxjFields {
                    url: url.to_string(),
                    mime: "text/html".into(),
                    status: "200".into(),
                    digest: digest.trim_start_matches("sha1:").to_string(),
                    length: "4321".into(),
                    offset: (i * 5000).to_string(),
                    filename: warc.clone(),
                },
            );
            rendered.push(line.render());
        }
        rendered.sort();
        let name = warc.replace(".warc.gz", ".cdxj");
        fs::write(dir.join(name), rendered.join("\n") + "\n").expect("write CDXJ");
    }
}

/// The earlier response, as the in-memory loader kept it.
#[derive(Debug, Clone)]
#[allow(dead_code)]
struct Original {
    uri: String,
    date: String,
    digest: String,
    id: Result<String, (String, u64)>,
}

/// The loader before the index (`originals::load`), verbatim but for the public paths.
fn load_in_memory(dir: &Path) -> (HashMap<String, Original>, HashMap<String, Original>) {
    let mut by_digest: HashMap<String, Original> = HashMap::new();
    let mut by_url: HashMap<String, Original> = HashMap::new();
    let mut lines = Vec::new();
    let mut paths: Vec<_> = fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    for path in paths {
        if path.extension().is_some_and(|e| e == "cdxj") {
            let text = fs::read_to_string(&path).expect("read CDXJ");
            lines.extend(text.lines().filter_map(CdxjLine::parse));
        }
    }
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
        let original = Original {
            uri: fields.url.clone(),
            date,
            digest,
            id: Err((fields.filename.clone(), offset)),
        };
        by_digest
            .entry(original.digest.clone())
            .or_insert_with(|| original.clone());
        by_url.insert(original.uri.clone(), original);
    }
    (by_digest, by_url)
}

/// In a child: open the folder the way `mode` says, print `<open ms> <VmHWM KiB> <entries>`.
fn child(mode: &str, dir: &Path) {
    let started = Instant::now();
    let entries = match mode {
        "baseline" => 0,
        "in-memory" => {
            let (by_digest, by_url) = load_in_memory(dir);
            std::hint::black_box(by_digest.len() + by_url.len())
        }
        _ => {
            let writer = WarcWriter::open(WarcConfig::new(dir)).expect("open");
            writer.finish().expect("finish");
            0
        }
    };
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    println!("{ms:.0} {} {entries}", vm_hwm_kib());
}

fn main() {
    if let Ok(spec) = std::env::var(CHILD) {
        let (mode, dir) = spec.split_once(':').expect("mode:dir");
        child(mode, Path::new(dir));
        return;
    }
    let lines = arg("--lines", 500_000);
    let files = arg("--files", 50);
    let dir = tempfile::tempdir().expect("tempdir");
    let started = Instant::now();
    write_folder(dir.path(), lines, files);
    let cdxj_bytes: u64 = fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").metadata().expect("meta").len())
        .sum();
    println!(
        "folder: {lines} CDXJ lines in {files} files, {:.1} MB, written in {:.1} s",
        cdxj_bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    let exe = std::env::current_exe().expect("current exe");
    println!("| open | time | peak RSS (VmHWM) |\n| --- | ---: | ---: |");
    for mode in ["baseline", "in-memory", "index, cold", "index, warm"] {
        if mode == "index, cold" {
            let _ = fs::remove_file(dir.path().join(INDEX_FILE));
        }
        let out = Command::new(&exe)
            .env(CHILD, format!("{mode}:{}", dir.path().display()))
            .output()
            .expect("run child");
        assert!(out.status.success(), "{mode}: {out:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        let mut parts = text.split_whitespace();
        let ms: f64 = parts.next().and_then(|v| v.parse().ok()).expect("ms");
        let kib: f64 = parts.next().and_then(|v| v.parse().ok()).expect("kib");
        println!(
            "| {mode} | {:.2} s | {:.1} MiB |",
            ms / 1000.0,
            kib / 1024.0
        );
    }
    let index = fs::metadata(dir.path().join(INDEX_FILE)).map_or(0, |m| m.len());
    println!("index file: {:.1} MB", index as f64 / 1e6);
}
