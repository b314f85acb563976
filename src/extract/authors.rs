//! Author names: from raw byline strings to a clean, de-duplicated list.
//!
//! Drops "By"/"Written by" prefixes, splits "A and B" and "A, B", and throws
//! away what is not a person's name: e-mail addresses, URLs, dates, roles,
//! the site's own name and CMS account names such as "admin".

use crate::normalize::clean_encoded_text;

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
    "columnist",
    "staff writer",
    "updated",
    "published",
    "posted",
    "min read",
    "comments",
];

const MAX_NAME_WORDS: usize = 6;

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
    let mut out = Vec::new();
    for part in s.split([',', ';', '&']) {
        for name in part
            .split(" and ")
            .flat_map(|p| p.split(" und "))
            .flat_map(|p| p.split(" et "))
        {
            let name = strip_prefix(name)
                .trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '\'' && c != '’')
                .trim();
            if !name.is_empty() {
                out.push(name.to_string());
            }
        }
    }
    out
}

fn is_name(name: &str, site_name: Option<&str>) -> bool {
    let lower = name.to_lowercase();
    let words = name.split_whitespace().count();
    words > 0
        && words <= MAX_NAME_WORDS
        && !name.contains('@')
        && !lower.starts_with("http")
        && !name.chars().any(|c| c.is_ascii_digit())
        && !ACCOUNT_NAMES.contains(&lower.as_str())
        && !ROLE_WORDS
            .iter()
            .any(|r| lower == *r || lower.starts_with(&format!("{r} ")))
        && site_name.is_none_or(|s| !s.eq_ignore_ascii_case(name))
        && name.chars().any(char::is_alphabetic)
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
    }

    #[test]
    fn drops_accounts_sites_addresses_and_duplicates() {
        assert_eq!(clean(&["admin"]), Vec::<String>::new());
        assert_eq!(clean(&["Newsfront"]), Vec::<String>::new());
        assert_eq!(clean(&["ann@newsfront.example"]), Vec::<String>::new());
        assert_eq!(clean(&["Ann Lee", "ann lee"]), vec!["Ann Lee"]);
        assert_eq!(clean(&["Byron Ray"]), vec!["Byron Ray"]);
    }
}
