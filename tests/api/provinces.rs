//! Geography: organisations carry a province and district, and the summary splits by province.

use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

fn count(groups: &Value, key: &str) -> i64 {
    groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == key)
        .map_or(0, |g| g["count"].as_i64().unwrap())
}

fn sum(groups: &Value) -> i64 {
    groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["count"].as_i64().unwrap())
        .sum()
}

async fn organisation(app: &TestApp, body: Value) -> i64 {
    let resp = app.post("/api/v1/organisations", body).await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    resp.body["id"].as_i64().unwrap()
}

#[tokio::test]
async fn organisations_carry_a_province_and_a_district() {
    let app = spawn_app().await;
    let resp = app
        .post(
            "/api/v1/organisations",
            json!({"name": "Mutare City Council", "kind": "local_authority",
                   "province": "manicaland", "district": " Mutare "}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    assert_eq!(resp.body["province"], "manicaland");
    assert_eq!(resp.body["district"], "Mutare");
    let id = resp.body["id"].as_i64().unwrap();

    // An organisation recorded without one gets it later.
    let older = organisation(
        &app,
        json!({"name": "Gweru City Council", "kind": "local_authority"}),
    )
    .await;
    assert_eq!(
        app.get(&format!("/api/v1/organisations/{older}"))
            .await
            .body["province"],
        Value::Null
    );
    let resp = app
        .patch(
            &format!("/api/v1/organisations/{older}"),
            json!({"province": "midlands", "district": "Gweru"}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["province"], "midlands");
    assert_eq!(resp.body["name"], "Gweru City Council");

    // Only the ten provinces; names stay unique.
    let resp = app
        .post(
            "/api/v1/organisations",
            json!({"name": "Somewhere", "kind": "other", "province": "gauteng"}),
        )
        .await;
    resp.assert_problem(422);
    assert!(resp.field_error("province").is_some(), "{}", resp.text);
    let resp = app
        .patch(
            &format!("/api/v1/organisations/{older}"),
            json!({"name": "Mutare City Council"}),
        )
        .await;
    resp.assert_problem(409);
    let resp = app
        .patch(
            &format!("/api/v1/organisations/{id}"),
            json!({"district": "x".repeat(121)}),
        )
        .await;
    resp.assert_problem(422);
    assert_eq!(
        app.get(&format!("/api/v1/organisations/{id}")).await.body["district"],
        "Mutare"
    );
    app.patch(
        "/api/v1/organisations/999999",
        json!({"province": "harare"}),
    )
    .await
    .assert_problem(404);
}

#[tokio::test]
async fn the_summary_splits_people_by_province_and_the_figures_add_up() {
    let app = spawn_app().await;
    let harare = organisation(
        &app,
        json!({"name": "City of Harare", "kind": "local_authority", "province": "harare"}),
    )
    .await;
    let bulawayo = organisation(
        &app,
        json!({"name": "Bulawayo City Council", "kind": "local_authority", "province": "bulawayo"}),
    )
    .await;
    let unrecorded =
        organisation(&app, json!({"name": "Old Trust", "kind": "civic_society"})).await;
    let course = app.course("WQ", 5).await;
    let (workshop, people) = app
        .completed_workshop(
            course,
            "tot",
            None,
            &[],
            &[
                ("Tendai Moyo", Some(80.0)),
                ("Rudo Dube", Some(70.0)),
                ("Sipho Ncube", Some(90.0)),
                ("Farai Banda", Some(30.0)),
                ("Chipo Nyathi", Some(75.0)),
            ],
        )
        .await;
    let homes = [
        Some(harare),
        Some(harare),
        Some(bulawayo),
        Some(unrecorded),
        None,
    ];
    for ((pid, _), org) in people.iter().zip(homes) {
        let resp = app
            .patch(
                &format!("/api/v1/participants/{pid}"),
                json!({"organisation_id": org}),
            )
            .await;
        assert_eq!(resp.status, 200, "{}", resp.text);
    }
    let issued = app
        .post(
            &format!("/api/v1/workshops/{workshop}/certificates"),
            json!({}),
        )
        .await;
    assert_eq!(issued.status, 200, "{}", issued.text);

    let report = app.get("/api/v1/reports/summary").await.body;
    let enrolled = &report["enrolled"]["by_province"];
    assert_eq!(count(enrolled, "harare"), 2, "{report}");
    assert_eq!(count(enrolled, "bulawayo"), 1);
    assert_eq!(count(enrolled, "unrecorded"), 1);
    assert_eq!(count(enrolled, "none"), 1);
    assert_eq!(sum(enrolled), report["enrolled"]["total"].as_i64().unwrap());
    let labels: Vec<&str> = enrolled
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"Harare") && labels.contains(&"Province not recorded"));
    // Farai Banda (the unrecorded one) failed: four certificates.
    let certified = &report["certified"]["by_province"];
    assert_eq!(count(certified, "harare"), 2);
    assert_eq!(count(certified, "bulawayo"), 1);
    assert_eq!(count(certified, "unrecorded"), 0);
    assert_eq!(count(certified, "none"), 1);
    assert_eq!(
        sum(certified),
        report["certified"]["total"].as_i64().unwrap()
    );
    assert_eq!(report["certified"]["total"], 4);

    // The split follows the organisation's province as it is now.
    app.patch(
        &format!("/api/v1/organisations/{unrecorded}"),
        json!({"province": "bulawayo"}),
    )
    .await;
    let report = app.get("/api/v1/reports/summary").await.body;
    assert_eq!(count(&report["enrolled"]["by_province"], "bulawayo"), 2);
    assert_eq!(count(&report["enrolled"]["by_province"], "unrecorded"), 0);
    // A filter that selects no workshop splits nothing.
    let report = app
        .get("/api/v1/reports/summary?organisation_id=999999")
        .await
        .body;
    assert_eq!(sum(&report["enrolled"]["by_province"]), 0);

    let csv = app.get("/api/v1/reports/summary.csv").await.text;
    assert!(
        csv.contains("enrolled by province,harare,Harare,2"),
        "{csv}"
    );
    assert!(
        csv.contains("certified by province,bulawayo,Bulawayo,1"),
        "{csv}"
    );
}
