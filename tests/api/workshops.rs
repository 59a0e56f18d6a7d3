use serde_json::json;

use crate::helpers::{future_monday, spawn_app};

#[tokio::test]
async fn a_thursday_start_lays_five_days_over_the_weekend_with_the_topics_in_order() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let cssd = app.get("/api/v1/courses").await.body["items"][1].clone();
    assert_eq!(cssd["code"], "CSSD");
    let resp = app
        .post("/api/v1/workshops", json!({"course_id": cssd["id"], "level": "tot", "venue": "Rainbow Towers", "start_date": "2026-08-27"}))
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    assert_eq!(resp.body["capacity"], 35);
    assert_eq!(resp.body["seats_left"], 35);
    assert_eq!(resp.body["status"], "scheduled");
    let dates: Vec<&str> = resp.body["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["date"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        [
            "2026-08-27",
            "2026-08-28",
            "2026-08-31",
            "2026-09-01",
            "2026-09-02"
        ]
    );
    assert_eq!(resp.body["end_date"], "2026-09-02");

    let schedule = app
        .get(&format!("/api/v1/workshops/{}/schedule", resp.body["id"]))
        .await;
    assert_eq!(schedule.status, 200);
    let topics: Vec<serde_json::Value> = schedule.body["days"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["topics"].as_array().unwrap().clone())
        .collect();
    assert_eq!(serde_json::Value::Array(topics), cssd["topics"]);
}

#[tokio::test]
async fn bad_workshop_input_is_refused_and_writes_nothing() {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let monday = future_monday();
    let base =
        json!({"course_id": course, "level": "tot", "venue": "Town House", "start_date": monday});
    let with = |patch: serde_json::Value| {
        let mut b = base.clone();
        b.as_object_mut()
            .unwrap()
            .extend(patch.as_object().unwrap().clone());
        b
    };
    let resp = app
        .post("/api/v1/workshops", with(json!({"capacity": 36})))
        .await;
    resp.assert_problem(422);
    assert_eq!(
        resp.field_error("capacity").as_deref(),
        Some("must be at most 35")
    );
    let resp = app
        .post(
            "/api/v1/workshops",
            with(json!({"start_date": "2026-08-29"})),
        )
        .await;
    resp.assert_problem(422);
    assert!(
        resp.field_error("start_date").unwrap().contains("Saturday"),
        "{}",
        resp.text
    );
    let resp = app
        .post("/api/v1/workshops", with(json!({"course_id": 999})))
        .await;
    resp.assert_problem(422);
    assert!(resp.field_error("course_id").is_some());
    let resp = app
        .post("/api/v1/workshops", with(json!({"trainer_ids": [999]})))
        .await;
    resp.assert_problem(422);
    assert!(resp.field_error("trainer_ids[0]").is_some());
    // The administrator (user 1) is not a trainer.
    let resp = app
        .post("/api/v1/workshops", with(json!({"trainer_ids": [1]})))
        .await;
    resp.assert_problem(422);
    assert!(
        resp.field_error("trainer_ids[0]")
            .unwrap()
            .contains("not a trainer")
    );
    let resp = app
        .post("/api/v1/workshops", with(json!({"level": "cascade"})))
        .await;
    resp.assert_problem(422);
    assert!(resp.field_error("parent_workshop_id").is_some());
    assert_eq!(app.get("/api/v1/workshops").await.body["total"], 0);
}

#[tokio::test]
async fn a_cascade_workshop_needs_a_completed_tot_parent_of_the_same_course() {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let other = app.course("CC2", 5).await;
    let tot = app.workshop(course, "2026-03-02", 35).await;
    let body = json!({"course_id": course, "level": "cascade", "parent_workshop_id": tot["id"], "venue": "Mbare Hall", "start_date": future_monday()});
    let resp = app.post("/api/v1/workshops", body.clone()).await;
    resp.assert_problem(409);
    assert!(
        resp.body["detail"]
            .as_str()
            .unwrap()
            .contains("not been completed")
    );

    let done = app
        .post(
            &format!("/api/v1/workshops/{}/complete", tot["id"]),
            json!({}),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(
        app.post("/api/v1/workshops", body.clone()).await.status,
        201
    );

    let mut wrong_course = body.clone();
    wrong_course["course_id"] = json!(other);
    app.post("/api/v1/workshops", wrong_course)
        .await
        .assert_problem(409);
    let mut community = body;
    community["level"] = json!("community");
    let resp = app.post("/api/v1/workshops", community).await;
    resp.assert_problem(409);
    assert!(resp.body["detail"].as_str().unwrap().contains("cascade"));
}

#[tokio::test]
async fn a_workshop_moves_scheduled_in_progress_completed_and_nothing_else() {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let past = app.workshop(course, "2026-03-02", 35).await;
    let id = past["id"].as_i64().unwrap();
    app.post(&format!("/api/v1/workshops/{id}/complete"), json!({}))
        .await;
    for action in ["start", "complete", "cancel"] {
        app.post(&format!("/api/v1/workshops/{id}/{action}"), json!({}))
            .await
            .assert_problem(409);
    }

    let future = app.workshop(course, &future_monday(), 35).await;
    let id = future["id"].as_i64().unwrap();
    let started = app
        .post(&format!("/api/v1/workshops/{id}/start"), json!({}))
        .await;
    assert_eq!(started.body["status"], "in_progress");
    let resp = app
        .post(&format!("/api/v1/workshops/{id}/complete"), json!({}))
        .await;
    resp.assert_problem(409);
    assert!(resp.body["detail"].as_str().unwrap().contains("last day"));
    app.post(&format!("/api/v1/workshops/{id}/start"), json!({}))
        .await
        .assert_problem(409);
    assert_eq!(
        app.post(&format!("/api/v1/workshops/{id}/cancel"), json!({}))
            .await
            .body["status"],
        "cancelled"
    );
    app.post("/api/v1/workshops/999/start", json!({}))
        .await
        .assert_problem(404);
}

#[tokio::test]
async fn workshops_filter_by_course_level_status_and_dates() {
    let app = spawn_app().await;
    let a = app.course("AA", 5).await;
    let b = app.course("BB", 5).await;
    app.workshop(a, "2026-03-02", 35).await;
    app.workshop(a, "2026-06-01", 35).await;
    app.workshop(b, "2026-09-07", 35).await;
    assert_eq!(
        app.get(&format!("/api/v1/workshops?course_id={a}"))
            .await
            .body["total"],
        2
    );
    assert_eq!(
        app.get("/api/v1/workshops?from=2026-05-01&to=2026-12-31")
            .await
            .body["total"],
        2
    );
    assert_eq!(
        app.get("/api/v1/workshops?level=cascade").await.body["total"],
        0
    );
    assert_eq!(
        app.get("/api/v1/workshops?status=scheduled").await.body["total"],
        3
    );
    app.get("/api/v1/workshops?level=advanced")
        .await
        .assert_problem(400);
    app.get("/api/v1/workshops?from=2026-12-01&to=2026-01-01")
        .await
        .assert_problem(422);
}

#[tokio::test]
async fn capacity_cannot_drop_below_the_enrolled_and_extra_seats_go_to_the_waitlist() {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let w = app.workshop(course, &future_monday(), 2).await;
    let id = w["id"].as_i64().unwrap();
    let mut participants = vec![];
    for name in ["A", "B", "C", "D"] {
        let p = app.participant(name).await;
        app.post(
            &format!("/api/v1/workshops/{id}/enrolments"),
            json!({"participant_id": p}),
        )
        .await;
        participants.push(p);
    }
    app.patch(&format!("/api/v1/workshops/{id}"), json!({"capacity": 1}))
        .await
        .assert_problem(409);
    let resp = app
        .patch(&format!("/api/v1/workshops/{id}"), json!({"capacity": 3}))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["seats_taken"], 3);
    assert_eq!(resp.body["waitlist_count"], 1);
    let waiting = app
        .get(&format!(
            "/api/v1/workshops/{id}/enrolments?status=waitlisted"
        ))
        .await;
    assert_eq!(waiting.body["items"][0]["participant_id"], participants[3]);
    assert_eq!(waiting.body["items"][0]["waitlist_position"], 1);
}

#[tokio::test]
async fn the_calendar_is_valid_icalendar_with_one_event_per_day() {
    use icalendar::{Calendar, CalendarComponent, Component, EventLike};
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let w = app.workshop(course, "2026-08-27", 35).await;
    let resp = app
        .get(&format!("/api/v1/workshops/{}/calendar.ics", w["id"]))
        .await;
    assert_eq!(resp.status, 200);
    assert!(resp.content_type().starts_with("text/calendar"));
    let calendar: Calendar = resp.text.parse().expect("a parser accepts it");
    let events: Vec<_> = calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    assert_eq!(events.len(), 5);
    assert_eq!(events[0].get_location(), Some("Town House, Harare"));
    assert!(events[2].get_summary().unwrap().contains("day 3 of 5"));
    let starts: Vec<String> = events
        .iter()
        .map(|e| format!("{:?}", e.get_start().unwrap()))
        .collect();
    assert!(starts[2].contains("2026-08-31"), "{starts:?}");
}
