//! The WHATWG "prescan a byte stream to determine its encoding" algorithm: finds the encoding declared by a
//! `<meta charset>` or `<meta http-equiv="Content-Type" content="…charset=…">` in the first 1024 bytes,
//! skipping comments and other tags the way browsers do.
//!
//! Reference: <https://html.spec.whatwg.org/multipage/parsing.html#prescan-a-byte-stream-to-determine-its-encoding>

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252, X_USER_DEFINED};

/// How many leading bytes the prescan looks at.
pub(crate) const PRESCAN_LIMIT: usize = 1024;

/// The encoding declared by a `<meta>` element near the start of `bytes`, if any.
///
/// Per WHATWG, a declared UTF-16 encoding means UTF-8 (a page that could be read as ASCII to find the meta
/// cannot be UTF-16) and `x-user-defined` means windows-1252.
pub(crate) fn prescan(bytes: &[u8]) -> Option<&'static Encoding> {
    let bytes = &bytes[..bytes.len().min(PRESCAN_LIMIT)];
    let mut pos = 0;
    while pos < bytes.len() {
        let rest = &bytes[pos..];
        if rest.starts_with(b"<!--") {
            // The `-->` may share dashes with the opener, as in `<!-->`.
            pos += 2 + find(&rest[2..], b"-->")? + 2;
        } else if is_meta_open(rest) {
            pos += b"<meta ".len();
            if let Some(encoding) = meta_element(bytes, &mut pos) {
                return Some(encoding);
            }
        } else if is_tag_open(rest) {
            while pos < bytes.len() && !is_space(bytes[pos]) && bytes[pos] != b'>' {
                pos += 1;
            }
            while attribute(bytes, &mut pos).is_some() {}
        } else if rest.starts_with(b"<!") || rest.starts_with(b"</") || rest.starts_with(b"<?") {
            pos += 1 + find(&rest[1..], b">")?;
        }
        pos += 1;
    }
    None
}

/// Reads the attributes of a `<meta>` element and returns the encoding it declares, if it declares one.
fn meta_element(bytes: &[u8], pos: &mut usize) -> Option<&'static Encoding> {
    let mut seen: Vec<Vec<u8>> = Vec::new();
    let mut got_pragma = false;
    let mut need_pragma: Option<bool> = None;
    let mut charset: Option<&'static Encoding> = None;
    while let Some((name, value)) = attribute(bytes, pos) {
        if seen.contains(&name) {
            continue;
        }
        match name.as_slice() {
            b"http-equiv" => got_pragma |= value == b"content-type",
            b"content" if charset.is_none() => {
                if let Some(found) = charset_from_content(&value) {
                    charset = Some(found);
                    need_pragma = Some(true);
                }
            }
            b"charset" => {
                charset = Encoding::for_label(&value);
                need_pragma = Some(false);
            }
            _ => {}
        }
        seen.push(name);
    }
    match need_pragma? {
        true if !got_pragma => None,
        _ => charset.map(|found| match found {
            e if e == UTF_16BE || e == UTF_16LE => UTF_8,
            e if e == X_USER_DEFINED => WINDOWS_1252,
            e => e,
        }),
    }
}

/// The WHATWG "get an attribute" step: the next lower-cased `(name, value)` pair, or `None` at `>` or the end.
fn attribute(bytes: &[u8], pos: &mut usize) -> Option<(Vec<u8>, Vec<u8>)> {
    while *pos < bytes.len() && (is_space(bytes[*pos]) || bytes[*pos] == b'/') {
        *pos += 1;
    }
    if *bytes.get(*pos)? == b'>' {
        return None;
    }
    let mut name = Vec::new();
    loop {
        match *bytes.get(*pos)? {
            b'=' if !name.is_empty() => break,
            b if is_space(b) => {
                skip_spaces(bytes, pos);
                if bytes.get(*pos) != Some(&b'=') {
                    return Some((name, Vec::new()));
                }
                break;
            }
            b'/' | b'>' => return Some((name, Vec::new())),
            b => name.push(b.to_ascii_lowercase()),
        }
        *pos += 1;
    }
    *pos += 1; // past '='
    skip_spaces(bytes, pos);
    let mut value = Vec::new();
    match *bytes.get(*pos)? {
        quote @ (b'"' | b'\'') => loop {
            *pos += 1;
            match *bytes.get(*pos)? {
                b if b == quote => {
                    *pos += 1;
                    return Some((name, value));
                }
                b => value.push(b.to_ascii_lowercase()),
            }
        },
        b'>' => Some((name, value)),
        _ => loop {
            match *bytes.get(*pos)? {
                b if is_space(b) || b == b'>' => return Some((name, value)),
                b => value.push(b.to_ascii_lowercase()),
            }
            *pos += 1;
        },
    }
}

/// The WHATWG "extract a character encoding from a meta element" step, on an already lower-cased `content`.
fn charset_from_content(content: &[u8]) -> Option<&'static Encoding> {
    let mut pos = 0;
    loop {
        pos += find(&content[pos..], b"charset")? + b"charset".len();
        skip_spaces(content, &mut pos);
        if content.get(pos) == Some(&b'=') {
            break;
        }
    }
    pos += 1;
    skip_spaces(content, &mut pos);
    let rest = &content[pos..];
    let label = match rest.first()? {
        quote @ (b'"' | b'\'') => &rest[1..1 + find(&rest[1..], &[*quote])?],
        _ => {
            let end = rest.iter().position(|&b| is_space(b) || b == b';');
            &rest[..end.unwrap_or(rest.len())]
        }
    };
    Encoding::for_label(label)
}

fn is_meta_open(rest: &[u8]) -> bool {
    rest.len() >= 6
        && rest[..5].eq_ignore_ascii_case(b"<meta")
        && (is_space(rest[5]) || rest[5] == b'/')
}

fn is_tag_open(rest: &[u8]) -> bool {
    match rest {
        [b'<', b'/', c, ..] | [b'<', c, ..] => c.is_ascii_alphabetic(),
        _ => false,
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0C | b'\r' | b' ')
}

fn skip_spaces(bytes: &[u8], pos: &mut usize) {
    while bytes.get(*pos).is_some_and(|&b| is_space(b)) {
        *pos += 1;
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{SHIFT_JIS, WINDOWS_1251};

    #[test]
    fn finds_meta_charset_in_any_quoting() {
        assert_eq!(prescan(b"<meta charset=windows-1252>"), Some(WINDOWS_1252));
        assert_eq!(prescan(b"<META CHARSET='Shift_JIS'/>"), Some(SHIFT_JIS));
        assert_eq!(prescan(b"<head><meta  charset = \"utf-8\" >"), Some(UTF_8));
    }

    #[test]
    fn http_equiv_needs_the_pragma() {
        let with = br#"<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">"#;
        let reversed =
            br#"<meta content='text/html;charset="windows-1251"' http-equiv=content-type>"#;
        let without = br#"<meta content="text/html; charset=windows-1251">"#;
        assert_eq!(prescan(with), Some(WINDOWS_1251));
        assert_eq!(prescan(reversed), Some(WINDOWS_1251));
        assert_eq!(prescan(without), None);
    }

    #[test]
    fn applies_whatwg_overrides() {
        assert_eq!(prescan(b"<meta charset=utf-16le>"), Some(UTF_8));
        assert_eq!(
            prescan(b"<meta charset=x-user-defined>"),
            Some(WINDOWS_1252)
        );
    }

    #[test]
    fn skips_comments_other_tags_and_unknown_labels() {
        assert_eq!(
            prescan(b"<!-- <meta charset=koi8-r> --><meta charset=utf-8>"),
            Some(UTF_8)
        );
        assert_eq!(
            prescan(b"<div title='<meta charset=koi8-r>'><meta charset=utf-8>"),
            Some(UTF_8)
        );
        assert_eq!(
            prescan(b"<meta charset=no-such-thing><meta charset=utf-8>"),
            Some(UTF_8)
        );
        assert_eq!(prescan(b"<metal charset=koi8-r>"), None);
    }

    #[test]
    fn only_looks_at_the_first_kilobyte() {
        let mut page = vec![b' '; PRESCAN_LIMIT];
        page.extend_from_slice(b"<meta charset=windows-1252>");
        assert_eq!(prescan(&page), None);
    }

    #[test]
    fn truncated_input_is_not_an_error() {
        assert_eq!(prescan(b"<meta charset=\"windows-12"), None);
        assert_eq!(prescan(b"<!-- never closed <meta charset=utf-8>"), None);
    }
}
