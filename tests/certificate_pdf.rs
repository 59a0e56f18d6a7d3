//! End-to-end tests: render certificates, then read them back with `lopdf`
//! (structure, metadata) and `pdf-extract` (text, via the Type0 fonts'
//! ToUnicode CMaps).

use std::path::Path;
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use cssd::certificate::{CertificateData, CertificateRenderer, Level, RenderError};

fn renderer() -> &'static CertificateRenderer {
    static R: OnceLock<CertificateRenderer> = OnceLock::new();
    R.get_or_init(fresh_renderer)
}

fn fresh_renderer() -> CertificateRenderer {
    CertificateRenderer::from_assets_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("assets"))
        .expect("renderer")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn data(name: &str) -> CertificateData {
    CertificateData {
        holder_name: name.to_string(),
        course_code: "CSSD".into(),
        course_title: "Community Support to Service Delivery".into(),
        level: Level::Cascade,
        start_date: date(2026, 8, 24),
        end_date: date(2026, 8, 28),
        venue: "IWSD Training Centre, Harare".into(),
        organisation: Some("City of Harare".into()),
        number: "IWSD-CSSD-2026-000001".into(),
        issued_on: date(2026, 8, 30),
        verification_url: "https://cssd.iwsd.example/api/v1/verify/K7Q2M9X4T3".into(),
        signatory_name: "Eng. Tendai Moyo".into(),
        signatory_title: "Director, IWSD".into(),
        duration_days: 5,
        topics: vec![
            "The importance of good customer services".into(),
            "Knowing your customers".into(),
            "Good communication skills".into(),
        ],
        lead_trainer: Some("Nomvula Ndlovu".into()),
    }
}

/// The four names from the brief. The last one is written with explicit
/// escapes: precomposed é (U+00E9) and á (U+00E1), then o + COMBINING DOT
/// BELOW (U+0323) + COMBINING GRAVE ACCENT (U+0300) — there is no precomposed ọ̀.
const NAMES: [&str; 4] = [
    "Zoë Müller-Øberg",
    "Nomvula Ndlovu",
    "Tafadzwa Chikwanha",
    "Ngozi Okonkwo-Ad\u{e9}b\u{e1}yo\u{323}\u{300}",
];

fn extract_text(pdf: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(pdf).expect("pdf-extract")
}

fn load(pdf: &[u8]) -> lopdf::Document {
    lopdf::Document::load_mem(pdf).expect("lopdf parses the PDF")
}

fn number(o: &lopdf::Object) -> f32 {
    match o {
        lopdf::Object::Integer(i) => *i as f32,
        lopdf::Object::Real(r) => *r,
        other => panic!("not a number: {other:?}"),
    }
}

/// PDF text string (UTF-16BE with BOM, or PDFDocEncoding ≈ Latin-1) to String.
fn pdf_text_string(o: &lopdf::Object) -> String {
    let b = o.as_str().expect("string");
    if b.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> = b[2..]
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16(&units).unwrap()
    } else {
        b.iter().map(|&c| c as char).collect()
    }
}

#[test]
fn one_a4_landscape_page() {
    let pdf = renderer().render(&data("Nomvula Ndlovu")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let doc = load(&pdf);
    let pages = doc.get_pages();
    assert_eq!(pages.len(), 1, "exactly one page");
    let page = doc.get_dictionary(*pages.values().next().unwrap()).unwrap();
    let mb: Vec<f32> = page
        .get(b"MediaBox")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(number)
        .collect();
    assert_eq!(mb.len(), 4);
    let (w, h) = (mb[2] - mb[0], mb[3] - mb[1]);
    assert!(
        (w - 841.89).abs() < 1.0 && (h - 595.28).abs() < 1.0,
        "A4 landscape, got {w} x {h}"
    );
}

#[test]
fn holder_names_are_extracted_exactly() {
    for name in NAMES {
        let pdf = renderer().render(&data(name)).unwrap();
        let text = extract_text(&pdf);
        // Exact comparison, no Unicode normalisation: the ToUnicode CMap maps
        // every glyph (including the two zero-width combining marks) back to
        // the code point it was drawn for, in drawing order.
        assert!(
            text.contains(name),
            "{name:?} not found in extracted text:\n{text}"
        );
        assert!(
            text.contains("IWSD-CSSD-2026-000001"),
            "certificate number missing:\n{text}"
        );
        assert!(
            text.contains("Community Support to Service Delivery (CSSD)"),
            "course title missing:\n{text}"
        );
    }
}

#[test]
fn wording_depends_on_level_and_dates() {
    let mut d = data("Tafadzwa Chikwanha");
    d.level = Level::Tot;
    let text = extract_text(&renderer().render(&d).unwrap());
    assert!(
        text.contains("Training of Trainers \u{2014} certified to train others"),
        "{text}"
    );
    assert!(text.contains("24\u{2013}28 August 2026"), "{text}");
    assert!(text.contains("five-day course"), "{text}");

    d.level = Level::Community;
    d.start_date = date(2026, 8, 28);
    d.end_date = date(2026, 9, 2);
    d.organisation = None;
    d.duration_days = 4;
    let text = extract_text(&renderer().render(&d).unwrap());
    assert!(text.contains("Certificate of Completion"), "{text}");
    assert!(text.contains("Community workshop"), "{text}");
    assert!(
        text.contains("28 August \u{2013} 2 September 2026"),
        "{text}"
    );
    assert!(
        text.contains("four-day course"),
        "the course's length: {text}"
    );
    assert!(!text.contains("Organisation"), "{text}");

    d.start_date = date(2026, 12, 29);
    d.end_date = date(2027, 1, 2);
    let text = extract_text(&renderer().render(&d).unwrap());
    assert!(
        text.contains("29 December 2026 \u{2013} 2 January 2027"),
        "{text}"
    );
}

#[test]
fn missing_glyph_is_refused_before_rendering() {
    let r = renderer();
    match r.render(&data("王小明")) {
        Err(RenderError::MissingGlyph {
            character,
            codepoint,
            field,
        }) => {
            assert_eq!(
                (character, codepoint.as_str(), field),
                ('王', "U+738B", "holder_name")
            );
        }
        other => panic!("expected MissingGlyph, got {other:?}"),
    }
    match r.render(&data("Tendai 🙂")) {
        Err(RenderError::MissingGlyph {
            character,
            codepoint,
            ..
        }) => {
            assert_eq!((character, codepoint.as_str()), ('🙂', "U+1F642"));
        }
        other => panic!("expected MissingGlyph, got {other:?}"),
    }
    let err = r.check_drawable("Tendai 🙂").unwrap_err();
    assert!(err.to_string().contains("U+1F642"), "{err}");
    for name in NAMES {
        r.check_drawable(name).unwrap();
        r.check_holder_name(name).unwrap();
    }
    // Other fields are checked too, and named.
    let mut d = data("Nomvula Ndlovu");
    d.venue = "Harare 王宫".into();
    assert!(matches!(
        r.render(&d),
        Err(RenderError::MissingGlyph { field: "venue", .. })
    ));
}

#[test]
fn invalid_fields_are_refused() {
    let r = renderer();
    assert!(matches!(
        r.render(&data("  ")),
        Err(RenderError::InvalidField {
            field: "holder_name",
            ..
        })
    ));
    let mut d = data("Nomvula Ndlovu");
    d.end_date = date(2026, 8, 1);
    assert!(matches!(
        r.render(&d),
        Err(RenderError::InvalidField {
            field: "end_date",
            ..
        })
    ));
}

#[test]
fn metadata_has_title_author_and_issue_date() {
    let d = data("Zoë Müller-Øberg");
    let doc = load(&renderer().render(&d).unwrap());
    let info_id = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = doc.get_dictionary(info_id).unwrap();
    let title = pdf_text_string(info.get(b"Title").unwrap());
    assert!(
        title.contains("Zoë Müller-Øberg") && title.contains("IWSD-CSSD-2026-000001"),
        "{title}"
    );
    let author = pdf_text_string(info.get(b"Author").unwrap());
    assert!(author.contains("IWSD"), "{author}");
    for key in [&b"CreationDate"[..], b"ModDate"] {
        let date = pdf_text_string(info.get(key).unwrap());
        assert!(
            date.starts_with("D:20260830"),
            "{} = {date}",
            String::from_utf8_lossy(key)
        );
        assert!(!date.starts_with("D:1970"));
    }
}

/// (number of Type0 fonts, number of embedded font programs) after checking
/// each is a tagged subset with a ToUnicode CMap.
fn check_fonts(pdf: &[u8]) -> (usize, usize) {
    let doc = load(pdf);
    let mut fonts = 0;
    for obj in doc.objects.values() {
        let Ok(d) = obj.as_dict() else { continue };
        if d.get(b"Subtype").and_then(|s| s.as_name()).ok() == Some(b"Type0") {
            fonts += 1;
            let name =
                String::from_utf8_lossy(d.get(b"BaseFont").unwrap().as_name().unwrap()).to_string();
            assert!(
                name.len() > 7 && name.as_bytes()[6] == b'+',
                "subset tag missing: {name}"
            );
            assert!(d.get(b"ToUnicode").is_ok(), "{name} has no ToUnicode");
        }
    }
    let programs: Vec<_> = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.has(b"Length1"))
        .collect();
    for p in &programs {
        let len1 = number(p.dict.get(b"Length1").unwrap());
        assert!(len1 < 20_000.0, "font program not subset: {len1} bytes");
        assert_eq!(p.decompressed_content().unwrap().len() as f32, len1);
    }
    (fonts, programs.len())
}

#[test]
fn fonts_are_embedded_subsets() {
    // ASCII-only text: the two base subsets (DejaVu Sans, DejaVu Serif Bold).
    assert_eq!(
        check_fonts(&renderer().render(&data(NAMES[1])).unwrap()),
        (2, 2)
    );
    // é, á, ọ̀ are outside the base: one more, small, subset of Serif Bold.
    assert_eq!(
        check_fonts(&renderer().render(&data(NAMES[3])).unwrap()),
        (3, 3)
    );
}

#[test]
fn rendering_is_deterministic() {
    // Same renderer, twice; the second time the font-variant cache is warm.
    for name in NAMES {
        let a = renderer().render(&data(name)).unwrap();
        let b = renderer().render(&data(name)).unwrap();
        assert!(a == b, "{name}: two renders differ");
    }
    // A fresh renderer (cold caches, e.g. after a redeploy) gives the same bytes.
    let fresh = fresh_renderer();
    for name in NAMES {
        assert!(
            fresh.render(&data(name)).unwrap() == renderer().render(&data(name)).unwrap(),
            "{name}"
        );
    }
    // Different data, different bytes and different /ID.
    let a = load(&renderer().render(&data(NAMES[0])).unwrap());
    let b = load(&renderer().render(&data(NAMES[1])).unwrap());
    assert_ne!(a.trailer.get(b"ID").unwrap(), b.trailer.get(b"ID").unwrap());
}

#[test]
fn renderer_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<CertificateRenderer>();

    let r = Arc::new(fresh_renderer());
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let r = r.clone();
            std::thread::spawn(move || r.render(&data(NAMES[i % NAMES.len()])).unwrap())
        })
        .collect();
    let outputs: Vec<Vec<u8>> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    for (i, out) in outputs.iter().enumerate() {
        assert!(*out == renderer().render(&data(NAMES[i % NAMES.len()])).unwrap());
    }
}

#[test]
fn size_stays_small() {
    for name in NAMES {
        let pdf = renderer().render(&data(name)).unwrap();
        // PDF/A-3b adds the sRGB output intent's ICC profile and the XMP packet (~4 KB).
        assert!(pdf.len() <= 30 * 1024, "{name}: {} bytes", pdf.len());
    }
}

/// Optional cross-check with qpdf / pdftotext / pdftoppm + zbarimg when installed
/// (`apt-get install qpdf poppler-utils zbar-tools`).
#[test]
fn external_tools_agree_if_installed() {
    use std::process::Command;
    let dir = std::env::temp_dir().join(format!("cssd-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, name) in NAMES.iter().enumerate() {
        let path = dir.join(format!("{i}.pdf"));
        std::fs::write(&path, renderer().render(&data(name)).unwrap()).unwrap();
        if let Ok(out) = Command::new("qpdf").arg("--check").arg(&path).output() {
            assert!(
                out.status.success(),
                "qpdf --check failed for {name}: {}",
                String::from_utf8_lossy(&out.stdout)
            );
        }
        if let Ok(out) = Command::new("pdftotext").arg(&path).arg("-").output() {
            let text = String::from_utf8(out.stdout).unwrap();
            assert!(text.contains(name), "pdftotext lost {name:?}:\n{text}");
        }
        // The QR code decodes to the verification URL (poppler-utils, zbar-tools).
        let png = dir.join(format!("{i}"));
        let rendered = Command::new("pdftoppm")
            .args(["-png", "-r", "150", "-singlefile"])
            .arg(&path)
            .arg(&png)
            .status();
        if rendered.is_ok_and(|s| s.success())
            && let Ok(out) = Command::new("zbarimg")
                .args(["-q", "--raw"])
                .arg(png.with_extension("png"))
                .output()
        {
            let decoded = String::from_utf8_lossy(&out.stdout);
            assert_eq!(decoded.trim(), data(name).verification_url, "QR of {name}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_friday_start_prints_the_course_length_not_the_calendar_span() {
    // Friday 28 August to Thursday 3 September: seven calendar days, a five-day course.
    let mut d = data("Tafadzwa Chikwanha");
    d.start_date = date(2026, 8, 28);
    d.end_date = date(2026, 9, 3);
    d.duration_days = 5;
    let text = extract_text(&renderer().render(&d).unwrap());
    assert!(text.contains("five-day course"), "{text}");
    assert!(!text.contains("seven-day"), "{text}");
}

#[test]
fn each_level_is_said_in_words_and_no_phrase_is_printed_twice() {
    let levels = [
        (
            Level::Tot,
            "Training of Trainers \u{2014} certified to train others",
        ),
        (
            Level::Cascade,
            "Cascade workshop for council staff and community leaders",
        ),
        (Level::Community, "Community workshop"),
    ];
    for (level, words) in levels {
        let mut d = data("Rutendo Mapfumo");
        d.level = level;
        let text = extract_text(&renderer().render(&d).unwrap());
        assert_eq!(text.matches(words).count(), 1, "{words:?} once:\n{text}");
        for phrase in [
            "Training of Trainers",
            "Certificate of Completion",
            "successfully completed",
            "Lead trainer",
            "Topics covered",
            "Community Support to Service Delivery",
        ] {
            assert!(
                text.matches(phrase).count() <= 1,
                "{phrase:?} appears twice:\n{text}"
            );
        }
    }
}

#[test]
fn the_lead_trainer_and_the_topics_covered_are_printed() {
    let mut d = data("Nomvula Ndlovu");
    d.topics = [
        "the importance of good customer services",
        "knowing your customers",
        "good communication skills",
        "handling customer complaints",
        "customer feedback mechanisms",
        "professionalism",
        "customer care policy",
    ]
    .map(String::from)
    .to_vec();
    d.lead_trainer = Some("Chipo Mutasa-Zvobgo".into());
    let pdf = renderer().render(&d).unwrap();
    let text = extract_text(&pdf);
    assert!(text.contains("Lead trainer: Chipo Mutasa-Zvobgo"), "{text}");
    assert!(text.contains("Topics covered:"), "{text}");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for topic in &d.topics {
        assert!(flat.contains(topic.as_str()), "{topic:?} missing:\n{text}");
    }
    assert_glyphs_inside_page(&pdf);
}

/// Every glyph's origin and advance, in page coordinates, from the PDF's own text operators
/// (pdf-extract runs the content stream and reports each glyph with its text matrix).
struct GlyphBoxes {
    page: (f64, f64),
    glyphs: Vec<(String, f64, f64, f64, f64)>,
}

impl pdf_extract::OutputDev for GlyphBoxes {
    fn begin_page(
        &mut self,
        _: u32,
        media_box: &pdf_extract::MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        self.page = (media_box.urx - media_box.llx, media_box.ury - media_box.lly);
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        _: f64,
        font_size: f64,
        ch: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        // trm maps text space to the page (its scale times the font size is the glyph size;
        // `width` is the advance in ems).
        let size = font_size * trm.m11.hypot(trm.m12);
        self.glyphs
            .push((ch.to_string(), trm.m31, trm.m32, width * size, size));
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
}

fn glyphs(pdf: &[u8]) -> GlyphBoxes {
    let doc = pdf_extract::Document::load_mem(pdf).unwrap();
    let mut boxes = GlyphBoxes {
        page: (0.0, 0.0),
        glyphs: vec![],
    };
    pdf_extract::output_doc(&doc, &mut boxes).unwrap();
    boxes
}

/// Asserts every glyph (origin to origin + advance, descender to ascender) lies inside the
/// page's border (22 pt from each edge), and returns the glyphs.
fn assert_glyphs_inside_page(pdf: &[u8]) -> GlyphBoxes {
    let found = glyphs(pdf);
    let (w, h) = found.page;
    assert!(w > 800.0 && h > 590.0, "A4 landscape: {w} x {h}");
    assert!(!found.glyphs.is_empty());
    for (ch, x, y, advance, size) in &found.glyphs {
        let (left, right) = (*x, x + advance);
        let (bottom, top) = (y - 0.25 * size, y + 0.95 * size);
        assert!(
            left >= 22.0 && right <= w - 22.0 && bottom >= 22.0 && top <= h - 22.0,
            "glyph {ch:?} at x {left:.1}..{right:.1}, y {bottom:.1}..{top:.1} leaves the page {w:.1} x {h:.1}"
        );
    }
    found
}

#[test]
fn the_longest_accepted_name_stays_inside_the_page() {
    // Names are accepted up to 120 characters. With spaces they wrap to a second line…
    let spaced = "Tinotenda Nyasha Chipo Rufaro Mukanyangadze-Makoni Chiwenga Ndlovu Mhlanga \
                  Mapfumo Chikwanha Nyamadzawo Mutasa-Zvobgo Moyo";
    let spaced = &spaced[..120];
    assert_eq!(spaced.chars().count(), 120);
    let pdf = renderer().render(&data(spaced)).unwrap();
    let found = assert_glyphs_inside_page(&pdf);
    let name_rows: std::collections::BTreeSet<i64> = found
        .glyphs
        .iter()
        .filter(|g| g.4 > 14.0 && g.2 > 340.0 && g.2 < 415.0)
        .map(|g| g.2.round() as i64)
        .collect();
    assert_eq!(
        name_rows.len(),
        2,
        "the name wraps to two lines: {name_rows:?}"
    );
    let text = extract_text(&pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains(spaced.trim()),
        "the whole name is printed:\n{text}"
    );

    // …and without a space to break at, the one line shrinks until it fits.
    let unbroken = "W".repeat(120);
    let pdf = renderer().render(&data(&unbroken)).unwrap();
    let found = assert_glyphs_inside_page(&pdf);
    let name_glyphs: Vec<_> = found
        .glyphs
        .iter()
        .filter(|g| g.0 == "W" && g.2 > 340.0 && g.2 < 415.0)
        .collect();
    assert_eq!(name_glyphs.len(), 120, "all on the name's line");
    assert!(
        name_glyphs.iter().all(|g| g.2 == name_glyphs[0].2),
        "one line"
    );
}

fn signature_png() -> Vec<u8> {
    // A 300×80 pen stroke on a transparent background.
    let (w, h) = (300u32, 80u32);
    let mut rgba = vec![0u8; (w * h * 4) as usize];
    for x in 10..290 {
        let y = (40.0 + 25.0 * ((x as f32) / 30.0).sin()) as u32;
        for dy in 0..4 {
            let i = (((y + dy) * w + x) * 4) as usize;
            rgba[i..i + 4].copy_from_slice(&[16, 32, 96, 255]);
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .unwrap()
        .write_image_data(&rgba)
        .unwrap();
    out
}

#[test]
fn the_configured_signature_image_is_drawn_above_the_signature_line() {
    let artwork = cssd::certificate::Artwork {
        signature: Some(Arc::new(
            cssd::certificate::RasterImage::from_png(&signature_png()).unwrap(),
        )),
        logo: None,
    };
    let signed = CertificateRenderer::from_assets_dir_with(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("assets"),
        artwork,
    )
    .unwrap();
    let pdf = signed.render(&data("Nomvula Ndlovu")).unwrap();
    let doc = load(&pdf);
    let images: Vec<_> = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(|t| t.as_name()).ok() == Some(b"Image"))
        .collect();
    assert_eq!(images.len(), 1, "one image: the signature");
    let image = images[0];
    assert_eq!(number(image.dict.get(b"Width").unwrap()), 300.0);
    assert_eq!(number(image.dict.get(b"Height").unwrap()), 80.0);
    assert_eq!(image.decompressed_content().unwrap().len(), 300 * 80 * 3);
    let page = *doc.get_pages().values().next().unwrap();
    let content = String::from_utf8_lossy(&doc.get_page_content(page)).to_string();
    assert!(content.contains("/Signature Do"), "the page draws it");
    // Without a configured signature there is no image at all.
    let plain = load(&renderer().render(&data("Nomvula Ndlovu")).unwrap());
    assert!(
        !plain.objects.values().any(|o| o.as_stream().is_ok_and(|s| s
            .dict
            .get(b"Subtype")
            .and_then(|t| t.as_name())
            .ok()
            == Some(b"Image")))
    );
}
