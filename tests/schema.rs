//! The article JSON Schema: the committed `schema/article.schema.json` equals the one generated from the
//! Rust types (`UPDATE_SCHEMA=1 cargo test --test schema` rewrites it), and the `jsonschema` package
//! validates against it every snapshot golden and every article the demo writes, and rejects a broken
//! article.

#[path = "common/python.rs"]
mod python;

use std::path::{Path, PathBuf};
use std::process::Command;

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
    let printed = Command::new(env!("CARGO_BIN_EXE_gleaner"))
        .arg("schema")
        .output()
        .expect("run gleaner schema");
    assert_eq!(String::from_utf8_lossy(&printed.stdout), generated);
}

fn goldens() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for site in std::fs::read_dir(root().join("snapshots")).expect("snapshots") {
        let site = site.expect("entry").path();
        if site.is_dir() {
            for file in std::fs::read_dir(&site).expect("site") {
                let file = file.expect("entry").path();
                if file.extension().is_some_and(|e| e == "json") {
                    files.push(file);
                }
            }
        }
    }
    files.sort();
    files
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
    let out = Command::new(env!("CARGO_BIN_EXE_gleaner"))
        .args(["demo", "--out"])
        .arg(demo.path())
        .current_dir(root())
        .output()
        .expect("run the demo");
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
