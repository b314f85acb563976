//! The default boilerplate selectors of [`super::rules`] compiled once into
//! a matcher that answers with hash lookups for the plain `.class` and `#id`
//! selectors (nearly all of them) and runs real selector matching only for
//! the few complex ones.

use std::collections::HashMap;
use std::sync::LazyLock;

use scraper::{ElementRef, Selector};

use super::rules::{BOILERPLATE, compile};

/// The boilerplate selectors compiled once into a matcher that answers with
/// hash lookups for the plain `.class` and `#id` selectors (nearly all of
/// them) and runs real selector matching only for the few complex ones.
pub struct CompiledBoilerplate {
    labels: Vec<String>,
    classes: HashMap<&'static str, usize>,
    ids: HashMap<&'static str, usize>,
    complex: Vec<(usize, Selector)>,
}

impl CompiledBoilerplate {
    fn new(groups: &[(&'static str, &'static [&'static str])]) -> Self {
        let mut matcher = CompiledBoilerplate {
            labels: Vec::new(),
            classes: HashMap::new(),
            ids: HashMap::new(),
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
                } else {
                    matcher.complex.push((index, compile(css)));
                }
            }
        }
        matcher
    }

    /// The report label of the first rule group that matches the element.
    pub fn matching_rule(&self, el: ElementRef<'_>) -> Option<&str> {
        let e = el.value();
        let by_class = e
            .classes()
            .filter_map(|c| self.classes.get(c).copied())
            .min();
        let by_id = e.id().and_then(|id| self.ids.get(id).copied());
        let by_selector = self
            .complex
            .iter()
            .filter(|(_, sel)| sel.matches(&el))
            .map(|(group, _)| *group)
            .min();
        let group = [by_class, by_id, by_selector].into_iter().flatten().min()?;
        self.labels.get(group).map(String::as_str)
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
