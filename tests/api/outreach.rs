//! Outreach: the rules of a meeting record, who may record and list them, and the reach they
//! add to the cascade tree and the summary report.

use chrono::{Days, Utc};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestResponse, spawn_app};

async fn issue(app: &TestApp, workshop: i64) {
    let resp = app
        .post(
            &format!("/api/v1/workshops/{workshop}/certificates"),
            json!({}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
}

/// A completed, certified ToT workshop: Nomvula passed (certificate), Rudo did not. Returns
/// (course id, workshop id, Nomvula's participant id, Rudo's participant id).
async fn certified_tot(app: &TestApp) -> (i64, i64, i64, i64) {
    let course = app.course("OUT", 5).await;
    let (tot, people) = app
        .completed_workshop(
            course,
            "tot",
            None,
            &[],
            &[("Nomvula Ndlovu", Some(90.0)), ("Rudo Dube", Some(30.0))],
        )
        .await;
    issue(app, tot).await;
    (course, tot, people[0].0, people[1].0)
}

fn meeting(participant: i64, workshop: i64, female: i32, male: i32) -> Value {
    json!({
        "participant_id": participant, "workshop_id": workshop, "held_on": "2026-06-10",
        "venue": "Mbare community hall", "ward": "Ward 4", "topics": ["Roles", "Trust"],
        "attendees": {"female": female, "male": male, "other": 0, "undisclosed": 1},
    })
}

async fn record(app: &TestApp, token: Option<&str>, body: Value) -> TestResponse {
    match token {
        Some(t) => app.with_token(t).post("/api/v1/outreach", body).await,
        None => app.post("/api/v1/outreach", body).await,
    }
}

async fn total(app: &TestApp) -> i64 {
    app.get("/api/v1/outreach").await.body["total"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn a_certified_participant_records_a_meeting_with_headcounts_and_age_bands() {
    let app = spawn_app().await;
    let (_, tot, nomvula, _) = certified_tot(&app).await;
    let token = app
        .user_token("participant", "nomvula@example.org", Some(nomvula))
        .await;
    let mut body = meeting(nomvula, tot, 14, 10);
    body["age_bands"] = json!({"under_18": 3, "age_18_35": 10, "age_36_59": 8, "age_60_plus": 4});
    let resp = record(&app, Some(&token), body).await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    assert_eq!(resp.body["people_reached"], 25);
    assert_eq!(resp.body["topics"], json!(["Roles", "Trust"]));
    assert_eq!(resp.body["age_bands"]["age_18_35"], 10);
    assert_eq!(resp.body["attendees"]["female"], 14);
    let listed = app.with_token(&token).get("/api/v1/outreach").await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_eq!(listed.body["total"], 1);
    assert_eq!(listed.body["items"][0]["id"], resp.body["id"]);
}

#[tokio::test]
async fn the_rules_of_a_meeting_are_422_naming_the_field_and_store_nothing() {
    let app = spawn_app().await;
    let (_, tot, nomvula, rudo) = certified_tot(&app).await;
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            meeting(rudo, tot, 5, 5),
            "participant_id",
            "no valid certificate",
        ),
        (
            {
                let mut b = meeting(nomvula, tot, 5, 5);
                b["topics"] = json!(["Roles", "Cooking"]);
                b
            },
            "topics[1]",
            "not a topic",
        ),
        (
            {
                let mut b = meeting(nomvula, tot, 5, 5);
                b["age_bands"] =
                    json!({"under_18": 0, "age_18_35": 5, "age_36_59": 5, "age_60_plus": 0});
                b
            },
            "age_bands",
            "add up to 10",
        ),
        (
            {
                let mut b = meeting(nomvula, tot, 5, 5);
                let tomorrow = Utc::now().date_naive() + Days::new(2);
                b["held_on"] = json!(tomorrow.to_string());
                b
            },
            "held_on",
            "future",
        ),
        (
            {
                let mut b = meeting(nomvula, tot, 5, 5);
                b["held_on"] = json!("1999-12-31");
                b
            },
            "held_on",
            "2000-01-01",
        ),
        (
            {
                let mut b = meeting(nomvula, tot, 0, 0);
                b["attendees"]["undisclosed"] = json!(0);
                b
            },
            "attendees",
            "at least one",
        ),
        (
            meeting(nomvula, 999_999, 5, 5),
            "workshop_id",
            "does not exist",
        ),
    ];
    for (body, field, words) in cases {
        let resp = record(&app, None, body).await;
        resp.assert_problem(422);
        let message = resp
            .field_error(field)
            .unwrap_or_else(|| panic!("no error for {field}: {}", resp.text));
        assert!(message.contains(words), "{field}: {message}");
    }
    assert_eq!(total(&app).await, 0, "nothing stored");
}

#[tokio::test]
async fn only_the_participant_a_trainer_of_the_workshop_or_an_admin_records_outreach() {
    let app = spawn_app().await;
    let (course, tot, nomvula, rudo) = certified_tot(&app).await;
    // Rudo's account may not record Nomvula's meeting.
    let rudo_token = app
        .user_token("participant", "rudo@example.org", Some(rudo))
        .await;
    record(&app, Some(&rudo_token), meeting(nomvula, tot, 3, 3))
        .await
        .assert_problem(403);
    // A trainer of another workshop may not; a trainer of this one may.
    let outsider = app
        .user_token("trainer", "outsider@example.org", None)
        .await;
    record(&app, Some(&outsider), meeting(nomvula, tot, 3, 3))
        .await
        .assert_problem(403);
    let trainer = app.user_token("trainer", "lead@example.org", None).await;
    let trainer_id = app.with_token(&trainer).get("/api/v1/me").await.body["id"]
        .as_i64()
        .unwrap();
    let (other, people) = app
        .completed_workshop(course, "tot", None, &[trainer_id], &[("X", Some(80.0))])
        .await;
    issue(&app, other).await;
    record(&app, Some(&trainer), meeting(nomvula, tot, 3, 3))
        .await
        .assert_problem(403);
    let resp = record(&app, Some(&trainer), meeting(people[0].0, other, 3, 3)).await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    let key = app.api_key(&["enrol"]).await;
    record(&app, Some(&key), meeting(nomvula, tot, 3, 3))
        .await
        .assert_problem(403);
    // The admin records for anyone certified.
    let resp = record(&app, None, meeting(nomvula, tot, 3, 3)).await;
    assert_eq!(resp.status, 201, "{}", resp.text);
}

#[tokio::test]
async fn the_list_filters_by_workshop_participant_and_dates_and_a_participant_sees_their_own() {
    let app = spawn_app().await;
    let (course, tot, nomvula, _) = certified_tot(&app).await;
    let (second, people) = app
        .completed_workshop(course, "tot", None, &[], &[("Tatenda", Some(80.0))])
        .await;
    issue(&app, second).await;
    let tatenda = people[0].0;
    for (who, workshop, held_on) in [
        (nomvula, tot, "2026-05-04"),
        (nomvula, tot, "2026-06-10"),
        (tatenda, second, "2026-07-01"),
    ] {
        let mut body = meeting(who, workshop, 4, 4);
        body["held_on"] = json!(held_on);
        assert_eq!(record(&app, None, body).await.status, 201);
    }
    let count = |path: String| {
        let app = &app;
        async move {
            let resp = app.get(&path).await;
            assert_eq!(resp.status, 200, "{}", resp.text);
            resp.body["total"].as_i64().unwrap()
        }
    };
    assert_eq!(
        count(format!("/api/v1/outreach?workshop_id={tot}")).await,
        2
    );
    assert_eq!(
        count(format!("/api/v1/outreach?participant_id={tatenda}")).await,
        1
    );
    assert_eq!(count("/api/v1/outreach?from=2026-06-01".into()).await, 2);
    assert_eq!(
        count("/api/v1/outreach?from=2026-05-01&to=2026-06-10".into()).await,
        2
    );
    let page = app.get("/api/v1/outreach?limit=1&offset=1").await;
    assert_eq!(page.body["total"], 3);
    assert_eq!(page.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        page.body["items"][0]["held_on"], "2026-06-10",
        "newest first"
    );
    app.get("/api/v1/outreach?from=2026-07-01&to=2026-06-01")
        .await
        .assert_problem(422);
    app.get("/api/v1/outreach?from=1999-01-01")
        .await
        .assert_problem(422);

    let token = app
        .user_token("participant", "tatenda@example.org", Some(tatenda))
        .await;
    let own = app.with_token(&token).get("/api/v1/outreach").await;
    assert_eq!(own.body["total"], 1);
    app.with_token(&token)
        .get(&format!("/api/v1/outreach?participant_id={nomvula}"))
        .await
        .assert_problem(403);
}

#[tokio::test]
async fn the_cascade_tree_and_the_summary_count_meetings_and_people_reached() {
    let app = spawn_app().await;
    let (course, tot, nomvula, _) = certified_tot(&app).await;
    let trainer = app
        .user_token("trainer", "nomvula@example.org", Some(nomvula))
        .await;
    let trainer_id = app.with_token(&trainer).get("/api/v1/me").await.body["id"]
        .as_i64()
        .unwrap();
    let (cascade, people) = app
        .completed_workshop(
            course,
            "cascade",
            Some(tot),
            &[trainer_id],
            &[("Kuda", Some(70.0)), ("Farai", Some(70.0))],
        )
        .await;
    issue(&app, cascade).await;
    // Nomvula reaches 11 people; two of her cascade graduates 9 and 21.
    assert_eq!(
        record(&app, None, meeting(nomvula, tot, 6, 4)).await.status,
        201
    );
    assert_eq!(
        record(&app, Some(&trainer), meeting(people[0].0, cascade, 5, 3))
            .await
            .status,
        201,
        "a trainer of the cascade workshop records for its graduate"
    );
    assert_eq!(
        record(&app, None, meeting(people[1].0, cascade, 10, 10))
            .await
            .status,
        201
    );

    let tree = app.get(&format!("/api/v1/workshops/{tot}/cascade")).await;
    assert_eq!(tree.status, 200, "{}", tree.text);
    assert_eq!(tree.body["root"]["outreach_sessions"], 1);
    assert_eq!(tree.body["root"]["people_reached"], 11);
    let child = &tree.body["root"]["children"][0];
    assert_eq!(child["workshop_id"], cascade);
    assert_eq!(child["outreach_sessions"], 2);
    assert_eq!(child["people_reached"], 30);
    assert_eq!(tree.body["totals"]["outreach_sessions"], 3);
    assert_eq!(tree.body["totals"]["people_reached"], 41);
    // The multiplier: one certified trainer (Rudo failed), two trained below the ToT and 41
    // reached by outreach: (2 + 41) / 1.
    assert_eq!(tree.body["totals"]["certified_trainers"], 1);
    assert_eq!(tree.body["totals"]["trained_below_tot"], 2);
    assert_eq!(tree.body["totals"]["reach_per_trainer"], 43.0);

    let summary = app.get("/api/v1/reports/summary").await;
    assert_eq!(summary.status, 200, "{}", summary.text);
    assert_eq!(
        summary.body["outreach"],
        json!({"sessions": 3, "people_reached": 41, "female": 21, "male": 17, "other": 0, "undisclosed": 3})
    );
    // The summary's filter selects workshops; both started 2026-03-02.
    let later = app.get("/api/v1/reports/summary?from=2026-04-01").await;
    assert_eq!(later.body["outreach"]["sessions"], 0);
    let csv = app.get("/api/v1/reports/summary.csv").await;
    assert!(
        csv.text
            .contains("outreach,people_reached,People reached,41"),
        "{}",
        csv.text
    );
}

#[tokio::test]
async fn the_demo_cascade_shows_people_reached_and_evaluations_to_read() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let tots = app.get("/api/v1/workshops?level=tot").await;
    let tot = tots.body["items"][0]["id"].as_i64().unwrap();
    let tree = app.get(&format!("/api/v1/workshops/{tot}/cascade")).await;
    assert_eq!(tree.status, 200, "{}", tree.text);
    let totals = &tree.body["totals"];
    assert_eq!(totals["outreach_sessions"], 6, "{totals}");
    assert!(totals["people_reached"].as_i64().unwrap() > 50, "{totals}");
    let cascade = tree.body["root"]["children"][0]["workshop_id"]
        .as_i64()
        .unwrap();
    let summary = app
        .get(&format!("/api/v1/workshops/{cascade}/evaluations/summary"))
        .await;
    assert_eq!(summary.status, 200, "{}", summary.text);
    assert_eq!(summary.body["responses"], 4);
    assert_eq!(summary.body["shown"], true);
    let report = app.get("/api/v1/reports/summary").await;
    assert_eq!(report.body["outreach"]["sessions"], 6);
    // The demo participant's own evaluation is theirs to submit.
    let token = app
        .login("participant@iwsd.demo", "demo-participant-2026")
        .await;
    let topics: serde_json::Map<String, Value> =
        app.get(&format!("/api/v1/workshops/{cascade}")).await.body["days"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|d| d["topics"].as_array().unwrap().clone())
            .map(|t| (t.as_str().unwrap().to_owned(), json!(5)))
            .collect();
    let resp = app
        .with_token(&token)
        .post(
            &format!("/api/v1/workshops/{cascade}/evaluations"),
            json!({"ratings": {"overall": 5, "trainers": 5, "venue": 4, "materials": 4, "topics": topics}}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text);
}

#[tokio::test]
async fn a_meeting_of_200000_people_is_refused_and_recorded_nowhere() {
    let app = spawn_app().await;
    let (_, tot, nomvula, _) = certified_tot(&app).await;
    let resp = record(&app, None, meeting(nomvula, tot, 100_000, 100_000)).await;
    resp.assert_problem(422);
    assert!(resp.text.contains("attendees"), "{}", resp.text);
    assert_eq!(total(&app).await, 0);
}
