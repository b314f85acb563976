//! Duplicate detection for articles: which content hashes and which canonical URLs already have an
//! article file. Seeded at the start of a run from the state (every article written by earlier runs),
//! then claimed by workers as they write, under a mutex, so two workers never write the same content
//! or the same canonical URL twice.

use std::collections::HashMap;

/// Which content and canonical URLs already have an article file.
#[derive(Debug, Default)]
pub(crate) struct Dedup {
    /// Content hash → canonical URL of the article holding it.
    by_hash: HashMap<String, String>,
    /// Canonical URL → URL that wrote it, this run.
    written: HashMap<String, String>,
}

impl Dedup {
    pub fn new(known: Vec<(String, String)>) -> Dedup {
        Dedup {
            by_hash: known.into_iter().collect(),
            written: HashMap::new(),
        }
    }

    /// Claims `hash` and `canonical` for `url`; returns the URL already holding either.
    pub(crate) fn claim(
        &mut self,
        hash: &str,
        canonical: &str,
        url: &str,
        old_hash: Option<&str>,
    ) -> Result<(), String> {
        if let Some(owner) = self.by_hash.get(hash).filter(|owner| *owner != canonical) {
            return Err(owner.clone());
        }
        if let Some(writer) = self.written.get(canonical).filter(|writer| *writer != url) {
            return Err(writer.clone());
        }
        if let Some(old) = old_hash.filter(|old| *old != hash) {
            if self
                .by_hash
                .get(old)
                .is_some_and(|owner| owner == canonical)
            {
                self.by_hash.remove(old);
            }
        }
        self.by_hash.insert(hash.to_string(), canonical.to_string());
        self.written.insert(canonical.to_string(), url.to_string());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_and_canonical_urls_are_claimed_once() {
        let mut d = Dedup::new(vec![("h-old".into(), "http://a.test/old".into())]);
        assert_eq!(
            d.claim("h-old", "http://a.test/new", "http://a.test/new", None),
            Err("http://a.test/old".into())
        );
        assert_eq!(
            d.claim("h1", "http://a.test/a", "http://a.test/a", None),
            Ok(())
        );
        // The same page again (a rewrite) is fine; another URL naming it canonical is a duplicate.
        assert_eq!(
            d.claim("h1", "http://a.test/a", "http://a.test/a", None),
            Ok(())
        );
        assert_eq!(
            d.claim("h2", "http://a.test/a", "http://a.test/amp", None),
            Err("http://a.test/a".into())
        );
        // A changed article releases its old hash.
        assert_eq!(
            d.claim("h3", "http://a.test/a", "http://a.test/a", Some("h1")),
            Ok(())
        );
        assert_eq!(
            d.claim("h1", "http://a.test/b", "http://a.test/b", None),
            Ok(())
        );
    }
}
