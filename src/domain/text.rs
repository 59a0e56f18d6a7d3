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
/// accepts among the characters of the Basic Multilingual Plane, built from the same tables:
/// one negated class of every refused range, written `\uXXXX`, which ECMA-262 (the dialect of
/// JSON Schema's `pattern`), Rust's `regex` and Python's `re` read alike. Characters beyond
/// U+FFFF cannot be written in a class without ECMA's `u` flag, so the pattern lets them pass
/// and the server's rule alone refuses the unassigned and format ones among them.
pub fn name_pattern() -> &'static str {
    static PATTERN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PATTERN.get_or_init(|| {
        let escape = |c: u32| format!("\\u{c:04X}");
        let refused = |c: u32| {
            char::from_u32(c).is_some_and(|c| forbidden_name_char(&c.to_string()).is_some())
        };
        let mut class = String::new();
        let mut c = 0u32;
        while c <= 0xFFFF {
            if !refused(c) {
                c += 1;
                continue;
            }
            let start = c;
            while c < 0xFFFF && refused(c + 1) {
                c += 1;
            }
            class.push_str(&escape(start));
            if c > start {
                class.push('-');
                class.push_str(&escape(c));
            }
            c += 1;
        }
        format!("^[^{class}]*$")
    })
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
