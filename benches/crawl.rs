//! Crawl benchmark: a local site of many hosts (one per 127.0.0.x address), crawled by the release
//! `gleaner crawl` binary, then by Scrapy with equivalent settings, in the same run.
//!
//! `cargo bench --bench crawl -- [--hosts 200] [--pages 10] [--latency-ms 20] [--no-scrapy]`
//!
//! 1. **Polite**: every host at 2 requests/s (`rate = "2/s"`), one request in flight per host. Each host
//!    gets robots.txt and then its pages (the profile's start URLs), so the politeness bound is
//!    `pages / 2` seconds (robots.txt at t = 0, the last page at t = pages × 0.5 s). The server's log is
//!    checked: no host was hit faster than 2/s.
//! 2. **Unlimited**: the same crawl with no rate limit (still one request in flight per host): pages per
//!    second through fetch, extraction and atomic writes, and the peak memory (max RSS of the process).
//! 3. **Scrapy** (`benches/scrapy_crawl.py`, installed by `benches/scrapy_setup.sh` into
//!    `target/bench-venv`): the same two crawls; the ratios are printed.
//!
//! Each response is delayed by `--latency-ms` (default 20 ms) to stand for a network. The server runs in
//! this process; both crawlers run as child processes measured with `wait4` (wall time, max RSS).

#[path = "common/hosts.rs"]
mod hosts;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};

/// One request as the server saw it.
#[derive(Clone)]
struct Hit {
    host: String,
    path: String,
    at: Instant,
}

#[derive(Clone)]
struct Site {
    log: Arc<Mutex<Vec<Hit>>>,
    latency: Duration,
    pages: usize,
}

struct Options {
    hosts: usize,
    pages: usize,
    latency: Duration,
    scrapy: bool,
}

fn options() -> Options {
    let mut o = Options {
        hosts: 200,
        pages: 10,
        latency: Duration::from_millis(20),
        scrapy: true,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = || args.get(i + 1).and_then(|v| v.parse::<u64>().ok());
        match args[i].as_str() {
            "--hosts" => o.hosts = value().expect("--hosts N") as usize,
            "--pages" => o.pages = value().expect("--pages N") as usize,
            "--latency-ms" => o.latency = Duration::from_millis(value().expect("--latency-ms N")),
            "--no-scrapy" => {
                o.scrapy = false;
                i += 1;
                continue;
            }
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    assert!(
        o.hosts <= 250,
        "at most 250 hosts (127.0.0.2 to 127.0.0.251)"
    );
    o
}

/// A realistic article page: navigation, the article, related links, a footer (about 9 KB).
fn article_page(host: &str, n: usize, pages: usize) -> String {
    let nav: String = (0..30)
        .map(|i| format!("<li><a href=\"/section/{i}\">Section {i}</a></li>"))
        .collect();
    let paragraphs: String = (0..8)
        .map(|p| {
            format!(
                "<p>Paragraph {p} of article {n} on {host}. The council met on Tuesday to discuss the \
                 extension of the tram line towards the old depot, a plan that residents have awaited \
                 for more than a decade. Engineers presented three options, each with its own costs, \
                 timelines and disruptions, and the debate ran late into the evening before a vote \
                 was postponed until the next session of the assembly.</p>"
            )
        })
        .collect();
    let related: String = (1..=pages)
        .filter(|i| *i != n)
        .map(|i| format!("<li><a href=\"/article/{i}\">Related story {i}</a></li>"))
        .collect();
    format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>Article {n} on {host} | Bench \
         Times</title><meta property=og:site_name content='Bench Times'>\
         <meta name=author content='Alex Writer'>\
         <meta property='article:published_time' content='2026-11-20T08:00:00+01:00'></head><body>\
         <header><nav><ul>{nav}</ul></nav></header><main><article><h1>Article {n} on {host}</h1>\
         <div class=byline>By Alex Writer</div><div class=entry-content>{paragraphs}</div>\
         <div class=share-buttons>Share on social media</div></article>\
         <aside class=related><h3>You may also like</h3><ul>{related}</ul></aside></main>\
         <footer><p>Copyright Bench Times. All rights reserved.</p></footer></body></html>"
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
    site.log.lock().expect("log").push(Hit {
        host: host.clone(),
        path: path.clone(),
        at: Instant::now(),
    });
    tokio::time::sleep(site.latency).await;
    let (status, content_type, body) = if path == "/robots.txt" {
        (
            StatusCode::OK,
            "text/plain",
            "User-agent: *\nAllow: /\n".to_string(),
        )
    } else if let Some(n) = path.strip_prefix("/article/").and_then(|n| n.parse().ok()) {
        (
            StatusCode::OK,
            "text/html; charset=utf-8",
            article_page(&host, n, site.pages),
        )
    } else {
        (StatusCode::NOT_FOUND, "text/plain", "not found".to_string())
    };
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .expect("response")
}

/// Starts the site on `hosts` loopback addresses; returns their addresses.
async fn start_site(site: &Site, hosts: usize) -> Vec<SocketAddr> {
    let site = site.clone();
    let app = Router::new().fallback(move |request: Request<Body>| handle(site.clone(), request));
    hosts::serve_hosts(app, hosts).await
}

fn write_profiles(dir: &Path, addrs: &[SocketAddr], pages: usize, rate: &str) {
    std::fs::create_dir_all(dir).expect("profile dir");
    for (i, addr) in addrs.iter().enumerate() {
        let starts: Vec<String> = (1..=pages)
            .map(|n| format!("\"http://{addr}/article/{n}\""))
            .collect();
        let text = format!(
            "name = \"bench{i}\"\nhosts = [\"{addr}\"]\narticle_urls = ['/article/']\n\
             [crawl]\nstart_urls = [{}]\nrate = \"{rate}\"\n",
            starts.join(", ")
        );
        std::fs::write(dir.join(format!("bench{i:03}.toml")), text).expect("write profile");
    }
}

/// Wall time and peak RSS (KiB) of a child process.
struct Measured {
    wall: Duration,
    max_rss_kib: i64,
    code: i32,
}

fn measure(mut command: Command, log: &Path) -> Measured {
    let log_file = std::fs::File::create(log).expect("log file");
    command
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().expect("log"))
        .stderr(log_file);
    let started = Instant::now();
    // Reaped by wait4 below, which also reports its peak memory.
    #[allow(clippy::zombie_processes)]
    let child = command.spawn().expect("start child");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `usage` is a plain C struct that wait4 fills in; the pid is our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4");
    let wall = started.elapsed();
    Measured {
        wall,
        max_rss_kib: usage.ru_maxrss,
        code: if libc::WIFEXITED(status) {
            libc::WEXITSTATUS(status)
        } else {
            -1
        },
    }
}

fn gleaner(work: &Path, name: &str, concurrency: usize) -> (Measured, PathBuf) {
    let out = work.join(format!("{name}-out"));
    let mut command = Command::new(env!("CARGO_BIN_EXE_gleaner"));
    command.args([
        "crawl",
        "--profiles",
        &work.join(format!("{name}-profiles")).display().to_string(),
        "--out",
        &out.display().to_string(),
        "--concurrency",
        &concurrency.to_string(),
        "--log-format",
        "json",
    ]);
    let measured = measure(command, &work.join(format!("{name}.log")));
    (measured, out)
}

fn scrapy_python() -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-venv/bin/python");
    let python = std::env::var_os("SCRAPY_PYTHON")
        .map(PathBuf::from)
        .unwrap_or(venv);
    let ok = Command::new(&python)
        .args(["-c", "import scrapy"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then_some(python)
}

fn scrapy(
    python: &Path,
    work: &Path,
    name: &str,
    urls: &Path,
    delay: f64,
    concurrency: usize,
) -> (Measured, usize) {
    let out = work.join(format!("{name}.jsonl"));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/scrapy_crawl.py");
    let mut command = Command::new(python);
    command.args([
        script.display().to_string(),
        "--urls".into(),
        urls.display().to_string(),
        "--out".into(),
        out.display().to_string(),
        "--delay".into(),
        delay.to_string(),
        "--concurrency".into(),
        concurrency.to_string(),
    ]);
    let measured = measure(command, &work.join(format!("{name}.log")));
    let items = std::fs::read_to_string(&out)
        .map(|t| t.lines().count())
        .unwrap_or(0);
    (measured, items)
}

fn count_articles(out: &Path) -> usize {
    let mut n = 0;
    for host in std::fs::read_dir(out).into_iter().flatten().flatten() {
        if host.path().is_dir() {
            n += std::fs::read_dir(host.path())
                .into_iter()
                .flatten()
                .flatten()
                .filter(|f| f.path().extension().is_some_and(|e| e == "json"))
                .count();
        }
    }
    n
}

/// How many robots.txt requests the log holds.
fn robots_requests(log: &[Hit]) -> usize {
    log.iter().filter(|h| h.path == "/robots.txt").count()
}

/// The smallest gap between two requests to one host.
fn min_gap(log: &[Hit]) -> Option<Duration> {
    let mut by_host: HashMap<&str, Vec<Instant>> = HashMap::new();
    for hit in log {
        by_host.entry(hit.host.as_str()).or_default().push(hit.at);
    }
    by_host
        .values_mut()
        .flat_map(|times| {
            times.sort();
            times.windows(2).map(|w| w[1] - w[0]).collect::<Vec<_>>()
        })
        .min()
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
    let work = work.path();
    let total = o.hosts * o.pages;
    let bound = Duration::from_millis(500 * o.pages as u64);
    write_profiles(&work.join("polite-profiles"), &addrs, o.pages, "2/s");
    write_profiles(
        &work.join("unlimited-profiles"),
        &addrs,
        o.pages,
        "1000000/s",
    );
    let urls_file = work.join("urls.txt");
    let urls: Vec<String> = addrs
        .iter()
        .flat_map(|a| (1..=o.pages).map(move |n| format!("http://{a}/article/{n}")))
        .collect();
    std::fs::write(&urls_file, urls.join("\n")).expect("urls");
    println!(
        "site: {} hosts x {} pages = {total} articles, {} ms latency per response; {} cores",
        o.hosts,
        o.pages,
        o.latency.as_millis(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );

    let take_log = || std::mem::take(&mut *site.log.lock().expect("log"));

    // 1. Polite.
    let (polite, out) = gleaner(work, "polite", 16);
    let log = take_log();
    let written = count_articles(&out);
    let gap = min_gap(&log).unwrap_or_default();
    println!(
        "gleaner polite (2/s per host, concurrency 16): {:.2} s wall, bound {:.1} s ({:+.1}%), \
         {written}/{total} articles, {} requests ({} robots.txt), min gap per host {:.3} s, \
         max RSS {:.1} MiB, exit {}",
        polite.wall.as_secs_f64(),
        bound.as_secs_f64(),
        (polite.wall.as_secs_f64() / bound.as_secs_f64() - 1.0) * 100.0,
        log.len(),
        robots_requests(&log),
        gap.as_secs_f64(),
        polite.max_rss_kib as f64 / 1024.0,
        polite.code
    );
    assert!(
        gap >= Duration::from_millis(490),
        "a host was hit faster than 2/s"
    );

    // 2. Unlimited.
    let (fast, out) = gleaner(work, "unlimited", 64);
    let log = take_log();
    let written = count_articles(&out);
    let gleaner_rate = written as f64 / fast.wall.as_secs_f64();
    println!(
        "gleaner unlimited (concurrency 64): {:.2} s wall, {written}/{total} articles, {} requests, \
         {gleaner_rate:.0} pages/s, max RSS {:.1} MiB, exit {}",
        fast.wall.as_secs_f64(),
        log.len(),
        fast.max_rss_kib as f64 / 1024.0,
        fast.code
    );

    // 3. Scrapy.
    let Some(python) = o.scrapy.then(scrapy_python).flatten() else {
        println!("scrapy: skipped (run benches/scrapy_setup.sh, or set SCRAPY_PYTHON)");
        return;
    };
    let mut s_polite = None;
    for concurrency in [16, o.hosts.max(16)] {
        let name = format!("scrapy-polite-{concurrency}");
        let (run, items) = scrapy(&python, work, &name, &urls_file, 0.5, concurrency);
        let log = take_log();
        println!(
            "scrapy polite (DOWNLOAD_DELAY 0.5, CONCURRENT_REQUESTS {concurrency}): {:.2} s wall \
             ({:+.1}% of the bound), {items}/{total} items, {} requests ({} robots.txt), min gap per \
             host {:.3} s, max RSS {:.1} MiB, exit {}",
            run.wall.as_secs_f64(),
            (run.wall.as_secs_f64() / bound.as_secs_f64() - 1.0) * 100.0,
            log.len(),
            robots_requests(&log),
            min_gap(&log).unwrap_or_default().as_secs_f64(),
            run.max_rss_kib as f64 / 1024.0,
            run.code
        );
        // The faster of the two: Scrapy counts requests waiting out their host's delay against
        // CONCURRENT_REQUESTS, so it needs one per host to keep every host busy.
        if s_polite
            .as_ref()
            .is_none_or(|best: &Measured| run.wall < best.wall)
        {
            s_polite = Some(run);
        }
    }
    let s_polite = s_polite.expect("at least one Scrapy run");
    let (s_fast, items) = scrapy(&python, work, "scrapy-unlimited", &urls_file, 0.0, 64);
    let log = take_log();
    let scrapy_rate = items as f64 / s_fast.wall.as_secs_f64();
    println!(
        "scrapy unlimited (concurrency 64): {:.2} s wall, {items}/{total} items, {} requests, \
         {scrapy_rate:.0} pages/s, max RSS {:.1} MiB, exit {}",
        s_fast.wall.as_secs_f64(),
        log.len(),
        s_fast.max_rss_kib as f64 / 1024.0,
        s_fast.code
    );
    println!(
        "ratios gleaner/scrapy: polite wall {:.2}x (vs Scrapy's faster setting), unlimited throughput \
         {:.2}x, peak memory {:.2}x",
        polite.wall.as_secs_f64() / s_polite.wall.as_secs_f64(),
        gleaner_rate / scrapy_rate,
        fast.max_rss_kib as f64 / s_fast.max_rss_kib as f64
    );
}
