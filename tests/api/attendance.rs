use serde_json::{Value, json};

use crate::helpers::{TestApp, future_monday, spawn_app};

/// A past five-day workshop (2 March 2026 onwards) with a trainer and `n` enrolled participants.
struct Fixture {
    app: TestApp,
    workshop: i64,
    trainer_token: String,
    enrolments: Vec<i64>,
}

async fn fixture(n: usize, start: &str) -> Fixture {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let trainer_token = app.user_token("trainer", "trainer@example.org", None).await;
    let trainer_id = app.with_token(&trainer_token).get("/api/v1/me").await.body["id"]
        .as_i64()
        .unwrap();
    let body = json!({"course_id": course, "level": "tot", "venue": "Town House", "start_date": start, "trainer_ids": [trainer_id]});
    let w = app.post("/api/v1/workshops", body).await;
    assert_eq!(w.status, 201, "{}", w.text);
    let workshop = w.body["id"].as_i64().unwrap();
    let mut enrolments = vec![];
    for i in 0..n {
        let p = app.participant(&format!("Participant {i}")).await;
        let e = app
            .post(
                &format!("/api/v1/workshops/{workshop}/enrolments"),
                json!({"participant_id": p}),
            )
            .await;
        enrolments.push(e.body["id"].as_i64().unwrap());
    }
    Fixture {
        app,
        workshop,
        trainer_token,
        enrolments,
    }
}

fn mark(enrolment: i64, day: i32, status: &str) -> Value {
    json!({"enrolment_id": enrolment, "day": day, "status": status})
}

fn instant(v: &Value) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(v.as_str().expect("a time"))
        .expect("RFC 3339")
        .to_utc()
}

async fn register(f: &Fixture) -> Value {
    f.app
        .get(&format!("/api/v1/workshops/{}/attendance", f.workshop))
        .await
        .body
}

fn status_of(register: &Value, enrolment: i64, day: usize) -> Value {
    let row = register["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["enrolment_id"] == enrolment)
        .unwrap();
    row["days"][day - 1]["status"].clone()
}

#[tokio::test]
async fn a_trainer_marks_a_day_for_their_own_workshop() {
    let f = fixture(2, "2026-03-02").await;
    let path = format!("/api/v1/workshops/{}/attendance", f.workshop);
    let batch =
        json!({"records": [mark(f.enrolments[0], 1, "present"), mark(f.enrolments[1], 1, "late")]});
    let resp = f
        .app
        .with_token(&f.trainer_token)
        .put(&path, batch.clone())
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["applied"], 2);
    let reg = register(&f).await;
    assert_eq!(status_of(&reg, f.enrolments[0], 1), "present");
    assert_eq!(status_of(&reg, f.enrolments[1], 1), "late");
    assert_eq!(status_of(&reg, f.enrolments[1], 2), Value::Null);
    // Resending the same batch changes nothing.
    let again = f.app.with_token(&f.trainer_token).put(&path, batch).await;
    assert_eq!(
        (
            again.body["applied"].clone(),
            again.body["unchanged"].clone()
        ),
        (json!(0), json!(2))
    );
}

#[tokio::test]
async fn a_trainer_of_another_workshop_gets_403_and_writes_nothing() {
    let f = fixture(1, "2026-03-02").await;
    let stranger = f
        .app
        .user_token("trainer", "other-trainer@example.org", None)
        .await;
    let path = format!("/api/v1/workshops/{}/attendance", f.workshop);
    let resp = f
        .app
        .with_token(&stranger)
        .put(
            &path,
            json!({"records": [mark(f.enrolments[0], 1, "present")]}),
        )
        .await;
    resp.assert_problem(403);
    assert_eq!(
        status_of(&register(&f).await, f.enrolments[0], 1),
        Value::Null
    );
}

#[tokio::test]
async fn a_stale_offline_batch_leaves_newer_marks_unchanged() {
    let f = fixture(1, "2026-03-02").await;
    let path = format!("/api/v1/workshops/{}/attendance", f.workshop);
    let e = f.enrolments[0];
    // The correction made at 10:00 reaches the server first...
    let correction = json!({"records": [{"enrolment_id": e, "day": 1, "status": "present", "marked_at": "2026-03-02T10:00:00Z"}]});
    assert_eq!(f.app.put(&path, correction).await.status, 200);
    // ...then the trainer's phone syncs the 08:30 mark it took offline.
    let stale = json!({"records": [
        {"enrolment_id": e, "day": 1, "status": "absent", "marked_at": "2026-03-02T08:30:00Z"},
        {"enrolment_id": e, "day": 2, "status": "present", "marked_at": "2026-03-03T08:30:00Z"},
    ]});
    let resp = f.app.with_token(&f.trainer_token).put(&path, stale).await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["applied"], 1);
    assert_eq!(resp.body["stale"][0]["day"], 1);
    assert_eq!(resp.body["stale"][0]["kept_status"], "present");
    let reg = register(&f).await;
    assert_eq!(status_of(&reg, e, 1), "present");
    assert_eq!(status_of(&reg, e, 2), "present");
}

#[tokio::test]
async fn a_reconfirmed_mark_keeps_its_newer_time_against_an_older_one_synced_late() {
    let f = fixture(1, "2026-03-02").await;
    let path = format!("/api/v1/workshops/{}/attendance", f.workshop);
    let e = f.enrolments[0];
    let at = |status: &str, time: &str| json!({"records": [{"enrolment_id": e, "day": 1, "status": status, "marked_at": time}]});
    // 09:00 the office marks the person excused; 11:00 it confirms "excused" again.
    assert_eq!(
        f.app
            .put(&path, at("excused", "2026-03-02T09:00:00Z"))
            .await
            .body["applied"],
        1
    );
    let again = f
        .app
        .put(&path, at("excused", "2026-03-02T11:00:00Z"))
        .await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.body["unchanged"], 1);
    let reg = register(&f).await;
    assert_eq!(
        instant(&reg["items"][0]["days"][0]["marked_at"]),
        instant(&json!("2026-03-02T11:00:00Z"))
    );
    // The phone's "present" made at 10:00 in between reaches the server last: it is stale.
    let phone = f
        .app
        .with_token(&f.trainer_token)
        .put(&path, at("present", "2026-03-02T10:00:00Z"))
        .await;
    assert_eq!(phone.status, 200, "{}", phone.text);
    assert_eq!(phone.body["applied"], 0);
    assert_eq!(phone.body["stale"][0]["kept_status"], "excused");
    assert_eq!(
        instant(&phone.body["stale"][0]["kept_marked_at"]),
        instant(&json!("2026-03-02T11:00:00Z"))
    );
    assert_eq!(status_of(&register(&f).await, e, 1), "excused");
}

#[tokio::test]
async fn a_batch_with_bad_records_writes_nothing_and_names_each_bad_record() {
    let f = fixture(2, "2026-03-02").await;
    let path = format!("/api/v1/workshops/{}/attendance", f.workshop);
    let batch = json!({"records": [
        mark(f.enrolments[0], 1, "present"),
        mark(f.enrolments[1], 1, "present"),
        mark(99_999, 1, "present"),
        mark(f.enrolments[0], 6, "present"),
    ]});
    let resp = f.app.put(&path, batch).await;
    resp.assert_problem(422);
    assert!(
        resp.field_error("records[2].enrolment_id").is_some(),
        "{}",
        resp.text
    );
    assert_eq!(
        resp.field_error("records[3].day").as_deref(),
        Some("must be between 1 and 5")
    );
    assert_eq!(resp.body["errors"].as_array().unwrap().len(), 2);
    assert_eq!(
        status_of(&register(&f).await, f.enrolments[0], 1),
        Value::Null
    );
}

#[tokio::test]
async fn days_to_come_and_waitlisted_enrolments_cannot_be_marked() {
    let f = fixture(0, &future_monday()).await;
    let path = format!("/api/v1/workshops/{}/attendance", f.workshop);
    f.app
        .patch(
            &format!("/api/v1/workshops/{}", f.workshop),
            json!({"capacity": 1}),
        )
        .await;
    let a = f.app.participant("A").await;
    let b = f.app.participant("B").await;
    let ea = f
        .app
        .post(
            &format!("/api/v1/workshops/{}/enrolments", f.workshop),
            json!({"participant_id": a}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let eb = f
        .app
        .post(
            &format!("/api/v1/workshops/{}/enrolments", f.workshop),
            json!({"participant_id": b}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let resp = f
        .app
        .put(
            &path,
            json!({"records": [mark(ea, 1, "present"), mark(eb, 1, "present")]}),
        )
        .await;
    resp.assert_problem(422);
    assert!(
        resp.field_error("records[0].day")
            .unwrap()
            .contains("has not happened yet"),
        "{}",
        resp.text
    );
    assert!(
        resp.field_error("records[1].enrolment_id")
            .unwrap()
            .contains("waitlisted"),
        "{}",
        resp.text
    );
}

#[tokio::test]
async fn after_completion_only_an_admin_may_correct_the_register() {
    let f = fixture(1, "2026-03-02").await;
    let path = format!("/api/v1/workshops/{}/attendance", f.workshop);
    f.app
        .post(
            &format!("/api/v1/workshops/{}/complete", f.workshop),
            json!({}),
        )
        .await;
    let batch = json!({"records": [mark(f.enrolments[0], 1, "present")]});
    f.app
        .with_token(&f.trainer_token)
        .put(&path, batch.clone())
        .await
        .assert_problem(403);
    assert_eq!(f.app.put(&path, batch).await.status, 200);
}

#[tokio::test]
async fn an_attendance_key_may_mark_and_every_change_is_audited() {
    let f = fixture(1, "2026-03-02").await;
    let key = f.app.api_key(&["attendance"]).await;
    let path = format!("/api/v1/workshops/{}/attendance", f.workshop);
    let e = f.enrolments[0];
    assert_eq!(
        f.app
            .with_token(&key)
            .put(&path, json!({"records": [mark(e, 1, "absent")]}))
            .await
            .status,
        200
    );
    assert_eq!(
        f.app
            .put(&path, json!({"records": [mark(e, 1, "excused")]}))
            .await
            .status,
        200
    );
    let log = f
        .app
        .get(&format!("/api/v1/audit?entity=enrolment&entity_id={e}"))
        .await;
    let newest = &log.body["items"][0];
    assert_eq!(newest["action"], "attendance");
    assert_eq!(newest["before"]["status"], "absent");
    assert_eq!(newest["after"]["status"], "excused");
    assert_eq!(log.body["items"][1]["actor_kind"], "api_key");
}

#[tokio::test]
async fn results_list_eligible_and_ineligible_participants_with_reasons() {
    let f = fixture(3, "2026-03-02").await;
    let [good, absent, failed] = [f.enrolments[0], f.enrolments[1], f.enrolments[2]];
    let mut marks = vec![];
    for day in 1..=5 {
        marks.push(mark(good, day, if day == 3 { "late" } else { "present" }));
        marks.push(mark(
            absent,
            day,
            if day <= 3 { "present" } else { "excused" },
        ));
        marks.push(mark(failed, day, "present"));
    }
    let w = f.workshop;
    assert_eq!(
        f.app
            .put(
                &format!("/api/v1/workshops/{w}/attendance"),
                json!({"records": marks})
            )
            .await
            .status,
        200
    );
    let scores = json!({"records": [
        {"enrolment_id": good, "kind": "pre_test", "score": 40, "max_score": 100},
        {"enrolment_id": good, "kind": "post_test", "score": 80, "max_score": 100},
        {"enrolment_id": absent, "kind": "post_test", "score": 90, "max_score": 100},
        {"enrolment_id": failed, "kind": "pre_test", "score": 10, "max_score": 50},
        {"enrolment_id": failed, "kind": "post_test", "score": 24, "max_score": 50},
    ]});
    let resp = f
        .app
        .with_token(&f.trainer_token)
        .put(&format!("/api/v1/workshops/{w}/assessments"), scores)
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["applied"], 5);

    let results = f.app.get(&format!("/api/v1/workshops/{w}/results")).await;
    assert_eq!(results.status, 200, "{}", results.text);
    let row = |e: i64| {
        results.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["enrolment_id"] == e)
            .unwrap()
            .clone()
    };
    assert_eq!(row(good)["eligible"], true);
    assert_eq!(row(good)["days_attended"], 5);
    assert_eq!(row(good)["knowledge_gain"], 40.0);
    assert_eq!(row(absent)["eligible"], false);
    assert_eq!(
        row(absent)["reasons"],
        json!(["attended 3 of the 5 required days"])
    );
    assert_eq!(
        row(failed)["reasons"],
        json!(["post-test 48% is below the pass mark of 60%"])
    );
    assert_eq!(results.body["summary"]["eligible"], 1);
    assert_eq!(results.body["summary"]["average_knowledge_gain"], 34.0);
}

#[tokio::test]
async fn scores_must_lie_between_zero_and_the_maximum() {
    let f = fixture(1, "2026-03-02").await;
    let path = format!("/api/v1/workshops/{}/assessments", f.workshop);
    let e = f.enrolments[0];
    let resp = f
        .app
        .put(
            &path,
            json!({"records": [
                {"enrolment_id": e, "kind": "post_test", "score": 120, "max_score": 100},
                {"enrolment_id": e, "kind": "pre_test", "score": 5, "max_score": 0},
            ]}),
        )
        .await;
    resp.assert_problem(422);
    assert!(
        resp.field_error("records[0].score").is_some()
            && resp.field_error("records[1].max_score").is_some(),
        "{}",
        resp.text
    );
    let results = f
        .app
        .get(&format!("/api/v1/workshops/{}/results", f.workshop))
        .await;
    assert_eq!(
        results.body["items"][0]["reasons"],
        json!(["attended 0 of the 5 required days", "no post-test recorded"])
    );
}

#[tokio::test]
async fn the_register_prints_as_csv_with_a_column_per_day() {
    let f = fixture(1, "2026-03-02").await;
    let path = format!("/api/v1/workshops/{}/attendance", f.workshop);
    f.app
        .put(
            &path,
            json!({"records": [mark(f.enrolments[0], 2, "present")]}),
        )
        .await;
    let csv = f
        .app
        .get(&format!("/api/v1/workshops/{}/attendance.csv", f.workshop))
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.content_type().starts_with("text/csv"));
    let lines: Vec<&str> = csv.text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "participant,Day 1 (2026-03-02),Day 2 (2026-03-03),Day 3 (2026-03-04),Day 4 (2026-03-05),Day 5 (2026-03-06),days attended"
    );
    assert_eq!(lines[1], "Participant 0,,present,,,,1");
}
