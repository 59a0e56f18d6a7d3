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
use super::{CertificateData, Level, RasterImage, logo};

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

/// Largest size ≤ `max` at which `text` fits in `max_width`: text shrinks rather than run
/// past its box (and so never off the page).
pub(crate) fn fit_size(face: &Face, text: &str, max: f32, max_width: f32) -> f32 {
    let w1 = face.text_width(text, 1.0);
    if w1 <= 0.0 {
        max
    } else {
        (max_width / w1).min(max)
    }
}

/// Breaks `text` at spaces into lines no wider than `max_width` at `size` (a word wider than
/// the line stays whole on its own line; the caller shrinks it).
pub(crate) fn wrap(face: &Face, text: &str, size: f32, max_width: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if current.is_empty() || face.text_width(&candidate, size) <= max_width {
            current = candidate;
        } else {
            lines.push(std::mem::replace(&mut current, word.to_string()));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// The holder's name as one line, or — when one line would print below `two_line_at` pt —
/// two lines split at the space that balances them best. Returns the lines (slices of `name`)
/// and the size; every line fits in `max_width` at that size.
pub(crate) fn name_lines<'a>(
    face: &Face,
    name: &'a str,
    max: f32,
    two_line_at: f32,
    max_width: f32,
) -> (Vec<&'a str>, f32) {
    let one = fit_size(face, name, max, max_width);
    if one >= two_line_at {
        return (vec![name], one);
    }
    let best = name
        .char_indices()
        .filter(|&(_, c)| c == ' ')
        .map(|(i, _)| {
            let (a, b) = (name[..i].trim(), name[i + 1..].trim());
            let widest = face.text_width(a, 1.0).max(face.text_width(b, 1.0));
            (widest, a, b)
        })
        .filter(|(_, a, b)| !a.is_empty() && !b.is_empty())
        .min_by(|x, y| x.0.total_cmp(&y.0));
    match best {
        Some((widest, a, b)) if widest > 0.0 => {
            let size = (max_width / widest).min(two_line_at + 2.0);
            if size > one {
                (vec![a, b], size)
            } else {
                (vec![name], one)
            }
        }
        _ => (vec![name], one),
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
pub(crate) const Y_INSTITUTE: f32 = 482.0;
pub(crate) const Y_HEADING: f32 = 448.0;
pub(crate) const Y_CERTIFY: f32 = 421.0;
/// Baseline of a one-line name; a two-line name sits on `Y_NAME + 13` and `Y_NAME - 13`.
pub(crate) const Y_NAME: f32 = 381.0;
pub(crate) const Y_NAME_RULE: f32 = 356.0;
pub(crate) const Y_COMPLETED: f32 = 334.0;
pub(crate) const Y_COURSE: f32 = 309.0;
pub(crate) const Y_LEVEL: f32 = 287.0;
pub(crate) const Y_WHEN: f32 = 267.0;
pub(crate) const Y_ORG: f32 = 250.0;
/// First line of the topics; at most [`TOPIC_LINES`] lines, [`TOPIC_STEP`] apart.
pub(crate) const Y_TOPICS: f32 = 232.0;
pub(crate) const TOPIC_STEP: f32 = 11.0;
pub(crate) const TOPIC_LINES: usize = 4;
/// Width of the topics block, centred (clear of the QR code below it).
pub(crate) const TOPICS_W: f32 = 600.0;
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
    builtin_logo: bool,
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
    ops.push(rect_fill(w / 2.0 - 180.0, Y_INSTITUTE - 8.5, 360.0, 0.8));
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

    // Logo, top centre (a configured logo is placed per page instead, see `logo_box`).
    if builtin_logo {
        let logo_w = LOGO_H * logo::LOGO_W / logo::LOGO_H;
        logo::logo_ops(
            w / 2.0 - logo_w / 2.0,
            LOGO_BOTTOM,
            LOGO_H,
            water(),
            &mut ops,
        );
    }

    let cx = w / 2.0;
    let heading_size = fit_size(
        &faces[FaceKind::SerifBold as usize],
        heading,
        28.0,
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
            12.5,
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

/// Bottom edge and height of the logo (built-in or configured), top centre.
pub(crate) const LOGO_BOTTOM: f32 = 500.0;
pub(crate) const LOGO_H: f32 = 46.0;
/// Widest a configured logo may be.
pub(crate) const LOGO_MAX_W: f32 = 180.0;
/// Tallest a signature image may be (it stands on the signature line).
pub(crate) const SIGNATURE_MAX_H: f32 = 50.0;

/// Where a configured logo goes: (x, y, w, h).
pub(crate) fn logo_box(img: &RasterImage) -> (f32, f32, f32, f32) {
    img.fit(page_w() / 2.0, LOGO_BOTTOM, LOGO_MAX_W, LOGO_H)
}

/// Where the signature image goes: on the signature line, centred over it.
pub(crate) fn signature_box(img: &RasterImage) -> (f32, f32, f32, f32) {
    img.fit(
        (SIG_X0 + SIG_X1) / 2.0,
        Y_SIG_RULE + 1.5,
        SIG_X1 - SIG_X0 - 20.0,
        SIGNATURE_MAX_H,
    )
}

/// Owned strings for the dynamic lines (so `Line` can borrow them).
pub(crate) struct DynamicText {
    pub completed: String,
    pub course: String,
    pub level: &'static str,
    pub when: String,
    pub org_and_trainer: Option<String>,
    /// "Topics covered: …", wrapped.
    pub topics: Vec<String>,
    pub topics_size: f32,
    pub number: String,
    pub issued: String,
}

impl DynamicText {
    pub fn new(faces: &[Face; FACE_COUNT], d: &CertificateData) -> Self {
        let completed = match days_word(d.duration_days as i64) {
            Some(w) => format!("has successfully completed the {w}-day course"),
            None => "has successfully completed the course".to_string(),
        };
        let org = d
            .organisation
            .as_ref()
            .map(|o| o.trim())
            .filter(|o| !o.is_empty())
            .map(|o| format!("Organisation: {o}"));
        let lead = d
            .lead_trainer
            .as_ref()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .map(|t| format!("Lead trainer: {t}"));
        let org_and_trainer = match (org, lead) {
            (Some(o), Some(l)) => Some(format!("{o} \u{00B7} {l}")),
            (o, l) => o.or(l),
        };
        let topics: Vec<&str> = d
            .topics
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .collect();
        let (topics, topics_size) = if topics.is_empty() {
            (Vec::new(), 0.0)
        } else {
            let text = format!("Topics covered: {}", topics.join(" \u{00B7} "));
            let sans = &faces[FaceKind::Sans as usize];
            let mut size = 9.0;
            loop {
                let lines = wrap(sans, &text, size, TOPICS_W);
                let widest = lines
                    .iter()
                    .map(|l| sans.text_width(l, size))
                    .fold(0.0, f32::max);
                if (lines.len() <= TOPIC_LINES && widest <= TOPICS_W) || size <= 3.0 {
                    // A single unbreakable word wider than the block: shrink to fit.
                    let size = if widest > TOPICS_W {
                        size * TOPICS_W / widest
                    } else {
                        size
                    };
                    break (lines.into_iter().take(TOPIC_LINES).collect(), size);
                }
                size -= 0.5;
            }
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
            org_and_trainer,
            topics,
            topics_size,
            number: format!("Certificate No. {}", d.number),
            issued: format!("Issued on {}", long_date(d.issued_on)),
        }
    }
}

/// Widest the holder's name may be (the page less a margin inside the border on each side).
pub(crate) fn name_max_width() -> f32 {
    page_w() - 150.0
}

/// Places lines centred on the page (or another axis), each shrunk to fit a width.
struct Placer<'f> {
    faces: &'f [Face; FACE_COUNT],
    /// The page's vertical axis.
    cx: f32,
    /// Widest a body line may be.
    body_w: f32,
}

impl<'f> Placer<'f> {
    fn new(faces: &'f [Face; FACE_COUNT]) -> Self {
        Self {
            faces,
            cx: page_w() / 2.0,
            body_w: page_w() - 160.0,
        }
    }

    /// `text` at `size`, centred on `cx`, at `y`.
    fn at<'a>(
        &self,
        k: FaceKind,
        size: f32,
        cx: f32,
        y: f32,
        colour: Color,
        text: &'a str,
    ) -> Line<'a> {
        place(self.faces, k, size, Align::Center(cx), y, colour, text)
    }

    /// `text` centred on `cx` at `y`, at `max` points or smaller so that it fits `width`.
    #[allow(clippy::too_many_arguments)]
    fn fitted<'a>(
        &self,
        k: FaceKind,
        max: f32,
        width: f32,
        cx: f32,
        y: f32,
        colour: Color,
        text: &'a str,
    ) -> Line<'a> {
        let size = fit_size(&self.faces[k as usize], text, max, width);
        self.at(k, size, cx, y, colour, text)
    }

    /// A body line: centred on the page, fitted to the body width.
    fn body<'a>(&self, k: FaceKind, max: f32, y: f32, colour: Color, text: &'a str) -> Line<'a> {
        self.fitted(k, max, self.body_w, self.cx, y, colour, text)
    }
}

/// The holder's name on one or two lines, and the width of its widest line.
fn name_block<'a>(p: &Placer, d: &'a CertificateData, lines: &mut Vec<Line<'a>>) -> f32 {
    let serif = &p.faces[FaceKind::SerifBold as usize];
    let (names, name_size) = name_lines(serif, d.holder_name.trim(), 32.0, 22.0, name_max_width());
    let name_w = names
        .iter()
        .map(|n| serif.text_width(n, name_size))
        .fold(0.0, f32::max);
    let name_ys: &[f32] = if names.len() == 1 {
        &[Y_NAME]
    } else {
        &[Y_NAME + 13.0, Y_NAME - 13.0]
    };
    for (name, &y) in names.into_iter().zip(name_ys) {
        lines.push(p.at(FaceKind::SerifBold, name_size, p.cx, y, navy(), name));
    }
    name_w
}

/// What was completed: the course, its level, when and where, organisation and trainer, topics.
fn achievement_block<'a>(p: &Placer, t: &'a DynamicText, lines: &mut Vec<Line<'a>>) {
    use FaceKind::{Sans, SerifBold};
    lines.extend([
        p.at(Sans, 12.5, p.cx, Y_COMPLETED, grey(), &t.completed),
        p.body(SerifBold, 19.0, Y_COURSE, ink(), &t.course),
        p.body(SerifBold, 12.5, Y_LEVEL, water(), t.level),
        p.body(Sans, 11.0, Y_WHEN, ink(), &t.when),
    ]);
    if let Some(org) = &t.org_and_trainer {
        lines.push(p.body(Sans, 10.0, Y_ORG, grey(), org));
    }
    for (i, topic_line) in t.topics.iter().enumerate() {
        let y = Y_TOPICS - i as f32 * TOPIC_STEP;
        lines.push(p.at(Sans, t.topics_size, p.cx, y, ink(), topic_line));
    }
}

/// The signatory under the signature line; the number, issue date and verification URL.
fn signature_and_footer<'a>(
    p: &Placer,
    d: &'a CertificateData,
    t: &'a DynamicText,
    lines: &mut Vec<Line<'a>>,
) {
    use FaceKind::{Sans, SerifBold};
    let sig_cx = (SIG_X0 + SIG_X1) / 2.0;
    let sig_w = SIG_X1 - SIG_X0 + 20.0;
    let url_size = fit_size(&p.faces[Sans as usize], &d.verification_url, 6.5, 200.0);
    lines.extend([
        p.fitted(
            SerifBold,
            11.0,
            sig_w,
            sig_cx,
            Y_SIG_NAME,
            ink(),
            &d.signatory_name,
        ),
        p.fitted(
            Sans,
            9.5,
            sig_w,
            sig_cx,
            Y_SIG_TITLE,
            grey(),
            &d.signatory_title,
        ),
        p.fitted(Sans, 9.5, 220.0, p.cx, Y_FOOT_1, ink(), &t.number),
        p.at(Sans, 9.5, p.cx, Y_FOOT_2, grey(), &t.issued),
        p.at(
            Sans,
            url_size,
            qr_center_x(),
            Y_QR_URL,
            grey(),
            &d.verification_url,
        ),
    ]);
}

/// Place every line whose content depends on the certificate data. Returns the lines and the
/// width of the widest line of the holder's name (for the rule under it).
pub(crate) fn dynamic_lines<'a>(
    faces: &[Face; FACE_COUNT],
    d: &'a CertificateData,
    t: &'a DynamicText,
) -> (Vec<Line<'a>>, f32) {
    let placer = Placer::new(faces);
    let mut lines = Vec::with_capacity(16);
    let name_w = name_block(&placer, d, &mut lines);
    achievement_block(&placer, t, &mut lines);
    signature_and_footer(&placer, d, t, &mut lines);
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
        Level::Tot => "Training of Trainers \u{2014} certified to train others",
        Level::Cascade => "Cascade workshop for council staff and community leaders",
        Level::Community => "Community workshop",
    }
}

/// The heading: the same for every level (the level line below says which), so that no
/// phrase is printed twice.
pub(crate) fn heading(_: Level) -> &'static str {
    HEADING_COMPLETION
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
    fn a_long_name_wraps_or_shrinks_and_stays_centred() {
        let faces = faces();
        let short = CertificateData::sample();
        let text = DynamicText::new(&faces, &short);
        let (lines, w) = dynamic_lines(&faces, &short, &text);
        assert_eq!(lines[0].size, 32.0, "short names keep the full size");
        assert!(
            (lines[0].x + w / 2.0 - page_w() / 2.0).abs() < 0.01,
            "centred on the page"
        );

        // A long name with spaces: two balanced lines, each inside the margins.
        let mut d = CertificateData::sample();
        d.holder_name =
            "Tinotenda Nyasha Chipo Mukanyangadze-Makoni Chiwenga Ndlovu Mhlanga Moyo Dube".into();
        let text = DynamicText::new(&faces, &d);
        let (lines, _) = dynamic_lines(&faces, &d, &text);
        let serif = &faces[FaceKind::SerifBold as usize];
        let (first, second) = (&lines[0], &lines[1]);
        assert_eq!(format!("{} {}", first.text, second.text), d.holder_name);
        assert_eq!(first.size, second.size);
        assert!(first.y > second.y);
        for l in [first, second] {
            let lw = serif.text_width(l.text, l.size);
            assert!(
                l.x >= 60.0 && l.x + lw <= page_w() - 60.0,
                "x = {}, w = {lw}",
                l.x
            );
        }

        // No space to break at: one line, shrunk to the width.
        d.holder_name = "W".repeat(120);
        let text = DynamicText::new(&faces, &d);
        let (lines, w) = dynamic_lines(&faces, &d, &text);
        assert_eq!(lines[0].text, d.holder_name);
        assert!(w <= name_max_width() + 0.01, "{w}");
        // measured from hmtx: width at the chosen size is the sum of advances
        let w_check = serif.text_width(&d.holder_name, lines[0].size);
        assert!((w - w_check).abs() < 0.01);
    }

    #[test]
    fn topics_wrap_to_at_most_four_lines_inside_their_block() {
        let faces = faces();
        let mut d = CertificateData::sample();
        d.topics = (1..=40)
            .map(|i| format!("Topic number {i} of the course"))
            .collect();
        let text = DynamicText::new(&faces, &d);
        assert!(text.topics.len() <= TOPIC_LINES && !text.topics.is_empty());
        let sans = &faces[FaceKind::Sans as usize];
        for l in &text.topics {
            assert!(sans.text_width(l, text.topics_size) <= TOPICS_W + 0.01);
        }
        assert!(text.topics[0].starts_with("Topics covered: Topic number 1 of the course"));
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
