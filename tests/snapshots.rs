//! Golden snapshots: every `snapshots/<site>/<case>.html` goes through decoding and
//! extraction with the repository's site profiles and must equal `<case>.json`.
//! `UPDATE_SNAPSHOTS=1 cargo test --test snapshots` rewrites the goldens.

use std::path::Path;

use gleaner::fetch::decode_html;
use gleaner::profile::ProfileSet;
use gleaner::snapshot::{SnapshotCase, list_cases};
use gleaner::{Article, Block};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn extract_case(case: &SnapshotCase, profiles: &ProfileSet) -> Article {
    let bytes = std::fs::read(&case.html).expect("read snapshot page");
    let decoded = decode_html(&bytes, case.content_type.as_deref());
    gleaner::extract(
        &decoded.text,
        &case.url,
        profiles.for_url(&case.url).map(|p| p.as_ref()),
    )
}

fn render(article: &Article) -> String {
    let mut json = serde_json::to_string_pretty(article).expect("serialize");
    json.push('\n');
    json
}

fn load() -> (Vec<SnapshotCase>, ProfileSet) {
    let cases = list_cases(&root().join("snapshots")).expect("snapshot catalog");
    let profiles = ProfileSet::load_dir(&root().join("site-profiles")).expect("site profiles");
    (cases, profiles)
}

#[test]
fn every_snapshot_matches_its_golden() {
    let (cases, profiles) = load();
    assert!(
        cases.len() >= 7,
        "expected the bundled snapshot cases, found {}",
        cases.len()
    );
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1");
    let mut mismatched = Vec::new();
    for case in &cases {
        let got = render(&extract_case(case, &profiles));
        if update {
            std::fs::write(&case.golden, &got).expect("write golden");
            continue;
        }
        let want = std::fs::read_to_string(&case.golden).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (run with UPDATE_SNAPSHOTS=1)",
                case.golden.display()
            )
        });
        if got != want {
            let line = got
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(got.lines().count().min(want.lines().count()));
            mismatched.push(format!(
                "{}/{}: first difference at line {}:\n  got:  {}\n  want: {}",
                case.site,
                case.case,
                line + 1,
                got.lines().nth(line).unwrap_or("<end>"),
                want.lines().nth(line).unwrap_or("<end>")
            ));
        }
    }
    assert!(
        mismatched.is_empty(),
        "snapshots differ:\n{}",
        mismatched.join("\n")
    );
}

/// Strings that are boilerplate on every bundled page: no golden may contain them
/// in its text or blocks.
const BOILERPLATE: &[&str] = &[
    "You may also like",
    "You might also like",
    "Leave a Comment",
    "Leave a Reply",
    "Home »",
    "Home ›",
    "Advertisement",
    "Related posts",
    "Related stories",
    "Read next",
    "Cancel reply",
    "Accept cookies",
];

fn block_texts(article: &Article) -> String {
    let blocks: Vec<String> = article.blocks.iter().map(Block::plain_text).collect();
    format!("{}\n{}", article.text, blocks.join("\n"))
}

#[test]
fn no_snapshot_keeps_boilerplate() {
    let (cases, profiles) = load();
    for case in &cases {
        let article = extract_case(case, &profiles);
        let text = block_texts(&article);
        for phrase in BOILERPLATE {
            assert!(
                !text.to_lowercase().contains(&phrase.to_lowercase()),
                "{}/{}: body contains boilerplate {phrase:?}",
                case.site,
                case.case
            );
        }
        assert!(
            article.word_count >= 100,
            "{}/{}: only {} words",
            case.site,
            case.case,
            article.word_count
        );
        assert!(
            article.title.is_some(),
            "{}/{}: no title",
            case.site,
            case.case
        );
    }
}
