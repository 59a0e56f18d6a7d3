//! `cargo bench --bench certificates` — plain `Instant` loops, no harness.
//!
//! Reports: renderer construction time, median / p95 time to render one
//! certificate, PDF size, the time to render 35 certificates and pack
//! them into a ZIP (deflate); then the digital credentials: Open Badges 3.0
//! credentials built and signed (RS256 VC-JWT) per second, and a revocation
//! status list rebuilt for 100,000 certificates (bits set, GZIP, base64url,
//! signed).

use std::io::{Cursor, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use cssd::certificate::{CertificateData, CertificateRenderer, Level};
use zip::write::SimpleFileOptions;

const NAMES: [&str; 7] = [
    "Zoë Müller-Øberg",
    "Nomvula Ndlovu",
    "Tafadzwa Chikwanha",
    "Ngozi Okonkwo-Ad\u{e9}b\u{e1}yo\u{323}\u{300}",
    "Rutendo Mapfumo",
    "Kudakwashe Nyamadzawo",
    "Chipo Mutasa-Zvobgo",
];

fn data(i: usize) -> CertificateData {
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
    CertificateData {
        holder_name: NAMES[i % NAMES.len()].to_string(),
        course_code: "CSSD".into(),
        course_title: "Community Support to Service Delivery".into(),
        level: [Level::Tot, Level::Cascade, Level::Community][i % 3],
        start_date: d(2026, 8, 24),
        end_date: d(2026, 8, 28),
        venue: "IWSD Training Centre, Harare".into(),
        organisation: Some("City of Harare".into()),
        number: format!("IWSD-CSSD-2026-{:06}", i + 1),
        issued_on: d(2026, 8, 30),
        verification_url: format!("https://cssd.iwsd.example/api/v1/verify/Q{:010}", i * 7919),
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

fn stats(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    (ms(v[v.len() / 2]), ms(v[(v.len() * 95) / 100]))
}

fn zip35(r: &CertificateRenderer, batch: usize) -> Vec<u8> {
    let mut zw = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(35 * 18 * 1024)));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..35 {
        let d = data(batch * 35 + i);
        let pdf = r.render(&d).expect("render");
        zw.start_file(format!("{}.pdf", d.number), opts).unwrap();
        zw.write_all(&pdf).unwrap();
    }
    zw.finish().unwrap().into_inner()
}

fn main() {
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
    let t = Instant::now();
    let r = CertificateRenderer::from_assets_dir(&assets).expect("renderer");
    println!(
        "renderer construction      {:>8.2} ms",
        t.elapsed().as_secs_f64() * 1e3
    );

    // Warm-up.
    for i in 0..100 {
        std::hint::black_box(r.render(&data(i)).unwrap());
    }

    let n = 2000;
    let mut times = Vec::with_capacity(n);
    let mut sizes = Vec::with_capacity(n);
    for i in 0..n {
        let d = data(i);
        let t = Instant::now();
        let pdf = r.render(&d).unwrap();
        times.push(t.elapsed());
        sizes.push(pdf.len());
    }
    let (med, p95) = stats(times);
    sizes.sort();
    println!("render one certificate     median {med:.3} ms   p95 {p95:.3} ms   ({n} renders)");
    println!(
        "PDF size                   median {:.1} KB   max {:.1} KB  ({} .. {} bytes)",
        sizes[n / 2] as f64 / 1024.0,
        sizes[n - 1] as f64 / 1024.0,
        sizes[0],
        sizes[n - 1]
    );

    // PDF/A-3b: the signed credential embedded as `credential.jwt` (done once per certificate,
    // in the issuing transaction, after rendering).
    let jwt = format!(
        "eyJhbGciOiJSUzI1NiJ9.{}.{}",
        "e".repeat(3000),
        "s".repeat(342)
    );
    let pdf = r.render(&data(0)).unwrap();
    let mut attach = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        std::hint::black_box(
            cssd::certificate::attach_credential(&pdf, &jwt, data(0).issued_on).unwrap(),
        );
        attach.push(t.elapsed());
    }
    let (amed, ap95) = stats(attach);
    println!("  + embed credential.jwt   median {amed:.3} ms   p95 {ap95:.3} ms");

    // Worst case: every name needs a new font variant (extra-glyph set not
    // cached yet, so its font program is subset and deflated in this render).
    let accents: Vec<char> = "àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿāăąćčďđēęěğīıłńňōőœřśşšťūůűźżž"
        .chars()
        .collect();
    let mut cold = Vec::new();
    'outer: for (i, a) in accents.iter().enumerate() {
        for b in &accents[i + 1..] {
            let mut d = data(cold.len());
            d.holder_name = format!("Tendai M{a}{b}yo");
            let t = Instant::now();
            std::hint::black_box(r.render(&d).unwrap());
            cold.push(t.elapsed());
            if cold.len() == 500 {
                break 'outer;
            }
        }
    }
    let (cmed, cp95) = stats(cold);
    println!("  (uncached font variant)  median {cmed:.3} ms   p95 {cp95:.3} ms");

    let mut ztimes = Vec::new();
    let mut zsize = 0;
    for b in 0..20 {
        let t = Instant::now();
        let z = zip35(&r, b);
        ztimes.push(t.elapsed());
        zsize = z.len();
    }
    let (zmed, zp95) = stats(ztimes);
    println!(
        "35 certificates -> ZIP     median {zmed:.2} ms   p95 {zp95:.2} ms   ({:.0} KB zip)",
        zsize as f64 / 1024.0
    );

    credentials_bench();
}

fn credentials_bench() {
    use cssd::credential::{jwt, keys::SigningKey, openbadges};
    use cssd::domain::status_list::{Bitstring, LIST_SIZE};

    let pem = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/signing-key.pem"),
    )
    .expect("test key");
    let key = SigningKey::from_pem(&pem).expect("key");
    let issuer = openbadges::Issuer::at("https://cssd.iwsd.example", "IWSD");
    let facts = |i: usize| openbadges::CertificateFacts {
        id: format!("https://cssd.iwsd.example/api/v1/certificates/{i}/credential"),
        number: format!("IWSD-CSSD-2026-{:06}", i + 1),
        holder_name: NAMES[i % NAMES.len()].to_string(),
        email_identity: Some((
            openbadges::identity_hash(&format!("p{i}@example.org"), "c2FsdHNhbHRzYWx0"),
            "c2FsdHNhbHRzYWx0".into(),
        )),
        course_code: "CSSD".into(),
        course_title: "Community Support to Service Delivery".into(),
        level_slug: "cascade".into(),
        level_words: cssd::certificate::level_words(Level::Cascade),
        topics: vec!["Roles".into(), "Processes".into(), "Engagement".into()],
        duration_days: 5,
        criteria: "Attended at least 5 of the 5 days and scored at least 60%.".into(),
        lead_trainer_name: Some("Nomvula Ndlovu".into()),
        start_date: NaiveDate::from_ymd_opt(2026, 8, 24).unwrap(),
        end_date: NaiveDate::from_ymd_opt(2026, 8, 28).unwrap(),
        issued_at: chrono::Utc::now(),
        status: openbadges::StatusEntry {
            list_url: "https://cssd.iwsd.example/api/v1/status-lists/1".into(),
            index: i as i32,
        },
        image_url: Some(format!(
            "https://cssd.iwsd.example/api/v1/certificates/{i}/badge.png"
        )),
    };
    let n = 2000;
    let t = Instant::now();
    for i in 0..n {
        let vc = openbadges::certificate_credential(&facts(i), &issuer);
        std::hint::black_box(jwt::sign(&openbadges::jwt_claims(&vc), &key).unwrap());
    }
    let per = t.elapsed().as_secs_f64() / n as f64;
    println!(
        "credential built + signed  {:>8.3} ms each   {:>8.0} per second (RS256, 2048-bit)",
        per * 1e3,
        1.0 / per
    );

    // Rebuild: 100,000 certificates over the lists they occupy, 1 in 50 revoked.
    let certificates = 100_000usize;
    let mut times = Vec::new();
    let mut encoded_len = 0;
    for _ in 0..20 {
        let t = Instant::now();
        let mut lists: Vec<Bitstring> = Vec::new();
        for c in 0..certificates {
            let (list, index) = (c / LIST_SIZE, c % LIST_SIZE);
            if lists.len() <= list {
                lists.push(Bitstring::new(LIST_SIZE));
            }
            if c % 50 == 0 {
                lists[list].set(index, true);
            }
        }
        for (i, list) in lists.iter().enumerate() {
            let encoded = list.encode();
            encoded_len = encoded.len();
            let url = format!("https://cssd.iwsd.example/api/v1/status-lists/{}", i + 1);
            let vc =
                openbadges::status_list_credential(&url, &issuer, chrono::Utc::now(), &encoded);
            std::hint::black_box(jwt::sign(&openbadges::jwt_claims(&vc), &key).unwrap());
        }
        times.push(t.elapsed());
    }
    let (med, p95) = stats(times);
    println!(
        "status list rebuilt        median {med:.2} ms   p95 {p95:.2} ms   (100,000 certificates, 2,000 revoked; encodedList {encoded_len} chars)"
    );
}
