//! Renewal reminders: trainers are mailed `CSSD_RENEWAL_REMINDER_DAYS` before their ToT
//! certificate lapses, once per certificate, by a job on a controllable clock.

use std::{sync::Arc, time::Duration};

use chrono::NaiveDate;
use serde_json::json;

use crate::helpers::{TestApp, eventually, spawn_app_with};

fn clock(date: NaiveDate) -> cssd::services::participant_mail::Clock {
    Arc::new(move || date)
}

async fn reminders(app: &TestApp) -> Vec<serde_json::Value> {
    let resp = app
        .get("/api/v1/emails?kind=renewal_reminder&limit=200")
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    resp.body["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_trainer_is_reminded_once_before_the_tot_certificate_lapses() {
    let app = spawn_app_with(|c| {
        c.renewal_reminder_days = 60;
        c.reminder_interval = Duration::from_millis(50);
    })
    .await;
    let course = app.course("RN", 5).await;
    let resp = app
        .patch(
            &format!("/api/v1/courses/{course}"),
            json!({"trainer_certificate_valid_months": 12}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    // The ToT workshop runs 2 – 6 March 2026: certified to train until 6 March 2027.
    let (w, people) = app
        .completed_workshop(
            course,
            "tot",
            None,
            &[],
            &[("Nomvula Ndlovu", Some(90.0)), ("Rudo Dube", Some(90.0))],
        )
        .await;
    for (i, (p, _)) in people.iter().enumerate() {
        app.patch(
            &format!("/api/v1/participants/{p}"),
            json!({"email": format!("trainer{i}@example.org")}),
        )
        .await;
    }
    let issued = app
        .post(&format!("/api/v1/workshops/{w}/certificates"), json!({}))
        .await;
    assert_eq!(issued.status, 200, "{}", issued.text);
    // Rudo's certificate is revoked: no reminder for a certificate that no longer stands.
    let rudo = issued.body["issued"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["participant_id"] == people[1].0)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    app.post(
        &format!("/api/v1/certificates/{rudo}/revoke"),
        json!({"reason": "Issued in error"}),
    )
    .await;

    let db = app.state.db.clone();
    let url = app.state.config.public_url_trimmed().to_owned();
    let run = |today: &str| {
        let (db, url) = (db.clone(), url.clone());
        let today: NaiveDate = today.parse().unwrap();
        async move {
            cssd::services::renewals::queue_renewal_reminders(&db, today, 60, &url)
                .await
                .unwrap()
        }
    };
    // 61 days before: too early. 60 days before: due. Again, or a day later: nothing more.
    assert_eq!(run("2027-01-04").await, 0);
    assert!(reminders(&app).await.is_empty());
    assert_eq!(run("2027-01-05").await, 1);
    assert_eq!(run("2027-01-05").await, 0);
    assert_eq!(run("2027-02-01").await, 0);
    // After it lapsed there is nothing to remind of.
    assert_eq!(run("2027-03-07").await, 0);

    let sent = reminders(&app).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["recipient"], "trainer0@example.org");
    let subject = sent[0]["subject"].as_str().unwrap();
    assert!(subject.contains("6 March 2027"), "{subject}");
}

#[tokio::test]
async fn the_renewal_job_on_a_clock_queues_by_itself_and_skips_a_trainer_already_renewed() {
    let app = spawn_app_with(|c| {
        c.renewal_reminder_days = 30;
        c.reminder_interval = Duration::from_millis(50);
    })
    .await;
    let course = app.course("RJ", 5).await;
    app.patch(
        &format!("/api/v1/courses/{course}"),
        json!({"trainer_certificate_valid_months": 12}),
    )
    .await;
    let (first, people) = app
        .completed_workshop(
            course,
            "tot",
            None,
            &[],
            &[("Tafadzwa Chikwanha", Some(90.0))],
        )
        .await;
    app.patch(
        &format!("/api/v1/participants/{}", people[0].0),
        json!({"email": "tafadzwa@example.org"}),
    )
    .await;
    app.post(
        &format!("/api/v1/workshops/{first}/certificates"),
        json!({}),
    )
    .await;

    let (stop, stopped) = tokio::sync::watch::channel(false);
    let today: NaiveDate = "2027-02-20".parse().unwrap();
    let job = app.state.renewal_job(clock(today));
    let running = tokio::spawn(job.run(stopped));
    eventually("a renewal reminder queued by the job", || async {
        reminders(&app).await.len() == 1
    })
    .await;
    stop.send(true).unwrap();
    running.await.unwrap();
    let body = app.get("/api/v1/emails?kind=renewal_reminder").await.body["items"][0].clone();
    assert_eq!(body["recipient"], "tafadzwa@example.org");

    // A second holder who renewed (a later ToT certificate of the course) is not reminded.
    let other = app.course("RK", 5).await;
    app.patch(
        &format!("/api/v1/courses/{other}"),
        json!({"trainer_certificate_valid_months": 12}),
    )
    .await;
    let (early, holders) = app
        .completed_workshop(other, "tot", None, &[], &[("Chipo Mutasa", Some(90.0))])
        .await;
    app.patch(
        &format!("/api/v1/participants/{}", holders[0].0),
        json!({"email": "chipo@example.org"}),
    )
    .await;
    app.post(
        &format!("/api/v1/workshops/{early}/certificates"),
        json!({}),
    )
    .await;
    let later = app
        .post(
            "/api/v1/workshops",
            json!({"course_id": other, "level": "tot", "venue": "Town House, Harare",
                   "start_date": "2026-09-07"}),
        )
        .await;
    assert_eq!(later.status, 201, "{}", later.text);
    let later = later.body["id"].as_i64().unwrap();
    let e = app
        .post(
            &format!("/api/v1/workshops/{later}/enrolments"),
            json!({"participant_id": holders[0].0}),
        )
        .await;
    assert_eq!(e.status, 201, "{}", e.text);
    let e = e.body["id"].as_i64().unwrap();
    let marks: Vec<_> = (1..=5)
        .map(|day| json!({"enrolment_id": e, "day": day, "status": "present"}))
        .collect();
    app.put(
        &format!("/api/v1/workshops/{later}/attendance"),
        json!({"records": marks}),
    )
    .await;
    app.put(
        &format!("/api/v1/workshops/{later}/assessments"),
        json!({"records": [{"enrolment_id": e, "kind": "post_test", "score": 90, "max_score": 100}]}),
    )
    .await;
    app.post(&format!("/api/v1/workshops/{later}/complete"), json!({}))
        .await;
    let renewed = app
        .post(
            &format!("/api/v1/workshops/{later}/certificates"),
            json!({}),
        )
        .await;
    assert_eq!(
        renewed.body["issued"].as_array().unwrap().len(),
        1,
        "{}",
        renewed.text
    );
    let queued = cssd::services::renewals::queue_renewal_reminders(
        &app.state.db,
        today,
        30,
        app.state.config.public_url_trimmed(),
    )
    .await
    .unwrap();
    assert_eq!(queued, 0, "Chipo renewed; Tafadzwa was reminded already");
}
