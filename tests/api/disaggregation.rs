//! Age and disability: the birth year and the Washington Group Short Set on participants (API,
//! CSV import, merge) and the summary's `by_age_band` and `by_disability`, each adding up to
//! its population's total.

use reqwest::Method;
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

fn answers(all: &str) -> Value {
    json!({
        "seeing": all, "hearing": all, "walking": all,
        "cognition": all, "self_care": all, "communication": all,
    })
}

#[tokio::test]
async fn birth_year_and_washington_group_answers_are_recorded_changed_and_cleared() {
    let app = spawn_app().await;
    let mut disability = answers("no_difficulty");
    disability["walking"] = json!("a_lot_of_difficulty");
    let resp = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "Rudo Dube", "target_group": "ratepayer",
                   "birth_year": 1984, "disability": disability}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    let id = resp.body["id"].as_i64().unwrap();
    assert_eq!(resp.body["birth_year"], 1984);
    assert_eq!(resp.body["disability"], disability);
    let path = format!("/api/v1/participants/{id}");
    assert_eq!(
        app.get(&path).await.body["disability"]["walking"],
        "a_lot_of_difficulty"
    );

    // Refusals name the field and change nothing.
    for (body, field) in [
        (json!({"birth_year": 2024}), "birth_year"),
        (json!({"birth_year": 1850}), "birth_year"),
        (
            json!({"disability": {"seeing": "no_difficulty"}}),
            "disability",
        ),
        (json!({"disability": answers("blind")}), "disability"),
    ] {
        let refused = app.patch(&path, body.clone()).await;
        refused.assert_problem(422);
        assert!(
            refused.text.contains(field),
            "{body} should be refused naming {field}: {}",
            refused.text
        );
    }
    let stored = app.get(&path).await.body;
    assert_eq!(stored["birth_year"], 1984);
    assert_eq!(stored["disability"], disability);

    let changed = app
        .patch(
            &path,
            json!({"birth_year": 1990, "disability": answers("declined")}),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(changed.body["birth_year"], 1990);
    assert_eq!(changed.body["disability"]["hearing"], "declined");
    let cleared = app
        .patch(&path, json!({"birth_year": null, "disability": null}))
        .await;
    assert_eq!(cleared.status, 200, "{}", cleared.text);
    assert!(cleared.body.get("birth_year").is_none_or(Value::is_null));
    assert!(cleared.body.get("disability").is_none_or(Value::is_null));
}

async fn certify(app: &TestApp, workshop: i64) {
    let resp = app
        .post(
            &format!("/api/v1/workshops/{workshop}/certificates"),
            json!({}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
}

/// A completed workshop in March 2026 with four people (three certified) and a June one with
/// one more: ages and answers chosen so that every band and cut-off is exercised.
async fn dataset(app: &TestApp) {
    let wq = app.course("WQ", 5).await;
    let (march, people) = app
        .completed_workshop(
            wq,
            "tot",
            None,
            &[],
            &[
                ("Tendai Moyo", Some(80.0)),
                ("Rudo Dube", Some(70.0)),
                ("Farai Banda", Some(90.0)),
                ("Chipo Nyathi", None),
            ],
        )
        .await;
    let mut walking = answers("no_difficulty");
    walking["walking"] = json!("cannot_do_at_all");
    let mut some = answers("declined");
    some["seeing"] = json!("some_difficulty");
    let details = [
        // 2026 - 2002 = 24: the youngest band; a disability.
        json!({"birth_year": 2002, "disability": walking}),
        // 26: 25-34; without (some difficulty is below the cut-off).
        json!({"birth_year": 2000, "disability": some}),
        // 65 and over; every question declined: unrecorded.
        json!({"birth_year": 1961, "disability": answers("declined")}),
        // Nothing recorded; not certified.
        json!({}),
    ];
    for ((pid, _), body) in people.iter().zip(details) {
        let resp = app
            .patch(&format!("/api/v1/participants/{pid}"), body)
            .await;
        assert_eq!(resp.status, 200, "{}", resp.text);
    }
    certify(app, march).await;
    let cc = app.course("CC", 5).await;
    let june = app.workshop(cc, "2026-06-01", 35).await["id"]
        .as_i64()
        .unwrap();
    let resp = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "Nomvula Ndlovu", "target_group": "councillor",
                   "birth_year": 1980, "disability": answers("no_difficulty")}),
        )
        .await;
    let p = resp.body["id"].as_i64().unwrap();
    let resp = app
        .post(
            &format!("/api/v1/workshops/{june}/enrolments"),
            json!({"participant_id": p}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text);
}

#[tokio::test]
async fn the_summary_splits_people_by_age_band_and_disability_and_each_adds_up_to_the_total() {
    let app = spawn_app().await;
    dataset(&app).await;
    let resp = app.get("/api/v1/reports/summary").await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let s = &resp.body;
    let enrolled = &s["enrolled"];
    assert_eq!(enrolled["total"], 5);
    let bands = &enrolled["by_age_band"];
    assert_eq!(count(bands, "15-24"), 1);
    assert_eq!(count(bands, "25-34"), 1);
    // Born 1980, workshop in 2026: 46.
    assert_eq!(count(bands, "35-49"), 1);
    assert_eq!(count(bands, "65+"), 1);
    assert_eq!(count(bands, "unrecorded"), 1);
    assert_eq!(sum(bands), 5);
    let keys: Vec<&str> = bands
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        ["15-24", "25-34", "35-49", "65+", "unrecorded"],
        "youngest first"
    );
    let disability = &enrolled["by_disability"];
    assert_eq!(count(disability, "with_disability"), 1);
    assert_eq!(count(disability, "without_disability"), 2);
    assert_eq!(count(disability, "unrecorded"), 2);
    assert_eq!(sum(disability), 5);

    let certified = &s["certified"];
    assert_eq!(certified["total"], 3);
    assert_eq!(sum(&certified["by_age_band"]), 3);
    assert_eq!(count(&certified["by_age_band"], "unrecorded"), 0);
    assert_eq!(count(&certified["by_disability"], "with_disability"), 1);
    assert_eq!(sum(&certified["by_disability"]), 3);

    let csv = app.get("/api/v1/reports/summary.csv").await;
    assert_eq!(csv.status, 200);
    for line in [
        "enrolled by age band,15-24,Aged 15–24,1",
        "enrolled by age band,65+,Aged 65 and over,1",
        "enrolled by disability,with_disability,With a disability,1",
        "certified by disability,unrecorded,Not recorded,1",
    ] {
        assert!(csv.text.contains(line), "{line} in\n{}", csv.text);
    }

    // A filter narrows both splits with the total: only June.
    let june = app
        .get("/api/v1/reports/summary?from=2026-05-01")
        .await
        .body;
    assert_eq!(june["enrolled"]["total"], 1);
    assert_eq!(count(&june["enrolled"]["by_age_band"], "35-49"), 1);
    assert_eq!(
        count(&june["enrolled"]["by_disability"], "without_disability"),
        1
    );
}

#[tokio::test]
async fn changing_a_birth_year_or_the_answers_moves_the_figures_at_once() {
    let app = spawn_app().await;
    let wq = app.course("WQ", 5).await;
    let (w, people) = app
        .completed_workshop(wq, "tot", None, &[], &[("Tendai Moyo", Some(80.0))])
        .await;
    certify(&app, w).await;
    let pid = people[0].0;
    let before = app.get("/api/v1/reports/summary").await.body;
    assert_eq!(count(&before["certified"]["by_age_band"], "unrecorded"), 1);
    let mut answers = answers("no_difficulty");
    answers["hearing"] = json!("a_lot_of_difficulty");
    app.patch(
        &format!("/api/v1/participants/{pid}"),
        json!({"birth_year": 1970, "disability": answers}),
    )
    .await;
    let after = app.get("/api/v1/reports/summary").await.body;
    for population in ["enrolled", "certified"] {
        assert_eq!(
            after[population]["by_age_band"],
            json!([{"key": "50-64", "label": "Aged 50–64", "count": 1}])
        );
        assert_eq!(
            after[population]["by_disability"],
            json!([{"key": "with_disability", "label": "With a disability", "count": 1}])
        );
    }
}

#[tokio::test]
async fn a_csv_import_takes_birth_years_and_all_six_answers_or_none() {
    let app = spawn_app().await;
    let header = "full_name,target_group,birth_year,disability_seeing,disability_hearing,\
                  disability_walking,disability_cognition,disability_self_care,\
                  disability_communication";
    let csv = format!(
        "{header}\n\
         Tendai Moyo,ratepayer,1985,no_difficulty,no_difficulty,a_lot_of_difficulty,no_difficulty,no_difficulty,declined\n\
         Rudo Dube,ratepayer,,,,,,,\n\
         Farai Banda,ratepayer,2020,,,,,,\n\
         Chipo Nyathi,ratepayer,1990,no_difficulty,,,,,\n\
         Zoë Ncube,ratepayer,nineteen,no_difficulty,no_difficulty,no_difficulty,no_difficulty,no_difficulty,sometimes\n"
    );
    let resp = app
        .request_raw(
            Method::POST,
            "/api/v1/participants/import",
            "text/csv",
            &csv,
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["created"], 2, "{}", resp.text);
    let errors = resp.body["errors"].as_array().unwrap();
    let at = |line: u64| -> Vec<&str> {
        errors
            .iter()
            .filter(|e| e["line"] == line)
            .map(|e| e["field"].as_str().unwrap())
            .collect()
    };
    assert_eq!(at(4), ["birth_year"]);
    assert_eq!(
        at(5),
        [
            "disability_hearing",
            "disability_walking",
            "disability_cognition",
            "disability_self_care",
            "disability_communication"
        ]
    );
    assert_eq!(at(6), ["birth_year", "disability_communication"]);
    let ids = resp.body["participant_ids"].as_array().unwrap();
    let tendai = app
        .get(&format!("/api/v1/participants/{}", ids[0]))
        .await
        .body;
    assert_eq!(tendai["birth_year"], 1985);
    assert_eq!(tendai["disability"]["walking"], "a_lot_of_difficulty");
    assert_eq!(tendai["disability"]["communication"], "declined");
    let rudo = app
        .get(&format!("/api/v1/participants/{}", ids[1]))
        .await
        .body;
    assert!(rudo.get("disability").is_none_or(Value::is_null));
    assert_eq!(app.get("/api/v1/participants").await.body["total"], 2);
}

#[tokio::test]
async fn a_merge_keeps_a_birth_year_and_answers_the_kept_record_lacks() {
    let app = spawn_app().await;
    let kept = app.participant("Rudo Dube").await;
    let removed = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "Rudo Dube", "target_group": "ratepayer",
                   "birth_year": 1979, "disability": answers("some_difficulty")}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let resp = app
        .post(
            &format!("/api/v1/participants/{removed}/merge"),
            json!({"into_id": kept}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["participant"]["birth_year"], 1979);
    assert_eq!(
        resp.body["participant"]["disability"],
        answers("some_difficulty")
    );
}
