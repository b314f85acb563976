//! Extraction: a pure function from (HTML, URL, profile) to an [`Article`].
//!
//! The cascade, each step used only when the one before gave too little:
//! 1. the site profile's `select.body`;
//! 2. generic main-content detection ([`content`]), checked against the page's
//!    declared JSON-LD body when it has one ([`declared`]);
//! 3. the whole `<body>` as a fallback.
//!
//! Whatever the step, the built-in boilerplate rules ([`rules`]) and the
//! profile's `[remove]` rules are applied inside the chosen body, and a title
//! repeated at the top of the body is dropped. A profile whose selectors no
//! longer match says so in `extraction.warnings`.

mod attrs;
mod authors;
mod blocks;
mod boilerplate;
mod clean;
mod content;
mod dates;
mod declared;
mod declared_title;
mod endmatter;
mod hints;
mod jsonld;
mod landmarks;
mod language;
mod leading;
mod metadata;
mod nodes;
mod orphans;
mod phrases;
mod printed;
mod recipe;
pub mod rules;
mod sections;
mod segments;
mod stats;
mod title;
mod title_tag;

use std::sync::LazyLock;

use scraper::{ElementRef, Html};
use sha2::{Digest, Sha256};
use url::Url;

use crate::article::{Article, Block, Extraction, Method, SCHEMA_VERSION, Site};
use crate::profile::Profile;
use blocks::BlockWriter;
use clean::Removals;
use phrases::PhraseRule;

/// The built-in phrases, lower-cased once.
static DEFAULT_PHRASES: LazyLock<Vec<PhraseRule>> = LazyLock::new(|| {
    rules::PHRASES
        .iter()
        .map(|p| PhraseRule::section(p, "default"))
        .chain(
            rules::LABELS
                .iter()
                .map(|p| PhraseRule::label(p, "default")),
        )
        .chain(
            rules::PROMPTS
                .iter()
                .map(|p| PhraseRule::prompt(p, "default")),
        )
        .collect()
});

/// Below this many words the generic body is compared with the whole page.
const FALLBACK_WORDS: usize = 50;

/// Extracts the article from a page. Never fails: a page without an article
/// yields an article with empty `blocks` and a warning.
pub fn extract(html: &str, url: &Url, profile: Option<&Profile>) -> Article {
    let doc = Html::parse_document(html);
    let mut warnings = Vec::new();
    let meta = metadata::read(&doc, url, profile, &mut warnings);

    let mut body = profile
        .and_then(|p| profile_body(&doc, p, &mut warnings))
        .map(|roots| build_body(&roots, profile, Method::Profile, None));
    if body.is_none() {
        let stats = stats::TextStats::new(&doc);
        let roots = content::generic_roots(&doc, &stats);
        let roots = recipe::with_recipe(&doc, roots, &meta.recipe, &stats);
        let generic = build_body(&roots, profile, Method::Generic, Some(&stats));
        let generic = match meta.article_body.as_deref() {
            Some(declared) => declared::apply(declared, generic),
            None => generic,
        };
        body = Some(if generic.words < FALLBACK_WORDS {
            let fallback = build_body(
                &[content::page_body(&doc)],
                profile,
                Method::Fallback,
                Some(&stats),
            );
            if fallback.words > generic.words {
                warnings.push("no main content found; used the whole page".to_string());
                fallback
            } else {
                generic
            }
        } else {
            generic
        });
    }
    let Body {
        mut blocks,
        method,
        mut removals,
        ..
    } = body.unwrap_or_else(|| Body::empty(Method::Generic));

    if let Some(title) = &meta.title {
        leading::drop_repeated_title(&mut blocks, title);
    }
    let bylines = leading::drop_byline_lines(&mut blocks, &meta.authors);
    removals.count("default/byline-lines", bylines);
    removals.count(
        "default/sign-up-pitches",
        endmatter::drop_pitches(&mut blocks),
    );
    removals.count(
        "default/affiliate-disclosures",
        endmatter::drop_disclosures(&mut blocks),
    );
    removals.count(
        "default/glyph-lines",
        endmatter::drop_glyph_lines(&mut blocks),
    );
    removals.count("default/end-matter", endmatter::trim(&mut blocks));
    removals.count(
        "default/lead-notes",
        endmatter::trim_lead_notes(&mut blocks),
    );
    removals.count(
        "default/empty-sections",
        orphans::drop_empty_sections(&mut blocks),
    );
    if blocks.is_empty() {
        warnings.push("no article text found".to_string());
    }
    let text = blocks
        .iter()
        .map(Block::plain_text)
        .collect::<Vec<_>>()
        .join("\n\n");
    let language = meta.language.or_else(|| language::detect(&text));

    Article {
        schema: SCHEMA_VERSION.to_string(),
        url: url.to_string(),
        canonical_url: meta.canonical_url,
        site: Site {
            name: meta.site_name,
            host: url.host_str().unwrap_or_default().to_ascii_lowercase(),
        },
        title: meta.title,
        authors: meta.authors,
        published: meta.published,
        modified: meta.modified,
        language,
        description: meta.description,
        image: meta.image,
        tags: meta.tags,
        word_count: word_count(&text),
        content_hash: content_hash(&text),
        text,
        blocks,
        extraction: Extraction {
            method,
            profile: profile.map(|p| p.name.clone()),
            removed: removals.into_report(),
            warnings,
        },
        fetch: None,
        capture: None,
    }
}

/// Words in `text`: whitespace-separated tokens, except that Chinese and
/// Japanese script, written without spaces, counts one word per character.
pub fn word_count(text: &str) -> usize {
    // One pass: a whitespace-separated token counts once if it holds a letter
    // or digit of a spaced script, plus once per unspaced-script character.
    let mut words = 0;
    let mut token_counted = false;
    for c in text.chars() {
        if c.is_whitespace() {
            token_counted = false;
        } else if is_unspaced_script(c) {
            words += 1;
        } else if !token_counted && c.is_alphanumeric() {
            words += 1;
            token_counted = true;
        }
    }
    words
}

fn is_unspaced_script(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'     // hiragana, katakana
        | '\u{3400}'..='\u{4DBF}'   // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'   // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}'   // CJK compatibility ideographs
        | '\u{FF66}'..='\u{FF9F}'   // half-width katakana
    )
}

/// The words of `blocks`, counted as [`word_count`] counts them: every
/// comparison of body sizes uses this one unit.
fn body_words(blocks: &[Block]) -> usize {
    blocks.iter().map(|b| word_count(&b.plain_text())).sum()
}

/// `sha256:` and the hex digest of the article text.
pub fn content_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

struct Body {
    blocks: Vec<Block>,
    words: usize,
    method: Method,
    removals: Removals,
}

impl Body {
    fn empty(method: Method) -> Self {
        Body {
            blocks: Vec::new(),
            words: 0,
            method,
            removals: Removals::default(),
        }
    }
}

/// The elements matched by the first `select.body` rule that matches and holds
/// text, outermost only. `None` (with a warning) when the profile's selectors no
/// longer find the body.
fn profile_body<'a>(
    doc: &'a Html,
    profile: &Profile,
    warnings: &mut Vec<String>,
) -> Option<Vec<ElementRef<'a>>> {
    if profile.select.body.is_empty() {
        return None;
    }
    for rule in &profile.select.body {
        let matches: Vec<ElementRef<'a>> = doc.select(&rule.selector).collect();
        let outermost: Vec<ElementRef<'a>> = matches
            .iter()
            .filter(|m| {
                !m.ancestors()
                    .any(|a| matches.iter().any(|o| o.id() == a.id()))
            })
            .copied()
            .collect();
        if outermost
            .iter()
            .any(|m| m.text().any(|t| !t.trim().is_empty()))
        {
            return Some(outermost);
        }
    }
    let css: Vec<&str> = profile.select.body.iter().map(|r| r.css.as_str()).collect();
    warnings.push(format!(
        "profile {}: select.body {:?} matched nothing; fell back to generic extraction",
        profile.name, css
    ));
    None
}

/// Applies removal rules under each root and collects the blocks. Generic
/// bodies (`stats` given) are also pruned conditionally.
fn build_body(
    roots: &[ElementRef<'_>],
    profile: Option<&Profile>,
    method: Method,
    stats: Option<&stats::TextStats>,
) -> Body {
    let defaults = &*boilerplate::DEFAULT_BOILERPLATE;
    let profile_rules: Vec<(String, &scraper::Selector)> = profile
        .map(|p| {
            p.remove
                .selectors
                .iter()
                .map(|r| (format!("profile/selector:{}", r.css), &r.selector))
                .collect()
        })
        .unwrap_or_default();
    let profile_phrases: Vec<PhraseRule> = profile
        .map(|p| {
            p.remove
                .phrases
                .iter()
                .map(|ph| PhraseRule::section(ph, "profile"))
                .collect()
        })
        .unwrap_or_default();
    let phrases: Vec<&PhraseRule> = profile_phrases
        .iter()
        .chain(DEFAULT_PHRASES.iter())
        .collect();

    let mut removals = Removals::default();
    let mut writer_roots = Vec::new();
    for root in roots {
        if !profile_rules.is_empty() {
            let rule = |el: ElementRef<'_>| {
                profile_rules
                    .iter()
                    .find(|(_, sel)| sel.matches(&el))
                    .map(|(label, _)| label.as_str())
            };
            clean::remove_matching(*root, rule, &mut removals);
        }
        clean::remove_matching(*root, |el| defaults.matching_rule(el), &mut removals);
        phrases::remove_phrases(*root, &phrases, &mut removals);
        if let Some(stats) = stats {
            clean::prune_conditionally(*root, stats, &mut removals);
        }
        writer_roots.push(*root);
    }
    let mut writer = BlockWriter::new(&removals.skip);
    for root in writer_roots {
        writer.add_root(root);
    }
    let blocks = writer.finish();
    let words = body_words(&blocks);
    Body {
        blocks,
        words,
        method,
        removals,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_classed_toc_stay_while_the_contents_box_goes() {
        let prose =
            "A paragraph of the story with enough words, commas, and detail to count as prose.";
        let html = format!(
            "<html><body><article><div class=toc><a href=#one>Contents entry</a></div>\
             <p>{prose}</p><h2 class='wp-block-heading toc' id=one>Section one</h2>\
             <p>{prose}</p><p>{prose}</p></article></body></html>"
        );
        let Ok(url) = Url::parse("https://example.com/story") else {
            panic!("bad test url");
        };
        let article = extract(&html, &url, None);
        assert!(article.text.contains("Section one"));
        assert!(!article.text.contains("Contents entry"));
    }

    #[test]
    fn byline_lines_and_end_matter_leave_the_body_and_are_reported() {
        let prose =
            "A paragraph of the story with enough words, commas, and detail to count as prose.";
        let html = format!(
            "<html><head><meta name=author content='Jane Doe'></head><body><article>\
             <p>Jane Doe</p><p>{prose}</p><p>{prose}</p><p>{prose}</p>\
             <p>Contact Jane Doe at jane@example.com.</p></article></body></html>"
        );
        let Ok(url) = Url::parse("https://example.com/story") else {
            panic!("bad test url");
        };
        let article = extract(&html, &url, None);
        assert_eq!(article.authors, vec!["Jane Doe".to_string()]);
        assert!(article.text.starts_with("A paragraph"), "{}", article.text);
        assert!(!article.text.contains("Contact"), "{}", article.text);
        let count = |rule: &str| {
            article
                .extraction
                .removed
                .iter()
                .find(|r| r.rule == rule)
                .map(|r| r.count)
        };
        assert_eq!(count("default/byline-lines"), Some(1));
        assert_eq!(count("default/end-matter"), Some(1));
    }

    #[test]
    fn caption_toggles_printed_as_text_leave_the_body() {
        let prose =
            "A paragraph of the story with enough words, commas, and detail to count as prose.";
        let html = format!(
            "<html><body><article><div class=photo-wrap><div>Show Caption</div></div>\
             <p>{prose}</p><p>{prose}</p><p>Tap to show caption settings, which are explained in the app.</p></article></body></html>"
        );
        let Ok(url) = Url::parse("https://example.com/story") else {
            panic!("bad test url");
        };
        let article = extract(&html, &url, None);
        assert!(article.text.starts_with("A paragraph"), "{}", article.text);
        assert!(
            article.text.contains("show caption settings"),
            "{}",
            article.text
        );
    }

    #[test]
    fn a_video_players_clip_title_and_description_leave_the_body() {
        let prose =
            "A paragraph of the story with enough words, commas, and detail to count as prose.";
        let html = format!(
            "<html><body><article class=story><p>{prose}</p>\
             <div class=delta-video-container><h3 class=video-title>Coach reacts to the week's rankings</h3></div>\
             <p>{prose}</p><div id=videoWrap><media-video><div id=videoDetails>\
             <div class=video-title>Officers laugh as they chase a runaway pig</div>\
             <p>Officers in a small town had a laugh as they tried to corral an escaped pig.</p>\
             </div></media-video></div><p>{prose}</p></article></body></html>"
        );
        let Ok(url) = Url::parse("https://example.com/story") else {
            panic!("bad test url");
        };
        let article = extract(&html, &url, None);
        for clip in ["Coach reacts", "runaway pig", "corral"] {
            assert!(!article.text.contains(clip), "{clip}: {}", article.text);
        }
        assert_eq!(article.text.matches("A paragraph").count(), 3);
        let video = article
            .extraction
            .removed
            .iter()
            .find(|r| r.rule == "default/video");
        assert!(
            video.is_some_and(|r| r.count >= 2),
            "{:?}",
            article.extraction.removed
        );
    }

    #[test]
    fn skip_link_targets_leave_the_body() {
        let prose =
            "A paragraph of the story with enough words, commas, and detail to count as prose.";
        let html = format!(
            "<html><body><article><p>{prose}</p><figure><aside>Sign up to our weekly email</aside>\
             <p id=EmailSignup-skip-link-12 role=note>after newsletter promotion</p></figure>\
             <p>{prose}</p><p>{prose}</p></article></body></html>"
        );
        let Ok(url) = Url::parse("https://example.com/story") else {
            panic!("bad test url");
        };
        let article = extract(&html, &url, None);
        assert!(
            !article.text.contains("after newsletter"),
            "{}",
            article.text
        );
        let rule = article
            .extraction
            .removed
            .iter()
            .find(|r| r.rule == "default/skip-links");
        assert!(rule.is_some(), "{:?}", article.extraction.removed);
    }

    #[test]
    fn summary_box_beside_a_declared_body_joins_it() {
        let prose =
            "A paragraph of the story with enough words, commas, and detail to count as prose.";
        let body = format!("<p>{prose}</p>").repeat(4);
        let html = format!(
            "<html><body><div class=container><div class=highlights-container>\
             <h2>Takeaways</h2><ul><li>The first point of the story, told in one short line.</li>\
             <li>The second point of the story, told in another line.</li></ul></div>\
             <div class=inner><article><div class=entry-content>{body}</div></article></div>\
             </div><div class=sidebar><p>Other news of the day, told in a few words here.</p></div>\
             </body></html>"
        );
        let Ok(url) = Url::parse("https://example.com/story") else {
            panic!("bad test url");
        };
        let article = extract(&html, &url, None);
        assert!(
            article.text.starts_with("Takeaways\n\nThe first point"),
            "{}",
            article.text
        );
        assert!(!article.text.contains("Other news"), "{}", article.text);
    }

    #[test]
    fn an_article_cut_into_numbered_segments_is_whole() {
        let segment = |n: usize, words: &str| {
            format!(
                "<div><div class='story__content--a1b2c3 html_{n}'>\
                 <p>{words} opens this part of the story, with enough words, commas, and detail.</p>\
                 <p>{words} goes on in this part of the story, with enough words and detail too.</p>\
                 </div></div>"
            )
        };
        let html = format!(
            "<html><body><main><div id=content--body><div>{}{}\
             <aside class=related><a href=/other>Another story entirely</a></aside>{}{}\
             </div></div></main></body></html>",
            segment(0, "Alpha"),
            segment(2, "Bravo"),
            segment(4, "Charlie"),
            segment(
                6,
                "Delta plus a longer part, written at more length so that it scores highest,"
            )
        );
        let Ok(url) = Url::parse("https://example.com/story") else {
            panic!("bad test url");
        };
        let article = extract(&html, &url, None);
        for part in [
            "Alpha opens",
            "Bravo goes on",
            "Charlie opens",
            "Delta plus",
        ] {
            assert!(article.text.contains(part), "{part}: {}", article.text);
        }
        assert!(!article.text.contains("Another story"), "{}", article.text);
    }

    #[test]
    fn a_chinese_body_is_measured_in_characters_and_kept_without_the_page_around_it() {
        let para = "<p>谷歌在二零一四年收购的人工智能公司开发出一款能够用自己的记忆学习新知识并利用这些知识来回答问题的计算机，这款产品具有极其重要的意义。</p>";
        let notice = "Your browser is out of date so update it now. ".repeat(8);
        let html = format!(
            "<html><body><div>{notice}</div><article>{para}{para}{para}{para}{para}</article></body></html>"
        );
        let Ok(url) = Url::parse("https://example.com/story") else {
            panic!("bad test url");
        };
        let article = extract(&html, &url, None);
        assert_eq!(article.extraction.method, Method::Generic);
        assert!(article.text.starts_with("谷歌"), "{}", article.text);
        assert!(!article.text.contains("browser"), "{}", article.text);
    }

    #[test]
    fn word_count_counts_cjk_characters() {
        assert_eq!(word_count("two words"), 2);
        assert_eq!(word_count("神山町を訪問 in 2008"), 8);
        assert_eq!(word_count(" — "), 0);
        assert_eq!(word_count("a神b c\u{a0}d e-f 12"), 6);
        assert_eq!(word_count(""), 0);
    }

    #[test]
    fn content_hash_is_sha256_of_text() {
        assert_eq!(
            content_hash(""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
