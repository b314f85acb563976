//! `gleaner demo` and `gleaner profile check` through the binary.

#[path = "common/cli.rs"]
mod cli;

use std::path::Path;

use gleaner::Article;

fn gleaner(args: &[&str]) -> std::process::Output {
    cli::run_gleaner(args, None)
}

#[test]
fn the_demo_ingests_every_snapshot_offline_through_the_profiles() {
    let out_dir = tempfile::tempdir().expect("tempdir");
    let out = gleaner(&["demo", "--out", out_dir.path().to_str().expect("path")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("8 written, 0 failed"), "{stderr}");
    let mut profiled = 0;
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let path = line.split_whitespace().next().expect("path");
        let article: Article =
            serde_json::from_str(&std::fs::read_to_string(path).expect("article")).expect("JSON");
        let fetch = article.fetch.as_ref().expect("fetch info");
        assert_eq!(fetch.status, 200);
        profiled += usize::from(article.extraction.profile.is_some());
        assert!(Path::new(path).starts_with(out_dir.path()));
    }
    assert_eq!(
        profiled, 7,
        "every snapshot but wp-unprofiled matches its profile by host"
    );
}

#[test]
fn profile_check_passes_the_bundled_profiles_and_fails_bad_ones() {
    let out = gleaner(&["profile", "check", "site-profiles"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("bad.toml"),
        "name = \"bad\"\nhosts = [\"x.example\"]\n[select]\ntitle = \"h1..x\"\n",
    )
    .expect("write");
    let out = gleaner(&["profile", "check", dir.path().to_str().expect("path")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("bad.toml") && stderr.contains("select.title") && stderr.contains("h1..x"),
        "{stderr}"
    );
}
