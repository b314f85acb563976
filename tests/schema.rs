//! The article JSON Schema: the committed `schema/article.schema.json` equals the one generated from the
//! Rust types (`UPDATE_SCHEMA=1 cargo test --test schema` rewrites it), and the `jsonschema` package
//! validates against it every snapshot golden and every article the demo writes, and rejects a broken
//! article.

#[path = "common/articles.rs"]
mod articles;
#[path = "common/cli.rs"]
#[allow(dead_code)]
mod cli;
#[path = "common/python.rs"]
mod python;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use articles::article_files;
use cli::run_gleaner;
use gleaner::schema::{SCHEMA_PATH, article_schema_json};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn committed_schema_equals_the_generated_one() {
    let path = root().join(SCHEMA_PATH);
    let generated = article_schema_json();
    if std::env::var_os("UPDATE_SCHEMA").is_some_and(|v| v == "1") {
        std::fs::write(&path, &generated).expect("write schema");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run UPDATE_SCHEMA=1 cargo test --test schema)",
            path.display()
        )
    });
    assert!(
        committed == generated,
        "{} is stale: the article types changed. Run `UPDATE_SCHEMA=1 cargo test --test schema`, \
         bump SCHEMA_VERSION if the article shape changed, and commit the schema.",
        path.display()
    );
    let printed = run_gleaner(&["schema"], None);
    assert_eq!(String::from_utf8_lossy(&printed.stdout), generated);
}

/// The golden article files, `snapshots/<site>/<case>.json`.
fn goldens() -> Vec<PathBuf> {
    article_files(&root().join("snapshots"))
}

#[test]
fn snapshot_goldens_and_demo_articles_validate_against_the_committed_schema() {
    let Some(python) =
        python::python("jsonschema validation of snapshot goldens and demo articles")
    else {
        return;
    };
    let schema = root().join(SCHEMA_PATH);
    let goldens = goldens();
    assert!(goldens.len() >= 8, "{goldens:?}");

    let demo = tempfile::tempdir().expect("tempdir");
    let out = run_gleaner(
        &[
            OsStr::new("demo"),
            OsStr::new("--out"),
            demo.path().as_os_str(),
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut args = vec![schema.clone()];
    args.extend(goldens.iter().cloned());
    args.push(demo.path().to_owned());
    let output = python::run_script(&python, "validate_articles.py", &args);
    python::assert_success(&output, "jsonschema validation");
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        said.contains(&format!("{} articles valid", goldens.len() + 8)),
        "{said}"
    );

    // The validator is not a rubber stamp: an old schema version and a missing field are rejected.
    let broken_dir = tempfile::tempdir().expect("tempdir");
    let mut article: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&goldens[0]).expect("golden")).expect("JSON");
    article["schema"] = "gleaner.article/1".into();
    if let Some(fields) = article.as_object_mut() {
        fields.remove("capture");
    }
    let broken = broken_dir.path().join("broken.json");
    std::fs::write(&broken, article.to_string()).expect("write");
    let output = python::run_script(&python, "validate_articles.py", &[schema, broken]);
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        said.contains("gleaner.article/2") && said.contains("capture"),
        "{said}"
    );
}
