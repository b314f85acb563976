//! Sink tests: hostile URLs map to safe paths, writes are atomic and whole, and
//! unusable output folders are reported with their path.

use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use gleaner::article::{Extraction, Method, Site};
use gleaner::sink::{
    JsonDir, JsonLines, MAX_PATH_LEN, SinkError, StagedFile, article_path, is_temp_file,
};
use gleaner::{Article, Block, SCHEMA_VERSION};
use url::Url;

fn article(url: &str, text: &str) -> Article {
    Article {
        schema: SCHEMA_VERSION.to_owned(),
        url: url.to_owned(),
        canonical_url: None,
        site: Site {
            name: Some("Example".to_owned()),
            host: "example.com".to_owned(),
        },
        title: Some("A title".to_owned()),
        authors: vec!["Ann Author".to_owned()],
        published: Some("2024-06-20T10:15:00+03:00".parse().expect("date")),
        modified: None,
        language: Some("en".to_owned()),
        description: None,
        image: None,
        tags: vec![],
        blocks: vec![Block::Paragraph {
            text: text.to_owned(),
        }],
        text: text.to_owned(),
        word_count: text.split_whitespace().count(),
        content_hash: "sha256:00".to_owned(),
        extraction: Extraction {
            method: Method::Profile,
            profile: None,
            removed: vec![],
            warnings: vec![],
        },
        fetch: None,
        capture: None,
    }
}

fn url(s: &str) -> Url {
    Url::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

const WINDOWS_RESERVED: &[&str] = &["con", "prn", "aux", "nul", "com1", "com9", "lpt1", "lpt9"];

/// Every property a portable, contained relative path must have.
fn assert_safe(path: &Path, from: &str) {
    let shown = path.display();
    assert!(path.is_relative(), "{from} → {shown}: absolute");
    assert!(
        path.as_os_str().len() < MAX_PATH_LEN,
        "{from} → {shown}: too long"
    );
    assert_eq!(path.components().count(), 2, "{from} → {shown}");
    for component in path.components() {
        let Component::Normal(name) = component else {
            panic!("{from} → {shown}: component {component:?}");
        };
        let name = name.to_str().expect("UTF-8 component");
        assert!(
            !name.is_empty() && name != "." && name != "..",
            "{from} → {shown}"
        );
        assert!(!name.starts_with('.'), "{from} → {shown}: hidden");
        assert!(
            !name.ends_with('.') && !name.ends_with(' '),
            "{from} → {shown}"
        );
        assert!(
            name.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c)),
            "{from} → {shown}: bad char in {name:?}"
        );
        let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
        assert!(
            !WINDOWS_RESERVED.contains(&stem.as_str()),
            "{from} → {shown}: reserved"
        );
    }
    assert_eq!(path.extension().and_then(|e| e.to_str()), Some("json"));
}

fn hostile_urls() -> Vec<String> {
    let mut urls: Vec<String> = [
        "http://x/../../etc/passwd",
        "http://x/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "http://x/%2e%2e/%2E%2E/etc/passwd",
        "http://x/a\\..\\..\\windows\\system32",
        "foo://x/a\\..\\..\\b",
        "http://x/?a=../../",
        "http://x/?a=..%2f..%2f&b=%00%0a",
        "http://x/%00%01%1f%7f",
        "http://x/C:/Windows/CON",
        "http://x/.hidden",
        "http://x/.",
        "http://x/日本語/ニュース?q=é",
        "http://bücher.example/straße",
        "http://newsfront.example:8080/a",
        "http://[::1]:8080/a",
        "http://[2001:db8::ff00:42:8329]/a",
        "http://127.0.0.1:9/a",
        "http://CON/x",
        "http://nul.example/x",
        "foo://com1/x",
        "foo://%2e%2e/x",
        "foo://..../x",
        "file:///etc/passwd",
        "file://c:/windows",
        "data:text/html,<script>alert(1)</script>",
        "mailto:someone@example.com",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    urls.push(format!("http://x/{}", "a".repeat(5000)));
    urls.push(format!("http://x/{}", "é".repeat(3000)));
    urls.push(format!("http://x/{}", "../".repeat(2000)));
    urls.push(format!("http://x/?{}", "%2e%2e%2f".repeat(1000)));
    urls.push(format!(
        "http://{}.example/",
        vec!["a".repeat(63); 3].join(".")
    ));
    urls.push(format!("foo://{}/x", "h".repeat(5000)));
    urls
}

#[test]
fn hostile_urls_give_safe_paths() {
    for s in hostile_urls() {
        let p = article_path(&url(&s));
        assert_safe(&p, &s);
    }
}

#[test]
fn host_rules() {
    let host = |s: &str| {
        let p = article_path(&url(s));
        let first = p.components().next().expect("host component");
        first.as_os_str().to_string_lossy().into_owned()
    };
    assert_eq!(host("http://News.Example/x"), "news.example");
    assert_eq!(host("http://bücher.example/x"), "xn--bcher-kva.example");
    assert_eq!(host("http://news.example:8080/x"), "news.example_8080");
    assert_eq!(host("http://[::1]:8080/a"), "0-0-0-0-0-0-0-1_8080");
    assert_eq!(host("http://CON/x"), "_con");
}

#[test]
fn same_url_same_path_and_different_urls_different_paths() {
    let a = url("https://newsfront.example/2024/06/20/putin-step-back/");
    assert_eq!(article_path(&a), article_path(&a.clone()));
    // Slugs collide ("a-b") but the hash keeps the files apart.
    let colliding = [
        "http://x/a-b",
        "http://x/a/b",
        "http://x/a_b",
        "http://x/A-B",
        "http://x/a?b",
    ];
    let mut paths: Vec<PathBuf> = colliding.iter().map(|s| article_path(&url(s))).collect();
    for p in &paths {
        assert!(p.to_string_lossy().starts_with("x/a-b-"), "{}", p.display());
    }
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), colliding.len());
}

#[test]
fn hostile_writes_stay_inside_the_folder() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = JsonDir::open(&tmp.path().join("out")).expect("open");
    let root = out.root().canonicalize().expect("canonical root");
    for s in hostile_urls() {
        let u = url(&s);
        let written = out.write(&article(&s, "text"), &u).expect("write");
        let real = written.canonicalize().expect("canonical file");
        assert!(real.starts_with(&root), "{s} escaped to {}", real.display());
    }
    // The url crate resolves `..` and `%2e%2e` segments, so some inputs are the same
    // URL; every distinct URL has its own file.
    let mut distinct: Vec<String> = hostile_urls().iter().map(|s| url(s).to_string()).collect();
    distinct.sort();
    distinct.dedup();
    assert_eq!(out.articles().expect("list").len(), distinct.len());
}

#[test]
fn writes_pretty_json_with_trailing_newline() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = JsonDir::open(tmp.path()).expect("open");
    let u = url("https://newsfront.example/2024/06/20/putin-step-back/");
    let a = article(u.as_str(), "Hello world.");
    let path = out.write(&a, &u).expect("write");
    assert_eq!(path, tmp.path().join(article_path(&u)));
    let text = fs::read_to_string(&path).expect("read");
    assert!(text.starts_with("{\n  \"schema\": "), "{text}");
    assert!(text.ends_with("}\n") && !text.ends_with("\n\n"));
    let back: Article = serde_json::from_str(&text).expect("parse");
    assert_eq!(back, a);
}

#[test]
fn overwrite_replaces_the_whole_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = JsonDir::open(tmp.path()).expect("open");
    let u = url("https://x.example/a");
    let long = article(u.as_str(), &"long text ".repeat(1000));
    let short = article(u.as_str(), "short");
    out.write(&long, &u).expect("first write");
    let path = out.write(&short, &u).expect("second write");
    let back: Article =
        serde_json::from_str(&fs::read_to_string(&path).expect("read")).expect("parse");
    assert_eq!(back, short);
    let names = dir_names(path.parent().expect("host folder"));
    assert_eq!(names.len(), 1, "leftovers: {names:?}");
}

#[test]
fn crash_before_rename_leaves_old_file_intact() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = JsonDir::open(tmp.path()).expect("open");
    let u = url("https://x.example/a");
    let old = article(u.as_str(), "old");
    let path = out.write(&old, &u).expect("write");
    let before = fs::read(&path).expect("read");

    // The process "dies" after staging the new content but before the rename: the
    // temp file is neither persisted nor cleaned up.
    let staged = StagedFile::stage(&path, b"{\"partial\": ").expect("stage");
    let temp = staged.temp_path().to_owned();
    std::mem::forget(staged);

    assert_eq!(fs::read(&path).expect("read after crash"), before);
    assert!(temp.exists() && is_temp_file(&temp), "{}", temp.display());
    let name = temp.file_name().and_then(|n| n.to_str()).expect("name");
    assert!(
        name.starts_with(".gleaner-") && name.ends_with(".tmp"),
        "{name}"
    );
    let json: Vec<String> = dir_names(path.parent().expect("host"))
        .into_iter()
        .filter(|n| n.ends_with(".json"))
        .collect();
    assert_eq!(json.len(), 1, "{json:?}");
    assert_eq!(out.articles().expect("list"), vec![path.clone()]);

    // The next run writes over it cleanly.
    let new = article(u.as_str(), "new");
    out.write(&new, &u).expect("rewrite");
    let back: Article =
        serde_json::from_str(&fs::read_to_string(&path).expect("read")).expect("parse");
    assert_eq!(back, new);
}

#[test]
fn folder_under_a_regular_file_is_an_error_naming_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("plain-file");
    fs::write(&file, "x").expect("write file");
    let dir = file.join("out");
    let err = JsonDir::open(&dir).expect_err("cannot be a folder");
    assert!(matches!(err, SinkError::CreateDir { .. }), "{err:?}");
    assert!(
        err.to_string().contains(&dir.display().to_string()),
        "{err}"
    );
}

/// A folder this process cannot create files in: one made read-only, or, where permissions are not
/// enforced (running as root), Linux's `/proc`, where nobody can. The flag says it was chmod-ed.
#[cfg(target_os = "linux")]
fn refusing_folder(tmp: &std::path::Path) -> (std::path::PathBuf, bool) {
    use std::os::unix::fs::PermissionsExt;
    let dir = tmp.join("ro");
    fs::create_dir(&dir).expect("mkdir");
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o555)).expect("chmod");
    let probe = dir.join("probe");
    if fs::write(&probe, "x").is_err() {
        return (dir, true);
    }
    let _ = fs::remove_file(&probe);
    let proc = std::path::PathBuf::from("/proc");
    assert!(
        fs::write(proc.join("probe"), "x").is_err(),
        "no folder refuses writes here"
    );
    (proc, false)
}

#[cfg(target_os = "linux")]
#[test]
fn read_only_folder_is_an_error_naming_it() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("tempdir");
    let (dir, chmodded) = refusing_folder(tmp.path());
    let err = JsonDir::open(&dir).expect_err("read-only");
    assert!(matches!(err, SinkError::NotWritable { .. }), "{err:?}");
    assert!(
        err.to_string().contains(&dir.display().to_string()),
        "{err}"
    );
    let sub = dir.join("sub");
    let err = JsonDir::open(&sub).expect_err("cannot create inside read-only");
    assert!(
        err.to_string().contains(&sub.display().to_string()),
        "{err}"
    );
    if chmodded {
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).expect("chmod back");
    }
}

#[test]
fn json_lines_one_compact_article_per_line() {
    let mut lines = JsonLines::new(Vec::new());
    let (a, b) = (url("https://x.example/a"), url("https://x.example/b"));
    lines
        .write(&article(a.as_str(), "one\ntwo"), &a)
        .expect("write a");
    lines
        .write(&article(b.as_str(), "three"), &b)
        .expect("write b");
    assert_eq!(lines.lines(), 2);
    let out = String::from_utf8(lines.into_inner()).expect("utf-8");
    assert!(out.ends_with('\n'));
    let parsed: Vec<Article> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is an article"))
        .collect();
    assert_eq!(parsed.len(), 2);
    assert_eq!(parsed[0].text, "one\ntwo");
    assert_eq!(parsed[1].url, "https://x.example/b");
}

#[test]
fn json_lines_errors_name_url_and_line() {
    struct Broken;
    impl Write for Broken {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::new(io::ErrorKind::BrokenPipe, "closed"))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let u = url("https://x.example/a");
    let err = JsonLines::new(Broken)
        .write(&article(u.as_str(), "t"), &u)
        .expect_err("broken pipe");
    let msg = err.to_string();
    assert!(
        msg.contains("https://x.example/a") && msg.contains("line 1"),
        "{msg}"
    );
}

fn dir_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
