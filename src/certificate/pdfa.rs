//! PDF/A-3b: what turns the written certificate into an archival document that carries its
//! own proof — the XMP metadata (`pdfaid:part 3`, `pdfaid:conformance B`) matching the
//! document information, the sRGB output intent (`assets/icc/sRGB.icc`), and the signed
//! credential embedded as `credential.jwt` (`AFRelationship /Data`, listed in the catalog's
//! `/AF`).
//!
//! [`conform`] works on the document as it is written (the renderer calls it);
//! [`attach_credential`] adds the credential to a rendered PDF once the credential is signed
//! (the certificate's id and status entry are known only inside the issuing transaction);
//! [`embedded_credential`] reads it back.

use chrono::NaiveDate;
use lopdf::{Dictionary, Document, Object, Stream, StringFormat};

use super::{RenderError, embed::StreamBytes};

/// The embedded file's name.
pub const CREDENTIAL_FILE: &str = "credential.jwt";
/// The embedded file's media type.
pub const CREDENTIAL_MEDIA_TYPE: &str = "application/vc+jwt";
/// The sRGB profile's identifier in the output intent.
const SRGB: &str = "sRGB IEC61966-2.1";

/// What the document information and the XMP packet both state.
pub(crate) struct Description<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub subject: &'a str,
    pub keywords: &'a str,
    pub creator: &'a str,
    pub producer: &'a str,
    /// Creation and modification date (noon UTC of the issue date).
    pub date: NaiveDate,
    pub identifier: &'a str,
}

fn literal(s: &str) -> Object {
    Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
}

/// A text string: ASCII as is, anything else UTF-16BE with its byte order mark.
fn text(s: &str) -> Object {
    if s.is_ascii() {
        return literal(s);
    }
    let mut bytes = vec![0xFE, 0xFF];
    for unit in s.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

fn pdf_date(d: NaiveDate) -> String {
    format!("D:{}120000+00'00'", d.format("%Y%m%d"))
}

fn xmp_date(d: NaiveDate) -> String {
    format!("{}T12:00:00+00:00", d.format("%Y-%m-%d"))
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// The XMP packet: Dublin Core, XMP basic and PDF properties equal to the document
/// information, and the PDF/A identification.
pub(crate) fn xmp(d: &Description) -> String {
    let date = xmp_date(d.date);
    format!(
        r#"<?xpacket begin="{bom}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdfaid:part>3</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
   <dc:identifier>{identifier}</dc:identifier>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
   <xmp:CreatorTool>{creator}</xmp:CreatorTool>
   <pdf:Producer>{producer}</pdf:Producer>
   <pdf:Keywords>{keywords}</pdf:Keywords>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"#,
        bom = '\u{FEFF}',
        title = xml_escape(d.title),
        author = xml_escape(d.author),
        subject = xml_escape(d.subject),
        identifier = xml_escape(d.identifier),
        creator = xml_escape(d.creator),
        producer = xml_escape(d.producer),
        keywords = xml_escape(d.keywords),
    )
}

/// The sRGB ICC profile stream, deflated once (at start-up).
pub(crate) fn icc_stream(profile: &[u8]) -> Result<StreamBytes, RenderError> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(profile)
        .and_then(|_| z.finish())
        .map(|bytes| StreamBytes {
            bytes,
            deflated: true,
        })
        .map_err(|e| RenderError::Pdf(format!("ICC profile: {e}")))
}

fn pdf_err(what: &str) -> impl Fn(lopdf::Error) -> RenderError + '_ {
    move |e| RenderError::Pdf(format!("{what}: {e}"))
}

/// Makes the written document PDF/A-3b: version 1.7, the document information replaced by
/// exactly what the XMP packet states (no `GTS_PDFXVersion`, no `Trapped`), the XMP packet as
/// the catalog's `/Metadata` (uncompressed, so that it can be read without a PDF library), and
/// the sRGB output intent.
pub(crate) fn conform(
    lo: &mut Document,
    d: &Description,
    icc: &StreamBytes,
) -> Result<(), RenderError> {
    lo.version = "1.7".into();
    let date = pdf_date(d.date);
    let info = Dictionary::from_iter(vec![
        ("Title", text(d.title)),
        ("Author", text(d.author)),
        ("Subject", text(d.subject)),
        ("Keywords", text(d.keywords)),
        ("Creator", text(d.creator)),
        ("Producer", text(d.producer)),
        ("CreationDate", literal(&date)),
        ("ModDate", literal(&date)),
    ]);
    let info_id = lo.add_object(Object::Dictionary(info));
    lo.trailer.set("Info", Object::Reference(info_id));

    let metadata = Stream::new(
        Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Metadata".to_vec())),
            ("Subtype", Object::Name(b"XML".to_vec())),
        ]),
        xmp(d).into_bytes(),
    )
    .with_compression(false);
    let metadata_id = lo.add_object(metadata);

    let mut profile_dict = Dictionary::from_iter(vec![("N", Object::Integer(3))]);
    if icc.deflated {
        profile_dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    }
    let profile = Stream::new(profile_dict, icc.bytes.clone()).with_compression(false);
    let profile_id = lo.add_object(profile);
    let intent = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"OutputIntent".to_vec())),
        ("S", Object::Name(b"GTS_PDFA1".to_vec())),
        ("OutputConditionIdentifier", literal(SRGB)),
        ("Info", literal(SRGB)),
        ("RegistryName", literal("http://www.color.org")),
        ("DestOutputProfile", Object::Reference(profile_id)),
    ]);

    let catalog = lo.catalog_mut().map_err(pdf_err("catalog"))?;
    catalog.set("Metadata", Object::Reference(metadata_id));
    catalog.set(
        "OutputIntents",
        Object::Array(vec![Object::Dictionary(intent)]),
    );
    Ok(())
}

/// Adds the signed credential to a rendered certificate as the embedded file
/// `credential.jwt` (`/AFRelationship /Data`, in the catalog's `/AF` and `/EmbeddedFiles`).
/// Pure: the same PDF and credential give the same bytes.
pub fn attach_credential(
    pdf: &[u8],
    jwt: &str,
    issued_on: NaiveDate,
) -> Result<Vec<u8>, RenderError> {
    let mut lo = Document::load_mem(pdf).map_err(pdf_err("reading the certificate"))?;
    let mut file = Stream::new(
        Dictionary::from_iter(vec![
            ("Type", Object::Name(b"EmbeddedFile".to_vec())),
            (
                "Subtype",
                Object::Name(CREDENTIAL_MEDIA_TYPE.as_bytes().to_vec()),
            ),
            (
                "Params",
                Object::Dictionary(Dictionary::from_iter(vec![
                    ("Size", Object::Integer(jwt.len() as i64)),
                    ("ModDate", literal(&pdf_date(issued_on))),
                ])),
            ),
        ]),
        jwt.as_bytes().to_vec(),
    );
    file.compress()
        .map_err(pdf_err("compressing the credential"))?;
    let file_id = lo.add_object(file);
    let spec = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Filespec".to_vec())),
        ("F", literal(CREDENTIAL_FILE)),
        ("UF", text(CREDENTIAL_FILE)),
        (
            "Desc",
            literal("The certificate's Open Badges 3.0 credential, signed (VC-JWT)"),
        ),
        ("AFRelationship", Object::Name(b"Data".to_vec())),
        (
            "EF",
            Object::Dictionary(Dictionary::from_iter(vec![
                ("F", Object::Reference(file_id)),
                ("UF", Object::Reference(file_id)),
            ])),
        ),
    ]);
    let spec_id = lo.add_object(spec);
    let catalog = lo.catalog_mut().map_err(pdf_err("catalog"))?;
    catalog.set("AF", Object::Array(vec![Object::Reference(spec_id)]));
    catalog.set(
        "Names",
        Object::Dictionary(Dictionary::from_iter(vec![(
            "EmbeddedFiles",
            Object::Dictionary(Dictionary::from_iter(vec![(
                "Names",
                Object::Array(vec![literal(CREDENTIAL_FILE), Object::Reference(spec_id)]),
            )])),
        )])),
    );
    let mut out = Vec::with_capacity(pdf.len() + jwt.len());
    lo.save_to(&mut out)
        .map_err(|e| RenderError::Pdf(format!("writing the certificate: {e}")))?;
    Ok(out)
}

/// The credential embedded in a certificate PDF, if it carries one.
pub fn embedded_credential(pdf: &[u8]) -> Option<String> {
    let lo = Document::load_mem(pdf).ok()?;
    let catalog = lo.catalog().ok()?;
    let specs = catalog.get(b"AF").ok()?.as_array().ok()?;
    for spec in specs {
        let spec = lo.dereference(spec).ok()?.1.as_dict().ok()?;
        if spec.get(b"F").ok()?.as_str().ok()? != CREDENTIAL_FILE.as_bytes() {
            continue;
        }
        let file_ref = spec.get(b"EF").ok()?.as_dict().ok()?.get(b"F").ok()?;
        let stream = lo.dereference(file_ref).ok()?.1.as_stream().ok()?;
        let bytes = stream.decompressed_content().ok()?;
        return String::from_utf8(bytes).ok();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_xmp_packet_escapes_what_xml_would_misread() {
        let d = Description {
            title: "IWSD certificate — Tom & <Jerry>",
            author: "IWSD",
            subject: "s",
            keywords: "k",
            creator: "c",
            producer: "p",
            date: NaiveDate::from_ymd_opt(2026, 8, 30).unwrap(),
            identifier: "IWSD-CSSD-2026-000001",
        };
        let packet = xmp(&d);
        assert!(packet.contains("Tom &amp; &lt;Jerry&gt;"));
        assert!(packet.contains("<pdfaid:part>3</pdfaid:part>"));
        assert!(packet.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
        assert!(packet.contains("<xmp:CreateDate>2026-08-30T12:00:00+00:00</xmp:CreateDate>"));
    }
}
