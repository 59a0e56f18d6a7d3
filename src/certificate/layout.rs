//! Page geometry, wording and text placement.
//!
//! All positions are in PDF points, origin bottom-left of an A4 landscape page.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use printpdf::{
    Color, FontId, Mm, Op, PaintMode, PdfFontHandle, Pt, Rect, Rgb, TextItem, TextMatrix,
    WindingOrder,
};

use super::font::Face;
use super::{CertificateData, Level, logo};

pub(crate) const PAGE_W_MM: f32 = 297.0;
pub(crate) const PAGE_H_MM: f32 = 210.0;

pub(crate) fn page_w() -> f32 {
    Pt::from(Mm(PAGE_W_MM)).0
}
pub(crate) fn page_h() -> f32 {
    Pt::from(Mm(PAGE_H_MM)).0
}

/// Which face draws a piece of text. The discriminant indexes the renderer's face array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FaceKind {
    /// Body text: DejaVu Sans.
    Sans = 0,
    /// Display text (institute, heading, holder name, course, level, signatory): DejaVu Serif Bold.
    SerifBold = 1,
}
pub(crate) const FACE_COUNT: usize = 2;

impl FaceKind {
    /// Font resource name: the base subset, or (`extra`) the per-certificate
    /// subset holding the characters outside the base repertoire.
    pub fn resource(self, extra: bool) -> &'static str {
        match (self, extra) {
            (FaceKind::Sans, false) => "FSans",
            (FaceKind::Sans, true) => "FSansX",
            (FaceKind::SerifBold, false) => "FSerifB",
            (FaceKind::SerifBold, true) => "FSerifBX",
        }
    }
}

pub(crate) fn navy() -> Color {
    Color::Rgb(Rgb::new(0.063, 0.204, 0.357, None))
}
pub(crate) fn water() -> Color {
    Color::Rgb(Rgb::new(0.086, 0.482, 0.667, None))
}
fn ink() -> Color {
    Color::Rgb(Rgb::new(0.13, 0.13, 0.13, None))
}
fn grey() -> Color {
    Color::Rgb(Rgb::new(0.36, 0.36, 0.36, None))
}

/// One line of text, already measured and placed.
#[derive(Debug, Clone)]
pub(crate) struct Line<'a> {
    pub face: FaceKind,
    pub size: f32,
    pub x: f32,
    pub y: f32,
    pub color: Color,
    pub text: &'a str,
}

#[derive(Clone, Copy)]
pub(crate) enum Align {
    Center(f32),
}

/// Largest size ≤ `max` (and ≥ `min`) at which `text` fits in `max_width`.
pub(crate) fn fit_size(face: &Face, text: &str, max: f32, min: f32, max_width: f32) -> f32 {
    let w1 = face.text_width(text, 1.0);
    if w1 <= 0.0 {
        max
    } else {
        (max_width / w1).clamp(min, max)
    }
}

pub(crate) fn place<'a>(
    faces: &[Face; FACE_COUNT],
    face: FaceKind,
    size: f32,
    align: Align,
    y: f32,
    color: Color,
    text: &'a str,
) -> Line<'a> {
    let x = match align {
        Align::Center(cx) => cx - faces[face as usize].text_width(text, size) / 2.0,
    };
    Line {
        face,
        size,
        x,
        y,
        color,
        text,
    }
}

/// Emit lines as one `BT … ET` block, only switching font / colour when they
/// change. A line whose characters are not all in the face's base subset is
/// shown in runs, switching between the base and the extra font resource
/// (`is_extra(face, c)`); `Tf` does not move the pen, so the runs join up
/// exactly as one string would.
pub(crate) fn text_ops(
    lines: &[Line<'_>],
    is_extra: impl Fn(FaceKind, char) -> bool,
    ops: &mut Vec<Op>,
) {
    if lines.is_empty() {
        return;
    }
    ops.push(Op::StartTextSection);
    let mut font: Option<(FaceKind, bool, f32)> = None;
    let mut color: Option<&Color> = None;
    for l in lines {
        if color != Some(&l.color) {
            ops.push(Op::SetFillColor {
                col: l.color.clone(),
            });
            color = Some(&l.color);
        }
        ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(Pt(round2(l.x)), Pt(round2(l.y))),
        });
        let mut rest = l.text;
        while let Some(first) = rest.chars().next() {
            let extra = is_extra(l.face, first);
            let end = rest
                .char_indices()
                .find(|&(_, c)| is_extra(l.face, c) != extra)
                .map_or(rest.len(), |(i, _)| i);
            if font != Some((l.face, extra, l.size)) {
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(FontId(l.face.resource(extra).to_string())),
                    size: Pt(l.size),
                });
                font = Some((l.face, extra, l.size));
            }
            ops.push(Op::ShowText {
                items: vec![TextItem::Text(rest[..end].to_string())],
            });
            rest = &rest[end..];
        }
    }
    ops.push(Op::EndTextSection);
}

/// Keep coordinates short in the content stream.
fn round2(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

fn rect_stroke(x: f32, y: f32, w: f32, h: f32) -> Op {
    Op::DrawRectangle {
        rectangle: Rect {
            x: Pt(x),
            y: Pt(y),
            width: Pt(w),
            height: Pt(h),
            mode: Some(PaintMode::Stroke),
            winding_order: Some(WindingOrder::NonZero),
        },
    }
}

fn rect_fill(x: f32, y: f32, w: f32, h: f32) -> Op {
    Op::DrawRectangle {
        rectangle: Rect {
            x: Pt(x),
            y: Pt(y),
            width: Pt(w),
            height: Pt(h),
            mode: Some(PaintMode::Fill),
            winding_order: Some(WindingOrder::NonZero),
        },
    }
}

// ---- vertical rhythm ---------------------------------------------------------
pub(crate) const Y_INSTITUTE: f32 = 458.0;
pub(crate) const Y_HEADING: f32 = 412.0;
pub(crate) const Y_CERTIFY: f32 = 378.0;
pub(crate) const Y_NAME: f32 = 332.0;
pub(crate) const Y_NAME_RULE: f32 = 318.0;
pub(crate) const Y_COMPLETED: f32 = 292.0;
pub(crate) const Y_COURSE: f32 = 262.0;
pub(crate) const Y_LEVEL: f32 = 238.0;
pub(crate) const Y_WHEN: f32 = 214.0;
pub(crate) const Y_ORG: f32 = 196.0;
pub(crate) const Y_SIG_RULE: f32 = 118.0;
pub(crate) const Y_SIG_NAME: f32 = 103.0;
pub(crate) const Y_SIG_TITLE: f32 = 89.0;
pub(crate) const Y_FOOT_1: f32 = 103.0;
pub(crate) const Y_FOOT_2: f32 = 89.0;

pub(crate) const SIG_X0: f32 = 95.0;
pub(crate) const SIG_X1: f32 = 305.0;
pub(crate) const QR_SIZE: f32 = 78.0;
/// Centre x of the QR block, and the top edge of the code.
pub(crate) fn qr_center_x() -> f32 {
    page_w() - 160.0
}
pub(crate) const QR_TOP: f32 = 178.0;
pub(crate) const Y_QR_CAPTION: f32 = QR_TOP - QR_SIZE - 11.0;
pub(crate) const Y_QR_URL: f32 = Y_QR_CAPTION - 10.0;

pub(crate) const HEADING_TOT: &str = "Certified Trainer \u{2014} Training of Trainers";
pub(crate) const HEADING_COMPLETION: &str = "Certificate of Completion";
pub(crate) const INSTITUTE: &str = "Institute of Water and Sanitation Development (IWSD)";
pub(crate) const CERTIFY: &str = "This is to certify that";
pub(crate) const SCAN: &str = "Scan to verify this certificate";
/// Static page furniture shared by every certificate. Returns the graphics
/// (border, logo, rules — no text, so the form XObject made of them needs no
/// resources), the fixed text (institute name, heading, "This is to certify
/// that", QR caption) and the characters that text uses per face.
pub(crate) fn static_ops(
    faces: &[Face; FACE_COUNT],
    heading: &str,
) -> (Vec<Op>, Vec<Op>, [BTreeSet<char>; FACE_COUNT]) {
    let (w, h) = (page_w(), page_h());
    let mut ops = Vec::with_capacity(64);

    // Double rule border + thin inner accent.
    ops.push(Op::SaveGraphicsState);
    ops.push(Op::SetOutlineColor { col: navy() });
    ops.push(Op::SetOutlineThickness { pt: Pt(3.0) });
    ops.push(rect_stroke(22.0, 22.0, w - 44.0, h - 44.0));
    ops.push(Op::SetOutlineThickness { pt: Pt(0.8) });
    ops.push(rect_stroke(30.0, 30.0, w - 60.0, h - 60.0));
    ops.push(Op::SetOutlineColor { col: water() });
    ops.push(Op::SetOutlineThickness { pt: Pt(0.4) });
    ops.push(rect_stroke(34.0, 34.0, w - 68.0, h - 68.0));
    // Corner squares.
    ops.push(Op::SetFillColor { col: water() });
    for (cx, cy) in [
        (30.0, 30.0),
        (w - 30.0, 30.0),
        (30.0, h - 30.0),
        (w - 30.0, h - 30.0),
    ] {
        ops.push(rect_fill(cx - 4.0, cy - 4.0, 8.0, 8.0));
    }
    // Thin rules either side of the heading area.
    ops.push(Op::SetFillColor { col: water() });
    ops.push(rect_fill(w / 2.0 - 180.0, Y_INSTITUTE - 14.0, 360.0, 0.8));
    // Signature rule.
    ops.push(Op::SetOutlineColor { col: ink() });
    ops.push(Op::SetOutlineThickness { pt: Pt(0.7) });
    ops.push(Op::DrawLine {
        line: printpdf::Line {
            points: vec![
                printpdf::LinePoint {
                    p: printpdf::Point {
                        x: Pt(SIG_X0),
                        y: Pt(Y_SIG_RULE),
                    },
                    bezier: false,
                },
                printpdf::LinePoint {
                    p: printpdf::Point {
                        x: Pt(SIG_X1),
                        y: Pt(Y_SIG_RULE),
                    },
                    bezier: false,
                },
            ],
            is_closed: false,
        },
    });
    ops.push(Op::RestoreGraphicsState);

    // Logo, top centre.
    let logo_h = 62.0;
    let logo_w = logo_h * logo::LOGO_W / logo::LOGO_H;
    logo::logo_ops(
        w / 2.0 - logo_w / 2.0,
        h - 50.0 - logo_h,
        logo_h,
        water(),
        &mut ops,
    );

    let cx = w / 2.0;
    let heading_size = fit_size(
        &faces[FaceKind::SerifBold as usize],
        heading,
        30.0,
        16.0,
        w - 160.0,
    );
    let lines = [
        place(
            faces,
            FaceKind::SerifBold,
            14.0,
            Align::Center(cx),
            Y_INSTITUTE,
            navy(),
            INSTITUTE,
        ),
        place(
            faces,
            FaceKind::SerifBold,
            heading_size,
            Align::Center(cx),
            Y_HEADING,
            navy(),
            heading,
        ),
        place(
            faces,
            FaceKind::Sans,
            13.0,
            Align::Center(cx),
            Y_CERTIFY,
            grey(),
            CERTIFY,
        ),
        place(
            faces,
            FaceKind::Sans,
            7.5,
            Align::Center(qr_center_x()),
            Y_QR_CAPTION,
            grey(),
            SCAN,
        ),
    ];
    let mut text = Vec::with_capacity(16);
    text_ops(&lines, |_, _| false, &mut text);

    let mut chars: [BTreeSet<char>; FACE_COUNT] = Default::default();
    for l in &lines {
        chars[l.face as usize].extend(l.text.chars());
    }
    (ops, text, chars)
}

/// Owned strings for the dynamic lines (so `Line` can borrow them).
pub(crate) struct DynamicText {
    pub completed: String,
    pub course: String,
    pub level: &'static str,
    pub when: String,
    pub org: Option<String>,
    pub number: String,
    pub issued: String,
}

impl DynamicText {
    pub fn new(d: &CertificateData) -> Self {
        let days = (d.end_date - d.start_date).num_days() + 1;
        let completed = match days_word(days) {
            Some(w) => format!("has successfully completed the {w}-day course"),
            None => "has successfully completed the course".to_string(),
        };
        DynamicText {
            completed,
            course: format!("{} ({})", d.course_title, d.course_code),
            level: level_words(d.level),
            when: if d.venue.trim().is_empty() {
                date_range(d.start_date, d.end_date)
            } else {
                format!(
                    "{} \u{00B7} {}",
                    date_range(d.start_date, d.end_date),
                    d.venue.trim()
                )
            },
            org: d
                .organisation
                .as_ref()
                .filter(|o| !o.trim().is_empty())
                .map(|o| format!("Organisation: {o}")),
            number: format!("Certificate No. {}", d.number),
            issued: format!("Issued on {}", long_date(d.issued_on)),
        }
    }
}

/// Place every line whose content depends on the certificate data.
pub(crate) fn dynamic_lines<'a>(
    faces: &[Face; FACE_COUNT],
    d: &'a CertificateData,
    t: &'a DynamicText,
) -> (Vec<Line<'a>>, f32) {
    let w = page_w();
    let cx = w / 2.0;
    let body_w = w - 160.0;
    let fit = |k: FaceKind, s: &str, max: f32, min: f32, width: f32| {
        fit_size(&faces[k as usize], s, max, min, width)
    };

    let name_size = fit(FaceKind::SerifBold, &d.holder_name, 34.0, 12.0, w - 150.0);
    let name_w = faces[FaceKind::SerifBold as usize].text_width(&d.holder_name, name_size);
    let sig_cx = (SIG_X0 + SIG_X1) / 2.0;
    let sig_w = SIG_X1 - SIG_X0 + 20.0;
    let url_size = fit(FaceKind::Sans, &d.verification_url, 6.5, 4.0, 200.0);

    let mut lines = vec![
        place(
            faces,
            FaceKind::SerifBold,
            name_size,
            Align::Center(cx),
            Y_NAME,
            navy(),
            &d.holder_name,
        ),
        place(
            faces,
            FaceKind::Sans,
            13.0,
            Align::Center(cx),
            Y_COMPLETED,
            grey(),
            &t.completed,
        ),
        place(
            faces,
            FaceKind::SerifBold,
            fit(FaceKind::SerifBold, &t.course, 20.0, 9.0, body_w),
            Align::Center(cx),
            Y_COURSE,
            ink(),
            &t.course,
        ),
        place(
            faces,
            FaceKind::SerifBold,
            13.0,
            Align::Center(cx),
            Y_LEVEL,
            water(),
            t.level,
        ),
        place(
            faces,
            FaceKind::Sans,
            fit(FaceKind::Sans, &t.when, 12.0, 7.0, body_w),
            Align::Center(cx),
            Y_WHEN,
            ink(),
            &t.when,
        ),
    ];
    if let Some(org) = &t.org {
        lines.push(place(
            faces,
            FaceKind::Sans,
            fit(FaceKind::Sans, org, 11.0, 7.0, body_w),
            Align::Center(cx),
            Y_ORG,
            grey(),
            org,
        ));
    }
    lines.extend([
        place(
            faces,
            FaceKind::SerifBold,
            fit(FaceKind::SerifBold, &d.signatory_name, 11.0, 6.0, sig_w),
            Align::Center(sig_cx),
            Y_SIG_NAME,
            ink(),
            &d.signatory_name,
        ),
        place(
            faces,
            FaceKind::Sans,
            fit(FaceKind::Sans, &d.signatory_title, 9.5, 6.0, sig_w),
            Align::Center(sig_cx),
            Y_SIG_TITLE,
            grey(),
            &d.signatory_title,
        ),
        place(
            faces,
            FaceKind::Sans,
            fit(FaceKind::Sans, &t.number, 9.5, 6.0, 220.0),
            Align::Center(cx),
            Y_FOOT_1,
            ink(),
            &t.number,
        ),
        place(
            faces,
            FaceKind::Sans,
            9.5,
            Align::Center(cx),
            Y_FOOT_2,
            grey(),
            &t.issued,
        ),
        place(
            faces,
            FaceKind::Sans,
            url_size,
            Align::Center(qr_center_x()),
            Y_QR_URL,
            grey(),
            &d.verification_url,
        ),
    ]);
    (lines, name_w)
}

/// The rule under the holder name, sized to the name.
pub(crate) fn name_rule_ops(name_w: f32, ops: &mut Vec<Op>) {
    let w = (name_w + 60.0).clamp(320.0, page_w() - 140.0);
    ops.push(Op::SetFillColor { col: water() });
    ops.push(rect_fill(
        round2(page_w() / 2.0 - w / 2.0),
        Y_NAME_RULE,
        round2(w),
        0.8,
    ));
}

pub(crate) fn level_words(l: Level) -> &'static str {
    match l {
        Level::Tot => "Training of Trainers",
        Level::Cascade => "Cascade workshop",
        Level::Community => "Community workshop",
    }
}

pub(crate) fn heading(l: Level) -> &'static str {
    match l {
        Level::Tot => HEADING_TOT,
        Level::Cascade | Level::Community => HEADING_COMPLETION,
    }
}

fn days_word(n: i64) -> Option<String> {
    const W: [&str; 10] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    match n {
        1..=10 => Some(W[n as usize - 1].to_string()),
        11.. => Some(n.to_string()),
        _ => None,
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "30 August 2026"
pub(crate) fn long_date(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

/// "24–28 August 2026", "28 August – 2 September 2026", "29 December 2026 – 2 January 2027".
pub(crate) fn date_range(start: NaiveDate, end: NaiveDate) -> String {
    let m = |d: NaiveDate| MONTHS[d.month0() as usize];
    if start == end {
        long_date(start)
    } else if start.year() == end.year() && start.month() == end.month() {
        format!(
            "{}\u{2013}{} {} {}",
            start.day(),
            end.day(),
            m(end),
            end.year()
        )
    } else if start.year() == end.year() {
        format!(
            "{} {} \u{2013} {} {} {}",
            start.day(),
            m(start),
            end.day(),
            m(end),
            end.year()
        )
    } else {
        format!("{} \u{2013} {}", long_date(start), long_date(end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn faces() -> [Face; FACE_COUNT] {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fonts");
        let load = |f: &str| Face::parse(std::fs::read(dir.join(f)).unwrap()).unwrap();
        [load("DejaVuSans.ttf"), load("DejaVuSerif-Bold.ttf")]
    }

    #[test]
    fn long_name_is_shrunk_to_fit_and_centred() {
        let faces = faces();
        let short = CertificateData::sample();
        let text = DynamicText::new(&short);
        let (lines, w) = dynamic_lines(&faces, &short, &text);
        assert_eq!(lines[0].size, 34.0, "short names keep the full size");
        assert!(
            (lines[0].x + w / 2.0 - page_w() / 2.0).abs() < 0.01,
            "centred on the page"
        );

        let mut d = CertificateData::sample();
        d.holder_name =
            "Tinotenda Nyasha Chipo Mukanyangadze-Makoni Chiwenga Ndlovu Mhlanga".into();
        let text = DynamicText::new(&d);
        let (lines, w) = dynamic_lines(&faces, &d, &text);
        let name = &lines[0];
        assert_eq!(name.text, d.holder_name);
        assert!(name.size < 34.0);
        assert!(
            name.x >= 60.0 && name.x + w <= page_w() - 60.0,
            "x = {}, w = {w}",
            name.x
        );
        // measured from hmtx: width at the chosen size is the sum of advances
        let w_check = faces[FaceKind::SerifBold as usize].text_width(&d.holder_name, name.size);
        assert!((w - w_check).abs() < 0.01);
    }

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }
    #[test]
    fn date_ranges() {
        assert_eq!(
            date_range(d(2026, 8, 24), d(2026, 8, 28)),
            "24–28 August 2026"
        );
        assert_eq!(
            date_range(d(2026, 8, 28), d(2026, 9, 2)),
            "28 August – 2 September 2026"
        );
        assert_eq!(
            date_range(d(2026, 12, 29), d(2027, 1, 2)),
            "29 December 2026 – 2 January 2027"
        );
        assert_eq!(date_range(d(2026, 8, 24), d(2026, 8, 24)), "24 August 2026");
    }
    #[test]
    fn days() {
        assert_eq!(days_word(5).as_deref(), Some("five"));
        assert_eq!(days_word(12).as_deref(), Some("12"));
        assert_eq!(days_word(0), None);
    }
}
