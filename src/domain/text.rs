//! Characters no text field may hold: control characters (line breaks only where a field is
//! meant to hold paragraphs), bidirectional overrides and isolates, which can make a name read
//! backwards (`Tendai \u{202E}fdp.exe`), zero-width and invisible characters, which make two
//! names that look the same differ, and line or paragraph separators.

use icu_properties::{
    CodePointMapData, CodePointSetData,
    props::{DefaultIgnorableCodePoint, GeneralCategory},
};

use super::FieldError;

/// Fields that hold paragraphs, where line breaks and tabs are allowed.
pub const MULTILINE_FIELDS: &[&str] = &["description", "most_useful", "suggestions", "reason"];

/// The first character of `value` that no text may hold, if any.
pub fn forbidden_char(value: &str, multiline: bool) -> Option<char> {
    value.chars().find(|&c| {
        let allowed_control = multiline && matches!(c, '\n' | '\r' | '\t');
        (c.is_control() && !allowed_control)
            || matches!(c,
                '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2060}'..='\u{2064}'
                | '\u{206A}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{00AD}'
                | '\u{2028}'
                | '\u{2029}')
    })
}

/// Whether `c` is kept out of names besides what [`forbidden_char`] refuses: by Unicode's
/// tables (from `icu_properties`), a default-ignorable code point (drawn as nothing: U+034F,
/// U+3164, U+180E, variation selectors, tag characters), a format character (`Cf`, such as
/// U+061C), or a code point not yet assigned. Two names that look the same must be the same.
pub fn invisible_in_names(c: char) -> bool {
    CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c)
        || matches!(
            CodePointMapData::<GeneralCategory>::new().get(c),
            GeneralCategory::Format | GeneralCategory::Unassigned
        )
}

/// The first character of the name `value` that a name may not hold, if any.
pub fn forbidden_name_char(value: &str) -> Option<char> {
    value
        .chars()
        .find(|&c| invisible_in_names(c) || forbidden_char(&c.to_string(), false).is_some())
}

/// Checks that the name `value` holds no forbidden character, naming the first one found.
pub fn check_name_chars(field: &str, value: &str) -> Result<(), FieldError> {
    match forbidden_name_char(value) {
        Some(c) => Err(FieldError::new(
            field,
            format!(
                "contains {}, which is not allowed in a name",
                describe_char(c)
            ),
        )),
        None => Ok(()),
    }
}

/// A regular expression (for the spec) matching exactly the names [`forbidden_name_char`]
/// accepts among the characters of the Basic Multilingual Plane, built from the same tables
/// (see [`pattern_refusing`]). Characters beyond U+FFFF cannot be written in a class without
/// ECMA's `u` flag, so the pattern lets them pass and the server's rule alone refuses the
/// unassigned and format ones among them.
pub fn name_pattern() -> &'static str {
    static PATTERN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PATTERN.get_or_init(|| pattern_refusing(|c| forbidden_name_char(&c.to_string()).is_some()))
}

/// The same for any other text ([`forbidden_char`]): exact over every code point, since no
/// character beyond U+FFFF is refused there.
pub fn text_pattern(multiline: bool) -> &'static str {
    static PATTERNS: [std::sync::OnceLock<String>; 2] =
        [std::sync::OnceLock::new(), std::sync::OnceLock::new()];
    PATTERNS[usize::from(multiline)]
        .get_or_init(|| pattern_refusing(|c| forbidden_char(&c.to_string(), multiline).is_some()))
}

/// The characters ECMA-262's `\s` matches: its WhiteSpace (with U+FEFF) and LineTerminator.
const ECMA_WHITESPACE: &[(u32, u32)] = &[
    (0x09, 0x0D),
    (0x20, 0x20),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
    (0xFEFF, 0xFEFF),
];

/// A pattern matching exactly the strings with no character of the Basic Multilingual Plane
/// that `refused` names, in the dialect of JSON Schema's `pattern` (ECMA-262), which Rust's
/// `regex` and Python's `re` read alike: `^(?:[^\s<refused>]|[<allowed spaces>])*$`.
///
/// The line and paragraph separators (U+2028, U+2029) are refused through `\s` rather than
/// written: a generator that prints the pattern as a regex literal (hey-api's zod plugin
/// writes every `\uXXXX` out as the character itself) would otherwise put a line terminator
/// inside the literal, which does not compile. The spaces a text may hold come back through
/// the second class. `\s` differs between the dialects only in U+0085 (Rust, Python) and
/// U+FEFF (ECMA), both refused here; the other characters are written `\uXXXX` (`\t`, `\n`,
/// `\r` for those three line-breaking ones).
pub fn pattern_refusing(refused: impl Fn(char) -> bool) -> String {
    let refused = |c: u32| char::from_u32(c).is_some_and(&refused);
    assert!(
        refused(0x85) && refused(0xFEFF) && refused(0x2028) && refused(0x2029),
        "the pattern relies on U+0085, U+FEFF and the separators being refused"
    );
    let written = |c: u32| refused(c) && !matches!(c, 0x2028 | 0x2029);
    let spaces = |c: u32| !refused(c) && ECMA_WHITESPACE.iter().any(|&(a, b)| (a..=b).contains(&c));
    format!("^(?:[^\\s{}]|[{}])*$", class_of(written), class_of(spaces))
}

/// The ranges of the BMP's code points for which `member` holds, as the inside of a class.
fn class_of(member: impl Fn(u32) -> bool) -> String {
    let escape = |c: u32| match c {
        0x09 => "\\t".to_string(),
        0x0A => "\\n".to_string(),
        0x0D => "\\r".to_string(),
        _ => format!("\\u{c:04X}"),
    };
    let mut class = String::new();
    let mut c = 0u32;
    while c <= 0xFFFF {
        if !member(c) {
            c += 1;
            continue;
        }
        let start = c;
        while c < 0xFFFF && member(c + 1) {
            c += 1;
        }
        class.push_str(&escape(start));
        if c > start {
            class.push('-');
            class.push_str(&escape(c));
        }
        c += 1;
    }
    class
}

/// The character as a person reading an error can identify it: `U+202E (right-to-left override)`.
pub fn describe_char(c: char) -> String {
    let name = match c {
        '\u{202A}' => "left-to-right embedding",
        '\u{202B}' => "right-to-left embedding",
        '\u{202C}' => "pop directional formatting",
        '\u{202D}' => "left-to-right override",
        '\u{202E}' => "right-to-left override",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        '\u{200B}' => "zero-width space",
        '\u{200C}' => "zero-width non-joiner",
        '\u{200D}' => "zero-width joiner",
        '\u{200E}' => "left-to-right mark",
        '\u{200F}' => "right-to-left mark",
        '\u{2060}' => "word joiner",
        '\u{FEFF}' => "zero-width no-break space",
        '\u{00AD}' => "soft hyphen",
        '\u{2028}' => "line separator",
        '\u{2029}' => "paragraph separator",
        '\n' => "line break",
        '\r' => "carriage return",
        '\t' => "tab",
        c if c.is_control() => "control character",
        c if CodePointMapData::<GeneralCategory>::new().get(c) == GeneralCategory::Unassigned => {
            "unassigned code point"
        }
        _ => "invisible formatting character",
    };
    format!("U+{:04X} ({name})", c as u32)
}

/// Checks that `value` holds no forbidden character, naming the first one found.
pub fn check_chars(field: &str, value: &str, multiline: bool) -> Result<(), FieldError> {
    match forbidden_char(value, multiline) {
        Some(c) => Err(FieldError::new(
            field,
            format!("contains {}, which is not allowed", describe_char(c)),
        )),
        None => Ok(()),
    }
}

/// Whether the field named by this path (`records[2].reason`) holds paragraphs.
pub fn is_multiline_field(path: &str) -> bool {
    let last = path.rsplit('.').next().unwrap_or(path);
    let last = last.split('[').next().unwrap_or(last);
    MULTILINE_FIELDS.contains(&last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_overrides_and_isolates_are_refused_by_name() {
        let err = check_chars("full_name", "Tendai \u{202E}fdp.exe", false).unwrap_err();
        assert_eq!(
            err.message,
            "contains U+202E (right-to-left override), which is not allowed"
        );
        for c in ['\u{202A}', '\u{202D}', '\u{2066}', '\u{2069}'] {
            assert_eq!(forbidden_char(&format!("a{c}b"), false), Some(c));
        }
    }

    #[test]
    fn zero_width_and_separators_are_refused() {
        for c in [
            '\u{200B}', '\u{200D}', '\u{200F}', '\u{2060}', '\u{FEFF}', '\u{2028}', '\u{2029}',
        ] {
            assert_eq!(forbidden_char(&format!("Zo{c}ë"), true), Some(c));
        }
    }

    #[test]
    fn names_refuse_invisible_format_and_unassigned_characters_by_their_unicode_properties() {
        for c in [
            '\u{061C}',
            '\u{034F}',
            '\u{3164}',
            '\u{180E}',
            '\u{E0001}',
            '\u{E0041}',
            '\u{E007F}',
            '\u{FE0F}',
            '\u{FE00}',
            '\u{E0100}',
            '\u{0378}',
            '\u{10FFFF}',
        ] {
            let name = format!("Tendai{c} Moyo");
            assert_eq!(forbidden_name_char(&name), Some(c), "U+{:04X}", c as u32);
            assert!(check_name_chars("full_name", &name).is_err());
        }
        for fine in [
            "Zoë Müller-Øberg",
            "Ngozi Okonkwo-Adébáyọ̀",
            "Nkosana Ndlovu",
            "محمد",
            "Łukasz",
        ] {
            assert_eq!(forbidden_name_char(fine), None, "{fine}");
        }
    }

    #[test]
    fn line_breaks_only_in_paragraph_fields() {
        assert_eq!(forbidden_char("a\nb", false), Some('\n'));
        assert_eq!(forbidden_char("a\r\nb\tc", true), None);
        assert_eq!(forbidden_char("a\u{7}b", true), Some('\u{7}'));
        assert!(is_multiline_field("description"));
        assert!(is_multiline_field("answers.suggestions"));
        assert!(!is_multiline_field("full_name"));
    }

    #[test]
    fn every_script_passes() {
        for name in [
            "Zoë Müller-Øberg",
            "Тендаи",
            "王小明",
            "Ngozi Adébáyọ̀",
            "تنداي",
        ] {
            assert_eq!(forbidden_char(name, false), None);
        }
    }
}
