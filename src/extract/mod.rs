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
mod tests;
