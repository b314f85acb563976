//! The rest of the article around the top content candidate: siblings that
//! continue it (scored containers, paragraphs of prose), or, for a candidate
//! alone in its wrappers, the segments of an article cut apart between ads
//! and product cards (same-class siblings, or siblings that repeat the
//! candidate's own markup).

use scraper::ElementRef;

use super::content::class_weight;
use super::hints::attrs_mention;
use super::nodes::NodeMap;
use super::rules::SUMMARY_HINTS;
use super::stats::TextStats;

/// How far a lone top candidate climbs through classed wrappers to find segments.
const MAX_WRAPPER_CLIMB: usize = 2;
/// How far it climbs to find segments that repeat its own markup.
const MAX_REPEAT_CLIMB: usize = 5;

/// The top candidate and the siblings that continue it; when it has none and
/// sits alone in a wrapper, the wrapper and the siblings that continue it (an
/// article cut into segments between ads and product cards): siblings of the
/// same tag and class, or, further up, of the same tag that hold an element
/// of the top candidate's own tag and class (a lead segment may be classed
/// apart from the rest).
pub(super) fn with_siblings<'a>(
    top: ElementRef<'a>,
    top_score: f32,
    scores: &NodeMap<f32>,
    stats: &TextStats,
) -> Vec<ElementRef<'a>> {
    let roots = continued(top, top_score, scores, stats);
    if roots.len() > 1 {
        return roots;
    }
    // Elements of the top candidate's tag and class, found once when needed.
    let mut twins: Option<Vec<ElementRef<'a>>> = None;
    let mut anchor = top;
    for level in 0..MAX_REPEAT_CLIMB {
        let Some(parent) = anchor.parent().and_then(ElementRef::wrap) else {
            break;
        };
        // The wrapper holds little besides the anchor.
        if parent.value().name() == "body"
            || stats.text(parent.id()) * 4 > stats.text(anchor.id()) * 5
        {
            break;
        }
        anchor = parent;
        let class = anchor.value().attr("class");
        let Some(wrapper) = anchor.parent() else {
            break;
        };
        let shallow = level < MAX_WRAPPER_CLIMB && class.is_some();
        let twins: &[ElementRef<'a>] = if shallow {
            &[]
        } else {
            twins.get_or_insert_with(|| twins_of(top))
        };
        let segments: Vec<ElementRef<'a>> = wrapper
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|s| {
                s.id() == anchor.id()
                    || (s.value().name() == anchor.value().name()
                        && stats.text(s.id()) > 0
                        && stats.link_density(s.id()) < 0.3
                        && if shallow {
                            s.value().attr("class") == class
                        } else {
                            twins
                                .iter()
                                .any(|t| t.ancestors().any(|a| a.id() == s.id()))
                        })
            })
            .collect();
        if segments.len() > 1 {
            return segments;
        }
    }
    roots
}

/// The other elements of the page with the tag and class of `top` (none
/// when it has no class). Classes compare by [`class_shape`], so segments
/// numbered by the theme (`content html_0`, `content html_2`) are twins.
fn twins_of(top: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    let Some(class) = top.value().attr("class") else {
        return Vec::new();
    };
    let name = top.value().name();
    let Some(root) = top.ancestors().filter_map(ElementRef::wrap).last() else {
        return Vec::new();
    };
    root.descendent_elements()
        .filter(|d| {
            d.id() != top.id()
                && d.value().name() == name
                && d.value()
                    .attr("class")
                    .is_some_and(|c| class_shape(c).eq(class_shape(class)))
        })
        .collect()
}

/// A class attribute's tokens with their trailing digits cut: what stays the
/// same across the numbered segments of one article.
fn class_shape(class: &str) -> impl Iterator<Item = &str> {
    class
        .split_ascii_whitespace()
        .map(|token| token.trim_end_matches(|c: char| c.is_ascii_digit()))
}

/// An article's summary box ("Key Points", "Takeaways"): so classed, and not a list of links.
fn is_summary(el: ElementRef<'_>, stats: &TextStats) -> bool {
    stats.link_density(el.id()) < 0.3 && attrs_mention(el.value(), &["class", "id"], SUMMARY_HINTS)
}

/// How far a declared body climbs through wrappers to find its summary box.
const MAX_SUMMARY_CLIMB: usize = 3;

/// The declared body `root` with the article's summary boxes set beside it, or beside a wrapper
/// that holds little besides it, in document order.
pub(super) fn with_summary_boxes<'a>(
    root: ElementRef<'a>,
    stats: &TextStats,
) -> Vec<ElementRef<'a>> {
    let (mut before, mut after) = (Vec::new(), Vec::new());
    let mut anchor = root;
    for _ in 0..MAX_SUMMARY_CLIMB {
        let Some(parent) = anchor.parent().and_then(ElementRef::wrap) else {
            break;
        };
        if parent.value().name() == "body" {
            break;
        }
        let mut at_or_after = false;
        let mut boxes_before = Vec::new();
        for sibling in parent.children().filter_map(ElementRef::wrap) {
            if sibling.id() == anchor.id() {
                at_or_after = true;
            } else if is_summary(sibling, stats) {
                if at_or_after {
                    after.push(sibling);
                } else {
                    boxes_before.push(sibling);
                }
            }
        }
        // Boxes found further up come first.
        before.splice(0..0, boxes_before);
        if stats.text(parent.id()) * 4 > stats.text(anchor.id()) * 5 {
            break;
        }
        anchor = parent;
    }
    before.push(root);
    before.append(&mut after);
    before
}

/// Most paragraphs a lead block holds.
const MAX_LEAD_PARAGRAPHS: usize = 3;

/// Whether a container is the lead of the body `top`, set apart from it:
/// one to three paragraphs that hold most of its text (the rest an embed or
/// an image) and are classed like the body's own paragraphs.
fn is_lead(el: ElementRef<'_>, top: ElementRef<'_>, stats: &TextStats) -> bool {
    let mut count = 0;
    let mut text = 0;
    let mut class = None;
    for p in el.descendent_elements().filter(|d| d.value().name() == "p") {
        let len = stats.text(p.id());
        if len > 0 {
            count += 1;
            text += len;
            class = class.or(p.value().attr("class"));
        }
    }
    let Some(class) = class.filter(|c| !c.trim().is_empty()) else {
        return false;
    };
    (1..=MAX_LEAD_PARAGRAPHS).contains(&count)
        && text * 2 >= stats.text(el.id())
        && top
            .descendent_elements()
            .any(|d| d.value().name() == "p" && d.value().attr("class") == Some(class))
}

/// The candidate and the siblings that continue it: scored containers
/// with a fair share of the top score, plain paragraphs of prose, or the
/// article's summary box ("Key Points").
fn continued<'a>(
    top: ElementRef<'a>,
    top_score: f32,
    scores: &NodeMap<f32>,
    stats: &TextStats,
) -> Vec<ElementRef<'a>> {
    let Some(parent) = top.parent() else {
        return vec![top];
    };
    let threshold = (top_score * 0.2).max(10.0);
    let top_class = top.value().attr("class");
    let mut roots = Vec::new();
    // The element right before the top candidate, which may be its lead.
    let lead = top
        .prev_siblings()
        .find_map(ElementRef::wrap)
        .filter(|l| is_lead(*l, top, stats) && class_weight(*l) >= 0.0)
        .map(|l| l.id());
    for sibling in parent.children().filter_map(ElementRef::wrap) {
        if sibling.id() == top.id() {
            roots.push(sibling);
            continue;
        }
        let id = sibling.id();
        let text = stats.text(id);
        let density = stats.link_density(id);
        let same_class = top_class.is_some() && sibling.value().attr("class") == top_class;
        let bonus = if same_class { 1.2 } else { 1.0 };
        let scored = scores.get(&id).is_some_and(|s| s * bonus >= threshold);
        let prose =
            text > 80 && density < 0.25 && (sibling.value().name() == "p" || lead == Some(id));
        let summary = is_summary(sibling, stats);
        if (scored && density < 0.3 && class_weight(sibling) >= 0.0) || prose || summary {
            roots.push(sibling);
        }
    }
    roots
}
