//! How many SMS segments a text takes (3GPP TS 23.038 and 23.040).
//!
//! A text entirely in the GSM 7-bit default alphabet goes as GSM-7: 160 septets in one
//! segment, 153 per segment once it needs more (the rest carries the concatenation header). The
//! characters of the extension table (`^ { } \ [ ~ ] | €` and form feed) take two septets each
//! (an escape and the character), and a pair is never split between segments. Anything else
//! (Shona and Ndebele are written in the Latin alphabet, but a curly quote or an emoji is not
//! GSM-7) sends the whole text as UCS-2: 70 UTF-16 units in one segment, 67 per segment after,
//! a surrogate pair never split.

/// The GSM 03.38 default alphabet (one septet each).
const BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/// The extension table (two septets each: the escape, then the character).
const EXTENSION: &str = "\u{c}^{}\\[~]|€";

/// The most segments a message of ours may take.
pub const MAX_SEGMENTS: u32 = 2;

/// The encoding a text goes out in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Gsm7,
    Ucs2,
}

/// A text's encoding and how many segments it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub encoding: Encoding,
    pub segments: u32,
}

/// The septets a character takes in GSM-7, or `None` when it is not in GSM-7.
fn septets(c: char) -> Option<u32> {
    if BASIC.contains(c) {
        Some(1)
    } else if EXTENSION.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// Packs units (each a width that may not be split) into segments of `single` when one
/// segment holds them all, else of `multi`.
fn pack(widths: &[u32], single: u32, multi: u32) -> u32 {
    let total: u32 = widths.iter().sum();
    if total == 0 {
        return 1;
    }
    if total <= single {
        return 1;
    }
    let mut segments = 1;
    let mut used = 0;
    for &w in widths {
        if used + w > multi {
            segments += 1;
            used = 0;
        }
        used += w;
    }
    segments
}

/// How `text` goes out: its encoding and number of segments.
pub fn count(text: &str) -> Count {
    let gsm: Option<Vec<u32>> = text.chars().map(septets).collect();
    match gsm {
        Some(widths) => Count {
            encoding: Encoding::Gsm7,
            segments: pack(&widths, 160, 153),
        },
        None => {
            let widths: Vec<u32> = text.chars().map(|c| c.len_utf16() as u32).collect();
            Count {
                encoding: Encoding::Ucs2,
                segments: pack(&widths, 70, 67),
            }
        }
    }
}

/// Whether `text` fits the [`MAX_SEGMENTS`] a message may take.
pub fn fits(text: &str) -> bool {
    count(text).segments <= MAX_SEGMENTS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_gsm7_with_160_then_153_per_segment() {
        assert_eq!(count(&"a".repeat(160)).segments, 1);
        assert_eq!(count(&"a".repeat(161)).segments, 2);
        assert_eq!(count(&"a".repeat(306)).segments, 2);
        assert_eq!(count(&"a".repeat(307)).segments, 3);
        assert_eq!(count("Mhoro Tendai").encoding, Encoding::Gsm7);
    }

    #[test]
    fn extension_characters_count_twice_and_are_never_split() {
        assert_eq!(count(&"€".repeat(80)).segments, 1);
        assert_eq!(count(&"€".repeat(81)).segments, 2);
        assert_eq!(count(&format!("{}€", "a".repeat(159))).segments, 2);
        // 152 septets, then a pair that would straddle the boundary: it moves whole.
        let text = format!("{}[{}", "a".repeat(152), "a".repeat(152));
        assert_eq!(count(&text).encoding, Encoding::Gsm7);
        assert_eq!(count(&text).segments, 3);
    }

    #[test]
    fn anything_outside_gsm7_sends_the_text_as_ucs2() {
        assert_eq!(count("Tendai’s seat").encoding, Encoding::Ucs2);
        assert_eq!(count(&"ŵ".repeat(70)).segments, 1);
        assert_eq!(count(&"ŵ".repeat(71)).segments, 2);
        assert_eq!(count(&"ŵ".repeat(134)).segments, 2);
        assert_eq!(count(&"ŵ".repeat(135)).segments, 3);
        // An emoji is two UTF-16 units.
        assert_eq!(count(&"😀".repeat(35)).segments, 1);
        assert_eq!(count(&"😀".repeat(36)).segments, 2);
    }
}
