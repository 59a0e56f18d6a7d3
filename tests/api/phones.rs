//! Phone numbers, languages and how participants are reached: normalised to E.164 on the way
//! in (API, CSV import, console), refused with the field named when they are not numbers,
//! unique among participants, and shown as people write them in the console.

use reqwest::Method;
use serde_json::json;

use crate::browser::Browser;
use crate::helpers::spawn_app;

#[tokio::test]
async fn phones_are_stored_in_e164_whichever_way_they_are_written() {
    let app = spawn_app().await;
    for (typed, stored) in [
        ("0771234567", "+263771234567"),
        ("071 234 5678", "+263712345678"),
        ("+27 82 123 4567", "+27821234567"),
    ] {
        let resp = app
            .post(
                "/api/v1/participants",
                json!({"full_name": "Tendai Moyo", "phone": typed, "target_group": "ratepayer"}),
            )
            .await;
        assert_eq!(resp.status, 201, "{typed}: {}", resp.text);
        assert_eq!(resp.body["phone"], stored);
        assert_eq!(resp.body["contact_by"], "sms", "a phone and no email");
        assert_eq!(resp.body["language"], "en");
    }
}

#[tokio::test]
async fn a_phone_that_is_not_a_number_is_refused_naming_the_field_and_nothing_is_created() {
    let app = spawn_app().await;
    for typed in ["call me", "12345", "07712345678901"] {
        let resp = app
            .post(
                "/api/v1/participants",
                json!({"full_name": "Tendai Moyo", "phone": typed, "target_group": "ratepayer"}),
            )
            .await;
        resp.assert_problem(422);
        assert!(
            resp.field_error("phone").is_some(),
            "{typed}: {}",
            resp.text
        );
    }
    let resp = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "Tendai Moyo", "language": "fr", "target_group": "ratepayer"}),
        )
        .await;
    assert!(resp.status == 400 || resp.status == 422, "{}", resp.text);
    assert_eq!(app.get("/api/v1/participants").await.body["total"], 0);
}

#[tokio::test]
async fn a_phone_another_participant_holds_is_a_conflict() {
    let app = spawn_app().await;
    let first = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "Tendai Moyo", "phone": "+263 77 123 4567", "target_group": "ratepayer"}),
        )
        .await;
    assert_eq!(first.status, 201);
    let resp = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "T. Moyo", "phone": "0771-234-567", "target_group": "ratepayer"}),
        )
        .await;
    resp.assert_problem(409);
    let other = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "Rudo Dube", "target_group": "ratepayer"}),
        )
        .await;
    let id = other.body["id"].as_i64().unwrap();
    let resp = app
        .patch(
            &format!("/api/v1/participants/{id}"),
            json!({"phone": "077 123 4567"}),
        )
        .await;
    resp.assert_problem(409);
    assert_eq!(app.get("/api/v1/participants").await.body["total"], 2);
    let unchanged = app.get(&format!("/api/v1/participants/{id}")).await;
    assert!(unchanged.body.get("phone").is_none(), "{}", unchanged.text);
}

#[tokio::test]
async fn contact_by_follows_the_contact_details_and_sms_needs_a_phone() {
    let app = spawn_app().await;
    let resp = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "Ama Dube", "email": "ama@example.org", "contact_by": "sms",
                   "target_group": "ratepayer"}),
        )
        .await;
    resp.assert_problem(422);
    assert!(resp.field_error("contact_by").is_some(), "{}", resp.text);
    assert_eq!(app.get("/api/v1/participants").await.body["total"], 0);

    let resp = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "Ama Dube", "email": "ama@example.org", "phone": "0771234567",
                   "target_group": "ratepayer"}),
        )
        .await;
    assert_eq!(resp.body["contact_by"], "email", "{}", resp.text);
    let id = resp.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/participants/{id}");
    let resp = app
        .patch(&path, json!({"contact_by": "both", "language": "sn"}))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["contact_by"], "both");
    assert_eq!(resp.body["language"], "sn");
    // Without an email, they can only be texted.
    let resp = app.patch(&path, json!({"email": null})).await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["contact_by"], "sms");
    // And without a phone either, SMS is impossible.
    let resp = app
        .patch(&path, json!({"phone": "", "contact_by": "sms"}))
        .await;
    resp.assert_problem(422);
    assert_eq!(app.get(&path).await.body["phone"], "+263771234567");
}

#[tokio::test]
async fn a_csv_import_reads_phones_languages_and_contact_by() {
    let app = spawn_app().await;
    let csv = "full_name,phone,language,contact_by,target_group\n\
               Tendai Moyo,0771234567,sn,,ratepayer\n\
               Nomsa Ndlovu,+263 71 234 5678,nd,sms,ratepayer\n\
               Rudo Dube,0771234567,en,,ratepayer\n\
               Farai Banda,not a phone,en,,ratepayer\n\
               Chipo Ncube,,xx,,ratepayer\n\
               Ama Dube,,en,sms,ratepayer\n";
    let resp = app
        .request_raw(Method::POST, "/api/v1/participants/import", "text/csv", csv)
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["created"], 2, "{}", resp.text);
    let errors: Vec<(u64, String)> = resp.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap(),
                e["field"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            (4, "phone".to_owned()),
            (5, "phone".to_owned()),
            (6, "language".to_owned()),
            (7, "contact_by".to_owned())
        ],
        "{}",
        resp.text
    );
    let id = resp.body["participant_ids"][0].as_i64().unwrap();
    let tendai = app.get(&format!("/api/v1/participants/{id}")).await.body;
    assert_eq!(tendai["phone"], "+263771234567");
    assert_eq!(tendai["language"], "sn");
    assert_eq!(tendai["contact_by"], "sms");
}

#[tokio::test]
async fn the_console_shows_zimbabwean_numbers_as_people_write_them_and_saves_language_and_contact_by()
 {
    let app = spawn_app().await;
    let resp = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "Tendai Moyo", "phone": "+263771234567", "target_group": "ratepayer"}),
        )
        .await;
    let id = resp.body["id"].as_i64().unwrap();
    let mut browser = Browser::admin(&app).await;
    let list = browser.get("/admin/participants").await;
    list.assert_html(200);
    assert!(list.text.contains("077 123 4567"), "{}", list.text);
    let path = format!("/admin/participants/{id}");
    let page = browser.get(&path).await;
    assert!(
        page.text.contains("value=\"077 123 4567\""),
        "{}",
        page.text
    );
    let refused = browser
        .submit(
            &path,
            &path,
            &[
                ("full_name", "Tendai Moyo"),
                ("phone", "not a phone"),
                ("target_group", "ratepayer"),
            ],
        )
        .await;
    refused.assert_html(422);
    assert!(
        refused.text.contains("id=\"phone-error\""),
        "{}",
        refused.text
    );
    let saved = browser
        .submit(
            &path,
            &path,
            &[
                ("full_name", "Tendai Moyo"),
                ("phone", "077 123 4567"),
                ("language", "nd"),
                ("contact_by", "sms"),
                ("target_group", "ratepayer"),
            ],
        )
        .await;
    browser.follow(saved).await.assert_html(200);
    let stored = app.get(&format!("/api/v1/participants/{id}")).await.body;
    assert_eq!(stored["phone"], "+263771234567");
    assert_eq!(stored["language"], "nd");
    assert_eq!(stored["contact_by"], "sms");
}
