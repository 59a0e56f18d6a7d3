//! The printable paper evaluation form of a workshop (A4 PDF, English), for workshops where
//! participants have no phone: the same questions as the portal's form — the workshop overall,
//! trainers, venue and materials, each course topic (a blank is "not rated") and the two
//! comments — typed in by an administrator through [`super::evaluations::submit`] (the API's
//! `POST …/evaluations` naming the participant).
//!
//! Drawn with printpdf's standard Helvetica (no embedded font: the form carries only course
//! names and fixed English words), so it stays a few kilobytes.

use printpdf::{
    BuiltinFont, Color, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem,
};
use sea_orm::ConnectionTrait;

use super::workshop_queries::{self, WorkshopView};
use crate::domain::{Result, access::Principal};

/// The questions asked besides the topics, in the form's order: the evaluation's field (as
/// `ratings.<field>` in the API) and the question as the form prints it. Each is answered 1 to 5.
pub const GENERAL_QUESTIONS: [(&str, &str); 4] = [
    ("overall", "The workshop overall"),
    ("trainers", "The trainers"),
    ("venue", "The venue"),
    ("materials", "The materials"),
];

/// The questions answered in writing, after the ratings: the evaluation's field and the question.
pub const COMMENT_QUESTIONS: [(&str, &str); 2] = [
    ("most_useful", "What was most useful to you?"),
    ("suggestions", "What should IWSD do better?"),
];

/// How the form asks about one course topic (rated 1 to 5, or left blank).
pub fn topic_question(topic: &str) -> String {
    format!("Topic: {topic}")
}

const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const LEFT: f32 = 18.0;
const BOTTOM: f32 = 20.0;

/// The paper form of workshop `workshop_id`, for the same people who may read its evaluations
/// (administrators and the workshop's trainers).
pub async fn form_pdf(
    db: &impl ConnectionTrait,
    who: &Principal,
    workshop_id: i64,
) -> Result<Vec<u8>> {
    super::evaluations::ensure_may_read(db, who, workshop_id).await?;
    let view = workshop_queries::get(db, workshop_id).await?;
    Ok(render(&view))
}

/// Text (Helvetica has WinAnsi glyphs only: anything else prints as "?").
fn winansi(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{2013}' | '\u{2014}' => '-',
            '\u{2018}' | '\u{2019}' => '\'',
            c if (c as u32) < 0x100 => c,
            _ => '?',
        })
        .collect()
}

/// A page being drawn from the top down; a new page starts when the next block would not fit.
struct Sheet {
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Sheet {
    fn new() -> Self {
        Self {
            pages: vec![Vec::new()],
            y: PAGE_H - 20.0,
        }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        self.pages.last_mut().expect("a page")
    }

    /// Makes room for `height` mm, starting a new page if needed.
    fn room(&mut self, height: f32) {
        if self.y - height < BOTTOM {
            self.pages.push(Vec::new());
            self.y = PAGE_H - 20.0;
        }
    }

    fn text_at(&mut self, x: f32, y: f32, text: &str, size: f32, bold: bool) {
        let font = if bold {
            BuiltinFont::HelveticaBold
        } else {
            BuiltinFont::Helvetica
        };
        self.ops().extend([
            Op::StartTextSection,
            Op::SetTextCursor {
                pos: Point::new(Mm(x), Mm(y)),
            },
            Op::SetFont {
                font: PdfFontHandle::Builtin(font),
                size: Pt(size),
            },
            Op::ShowText {
                items: vec![TextItem::Text(winansi(text))],
            },
            Op::EndTextSection,
        ]);
    }

    /// A line of text, moving down.
    fn line(&mut self, text: &str, size: f32, bold: bool) {
        let height = size * 0.3528 * 1.45;
        self.room(height);
        self.y -= height;
        let y = self.y;
        self.text_at(LEFT, y, text, size, bold);
    }

    fn gap(&mut self, mm: f32) {
        self.y -= mm;
    }

    fn rule(&mut self, x1: f32, x2: f32, y: f32) {
        let point = |x: f32| LinePoint {
            p: Point::new(Mm(x), Mm(y)),
            bezier: false,
        };
        self.ops().push(Op::DrawLine {
            line: Line {
                points: vec![point(x1), point(x2)],
                is_closed: false,
            },
        });
    }

    fn square(&mut self, x: f32, y: f32, side: f32) {
        self.ops().push(Op::DrawRectangle {
            rectangle: Rect {
                x: Mm(x).into(),
                y: Mm(y).into(),
                width: Mm(side).into(),
                height: Mm(side).into(),
                mode: Some(PaintMode::Stroke),
                winding_order: None,
            },
        });
    }

    /// A question with five boxes, 1 to 5.
    fn rating(&mut self, question: &str, optional: bool) {
        self.room(12.0);
        self.y -= 7.0;
        let y = self.y;
        let label = if optional {
            format!("{question} (leave blank if you prefer)")
        } else {
            question.to_owned()
        };
        self.text_at(LEFT, y, &label, 10.5, false);
        for value in 1..=5 {
            let x = 128.0 + (value as f32 - 1.0) * 14.0;
            self.square(x, y - 1.0, 4.5);
            self.text_at(x + 5.8, y, &value.to_string(), 10.0, false);
        }
        self.y -= 3.0;
    }

    /// A question answered in writing, on `lines` ruled lines.
    fn comment(&mut self, question: &str, lines: usize) {
        self.room(8.0 + lines as f32 * 8.0);
        self.line(question, 10.5, true);
        for _ in 0..lines {
            self.y -= 8.0;
            let y = self.y;
            self.rule(LEFT, PAGE_W - LEFT, y);
        }
        self.y -= 2.0;
    }
}

/// The form as a PDF.
pub fn render(view: &WorkshopView) -> Vec<u8> {
    let w = &view.workshop;
    let mut sheet = Sheet::new();
    sheet.line(
        "Institute of Water and Sanitation Development (IWSD)",
        10.0,
        false,
    );
    sheet.line("Workshop evaluation", 20.0, true);
    sheet.line(
        &format!("{} ({})", view.course.title, view.course.code),
        12.0,
        true,
    );
    sheet.line(
        &format!(
            "{}, {} - {}. Workshop number {}.",
            w.venue,
            crate::mail::journey::long_date(w.start_date),
            crate::mail::journey::long_date(w.end_date),
            w.id
        ),
        10.0,
        false,
    );
    sheet.gap(3.0);
    sheet.line(
        "Tick one box per question: 1 is very poor, 5 is excellent. You may leave a topic blank.",
        10.0,
        false,
    );
    sheet.line(
        "Trainers see only a summary of everyone's answers, never your name.",
        10.0,
        false,
    );
    sheet.gap(2.0);
    sheet.line(
        "Your name: ______________________________________",
        10.5,
        false,
    );
    sheet.gap(2.0);
    sheet.line("The workshop", 13.0, true);
    for (_, question) in GENERAL_QUESTIONS {
        sheet.rating(question, false);
    }
    let topics = view.course.topic_list();
    if !topics.is_empty() {
        sheet.gap(2.0);
        sheet.line("The topics", 13.0, true);
        for topic in &topics {
            sheet.rating(&topic_question(topic), true);
        }
    }
    sheet.gap(3.0);
    for (_, question) in COMMENT_QUESTIONS {
        sheet.comment(question, 3);
    }
    let black = Color::Rgb(Rgb {
        r: 0.0,
        g: 0.0,
        b: 0.0,
        icc_profile: None,
    });
    let pages = sheet
        .pages
        .into_iter()
        .map(|ops| {
            let mut all = vec![
                Op::SetOutlineColor { col: black.clone() },
                Op::SetFillColor { col: black.clone() },
                Op::SetOutlineThickness { pt: Pt(0.6) },
            ];
            all.extend(ops);
            PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), all)
        })
        .collect();
    PdfDocument::new(&format!("Workshop evaluation: {}", view.course.title))
        .with_pages(pages)
        .save(&PdfSaveOptions::default(), &mut Vec::new())
}
