//! Character rules: which characters XML 1.0 can carry, which ones AWS
//! accepts in session tags, and how text is escaped for XML.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// XML 1.0 `Char` production (§2.2). Rust `char` already excludes surrogates,
/// so what remains forbidden is C0 controls other than tab/LF/CR and U+FFFE/U+FFFF.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// The first character XML 1.0 cannot represent, if any.
pub fn first_non_xml_char(s: &str) -> Option<char> {
    s.chars().find(|&c| !is_xml_char(c))
}

/// AWS pattern for tag keys and values: `[\p{L}\p{Z}\p{N}_.:/=+\-@]`
/// (STS `Tag`, Identity Center `AccessControlAttribute`). The regex crate's
/// Unicode classes are used so the general categories match AWS exactly.
static TAG_TEXT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$").expect("static pattern"));

/// Whether one character is allowed in a session tag key or value.
pub fn is_tag_char(c: char) -> bool {
    if c.is_ascii() {
        // ASCII members of L, Z and N are exactly letters, digits and space.
        c.is_ascii_alphanumeric()
            || matches!(c, ' ' | '_' | '.' | ':' | '/' | '=' | '+' | '-' | '@')
    } else {
        let mut buf = [0u8; 4];
        TAG_TEXT.is_match(c.encode_utf8(&mut buf))
    }
}

/// The first character not allowed in a session tag, if any.
pub fn first_non_tag_char(s: &str) -> Option<char> {
    s.chars().find(|&c| !is_tag_char(c))
}

/// Escapes element text. `'` and `"` are escaped too although text does not
/// need it, so the same reading works whatever context the text is pasted
/// into. `\r` becomes a reference because XML parsers turn a literal CR into LF.
pub fn escape_text(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// Escapes an attribute value. Tab, LF and CR become references because
/// attribute-value normalization (XML 1.0 §3.3.3) turns literal ones into spaces.
pub fn escape_attribute(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

fn escape(s: &str, in_attribute: bool) -> Cow<'_, str> {
    let needs = |c: char| {
        matches!(c, '&' | '<' | '>' | '\'' | '"' | '\r')
            || (in_attribute && matches!(c, '\t' | '\n'))
    };
    if !s.chars().any(needs) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&apos;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#xD;"),
            '\t' if in_attribute => out.push_str("&#x9;"),
            '\n' if in_attribute => out.push_str("&#xA;"),
            other => out.push(other),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_char_boundaries() {
        for ok in [
            '\t',
            '\n',
            '\r',
            ' ',
            '\u{D7FF}',
            '\u{E000}',
            '\u{FFFD}',
            '\u{10000}',
            '\u{10FFFF}',
        ] {
            assert!(is_xml_char(ok), "{ok:?} should be allowed");
        }
        for bad in [
            '\0', '\u{1}', '\u{8}', '\u{B}', '\u{C}', '\u{1F}', '\u{FFFE}', '\u{FFFF}',
        ] {
            assert!(!is_xml_char(bad), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn tag_chars_follow_aws_classes() {
        // letters of any script, digits of any script, separators and the listed punctuation
        for ok in [
            'a', 'Z', 'é', 'Ж', '語', '5', '٣', ' ', '\u{3000}', '\u{2028}', '_', '.', ':', '/',
            '=', '+', '-', '@',
        ] {
            assert!(is_tag_char(ok), "{ok:?} should be allowed");
        }
        for bad in [
            '&', '<', '>', '\'', '"', '#', '*', ',', '!', '\t', '\n', '\u{7F}', '\u{301}', '😀',
        ] {
            assert!(!is_tag_char(bad), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn ascii_fast_path_agrees_with_the_aws_pattern() {
        for c in (0u8..=127).map(char::from) {
            let mut buf = [0u8; 4];
            assert_eq!(
                is_tag_char(c),
                TAG_TEXT.is_match(c.encode_utf8(&mut buf)),
                "{c:?}"
            );
        }
    }

    #[test]
    fn first_non_tag_char_reports_the_first_offender() {
        assert_eq!(first_non_tag_char("Cost Center"), None);
        assert_eq!(first_non_tag_char("R&D<x"), Some('&'));
        assert_eq!(first_non_tag_char(""), None);
    }

    #[test]
    fn escapes_markup_and_quotes_in_text_and_attributes() {
        assert_eq!(
            escape_text(r#"<a & 'b' "c">"#),
            "&lt;a &amp; &apos;b&apos; &quot;c&quot;&gt;"
        );
        assert_eq!(
            escape_attribute(r#"<a & 'b' "c">"#),
            "&lt;a &amp; &apos;b&apos; &quot;c&quot;&gt;"
        );
    }

    #[test]
    fn whitespace_survives_parser_normalization() {
        assert_eq!(escape_text("a\tb\nc\rd"), "a\tb\nc&#xD;d");
        assert_eq!(escape_attribute("a\tb\nc\rd"), "a&#x9;b&#xA;c&#xD;d");
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(escape_text("Engineering"), Cow::Borrowed(_)));
        assert!(matches!(escape_attribute("Engineering"), Cow::Borrowed(_)));
    }
}
