//! The local test site for the crawl tests: hosts on 127.0.0.x loopback addresses (each a raw-TCP
//! [`TestServer`] that logs every request with its arrival time and headers), page builders, a ready-made
//! site of numbered stories, conditional answers with ETags, profile files, and helpers to run
//! `gleaner crawl` and read what it wrote.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use super::articles::article_files;
use super::cli::run_gleaner_async;
use super::fetch_server::{Reply, Request, TestServer};

/// One host of the test site.
pub struct Host {
    pub server: TestServer,
}

impl Host {
    /// Starts a host on `127.0.0.<last>` with a free port.
    pub async fn start(
        last: u8,
        handler: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    ) -> Host {
        Host {
            server: TestServer::start_on(&format!("127.0.0.{last}"), handler).await,
        }
    }

    /// `127.0.0.N:PORT`, as written in a profile's `hosts`.
    pub fn authority(&self) -> String {
        self.server.addr.to_string()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.server.addr)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.server.requests()
    }

    /// Request targets, in arrival order.
    pub fn paths(&self) -> Vec<String> {
        self.requests().into_iter().map(|r| r.path).collect()
    }

    pub fn count(&self, path: &str) -> usize {
        self.paths().iter().filter(|p| *p == path).count()
    }

    /// Gaps between consecutive requests, in arrival order.
    pub fn gaps(&self) -> Vec<Duration> {
        let mut times: Vec<_> = self.requests().iter().map(|r| r.at).collect();
        times.sort();
        times.windows(2).map(|w| w[1] - w[0]).collect()
    }
}

/// `http://<Host header>`: lets a handler write absolute URLs to itself.
pub fn origin(req: &Request) -> String {
    format!("http://{}", req.header("host").unwrap_or("invalid"))
}

/// The path without the query.
pub fn path_of(req: &Request) -> &str {
    req.path.split('?').next().unwrap_or_default()
}

/// An article page with text unique to `title`, linking to `links`.
pub fn article(title: &str, links: &[&str]) -> String {
    let para = format!(
        "The council voted on Tuesday about {title}, a decision that residents of the district had \
         waited on for more than a decade while the old depot stood empty beside the river. "
    );
    let links: String = links
        .iter()
        .map(|l| format!("<li><a href=\"{l}\">{l}</a></li>"))
        .collect();
    format!(
        "<!doctype html><html lang=en><head><title>{title} | Local Paper</title></head><body>\
         <article><h1>{title}</h1><div class=entry-content><p>{p}</p><p>{p}</p><p>{p}</p></div></article>\
         <ul>{links}</ul></body></html>",
        p = para.repeat(2)
    )
}

/// A page with a canonical link.
pub fn article_with_canonical(title: &str, canonical: &str) -> String {
    article(title, &[]).replace(
        "</title>",
        &format!("</title><link rel=canonical href=\"{canonical}\">"),
    )
}

/// A hub page: just links.
pub fn hub<S: AsRef<str>>(links: &[S]) -> String {
    let links: String = links
        .iter()
        .map(|l| format!("<li><a href=\"{l}\">{l}</a></li>", l = l.as_ref()))
        .collect();
    format!(
        "<!doctype html><html><head><title>Index</title></head><body><ul>{links}</ul></body></html>"
    )
}

/// `/story/1` … `/story/n`.
pub fn stories(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("/story/{i}")).collect()
}

/// A host on `127.0.0.<last>` with no robots.txt and an index at `/` linking [`stories`]`(n)`; every
/// other path is an article titled `Story <path>`.
pub async fn story_hub(last: u8, n: usize) -> Host {
    Host::start(last, move |req| match path_of(req) {
        "/robots.txt" => not_found(),
        "/" => html(hub(&stories(n))),
        p => html(article(&format!("Story {p}"), &[])),
    })
    .await
}

/// A 200 with `ETag: etag`, or a 304 when the request's `If-None-Match` carries it.
pub fn with_etag(req: &Request, etag: &str, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
    if req.header("if-none-match") == Some(etag) {
        return Reply::Full {
            status: 304,
            headers: vec![("ETag".into(), etag.into())],
            body: Vec::new(),
        };
    }
    Reply::html(Some(content_type), body).with_header("ETag", etag)
}

/// A 200 with `Last-Modified`, or a 304 when `If-Modified-Since` matches it.
pub fn with_last_modified(req: &Request, date: &str, body: impl Into<Vec<u8>>) -> Reply {
    if req.header("if-modified-since") == Some(date) {
        return Reply::Full {
            status: 304,
            headers: Vec::new(),
            body: Vec::new(),
        };
    }
    Reply::html(Some("text/html; charset=utf-8"), body).with_header("Last-Modified", date)
}

pub fn text(status: u16, content_type: &str, body: &str) -> Reply {
    Reply::Full {
        status,
        headers: vec![("Content-Type".into(), content_type.into())],
        body: body.as_bytes().to_vec(),
    }
}

pub fn html(body: String) -> Reply {
    Reply::html(Some("text/html; charset=utf-8"), body)
}

pub fn not_found() -> Reply {
    text(404, "text/plain", "not found")
}

/// A urlset sitemap.
pub fn urlset(urls: &[String]) -> String {
    let entries: String = urls
        .iter()
        .map(|u| format!("<url><loc>{u}</loc></url>"))
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{entries}</urlset>"
    )
}

/// Writes `site-profiles/<name>.toml` under `dir`.
pub fn profile(dir: &Path, name: &str, hosts: &[String], rest: &str) {
    let hosts: Vec<String> = hosts.iter().map(|h| format!("{h:?}")).collect();
    let text = format!("name = {name:?}\nhosts = [{}]\n{rest}\n", hosts.join(", "));
    std::fs::create_dir_all(dir).expect("profile dir");
    std::fs::write(dir.join(format!("{name}.toml")), text).expect("write profile");
}

/// Writes profile `name` for `host`: crawled from `/` at `rate`, its `/story/` pages are articles.
pub fn story_profile(run: &Run, name: &str, host: &Host, rate: &str) {
    profile(
        &run.profiles(),
        name,
        &[host.authority()],
        &format!(
            "article_urls = ['/story/']\n[crawl]\nstart_urls = [{:?}]\nrate = {rate:?}",
            host.url("/")
        ),
    );
}

/// A test's folders: profiles, output, and the base arguments of `gleaner crawl`.
pub struct Run {
    pub dir: tempfile::TempDir,
}

impl Run {
    pub fn new() -> Run {
        Run {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn profiles(&self) -> PathBuf {
        self.dir.path().join("profiles")
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    pub fn state(&self) -> PathBuf {
        self.out().join("crawl-state.sqlite")
    }

    /// `crawl --profiles … --out … --log-format json --retry-delay 0.05 --timeout 5` plus `extra`
    /// (a flag given in `extra` replaces its default).
    pub fn args(&self, extra: &[&str]) -> Vec<String> {
        let mut args: Vec<String> = vec![
            "crawl".into(),
            "--profiles".into(),
            self.profiles().display().to_string(),
            "--out".into(),
            self.out().display().to_string(),
        ];
        for (flag, value) in [
            ("--log-format", "json"),
            ("--retry-delay", "0.05"),
            ("--timeout", "5"),
        ] {
            if !extra.contains(&flag) {
                args.push(flag.into());
                args.push(value.into());
            }
        }
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    }

    /// Runs `gleaner crawl` to completion.
    pub async fn crawl(&self, extra: &[&str]) -> Output {
        gleaner(self.args(extra)).await
    }

    /// Starts `gleaner crawl` in the background.
    pub fn spawn(&self, extra: &[&str]) -> Child {
        Command::new(env!("CARGO_BIN_EXE_gleaner"))
            .args(self.args(extra))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run gleaner")
    }

    /// The summary of the last run.
    pub fn summary(&self) -> serde_json::Value {
        let text = std::fs::read_to_string(self.out().join("crawl-summary.json")).expect("summary");
        serde_json::from_str(&text).expect("summary JSON")
    }

    /// Every article file, sorted; none before the crawl has made its output folder.
    pub fn articles(&self) -> Vec<PathBuf> {
        if !self.out().is_dir() {
            return Vec::new();
        }
        article_files(&self.out())
    }

    /// The `url` of every article file, sorted.
    pub fn article_urls(&self) -> Vec<String> {
        let mut urls: Vec<String> = self
            .articles()
            .iter()
            .map(|f| {
                let text = std::fs::read_to_string(f).expect("read article");
                let article: gleaner::Article = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{} is not a valid article: {e}", f.display()));
                article.url
            })
            .collect();
        urls.sort();
        urls
    }
}

/// Runs the binary with `args` and waits for it.
pub async fn gleaner(args: Vec<String>) -> Output {
    run_gleaner_async(args, None).await
}

/// stderr as text, for assertion messages.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
