use std::time::Duration;

use mail_parser::{MessageParser, MimeHeaders};
use serde_json::{Value, json};

use crate::{
    helpers::{TestApp, eventually, spawn_app_with},
    smtp::{SmtpServer, free_port},
};

async fn emails(app: &TestApp, status: &str) -> Value {
    app.get(&format!("/api/v1/emails?status={status}"))
        .await
        .body
}

/// A completed workshop whose named participants (with emails) earned certificates.
async fn certified(app: &TestApp, names: &[&str]) -> (i64, Value) {
    let course = app.course("WQ", 5).await;
    let people: Vec<(&str, Option<f64>)> = names.iter().map(|n| (*n, Some(80.0))).collect();
    let (workshop, ids) = app
        .completed_workshop(course, "tot", None, &[], &people)
        .await;
    for ((pid, _), name) in ids.iter().zip(names) {
        let email = format!(
            "{}@example.org",
            name.split(' ').next().unwrap().to_lowercase()
        );
        let resp = app
            .patch(
                &format!("/api/v1/participants/{pid}"),
                json!({"email": email}),
            )
            .await;
        assert_eq!(resp.status, 200, "{}", resp.text);
    }
    let issued = app
        .post(
            &format!("/api/v1/workshops/{workshop}/certificates"),
            json!({}),
        )
        .await;
    assert_eq!(issued.status, 200, "{}", issued.text);
    (workshop, issued.body)
}

fn fast_mail(config: &mut cssd::Config, smtp_port: Option<u16>) {
    config.smtp_url = smtp_port.map(|p| format!("smtp://127.0.0.1:{p}"));
    config.mail_poll_interval = Duration::from_millis(100);
    config.mail_retry_base = Duration::from_millis(200);
}

#[tokio::test]
async fn certificates_arrive_by_smtp_with_the_pdf_byte_for_byte() {
    let server = SmtpServer::start(0, None).await;
    let app = spawn_app_with(|c| fast_mail(c, Some(server.addr.port()))).await;
    let (_, issued) = certified(&app, &["Tendai Moyo", "Rudo Dube"]).await;
    assert_eq!(issued["emails_queued"], 2);
    eventually("both messages sent", || async {
        emails(&app, "sent").await["total"] == 2
    })
    .await;

    let messages = server.messages();
    assert_eq!(messages.len(), 2);
    for cert in issued["issued"].as_array().unwrap() {
        let holder = cert["holder_name"].as_str().unwrap();
        let address = format!(
            "{}@example.org",
            holder.split(' ').next().unwrap().to_lowercase()
        );
        let received = messages
            .iter()
            .find(|m| m.to == [address.clone()])
            .expect("a message to the holder");
        let parsed = MessageParser::default()
            .parse(&received.data)
            .expect("a parsable message");
        assert!(parsed.subject().unwrap().contains("Course WQ"));
        assert_eq!(
            parsed.to().unwrap().first().unwrap().address().unwrap(),
            address
        );
        assert!(
            parsed
                .body_text(0)
                .unwrap()
                .contains(cert["verification_url"].as_str().unwrap())
        );
        let attachment = parsed
            .attachments()
            .next()
            .expect("the certificate is attached");
        assert_eq!(
            attachment.attachment_name(),
            Some(format!("certificate-{}.pdf", cert["number"].as_str().unwrap()).as_str())
        );
        let (_, _, pdf) = app
            .bytes(&format!("/api/v1/certificates/{}/pdf", cert["id"]))
            .await;
        assert_eq!(
            attachment.contents(),
            pdf.as_slice(),
            "the attachment is the PDF as issued"
        );
    }
}

#[tokio::test]
async fn an_smtp_outage_delays_mail_and_each_message_arrives_exactly_once() {
    let port = free_port();
    let app = spawn_app_with(|c| fast_mail(c, Some(port))).await;
    let (_, issued) = certified(&app, &["Tendai Moyo", "Rudo Dube", "Farai Banda"]).await;
    assert_eq!(issued["emails_queued"], 3);
    // Nothing listens yet: the worker fails, records why, and keeps the messages queued.
    eventually("failed attempts recorded", || async {
        let queued = emails(&app, "queued").await;
        queued["total"] == 3
            && queued["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m["attempts"].as_i64().unwrap() >= 1 && m["last_error"].is_string())
    })
    .await;
    let server = SmtpServer::start(port, None).await;
    // Sent means handed over and recorded (after the server took it); with nothing left queued
    // the worker has nothing more it could send, so what the server holds now is final.
    eventually("all messages sent", || async {
        emails(&app, "sent").await["total"] == 3 && emails(&app, "queued").await["total"] == 0
    })
    .await;
    let messages = server.messages();
    assert_eq!(messages.len(), 3, "each message exactly once");
    let mut ids: Vec<String> = messages
        .iter()
        .map(|m| {
            MessageParser::default()
                .parse(&m.data)
                .unwrap()
                .message_id()
                .unwrap()
                .to_owned()
        })
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3);
}

#[tokio::test]
async fn a_permanent_refusal_fails_the_message_at_once() {
    let server = SmtpServer::start(0, Some("550 no such user")).await;
    let app = spawn_app_with(|c| fast_mail(c, Some(server.addr.port()))).await;
    certified(&app, &["Tendai Moyo"]).await;
    eventually("the message failed", || async {
        emails(&app, "failed").await["total"] == 1
    })
    .await;
    let failed = emails(&app, "failed").await;
    assert_eq!(failed["items"][0]["attempts"], 1);
    assert!(
        failed["items"][0]["last_error"]
            .as_str()
            .unwrap()
            .contains("550"),
        "{failed}"
    );
}

#[tokio::test]
async fn two_workers_draining_one_outbox_deliver_every_message_once() {
    let server = SmtpServer::start(0, None).await;
    let app = spawn_app_with(|c| {
        fast_mail(c, Some(server.addr.port()));
        c.mail_worker = false;
    })
    .await;
    let names: Vec<String> = (0..12).map(|i| format!("Person{i} Test")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    certified(&app, &names).await;
    assert_eq!(emails(&app, "queued").await["total"], 12);
    let (a, b) = (
        app.state.mail_worker().unwrap(),
        app.state.mail_worker().unwrap(),
    );
    let drain = |w: cssd::mail::worker::Worker| async move {
        let mut tried = 0;
        loop {
            let n = w.drain_once().await.unwrap();
            if n == 0 {
                return tried;
            }
            tried += n;
        }
    };
    let (ta, tb) = tokio::join!(drain(a), drain(b));
    assert_eq!(ta + tb, 12, "every message taken by exactly one worker");
    assert_eq!(server.messages().len(), 12);
    assert_eq!(emails(&app, "sent").await["total"], 12);
}

#[tokio::test]
async fn without_smtp_each_certificate_email_is_an_eml_file_in_the_outbox_folder() {
    let app = spawn_app_with(|c| fast_mail(c, None)).await;
    let dir = app.state.config.outbox_dir.clone();
    certified(&app, &["Tendai Moyo", "Rudo Dube"]).await;
    eventually("two .eml files", || {
        let dir = dir.clone();
        async move {
            std::fs::read_dir(&dir)
                .map(|d| {
                    d.filter_map(Result::ok)
                        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                        .count()
                })
                .unwrap_or(0)
                == 2
        }
    })
    .await;
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .next()
        .unwrap()
        .path();
    let parsed_bytes = std::fs::read(file).unwrap();
    let parsed = MessageParser::default().parse(&parsed_bytes).unwrap();
    assert!(parsed.attachments().next().is_some());
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_participant_without_email_is_reported_and_issuing_goes_on() {
    let app = spawn_app_with(|c| fast_mail(c, None)).await;
    let course = app.course("WQ", 5).await;
    let (w, _) = app
        .completed_workshop(course, "tot", None, &[], &[("No Email", Some(90.0))])
        .await;
    let issued = app
        .post(&format!("/api/v1/workshops/{w}/certificates"), json!({}))
        .await;
    assert_eq!(issued.status, 200);
    assert_eq!(issued.body["issued"].as_array().unwrap().len(), 1);
    assert_eq!(issued.body["emails_queued"], 0);
    assert!(
        issued.body["emails_skipped"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("no email address")
    );
    let id = issued.body["issued"][0]["id"].as_i64().unwrap();
    app.post(&format!("/api/v1/certificates/{id}/email"), json!({}))
        .await
        .assert_problem(409);
}

#[tokio::test]
async fn resending_queues_a_fresh_copy_and_a_double_click_queues_one() {
    let app = spawn_app_with(|c| fast_mail(c, None)).await;
    let (_, issued) = certified(&app, &["Tendai Moyo"]).await;
    let id = issued["issued"][0]["id"].as_i64().unwrap();
    let url = format!("{}/api/v1/certificates/{id}/email", app.base);
    let click = || {
        app.client
            .post(&url)
            .bearer_auth(&app.admin_token)
            .header("Idempotency-Key", "resend-1")
            .send()
    };
    let (first, second) = (click().await.unwrap(), click().await.unwrap());
    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (202, 202)
    );
    let all = app
        .get(&format!("/api/v1/emails?certificate_id={id}"))
        .await;
    assert_eq!(
        all.body["total"], 2,
        "the issue email and one resend: {}",
        all.text
    );
    app.post("/api/v1/certificates/999/email", json!({}))
        .await
        .assert_problem(404);
}
