//! The IWSD certificate mark: a water drop with two white waves, drawn with
//! vector operators (no image, no SVG feature). `assets/logo/iwsd-logo.svg` is a
//! human-viewable copy of the same path data.
//!
//! Design units: a 100 × 130 box, origin bottom-left, y up (PDF orientation).

use printpdf::{
    Color, CurTransMat, Line, LineCapStyle, LinePoint, Op, PaintMode, Point, Polygon, PolygonRing,
    Pt, Rgb, WindingOrder,
};

pub(crate) const LOGO_W: f32 = 100.0;
pub(crate) const LOGO_H: f32 = 130.0;

/// Drop outline: (x, y, is_bezier_control_point).
const DROP: &[(f32, f32, bool)] = &[
    (50.0, 130.0, false),
    (62.0, 108.0, true),
    (95.0, 80.0, true),
    (95.0, 45.0, false),
    (95.0, 20.15, true),
    (74.85, 0.0, true),
    (50.0, 0.0, false),
    (25.15, 0.0, true),
    (5.0, 20.15, true),
    (5.0, 45.0, false),
    (5.0, 80.0, true),
    (38.0, 108.0, true),
    (50.0, 130.0, false),
];

/// Two waves, each one cubic segment pair.
const WAVES: &[&[(f32, f32, bool)]] = &[
    &[
        (17.0, 50.0, false),
        (28.0, 60.0, true),
        (39.0, 60.0, true),
        (50.0, 50.0, false),
        (61.0, 40.0, true),
        (72.0, 40.0, true),
        (83.0, 50.0, false),
    ],
    &[
        (22.0, 30.0, false),
        (31.0, 38.0, true),
        (41.0, 38.0, true),
        (50.0, 30.0, false),
        (59.0, 22.0, true),
        (69.0, 22.0, true),
        (78.0, 30.0, false),
    ],
];

fn pts(p: &[(f32, f32, bool)]) -> Vec<LinePoint> {
    p.iter()
        .map(|&(x, y, bezier)| LinePoint {
            p: Point { x: Pt(x), y: Pt(y) },
            bezier,
        })
        .collect()
}

/// Ops drawing the logo with its bottom-left corner at (x, y) and the given height in pt.
pub(crate) fn logo_ops(x: f32, y: f32, height: f32, drop: Color, ops: &mut Vec<Op>) {
    let s = height / LOGO_H;
    ops.push(Op::SaveGraphicsState);
    ops.push(Op::SetTransformationMatrix {
        matrix: CurTransMat::Raw([s, 0.0, 0.0, s, x, y]),
    });
    ops.push(Op::SetFillColor { col: drop });
    ops.push(Op::DrawPolygon {
        polygon: Polygon {
            rings: vec![PolygonRing { points: pts(DROP) }],
            mode: PaintMode::Fill,
            winding_order: WindingOrder::NonZero,
        },
    });
    ops.push(Op::SetOutlineColor {
        col: Color::Rgb(Rgb::new(1.0, 1.0, 1.0, None)),
    });
    ops.push(Op::SetOutlineThickness { pt: Pt(7.0) });
    ops.push(Op::SetLineCapStyle {
        cap: LineCapStyle::Round,
    });
    for w in WAVES {
        ops.push(Op::DrawLine {
            line: Line {
                points: pts(w),
                is_closed: false,
            },
        });
    }
    ops.push(Op::RestoreGraphicsState);
}

/// SVG copy of the logo, as kept in `assets/logo/iwsd-logo.svg` (a test keeps them in sync).
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn logo_svg(fill: &str) -> String {
    fn path(p: &[(f32, f32, bool)], close: bool) -> String {
        let mut d = format!("M{} {}", p[0].0, p[0].1);
        let mut i = 1;
        while i < p.len() {
            if p[i].2 {
                d += &format!(
                    " C{} {} {} {} {} {}",
                    p[i].0,
                    p[i].1,
                    p[i + 1].0,
                    p[i + 1].1,
                    p[i + 2].0,
                    p[i + 2].1
                );
                i += 3;
            } else {
                d += &format!(" L{} {}", p[i].0, p[i].1);
                i += 1;
            }
        }
        if close {
            d += " Z";
        }
        d
    }
    let waves: String = WAVES
        .iter()
        .map(|w| format!("      <path d=\"{}\"/>\n", path(w, false)))
        .collect();
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {LOGO_W} {LOGO_H}\" width=\"{LOGO_W}\" height=\"{LOGO_H}\">\n\
         \x20 <title>IWSD certificate mark (water drop)</title>\n\
         \x20 <g transform=\"translate(0 {LOGO_H}) scale(1 -1)\">\n\
         \x20   <path d=\"{}\" fill=\"{fill}\"/>\n\
         \x20   <g fill=\"none\" stroke=\"#ffffff\" stroke-width=\"7\" stroke-linecap=\"round\">\n{waves}\x20   </g>\n\
         \x20 </g>\n</svg>\n",
        path(DROP, true)
    )
}

/// `layout::water()` as hex, for the SVG copy.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) const WATER_HEX: &str = "#167BAA";

#[cfg(test)]
mod tests {
    #[test]
    fn svg_copy_in_assets_is_current() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/logo/iwsd-logo.svg");
        let want = super::logo_svg(super::WATER_HEX);
        if std::env::var_os("UPDATE_LOGO_SVG").is_some() {
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path)
            .expect("assets/logo/iwsd-logo.svg (run with UPDATE_LOGO_SVG=1 to write it)");
        assert_eq!(have, want);
    }
}
