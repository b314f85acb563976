//! `gleaner crawl` politeness, proven from the test servers' own request logs: robots.txt rules and
//! Crawl-delay, robots 4xx (allow all) and 5xx (host off limits), per-host rates with a global concurrency
//! limit, 429 and 503 with Retry-After (seconds and HTTP-date), retries with backoff on 5xx and timeouts,
//! and a host that keeps failing given up.

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

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use fetch_server::Reply;
use site::{Host, Run, article, html, hub, not_found, path_of, profile, stderr, stories, text};

/// Scheduling slack on the receiving side: the gap between two arrivals can be a little shorter than the
/// gap between the two sends (connection setup of the first, for instance).
const SLACK: Duration = Duration::from_millis(15);

fn story_site(
    extra_links: &'static [&'static str],
    robots: &'static str,
) -> impl Fn(&fetch_server::Request) -> Reply + Send + Sync {
    move |req| match path_of(req) {
        "/robots.txt" => text(200, "text/plain", robots),
        "/" => {
            let mut links = stories(4);
            links.extend(extra_links.iter().map(|s| s.to_string()));
            html(hub(&links))
        }
        p => {
            let host = req.header("host").unwrap_or_default();
            html(article(&format!("Story {p} on {host}"), &[]))
        }
    }
}

/// Writes profile `name` for `host`: crawled from `/` at `rate`, its `/story/` and `/private/` pages are
/// articles (so that only robots.txt keeps the crawl from the private ones).
fn crawl_profile(run: &Run, name: &str, host: &Host, rate: &str) {
    profile(
        &run.profiles(),
        name,
        &[host.authority()],
        &format!(
            "article_urls = ['/story/', '/private/']\n[crawl]\nstart_urls = [{:?}]\nrate = {rate:?}",
            host.url("/")
        ),
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn robots_rules_and_crawl_delay_are_obeyed() {
    let a = Host::start(
        2,
        story_site(
            &["/private/secret", "/story/private-too"],
            "User-agent: *\nDisallow: /private/\nDisallow: /story/private\nCrawl-delay: 0.3\n",
        ),
    )
    .await;
    let run = Run::new();
    crawl_profile(&run, "a", &a, "50/s");
    let output = run.crawl(&[]).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    let paths = a.paths();
    assert!(
        !paths.iter().any(|p| p.contains("private")),
        "no disallowed URL requested: {paths:?}"
    );
    assert_eq!(paths.len(), 6, "robots, index, 4 stories: {paths:?}");
    for gap in a.gaps() {
        assert!(
            gap + SLACK >= Duration::from_millis(300),
            "Crawl-delay 0.3 s, gap {gap:?}"
        );
    }
    let summary = run.summary();
    assert_eq!(summary["counts"]["disallowed"], 2, "{summary:#}");
    assert_eq!(summary["hosts"][a.authority()]["crawl_delay_secs"], 0.3);
    assert_eq!(run.articles().len(), 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn crawl_delay_is_capped() {
    let a = Host::start(2, story_site(&[], "User-agent: *\nCrawl-delay: 30\n")).await;
    let run = Run::new();
    crawl_profile(&run, "a", &a, "50/s");
    let started = Instant::now();
    let output = run.crawl(&["--max-crawl-delay", "0.2"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(started.elapsed() < Duration::from_secs(5));
    for gap in a.gaps() {
        assert!(gap + SLACK >= Duration::from_millis(200), "{gap:?}");
    }
    assert_eq!(
        run.summary()["hosts"][a.authority()]["crawl_delay_secs"],
        0.2
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn each_host_keeps_its_rate_under_a_global_limit() {
    let hosts = [
        Host::start(2, story_site(&[], "")).await,
        Host::start(3, story_site(&[], "")).await,
        Host::start(4, story_site(&[], "")).await,
    ];
    let run = Run::new();
    for (i, host) in hosts.iter().enumerate() {
        crawl_profile(&run, &format!("h{i}"), host, "5/s");
    }
    let started = Instant::now();
    let output = run.crawl(&["--concurrency", "2"]).await;
    let elapsed = started.elapsed();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    for host in &hosts {
        assert_eq!(host.requests().len(), 6);
        for gap in host.gaps() {
            assert!(
                gap + SLACK >= Duration::from_millis(200),
                "5/s: gap {gap:?}"
            );
        }
    }
    // Six requests per host at 5/s take 1 s; the hosts run side by side, not one after the other.
    assert!(elapsed < Duration::from_millis(2500), "{elapsed:?}");
    assert_eq!(run.articles().len(), 12);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_global_limit_caps_requests_in_flight() {
    // Six hosts, each answering after 150 ms: with --concurrency 2, no 150 ms window (less slack) may
    // see more than two arrivals across all hosts.
    let delay = Duration::from_millis(150);
    let mut hosts = Vec::new();
    for last in 2..8 {
        hosts.push(
            Host::start(last, move |req| {
                let reply = match path_of(req) {
                    "/robots.txt" => not_found(),
                    "/" => html(hub(&["/story/1", "/story/2"])),
                    p => html(article(
                        &format!("Story {p} on {}", req.header("host").unwrap_or_default()),
                        &[],
                    )),
                };
                Reply::Delayed(delay, Box::new(reply))
            })
            .await,
        );
    }
    let run = Run::new();
    for (i, host) in hosts.iter().enumerate() {
        crawl_profile(&run, &format!("h{i}"), host, "100/s");
    }
    let output = run.crawl(&["--concurrency", "2"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(run.articles().len(), 12);
    let mut arrivals: Vec<Instant> = hosts
        .iter()
        .flat_map(|h| h.requests().into_iter().map(|r| r.at))
        .collect();
    arrivals.sort();
    assert_eq!(arrivals.len(), 24);
    let window = delay - SLACK;
    for (i, start) in arrivals.iter().enumerate() {
        let in_window = arrivals[i..]
            .iter()
            .take_while(|t| **t - *start < window)
            .count();
        assert!(in_window <= 2, "{in_window} requests in flight at once");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn robots_404_allows_everything_and_5xx_closes_the_host() {
    let open = Host::start(2, |req| match path_of(req) {
        "/robots.txt" => not_found(),
        "/" => html(hub(&["/story/1", "/private/2"])),
        p => html(article(&format!("Open {p}"), &[])),
    })
    .await;
    let closed = Host::start(3, |req| match path_of(req) {
        "/robots.txt" => text(500, "text/plain", "oops"),
        p => html(article(&format!("Closed {p}"), &[])),
    })
    .await;
    let run = Run::new();
    crawl_profile(&run, "open", &open, "50/s");
    crawl_profile(&run, "closed", &closed, "50/s");
    let output = run.crawl(&["--retries", "1"]).await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(open.paths().len(), 4, "{:?}", open.paths());
    let closed_paths = closed.paths();
    assert_eq!(
        closed_paths,
        ["/robots.txt", "/robots.txt"],
        "one retry, then nothing"
    );
    let summary = run.summary();
    assert_eq!(
        summary["hosts"][closed.authority()]["robots"],
        "unavailable"
    );
    assert_eq!(summary["hosts"][open.authority()]["robots"], "allow_all");
    assert_eq!(
        summary["failures"][0]["reason"], "robots_unavailable",
        "{summary:#}"
    );
    assert_eq!(summary["counts"]["failed"], 1);
    assert_eq!(
        summary["counts"]["skipped"], 1,
        "the closed host's start page"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn retry_after_and_flaky_5xx_are_retried_politely() {
    // /story/1: 429 Retry-After 1 once; /story/2: 503 with an HTTP-date Retry-After once;
    // /story/3: 503 without Retry-After twice, then fine.
    let hits = Arc::new([
        AtomicUsize::new(0),
        AtomicUsize::new(0),
        AtomicUsize::new(0),
    ]);
    let counters = Arc::clone(&hits);
    let a = Host::start(2, move |req| match path_of(req) {
        "/robots.txt" => not_found(),
        "/" => html(hub(&["/story/1", "/story/2", "/story/3"])),
        "/story/1" if counters[0].fetch_add(1, Ordering::SeqCst) == 0 => {
            text(429, "text/plain", "slow down").with_header("Retry-After", "1")
        }
        "/story/2" if counters[1].fetch_add(1, Ordering::SeqCst) == 0 => {
            let when = chrono::Utc::now() + chrono::Duration::seconds(2);
            let date = when.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
            text(503, "text/plain", "maintenance").with_header("Retry-After", &date)
        }
        "/story/3" if counters[2].fetch_add(1, Ordering::SeqCst) < 2 => {
            text(503, "text/plain", "busy")
        }
        p => html(article(&format!("Flaky {p}"), &[])),
    })
    .await;
    let run = Run::new();
    crawl_profile(&run, "a", &a, "50/s");
    let output = run.crawl(&["--retries", "3", "--retry-delay", "0.2"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(run.articles().len(), 3);

    let requests = a.requests();
    let after = |path: &str| -> Duration {
        let times: Vec<Instant> = requests
            .iter()
            .filter(|r| r.path == path)
            .map(|r| r.at)
            .collect();
        assert_eq!(times.len(), 2, "{path} retried once: {:?}", a.paths());
        // The retry is the next request to the host at all, and it waited.
        times[1] - times[0]
    };
    assert!(
        after("/story/1") + SLACK >= Duration::from_secs(1),
        "Retry-After: 1"
    );
    // An HTTP-date has one-second resolution: two seconds ahead is at least one second away.
    assert!(
        after("/story/2") + SLACK >= Duration::from_secs(1),
        "Retry-After: <date>"
    );
    let flaky: Vec<Instant> = requests
        .iter()
        .filter(|r| r.path == "/story/3")
        .map(|r| r.at)
        .collect();
    assert_eq!(flaky.len(), 3);
    // Backoff base 0.2 s with jitter in [0.5, 1]: at least 0.1 s, then at least 0.2 s.
    assert!(flaky[1] - flaky[0] + SLACK >= Duration::from_millis(100));
    assert!(flaky[2] - flaky[1] + SLACK >= Duration::from_millis(200));
    for gap in a.gaps() {
        assert!(
            gap + SLACK >= Duration::from_millis(20),
            "50/s holds for retries too: {gap:?}"
        );
    }
    let host = &run.summary()["hosts"][a.authority()];
    assert_eq!(host["retries"], 4, "{host:#}");
    assert_eq!(host["retry_after_honoured"], 2, "{host:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn timeouts_and_resets_are_retried() {
    let hits = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
    let counter = Arc::clone(&hits);
    let a = Host::start(2, move |req| match path_of(req) {
        "/robots.txt" => not_found(),
        "/" => html(hub(&["/story/slow", "/story/reset"])),
        "/story/slow" if counter[0].fetch_add(1, Ordering::SeqCst) == 0 => Reply::Stall(Vec::new()),
        "/story/reset" if counter[1].fetch_add(1, Ordering::SeqCst) == 0 => Reply::Close,
        p => html(article(&format!("Slow {p}"), &[])),
    })
    .await;
    let run = Run::new();
    crawl_profile(&run, "a", &a, "50/s");
    let output = run.crawl(&["--retries", "1", "--timeout", "0.5"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(a.count("/story/slow"), 2);
    assert_eq!(a.count("/story/reset"), 2);
    assert_eq!(run.articles().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_host_that_keeps_failing_is_given_up() {
    let a = Host::start(2, |req| match path_of(req) {
        "/robots.txt" => not_found(),
        "/" => html(hub(&[
            "/story/1", "/story/2", "/story/3", "/story/4", "/story/5", "/story/6",
        ])),
        _ => text(500, "text/plain", "broken"),
    })
    .await;
    let run = Run::new();
    crawl_profile(&run, "a", &a, "50/s");
    let output = run
        .crawl(&["--retries", "1", "--host-failure-limit", "4"])
        .await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let stories = a
        .paths()
        .iter()
        .filter(|p| p.starts_with("/story/"))
        .count();
    assert_eq!(
        stories,
        4,
        "two stories, two attempts each, then the host is given up: {:?}",
        a.paths()
    );
    let summary = run.summary();
    let host = &summary["hosts"][a.authority()];
    assert!(
        host["given_up"]
            .as_str()
            .is_some_and(|g| g.contains("4 consecutive")),
        "{host:#}"
    );
    assert_eq!(summary["counts"]["failed"], 2, "{summary:#}");
    assert_eq!(summary["counts"]["skipped"], 4, "{summary:#}");
    // Backoff grows with consecutive failures: base 0.05 s, doubled each time, jittered down to half.
    let gaps: Vec<Duration> = a.gaps().into_iter().skip(2).collect();
    assert!(gaps[2] + SLACK >= Duration::from_millis(100), "{gaps:?}");
}
