//! Duplicate participants: national ID numbers, groups of likely duplicates, and merges that
//! move everything and keep the reports right.

use serde_json::{Value, json};

use crate::helpers::{TestApp, future_monday, spawn_app};

async fn create(app: &TestApp, body: Value) -> i64 {
    let resp = app.post("/api/v1/participants", body).await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    resp.body["id"].as_i64().unwrap()
}

async fn enrol(app: &TestApp, workshop: i64, participant: i64) -> i64 {
    let resp = app
        .post(
            &format!("/api/v1/workshops/{workshop}/enrolments"),
            json!({"participant_id": participant}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    resp.body["id"].as_i64().unwrap()
}

#[tokio::test]
async fn national_ids_are_normalised_unique_and_malformed_ones_are_422() {
    let app = spawn_app().await;
    let resp = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "Tendai Moyo", "target_group": "ratepayer", "national_id": "63 123456 a 78"}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    assert_eq!(resp.body["national_id"], "63-123456A78");
    let id = resp.body["id"].as_i64().unwrap();

    let again = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "T. Moyo", "target_group": "ratepayer", "national_id": "63-123456-A-78"}),
        )
        .await;
    let detail = again.assert_problem(409)["detail"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(detail.contains("63-123456A78"), "{detail}");

    let bad = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "Rudo Dube", "target_group": "ratepayer", "national_id": "63-12A"}),
        )
        .await;
    bad.assert_problem(422);
    assert!(
        bad.field_error("national_id")
            .unwrap()
            .contains("63-123456A78")
    );
    assert_eq!(app.get("/api/v1/participants").await.body["total"], 1);

    let other = create(
        &app,
        json!({"full_name": "Rudo Dube", "target_group": "ratepayer"}),
    )
    .await;
    let taken = app
        .patch(
            &format!("/api/v1/participants/{other}"),
            json!({"national_id": "63123456A78"}),
        )
        .await;
    taken.assert_problem(409);
    let malformed = app
        .patch(
            &format!("/api/v1/participants/{other}"),
            json!({"national_id": "nope"}),
        )
        .await;
    malformed.assert_problem(422);
    let own = app
        .patch(
            &format!("/api/v1/participants/{other}"),
            json!({"national_id": "08-2047823q42"}),
        )
        .await;
    assert_eq!(own.body["national_id"], "08-2047823Q42");
    let cleared = app
        .patch(
            &format!("/api/v1/participants/{id}"),
            json!({"national_id": ""}),
        )
        .await;
    assert_eq!(cleared.status, 200, "{}", cleared.text);
    assert_eq!(cleared.body["national_id"], Value::Null);
}

#[tokio::test]
async fn likely_duplicates_are_grouped_with_their_reasons() {
    let app = spawn_app().await;
    let org = app
        .post(
            "/api/v1/organisations",
            json!({"name": "City of Harare", "kind": "local_authority", "province": "harare"}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let a = create(&app, json!({"full_name": "Tendai Moyo", "target_group": "ratepayer", "phone": "+263 77 123 4567"})).await;
    // A phone is unique now; records from before that rule may share one.
    let resp = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "Tendayi Moyo", "target_group": "ratepayer", "phone": "077-123-4567"}),
        )
        .await;
    resp.assert_problem(409);
    let b = create(
        &app,
        json!({"full_name": "Tendayi Moyo", "target_group": "ratepayer", "phone": "0779999999"}),
    )
    .await;
    use sea_orm::ConnectionTrait;
    app.state
        .db
        .execute_unprepared(&format!(
            "UPDATE participant SET phone = '077-123-4567' WHERE id = {b}"
        ))
        .await
        .unwrap();
    let c = create(&app, json!({"full_name": "Chipo Mutasa-Zvobgo", "target_group": "councillor", "organisation_id": org})).await;
    let d = create(&app, json!({"full_name": "chipo  mutasa zvobgo", "target_group": "councillor", "organisation_id": org})).await;
    // The same name elsewhere, and someone else entirely, are not duplicates.
    create(
        &app,
        json!({"full_name": "Chipo Mutasa-Zvobgo", "target_group": "councillor"}),
    )
    .await;
    create(
        &app,
        json!({"full_name": "Farai Banda", "target_group": "revenue", "phone": "+263 71 000 0000"}),
    )
    .await;

    let resp = app.get("/api/v1/participants/duplicates").await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["total"], 2, "{}", resp.text);
    let groups = resp.body["items"].as_array().unwrap();
    let ids = |g: &Value| -> Vec<i64> {
        g["participants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(ids(&groups[0]), [a, b]);
    assert_eq!(groups[0]["reasons"][0]["reason"], "phone");
    assert_eq!(groups[0]["reasons"][0]["value"], "0771234567");
    assert_eq!(ids(&groups[1]), [c, d]);
    assert_eq!(groups[1]["reasons"][0]["reason"], "name_and_organisation");
    assert_eq!(
        groups[1]["participants"][1]["full_name"],
        "chipo  mutasa zvobgo"
    );

    let page = app
        .get("/api/v1/participants/duplicates?limit=1&offset=1")
        .await;
    assert_eq!(page.body["total"], 2);
    assert_eq!(ids(&page.body["items"][0]), [c, d]);
}

#[tokio::test]
async fn a_merge_moves_enrolments_marks_scores_and_certificates_and_the_summary_counts_one_person_fewer()
 {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    // Rudo Dube was certified in March under one record …
    let (march, people) = app
        .completed_workshop(
            course,
            "tot",
            None,
            &[],
            &[("Rudo Dube", Some(80.0)), ("Farai Banda", Some(70.0))],
        )
        .await;
    let (removed, enrolment) = people[0];
    let issued = app
        .post(
            &format!("/api/v1/workshops/{march}/certificates"),
            json!({}),
        )
        .await;
    assert_eq!(
        issued.body["issued"].as_array().unwrap().len(),
        2,
        "{}",
        issued.text
    );
    let certificate = app
        .get(&format!("/api/v1/certificates?participant_id={removed}"))
        .await
        .body["items"][0]
        .clone();
    let (_, _, pdf_before) = app
        .bytes(&format!("/api/v1/certificates/{}/pdf", certificate["id"]))
        .await;
    // … and enrolled again later under another, with her national ID.
    let kept = create(
        &app,
        json!({"full_name": "Rudo Dube-Ncube", "target_group": "councillor", "gender": "female", "national_id": "63-123456A78"}),
    )
    .await;
    let june = app.workshop(course, &future_monday(), 35).await["id"]
        .as_i64()
        .unwrap();
    enrol(&app, june, kept).await;

    let before = app.get("/api/v1/reports/summary").await.body;
    assert_eq!(before["distinct_participants"], 3);
    assert_eq!(before["enrolled"]["total"], 3);

    let resp = app
        .post(
            &format!("/api/v1/participants/{removed}/merge"),
            json!({"into_id": kept}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["removed_participant_id"], removed);
    assert_eq!(resp.body["participant"]["id"], kept);
    assert_eq!(resp.body["participant"]["full_name"], "Rudo Dube-Ncube");
    assert_eq!(resp.body["participant"]["national_id"], "63-123456A78");
    let moved: Vec<(String, u64)> = resp.body["moved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["kind"].as_str().unwrap().to_owned(),
                m["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        moved,
        [
            ("enrolment".to_owned(), 1),
            ("certificate".to_owned(), 1),
            ("evaluation".to_owned(), 0),
            ("outreach".to_owned(), 0),
            ("workshop_application".to_owned(), 0),
            ("attendance".to_owned(), 5),
            ("assessment".to_owned(), 1),
        ]
    );

    // The removed record is gone; everything it had is the kept one's.
    app.get(&format!("/api/v1/participants/{removed}"))
        .await
        .assert_problem(404);
    let results = app
        .get(&format!("/api/v1/workshops/{march}/results"))
        .await
        .body;
    let row = results
        .as_array()
        .or(results["items"].as_array())
        .unwrap()
        .iter()
        .find(|r| r["enrolment_id"] == enrolment)
        .unwrap()
        .clone();
    assert_eq!(row["participant_id"], kept);
    assert_eq!(row["days_attended"], 5);
    assert_eq!(row["post_test_percent"], 80.0);
    let register = app
        .get(&format!("/api/v1/workshops/{march}/attendance"))
        .await
        .text;
    assert!(
        register.contains(&format!("\"participant_id\":{kept}")),
        "{register}"
    );

    // The certificate is now hers under the kept record, and prints what it printed.
    let certificates = app
        .get(&format!("/api/v1/certificates?participant_id={kept}"))
        .await
        .body;
    assert_eq!(certificates["total"], 1);
    let after = &certificates["items"][0];
    assert_eq!(after["number"], certificate["number"]);
    assert_eq!(after["verification_code"], certificate["verification_code"]);
    let (_, _, pdf_after) = app
        .bytes(&format!("/api/v1/certificates/{}/pdf", certificate["id"]))
        .await;
    assert_eq!(pdf_after, pdf_before);
    let code = certificate["verification_code"].as_str().unwrap();
    let verified = app.anonymous().get(&format!("/api/v1/verify/{code}")).await;
    assert_eq!(verified.body["holder_name"], "Rudo Dube");

    // People, not records: one fewer; seats and certificates the same.
    let after = app.get("/api/v1/reports/summary").await.body;
    assert_eq!(after["distinct_participants"], 2);
    assert_eq!(after["enrolled"]["total"], 3);
    assert_eq!(after["certified"]["total"], before["certified"]["total"]);
    // She is counted as the kept record is recorded: a councillor.
    let councillors = |report: &Value| {
        report["certified"]["by_target_group"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["key"] == "councillor")
            .map_or(0, |g| g["count"].as_i64().unwrap())
    };
    assert_eq!(councillors(&after), 1);

    let audit = app
        .get(&format!(
            "/api/v1/audit?entity=participant&entity_id={removed}"
        ))
        .await
        .body;
    assert_eq!(audit["items"][0]["action"], "merge");
    assert_eq!(audit["items"][0]["after"]["merged_into"], kept);
}

#[tokio::test]
async fn a_merge_of_two_people_holding_a_seat_in_the_same_workshop_is_409_naming_it() {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let workshop = app.workshop(course, &future_monday(), 35).await["id"]
        .as_i64()
        .unwrap();
    let a = app.participant("Nyasha Moyo").await;
    let b = app.participant("NYASHA MOYO").await;
    enrol(&app, workshop, a).await;
    enrol(&app, workshop, b).await;
    let before = app.get("/api/v1/reports/summary").await.body;

    let resp = app
        .post(
            &format!("/api/v1/participants/{b}/merge"),
            json!({"into_id": a}),
        )
        .await;
    let detail = resp.assert_problem(409)["detail"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(detail.contains(&format!("workshop {workshop}")), "{detail}");
    assert_eq!(
        app.get(&format!("/api/v1/participants/{b}")).await.status,
        200
    );
    assert_eq!(app.get("/api/v1/reports/summary").await.body, before);
    let seats = app
        .get(&format!("/api/v1/workshops/{workshop}/enrolments"))
        .await
        .body;
    assert_eq!(seats["total"], 2);

    // Once one has withdrawn, the merge goes through and drops the withdrawn place.
    let enrolments = seats["items"].as_array().unwrap();
    let of_b = enrolments
        .iter()
        .find(|e| e["participant_id"] == b)
        .unwrap();
    let withdrawn = app
        .delete(&format!(
            "/api/v1/workshops/{workshop}/enrolments/{}",
            of_b["id"]
        ))
        .await;
    assert!(withdrawn.status.is_success(), "{}", withdrawn.text);
    let resp = app
        .post(
            &format!("/api/v1/participants/{b}/merge"),
            json!({"into_id": a}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["dropped_enrolment_ids"], json!([of_b["id"]]));
    let w = app.get(&format!("/api/v1/workshops/{workshop}")).await.body;
    assert_eq!(w["seats_taken"], 1);
}

#[tokio::test]
async fn a_merge_into_itself_or_nobody_is_422_and_of_nobody_404() {
    let app = spawn_app().await;
    let a = app.participant("Tendai Moyo").await;
    let resp = app
        .post(
            &format!("/api/v1/participants/{a}/merge"),
            json!({"into_id": a}),
        )
        .await;
    resp.assert_problem(422);
    assert!(resp.field_error("into_id").is_some());
    let resp = app
        .post(
            &format!("/api/v1/participants/{a}/merge"),
            json!({"into_id": 999999}),
        )
        .await;
    resp.assert_problem(422);
    app.post("/api/v1/participants/999999/merge", json!({"into_id": a}))
        .await
        .assert_problem(404);
    app.post(&format!("/api/v1/participants/{a}/merge"), json!({}))
        .await
        .assert_problem(422);
    assert_eq!(
        app.get(&format!("/api/v1/participants/{a}")).await.status,
        200
    );
}

#[tokio::test]
async fn an_import_normalises_national_ids_and_reports_repeats_and_malformed_ones_by_line() {
    let app = spawn_app().await;
    create(
        &app,
        json!({"full_name": "Already Here", "target_group": "ratepayer", "national_id": "08-2047823Q42"}),
    )
    .await;
    let csv = "full_name,target_group,national_id\n\
               Tendai Moyo,ratepayer,63 123456 a 78\n\
               Tendai Again,ratepayer,63-123456A78\n\
               Rudo Dube,ratepayer,not-an-id\n\
               Farai Banda,revenue,08-2047823-Q-42\n\
               Chipo Nyathi,councillor,\n";
    let resp = app
        .request_raw(
            reqwest::Method::POST,
            "/api/v1/participants/import",
            "text/csv",
            csv,
        )
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
            (3, "national_id".to_owned()),
            (4, "national_id".to_owned()),
            (5, "national_id".to_owned())
        ]
    );
    let first = resp.body["participant_ids"][0].as_i64().unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/participants/{first}")).await.body["national_id"],
        "63-123456A78"
    );
}
