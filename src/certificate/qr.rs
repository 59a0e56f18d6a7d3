//! QR code as vector rectangles.
//!
//! Dark modules are merged into horizontal runs, and identical runs on
//! consecutive rows are merged into taller rectangles, so a typical version-4
//! code becomes ~150 `re` operators. They are written in *module* units into a
//! small form XObject (`BBox [0 0 n n]`), which the page places with a `cm`
//! that scales it to size, so every coordinate in the stream is a small integer.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use printpdf::{
    DictItem, ExternalStream, ExternalXObject, Op, Pt, XObject, XObjectId, XObjectTransform,
};
use qrcode::canvas::{Canvas, Module};
use qrcode::{Color, EcLevel, bits, ec};

use super::RenderError;

/// A rectangle in module coordinates (x right, y down from the top-left module).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ModuleRect {
    pub x: u16,
    pub y: u16,
    pub w: u16,
    pub h: u16,
}

/// Encode `data` and return (modules per side, merged dark rectangles).
pub(crate) fn qr_rects(data: &str) -> Result<(usize, Vec<ModuleRect>), RenderError> {
    let (n, dark) = encode(data.as_bytes())?;
    Ok((n, merge_runs(n, &dark)))
}

/// Format information for error-correction level M and masks 0..=7
/// (ISO/IEC 18004 Table C.1; the same table qrcode 0.14 uses).
const FORMAT_M: [u16; 8] = [
    0x5412, 0x5125, 0x5e7c, 0x5b4b, 0x45f9, 0x40ce, 0x4f97, 0x4aa0,
];
/// Where the 15 format bits go (MSB first), twice; negative = from the far edge.
const FORMAT_MAIN: [(i16, i16); 15] = [
    (0, 8),
    (1, 8),
    (2, 8),
    (3, 8),
    (4, 8),
    (5, 8),
    (7, 8),
    (8, 8),
    (8, 7),
    (8, 5),
    (8, 4),
    (8, 3),
    (8, 2),
    (8, 1),
    (8, 0),
];
const FORMAT_SIDE: [(i16, i16); 15] = [
    (8, -1),
    (8, -2),
    (8, -3),
    (8, -4),
    (8, -5),
    (8, -6),
    (8, -7),
    (-8, 8),
    (-7, 8),
    (-6, 8),
    (-5, 8),
    (-4, 8),
    (-3, 8),
    (-2, 8),
    (-1, 8),
];

#[allow(clippy::manual_is_multiple_of)] // the formulas as ISO/IEC 18004 Table 10 writes them
fn mask_bit(mask: usize, x: usize, y: usize) -> bool {
    match mask {
        0 => (x + y) % 2 == 0,
        1 => y % 2 == 0,
        2 => x % 3 == 0,
        3 => (x + y) % 3 == 0,
        4 => ((y / 2) + (x / 3)) % 2 == 0,
        5 => (x * y) % 2 + (x * y) % 3 == 0,
        6 => ((x * y) % 2 + (x * y) % 3) % 2 == 0,
        _ => ((x + y) % 2 + (x * y) % 3) % 2 == 0,
    }
}

/// Same modules as `QrCode::with_error_correction_level(data, EcLevel::M)`
/// (checked in the tests), but faster: qrcode's mask selection clones the
/// canvas per mask and scores it with a boxed closure per module, which was a
/// third of the render time. Here the qrcode crate builds the unmasked symbol
/// (segmentation, Reed–Solomon, placement), and the 8 masks are applied and
/// scored in flat buffers with the same scoring rules.
pub(crate) fn encode(data: &[u8]) -> Result<(usize, Vec<bool>), RenderError> {
    let err = |e: qrcode::types::QrError| {
        RenderError::Pdf(format!("cannot encode verification URL as QR code: {e}"))
    };
    let bits = bits::encode_auto(data, EcLevel::M).map_err(err)?;
    let version = bits.version();
    let (codewords, ecc) =
        ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).map_err(err)?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&codewords, &ecc);
    let n = version.width() as usize;

    // (is_data, dark) per module, row-major.
    let mut base: Vec<(bool, bool)> = Vec::with_capacity(n * n);
    for y in 0..n as i16 {
        for x in 0..n as i16 {
            base.push(match canvas.get(x, y) {
                Module::Masked(c) => (false, c == Color::Dark),
                Module::Unmasked(c) => (true, c == Color::Dark),
                Module::Empty => (true, false),
            });
        }
    }
    let idx = |(x, y): (i16, i16)| {
        let w = n as i16;
        let (x, y) = (if x < 0 { x + w } else { x }, if y < 0 { y + w } else { y });
        y as usize * n + x as usize
    };

    if n <= 64 {
        return Ok((n, best_mask_bits(n, &base, idx)));
    }
    let mut best: Option<(u16, Vec<bool>)> = None;
    let mut cand = vec![false; n * n];
    for (mask, &format) in FORMAT_M.iter().enumerate() {
        for y in 0..n {
            for x in 0..n {
                let (is_data, dark) = base[y * n + x];
                cand[y * n + x] = if is_data {
                    dark ^ mask_bit(mask, x, y)
                } else {
                    dark
                };
            }
        }
        for (k, (&a, &b)) in FORMAT_MAIN.iter().zip(FORMAT_SIDE.iter()).enumerate() {
            let bit = format & (1 << (14 - k)) != 0;
            cand[idx(a)] = bit;
            cand[idx(b)] = bit;
        }
        cand[idx((8, -8))] = true; // the "dark module"
        let score = penalty(n, &cand);
        if best.as_ref().is_none_or(|b| score < b.0) {
            let prev = best.replace((score, cand));
            cand = prev.map_or_else(|| vec![false; n * n], |p| p.1);
        }
    }
    Ok((n, best.expect("eight masks").1))
}

/// Mask selection for symbols up to 64 modules wide (version ≤ 11, i.e. any
/// sensible verification URL): one `u64` per row/column, bit x = module x, and
/// branch-free penalty rules (module data is random, so a per-module branchy
/// scorer mispredicts constantly). Same scores as [`penalty`].
fn best_mask_bits(n: usize, base: &[(bool, bool)], idx: impl Fn((i16, i16)) -> usize) -> Vec<bool> {
    let mut data_rows = vec![0u64; n];
    let mut dark_rows = vec![0u64; n];
    for y in 0..n {
        for x in 0..n {
            let (is_data, dark) = base[y * n + x];
            data_rows[y] |= (is_data as u64) << x;
            dark_rows[y] |= (dark as u64) << x;
        }
    }
    let mut best: Option<(u16, Vec<u64>)> = None;
    let mut rows = vec![0u64; n];
    for (mask, &format) in FORMAT_M.iter().enumerate() {
        for y in 0..n {
            let mut m = 0u64;
            for x in 0..n {
                m |= (mask_bit(mask, x, y) as u64) << x;
            }
            rows[y] = dark_rows[y] ^ (data_rows[y] & m);
        }
        let mut put = |i: usize, dark: bool| {
            let (y, x) = (i / n, i % n);
            rows[y] = (rows[y] & !(1 << x)) | ((dark as u64) << x);
        };
        for (k, (&a, &b)) in FORMAT_MAIN.iter().zip(FORMAT_SIDE.iter()).enumerate() {
            let bit = format & (1 << (14 - k)) != 0;
            put(idx(a), bit);
            put(idx(b), bit);
        }
        put(idx((8, -8)), true);
        let score = penalty_bits(n, &rows);
        if best.as_ref().is_none_or(|b| score < b.0) {
            best = Some((score, rows.clone()));
        }
    }
    let rows = best.expect("eight masks").1;
    (0..n * n)
        .map(|i| rows[i / n] >> (i % n) & 1 == 1)
        .collect()
}

fn penalty_bits(n: usize, rows: &[u64]) -> u16 {
    let full = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
    let pairs = full >> 1; // x in 0..n-1 (module x and x+1)
    let windows = (1u64 << (n - 6)) - 1; // x in 0..=n-7
    let mut cols = vec![0u64; n];
    for (y, &r) in rows.iter().enumerate() {
        for (x, c) in cols.iter_mut().enumerate() {
            *c |= (r >> x & 1) << y;
        }
    }
    let mut total: u16 = 0;
    for lines in [rows, &cols[..]] {
        let (mut n1, mut n3) = (0u32, 0u32);
        for &r in lines {
            // N1: a run of L ≥ 5 equal modules is a block of L-1 ≥ 4 equal
            // neighbour pairs; it scores L-2 = (#4-pair windows) + 2.
            let same = !(r ^ (r >> 1)) & pairs;
            let c4 = same & (same >> 1) & (same >> 2) & (same >> 3);
            n1 += c4.count_ones() + 2 * (c4 & !(c4 << 1)).count_ones();
            // N3: 1011101 at x, without 4 light modules on one side.
            let m = r & !(r >> 1) & (r >> 2) & (r >> 3) & (r >> 4) & !(r >> 5) & (r >> 6) & windows;
            let left = (r << 1) | (r << 2) | (r << 3) | (r << 4);
            let right = (r >> 7) | (r >> 8) | (r >> 9) | (r >> 10);
            n3 += 40 * (m & !(left & right)).count_ones();
        }
        total = total
            .wrapping_add(n1 as u16)
            .wrapping_add((n3 as u16).wrapping_sub(360));
    }
    // N2: 2×2 blocks of one colour.
    let mut n2 = 0u32;
    for w in rows.windows(2) {
        let (r0, r1) = (w[0], w[1]);
        let v = !(r0 ^ r1);
        let h = !(r0 ^ (r0 >> 1));
        n2 += (h & v & (v >> 1) & pairs).count_ones();
    }
    // N4: balance.
    let dark: usize = rows.iter().map(|r| r.count_ones() as usize).sum();
    let ratio = dark * 200 / (n * n);
    total
        .wrapping_add((3 * n2) as u16)
        .wrapping_add(ratio.abs_diff(100) as u16)
}

/// QR penalty score (ISO/IEC 18004 §7.8.3), computed the way qrcode 0.14 does
/// it, including its u16 wrapping arithmetic and the `- 360` finder offset.
fn penalty(n: usize, dark: &[bool]) -> u16 {
    let mut transposed = vec![false; n * n];
    for y in 0..n {
        for x in 0..n {
            transposed[x * n + y] = dark[y * n + x];
        }
    }
    let mut total: u16 = 0;
    for grid in [dark, &transposed[..]] {
        let (mut n1, mut n3) = (0u16, 0u16);
        for row in grid.chunks_exact(n) {
            // N1: runs of 5+ same-coloured modules.
            let mut run = 1u16;
            for j in 1..=n {
                if j < n && row[j] == row[j - 1] {
                    run += 1;
                } else {
                    if run >= 5 {
                        n1 = n1.wrapping_add(run - 2);
                    }
                    run = 1;
                }
            }
            // N3: dark-light-dark×3-light-dark not flanked by 4 light modules on both sides.
            for j in 0..n - 6 {
                let w = &row[j..j + 7];
                if w[0] && !w[1] && w[2] && w[3] && w[4] && !w[5] && w[6] {
                    let left = row[j.saturating_sub(4)..j].iter().any(|d| *d);
                    let right = row[j + 7..(j + 11).min(n)].iter().any(|d| *d);
                    if !left || !right {
                        n3 = n3.wrapping_add(40);
                    }
                }
            }
        }
        total = total.wrapping_add(n1).wrapping_add(n3.wrapping_sub(360));
    }
    // N2: 2x2 blocks of one colour.
    let mut n2: u16 = 0;
    for y in 0..n - 1 {
        let (r0, r1) = (&dark[y * n..(y + 1) * n], &dark[(y + 1) * n..(y + 2) * n]);
        for x in 0..n - 1 {
            let c = r0[x];
            if r0[x + 1] == c && r1[x] == c && r1[x + 1] == c {
                n2 = n2.wrapping_add(3);
            }
        }
    }
    // N4: dark/light balance.
    let dark_count = dark.iter().filter(|d| **d).count();
    let ratio = dark_count * 200 / dark.len();
    total
        .wrapping_add(n2)
        .wrapping_add(ratio.abs_diff(100) as u16)
}

fn merge_runs(n: usize, dark: &[bool]) -> Vec<ModuleRect> {
    let mut done: Vec<ModuleRect> = Vec::new();
    // Rectangles still growing downwards, keyed by their x-span.
    let mut open: Vec<ModuleRect> = Vec::new();
    for y in 0..n {
        let row = &dark[y * n..(y + 1) * n];
        let mut runs: Vec<(u16, u16)> = Vec::new();
        let mut x = 0;
        while x < n {
            if row[x] {
                let start = x;
                while x < n && row[x] {
                    x += 1;
                }
                runs.push((start as u16, (x - start) as u16));
            } else {
                x += 1;
            }
        }
        let mut next_open = Vec::with_capacity(runs.len());
        for (rx, rw) in runs {
            if let Some(pos) = open.iter().position(|r| r.x == rx && r.w == rw) {
                let mut r = open.swap_remove(pos);
                r.h += 1;
                next_open.push(r);
            } else {
                next_open.push(ModuleRect {
                    x: rx,
                    y: y as u16,
                    w: rw,
                    h: 1,
                });
            }
        }
        done.append(&mut open);
        open = next_open;
    }
    done.append(&mut open);
    // Deterministic, stream-friendly order: top to bottom, left to right.
    done.sort_by_key(|r| (r.y, r.x));
    done
}

/// The QR code as a form XObject: one `re` per merged rectangle and a single
/// fill, in module units (`BBox [0 0 n n]`, y up). The content is written here
/// directly — integers only — rather than as ~200 printpdf `Op`s, which would
/// be serialized through float formatting one operator at a time.
pub(crate) fn qr_form(n: usize, rects: &[ModuleRect]) -> XObject {
    let mut content = String::with_capacity(rects.len() * 14 + 2);
    for r in rects {
        let y = n as u16 - r.y - r.h;
        let _ = writeln!(content, "{} {} {} {} re", r.x, y, r.w, r.h);
    }
    content.push_str("f\n");
    let int = |v: usize| DictItem::Int(v as i64);
    let dict = BTreeMap::from([
        ("Type".to_string(), DictItem::Name(b"XObject".to_vec())),
        ("Subtype".to_string(), DictItem::Name(b"Form".to_vec())),
        (
            "BBox".to_string(),
            DictItem::Array(vec![int(0), int(0), int(n), int(n)]),
        ),
    ]);
    XObject::External(ExternalXObject {
        stream: ExternalStream {
            dict,
            content: content.into_bytes(),
            compress: true,
        },
        width: None,
        height: None,
        dpi: None,
    })
}

/// Places the QR form: `size` pt square with its top-left corner at (`left`, `top`).
pub(crate) fn qr_use(id: &XObjectId, n: usize, left: f32, top: f32, size: f32) -> Op {
    let scale = size / n as f32;
    Op::UseXobject {
        id: id.clone(),
        transform: XObjectTransform {
            translate_x: Some(Pt(left)),
            translate_y: Some(Pt(top - size)),
            scale_x: Some(scale),
            scale_y: Some(scale),
            ..Default::default()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use qrcode::QrCode;

    #[test]
    fn same_modules_as_qrcode_crate() {
        for i in 0..70u32 {
            // up to ~380 bytes, so both the u64 path (≤ 64 modules) and the scalar path run
            let url = format!(
                "https://cssd.iwsd.example/api/v1/verify/{}",
                "K7q2M9x4T/".repeat(1 + (i % 35) as usize) + &i.to_string()
            );
            let reference =
                QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).unwrap();
            let (n, dark) = encode(url.as_bytes()).unwrap();
            assert_eq!(n, reference.width());
            let expect: Vec<bool> = reference
                .to_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect();
            assert_eq!(dark, expect, "{url}");
        }
    }

    #[test]
    fn runs_cover_exactly_the_dark_modules() {
        let (n, dark) = encode(b"https://x/api/v1/verify/ABC123").unwrap();
        let rects = merge_runs(n, &dark);
        let mut painted = vec![false; n * n];
        for r in &rects {
            for y in r.y..r.y + r.h {
                for x in r.x..r.x + r.w {
                    assert!(!painted[y as usize * n + x as usize], "overlap");
                    painted[y as usize * n + x as usize] = true;
                }
            }
        }
        assert_eq!(painted, dark);
        assert!(rects.len() < dark.iter().filter(|d| **d).count() / 2);
    }
}
