//! Open workshops: the public catalogue, applications, their confirmation and lapse, and the
//! administrators' review.

use std::sync::Arc;

use chrono::{Duration, Utc};
use entity::email_outbox::{self, EmailKind};
use reqwest::header;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{TestApp, future_monday, past_monday, spawn_app};

/// A course and a public ToT workshop of it a week or more ahead, with `capacity` seats.
async fn public_workshop(app: &TestApp, code: &str, capacity: i32) -> Value {
    let course = app.course(code, 5).await;
    let resp = app
        .post(
            "/api/v1/workshops",
            json!({
                "course_id": course, "level": "tot", "venue": format!("{code} hall, Mutare"),
                "start_date": future_monday(), "capacity": capacity, "public": true,
            }),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    assert_eq!(resp.body["public"], true);
    resp.body
}

fn application(name: &str, email: &str) -> Value {
    json!({
        "full_name": name, "email": email, "organisation_name": "Mutare City Council",
        "target_group": "water_supply", "gender": "female", "consent": true,
    })
}

async fn apply(app: &TestApp, workshop: i64, body: Value) -> crate::helpers::TestResponse {
    app.anonymous()
        .post(
            &format!("/api/v1/public/workshops/{workshop}/applications"),
            body,
        )
        .await
}

/// The messages queued for `recipient` of `kind`, oldest first.
async fn mails_to(app: &TestApp, recipient: &str, kind: EmailKind) -> Vec<email_outbox::Model> {
    email_outbox::Entity::find()
        .filter(email_outbox::Column::Recipient.eq(recipient))
        .filter(email_outbox::Column::Kind.eq(kind))
        .all(&app.state.db)
        .await
        .unwrap()
}

/// The token of the confirmation link mailed to `email`, read from the mail as delivered (the
/// outbox's stored copy forgets it once sent).
async fn link_token(app: &TestApp, email: &str) -> String {
    let mails = mails_to(app, email, EmailKind::ApplicationConfirmation).await;
    assert_eq!(mails.len(), 1, "one confirmation mail to {email}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        if let Some(token) = delivered_texts(app, email)
            .iter()
            .find_map(|text| token_in(text))
        {
            return token;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no confirmation mail delivered to {email}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The confirmation token in a mail's text, if it has a whole link (a file being written may
/// end inside it).
fn token_in(text: &str) -> Option<String> {
    let at = text.find("/catalogue/confirm/")? + "/catalogue/confirm/".len();
    let rest = &text[at..];
    Some(rest[..rest.find(char::is_whitespace)?].to_owned())
}

/// The plain texts of the mails delivered (to the outbox folder) to `email`.
fn delivered_texts(app: &TestApp, email: &str) -> Vec<String> {
    std::fs::read_dir(&app.state.config.outbox_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|f| f.path().extension().is_some_and(|e| e == "eml"))
        .filter_map(|f| {
            let raw = std::fs::read(f.path()).ok()?;
            let message = mail_parser::MessageParser::default().parse(&raw)?;
            let to = message.to()?.first()?.address()?.to_owned();
            (to == email).then(|| message.body_text(0).map(|t| t.into_owned()))?
        })
        .collect()
}

/// Applies as `name` <`email`> and confirms by the mailed link; returns the application id.
async fn confirmed(app: &TestApp, workshop: i64, name: &str, email: &str) -> i64 {
    let resp = apply(app, workshop, application(name, email)).await;
    assert_eq!(resp.status, 202, "{}", resp.text);
    let token = link_token(app, email).await;
    let resp = app
        .anonymous()
        .post(
            "/api/v1/public/applications/confirm",
            json!({ "token": token }),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["status"], "pending");
    let listed = app
        .get(&format!(
            "/api/v1/applications?workshop_id={workshop}&status=pending"
        ))
        .await;
    listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == email)
        .expect("the confirmed application is pending")["id"]
        .as_i64()
        .unwrap()
}

async fn stored_applications(app: &TestApp) -> u64 {
    app.get("/api/v1/applications").await.body["total"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn a_private_workshop_never_appears_in_the_catalogue_and_takes_no_applications() {
    let app = spawn_app().await;
    let open = public_workshop(&app, "CSSD", 35).await;
    let course = app.course("CC", 5).await;
    let private = app.workshop(course, &future_monday(), 35).await;
    assert_eq!(private["public"], false);

    let resp = app.anonymous().get("/api/v1/public/workshops").await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let items = resp.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", resp.text);
    let listed = &items[0];
    assert_eq!(listed["id"], open["id"]);
    let mut fields: Vec<&str> = listed
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "course_code",
            "course_title",
            "days",
            "end_date",
            "id",
            "level",
            "seats_left",
            "start_date",
            "venue",
            "waitlist_open",
        ],
        "nothing about people (province is left out: the workshop has no organisation)"
    );
    assert_eq!(listed["seats_left"], 35);
    assert_eq!(listed["days"].as_array().unwrap().len(), 5);

    let refused = apply(
        &app,
        private["id"].as_i64().unwrap(),
        application("Chipo Moyo", "chipo@example.org"),
    )
    .await;
    refused.assert_problem(409);
    assert_eq!(stored_applications(&app).await, 0);

    // Made public, it appears; made private again, it is gone.
    let id = private["id"].as_i64().unwrap();
    let resp = app
        .patch(&format!("/api/v1/workshops/{id}"), json!({"public": true}))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let resp = app.anonymous().get("/api/v1/public/workshops").await;
    assert_eq!(resp.body["total"], 2);
    app.patch(&format!("/api/v1/workshops/{id}"), json!({"public": false}))
        .await;
    let resp = app
        .anonymous()
        .get("/api/v1/public/workshops?course=cc")
        .await;
    assert_eq!(resp.body["total"], 0, "{}", resp.text);
}

#[tokio::test]
async fn the_catalogue_filters_by_course_and_province_and_skips_started_and_cancelled_workshops() {
    let app = spawn_app().await;
    let org = app
        .post(
            "/api/v1/organisations",
            json!({"name": "Mutare City Council", "kind": "local_authority", "province": "manicaland"}),
        )
        .await;
    assert_eq!(org.status, 201, "{}", org.text);
    let course = app.course("CSSD", 5).await;
    let make = |start: String, organisation: Option<i64>| {
        let app = &app;
        async move {
            let resp = app
                .post(
                    "/api/v1/workshops",
                    json!({
                        "course_id": course, "level": "tot", "venue": "Civic Centre",
                        "start_date": start, "public": true, "organisation_id": organisation,
                    }),
                )
                .await;
            assert_eq!(resp.status, 201, "{}", resp.text);
            resp.body["id"].as_i64().unwrap()
        }
    };
    let in_manicaland = make(future_monday(), org.body["id"].as_i64()).await;
    let elsewhere = make(future_monday(), None).await;
    let started = make(past_monday(14), None).await;
    let cancelled = make(future_monday(), None).await;
    app.post(&format!("/api/v1/workshops/{cancelled}/cancel"), json!({}))
        .await;

    let ids = |resp: &crate::helpers::TestResponse| -> Vec<i64> {
        resp.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["id"].as_i64().unwrap())
            .collect()
    };
    let all = app.anonymous().get("/api/v1/public/workshops").await;
    assert_eq!(ids(&all), [in_manicaland, elsewhere]);
    let manicaland = app
        .anonymous()
        .get("/api/v1/public/workshops?province=manicaland")
        .await;
    assert_eq!(ids(&manicaland), [in_manicaland]);
    assert_eq!(manicaland.body["items"][0]["province"], "manicaland");
    let other_course = app
        .anonymous()
        .get("/api/v1/public/workshops?course=CC")
        .await;
    assert_eq!(ids(&other_course), Vec::<i64>::new());

    for (id, why) in [(started, "started"), (cancelled, "cancelled")] {
        let resp = apply(&app, id, application("Chipo Moyo", "chipo@example.org")).await;
        let problem = resp.assert_problem(409);
        assert!(
            problem["detail"].as_str().unwrap().contains(why),
            "{}",
            resp.text
        );
    }
    assert_eq!(stored_applications(&app).await, 0);
}

#[tokio::test]
async fn the_catalogue_is_cacheable_and_answers_304_until_it_changes() {
    let app = spawn_app().await;
    let workshop = public_workshop(&app, "CSSD", 2).await;
    let first = app.anonymous().get("/api/v1/public/workshops").await;
    assert_eq!(first.headers[header::CACHE_CONTROL], "public, max-age=60");
    let etag = first.headers[header::ETAG].to_str().unwrap().to_owned();
    let again = app
        .client
        .get(format!("{}/api/v1/public/workshops", app.base))
        .header(header::IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()[header::ETAG].to_str().unwrap(), etag);

    // A seat taken changes what the catalogue says, and so its tag.
    let p = app.participant("Tendai Moyo").await;
    let id = workshop["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/workshops/{id}/enrolments"),
        json!({"participant_id": p}),
    )
    .await;
    let changed = app
        .client
        .get(format!("{}/api/v1/public/workshops", app.base))
        .header(header::IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    assert_ne!(changed.headers()[header::ETAG].to_str().unwrap(), etag);
    let body: Value = changed.json().await.unwrap();
    assert_eq!(body["items"][0]["seats_left"], 1);
}

#[tokio::test]
async fn bad_applications_are_422_against_their_field_and_store_nothing() {
    let app = spawn_app().await;
    let workshop = public_workshop(&app, "CSSD", 35).await;
    let id = workshop["id"].as_i64().unwrap();
    let cases = [
        (json!({"email": null, "phone": null}), "email"),
        (json!({"consent": false}), "consent"),
        (json!({"consent": null}), "consent"),
        (json!({"full_name": "Chipo\u{0007}Moyo"}), "full_name"),
        (
            json!({"organisation_name": "Mutare\u{001b}[31m"}),
            "organisation_name",
        ),
        (json!({"email": "not an address"}), "email"),
        (json!({"email": null, "phone": "call me maybe"}), "phone"),
    ];
    for (change, field) in cases {
        let mut body = application("Chipo Moyo", "chipo@example.org");
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let resp = apply(&app, id, body.clone()).await;
        resp.assert_problem(422);
        assert!(
            resp.field_error(field).is_some(),
            "{body}: expected an error on {field}: {}",
            resp.text
        );
    }
    assert_eq!(stored_applications(&app).await, 0);
    assert!(
        email_outbox::Entity::find()
            .all(&app.state.db)
            .await
            .unwrap()
            .is_empty(),
        "no mail went out"
    );
}

#[tokio::test]
async fn an_unconfirmed_application_lapses_after_a_day_and_never_reaches_the_administrator() {
    let app = spawn_app().await;
    let workshop = public_workshop(&app, "CSSD", 35).await;
    let id = workshop["id"].as_i64().unwrap();
    let resp = apply(&app, id, application("Chipo Moyo", "chipo@example.org")).await;
    assert_eq!(resp.status, 202, "{}", resp.text);
    let reference = resp.body["reference"].as_str().unwrap().to_owned();

    let pending = app.get("/api/v1/applications?status=pending").await;
    assert_eq!(pending.body["total"], 0, "unconfirmed is not pending");
    let waiting = app.get("/api/v1/applications?status=unconfirmed").await;
    assert_eq!(waiting.body["items"][0]["reference"], reference.as_str());

    // A day and a minute later, on the applications' clock.
    let later = Utc::now() + Duration::hours(24) + Duration::minutes(1);
    app.state.application_clock.set(Arc::new(move || later));
    let lapsed = app.get("/api/v1/applications?status=lapsed").await;
    assert_eq!(lapsed.body["total"], 1, "{}", lapsed.text);
    assert_eq!(lapsed.body["items"][0]["reference"], reference.as_str());
    let pending = app.get("/api/v1/applications?status=pending").await;
    assert_eq!(pending.body["total"], 0);

    // The link no longer confirms it.
    let token = link_token(&app, "chipo@example.org").await;
    let resp = app
        .anonymous()
        .post(
            "/api/v1/public/applications/confirm",
            json!({"token": token}),
        )
        .await;
    resp.assert_problem(422);
    let pending = app.get("/api/v1/applications?status=pending").await;
    assert_eq!(pending.body["total"], 0);
}

#[tokio::test]
async fn a_confirmed_application_shows_the_participants_it_may_be() {
    let app = spawn_app().await;
    let workshop = public_workshop(&app, "CSSD", 35).await;
    let id = workshop["id"].as_i64().unwrap();
    let known = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "Chipo Moyo", "email": "chipo@example.org", "phone": "077 123 4567", "target_group": "water_supply"}),
        )
        .await;
    assert_eq!(known.status, 201, "{}", known.text);
    let mut body = application("Chipo Moyo", "chipo@example.org");
    body["phone"] = json!("+263 77 123 4567");
    let resp = apply(&app, id, body).await;
    assert_eq!(resp.status, 202, "{}", resp.text);
    let token = link_token(&app, "chipo@example.org").await;
    let resp = app
        .anonymous()
        .post(
            "/api/v1/public/applications/confirm",
            json!({"token": token}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    // The link works once.
    let again = app
        .anonymous()
        .post(
            "/api/v1/public/applications/confirm",
            json!({"token": token}),
        )
        .await;
    again.assert_problem(422);

    let listed = app
        .get(&format!(
            "/api/v1/applications?workshop_id={id}&status=pending"
        ))
        .await;
    let a = &listed.body["items"][0];
    assert_eq!(a["phone"], "+263771234567", "stored in E.164");
    assert_eq!(a["candidates"][0]["participant_id"], known.body["id"]);
    assert_eq!(a["candidates"][0]["reasons"], json!(["email", "phone"]));

    let audit = app
        .get(&format!(
            "/api/v1/audit?entity=workshop_application&entity_id={}",
            a["id"]
        ))
        .await;
    let actions: Vec<&str> = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"create") && actions.contains(&"confirm"),
        "{actions:?}"
    );
}

#[tokio::test]
async fn a_phone_only_applicant_confirms_by_code_and_wrong_codes_are_refused() {
    let app = spawn_app().await;
    let workshop = public_workshop(&app, "CSSD", 35).await;
    let id = workshop["id"].as_i64().unwrap();
    let mut body = application("Farai Ncube", "x@example.org");
    body["email"] = Value::Null;
    body["phone"] = json!("0771234567");
    let resp = apply(&app, id, body).await;
    assert_eq!(resp.status, 202, "{}", resp.text);
    let reference = resp.body["reference"].as_str().unwrap().to_owned();
    let wrong = app
        .anonymous()
        .post(
            "/api/v1/public/applications/confirm-code",
            json!({"reference": reference, "code": "12345x"}),
        )
        .await;
    wrong.assert_problem(422);
    assert!(wrong.field_error("code").is_some(), "{}", wrong.text);
    let listed = app.get("/api/v1/applications?status=unconfirmed").await;
    assert_eq!(listed.body["items"][0]["phone"], "+263771234567");
    assert!(listed.body["items"][0].get("email").is_none());

    // The code went by SMS (the file transport here): it confirms the application.
    let dir = app.state.config.outbox_dir.join("sms");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let text = loop {
        let texts: Vec<String> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
            .collect();
        if let Some(text) = texts.into_iter().find(|t| t.contains(&reference)) {
            break text;
        }
        assert!(std::time::Instant::now() < deadline, "no SMS with the code");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert!(text.starts_with("To: +263771234567"), "{text}");
    let code = regex::Regex::new(r"\b(\d{6})\b")
        .unwrap()
        .captures(&text)
        .unwrap()[1]
        .to_owned();
    let right = app
        .anonymous()
        .post(
            "/api/v1/public/applications/confirm-code",
            json!({"reference": reference, "code": code}),
        )
        .await;
    assert_eq!(right.status, 200, "{}", right.text);
    let pending = app.get("/api/v1/applications?status=pending").await;
    assert_eq!(
        pending.body["items"][0]["phone"], "+263771234567",
        "{}",
        pending.text
    );
}

#[tokio::test]
async fn the_last_seat_goes_to_one_of_two_applications_accepted_at_once_and_the_other_waits() {
    let app = spawn_app().await;
    let workshop = public_workshop(&app, "CSSD", 2).await;
    let id = workshop["id"].as_i64().unwrap();
    let p = app.participant("Already Seated").await;
    app.post(
        &format!("/api/v1/workshops/{id}/enrolments"),
        json!({"participant_id": p}),
    )
    .await;
    let first = confirmed(&app, id, "Chipo Moyo", "chipo@example.org").await;
    let second = confirmed(&app, id, "Rudo Dube", "rudo@example.org").await;

    let (path_a, path_b) = (
        format!("/api/v1/applications/{first}/accept"),
        format!("/api/v1/applications/{second}/accept"),
    );
    let (a, b) = tokio::join!(app.post(&path_a, json!({})), app.post(&path_b, json!({})));
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(b.status, 200, "{}", b.text);
    let mut statuses = [
        a.body["status"].as_str().unwrap(),
        b.body["status"].as_str().unwrap(),
    ];
    statuses.sort_unstable();
    assert_eq!(statuses, ["enrolled", "waitlisted"]);
    let w = app.get(&format!("/api/v1/workshops/{id}")).await;
    assert_eq!(w.body["seats_taken"], 2);
    assert_eq!(w.body["waitlist_count"], 1);

    // Each applicant is told, by mail.
    for email in ["chipo@example.org", "rudo@example.org"] {
        assert_eq!(
            mails_to(&app, email, EmailKind::ApplicationAccepted)
                .await
                .len(),
            1,
            "{email}"
        );
    }
    // An application is answered once.
    let again = app
        .post(&format!("/api/v1/applications/{first}/accept"), json!({}))
        .await;
    again.assert_problem(409);
}

#[tokio::test]
async fn accepting_links_an_existing_participant_instead_of_creating_one() {
    let app = spawn_app().await;
    let workshop = public_workshop(&app, "CSSD", 35).await;
    let id = workshop["id"].as_i64().unwrap();
    let known = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "Chipo Moyo", "email": "chipo@example.org", "target_group": "water_supply"}),
        )
        .await;
    let application = confirmed(&app, id, "Chipo Moyo", "chipo@example.org").await;
    // Creating a second record with the same email is refused: link the candidate.
    let refused = app
        .post(
            &format!("/api/v1/applications/{application}/accept"),
            json!({}),
        )
        .await;
    refused.assert_problem(409);
    let accepted = app
        .post(
            &format!("/api/v1/applications/{application}/accept"),
            json!({"participant_id": known.body["id"]}),
        )
        .await;
    assert_eq!(accepted.status, 200, "{}", accepted.text);
    assert_eq!(accepted.body["participant_id"], known.body["id"]);
    assert_eq!(accepted.body["status"], "enrolled");
    assert!(
        accepted.body["consent"]["given_at"].is_string(),
        "the applicant's consent carries over"
    );
    let people = app.get("/api/v1/participants").await;
    assert_eq!(people.body["total"], 1, "nobody new");
}

#[tokio::test]
async fn declining_mails_the_reason_in_the_language_the_applicant_used() {
    let app = spawn_app().await;
    let workshop = public_workshop(&app, "CSSD", 35).await;
    let id = workshop["id"].as_i64().unwrap();
    let resp = app
        .anonymous()
        .post(
            &format!("/api/v1/public/workshops/{id}/applications?lang=sn"),
            application("Chipo Moyo", "chipo@example.org"),
        )
        .await;
    assert_eq!(resp.status, 202, "{}", resp.text);
    let confirm = mails_to(
        &app,
        "chipo@example.org",
        EmailKind::ApplicationConfirmation,
    )
    .await;
    assert!(
        confirm[0].body_text.starts_with("Mhoro Chipo Moyo"),
        "{}",
        confirm[0].body_text
    );
    let token = link_token(&app, "chipo@example.org").await;
    app.anonymous()
        .post(
            "/api/v1/public/applications/confirm",
            json!({"token": token}),
        )
        .await;
    let listed = app.get("/api/v1/applications?status=pending").await;
    let application = listed.body["items"][0]["id"].as_i64().unwrap();

    let no_reason = app
        .post(
            &format!("/api/v1/applications/{application}/decline"),
            json!({"reason": "   "}),
        )
        .await;
    no_reason.assert_problem(422);
    assert!(no_reason.field_error("reason").is_some());
    let resp = app
        .post(
            &format!("/api/v1/applications/{application}/decline"),
            json!({"reason": "This workshop is for council staff only."}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["status"], "declined");
    let mails = mails_to(&app, "chipo@example.org", EmailKind::ApplicationDeclined).await;
    assert_eq!(mails.len(), 1);
    assert!(
        mails[0]
            .body_text
            .contains("This workshop is for council staff only."),
        "{}",
        mails[0].body_text
    );
    assert!(
        mails[0].body_text.contains("Tine urombo"),
        "in Shona: {}",
        mails[0].body_text
    );
    let again = app
        .post(
            &format!("/api/v1/applications/{application}/accept"),
            json!({}),
        )
        .await;
    again.assert_problem(409);
}

#[tokio::test]
async fn a_full_workshop_takes_applications_and_says_the_waitlist_is_open() {
    let app = spawn_app().await;
    let workshop = public_workshop(&app, "CSSD", 1).await;
    let id = workshop["id"].as_i64().unwrap();
    let p = app.participant("Already Seated").await;
    app.post(
        &format!("/api/v1/workshops/{id}/enrolments"),
        json!({"participant_id": p}),
    )
    .await;
    let listed = app.anonymous().get("/api/v1/public/workshops").await;
    assert_eq!(listed.body["items"][0]["seats_left"], 0);
    assert_eq!(listed.body["items"][0]["waitlist_open"], true);
    let resp = apply(&app, id, application("Chipo Moyo", "chipo@example.org")).await;
    assert_eq!(resp.status, 202, "{}", resp.text);
    assert_eq!(resp.body["waitlist_open"], true);
}

#[tokio::test]
async fn applications_are_throttled_per_contact_and_per_client_address() {
    let app = spawn_app().await;
    let workshop = public_workshop(&app, "CSSD", 35).await;
    let id = workshop["id"].as_i64().unwrap();
    for _ in 0..5 {
        let resp = apply(&app, id, application("Chipo Moyo", "chipo@example.org")).await;
        assert_eq!(resp.status, 202, "{}", resp.text);
    }
    let refused = apply(&app, id, application("Chipo Moyo", "chipo@example.org")).await;
    refused.assert_problem(429);
    assert!(refused.headers.contains_key(header::RETRY_AFTER));
    assert_eq!(
        stored_applications(&app).await,
        5,
        "the refused one is not stored"
    );

    // From one address, twenty applications at most, whatever the contact.
    for n in 0..15 {
        let resp = apply(
            &app,
            id,
            application("Someone", &format!("p{n}@example.org")),
        )
        .await;
        assert_eq!(resp.status, 202, "{n}: {}", resp.text);
    }
    let refused = apply(&app, id, application("Someone", "another@example.org")).await;
    refused.assert_problem(429);
}

#[tokio::test]
async fn the_catalogue_pages_list_public_workshops_in_the_chosen_language_and_take_applications() {
    use crate::browser::Browser;
    let app = spawn_app().await;
    let open = public_workshop(&app, "CSSD", 35).await;
    let course = app.course("CC", 5).await;
    let private = app.workshop(course, &future_monday(), 35).await;
    let id = open["id"].as_i64().unwrap();
    let mut browser = Browser::new(&app);

    let list = browser.get("/catalogue?lang=sn").await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert!(list.header("content-type").starts_with("text/html"));
    assert!(
        list.header("content-security-policy")
            .contains("script-src 'self'")
    );
    assert!(list.text.contains("<html lang=\"sn\">"), "{}", list.text);
    assert!(list.text.contains("Zvidzidzo zvakavhurika"));
    assert!(list.text.contains("CSSD hall, Mutare"));
    assert!(
        !list.text.contains(&format!("/catalogue/{}", private["id"])),
        "a private workshop never appears"
    );
    for code in ["en", "sn", "nd"] {
        assert!(list.text.contains(&format!("hreflang=\"{code}\"")) || code == "sn");
    }
    assert_eq!(list.header("cache-control"), "public, max-age=60");
    let etag = list.header("etag").to_owned();
    let again = app
        .client
        .get(format!("{}/catalogue?lang=sn", app.base))
        .header(header::IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    let english = browser.get("/catalogue").await;
    assert!(english.text.contains("<html lang=\"en\">") && english.text.contains("Open workshops"));

    // The private workshop's page does not exist for the public.
    let hidden = browser.get(&format!("/catalogue/{}", private["id"])).await;
    hidden.assert_html(404);

    let page = browser.get(&format!("/catalogue/{id}?lang=en")).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("Day 5"), "the schedule day by day");
    assert!(
        page.text.contains("the controller of this data"),
        "the privacy notice"
    );
    assert!(page.header("cache-control").starts_with("private"));
    let csrf = page.csrf();
    let path = format!("/catalogue/{id}/apply?lang=en");

    // No consent: the form again, with the refusal next to the field, nothing stored.
    let refused = browser
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("full_name", "Chipo Moyo"),
                ("email", "chipo@example.org"),
                ("target_group", "revenue"),
            ],
        )
        .await;
    refused.assert_html(422);
    assert!(refused.text.contains("field-error"), "{}", refused.text);
    assert!(
        refused.text.contains("value=\"chipo@example.org\""),
        "what was typed stays"
    );
    assert_eq!(stored_applications(&app).await, 0);

    // A bot that fills in the honeypot is told nothing different, and nothing is stored.
    let bot = browser
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("full_name", "Bot"),
                ("email", "bot@example.org"),
                ("target_group", "revenue"),
                ("consent", "yes"),
                ("website", "http://spam.example"),
            ],
        )
        .await;
    bot.assert_html(200);
    assert_eq!(stored_applications(&app).await, 0);
    assert!(
        mails_to(&app, "bot@example.org", EmailKind::ApplicationConfirmation)
            .await
            .is_empty()
    );

    // Without the form token: refused.
    let forged = browser
        .post(
            &path,
            &[
                ("full_name", "Chipo Moyo"),
                ("email", "chipo@example.org"),
                ("target_group", "revenue"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(stored_applications(&app).await, 0);

    let sent = browser
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("full_name", "Chipo Moyo"),
                ("email", "chipo@example.org"),
                ("phone", ""),
                ("organisation_name", ""),
                ("target_group", "revenue"),
                ("gender", ""),
                ("consent", "yes"),
                ("website", ""),
            ],
        )
        .await;
    sent.assert_html(202);
    assert!(sent.text.contains("chipo@example.org"), "{}", sent.text);
    let token = link_token(&app, "chipo@example.org").await;
    let done = browser.get(&format!("/catalogue/confirm/{token}")).await;
    done.assert_html(200);
    assert!(done.text.contains("Application confirmed"), "{}", done.text);
    let used = browser.get(&format!("/catalogue/confirm/{token}")).await;
    used.assert_html(404);
    let pending = app.get("/api/v1/applications?status=pending").await;
    assert_eq!(pending.body["total"], 1);
    assert_eq!(pending.body["items"][0]["target_group"], "revenue");
    assert_eq!(pending.body["items"][0]["language"], "en");
}

// ---------------------------------------------------------------------------------------------
// The console's review

/// A confirmed application (by email) for a fresh public workshop of `capacity` seats: (workshop
/// id, application id).
async fn one_confirmed(app: &TestApp, capacity: i32) -> (i64, i64) {
    let workshop = public_workshop(app, "CSSD", capacity).await;
    let id = workshop["id"].as_i64().unwrap();
    (
        id,
        confirmed(app, id, "Chipo Moyo", "chipo@example.org").await,
    )
}

async fn application_status(app: &TestApp, id: i64) -> String {
    let listed = app.get("/api/v1/applications").await;
    listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .unwrap()["status"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_console_lists_an_application_with_the_person_it_may_be_and_accepts_it_after_asking() {
    use crate::browser::Browser;
    let app = spawn_app().await;
    let known = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "Chipo Moyo", "email": "chipo@example.org", "target_group": "water_supply"}),
        )
        .await;
    let known_id = known.body["id"].as_i64().unwrap();
    let (workshop, application) = one_confirmed(&app, 35).await;
    let mut browser = Browser::admin(&app).await;

    let list = browser.get("/admin/applications").await;
    list.assert_html(200);
    assert!(list.text.contains("Chipo Moyo") && list.text.contains("chipo@example.org"));
    assert!(
        list.text
            .contains(&format!("href=\"/admin/participants/{known_id}\"")),
        "the participant it may be: {}",
        list.text
    );
    assert!(list.text.contains("the same email"), "{}", list.text);
    let other = browser
        .get(&format!("/admin/applications?workshop_id={}", workshop + 1))
        .await;
    assert!(other.text.contains("No applications match."));

    // The first press asks; nothing changes yet.
    let path = format!("/admin/applications/{application}/accept");
    let known_text = known_id.to_string();
    let asked = browser
        .submit(
            "/admin/applications",
            &path,
            &[("participant_id", &known_text)],
        )
        .await;
    asked.assert_html(200);
    assert!(
        asked
            .text
            .contains(&format!("Accept Chipo Moyo into workshop {workshop}"))
            && asked.text.contains("linked to Chipo Moyo"),
        "{}",
        asked.text
    );
    assert_eq!(application_status(&app, application).await, "pending");

    let done = browser
        .submit(
            "/admin/applications",
            &path,
            &[("participant_id", &known_text), ("confirm", "yes")],
        )
        .await;
    let page = browser.follow(done).await;
    assert!(
        page.text
            .contains("Accepted: the applicant has a seat and is told so."),
        "{}",
        page.text
    );
    assert_eq!(application_status(&app, application).await, "accepted");
    let enrolments = app
        .get(&format!("/api/v1/workshops/{workshop}/enrolments"))
        .await;
    assert_eq!(enrolments.body["items"][0]["participant_id"], known_id);
    assert_eq!(
        mails_to(&app, "chipo@example.org", EmailKind::ApplicationAccepted)
            .await
            .len(),
        1
    );
    // Answered once: a second acceptance is refused in words, and nothing changes.
    let again = browser
        .submit(
            "/admin/applications",
            &path,
            &[("participant_id", ""), ("confirm", "yes")],
        )
        .await;
    again.assert_html(409);
    assert!(again.text.contains("is accepted"), "{}", again.text);
    let people = app.get("/api/v1/participants").await;
    assert_eq!(people.body["total"], 1, "nobody new");
}

#[tokio::test]
async fn declining_in_the_console_needs_a_reason_and_bad_requests_change_nothing() {
    use crate::browser::Browser;
    let app = spawn_app().await;
    let (workshop, application) = one_confirmed(&app, 35).await;
    let mut browser = Browser::admin(&app).await;
    let from = format!("/admin/applications?workshop_id={workshop}");
    let path = format!("/admin/applications/{application}/decline");

    let blank = browser.submit(&from, &path, &[("reason", "  ")]).await;
    blank.assert_html(422);
    assert_eq!(
        blank.after(&format!("id=\"reason-{application}-error\"")),
        "must say why: the applicant is told"
    );
    // Unknown applications and ids that are not numbers: nothing happens.
    browser
        .submit(
            &from,
            "/admin/applications/9999/decline",
            &[("reason", "No.")],
        )
        .await
        .assert_html(404);
    let bad_id = browser
        .submit(
            &from,
            &format!("/admin/applications/{application}/accept"),
            &[("participant_id", "Chipo"), ("confirm", "yes")],
        )
        .await;
    bad_id.assert_html(422);
    assert!(
        bad_id.text.contains("must be a whole number"),
        "{}",
        bad_id.text
    );
    let nobody = browser
        .submit(
            &from,
            &format!("/admin/applications/{application}/accept"),
            &[("participant_id", "9999"), ("confirm", "yes")],
        )
        .await;
    nobody.assert_html(422);
    assert!(
        nobody.text.contains("participant 9999 does not exist"),
        "{}",
        nobody.text
    );
    assert_eq!(
        browser
            .post(&path, &[("reason", "No."), ("confirm", "yes")])
            .await
            .status,
        403
    );
    assert_eq!(application_status(&app, application).await, "pending");

    let reason = "This workshop is for council staff only.";
    let asked = browser.submit(&from, &path, &[("reason", reason)]).await;
    asked.assert_html(200);
    assert!(
        asked
            .text
            .contains("Decline the application of Chipo Moyo?")
    );
    assert_eq!(application_status(&app, application).await, "pending");
    let done = browser
        .submit(&from, &path, &[("reason", reason), ("confirm", "yes")])
        .await;
    let page = browser.follow(done).await;
    assert!(
        page.text.contains("Declined: the applicant is told"),
        "{}",
        page.text
    );
    assert_eq!(application_status(&app, application).await, "declined");
    let mails = mails_to(&app, "chipo@example.org", EmailKind::ApplicationDeclined).await;
    assert!(mails[0].body_text.contains(reason));
    let declined = browser
        .get(&format!(
            "/admin/applications?workshop_id={workshop}&status=declined"
        ))
        .await;
    assert!(declined.text.contains(reason), "{}", declined.text);
    let again = browser
        .submit(&from, &path, &[("reason", "Again."), ("confirm", "yes")])
        .await;
    again.assert_html(409);
    assert_eq!(
        mails_to(&app, "chipo@example.org", EmailKind::ApplicationDeclined)
            .await
            .len(),
        1,
        "told once"
    );
}

#[tokio::test]
async fn a_councils_nominees_are_accepted_together_in_order_and_each_refusal_is_named() {
    use crate::browser::Browser;
    let app = spawn_app().await;
    let workshop = public_workshop(&app, "CSSD", 1).await;
    let id = workshop["id"].as_i64().unwrap();
    app.post(
        "/api/v1/participants",
        json!({"full_name": "Rudo Dube", "email": "rudo@example.org", "target_group": "water_supply"}),
    )
    .await;
    let chipo = confirmed(&app, id, "Chipo Moyo", "chipo@example.org").await;
    let farai = confirmed(&app, id, "Farai Ncube", "farai@example.org").await;
    let rudo = confirmed(&app, id, "Rudo Dube", "rudo@example.org").await;
    let mut browser = Browser::admin(&app).await;
    let from = "/admin/applications";
    let path = "/admin/applications/accept-selected";

    let none = browser.submit(from, path, &[]).await;
    none.assert_html(422);
    assert!(none.text.contains("Select at least one application"));
    let (chipo_s, farai_s, rudo_s) = (chipo.to_string(), farai.to_string(), rudo.to_string());
    let ticked = [
        ("ids", chipo_s.as_str()),
        ("ids", farai_s.as_str()),
        ("ids", rudo_s.as_str()),
    ];
    let asked = browser.submit(from, path, &ticked).await;
    asked.assert_html(200);
    assert!(
        asked.text.contains("Accept the 3 selected applications?"),
        "{}",
        asked.text
    );
    assert_eq!(application_status(&app, chipo).await, "pending");

    let mut confirmed_form = ticked.to_vec();
    confirmed_form.push(("confirm", "yes"));
    let done = browser.submit(from, path, &confirmed_form).await;
    done.assert_html(409);
    assert!(done.text.contains("Accepted: 2."), "{}", done.text);
    let rudo_reference =
        app.get("/api/v1/applications?status=pending").await.body["items"][0]["reference"]
            .as_str()
            .unwrap()
            .to_owned();
    assert!(
        done.text
            .contains(&format!("Application {rudo_reference}:"))
            && done.text.contains("already has the email rudo@example.org"),
        "{}",
        done.text
    );
    let w = app.get(&format!("/api/v1/workshops/{id}")).await;
    assert_eq!(
        (
            w.body["seats_taken"].as_i64(),
            w.body["waitlist_count"].as_i64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(application_status(&app, chipo).await, "accepted");
    assert_eq!(application_status(&app, farai).await, "accepted");
    assert_eq!(application_status(&app, rudo).await, "pending");
}

#[tokio::test]
async fn the_dashboard_and_the_workshop_page_count_applications_awaiting_review() {
    use crate::browser::Browser;
    let app = spawn_app().await;
    let mut browser = Browser::admin(&app).await;
    let before = browser.get("/admin").await;
    assert!(
        before
            .text
            .contains("No applications are waiting for an answer.")
    );
    let (workshop, _) = one_confirmed(&app, 35).await;
    // An unconfirmed one is not counted.
    apply(
        &app,
        workshop,
        application("Farai Ncube", "farai@example.org"),
    )
    .await;
    let dashboard = browser.get("/admin").await;
    dashboard.assert_html(200);
    assert_eq!(
        dashboard.after("id=\"awaiting-total\""),
        "1 application awaiting review"
    );
    assert!(
        dashboard
            .text
            .contains(&format!("Workshop {workshop}: 1 awaiting review")),
        "{}",
        dashboard.text
    );
    let page = browser.get(&format!("/admin/workshops/{workshop}")).await;
    assert_eq!(
        page.after("id=\"applications-awaiting\""),
        "1 application awaiting review"
    );
}

#[tokio::test]
async fn trainers_cannot_answer_applications_in_the_console() {
    use crate::browser::Browser;
    let app = spawn_app().await;
    let (_, application) = one_confirmed(&app, 35).await;
    app.user_token("trainer", "trainer@example.org", None).await;
    let mut browser = Browser::new(&app);
    browser
        .sign_in("trainer@example.org", "a-long-password")
        .await;
    for (path, fields) in [
        (
            format!("/admin/applications/{application}/accept"),
            vec![("confirm", "yes")],
        ),
        (
            format!("/admin/applications/{application}/decline"),
            vec![("reason", "No."), ("confirm", "yes")],
        ),
        (
            "/admin/applications/accept-selected".to_owned(),
            vec![("ids", "1"), ("confirm", "yes")],
        ),
    ] {
        let refused = browser.submit("/admin/sign-in", &path, &fields).await;
        refused.assert_html(403);
    }
    assert_eq!(application_status(&app, application).await, "pending");
}

#[tokio::test]
async fn a_phone_only_applicant_hears_the_answer_by_sms_in_their_language() {
    use entity::sms_outbox::{self, SmsKind};
    let app = spawn_app().await;
    let workshop = public_workshop(&app, "CSSD", 35).await;
    let id = workshop["id"].as_i64().unwrap();
    let mut references = vec![];
    for (name, phone) in [
        ("Farai Ncube", "0771234567"),
        ("Tendai Sibanda", "0772345678"),
    ] {
        let mut body = application(name, "x@example.org");
        body["email"] = Value::Null;
        body["phone"] = json!(phone);
        let resp = app
            .anonymous()
            .post(
                &format!("/api/v1/public/workshops/{id}/applications?lang=sn"),
                body,
            )
            .await;
        assert_eq!(resp.status, 202, "{}", resp.text);
        references.push(resp.body["reference"].as_str().unwrap().to_owned());
    }
    // Confirm both by the codes sent (the stored codes are masked: read the texts as sent).
    let dir = app.state.config.outbox_dir.join("sms");
    let six_digits = regex::Regex::new(r"\b(\d{6})\b").unwrap();
    for reference in &references {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let text = loop {
            let found = std::fs::read_dir(&dir)
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|f| std::fs::read_to_string(f.path()).ok())
                .find(|t| t.contains(reference.as_str()));
            if let Some(text) = found {
                break text;
            }
            assert!(std::time::Instant::now() < deadline, "no SMS with the code");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        };
        let code = six_digits.captures(&text).unwrap()[1].to_owned();
        let resp = app
            .anonymous()
            .post(
                "/api/v1/public/applications/confirm-code",
                json!({"reference": reference, "code": code}),
            )
            .await;
        assert_eq!(resp.status, 200, "{}", resp.text);
    }
    let pending = app.get("/api/v1/applications?status=pending").await;
    let id_of = |reference: &str| {
        pending.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["reference"] == reference)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (farai, tendai) = (id_of(&references[0]), id_of(&references[1]));
    let accepted = app
        .post(&format!("/api/v1/applications/{farai}/accept"), json!({}))
        .await;
    assert_eq!(accepted.status, 200, "{}", accepted.text);
    // The participant made from the application reads the language they applied in.
    let made = accepted.body["participant_id"].as_i64().unwrap();
    let person = app.get(&format!("/api/v1/participants/{made}")).await;
    assert_eq!(person.body["language"], "sn", "{}", person.text);
    let reason = "Tiri kutora vashandi vekanzuru chete.";
    let declined = app
        .post(
            &format!("/api/v1/applications/{tendai}/decline"),
            json!({"reason": reason}),
        )
        .await;
    assert_eq!(declined.status, 200, "{}", declined.text);

    let sms_of = |kind: SmsKind| {
        let db = app.state.db.clone();
        async move {
            sms_outbox::Entity::find()
                .filter(sms_outbox::Column::Kind.eq(kind))
                .all(&db)
                .await
                .unwrap()
        }
    };
    let yes = sms_of(SmsKind::ApplicationAccepted).await;
    assert_eq!(yes.len(), 1);
    assert_eq!(yes[0].recipient, "+263771234567");
    assert!(
        yes[0].body.contains(&references[0]) && yes[0].body.contains("chabvumirwa"),
        "in Shona: {}",
        yes[0].body
    );
    assert!(yes[0].segments <= 2);
    let no = sms_of(SmsKind::ApplicationDeclined).await;
    assert_eq!(no.len(), 1);
    assert_eq!(no[0].recipient, "+263772345678");
    assert!(
        no[0].body.contains(reason) && no[0].body.contains("hachina kubvumirwa"),
        "{}",
        no[0].body
    );
    // No mail went to anyone: there was no address.
    assert!(
        email_outbox::Entity::find()
            .filter(email_outbox::Column::Kind.is_in([
                EmailKind::ApplicationAccepted,
                EmailKind::ApplicationDeclined
            ]))
            .all(&app.state.db)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_sent_confirmation_mail_keeps_no_readable_link_in_the_outbox() {
    let app = spawn_app().await;
    let workshop = public_workshop(&app, "CSSD", 35).await;
    let id = workshop["id"].as_i64().unwrap();
    let resp = apply(&app, id, application("Chipo Moyo", "chipo@example.org")).await;
    assert_eq!(resp.status, 202, "{}", resp.text);
    // The link as delivered to the applicant.
    let token = link_token(&app, "chipo@example.org").await;
    assert!(token.starts_with("cssd_a_"), "{token}");
    crate::helpers::eventually("the stored copy forgets the link's secret", || async {
        let stored = mails_to(
            &app,
            "chipo@example.org",
            EmailKind::ApplicationConfirmation,
        )
        .await;
        stored[0].status == email_outbox::EmailStatus::Sent && !stored[0].body_text.contains(&token)
    })
    .await;
    let stored = mails_to(
        &app,
        "chipo@example.org",
        EmailKind::ApplicationConfirmation,
    )
    .await;
    for body in [&stored[0].body_text, &stored[0].body_html] {
        assert!(
            !body.contains(&token) && !body.contains("cssd_a_"),
            "{body}"
        );
        assert!(
            body.contains("/catalogue/confirm/[removed once sent]"),
            "{body}"
        );
    }
    // Nor does the administrators' outbox listing show it; the link still works.
    let listed = app.get("/api/v1/emails").await;
    assert!(!listed.text.contains(&token));
    let confirmed = app
        .anonymous()
        .post(
            "/api/v1/public/applications/confirm",
            json!({"token": token}),
        )
        .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.text);
    assert_eq!(confirmed.body["status"], "pending");
}
