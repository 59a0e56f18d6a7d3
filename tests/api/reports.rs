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

/// Two courses; a completed, certified ToT workshop of WQ in March with three participants
/// (two pass), and a scheduled CC workshop in June with one enrolled.
async fn dataset(app: &TestApp) -> (i64, i64) {
    let wq = app.course("WQ", 5).await;
    let cc = app.course("CC", 5).await;
    let (march, people) = app
        .completed_workshop(
            wq,
            "tot",
            None,
            &[],
            &[
                ("Tendai Moyo", Some(80.0)),
                ("Rudo Dube", Some(70.0)),
                ("Farai Banda", Some(30.0)),
            ],
        )
        .await;
    for (i, (pid, _)) in people.iter().enumerate() {
        let (gender, group) = [
            ("female", "councillor"),
            ("female", "ratepayer"),
            ("male", "ratepayer"),
        ][i];
        app.patch(
            &format!("/api/v1/participants/{pid}"),
            json!({"gender": gender, "target_group": group}),
        )
        .await;
    }
    let pre: Vec<Value> = people
        .iter()
        .map(|(_, e)| json!({"enrolment_id": e, "kind": "pre_test", "score": 40, "max_score": 100}))
        .collect();
    assert_eq!(
        app.put(
            &format!("/api/v1/workshops/{march}/assessments"),
            json!({"records": pre})
        )
        .await
        .status,
        200
    );
    assert_eq!(
        app.post(
            &format!("/api/v1/workshops/{march}/certificates"),
            json!({})
        )
        .await
        .status,
        200
    );
    let june = app.workshop(cc, "2026-06-01", 35).await["id"]
        .as_i64()
        .unwrap();
    let p = app.participant("Chipo Nyathi").await;
    app.post(
        &format!("/api/v1/workshops/{june}/enrolments"),
        json!({"participant_id": p}),
    )
    .await;
    (march, june)
}

#[tokio::test]
async fn the_summary_counts_workshops_people_and_certificates_every_way() {
    let app = spawn_app().await;
    dataset(&app).await;
    let resp = app.get("/api/v1/reports/summary").await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let s = &resp.body;
    assert_eq!(s["workshops"]["total"], 2);
    assert_eq!(count(&s["workshops"]["by_course"], "WQ"), 1);
    assert_eq!(count(&s["workshops"]["by_status"], "completed"), 1);
    assert_eq!(count(&s["workshops"]["by_status"], "scheduled"), 1);
    assert_eq!(s["distinct_participants"], 4);
    assert_eq!(s["enrolled"]["total"], 4);
    assert_eq!(count(&s["enrolled"]["by_course"], "CC"), 1);
    assert_eq!(count(&s["enrolled"]["by_level"], "tot"), 4);
    assert_eq!(count(&s["enrolled"]["by_gender"], "female"), 2);
    assert_eq!(count(&s["enrolled"]["by_gender"], "unrecorded"), 1);
    assert_eq!(count(&s["enrolled"]["by_target_group"], "ratepayer"), 2);
    assert_eq!(count(&s["enrolled"]["by_organisation"], "none"), 4);
    assert_eq!(s["certified"]["total"], 2);
    assert_eq!(count(&s["certified"]["by_gender"], "female"), 2);
    assert_eq!(count(&s["certified"]["by_target_group"], "councillor"), 1);
    // Everyone attended all 5 days of the completed workshop.
    assert_eq!(
        s["attendance_rate_by_course"],
        json!([{"course_code": "WQ", "value": 1.0, "basis": 15}])
    );
    // Gains of 40, 30 and -10 points.
    let gain = &s["knowledge_gain_by_course"][0];
    assert_eq!(gain["course_code"], "WQ");
    assert!(
        (gain["value"].as_f64().unwrap() - 20.0).abs() < 1e-9,
        "{gain}"
    );
}

#[tokio::test]
async fn the_summary_is_filtered_by_start_date_and_organisation() {
    let app = spawn_app().await;
    dataset(&app).await;
    let spring = app
        .get("/api/v1/reports/summary?from=2026-01-01&to=2026-04-30")
        .await
        .body;
    assert_eq!(spring["workshops"]["total"], 1);
    assert_eq!(spring["enrolled"]["total"], 3);
    let other = app
        .get("/api/v1/reports/summary?organisation_id=42")
        .await
        .body;
    assert_eq!(other["workshops"]["total"], 0);
    assert_eq!(other["certified"]["total"], 0);
    app.get("/api/v1/reports/summary?from=2026-05-01&to=2026-01-01")
        .await
        .assert_problem(422);
    app.get("/api/v1/reports/summary?from=yesterday")
        .await
        .assert_problem(400);
}

#[tokio::test]
async fn the_summary_roster_and_certificates_export_as_csv() {
    let app = spawn_app().await;
    let (march, _) = dataset(&app).await;
    let summary = app.get("/api/v1/reports/summary.csv").await;
    assert_eq!(summary.status, 200);
    assert!(summary.content_type().starts_with("text/csv"));
    assert!(
        summary
            .text
            .starts_with("\u{feff}section,key,label,value\r\n")
    );
    assert!(
        summary.text.contains("certified by gender,female,Female,2"),
        "{}",
        summary.text
    );
    // The totals of the JSON, in words, before the breakdowns.
    let json = app.get("/api/v1/reports/summary").await.body;
    for (section, label, value) in [
        (
            "participants",
            "Distinct people holding a seat",
            &json["distinct_participants"],
        ),
        (
            "enrolled",
            "Enrolments holding a seat",
            &json["enrolled"]["total"],
        ),
        (
            "certified",
            "Valid certificates",
            &json["certified"]["total"],
        ),
    ] {
        let line = format!("{section},total,{label},{value}\r\n");
        assert!(summary.text.contains(&line), "{line:?} in {}", summary.text);
    }

    let roster = app
        .get(&format!("/api/v1/workshops/{march}/roster.csv"))
        .await;
    assert_eq!(roster.status, 200);
    let lines: Vec<&str> = roster.text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "enrolment_id,full_name,email,phone,gender,target_group,ward,status,waitlist_position"
    );
    assert_eq!(lines.len(), 4);
    assert!(lines[1].contains("Tendai Moyo,,,female,councillor,,enrolled,"));

    let certs = app.get("/api/v1/certificates.csv").await;
    assert_eq!(certs.status, 200);
    let mut reader = csv::Reader::from_reader(certs.text.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 2);
    let mut holders: Vec<&str> = records.iter().map(|r| &r[1]).collect();
    holders.sort();
    assert_eq!(holders, ["Rudo Dube", "Tendai Moyo"]);
    assert!(
        records[0][0].ends_with("-000001") && records[1][0].ends_with("-000002"),
        "in number order"
    );
    let none = app.get("/api/v1/certificates.csv?to=2020-01-01").await;
    assert_eq!(none.text.lines().count(), 1, "only the header");
}

#[tokio::test]
async fn the_generator_fills_whole_cascades_that_the_reports_count() {
    let app = spawn_app().await;
    let made = cssd::seed::generate(&app.state.db, 20, 7).await.unwrap();
    assert_eq!(made.workshops, 26, "rounded up to two cascades of 13");
    // Three seats of each of the 18 community workshops go to people coming back.
    assert_eq!(made.participants, 26 * 35 - 18 * 3);
    let summary = app.get("/api/v1/reports/summary").await.body;
    assert_eq!(summary["workshops"]["total"], 26);
    assert_eq!(count(&summary["workshops"]["by_level"], "tot"), 2);
    assert_eq!(count(&summary["workshops"]["by_level"], "community"), 18);
    assert_eq!(summary["enrolled"]["total"], 26 * 35);
    assert_eq!(summary["distinct_participants"], 26 * 35 - 18 * 3);
    let tot = app.get("/api/v1/workshops?level=tot&limit=1").await.body["items"][0]["id"].clone();
    let tree = app
        .get(&format!("/api/v1/workshops/{tot}/cascade"))
        .await
        .body;
    assert_eq!(tree["totals"]["workshops"], 13);
    assert_eq!(tree["root"]["children"].as_array().unwrap().len(), 3);
    // New records still get fresh ids after the generator assigned its own.
    assert_eq!(
        app.post(
            "/api/v1/participants",
            json!({"full_name": "After Seed", "target_group": "other"})
        )
        .await
        .status,
        201
    );
}

/// The summary reads per-workshop tallies; every change that moves them must move the report.
#[tokio::test]
async fn the_summary_follows_withdrawals_promotions_revocations_and_edits() {
    let app = spawn_app().await;
    let (march, june) = dataset(&app).await;
    let summary = || async { app.get("/api/v1/reports/summary").await.body };

    // June has one seat taken out of 35; make it one seat, fill the waitlist with two more.
    let path = format!("/api/v1/workshops/{june}/enrolments");
    let first = app.get(&path).await.body["items"][0]["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        app.patch(&format!("/api/v1/workshops/{june}"), json!({"capacity": 1}))
            .await
            .status,
        200
    );
    let org = app
        .post(
            "/api/v1/organisations",
            json!({"name": "Epworth Local Board", "kind": "local_authority"}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let waiting = app.participant("Nyasha Zhou").await;
    app.patch(
        &format!("/api/v1/participants/{waiting}"),
        json!({"gender": "male", "target_group": "revenue", "organisation_id": org}),
    )
    .await;
    let last = app.participant("Kuda Mhlanga").await;
    for p in [waiting, last] {
        let resp = app.post(&path, json!({"participant_id": p})).await;
        assert_eq!(resp.body["status"], "waitlisted", "{}", resp.text);
    }
    let s = summary().await;
    assert_eq!(s["enrolled"]["total"], 4, "the waitlist holds no seat");
    assert_eq!(count(&s["enrolled"]["by_target_group"], "revenue"), 0);

    // Withdrawing the seated one promotes Nyasha: same total, her group, gender, organisation.
    assert_eq!(app.delete(&format!("{path}/{first}")).await.status, 200);
    let s = summary().await;
    assert_eq!(s["enrolled"]["total"], 4);
    assert_eq!(count(&s["enrolled"]["by_target_group"], "revenue"), 1);
    assert_eq!(count(&s["enrolled"]["by_gender"], "male"), 2);
    assert_eq!(
        count(&s["enrolled"]["by_organisation"], &org.to_string()),
        1
    );
    assert_eq!(count(&s["enrolled"]["by_organisation"], "none"), 3);

    // A second seat goes to Kuda.
    app.patch(&format!("/api/v1/workshops/{june}"), json!({"capacity": 2}))
        .await;
    assert_eq!(summary().await["enrolled"]["total"], 5);

    // Editing a participant moves their counts, in enrolments and certificates alike.
    app.patch(
        &format!("/api/v1/participants/{waiting}"),
        json!({"target_group": "wastewater"}),
    )
    .await;
    let s = summary().await;
    assert_eq!(count(&s["enrolled"]["by_target_group"], "revenue"), 0);
    assert_eq!(count(&s["enrolled"]["by_target_group"], "wastewater"), 1);
    let certificates = app
        .get(&format!("/api/v1/certificates?workshop_id={march}"))
        .await;
    let certified = certificates.body["items"][0].clone();
    let holder = certified["participant_id"].as_i64().unwrap();
    app.patch(
        &format!("/api/v1/participants/{holder}"),
        json!({"organisation_id": org}),
    )
    .await;
    let s = summary().await;
    assert_eq!(
        count(&s["certified"]["by_organisation"], &org.to_string()),
        1
    );
    assert_eq!(
        count(&s["enrolled"]["by_organisation"], &org.to_string()),
        2
    );

    // Revoking takes the certificate out.
    let revoked = app
        .post(
            &format!("/api/v1/certificates/{}/revoke", certified["id"]),
            json!({"reason": "issued in error"}),
        )
        .await;
    assert_eq!(revoked.status, 200, "{}", revoked.text);
    let s = summary().await;
    assert_eq!(s["certified"]["total"], 1);
    assert_eq!(
        count(&s["certified"]["by_organisation"], &org.to_string()),
        0
    );

    // A person in two workshops is two seats and one person, unless the filter keeps one.
    let before = summary().await;
    app.patch(&format!("/api/v1/workshops/{june}"), json!({"capacity": 3}))
        .await;
    let again = app.post(&path, json!({"participant_id": holder})).await;
    assert_eq!(again.body["status"], "enrolled", "{}", again.text);
    let s = summary().await;
    assert_eq!(
        s["enrolled"]["total"],
        before["enrolled"]["total"].as_i64().unwrap() + 1
    );
    assert_eq!(s["distinct_participants"], before["distinct_participants"]);
    let june_only = app
        .get("/api/v1/reports/summary?from=2026-05-01")
        .await
        .body;
    assert_eq!(june_only["enrolled"]["total"], 3);
    assert_eq!(june_only["distinct_participants"], 3);
    // Moved into May, June's seats fall in the same window as March's: the person counts once.
    let moved = app
        .patch(
            &format!("/api/v1/workshops/{june}"),
            json!({"start_date": "2026-05-04"}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text);
    let spring = app.get("/api/v1/reports/summary?to=2026-05-31").await.body;
    assert_eq!(spring["enrolled"]["total"], 6);
    assert_eq!(spring["distinct_participants"], 5);
    // Withdrawn again, they are one seat, one person.
    let enrolment = again.body["id"].as_i64().unwrap();
    app.delete(&format!("{path}/{enrolment}")).await;
    assert_eq!(
        summary().await["distinct_participants"],
        before["distinct_participants"]
    );

    // A corrected register and a re-marked test move the attendance rate and knowledge gain.
    let first = app
        .get(&format!("/api/v1/workshops/{march}/enrolments"))
        .await
        .body["items"][0]["id"]
        .clone();
    let marked = app
        .put(
            &format!("/api/v1/workshops/{march}/attendance"),
            json!({"records": [{"enrolment_id": first, "day": 1, "status": "absent"}]}),
        )
        .await;
    assert_eq!(marked.status, 200, "{}", marked.text);
    let rate = &summary().await["attendance_rate_by_course"][0];
    // 14 of 15 days, as people read it: 0.933.
    assert_eq!(rate["value"], 0.933, "{rate}");
    let rescored = app
        .put(
            &format!("/api/v1/workshops/{march}/assessments"),
            json!({"records": [{"enrolment_id": first, "kind": "post_test", "score": 100, "max_score": 100}]}),
        )
        .await;
    assert_eq!(rescored.status, 200, "{}", rescored.text);
    let gain = &summary().await["knowledge_gain_by_course"][0];
    // Gains of 60, 30 and -10: 26.666…, shown as 26.7.
    assert_eq!(gain["value"], 26.7, "gains of 60, 30 and -10: {gain}");
}
