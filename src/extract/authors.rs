//! Author names: from raw byline strings to a clean, de-duplicated list.
//!
//! Drops "By"/"Written by" prefixes, splits "A and B" and "A, B", and throws
//! away what is not a person's name: e-mail addresses, URLs and domains, dates,
//! roles ("Ann Lee - Senior Editor"), credentials ("MS, RDN"), "Staff"
//! bylines, the site's own name and CMS account names such as "admin".
//!
//! Sources are tried in trust order, and people win over organizations: a
//! source that names only an organization ("The Daily Journal", "Reuters") is
//! kept only when no later source names a person, and organizations listed
//! next to people ("Ann Lee, Associated Press") are dropped.

use std::sync::LazyLock;

use ego_tree::NodeId;
use scraper::{ElementRef, Html, Node, Selector};

use super::attrs::attr;
use super::hints::attrs_mention;
use super::rules::compile;
use crate::normalize::clean_encoded_text;

/// Elements that print an author's name: microdata, rel=author, author-page
/// links, and the class names themes give bylines.
static BYLINE: LazyLock<Selector> = LazyLock::new(|| {
    compile(
        "[itemprop=author] [itemprop=name], [itemprop=author], a[rel~=author], \
         .author-name, .byline-name, [class*=author-name i], [class*=authorname i], \
         [class*=byline i] a[href], [class*=author i] a[href*=author i], \
         [class*=author i] a[href*=staff i], a[href*='/author/'], a[href*='/authors/'], \
         a[href*='/staff/'], [class~=author], [class~=authors], [class~=byline], \
         [class*=__authors i], [class*=-authors i]",
    )
});

/// Class or id fragments of the element that holds a whole byline.
const BYLINE_BOX_MARKS: &[&str] = &["byline", "author", "attribution", "credit", "meta"];
/// How far up from the first name the byline's box is looked for.
const BYLINE_BOX_DEPTH: usize = 4;

/// Leading words that introduce a byline, lower-case, longest first.
const PREFIXES: &[&str] = &[
    "written by",
    "posted by",
    "reported by",
    "story by",
    "words by",
    "author:",
    "authors:",
    "by:",
    "by",
    "von",
    "par",
    "por",
    "autor:",
    "autor",
];

/// Account names CMS themes print in bylines; never a real author.
const ACCOUNT_NAMES: &[&str] = &[
    "admin",
    "administrator",
    "editor",
    "webmaster",
    "staff",
    "guest",
    "user",
    "root",
    "wordpress",
    "anonymous",
    "unknown",
    "editorial",
    "newsroom",
];

/// Words that mark a role or a trailing note rather than a name.
const ROLE_WORDS: &[&str] = &[
    "correspondent",
    "reporter",
    "editor",
    "contributor",
    "contributing",
    "columnist",
    "writer",
    "producer",
    "officer",
    "chief",
    "head",
    "director",
    "president",
    "founder",
    "intern",
    "updated",
    "published",
    "posted",
    "read",
    "comments",
];

/// Words of a site's interface that byline boxes print next to the name
/// ("View all articles by this author", "Follow us"); never in a person's name.
const INTERFACE_WORDS: &[&str] = &[
    "view",
    "articles",
    "posts",
    "stories",
    "follow",
    "profile",
    "subscribe",
    "click",
];

/// Credits for work other than writing, lower-case: the byline ends where
/// one begins ("Written by Ann Lee Edited by Bo Ray" names one author).
const OTHER_CREDITS: &[&str] = &[
    "edited by",
    "reviewed by",
    "medically reviewed by",
    "fact checked by",
    "fact-checked by",
    "illustrated by",
    "illustrations by",
    "photos by",
    "photographs by",
    "photography by",
    "translated by",
];

/// Words that join co-authors like "and" ("Ann Lee with Bo Ray", "avec").
const JOINERS: &[&str] = &[" and ", " und ", " et ", " with ", " avec ", " mit "];

/// Professional credentials printed after a name ("Ann Lee, MS, RDN").
const CREDENTIALS: &[&str] = &[
    "md", "phd", "ms", "msc", "ma", "mba", "mph", "rd", "rdn", "ld", "ldn", "cdn", "cdces", "rn",
    "np", "do", "dds", "dvm", "jd", "cpt", "cscs", "lcsw", "pharmd", "facs", "bsc", "ba",
];

/// Words of an organization's name rather than a person's.
const ORGANIZATION_WORDS: &[&str] = &[
    "news",
    "press",
    "times",
    "post",
    "journal",
    "daily",
    "media",
    "wire",
    "wires",
    "magazine",
    "gazette",
    "tribune",
    "herald",
    "staff",
    "telegraph",
    "telegram",
    "report",
    "team",
    "desk",
    "network",
    "group",
    "agency",
    "company",
    "inc",
    "llc",
    "ltd",
    "university",
    "institute",
    "society",
    "association",
    "foundation",
    "bureau",
    "service",
    "associated",
    "reuters",
    "bloomberg",
    "ap",
    "afp",
    "ani",
    "pti",
    "ians",
    "upi",
    "dpa",
    "efe",
    "ansa",
    "xinhua",
];

const MAX_NAME_WORDS: usize = 6;

/// The authors from the first source that names a person, without the
/// organizations listed next to them; else the first source's organizations.
pub(crate) fn choose<'a>(
    sources: impl IntoIterator<Item = Box<dyn FnOnce() -> Vec<String> + 'a>>,
    site_name: Option<&str>,
) -> Vec<String> {
    let mut fallback: Option<Vec<String>> = None;
    for source in sources {
        let names = clean_authors(&source(), site_name);
        if names.iter().any(|n| !is_organization(n, site_name)) {
            return names
                .into_iter()
                .filter(|n| !is_organization(n, site_name))
                .collect();
        }
        if fallback.is_none() && !names.is_empty() {
            fallback = Some(names);
        }
    }
    fallback.unwrap_or_default()
}

/// Names printed in the page's byline: the first author element after the
/// `headline` (the first `<h1>`; on a page without one, the first author
/// element outside navigation), with the other author elements of the same
/// byline box, so that co-authors are kept and "more from" lists are not.
pub(crate) fn byline_names(doc: &Html, headline: Option<NodeId>) -> Vec<String> {
    let placed = |m: &ElementRef<'_>| match headline {
        Some(h) => m.id() > h,
        None => !m
            .ancestors()
            .filter_map(ElementRef::wrap)
            .any(|a| matches!(a.value().name(), "nav" | "header" | "footer" | "aside")),
    };
    // The cheap tests first: the full selector only runs on placed candidates.
    let mut candidates = doc
        .root_element()
        .descendent_elements()
        .filter(|e| could_be_byline(e.value()) && placed(e) && BYLINE.matches(e));
    let Some(first) = candidates.find(|m| !clean_authors(&[element_text(*m)], None).is_empty())
    else {
        return Vec::new();
    };
    let boxed = std::iter::once(first)
        .chain(first.ancestors().filter_map(ElementRef::wrap))
        .take(BYLINE_BOX_DEPTH + 1)
        .find(|e| attrs_mention(e.value(), &["class", "id"], BYLINE_BOX_MARKS));
    let Some(byline_box) = boxed else {
        return vec![element_text(first)];
    };
    let mut names: Vec<String> = Vec::new();
    if BYLINE.matches(&byline_box) {
        names.push(element_text(byline_box));
    }
    names.extend(byline_box.select(&BYLINE).map(element_text));
    names
}

/// Whether an element can match [`BYLINE`] at all: a link, an `itemprop`, or
/// a class naming an author or byline. Checking this first spares running the
/// full selector on every element of the page.
fn could_be_byline(e: &scraper::node::Element) -> bool {
    e.name() == "a"
        || attr(e, "itemprop").is_some()
        || attrs_mention(e, &["class"], &["author", "byline"])
}

/// Text of an element without its scripts, styles and `<noscript>` markup.
fn element_text(el: ElementRef<'_>) -> String {
    let mut out = String::new();
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) if matches!(e.name(), "script" | "style" | "noscript") => {}
            Node::Element(_) => {
                if let Some(child) = ElementRef::wrap(child) {
                    out.push_str(&element_text(child));
                }
            }
            _ => {}
        }
    }
    out
}

/// A news agency, a publication or an institution rather than a person.
fn is_organization(name: &str, site_name: Option<&str>) -> bool {
    let lower = name.to_lowercase();
    let site = site_name.map(str::to_lowercase).unwrap_or_default();
    lower.starts_with("the ")
        || (!site.is_empty() && (lower.contains(&site) || site.contains(&lower)))
        || lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| ORGANIZATION_WORDS.contains(&w))
}

/// Cleans raw author strings into names, in order, without duplicates.
pub(crate) fn clean_authors(raw: &[String], site_name: Option<&str>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for item in raw {
        for name in split_names(&clean_encoded_text(item)) {
            if is_name(&name, site_name) && !names.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
                names.push(name);
            }
        }
    }
    names
}

fn strip_prefix(s: &str) -> &str {
    let mut s = s.trim();
    loop {
        let lower = s.to_lowercase();
        let Some(p) = PREFIXES.iter().find(|p| {
            lower.starts_with(*p)
                && (p.ends_with(':')
                    || lower[p.len()..].starts_with(|c: char| c.is_whitespace() || c == ':'))
        }) else {
            return s;
        };
        s = s[p.len()..].trim_start_matches([':', ' ']).trim();
    }
}

fn split_names(s: &str) -> Vec<String> {
    let s = strip_prefix(s);
    // Drop a trailing role or note: "Ann Lee, Senior Correspondent", "Ann Lee | Updated …".
    let s = s.split(['|', '•', '·', '\n']).next().unwrap_or("");
    let s = parentheticals(before_other_credits(after_as_told_to(s)));
    let mut out = Vec::new();
    for part in s.split([',', ';', '&']).flat_map(without_dashed_role) {
        let mut names = vec![part];
        for joiner in JOINERS {
            names = names
                .into_iter()
                .flat_map(|n| split_ignore_case(n, joiner))
                .collect();
        }
        for name in names {
            let name = strip_prefix(without_leading_joiner(name))
                .trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '\'' && c != '’')
                .trim();
            let name = without_credentials(name);
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    out
}

/// The writer of an "as told to" byline ("Amie Mock as told to Heather
/// Eastman": the first is the narrator, the second wrote it).
fn after_as_told_to(s: &str) -> &str {
    const AS_TOLD_TO: &str = " as told to ";
    // ASCII lower-casing keeps byte offsets.
    match s.to_ascii_lowercase().find(AS_TOLD_TO) {
        Some(at) => &s[at + AS_TOLD_TO.len()..],
        None => s,
    }
}

/// The byline up to the first credit for other work ("Edited by …").
fn before_other_credits(s: &str) -> &str {
    let lower = s.to_lowercase();
    OTHER_CREDITS
        .iter()
        .filter_map(|c| {
            lower
                .match_indices(c)
                .map(|(at, _)| at)
                .find(|at| *at == 0 || lower[..*at].ends_with(|ch: char| !ch.is_alphanumeric()))
        })
        .min()
        // Lower-casing can change byte lengths; cut only where `s` agrees.
        .filter(|at| s.is_char_boundary(*at) && lower.len() == s.len())
        .map_or(s, |at| &s[..at])
}

/// Parentheses in a byline: co-authors ("Ann Lee (avec Bo Ray)" becomes
/// "Ann Lee, avec Bo Ray"), a closing note that goes ("Ann Lee
/// (http://…)", "(AFP)"), or part of a name, kept ("Bruno (Henrique) Rodrigues").
fn parentheticals(s: &str) -> String {
    let Some(open) = s.find('(') else {
        return s.to_string();
    };
    let (head, rest) = s.split_at(open);
    let (inner, tail) = match rest[1..].split_once(')') {
        Some((inner, tail)) => (inner, tail),
        None => (&rest[1..], ""),
    };
    if without_leading_joiner(inner).len() < inner.trim_start().len() {
        format!("{head}, {inner}, {}", parentheticals(tail))
    } else if !tail.chars().any(char::is_alphanumeric) {
        head.to_string()
    } else {
        s.to_string()
    }
}

/// "avec Bo Ray" → "Bo Ray": a joiner left at the start of a part (after a
/// parenthesis).
fn without_leading_joiner(s: &str) -> &str {
    let s = s.trim_start();
    JOINERS
        .iter()
        .map(|j| j.trim_start())
        .find(|j| {
            s.len() > j.len() && s.is_char_boundary(j.len()) && s[..j.len()].eq_ignore_ascii_case(j)
        })
        .map_or(s, |j| &s[j.len()..])
}

/// `s` split at every ASCII-case-insensitive occurrence of `sep`.
fn split_ignore_case<'a>(s: &'a str, sep: &str) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i + sep.len() <= bytes.len() {
        if bytes[i..i + sep.len()].eq_ignore_ascii_case(sep.as_bytes()) {
            parts.push(&s[start..i]);
            i += sep.len();
            start = i;
        } else {
            i += 1;
        }
    }
    parts.push(&s[start..]);
    parts
}

/// "Ann Lee - Senior Editor" → ["Ann Lee"]; a dash between two names is kept.
fn without_dashed_role(part: &str) -> Vec<&str> {
    let pieces: Vec<&str> = part
        .split(" - ")
        .flat_map(|p| p.split(" – "))
        .flat_map(|p| p.split(" — "))
        .collect();
    let is_role = |p: &&str| {
        p.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| ROLE_WORDS.contains(&w))
    };
    if pieces.len() > 1 && pieces.iter().any(is_role) {
        pieces.into_iter().filter(|p| !is_role(p)).collect()
    } else {
        vec![part]
    }
}

/// "Ann Lee MS" → "Ann Lee"; "RDN" → "".
fn without_credentials(name: &str) -> String {
    let mut words: Vec<&str> = name.split_whitespace().collect();
    while words.last().is_some_and(|w| {
        let w = w.trim_end_matches('.').replace('.', "").to_lowercase();
        CREDENTIALS.contains(&w.as_str())
    }) {
        words.pop();
    }
    words.join(" ")
}

fn is_name(name: &str, site_name: Option<&str>) -> bool {
    let lower = name.to_lowercase();
    let words = name.split_whitespace().count();
    let is_domain = lower.split_whitespace().any(|w| {
        w.rsplit_once('.').is_some_and(|(head, tld)| {
            !head.is_empty()
                && (2..=6).contains(&tld.len())
                && tld.chars().all(|c| c.is_ascii_alphabetic())
        })
    });
    words > 0
        && words <= MAX_NAME_WORDS
        && !name.contains('@')
        && !lower.starts_with("http")
        && !name.chars().any(|c| c.is_ascii_digit())
        && !ACCOUNT_NAMES.contains(&lower.as_str())
        && !is_domain
        && !lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| ROLE_WORDS.contains(&w) || INTERFACE_WORDS.contains(&w))
        && site_name.is_none_or(|s| !s.eq_ignore_ascii_case(name))
        && name.chars().any(char::is_alphabetic)
        && name
            .chars()
            .all(|c| c.is_alphabetic() || c.is_whitespace() || ".'’-‐()".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(raw: &[&str]) -> Vec<String> {
        let raw: Vec<String> = raw.iter().map(|s| s.to_string()).collect();
        clean_authors(&raw, Some("Newsfront"))
    }

    #[test]
    fn strips_prefixes_and_splits_lists() {
        assert_eq!(clean(&["By Ann Lee and Bo Ray"]), vec!["Ann Lee", "Bo Ray"]);
        assert_eq!(
            clean(&["Written by: Ann Lee, Bo Ray"]),
            vec!["Ann Lee", "Bo Ray"]
        );
        assert_eq!(
            clean(&["by Ann Lee | Updated June 20, 2024"]),
            vec!["Ann Lee"]
        );
        assert_eq!(clean(&["BY ANN LEE"]), vec!["ANN LEE"]);
        assert_eq!(
            clean(&["Ann Lee (avec Bo Ray et Cy Dunn)"]),
            vec!["Ann Lee", "Bo Ray", "Cy Dunn"]
        );
        assert_eq!(
            clean(&["By Ann Lee WITH Bo Ray"]),
            vec!["Ann Lee", "Bo Ray"]
        );
        assert_eq!(clean(&["Ann Lee (https://ann.example/)"]), vec!["Ann Lee"]);
        assert_eq!(
            clean(&["Bruno (Henrique) Rodrigues"]),
            vec!["Bruno (Henrique) Rodrigues"]
        );
    }

    #[test]
    fn an_as_told_to_byline_names_its_writer() {
        assert_eq!(
            clean(&["Amie Mock as told to Heather Eastman"]),
            vec!["Heather Eastman"]
        );
    }

    #[test]
    fn a_byline_ends_at_a_credit_for_other_work() {
        assert_eq!(
            clean(&["Written by Ann Lee Edited by Bo Ray"]),
            vec!["Ann Lee"]
        );
        assert_eq!(
            clean(&["Ann Lee, Medically reviewed by Bo Ray, MD"]),
            vec!["Ann Lee"]
        );
        assert_eq!(clean(&["Jane Uneditedby"]), vec!["Jane Uneditedby"]);
    }

    #[test]
    fn drops_accounts_sites_addresses_and_duplicates() {
        assert_eq!(clean(&["admin"]), Vec::<String>::new());
        assert_eq!(clean(&["Newsfront"]), Vec::<String>::new());
        assert_eq!(clean(&["ann@newsfront.example"]), Vec::<String>::new());
        assert_eq!(clean(&["Ann Lee", "ann lee"]), vec!["Ann Lee"]);
        assert_eq!(clean(&["Byron Ray"]), vec!["Byron Ray"]);
        assert_eq!(clean(&["cleveland.com"]), Vec::<String>::new());
        assert_eq!(clean(&["s=80&d=mm"]), Vec::<String>::new());
        assert_eq!(
            clean(&["View all articles by this author", "Follow us"]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn drops_roles_and_credentials() {
        assert_eq!(
            clean(&["Ann Lee - Contributing Writer", "Bo Ray – Senior Editor"]),
            vec!["Ann Lee", "Bo Ray"]
        );
        assert_eq!(clean(&["Ann Lee MS, RDN, LD"]), vec!["Ann Lee"]);
        assert_eq!(
            clean(&["Ann Lee", "Chief Technology Officer"]),
            vec!["Ann Lee"]
        );
        assert_eq!(clean(&["Jean-Luc Picard"]), vec!["Jean-Luc Picard"]);
        assert_eq!(clean(&["Ann Lee - Bo Ray"]), vec!["Ann Lee - Bo Ray"]);
        assert_eq!(clean(&["James Lee Jr."]), vec!["James Lee Jr."]);
    }

    fn pick(sources: Vec<Vec<&str>>) -> Vec<String> {
        let boxed: Vec<Box<dyn FnOnce() -> Vec<String>>> = sources
            .into_iter()
            .map(|s| {
                let owned: Vec<String> = s.iter().map(|x| x.to_string()).collect();
                Box::new(move || owned) as Box<dyn FnOnce() -> Vec<String>>
            })
            .collect();
        choose(boxed, Some("Newsfront"))
    }

    #[test]
    fn reads_the_byline_after_the_headline_with_its_co_authors() {
        let doc = Html::parse_document(
            "<aside><a href='/author/zed/'>Zed Top</a></aside><h1>T</h1>\
             <div class='story-byline'><a href='/staff/ann-lee/'><img src='a.png'></a>\
             By <a href='/staff/ann-lee/'>Ann Lee</a> and \
             <a href='/staff/bo-ray/'>Bo Ray</a></div><p>Body</p>\
             <div class='related'><a href='/author/cy/'>Cy Dee</a></div>",
        );
        let headline = crate::extract::landmarks::Landmarks::new(&doc)
            .headline()
            .map(|h| h.id());
        let names = clean_authors(&byline_names(&doc, headline), None);
        assert_eq!(names, vec!["Ann Lee", "Bo Ray"]);
    }

    #[test]
    fn people_win_over_organizations() {
        assert_eq!(
            pick(vec![vec!["Ann Lee", "Associated Press"]]),
            vec!["Ann Lee"]
        );
        assert_eq!(
            pick(vec![vec!["The Daily Journal"], vec![], vec!["By Ann Lee"]]),
            vec!["Ann Lee"]
        );
        assert_eq!(pick(vec![vec!["Reuters"], vec![]]), vec!["Reuters"]);
        assert_eq!(
            pick(vec![vec!["Ann Lee", "Newsfront Staff"]]),
            vec!["Ann Lee"]
        );
        assert_eq!(pick(vec![vec![], vec![]]), Vec::<String>::new());
    }
}
