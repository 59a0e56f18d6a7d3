//! SMS: each kind of journey message through a local Twilio-shaped receiver (auth and fields
//! checked), retried after the receiver fails, at most once per kind and enrolment, once with
//! two instances on one PostgreSQL database, the file outbox by default, and the admin listing.

use std::{
    net::TcpListener,
    sync::{Arc, Mutex},
    time::Duration,
};

use base64::Engine;
use chrono::{Days, NaiveDate};
use poem::{
    EndpointExt, Route, Server, handler,
    http::{HeaderMap, StatusCode},
    listener::{Acceptor, TcpAcceptor},
    web::{Data, Form, Path},
};
use serde_json::{Value, json};

use crate::helpers::{TestApp, eventually, future_monday, past_monday, spawn_app, spawn_app_with};

const SID: &str = "AC0123456789abcdef";
const TOKEN: &str = "twilio-auth-token";
const FROM: &str = "+263770000001";

/// One message the receiver accepted.
#[derive(Debug, Clone)]
pub struct Texted {
    pub to: String,
    pub body: String,
}

#[derive(Default)]
struct GatewayState {
    accepted: Vec<Texted>,
    /// Requests answered so far (accepted or not).
    requests: usize,
    /// Answer 503 to this many requests first.
    fail_first: usize,
}

/// A local server speaking Twilio's Messages API: checks the account in the path, HTTP Basic
/// auth and the form fields, and can fail the first requests.
pub struct Gateway {
    pub url: String,
    state: Arc<Mutex<GatewayState>>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MessageForm {
    to: String,
    from: String,
    body: String,
}

#[handler]
async fn messages(
    Path(account): Path<String>,
    headers: &HeaderMap,
    Form(form): Form<MessageForm>,
    state: Data<&Arc<Mutex<GatewayState>>>,
) -> (StatusCode, String) {
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{SID}:{TOKEN}"))
    );
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if account != SID || auth != expected {
        return (StatusCode::UNAUTHORIZED, r#"{"code": 20003}"#.into());
    }
    if form.from != FROM || !form.to.starts_with('+') || form.body.is_empty() {
        return (StatusCode::BAD_REQUEST, r#"{"code": 21211}"#.into());
    }
    let mut state = state.lock().unwrap();
    state.requests += 1;
    if state.requests <= state.fail_first {
        return (StatusCode::SERVICE_UNAVAILABLE, "busy".into());
    }
    state.accepted.push(Texted {
        to: form.to,
        body: form.body,
    });
    (
        StatusCode::CREATED,
        r#"{"sid": "SM1", "status": "queued"}"#.into(),
    )
}

impl Gateway {
    pub async fn start(fail_first: usize) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(GatewayState {
            fail_first,
            ..Default::default()
        }));
        let acceptor = TcpAcceptor::from_std(listener).unwrap();
        assert!(!acceptor.local_addr().is_empty());
        let app = Route::new()
            .at(
                "/2010-04-01/Accounts/:account/Messages.json",
                poem::post(messages),
            )
            .data(state.clone());
        tokio::spawn(Server::new_with_acceptor(acceptor).run(app));
        Self {
            url: format!("twilio://{SID}:{TOKEN}@{addr}?from={FROM}&insecure=true"),
            state,
        }
    }

    pub fn accepted(&self) -> Vec<Texted> {
        self.state.lock().unwrap().accepted.clone()
    }

    pub fn requests(&self) -> usize {
        self.state.lock().unwrap().requests
    }
}

async fn sms_app(gateway: &Gateway) -> TestApp {
    let url = gateway.url.clone();
    spawn_app_with(move |c| {
        c.sms_url = Some(url);
        c.mail_poll_interval = Duration::from_millis(100);
        c.mail_retry_base = Duration::from_millis(50);
    })
    .await
}

/// A participant reached by SMS (no email), reading `language`.
async fn texter(app: &TestApp, name: &str, phone: &str, language: &str) -> i64 {
    let resp = app
        .post(
            "/api/v1/participants",
            json!({"full_name": name, "phone": phone, "language": language,
                   "target_group": "ratepayer"}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    assert_eq!(resp.body["contact_by"], "sms", "{}", resp.text);
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

async fn withdraw(app: &TestApp, workshop: i64, enrolment: &Value) {
    let resp = app
        .delete(&format!(
            "/api/v1/workshops/{workshop}/enrolments/{}",
            enrolment["id"]
        ))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
}

async fn listed(app: &TestApp, query: &str) -> Vec<Value> {
    let resp = app.get(&format!("/api/v1/sms?limit=200&{query}")).await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    resp.body["items"].as_array().unwrap().clone()
}

async fn all_sent(app: &TestApp) {
    eventually("every queued SMS sent", || async {
        listed(app, "status=queued").await.is_empty()
    })
    .await;
}

/// A past workshop that `participant` attended and passed, completed and certified.
async fn attended_and_certified(app: &TestApp, participant: i64) -> i64 {
    let course = app.course("SMS-DONE", 5).await;
    let w = app
        .post(
            "/api/v1/workshops",
            json!({"course_id": course, "level": "tot", "venue": "Mkoba Hall, Gweru",
                   "start_date": past_monday(21)}),
        )
        .await;
    assert_eq!(w.status, 201, "{}", w.text);
    let id = w.body["id"].as_i64().unwrap();
    let e = enrol(app, id, participant).await["id"].as_i64().unwrap();
    let marks: Vec<Value> = (1..=5)
        .map(|day| json!({"enrolment_id": e, "day": day, "status": "present"}))
        .collect();
    let resp = app
        .put(
            &format!("/api/v1/workshops/{id}/attendance"),
            json!({"records": marks}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let resp = app
        .put(
            &format!("/api/v1/workshops/{id}/assessments"),
            json!({"records": [{"enrolment_id": e, "kind": "post_test", "score": 90, "max_score": 100}]}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let resp = app
        .post(&format!("/api/v1/workshops/{id}/complete"), json!({}))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let resp = app
        .post(&format!("/api/v1/workshops/{id}/certificates"), json!({}))
        .await;
    assert!(resp.status.is_success(), "{}", resp.text);
    id
}

#[tokio::test]
async fn each_kind_of_sms_reaches_a_twilio_shaped_gateway_once() {
    let gateway = Gateway::start(0).await;
    let app = sms_app(&gateway).await;
    let course = app.course("SMS", 5).await;
    let start: NaiveDate = future_monday().parse().unwrap();
    let w = app.workshop(course, &start.to_string(), 1).await;
    let id = w["id"].as_i64().unwrap();
    let tendai = texter(&app, "Tendai Moyo", "0771 234 567", "sn").await;
    let nomsa = texter(&app, "Nomsa Ndlovu", "+263 71 234 5678", "nd").await;

    let seat = enrol(&app, id, tendai).await; // confirmation
    enrol(&app, id, nomsa).await; // waitlist, place 1
    withdraw(&app, id, &seat).await; // Nomsa promoted
    let url = app.state.config.public_url.clone();
    let reminders = cssd::services::participant_mail::queue_reminders(
        &app.state.db,
        start - Days::new(1),
        2,
        &url,
    )
    .await
    .unwrap();
    assert_eq!(reminders, 1, "Nomsa holds the seat");
    let resp = app
        .post(&format!("/api/v1/workshops/{id}/cancel"), json!({}))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let english = texter(&app, "Farai Banda", "0772 000 111", "en").await;
    let done = attended_and_certified(&app, english).await;

    all_sent(&app).await;
    let sent = listed(&app, "status=sent").await;
    let kinds = |to: &str| {
        let mut kinds: Vec<String> = sent
            .iter()
            .filter(|s| s["to"] == to)
            .map(|s| s["kind"].as_str().unwrap().to_owned())
            .collect();
        kinds.sort();
        kinds
    };
    assert_eq!(kinds("+263771234567"), ["enrolment_confirmation"]);
    assert_eq!(
        kinds("+263712345678"),
        ["cancellation", "promotion", "reminder", "waitlist"]
    );
    assert_eq!(
        kinds("+263772000111"),
        ["certificate", "evaluation_request"]
    );
    assert!(sent.iter().all(|s| s["segments"].as_i64().unwrap() <= 2
        && s["attempts"] == 1
        && s["sent_at"].is_string()));

    let texts = gateway.accepted();
    assert_eq!(texts.len(), 7, "{texts:?}");
    let to = |number: &str, needle: &str| {
        texts
            .iter()
            .any(|t| t.to == number && t.body.contains(needle))
    };
    // In the participant's language, with the date, start time and venue.
    assert!(to("+263771234567", "yasimbiswa"), "{texts:?}");
    let date = start.format("%d/%m/%Y").to_string();
    assert!(to("+263771234567", &date) && to("+263771234567", "08:00"));
    assert!(to("+263771234567", "Town House, Harare"));
    assert!(to("+263712345678", "Uyinombolo 1"), "{texts:?}");
    assert!(to("+263712345678", "sikhanseliwe"));
    assert!(to(
        "+263772000111",
        &format!(
            "{}/portal/workshops/{done}/evaluation",
            url.trim_end_matches('/')
        )
    ));
    assert!(to("+263772000111", "/verify/") && to("+263772000111", "/portal"));
    // Nobody had an email address: no mail.
    assert_eq!(app.get("/api/v1/emails").await.body["total"], 0);
}

#[tokio::test]
async fn an_sms_the_gateway_refused_once_is_sent_on_retry() {
    let gateway = Gateway::start(1).await;
    let app = sms_app(&gateway).await;
    let course = app.course("SMR", 5).await;
    let w = app.workshop(course, &future_monday(), 5).await;
    let p = texter(&app, "Tendai Moyo", "0771234567", "en").await;
    enrol(&app, w["id"].as_i64().unwrap(), p).await;

    all_sent(&app).await;
    let sent = listed(&app, "kind=enrolment_confirmation").await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["status"], "sent");
    assert_eq!(sent[0]["attempts"], 2, "one refused attempt, then sent");
    assert_eq!(gateway.requests(), 2);
    assert_eq!(gateway.accepted().len(), 1);
}

#[tokio::test]
async fn each_kind_goes_at_most_once_per_enrolment() {
    let gateway = Gateway::start(0).await;
    let app = sms_app(&gateway).await;
    let course = app.course("SMO", 5).await;
    let w = app.workshop(course, &future_monday(), 5).await;
    let id = w["id"].as_i64().unwrap();
    let p = texter(&app, "Tendai Moyo", "0771234567", "en").await;
    let first = enrol(&app, id, p).await;
    withdraw(&app, id, &first).await;
    let again = enrol(&app, id, p).await;
    assert_eq!(again["id"], first["id"]);

    all_sent(&app).await;
    assert_eq!(listed(&app, "kind=enrolment_confirmation").await.len(), 1);
    assert_eq!(gateway.accepted().len(), 1);
}

#[tokio::test]
async fn participants_reached_by_email_get_no_sms_and_both_get_both() {
    let gateway = Gateway::start(0).await;
    let app = sms_app(&gateway).await;
    let course = app.course("SMB", 5).await;
    let w = app.workshop(course, &future_monday(), 5).await;
    let id = w["id"].as_i64().unwrap();
    let email_only = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "Ama Dube", "email": "ama@example.org", "phone": "0771111111",
                   "target_group": "ratepayer"}),
        )
        .await;
    assert_eq!(email_only.body["contact_by"], "email");
    let both = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "Ben Moyo", "email": "ben@example.org", "phone": "0772222222",
                   "contact_by": "both", "target_group": "ratepayer"}),
        )
        .await;
    assert_eq!(both.body["contact_by"], "both", "{}", both.text);
    for p in [&email_only, &both] {
        enrol(&app, id, p.body["id"].as_i64().unwrap()).await;
    }

    all_sent(&app).await;
    let sms = listed(&app, "").await;
    assert_eq!(sms.len(), 1, "{sms:?}");
    assert_eq!(sms[0]["to"], "+263772222222");
    let mail = app.get("/api/v1/emails?kind=enrolment_confirmation").await;
    assert_eq!(mail.body["total"], 2, "both still get mail");
}

#[tokio::test]
async fn without_a_gateway_each_sms_is_a_file_in_the_outbox_folder() {
    let app = spawn_app_with(|c| c.mail_poll_interval = Duration::from_millis(100)).await;
    let course = app.course("SMF", 5).await;
    let w = app.workshop(course, &future_monday(), 5).await;
    let p = texter(&app, "Tendai Moyo", "0771234567", "sn").await;
    enrol(&app, w["id"].as_i64().unwrap(), p).await;

    all_sent(&app).await;
    let dir = app.state.config.outbox_dir.join("sms");
    let files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
        .collect();
    assert_eq!(files.len(), 1);
    assert!(files[0].starts_with("To: +263771234567"), "{}", files[0]);
    assert!(files[0].contains("yasimbiswa"), "{}", files[0]);
}

#[tokio::test]
async fn only_administrators_list_sms_and_bad_filters_are_refused() {
    let app = spawn_app().await;
    let trainer = app.user_token("trainer", "trainer@example.org", None).await;
    let resp = app.with_token(&trainer).get("/api/v1/sms").await;
    resp.assert_problem(403);
    let resp = app.anonymous().get("/api/v1/sms").await;
    resp.assert_problem(401);
    let resp = app.get("/api/v1/sms?kind=telegram").await;
    assert_eq!(resp.status, 400, "{}", resp.text);
    let resp = app.get("/api/v1/sms").await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["total"], 0);
}

#[tokio::test]
#[cfg_attr(
    not(test_db_postgres),
    ignore = "two instances share a database only on PostgreSQL"
)]
async fn two_instances_send_each_sms_once() {
    let gateway = Gateway::start(0).await;
    let app = sms_app(&gateway).await;
    let url = gateway.url.clone();
    let other = app
        .another_instance(move |c| {
            c.sms_url = Some(url);
            c.mail_poll_interval = Duration::from_millis(100);
        })
        .await;
    let course = app.course("SM2", 5).await;
    let w = app.workshop(course, &future_monday(), 35).await;
    let id = w["id"].as_i64().unwrap();
    for i in 0..12 {
        let p = texter(
            &app,
            &format!("Person {i}"),
            &format!("07712340{i:02}"),
            "en",
        )
        .await;
        let target = if i % 2 == 0 { &app } else { &other };
        enrol(target, id, p).await;
    }
    all_sent(&app).await;
    let texts = gateway.accepted();
    assert_eq!(texts.len(), 12, "{texts:?}");
    let mut numbers: Vec<&str> = texts.iter().map(|t| t.to.as_str()).collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 12, "nobody texted twice");
}

/// Asks for a sign-in code for `phone` and returns the code the gateway received for it.
async fn code_for(app: &TestApp, gateway: &Gateway, phone: &str, e164: &str) -> String {
    let before = gateway.accepted().iter().filter(|t| t.to == e164).count();
    let resp = app
        .anonymous()
        .post("/api/v1/auth/sms-code", json!({"phone": phone}))
        .await;
    assert_eq!(resp.status, 202, "{}", resp.text);
    eventually("the code's SMS", || async {
        gateway.accepted().iter().filter(|t| t.to == e164).count() > before
    })
    .await;
    let text = gateway
        .accepted()
        .into_iter()
        .rfind(|t| t.to == e164)
        .unwrap();
    let code: String = text
        .body
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap_or_else(|| panic!("no code in {:?}", text.body))
        .to_owned();
    code
}

async fn enter(app: &TestApp, phone: &str, code: &str) -> crate::helpers::TestResponse {
    app.anonymous()
        .post(
            "/api/v1/auth/sms-code/verify",
            json!({"phone": phone, "code": code}),
        )
        .await
}

#[tokio::test]
async fn the_right_code_signs_a_participant_in_once_and_a_wrong_one_is_401() {
    let gateway = Gateway::start(0).await;
    let app = sms_app(&gateway).await;
    let p = texter(&app, "Tendai Moyo", "0771234567", "sn").await;
    let code = code_for(&app, &gateway, "077 123 4567", "+263771234567").await;
    assert!(
        gateway.accepted()[0].body.contains("Kodhi"),
        "in the participant's language"
    );
    let wrong = if code == "000000" { "111111" } else { "000000" };
    enter(&app, "0771234567", wrong).await.assert_problem(401);

    let resp = enter(&app, "+263 77 123 4567", &code).await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert!(resp.body["expires_at"].is_string());
    let token = resp.body["token"].as_str().unwrap().to_owned();
    let me = app.with_token(&token).get("/api/v1/me").await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.body["role"], "participant", "{}", me.text);
    assert_eq!(me.body["participant_id"], p, "{}", me.text);
    // Used up.
    enter(&app, "0771234567", &code).await.assert_problem(401);
    // Once sent, the listing no longer shows the code.
    all_sent(&app).await;
    let listed = listed(&app, "kind=sign_in_code").await;
    assert!(!listed[0]["body"].as_str().unwrap().contains(&code));
}

#[tokio::test]
async fn after_five_wrong_codes_even_the_right_one_is_refused() {
    let gateway = Gateway::start(0).await;
    let app = sms_app(&gateway).await;
    texter(&app, "Tendai Moyo", "0771234567", "en").await;
    let code = code_for(&app, &gateway, "0771234567", "+263771234567").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        enter(&app, "0771234567", wrong).await.assert_problem(401);
    }
    let sixth = enter(&app, "0771234567", &code).await;
    assert!(
        sixth.status == 401 || sixth.status == 429,
        "the sixth try is refused: {}",
        sixth.text
    );
}

#[tokio::test]
async fn four_wrong_codes_still_leave_the_right_one_working() {
    let gateway = Gateway::start(0).await;
    let app = sms_app(&gateway).await;
    texter(&app, "Tendai Moyo", "0771234567", "en").await;
    let code = code_for(&app, &gateway, "0771234567", "+263771234567").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..4 {
        enter(&app, "0771234567", wrong).await.assert_problem(401);
    }
    assert_eq!(enter(&app, "0771234567", &code).await.status, 200);
}

#[tokio::test]
async fn a_code_expires_after_ten_minutes() {
    let gateway = Gateway::start(0).await;
    let app = sms_app(&gateway).await;
    texter(&app, "Tendai Moyo", "0771234567", "en").await;
    let sent_at = chrono::Utc::now();
    app.state.sign_in.set_clock(Arc::new(move || sent_at));
    let code = code_for(&app, &gateway, "0771234567", "+263771234567").await;
    let later = sent_at + chrono::Duration::minutes(10) + chrono::Duration::seconds(1);
    app.state.sign_in.set_clock(Arc::new(move || later));
    enter(&app, "0771234567", &code).await.assert_problem(401);
    // A minute before, it would have worked: ask again and use the new one in time.
    app.state.sign_in.set_clock(Arc::new(move || sent_at));
    let code = code_for(&app, &gateway, "0771234567", "+263771234567").await;
    let in_time = sent_at + chrono::Duration::minutes(9);
    app.state.sign_in.set_clock(Arc::new(move || in_time));
    assert_eq!(enter(&app, "0771234567", &code).await.status, 200);
}

#[tokio::test]
async fn an_unknown_phone_gets_the_same_202_and_no_sms() {
    let gateway = Gateway::start(0).await;
    let app = sms_app(&gateway).await;
    texter(&app, "Tendai Moyo", "0771234567", "en").await;
    let handled = app.state.sign_in.codes_handled();
    let resp = app
        .anonymous()
        .post("/api/v1/auth/sms-code", json!({"phone": "0779999999"}))
        .await;
    assert_eq!(resp.status, 202, "{}", resp.text);
    eventually("the request handled", || async {
        app.state.sign_in.codes_handled() > handled
    })
    .await;
    assert!(listed(&app, "").await.is_empty());
    enter(&app, "0779999999", "123456")
        .await
        .assert_problem(401);
    // Not a phone number at all: 422, naming the field.
    let resp = app
        .anonymous()
        .post("/api/v1/auth/sms-code", json!({"phone": "call me"}))
        .await;
    resp.assert_problem(422);
    assert!(resp.field_error("phone").is_some());
}

#[tokio::test]
async fn code_requests_are_throttled_per_phone() {
    let gateway = Gateway::start(0).await;
    let app = sms_app(&gateway).await;
    let mut statuses = Vec::new();
    for _ in 0..8 {
        let resp = app
            .anonymous()
            .post("/api/v1/auth/sms-code", json!({"phone": "0779999999"}))
            .await;
        statuses.push(resp.status.as_u16());
        if resp.status == 429 {
            assert!(resp.headers.get("retry-after").is_some());
        }
    }
    assert_eq!(statuses[0], 202);
    assert_eq!(*statuses.last().unwrap(), 429, "{statuses:?}");
}

#[tokio::test]
async fn the_portal_signs_in_by_phone_code_without_script_in_the_chosen_language() {
    let gateway = Gateway::start(0).await;
    let app = sms_app(&gateway).await;
    texter(&app, "Tendai Moyo", "0771234567", "sn").await;
    let mut browser = crate::browser::Browser::new(&app);
    let portal = browser.get("/portal").await;
    portal.assert_html(200);
    assert!(
        portal.text.contains("href=\"/portal/phone\""),
        "{}",
        portal.text
    );

    let form = browser.get("/portal/phone?lang=sn").await;
    form.assert_html(200);
    assert!(form.text.contains("Nhamba yefoni"), "{}", form.text);
    assert!(!form.text.contains("<script"), "no script needed");
    let refused = browser
        .submit(
            "/portal/phone?lang=sn",
            "/portal/phone",
            &[("lang", "sn"), ("phone", "call me")],
        )
        .await;
    refused.assert_html(422);
    assert!(
        refused.text.contains("id=\"phone-error\""),
        "{}",
        refused.text
    );

    let code_form = browser
        .submit(
            "/portal/phone?lang=sn",
            "/portal/phone",
            &[("lang", "sn"), ("phone", "077 123 4567")],
        )
        .await;
    code_form.assert_html(200);
    assert!(
        code_form.text.contains("Nyorai kodhi yenyu"),
        "{}",
        code_form.text
    );
    eventually("the code's SMS", || async {
        !gateway.accepted().is_empty()
    })
    .await;
    let body = gateway.accepted()[0].body.clone();
    let code: String = body
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap()
        .to_owned();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let csrf = code_form.csrf();
    let refused = browser
        .post(
            "/portal/phone/code",
            &[
                ("csrf", csrf.as_str()),
                ("lang", "sn"),
                ("phone", "077 123 4567"),
                ("code", wrong),
            ],
        )
        .await;
    refused.assert_html(401);
    assert!(
        refused.text.contains("id=\"code-error\""),
        "{}",
        refused.text
    );
    let signed_in = browser
        .post(
            "/portal/phone/code",
            &[
                ("csrf", csrf.as_str()),
                ("lang", "sn"),
                ("phone", "077 123 4567"),
                ("code", code.as_str()),
            ],
        )
        .await;
    let home = browser.follow(signed_in).await;
    home.assert_html(200);
    assert!(home.text.contains("Tendai Moyo"), "{}", home.text);
}

#[tokio::test]
async fn the_console_lists_sms_beside_the_mail_outbox() {
    let gateway = Gateway::start(0).await;
    let app = sms_app(&gateway).await;
    let course = app.course("SMC", 5).await;
    let w = app.workshop(course, &future_monday(), 5).await;
    let p = texter(&app, "Tendai Moyo", "0771234567", "en").await;
    enrol(&app, w["id"].as_i64().unwrap(), p).await;
    all_sent(&app).await;

    let mut browser = crate::browser::Browser::admin(&app).await;
    let page = browser.get("/admin/sms").await;
    page.assert_html(200);
    assert!(
        page.text.contains("href=\"/admin/sms\""),
        "in the console's menu"
    );
    assert!(page.text.contains("077 123 4567"), "{}", page.text);
    assert!(page.text.contains("Seat confirmed") && page.text.contains("Sent"));
    assert!(
        page.text.contains("your seat at SMC is confirmed"),
        "{}",
        page.text
    );
    let none = browser.get("/admin/sms?kind=certificate").await;
    none.assert_html(200);
    assert!(none.text.contains("No SMS match."), "{}", none.text);
    assert!(!none.text.contains("077 123 4567"));
}

#[tokio::test]
async fn the_demo_texts_its_community_participants_into_the_outbox_folder() {
    let app = spawn_app_with(|c| c.mail_poll_interval = Duration::from_millis(100)).await;
    app.seed_demo().await;
    let dir = app.state.config.outbox_dir.join("sms");
    eventually("the demo's SMS written", || async {
        std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0) >= 3
    })
    .await;
    let texts: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
        .collect();
    assert!(
        texts.iter().any(|t| t.contains("yasimbiswa")),
        "one in Shona: {texts:?}"
    );
    assert!(
        texts.iter().any(|t| t.contains("iqinisekisiwe")),
        "one in Ndebele"
    );
}
