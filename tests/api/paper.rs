//! Paper that proves itself: new certificate PDFs are PDF/A-3b carrying their signed
//! credential, and the baked badge carries it too. Each is checked from the outside: the
//! embedded credential verified against the public JWKS alone.

use std::process::Command;

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use lopdf::{Document, Object};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// A completed workshop of a new course with one holder, issued; returns the certificate.
async fn one_certificate(app: &TestApp, code: &str, level: &str) -> Value {
    let course = app.course(code, 5).await;
    let parent = if level == "tot" {
        None
    } else {
        // A cascade workshop needs a completed ToT parent.
        let (tot, _) = app
            .completed_workshop(course, "tot", None, &[], &[("Parent Holder", Some(90.0))])
            .await;
        Some(tot)
    };
    let (w, _) = app
        .completed_workshop(
            course,
            level,
            parent,
            &[],
            &[("Nomvula Ndlovu", Some(90.0))],
        )
        .await;
    let resp = app
        .post(&format!("/api/v1/workshops/{w}/certificates"), json!({}))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    resp.body["issued"][0].clone()
}

async fn pdf_of(app: &TestApp, id: i64) -> Vec<u8> {
    let (status, _, bytes) = app.bytes(&format!("/api/v1/certificates/{id}/pdf")).await;
    assert_eq!(status, 200);
    bytes
}

/// Verifies a VC-JWT with nothing but the issuer's public JWKS (as an outside verifier would);
/// returns its claims.
async fn verify_with_jwks(app: &TestApp, jwt: &str) -> Value {
    let jwks = app.anonymous().get("/.well-known/jwks.json").await.body;
    let header = jsonwebtoken::decode_header(jwt).expect("a JOSE header");
    let kid = header.kid.expect("a kid");
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid.as_str())
        .expect("the kid is published");
    let decoding =
        DecodingKey::from_rsa_components(key["n"].as_str().unwrap(), key["e"].as_str().unwrap())
            .unwrap();
    let mut validation = Validation::new(Algorithm::RS256);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    jsonwebtoken::decode::<Value>(jwt, &decoding, &validation)
        .expect("the signature verifies against the JWKS")
        .claims
}

fn name(o: &Object) -> &[u8] {
    o.as_name().unwrap()
}

#[tokio::test]
async fn a_new_certificate_is_pdf_a_3b_and_carries_its_signed_credential() {
    let app = spawn_app().await;
    let c = one_certificate(&app, "PA", "tot").await;
    let id = c["id"].as_i64().unwrap();
    let bytes = pdf_of(&app, id).await;
    assert!(
        bytes.starts_with(b"%PDF-1.7\n%"),
        "PDF 1.7 with a binary comment"
    );
    let doc = Document::load_mem(&bytes).expect("the PDF parses");
    let catalog = doc.catalog().unwrap();

    // XMP: PDF/A-3, conformance B, title and dates as the document information says.
    let metadata = doc
        .get_object(catalog.get(b"Metadata").unwrap().as_reference().unwrap())
        .unwrap()
        .as_stream()
        .unwrap();
    assert!(!metadata.dict.has(b"Filter"), "the XMP packet stays plain");
    let xmp = String::from_utf8(metadata.content.clone()).unwrap();
    assert!(xmp.contains("<pdfaid:part>3</pdfaid:part>"), "{xmp}");
    assert!(xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
    assert!(xmp.contains(c["number"].as_str().unwrap()));
    let info = doc
        .get_object(doc.trailer.get(b"Info").unwrap().as_reference().unwrap())
        .unwrap()
        .as_dict()
        .unwrap();
    assert!(!info.has(b"GTS_PDFXVersion"), "no empty PDF/X entry");
    let issued = c["issued_on"].as_str().unwrap().replace('-', "");
    assert_eq!(
        info.get(b"CreationDate").unwrap().as_str().unwrap(),
        format!("D:{issued}120000+00'00'").as_bytes()
    );
    assert!(xmp.contains(&format!(
        "<xmp:CreateDate>{}T12:00:00+00:00</xmp:CreateDate>",
        c["issued_on"].as_str().unwrap()
    )));

    // The sRGB output intent.
    let intents = catalog.get(b"OutputIntents").unwrap().as_array().unwrap();
    let intent = intents[0].as_dict().unwrap();
    assert_eq!(name(intent.get(b"S").unwrap()), b"GTS_PDFA1");
    let profile = doc
        .get_object(
            intent
                .get(b"DestOutputProfile")
                .unwrap()
                .as_reference()
                .unwrap(),
        )
        .unwrap()
        .as_stream()
        .unwrap();
    assert_eq!(profile.dict.get(b"N").unwrap().as_i64().unwrap(), 3);
    let icc = profile.decompressed_content().unwrap();
    assert_eq!(&icc[36..40], b"acsp", "an ICC profile");
    assert_eq!(&icc[16..20], b"RGB ");

    // The credential: embedded file credential.jwt, AFRelationship /Data, listed in /AF.
    let af = catalog.get(b"AF").unwrap().as_array().unwrap();
    let spec = doc
        .get_object(af[0].as_reference().unwrap())
        .unwrap()
        .as_dict()
        .unwrap();
    assert_eq!(spec.get(b"F").unwrap().as_str().unwrap(), b"credential.jwt");
    assert_eq!(name(spec.get(b"AFRelationship").unwrap()), b"Data");
    let embedded = cssd::certificate::embedded_credential(&bytes).expect("an embedded credential");
    let claims = verify_with_jwks(&app, &embedded).await;
    assert_eq!(
        claims["credentialSubject"]["identifier"][0]["identityHash"],
        "Nomvula Ndlovu"
    );
    let description = claims["description"].as_str().unwrap();
    assert!(
        description.contains(c["number"].as_str().unwrap()),
        "{description}"
    );
    assert_eq!(
        claims["credentialSubject"]["achievement"]["image"]["id"],
        format!(
            "{}/api/v1/badges/PA/tot",
            app.state.config.public_url_trimmed()
        )
    );
    // The issuer's verifier agrees, and says when it is revoked (the status list).
    let verdict = app
        .anonymous()
        .post(
            "/api/v1/credentials/verify",
            json!({"credential": embedded}),
        )
        .await;
    assert_eq!(verdict.body["valid"], true, "{}", verdict.text);
    app.post(
        &format!("/api/v1/certificates/{id}/revoke"),
        json!({"reason": "Issued in error"}),
    )
    .await;
    let verdict = app
        .anonymous()
        .post(
            "/api/v1/credentials/verify",
            json!({"credential": embedded}),
        )
        .await;
    assert_eq!(verdict.body["valid"], false, "{}", verdict.text);
    // The stored PDF did not change with the revocation.
    assert_eq!(pdf_of(&app, id).await, bytes);
}

fn tool(program: &str, args: &[&str]) -> std::process::Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("{program} could not run ({e}); install qpdf, poppler-utils and libxml2-utils")
        })
}

#[tokio::test]
#[ignore = "needs qpdf, poppler-utils and libxml2-utils (.ci/run installs them and runs it)"]
async fn outside_tools_accept_the_pdf_and_find_the_credential_and_the_pdf_a_identification() {
    let app = spawn_app().await;
    let c = one_certificate(&app, "PT", "tot").await;
    let bytes = pdf_of(&app, c["id"].as_i64().unwrap()).await;
    let dir = tempdir();
    let file = dir.join("certificate.pdf");
    std::fs::write(&file, &bytes).unwrap();
    let path = file.to_str().unwrap();

    let check = tool("qpdf", &["--check", path]);
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "qpdf --check: {said}");
    assert!(
        said.contains("No syntax or stream encoding errors"),
        "{said}"
    );

    let list = tool("pdfdetach", &["-list", path]);
    let listed = String::from_utf8_lossy(&list.stdout);
    assert!(listed.contains("1 embedded files"), "{listed}");
    assert!(listed.contains("credential.jwt"), "{listed}");
    let saved = dir.join("credential.jwt");
    let save = tool(
        "pdfdetach",
        &[
            "-savefile",
            "credential.jwt",
            "-o",
            saved.to_str().unwrap(),
            path,
        ],
    );
    assert!(
        save.status.success(),
        "{}",
        String::from_utf8_lossy(&save.stderr)
    );
    let jwt = std::fs::read_to_string(&saved).unwrap();
    let claims = verify_with_jwks(&app, &jwt).await;
    assert_eq!(claims["type"][1], "OpenBadgeCredential");

    // The XMP packet as poppler reads it, parsed by libxml2.
    let meta = tool("pdfinfo", &["-meta", path]);
    let xmp_file = dir.join("xmp.xml");
    std::fs::write(&xmp_file, &meta.stdout).unwrap();
    let read = |xpath: &str| {
        let out = tool("xmllint", &["--xpath", xpath, xmp_file.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "xmllint {xpath}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    assert_eq!(
        read(
            "string(//*[local-name()='part' and namespace-uri()='http://www.aiim.org/pdfa/ns/id/'])"
        ),
        "3"
    );
    assert_eq!(
        read(
            "string(//*[local-name()='conformance' and namespace-uri()='http://www.aiim.org/pdfa/ns/id/'])"
        ),
        "B"
    );
    let info = tool("pdfinfo", &[path]);
    let info = String::from_utf8_lossy(&info.stdout);
    let version = info
        .lines()
        .find_map(|l| l.strip_prefix("PDF version:"))
        .map(str::trim);
    assert_eq!(version, Some("1.7"), "{info}");
    std::fs::remove_dir_all(dir).ok();
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "cssd-pdfa-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn rand_suffix() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(0u8)
}

#[tokio::test]
async fn the_baked_badge_is_a_png_whose_itxt_chunk_holds_the_verifiable_credential() {
    let app = spawn_app().await;
    let tot = one_certificate(&app, "BG", "tot").await;
    let id = tot["id"].as_i64().unwrap();
    let (status, ct, png) = app
        .bytes(&format!("/api/v1/certificates/{id}/badge.png"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(ct, "image/png");

    // Read back with a PNG library: its iTXt chunk `openbadgecredential` holds the VC-JWT.
    let decoder = png::Decoder::new(std::io::Cursor::new(&png));
    let mut reader = decoder.read_info().expect("a PNG");
    let info = reader.info();
    assert_eq!((info.width, info.height), (256, 256));
    let baked = info
        .utf8_text
        .iter()
        .find(|c| c.keyword == "openbadgecredential")
        .expect("an openbadgecredential iTXt chunk")
        .get_text()
        .unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    reader.next_frame(&mut pixels).expect("the image decodes");
    let claims = verify_with_jwks(&app, &baked).await;
    assert_eq!(
        claims["credentialSubject"]["achievement"]["humanCode"],
        "BG"
    );
    assert_eq!(
        claims["credentialSubject"]["achievement"]["image"]["id"],
        format!(
            "{}/api/v1/badges/BG/tot",
            app.state.config.public_url_trimmed()
        )
    );
    let verdict = app
        .anonymous()
        .post("/api/v1/credentials/verify", json!({"credential": baked}))
        .await;
    assert_eq!(verdict.body["valid"], true, "{}", verdict.text);

    // Each course and level has its own badge image: a cascade badge of the same course differs.
    let cascade = one_certificate(&app, "BG2", "cascade").await;
    let (_, _, other) = app
        .bytes(&format!(
            "/api/v1/certificates/{}/badge.png",
            cascade["id"].as_i64().unwrap()
        ))
        .await;
    let mut other_reader = png::Decoder::new(std::io::Cursor::new(&other))
        .read_info()
        .unwrap();
    let mut other_pixels = vec![0; other_reader.output_buffer_size()];
    other_reader.next_frame(&mut other_pixels).unwrap();
    assert_ne!(pixels, other_pixels);

    // Only the holder and certificate managers; unknown ids are 404.
    let stranger = app
        .user_token("participant", "stranger@example.org", None)
        .await;
    app.with_token(&stranger)
        .get(&format!("/api/v1/certificates/{id}/badge.png"))
        .await
        .assert_problem(403);
    app.get("/api/v1/certificates/999999/badge.png")
        .await
        .assert_problem(404);
}

#[tokio::test]
async fn the_achievements_picture_is_public_the_course_badge_without_anyones_credential() {
    let app = spawn_app().await;
    let tot = one_certificate(&app, "PIC", "tot").await;
    let id = tot["id"].as_i64().unwrap();
    let (_, _, baked) = app
        .bytes(&format!("/api/v1/certificates/{id}/badge.png"))
        .await;
    let decode = |png: &[u8]| {
        let mut reader = png::Decoder::new(std::io::Cursor::new(png.to_vec()))
            .read_info()
            .expect("a PNG");
        let texts = reader.info().utf8_text.len();
        let mut pixels = vec![0; reader.output_buffer_size()];
        reader.next_frame(&mut pixels).expect("the image decodes");
        (texts, pixels)
    };

    // Anyone may fetch the picture the credential's achievement points at (a wallet shows it).
    let resp = reqwest::get(format!("{}/api/v1/badges/PIC/tot", app.base))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "image/png");
    assert!(
        resp.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age"),
        "{:?}",
        resp.headers()
    );
    let picture = resp.bytes().await.unwrap();
    let (texts, pixels) = decode(&picture);
    assert_eq!(texts, 0, "no credential baked into the public picture");
    assert_eq!(
        pixels,
        decode(&baked).1,
        "the same picture as the holder's badge"
    );

    // Another level is another picture; an unknown course or level is refused.
    let (_, _, cascade) = app.bytes("/api/v1/badges/PIC/cascade").await;
    assert_ne!(decode(&cascade).1, pixels);
    app.anonymous()
        .get("/api/v1/badges/NOPE/tot")
        .await
        .assert_problem(404);
    let bad = app.anonymous().get("/api/v1/badges/PIC/gold").await;
    assert!(matches!(bad.status.as_u16(), 400 | 422), "{}", bad.text);
}
