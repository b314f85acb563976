//! Attribute reads that do not intern the attribute's name.
//!
//! `scraper`'s `Element::attr` turns the asked name into an atom on every call
//! (a hash and a table lookup), and `Element::classes` interns every class
//! name of an element the first time it is asked. The extraction passes ask
//! several attributes of every element of a page, so they compare names as
//! strings instead. Like `Element::attr`, only plain attributes are read
//! (not the namespaced ones of SVG and MathML, such as `xlink:href`).

use scraper::node::Element;

/// The element's plain attributes: (name, value).
pub(crate) fn plain_attrs(e: &Element) -> impl Iterator<Item = (&str, &str)> {
    e.attrs
        .iter()
        .filter(|(name, _)| name.prefix.is_none() && name.ns.is_empty())
        .map(|(name, value)| (&*name.local, &**value))
}

/// The value of the plain attribute `name` (lower-case), as `Element::attr` gives it.
pub(crate) fn attr<'a>(e: &'a Element, name: &str) -> Option<&'a str> {
    plain_attrs(e).find(|(n, _)| *n == name).map(|(_, v)| v)
}

/// The element's class names in the order written, duplicates kept.
pub(crate) fn classes(e: &Element) -> impl Iterator<Item = &str> {
    attr(e, "class")
        .into_iter()
        .flat_map(str::split_ascii_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    #[test]
    fn reads_like_scraper_without_namespaced_attributes() {
        let doc = Html::parse_fragment(
            "<p class=' a  b a' data-x=1 hidden></p>\
             <svg><a xlink:href='#x' href='#y'></a></svg>",
        );
        for el in doc.root_element().descendent_elements().skip(1) {
            let e = el.value();
            for name in ["class", "data-x", "hidden", "href", "missing"] {
                assert_eq!(attr(e, name), e.attr(name), "{name}");
            }
            let mut ours: Vec<&str> = classes(e).collect();
            ours.sort_unstable();
            ours.dedup();
            assert_eq!(ours, e.classes().collect::<Vec<_>>());
        }
    }
}
