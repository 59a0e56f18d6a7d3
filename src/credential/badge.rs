//! Open Badges 3.0 baked badges: each course's badge image, drawn from the course (a colour of
//! its own, picked from its code, and the level as one, two or three stars on a ring), written
//! as a PNG that carries the signed credential in an `iTXt` chunk with the keyword
//! `openbadgecredential` (OB 3.0 §5.3, "Baking"). Pure functions from facts to bytes.

use resvg::{tiny_skia, usvg};

use super::super::certificate::Level;

/// The `iTXt` keyword OB 3.0 §5.3 names for a baked VC-JWT.
pub const BAKED_KEYWORD: &str = "openbadgecredential";
/// Width and height of a badge, in pixels.
pub const BADGE_SIZE: u32 = 256;

/// Colours a course's badge may take (fill, darker ring): water blues and greens that keep
/// white stars readable.
const PALETTE: [(&str, &str); 6] = [
    ("#1f6fb2", "#12456f"),
    ("#138a72", "#0b5446"),
    ("#6a4fb3", "#3f2d70"),
    ("#b5523b", "#6f2f20"),
    ("#2f7d32", "#1b4a1d"),
    ("#9a6b00", "#5c4000"),
];

/// The course's colours: the same code always picks the same pair.
pub fn course_colours(course_code: &str) -> (&'static str, &'static str) {
    // FNV-1a: stable across Rust releases (the badge of a course must not change colour).
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in course_code.trim().to_ascii_uppercase().bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    PALETTE[(hash % PALETTE.len() as u64) as usize]
}

/// Stars on the badge: three for a ToT, two for a cascade, one for a community workshop.
pub fn stars(level: Level) -> usize {
    match level {
        Level::Tot => 3,
        Level::Cascade => 2,
        Level::Community => 1,
    }
}

fn star_path(cx: f32, cy: f32, r: f32) -> String {
    let mut d = String::new();
    for i in 0..10 {
        let radius = if i % 2 == 0 { r } else { r * 0.45 };
        let angle = std::f32::consts::PI * (i as f32) / 5.0 - std::f32::consts::FRAC_PI_2;
        let (x, y) = (cx + radius * angle.cos(), cy + radius * angle.sin());
        d.push_str(&format!("{}{x:.2},{y:.2} ", if i == 0 { 'M' } else { 'L' }));
    }
    d.push('Z');
    d
}

/// The badge as SVG: a disc in the course colour, a ring, a water drop, and the level's stars.
pub fn badge_svg(course_code: &str, level: Level) -> String {
    let (fill, ring) = course_colours(course_code);
    let n = stars(level);
    let spacing = 40.0;
    let first = 128.0 - spacing * (n as f32 - 1.0) / 2.0;
    let stars: String = (0..n)
        .map(|i| {
            format!(
                r##"<path d="{}" fill="#ffffff"/>"##,
                star_path(first + spacing * i as f32, 178.0, 16.0)
            )
        })
        .collect();
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
<circle cx="128" cy="128" r="124" fill="{ring}"/>
<circle cx="128" cy="128" r="108" fill="{fill}"/>
<circle cx="128" cy="128" r="98" fill="none" stroke="#ffffff" stroke-width="3" stroke-opacity="0.6"/>
<path d="M128 44 C150 78 170 100 170 124 A42 42 0 0 1 86 124 C86 100 106 78 128 44 Z" fill="#ffffff"/>
<path d="M110 124 A18 18 0 0 0 128 142" fill="none" stroke="{fill}" stroke-width="6" stroke-linecap="round"/>
{stars}
</svg>"##
    )
}

/// Why a badge could not be made.
#[derive(Debug, thiserror::Error)]
pub enum BadgeError {
    #[error("drawing the badge: {0}")]
    Draw(String),
    #[error("writing the PNG: {0}")]
    Png(#[from] png::EncodingError),
}

/// The course's badge with `credential` (a VC-JWT) baked in: a PNG with an `iTXt` chunk
/// `openbadgecredential`.
pub fn bake(course_code: &str, level: Level, credential: &str) -> Result<Vec<u8>, BadgeError> {
    encode(course_code, level, Some(credential))
}

/// The course's badge for `level` as a plain PNG: the achievement's picture, the same for
/// every holder.
pub fn draw(course_code: &str, level: Level) -> Result<Vec<u8>, BadgeError> {
    encode(course_code, level, None)
}

fn encode(
    course_code: &str,
    level: Level,
    credential: Option<&str>,
) -> Result<Vec<u8>, BadgeError> {
    let svg = badge_svg(course_code, level);
    let tree = usvg::Tree::from_str(&svg, &usvg::Options::default())
        .map_err(|e| BadgeError::Draw(e.to_string()))?;
    let mut pixmap = tiny_skia::Pixmap::new(BADGE_SIZE, BADGE_SIZE)
        .ok_or_else(|| BadgeError::Draw("no pixmap".into()))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    // tiny-skia keeps premultiplied alpha; PNG wants it straight.
    let rgba: Vec<u8> = pixmap
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        })
        .collect();

    let baked = credential.map_or(0, str::len);
    let mut out = Vec::with_capacity(rgba.len() / 4 + baked + 1024);
    {
        let mut encoder = png::Encoder::new(&mut out, BADGE_SIZE, BADGE_SIZE);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        if let Some(credential) = credential {
            encoder.add_itxt_chunk(BAKED_KEYWORD.to_owned(), credential.to_owned())?;
        }
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&rgba)?;
        writer.finish()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_course_keeps_its_colour_and_courses_differ() {
        assert_eq!(course_colours("CSSD"), course_colours("cssd"));
        assert_ne!(course_colours("CSSD"), course_colours("CC"));
    }

    #[test]
    fn the_level_sets_the_stars() {
        assert_eq!(stars(Level::Tot), 3);
        assert_eq!(stars(Level::Cascade), 2);
        assert_eq!(stars(Level::Community), 1);
        // The drop and its highlight, then one path per star.
        assert_eq!(
            badge_svg("CSSD", Level::Tot).matches("<path d=\"M").count(),
            2 + 3
        );
    }

    #[test]
    fn the_credential_is_baked_into_an_itxt_chunk() {
        let png_bytes = bake("CSSD", Level::Cascade, "a.b.c").unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        let reader = decoder.read_info().unwrap();
        let chunk = reader
            .info()
            .utf8_text
            .iter()
            .find(|c| c.keyword == BAKED_KEYWORD)
            .expect("the iTXt chunk");
        assert_eq!(chunk.get_text().unwrap(), "a.b.c");
        assert_eq!(reader.info().width, BADGE_SIZE);
    }
}
