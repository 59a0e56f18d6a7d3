use serde_json::json;

use crate::helpers::spawn_app;

async fn course_count(app: &crate::helpers::TestApp) -> u64 {
    app.get("/api/v1/courses").await.body["total"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn demo_data_lists_cssd_and_cc_with_their_topics() {
    let app = spawn_app().await;
    app.seed_demo().await;

    let resp = app.get("/api/v1/courses").await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.body["total"], 2);
    let codes: Vec<&str> = resp.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["CC", "CSSD"]);
    let cc = &resp.body["items"][0];
    assert_eq!(cc["title"], "Customer Care");
    assert_eq!(cc["duration_days"], 5);
    let topics = cc["topics"].as_array().unwrap();
    assert_eq!(topics.len(), 7);
    assert_eq!(topics[0], "The importance of good customer services");
    assert_eq!(topics[6], "Customer care policy");
    assert_eq!(
        resp.body["items"][1]["title"],
        "Community Support to Service Delivery"
    );
}

#[tokio::test]
async fn seeding_the_demo_twice_adds_nothing() {
    let app = spawn_app().await;
    app.seed_demo().await;
    app.seed_demo().await;
    assert_eq!(course_count(&app).await, 2);
    assert_eq!(app.get("/api/v1/organisations").await.body["total"], 5);
}

#[tokio::test]
async fn a_new_course_gets_five_days_full_attendance_and_default_pass_mark() {
    let app = spawn_app().await;
    let resp = app
        .post(
            "/api/v1/courses",
            json!({"code": "wq", "title": "  Water Quality  "}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    assert_eq!(resp.body["code"], "WQ");
    assert_eq!(resp.body["title"], "Water Quality");
    assert_eq!(resp.body["duration_days"], 5);
    assert_eq!(resp.body["min_attendance_days"], 5);
    assert_eq!(resp.body["pass_mark"], 60);
    assert_eq!(resp.body["topics"], json!([]));

    let id = resp.body["id"].as_i64().unwrap();
    let fetched = app.get(&format!("/api/v1/courses/{id}")).await;
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.body, resp.body);
}

#[tokio::test]
async fn a_duplicate_course_code_is_409_whatever_its_case_and_writes_nothing() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let resp = app
        .post(
            "/api/v1/courses",
            json!({"code": "cssd", "title": "Another"}),
        )
        .await;
    let problem = resp.assert_problem(409);
    assert!(
        problem["detail"].as_str().unwrap().contains("CSSD"),
        "{}",
        resp.text
    );
    assert_eq!(course_count(&app).await, 2);
}

#[tokio::test]
async fn a_pass_mark_of_150_is_422_naming_the_field_and_writes_nothing() {
    let app = spawn_app().await;
    let resp = app
        .post(
            "/api/v1/courses",
            json!({"code": "X1", "title": "T", "pass_mark": 150}),
        )
        .await;
    resp.assert_problem(422);
    assert_eq!(
        resp.field_error("pass_mark").as_deref(),
        Some("must be at most 100")
    );
    assert_eq!(course_count(&app).await, 0);
}

#[tokio::test]
async fn min_attendance_above_the_duration_is_422() {
    let app = spawn_app().await;
    let resp = app
        .post(
            "/api/v1/courses",
            json!({"code": "X1", "title": "T", "duration_days": 3, "min_attendance_days": 4}),
        )
        .await;
    resp.assert_problem(422);
    assert!(
        resp.field_error("min_attendance_days").is_some(),
        "{}",
        resp.text
    );
    assert_eq!(course_count(&app).await, 0);
}

#[tokio::test]
async fn every_invalid_field_is_reported_at_once() {
    let app = spawn_app().await;
    let resp = app
        .post(
            "/api/v1/courses",
            json!({"code": 7, "duration_days": "five", "topics": ["Roles", 3]}),
        )
        .await;
    resp.assert_problem(422);
    assert_eq!(resp.field_error("title").as_deref(), Some("is required"));
    assert_eq!(
        resp.field_error("code").as_deref(),
        Some("must be a string")
    );
    assert_eq!(
        resp.field_error("duration_days").as_deref(),
        Some("must be a whole number")
    );
    assert_eq!(
        resp.field_error("topics[1]").as_deref(),
        Some("must be a string")
    );
}

#[tokio::test]
async fn blank_topics_and_bad_codes_are_422() {
    let app = spawn_app().await;
    let resp = app
        .post(
            "/api/v1/courses",
            json!({"code": "C C", "title": "T", "topics": ["Roles", "   "]}),
        )
        .await;
    resp.assert_problem(422);
    assert!(resp.field_error("code").is_some(), "{}", resp.text);
    assert_eq!(
        resp.field_error("topics[1]").as_deref(),
        Some("must not be empty")
    );
}

#[tokio::test]
async fn malformed_json_is_400_problem_and_writes_nothing() {
    let app = spawn_app().await;
    let resp = app
        .request_raw(
            reqwest::Method::POST,
            "/api/v1/courses",
            "application/json",
            r#"{"code": "X1", "title":"#,
        )
        .await;
    resp.assert_problem(400);
    assert_eq!(course_count(&app).await, 0);
}

#[tokio::test]
async fn an_unknown_course_is_404_problem() {
    let app = spawn_app().await;
    app.get("/api/v1/courses/999").await.assert_problem(404);
    app.patch("/api/v1/courses/999", json!({"title": "x"}))
        .await
        .assert_problem(404);
}

#[tokio::test]
async fn patching_a_course_changes_only_the_given_fields() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let cc = app.get("/api/v1/courses").await.body["items"][0].clone();
    let id = cc["id"].as_i64().unwrap();

    let resp = app
        .patch(&format!("/api/v1/courses/{id}"), json!({"pass_mark": 70}))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["pass_mark"], 70);
    assert_eq!(resp.body["title"], cc["title"]);
    assert_eq!(resp.body["topics"], cc["topics"]);
    assert_eq!(
        app.get(&format!("/api/v1/courses/{id}")).await.body["pass_mark"],
        70
    );
}

#[tokio::test]
async fn a_patch_that_breaks_a_rule_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let cc = app.get("/api/v1/courses").await.body["items"][0].clone();
    let id = cc["id"].as_i64().unwrap();

    // The demo courses need 4 of 5 days; a 3-day course cannot need 4.
    let resp = app
        .patch(
            &format!("/api/v1/courses/{id}"),
            json!({"duration_days": 3}),
        )
        .await;
    resp.assert_problem(422);
    assert!(resp.field_error("min_attendance_days").is_some());

    let resp = app
        .patch(&format!("/api/v1/courses/{id}"), json!({"code": "CSSD"}))
        .await;
    resp.assert_problem(409);

    assert_eq!(app.get(&format!("/api/v1/courses/{id}")).await.body, cc);
}

#[tokio::test]
async fn course_lists_page_with_limit_and_offset() {
    let app = spawn_app().await;
    for code in ["A1", "B2", "C3"] {
        assert_eq!(
            app.post("/api/v1/courses", json!({"code": code, "title": code}))
                .await
                .status,
            201
        );
    }
    let resp = app.get("/api/v1/courses?limit=2&offset=1").await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.body["total"], 3);
    let codes: Vec<&str> = resp.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["B2", "C3"]);

    let resp = app.get("/api/v1/courses?limit=201").await;
    resp.assert_problem(422);
    assert_eq!(
        resp.field_error("limit").as_deref(),
        Some("must be at most 200")
    );
}

#[tokio::test]
async fn the_demo_tells_the_whole_cascade_story() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let tot = app.get("/api/v1/workshops?level=tot").await.body["items"][0].clone();
    assert_eq!(tot["status"], "completed");
    let tree = app
        .get(&format!("/api/v1/workshops/{}/cascade", tot["id"]))
        .await
        .body;
    assert_eq!(tree["totals"]["workshops"], 4, "{tree}");
    let cascade = &tree["root"]["children"][0];
    assert_eq!(cascade["level"], "cascade");
    assert!(cascade["certified"].as_u64().unwrap() >= 10);
    // Two community workshops follow it: one in progress (its first day is the last working
    // day up to today) and one scheduled, with a waitlist.
    let communities = cascade["children"].as_array().unwrap();
    let status_of = |c: &serde_json::Value| (c["level"].clone(), c["status"].clone());
    assert!(
        communities
            .iter()
            .any(|c| status_of(c) == (json!("community"), json!("in_progress"))),
        "{tree}"
    );
    let community = communities
        .iter()
        .find(|c| status_of(c) == (json!("community"), json!("scheduled")))
        .expect("a scheduled community workshop");
    let community = app
        .get(&format!("/api/v1/workshops/{}", community["workshop_id"]))
        .await
        .body;
    assert_eq!(
        (
            community["seats_taken"].clone(),
            community["waitlist_count"].clone()
        ),
        (json!(10), json!(3))
    );
    // The demo trainer holds a ToT certificate and leads the cascade workshop.
    let trainer = app.login("trainer@iwsd.demo", "demo-trainer-2026").await;
    let mine = app
        .get(&format!(
            "/api/v1/workshops?trainer_id={}",
            app.with_token(&trainer).get("/api/v1/me").await.body["id"]
        ))
        .await;
    assert_eq!(
        mine.body["total"], 3,
        "the cascade and two community workshops"
    );
    // IWSD's facilitator leads the ToT workshop.
    let facilitator = app
        .login("facilitator@iwsd.demo", "demo-facilitator-2026")
        .await;
    let facilitator_id = app.with_token(&facilitator).get("/api/v1/me").await.body["id"].clone();
    assert_eq!(tot["trainer_ids"], json!([facilitator_id]));
    // The demo participant can download their cascade certificate.
    let learner = app
        .login("participant@iwsd.demo", "demo-participant-2026")
        .await;
    let certs = app
        .with_token(&learner)
        .get("/api/v1/me/certificates")
        .await;
    assert_eq!(certs.body["total"], 1);
    assert!(
        app.get("/api/v1/emails").await.body["total"]
            .as_u64()
            .unwrap()
            >= 18
    );
}
