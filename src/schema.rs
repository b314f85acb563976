//! The article's JSON Schema (draft 2020-12), generated from the Rust types in [`crate::article`] with
//! schemars, so the schema and the JSON gleaner writes cannot drift apart. The generated schema is
//! committed at [`SCHEMA_PATH`] for downstream validators; a test proves the committed file equals
//! [`article_schema_json`], and `gleaner schema` prints it.
//!
//! On top of what schemars derives: `$id`, every property is `required` (gleaner always writes every
//! field, `null` when unknown), and unknown properties are rejected, so a validator catches any drift.

use schemars::transform::{Transform, transform_subschemas};
use schemars::{Schema, generate::SchemaSettings};

use crate::article::{Article, SCHEMA_VERSION};

/// Where the schema is committed, relative to the repository root.
pub const SCHEMA_PATH: &str = "schema/article.schema.json";

/// The schema's `$id`.
pub const SCHEMA_ID: &str = "https://github.com/gleaner/gleaner/schema/article.schema.json";

/// Marks every property of every object schema as required.
#[derive(Debug, Clone, Copy)]
struct AllRequired;

impl Transform for AllRequired {
    fn transform(&mut self, schema: &mut Schema) {
        if let Some(properties) = schema.get("properties").and_then(|p| p.as_object()) {
            let names: Vec<serde_json::Value> = properties
                .keys()
                .cloned()
                .map(serde_json::Value::from)
                .collect();
            schema.insert("required".into(), names.into());
        }
        transform_subschemas(self, schema);
    }
}

/// The article schema.
pub fn article_schema() -> Schema {
    let generator = SchemaSettings::draft2020_12()
        .with_transform(AllRequired)
        .into_generator();
    let mut schema = generator.into_root_schema_for::<Article>();
    schema.insert("$id".into(), SCHEMA_ID.into());
    schema.insert(
        "title".into(),
        format!("gleaner article ({SCHEMA_VERSION})").into(),
    );
    schema
}

/// The schema as committed: pretty JSON, two-space indent, trailing newline.
pub fn article_schema_json() -> String {
    let mut text = serde_json::to_string_pretty(&article_schema()).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_names_the_version_and_requires_every_field() {
        let schema = article_schema();
        let value = schema.as_value();
        assert_eq!(
            value["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert_eq!(value["properties"]["schema"]["const"], SCHEMA_VERSION);
        let required = value["required"].as_array().expect("required");
        assert!(required.iter().any(|r| r == "capture"));
        assert_eq!(
            required.len(),
            value["properties"].as_object().expect("properties").len()
        );
    }
}
