//! The default boilerplate selectors of [`super::rules`] compiled once into
//! a matcher that answers with hash lookups for the plain `.class`, `#id` and
//! tag selectors (nearly all of them) and runs real selector matching only for
//! the few complex ones, on the elements that carry the attribute they need.

use std::collections::HashMap;
use std::sync::LazyLock;

use scraper::node::Element;
use scraper::{ElementRef, Selector};

use super::attrs::{attr, classes};
use super::rules::{BOILERPLATE, compile};

/// The boilerplate selectors compiled once into a matcher (see the module doc).
pub struct CompiledBoilerplate {
    labels: Vec<String>,
    classes: HashMap<&'static str, usize>,
    ids: HashMap<&'static str, usize>,
    tags: HashMap<&'static str, usize>,
    /// (group, what a matching element carries if known, selector).
    complex: Vec<(usize, Option<Needs>, Selector)>,
}

impl CompiledBoilerplate {
    fn new(groups: &[(&'static str, &'static [&'static str])]) -> Self {
        let mut matcher = CompiledBoilerplate {
            labels: Vec::new(),
            classes: HashMap::new(),
            ids: HashMap::new(),
            tags: HashMap::new(),
            complex: Vec::new(),
        };
        for (index, (group, selectors)) in groups.iter().enumerate() {
            matcher.labels.push(format!("default/{group}"));
            for css in selectors.iter().copied() {
                let plain = |prefix: char| {
                    css.strip_prefix(prefix).filter(|name| {
                        name.chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                    })
                };
                if let Some(class) = plain('.') {
                    matcher.classes.entry(class).or_insert(index);
                } else if let Some(id) = plain('#') {
                    matcher.ids.entry(id).or_insert(index);
                } else if is_tag(css) {
                    matcher.tags.entry(css).or_insert(index);
                } else {
                    matcher.complex.push((index, required(css), compile(css)));
                }
            }
        }
        matcher
    }

    /// The report label of the first rule group that matches the element.
    pub fn matching_rule(&self, el: ElementRef<'_>) -> Option<&str> {
        let e = el.value();
        let by_class = classes(e)
            .filter_map(|c| self.classes.get(c).copied())
            .min();
        let by_id = attr(e, "id").and_then(|id| self.ids.get(id).copied());
        let by_tag = self.tags.get(e.name()).copied();
        let by_selector = self
            .complex
            .iter()
            .filter(|(_, needs, sel)| needs.is_none_or(|n| n.met_by(e)) && sel.matches(&el))
            .map(|(group, _, _)| *group)
            .min();
        let group = [by_class, by_id, by_tag, by_selector]
            .into_iter()
            .flatten()
            .min()?;
        self.labels.get(group).map(String::as_str)
    }
}

/// A plain type selector: `footer`, `figcaption`, or a custom element (`media-video`).
fn is_tag(css: &str) -> bool {
    css.starts_with(|c: char| c.is_ascii_lowercase())
        && css
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// What every element a selector matches carries: a cheap test that spares
/// running the selector on the other elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Needs {
    /// A plain attribute of this name.
    Attribute(&'static str),
    /// This class name (case-sensitive: pages are matched in no-quirks mode).
    Class(&'static str),
}

impl Needs {
    fn met_by(self, e: &Element) -> bool {
        match self {
            Needs::Attribute(name) => attr(e, name).is_some(),
            Needs::Class(name) => classes(e).any(|c| c == name),
        }
    }
}

/// What every element `css` matches carries, for a selector of one compound
/// (no combinator or list outside brackets and parentheses): the attribute of
/// its first `[attribute…]`, else the class of its first `.class`, else an
/// `id` for an `#id`. `None` when unsure: the selector then runs on every element.
fn required(css: &'static str) -> Option<Needs> {
    let mut depth = 0usize;
    let (mut bracket, mut class, mut id) = (None, None, false);
    for (i, c) in css.char_indices() {
        match c {
            '[' | '(' => {
                if depth == 0 && c == '[' && bracket.is_none() {
                    bracket = Some(i + 1);
                }
                depth += 1;
            }
            ']' | ')' => depth = depth.checked_sub(1)?,
            _ if depth > 0 => {}
            ' ' | '\t' | '\n' | '>' | '+' | '~' | ',' | '\'' | '"' | '\\' | '|' => return None,
            '.' if class.is_none() => class = Some(i + 1),
            '#' => id = true,
            _ => {}
        }
    }
    if depth != 0 {
        return None;
    }
    // The name at `start`, when one of `ends` (or the end) closes it.
    let name_at = |start: usize, ends: &[char]| {
        let rest = &css[start..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        let closed = rest[end..].chars().next().is_none_or(|c| ends.contains(&c));
        Some(&rest[..end]).filter(|name| !name.is_empty() && closed)
    };
    if let Some(start) = bracket {
        // Upper case or a namespace (`[ns|name]`): leave it to the selector.
        let name = name_at(start, &['=', '~', '^', '$', '*', ']'])?;
        let plain = !name.bytes().any(|b| b.is_ascii_uppercase());
        return plain.then_some(Needs::Attribute(name));
    }
    match class {
        Some(start) => name_at(start, &['.', '#', '[', ':']).map(Needs::Class),
        None => id.then_some(Needs::Attribute("id")),
    }
}

pub static DEFAULT_BOILERPLATE: LazyLock<CompiledBoilerplate> =
    LazyLock::new(|| CompiledBoilerplate::new(BOILERPLATE));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_label_per_rule_group() {
        assert_eq!(DEFAULT_BOILERPLATE.labels.len(), BOILERPLATE.len());
    }

    #[test]
    fn knows_what_a_one_compound_selector_needs() {
        use Needs::{Attribute, Class};
        assert_eq!(
            required("[aria-label=breadcrumb]"),
            Some(Attribute("aria-label"))
        );
        assert_eq!(
            required("[itemtype$='BreadcrumbList']"),
            Some(Attribute("itemtype"))
        );
        assert_eq!(required("[hidden]"), Some(Attribute("hidden")));
        assert_eq!(required("header.site-header"), Some(Class("site-header")));
        assert_eq!(required(".toc:not(h1, h2)"), Some(Class("toc")));
        assert_eq!(required("p:not(.x).y"), Some(Class("y")));
        assert_eq!(required("div#x"), Some(Attribute("id")));
        assert_eq!(required("div .x"), None);
        assert_eq!(required(".a, p"), None);
        assert_eq!(required("p:not(.x)"), None);
        assert_eq!(required("[ARIA-label=x]"), None);
        assert_eq!(required("[lang|=en]"), None);
        assert_eq!(required("svg|a.x"), None);
        assert_eq!(required("[x=']']"), None);
        assert_eq!(required(".caf\u{e9}"), None);
        assert_eq!(required("[data-\u{e9}]"), None);
        assert!(is_tag("figcaption") && is_tag("h2"));
        assert!(!is_tag("header.site-header") && !is_tag("[rel=author]"));
    }

    /// Every element of a page full of boilerplate: the compiled matcher and
    /// the selectors, tried group by group, name the same rule.
    #[test]
    fn the_matcher_agrees_with_the_selectors_on_every_element() {
        let html = scraper::Html::parse_document(
            "<body><header class='site-header x'></header><header></header>\
             <footer></footer><aside class=toc></aside><h2 class=toc></h2><div class=toc></div>\
             <figure><figcaption class=breadcrumb>c</figcaption></figure>\
             <a rel=author href=/a>A</a><a rel=Author>B</a><span aria-label=Breadcrumb></span>\
             <ol itemtype='https://schema.org/BreadcrumbList'></ol><div id=div-gpt-ad-1></div>\
             <div class='a share-buttons-b'></div><svg><footer></footer></svg></body>",
        );
        let selectors: Vec<(usize, Selector)> = BOILERPLATE
            .iter()
            .enumerate()
            .flat_map(|(i, (_, sels))| sels.iter().map(move |css| (i, compile(css))))
            .collect();
        for el in html.root_element().descendent_elements() {
            let expected = selectors
                .iter()
                .find(|(_, sel)| sel.matches(&el))
                .map(|(i, _)| format!("default/{}", BOILERPLATE[*i].0));
            assert_eq!(
                DEFAULT_BOILERPLATE.matching_rule(el),
                expected.as_deref(),
                "{}",
                el.html()
            );
        }
    }

    #[test]
    fn the_matcher_agrees_with_selector_matching() {
        let html = scraper::Html::parse_document(
            "<div class='x breadcrumbs'></div><div id=comments></div>\
             <nav aria-label=breadcrumb></nav><p class=plain></p><div class='related share-buttons-x'></div>",
        );
        let found: Vec<Option<&str>> = html
            .root_element()
            .descendent_elements()
            .filter(|e| matches!(e.value().name(), "div" | "nav" | "p"))
            .map(|e| DEFAULT_BOILERPLATE.matching_rule(e))
            .collect();
        assert_eq!(
            found,
            [
                Some("default/breadcrumbs"),
                Some("default/comments"),
                Some("default/breadcrumbs"),
                None,
                Some("default/share"),
            ]
        );
    }
}
