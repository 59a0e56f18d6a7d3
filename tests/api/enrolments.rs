use std::collections::HashSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, future_monday, spawn_app};

async fn setup(capacity: i32) -> (TestApp, i64) {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let w = app.workshop(course, &future_monday(), capacity).await;
    (app, w["id"].as_i64().unwrap())
}

async fn participants(app: &TestApp, n: usize) -> Vec<i64> {
    let mut csv = String::from("full_name,target_group\n");
    for i in 0..n {
        csv.push_str(&format!("Participant {i},ratepayer\n"));
    }
    let resp = app
        .request_raw(
            Method::POST,
            "/api/v1/participants/import",
            "text/csv",
            &csv,
        )
        .await;
    assert_eq!(resp.body["created"], n as u64, "{}", resp.text);
    resp.body["participant_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect()
}

async fn workshop(app: &TestApp, id: i64) -> Value {
    app.get(&format!("/api/v1/workshops/{id}")).await.body
}

#[tokio::test]
async fn enrolment_beyond_capacity_goes_to_the_waitlist_in_order() {
    let (app, id) = setup(2).await;
    let people = participants(&app, 4).await;
    let mut statuses = vec![];
    for p in &people {
        let resp = app
            .post(
                &format!("/api/v1/workshops/{id}/enrolments"),
                json!({"participant_id": p}),
            )
            .await;
        assert_eq!(resp.status, 201, "{}", resp.text);
        statuses.push((
            resp.body["status"].clone(),
            resp.body.get("waitlist_position").cloned(),
        ));
    }
    assert_eq!(statuses[0], (json!("enrolled"), None));
    assert_eq!(statuses[1], (json!("enrolled"), None));
    assert_eq!(statuses[2], (json!("waitlisted"), Some(json!(1))));
    assert_eq!(statuses[3], (json!("waitlisted"), Some(json!(2))));
    let w = workshop(&app, id).await;
    assert_eq!(
        (
            w["seats_taken"].clone(),
            w["seats_left"].clone(),
            w["waitlist_count"].clone()
        ),
        (json!(2), json!(0), json!(2))
    );
}

#[tokio::test]
async fn enrolling_twice_or_in_a_workshop_that_is_not_scheduled_is_409() {
    let (app, id) = setup(35).await;
    let p = participants(&app, 1).await[0];
    let path = format!("/api/v1/workshops/{id}/enrolments");
    assert_eq!(
        app.post(&path, json!({"participant_id": p})).await.status,
        201
    );
    app.post(&path, json!({"participant_id": p}))
        .await
        .assert_problem(409);
    app.post(&path, json!({"participant_id": 999}))
        .await
        .assert_problem(422);
    app.post(
        "/api/v1/workshops/999/enrolments",
        json!({"participant_id": p}),
    )
    .await
    .assert_problem(404);

    let other = participants(&app, 1).await[0];
    app.post(&format!("/api/v1/workshops/{id}/start"), json!({}))
        .await;
    app.post(&path, json!({"participant_id": other}))
        .await
        .assert_problem(409);
    assert_eq!(app.get(&path).await.body["total"], 1);
}

#[tokio::test]
async fn withdrawing_promotes_the_first_waitlisted_participant() {
    let (app, id) = setup(1).await;
    let people = participants(&app, 3).await;
    let path = format!("/api/v1/workshops/{id}/enrolments");
    let mut ids = vec![];
    for p in &people {
        ids.push(
            app.post(&path, json!({"participant_id": p})).await.body["id"]
                .as_i64()
                .unwrap(),
        );
    }
    let resp = app.delete(&format!("{path}/{}", ids[0])).await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["withdrawn"]["status"], "withdrawn");
    assert_eq!(resp.body["promoted"]["id"], ids[1]);
    assert_eq!(resp.body["promoted"]["status"], "enrolled");
    let third = app.get(&format!("{path}/{}", ids[2])).await;
    assert_eq!(third.body["waitlist_position"], 1);

    app.delete(&format!("{path}/{}", ids[0]))
        .await
        .assert_problem(409);
    app.delete(&format!("{path}/999")).await.assert_problem(404);
    // A waitlisted participant who withdraws frees no seat.
    let resp = app.delete(&format!("{path}/{}", ids[2])).await;
    assert_eq!(resp.body["promoted"], Value::Null);
    let w = workshop(&app, id).await;
    assert_eq!(
        (w["seats_taken"].clone(), w["waitlist_count"].clone()),
        (json!(1), json!(0))
    );
    // A withdrawn participant may enrol again, at the back of the queue.
    let again = app.post(&path, json!({"participant_id": people[0]})).await;
    assert_eq!(again.status, 201, "{}", again.text);
    assert_eq!(again.body["status"], "waitlisted");
    let log = app
        .get(&format!(
            "/api/v1/audit?entity=enrolment&entity_id={}",
            ids[1]
        ))
        .await;
    let actions: Vec<&str> = log.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["promote", "enrol"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_enrolments_fill_exactly_35_seats_and_queue_the_rest() {
    let (app, id) = setup(35).await;
    let people = participants(&app, 200).await;
    let path = format!("{}/api/v1/workshops/{id}/enrolments", app.base);
    let mut tasks = vec![];
    for p in people {
        let client = app.client.clone();
        let (path, token) = (path.clone(), app.admin_token.clone());
        tasks.push(tokio::spawn(async move {
            let resp = client
                .post(&path)
                .bearer_auth(token)
                .json(&json!({"participant_id": p}))
                .send()
                .await
                .unwrap();
            let status = resp.status().as_u16();
            (status, resp.json::<Value>().await.unwrap())
        }));
    }
    let mut enrolled = 0;
    let mut positions = vec![];
    for task in tasks {
        let (status, body) = task.await.unwrap();
        assert_eq!(status, 201, "{body}");
        match body["status"].as_str().unwrap() {
            "enrolled" => enrolled += 1,
            "waitlisted" => positions.push(body["waitlist_position"].as_u64().unwrap()),
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(enrolled, 35);
    positions.sort();
    assert_eq!(
        positions,
        (1..=165).collect::<Vec<u64>>(),
        "positions 1..=165 without gaps or repeats"
    );
    let w = workshop(&app, id).await;
    assert_eq!(
        (w["seats_taken"].clone(), w["waitlist_count"].clone()),
        (json!(35), json!(165))
    );
    let (counted_enrolled, counted_waitlisted) =
        cssd::services::workshops::enrolment_counts(&app.state.db, id)
            .await
            .unwrap();
    assert_eq!((counted_enrolled, counted_waitlisted), (35, 165));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_withdrawals_racing_fifty_enrolments_never_overfill_or_skip_the_queue() {
    let (app, id) = setup(35).await;
    let people = participants(&app, 135).await;
    let path = format!("/api/v1/workshops/{id}/enrolments");
    let mut enrolment_ids = vec![];
    for p in &people[..85] {
        enrolment_ids.push(
            app.post(&path, json!({"participant_id": p})).await.body["id"]
                .as_i64()
                .unwrap(),
        );
    }
    // 35 seated, 50 waiting. Now 50 of everyone withdraw while 50 newcomers enrol.
    let url = format!("{}{path}", app.base);
    let mut tasks = vec![];
    for (i, e) in enrolment_ids.iter().take(50).enumerate() {
        let (client, token, url, e) =
            (app.client.clone(), app.admin_token.clone(), url.clone(), *e);
        let newcomer = people[85 + i];
        tasks.push(tokio::spawn(async move {
            let w = client
                .delete(format!("{url}/{e}"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16();
            let n = client
                .post(&url)
                .bearer_auth(&token)
                .json(&json!({"participant_id": newcomer}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16();
            (w, n)
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), (200, 201));
    }
    let all = app.get(&format!("{path}?limit=200")).await.body;
    let items = all["items"].as_array().unwrap();
    let enrolled: Vec<&Value> = items.iter().filter(|e| e["status"] == "enrolled").collect();
    let waiting: Vec<&Value> = items
        .iter()
        .filter(|e| e["status"] == "waitlisted")
        .collect();
    assert_eq!(enrolled.len(), 35, "the cap holds");
    assert_eq!(waiting.len(), 50);
    // Nobody is skipped: every participant still waiting arrived after every participant seated
    // from the waitlist (queue order is arrival order; the list is in queue order).
    let withdrawn: HashSet<i64> = enrolment_ids.iter().take(50).copied().collect();
    let original_waiting: Vec<i64> = enrolment_ids[35..]
        .iter()
        .copied()
        .filter(|e| !withdrawn.contains(e))
        .collect();
    let seated: HashSet<i64> = enrolled.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    for e in &original_waiting {
        assert!(
            seated.contains(e),
            "original waitlisted enrolment {e} should have been seated before newcomers"
        );
    }
    let positions: Vec<u64> = waiting
        .iter()
        .map(|e| e["waitlist_position"].as_u64().unwrap())
        .collect();
    assert_eq!(positions, (1..=50).collect::<Vec<u64>>());
}

#[tokio::test]
async fn a_participant_sees_their_own_enrolments() {
    let (app, id) = setup(35).await;
    let p = participants(&app, 1).await[0];
    app.post(
        &format!("/api/v1/workshops/{id}/enrolments"),
        json!({"participant_id": p}),
    )
    .await;
    let token = app
        .user_token("participant", "p@example.org", Some(p))
        .await;
    let mine = app.with_token(&token).get("/api/v1/me/enrolments").await;
    assert_eq!(mine.status, 200);
    assert_eq!(mine.body["total"], 1);
    assert_eq!(mine.body["items"][0]["workshop_id"], id);
    app.with_token(&token)
        .get(&format!("/api/v1/workshops/{id}/enrolments"))
        .await
        .assert_problem(403);
}
