//! `gleaner ingest` end to end through the binary, against a local server:
//! good pages are written, each failure is reported with its reason, exit codes
//! follow the outcome, and the per-host rate holds.

#[path = "common/articles.rs"]
#[allow(dead_code)]
mod articles;
#[path = "common/cli.rs"]
mod cli;
#[path = "common/fetch_server.rs"]
#[allow(dead_code)]
mod fetch_server;

use std::time::Duration;

use articles::host_files;
use cli::run_gleaner_async;
use fetch_server::{Reply, Request, TestServer};
use gleaner::Article;

fn article_page(title: &str) -> String {
    let para = "The council voted on Tuesday to extend the tram line to the old depot, \
                a decision that residents had waited on for more than a decade. ";
    format!(
        "<!doctype html><html lang=en><head><title>{title} | Local Paper</title>\
         <meta property='og:site_name' content='Local Paper'></head><body>\
         <nav class=breadcrumbs>Home » News » {title}</nav>\
         <article><h1>{title}</h1><div class=entry-content><p>{p}</p><p>{p}</p><p>{p}</p></div>\
         <h3>You may also like</h3><ul><li><a href=/x>Other story</a></li></ul></article>\
         </body></html>",
        p = para.repeat(2)
    )
}

fn routes(req: &Request) -> Reply {
    match req.path.split('?').next().unwrap_or_default() {
        "/a" => Reply::html(
            Some("text/html; charset=utf-8"),
            article_page("First story"),
        ),
        "/b" => Reply::html(Some("text/html"), article_page("Second story")),
        "/missing" => Reply::status(404),
        "/slow" => Reply::Stall(Vec::new()),
        "/big" => Reply::html(Some("text/html"), vec![b'a'; 300_000]),
        "/pdf" => Reply::html(Some("application/pdf"), b"%PDF-1.4".to_vec()),
        _ => Reply::status(404),
    }
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn writes_good_pages_and_reports_each_failure_with_exit_code_2() {
    let server = TestServer::start(routes).await;
    let out = tempfile::tempdir().expect("tempdir");
    let mut a = args(&[
        "ingest",
        "--no-profiles",
        "--rate",
        "50/s",
        "--timeout",
        "1",
        "--max-body",
        "100000",
        "--out",
    ]);
    a.push(out.path().display().to_string());
    for p in ["/a", "/b", "/missing", "/slow", "/big", "/pdf"] {
        a.push(server.url(p).to_string());
    }
    let output = run_gleaner_async(a, None).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    for (path, reason) in [
        ("/missing", "404"),
        ("/slow", "timed out"),
        ("/big", "100000"),
        ("/pdf", "application/pdf"),
    ] {
        let line = stderr
            .lines()
            .find(|l| l.contains(server.url(path).as_str()))
            .unwrap_or_else(|| panic!("no report for {path} in {stderr}"));
        assert!(line.to_lowercase().contains(reason), "{path}: {line}");
    }
    assert!(stderr.contains("2 written, 4 failed"), "{stderr}");

    // Every file, not only `*.json`: a temporary file left behind is counted too.
    let files = host_files(out.path());
    assert_eq!(files.len(), 2, "{files:?}");
    let mut titles: Vec<String> = files
        .iter()
        .map(|f| {
            let article: Article = serde_json::from_str(&std::fs::read_to_string(f).expect("read"))
                .expect("article JSON");
            assert!(
                !article.text.contains("You may also like"),
                "{}",
                article.text
            );
            assert!(!article.text.contains("Home »"), "{}", article.text);
            let fetch = article.fetch.expect("fetch info");
            assert_eq!(fetch.status, 200);
            article.title.expect("title")
        })
        .collect();
    titles.sort();
    assert_eq!(titles, ["First story", "Second story"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn jsonl_goes_to_stdout_and_all_ok_exits_0() {
    let server = TestServer::start(routes).await;
    let mut a = args(&[
        "ingest",
        "--no-profiles",
        "--rate",
        "50/s",
        "--format",
        "jsonl",
    ]);
    a.push(server.url("/a").to_string());
    a.push(server.url("/b").to_string());
    let output = run_gleaner_async(a, None).await;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    let articles: Vec<Article> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(articles.len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn urls_from_stdin_skip_comments_and_report_invalid_lines() {
    let server = TestServer::start(routes).await;
    let input = format!(
        "# a comment\n\n{}\nnot a url\nftp://x.example/\n{}\n",
        server.url("/a"),
        server.url("/a")
    );
    let out = tempfile::tempdir().expect("tempdir");
    let mut a = args(&["ingest", "--no-profiles", "-", "--out"]);
    a.push(out.path().display().to_string());
    let output = run_gleaner_async(a, Some(input.into_bytes())).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("1 written, 2 failed (invalid_url: 2)"),
        "{stderr}"
    );
    assert_eq!(
        server.requests().len(),
        1,
        "the duplicate URL is fetched once"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unwritable_output_folder_is_fatal_before_any_fetch() {
    let server = TestServer::start(routes).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").expect("write");
    let mut a = args(&["ingest", "--no-profiles", "--out"]);
    a.push(file.join("articles").display().to_string());
    a.push(server.url("/a").to_string());
    let output = run_gleaner_async(a, None).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("a-file"),
        "the error names the path: {stderr}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_arguments_exit_1() {
    let output = run_gleaner_async(
        args(&["ingest", "--rate", "fast", "http://127.0.0.1:9/"]),
        None,
    )
    .await;
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--rate"));
}

#[tokio::test(flavor = "multi_thread")]
async fn one_host_is_never_hit_faster_than_its_rate() {
    let server = TestServer::start(routes).await;
    let out = tempfile::tempdir().expect("tempdir");
    let mut a = args(&[
        "ingest",
        "--no-profiles",
        "--rate",
        "5/s",
        "--concurrency",
        "8",
        "--out",
    ]);
    a.push(out.path().display().to_string());
    for i in 0..5 {
        a.push(server.url(&format!("/a?page={i}")).to_string());
    }
    let output = run_gleaner_async(a, None).await;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut times: Vec<_> = server.requests().iter().map(|r| r.at).collect();
    times.sort();
    assert_eq!(times.len(), 5);
    for pair in times.windows(2) {
        let gap = pair[1].duration_since(pair[0]);
        // 5/s = one request per 200 ms; allow scheduling jitter on the receiving side.
        assert!(gap >= Duration::from_millis(170), "requests {gap:?} apart");
    }
}
