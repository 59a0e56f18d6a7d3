//! Minimal TrueType (`glyf`) reader and subsetter.
//!
//! [`Face::parse`] reads, once, everything that does not depend on the text
//! being drawn: table directory, `cmap` (format 4 / 12), `hmtx`, `loca`, the
//! PostScript name and the metrics a PDF font descriptor needs.
//!
//! [`Face::subset`] writes a small sfnt holding only the glyphs of a given
//! order (see [`Face::extend_order`]): outlines copied (composite component ids
//! remapped), TrueType hinting dropped (`fpgm`/`prep`/`cvt ` and per-glyph
//! instructions — PDF viewers rasterize without them), and only the tables a
//! PDF `CIDFontType2` program needs: `glyf head hhea hmtx loca maxp` plus a
//! 32-byte `post` v3. Glyph ids are renumbered densely; `/CIDToGIDMap
//! /Identity` then maps the content stream codes straight to them.

use std::collections::{BTreeSet, HashMap};

/// A parsed font face. Immutable after construction, so `Send + Sync`.
#[derive(Debug)]
pub(crate) struct Face {
    data: Vec<u8>,
    /// PostScript name (name ID 6), e.g. `DejaVuSans-Bold`.
    pub ps_name: String,
    pub units_per_em: u16,
    pub ascender: i16,
    pub descender: i16,
    pub bbox: [i16; 4],
    pub caret_slope_rise: i16,
    pub caret_slope_run: i16,
    pub weight_class: u16,
    cmap: HashMap<u32, u16>,
    /// (advance, lsb) per glyph id, expanded to `num_glyphs` entries.
    hmtx: Vec<(u16, i16)>,
    /// Byte range of each glyph inside the `glyf` table.
    glyph_ranges: Vec<(u32, u32)>,
    glyf_offset: usize,
    head: [u8; 54],
    hhea: [u8; 36],
    maxp: Vec<u8>,
    post_header: [u8; 32],
}

fn be16(d: &[u8], o: usize) -> Result<u16, String> {
    d.get(o..o + 2)
        .map(|b| u16::from_be_bytes([b[0], b[1]]))
        .ok_or_else(|| format!("font truncated at offset {o}"))
}
fn be32(d: &[u8], o: usize) -> Result<u32, String> {
    d.get(o..o + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| format!("font truncated at offset {o}"))
}

// Composite glyph flags (OpenType spec, 'glyf').
const ARG_1_AND_2_ARE_WORDS: u16 = 0x0001;
const WE_HAVE_A_SCALE: u16 = 0x0008;
const MORE_COMPONENTS: u16 = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE: u16 = 0x0040;
const WE_HAVE_A_TWO_BY_TWO: u16 = 0x0080;
const WE_HAVE_INSTRUCTIONS: u16 = 0x0100;

impl Face {
    pub fn parse(data: Vec<u8>) -> Result<Self, String> {
        let d = &data[..];
        let version = be32(d, 0)?;
        if version != 0x0001_0000 && version != u32::from_be_bytes(*b"true") {
            return Err(
                "not a TrueType (glyf) font; CFF/OTF and collections are not supported".into(),
            );
        }
        let num_tables = be16(d, 4)? as usize;
        let mut tables: HashMap<[u8; 4], (usize, usize)> = HashMap::new();
        for i in 0..num_tables {
            let rec = 12 + 16 * i;
            let tag: [u8; 4] = d
                .get(rec..rec + 4)
                .ok_or("truncated table directory")?
                .try_into()
                .unwrap();
            let off = be32(d, rec + 8)? as usize;
            let len = be32(d, rec + 12)? as usize;
            if off.checked_add(len).is_none_or(|e| e > d.len()) {
                return Err(format!(
                    "table {} out of bounds",
                    String::from_utf8_lossy(&tag)
                ));
            }
            tables.insert(tag, (off, len));
        }
        let table = |tag: &[u8; 4]| -> Result<&[u8], String> {
            tables
                .get(tag)
                .map(|&(o, l)| &d[o..o + l])
                .ok_or_else(|| format!("font has no '{}' table", String::from_utf8_lossy(tag)))
        };

        let head_t = table(b"head")?;
        let hhea_t = table(b"hhea")?;
        let maxp_t = table(b"maxp")?;
        let hmtx_t = table(b"hmtx")?;
        let loca_t = table(b"loca")?;
        let (glyf_offset, glyf_len) = *tables.get(b"glyf").ok_or("font has no 'glyf' table")?;
        let head: [u8; 54] = head_t.get(..54).ok_or("short head")?.try_into().unwrap();
        let hhea: [u8; 36] = hhea_t.get(..36).ok_or("short hhea")?.try_into().unwrap();

        let units_per_em = be16(head_t, 18)?;
        let bbox = [
            be16(head_t, 36)? as i16,
            be16(head_t, 38)? as i16,
            be16(head_t, 40)? as i16,
            be16(head_t, 42)? as i16,
        ];
        let long_loca = be16(head_t, 50)? != 0;
        let num_glyphs = be16(maxp_t, 4)? as usize;
        let n_hm = be16(hhea_t, 34)? as usize;
        if n_hm == 0 || n_hm > num_glyphs {
            return Err("bad numberOfHMetrics".into());
        }

        let mut hmtx = Vec::with_capacity(num_glyphs);
        for g in 0..num_glyphs {
            if g < n_hm {
                hmtx.push((be16(hmtx_t, 4 * g)?, be16(hmtx_t, 4 * g + 2)? as i16));
            } else {
                let adv = hmtx[n_hm - 1].0;
                hmtx.push((adv, be16(hmtx_t, 4 * n_hm + 2 * (g - n_hm))? as i16));
            }
        }

        let mut glyph_ranges = Vec::with_capacity(num_glyphs);
        let loca = |i: usize| -> Result<u32, String> {
            if long_loca {
                be32(loca_t, 4 * i)
            } else {
                Ok(be16(loca_t, 2 * i)? as u32 * 2)
            }
        };
        for g in 0..num_glyphs {
            let (s, e) = (loca(g)?, loca(g + 1)?);
            if s > e || e as usize > glyf_len {
                return Err(format!("bad loca entry for glyph {g}"));
            }
            glyph_ranges.push((s, e));
        }

        let mut post_header = [0u8; 32];
        if let Ok(p) = table(b"post") {
            let n = p.len().min(32);
            post_header[..n].copy_from_slice(&p[..n]);
        }
        post_header[..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());
        post_header[16..32].fill(0); // memory usage hints

        let weight_class = table(b"OS/2")
            .ok()
            .and_then(|t| be16(t, 4).ok())
            .unwrap_or(400);
        // Optional so that our own subsets (which have none) parse too.
        let cmap = match table(b"cmap") {
            Ok(t) => parse_cmap(t)?,
            Err(_) => HashMap::new(),
        };
        let ps_name = table(b"name")
            .ok()
            .and_then(parse_ps_name)
            .unwrap_or_else(|| "EmbeddedFont".to_string());

        Ok(Face {
            ps_name,
            units_per_em,
            ascender: be16(hhea_t, 4)? as i16,
            descender: be16(hhea_t, 6)? as i16,
            bbox,
            caret_slope_rise: be16(hhea_t, 18)? as i16,
            caret_slope_run: be16(hhea_t, 20)? as i16,
            weight_class,
            cmap,
            hmtx,
            glyph_ranges,
            glyf_offset,
            head,
            hhea,
            maxp: maxp_t.to_vec(),
            post_header,
            data,
        })
    }

    /// Glyph id for a character, `None` if the font has no glyph for it.
    #[inline]
    pub fn glyph(&self, c: char) -> Option<u16> {
        self.cmap.get(&(c as u32)).copied().filter(|&g| g != 0)
    }

    /// Advance width in font units.
    #[inline]
    pub fn advance(&self, gid: u16) -> u16 {
        self.hmtx.get(gid as usize).map_or(0, |m| m.0)
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

    fn glyph_data(&self, gid: u16) -> &[u8] {
        let (s, e) = self.glyph_ranges[gid as usize];
        &self.data[self.glyf_offset + s as usize..self.glyf_offset + e as usize]
    }

    /// Component glyph ids of a composite glyph (empty for simple glyphs).
    fn components(&self, gid: u16) -> Vec<u16> {
        let g = self.glyph_data(gid);
        let mut out = Vec::new();
        if g.len() < 10 || (be16(g, 0).unwrap_or(0) as i16) >= 0 {
            return out;
        }
        let mut p = 10;
        while let (Ok(flags), Ok(idx)) = (be16(g, p), be16(g, p + 2)) {
            out.push(idx);
            p += 4 + component_tail_len(flags);
            if flags & MORE_COMPONENTS == 0 {
                break;
            }
        }
        out
    }

    /// Glyph order for a subset: `base` (which must start with `.notdef` and be
    /// closed over composite components, e.g. a previous result of this
    /// function), then every glyph of `extra` not yet present, each followed by
    /// its composite components. The position in the order is the subset gid,
    /// so gids of `base` glyphs are stable.
    pub fn extend_order(&self, base: &[u16], extra: impl IntoIterator<Item = u16>) -> Vec<u16> {
        let mut order = if base.is_empty() {
            vec![0]
        } else {
            base.to_vec()
        };
        let mut seen: BTreeSet<u16> = order.iter().copied().collect();
        let mut work: Vec<u16> = Vec::new();
        for g in extra {
            work.push(g);
            while let Some(g) = work.pop() {
                if (g as usize) < self.glyph_ranges.len() && seen.insert(g) {
                    order.push(g);
                    work.extend(self.components(g).into_iter().rev());
                }
            }
        }
        order
    }

    /// Build the subset sfnt whose glyph `i` is original glyph `order[i]`
    /// (`order` from [`Face::extend_order`]).
    pub fn subset(&self, order: &[u16]) -> Result<Vec<u8>, String> {
        let new_gid: HashMap<u16, u16> = order
            .iter()
            .enumerate()
            .map(|(i, &g)| (g, i as u16))
            .collect();
        let all = order;
        let n = all.len();

        // glyf + loca offsets
        let mut glyf: Vec<u8> = Vec::with_capacity(n * 96);
        let mut offsets: Vec<u32> = Vec::with_capacity(n + 1);
        for &g in all {
            offsets.push(glyf.len() as u32);
            let src = self.glyph_data(g);
            if src.len() >= 10 {
                let nc = be16(src, 0)? as i16;
                if nc >= 0 {
                    // simple glyph: drop the instructions
                    let ins_pos = 10 + 2 * nc as usize;
                    let ins_len = be16(src, ins_pos)? as usize;
                    let rest = ins_pos + 2 + ins_len;
                    glyf.extend_from_slice(&src[..ins_pos]);
                    glyf.extend_from_slice(&[0, 0]);
                    glyf.extend_from_slice(src.get(rest..).ok_or("bad simple glyph")?);
                } else {
                    // composite: remap component ids, drop instructions
                    glyf.extend_from_slice(&src[..10]);
                    let mut p = 10;
                    loop {
                        let flags = be16(src, p)?;
                        let idx = be16(src, p + 2)?;
                        let tail = component_tail_len(flags);
                        let nf = flags & !WE_HAVE_INSTRUCTIONS;
                        glyf.extend_from_slice(&nf.to_be_bytes());
                        let ni = *new_gid.get(&idx).ok_or("component outside font")?;
                        glyf.extend_from_slice(&ni.to_be_bytes());
                        glyf.extend_from_slice(
                            src.get(p + 4..p + 4 + tail).ok_or("bad composite")?,
                        );
                        p += 4 + tail;
                        if flags & MORE_COMPONENTS == 0 {
                            break;
                        }
                    }
                }
            }
            if glyf.len() % 2 == 1 {
                glyf.push(0);
            }
        }
        offsets.push(glyf.len() as u32);
        let short_loca = glyf.len() / 2 <= u16::MAX as usize;
        let mut loca = Vec::with_capacity(offsets.len() * 4);
        for &o in &offsets {
            if short_loca {
                loca.extend_from_slice(&((o / 2) as u16).to_be_bytes());
            } else {
                loca.extend_from_slice(&o.to_be_bytes());
            }
        }

        let mut hmtx = Vec::with_capacity(n * 4);
        for &g in all {
            let (adv, lsb) = self.hmtx[g as usize];
            hmtx.extend_from_slice(&adv.to_be_bytes());
            hmtx.extend_from_slice(&lsb.to_be_bytes());
        }

        let mut head = self.head;
        head[8..12].fill(0); // checkSumAdjustment, fixed below
        head[50..52].copy_from_slice(&(if short_loca { 0u16 } else { 1u16 }).to_be_bytes());
        let mut hhea = self.hhea;
        hhea[34..36].copy_from_slice(&(n as u16).to_be_bytes());
        let mut maxp = self.maxp.clone();
        maxp[4..6].copy_from_slice(&(n as u16).to_be_bytes());
        if maxp.len() >= 28 {
            maxp[26..28].fill(0); // maxSizeOfInstructions: we removed them all
        }

        // Tables must be sorted by tag.
        let tables: [(&[u8; 4], &[u8]); 7] = [
            (b"glyf", &glyf),
            (b"head", &head),
            (b"hhea", &hhea),
            (b"hmtx", &hmtx),
            (b"loca", &loca),
            (b"maxp", &maxp),
            (b"post", &self.post_header),
        ];
        Ok(write_sfnt(&tables))
    }
}

fn component_tail_len(flags: u16) -> usize {
    let args = if flags & ARG_1_AND_2_ARE_WORDS != 0 {
        4
    } else {
        2
    };
    let transform = if flags & WE_HAVE_A_SCALE != 0 {
        2
    } else if flags & WE_HAVE_AN_X_AND_Y_SCALE != 0 {
        4
    } else if flags & WE_HAVE_A_TWO_BY_TWO != 0 {
        8
    } else {
        0
    };
    args + transform
}

fn checksum(data: &[u8]) -> u32 {
    let mut sum = 0u32;
    let mut chunks = data.chunks_exact(4);
    for c in &mut chunks {
        sum = sum.wrapping_add(u32::from_be_bytes([c[0], c[1], c[2], c[3]]));
    }
    let r = chunks.remainder();
    if !r.is_empty() {
        let mut last = [0u8; 4];
        last[..r.len()].copy_from_slice(r);
        sum = sum.wrapping_add(u32::from_be_bytes(last));
    }
    sum
}

fn write_sfnt(tables: &[(&[u8; 4], &[u8])]) -> Vec<u8> {
    let n = tables.len() as u16;
    let entry_selector = 15 - n.leading_zeros() as u16; // floor(log2(n))
    let search_range = (1u16 << entry_selector) * 16;
    let range_shift = n * 16 - search_range;
    let dir_len = 12 + 16 * tables.len();
    let total: usize = dir_len + tables.iter().map(|t| (t.1.len() + 3) & !3).sum::<usize>();
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for v in [n, search_range, entry_selector, range_shift] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = dir_len;
    let mut head_pos = None;
    for (tag, data) in tables {
        out.extend_from_slice(*tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        if *tag == b"head" {
            head_pos = Some(offset);
        }
        offset += (data.len() + 3) & !3;
    }
    for (_, data) in tables {
        out.extend_from_slice(data);
        out.resize((out.len() + 3) & !3, 0);
    }
    if let Some(h) = head_pos {
        let adj = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[h + 8..h + 12].copy_from_slice(&adj.to_be_bytes());
    }
    out
}

/// Unicode cmap: prefers format 12 (full Unicode), falls back to format 4 (BMP).
fn parse_cmap(t: &[u8]) -> Result<HashMap<u32, u16>, String> {
    let n = be16(t, 2)? as usize;
    let mut best: Option<(u8, usize)> = None; // (rank, offset)
    for i in 0..n {
        let rec = 4 + 8 * i;
        let (pid, eid, off) = (be16(t, rec)?, be16(t, rec + 2)?, be32(t, rec + 4)? as usize);
        let format = be16(t, off)?;
        let rank = match (pid, eid, format) {
            (3, 10, 12) | (0, 4, 12) | (0, 6, 12) => 3,
            (3, 1, 4) | (0, 3, 4) => 2,
            (0, _, 4) => 1,
            _ => 0,
        };
        if rank > 0 && best.is_none_or(|b| rank > b.0) {
            best = Some((rank, off));
        }
    }
    let (_, off) = best.ok_or("font has no Unicode cmap subtable")?;
    let s = &t[off..];
    let mut map = HashMap::new();
    match be16(s, 0)? {
        12 => {
            let groups = be32(s, 12)? as usize;
            for i in 0..groups {
                let g = 16 + 12 * i;
                let (start, end, gid) = (be32(s, g)?, be32(s, g + 4)?, be32(s, g + 8)?);
                if end < start || end > 0x10FFFF {
                    continue;
                }
                for (k, cp) in (start..=end).enumerate() {
                    map.insert(cp, (gid + k as u32) as u16);
                }
            }
        }
        4 => {
            let segx2 = be16(s, 6)? as usize;
            let ends = 14;
            let starts = ends + segx2 + 2;
            let deltas = starts + segx2;
            let ranges = deltas + segx2;
            for seg in 0..segx2 / 2 {
                let end = be16(s, ends + 2 * seg)?;
                let start = be16(s, starts + 2 * seg)?;
                let delta = be16(s, deltas + 2 * seg)?;
                let ro = be16(s, ranges + 2 * seg)? as usize;
                if start == 0xFFFF || end < start {
                    continue;
                }
                for cp in start..=end {
                    let gid = if ro == 0 {
                        cp.wrapping_add(delta)
                    } else {
                        let p = ranges + 2 * seg + ro + 2 * (cp - start) as usize;
                        match be16(s, p)? {
                            0 => 0,
                            g => g.wrapping_add(delta),
                        }
                    };
                    if gid != 0 {
                        map.insert(cp as u32, gid);
                    }
                }
            }
        }
        f => return Err(format!("unsupported cmap format {f}")),
    }
    Ok(map)
}

/// PostScript name (name ID 6) from the Windows (UTF-16BE) or Mac (Roman) record.
fn parse_ps_name(t: &[u8]) -> Option<String> {
    let count = be16(t, 2).ok()? as usize;
    let storage = be16(t, 4).ok()? as usize;
    for i in 0..count {
        let r = 6 + 12 * i;
        let (pid, nid) = (be16(t, r).ok()?, be16(t, r + 6).ok()?);
        if nid != 6 {
            continue;
        }
        let len = be16(t, r + 8).ok()? as usize;
        let off = storage + be16(t, r + 10).ok()? as usize;
        let raw = t.get(off..off + len)?;
        let name: String = if pid == 3 || pid == 0 {
            let units: Vec<u16> = raw
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        } else {
            raw.iter().map(|&b| b as char).collect()
        };
        // PDF names: keep it to printable ASCII without delimiters.
        let clean: String = name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if !clean.is_empty() {
            return Some(clean);
        }
    }
    None
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
    fn subset_round_trips() {
        let face = sans();
        assert_eq!(face.ps_name, "DejaVuSans");
        let chars = "Zoë Müller-Øberg Adébáyọ̀";
        let gids: Vec<u16> = chars.chars().map(|c| face.glyph(c).unwrap()).collect();
        let order = face.extend_order(&[], gids.iter().copied());
        assert_eq!(order[0], 0, ".notdef first");
        // composites (é, ë, ...) pull in their components
        let distinct: BTreeSet<u16> = gids.iter().copied().collect();
        assert!(
            order.len() > distinct.len() + 1,
            "components added: {order:?}"
        );
        let bytes = face.subset(&order).unwrap();
        assert!(bytes.len() < 12_000, "{} bytes", bytes.len());
        let sub = Face::parse(bytes.clone()).expect("subset parses");
        for (new, &old) in order.iter().enumerate() {
            assert_eq!(sub.advance(new as u16), face.advance(old));
        }
        // checkSumAdjustment makes the whole-font checksum 0xB1B0AFBA
        assert_eq!(checksum(&bytes), 0xB1B0_AFBA);
        // extending keeps the ids of the base glyphs
        let more = face.extend_order(&order, [face.glyph('\u{2603}').unwrap()]);
        assert_eq!(&more[..order.len()], &order[..]);
    }
}
