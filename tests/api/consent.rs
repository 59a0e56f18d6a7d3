//! Consent on enrolment: the privacy notice in one place, its version recorded with the time.

use serde_json::{Value, json};

use crate::helpers::{future_monday, spawn_app};

#[tokio::test]
async fn an_enrolment_records_consent_with_the_time_and_the_notice_version_shown() {
    let app = spawn_app().await;
    let notice = app.anonymous().get("/api/v1/privacy-notice").await;
    assert_eq!(notice.status, 200, "{}", notice.text);
    let version = notice.body["version"].as_str().unwrap().to_owned();
    assert!(notice.body["text"].as_str().unwrap().contains("erased"));

    let course = app.course("WQ", 5).await;
    let w = app.workshop(course, &future_monday(), 35).await["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/workshops/{w}/enrolments");
    let consenting = app.participant("Rudo Dube").await;
    let paper = app.participant("Tendai Moyo").await;

    let refused = app
        .post(
            &path,
            json!({"participant_id": consenting, "consent": "yes"}),
        )
        .await;
    refused.assert_problem(422);
    assert_eq!(app.get(&path).await.body["total"], 0, "nothing enrolled");

    let given = app
        .post(
            &path,
            json!({"participant_id": consenting, "consent": true}),
        )
        .await;
    assert_eq!(given.status, 201, "{}", given.text);
    assert_eq!(given.body["consent"]["text_version"], version.as_str());
    let at =
        chrono::DateTime::parse_from_rfc3339(given.body["consent"]["given_at"].as_str().unwrap())
            .unwrap();
    assert!((chrono::Utc::now() - at.to_utc()).num_minutes().abs() < 5);

    let without = app.post(&path, json!({"participant_id": paper})).await;
    assert_eq!(without.status, 201, "{}", without.text);
    assert!(without.body.get("consent").is_none_or(Value::is_null));

    let listed = app.get(&path).await.body;
    let of = |p: i64| {
        listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["participant_id"] == p)
            .unwrap()
            .clone()
    };
    assert_eq!(of(consenting)["consent"]["text_version"], version.as_str());
    assert!(of(paper).get("consent").is_none_or(Value::is_null));
}
