//! `gleaner crawl` incremental state, resume and cron safety: a second run sends only conditional requests
//! and rewrites only the changed article; a run killed with SIGKILL resumes without losing, refetching or
//! duplicating anything; the lock makes a second concurrent run exit 75; `--max-runtime` and SIGTERM stop
//! cleanly and the next run resumes; exit codes, JSON logs and the JSON summary (with stale profile
//! selectors); redirects.

#[path = "common/articles.rs"]
mod articles;
#[path = "common/cli.rs"]
mod cli;
#[path = "common/fetch_server.rs"]
#[allow(dead_code)]
mod fetch_server;
#[path = "common/site.rs"]
#[allow(dead_code)]
mod site;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use fetch_server::Reply;
use gleaner::store::Store;
use site::{
    Host, Run, article, html, hub, not_found, origin, path_of, profile, stderr, story_hub,
    story_profile, text, with_etag, with_last_modified,
};

/// A site where everything carries an ETag (one page only a Last-Modified), with a feed, a permanent
/// redirect, and one article whose text changes when `changed` is set.
async fn conditional_site(changed: Arc<AtomicBool>) -> Host {
    Host::start(2, move |req| {
        let o = origin(req);
        let v2 = changed.load(Ordering::SeqCst);
        match path_of(req) {
            "/robots.txt" => with_etag(req, "\"r1\"", "text/plain", "User-agent: *\nAllow: /\n"),
            "/" => with_etag(
                req,
                "\"home\"",
                "text/html",
                hub(&["/story/1", "/story/2", "/story/3", "/story/old", "/dated"]),
            ),
            "/feed.xml" => with_etag(
                req,
                "\"feed\"",
                "application/rss+xml",
                format!(
                    "<rss version=\"2.0\"><channel><title>T</title>\
                     <item><title>4</title><link>{o}/story/4</link></item></channel></rss>"
                ),
            ),
            "/story/old" => Reply::Full {
                status: 301,
                headers: vec![("Location".into(), "/story/moved".into())],
                body: Vec::new(),
            },
            "/dated" => with_last_modified(
                req,
                "Tue, 10 Nov 2026 08:00:00 GMT",
                article("A page with a date only", &[]),
            ),
            "/story/2" if v2 => with_etag(
                req,
                "\"s2-v2\"",
                "text/html",
                article("Story two, corrected", &[]),
            ),
            p if p.starts_with("/story/") => with_etag(
                req,
                &format!("\"{p}\""),
                "text/html",
                article(&format!("Story {p}"), &[]),
            ),
            _ => not_found(),
        }
    })
    .await
}

fn mtimes(run: &Run) -> BTreeMap<String, SystemTime> {
    run.articles()
        .into_iter()
        .map(|f| {
            let modified = std::fs::metadata(&f)
                .and_then(|m| m.modified())
                .expect("mtime");
            (f.display().to_string(), modified)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_run_is_conditional_and_rewrites_only_what_changed() {
    let changed = Arc::new(AtomicBool::new(false));
    let a = conditional_site(Arc::clone(&changed)).await;
    let run = Run::new();
    profile(
        &run.profiles(),
        "cond",
        &[a.authority()],
        &format!(
            "article_urls = ['/story/', '/dated']\n[crawl]\nstart_urls = [{:?}]\nfeeds = [{:?}]\nrate = \"50/s\"",
            a.url("/"),
            a.url("/feed.xml")
        ),
    );
    let first = run.crawl(&[]).await;
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_eq!(
        run.articles().len(),
        6,
        "stories 1-4, the redirect target, /dated"
    );
    assert_eq!(run.summary()["counts"]["new"], 6);
    assert_eq!(a.count("/story/old"), 1);
    let before = mtimes(&run);
    let first_requests = a.requests().len();

    changed.store(true, Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(20));
    let second = run.crawl(&[]).await;
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    let requests = a.requests();
    let second_run = &requests[first_requests..];
    for req in second_run {
        assert!(
            req.header("if-none-match").is_some() || req.header("if-modified-since").is_some(),
            "unconditional request in the second run: {}",
            req.path
        );
    }
    assert!(
        !second_run.iter().any(|r| r.path == "/story/old"),
        "the permanent redirect is remembered"
    );
    assert_eq!(
        second_run.len(),
        first_requests - 1,
        "everything but the 301, once"
    );

    let after = mtimes(&run);
    assert_eq!(after.len(), 6);
    let rewritten: Vec<&String> = after
        .iter()
        .filter(|(f, t)| before.get(*f) != Some(t))
        .map(|(f, _)| f)
        .collect();
    assert_eq!(
        rewritten.len(),
        1,
        "only the changed article is rewritten: {rewritten:?}"
    );
    assert!(rewritten[0].contains("story-2"), "{rewritten:?}");
    let text = std::fs::read_to_string(rewritten[0]).expect("read");
    assert!(text.contains("Story two, corrected"));

    let summary = run.summary();
    let counts = &summary["counts"];
    assert_eq!(
        (
            &counts["new"],
            &counts["changed"],
            &counts["unchanged"],
            &counts["failed"]
        ),
        (&0.into(), &1.into(), &5.into(), &0.into()),
        "{summary:#}"
    );
    assert_eq!(summary["hosts"][a.authority()]["robots"], "rules");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_run_resumes_without_losing_refetching_or_duplicating() {
    let a = story_hub(2, 20).await;
    let run = Run::new();
    story_profile(&run, "kill", &a, "10/s");
    let mut child = run.spawn(&[]);
    let started = Instant::now();
    while run.articles().len() < 6 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the crawl makes progress"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("reap");
    let killed_at = a.requests().len();

    let finished: BTreeSet<String> = Store::open(&run.state())
        .expect("state opens after SIGKILL")
        .articles()
        .expect("articles")
        .into_iter()
        .map(|(url, _)| url)
        .collect();
    assert!(finished.len() >= 4, "{finished:?}");
    assert!(finished.len() < 20);
    for file in run.articles() {
        let text = std::fs::read_to_string(&file).expect("read");
        serde_json::from_str::<gleaner::Article>(&text)
            .unwrap_or_else(|e| panic!("{} is corrupt: {e}", file.display()));
    }

    let output = run.crawl(&[]).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let rerun: Vec<String> = a.requests()[killed_at..]
        .iter()
        .map(|r| r.path.clone())
        .collect();
    for url in &finished {
        let path = url
            .split_once(&a.authority())
            .map(|(_, p)| p)
            .unwrap_or_default();
        assert!(
            !rerun.iter().any(|p| p == path),
            "{path} was finished before the kill"
        );
    }
    assert!(
        !rerun.iter().any(|p| p == "/"),
        "the index was finished before the kill"
    );
    let urls = run.article_urls();
    let expected: Vec<String> = {
        let mut v: Vec<String> = (1..=20).map(|i| a.url(&format!("/story/{i}"))).collect();
        v.sort();
        v
    };
    assert_eq!(urls, expected, "each article exactly once");
    for i in 1..=20 {
        assert!(
            a.count(&format!("/story/{i}")) <= 2,
            "fetched at most twice (once if finished)"
        );
    }
    let summary = run.summary();
    assert_eq!(summary["resumed"], true);
    assert_eq!(summary["complete"], true);
    assert_eq!(
        summary["counts"]["new"].as_u64(),
        Some(20 - finished.len() as u64)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_lock_makes_a_second_run_exit_75() {
    let a = story_hub(2, 3).await;
    let run = Run::new();
    story_profile(&run, "slow", &a, "4/s");
    let mut first = run.spawn(&[]);
    let started = Instant::now();
    while a.requests().is_empty() {
        assert!(started.elapsed() < Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(10));
    }
    let second_started = Instant::now();
    let second = run.crawl(&[]).await;
    assert_eq!(second.status.code(), Some(75), "{}", stderr(&second));
    assert!(
        second_started.elapsed() < Duration::from_secs(2),
        "exits at once"
    );
    let message = stderr(&second);
    assert!(
        message.contains("another gleaner crawl is running"),
        "{message}"
    );
    assert!(message.contains("crawl-state.sqlite.lock"), "{message}");
    assert!(message.contains("pid "), "{message}");
    assert_eq!(first.wait().expect("first run").code(), Some(0));
    // Released with the first run.
    let third = run.crawl(&[]).await;
    assert_eq!(third.status.code(), Some(0), "{}", stderr(&third));
}

#[tokio::test(flavor = "multi_thread")]
async fn max_runtime_stops_cleanly_and_the_next_run_resumes() {
    let a = story_hub(2, 12).await;
    let run = Run::new();
    story_profile(&run, "timed", &a, "10/s");
    let started = Instant::now();
    let first = run.crawl(&["--max-runtime", "0.6s"]).await;
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(started.elapsed() < Duration::from_secs(3));
    let summary = run.summary();
    assert_eq!(summary["complete"], false);
    assert_eq!(summary["stopped"], "max_runtime");
    let written = run.articles().len();
    assert!(written > 0 && written < 12, "{written}");

    let second = run.crawl(&[]).await;
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert_eq!(run.articles().len(), 12);
    let summary = run.summary();
    assert_eq!(
        (summary["resumed"].clone(), summary["complete"].clone()),
        (true.into(), true.into())
    );
    assert_eq!(a.count("/"), 1);
    assert_eq!(
        a.count("/robots.txt"),
        1,
        "robots.txt once per run, a resumed run included"
    );
    for i in 1..=12 {
        assert!(a.count(&format!("/story/{i}")) <= 2);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_codes_summary_and_stale_selectors() {
    let a = Host::start(2, |req| match path_of(req) {
        "/robots.txt" => not_found(),
        "/" => html(hub(&["/story/1", "/story/missing", "/temp", "/story/2"])),
        "/story/missing" => text(404, "text/html", "<p>gone</p>"),
        "/temp" => Reply::Full {
            status: 302,
            headers: vec![("Location".into(), "/story/3".into())],
            body: Vec::new(),
        },
        p => html(article(&format!("Story {p}"), &[])),
    })
    .await;
    let run = Run::new();
    profile(
        &run.profiles(),
        "stale",
        &[a.authority()],
        &format!(
            "article_urls = ['/story/', '/temp']\n[select]\nbody = \"div.no-longer-there\"\n\
             [crawl]\nstart_urls = [{:?}]\nrate = \"50/s\"",
            a.url("/")
        ),
    );
    let output = run.crawl(&[]).await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let log = stderr(&output);
    assert!(log.contains("1 failed"), "{log}");
    let events: Vec<serde_json::Value> = log
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).expect("a JSON log line"))
        .collect();
    let visited = events
        .iter()
        .find(|e| e["message"] == "visited" && e["outcome"] == "new")
        .expect("a visited event");
    assert!(
        visited["url"]
            .as_str()
            .is_some_and(|u| u.contains("/story/"))
    );
    assert_eq!(visited["status"], 200);
    let failed = events
        .iter()
        .find(|e| e["message"] == "failed")
        .expect("a failed event");
    assert_eq!(failed["reason"], "http_status");
    assert!(failed["error"].as_str().is_some_and(|e| e.contains("404")));
    let summary = run.summary();
    assert_eq!(summary["schema"], "gleaner.crawl-summary/2");
    assert_eq!(summary["exit_code"], 2);
    assert_eq!(summary["counts"]["new"], 3, "{summary:#}");
    assert_eq!(summary["counts"]["redirect"], 1);
    assert_eq!(summary["failures"][0]["reason"], "http_status");
    assert!(
        summary["failures"][0]["url"]
            .as_str()
            .is_some_and(|u| u.ends_with("/story/missing"))
    );
    let host = &summary["hosts"][a.authority()];
    assert_eq!(host["counts"]["failed"], 1);
    assert_eq!(host["requests"], 7, "{host:#}");
    assert!(
        summary["durations"]["total_secs"]
            .as_f64()
            .is_some_and(|s| s > 0.0)
    );
    let stale = &summary["stale_profiles"][0];
    assert_eq!(stale["profile"], "stale");
    assert_eq!(stale["articles"], 3);
    assert_eq!(stale["fields"]["body"], 3);

    let unknown = run.crawl(&["--site", "nope"]).await;
    assert_eq!(unknown.status.code(), Some(1));
    assert!(stderr(&unknown).contains("nope"));
    let bad_flag = run.crawl(&["--max-runtime", "soon"]).await;
    assert_eq!(bad_flag.status.code(), Some(1));
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_stops_cleanly_like_max_runtime() {
    let a = story_hub(2, 10).await;
    let run = Run::new();
    story_profile(&run, "term", &a, "5/s");
    let mut child = run.spawn(&[]);
    let started = Instant::now();
    while run.articles().is_empty() {
        assert!(started.elapsed() < Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(10));
    }
    let pid = libc::pid_t::try_from(child.id()).expect("pid");
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(0));
    let summary = run.summary();
    assert_eq!(summary["stopped"], "signal", "{summary:#}");
    assert_eq!(summary["complete"], false);
    let second = run.crawl(&[]).await;
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert_eq!(run.articles().len(), 10);
    assert_eq!(run.summary()["resumed"], true);
}
