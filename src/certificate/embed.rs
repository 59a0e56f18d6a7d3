//! Font subsets as embedded in the PDF, and their cache.
//!
//! Every face is embedded as a *base* subset — printable ASCII plus every
//! character of the fixed wording — which is identical in every certificate,
//! so it is built once and, after the renderer's start-up self-test, kept
//! compressed (`packed`): renders splice those bytes in instead of deflating
//! ~10 KB of font data each time. Characters outside the base (e.g. the ë of
//! "Zoë", the ọ̀ of "Adébáyọ̀") go to a second, tiny *extra* subset of the same
//! face under its own resource name; text runs switch fonts with `Tf`, which
//! does not move the pen. Extra subsets are cached per set of characters and
//! packed the same way after their first use.
//!
//! Packed and freshly deflated streams are byte-identical (same input, same
//! deflate), so caching never changes the output — the determinism tests check
//! cold and warm renderers against each other.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, OnceLock};

use printpdf::{FontMetrics, FontType, ParsedFont, PdfFontMetricsStub};

use super::font::Face;
use super::{Fnv, RenderError};

/// A stream body as it will appear in the file.
#[derive(Debug, Clone)]
pub(crate) struct StreamBytes {
    pub bytes: Vec<u8>,
    /// `true` if `bytes` is FlateDecode-compressed (then `/Filter` must say so).
    pub deflated: bool,
}

#[derive(Debug)]
pub(crate) struct Packed {
    pub program: StreamBytes,
    pub to_unicode: StreamBytes,
}

/// One subset of one face.
#[derive(Debug)]
pub(crate) struct FontVariant {
    /// Every character this subset can draw -> subset gid.
    pub char_gid: HashMap<char, u16>,
    /// The subset sfnt, uncompressed (printpdf takes these and writes `/Length1`).
    pub bytes: Vec<u8>,
    /// `/BaseFont`, e.g. `QWERTY+DejaVuSans`.
    pub name: String,
    /// ToUnicode CMap covering every character of the subset (uncompressed).
    pub to_unicode: Vec<u8>,
    /// Compressed streams, filled after the first document embedding this variant.
    pub packed: OnceLock<Packed>,
}

impl FontVariant {
    /// The subset of `face` drawing exactly `chars` (plus `.notdef`).
    pub fn new(face: &Face, chars: &BTreeSet<char>) -> Result<Self, RenderError> {
        let gids = gids_of(face, chars.iter().copied())?;
        let sub = face
            .subset(gids.iter().copied())
            .map_err(RenderError::Font)?;
        let char_gid: HashMap<char, u16> = chars
            .iter()
            .filter_map(|&c| Some((c, sub.remapper.get(face.glyph(c)?)?)))
            .collect();
        let name = format!("{}+{}", subset_tag(&face.ps_name, &gids), face.ps_name);
        let to_unicode = to_unicode_cmap(&char_gid);
        Ok(FontVariant {
            char_gid,
            bytes: sub.bytes,
            name,
            to_unicode,
            packed: OnceLock::new(),
        })
    }

    /// printpdf's `ParsedFont` (the plain struct it has without `text_layout`)
    /// for this subset: printpdf embeds `original_bytes` verbatim, encodes text
    /// through `codepoint_to_glyph` and writes `/W` from `glyph_widths`.
    pub fn parsed_font(&self, face: &Face, used: &BTreeSet<char>) -> ParsedFont {
        let mut codepoint_to_glyph = BTreeMap::new();
        let mut glyph_widths = BTreeMap::new();
        for &c in used {
            if let (Some(&gid), Some(orig)) = (self.char_gid.get(&c), face.glyph(c)) {
                codepoint_to_glyph.insert(c as u32, gid);
                glyph_widths.insert(gid, face.advance(orig));
            }
        }
        ParsedFont {
            original_bytes: self.bytes.clone(),
            font_index: 0,
            font_name: Some(self.name.clone()),
            codepoint_to_glyph,
            glyph_widths,
            units_per_em: face.units_per_em,
            font_metrics: FontMetrics {
                ascent: face.ascender,
                descent: face.descender,
            },
            font_type: FontType::TrueType,
            pdf_font_metrics: PdfFontMetricsStub {
                units_per_em: face.units_per_em,
                x_min: face.bbox[0],
                y_min: face.bbox[1],
                x_max: face.bbox[2],
                y_max: face.bbox[3],
                caret_slope_rise: face.caret_slope_rise,
                caret_slope_run: face.caret_slope_run,
                us_weight_class: face.weight_class,
            },
        }
    }
}

fn gids_of(face: &Face, chars: impl Iterator<Item = char>) -> Result<Vec<u16>, RenderError> {
    let mut gids = chars
        .map(|c| face.glyph(c).ok_or_else(|| RenderError::missing(c, "text")))
        .collect::<Result<Vec<u16>, _>>()?;
    gids.sort_unstable();
    gids.dedup();
    Ok(gids)
}

/// Subset tag (ISO 32000-1 §9.6.4): six capitals derived from the glyph set.
fn subset_tag(ps_name: &str, gids: &[u16]) -> String {
    let mut h = Fnv::new(0);
    h.write(ps_name.as_bytes());
    for g in gids {
        h.write(&g.to_be_bytes());
    }
    let mut v = h.finish();
    (0..6)
        .map(|_| {
            let c = (b'A' + (v % 26) as u8) as char;
            v /= 26;
            c
        })
        .collect()
}

/// A ToUnicode CMap (Adobe technical note #5411) mapping each subset gid to
/// its character (the smallest, if several characters share a glyph).
fn to_unicode_cmap(char_gid: &HashMap<char, u16>) -> Vec<u8> {
    let mut by_gid: BTreeMap<u16, char> = BTreeMap::new();
    for (&c, &g) in char_gid {
        by_gid
            .entry(g)
            .and_modify(|e| *e = (*e).min(c))
            .or_insert(c);
    }
    let mut s = String::with_capacity(128 + by_gid.len() * 16);
    s.push_str(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(u16, char)> = by_gid.into_iter().collect();
    for chunk in entries.chunks(100) {
        let _ = writeln!(s, "{} beginbfchar", chunk.len());
        for &(g, c) in chunk {
            let _ = write!(s, "<{g:04X}> <");
            for unit in c.encode_utf16(&mut [0u16; 2]) {
                let _ = write!(s, "{unit:04X}");
            }
            s.push_str(">\n");
        }
        s.push_str("endbfchar\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s.into_bytes()
}

/// Extra subsets, keyed by (face index, sorted extra characters).
/// Bounded: once full, new variants are still built and used, just not kept.
type VariantKey = (usize, Vec<char>);

pub(crate) struct VariantCache {
    map: Mutex<HashMap<VariantKey, Arc<FontVariant>>>,
}

const CACHE_CAPACITY: usize = 256;

impl VariantCache {
    pub fn new() -> Self {
        VariantCache {
            map: Mutex::new(HashMap::new()),
        }
    }

    pub fn get_or_build(
        &self,
        k: usize,
        face: &Face,
        extra: &BTreeSet<char>,
    ) -> Result<Arc<FontVariant>, RenderError> {
        let key = (k, extra.iter().copied().collect::<Vec<char>>());
        if let Some(v) = self.map.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
            return Ok(v.clone());
        }
        // Built outside the lock; a concurrent render may build the same
        // variant — identical bytes, first one in wins.
        let v = Arc::new(FontVariant::new(face, extra)?);
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() < CACHE_CAPACITY {
            return Ok(map.entry(key).or_insert(v).clone());
        }
        Ok(v)
    }
}
