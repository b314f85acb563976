//! `gleaner eval` on tiny hand-made datasets of each format (aeb, naeb, readability), built in
//! temp folders: format detection, body and metadata scores, failed pages, `--predictions`
//! output and the binary's exit codes.

#[path = "common/cli.rs"]
#[allow(dead_code)]
mod cli;
#[path = "common/compress.rs"]
#[allow(dead_code)]
mod compress;

use std::path::Path;

use cli::run_gleaner;
use compress::gzip;
use gleaner::eval::{Dataset, DatasetFormat, EvalOptions, PageOutcome, evaluate};
use gleaner::report::ExitStatus;
use serde_json::{Value, json};

const P1: &str = "The council voted on Tuesday to extend the tram line to the old depot, \
                  a decision that residents had waited on for more than a decade.";
const P2: &str = "Work starts in spring and the first trams should run before the end of \
                  next year, the mayor said at a press conference.";

/// A page titled "Tram line extended" by Jane Doe, published 2024-06-20, with body P1, P2.
fn page_html() -> String {
    format!(
        "<!doctype html><html lang=en><head><title>Tram line extended</title>\
         <meta name=author content='Jane Doe'>\
         <meta property='article:published_time' content='2024-06-20T10:15:00+03:00'></head>\
         <body><nav>Home » News</nav><article><h1>Tram line extended</h1>\
         <div class=entry-content><p>{P1}</p><p>{P2}</p></div></article>\
         <footer>Copyright Local Paper</footer></body></html>"
    )
}

fn body() -> String {
    format!("{P1}\n\n{P2}")
}

fn write_gz(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, gzip(text.as_bytes())).expect("write gz");
}

fn write_json(path: &Path, value: &Value) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, serde_json::to_string_pretty(value).expect("json")).expect("write json");
}

/// aeb: "good" has the exact body as truth, "bad" an unrelated one.
fn aeb_dataset(dir: &Path) {
    write_json(
        &dir.join("ground-truth.json"),
        &json!({
            "good": {"articleBody": body(), "url": "https://paper.example/2024/06/20/tram/"},
            "bad": {"articleBody": "Entirely different words about a football match last night.",
                    "url": "https://paper.example/other/"},
        }),
    );
    write_gz(&dir.join("html/good.html.gz"), &page_html());
    write_gz(&dir.join("html/bad.html.gz"), &page_html());
}

/// naeb: "a" is right on every field; "b" has a wrong title, no truth authors (the page has
/// one) and a `NaT` date (the page has none, but gleaner finds one).
fn naeb_dataset(dir: &Path) {
    write_json(
        &dir.join("truth.json"),
        &json!({
            "a": {"url": "https://paper.example/a", "site": "paper.example",
                  "title": "Tram  line extended", "authors": ["jane doe"], "date": "2024-06-20",
                  "articleBody": body()},
            "b": {"url": "https://paper.example/b", "site": "paper.example",
                  "title": "Bus line cut", "authors": [], "date": "NaT",
                  "articleBody": body()},
        }),
    );
    write_gz(&dir.join("html/a.html.gz"), &page_html());
    write_gz(&dir.join("html/b.html.gz"), &page_html());
}

/// readability: "good" matches title, byline and day; "index" is not an article (not
/// scored); "lost" has no source file.
fn readability_dataset(dir: &Path) {
    let meta = |title: &str, byline: Value, published: Value, readerable: bool| {
        json!({"title": title, "byline": byline, "dir": null, "lang": "en", "excerpt": "",
               "siteName": null, "publishedTime": published, "readerable": readerable})
    };
    write_json(
        &dir.join("good/expected-metadata.json"),
        &meta(
            "Tram line extended",
            json!("By Jane Doe"),
            json!("2024-06-20T10:15:00+03:00"),
            true,
        ),
    );
    write_gz(&dir.join("good/source.html.gz"), &page_html());
    write_json(
        &dir.join("index/expected-metadata.json"),
        &meta("Front page", Value::Null, Value::Null, false),
    );
    write_gz(&dir.join("index/source.html.gz"), &page_html());
    write_json(
        &dir.join("lost/expected-metadata.json"),
        &meta("Lost page", Value::Null, json!("2020-01-01"), true),
    );
    std::fs::write(dir.join("LICENSE.md"), "test data").expect("license");
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn aeb_exact_body_scores_one_and_unrelated_body_zero() {
    let tmp = tempfile::tempdir().expect("temp dir");
    aeb_dataset(tmp.path());
    let dataset = Dataset::open(tmp.path()).expect("open aeb");
    assert_eq!(dataset.format, DatasetFormat::Aeb);
    let report = evaluate(&dataset, &EvalOptions::default());
    let ids: Vec<&str> = report.pages.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["bad", "good"]);

    let good = report.pages[1].scores.body.expect("body scored");
    assert!(close(good.precision, 1.0) && close(good.recall, 1.0) && good.exact);
    let bad = report.pages[0].scores.body.expect("body scored");
    assert_eq!((bad.precision, bad.recall, bad.exact), (0.0, 0.0, false));

    let summary = report.summary(1);
    let body = summary.body.expect("body metrics");
    assert_eq!(body.pages, 2);
    assert!(close(body.precision, 0.5) && close(body.recall, 0.5) && close(body.f1, 0.5));
    assert!(close(body.accuracy, 0.5));
    assert_eq!(summary.title, None);
    assert_eq!(summary.worst.len(), 1);
    assert_eq!(summary.worst[0].id, "bad");
    assert_eq!(summary.speed.pages, 2);
    assert!(summary.speed.slowest.is_some());
    assert_eq!(report.exit_status(), ExitStatus::Ok);
}

#[test]
fn naeb_metadata_counts_only_pages_with_the_field() {
    let tmp = tempfile::tempdir().expect("temp dir");
    naeb_dataset(tmp.path());
    let dataset = Dataset::open(tmp.path()).expect("open naeb");
    assert_eq!(dataset.format, DatasetFormat::Naeb);
    let summary = evaluate(&dataset, &EvalOptions::default()).summary(0);

    let title = summary.title.expect("title");
    assert_eq!(
        (title.correct, title.pages),
        (1, 2),
        "a mismatched title is wrong"
    );
    let authors = summary.authors.expect("authors");
    assert_eq!(
        (authors.correct, authors.pages),
        (1, 2),
        "no truth authors needs none"
    );
    let date = summary.date.expect("date");
    assert_eq!(
        (date.correct, date.pages),
        (1, 2),
        "NaT: the page has no date, so predicting one is wrong"
    );
    assert!(close(summary.body.expect("body").f1, 1.0));
}

#[test]
fn limit_takes_the_first_pages_in_id_order() {
    let tmp = tempfile::tempdir().expect("temp dir");
    naeb_dataset(tmp.path());
    let dataset = Dataset::open(tmp.path()).expect("open naeb");
    let options = EvalOptions {
        limit: Some(1),
        ..EvalOptions::default()
    };
    let report = evaluate(&dataset, &options);
    assert_eq!(report.pages.len(), 1);
    assert_eq!(report.pages[0].id, "a");
}

#[test]
fn readability_scores_article_pages_and_records_unreadable_ones() {
    let tmp = tempfile::tempdir().expect("temp dir");
    readability_dataset(tmp.path());
    let dataset = Dataset::open(tmp.path()).expect("open readability");
    assert_eq!(dataset.format, DatasetFormat::Readability);
    assert_eq!(
        dataset.pages[0].url.as_str(),
        "http://good.readability.example/"
    );
    let report = evaluate(&dataset, &EvalOptions::default());
    assert_eq!(report.pages.len(), 3);
    assert!(matches!(
        report.pages[2].outcome,
        PageOutcome::Unreadable(_)
    ));
    assert_eq!(report.exit_status(), ExitStatus::SomeFailed);

    let summary = report.summary(5);
    assert_eq!(summary.body, None);
    assert!(summary.worst.is_empty());
    assert_eq!((summary.unreadable, summary.panicked), (1, 0));
    // good: right; index: not an article, not scored; lost: empty prediction, wrong.
    let title = summary.title.expect("title");
    assert_eq!((title.correct, title.pages), (1, 2));
    let authors = summary.authors.expect("authors");
    assert_eq!((authors.correct, authors.pages), (1, 1));
    let date = summary.date.expect("date");
    assert_eq!((date.correct, date.pages), (1, 2));
    assert_eq!(summary.speed.pages, 2, "an unreadable page is not timed");
    let text = summary.to_string();
    assert!(text.contains("unreadable  lost"), "{text}");
}

#[test]
fn predictions_file_has_one_entry_per_page_in_the_scorer_shape() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    readability_dataset(&data);
    let report = evaluate(
        &Dataset::open(&data).expect("open"),
        &EvalOptions::default(),
    );
    let path = tmp.path().join("predictions.json");
    report.write_predictions(&path).expect("write predictions");

    let value: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("parse");
    let map = value.as_object().expect("an object keyed by id");
    let ids: Vec<&String> = map.keys().collect();
    assert_eq!(ids, ["good", "index", "lost"]);
    for entry in map.values() {
        let keys: Vec<&String> = entry.as_object().expect("entry object").keys().collect();
        assert_eq!(keys.len(), 4);
        assert!(entry["articleBody"].is_string());
        assert!(entry["authors"].is_array());
        assert!(entry["title"].is_string() || entry["title"].is_null());
        assert!(entry["date"].is_string() || entry["date"].is_null());
    }
    assert_eq!(map["good"]["articleBody"], json!(body()));
    assert_eq!(map["good"]["title"], json!("Tram line extended"));
    assert_eq!(map["good"]["authors"], json!(["Jane Doe"]));
    assert_eq!(map["good"]["date"], json!("2024-06-20"));
    assert_eq!(
        map["lost"],
        json!({"articleBody": "", "title": null, "authors": [], "date": null})
    );
}

#[test]
fn a_folder_that_is_no_dataset_is_an_error_naming_it() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let error = Dataset::open(tmp.path()).expect_err("empty folder");
    assert!(
        error
            .to_string()
            .contains(&tmp.path().display().to_string())
    );
}

fn gleaner(args: &[&str]) -> std::process::Output {
    run_gleaner(args, None)
}

#[test]
fn binary_prints_json_writes_predictions_and_sets_exit_codes() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let aeb = tmp.path().join("aeb");
    aeb_dataset(&aeb);
    let predictions = tmp.path().join("out.json");
    let out = gleaner(&[
        "eval",
        "--dataset",
        aeb.to_str().expect("utf-8 path"),
        "--json",
        "--show-worst",
        "1",
        "--predictions",
        predictions.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let summary: Value = serde_json::from_slice(&out.stdout).expect("JSON summary");
    assert_eq!(summary["format"], json!("aeb"));
    assert_eq!(summary["pages"], json!(2));
    assert_eq!(summary["body"]["f1"], json!(0.5));
    assert_eq!(summary["worst"][0]["id"], json!("bad"));
    assert!(predictions.is_file());

    let readability = tmp.path().join("readability");
    readability_dataset(&readability);
    let out = gleaner(&[
        "eval",
        "--dataset",
        readability.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(out.status.code(), Some(2), "an unreadable page exits 2");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("title    accuracy 0.500  (1/2 pages)"),
        "{text}"
    );

    let out = gleaner(&["eval", "--dataset", tmp.path().to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1), "not a dataset is fatal");
}
