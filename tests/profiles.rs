//! Site profiles: loading a folder, every error kind, `check_dir`, and URL matching.

use std::fs;
use std::path::Path;
use std::time::Duration;

use gleaner::profile::{Profile, ProfileError, ProfileSet, Rate};
use scraper::Html;
use tempfile::TempDir;
use url::Url;

/// A temp folder holding the given `(file name, content)` profiles.
fn folder(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

const FULL: &str = r##"
name = "wp-news"
site_name = "Newsfront"
hosts = ["Newsfront.example", "www.newsfront.example"]
article_urls = ['^https://newsfront\.example/\d{4}/']

[select]
title = "h1.entry-title"
body = "div.entry-content"
authors = [".author-name", "meta[name=author]@content"]
published = ["meta[property='article:published_time']@content", "time.entry-date@datetime"]
modified = "meta[property='article:modified_time']@content"
description = "meta[name=description]@content"
image = "meta[property='og:image']@content"
tags = "a[rel=tag]"

[remove]
selectors = [".breadcrumbs", "#comments"]
phrases = ["You may also like", "Leave a Comment"]

[crawl]
start_urls = ["https://newsfront.example/"]
feeds = ["https://newsfront.example/feed/"]
sitemaps = []
follow = ['^https://newsfront\.example/category/']
rate = "1/5s"
max_pages = 1000
max_depth = 5
"##;

/// A minimal valid profile.
fn minimal(name: &str, hosts: &str) -> String {
    format!("name = \"{name}\"\nhosts = {hosts}\n")
}

#[test]
fn a_full_profile_loads_and_compiles() {
    let dir = folder(&[("wp-news.toml", FULL), ("notes.txt", "not a profile")]);
    let set = ProfileSet::load_dir(dir.path()).unwrap();
    assert_eq!(set.len(), 1);
    let p = set.get("wp-news").unwrap();
    assert_eq!(p.site_name.as_deref(), Some("Newsfront"));
    assert_eq!(p.hosts, ["newsfront.example", "www.newsfront.example"]);
    assert_eq!(p.source, dir.path().join("wp-news.toml"));
    assert_eq!(p.article_urls.len(), 1);
    assert!(p.article_urls[0].is_match("https://newsfront.example/2024/x"));
    assert!(!p.article_urls[0].is_match("https://newsfront.example/about"));

    // String form → one rule; array form → rules in order; "@attr" split off.
    let sel = &p.select;
    assert_eq!(sel.title.len(), 1);
    assert_eq!(sel.title[0].rule.css, "h1.entry-title");
    assert_eq!(sel.title[0].attr, None);
    assert_eq!(sel.body.len(), 1);
    assert_eq!(sel.body[0].css, "div.entry-content");
    let authors: Vec<_> = sel
        .authors
        .iter()
        .map(|r| (r.rule.css.as_str(), r.attr.as_deref()))
        .collect();
    assert_eq!(
        authors,
        [
            (".author-name", None),
            ("meta[name=author]", Some("content"))
        ]
    );
    assert_eq!(sel.published.len(), 2);
    assert_eq!(sel.published[1].rule.css, "time.entry-date");
    assert_eq!(sel.published[1].attr.as_deref(), Some("datetime"));
    assert_eq!(sel.modified[0].attr.as_deref(), Some("content"));
    assert_eq!(sel.description[0].rule.css, "meta[name=description]");
    assert_eq!(sel.image[0].rule.css, "meta[property='og:image']");
    assert_eq!(sel.tags[0].attr, None);

    // The compiled selectors really select.
    let html = Html::parse_document(
        r#"<html><head><meta name="author" content="Ana Lima">
           <meta property="og:image" content="https://img/x.jpg"></head>
           <body><h1 class="entry-title">Hello</h1><div class="entry-content">Body</div></body></html>"#,
    );
    let title = html.select(&sel.title[0].rule.selector).next().unwrap();
    assert_eq!(title.text().collect::<String>(), "Hello");
    let author = html.select(&sel.authors[1].rule.selector).next().unwrap();
    assert_eq!(author.attr("content"), Some("Ana Lima"));
    assert_eq!(html.select(&sel.image[0].rule.selector).count(), 1);
    assert_eq!(html.select(&sel.authors[0].rule.selector).count(), 0);

    let remove = &p.remove;
    let css: Vec<_> = remove.selectors.iter().map(|r| r.css.as_str()).collect();
    assert_eq!(css, [".breadcrumbs", "#comments"]);
    assert_eq!(remove.phrases, ["You may also like", "Leave a Comment"]);

    let crawl = p.crawl.as_ref().unwrap();
    assert_eq!(crawl.start_urls, [url("https://newsfront.example/")]);
    assert_eq!(crawl.feeds, [url("https://newsfront.example/feed/")]);
    assert!(crawl.sitemaps.is_empty());
    assert!(crawl.follow[0].is_match("https://newsfront.example/category/world"));
    assert_eq!(crawl.rate.requests.get(), 1);
    assert_eq!(crawl.rate.per, Duration::from_secs(5));
    assert_eq!(crawl.max_pages, Some(1000));
    assert_eq!(crawl.max_depth, Some(5));
}

#[test]
fn optional_sections_default() {
    let p = Profile::from_toml_str(&minimal("a", r#"["a.test"]"#), Path::new("a.toml")).unwrap();
    assert!(p.site_name.is_none() && p.article_urls.is_empty() && p.crawl.is_none());
    assert!(p.select.title.is_empty() && p.select.body.is_empty());
    assert!(p.remove.selectors.is_empty() && p.remove.phrases.is_empty());

    let text = format!("{}[crawl]\n", minimal("a", r#"["a.test"]"#));
    let crawl = Profile::from_toml_str(&text, Path::new("a.toml"))
        .unwrap()
        .crawl
        .unwrap();
    assert_eq!(crawl.rate, Rate::default());
    assert_eq!(crawl.rate.per, Duration::from_secs(1));
    assert_eq!((crawl.max_pages, crawl.max_depth), (None, None));
}

#[test]
fn hosts_are_normalized() {
    let text = minimal(
        "a",
        r#"["WWW.Example.COM", "*.Blog.example", "example.com."]"#,
    );
    let p = Profile::from_toml_str(&text, Path::new("a.toml")).unwrap();
    assert_eq!(
        p.hosts,
        ["www.example.com", "*.blog.example", "example.com"]
    );
}

#[test]
fn empty_folder_loads_as_empty_set() {
    let dir = folder(&[]);
    let set = ProfileSet::load_dir(dir.path()).unwrap();
    assert!(set.is_empty());
    assert!(ProfileSet::check_dir(dir.path()).is_empty());
    assert!(ProfileSet::empty().is_empty());
    assert!(ProfileSet::empty().get("x").is_none());
}

/// Loads a single bad file and returns the error's message, checking that it names
/// the file, the field and the value.
fn single_error(file_text: &str, field: &str, value: &str) -> String {
    let dir = folder(&[("site.toml", file_text)]);
    let err = ProfileSet::load_dir(dir.path()).unwrap_err();
    let msg = err.to_string();
    let path = dir.path().join("site.toml");
    assert!(
        msg.starts_with(&format!("{}: ", path.display())),
        "no path in {msg:?}"
    );
    assert_eq!(err.path(), path);
    assert!(
        msg.contains(&format!("{field}: ")),
        "no field {field} in {msg:?}"
    );
    assert!(msg.contains(value), "no value {value} in {msg:?}");
    // check_dir reports the same error.
    let all = ProfileSet::check_dir(dir.path());
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0].to_string(), msg);
    msg
}

fn with_hosts(rest: &str) -> String {
    format!("name = \"site\"\nhosts = [\"a.test\"]\n{rest}")
}

#[test]
fn invalid_css_names_file_field_and_value() {
    let msg = single_error(
        &with_hosts("[select]\ntitle = \"h1..x\"\n"),
        "select.title",
        "\"h1..x\"",
    );
    assert!(msg.contains("invalid CSS selector \"h1..x\": "), "{msg}");
    // Array form: the index is part of the field; the whole value (with @attr) is shown.
    let msg = single_error(
        &with_hosts("[select]\nauthors = [\".a\", \"p[[@content\"]\n"),
        "select.authors[1]",
        "\"p[[@content\"",
    );
    assert!(!msg.contains('\n'), "one line: {msg:?}");
    single_error(
        &with_hosts("[remove]\nselectors = [\".ok\", \"\", \"#x\"]\n"),
        "remove.selectors[1]",
        "\"\"",
    );
}

#[test]
fn attr_on_body_is_an_error() {
    let msg = single_error(
        &with_hosts("[select]\nbody = [\"article\", \"div@data-body\"]\n"),
        "select.body[1]",
        "\"div@data-body\"",
    );
    assert!(msg.contains("plain CSS"), "{msg}");
}

#[test]
fn invalid_regex_names_file_field_and_value() {
    let msg = single_error(
        &with_hosts("article_urls = ['^https://a\\.test/(\\d+']\n"),
        "article_urls[0]",
        r#""^https://a\\.test/(\\d+""#,
    );
    assert!(msg.contains("invalid regex"), "{msg}");
    assert!(msg.ends_with(": unclosed group"), "{msg}");
    single_error(
        &with_hosts("[crawl]\nfollow = ['ok', '[z-a]']\n"),
        "crawl.follow[1]",
        "\"[z-a]\"",
    );
}

#[test]
fn bad_rate_names_file_field_and_value() {
    let msg = single_error(
        &with_hosts("[crawl]\nrate = \"0/s\"\n"),
        "crawl.rate",
        "\"0/s\"",
    );
    assert!(msg.contains("invalid rate"), "{msg}");
    single_error(
        &with_hosts("[crawl]\nrate = \"1/fortnight\"\n"),
        "crawl.rate",
        "\"1/fortnight\"",
    );
}

#[test]
fn bad_urls_name_file_field_and_value() {
    let msg = single_error(
        &with_hosts("[crawl]\nstart_urls = [\"https://a.test/\", \"/relative\"]\n"),
        "crawl.start_urls[1]",
        "\"/relative\"",
    );
    assert!(msg.contains("invalid URL"), "{msg}");
    let msg = single_error(
        &with_hosts("[crawl]\nsitemaps = [\"ftp://a.test/sitemap.xml\"]\n"),
        "crawl.sitemaps[0]",
        "\"ftp://a.test/sitemap.xml\"",
    );
    assert!(msg.contains("not an http(s) URL"), "{msg}");
    single_error(
        &with_hosts("[crawl]\nfeeds = [\"https://exa mple.test/\"]\n"),
        "crawl.feeds[0]",
        "\"https://exa mple.test/\"",
    );
}

#[test]
fn empty_phrase_is_an_error() {
    let msg = single_error(
        &with_hosts("[remove]\nphrases = [\"You may also like\", \"x\", \"  \"]\n"),
        "remove.phrases[2]",
        "\"  \"",
    );
    assert!(msg.contains("empty phrase"), "{msg}");
}

#[test]
fn bad_name_hosts_and_max_pages() {
    single_error(&minimal("Wp News", r#"["a.test"]"#), "name", "\"Wp News\"");
    let msg = single_error(&minimal("a", "[]"), "hosts", "");
    assert!(msg.contains("at least one host"), "{msg}");
    single_error(
        &minimal("a", r#"["a.test", "http://b.test/"]"#),
        "hosts[1]",
        "\"http://b.test/\"",
    );
    single_error(&minimal("a", r#"["a.*.test"]"#), "hosts[0]", "\"a.*.test\"");
    single_error(
        &with_hosts("[crawl]\nmax_pages = 0\n"),
        "crawl.max_pages",
        "0",
    );
}

#[test]
fn toml_errors_keep_the_path_and_line() {
    // Syntax error.
    let dir = folder(&[("bad.toml", "name = \"a\"\nhosts = [\"a.test\"\n")]);
    let msg = ProfileSet::load_dir(dir.path()).unwrap_err().to_string();
    let path = dir.path().join("bad.toml");
    assert!(
        msg.starts_with(&format!("{}: invalid profile: ", path.display())),
        "{msg}"
    );

    // Unknown top-level key.
    let dir = folder(&[(
        "foo.toml",
        "name = \"a\"\nhosts = [\"a.test\"]\ntitel = \"x\"\n",
    )]);
    let err = ProfileSet::load_dir(dir.path()).unwrap_err();
    let msg = err.to_string();
    assert!(
        matches!(err, ProfileError::Toml { line: Some(3), .. }),
        "{err:?}"
    );
    assert!(
        msg.contains("foo.toml: invalid profile: unknown field `titel`"),
        "{msg}"
    );
    assert!(msg.contains("expected one of"), "{msg}");
    assert!(msg.ends_with("at line 3"), "{msg}");
    assert!(!msg.contains('\n'), "one line: {msg:?}");

    // Unknown key inside [select].
    let text = "name = \"a\"\nhosts = [\"a.test\"]\n\n[select]\ntitle = \"h1\"\nbyline = \".by\"\n";
    let dir = folder(&[("foo.toml", text)]);
    let msg = ProfileSet::load_dir(dir.path()).unwrap_err().to_string();
    assert!(msg.contains("unknown field `byline`"), "{msg}");
    assert!(msg.contains("`authors`"), "{msg}");
    assert!(msg.ends_with("at line 6"), "{msg}");

    // Wrong type.
    let dir = folder(&[("foo.toml", &with_hosts("[select]\ntitle = 3\n"))]);
    let msg = ProfileSet::load_dir(dir.path()).unwrap_err().to_string();
    assert!(msg.contains("a string or an array of strings"), "{msg}");
}

#[test]
fn missing_required_keys_are_clear() {
    let dir = folder(&[("foo.toml", "hosts = [\"a.test\"]\n")]);
    let msg = ProfileSet::load_dir(dir.path()).unwrap_err().to_string();
    assert!(
        msg.ends_with("foo.toml: invalid profile: missing field `name`"),
        "{msg}"
    );

    let dir = folder(&[("foo.toml", "name = \"a\"\n")]);
    let msg = ProfileSet::load_dir(dir.path()).unwrap_err().to_string();
    assert!(
        msg.ends_with("foo.toml: invalid profile: missing field `hosts`"),
        "{msg}"
    );
}

#[test]
fn duplicate_names_across_files() {
    let dir = folder(&[
        ("a.toml", &minimal("same", r#"["a.test"]"#)),
        ("b.toml", &minimal("same", r#"["b.test"]"#)),
    ]);
    let err = ProfileSet::load_dir(dir.path()).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, ProfileError::DuplicateName { .. }), "{err:?}");
    assert!(
        msg.starts_with(&dir.path().join("b.toml").display().to_string()),
        "{msg}"
    );
    assert!(msg.contains("name: "), "{msg}");
    assert!(msg.contains("\"same\""), "{msg}");
    assert!(
        msg.contains(&dir.path().join("a.toml").display().to_string()),
        "{msg}"
    );
}

#[test]
fn duplicate_hosts_need_article_urls_on_both_sides() {
    let with_urls = |name: &str| {
        format!(
            "{}article_urls = ['/{name}/']\n",
            minimal(name, r#"["x.test"]"#)
        )
    };

    // Both have article_urls: allowed.
    let dir = folder(&[("a.toml", &with_urls("a")), ("b.toml", &with_urls("b"))]);
    assert_eq!(ProfileSet::load_dir(dir.path()).unwrap().len(), 2);

    // One lacks them: an error naming both files; the host is compared normalized.
    let dir = folder(&[
        ("a.toml", &with_urls("a")),
        ("b.toml", &minimal("b", r#"["X.Test"]"#)),
    ]);
    let err = ProfileSet::load_dir(dir.path()).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, ProfileError::DuplicateHost { .. }), "{err:?}");
    assert!(
        msg.starts_with(&dir.path().join("b.toml").display().to_string()),
        "{msg}"
    );
    assert!(msg.contains("hosts: "), "{msg}");
    assert!(msg.contains("\"x.test\""), "{msg}");
    assert!(
        msg.contains(&dir.path().join("a.toml").display().to_string()),
        "{msg}"
    );
}

#[test]
fn check_dir_reports_every_error_of_every_file() {
    let dir = folder(&[
        // Three bad values in one file.
        (
            "a.toml",
            "name = \"a\"\nhosts = [\"a.test\"]\n[select]\ntitle = \"h1..x\"\nauthors = [\".ok\", \"p[[\"]\n\
             [crawl]\nrate = \"fast\"\n",
        ),
        // A TOML error.
        ("b.toml", "name = \"b\"\nhosts = [\"b.test\"]\nbogus = 1\n"),
        // Valid.
        ("c.toml", &minimal("c", r#"["c.test"]"#)),
        // Valid on its own, but reuses c's name.
        ("d.toml", &minimal("c", r#"["d.test"]"#)),
        // Bad regex and empty phrase.
        (
            "e.toml",
            "name = \"e\"\nhosts = [\"e.test\"]\narticle_urls = ['(']\n[remove]\nphrases = [\"\"]\n",
        ),
    ]);
    let errors = ProfileSet::check_dir(dir.path());
    let found: Vec<(String, Option<&str>)> = errors
        .iter()
        .map(|e| {
            let file = e.path().file_name().unwrap().to_string_lossy().into_owned();
            (file, e.field())
        })
        .collect();
    let expected: Vec<(String, Option<&str>)> = [
        ("a.toml", Some("select.title")),
        ("a.toml", Some("select.authors[1]")),
        ("a.toml", Some("crawl.rate")),
        ("b.toml", None),
        ("e.toml", Some("article_urls[0]")),
        ("e.toml", Some("remove.phrases[0]")),
        // Cross-file checks come last.
        ("d.toml", Some("name")),
    ]
    .into_iter()
    .map(|(file, field)| (file.to_owned(), field))
    .collect();
    assert_eq!(found, expected, "{errors:#?}");
    assert_eq!(errors[2].value(), Some("fast"));
    assert!(errors[3].to_string().contains("unknown field `bogus`"));

    // load_dir stops at the first one.
    let first = ProfileSet::load_dir(dir.path()).unwrap_err();
    assert_eq!(first.to_string(), errors[0].to_string());
}

#[test]
fn check_dir_reports_cross_file_duplicates() {
    let dir = folder(&[
        ("a.toml", &minimal("a", r#"["x.test"]"#)),
        ("b.toml", &minimal("a", r#"["y.test"]"#)),
        ("c.toml", &minimal("c", r#"["x.test", "y.test"]"#)),
    ]);
    let errors = ProfileSet::check_dir(dir.path());
    let kinds: Vec<_> = errors
        .iter()
        .map(|e| {
            (
                e.path().file_name().unwrap().to_owned(),
                e.value().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("b.toml".into(), "a".to_owned()),
            ("c.toml".into(), "x.test".to_owned()),
            ("c.toml".into(), "y.test".to_owned()),
        ]
    );
}

#[test]
fn missing_folder_and_unreadable_file_are_errors() {
    let dir = folder(&[]);
    let missing = dir.path().join("nope");
    let err = ProfileSet::load_dir(&missing).unwrap_err();
    assert!(matches!(err, ProfileError::ReadDir { .. }), "{err:?}");
    assert!(err.to_string().starts_with(&missing.display().to_string()));
    let errors = ProfileSet::check_dir(&missing);
    assert_eq!(errors.len(), 1);
    assert!(matches!(errors[0], ProfileError::ReadDir { .. }));

    // Not UTF-8.
    fs::write(dir.path().join("latin1.toml"), b"name = \"caf\xe9\"\n").unwrap();
    fs::write(dir.path().join("ok.toml"), minimal("ok", r#"["ok.test"]"#)).unwrap();
    let errors = ProfileSet::check_dir(dir.path());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        matches!(errors[0], ProfileError::ReadFile { .. }),
        "{errors:?}"
    );
    assert!(errors[0].to_string().contains("latin1.toml"));
}

#[test]
fn files_load_in_name_order_and_subfolders_are_ignored() {
    let dir = folder(&[
        ("b.toml", &minimal("bee", r#"["b.test"]"#)),
        ("a.toml", &minimal("ay", r#"["a.test"]"#)),
        ("c.toml.bak", "garbage"),
    ]);
    fs::create_dir(dir.path().join("sub.toml")).unwrap();
    fs::write(dir.path().join("sub.toml").join("x.toml"), "garbage").unwrap();
    let set = ProfileSet::load_dir(dir.path()).unwrap();
    let names: Vec<_> = set.profiles().iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["ay", "bee"]);
}

fn matching_set() -> (TempDir, ProfileSet) {
    let dir = folder(&[
        (
            "10-exact.toml",
            &minimal("exact", r#"["news.test", "www.news.test"]"#),
        ),
        ("20-wild.toml", &minimal("wild", r#"["*.blogs.test"]"#)),
        (
            "30-articles.toml",
            "name = \"articles\"\nhosts = [\"shared.test\"]\narticle_urls = ['^https://shared\\.test/\\d{4}/']\n",
        ),
        (
            "40-other-articles.toml",
            "name = \"other-articles\"\nhosts = [\"shared.test\"]\narticle_urls = ['^https://shared\\.test/', '/news/']\n",
        ),
        ("50-apex.toml", &minimal("apex", r#"["blogs.test"]"#)),
    ]);
    let set = ProfileSet::load_dir(dir.path()).unwrap();
    (dir, set)
}

fn name_for<'a>(set: &'a ProfileSet, u: &str) -> Option<&'a str> {
    set.for_url(&url(u)).map(|p| p.name.as_str())
}

#[test]
fn for_url_matches_exact_hosts_case_insensitively() {
    let (_dir, set) = matching_set();
    assert_eq!(name_for(&set, "https://news.test/a"), Some("exact"));
    assert_eq!(name_for(&set, "https://WWW.News.TEST/a"), Some("exact"));
    assert_eq!(name_for(&set, "https://other.news.test/a"), None);
    assert_eq!(name_for(&set, "https://unknown.test/"), None);
}

#[test]
fn for_url_matches_wildcards_but_not_the_apex() {
    let (_dir, set) = matching_set();
    assert_eq!(
        name_for(&set, "https://alice.blogs.test/post"),
        Some("wild")
    );
    assert_eq!(name_for(&set, "https://a.b.blogs.test/"), Some("wild"));
    assert_eq!(name_for(&set, "https://blogs.test/"), Some("apex"));
}

#[test]
fn for_url_prefers_the_first_matching_article_urls() {
    let (_dir, set) = matching_set();
    // Both match: the first in file order wins.
    assert_eq!(
        name_for(&set, "https://shared.test/2024/x"),
        Some("articles")
    );
    // Only the second matches.
    assert_eq!(
        name_for(&set, "https://shared.test/about"),
        Some("other-articles")
    );
    // Neither matches and there is no profile without article_urls.
    assert_eq!(name_for(&set, "http://shared.test/2024/x"), None);
}

#[test]
fn for_url_falls_back_to_a_profile_without_article_urls() {
    let dir = folder(&[
        ("a.toml", &minimal("generic", r#"["site.test"]"#)),
        (
            "b.toml",
            "name = \"specific\"\nhosts = [\"site.test\"]\narticle_urls = ['/\\d{4}/']\n",
        ),
    ]);
    // "generic" has no article_urls, so sharing the host is an error for load_dir...
    assert!(ProfileSet::load_dir(dir.path()).is_err());
    // ...but a set built directly still resolves: specific first, generic as fallback.
    let profiles = ["a.toml", "b.toml"].map(|f| {
        let path = dir.path().join(f);
        Profile::from_toml_str(&fs::read_to_string(&path).unwrap(), &path).unwrap()
    });
    let set = ProfileSet::new(profiles.into());
    assert_eq!(name_for(&set, "https://site.test/2024/x"), Some("specific"));
    assert_eq!(name_for(&set, "https://site.test/about"), Some("generic"));
    assert!(
        set.get("specific")
            .unwrap()
            .applies_to(&url("https://site.test/2024/x"))
    );
    assert!(
        !set.get("specific")
            .unwrap()
            .applies_to(&url("https://site.test/about"))
    );
}
