//! Training certificate → PDF bytes.
//!
//! Self-contained: depends only on `printpdf` (=0.12.8, with its default features off: we lay
//! out the text ourselves, so its `text_layout` / `html` machinery is not built), `lopdf` (the
//! version printpdf writes with, for the PDF/A parts: see `pdfa`), `flate2`, `qrcode`,
//! `ttf-parser`, `subsetter`, `write-fonts`, `self_cell`, `chrono` and `thiserror`. No I/O
//! except [`CertificateRenderer::from_assets_dir`].
//!
//! ```ignore
//! let renderer = Arc::new(CertificateRenderer::from_assets_dir(Path::new("assets"))?);
//! renderer.check_holder_name(&result.full_name)?;       // when choosing whom to issue to
//! let pdf: Vec<u8> = renderer.render(&snapshot)?;       // in spawn_blocking, before the write
//! ```
//!
//! [`CertificateRenderer::render`] is two steps: `compose` (the page: layout, QR code, font
//! subsets, metadata) and `embed` (the PDF: lopdf surgery on fonts and trailer, compression).
//!
//! Done once, in the constructor: font parsing (ttf-parser: cmap, hmtx, names,
//! metrics); the static page — border, logo and rules serialized and
//! compressed once into a form XObject, the fixed wording measured and placed
//! for both headings; the *base* font subsets (printable ASCII + fixed
//! wording), built and, by a start-up self-test render, compressed once (see
//! the `embed` submodule). Per render: validate, place the dynamic lines,
//! encode the QR code (a small form XObject), pick the font subsets (base, plus
//! a tiny cached "extra" subset for characters outside it), let printpdf build
//! the document, splice in the precompressed font streams, deflate the page
//! content, write.
//!
//! Output is a pure function of [`CertificateData`]: fixed resource names,
//! dates derived from `issued_on`, and a trailer `/ID` derived from the data
//! (printpdf would otherwise write a process-global pseudo-random ID).

mod embed;
mod font;
mod image;
mod layout;
mod logo;
mod pdfa;
mod qr;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use printpdf::{
    Date, DateTime, DictItem, ExternalStream, ExternalXObject, FontId, Mm, Offset, Op, PdfDocument,
    PdfFont, PdfPage, PdfParseErrorSeverity, PdfSaveOptions, Time, XObject, XObjectId,
    XObjectTransform,
};

pub use image::{Artwork, RasterImage};
pub use pdfa::{CREDENTIAL_FILE, CREDENTIAL_MEDIA_TYPE, attach_credential, embedded_credential};

use embed::{FontVariant, Packed, StreamBytes, VariantCache};
use font::Face;
use layout::{FACE_COUNT, FaceKind};

const FACES: [FaceKind; FACE_COUNT] = [FaceKind::Sans, FaceKind::SerifBold];

/// `(BaseFont, ToUnicode id, FontFile2 id)` for every Type0 font of the
/// `lopdf::Document` that printpdf's `to_lopdf_document` returns. A macro, not a
/// function: written when this crate reached lopdf only through printpdf, so that lopdf types
/// could not be named in a signature — only used.
macro_rules! type0_font_streams {
    ($lo:expr) => {{
        let lo = &$lo;
        let mut found: Vec<(Vec<u8>, (u32, u16), (u32, u16))> = Vec::new();
        for obj in lo.objects.values() {
            let Ok(font) = obj.as_dict() else { continue };
            if font.get(b"Subtype").and_then(|o| o.as_name()).ok() != Some(&b"Type0"[..]) {
                continue;
            }
            let name = font.get(b"BaseFont").and_then(|o| o.as_name());
            let to_unicode = font.get(b"ToUnicode").and_then(|o| o.as_reference());
            let program = font
                .get(b"DescendantFonts")
                .and_then(|o| o.as_array())
                .ok()
                .and_then(|a| a.first())
                .and_then(|o| o.as_dict().ok())
                .and_then(|cid| {
                    cid.get(b"FontDescriptor")
                        .and_then(|o| o.as_reference())
                        .ok()
                })
                .and_then(|id| lo.get_object(id).and_then(|o| o.as_dict()).ok())
                .and_then(|fd| fd.get(b"FontFile2").and_then(|o| o.as_reference()).ok());
            if let (Ok(name), Ok(to_unicode), Some(program)) = (name, to_unicode, program) {
                found.push((name.to_vec(), to_unicode, program));
            }
        }
        found
    }};
}

/// An immutable snapshot of what the certificate states, taken at issue time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateData {
    pub holder_name: String,
    /// e.g. "CSSD"
    pub course_code: String,
    /// e.g. "Community Support to Service Delivery"
    pub course_title: String,
    pub level: Level,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub venue: String,
    /// e.g. "City of Harare"
    pub organisation: Option<String>,
    /// e.g. "IWSD-CSSD-2026-000001"
    pub number: String,
    pub issued_on: NaiveDate,
    /// Encoded in the QR code and printed beneath it.
    pub verification_url: String,
    pub signatory_name: String,
    pub signatory_title: String,
    /// The course's length in days (printed as "five-day course"), never the calendar span.
    pub duration_days: u32,
    /// The topics covered, in teaching order.
    pub topics: Vec<String>,
    /// The workshop's lead trainer, by name.
    pub lead_trainer: Option<String>,
}

impl CertificateData {
    /// An example certificate (used by the renderer's start-up self-test).
    pub fn sample() -> Self {
        let date = |m, d| NaiveDate::from_ymd_opt(2026, m, d).expect("valid date");
        CertificateData {
            holder_name: "Nomvula Ndlovu".into(),
            course_code: "CSSD".into(),
            course_title: "Community Support to Service Delivery".into(),
            level: Level::Cascade,
            start_date: date(8, 24),
            end_date: date(8, 28),
            venue: "IWSD Training Centre, Harare".into(),
            organisation: Some("City of Harare".into()),
            number: "IWSD-CSSD-2026-000001".into(),
            issued_on: date(8, 30),
            verification_url: "https://cssd.iwsd.example/verify/SAMPLE0001".into(),
            signatory_name: "Eng. Tendai Moyo".into(),
            signatory_title: "Director, IWSD".into(),
            duration_days: 5,
            topics: vec![
                "Service delivery in local authorities".into(),
                "Community participation".into(),
                "Communication and feedback".into(),
            ],
            lead_trainer: Some("Nomvula Ndlovu".into()),
        }
    }
}

/// The level of the workshop a certificate is for: the workshop's own (one `Level` in the app;
/// the API mirrors it).
pub use entity::workshop::Level;

/// The level in words a participant understands, as printed: "Training of Trainers —
/// certified to train others", "Cascade workshop for council staff and community leaders",
/// "Community workshop".
pub fn level_words(level: Level) -> &'static str {
    layout::level_words(level)
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// `field` contains a character the font that draws it has no glyph for.
    #[error("{field} contains {character:?} ({codepoint}), which the certificate font cannot draw")]
    MissingGlyph {
        character: char,
        codepoint: String,
        field: &'static str,
    },
    /// A field is unusable: empty holder name or number, end date before start date.
    #[error("{field}: {reason}")]
    InvalidField {
        field: &'static str,
        reason: &'static str,
    },
    #[error("font error: {0}")]
    Font(String),
    /// The configured signature image or logo cannot be used.
    #[error("image: {0}")]
    Image(String),
    #[error("PDF error: {0}")]
    Pdf(String),
}

impl RenderError {
    fn missing(character: char, field: &'static str) -> Self {
        RenderError::MissingGlyph {
            character,
            codepoint: format!("U+{:04X}", character as u32),
            field,
        }
    }
}

/// The static part of one page variant (heading differs between levels).
struct StaticPage {
    /// Border, logo, rules: serialized by printpdf and compressed once, then
    /// embedded as a form XObject (`form`).
    form: StreamBytes,
    /// The fixed wording (stays in the page content so printpdf's `/W` widths
    /// and the text extraction order include it).
    text: Vec<Op>,
    chars: [BTreeSet<char>; FACE_COUNT],
}

/// `/Name` of the static form XObject (also its resource name).
const STATIC_FORM: &str = "IWSDStatic";

/// Renders certificates. Construct once, share in an `Arc`; `render` takes `&self`.
pub struct CertificateRenderer {
    faces: [Face; FACE_COUNT],
    /// Base subset per face (printable ASCII + fixed wording).
    base: [Arc<FontVariant>; FACE_COUNT],
    /// Subsets for characters outside the base, per distinct set of them.
    extra_fonts: VariantCache,
    /// [Cascade/Community, Tot]
    pages: [StaticPage; 2],
    /// The configured signature and logo.
    artwork: Artwork,
    /// The sRGB output intent's ICC profile, deflated once.
    icc: StreamBytes,
}

/// The sRGB profile of the PDF/A output intent (Zlib licence, see `assets/icc/README.md`).
const SRGB_PROFILE: &[u8] = include_bytes!("../../assets/icc/sRGB.icc");

const FONT_FILES: [&str; FACE_COUNT] = ["DejaVuSans.ttf", "DejaVuSerif-Bold.ttf"];
const AUTHOR: &str = "Institute of Water and Sanitation Development (IWSD)";
const CREATOR: &str = "CSSD Training API";
const PRODUCER: &str = "printpdf 0.12.8 (IWSD certificate renderer)";

impl CertificateRenderer {
    /// Loads `dir/fonts/DejaVuSans.ttf` and `dir/fonts/DejaVuSerif-Bold.ttf`
    /// (`dir` is the `assets` directory).
    pub fn from_assets_dir(dir: &Path) -> Result<Self, RenderError> {
        let read = |name: &str| {
            let p = dir.join("fonts").join(name);
            std::fs::read(&p).map_err(|e| RenderError::Font(format!("{}: {e}", p.display())))
        };
        Self::from_font_bytes(read(FONT_FILES[0])?, read(FONT_FILES[1])?)
    }

    /// Like [`CertificateRenderer::from_assets_dir`], printing the given signature and logo.
    pub fn from_assets_dir_with(dir: &Path, artwork: Artwork) -> Result<Self, RenderError> {
        let read = |name: &str| {
            let p = dir.join("fonts").join(name);
            std::fs::read(&p).map_err(|e| RenderError::Font(format!("{}: {e}", p.display())))
        };
        Self::with_artwork(read(FONT_FILES[0])?, read(FONT_FILES[1])?, artwork)
    }

    /// `regular` (DejaVu Sans) draws the body text; `bold` (DejaVu Serif Bold)
    /// draws the institute line, heading, holder name, course, level and
    /// signatory name. Both must be TrueType (`glyf`) fonts.
    pub fn from_font_bytes(regular: Vec<u8>, bold: Vec<u8>) -> Result<Self, RenderError> {
        Self::with_artwork(regular, bold, Artwork::default())
    }

    /// Like [`CertificateRenderer::from_font_bytes`], printing the given signature image above
    /// the signature line and the given logo instead of the built-in mark.
    pub fn with_artwork(
        regular: Vec<u8>,
        bold: Vec<u8>,
        artwork: Artwork,
    ) -> Result<Self, RenderError> {
        let parse = |b: Vec<u8>, n: &str| {
            Face::parse(b).map_err(|e| RenderError::Font(format!("{n}: {e}")))
        };
        let faces = [parse(regular, "regular")?, parse(bold, "bold")?];
        let mk = |l: Level| -> Result<StaticPage, RenderError> {
            let h = layout::heading(l);
            let (graphics, text, chars) = layout::static_ops(&faces, h, artwork.logo.is_none());
            for (k, set) in chars.iter().enumerate() {
                if let Some(c) = set.iter().copied().find(|&c| faces[k].glyph(c).is_none()) {
                    return Err(RenderError::Font(format!(
                        "{} cannot draw U+{:04X} used by the fixed wording",
                        faces[k].ps_name, c as u32
                    )));
                }
            }
            Ok(StaticPage {
                form: compress_static(graphics)?,
                text,
                chars,
            })
        };
        let pages = [mk(Level::Cascade)?, mk(Level::Tot)?];

        // Base repertoire per face: printable ASCII + every fixed character.
        let mut repertoire: [BTreeSet<char>; FACE_COUNT] = Default::default();
        for (k, set) in repertoire.iter_mut().enumerate() {
            set.extend((' '..='~').filter(|&c| faces[k].glyph(c).is_some()));
            for p in &pages {
                set.extend(p.chars[k].iter().copied());
            }
        }
        // Separators used in the dates / venue line.
        repertoire[FaceKind::Sans as usize].extend(['\u{2013}', '\u{00B7}']);
        // The dash of the level line.
        repertoire[FaceKind::SerifBold as usize].extend(['\u{2014}']);

        let base = [
            Arc::new(FontVariant::new(&faces[0], &repertoire[0])?),
            Arc::new(FontVariant::new(&faces[1], &repertoire[1])?),
        ];
        let renderer = CertificateRenderer {
            faces,
            base,
            extra_fonts: VariantCache::new(),
            pages,
            artwork,
            icc: pdfa::icc_stream(SRGB_PROFILE)?,
        };
        // Self-test, which also packs (compresses once) both base subsets.
        renderer.render(&CertificateData::sample())?;
        Ok(renderer)
    }

    /// Checks every character of `text` can be drawn wherever participant- or
    /// course-supplied text is placed (both faces; the serif bold face
    /// draws the holder name). The error names the first missing character.
    pub fn check_drawable(&self, text: &str) -> Result<(), RenderError> {
        self.check_field("text", text, &[FaceKind::SerifBold, FaceKind::Sans])
    }

    /// Checks a holder name only against the face that draws it.
    pub fn check_holder_name(&self, name: &str) -> Result<(), RenderError> {
        self.check_field("holder_name", name, &[FaceKind::SerifBold])
    }

    fn check_field(
        &self,
        field: &'static str,
        text: &str,
        kinds: &[FaceKind],
    ) -> Result<(), RenderError> {
        for c in text.chars() {
            if kinds
                .iter()
                .any(|&k| self.faces[k as usize].glyph(c).is_none())
            {
                return Err(RenderError::missing(c, field));
            }
        }
        Ok(())
    }

    /// Validates all fields (before any drawing) against the faces that draw them.
    pub fn validate(&self, d: &CertificateData) -> Result<(), RenderError> {
        use FaceKind::*;
        for (field, v) in [("holder_name", &d.holder_name), ("number", &d.number)] {
            if v.trim().is_empty() {
                return Err(RenderError::InvalidField {
                    field,
                    reason: "must not be empty",
                });
            }
        }
        if d.end_date < d.start_date {
            return Err(RenderError::InvalidField {
                field: "end_date",
                reason: "is before start_date",
            });
        }
        for topic in &d.topics {
            self.check_field("topics", topic, &[Sans])?;
        }
        let checks: [(&'static str, &str, FaceKind); 10] = [
            ("holder_name", &d.holder_name, SerifBold),
            ("course_title", &d.course_title, SerifBold),
            ("course_code", &d.course_code, SerifBold),
            ("venue", &d.venue, Sans),
            (
                "organisation",
                d.organisation.as_deref().unwrap_or(""),
                Sans,
            ),
            ("number", &d.number, Sans),
            ("verification_url", &d.verification_url, Sans),
            ("signatory_name", &d.signatory_name, SerifBold),
            ("signatory_title", &d.signatory_title, Sans),
            (
                "lead_trainer",
                d.lead_trainer.as_deref().unwrap_or(""),
                Sans,
            ),
        ];
        for (field, text, k) in checks {
            self.check_field(field, text, &[k])?;
        }
        Ok(())
    }

    /// Renders one certificate. Pure: identical data gives identical bytes.
    pub fn render(&self, data: &CertificateData) -> Result<Vec<u8>, RenderError> {
        let page = self.compose(data)?;
        self.embed(page, data)
    }

    /// Page composition: checks the data, lays out the dynamic text, the QR code, the
    /// signature and logo over the static page, picks the font subsets and fills in the
    /// document's metadata — a printpdf document, not yet written.
    fn compose(&self, data: &CertificateData) -> Result<Composed, RenderError> {
        self.validate(data)?;
        let page = &self.pages[usize::from(data.level == Level::Tot)];

        // Dynamic text, measured and placed.
        let text = layout::DynamicText::new(&self.faces, data);
        let (lines, name_w) = layout::dynamic_lines(&self.faces, data, &text);
        let (qr_n, qr_rects) = qr::qr_rects(&data.verification_url)?;

        // Page content: the precompressed static form, the QR form, the rule
        // under the name and the dynamic text.
        let static_id = XObjectId(STATIC_FORM.to_string());
        let qr_id = XObjectId("QR".to_string());
        let mut ops = Vec::with_capacity(48);
        ops.push(Op::UseXobject {
            id: static_id.clone(),
            transform: XObjectTransform::default(),
        });
        ops.push(Op::SaveGraphicsState);
        layout::name_rule_ops(name_w, &mut ops);
        ops.push(Op::SetFillColor {
            col: layout::navy(),
        });
        let qr_left = layout::qr_center_x() - layout::QR_SIZE / 2.0;
        ops.push(qr::qr_use(
            &qr_id,
            qr_n,
            qr_left,
            layout::QR_TOP,
            layout::QR_SIZE,
        ));
        let signature_id = XObjectId("Signature".to_string());
        let logo_id = XObjectId("Logo".to_string());
        if let Some(sig) = &self.artwork.signature {
            ops.push(image::image_use(&signature_id, layout::signature_box(sig)));
        }
        if let Some(logo) = &self.artwork.logo {
            ops.push(image::image_use(&logo_id, layout::logo_box(logo)));
        }
        ops.push(Op::RestoreGraphicsState);
        ops.extend_from_slice(&page.text);
        let is_extra = |f: FaceKind, c: char| !self.base[f as usize].char_gid.contains_key(&c);
        layout::text_ops(&lines, is_extra, &mut ops);

        // Fonts: per face the base subset (always the same, precompressed) and,
        // if the page has characters outside it, a small extra subset holding
        // just those (cached per set of extra characters).
        let mut base_used = page.chars.clone();
        let mut extra_used: [BTreeSet<char>; FACE_COUNT] = Default::default();
        for l in &lines {
            for c in l.text.chars() {
                if is_extra(l.face, c) {
                    extra_used[l.face as usize].insert(c);
                } else {
                    base_used[l.face as usize].insert(c);
                }
            }
        }
        let mut doc = PdfDocument::new(&document_title(data));
        doc.resources
            .xobjects
            .map
            .insert(static_id, static_form(&page.form));
        doc.resources
            .xobjects
            .map
            .insert(qr_id, qr::qr_form(qr_n, &qr_rects));
        if let Some(sig) = &self.artwork.signature {
            doc.resources
                .xobjects
                .map
                .insert(signature_id, sig.xobject());
        }
        if let Some(logo) = &self.artwork.logo {
            doc.resources.xobjects.map.insert(logo_id, logo.xobject());
        }
        let mut variants: Vec<Arc<FontVariant>> = Vec::with_capacity(2 * FACE_COUNT);
        for (k, face) in self.faces.iter().enumerate() {
            for (extra, used) in [(false, &base_used[k]), (true, &extra_used[k])] {
                if used.is_empty() {
                    continue;
                }
                let v = if extra {
                    self.extra_fonts.get_or_build(k, face, used)?
                } else {
                    self.base[k].clone()
                };
                let font = v.parsed_font(face, used);
                let id = FontId(FACES[k].resource(extra).to_string());
                doc.resources.fonts.map.insert(id, PdfFont::new(font));
                variants.push(v);
            }
        }

        // Metadata: everything derived from the data, nothing from the clock.
        let info = &mut doc.metadata.info;
        let when = pdf_date(data.issued_on);
        info.creation_date = when;
        info.modification_date = when;
        info.metadata_date = when;
        info.author = AUTHOR.to_string();
        info.creator = CREATOR.to_string();
        info.producer = PRODUCER.to_string();
        info.subject = document_subject(data);
        info.identifier = data.number.clone();
        info.keywords = document_keywords(data);

        doc.with_pages(vec![PdfPage::new(
            Mm(layout::PAGE_W_MM),
            Mm(layout::PAGE_H_MM),
            ops,
        )]);
        Ok(Composed { doc, variants })
    }

    /// PDF embedding: writes the composed document through lopdf with a deterministic trailer
    /// `/ID`, our own ToUnicode maps and the precompressed font streams, deflates the page
    /// content and serialises it.
    fn embed(&self, composed: Composed, data: &CertificateData) -> Result<Vec<u8>, RenderError> {
        let Composed { doc, variants } = composed;
        let mut warnings = Vec::new();
        let mut lo = doc.to_lopdf_document(&save_options(), &mut warnings);
        if let Some(w) = warnings
            .iter()
            .find(|w| w.severity == PdfParseErrorSeverity::Error)
        {
            return Err(RenderError::Pdf(w.msg.clone()));
        }

        // Deterministic trailer /ID: [hash(number), hash(all data)].
        let ids = [
            hex128(data.number.as_bytes()),
            hex128(&data_fingerprint(data)),
        ];
        let trailer_id = lo
            .trailer
            .get_mut(b"ID")
            .and_then(|o| o.as_array_mut())
            .map_err(|e| RenderError::Pdf(format!("trailer /ID: {e}")))?;
        for (slot, id) in trailer_id.iter_mut().zip(ids) {
            *slot
                .as_str_mut()
                .map_err(|e| RenderError::Pdf(format!("trailer /ID: {e}")))? = id.into_bytes();
        }

        // Fonts: our own full ToUnicode CMap (printpdf's lists only the glyphs
        // shown); and for variants compressed before, the packed streams, so
        // only the page content is deflated below.
        let mut to_pack = Vec::new();
        for (name, to_unicode, program) in type0_font_streams!(lo) {
            let Some(v) = variants.iter().find(|v| v.name.as_bytes() == name) else {
                continue;
            };
            let mut set = |id: (u32, u16), body: &StreamBytes| -> Result<(), RenderError> {
                let stream = lo
                    .get_object_mut(id)
                    .and_then(|o| o.as_stream_mut())
                    .map_err(|e| RenderError::Pdf(format!("font stream {id:?}: {e}")))?;
                stream.set_content(body.bytes.clone());
                if body.deflated {
                    stream.dict.set("Filter", "FlateDecode");
                }
                Ok(())
            };
            match v.packed.get() {
                Some(p) => {
                    set(to_unicode, &p.to_unicode)?;
                    set(program, &p.program)?;
                }
                None => {
                    set(
                        to_unicode,
                        &StreamBytes {
                            bytes: v.to_unicode.clone(),
                            deflated: false,
                        },
                    )?;
                    to_pack.push((v.clone(), to_unicode, program));
                }
            }
        }

        lo.compress();
        // After compressing: the XMP packet stays readable as plain text.
        pdfa::conform(
            &mut lo,
            &pdfa::Description {
                title: &document_title(data),
                author: AUTHOR,
                subject: &document_subject(data),
                keywords: &document_keywords(data).join(","),
                creator: CREATOR,
                producer: PRODUCER,
                date: data.issued_on,
                identifier: &data.number,
            },
            &self.icc,
        )?;

        for (v, to_unicode, program) in to_pack {
            let get = |id: (u32, u16)| {
                lo.get_object(id)
                    .and_then(|o| o.as_stream())
                    .ok()
                    .map(|s| StreamBytes {
                        bytes: s.content.clone(),
                        deflated: s.dict.has(b"Filter"),
                    })
            };
            if let (Some(program), Some(to_unicode)) = (get(program), get(to_unicode)) {
                let _ = v.packed.set(Packed {
                    program,
                    to_unicode,
                });
            }
        }

        let mut out = Vec::with_capacity(24 * 1024);
        lo.save_to(&mut out)
            .map_err(|e| RenderError::Pdf(e.to_string()))?;
        Ok(out)
    }
}

/// The document title: "IWSD certificate <number> — <holder>".
fn document_title(data: &CertificateData) -> String {
    format!(
        "IWSD certificate {} \u{2014} {}",
        data.number, data.holder_name
    )
}

/// The document subject: the course and level in words.
fn document_subject(data: &CertificateData) -> String {
    format!(
        "{} ({}) \u{2014} {}",
        data.course_title,
        data.course_code,
        level_words(data.level)
    )
}

fn document_keywords(data: &CertificateData) -> Vec<String> {
    vec![
        "IWSD".into(),
        data.course_code.clone(),
        "certificate".into(),
    ]
}

/// A composed certificate page: the printpdf document and the font variants it uses.
struct Composed {
    doc: PdfDocument,
    variants: Vec<Arc<FontVariant>>,
}

/// Serialize the static graphics once through printpdf and keep the
/// compressed page content stream.
fn compress_static(graphics: Vec<Op>) -> Result<StreamBytes, RenderError> {
    let mut doc = PdfDocument::new("static");
    doc.with_pages(vec![PdfPage::new(
        Mm(layout::PAGE_W_MM),
        Mm(layout::PAGE_H_MM),
        graphics,
    )]);
    let mut lo = doc.to_lopdf_document(&save_options(), &mut Vec::new());
    lo.compress();
    let content = lo.objects.values().find_map(|o| {
        let d = o.as_dict().ok()?;
        (d.get(b"Type").and_then(|t| t.as_name()).ok()? == b"Page")
            .then(|| d.get(b"Contents").and_then(|c| c.as_reference()).ok())?
    });
    let stream = content
        .and_then(|id| lo.get_object(id).and_then(|o| o.as_stream()).ok())
        .ok_or_else(|| RenderError::Pdf("static page has no content stream".into()))?;
    Ok(StreamBytes {
        bytes: stream.content.clone(),
        deflated: stream.dict.has(b"Filter"),
    })
}

/// The static page part as a form XObject covering the page.
fn static_form(body: &StreamBytes) -> XObject {
    let (w, h) = (layout::page_w(), layout::page_h());
    let mut dict = BTreeMap::from([
        ("Type".to_string(), DictItem::Name(b"XObject".to_vec())),
        ("Subtype".to_string(), DictItem::Name(b"Form".to_vec())),
        (
            "Name".to_string(),
            DictItem::Name(STATIC_FORM.as_bytes().to_vec()),
        ),
        (
            "BBox".to_string(),
            DictItem::Array(vec![
                DictItem::Int(0),
                DictItem::Int(0),
                DictItem::Real(w),
                DictItem::Real(h),
            ]),
        ),
    ]);
    if body.deflated {
        dict.insert(
            "Filter".to_string(),
            DictItem::Name(b"FlateDecode".to_vec()),
        );
    }
    XObject::External(ExternalXObject {
        stream: ExternalStream {
            dict,
            content: body.bytes.clone(),
            compress: false,
        },
        width: None,
        height: None,
        dpi: None,
    })
}

fn save_options() -> PdfSaveOptions {
    PdfSaveOptions {
        optimize: true,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    }
}

/// Noon UTC on the issue date (the same calendar day in every time zone ±12h).
fn pdf_date(d: NaiveDate) -> DateTime {
    DateTime::new_in_offset(
        Date {
            year: d.year(),
            month: d.month() as u8,
            day: d.day() as u8,
        },
        Time {
            hour: 12,
            minute: 0,
            second: 0,
            millisecond: 0,
        },
        Offset {
            hours: 0,
            minutes: 0,
            seconds: 0,
            milliseconds: 0,
        },
    )
}

/// Every field, unambiguously separated, for the second half of the `/ID`.
fn data_fingerprint(d: &CertificateData) -> Vec<u8> {
    let mut s = String::new();
    for part in [
        d.holder_name.as_str(),
        &d.course_code,
        &d.course_title,
        level_words(d.level),
        &d.start_date.to_string(),
        &d.end_date.to_string(),
        &d.venue,
        d.organisation.as_deref().unwrap_or("\u{0}"),
        &d.number,
        &d.issued_on.to_string(),
        &d.verification_url,
        &d.signatory_name,
        &d.signatory_title,
        &d.duration_days.to_string(),
        &d.topics.join("\u{1E}"),
        d.lead_trainer.as_deref().unwrap_or("\u{0}"),
    ] {
        s.push_str(part);
        s.push('\u{1F}');
    }
    s.into_bytes()
}

/// FNV-1a, 64 bit. Spelled out (not `DefaultHasher`) so IDs never change
/// across Rust releases — the bytes must stay stable for years.
pub(crate) struct Fnv(u64);
impl Fnv {
    pub(crate) fn new(seed: u64) -> Self {
        Fnv(0xcbf2_9ce4_8422_2325 ^ seed)
    }
    pub(crate) fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    pub(crate) fn finish(&self) -> u64 {
        self.0
    }
}

/// 32 hex digits from two differently seeded FNV-1a passes.
fn hex128(bytes: &[u8]) -> String {
    let (mut a, mut b) = (Fnv::new(0), Fnv::new(0x9e37_79b9_7f4a_7c15));
    a.write(bytes);
    b.write(bytes);
    format!("{:016x}{:016x}", a.finish(), b.finish())
}

#[allow(dead_code)]
fn assert_send_sync() {
    fn check<T: Send + Sync>() {}
    check::<CertificateRenderer>();
}
