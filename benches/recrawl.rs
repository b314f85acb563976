//! Nightly re-crawl benchmark: what the sitemap-lastmod rule saves on the second run of a crawl.
//!
//! `cargo bench --bench recrawl -- [--hosts 20] [--pages 50] [--rate 2/s] [--latency-ms 20]`
//!
//! A local site of `--hosts` hosts (127.0.0.2, 127.0.0.3, …), each with robots.txt, one sitemap listing
//! `--pages` articles with a `<lastmod>` in the past, and the articles, which answer `If-None-Match`
//! with `304 Not Modified`. The release `gleaner crawl` binary crawls it three times on one state, at
//! `--rate` per host:
//! 1. the first run, which fetches everything;
//! 2. a nightly run with the lastmod rule (the default `--recheck-after 7d`);
//! 3. a nightly run without it (`--recheck-after 0`): one conditional request per article, the
//!    baseline.
//!
//! Printed: wall time and requests (by answer) per run, and the ratio of run 2 to run 3.

#[path = "common/hosts.rs"]
mod hosts;

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};

#[derive(Clone)]
struct Site {
    /// The status of every answer, in order.
    log: Arc<Mutex<Vec<u16>>>,
    latency: Duration,
    pages: usize,
}

struct Options {
    hosts: usize,
    pages: usize,
    rate: String,
    latency: Duration,
}

fn options() -> Options {
    let mut o = Options {
        hosts: 20,
        pages: 50,
        rate: "2/s".into(),
        latency: Duration::from_millis(20),
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--hosts" => o.hosts = value.parse().expect("--hosts N"),
            "--pages" => o.pages = value.parse().expect("--pages N"),
            "--rate" => o.rate = value,
            "--latency-ms" => {
                o.latency = Duration::from_millis(value.parse().expect("--latency-ms N"))
            }
            // `cargo bench` passes `--bench`; ignore anything else.
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    o
}

fn article(host: &str, n: usize) -> String {
    let paragraphs: String = (0..6)
        .map(|p| {
            format!(
                "<p>Paragraph {p} of article {n} on {host}: the council met on Tuesday to discuss the \
                 tram line towards the old depot, and the vote was postponed to the next session.</p>"
            )
        })
        .collect();
    format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>Article {n} on {host}</title>\
         <meta property='article:published_time' content='2026-01-01T08:00:00Z'></head><body>\
         <article><h1>Article {n} on {host}</h1>{paragraphs}</article></body></html>"
    )
}

async fn handle(site: Site, request: Request<Body>) -> Response<Body> {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let path = request.uri().path().to_string();
    tokio::time::sleep(site.latency).await;
    let etag = format!("\"{path}\"");
    let matches = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes());
    let (status, content_type, body) = if path == "/robots.txt" {
        (
            StatusCode::OK,
            "text/plain",
            "User-agent: *\nAllow: /\n".to_string(),
        )
    } else if path == "/sitemap.xml" {
        let urls: String = (1..=site.pages)
            .map(|n| {
                format!(
                    "<url><loc>http://{host}/article/{n}</loc><lastmod>2026-01-01</lastmod></url>"
                )
            })
            .collect();
        let xml = format!(
            "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{urls}</urlset>"
        );
        (StatusCode::OK, "application/xml", xml)
    } else if let Some(n) = path.strip_prefix("/article/").and_then(|n| n.parse().ok()) {
        if matches {
            (StatusCode::NOT_MODIFIED, "text/html", String::new())
        } else {
            (
                StatusCode::OK,
                "text/html; charset=utf-8",
                article(&host, n),
            )
        }
    } else {
        (StatusCode::NOT_FOUND, "text/plain", "not found".to_string())
    };
    site.log.lock().expect("log").push(status.as_u16());
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ETAG, etag)
        .body(Body::from(body))
        .expect("response")
}

/// Starts the site on `hosts` loopback addresses; returns their addresses.
async fn start_site(site: &Site, hosts: usize) -> Vec<SocketAddr> {
    let site = site.clone();
    let app = Router::new().fallback(move |request: Request<Body>| handle(site.clone(), request));
    hosts::serve_hosts(app, hosts).await
}

fn write_profiles(dir: &Path, addrs: &[SocketAddr], rate: &str) {
    std::fs::create_dir_all(dir).expect("profile dir");
    for (i, addr) in addrs.iter().enumerate() {
        let text = format!(
            "name = \"site{i}\"\nhosts = [\"{addr}\"]\narticle_urls = ['/article/']\n\
             [crawl]\nsitemaps = [\"http://{addr}/sitemap.xml\"]\nrate = \"{rate}\"\n"
        );
        std::fs::write(dir.join(format!("site{i:03}.toml")), text).expect("write profile");
    }
}

/// One crawl: its wall time and the answers the site gave, by status.
fn crawl(work: &Path, site: &Site, extra: &[&str]) -> (Duration, [usize; 3]) {
    let started = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_gleaner"))
        .args(["crawl", "--profiles"])
        .arg(work.join("profiles"))
        .arg("--out")
        .arg(work.join("out"))
        .args(["--concurrency", "32", "--log-format", "json"])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run gleaner");
    let wall = started.elapsed();
    assert!(status.success(), "gleaner crawl failed: {status}");
    let log = std::mem::take(&mut *site.log.lock().expect("log"));
    let count = |code: u16| log.iter().filter(|s| **s == code).count();
    (wall, [log.len(), count(200), count(304)])
}

fn main() {
    let o = options();
    let runtime = hosts::runtime();
    let site = Site {
        log: Arc::default(),
        latency: o.latency,
        pages: o.pages,
    };
    let addrs = runtime.block_on(start_site(&site, o.hosts));
    let work = tempfile::tempdir().expect("tempdir");
    write_profiles(&work.path().join("profiles"), &addrs, &o.rate);
    println!(
        "site: {} hosts x {} listed articles, rate {} per host, {} ms latency per response",
        o.hosts,
        o.pages,
        o.rate,
        o.latency.as_millis()
    );
    let runs = [
        ("first run", &[][..]),
        ("nightly, lastmod rule (default)", &[][..]),
        (
            "nightly, conditional requests only (--recheck-after 0)",
            &["--recheck-after", "0"][..],
        ),
    ];
    let mut walls = Vec::new();
    for (name, extra) in runs {
        let (wall, [requests, ok, not_modified]) = crawl(work.path(), &site, extra);
        println!(
            "{name}: {:.2} s wall, {requests} requests ({ok} answered 200, {not_modified} answered 304)",
            wall.as_secs_f64()
        );
        walls.push(wall);
    }
    println!(
        "nightly wall time, lastmod rule / conditional requests: {:.3}",
        walls[1].as_secs_f64() / walls[2].as_secs_f64()
    );
}
