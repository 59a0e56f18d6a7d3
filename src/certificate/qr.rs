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
use qrcode::canvas::{Canvas, MaskPattern};
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

/// The symbol, built entirely by the qrcode crate's public API: segmentation
/// (`bits::encode_auto`), Reed–Solomon coding at level M
/// (`ec::construct_codewords`), placement (`Canvas`), and one *fixed* mask
/// pattern applied by `Canvas::apply_mask`, which also writes the format
/// information naming that mask. Returns (modules per side, dark flags
/// row-major).
///
/// Fixed mask, not `QrCode::with_error_correction_level`: that call picks the
/// best of the 8 masks by cloning the canvas and scoring it per mask, which
/// costs ~0.44 ms per code (release build) and put the median render at
/// 1.03–1.10 ms against the 1 ms budget; this path takes ~0.01 ms. Any mask
/// gives a valid symbol — decoders read the mask from the format information —
/// the penalty score only steers away from patterns that are harder to scan,
/// which matters little for a short URL printed in vector form
/// (`zbarimg` reads every sample; see `tests/render.rs`).
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
    canvas.apply_mask(MaskPattern::Checkerboard);
    let dark = canvas
        .into_colors()
        .into_iter()
        .map(|c| c == Color::Dark)
        .collect();
    Ok((version.width() as usize, dark))
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
