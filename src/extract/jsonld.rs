//! JSON-LD (`<script type="application/ld+json">`): the article object and the
//! fields gleaner reads from it.
//!
//! Pages nest the article in `@graph`, in arrays, or reference authors by `@id`;
//! this module flattens all of that and picks the most article-like object.
//! Broken JSON in one script is skipped, never fatal.

use std::sync::LazyLock;

use scraper::Selector;
use serde_json::Value;

use super::landmarks::Landmarks;

static LD_SCRIPTS: LazyLock<Selector> =
    LazyLock::new(|| super::rules::compile("script[type='application/ld+json' i]"));

/// `@type`s of an article, best first.
const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "Article",
    "BlogPosting",
    "LiveBlogPosting",
    "TechArticle",
    "ScholarlyArticle",
    "Report",
    "SocialMediaPosting",
    "Review",
    "Recipe",
    "HowTo",
    "WebPage",
];

/// The article object of a page's JSON-LD and every node, for `@id` lookups.
#[derive(Debug, Default)]
pub(crate) struct JsonLd {
    nodes: Vec<Value>,
    article: Option<usize>,
}

impl JsonLd {
    /// Reads the page's JSON-LD scripts, among its `<script>` elements.
    pub fn read(marks: &Landmarks<'_>) -> Self {
        let mut nodes = Vec::new();
        for script in marks.scripts.iter().filter(|s| LD_SCRIPTS.matches(s)) {
            let text: String = script.text().collect();
            if let Some(value) = parse_lenient(&text) {
                flatten(value, &mut nodes);
            }
        }
        let article = ARTICLE_TYPES
            .iter()
            .find_map(|t| nodes.iter().position(|n| has_type(n, t)));
        JsonLd { nodes, article }
    }

    fn article(&self) -> Option<&Value> {
        self.nodes.get(self.article?)
    }

    /// A string field of the article object.
    pub fn str(&self, key: &str) -> Option<String> {
        self.article()?.get(key).and_then(first_string)
    }

    /// The article's `headline` and `name`. Usually the same; when they
    /// differ, one of them is often something else (the site's name, a short
    /// description), which the caller decides against the `<title>`.
    pub fn headline_and_name(&self) -> (Option<String>, Option<String>) {
        (self.str("headline"), self.str("name"))
    }

    /// Author names: strings, `Person`/`Organization` objects, arrays, `@id` references.
    pub fn authors(&self) -> Vec<String> {
        let Some(author) = self
            .article()
            .and_then(|a| a.get("author").or_else(|| a.get("creator")))
        else {
            return Vec::new();
        };
        let mut names = Vec::new();
        for item in as_list(author) {
            match item {
                Value::String(s) => names.push(s.clone()),
                Value::Object(_) => {
                    // A `name` may list several people: `{"name": ["Ann Lee", "Bo Ray"]}`.
                    let resolved = self.resolve(item);
                    let listed = resolved.get("name").map(as_list).unwrap_or_default();
                    names.extend(listed.into_iter().filter_map(first_string));
                }
                _ => {}
            }
        }
        names
    }

    /// A `Recipe`'s ingredient lines and its instruction steps (plain
    /// strings, `HowToStep` texts, `HowToSection` items), each list in order.
    /// Empty lists when the page declares no recipe.
    pub fn recipe(&self) -> (Vec<String>, Vec<String>) {
        let Some(recipe) = self.nodes.iter().find(|n| has_type(n, "Recipe")) else {
            return (Vec::new(), Vec::new());
        };
        let ingredients = recipe
            .get("recipeIngredient")
            .or_else(|| recipe.get("ingredients"))
            .map(|v| as_list(v).into_iter().filter_map(first_string).collect())
            .unwrap_or_default();
        let mut steps = Vec::new();
        if let Some(instructions) = recipe.get("recipeInstructions") {
            collect_steps(instructions, 0, &mut steps);
        }
        (ingredients, steps)
    }

    pub fn publisher_name(&self) -> Option<String> {
        let publisher = self.article().and_then(|a| a.get("publisher"));
        publisher
            .map(as_list)
            .unwrap_or_default()
            .into_iter()
            .find_map(|p| self.resolve(p).get("name").and_then(first_string))
            .or_else(|| {
                self.nodes
                    .iter()
                    .find(|n| has_type(n, "WebSite"))
                    .and_then(|n| n.get("name").and_then(first_string))
            })
    }

    pub fn image(&self) -> Option<String> {
        let image = self
            .article()?
            .get("image")
            .or_else(|| self.article()?.get("thumbnailUrl"))?;
        as_list(image).into_iter().find_map(|i| match i {
            Value::String(s) => Some(s.clone()),
            Value::Object(_) => {
                let r = self.resolve(i);
                r.get("url")
                    .or_else(|| r.get("contentUrl"))
                    .and_then(first_string)
            }
            _ => None,
        })
    }

    pub fn keywords(&self) -> Vec<String> {
        match self.article().and_then(|a| a.get("keywords")) {
            Some(Value::String(s)) => s.split(',').map(|k| k.trim().to_string()).collect(),
            Some(Value::Array(items)) => items.iter().filter_map(first_string).collect(),
            _ => Vec::new(),
        }
    }

    pub fn language(&self) -> Option<String> {
        let lang = self.article()?.get("inLanguage")?;
        match lang {
            Value::Object(o) => o
                .get("alternateName")
                .or_else(|| o.get("name"))
                .and_then(first_string),
            other => first_string(other),
        }
    }

    /// Follows an `{"@id": …}` reference to the full node when the page has it.
    fn resolve<'a>(&'a self, value: &'a Value) -> &'a Value {
        let Some(id) = value.get("@id").and_then(Value::as_str) else {
            return value;
        };
        if value.get("name").is_some() {
            return value;
        }
        self.nodes
            .iter()
            .find(|n| n.get("@id").and_then(Value::as_str) == Some(id) && n.get("name").is_some())
            .unwrap_or(value)
    }
}

/// Parses a script's JSON, forgiving what CMSs commonly break: raw line breaks
/// and tabs inside strings, an HTML comment or CDATA wrapper, a trailing `;`.
fn parse_lenient(text: &str) -> Option<Value> {
    let text = text.trim();
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        return Some(v);
    }
    let unwrapped = text
        .trim_start_matches("<!--")
        .trim_start_matches("//<![CDATA[")
        .trim_start_matches("<![CDATA[")
        .trim_end_matches("-->")
        .trim_end_matches("//]]>")
        .trim_end_matches("]]>")
        .trim()
        .trim_end_matches(';');
    // Control characters are whitespace outside strings and invalid inside them.
    let cleaned: String = unwrapped
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    serde_json::from_str::<Value>(&cleaned).ok()
}

fn flatten(value: Value, out: &mut Vec<Value>) {
    match value {
        Value::Array(items) => items.into_iter().for_each(|v| flatten(v, out)),
        Value::Object(mut map) => {
            if let Some(graph) = map.remove("@graph") {
                flatten(graph, out);
            }
            if !map.is_empty() {
                out.push(Value::Object(map));
            }
        }
        _ => {}
    }
}

/// How deep recipe instructions may nest (sections of steps of texts).
const MAX_STEP_DEPTH: usize = 4;

/// The texts of recipe instructions: a string, a `HowToStep` (`text`, else
/// `name`), a `HowToSection` or list of them (`itemListElement`), nested.
fn collect_steps(value: &Value, depth: usize, out: &mut Vec<String>) {
    if depth > MAX_STEP_DEPTH {
        return;
    }
    match value {
        Value::String(s) if !s.trim().is_empty() => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| collect_steps(v, depth + 1, out)),
        Value::Object(map) => {
            if let Some(items) = map.get("itemListElement") {
                collect_steps(items, depth + 1, out);
            } else if let Some(text) = map.get("text").or_else(|| map.get("name")) {
                collect_steps(text, depth + 1, out);
            }
        }
        _ => {}
    }
}

fn has_type(node: &Value, wanted: &str) -> bool {
    match node.get("@type") {
        Some(Value::String(t)) => t == wanted,
        Some(Value::Array(ts)) => ts.iter().any(|t| t.as_str() == Some(wanted)),
        _ => false,
    }
}

fn as_list(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    }
}

fn first_string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Array(items) => items.iter().find_map(first_string),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    #[test]
    fn forgives_raw_line_breaks_and_comment_wrappers() {
        let doc = Html::parse_document(
            "<script type='application/ld+json'><!--\n{\"@type\":\"Article\",\"articleBody\":\"a\nb\",\n\"datePublished\":\"2023-12-22\"};\n--></script>",
        );
        let ld = JsonLd::read(&Landmarks::new(&doc));
        assert_eq!(ld.str("datePublished").as_deref(), Some("2023-12-22"));
    }

    #[test]
    fn finds_the_article_in_a_graph_and_resolves_author_ids() {
        let doc = Html::parse_document(
            r##"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","@id":"#site","name":"Example"},
              {"@type":"Person","@id":"#p1","name":"Ann Lee"},
              {"@type":["NewsArticle"],"headline":"H &amp; T","author":[{"@id":"#p1"},{"@type":"Person","name":"Bo Ray"}],
               "datePublished":"2024-03-05T08:30:00-05:00","keywords":"a, b","image":{"@type":"ImageObject","url":"https://x.example/i.jpg"}}]}
            </script><script type="application/ld+json">{broken</script>"##,
        );
        let ld = JsonLd::read(&Landmarks::new(&doc));
        assert_eq!(ld.headline_and_name().0.as_deref(), Some("H &amp; T"));
        assert_eq!(ld.authors(), vec!["Ann Lee", "Bo Ray"]);
        assert_eq!(
            ld.str("datePublished").as_deref(),
            Some("2024-03-05T08:30:00-05:00")
        );
        assert_eq!(ld.keywords(), vec!["a", "b"]);
        assert_eq!(ld.image().as_deref(), Some("https://x.example/i.jpg"));
        assert_eq!(ld.publisher_name().as_deref(), Some("Example"));
    }

    #[test]
    fn one_person_object_may_name_several_authors() {
        let doc = Html::parse_document(
            r#"<script type="application/ld+json">{"@type":"NewsArticle","headline":"H",
              "author":{"@type":"Person","name":["Travis Andersen","Adam Sennott"]}}</script>"#,
        );
        let ld = JsonLd::read(&Landmarks::new(&doc));
        assert_eq!(ld.authors(), vec!["Travis Andersen", "Adam Sennott"]);
    }

    #[test]
    fn reads_recipe_ingredients_and_nested_steps() {
        let doc = Html::parse_document(
            r#"<script type="application/ld+json">{"@type":"Recipe","name":"Cookies",
              "recipeIngredient":["1 cup butter","2 eggs"],
              "recipeInstructions":[{"@type":"HowToSection","name":"Dough","itemListElement":[
                {"@type":"HowToStep","text":"Beat the butter."},{"@type":"HowToStep","text":"Add the eggs."}]},
                "Bake for 10 minutes."]}</script>"#,
        );
        let (ingredients, steps) = JsonLd::read(&Landmarks::new(&doc)).recipe();
        assert_eq!(ingredients, vec!["1 cup butter", "2 eggs"]);
        assert_eq!(
            steps,
            vec!["Beat the butter.", "Add the eggs.", "Bake for 10 minutes."]
        );
        let none = Html::parse_document("<p>No recipe here.</p>");
        assert_eq!(
            JsonLd::read(&Landmarks::new(&none)).recipe(),
            (Vec::new(), Vec::new())
        );
    }
}
