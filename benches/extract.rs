//! Single-thread extraction throughput on a dataset's pages, next to scraper's
//! parse-only throughput measured in the same run (the machines are shared and
//! noisy, so the ratio is the figure to trust).
//!
//! `cargo bench --bench extract -- [DATASET_DIR] [ROUNDS]`
//! DATASET_DIR defaults to `../shared/datasets/aeb` (pages in `html/*.html.gz`).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use scraper::Html;
use url::Url;

fn load_pages(dir: &Path) -> Vec<Vec<u8>> {
    let html_dir = dir.join("html");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&html_dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", html_dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".html.gz"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let mut bytes = Vec::new();
            flate2::read::GzDecoder::new(std::fs::File::open(p).expect("open page"))
                .read_to_end(&mut bytes)
                .expect("gunzip page");
            bytes
        })
        .collect()
}

fn time_rounds(rounds: usize, mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    for _ in 0..rounds {
        f();
    }
    start.elapsed()
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let dir = PathBuf::from(
        args.first()
            .map_or("../shared/datasets/aeb", String::as_str),
    );
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let raw = load_pages(&dir);
    let pages: Vec<String> = raw
        .iter()
        .map(|b| gleaner::fetch::decode_html(b, None).text)
        .collect();
    let url = Url::parse("https://bench.example/article").expect("url");
    let n = pages.len() * rounds;
    // Warm up caches and lazy statics once.
    for p in &pages {
        std::hint::black_box(gleaner::extract(p, &url, None));
    }
    // Interleave the two measurements so drift on a shared machine hits both.
    let (mut parse, mut extract, mut decode) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    for _ in 0..rounds {
        parse += time_rounds(1, || {
            for p in &pages {
                std::hint::black_box(Html::parse_document(p));
            }
        });
        extract += time_rounds(1, || {
            for p in &pages {
                std::hint::black_box(gleaner::extract(p, &url, None));
            }
        });
        decode += time_rounds(1, || {
            for b in &raw {
                std::hint::black_box(gleaner::fetch::decode_html(b, None));
            }
        });
    }
    let rate = |d: Duration| n as f64 / d.as_secs_f64();
    println!(
        "dataset: {} ({} pages x {rounds} rounds, one thread)",
        dir.display(),
        pages.len()
    );
    println!("scraper parse only : {:8.1} pages/s", rate(parse));
    println!("gleaner extract    : {:8.1} pages/s", rate(extract));
    println!("charset decode     : {:8.1} pages/s", rate(decode));
    println!("extract / parse    : {:8.3}", rate(extract) / rate(parse));
    let pipeline = n as f64 / (decode + extract).as_secs_f64();
    println!("decode + extract   : {pipeline:8.1} pages/s");
}
