//! Raster artwork from configuration: the signatory's signature (PNG) and the issuer's logo
//! (PNG, or SVG rasterised by `resvg`). Decoded, flattened onto the white page and
//! deflate-compressed once, at start-up; each render only places the ready image XObject.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use printpdf::{
    DictItem, ExternalStream, ExternalXObject, Op, Pt, XObject, XObjectId, XObjectTransform,
};

use super::RenderError;

/// Largest accepted width or height of a PNG, in pixels (a signature scan at 600 dpi is far less).
const MAX_PIXELS: u32 = 4096;
/// Height an SVG logo is rasterised to (≈ 500 dpi at the printed size).
const SVG_RASTER_HEIGHT: f32 = 360.0;

/// An RGB image, compressed and ready to embed.
#[derive(Debug)]
pub struct RasterImage {
    pub width: u32,
    pub height: u32,
    deflated_rgb: Vec<u8>,
}

/// The configured signature and logo; either may be absent (the built-in logo is then drawn,
/// and the signature line stays blank for a wet signature).
#[derive(Debug, Clone, Default)]
pub struct Artwork {
    pub signature: Option<Arc<RasterImage>>,
    pub logo: Option<Arc<RasterImage>>,
}

impl Artwork {
    /// Reads the files named by `CSSD_SIGNATURE_IMAGE` (PNG) and `CSSD_LOGO` (PNG or SVG).
    pub fn load(signature: Option<&Path>, logo: Option<&Path>) -> Result<Self, RenderError> {
        let read = |p: &Path| {
            std::fs::read(p).map_err(|e| RenderError::Image(format!("{}: {e}", p.display())))
        };
        let signature = match signature {
            Some(p) => Some(Arc::new(RasterImage::from_png(&read(p)?).map_err(|e| {
                RenderError::Image(format!("CSSD_SIGNATURE_IMAGE {}: {e}", p.display()))
            })?)),
            None => None,
        };
        let logo = match logo {
            Some(p) => Some(Arc::new(RasterImage::from_png_or_svg(&read(p)?).map_err(
                |e| RenderError::Image(format!("CSSD_LOGO {}: {e}", p.display())),
            )?)),
            None => None,
        };
        Ok(Self { signature, logo })
    }
}

impl RasterImage {
    /// Decodes a PNG (any bit depth or colour type), flattening transparency onto white.
    pub fn from_png(bytes: &[u8]) -> Result<Self, String> {
        let mut decoder = png::Decoder::new(bytes);
        decoder.set_transformations(png::Transformations::normalize_to_color8());
        let mut reader = decoder.read_info().map_err(|e| format!("not a PNG: {e}"))?;
        let (width, height) = (reader.info().width, reader.info().height);
        if width == 0 || height == 0 || width > MAX_PIXELS || height > MAX_PIXELS {
            return Err(format!(
                "{width}×{height} pixels; at most {MAX_PIXELS}×{MAX_PIXELS} are accepted"
            ));
        }
        let mut buf = vec![0; reader.output_buffer_size()];
        let frame = reader
            .next_frame(&mut buf)
            .map_err(|e| format!("not a PNG: {e}"))?;
        let data = &buf[..frame.buffer_size()];
        let white = |c: u8, a: u8| ((c as u32 * a as u32 + 255 * (255 - a as u32)) / 255) as u8;
        let rgb: Vec<u8> = match frame.color_type {
            png::ColorType::Rgb => data.to_vec(),
            png::ColorType::Rgba => data
                .chunks_exact(4)
                .flat_map(|p| [white(p[0], p[3]), white(p[1], p[3]), white(p[2], p[3])])
                .collect(),
            png::ColorType::Grayscale => data.iter().flat_map(|&g| [g, g, g]).collect(),
            png::ColorType::GrayscaleAlpha => data
                .chunks_exact(2)
                .flat_map(|p| {
                    let g = white(p[0], p[1]);
                    [g, g, g]
                })
                .collect(),
            png::ColorType::Indexed => return Err("indexed colour was not expanded".into()),
        };
        Ok(Self::from_rgb(width, height, &rgb))
    }

    /// A PNG, or an SVG rasterised with `resvg`.
    pub fn from_png_or_svg(bytes: &[u8]) -> Result<Self, String> {
        if bytes.starts_with(b"\x89PNG") {
            return Self::from_png(bytes);
        }
        let tree = resvg::usvg::Tree::from_data(bytes, &resvg::usvg::Options::default())
            .map_err(|e| format!("neither a PNG nor a readable SVG: {e}"))?;
        let size = tree.size();
        let scale = SVG_RASTER_HEIGHT / size.height();
        let (w, h) = (
            (size.width() * scale).ceil().max(1.0) as u32,
            SVG_RASTER_HEIGHT as u32,
        );
        if w > MAX_PIXELS {
            return Err("the SVG is too wide for a logo".into());
        }
        let mut pixmap =
            resvg::tiny_skia::Pixmap::new(w, h).ok_or("the SVG has no drawable size")?;
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::from_scale(scale, scale),
            &mut pixmap.as_mut(),
        );
        // Premultiplied RGBA over white: c + (255 - a).
        let rgb: Vec<u8> = pixmap
            .data()
            .chunks_exact(4)
            .flat_map(|p| {
                let bg = 255 - p[3];
                [
                    p[0].saturating_add(bg),
                    p[1].saturating_add(bg),
                    p[2].saturating_add(bg),
                ]
            })
            .collect();
        Ok(Self::from_rgb(w, h, &rgb))
    }

    fn from_rgb(width: u32, height: u32, rgb: &[u8]) -> Self {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(rgb).expect("writing to a Vec cannot fail");
        Self {
            width,
            height,
            deflated_rgb: z.finish().expect("writing to a Vec cannot fail"),
        }
    }

    /// Width over height.
    pub fn aspect(&self) -> f32 {
        self.width as f32 / self.height as f32
    }

    /// The image XObject.
    pub(crate) fn xobject(&self) -> XObject {
        let int = |v: u32| DictItem::Int(v as i64);
        let dict = BTreeMap::from([
            ("Type".to_string(), DictItem::Name(b"XObject".to_vec())),
            ("Subtype".to_string(), DictItem::Name(b"Image".to_vec())),
            ("Width".to_string(), int(self.width)),
            ("Height".to_string(), int(self.height)),
            (
                "ColorSpace".to_string(),
                DictItem::Name(b"DeviceRGB".to_vec()),
            ),
            ("BitsPerComponent".to_string(), DictItem::Int(8)),
            (
                "Filter".to_string(),
                DictItem::Name(b"FlateDecode".to_vec()),
            ),
        ]);
        XObject::External(ExternalXObject {
            stream: ExternalStream {
                dict,
                content: self.deflated_rgb.clone(),
                compress: false,
            },
            width: None,
            height: None,
            dpi: None,
        })
    }

    /// The largest placement of the image inside a `max_w` × `max_h` box whose bottom edge is
    /// centred at (`cx`, `bottom`): (left, bottom, width, height).
    pub(crate) fn fit(&self, cx: f32, bottom: f32, max_w: f32, max_h: f32) -> (f32, f32, f32, f32) {
        let (w, h) = if max_w / max_h > self.aspect() {
            (max_h * self.aspect(), max_h)
        } else {
            (max_w, max_w / self.aspect())
        };
        (cx - w / 2.0, bottom, w, h)
    }
}

/// Draws image XObject `id` in the rectangle (x, y, w, h).
pub(crate) fn image_use(id: &XObjectId, (x, y, w, h): (f32, f32, f32, f32)) -> Op {
    Op::UseXobject {
        id: id.clone(),
        transform: XObjectTransform {
            translate_x: Some(Pt(x)),
            translate_y: Some(Pt(y)),
            scale_x: Some(w),
            scale_y: Some(h),
            ..Default::default()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32, color: png::ColorType, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(color);
        encoder.set_depth(png::BitDepth::Eight);
        encoder
            .write_header()
            .unwrap()
            .write_image_data(data)
            .unwrap();
        out
    }

    #[test]
    fn transparent_pixels_become_white_paper() {
        let bytes = png(2, 1, png::ColorType::Rgba, &[0, 0, 0, 0, 0, 0, 0, 255]);
        let img = RasterImage::from_png(&bytes).unwrap();
        let mut rgb = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::ZlibDecoder::new(img.deflated_rgb.as_slice()),
            &mut rgb,
        )
        .unwrap();
        assert_eq!(rgb, [255, 255, 255, 0, 0, 0]);
    }

    #[test]
    fn an_svg_logo_is_rasterised_and_garbage_is_refused() {
        let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100"><rect width="200" height="100" fill="#167BAA"/></svg>"##;
        let img = RasterImage::from_png_or_svg(svg).unwrap();
        assert!((img.aspect() - 2.0).abs() < 0.01);
        assert!(RasterImage::from_png_or_svg(b"GIF89a").is_err());
        assert!(RasterImage::from_png(b"\x89PNG not really").is_err());
    }

    #[test]
    fn images_keep_their_proportions_inside_the_box() {
        let img = RasterImage::from_rgb(400, 100, &vec![0; 400 * 100 * 3]);
        let (x, y, w, h) = img.fit(200.0, 120.0, 180.0, 50.0);
        assert_eq!((w, h), (180.0, 45.0));
        assert_eq!((x, y), (110.0, 120.0));
    }
}
