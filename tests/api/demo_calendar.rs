//! The demo shows the calendar and the people: a workshop whose schedule steps over a public
//! holiday, provinces in the report, trainer certificates that expire, and one person recorded
//! twice, ready to merge.

use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_demo_shows_a_holiday_skipped_provinces_expiring_certificates_and_a_pair_to_merge() {
    let app = spawn_app().await;
    app.seed_demo().await;

    // The Customer Care workshop steps over a public holiday.
    let cc = app.get("/api/v1/workshops?level=tot").await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["course_code"] == "CC")
        .unwrap()
        .clone();
    let dates: Vec<NaiveDate> = cc["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["date"].as_str().unwrap().parse().unwrap())
        .collect();
    let (first, last) = (dates[0], dates[4]);
    let holidays = app
        .get(&format!("/api/v1/holidays?from={first}&to={last}"))
        .await
        .body;
    let skipped: Vec<NaiveDate> = holidays["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["date"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(!skipped.is_empty(), "no holiday within {first}..{last}");
    assert!(skipped.iter().all(|h| !dates.contains(h)));

    // The report splits people by province, and the split adds up.
    let report = app.get("/api/v1/reports/summary").await.body;
    let by_province = report["enrolled"]["by_province"].as_array().unwrap();
    let keys: Vec<&str> = by_province
        .iter()
        .map(|g| g["key"].as_str().unwrap())
        .collect();
    assert!(
        keys.contains(&"harare") && keys.contains(&"bulawayo"),
        "{keys:?}"
    );
    let sum: i64 = by_province
        .iter()
        .map(|g| g["count"].as_i64().unwrap())
        .sum();
    assert_eq!(sum, report["enrolled"]["total"].as_i64().unwrap());

    // The demo trainer's ToT certificate runs for 24 months.
    let trainers = app.get("/api/v1/trainers").await.body;
    let nomvula = trainers["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["email"] == "trainer@iwsd.demo")
        .expect("the demo trainer");
    let certificate = &nomvula["certificates"][0];
    assert_eq!(certificate["valid_today"], true, "{trainers}");
    assert!(certificate["valid_until"].is_string());

    // One person recorded twice; merging them counts her once.
    let duplicates = app.get("/api/v1/participants/duplicates").await.body;
    assert_eq!(duplicates["total"], 1, "{duplicates}");
    let pair: Vec<i64> = duplicates["items"][0]["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    let reasons: Vec<Value> = duplicates["items"][0]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reason"].clone())
        .collect();
    assert_eq!(reasons, [json!("name_and_organisation")]);
    let resp = app
        .post(
            &format!("/api/v1/participants/{}/merge", pair[1]),
            json!({"into_id": pair[0]}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let after = app.get("/api/v1/reports/summary").await.body;
    assert_eq!(
        after["distinct_participants"].as_i64().unwrap(),
        report["distinct_participants"].as_i64().unwrap() - 1
    );
    assert_eq!(
        app.get("/api/v1/participants/duplicates").await.body["total"],
        0
    );
}
