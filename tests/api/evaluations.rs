//! Evaluations: who may submit, when, how often, what; the anonymous summary and its CSV.

use serde_json::{Value, json};

use crate::helpers::{TestApp, future_monday, spawn_app};

const TOPICS: [&str; 5] = ["Roles", "Processes", "Engagement", "Trust", "Champions"];

fn ratings(all: i32) -> Value {
    let topics: serde_json::Map<String, Value> =
        TOPICS.iter().map(|t| (t.to_string(), json!(all))).collect();
    json!({"overall": all, "trainers": all, "venue": all, "materials": all, "topics": topics})
}

/// A completed workshop (2026-03-02) where "Ama", "Ben", "Chipo" and "Dudu" attended every
/// day and "Absent Always" held a seat but came on no day; a trainer assigned to it; and a
/// participant account per person. Returns (workshop id, trainer token, [(participant id,
/// token)]).
async fn evaluated_workshop(app: &TestApp) -> (i64, String, Vec<(i64, String)>) {
    let course = app.course("EVL", 5).await;
    let trainer = app.user_token("trainer", "trainer@example.org", None).await;
    let trainer_id = app.with_token(&trainer).get("/api/v1/me").await.body["id"]
        .as_i64()
        .unwrap();
    let w = app
        .post(
            "/api/v1/workshops",
            json!({"course_id": course, "level": "tot", "venue": "Town House, Harare",
                   "start_date": "2026-03-02", "trainer_ids": [trainer_id]}),
        )
        .await;
    assert_eq!(w.status, 201, "{}", w.text);
    let id = w.body["id"].as_i64().unwrap();
    let mut people = vec![];
    let mut marks = vec![];
    for (i, name) in ["Ama", "Ben", "Chipo", "Dudu", "Absent Always"]
        .iter()
        .enumerate()
    {
        let p = app.participant(name).await;
        let e = app
            .post(
                &format!("/api/v1/workshops/{id}/enrolments"),
                json!({"participant_id": p}),
            )
            .await;
        let e = e.body["id"].as_i64().unwrap();
        for day in 1..=5 {
            let status = if i == 4 { "absent" } else { "present" };
            marks.push(json!({"enrolment_id": e, "day": day, "status": status}));
        }
        let token = app
            .user_token("participant", &format!("p{i}@example.org"), Some(p))
            .await;
        people.push((p, token));
    }
    let resp = app
        .put(
            &format!("/api/v1/workshops/{id}/attendance"),
            json!({"records": marks}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let resp = app
        .post(&format!("/api/v1/workshops/{id}/complete"), json!({}))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    (id, trainer, people)
}

async fn submit(
    app: &TestApp,
    token: &str,
    workshop: i64,
    body: Value,
) -> crate::helpers::TestResponse {
    app.with_token(token)
        .post(&format!("/api/v1/workshops/{workshop}/evaluations"), body)
        .await
}

async fn summary(app: &TestApp, workshop: i64) -> Value {
    let resp = app
        .get(&format!("/api/v1/workshops/{workshop}/evaluations/summary"))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    resp.body
}

#[tokio::test]
async fn a_participant_who_attended_evaluates_once_and_a_second_time_is_409() {
    let app = spawn_app().await;
    let (id, _, people) = evaluated_workshop(&app).await;
    let (ama, token) = &people[0];
    let body = json!({"ratings": ratings(4), "most_useful": "The role plays"});
    let resp = submit(&app, token, id, body.clone()).await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    assert_eq!(resp.body["participant_id"], *ama);
    assert_eq!(resp.body["workshop_id"], id);
    let again = submit(&app, token, id, body).await;
    let problem = again.assert_problem(409);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("already evaluated")
    );
    assert_eq!(summary(&app, id).await["responses"], 1);
}

#[tokio::test]
async fn an_admin_types_in_a_paper_form_naming_the_participant() {
    let app = spawn_app().await;
    let (id, _, people) = evaluated_workshop(&app).await;
    let without = app
        .post(
            &format!("/api/v1/workshops/{id}/evaluations"),
            json!({"ratings": ratings(3)}),
        )
        .await;
    without.assert_problem(422);
    assert!(without.field_error("participant_id").is_some());
    let resp = app
        .post(
            &format!("/api/v1/workshops/{id}/evaluations"),
            json!({"participant_id": people[1].0, "ratings": ratings(3)}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    // The participant cannot then submit a second one of their own.
    submit(&app, &people[1].1, id, json!({"ratings": ratings(5)}))
        .await
        .assert_problem(409);
}

#[tokio::test]
async fn only_those_who_attended_evaluate_and_only_their_own() {
    let app = spawn_app().await;
    let (id, trainer, people) = evaluated_workshop(&app).await;
    let absent = submit(&app, &people[4].1, id, json!({"ratings": ratings(2)})).await;
    let problem = absent.assert_problem(409);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("at least one day")
    );
    let for_other = submit(
        &app,
        &people[0].1,
        id,
        json!({"participant_id": people[1].0, "ratings": ratings(2)}),
    )
    .await;
    for_other.assert_problem(403);
    submit(&app, &trainer, id, json!({"ratings": ratings(2)}))
        .await
        .assert_problem(403);
    // A participant who held no seat there.
    let outsider = app.participant("Outsider").await;
    let token = app
        .user_token("participant", "outsider@example.org", Some(outsider))
        .await;
    submit(&app, &token, id, json!({"ratings": ratings(2)}))
        .await
        .assert_problem(409);
    assert_eq!(summary(&app, id).await["responses"], 0, "nothing stored");
}

#[tokio::test]
async fn a_workshop_cannot_be_evaluated_before_its_last_day_began() {
    let app = spawn_app().await;
    let course = app.course("EVF", 5).await;
    let w = app.workshop(course, &future_monday(), 10).await;
    let id = w["id"].as_i64().unwrap();
    let p = app.participant("Early Bird").await;
    app.post(
        &format!("/api/v1/workshops/{id}/enrolments"),
        json!({"participant_id": p}),
    )
    .await;
    let token = app
        .user_token("participant", "early@example.org", Some(p))
        .await;
    let resp = submit(&app, &token, id, json!({"ratings": ratings(5)})).await;
    let problem = resp.assert_problem(409);
    let last_day = w["days"][4]["date"].as_str().unwrap();
    assert!(
        problem["detail"].as_str().unwrap().contains(last_day),
        "{}",
        resp.text
    );
}

#[tokio::test]
async fn ratings_outside_one_to_five_and_wrong_topics_are_422_by_field() {
    let app = spawn_app().await;
    let (id, _, people) = evaluated_workshop(&app).await;
    let token = &people[0].1;
    let mut high = ratings(4);
    high["overall"] = json!(6);
    let resp = submit(&app, token, id, json!({"ratings": high})).await;
    resp.assert_problem(422);
    assert!(
        resp.field_error("ratings.overall").is_some() || resp.text.contains("overall"),
        "{}",
        resp.text
    );

    let mut zero_topic = ratings(4);
    zero_topic["topics"]["Trust"] = json!(0);
    let resp = submit(&app, token, id, json!({"ratings": zero_topic})).await;
    resp.assert_problem(422);
    assert!(
        resp.field_error("ratings.topics.Trust").is_some(),
        "{}",
        resp.text
    );

    let mut wrong = ratings(4);
    wrong["topics"].as_object_mut().unwrap().remove("Roles");
    wrong["topics"]["Cooking"] = json!(3);
    let resp = submit(&app, token, id, json!({"ratings": wrong})).await;
    resp.assert_problem(422);
    assert!(
        resp.field_error("ratings.topics.Cooking")
            .unwrap()
            .contains("not a topic")
    );
    assert!(
        resp.field_error("ratings.topics.Roles").is_none(),
        "an unrated topic is a blank, not an error: {}",
        resp.text
    );

    let resp = submit(
        &app,
        token,
        id,
        json!({"ratings": ratings(4), "suggestions": "hidden\u{202E}text"}),
    )
    .await;
    resp.assert_problem(422);
    assert!(resp.field_error("suggestions").unwrap().contains("U+202E"));
    assert_eq!(summary(&app, id).await["responses"], 0, "nothing stored");
}

#[tokio::test]
async fn the_summary_shows_only_the_count_below_three_responses_then_averages_and_comments() {
    let app = spawn_app().await;
    let (id, trainer, people) = evaluated_workshop(&app).await;
    let answers = [
        (5, Some("Handling complaints"), None),
        (4, None, Some("More practice time")),
        (2, Some("Meeting other councils"), None),
    ];
    for (i, (rating, useful, suggestion)) in answers.iter().enumerate() {
        let body =
            json!({"ratings": ratings(*rating), "most_useful": useful, "suggestions": suggestion});
        let resp = submit(&app, &people[i].1, id, body).await;
        assert_eq!(resp.status, 201, "{}", resp.text);
        let s = summary(&app, id).await;
        assert_eq!(s["responses"], i + 1);
        if i < 2 {
            assert_eq!(s["shown"], false);
            assert_eq!(s["questions"], json!([]));
            assert_eq!(s["most_useful"], json!([]));
        }
    }
    let s = app
        .with_token(&trainer)
        .get(&format!("/api/v1/workshops/{id}/evaluations/summary"))
        .await;
    assert_eq!(s.status, 200, "the workshop's trainer reads it: {}", s.text);
    let s = s.body;
    assert_eq!(s["shown"], true);
    let overall = &s["questions"][0];
    assert_eq!(overall["question"], "overall");
    assert_eq!(overall["responses"], 3);
    assert_eq!(overall["distribution"], json!([0, 1, 0, 1, 1]));
    assert!((overall["average"].as_f64().unwrap() - 3.67).abs() < 1e-9);
    let questions: Vec<&str> = s["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["question"].as_str().unwrap())
        .collect();
    assert_eq!(questions.len(), 4 + TOPICS.len());
    assert!(questions.contains(&"topic:Trust"));
    assert_eq!(
        s["most_useful"],
        json!(["Handling complaints", "Meeting other councils"])
    );
    assert_eq!(s["suggestions"], json!(["More practice time"]));
    let text = s.to_string();
    for name in ["Ama", "Ben", "Chipo"] {
        assert!(!text.contains(name), "the summary names nobody");
    }
}

#[tokio::test]
async fn trainers_of_other_workshops_and_participants_may_not_read_the_summary() {
    let app = spawn_app().await;
    let (id, _, people) = evaluated_workshop(&app).await;
    let other = app.user_token("trainer", "other@example.org", None).await;
    let path = format!("/api/v1/workshops/{id}/evaluations/summary");
    app.with_token(&other).get(&path).await.assert_problem(403);
    app.with_token(&people[0].1)
        .get(&path)
        .await
        .assert_problem(403);
    app.get("/api/v1/workshops/999999/evaluations/summary")
        .await
        .assert_problem(404);
}

#[tokio::test]
async fn the_csv_lists_responses_without_names_once_there_are_three() {
    let app = spawn_app().await;
    let (id, _, people) = evaluated_workshop(&app).await;
    let path = format!("/api/v1/workshops/{id}/evaluations.csv");
    for (i, (token, rating)) in [(&people[0].1, 5), (&people[1].1, 3)].iter().enumerate() {
        let body = json!({"ratings": ratings(*rating), "most_useful": format!("answer {i}")});
        assert_eq!(submit(&app, token, id, body).await.status, 201);
    }
    let (status, ct, body) = app.bytes(&path).await;
    assert_eq!(status, 200);
    assert!(ct.starts_with("text/csv"), "{ct}");
    let text = String::from_utf8(body).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header[0], "overall");
    assert!(header.contains(&"topic: Trust".to_owned()));
    assert_eq!(
        reader.records().count(),
        0,
        "below three responses: no rows"
    );

    let body = json!({"ratings": ratings(1), "suggestions": "More role plays"});
    assert_eq!(submit(&app, &people[2].1, id, body).await.status, 201);
    let (_, _, body) = app.bytes(&path).await;
    let text = String::from_utf8(body).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    let overall: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(
        overall,
        ["1", "3", "5"],
        "ordered by rating, not by who answered when"
    );
    for name in ["Ama", "Ben", "Chipo"] {
        assert!(!text.contains(name));
    }
}

#[tokio::test]
async fn the_audit_log_never_ties_an_evaluation_to_its_participant() {
    let app = spawn_app().await;
    let (id, _, people) = evaluated_workshop(&app).await;
    let (ama, token) = &people[0];
    let body = json!({"ratings": ratings(2), "suggestions": "Shorter lunch"});
    assert_eq!(submit(&app, token, id, body).await.status, 201);
    let entries = app.get("/api/v1/audit?limit=200").await;
    assert_eq!(entries.status, 200, "{}", entries.text);
    let evaluation_entries: Vec<&Value> = entries.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e.to_string().contains("evaluation"))
        .collect();
    assert_eq!(evaluation_entries.len(), 1, "{}", entries.text);
    let entry = evaluation_entries[0].to_string();
    let me = app.with_token(token).get("/api/v1/me").await.body;
    assert!(!entry.contains("participant_id"), "{entry}");
    assert!(!entry.contains("Shorter lunch"), "{entry}");
    assert!(
        !entry.contains(&format!("\"actor_id\":{}", me["id"])),
        "{entry}"
    );
    assert!(!entry.contains(me["name"].as_str().unwrap()), "{entry}");
    let _ = ama;
}
