//! Webhooks: subscriptions, signed deliveries to a local receiver, retries with the same
//! `webhook-id`, the address rules against SSRF, turning a failing endpoint off, and several
//! instances delivering each event once.

use std::{
    net::TcpListener,
    sync::{Arc, Mutex},
    time::Duration,
};

use poem::{
    EndpointExt, Route, Server, handler,
    http::{HeaderMap, StatusCode},
    listener::{Acceptor, TcpAcceptor},
    web::Data,
};
use serde_json::{Value, json};

use crate::helpers::{TestApp, eventually, future_monday, spawn_app, spawn_app_with};

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub id: String,
    pub timestamp: String,
    pub signature: String,
    pub body: String,
    /// What the receiver answered.
    pub answered: u16,
}

#[derive(Default)]
struct ReceiverState {
    received: Vec<Received>,
    /// Answer 500 to this many requests first.
    fail_first: usize,
    /// Answer 500 to everything.
    fail_always: bool,
}

/// A local HTTP receiver on port 0 that records every request.
pub struct Receiver {
    pub url: String,
    state: Arc<Mutex<ReceiverState>>,
}

#[handler]
async fn receive(
    headers: &HeaderMap,
    body: String,
    state: Data<&Arc<Mutex<ReceiverState>>>,
) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let mut state = state.lock().unwrap();
    let failing = state.fail_always || state.received.len() < state.fail_first;
    let answer = if failing {
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::NO_CONTENT
    };
    state.received.push(Received {
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp"),
        signature: header("webhook-signature"),
        body,
        answered: answer.as_u16(),
    });
    answer
}

impl Receiver {
    pub async fn start(fail_first: usize, fail_always: bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(ReceiverState {
            fail_first,
            fail_always,
            ..Default::default()
        }));
        let acceptor = TcpAcceptor::from_std(listener).unwrap();
        assert!(!acceptor.local_addr().is_empty());
        let app = Route::new()
            .at("/hook", poem::post(receive))
            .data(state.clone());
        tokio::spawn(Server::new_with_acceptor(acceptor).run(app));
        Self {
            url: format!("http://{addr}/hook"),
            state,
        }
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.lock().unwrap().received.clone()
    }

    pub fn set_failing(&self, failing: bool) {
        self.state.lock().unwrap().fail_always = failing;
    }
}

/// An app whose webhooks may go to plain-HTTP loopback receivers, retrying quickly.
async fn app_for_local_receivers(max_attempts: i32) -> TestApp {
    spawn_app_with(|c| {
        c.webhook_allow_http = true;
        c.webhook_allow_private = true;
        c.webhook_retry_base = Duration::from_millis(50);
        c.webhook_max_attempts = max_attempts;
        c.mail_poll_interval = Duration::from_millis(200);
    })
    .await
}

async fn subscribe(app: &TestApp, url: &str, events: &[&str]) -> Value {
    let resp = app
        .post(
            "/api/v1/webhooks",
            json!({"url": url, "events": events, "description": "Council HR"}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    resp.body
}

/// A scheduled workshop and a participant enrolled in it: (workshop id, enrolment id).
async fn enrol_someone(app: &TestApp, code: &str) -> (i64, i64) {
    let course = app.course(code, 5).await;
    let workshop = app.workshop(course, &future_monday(), 10).await["id"]
        .as_i64()
        .unwrap();
    let person = app.participant("Tendai Moyo").await;
    let resp = app
        .post(
            &format!("/api/v1/workshops/{workshop}/enrolments"),
            json!({"participant_id": person}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    (workshop, resp.body["id"].as_i64().unwrap())
}

/// Verifies a delivery as a receiver would: with our signer, and, when
/// `STANDARDWEBHOOKS_PYTHON` names a Python with the published `standardwebhooks` library
/// (`.ci/run` sets it), with that library too.
fn verify(secret: &str, r: &Received) {
    let expected =
        cssd::webhook::sign(secret, &r.id, r.timestamp.parse().unwrap(), &r.body).unwrap();
    assert_eq!(r.signature, expected);
    if let Ok(python) = std::env::var("STANDARDWEBHOOKS_PYTHON") {
        let script = concat!(
            "import sys, json\n",
            "from standardwebhooks.webhooks import Webhook\n",
            "secret, wid, ts, sig, body = sys.argv[1:6]\n",
            "payload = Webhook(secret).verify(body, {'webhook-id': wid, 'webhook-timestamp': ts, 'webhook-signature': sig})\n",
            "assert payload['type'], payload\n",
            "print('verified')\n",
        );
        let out = std::process::Command::new(python)
            .args([
                "-c",
                script,
                secret,
                &r.id,
                &r.timestamp,
                &r.signature,
                &r.body,
            ])
            .output()
            .expect("run python");
        assert!(
            out.status.success() && String::from_utf8_lossy(&out.stdout).contains("verified"),
            "standardwebhooks refused the delivery: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[tokio::test]
async fn a_subscriber_receives_each_event_signed_with_the_standard_webhooks_headers() {
    let app = app_for_local_receivers(8).await;
    let receiver = Receiver::start(0, false).await;
    let created = subscribe(
        &app,
        &receiver.url,
        &["enrolment.created", "workshop.scheduled"],
    )
    .await;
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"), "{created}");
    assert_eq!(created["active"], true);
    // In the contract's order.
    assert_eq!(
        created["events"],
        json!(["enrolment.created", "workshop.scheduled"])
    );
    let id = created["id"].as_i64().unwrap();
    // The secret is shown once.
    let shown = app.get(&format!("/api/v1/webhooks/{id}")).await;
    assert_eq!(shown.status, 200);
    assert!(shown.body.get("secret").is_none(), "{}", shown.text);

    let (workshop, enrolment) = enrol_someone(&app, "WHK").await;
    eventually("both events delivered", || async {
        receiver.received().len() >= 2
    })
    .await;
    let received = receiver.received();
    assert_eq!(received.len(), 2, "{received:?}");
    let bodies: Vec<Value> = received
        .iter()
        .map(|r| serde_json::from_str(&r.body).unwrap())
        .collect();
    let scheduled = bodies
        .iter()
        .find(|b| b["type"] == "workshop.scheduled")
        .unwrap();
    assert_eq!(scheduled["data"]["id"], workshop);
    let enrolled = bodies
        .iter()
        .find(|b| b["type"] == "enrolment.created")
        .unwrap();
    assert_eq!(enrolled["data"]["id"], enrolment);
    assert_eq!(enrolled["data"]["status"], "enrolled");
    assert!(
        enrolled["timestamp"].as_str().unwrap().ends_with('Z'),
        "{enrolled}"
    );
    for r in &received {
        assert!(r.id.starts_with("msg_"), "{r:?}");
        verify(&secret, r);
    }
    assert_ne!(received[0].id, received[1].id, "one webhook-id per event");

    // The delivery log.
    let deliveries = app.get(&format!("/api/v1/webhooks/{id}/deliveries")).await;
    assert_eq!(deliveries.status, 200, "{}", deliveries.text);
    assert_eq!(deliveries.body["total"], 2);
    let first = &deliveries.body["items"][0];
    assert_eq!(first["status"], "delivered");
    assert_eq!(first["attempts"], 1);
    assert_eq!(first["last_status_code"], 204);

    // A manual retry sends the same event again with the same webhook-id.
    let delivery_id = first["id"].as_i64().unwrap();
    let message_id = first["message_id"].as_str().unwrap().to_owned();
    let retried = app
        .post(
            &format!("/api/v1/webhooks/{id}/deliveries/{delivery_id}/retry"),
            json!({}),
        )
        .await;
    assert_eq!(retried.status, 202, "{}", retried.text);
    eventually("the retry delivered", || async {
        receiver.received().len() == 3
    })
    .await;
    assert_eq!(receiver.received()[2].id, message_id);
    verify(&secret, &receiver.received()[2]);

    // Events not subscribed to are not delivered: a withdrawal queues nothing for this one.
    let withdraw = app
        .delete(&format!(
            "/api/v1/workshops/{workshop}/enrolments/{enrolment}"
        ))
        .await;
    assert_eq!(withdraw.status, 200, "{}", withdraw.text);
    let deliveries = app.get(&format!("/api/v1/webhooks/{id}/deliveries")).await;
    assert_eq!(deliveries.body["total"], 2);
}

#[tokio::test]
async fn a_receiver_failing_the_first_attempt_gets_the_retry_with_the_same_webhook_id_and_nothing_twice()
 {
    let app = app_for_local_receivers(8).await;
    let receiver = Receiver::start(1, false).await;
    let created = subscribe(&app, &receiver.url, &["enrolment.created"]).await;
    let (id, secret) = (
        created["id"].as_i64().unwrap(),
        created["secret"].as_str().unwrap().to_owned(),
    );
    enrol_someone(&app, "RTY").await;
    let path = format!("/api/v1/webhooks/{id}/deliveries");
    eventually("delivered after a retry", || async {
        app.get(&path).await.body["items"][0]["status"] == "delivered"
    })
    .await;
    let received = receiver.received();
    assert_eq!(
        received.len(),
        2,
        "one failed attempt and one accepted: {received:?}"
    );
    assert_eq!(received[0].answered, 500);
    assert_eq!(received[1].answered, 204);
    assert_eq!(
        received[0].id, received[1].id,
        "the retry carries the same webhook-id"
    );
    assert_eq!(received[0].body, received[1].body);
    for r in &received {
        verify(&secret, r);
    }
    let delivery = &app.get(&path).await.body["items"][0];
    assert_eq!(delivery["attempts"], 2);
    assert!(delivery.get("last_error").is_none(), "{delivery}");
}

#[tokio::test]
async fn a_delivery_failing_for_good_turns_the_webhook_off_and_mails_the_administrators() {
    let app = app_for_local_receivers(2).await;
    let receiver = Receiver::start(0, true).await;
    let created = subscribe(&app, &receiver.url, &["enrolment.created"]).await;
    let id = created["id"].as_i64().unwrap();
    enrol_someone(&app, "OFF").await;
    let hook = format!("/api/v1/webhooks/{id}");
    eventually("the webhook is turned off", || async {
        app.get(&hook).await.body["active"] == false
    })
    .await;
    let shown = app.get(&hook).await;
    assert!(
        shown.body["disabled_reason"]
            .as_str()
            .unwrap()
            .contains("500"),
        "{}",
        shown.text
    );
    let deliveries = app.get(&format!("{hook}/deliveries?status=failed")).await;
    assert_eq!(deliveries.body["total"], 1, "{}", deliveries.text);
    let delivery = &deliveries.body["items"][0];
    assert_eq!(delivery["attempts"], 2);
    assert_eq!(delivery["last_status_code"], 500);
    assert_eq!(receiver.received().len(), 2);
    let mails = app.get("/api/v1/emails?kind=webhook_disabled").await;
    assert_eq!(mails.body["total"], 1, "{}", mails.text);
    assert_eq!(
        mails.body["items"][0]["recipient"],
        crate::helpers::ADMIN_EMAIL
    );

    // While it is off, nothing is queued for it and a retry is refused.
    let delivery_id = delivery["id"].as_i64().unwrap();
    let retry = format!("{hook}/deliveries/{delivery_id}/retry");
    app.post(&retry, json!({})).await.assert_problem(409);
    // Turned back on, the retry goes out (and is accepted now).
    receiver.set_failing(false);
    let on = app.patch(&hook, json!({"active": true})).await;
    assert_eq!(on.status, 200, "{}", on.text);
    assert!(on.body.get("disabled_reason").is_none());
    assert_eq!(app.post(&retry, json!({})).await.status, 202);
    eventually("delivered after the manual retry", || async {
        app.get(&format!("{hook}/deliveries")).await.body["items"][0]["status"] == "delivered"
    })
    .await;
    assert_eq!(receiver.received().len(), 3);
}

#[tokio::test]
async fn webhook_urls_must_be_https_and_public_unless_the_server_allows_otherwise() {
    let app = spawn_app().await;
    for (url, says) in [
        ("http://hooks.example.org/in", "https://"),
        ("ftp://hooks.example.org/in", "https://"),
        ("https://127.0.0.1/in", "inside the network"),
        (
            "https://169.254.169.254/latest/meta-data",
            "inside the network",
        ),
        ("https://[::1]/in", "inside the network"),
        ("https://localhost:8443/in", "inside the network"),
        ("https://10.0.0.5/in", "inside the network"),
        ("https://user:secret@hooks.example.org/in", "credentials"),
        ("not a url", "URL"),
    ] {
        let resp = app
            .post(
                "/api/v1/webhooks",
                json!({"url": url, "events": ["enrolment.created"]}),
            )
            .await;
        resp.assert_problem(422);
        let message = resp.field_error("url").unwrap_or_default();
        assert!(message.contains(says), "{url}: {message}");
    }
    // Bad events: none, or one that does not exist.
    let none = app
        .post(
            "/api/v1/webhooks",
            json!({"url": "https://hooks.example.org/in", "events": []}),
        )
        .await;
    assert!(matches!(none.status.as_u16(), 400 | 422), "{}", none.text);
    let unknown = app
        .post(
            "/api/v1/webhooks",
            json!({"url": "https://hooks.example.org/in", "events": ["enrolment.deleted"]}),
        )
        .await;
    assert!(
        matches!(unknown.status.as_u16(), 400 | 422),
        "{}",
        unknown.text
    );
    // Nothing was created.
    assert_eq!(app.get("/api/v1/webhooks").await.body["total"], 0);
    // Only administrators manage webhooks.
    let trainer = app.user_token("trainer", "trainer@example.org", None).await;
    let resp = app.with_token(&trainer).get("/api/v1/webhooks").await;
    resp.assert_problem(403);
}

#[tokio::test]
async fn webhooks_are_listed_changed_and_removed() {
    let app = app_for_local_receivers(8).await;
    let receiver = Receiver::start(0, false).await;
    let id = subscribe(&app, &receiver.url, &["enrolment.created"]).await["id"]
        .as_i64()
        .unwrap();
    let list = app.get("/api/v1/webhooks").await;
    assert_eq!(list.body["total"], 1);
    assert_eq!(list.body["items"][0]["description"], "Council HR");
    let hook = format!("/api/v1/webhooks/{id}");
    let changed = app
        .patch(
            &hook,
            json!({"events": ["certificate.issued", "certificate.revoked"], "active": false}),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(
        changed.body["events"],
        json!(["certificate.issued", "certificate.revoked"])
    );
    assert_eq!(changed.body["active"], false);
    // A bad URL changes nothing.
    app.patch(&hook, json!({"url": "ftp://x.example.org/"}))
        .await
        .assert_problem(422);
    assert_eq!(app.get(&hook).await.body["url"], receiver.url.as_str());
    // Turned off, it receives nothing.
    enrol_someone(&app, "LST").await;
    assert_eq!(
        app.get(&format!("{hook}/deliveries")).await.body["total"],
        0
    );
    assert_eq!(app.delete(&hook).await.status, 204);
    app.get(&hook).await.assert_problem(404);
    app.get(&format!("{hook}/deliveries"))
        .await
        .assert_problem(404);
    app.post(&format!("{hook}/deliveries/1/retry"), json!({}))
        .await
        .assert_problem(404);
}

#[tokio::test]
#[cfg_attr(
    not(test_db_postgres),
    ignore = "PostgreSQL only: run with TEST_DATABASE_URL=postgres://… (.ci/run does)"
)]
async fn two_instances_on_one_database_deliver_each_event_once() {
    let app = app_for_local_receivers(8).await;
    let other = app
        .another_instance(|c| {
            c.webhook_allow_http = true;
            c.webhook_allow_private = true;
            c.webhook_retry_base = Duration::from_millis(50);
        })
        .await;
    let receiver = Receiver::start(0, false).await;
    let id = subscribe(&app, &receiver.url, &["enrolment.created"]).await["id"]
        .as_i64()
        .unwrap();
    let course = app.course("TWO", 5).await;
    let workshop = app.workshop(course, &future_monday(), 35).await["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/workshops/{workshop}/enrolments");
    for i in 0..30 {
        let person = app.participant(&format!("Person {i}")).await;
        // Half the changes on each instance: both workers are woken.
        let on = if i % 2 == 0 { &app } else { &other };
        let resp = on.post(&path, json!({"participant_id": person})).await;
        assert_eq!(resp.status, 201, "{}", resp.text);
    }
    let deliveries = format!("/api/v1/webhooks/{id}/deliveries?status=delivered");
    eventually("all 30 delivered", || async {
        app.get(&deliveries).await.body["total"] == 30
    })
    .await;
    let received = receiver.received();
    let mut ids: Vec<&str> = received.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 30);
    assert_eq!(received.len(), 30, "each event arrived once");
}

#[tokio::test]
async fn a_delivery_goes_out_at_the_commit_without_waiting_for_the_workers_poll() {
    // The worker looks for work once an hour here: only the commit's wake-up delivers in time.
    let app = spawn_app_with(|c| {
        c.webhook_allow_http = true;
        c.webhook_allow_private = true;
        c.mail_poll_interval = Duration::from_secs(3600);
    })
    .await;
    let receiver = Receiver::start(0, false).await;
    subscribe(&app, &receiver.url, &["enrolment.created"]).await;
    enrol_someone(&app, "WHW").await;
    eventually("the enrolment's event delivered", || async {
        receiver.received().len() == 1
    })
    .await;
}

/// The `data` of the `n`th delivery (from 0) of `kind` that `receiver` got, once it came.
async fn delivered(receiver: &Receiver, kind: &str, n: usize) -> Value {
    let of_kind = || {
        receiver
            .received()
            .iter()
            .map(|r| serde_json::from_str::<Value>(&r.body).unwrap())
            .filter(|b| b["type"] == kind)
            .collect::<Vec<_>>()
    };
    eventually(&format!("{kind} #{n} delivered"), || async {
        of_kind().len() > n
    })
    .await;
    of_kind()[n]["data"].clone()
}

/// `data` holds exactly the fields `GET` of the resource returns, with the same values.
fn same_resource(kind: &str, data: &Value, got: &crate::helpers::TestResponse) {
    assert_eq!(got.status, 200, "{}", got.text);
    let (data, resource) = (data.as_object().unwrap(), got.body.as_object().unwrap());
    for (field, value) in resource {
        assert_eq!(data.get(field), Some(value), "{kind}: `{field}` differs");
    }
    for field in data.keys() {
        assert!(
            resource.contains_key(field),
            "{kind}: `{field}` is not in the resource"
        );
    }
}

#[tokio::test]
async fn each_events_data_is_the_resource_as_a_get_of_it_returns_it() {
    let app = app_for_local_receivers(8).await;
    let receiver = Receiver::start(0, false).await;
    subscribe(
        &app,
        &receiver.url,
        &[
            "enrolment.created",
            "enrolment.withdrawn",
            "workshop.scheduled",
            "workshop.status_changed",
            "certificate.issued",
            "certificate.revoked",
            "participant.erased",
        ],
    )
    .await;

    // A workshop scheduled, a participant enrolled and withdrawn.
    let course = app.course("RES", 5).await;
    let workshop = app.workshop(course, &future_monday(), 10).await["id"]
        .as_i64()
        .unwrap();
    let scheduled = delivered(&receiver, "workshop.scheduled", 0).await;
    same_resource(
        "workshop.scheduled",
        &scheduled,
        &app.get(&format!("/api/v1/workshops/{workshop}")).await,
    );
    let person = app.participant("Tendai Moyo").await;
    let enrolled = app
        .post(
            &format!("/api/v1/workshops/{workshop}/enrolments"),
            json!({"participant_id": person, "consent": true}),
        )
        .await;
    assert_eq!(enrolled.status, 201, "{}", enrolled.text);
    let enrolment = format!(
        "/api/v1/workshops/{workshop}/enrolments/{}",
        enrolled.body["id"]
    );
    let created = delivered(&receiver, "enrolment.created", 0).await;
    same_resource("enrolment.created", &created, &app.get(&enrolment).await);
    assert!(created["consent"].is_object(), "{created}");
    assert_eq!(app.delete(&enrolment).await.status, 200);
    let withdrawn = delivered(&receiver, "enrolment.withdrawn", 0).await;
    same_resource(
        "enrolment.withdrawn",
        &withdrawn,
        &app.get(&enrolment).await,
    );
    assert_eq!(withdrawn["status"], "withdrawn");

    // Its status changing: the workshop, with the status it left.
    let cancelled = app
        .post(&format!("/api/v1/workshops/{workshop}/cancel"), json!({}))
        .await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.text);
    let mut changed = delivered(&receiver, "workshop.status_changed", 0).await;
    assert_eq!(changed["previous_status"], "scheduled");
    changed.as_object_mut().unwrap().remove("previous_status");
    same_resource(
        "workshop.status_changed",
        &changed,
        &app.get(&format!("/api/v1/workshops/{workshop}")).await,
    );
    assert_eq!(changed["status"], "cancelled");

    // A certificate issued, then revoked.
    let (done, _) = app
        .completed_workshop(course, "tot", None, &[], &[("Rudo Chikomo", Some(80.0))])
        .await;
    let issued = app
        .post(&format!("/api/v1/workshops/{done}/certificates"), json!({}))
        .await;
    assert_eq!(issued.status, 200, "{}", issued.text);
    let certificate = format!("/api/v1/certificates/{}", issued.body["issued"][0]["id"]);
    let data = delivered(&receiver, "certificate.issued", 0).await;
    same_resource("certificate.issued", &data, &app.get(&certificate).await);
    let revoked = app
        .post(
            &format!("{certificate}/revoke"),
            json!({"reason": "Issued in error"}),
        )
        .await;
    assert_eq!(revoked.status, 200, "{}", revoked.text);
    let data = delivered(&receiver, "certificate.revoked", 0).await;
    same_resource("certificate.revoked", &data, &app.get(&certificate).await);
    assert_eq!(data["revoked_reason"], "Issued in error");

    // A participant erased: the record as it stands after the erasure.
    let erased = app
        .post(
            &format!("/api/v1/participants/{person}/erase"),
            json!({"reason": "Asked in writing"}),
        )
        .await;
    assert_eq!(erased.status, 200, "{}", erased.text);
    let data = delivered(&receiver, "participant.erased", 0).await;
    same_resource(
        "participant.erased",
        &data,
        &app.get(&format!("/api/v1/participants/{person}")).await,
    );
    assert_eq!(data["id"], person);
    assert_ne!(data["full_name"], "Tendai Moyo", "{data}");
}

#[tokio::test]
async fn an_erasure_is_delivered_to_a_subscriber_without_any_erased_value() {
    let app = app_for_local_receivers(8).await;
    let receiver = Receiver::start(0, false).await;
    let created = subscribe(&app, &receiver.url, &["participant.erased"]).await;
    let secret = created["secret"].as_str().unwrap().to_owned();
    let person = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "Tendai Moyo", "email": "tendai.moyo@example.org",
                   "phone": "0771234567", "national_id": "63-123456A78",
                   "birth_year": 1990, "target_group": "councillor", "gender": "female"}),
        )
        .await;
    assert_eq!(person.status, 201, "{}", person.text);
    let id = person.body["id"].as_i64().unwrap();
    let erased = app
        .post(
            &format!("/api/v1/participants/{id}/erase"),
            json!({"reason": "asked in writing"}),
        )
        .await;
    assert_eq!(erased.status, 200, "{}", erased.text);
    eventually("the erasure delivered", || async {
        !receiver.received().is_empty()
    })
    .await;
    let received = receiver.received();
    assert_eq!(received.len(), 1, "{received:?}");
    verify(&secret, &received[0]);
    let body: Value = serde_json::from_str(&received[0].body).unwrap();
    assert_eq!(body["type"], "participant.erased");
    assert_eq!(body["data"]["id"], id);
    assert!(
        body["data"]["erased_at"].as_str().unwrap().ends_with('Z'),
        "{body}"
    );
    for value in [
        "Tendai",
        "Moyo",
        "tendai.moyo",
        "771234567",
        "63-123456A78",
        "1990",
        "asked in writing",
    ] {
        assert!(
            !received[0].body.contains(value),
            "{value} in {}",
            received[0].body
        );
    }
}
