//! `gleaner extract` through the binary: WordPress pages that no profile
//! matches come out without the theme's boilerplate; stdin works; bad
//! arguments exit 1; a closed stdout is not a crash.

#[path = "common/cli.rs"]
#[allow(dead_code)]
mod cli;

use std::path::{Path, PathBuf};
use std::process::Output;

use gleaner::{Article, Block};

fn snapshot(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("snapshots")
        .join(rel)
}

fn extract(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut all = vec!["extract"];
    all.extend_from_slice(args);
    cli::run_gleaner(&all, stdin)
}

fn body_of(article: &Article) -> String {
    let blocks: Vec<String> = article.blocks.iter().map(Block::plain_text).collect();
    format!("{}\n{}", article.text, blocks.join("\n"))
}

#[test]
fn wordpress_pages_without_a_profile_lose_their_boilerplate() {
    let pages = [
        // The seed's theme, at a host no profile names.
        (
            "newsfront/putin-will-not-take-a-step-back.html",
            "https://unknown-news.example/2024/06/20/putin/",
        ),
        (
            "wp-unprofiled/balcony-composting-year.html",
            "https://wp-unprofiled.example/2024/03/12/compost/",
        ),
    ];
    for (page, url) in pages {
        let html = snapshot(page);
        let out = extract(
            &[html.to_str().expect("path"), "--url", url, "--no-profiles"],
            None,
        );
        assert!(
            out.status.success(),
            "{page}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let article: Article = serde_json::from_slice(&out.stdout).expect("article JSON");
        assert_eq!(article.extraction.profile, None);
        assert!(
            article.word_count > 300,
            "{page}: {} words",
            article.word_count
        );
        let body = body_of(&article);
        for boilerplate in [
            "You may also like",
            "Leave a Comment",
            "Leave a Reply",
            "Home »",
            "by alex",
            "By admin",
        ] {
            assert!(
                !body.contains(boilerplate),
                "{page}: {boilerplate:?} in the body"
            );
        }
        let raw = std::fs::read_to_string(&html).expect("page");
        assert!(
            raw.contains("You may also like"),
            "{page}: the fixture must contain the boilerplate"
        );
    }
}

#[test]
fn reads_the_page_from_stdin() {
    let html = std::fs::read(snapshot("wp-unprofiled/balcony-composting-year.html")).expect("page");
    let out = extract(
        &["-", "--url", "https://x.example/a", "--no-profiles"],
        Some(&html),
    );
    assert!(out.status.success());
    let article: Article = serde_json::from_slice(&out.stdout).expect("article JSON");
    assert_eq!(
        article.title.as_deref(),
        Some("What a Year of Composting on a Balcony Taught Me")
    );
}

#[test]
fn bad_arguments_exit_1_with_a_message() {
    let out = extract(&["-", "--url", "not a url"], Some(b"<p>x</p>"));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--url"));
    let out = extract(
        &["/nonexistent/page.html", "--url", "https://x.example/"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/page.html"));
}

#[test]
fn a_reader_that_goes_away_is_not_a_crash() {
    // An article far larger than a pipe's buffer, so the write must meet the closed pipe.
    let page = format!(
        "<html><body><article>{}</article></body></html>",
        "<p>Paragraph of a long article with many words in it.</p>".repeat(5000)
    );
    let path = std::env::temp_dir().join(format!("gleaner-epipe-{}.html", std::process::id()));
    std::fs::write(&path, page).expect("write page");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gleaner"))
        .args(["extract", path.to_str().expect("utf-8 temp path")])
        .args(["--url", "https://news.example/long"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run gleaner");
    drop(child.stdout.take()); // `gleaner extract … | head -c0`
    let out = child.wait_with_output().expect("gleaner output");
    let _ = std::fs::remove_file(&path);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}
