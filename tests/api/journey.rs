//! The mail a participant receives, through a real SMTP receiver: each kind at most once per
//! enrolment whatever repeats, none to participants without an address, the `.ics` attached.

use std::{collections::HashMap, sync::Arc, time::Duration};

use chrono::{Days, NaiveDate};
use mail_parser::{Message, MessageParser, MimeHeaders};
use serde_json::{Value, json};

use crate::{
    helpers::{TestApp, eventually, future_monday, spawn_app_with},
    smtp::SmtpServer,
};

const REPLY_TO: &str = "training-desk@iwsd.example.org";

async fn mail_app(server: &SmtpServer) -> TestApp {
    let port = server.addr.port();
    spawn_app_with(|c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        c.mail_poll_interval = Duration::from_millis(100);
        c.mail_retry_base = Duration::from_millis(200);
        c.mail_reply_to = Some(REPLY_TO.into());
    })
    .await
}

/// Creates a participant, with an email address when `email` is given.
async fn person(app: &TestApp, name: &str, email: Option<&str>) -> i64 {
    let resp = app
        .post(
            "/api/v1/participants",
            json!({"full_name": name, "email": email, "target_group": "councillor"}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    resp.body["id"].as_i64().unwrap()
}

async fn enrol(app: &TestApp, workshop: i64, participant: i64) -> Value {
    let resp = app
        .post(
            &format!("/api/v1/workshops/{workshop}/enrolments"),
            json!({"participant_id": participant}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    resp.body
}

async fn withdraw(app: &TestApp, workshop: i64, enrolment: i64) {
    let resp = app
        .delete(&format!(
            "/api/v1/workshops/{workshop}/enrolments/{enrolment}"
        ))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
}

/// The outbox entries of `kind`.
async fn outbox(app: &TestApp, kind: &str) -> Vec<Value> {
    let resp = app
        .get(&format!("/api/v1/emails?kind={kind}&limit=200"))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    resp.body["items"].as_array().unwrap().clone()
}

/// Every message the receiver got, parsed, by (recipient, subject prefix).
fn received(server: &SmtpServer) -> Vec<(String, Message<'static>)> {
    server
        .messages()
        .into_iter()
        .map(|m| {
            let parsed = MessageParser::default()
                .parse(&m.data)
                .expect("a parsable message")
                .into_owned();
            (m.to.join(","), parsed)
        })
        .collect()
}

async fn all_sent(app: &TestApp) {
    eventually("every queued message sent", || async {
        let resp = app.get("/api/v1/emails?status=queued").await;
        resp.body["total"] == 0
    })
    .await;
}

#[tokio::test]
async fn each_step_mails_the_participant_once_even_when_they_withdraw_and_enrol_again() {
    let server = SmtpServer::start(0, None).await;
    let app = mail_app(&server).await;
    let course = app.course("JRN", 5).await;
    let w = app.workshop(course, &future_monday(), 1).await;
    let id = w["id"].as_i64().unwrap();
    let ama = person(&app, "Ama Dube", Some("ama@example.org")).await;
    let ben = person(&app, "Ben Moyo", Some("ben@example.org")).await;
    let chi = person(&app, "Chipo Banda", None).await;

    let ama_e = enrol(&app, id, ama).await; // the seat
    assert_eq!(ama_e["status"], "enrolled");
    let ben_e = enrol(&app, id, ben).await; // waitlist 1
    assert_eq!(ben_e["waitlist_position"], 1);
    enrol(&app, id, chi).await; // waitlist 2, no address
    let ama_id = ama_e["id"].as_i64().unwrap();
    withdraw(&app, id, ama_id).await; // Ben is promoted
    // Ama comes back twice: one waitlist notice for her enrolment, however often it repeats.
    enrol(&app, id, ama).await;
    withdraw(&app, id, ama_id).await;
    let again = enrol(&app, id, ama).await;
    assert_eq!(again["id"], ama_e["id"], "the same enrolment comes back");
    let resp = app
        .post(&format!("/api/v1/workshops/{id}/cancel"), json!({}))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);

    let count = |items: &[Value], to: &str| items.iter().filter(|m| m["recipient"] == to).count();
    let confirmations = outbox(&app, "enrolment_confirmation").await;
    let notices = outbox(&app, "waitlist_notice").await;
    let promotions = outbox(&app, "promotion").await;
    let cancellations = outbox(&app, "cancellation").await;
    assert_eq!(confirmations.len(), 1);
    assert_eq!(count(&confirmations, "ama@example.org"), 1);
    assert_eq!(notices.len(), 2, "Ben once, Ama once: {notices:?}");
    assert_eq!(count(&notices, "ama@example.org"), 1);
    assert_eq!(promotions.len(), 1);
    assert_eq!(count(&promotions, "ben@example.org"), 1);
    assert_eq!(
        cancellations.len(),
        2,
        "both holders of a place: {cancellations:?}"
    );
    let all = app.get("/api/v1/emails?limit=200").await.body;
    assert_eq!(all["total"], 6, "Chipo, without an address, got nothing");
    assert!(
        all["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["enrolment_id"].is_i64())
    );

    all_sent(&app).await;
    let messages = received(&server);
    assert_eq!(messages.len(), 6);
    assert!(messages.iter().all(|(to, _)| !to.is_empty()));
    for (_, m) in &messages {
        let reply_to = m
            .reply_to()
            .and_then(|r| r.first())
            .and_then(|a| a.address());
        assert_eq!(reply_to, Some(REPLY_TO));
        assert!(m.body_html(0).is_some() && m.body_text(0).is_some());
    }
    let (_, waitlist) = messages
        .iter()
        .find(|(to, m)| to == "ben@example.org" && m.subject().unwrap().contains("waitlist"))
        .expect("Ben's waitlist notice");
    assert!(waitlist.body_text(0).unwrap().contains("position 1"));
    let (_, cancelled) = messages
        .iter()
        .find(|(to, m)| to == "ama@example.org" && m.subject().unwrap().starts_with("Cancelled"))
        .expect("Ama's cancellation");
    assert!(
        cancelled
            .body_text(0)
            .unwrap()
            .contains("Town House, Harare")
    );
}

#[tokio::test]
async fn the_confirmation_carries_dates_venue_schedule_and_an_ics_that_parses() {
    let server = SmtpServer::start(0, None).await;
    let app = mail_app(&server).await;
    let course = app.course("ICS", 5).await;
    let start = future_monday();
    let w = app.workshop(course, &start, 10).await;
    let id = w["id"].as_i64().unwrap();
    let p = person(&app, "Zoë Ndlovu", Some("zoe@example.org")).await;
    enrol(&app, id, p).await;
    all_sent(&app).await;

    let messages = received(&server);
    assert_eq!(messages.len(), 1);
    let (to, m) = &messages[0];
    assert_eq!(to, "zoe@example.org");
    assert!(m.subject().unwrap().contains("Course ICS (ICS)"));
    let text = m.body_text(0).unwrap();
    let start_date: NaiveDate = start.parse().unwrap();
    assert!(text.contains("Dear Zoë Ndlovu"));
    assert!(text.contains(&start_date.format("%A %-d %B %Y").to_string()));
    assert!(text.contains("Town House, Harare"));
    assert!(text.contains("Day 5,"), "the day-by-day schedule: {text}");
    let ics = m
        .attachments()
        .find(|a| a.attachment_name().is_some_and(|n| n.ends_with(".ics")))
        .expect("the workshop's .ics is attached");
    let calendar: icalendar::Calendar = std::str::from_utf8(ics.contents())
        .unwrap()
        .parse()
        .expect("the .ics parses");
    use icalendar::{Calendar, CalendarComponent, Component, EventLike};
    let events = |calendar: &Calendar| -> Vec<icalendar::Event> {
        calendar
            .components
            .iter()
            .filter_map(|c| match c {
                CalendarComponent::Event(e) => Some(e.clone()),
                _ => None,
            })
            .collect()
    };
    let attached = events(&calendar);
    assert_eq!(attached.len(), 5, "one event per workshop day");
    assert_eq!(attached[0].get_location(), Some("Town House, Harare"));
    assert!(attached[0].get_summary().unwrap().contains("day 1 of 5"));
    // The same events as the calendar the API serves, so calendars do not show them twice.
    let served = app
        .get(&format!("/api/v1/workshops/{id}/calendar.ics"))
        .await;
    let served: Calendar = served.text.parse().expect("the served calendar parses");
    let uids = |events: Vec<icalendar::Event>| -> Vec<String> {
        events
            .iter()
            .map(|e| e.get_uid().unwrap().to_owned())
            .collect()
    };
    assert_eq!(uids(attached), uids(events(&served)));
}

#[tokio::test]
async fn a_retried_enrolment_queues_no_second_confirmation() {
    let server = SmtpServer::start(0, None).await;
    let app = mail_app(&server).await;
    let course = app.course("RTY", 5).await;
    let w = app.workshop(course, &future_monday(), 10).await;
    let id = w["id"].as_i64().unwrap();
    let p = person(&app, "Tari Moyo", Some("tari@example.org")).await;
    let path = format!("/api/v1/workshops/{id}/enrolments");
    for _ in 0..2 {
        let resp = app
            .client
            .post(format!("{}{path}", app.base))
            .bearer_auth(&app.admin_token)
            .header("Idempotency-Key", "enrol-tari-once")
            .json(&json!({"participant_id": p}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 201);
    }
    // Without the key the retry is refused, and queues nothing either.
    let again = app.post(&path, json!({"participant_id": p})).await;
    again.assert_problem(409);
    assert_eq!(outbox(&app, "enrolment_confirmation").await.len(), 1);
    all_sent(&app).await;
    assert_eq!(server.messages().len(), 1);
}

/// A clock the reminder job reads, fixed at `date`.
fn clock(date: NaiveDate) -> cssd::services::participant_mail::Clock {
    Arc::new(move || date)
}

#[tokio::test]
async fn reminders_go_once_even_when_two_instances_run_the_job_at_once() {
    let server = SmtpServer::start(0, None).await;
    let app = mail_app(&server).await;
    let course = app.course("REM", 5).await;
    // Far enough ahead that the server's own job (on today's date) leaves it alone.
    let start: NaiveDate = future_monday().parse::<NaiveDate>().unwrap() + Days::new(28);
    let w = app.workshop(course, &start.to_string(), 2).await;
    let id = w["id"].as_i64().unwrap();
    let a = person(&app, "Ama Dube", Some("ama@example.org")).await;
    let b = person(&app, "Ben Moyo", None).await;
    let c = person(&app, "Chipo Banda", Some("chipo@example.org")).await;
    for p in [a, b, c] {
        enrol(&app, id, p).await; // Chipo is waitlisted: no reminder for her
    }

    let db = app.state.db.clone();
    let other_instance = cssd::db::connect(&app.state.config.database_url, 4)
        .await
        .expect("a second instance's pool");
    let url = app.state.config.public_url.clone();
    let three_days_before = start - Days::new(3);
    let queued = cssd::services::participant_mail::queue_reminders(&db, three_days_before, 2, &url)
        .await
        .unwrap();
    assert_eq!(
        queued, 0,
        "three days before is too early for a 2-day reminder"
    );

    let two_days_before = start - Days::new(2);
    let (first, second) = tokio::join!(
        cssd::services::participant_mail::queue_reminders(&db, two_days_before, 2, &url),
        cssd::services::participant_mail::queue_reminders(
            &other_instance,
            two_days_before,
            2,
            &url
        ),
    );
    assert_eq!(
        first.unwrap() + second.unwrap(),
        1,
        "one reminder between them"
    );
    // The scheduled job itself, on a clock set to the day before, adds nothing more.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let job = app.state.reminder_job(clock(start - Days::new(1)));
    let running = tokio::spawn(job.run(stopped));
    eventually("the reminder sent", || async {
        app.get("/api/v1/emails?kind=reminder&status=sent")
            .await
            .body["total"]
            == 1
    })
    .await;
    stop.send(true).unwrap();
    running.await.unwrap();

    let reminders = outbox(&app, "reminder").await;
    assert_eq!(reminders.len(), 1);
    assert_eq!(reminders[0]["recipient"], "ama@example.org");
    all_sent(&app).await;
    let got: HashMap<String, usize> =
        received(&server)
            .into_iter()
            .fold(HashMap::new(), |mut acc, (to, m)| {
                if m.subject().unwrap().starts_with("Reminder") {
                    *acc.entry(to).or_default() += 1;
                }
                acc
            });
    assert_eq!(got, HashMap::from([("ama@example.org".to_owned(), 1)]));
}

#[tokio::test]
async fn the_reminder_job_on_a_clock_queues_reminders_by_itself() {
    let server = SmtpServer::start(0, None).await;
    let app = mail_app(&server).await;
    let course = app.course("JOB", 5).await;
    let start: NaiveDate = future_monday().parse::<NaiveDate>().unwrap() + Days::new(35);
    let w = app.workshop(course, &start.to_string(), 5).await;
    let id = w["id"].as_i64().unwrap();
    let p = person(&app, "Rudo Chari", Some("rudo@example.org")).await;
    enrol(&app, id, p).await;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let job = app.state.reminder_job(clock(start - Days::new(2)));
    let running = tokio::spawn(job.run(stopped));
    eventually("a reminder queued by the job", || async {
        app.get("/api/v1/emails?kind=reminder").await.body["total"] == 1
    })
    .await;
    stop.send(true).unwrap();
    running.await.unwrap();
    all_sent(&app).await;
    let reminder = received(&server)
        .into_iter()
        .find(|(_, m)| m.subject().unwrap().starts_with("Reminder"))
        .expect("the reminder arrived");
    assert!(reminder.1.body_text(0).unwrap().contains("Day 1,"));
}

#[tokio::test]
async fn completion_asks_only_those_who_attended_to_evaluate() {
    let server = SmtpServer::start(0, None).await;
    let app = mail_app(&server).await;
    let course = app.course("EVQ", 5).await;
    let w = app
        .post(
            "/api/v1/workshops",
            json!({"course_id": course, "level": "tot", "venue": "Civic Centre, Gweru",
                   "start_date": "2026-03-02"}),
        )
        .await;
    let id = w.body["id"].as_i64().unwrap();
    let came = person(&app, "Came Once", Some("came@example.org")).await;
    let absent = person(&app, "Always Absent", Some("absent@example.org")).await;
    let unmarked = person(&app, "Never Marked", Some("unmarked@example.org")).await;
    let came_e = enrol(&app, id, came).await["id"].as_i64().unwrap();
    let absent_e = enrol(&app, id, absent).await["id"].as_i64().unwrap();
    enrol(&app, id, unmarked).await;
    let marks = json!({"records": [
        {"enrolment_id": came_e, "day": 1, "status": "late"},
        {"enrolment_id": came_e, "day": 2, "status": "absent"},
        {"enrolment_id": absent_e, "day": 1, "status": "absent"},
        {"enrolment_id": absent_e, "day": 2, "status": "excused"},
    ]});
    let resp = app
        .put(&format!("/api/v1/workshops/{id}/attendance"), marks)
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let resp = app
        .post(&format!("/api/v1/workshops/{id}/complete"), json!({}))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);

    let requests = outbox(&app, "evaluation_request").await;
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0]["recipient"], "came@example.org");
    // A workshop recorded after the fact sends no news of enrolment.
    let all = app.get("/api/v1/emails").await.body;
    assert_eq!(all["total"], 1, "{all}");
    all_sent(&app).await;
    let messages = received(&server);
    assert_eq!(messages.len(), 1);
    let text = messages[0].1.body_text(0).unwrap().into_owned();
    assert!(
        text.contains(&format!("/portal/workshops/{id}/evaluation")),
        "{text}"
    );
    assert!(text.contains("Civic Centre, Gweru"));
}

#[tokio::test]
async fn more_capacity_promotes_the_waitlist_and_tells_each_promoted_participant() {
    let server = SmtpServer::start(0, None).await;
    let app = mail_app(&server).await;
    let course = app.course("CAP", 5).await;
    let w = app.workshop(course, &future_monday(), 1).await;
    let id = w["id"].as_i64().unwrap();
    let first = person(&app, "First Seat", Some("first@example.org")).await;
    let second = person(&app, "Second Inline", Some("second@example.org")).await;
    let third = person(&app, "Third Inline", Some("third@example.org")).await;
    for p in [first, second, third] {
        enrol(&app, id, p).await;
    }
    let resp = app
        .patch(&format!("/api/v1/workshops/{id}"), json!({"capacity": 3}))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let promotions = outbox(&app, "promotion").await;
    let mut to: Vec<&str> = promotions
        .iter()
        .map(|m| m["recipient"].as_str().unwrap())
        .collect();
    to.sort_unstable();
    assert_eq!(to, ["second@example.org", "third@example.org"]);
    all_sent(&app).await;
    let promoted = received(&server)
        .into_iter()
        .filter(|(_, m)| m.subject().unwrap().starts_with("A place came free"))
        .count();
    assert_eq!(promoted, 2);
}

#[tokio::test]
async fn mail_queued_by_an_api_request_goes_out_without_waiting_for_the_workers_poll() {
    // The worker polls once an hour here: only the commit's wake-up can send the mail in time.
    let server = SmtpServer::start(0, None).await;
    let port = server.addr.port();
    let app = spawn_app_with(|c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        c.mail_poll_interval = Duration::from_secs(3600);
    })
    .await;
    let course = app.course("CSSD-WAKE", 5).await;
    let workshop = app.workshop(course, &future_monday(), 35).await["id"]
        .as_i64()
        .unwrap();
    let person = person(&app, "Tendai Wake", Some("tendai.wake@example.org")).await;
    enrol(&app, workshop, person).await;
    eventually("the confirmation reaches the receiver", || async {
        received(&server)
            .iter()
            .any(|(to, _)| to.contains("tendai.wake@example.org"))
    })
    .await;
    // The receiver has it before the worker records the hand-over: wait for the record too.
    eventually("the outbox records it as sent", || async {
        outbox(&app, "enrolment_confirmation").await[0]["status"] == "sent"
    })
    .await;
}
