//! `gleaner crawl` and listing modification times: URLs whose sitemap `lastmod` is not after their last
//! fetch are not requested again (child sitemaps included, whose stored entries still feed the run),
//! a newer lastmod brings a URL back, a deleted article file is fetched again whatever the sitemap
//! says, and `--recheck-after` bounds how long a lastmod is trusted.

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

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use site::{Host, Run, article, not_found, origin, path_of, profile, stderr, text};

/// The lastmods the site publishes: the child sitemap's (in the index) and story 2's.
#[derive(Clone)]
struct Lastmods {
    child: String,
    story2: String,
    story2_title: String,
}

/// A site whose sitemap index lists a child sitemap with stories 1 and 2 (with lastmods) and 3
/// (without), and a child sitemap with story 4 (without). Nothing carries a validator, so only the
/// lastmods can spare a request.
async fn sitemap_site(lastmods: Arc<Mutex<Lastmods>>) -> Host {
    Host::start(7, move |req| {
        let o = origin(req);
        let now = lastmods
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        match path_of(req) {
            "/robots.txt" => text(200, "text/plain", "User-agent: *\nAllow: /\n"),
            "/sitemap_index.xml" => text(
                200,
                "application/xml",
                &format!(
                    "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
                     <sitemap><loc>{o}/sitemap-posts.xml</loc><lastmod>{}</lastmod></sitemap>\
                     <sitemap><loc>{o}/sitemap-pages.xml</loc><lastmod>2024-01-01</lastmod></sitemap>\
                     </sitemapindex>",
                    now.child
                ),
            ),
            "/sitemap-posts.xml" => text(
                200,
                "application/xml",
                &format!(
                    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
                     <url><loc>{o}/story/1</loc><lastmod>2024-01-01</lastmod></url>\
                     <url><loc>{o}/story/2</loc><lastmod>{}</lastmod></url>\
                     <url><loc>{o}/story/3</loc></url></urlset>",
                    now.story2
                ),
            ),
            "/sitemap-pages.xml" => text(
                200,
                "application/xml",
                &format!(
                    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
                     <url><loc>{o}/story/4</loc></url></urlset>"
                ),
            ),
            "/story/2" => text(200, "text/html", &article(&now.story2_title, &[])),
            p if p.starts_with("/story/") => {
                text(200, "text/html", &article(&format!("Story {p}"), &[]))
            }
            _ => not_found(),
        }
    })
    .await
}

/// A run crawling `host` from its sitemap index, with `/story/` pages as articles.
fn sitemap_run(host: &Host) -> Run {
    let run = Run::new();
    profile(
        &run.profiles(),
        "maps",
        &[host.authority()],
        &format!(
            "article_urls = ['/story/']\n[crawl]\nsitemaps = [{:?}]\nrate = \"50/s\"",
            host.url("/sitemap_index.xml")
        ),
    );
    run
}

/// The request targets from the `from`-th request on, as a set.
fn requested_since(host: &Host, from: usize) -> BTreeSet<String> {
    host.paths()[from..].iter().cloned().collect()
}

fn set(paths: &[&str]) -> BTreeSet<String> {
    paths.iter().map(|p| p.to_string()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn urls_unchanged_per_their_sitemap_lastmod_are_not_requested() {
    let lastmods = Arc::new(Mutex::new(Lastmods {
        child: "2024-01-01T00:00:00Z".into(),
        story2: "2024-01-01".into(),
        story2_title: "Story two".into(),
    }));
    let host = sitemap_site(Arc::clone(&lastmods)).await;
    let run = sitemap_run(&host);

    let first = run.crawl(&[]).await;
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_eq!(run.summary()["counts"]["new"], 4);
    assert_eq!(run.summary()["unchanged_per_lastmod"], 0);
    let files = run.articles();
    let story1 = files
        .iter()
        .find(|f| f.display().to_string().contains("story-1"))
        .expect("story 1 written")
        .clone();

    // Second run, story 1's file deleted by hand: the index is a start URL (always asked); the posts
    // sitemap and story 2 are unchanged per their lastmods; stories 3 and 4 have none, and neither do
    // the entries of the pages sitemap, which sparing would not help; story 1 must be rewritten.
    std::fs::remove_file(&story1).expect("delete story 1");
    let seen = host.paths().len();
    let second = run.crawl(&[]).await;
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert_eq!(
        requested_since(&host, seen),
        set(&[
            "/robots.txt",
            "/sitemap_index.xml",
            "/sitemap-pages.xml",
            "/story/1",
            "/story/3",
            "/story/4"
        ])
    );
    assert!(story1.is_file(), "the deleted article is written again");
    let summary = run.summary();
    assert_eq!(summary["schema"], "gleaner.crawl-summary/2");
    assert_eq!(summary["unchanged_per_lastmod"], 2, "{summary:#}");
    let counts = &summary["counts"];
    assert_eq!(
        (&counts["new"], &counts["unchanged"], &counts["listing"]),
        (&1.into(), &3.into(), &3.into()),
        "{summary:#}"
    );

    // Story 2 changes and says so, in its sitemap and in the index: both are asked again.
    {
        let mut now = lastmods.lock().unwrap_or_else(PoisonError::into_inner);
        let later = chrono::Utc::now() + chrono::Duration::minutes(1);
        now.child = later.to_rfc3339();
        now.story2 = later.to_rfc3339();
        now.story2_title = "Story two, corrected".into();
    }
    let seen = host.paths().len();
    let third = run.crawl(&[]).await;
    assert_eq!(third.status.code(), Some(0), "{}", stderr(&third));
    assert_eq!(
        requested_since(&host, seen),
        set(&[
            "/robots.txt",
            "/sitemap_index.xml",
            "/sitemap-posts.xml",
            "/sitemap-pages.xml",
            "/story/2",
            "/story/3",
            "/story/4"
        ])
    );
    assert_eq!(run.summary()["counts"]["changed"], 1);
    let corrected = run
        .articles()
        .iter()
        .any(|f| std::fs::read_to_string(f).is_ok_and(|t| t.contains("Story two, corrected")));
    assert!(corrected, "story 2 is rewritten");

    // With `--recheck-after 0` every URL is asked.
    let seen = host.paths().len();
    let fourth = run.crawl(&["--recheck-after", "0"]).await;
    assert_eq!(fourth.status.code(), Some(0), "{}", stderr(&fourth));
    assert_eq!(host.paths().len() - seen, 8, "{:?}", &host.paths()[seen..]);
    assert_eq!(run.summary()["unchanged_per_lastmod"], 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lastmod_is_trusted_only_within_recheck_after() {
    let lastmods = Arc::new(Mutex::new(Lastmods {
        child: "2024-01-01".into(),
        story2: "2024-01-01".into(),
        story2_title: "Story two".into(),
    }));
    let host = sitemap_site(lastmods).await;
    let run = sitemap_run(&host);
    let first = run.crawl(&[]).await;
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));

    // Within the window: the posts sitemap and stories 1 and 2 are spared.
    let seen = host.paths().len();
    let second = run.crawl(&["--recheck-after", "1h"]).await;
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert_eq!(host.paths().len() - seen, 5, "{:?}", &host.paths()[seen..]);

    // Past it (times are stored to the second): everything is asked again.
    std::thread::sleep(Duration::from_millis(2100));
    let seen = host.paths().len();
    let third = run.crawl(&["--recheck-after", "2s"]).await;
    assert_eq!(third.status.code(), Some(0), "{}", stderr(&third));
    assert_eq!(host.paths().len() - seen, 8, "{:?}", &host.paths()[seen..]);
    let counts = &run.summary()["counts"];
    assert_eq!(counts["unchanged"], 4, "same texts: left alone");
}
