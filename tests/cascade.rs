//! The extraction cascade: a profile whose selectors no longer match (a site
//! redesign) falls back to the generic rules and says so; never a silently
//! empty article.

use std::path::Path;

use gleaner::article::Method;
use gleaner::profile::Profile;
use url::Url;

fn seed_page() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("snapshots/newsfront/putin-will-not-take-a-step-back.html");
    std::fs::read_to_string(path).expect("snapshot page")
}

fn profile(toml: &str) -> Profile {
    Profile::from_toml_str(toml, Path::new("redesigned.toml")).expect("valid profile")
}

#[test]
fn a_profile_whose_body_selector_stopped_matching_falls_back_to_generic_rules() {
    let stale = profile(
        r#"
name = "newsfront-old"
hosts = ["newsfront.example"]
[select]
title = "h1.old-title-class"
body = "div.old-body-class"
authors = ".old-author"
"#,
    );
    let url = Url::parse("https://newsfront.example/2024/06/20/putin-will-not-take-a-step-back/")
        .expect("url");
    let article = gleaner::extract(&seed_page(), &url, Some(&stale));
    assert_eq!(article.extraction.method, Method::Generic);
    assert_eq!(article.extraction.profile.as_deref(), Some("newsfront-old"));
    let warnings = article.extraction.warnings.join("\n");
    for field in ["select.body", "select.title", "select.authors"] {
        assert!(
            warnings.contains(field),
            "no warning for {field}: {warnings}"
        );
    }
    assert!(
        article.word_count > 300,
        "generic body has {} words",
        article.word_count
    );
    assert!(
        article
            .title
            .as_deref()
            .is_some_and(|t| t.starts_with("Putin will not take a step back"))
    );
    assert!(!article.text.contains("You may also like"));
}

#[test]
fn a_working_profile_reports_no_warnings() {
    let current = profile(
        r#"
name = "newsfront"
hosts = ["newsfront.example"]
[select]
body = "div.td-post-content"
"#,
    );
    let url = Url::parse("https://newsfront.example/2024/06/20/x/").expect("url");
    let article = gleaner::extract(&seed_page(), &url, Some(&current));
    assert_eq!(article.extraction.method, Method::Profile);
    assert!(
        article.extraction.warnings.is_empty(),
        "{:?}",
        article.extraction.warnings
    );
}

#[test]
fn a_page_without_an_article_says_so() {
    let url = Url::parse("https://x.example/").expect("url");
    let article = gleaner::extract(
        "<html><body><nav><a href=/>Home</a></nav></body></html>",
        &url,
        None,
    );
    assert!(article.blocks.is_empty());
    assert!(
        article
            .extraction
            .warnings
            .iter()
            .any(|w| w.contains("no article text"))
    );
}
