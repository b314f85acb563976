//! Dates printed in the page: which elements may print one, which of them are
//! labelled as an update ("Updated December 26, 2023"), and the reading order
//! (the ones after the headline first, since those belong to the article).

use ego_tree::NodeId;
use scraper::{ElementRef, Html};

use super::attrs::{attr, plain_attrs};
use super::hints::{attrs_mention, mentions};
use crate::normalize::{TextDate, fold_whitespace, parse_date_text};

/// Printed dates longer than this are paragraphs that mention a date.
const MAX_DATE_TEXT: usize = 160;
/// At most this many printed dates after the headline are read (update-labelled
/// ones not counted).
const MAX_PRINTED: usize = 12;
/// Words that label a date as an update rather than the publication.
const UPDATE_LABELS: &[&str] = &[
    "updated",
    "last updated",
    "modified",
    "edited",
    "aktualisiert",
    "mis à jour",
    "actualizado",
    "aggiornato",
    "atualizado",
    "bijgewerkt",
];

/// One date printed in the page.
pub(crate) struct Printed {
    /// The element is marked as the publication date (class, id, itemprop or `pubdate`).
    pub publish: bool,
    /// The text is labelled as an update ("Updated …", "Last updated …").
    pub update: bool,
    /// An update label appears anywhere in the text ("By Ann Lee, last updated …").
    pub mentions_update: bool,
    pub date: TextDate,
}

/// Elements that may print a date: `<time>`, or a class or id naming a date,
/// a publication, a post time, a timestamp or a byline (case-insensitive).
/// Hand-written rather than a selector: it runs on every element of the page.
fn is_dated(e: &scraper::node::Element) -> bool {
    const CLASS_MARKS: &[&str] = &["date", "publish", "posted", "timestamp", "byline"];
    const ID_MARKS: &[&str] = &["date", "publish"];
    e.name() == "time"
        || plain_attrs(e).any(|(name, value)| match name {
            "class" => mentions(value, CLASS_MARKS),
            "id" => mentions(value, ID_MARKS),
            _ => false,
        })
}

/// Dates printed in the page, the ones after the `headline` (the first
/// `<h1>`) first.
pub(crate) fn scan(doc: &Html, headline: Option<NodeId>) -> Vec<Printed> {
    let mut after = Vec::new();
    let mut before = Vec::new();
    let mut plain_after = 0;
    for el in doc
        .root_element()
        .descendent_elements()
        .filter(|e| is_dated(e.value()))
    {
        if plain_after >= MAX_PRINTED {
            break;
        }
        let Some(text) = short_text(el) else { continue };
        let Some(date) = parse_date_text(&text) else {
            continue;
        };
        let lower = text.to_lowercase();
        let update = UPDATE_LABELS.iter().any(|l| lower.starts_with(l)) || labelled_before(el);
        let printed = Printed {
            publish: marked(el, &["publish"]),
            update,
            mentions_update: update || UPDATE_LABELS.iter().any(|l| lower.contains(l)),
            date,
        };
        if headline.is_none_or(|h: NodeId| el.id() > h) {
            plain_after += usize::from(!update);
            after.push(printed);
        } else {
            before.push(printed);
        }
    }
    after.extend(before);
    after
}

/// How many ancestors up a label before the date may sit
/// (`Updated <span><time>…</time></span>`).
const LABEL_LEVELS: usize = 3;
/// Only this much text before a date is read for its label.
const LABEL_CHARS: usize = 40;

/// The text just before the element (or before the ancestor it starts)
/// ends with an update label: "Last updated <time>…</time>".
fn labelled_before(el: ElementRef<'_>) -> bool {
    let mut node = *el;
    for _ in 0..LABEL_LEVELS {
        let mut before = String::new();
        for sibling in node.prev_siblings() {
            let text: String = match sibling.value() {
                scraper::Node::Text(t) => t.to_string(),
                scraper::Node::Element(_) => ElementRef::wrap(sibling)
                    .map(|e| e.text().collect())
                    .unwrap_or_default(),
                _ => continue,
            };
            before.insert_str(0, &text);
            if before.trim().chars().count() >= LABEL_CHARS {
                break;
            }
        }
        let before = before.trim().to_lowercase();
        if !before.is_empty() {
            let label = before.trim_end_matches([':', '-', '|', '\u{a0}', ' ']);
            let label = label.strip_suffix(" on").unwrap_or(label);
            return UPDATE_LABELS.iter().any(|l| label.ends_with(l));
        }
        match node.parent() {
            Some(parent) => node = parent,
            None => return false,
        }
    }
    false
}

/// The element's class, id or itemprop names one of `marks`, or it has `pubdate`.
pub(crate) fn marked(el: ElementRef<'_>, marks: &[&str]) -> bool {
    let e = el.value();
    (marks.contains(&"publish") && attr(e, "pubdate").is_some())
        || attrs_mention(e, &["class", "id", "itemprop"], marks)
}

/// The element's text when it is short enough to be a date line.
pub(crate) fn short_text(el: ElementRef<'_>) -> Option<String> {
    let mut out = String::new();
    for t in el.text() {
        out.push_str(t);
        out.push(' ');
        if out.len() > MAX_DATE_TEXT * 2 {
            return None;
        }
    }
    let trimmed = fold_whitespace(&out);
    (!trimmed.is_empty() && trimmed.chars().count() <= MAX_DATE_TEXT).then_some(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_dates_after_the_headline_first_and_labels_updates() {
        let doc = Html::parse_document(
            "<aside><span class='date'>June 1, 2023</span></aside><h1>T</h1>\
             <p class='date'>Updated June 3, 2023</p><dd id='date_posted'>June 2, 2023</dd>\
             <p>Last updated on: <span><time>June 4, 2023</time></span></p>",
        );
        let headline = crate::extract::landmarks::Landmarks::new(&doc)
            .headline()
            .map(|h| h.id());
        let found: Vec<(String, bool)> = scan(&doc, headline)
            .iter()
            .map(|p| (p.date.date.to_string(), p.update))
            .collect();
        assert_eq!(
            found,
            [
                ("2023-06-03".to_string(), true),
                ("2023-06-02".to_string(), false),
                ("2023-06-04".to_string(), true),
                ("2023-06-01".to_string(), false),
            ]
        );
    }
}
