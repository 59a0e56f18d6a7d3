//! The data subject's rights: access (export), erasure, retention.

use serde_json::{Value, json};

use crate::{
    helpers::{TestApp, eventually, future_monday, past_monday, spawn_app, spawn_app_with},
    web::{give_email, participant_browser},
};

/// A completed ToT workshop where Tendai (email `tendai@example.org`, consent recorded) passed
/// and was certified and recorded an outreach meeting, and Rudo passed too. Returns (workshop,
/// Tendai's id, Tendai's enrolment, Rudo's id).
async fn tendai_certified(app: &TestApp) -> (i64, i64, i64, i64) {
    let course = app.course("PD", 5).await;
    let (w, people) = app
        .completed_workshop(
            course,
            "tot",
            None,
            &[],
            &[("Tendai Moyo", Some(80.0)), ("Rudo Dube", Some(90.0))],
        )
        .await;
    let (tendai, enrolment) = people[0];
    give_email(app, tendai, "tendai@example.org").await;
    let patched = app
        .patch(
            &format!("/api/v1/participants/{tendai}"),
            json!({"national_id": "63-123456A78", "birth_year": 1990, "gender": "female",
                   "disability": {"seeing": "no_difficulty", "hearing": "a_lot_of_difficulty",
                   "walking": "no_difficulty", "cognition": "no_difficulty",
                   "self_care": "no_difficulty", "communication": "declined"}}),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    let issued = app
        .post(&format!("/api/v1/workshops/{w}/certificates"), json!({}))
        .await;
    assert_eq!(issued.status, 200, "{}", issued.text);
    let meeting = app
        .post(
            "/api/v1/outreach",
            json!({"participant_id": tendai, "workshop_id": w, "held_on": "2026-06-10",
                   "venue": "Mbare community hall", "topics": ["Roles"],
                   "attendees": {"female": 7, "male": 5, "other": 0, "undisclosed": 1}}),
        )
        .await;
    assert_eq!(meeting.status, 201, "{}", meeting.text);
    (w, tendai, enrolment, people[1].0)
}

#[tokio::test]
async fn an_administrator_exports_everything_held_about_a_participant_as_one_document() {
    let app = spawn_app().await;
    let (w, tendai, enrolment, rudo) = tendai_certified(&app).await;

    let resp = app
        .get(&format!("/api/v1/participants/{tendai}/export"))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert!(
        resp.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"my-data-participant-"),
    );
    let d = &resp.body;
    assert!(d["controller"].as_str().unwrap().contains("IWSD"));
    let p = &d["participant"];
    assert_eq!(p["id"], tendai);
    assert_eq!(p["full_name"], "Tendai Moyo");
    assert_eq!(p["email"], "tendai@example.org");
    assert_eq!(p["national_id"], "63-123456A78");
    assert_eq!(p["birth_year"], 1990);
    assert_eq!(p["gender"], "female");
    assert_eq!(p["disability"]["hearing"], "a_lot_of_difficulty");

    let enrolments = d["enrolments"].as_array().unwrap();
    assert_eq!(enrolments.len(), 1);
    assert_eq!(enrolments[0]["id"], enrolment);
    assert_eq!(enrolments[0]["workshop_id"], w);
    assert_eq!(enrolments[0]["course_code"], "PD");
    assert_eq!(enrolments[0]["attendance"].as_array().unwrap().len(), 5);
    assert_eq!(enrolments[0]["attendance"][0]["status"], "present");
    assert_eq!(enrolments[0]["assessments"][0]["kind"], "post_test");
    assert_eq!(enrolments[0]["assessments"][0]["score"], 80.0);

    let certificates = d["certificates"].as_array().unwrap();
    assert_eq!(certificates.len(), 1);
    assert_eq!(certificates[0]["holder_name"], "Tendai Moyo");
    assert_eq!(certificates[0]["status"], "valid");
    let pdf_url = certificates[0]["pdf_url"].as_str().unwrap();
    let (status, content_type, _) = app.bytes(pdf_url).await;
    assert_eq!(
        (status.as_u16(), content_type.as_str()),
        (200, "application/pdf")
    );

    assert_eq!(d["outreach"][0]["venue"], "Mbare community hall");
    assert_eq!(d["outreach"][0]["topics"], json!(["Roles"]));
    assert_eq!(d["outreach"][0]["people_reached"], 13);

    let mail = d["mail"].as_array().unwrap();
    let certificate_mail = mail
        .iter()
        .find(|m| m["kind"] == "certificate")
        .expect("the certificate mail is listed");
    assert_eq!(certificate_mail["recipient"], "tendai@example.org");
    assert!(
        certificate_mail["body_text"]
            .as_str()
            .unwrap()
            .contains("Tendai")
    );
    assert!(mail.iter().all(|m| m["recipient"] == "tendai@example.org"));

    let audit = d["audit"].as_array().unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a["entity"] == "participant" && a["entity_id"] == tendai),
        "{audit:?}"
    );
    // Nothing of Rudo's.
    assert!(!resp.text.contains("Rudo Dube"), "{}", resp.text);
    let theirs = app
        .get(&format!("/api/v1/participants/{rudo}/export"))
        .await;
    assert_eq!(theirs.body["participant"]["full_name"], "Rudo Dube");
}

#[tokio::test]
async fn a_participant_exports_their_own_data_and_nobody_elses() {
    let app = spawn_app().await;
    let (_, tendai, _, rudo) = tendai_certified(&app).await;
    let token = app
        .user_token("participant", "tendai.login@example.org", Some(tendai))
        .await;
    let own = app.with_token(&token).get("/api/v1/me/export").await;
    assert_eq!(own.status, 200, "{}", own.text);
    let by_admin = app
        .get(&format!("/api/v1/participants/{tendai}/export"))
        .await;
    let without_time = |mut v: Value| {
        v["exported_at"] = Value::Null;
        v
    };
    assert_eq!(
        without_time(own.body.clone()),
        without_time(by_admin.body),
        "the same document"
    );
    app.with_token(&token)
        .get(&format!("/api/v1/participants/{rudo}/export"))
        .await
        .assert_problem(403);
    let trainer = app.user_token("trainer", "t@example.org", None).await;
    app.with_token(&trainer)
        .get("/api/v1/me/export")
        .await
        .assert_problem(404);
    app.get("/api/v1/participants/999999/export")
        .await
        .assert_problem(404);
    app.anonymous()
        .get("/api/v1/me/export")
        .await
        .assert_problem(401);
}

#[tokio::test]
async fn the_portal_offers_a_download_of_my_data() {
    let app = spawn_app().await;
    let (_, tendai, _, _) = tendai_certified(&app).await;
    let mut browser = participant_browser(&app, "tendai@example.org").await;
    let home = browser.get("/portal").await;
    home.assert_html(200);
    assert!(home.text.contains("Download my data"), "{}", home.text);
    assert!(home.text.contains("href=\"/portal/my-data.json\""));
    let file = browser.get("/portal/my-data.json").await;
    assert_eq!(file.status, 200);
    assert!(file.header("content-type").starts_with("application/json"));
    assert_eq!(
        file.header("content-disposition"),
        format!("attachment; filename=\"my-data-participant-{tendai}.json\"")
    );
    let document: Value = serde_json::from_slice(&file.bytes).unwrap();
    assert_eq!(document["participant"]["id"], tendai);
    assert_eq!(document["participant"]["email"], "tendai@example.org");
    assert_eq!(document["certificates"].as_array().unwrap().len(), 1);

    let anonymous = crate::browser::Browser::new(&app)
        .get("/portal/my-data.json")
        .await;
    assert_eq!(anonymous.status, 303);
    assert_eq!(anonymous.header("location"), "/portal");
}

/// The figures every report gives: the summary (JSON and CSV) and the workshop's cascade.
async fn figures(app: &TestApp, workshop: i64) -> (Value, Vec<u8>, Value) {
    let summary = app.get("/api/v1/reports/summary").await;
    assert_eq!(summary.status, 200, "{}", summary.text);
    let (status, _, csv) = app.bytes("/api/v1/reports/summary.csv").await;
    assert_eq!(status.as_u16(), 200);
    let cascade = app
        .get(&format!("/api/v1/workshops/{workshop}/cascade"))
        .await;
    assert_eq!(cascade.status, 200, "{}", cascade.text);
    (summary.body, csv, cascade.body)
}

#[tokio::test]
async fn erasing_a_participant_removes_their_data_and_leaves_every_report_unchanged() {
    let app = spawn_app().await;
    let (w, tendai, _, _) = tendai_certified(&app).await;
    let token = app
        .user_token("participant", "tendai.login@example.org", Some(tendai))
        .await;
    assert_eq!(app.with_token(&token).get("/api/v1/me").await.status, 200);
    let certificate = app
        .get(&format!("/api/v1/certificates?participant_id={tendai}"))
        .await
        .body["items"][0]
        .clone();
    let code = certificate["verification_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = figures(&app, w).await;
    assert_eq!(before.0["certified"]["total"], 2);

    let resp = app
        .post(
            &format!("/api/v1/participants/{tendai}/erase"),
            json!({"reason": "Asked in writing on 1 December 2026"}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let p = &resp.body["participant"];
    assert_eq!(p["full_name"], format!("Erased participant #{tendai}"));
    for gone in [
        "email",
        "phone",
        "national_id",
        "birth_year",
        "gender",
        "disability",
    ] {
        assert!(p.get(gone).is_none_or(Value::is_null), "{gone}: {p}");
    }
    assert_eq!(resp.body["certificates_withdrawn"], 1);

    // Every report reads the same, to the last figure.
    let after = figures(&app, w).await;
    assert_eq!(before.0, after.0, "the summary");
    assert_eq!(before.1, after.1, "the summary CSV");
    assert_eq!(before.2, after.2, "the cascade");

    // Nothing of them is left in what the service holds about them.
    let export = app
        .get(&format!("/api/v1/participants/{tendai}/export"))
        .await;
    assert_eq!(export.status, 200, "{}", export.text);
    for erased in [
        "Tendai",
        "tendai@example.org",
        "tendai.login",
        "63-123456A78",
        "1990",
    ] {
        assert!(!export.text.contains(erased), "{erased} in {}", export.text);
    }
    assert!(
        export.body["mail"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["body_text"] == "" && m["body_html"] == "")
    );
    let erase_entry = export.body["audit"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["action"] == "erase")
        .expect("the erasure is audited")
        .clone();
    assert_eq!(
        erase_entry["after"]["reason"],
        "Asked in writing on 1 December 2026"
    );
    assert_eq!(erase_entry["actor_label"], crate::helpers::ADMIN_EMAIL);

    // The certificate is withdrawn, says so and nothing else, and its PDF is gone.
    let verify = app.anonymous().get(&format!("/api/v1/verify/{code}")).await;
    assert_eq!(verify.body["status"], "withdrawn");
    assert_eq!(verify.body["valid"], false);
    assert!(!verify.text.contains("Tendai"));
    let page = app.anonymous().get(&format!("/verify/{code}")).await;
    assert!(
        page.text.contains("withdrawn at the holder"),
        "{}",
        page.text
    );
    assert!(!page.text.contains(certificate["number"].as_str().unwrap()));
    assert!(!page.text.contains("Tendai"));
    app.get(&format!("/api/v1/certificates/{}/pdf", certificate["id"]))
        .await
        .assert_problem(404);

    // Their sessions ended.
    app.with_token(&token)
        .get("/api/v1/me")
        .await
        .assert_problem(401);
    // Listings cope: the record is listed under its new name.
    let listed = app.get("/api/v1/participants?q=Erased").await;
    assert_eq!(listed.body["total"], 1, "{}", listed.text);

    // Twice is a conflict; the second changes nothing.
    app.post(
        &format!("/api/v1/participants/{tendai}/erase"),
        json!({"reason": "again"}),
    )
    .await
    .assert_problem(409);
}

#[tokio::test]
async fn an_erasure_without_a_reason_or_of_nobody_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let p = app.participant("Tendai Moyo").await;
    let missing = app
        .post(&format!("/api/v1/participants/{p}/erase"), json!({}))
        .await;
    missing.assert_problem(422);
    assert!(missing.field_error("reason").is_some(), "{}", missing.text);
    let blank = app
        .post(
            &format!("/api/v1/participants/{p}/erase"),
            json!({"reason": "   "}),
        )
        .await;
    blank.assert_problem(422);
    assert_eq!(
        app.get(&format!("/api/v1/participants/{p}")).await.body["full_name"],
        "Tendai Moyo"
    );
    app.post(
        "/api/v1/participants/999999/erase",
        json!({"reason": "asked"}),
    )
    .await
    .assert_problem(404);
    let trainer = app.user_token("trainer", "t@example.org", None).await;
    app.with_token(&trainer)
        .post(
            &format!("/api/v1/participants/{p}/erase"),
            json!({"reason": "asked"}),
        )
        .await
        .assert_problem(403);
    assert_eq!(
        app.get(&format!("/api/v1/participants/{p}")).await.body["full_name"],
        "Tendai Moyo"
    );
}

#[tokio::test]
async fn erased_people_are_never_duplicates_and_cannot_be_merged() {
    let app = spawn_app().await;
    let a = app.participant("Rudo Dube").await;
    let b = app.participant("Rudo Dube").await;
    let c = app.participant("Chipo Banda").await;
    // One phone on two records (as recorded before numbers were unique): a duplicate pair.
    let resp = app
        .patch(
            &format!("/api/v1/participants/{a}"),
            json!({"phone": "0771234567"}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    {
        use sea_orm::ConnectionTrait;
        app.state
            .db
            .execute_unprepared(&format!(
                "UPDATE participant SET phone = '+263771234567' WHERE id = {b}"
            ))
            .await
            .unwrap();
    }
    let groups = app.get("/api/v1/participants/duplicates").await;
    assert_eq!(groups.body["total"], 1, "{}", groups.text);
    for p in [a, c] {
        let resp = app
            .post(
                &format!("/api/v1/participants/{p}/erase"),
                json!({"reason": "asked"}),
            )
            .await;
        assert_eq!(resp.status, 200, "{}", resp.text);
    }
    let groups = app.get("/api/v1/participants/duplicates").await;
    assert_eq!(groups.body["total"], 0, "{}", groups.text);
    app.post(
        &format!("/api/v1/participants/{b}/merge"),
        json!({"into_id": a}),
    )
    .await
    .assert_problem(409);
    app.post(
        &format!("/api/v1/participants/{a}/merge"),
        json!({"into_id": b}),
    )
    .await
    .assert_problem(409);
    assert_eq!(
        app.get(&format!("/api/v1/participants/{b}")).await.body["full_name"],
        "Rudo Dube"
    );
}

/// Gives participant `id` an email, a phone and a national ID (the `n`th of their kind).
async fn give_contact(app: &TestApp, id: i64, n: u32) -> Value {
    let patched = app
        .patch(
            &format!("/api/v1/participants/{id}"),
            json!({"email": format!("person{n}@example.org"), "phone": format!("07712345{n:02}"),
                   "national_id": format!("63-12345{n}A78")}),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    patched.body
}

fn today() -> chrono::NaiveDate {
    cssd::domain::schedule::local_today()
}

/// Three people with contact details: Ama's last workshop ended three years ago, Bongani's one
/// year ago, Chipo's three years ago but she is enrolled in one coming up. Returns (the old
/// workshop, Ama, Bongani, Chipo).
async fn three_generations(app: &TestApp) -> (i64, i64, i64, i64) {
    let course = app.course("RET", 5).await;
    let (old, people) = app
        .completed_workshop_from(
            &past_monday(3 * 365 + 20),
            course,
            "tot",
            None,
            &[],
            &[("Ama Dube", Some(80.0)), ("Chipo Ncube", Some(80.0))],
        )
        .await;
    let (_, recent) = app
        .completed_workshop_from(
            &past_monday(365),
            course,
            "tot",
            None,
            &[],
            &[("Bongani Sibanda", Some(80.0))],
        )
        .await;
    let (ama, chipo, bongani) = (people[0].0, people[1].0, recent[0].0);
    let upcoming = app.workshop(course, &future_monday(), 10).await["id"]
        .as_i64()
        .unwrap();
    let seat = app
        .post(
            &format!("/api/v1/workshops/{upcoming}/enrolments"),
            json!({"participant_id": chipo}),
        )
        .await;
    assert_eq!(seat.status, 201, "{}", seat.text);
    for (n, id) in [ama, bongani, chipo].into_iter().enumerate() {
        give_contact(app, id, n as u32 + 1).await;
    }
    (old, ama, bongani, chipo)
}

#[tokio::test]
async fn retention_removes_the_contact_details_of_people_whose_last_workshop_ended_long_ago() {
    let app = spawn_app_with(|c| c.retention_years = Some(2)).await;
    let (old, ama, bongani, chipo) = three_generations(&app).await;
    let by_sms = app
        .patch(
            &format!("/api/v1/participants/{ama}"),
            json!({"contact_by": "sms"}),
        )
        .await;
    assert_eq!(by_sms.status, 200, "{}", by_sms.text);
    let before = figures(&app, old).await;

    // The scheduled job, on today's clock.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let job = app
        .state
        .retention_job(std::sync::Arc::new(today))
        .expect("retention is configured");
    let running = tokio::spawn(job.run(stopped));
    let person = |id: i64| {
        let app = &app;
        async move { app.get(&format!("/api/v1/participants/{id}")).await.body }
    };
    eventually("Ama's contact details removed", || async {
        person(ama).await["email"].is_null()
    })
    .await;
    stop.send(true).unwrap();
    running.await.unwrap();

    let ama_now = person(ama).await;
    assert!(ama_now["phone"].is_null(), "{ama_now}");
    assert!(ama_now["national_id"].is_null(), "{ama_now}");
    assert_eq!(ama_now["full_name"], "Ama Dube", "only contact details go");
    assert_eq!(
        ama_now["contact_by"], "email",
        "the default without contact details"
    );
    let bongani_now = person(bongani).await;
    assert_eq!(bongani_now["email"], "person2@example.org");
    assert_eq!(bongani_now["national_id"], "63-123452A78");
    let chipo_now = person(chipo).await;
    assert_eq!(chipo_now["email"], "person3@example.org", "{chipo_now}");
    assert_eq!(chipo_now["phone"], "+263771234503");

    // Audited as the system's, naming the fields, not their values; older entries scrubbed.
    let audit = app
        .get(&format!("/api/v1/audit?entity=participant&entity_id={ama}"))
        .await;
    assert_eq!(audit.status, 200, "{}", audit.text);
    let entries = audit.body["items"].as_array().unwrap();
    let retention: Vec<&Value> = entries
        .iter()
        .filter(|e| e["action"] == "retention")
        .collect();
    assert_eq!(retention.len(), 1, "{}", audit.text);
    assert_eq!(retention[0]["actor_kind"], "system", "{}", audit.text);
    assert_eq!(
        retention[0]["after"]["removed"],
        json!(["email", "phone", "national_id"])
    );
    assert!(
        audit.text.contains("[erased]"),
        "the edit that gave them: {}",
        audit.text
    );
    for value in ["person1@example.org", "771234501", "63-123451A78"] {
        assert!(!audit.text.contains(value), "{value} in {}", audit.text);
    }

    // Reports count exactly what they counted.
    assert_eq!(figures(&app, old).await, before);
}

#[tokio::test]
async fn retention_runs_once_across_instances_and_a_second_run_changes_nothing() {
    let app = spawn_app().await;
    let (_, ama, _, _) = three_generations(&app).await;
    let other = app.another_instance(|_| {}).await;
    let (first, second) = tokio::join!(
        cssd::services::retention::remove_expired_contacts(&app.state.db, today(), 2),
        cssd::services::retention::remove_expired_contacts(&other.state.db, today(), 2),
    );
    assert_eq!(first.unwrap() + second.unwrap(), 1, "Ama, by one of them");
    let again = cssd::services::retention::remove_expired_contacts(&app.state.db, today(), 2);
    assert_eq!(again.await.unwrap(), 0);
    let audit = app
        .get(&format!(
            "/api/v1/audit?entity=participant&entity_id={ama}&action=retention"
        ))
        .await;
    let retention = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "retention")
        .count();
    assert_eq!(retention, 1, "{}", audit.text);
    // Without CSSD_RETENTION_YEARS there is no job at all.
    assert!(
        app.state
            .retention_job(std::sync::Arc::new(today))
            .is_none()
    );
}
