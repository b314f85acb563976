//! Turning the bytes of an HTML page into text: picks the encoding in WHATWG order (byte order mark →
//! `Content-Type` charset → `<meta>` prescan → statistical detection) and remembers which step decided,
//! so reports and article metadata can say how sure we were. Decoding never fails: malformed sequences
//! become U+FFFD.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8};

use super::prescan::prescan;

/// Which step of the sniffing order chose the encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CharsetSource {
    /// A UTF-8 or UTF-16 byte order mark.
    Bom,
    /// The `charset=` parameter of the `Content-Type` header.
    Header,
    /// A `<meta charset>` or `<meta http-equiv="Content-Type">` in the first 1024 bytes.
    Meta,
    /// Nothing was declared; chardetng guessed from the bytes.
    Detected,
    /// The body was empty; UTF-8 by convention.
    Default,
}

impl CharsetSource {
    /// A short stable name for reports and article metadata.
    pub fn as_str(self) -> &'static str {
        match self {
            CharsetSource::Bom => "bom",
            CharsetSource::Header => "header",
            CharsetSource::Meta => "meta",
            CharsetSource::Detected => "detected",
            CharsetSource::Default => "default",
        }
    }
}

impl std::fmt::Display for CharsetSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A decoded page: the text (without a byte order mark), the encoding used and how it was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    pub source: CharsetSource,
}

/// Decodes an HTML body, given the response's `Content-Type` header if there was one.
pub fn decode_html(bytes: &[u8], content_type: Option<&str>) -> Decoded {
    let (encoding, source, body) = sniff(bytes, content_type);
    let (text, _had_errors) = encoding.decode_without_bom_handling(body);
    Decoded {
        text: text.into_owned(),
        encoding,
        source,
    }
}

/// Chooses the encoding; returns the body with any byte order mark removed.
fn sniff<'a>(
    bytes: &'a [u8],
    content_type: Option<&str>,
) -> (&'static Encoding, CharsetSource, &'a [u8]) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return (encoding, CharsetSource::Bom, &bytes[bom_len..]);
    }
    if let Some(encoding) = content_type.and_then(header_charset) {
        return overrule_mislabel(encoding, CharsetSource::Header, bytes);
    }
    if let Some(encoding) = prescan(bytes) {
        return overrule_mislabel(encoding, CharsetSource::Meta, bytes);
    }
    if bytes.is_empty() {
        return (UTF_8, CharsetSource::Default, bytes);
    }
    // Valid UTF-8 is what chardetng would answer for any page with non-ASCII
    // text (and pure ASCII decodes the same either way); checking it first
    // saves running the detector over most of today's pages.
    if std::str::from_utf8(bytes).is_ok() {
        return (UTF_8, CharsetSource::Detected, bytes);
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, Utf8Detection::Allow);
    (guess, CharsetSource::Detected, bytes)
}

/// A declared legacy charset on bytes that are valid UTF-8 with non-ASCII text
/// is a mislabel (a server default such as ISO-8859-1, a copied template):
/// multi-byte UTF-8 sequences do not occur by chance in legacy-encoded text, so
/// such a page is read as UTF-8 and reported as `detected`. This departs from
/// the WHATWG order, which would produce mojibake.
fn overrule_mislabel<'a>(
    declared: &'static Encoding,
    source: CharsetSource,
    bytes: &'a [u8],
) -> (&'static Encoding, CharsetSource, &'a [u8]) {
    if declared != UTF_8
        && declared.is_ascii_compatible()
        && !bytes.is_ascii()
        && std::str::from_utf8(bytes).is_ok()
    {
        return (UTF_8, CharsetSource::Detected, bytes);
    }
    (declared, source, bytes)
}

/// The encoding named by the `charset` parameter of a `Content-Type` value, if it names a known one.
pub(crate) fn header_charset(content_type: &str) -> Option<&'static Encoding> {
    content_type
        .split(';')
        .skip(1)
        .filter_map(|param| param.split_once('='))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("charset"))
        .and_then(|(_, value)| Encoding::for_label(value.trim().trim_matches('"').as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{UTF_16LE, WINDOWS_1252};

    #[test]
    fn utf8_mislabelled_as_a_legacy_charset_is_read_as_utf8() {
        let page = "<meta charset=gb2312><p>人工智能迈上新台阶 — café</p>".as_bytes();
        let decoded = decode_html(page, None);
        assert_eq!(
            (decoded.encoding, decoded.source),
            (UTF_8, CharsetSource::Detected)
        );
        assert!(decoded.text.contains("人工智能"));
        let decoded = decode_html(page, Some("text/html; charset=ISO-8859-1"));
        assert_eq!(decoded.encoding, UTF_8);
        // Real windows-1252 bytes are not valid UTF-8: the label stands.
        let latin = b"<meta charset=windows-1252><p>caf\xe9</p>";
        let decoded = decode_html(latin, None);
        assert_eq!(
            (decoded.encoding, decoded.source),
            (WINDOWS_1252, CharsetSource::Meta)
        );
        // Plain ASCII keeps its label: nothing to decide.
        let ascii = decode_html(b"<meta charset=windows-1252><p>cafe</p>", None);
        assert_eq!(ascii.source, CharsetSource::Meta);
    }

    #[test]
    fn empty_input_is_the_only_default() {
        let decoded = decode_html(b"", None);
        assert_eq!(
            (decoded.encoding, decoded.source),
            (UTF_8, CharsetSource::Default)
        );
        let ascii = decode_html(b"<p>plain</p>", None);
        assert_eq!(ascii.source, CharsetSource::Detected);
        assert_eq!(ascii.text, "<p>plain</p>");
    }

    #[test]
    fn bom_wins_and_is_stripped() {
        let utf16: Vec<u8> = [0xFF, 0xFE, b'<', 0, b'p', 0, 0xE9, 0].to_vec();
        let decoded = decode_html(&utf16, Some("text/html; charset=windows-1252"));
        assert_eq!(
            (decoded.encoding, decoded.source),
            (UTF_16LE, CharsetSource::Bom)
        );
        assert_eq!(decoded.text, "<pé");
    }

    #[test]
    fn header_parameter_parsing() {
        assert_eq!(
            header_charset("text/html; Charset=\"Windows-1252\""),
            Some(WINDOWS_1252)
        );
        assert_eq!(
            header_charset("text/html;foo=bar; charset=latin1"),
            Some(WINDOWS_1252)
        );
        assert_eq!(header_charset("text/html; charset=bogus"), None);
        assert_eq!(header_charset("text/html"), None);
    }

    #[test]
    fn malformed_bytes_become_replacement_characters() {
        let decoded = decode_html(b"<p>\xFF\xFE\xFD</p>", Some("text/html; charset=utf-8"));
        assert_eq!(decoded.text, "<p>\u{FFFD}\u{FFFD}\u{FFFD}</p>");
    }
}
