//! The administrator's console over HTTP as a browser uses it: who may open it, every page
//! and every action, the refusals shown next to their fields, and CSRF.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::browser::Browser;
use crate::helpers::{ADMIN_EMAIL, TestApp, future_monday, past_monday, spawn_app, spawn_app_with};

/// Every console page that a GET opens, ids included.
async fn every_page(app: &TestApp) -> Vec<String> {
    let course = app.course("WQ", 5).await;
    let (w, people) = app
        .completed_workshop(course, "tot", None, &[], &[("Tendai Moyo", Some(80.0))])
        .await;
    let issued = app
        .post(&format!("/api/v1/workshops/{w}/certificates"), json!({}))
        .await;
    let certificate = issued.body["issued"][0]["id"].as_i64().unwrap();
    let mut pages: Vec<String> = cssd::web::admin::PAGES
        .iter()
        .map(|p| p.to_string())
        .collect();
    pages.extend([
        format!("/admin/workshops/{w}"),
        format!("/admin/workshops/{w}/cascade"),
        format!("/admin/participants/{}", people[0].0),
        format!("/admin/certificates/{certificate}"),
        format!("/admin/download/workshops/{w}/roster.csv"),
    ]);
    pages
}

#[tokio::test]
async fn without_a_session_every_console_page_redirects_to_the_sign_in() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    for path in every_page(&app).await {
        let page = browser.get(&path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}: {}", page.text);
        assert_eq!(page.header("location"), "/admin/sign-in", "{path}");
    }
    browser.get("/admin/sign-in").await.assert_html(200);
}

#[tokio::test]
async fn trainers_and_participants_get_403_on_every_console_page() {
    let app = spawn_app().await;
    let pages = every_page(&app).await;
    let p = app.participant("Rudo Dube").await;
    for (role, email, participant) in [
        ("trainer", "trainer@example.org", None),
        ("participant", "rudo@example.org", Some(p)),
    ] {
        app.user_token(role, email, participant).await;
        let mut browser = Browser::new(&app);
        let signed_in = browser.sign_in(email, "a-long-password").await;
        assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
        for path in &pages {
            let page = browser.get(path).await;
            page.assert_html(403);
            assert!(
                page.text.contains("for IWSD administrators only"),
                "{role} {path}: {}",
                page.text
            );
        }
        // Nor can they act.
        let refused = browser
            .submit(
                "/admin/sign-in",
                &format!("{}/status", pages[cssd::web::admin::PAGES.len()]),
                &[("change", "cancel")],
            )
            .await;
        refused.assert_html(403);
    }
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_the_form_keeps_the_email() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    let page = browser.sign_in(ADMIN_EMAIL, "not-the-password").await;
    page.assert_html(401);
    assert!(
        page.text
            .contains("The email address or password is wrong.")
    );
    assert!(page.text.contains(&format!("value=\"{ADMIN_EMAIL}\"")));
    assert!(!browser.cookies.contains_key("cssd_session"));
}

#[tokio::test]
async fn a_form_without_the_csrf_token_changes_nothing() {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let w = app.workshop(course, &future_monday(), 35).await["id"]
        .as_i64()
        .unwrap();
    let mut browser = Browser::admin(&app).await;
    for csrf in [None, Some("wrong-token-wrong-token-wrong-token-wrong-t")] {
        let mut fields = vec![("change", "cancel")];
        if let Some(csrf) = csrf {
            fields.push(("csrf", csrf));
        }
        let page = browser
            .post(&format!("/admin/workshops/{w}/status"), &fields)
            .await;
        page.assert_html(403);
    }
    let workshop = app.get(&format!("/api/v1/workshops/{w}")).await;
    assert_eq!(workshop.body["status"], "scheduled");
}

#[tokio::test]
async fn a_console_form_sent_as_json_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let w = app.workshop(course, &future_monday(), 35).await["id"]
        .as_i64()
        .unwrap();
    let mut browser = Browser::admin(&app).await;
    let csrf = browser.get(&format!("/admin/workshops/{w}")).await.csrf();
    let resp = browser
        .client
        .post(format!("{}/admin/workshops/{w}/status", app.base))
        .header(reqwest::header::COOKIE, browser.cookie_header())
        .json(&json!({"csrf": csrf, "change": "cancel", "confirm": "yes"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let workshop = app.get(&format!("/api/v1/workshops/{w}")).await;
    assert_eq!(workshop.body["status"], "scheduled");
    // The same fields as a form do it.
    let done = browser
        .post(
            &format!("/admin/workshops/{w}/status"),
            &[("csrf", &csrf), ("change", "cancel"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let workshop = app.get(&format!("/api/v1/workshops/{w}")).await;
    assert_eq!(workshop.body["status"], "cancelled");
}

#[tokio::test]
async fn the_dashboard_shows_this_months_workshops_ended_ones_failed_mail_and_signing_out_ends_it()
{
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    // A workshop starting within this month or the next, with a waitlist.
    let start = future_monday();
    let w = app.workshop(course, &start, 1).await["id"]
        .as_i64()
        .unwrap();
    for name in ["Tendai Moyo", "Rudo Dube"] {
        let p = app.participant(name).await;
        app.post(
            &format!("/api/v1/workshops/{w}/enrolments"),
            json!({"participant_id": p}),
        )
        .await;
    }
    let (ended, _) = app
        .completed_workshop(course, "tot", None, &[], &[("Farai Banda", Some(70.0))])
        .await;
    let mut browser = Browser::admin(&app).await;
    let page = browser.get("/admin").await;
    page.assert_html(200);
    assert!(
        page.text
            .contains(&format!("/admin/workshops/{w}\">{start}")),
        "{}",
        page.text
    );
    assert!(page.text.contains("1/1"), "seats taken of capacity");
    assert!(
        page.text
            .contains("Completed workshops without certificates")
    );
    assert!(page.text.contains(&format!("/admin/workshops/{ended}\"")));
    assert!(page.text.contains("No mail has failed."));

    // Issuing the certificates takes the ended workshop off the list.
    app.post(
        &format!("/api/v1/workshops/{ended}/certificates"),
        json!({}),
    )
    .await;
    let page = browser.get("/admin").await;
    assert!(!page.text.contains(&format!("/admin/workshops/{ended}\"")));

    // Signing out ends the session: the console asks to sign in again.
    let out = browser
        .submit("/admin", "/sign-out", &[("next", "/admin")])
        .await;
    assert_eq!(out.header("location"), "/admin/sign-in");
    assert_eq!(
        browser.get("/admin").await.header("location"),
        "/admin/sign-in"
    );
}

/// The number of workshops the API lists.
async fn workshop_count(app: &TestApp) -> u64 {
    app.get("/api/v1/workshops?limit=1").await.body["total"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn the_schedule_form_shows_the_days_over_a_holiday_before_saving_and_saves_them() {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await.to_string();
    let mut browser = Browser::admin(&app).await;
    browser.get("/admin/workshops/new").await.assert_html(200);
    let fields = [
        ("course_id", course.as_str()),
        ("level", "tot"),
        ("venue", "Town House, Harare"),
        ("start_date", "2026-12-21"),
        ("capacity", "30"),
    ];
    let mut preview = fields.to_vec();
    preview.push(("action", "preview"));
    let page = browser
        .submit("/admin/workshops/new", "/admin/workshops/new", &preview)
        .await;
    page.assert_html(200);
    // Unity Day (22 December), Christmas and Boxing Day are stepped over.
    for day in [
        "21 December 2026",
        "23 December 2026",
        "24 December 2026",
        "28 December 2026",
        "29 December 2026",
    ] {
        assert!(page.text.contains(day), "{day}: {}", page.text);
    }
    assert!(!page.text.contains("22 December 2026"));
    assert_eq!(workshop_count(&app).await, 0, "a preview saves nothing");
    // What was typed is still in the form.
    assert!(page.text.contains("value=\"Town House, Harare\""));

    let mut save = fields.to_vec();
    save.push(("action", "save"));
    let saved = browser
        .submit("/admin/workshops/new", "/admin/workshops/new", &save)
        .await;
    let page = browser.follow(saved).await;
    page.assert_html(200);
    assert!(page.text.contains("The workshop is scheduled."));
    assert!(page.text.contains("0 of 30 taken, 30 left"));
    let listed = app.get("/api/v1/workshops").await.body;
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["end_date"], "2026-12-29");
}

#[tokio::test]
async fn the_preview_refuses_what_saving_refuses_a_user_who_is_no_trainer_and_an_unknown_organisation()
 {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await.to_string();
    let accountant = app
        .post(
            "/api/v1/users",
            json!({"name": "Farai Moyo", "email": "farai@example.org", "role": "admin",
                   "password": "a-long-password"}),
        )
        .await;
    let accountant = accountant.body["id"].to_string();
    let start = future_monday();
    let mut browser = Browser::admin(&app).await;
    let fields = [
        ("course_id", course.as_str()),
        ("level", "tot"),
        ("venue", "Town House, Harare"),
        ("start_date", start.as_str()),
        ("organisation_id", "9999"),
        ("trainer_ids", accountant.as_str()),
    ];
    // The preview used to lay the days out and say nothing; saving then refused both.
    for action in ["preview", "save"] {
        let mut sent = fields.to_vec();
        sent.push(("action", action));
        let page = browser
            .submit("/admin/workshops/new", "/admin/workshops/new", &sent)
            .await;
        page.assert_html(422);
        assert!(
            page.after("id=\"trainer_ids-error\"")
                .contains("(Farai Moyo) is not a trainer"),
            "{action}: {}",
            page.text
        );
        assert!(
            page.after("id=\"organisation_id-error\"").contains("9999"),
            "{action}: {}",
            page.text
        );
    }
    assert_eq!(workshop_count(&app).await, 0, "nothing is saved");
}

#[tokio::test]
async fn cascade_refusals_and_bad_values_show_next_to_their_fields_and_save_nothing() {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let start = future_monday();
    let tot = app.workshop(course, &start, 35).await["id"]
        .as_i64()
        .unwrap();
    let trainer = app
        .post(
            "/api/v1/users",
            json!({"name": "Chipo Ncube", "email": "chipo@example.org", "role": "trainer",
                   "password": "a-long-password"}),
        )
        .await;
    let trainer = trainer.body["id"].to_string();
    let mut browser = Browser::admin(&app).await;
    let course = course.to_string();
    let tot = tot.to_string();
    let base = [
        ("course_id", course.as_str()),
        ("venue", "Ward 5 hall"),
        ("start_date", start.as_str()),
        ("action", "save"),
    ];

    // A cascade workshop with no parent.
    let mut fields = base.to_vec();
    fields.push(("level", "cascade"));
    let page = browser
        .submit("/admin/workshops/new", "/admin/workshops/new", &fields)
        .await;
    page.assert_html(422);
    assert_eq!(
        page.after("id=\"parent_workshop_id-error\""),
        "a cascade workshop needs its parent ToT workshop"
    );

    // Its parent has not been completed, and its trainer holds no ToT certificate: both are
    // refusals of the cascade rule, each next to its field.
    let mut fields = base.to_vec();
    fields.extend([
        ("level", "cascade"),
        ("parent_workshop_id", tot.as_str()),
        ("trainer_ids", trainer.as_str()),
    ]);
    let page = browser
        .submit("/admin/workshops/new", "/admin/workshops/new", &fields)
        .await;
    page.assert_html(409);
    assert_eq!(
        page.after("id=\"parent_workshop_id-error\""),
        format!("parent workshop {tot} has not been completed")
    );
    assert!(
        page.after("id=\"trainer_ids-error\"")
            .contains("Chipo Ncube) holds no valid ToT certificate for WQ"),
        "{}",
        page.text
    );

    // Values the API refuses: a blank venue, a Saturday, 40 seats, a start that is no date.
    let mut fields = vec![
        ("course_id", course.as_str()),
        ("level", "tot"),
        ("venue", " "),
        ("start_date", "2026-12-26"),
        ("capacity", "40"),
        ("action", "save"),
    ];
    let page = browser
        .submit("/admin/workshops/new", "/admin/workshops/new", &fields)
        .await;
    page.assert_html(422);
    assert_eq!(
        page.after("id=\"venue-error\""),
        "Enter where the workshop takes place."
    );
    assert_eq!(
        page.after("id=\"capacity-error\""),
        "must be between 1 and 35"
    );
    assert!(
        page.after("id=\"start_date-error\"").contains("2026-12-26"),
        "{}",
        page.text
    );
    fields[3] = ("start_date", "next week");
    let page = browser
        .submit("/admin/workshops/new", "/admin/workshops/new", &fields)
        .await;
    assert_eq!(
        page.after("id=\"start_date-error\""),
        "must be a date (YYYY-MM-DD)"
    );
    assert_eq!(workshop_count(&app).await, 1, "nothing was scheduled");
}

#[tokio::test]
async fn the_workshop_list_filters_as_the_api_does() {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let other = app.course("CC", 5).await;
    let start = future_monday();
    let wq = app.workshop(course, &start, 35).await["id"]
        .as_i64()
        .unwrap();
    let cc = app.workshop(other, &start, 35).await["id"]
        .as_i64()
        .unwrap();
    let mut browser = Browser::admin(&app).await;
    let page = browser
        .get(&format!("/admin/workshops?course_id={other}&level=tot"))
        .await;
    page.assert_html(200);
    assert!(page.text.contains(&format!("/admin/workshops/{cc}\"")));
    assert!(!page.text.contains(&format!("/admin/workshops/{wq}\"")));
    let page = browser.get("/admin/workshops?status=completed").await;
    assert!(page.text.contains("No workshops match."));
    let page = browser.get("/admin/workshops?from=soon").await;
    assert_eq!(
        page.after("id=\"from-error\""),
        "must be a date (YYYY-MM-DD)"
    );
}

#[tokio::test]
async fn enrolling_beyond_the_seats_waitlists_withdrawing_promotes_and_a_second_enrolment_is_refused()
 {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let w = app.workshop(course, &future_monday(), 1).await["id"]
        .as_i64()
        .unwrap();
    let (tendai_id, rudo_id) = (
        app.participant("Tendai Moyo").await,
        app.participant("Rudo Dube").await,
    );
    let (tendai, rudo) = (tendai_id.to_string(), rudo_id.to_string());
    let mut browser = Browser::admin(&app).await;
    let path = format!("/admin/workshops/{w}");

    // Searching finds the person to enrol.
    let page = browser.get(&format!("{path}?q=tendai")).await;
    page.assert_html(200);
    assert!(
        page.text
            .contains(&format!("data-participant=\"{tendai}\""))
    );
    assert!(!page.text.contains(&format!("data-participant=\"{rudo}\"")));

    let enrolled = browser
        .submit(
            &path,
            &format!("{path}/enrol"),
            &[("participant_id", &tendai)],
        )
        .await;
    let page = browser.follow(enrolled).await;
    assert!(page.text.contains("Enrolled: the person has a seat."));
    let waitlisted = browser
        .submit(
            &path,
            &format!("{path}/enrol"),
            &[("participant_id", &rudo)],
        )
        .await;
    let page = browser.follow(waitlisted).await;
    assert!(
        page.text.contains("the person is number 1 on the waitlist"),
        "{}",
        page.text
    );
    assert!(page.text.contains("Number 1 on the waitlist"));
    assert!(page.text.contains("1 of 1 taken, 0 left"));
    assert!(page.text.contains("1 on the waitlist"));

    // The same person again: the API's refusal, in words, and nothing changes.
    let again = browser
        .submit(
            &path,
            &format!("{path}/enrol"),
            &[("participant_id", &tendai)],
        )
        .await;
    again.assert_html(409);
    assert!(
        again
            .text
            .contains("Tendai Moyo is already in this workshop"),
        "{}",
        again.text
    );
    assert!(!again.text.contains("participant "), "{}", again.text);
    // And the search no longer offers to enrol them: it says they are in.
    let page = browser.get(&format!("{path}?q=tendai")).await;
    assert!(
        !page
            .text
            .contains(&format!("data-participant=\"{tendai}\"")),
        "{}",
        page.text
    );
    assert!(page.text.contains("Already enrolled"));
    let nobody = browser
        .submit(&path, &format!("{path}/enrol"), &[("participant_id", "")])
        .await;
    nobody.assert_html(422);
    assert!(nobody.text.contains("Choose a person to enrol."));

    // Withdrawing the seated person gives the seat to the waitlist.
    let enrolments = app
        .get(&format!("/api/v1/workshops/{w}/enrolments"))
        .await
        .body;
    let first = enrolments["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["participant_id"].as_i64() == Some(tendai_id))
        .unwrap()["id"]
        .to_string();
    // First the page says what will happen, and nothing changes yet.
    let asked = browser
        .submit(
            &path,
            &format!("{path}/withdraw"),
            &[("enrolment_id", &first)],
        )
        .await;
    asked.assert_html(200);
    assert!(
        asked
            .text
            .contains("Withdraw Tendai Moyo from this workshop?")
            && asked
                .text
                .contains("Rudo Dube, first on the waitlist, takes the seat"),
        "{}",
        asked.text
    );
    assert!(asked.text.contains("name=\"confirm\" value=\"yes\""));
    let still = app
        .get(&format!("/api/v1/workshops/{w}/enrolments"))
        .await
        .body;
    assert!(
        still["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["status"] != "withdrawn"),
        "{still}"
    );
    let withdrawn = browser
        .submit(
            &path,
            &format!("{path}/withdraw"),
            &[("enrolment_id", &first), ("confirm", "yes")],
        )
        .await;
    let page = browser.follow(withdrawn).await;
    assert!(
        page.text.contains("1 of 1 taken, 0 left") && page.text.contains("0 on the waitlist"),
        "{}",
        page.text
    );
    let after = app
        .get(&format!("/api/v1/workshops/{w}/enrolments"))
        .await
        .body;
    let rudo_status = after["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["participant_id"].as_i64() == Some(rudo_id))
        .unwrap()["status"]
        .clone();
    assert_eq!(rudo_status, "enrolled");
}

#[tokio::test]
async fn a_past_workshop_is_completed_its_certificates_issued_and_downloaded_from_its_page() {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let w = app
        .post(
            "/api/v1/workshops",
            json!({"course_id": course, "level": "tot", "venue": "Town House", "start_date": "2026-03-02"}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let mut records = vec![];
    let mut scores = vec![];
    for (name, days, score) in [("Tendai Moyo", 5, 80.0), ("Rudo Dube", 1, 30.0)] {
        let p = app.participant(name).await;
        let e = app
            .post(
                &format!("/api/v1/workshops/{w}/enrolments"),
                json!({"participant_id": p}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        for day in 1..=days {
            records.push(json!({"enrolment_id": e, "day": day, "status": "present"}));
        }
        scores.push(
            json!({"enrolment_id": e, "kind": "post_test", "score": score, "max_score": 100}),
        );
    }
    app.put(
        &format!("/api/v1/workshops/{w}/attendance"),
        json!({"records": records}),
    )
    .await;
    app.put(
        &format!("/api/v1/workshops/{w}/assessments"),
        json!({"records": scores}),
    )
    .await;
    let mut browser = Browser::admin(&app).await;
    let path = format!("/admin/workshops/{w}");
    let page = browser.get(&path).await;
    assert!(
        !page.text.contains("id=\"issue\""),
        "no certificates before completion"
    );
    let unknown = browser
        .submit(&path, &format!("{path}/status"), &[("change", "finish")])
        .await;
    unknown.assert_html(422);
    let completed = browser
        .submit(&path, &format!("{path}/status"), &[("change", "complete")])
        .await;
    let page = browser.follow(completed).await;
    assert!(page.text.contains("The workshop is completed."));
    // Results with the reasons, in words.
    assert!(page.text.contains("Rudo Dube"));
    assert!(page.text.contains("attended 1 of"), "{}", page.text);

    let issued = browser
        .submit(&path, &format!("{path}/certificates"), &[])
        .await;
    let page = browser.follow(issued).await;
    assert!(
        page.text.contains("1 certificates issued."),
        "{}",
        page.text
    );
    let certificates = app
        .get(&format!("/api/v1/certificates?workshop_id={w}"))
        .await
        .body;
    let number = certificates["items"][0]["number"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(page.text.contains(&number));
    // Cancelling a completed workshop is not offered, and refused when sent.
    assert!(!page.text.contains("value=\"cancel\""));
    let refused = browser
        .submit(&path, &format!("{path}/status"), &[("change", "cancel")])
        .await;
    refused.assert_html(409);
    assert!(
        refused
            .text
            .contains("a completed workshop cannot be cancelled")
    );

    // The register opens for the administrator (to correct it).
    assert!(
        page.text
            .contains(&format!("href=\"/register/workshops/{w}\""))
    );
    browser
        .get(&format!("/register/workshops/{w}"))
        .await
        .assert_html(200);

    // The downloads are the API's files.
    let zip = browser
        .get(&format!("/admin/download/workshops/{w}/certificates.zip"))
        .await;
    assert_eq!(zip.status, StatusCode::OK);
    let (_, _, api_zip) = app
        .bytes(&format!("/api/v1/workshops/{w}/certificates.zip"))
        .await;
    assert_eq!(zip.bytes.len(), api_zip.len());
    let csv = browser
        .get(&format!("/admin/download/workshops/{w}/attendance.csv"))
        .await;
    assert!(csv.header("content-type").starts_with("text/csv"));
    assert!(csv.text.contains("Tendai Moyo"));
    // Only the listed downloads pass.
    let other = browser.get("/admin/download/users").await;
    other.assert_html(404);
}

#[tokio::test]
async fn completing_before_the_last_day_is_refused_in_words() {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let w = app.workshop(course, &future_monday(), 35).await["id"]
        .as_i64()
        .unwrap();
    let mut browser = Browser::admin(&app).await;
    let path = format!("/admin/workshops/{w}");
    let page = browser
        .submit(&path, &format!("{path}/status"), &[("change", "complete")])
        .await;
    page.assert_html(409);
    assert!(
        page.text
            .contains("cannot be completed before its last day"),
        "{}",
        page.text
    );
    let started = browser
        .submit(&path, &format!("{path}/status"), &[("change", "start")])
        .await;
    let page = browser.follow(started).await;
    assert!(page.text.contains("The workshop has started."));
    let asked = browser
        .submit(&path, &format!("{path}/status"), &[("change", "cancel")])
        .await;
    asked.assert_html(200);
    assert!(
        asked.text.contains("Cancel this workshop?"),
        "{}",
        asked.text
    );
    assert!(asked.text.contains("are emailed that it is cancelled"));
    assert_eq!(
        app.get(&format!("/api/v1/workshops/{w}")).await.body["status"],
        "in_progress",
        "nothing changed before the confirmation"
    );
    let cancelled = browser
        .submit(
            &path,
            &format!("{path}/status"),
            &[("change", "cancel"), ("confirm", "yes")],
        )
        .await;
    browser.follow(cancelled).await;
    assert_eq!(
        app.get(&format!("/api/v1/workshops/{w}")).await.body["status"],
        "cancelled"
    );
}

#[tokio::test]
async fn a_participant_is_created_and_edited_with_the_apis_rules_shown_next_to_the_fields() {
    let app = spawn_app().await;
    let mut browser = Browser::admin(&app).await;
    let new = "/admin/participants/new";
    browser.get(new).await.assert_html(200);
    let refused = browser
        .submit(
            new,
            new,
            &[
                ("full_name", ""),
                ("email", "not-an-email"),
                ("target_group", "councillor"),
                ("national_id", "12"),
            ],
        )
        .await;
    refused.assert_html(422);
    assert!(
        refused.text.contains("id=\"full_name-error\""),
        "{}",
        refused.text
    );
    assert!(refused.text.contains("id=\"email-error\""));
    assert!(refused.text.contains("id=\"national_id-error\""));
    let no_group = browser
        .submit(new, new, &[("full_name", "Zoë Ncube")])
        .await;
    assert_eq!(no_group.after("id=\"target_group-error\""), "choose one");
    assert_eq!(app.get("/api/v1/participants").await.body["total"], 0);

    let created = browser
        .submit(
            new,
            new,
            &[
                ("full_name", "Zoë Ncube"),
                ("email", "zoe@example.org"),
                ("target_group", "councillor"),
                ("gender", "female"),
            ],
        )
        .await;
    let location = created.header("location").to_owned();
    let page = browser.follow(created).await;
    page.assert_html(200);
    assert!(page.text.contains("Saved.") && page.text.contains("value=\"Zoë Ncube\""));
    let id = location
        .trim_start_matches("/admin/participants/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let path = format!("/admin/participants/{id}");
    let edited = browser
        .submit(
            &path,
            &path,
            &[
                ("full_name", "Zoë Ncube-Moyo"),
                ("email", "zoe@example.org"),
                ("target_group", "ratepayer"),
                ("phone", "+263 77 123 4567"),
            ],
        )
        .await;
    browser.follow(edited).await;
    let stored = app.get(&format!("/api/v1/participants/{id}")).await.body;
    assert_eq!(stored["full_name"], "Zoë Ncube-Moyo");
    assert_eq!(stored["target_group"], "ratepayer");
    assert_eq!(stored["gender"], Value::Null, "a blank choice clears it");

    // An email another participant has is the API's conflict, and changes nothing.
    app.post(
        "/api/v1/participants",
        json!({"full_name": "Rudo Dube", "email": "rudo@example.org", "target_group": "ratepayer"}),
    )
    .await;
    let clash = browser
        .submit(
            &path,
            &path,
            &[
                ("full_name", "Zoë Ncube-Moyo"),
                ("email", "rudo@example.org"),
                ("target_group", "ratepayer"),
            ],
        )
        .await;
    clash.assert_html(409);
    assert!(
        clash
            .text
            .contains("a participant with email rudo@example.org already exists")
    );
    assert_eq!(
        app.get(&format!("/api/v1/participants/{id}")).await.body["email"],
        "zoe@example.org"
    );

    let found = browser.get("/admin/participants?q=ncube").await;
    assert!(
        found.text.contains(&format!("/admin/participants/{id}\"")),
        "{}",
        found.text
    );
    assert!(!found.text.contains("Rudo Dube"));
    // With an @ it is an email address; the search's own wildcards are taken literally.
    let by_email = browser.get("/admin/participants?q=rudo%40example").await;
    assert!(by_email.text.contains("Rudo Dube") && !by_email.text.contains("Ncube-Moyo"));
    let wildcard = browser.get("/admin/participants?q=%25").await;
    assert!(wildcard.text.contains("Nobody found."), "{}", wildcard.text);
}

#[tokio::test]
async fn a_csv_import_keeps_the_good_rows_and_shows_each_bad_row_with_its_line_and_error() {
    let app = spawn_app().await;
    let mut browser = Browser::admin(&app).await;
    let csv = "full_name,email,target_group\nTendai Moyo,tendai@example.org,councillor\nRudo Dube,rudo@example.org,astronaut\nFarai Banda,,ratepayer\n";
    let page = browser
        .submit(
            "/admin/participants",
            "/admin/participants",
            &[("csv", csv)],
        )
        .await;
    page.assert_html(422);
    assert!(page.text.contains("2 rows imported"), "{}", page.text);
    assert!(page.text.contains("1 row refused"));
    let row = &page.text[page.text.find("data-line=\"3\"").expect("line 3 is listed")..];
    assert!(row.contains("Rudo Dube,rudo@example.org,astronaut"));
    assert!(
        row.contains("target_group: &#34;astronaut&#34; is not a target group"),
        "{row}"
    );
    assert!(page.text.contains("Tendai Moyo") && page.text.contains("Farai Banda"));
    assert_eq!(app.get("/api/v1/participants").await.body["total"], 2);
    // The result comes first (above the search and the list of everyone), and the text area
    // keeps only the refused row under the header, to correct and send again.
    let result_at = page.text.find("id=\"import-result\"").expect("a result");
    assert!(result_at < page.text.find("role=\"search\"").unwrap());
    let area = page.after("id=\"csv\"");
    assert!(
        area.contains("full_name,email,target_group\nRudo Dube") && !area.contains("Tendai"),
        "{area}"
    );

    // The same file sent again (Import pressed twice, a reload) imports nobody twice.
    let again = browser
        .submit(
            "/admin/participants",
            "/admin/participants",
            &[("csv", csv)],
        )
        .await;
    again.assert_html(409);
    assert!(
        again.text.contains("nothing was imported again"),
        "{}",
        again.text
    );
    assert_eq!(app.get("/api/v1/participants").await.body["total"], 2);

    // People already on record by the duplicate finder's rules (the same phone however
    // written, the same name in the same organisation) are refused, naming who they match,
    // and so is a row repeating an earlier one.
    let first = "full_name,phone,target_group\nChipo Ncube,+263 77 123 4567,ratepayer\n";
    browser
        .submit(
            "/admin/participants",
            "/admin/participants",
            &[("csv", first)],
        )
        .await
        .assert_html(200);
    let second = "full_name,phone,target_group\nC. Ncube,077-123-4567,ratepayer\nNyasha Moyo,0772222222,ratepayer\nNyasha Moyo,0772222222,ratepayer\n";
    let page = browser
        .submit(
            "/admin/participants",
            "/admin/participants",
            &[("csv", second)],
        )
        .await;
    page.assert_html(422);
    let line2 = &page.text[page.text.find("data-line=\"2\"").expect("line 2 refused")..];
    assert!(
        line2.contains("already on record as Chipo Ncube")
            && line2.contains("the same phone number"),
        "{line2}"
    );
    let line4 = &page.text[page.text.find("data-line=\"4\"").expect("line 4 refused")..];
    assert!(line4.contains("the same person as line 3"), "{line4}");
    assert_eq!(app.get("/api/v1/participants").await.body["total"], 4);

    // A file that is not the import's table is refused whole, saying why.
    let page = browser
        .submit(
            "/admin/participants",
            "/admin/participants",
            &[("csv", "name,shoe_size\nA,4\n")],
        )
        .await;
    page.assert_html(422);
    assert!(page.text.contains("unknown column"), "{}", page.text);
    assert_eq!(app.get("/api/v1/participants").await.body["total"], 4);

    // The console reads files with the API's reader: a column named twice is refused too.
    let page = browser
        .submit(
            "/admin/participants",
            "/admin/participants",
            &[("csv", "full_name,target_group,ward,ward\nA,ratepayer,1,2\n")],
        )
        .await;
    page.assert_html(422);
    assert!(page.text.contains("more than once"), "{}", page.text);
    assert_eq!(app.get("/api/v1/participants").await.body["total"], 4);
}

#[tokio::test]
async fn certificates_are_found_by_number_or_name_revoked_with_a_reason_and_emailed_again() {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let (w, people) = app
        .completed_workshop(
            course,
            "tot",
            None,
            &[],
            &[("Tendai Moyo", Some(80.0)), ("Rudo Dube", Some(90.0))],
        )
        .await;
    let issued = app
        .post(&format!("/api/v1/workshops/{w}/certificates"), json!({}))
        .await
        .body;
    let tendai = issued["issued"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["holder_name"] == "Tendai Moyo")
        .unwrap()
        .clone();
    let id = tendai["id"].as_i64().unwrap();
    let number = tendai["number"].as_str().unwrap();
    let mut browser = Browser::admin(&app).await;
    let by_name = browser.get("/admin/certificates?q=tendai").await;
    by_name.assert_html(200);
    assert!(by_name.text.contains(number) && !by_name.text.contains("Rudo Dube"));
    let by_number = browser
        .get(&format!("/admin/certificates?q={}", number.to_lowercase()))
        .await;
    assert!(
        by_number
            .text
            .contains(&format!("/admin/certificates/{id}\""))
    );

    let path = format!("/admin/certificates/{id}");
    // No email address: the API's refusal in words.
    let page = browser.submit(&path, &format!("{path}/email"), &[]).await;
    page.assert_html(409);
    assert!(page.text.contains("has no email address"));
    app.patch(
        &format!("/api/v1/participants/{}", people[0].0),
        json!({"email": "tendai@example.org"}),
    )
    .await;
    let emailed = browser.submit(&path, &format!("{path}/email"), &[]).await;
    assert!(
        browser
            .follow(emailed)
            .await
            .text
            .contains("A copy is on its way")
    );

    let blank = browser
        .submit(&path, &format!("{path}/revoke"), &[("reason", "  ")])
        .await;
    blank.assert_html(422);
    assert_eq!(blank.after("id=\"reason-error\""), "must not be empty");
    let asked = browser
        .submit(
            &path,
            &format!("{path}/revoke"),
            &[("reason", "Issued in error")],
        )
        .await;
    asked.assert_html(200);
    assert!(
        asked.text.contains("Revoke certificate") && asked.text.contains("“Issued in error”"),
        "{}",
        asked.text
    );
    let revoked = browser
        .submit(
            &path,
            &format!("{path}/revoke"),
            &[("reason", "Issued in error"), ("confirm", "yes")],
        )
        .await;
    let page = browser.follow(revoked).await;
    assert!(page.text.contains("REVOKED") && page.text.contains("Issued in error"));
    let code = tendai["verification_code"].as_str().unwrap();
    let check = app.anonymous().get(&format!("/api/v1/verify/{code}")).await;
    assert_eq!(check.body["status"], "revoked", "{}", check.text);
    let pdf = browser
        .get(&format!("/admin/download/certificates/{id}/pdf"))
        .await;
    assert_eq!(pdf.header("content-type"), "application/pdf");
}

#[tokio::test]
async fn the_report_page_draws_the_summary_counts_as_svg_charts_with_tables_and_csv_links() {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let (w, _) = app
        .completed_workshop(
            course,
            "tot",
            None,
            &[],
            &[
                ("Tendai Moyo", Some(80.0)),
                ("Rudo Dube", Some(90.0)),
                ("Farai Banda", None),
            ],
        )
        .await;
    app.post(&format!("/api/v1/workshops/{w}/certificates"), json!({}))
        .await;
    let mut browser = Browser::admin(&app).await;
    let page = browser.get("/admin/reports").await;
    page.assert_html(200);
    assert_eq!(page.after("id=\"total-enrolled\""), "3");
    assert_eq!(page.after("id=\"total-certified\""), "2");
    let chart = |id: &str| {
        let start = page.text.find(&format!("id=\"{id}\"")).unwrap();
        let rest = &page.text[start..];
        rest[rest.find("<svg").unwrap()..rest.find("</svg>").unwrap()].to_owned()
    };
    let by_course = chart("by-course");
    assert!(
        by_course.contains("data-value=\"3\"") && by_course.contains("data-value=\"2\""),
        "{by_course}"
    );
    assert!(by_course.contains(">WQ<"), "{by_course}");
    let by_month = chart("by-month");
    assert!(
        by_month.contains(">2026-03<") && by_month.contains("data-value=\"3\""),
        "{by_month}"
    );
    let by_group = chart("by-target-group");
    assert!(by_group.contains("Community champion") && by_group.contains("data-value=\"3\""));
    assert!(
        page.text
            .contains("href=\"/admin/download/reports/summary.csv\"")
    );
    let csv = browser.get("/admin/reports/months.csv").await;
    assert!(csv.header("content-type").starts_with("text/csv"));
    assert!(csv.text.contains("2026-03,1,3,2"), "{}", csv.text);
    let summary = browser.get("/admin/download/reports/summary.csv").await;
    assert_eq!(summary.status, StatusCode::OK);
    // A year without workshops draws no bars.
    let empty = browser.get("/admin/reports?from=2030-01-01").await;
    assert!(empty.text.contains("Nothing to show for this selection."));
    let bad = browser.get("/admin/reports?to=tomorrow").await;
    assert_eq!(bad.after("id=\"to-error\""), "must be a date (YYYY-MM-DD)");
}

#[tokio::test]
async fn the_cascade_of_a_tot_workshop_is_drawn_as_a_tree_with_its_counts() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let mut browser = Browser::admin(&app).await;
    let tot = app.get("/api/v1/workshops?level=tot").await.body["items"][0]["id"]
        .as_i64()
        .unwrap();
    let tree = app
        .get(&format!("/api/v1/workshops/{tot}/cascade"))
        .await
        .body;
    let page = browser
        .get(&format!("/admin/workshops/{tot}/cascade"))
        .await;
    page.assert_html(200);
    let svg = &page.text[page.text.find("<svg class=\"tree\"").unwrap()..];
    assert_eq!(
        svg.matches("<g class=\"node\"").count() as u64,
        tree["totals"]["workshops"].as_u64().unwrap()
    );
    assert!(svg.contains(&format!("href=\"/admin/workshops/{tot}\"")));
    assert!(
        svg.contains(&format!("Certified {}", tree["root"]["certified"])),
        "{svg}"
    );
    let child = &tree["root"]["children"][0];
    assert!(
        svg.contains(&format!(
            "href=\"/admin/workshops/{}\"",
            child["workshop_id"]
        )),
        "{}",
        tree
    );
    // The multiplier, as the API computes it, and how.
    let per_trainer = tree["totals"]["reach_per_trainer"].as_f64().unwrap();
    assert!(
        page.text.contains(&format!(
            "<dt>Reached per certified trainer</dt><dd>{per_trainer:.1}</dd>"
        )),
        "{}",
        page.text
    );
    assert!(page.text.contains("÷ certificates earned in ToT workshops"));
}

#[tokio::test]
async fn a_failed_message_is_sent_again_from_the_outbox_and_the_audit_log_says_who() {
    use entity::email_outbox;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel};
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let w = app.workshop(course, &future_monday(), 35).await["id"]
        .as_i64()
        .unwrap();
    let p = app
        .post("/api/v1/participants", json!({"full_name": "Tendai Moyo", "email": "tendai@example.org", "target_group": "ratepayer"}))
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    app.post(
        &format!("/api/v1/workshops/{w}/enrolments"),
        json!({"participant_id": p}),
    )
    .await;
    // The enrolment's commit wakes the mail worker: let it finish with the message before the
    // test makes it a failed one.
    crate::helpers::eventually("the confirmation handed over", || async {
        app.get("/api/v1/emails?status=sent").await.body["total"] == 1
    })
    .await;
    let message = email_outbox::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let id = message.id;
    let mut failed = message.into_active_model();
    failed.status = Set(email_outbox::EmailStatus::Failed);
    failed.attempts = Set(8);
    failed.last_error = Set(Some("550 mailbox unavailable".into()));
    failed.update(&app.state.db).await.unwrap();

    let mut browser = Browser::admin(&app).await;
    let page = browser.get("/admin/outbox?status=failed").await;
    page.assert_html(200);
    assert!(
        page.text.contains("550 mailbox unavailable")
            && page.text.contains("Enrolment confirmation")
    );
    assert!(
        browser
            .get("/admin")
            .await
            .text
            .contains("550 mailbox unavailable"),
        "the dashboard lists it"
    );
    let resent = browser
        .submit("/admin/outbox", &format!("/admin/outbox/{id}/resend"), &[])
        .await;
    let page = browser.follow(resent).await;
    assert!(page.text.contains("queued to be sent again"));
    let stored = email_outbox::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(stored.status, email_outbox::EmailStatus::Failed);
    // A message that has not failed is not sent again.
    let again = browser
        .submit("/admin/outbox", &format!("/admin/outbox/{id}/resend"), &[])
        .await;
    if stored.status == email_outbox::EmailStatus::Queued {
        again.assert_html(409);
    }

    let audit = browser
        .get(&format!("/admin/audit?entity=email&entity_id={id}"))
        .await;
    audit.assert_html(200);
    assert!(
        audit.text.contains("resend email") && audit.text.contains(ADMIN_EMAIL),
        "{}",
        audit.text
    );
    let workshop_log = browser
        .get(&format!("/admin/audit?entity=workshop&entity_id={w}"))
        .await;
    assert!(workshop_log.text.contains(&format!("create workshop {w}")));
    assert!(!workshop_log.text.contains("resend"));
    let bad = browser.get("/admin/audit?entity_id=x").await;
    assert_eq!(
        bad.after("id=\"entity_id-error\""),
        "must be a whole number"
    );
}

#[tokio::test]
async fn users_are_created_deactivated_and_reactivated_and_api_keys_created_and_revoked() {
    let app = spawn_app().await;
    let mut browser = Browser::admin(&app).await;
    let short = browser
        .submit(
            "/admin/users",
            "/admin/users",
            &[
                ("name", "Chipo Ncube"),
                ("email", "chipo@example.org"),
                ("role", "trainer"),
                ("password", "short"),
            ],
        )
        .await;
    short.assert_html(422);
    assert!(
        short.after("id=\"password-error\"").contains("at least"),
        "{}",
        short.text
    );
    let created = browser
        .submit(
            "/admin/users",
            "/admin/users",
            &[
                ("name", "Chipo Ncube"),
                ("email", "chipo@example.org"),
                ("role", "trainer"),
                ("password", "a-long-password"),
            ],
        )
        .await;
    assert!(
        browser
            .follow(created)
            .await
            .text
            .contains("The user is created.")
    );
    let token = app.login("chipo@example.org", "a-long-password").await;
    let users = app.get("/api/v1/users?role=trainer").await.body;
    let id = users["items"][0]["id"].to_string();
    let asked = browser
        .submit(
            "/admin/users",
            &format!("/admin/users/{id}/active"),
            &[("active", "false")],
        )
        .await;
    asked.assert_html(200);
    assert!(asked.text.contains("Every session of theirs ends at once"));
    assert_eq!(
        app.with_token(&token).get("/api/v1/courses").await.status,
        200,
        "nothing changed before the confirmation"
    );
    let off = browser
        .submit(
            "/admin/users",
            &format!("/admin/users/{id}/active"),
            &[("active", "false"), ("confirm", "yes")],
        )
        .await;
    assert!(browser.follow(off).await.text.contains("Deactivated"));
    assert_eq!(
        app.with_token(&token).get("/api/v1/courses").await.status,
        401,
        "its sessions ended"
    );
    let on = browser
        .submit(
            "/admin/users",
            &format!("/admin/users/{id}/active"),
            &[("active", "true")],
        )
        .await;
    browser.follow(on).await;
    app.login("chipo@example.org", "a-long-password").await;

    // The last administrator cannot be deactivated.
    let admins = app.get("/api/v1/users?role=admin").await.body;
    let me = admins["items"][0]["id"].to_string();
    let last = browser
        .submit(
            "/admin/users",
            &format!("/admin/users/{me}/active"),
            &[("active", "false"), ("confirm", "yes")],
        )
        .await;
    last.assert_html(409);

    let no_scope = browser
        .submit(
            "/admin/users",
            "/admin/api-keys",
            &[("key_name", "Ward office")],
        )
        .await;
    no_scope.assert_html(422);
    assert_eq!(
        no_scope.after("id=\"scopes-error\""),
        "must name at least one scope"
    );
    let made = browser
        .submit(
            "/admin/users",
            "/admin/api-keys",
            &[
                ("key_name", "Ward office"),
                ("scopes", "read"),
                ("scopes", "enrol"),
            ],
        )
        .await;
    made.assert_html(201);
    let key = made.after("id=\"new-key\"").to_owned();
    // A page is never recorded for replay, whatever headers its post carries: the page holding
    // the new key is not stored.
    use sea_orm::{EntityTrait, PaginatorTrait};
    let csrf = browser.get("/admin/users").await.csrf();
    let with_key = browser
        .client
        .post(format!("{}/admin/api-keys", app.base))
        .header("cookie", browser.cookie_header())
        .header("idempotency-key", "console-key-1")
        .form(&[
            ("csrf", csrf.as_str()),
            ("key_name", "Depot"),
            ("scopes", "read"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(with_key.status(), 201);
    let recorded = entity::idempotency_record::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(recorded, 0, "the console's answer was stored");
    assert_eq!(
        app.with_token(&key).get("/api/v1/courses").await.status,
        200
    );
    assert!(
        !browser.get("/admin/users").await.text.contains(&key),
        "the key is shown once"
    );
    let keys = app.get("/api/v1/api-keys").await.body;
    let key_id = keys["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == "Ward office")
        .expect("the key is listed")["id"]
        .to_string();
    let revoked = browser
        .submit(
            "/admin/users",
            &format!("/admin/api-keys/{key_id}/revoke"),
            &[("confirm", "yes")],
        )
        .await;
    assert!(
        browser
            .follow(revoked)
            .await
            .text
            .contains("The API key is revoked.")
    );
    assert_eq!(
        app.with_token(&key).get("/api/v1/courses").await.status,
        401
    );
}

/// A trainer's ToT certificate valid for 12 months from a workshop held about 11 months ago:
/// it lapses in a few weeks. Returns the certificate's number.
async fn trainer_lapsing_in_weeks(app: &TestApp) -> String {
    let course = app.course("RNS", 5).await;
    let resp = app
        .patch(
            &format!("/api/v1/courses/{course}"),
            json!({"trainer_certificate_valid_months": 12}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let (w, people) = app
        .completed_workshop_from(
            &past_monday(330),
            course,
            "tot",
            None,
            &[],
            &[("Farai Lapsing", Some(90.0))],
        )
        .await;
    let issued = app
        .post(&format!("/api/v1/workshops/{w}/certificates"), json!({}))
        .await;
    assert_eq!(issued.status, 200, "{}", issued.text);
    app.user_token("trainer", "farai.lapsing@example.org", Some(people[0].0))
        .await;
    issued.body["issued"][0]["number"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_console_lists_trainers_lapsing_within_the_renewal_reminder_window() {
    // Lapsing in 35 to 45 days: inside a 60-day window, outside a 20-day one.
    for (days, listed) in [(60, true), (20, false)] {
        let app = spawn_app_with(|c| c.renewal_reminder_days = days).await;
        let number = trainer_lapsing_in_weeks(&app).await;
        let page = Browser::admin(&app).await.get("/admin").await;
        page.assert_html(200);
        assert!(
            page.text.contains(&format!("runs out within {days} days")),
            "the heading names the configured window: {}",
            page.text
        );
        assert_eq!(
            page.text.contains(&number),
            listed,
            "certificate {number} listed with a {days}-day window"
        );
    }
}

#[tokio::test]
async fn the_console_records_a_birth_year_and_all_six_washington_group_answers_or_none() {
    let app = spawn_app().await;
    let mut browser = Browser::admin(&app).await;
    let new = "/admin/participants/new";
    let form = browser.get(new).await;
    form.assert_html(200);
    assert!(form.text.contains("name=\"disability_self_care\""));
    let refused = browser
        .submit(
            new,
            new,
            &[
                ("full_name", "Rudo Dube"),
                ("target_group", "ratepayer"),
                ("birth_year", "2020"),
                ("disability_seeing", "some_difficulty"),
            ],
        )
        .await;
    refused.assert_html(422);
    assert!(refused.text.contains("id=\"disability_hearing-error\""));
    assert!(!refused.text.contains("id=\"disability_seeing-error\""));
    assert_eq!(app.get("/api/v1/participants").await.body["total"], 0);
    let refused = browser
        .submit(
            new,
            new,
            &[
                ("full_name", "Rudo Dube"),
                ("target_group", "ratepayer"),
                ("birth_year", "2020"),
            ],
        )
        .await;
    refused.assert_html(422);
    assert!(
        refused.text.contains("id=\"birth_year-error\""),
        "{}",
        refused.text
    );

    let mut fields = vec![
        ("full_name", "Rudo Dube"),
        ("target_group", "ratepayer"),
        ("birth_year", "1984"),
    ];
    for domain in [
        "disability_seeing",
        "disability_hearing",
        "disability_walking",
        "disability_cognition",
        "disability_self_care",
        "disability_communication",
    ] {
        fields.push((domain, "no_difficulty"));
    }
    fields[5].1 = "cannot_do_at_all";
    let created = browser.submit(new, new, &fields).await;
    let page = browser.follow(created).await;
    page.assert_html(200);
    assert!(page.text.contains("value=\"1984\""));
    assert!(
        page.text
            .contains("<option value=\"cannot_do_at_all\" selected>")
    );
    let stored = &app.get("/api/v1/participants").await.body["items"][0];
    assert_eq!(stored["birth_year"], 1984);
    assert_eq!(stored["disability"]["walking"], "cannot_do_at_all");

    let reports = browser.get("/admin/reports").await;
    reports.assert_html(200);
    assert!(reports.text.contains("id=\"by-age-band\""));
    assert!(reports.text.contains("id=\"by-disability\""));
}

#[tokio::test]
async fn a_webhook_is_created_with_its_secret_shown_once_and_its_deliveries_listed_and_sent_again()
{
    let app = crate::helpers::spawn_app_with(|c| {
        c.webhook_allow_http = true;
        c.webhook_allow_private = true;
        c.webhook_retry_base = std::time::Duration::from_millis(50);
    })
    .await;
    let receiver = crate::webhooks::Receiver::start(0, false).await;
    let mut browser = Browser::admin(&app).await;
    let empty = browser.get("/admin/webhooks").await;
    empty.assert_html(200);
    assert!(empty.text.contains("No webhooks yet"), "{}", empty.text);

    // A refused address shows next to its field and saves nothing.
    let refused = browser
        .submit(
            "/admin/webhooks",
            "/admin/webhooks",
            &[
                ("url", "ftp://hooks.example.org/in"),
                ("events", "enrolment.created"),
            ],
        )
        .await;
    refused.assert_html(422);
    assert!(
        refused.text.contains("id=\"url-error\""),
        "{}",
        refused.text
    );
    assert_eq!(app.get("/api/v1/webhooks").await.body["total"], 0);

    let created = browser
        .submit(
            "/admin/webhooks",
            "/admin/webhooks",
            &[
                ("url", receiver.url.as_str()),
                ("description", "Council HR"),
                ("events", "enrolment.created"),
                ("events", "enrolment.withdrawn"),
            ],
        )
        .await;
    created.assert_html(201);
    let secret = created.after("id=\"new-secret\"").to_owned();
    assert!(secret.starts_with("whsec_"), "{secret}");
    let hooks = app.get("/api/v1/webhooks").await;
    assert_eq!(hooks.body["total"], 1);
    let id = hooks.body["items"][0]["id"].as_i64().unwrap();
    assert_eq!(
        hooks.body["items"][0]["events"],
        json!(["enrolment.created", "enrolment.withdrawn"])
    );
    // Shown once: the page opened again does not carry it.
    let page = format!("/admin/webhooks/{id}");
    assert!(!browser.get(&page).await.text.contains(&secret));

    let course = app.course("WHP", 5).await;
    let workshop = app
        .workshop(course, &crate::helpers::future_monday(), 5)
        .await["id"]
        .as_i64()
        .unwrap();
    let person = app.participant("Rudo Banda").await;
    app.post(
        &format!("/api/v1/workshops/{workshop}/enrolments"),
        json!({"participant_id": person}),
    )
    .await;
    crate::helpers::eventually("the enrolment delivered", || async {
        receiver.received().len() == 1
    })
    .await;
    let deliveries = app.get(&format!("/api/v1/webhooks/{id}/deliveries")).await;
    let delivery = deliveries.body["items"][0]["id"].as_i64().unwrap();
    let shown = browser.get(&page).await;
    shown.assert_html(200);
    assert!(shown.text.contains("enrolment.created") && shown.text.contains("Delivered"));

    // Sent again from the page, with the same webhook-id.
    let again = browser
        .submit(
            &page,
            &format!("/admin/webhooks/{id}/deliveries/{delivery}/retry"),
            &[],
        )
        .await;
    let after = browser.follow(again).await;
    assert!(
        after.text.contains("queued to be sent again"),
        "{}",
        after.text
    );
    crate::helpers::eventually("the retry delivered", || async {
        receiver.received().len() == 2
    })
    .await;
    let received = receiver.received();
    assert_eq!(received[0].id, received[1].id);

    // Turned off from the page.
    let off = browser
        .submit(
            &page,
            &format!("/admin/webhooks/{id}/active"),
            &[("active", "false")],
        )
        .await;
    let after = browser.follow(off).await;
    assert!(after.text.contains("Turned off"), "{}", after.text);
    assert_eq!(
        app.get(&format!("/api/v1/webhooks/{id}")).await.body["active"],
        false
    );
}

/// The anonymous summary of a workshop's evaluations, as the API gives it.
async fn evaluation_summary(app: &TestApp, w: i64) -> Value {
    let resp = app
        .get(&format!("/api/v1/workshops/{w}/evaluations/summary"))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    resp.body
}

#[tokio::test]
async fn paper_evaluations_are_typed_in_with_the_printed_questions_and_blank_topics_stay_blank() {
    use cssd::services::paper_evaluation::{COMMENT_QUESTIONS, GENERAL_QUESTIONS, topic_question};
    let app = spawn_app().await;
    let course = app.course("PEV", 5).await;
    let (w, people) = app
        .completed_workshop(
            course,
            "tot",
            None,
            &[],
            &[
                ("Tendai Moyo", Some(80.0)),
                ("Rudo Dube", Some(70.0)),
                ("Chipo Ncube", Some(90.0)),
            ],
        )
        .await;
    let mut browser = Browser::admin(&app).await;
    let workshop_page = browser.get(&format!("/admin/workshops/{w}")).await;
    let path = format!("/admin/workshops/{w}/paper-evaluation");
    assert!(workshop_page.text.contains(&format!("href=\"{path}\"")));
    let form = browser.get(&path).await;
    form.assert_html(200);
    // The printed form's questions, in its order.
    let mut questions: Vec<String> = GENERAL_QUESTIONS.iter().map(|q| q.1.to_owned()).collect();
    questions.extend(
        ["Roles", "Processes", "Engagement", "Trust", "Champions"]
            .iter()
            .map(|t| topic_question(t)),
    );
    questions.extend(COMMENT_QUESTIONS.iter().map(|q| q.1.to_owned()));
    let mut at = 0;
    for question in &questions {
        let found = form.text[at..]
            .find(question.as_str())
            .unwrap_or_else(|| panic!("{question:?} missing or out of order: {}", form.text));
        at += found + question.len();
    }
    for name in ["Tendai Moyo", "Rudo Dube", "Chipo Ncube"] {
        assert!(form.text.contains(name), "{name} is offered");
    }
    let pdf = browser
        .get(&format!(
            "/admin/download/workshops/{w}/evaluation-form.pdf"
        ))
        .await;
    assert_eq!(pdf.header("content-type"), "application/pdf");

    let id_of = |i: usize| people[i].0.to_string();
    let all_rated = |who: &str, rating: &'static str| -> Vec<(String, String)> {
        let mut fields = vec![("participant_id".to_owned(), who.to_owned())];
        for field in ["overall", "trainers", "venue", "materials"] {
            fields.push((field.to_owned(), rating.to_owned()));
        }
        for i in 0..5 {
            fields.push((format!("topic-{i}"), rating.to_owned()));
        }
        fields
    };

    // Refusals first: nothing is saved by any of them.
    let mut nobody = all_rated("", "4");
    nobody.retain(|(k, _)| k != "participant_id");
    let refs: Vec<(&str, &str)> = nobody
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let refused = browser.submit(&path, &path, &refs).await;
    refused.assert_html(422);
    assert!(
        refused.text.contains("names the participant"),
        "{}",
        refused.text
    );

    let mut no_venue = all_rated(&id_of(0), "4");
    no_venue.retain(|(k, _)| k != "venue");
    no_venue.push(("topic-1".to_owned(), "9".to_owned()));
    no_venue.retain(|(k, v)| !(k == "topic-1" && v == "4"));
    let refs: Vec<(&str, &str)> = no_venue
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let refused = browser.submit(&path, &path, &refs).await;
    refused.assert_html(422);
    let fieldset = |name: &str| {
        let start = refused
            .text
            .find(&format!("id=\"q-{name}\""))
            .unwrap_or_else(|| panic!("no question {name}"));
        let rest = &refused.text[start..];
        rest[..rest.find("</fieldset>").unwrap()].to_owned()
    };
    for name in ["venue", "topic-1"] {
        let question = fieldset(name);
        assert!(question.contains("must be from 1 to 5"), "{question}");
    }
    assert!(!fieldset("trainers").contains("must be"));
    assert!(
        refused
            .text
            .contains("name=\"overall\" value=\"4\" checked"),
        "what was typed in is kept"
    );

    let outsider = app.participant("Nyasha Outsider").await;
    let outside = all_rated(&outsider.to_string(), "3");
    let refs: Vec<(&str, &str)> = outside
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let refused = browser.submit(&path, &path, &refs).await;
    refused.assert_html(409);
    assert!(refused.text.contains("held no seat"), "{}", refused.text);
    assert_eq!(evaluation_summary(&app, w).await["responses"], 0);

    // Three forms, one with the topic "Trust" left blank and a comment.
    for (i, rating) in [(0, "5"), (1, "4"), (2, "3")] {
        let mut fields = all_rated(&id_of(i), rating);
        if i == 1 {
            fields.retain(|(k, _)| k != "topic-3");
            fields.push(("topic-3".to_owned(), String::new()));
            fields.push(("most_useful".to_owned(), "The field visit".to_owned()));
        }
        let refs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let saved = browser.submit(&path, &path, &refs).await;
        let next = browser.follow(saved).await;
        assert!(
            next.text.contains("The evaluation is saved"),
            "{}",
            next.text
        );
    }
    let again = all_rated(&id_of(0), "2");
    let refs: Vec<(&str, &str)> = again
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let refused = browser.submit(&path, &path, &refs).await;
    refused.assert_html(409);
    assert!(
        refused.text.contains("already evaluated"),
        "{}",
        refused.text
    );

    let summary = evaluation_summary(&app, w).await;
    assert_eq!(summary["responses"], 3, "{summary}");
    let question = |name: &str| {
        summary["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["question"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} in {summary}"))
    };
    assert_eq!(question("overall")["responses"], 3);
    assert_eq!(question("overall")["average"], 4.0);
    assert_eq!(
        question("topic:Trust")["responses"],
        2,
        "the blank stayed blank"
    );
    assert_eq!(question("topic:Roles")["responses"], 3);
    assert!(summary.to_string().contains("The field visit"), "{summary}");
}

/// Participant `p` is still Tendai, with her email.
async fn still_tendai(app: &TestApp, p: i64) {
    let now = app.get(&format!("/api/v1/participants/{p}")).await.body;
    assert_eq!(now["full_name"], "Tendai Moyo", "{now}");
    assert_eq!(now["email"], "tendai@example.org", "{now}");
}

#[tokio::test]
async fn a_participant_is_erased_from_the_console_after_a_reason_and_a_confirmation() {
    let app = spawn_app().await;
    let p = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "Tendai Moyo", "email": "tendai@example.org",
                   "national_id": "63-123456A78", "target_group": "councillor"}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let path = format!("/admin/participants/{p}");
    let erase = format!("{path}/erase");

    // Neither a trainer nor a form without the CSRF token erases anybody.
    app.user_token("trainer", "trainer@example.org", None).await;
    let mut trainer = Browser::new(&app);
    trainer
        .sign_in("trainer@example.org", "a-long-password")
        .await;
    trainer
        .submit(
            "/admin/sign-in",
            &erase,
            &[("reason", "asked"), ("confirm", "yes")],
        )
        .await
        .assert_html(403);
    let mut browser = Browser::admin(&app).await;
    browser
        .post(&erase, &[("reason", "asked"), ("confirm", "yes")])
        .await
        .assert_html(403);
    still_tendai(&app, p).await;

    // The page offers it; without a reason it is refused next to the field.
    let page = browser.get(&path).await;
    page.assert_html(200);
    assert!(
        page.text.contains(&format!("action=\"{erase}\"")),
        "{}",
        page.text
    );
    let blank = browser
        .submit(&path, &erase, &[("reason", "  "), ("confirm", "yes")])
        .await;
    blank.assert_html(422);
    assert_eq!(blank.after("id=\"reason-error\""), "must not be empty");
    still_tendai(&app, p).await;

    // With a reason: what erasing does, first, and nothing yet.
    let asked = browser
        .submit(&path, &erase, &[("reason", "Asked in writing")])
        .await;
    asked.assert_html(200);
    assert!(
        asked
            .text
            .contains("Erase all personal data of Tendai Moyo?")
            && asked.text.contains("“Asked in writing”")
            && asked.text.contains("name=\"confirm\" value=\"yes\""),
        "{}",
        asked.text
    );
    still_tendai(&app, p).await;

    // Confirmed: erased, as the API would.
    let done = browser
        .submit(
            &path,
            &erase,
            &[("reason", "Asked in writing"), ("confirm", "yes")],
        )
        .await;
    let page = browser.follow(done).await;
    page.assert_html(200);
    assert!(
        page.text.contains("The personal data is erased"),
        "{}",
        page.text
    );
    assert!(!page.text.contains(&format!("action=\"{erase}\"")));
    let now = app.get(&format!("/api/v1/participants/{p}")).await.body;
    assert_eq!(now["full_name"], format!("Erased participant #{p}"));
    assert!(
        now["email"].is_null() && now["national_id"].is_null(),
        "{now}"
    );
    let audit = app
        .get(&format!("/api/v1/audit?entity=participant&entity_id={p}"))
        .await;
    let erasure = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "erase")
        .unwrap()
        .clone();
    assert_eq!(erasure["after"]["reason"], "Asked in writing");
    assert_eq!(erasure["actor_kind"], "user");
    // Twice: a conflict, said on the page.
    browser
        .post(
            &erase,
            &[
                ("csrf", &page.csrf()),
                ("reason", "again"),
                ("confirm", "yes"),
            ],
        )
        .await
        .assert_html(409);
}
