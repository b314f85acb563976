//! `gleaner demo` and `gleaner profile check` through the binary; the
//! demo's WARC archive replays into the same articles.

#[path = "common/cli.rs"]
#[allow(dead_code)]
mod cli;
#[path = "common/python.rs"]
mod python;

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

/// Every file below `dir`, as (path relative to `dir`, bytes), sorted.
fn files_below(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let rel = path.strip_prefix(dir).expect("below dir").to_path_buf();
                found.push((rel, std::fs::read(&path).expect("read")));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn the_demo_archives_to_warc_and_replays_into_the_same_articles() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (live, replayed, warc) = (
        tmp.path().join("live"),
        tmp.path().join("replayed"),
        tmp.path().join("warc"),
    );
    let path = |p: &Path| p.to_str().expect("utf-8 path").to_string();
    let out = gleaner(&["demo", "--out", &path(&live), "--warc", &path(&warc)]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let archives: Vec<_> = files_below(&warc)
        .into_iter()
        .map(|(rel, _)| warc.join(rel))
        .filter(|p| p.to_string_lossy().ends_with(".warc.gz"))
        .collect();
    assert_eq!(archives.len(), 1, "{archives:?}");
    let articles = files_below(&live);
    assert_eq!(articles.len(), 8);
    for (rel, bytes) in &articles {
        let article: Article = serde_json::from_slice(bytes).expect("article JSON");
        let capture = article
            .capture
            .as_ref()
            .unwrap_or_else(|| panic!("{rel:?} has no capture"));
        assert!(archives[0].ends_with(&capture.warc_file), "{rel:?}");
    }

    let mut args = vec!["replay".to_string()];
    args.extend(archives.iter().map(|p| path(p)));
    args.extend(["--out".to_string(), path(&replayed)]);
    let out = cli::run_gleaner(&args, None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        files_below(&replayed) == articles,
        "replayed articles differ from the live ones"
    );

    if let Some(python) = python::python("warcio check of the demo's WARC file") {
        let output = python::run_script(&python, "check_warc.py", &archives);
        python::assert_success(&output, "warcio check of the demo's WARC file");
    }
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
