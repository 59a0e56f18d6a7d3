use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// Text of a PDF as a text extractor sees it.
fn pdf_text(bytes: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(bytes).expect("the PDF parses")
}

fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect()
}

async fn issue(app: &TestApp, workshop: i64) -> Value {
    let resp = app
        .post(
            &format!("/api/v1/workshops/{workshop}/certificates"),
            json!({}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    resp.body
}

#[tokio::test]
async fn issuing_twice_issues_nothing_new_and_the_ineligible_are_skipped_with_reasons() {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let (w, people) = app
        .completed_workshop(
            course,
            "tot",
            None,
            &[],
            &[
                ("Tendai Moyo", Some(80.0)),
                ("Rudo Dube", Some(40.0)),
                ("Farai Banda", None),
            ],
        )
        .await;
    let first = issue(&app, w).await;
    assert_eq!(first["issued"].as_array().unwrap().len(), 1);
    let cert = &first["issued"][0];
    assert_eq!(cert["participant_id"], people[0].0);
    assert_eq!(cert["course_code"], "WQ");
    assert_eq!(cert["level"], "tot");
    assert_eq!(cert["status"], "valid");
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(cert["number"], format!("IWSD-WQ-{year}-000001"));
    assert!(
        cert["verification_code"].as_str().unwrap().len() >= 22,
        "at least 128 bits"
    );
    let skipped = first["skipped"].as_array().unwrap();
    let reasons =
        |p: i64| skipped.iter().find(|s| s["participant_id"] == p).unwrap()["reasons"].clone();
    assert_eq!(
        reasons(people[1].0),
        json!(["post-test 40% is below the pass mark of 60%"])
    );
    assert_eq!(
        reasons(people[2].0),
        json!(["attended 1 of the 5 required days", "no post-test recorded"])
    );

    let second = issue(&app, w).await;
    assert_eq!(second["issued"], json!([]));
    assert!(
        second["skipped"]
            .to_string()
            .contains("already holds certificate IWSD-WQ")
    );
    assert_eq!(
        app.get(&format!("/api/v1/certificates?workshop_id={w}"))
            .await
            .body["total"],
        1
    );
}

#[tokio::test]
async fn certificates_are_issued_only_for_completed_workshops() {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let w = app.workshop(course, "2026-03-02", 35).await;
    app.post(
        &format!("/api/v1/workshops/{}/certificates", w["id"]),
        json!({}),
    )
    .await
    .assert_problem(409);
    app.post("/api/v1/workshops/999/certificates", json!({}))
        .await
        .assert_problem(404);
}

#[tokio::test]
async fn the_pdf_is_one_a4_landscape_page_with_the_exact_names() {
    let app = spawn_app().await;
    let course = app.course("CSSD", 5).await;
    let names = [
        "Zoë Müller-Øberg",
        "Nomvula Ndlovu",
        "Tafadzwa Chikwanha",
        "Ngozi Okonkwo-Adébáyọ̀",
    ];
    let people: Vec<(&str, Option<f64>)> = names.iter().map(|n| (*n, Some(75.0))).collect();
    let (w, _) = app
        .completed_workshop(course, "tot", None, &[], &people)
        .await;
    let issued = issue(&app, w).await;
    assert_eq!(issued["issued"].as_array().unwrap().len(), 4);
    for cert in issued["issued"].as_array().unwrap() {
        let (status, content_type, bytes) = app
            .bytes(&format!("/api/v1/certificates/{}/pdf", cert["id"]))
            .await;
        assert_eq!(status, 200);
        assert_eq!(content_type, "application/pdf");
        // PDF/A-3b: the page, its sRGB profile and the embedded signed credential.
        assert!(bytes.len() < 40 * 1024, "{} bytes", bytes.len());
        let doc = lopdf::Document::load_mem(&bytes).expect("a valid PDF");
        let pages = doc.get_pages();
        assert_eq!(pages.len(), 1);
        let page = doc
            .get_object(*pages.values().next().unwrap())
            .unwrap()
            .as_dict()
            .unwrap();
        let media_box: Vec<f64> = page
            .get(b"MediaBox")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                v.as_float()
                    .map(f64::from)
                    .or_else(|_| v.as_i64().map(|i| i as f64))
                    .unwrap()
            })
            .collect();
        assert!(
            (media_box[2] - 841.9).abs() < 1.0 && (media_box[3] - 595.3).abs() < 1.0,
            "A4 landscape: {media_box:?}"
        );
        let text = pdf_text(&bytes);
        let holder = cert["holder_name"].as_str().unwrap();
        assert!(names.contains(&holder));
        assert!(
            text.contains(holder),
            "{holder:?} not found exactly in {text:?}"
        );
        assert!(text.contains(cert["number"].as_str().unwrap()));
    }
}

#[tokio::test]
async fn a_name_the_font_cannot_print_is_refused_naming_the_character() {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let (w, people) = app
        .completed_workshop(
            course,
            "tot",
            None,
            &[],
            &[("王小明", Some(90.0)), ("Chipo Nyathi", Some(90.0))],
        )
        .await;
    let result = issue(&app, w).await;
    assert_eq!(result["issued"].as_array().unwrap().len(), 1);
    let skipped = &result["skipped"][0];
    assert_eq!(skipped["participant_id"], people[0].0);
    let reason = skipped["reasons"][0].as_str().unwrap();
    assert!(
        reason.contains('王') && reason.contains("U+738B"),
        "{reason}"
    );
}

#[tokio::test]
async fn a_participant_downloads_their_own_certificate_but_not_anothers() {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let (w, people) = app
        .completed_workshop(
            course,
            "tot",
            None,
            &[],
            &[("Tendai Moyo", Some(80.0)), ("Rudo Dube", Some(85.0))],
        )
        .await;
    let issued = issue(&app, w).await;
    let mine = issued["issued"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["participant_id"] == people[0].0)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let theirs = issued["issued"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["participant_id"] == people[1].0)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let token = app
        .user_token("participant", "tendai@example.org", Some(people[0].0))
        .await;
    let me = app.with_token(&token);
    let own = me
        .client_get_bytes(&format!("/api/v1/certificates/{mine}/pdf"))
        .await;
    assert_eq!(own.0, 200);
    assert!(pdf_text(&own.1).contains("Tendai Moyo"));
    me.get(&format!("/api/v1/certificates/{theirs}/pdf"))
        .await
        .assert_problem(403);
    me.get(&format!("/api/v1/certificates/{theirs}"))
        .await
        .assert_problem(403);
    let list = me.get("/api/v1/me/certificates").await;
    assert_eq!(ids(&list.body["items"]), [mine]);
    me.get("/api/v1/certificates").await.assert_problem(403);
}

#[tokio::test]
async fn revoking_flips_verification_and_unknown_codes_are_404() {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let (w, _) = app
        .completed_workshop(course, "tot", None, &[], &[("Tendai Moyo", Some(80.0))])
        .await;
    let cert = issue(&app, w).await["issued"][0].clone();
    let code = cert["verification_code"].as_str().unwrap();
    let verify = app.anonymous().get(&format!("/api/v1/verify/{code}")).await;
    assert_eq!(verify.status, 200);
    assert_eq!(
        verify.body,
        json!({
            "valid": true, "status": "valid", "number": cert["number"], "holder_name": "Tendai Moyo",
            "course_title": "Course WQ", "level": "tot", "completed_on": "2026-03-06",
        })
    );
    assert!(
        cert["verification_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/verify/{code}"))
            && !cert["verification_url"].as_str().unwrap().contains("/api/")
    );

    app.post(
        &format!("/api/v1/certificates/{}/revoke", cert["id"]),
        json!({"reason": ""}),
    )
    .await
    .assert_problem(422);
    let revoked = app
        .post(
            &format!("/api/v1/certificates/{}/revoke", cert["id"]),
            json!({"reason": "issued in error"}),
        )
        .await;
    assert_eq!(revoked.status, 200, "{}", revoked.text);
    assert_eq!(revoked.body["status"], "revoked");
    let verify = app.anonymous().get(&format!("/api/v1/verify/{code}")).await;
    assert_eq!(
        (verify.body["valid"].clone(), verify.body["status"].clone()),
        (json!(false), json!("revoked"))
    );
    app.post(
        &format!("/api/v1/certificates/{}/revoke", cert["id"]),
        json!({"reason": "again"}),
    )
    .await
    .assert_problem(409);
    app.anonymous()
        .get("/api/v1/verify/not-a-real-code")
        .await
        .assert_problem(404);
    let log = app
        .get(&format!(
            "/api/v1/audit?entity=certificate&entity_id={}",
            cert["id"]
        ))
        .await;
    assert_eq!(log.body["items"][0]["action"], "revoke");
}

#[tokio::test]
async fn editing_the_participant_or_course_after_issue_changes_nothing_printed() {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let (w, people) = app
        .completed_workshop(course, "tot", None, &[], &[("Tendai Moyo", Some(80.0))])
        .await;
    let cert = issue(&app, w).await["issued"][0].clone();
    let path = format!("/api/v1/certificates/{}/pdf", cert["id"]);
    let before = app.bytes(&path).await.2;
    app.patch(
        &format!("/api/v1/participants/{}", people[0].0),
        json!({"full_name": "Tendai Moyo-Sibanda"}),
    )
    .await;
    app.patch(
        &format!("/api/v1/courses/{course}"),
        json!({"title": "Renamed Course"}),
    )
    .await;
    let after = app.bytes(&path).await.2;
    assert_eq!(before, after, "the PDF is byte-for-byte the one issued");
    let text = pdf_text(&after);
    assert!(text.contains("Tendai Moyo") && !text.contains("Sibanda") && !text.contains("Renamed"));
    assert_eq!(
        app.get(&format!("/api/v1/certificates/{}", cert["id"]))
            .await
            .body["holder_name"],
        "Tendai Moyo"
    );
}

#[tokio::test]
async fn a_cascade_workshop_needs_trainers_holding_a_tot_certificate() {
    let app = spawn_app().await;
    let course = app.course("CSSD", 5).await;
    let (tot, people) = app
        .completed_workshop(
            course,
            "tot",
            None,
            &[],
            &[("Nomvula Ndlovu", Some(90.0)), ("Rudo Dube", Some(30.0))],
        )
        .await;
    issue(&app, tot).await;
    // Nomvula earned her ToT certificate; Rudo did not.
    let certified = app
        .user_token("trainer", "nomvula@example.org", Some(people[0].0))
        .await;
    let uncertified = app
        .user_token("trainer", "rudo@example.org", Some(people[1].0))
        .await;
    let id_of = |t: &str| {
        let t = t.to_owned();
        let app = &app;
        async move {
            app.with_token(&t).get("/api/v1/me").await.body["id"]
                .as_i64()
                .unwrap()
        }
    };
    let (nomvula, rudo) = (id_of(&certified).await, id_of(&uncertified).await);
    let body = |trainers: Vec<i64>| json!({"course_id": course, "level": "cascade", "parent_workshop_id": tot, "venue": "Mbare", "start_date": "2026-04-13", "trainer_ids": trainers});
    let resp = app
        .post("/api/v1/workshops", body(vec![nomvula, rudo]))
        .await;
    resp.assert_problem(409);
    let detail = resp.body["detail"].as_str().unwrap();
    assert!(
        detail.contains(&format!("trainer {rudo}")) && detail.contains("ToT certificate"),
        "{detail}"
    );
    assert!(!detail.contains(&format!("trainer {nomvula}")));
    assert_eq!(
        app.post("/api/v1/workshops", body(vec![nomvula]))
            .await
            .status,
        201
    );
}

#[tokio::test]
async fn the_cascade_tree_adds_up_the_reach_of_a_tot_workshop() {
    let app = spawn_app().await;
    let course = app.course("CSSD", 5).await;
    let (tot, people) = app
        .completed_workshop(
            course,
            "tot",
            None,
            &[],
            &[("Nomvula Ndlovu", Some(90.0)), ("Rudo Dube", Some(90.0))],
        )
        .await;
    issue(&app, tot).await;
    let trainer = app
        .user_token("trainer", "nomvula@example.org", Some(people[0].0))
        .await;
    let trainer_id = app.with_token(&trainer).get("/api/v1/me").await.body["id"]
        .as_i64()
        .unwrap();
    let (cascade, _) = app
        .completed_workshop(
            course,
            "cascade",
            Some(tot),
            &[trainer_id],
            &[("A", Some(70.0)), ("B", Some(70.0)), ("C", None)],
        )
        .await;
    issue(&app, cascade).await;
    let tree = app.get(&format!("/api/v1/workshops/{tot}/cascade")).await;
    assert_eq!(tree.status, 200, "{}", tree.text);
    assert_eq!(
        tree.body["totals"],
        json!({"workshops": 2, "enrolled": 5, "completed": 5, "certified": 4,
               "outreach_sessions": 0, "people_reached": 0, "certified_trainers": 2,
               "trained_below_tot": 3, "reach_per_trainer": 1.5})
    );
    assert_eq!(tree.body["root"]["certified"], 2);
    assert_eq!(tree.body["root"]["children"][0]["workshop_id"], cascade);
    assert_eq!(tree.body["root"]["children"][0]["certified"], 2);
}

#[tokio::test]
async fn a_workshops_certificates_download_as_one_zip() {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let (w, _) = app
        .completed_workshop(
            course,
            "tot",
            None,
            &[],
            &[
                ("A One", Some(80.0)),
                ("B Two", Some(80.0)),
                ("C Three", Some(80.0)),
            ],
        )
        .await;
    issue(&app, w).await;
    let (status, content_type, bytes) = app
        .bytes(&format!("/api/v1/workshops/{w}/certificates.zip"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(archive.len(), 3);
    let mut first = archive.by_index(0).unwrap();
    assert!(first.name().starts_with("certificate-IWSD-WQ-") && first.name().ends_with(".pdf"));
    let mut pdf = vec![];
    std::io::Read::read_to_end(&mut first, &mut pdf).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
}
