//! `gleaner crawl` discovery against the local test site: start pages, RSS and Atom feeds, sitemap indexes,
//! news and gzip sitemaps, robots.txt `Sitemap:` lines, link following within `follow`/`article_urls`,
//! same-site scope, `max_depth`, `max_pages`; URL canonicalization and duplicate handling; trap guards.

#[path = "common/articles.rs"]
mod articles;
#[path = "common/cli.rs"]
mod cli;
#[path = "common/compress.rs"]
#[allow(dead_code)]
mod compress;
#[path = "common/fetch_server.rs"]
#[allow(dead_code)]
mod fetch_server;
#[path = "common/site.rs"]
#[allow(dead_code)]
mod site;

use compress::gzip;
use fetch_server::Reply;
use site::{
    Host, Run, article, article_with_canonical, html, hub, not_found, origin, path_of, profile,
    stderr, story_profile, text, urlset,
};

#[tokio::test(flavor = "multi_thread")]
async fn discovers_from_start_pages_feeds_sitemaps_and_robots() {
    let other = Host::start(3, |req| html(article(&format!("Other {}", req.path), &[]))).await;
    let other_url = other.url("/story/elsewhere");
    let a = Host::start(2, move |req| {
        let o = origin(req);
        match path_of(req) {
            "/robots.txt" => text(
                200,
                "text/plain",
                &format!("User-agent: *\nAllow: /\nSitemap: {o}/sitemap_index.xml\n"),
            ),
            "/sitemap_index.xml" => text(
                200,
                "application/xml",
                &format!(
                    "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
                     <sitemap><loc>{o}/news-sitemap.xml</loc></sitemap>\
                     <sitemap><loc>{o}/old.xml.gz</loc></sitemap></sitemapindex>"
                ),
            ),
            "/news-sitemap.xml" => text(
                200,
                "application/xml",
                &format!(
                    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
                     xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\
                     <url><loc>{o}/news/n1</loc><news:news><news:title>N</news:title></news:news></url>\
                     <url><loc>{o}/about</loc></url></urlset>"
                ),
            ),
            "/old.xml.gz" => Reply::Full {
                status: 200,
                headers: vec![("Content-Type".into(), "application/gzip".into())],
                body: gzip(urlset(&[format!("{o}/story/old1")]).as_bytes()),
            },
            "/feed.xml" => text(
                200,
                "application/rss+xml",
                &format!(
                    "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>\
                     <item><title>R</title><link>{o}/story/r1</link></item></channel></rss>"
                ),
            ),
            "/atom.xml" => text(
                200,
                "application/atom+xml",
                &format!(
                    "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title>\
                     <id>urn:t</id><updated>2024-01-01T00:00:00Z</updated>\
                     <entry><title>A</title><id>urn:a</id><updated>2024-01-01T00:00:00Z</updated>\
                     <link href=\"{o}/story/a1\"/></entry></feed>"
                ),
            ),
            "/" => html(hub(&["/section/x", "/story/s1", "/about", other_url.as_str()])),
            "/section/x" => html(hub(&["/story/s2", "/about"])),
            "/about" => html(article("About us", &[])),
            p if p.starts_with("/story/") || p.starts_with("/news/") => {
                html(article(&format!("Story {p}"), &["/about"]))
            }
            _ => not_found(),
        }
    })
    .await;
    let run = Run::new();
    profile(
        &run.profiles(),
        "local",
        &[a.authority()],
        &format!(
            "article_urls = ['/story/', '/news/']\n[crawl]\nstart_urls = [{:?}]\n\
             feeds = [{:?}, {:?}]\nfollow = ['/section/']\nrate = \"50/s\"",
            a.url("/"),
            a.url("/feed.xml"),
            a.url("/atom.xml")
        ),
    );
    let output = run.crawl(&[]).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    let expected: Vec<String> = [
        "/news/n1",
        "/story/a1",
        "/story/old1",
        "/story/r1",
        "/story/s1",
        "/story/s2",
    ]
    .iter()
    .map(|p| a.url(p))
    .collect();
    assert_eq!(run.article_urls(), expected);
    let paths = a.paths();
    assert!(
        !paths.iter().any(|p| p == "/about"),
        "/about matches neither follow nor article_urls: {paths:?}"
    );
    assert!(other.requests().is_empty(), "another host is out of scope");
    for path in ["/robots.txt", "/sitemap_index.xml", "/story/s2", "/"] {
        assert_eq!(a.count(path), 1, "{path} fetched once: {paths:?}");
    }
    let summary = run.summary();
    assert_eq!(summary["counts"]["new"], 6, "{summary:#}");
    assert_eq!(summary["counts"]["listing"], 5, "{summary:#}");
    assert_eq!(summary["counts"]["hub"], 2, "{summary:#}");
    assert_eq!(summary["hosts"][a.authority()]["robots"], "rules");
}

#[tokio::test(flavor = "multi_thread")]
async fn depth_and_page_budgets_limit_following() {
    // A chain /p0 → /p1 → … and a wide index of ten stories.
    let a = Host::start(2, |req| match path_of(req) {
        "/robots.txt" => not_found(),
        p if p.starts_with("/p") => {
            let n: u32 = p[2..].parse().unwrap_or(0);
            html(article(&format!("Chain {n}"), &[&format!("/p{}", n + 1)]))
        }
        _ => not_found(),
    })
    .await;
    let run = Run::new();
    profile(
        &run.profiles(),
        "chain",
        &[a.authority()],
        &format!(
            "article_urls = ['/p\\d+$']\n[crawl]\nstart_urls = [{:?}]\nmax_depth = 2\nrate = \"50/s\"",
            a.url("/p0")
        ),
    );
    let b = Host::start(3, |req| match path_of(req) {
        "/robots.txt" => not_found(),
        "/wide" => html(hub(&[
            "/w0", "/w1", "/w2", "/w3", "/w4", "/w5", "/w6", "/w7",
        ])),
        p => html(article(&format!("Wide {p}"), &[])),
    })
    .await;
    profile(
        &run.profiles(),
        "wide",
        &[b.authority()],
        &format!(
            "article_urls = ['/w\\d']\n[crawl]\nstart_urls = [{:?}]\nmax_pages = 4\nrate = \"50/s\"",
            b.url("/wide")
        ),
    );
    let output = run.crawl(&[]).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let chain = a.paths();
    assert!(chain.contains(&"/p2".to_string()), "{chain:?}");
    assert!(
        !chain.contains(&"/p3".to_string()),
        "max_depth = 2 stops at /p2: {chain:?}"
    );
    let wide_pages = b.paths().iter().filter(|p| *p != "/robots.txt").count();
    assert_eq!(
        wide_pages,
        4,
        "max_pages = 4 (the index included): {:?}",
        b.paths()
    );
    assert_eq!(run.summary()["counts"]["skipped"], 5);
}

#[tokio::test(flavor = "multi_thread")]
async fn urls_are_canonical_and_duplicates_written_once() {
    let a = Host::start(2, |req| {
        let o = origin(req);
        match path_of(req) {
            "/robots.txt" => not_found(),
            "/" => html(hub(&[
                "/story/a?utm_source=tw&fbclid=x1",
                "/story/a#comments",
                "/story/b?y=2&x=1",
                "/story/b?x=1&y=2&gclid=9",
                "/story/amp-a",
                "/story/d",
                "/story/d-copy",
                "/story/e?ref=home",
                "/story/e",
            ])),
            "/story/a" => html(article_with_canonical("Story A", &format!("{o}/story/a"))),
            "/story/amp-a" => html(article_with_canonical(
                "Story A amp",
                &format!("{o}/story/a"),
            )),
            "/story/d" | "/story/d-copy" => html(article("Story D", &[])),
            p => html(article(&format!("Story {p}"), &[])),
        }
    })
    .await;
    let run = Run::new();
    story_profile(&run, "canon", &a, "50/s");
    let output = run.crawl(&["--strip-param", "ref"]).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let paths = a.paths();
    for path in ["/story/a", "/story/b?x=1&y=2", "/story/e"] {
        assert_eq!(
            paths.iter().filter(|p| *p == path).count(),
            1,
            "{path} once: {paths:?}"
        );
    }
    assert!(
        paths
            .iter()
            .all(|p| !p.contains("utm_") && !p.contains("gclid") && !p.contains("ref="))
    );
    // a (its amp copy names it canonical), b, one of d/d-copy, e.
    let urls = run.article_urls();
    assert_eq!(urls.len(), 4, "{urls:?}");
    let summary = run.summary();
    assert_eq!(summary["counts"]["new"], 4, "{summary:#}");
    assert_eq!(summary["counts"]["duplicate"], 2, "{summary:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn traps_are_bounded() {
    let long = format!("/deep/{}", "x".repeat(1100));
    let long_link = long.clone();
    let a = Host::start(2, move |req| {
        let path = path_of(req).to_string();
        match path.as_str() {
            "/robots.txt" => not_found(),
            "/" => html(hub(&[
                "/calendar?month=2025-06",
                "/loop/",
                long_link.as_str(),
                "/list?sort=a&page=1",
            ])),
            "/calendar" => {
                let month = req
                    .path
                    .split("month=")
                    .nth(1)
                    .unwrap_or("2025-06")
                    .to_string();
                let (y, m): (i32, i32) = (
                    month[..4].parse().unwrap_or(2025),
                    month[5..].parse().unwrap_or(6),
                );
                let prev = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
                let next = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                html(hub(&[
                    &format!("/calendar?month={}-{:02}", prev.0, prev.1),
                    &format!("/calendar?month={}-{:02}", next.0, next.1),
                ]))
            }
            p if p.starts_with("/loop/") => html(hub(&["loop/", "../loop/"])),
            "/list" => {
                let page: u32 = req
                    .path
                    .split("page=")
                    .nth(1)
                    .and_then(|n| n.split('&').next())
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(1);
                html(hub(&[
                    &format!("/list?page={}&sort=a", page + 1),
                    &format!("/list?sort=b&page={page}"),
                ]))
            }
            _ => not_found(),
        }
    })
    .await;
    let run = Run::new();
    profile(
        &run.profiles(),
        "traps",
        &[a.authority()],
        &format!(
            "[crawl]\nstart_urls = [{:?}]\nfollow = ['/calendar', '/loop/', '/deep/', '/list']\nrate = \"200/s\"",
            a.url("/")
        ),
    );
    let output = run.crawl(&[]).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let paths = a.paths();
    let calendar = paths.iter().filter(|p| p.starts_with("/calendar")).count();
    assert!(calendar <= 25, "calendar pages bounded: {calendar}");
    assert!(
        !paths.iter().any(|p| p.starts_with("/loop/loop/loop")),
        "repeating segments stop: {paths:?}"
    );
    assert!(
        !paths.iter().any(|p| p.starts_with("/deep/")),
        "over-long URL never requested"
    );
    let list = paths.iter().filter(|p| p.starts_with("/list")).count();
    assert!(list <= 33, "query variants bounded: {list}");
    let summary = run.summary();
    let traps = &summary["traps"];
    for trap in [
        "calendar",
        "repeating_segments",
        "url_too_long",
        "query_variants",
    ] {
        assert!(
            traps[trap].as_u64().unwrap_or(0) >= 1,
            "{trap}: {summary:#}"
        );
    }
}
