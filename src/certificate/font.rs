//! Thin glue over maintained crates:
//!
//! * [`ttf_parser`] reads the font (cmap lookup, hmtx advances, head/hhea/OS/2
//!   metrics, PostScript name). The parsed `ttf_parser::Face` borrows the font
//!   bytes, so [`Face`] keeps both together with [`self_cell`].
//! * [`subsetter`] (typst's subsetter) writes the subset sfnt: it closes the
//!   glyph set over composite components, renumbers glyphs in the order of the
//!   [`GlyphRemapper`], and drops `cmap`, `OS/2`, layout tables etc. With
//!   `/CIDToGIDMap /Identity` the remapped glyph ids are the content-stream codes.
//! * [`write_fonts`] (with its `read_fonts` re-export) then removes what
//!   subsetter keeps but a PDF viewer never uses: TrueType hinting (`cvt `,
//!   `fpgm`, `prep` and the instructions inside every glyph — more than half
//!   of DejaVu's glyph data) and the `name` table (2 KB compressed per subset,
//!   mostly the licence text). Without this the PDF is ~45 KB instead of ~19.

use subsetter::GlyphRemapper;
use ttf_parser::GlyphId;

type TtfFace<'a> = ttf_parser::Face<'a>;

self_cell::self_cell!(
    /// The font bytes and the `ttf_parser::Face` borrowing them.
    struct Parsed {
        owner: Vec<u8>,
        #[covariant]
        dependent: TtfFace,
    }
);

/// A parsed TrueType face. Immutable after construction, so `Send + Sync`.
pub(crate) struct Face {
    parsed: Parsed,
    /// PostScript name (name ID 6), e.g. `DejaVuSans`, reduced to `[A-Za-z0-9-]`.
    pub ps_name: String,
    pub units_per_em: u16,
    /// `hhea` ascender / descender (what the PDF font descriptor gets).
    pub ascender: i16,
    pub descender: i16,
    /// `head` bounding box: x_min, y_min, x_max, y_max.
    pub bbox: [i16; 4],
    /// Caret slope as rise/run, derived from `post.italicAngle` (printpdf turns
    /// it back into `/ItalicAngle`).
    pub caret_slope_rise: i16,
    pub caret_slope_run: i16,
    pub weight_class: u16,
}

impl Face {
    pub fn parse(data: Vec<u8>) -> Result<Self, String> {
        let parsed = Parsed::try_new(data, |d| TtfFace::parse(d, 0)).map_err(|e| e.to_string())?;
        let f = parsed.borrow_dependent();
        if f.tables().glyf.is_none() {
            return Err(
                "not a TrueType (glyf) font; CFF/OTF and collections are not supported".into(),
            );
        }
        let ps_name = f
            .names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .filter_map(|n| n.to_string())
            // PDF names: keep it to printable ASCII without delimiters.
            .map(|s| {
                s.chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect()
            })
            .find(|s: &String| !s.is_empty())
            .unwrap_or_else(|| "EmbeddedFont".to_string());
        let b = f.global_bounding_box();
        let slant = f.italic_angle().to_radians().tan();
        Ok(Face {
            ps_name,
            units_per_em: f.units_per_em(),
            ascender: f.tables().hhea.ascender,
            descender: f.tables().hhea.descender,
            bbox: [b.x_min, b.y_min, b.x_max, b.y_max],
            caret_slope_rise: if slant == 0.0 { 1 } else { 1000 },
            caret_slope_run: (-1000.0 * slant).round() as i16,
            weight_class: f.weight().to_number(),
            parsed,
        })
    }

    fn ttf(&self) -> &TtfFace<'_> {
        self.parsed.borrow_dependent()
    }

    /// Glyph id for a character, `None` if the font has no glyph for it.
    #[inline]
    pub fn glyph(&self, c: char) -> Option<u16> {
        self.ttf().glyph_index(c).map(|g| g.0).filter(|&g| g != 0)
    }

    /// Advance width in font units.
    #[inline]
    pub fn advance(&self, gid: u16) -> u16 {
        self.ttf().glyph_hor_advance(GlyphId(gid)).unwrap_or(0)
    }

    /// Width of `text` in points at `size` (sum of hmtx advances; no kerning,
    /// which matches exactly how the PDF viewer advances with `/W`).
    pub fn text_width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| self.glyph(c).map_or(0, |g| self.advance(g) as u32))
            .sum();
        units as f32 * size / self.units_per_em as f32
    }

    /// The subset holding `.notdef` and `gids` (plus their composite
    /// components), numbered in the remapper's order. `remapper.get(old)` is
    /// the subset gid of an original glyph.
    pub fn subset(&self, gids: impl IntoIterator<Item = u16>) -> Result<Subset, String> {
        let mut remapper = GlyphRemapper::new();
        for g in gids {
            remapper.remap(g);
        }
        let err = |e: &dyn std::fmt::Display| format!("{}: subsetting failed: {e}", self.ps_name);
        let hinted =
            subsetter::subset(self.parsed.borrow_owner(), 0, &remapper).map_err(|e| err(&e))?;
        let bytes = strip_hinting(&hinted).map_err(|e| err(&e))?;
        Ok(Subset { bytes, remapper })
    }
}

/// Rebuilds a (subset) TrueType font without hinting: every glyph re-encoded
/// with empty instructions, `maxp.maxSizeOfInstructions` 0, and only the tables
/// a PDF `CIDFontType2` program needs (`glyf head hhea hmtx loca maxp post`).
/// write-fonts writes the table directory, checksums and `checkSumAdjustment`.
fn strip_hinting(font: &[u8]) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    use write_fonts::FontBuilder;
    use write_fonts::from_obj::{FromTableRef, ToOwnedTable};
    use write_fonts::read::types::{GlyphId as Gid, Tag};
    use write_fonts::read::{FontRef, TableProvider};
    use write_fonts::tables::glyf::{GlyfLocaBuilder, Glyph};
    use write_fonts::tables::{head::Head, maxp::Maxp};

    let font = FontRef::new(font)?;
    let (glyf, loca) = (font.glyf()?, font.loca(None)?);
    let mut glyphs = GlyfLocaBuilder::new();
    for gid in 0..loca.len() as u32 {
        let mut glyph = match loca.get_glyf(Gid::new(gid), &glyf)? {
            Some(g) => Glyph::from_table_ref(&g),
            None => Glyph::Empty,
        };
        match &mut glyph {
            Glyph::Simple(g) => g.instructions.clear(),
            Glyph::Composite(g) => g.set_instructions(&[]),
            Glyph::Empty => {}
        }
        glyphs.add_glyph(&glyph)?;
    }
    let (glyf, loca, loca_format) = glyphs.build();
    let mut head: Head = font.head()?.to_owned_table();
    head.index_to_loc_format = loca_format as i16;
    let mut maxp: Maxp = font.maxp()?.to_owned_table();
    if maxp.max_size_of_instructions.is_some() {
        maxp.max_size_of_instructions = Some(0);
    }
    let mut out = FontBuilder::new();
    out.add_table(&glyf)?
        .add_table(&loca)?
        .add_table(&head)?
        .add_table(&maxp)?;
    for tag in [b"hhea", b"hmtx", b"post"] {
        let tag = Tag::new(tag);
        let data = font.table_data(tag).ok_or(format!("no '{tag}' table"))?;
        out.add_raw(tag, data.as_bytes());
    }
    Ok(out.build())
}

pub(crate) struct Subset {
    pub bytes: Vec<u8>,
    pub remapper: GlyphRemapper,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sans() -> Face {
        let p =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fonts/DejaVuSans.ttf");
        Face::parse(std::fs::read(p).unwrap()).unwrap()
    }

    #[test]
    fn metrics_and_subset() {
        let face = sans();
        assert_eq!(face.ps_name, "DejaVuSans");
        assert_eq!(face.units_per_em, 2048);
        assert_eq!((face.caret_slope_rise, face.caret_slope_run), (1, 0));
        assert_eq!(face.weight_class, 400);
        let chars = "Zoë Müller-Øberg Adébáyọ̀";
        let mut gids: Vec<u16> = chars.chars().map(|c| face.glyph(c).unwrap()).collect();
        gids.sort_unstable();
        gids.dedup();
        let sub = face.subset(gids.iter().copied()).unwrap();
        // .notdef first, then the requested glyphs in order
        assert_eq!(sub.remapper.get(0), Some(0));
        for (i, &g) in gids.iter().enumerate() {
            assert_eq!(sub.remapper.get(g), Some(i as u16 + 1));
        }
        let parsed = ttf_parser::Face::parse(&sub.bytes, 0).expect("subset parses");
        // composites (é, ë, ...) pulled in their components
        assert!(parsed.number_of_glyphs() as usize > gids.len() + 1);
        for &g in &gids {
            let new = GlyphId(sub.remapper.get(g).unwrap());
            assert_eq!(parsed.glyph_hor_advance(new), Some(face.advance(g)));
        }
        // hinting and `name` are gone
        for tag in [b"cvt ", b"fpgm", b"prep", b"name", b"cmap"] {
            assert!(
                parsed
                    .raw_face()
                    .table(ttf_parser::Tag::from_bytes(tag))
                    .is_none()
            );
        }
        assert!(sub.bytes.len() < 6_000, "{} bytes", sub.bytes.len());
    }
}
