//! DHIS2: each organisation's `dhis2_org_unit`, the `dataValueSets` document of an ISO period
//! built from the mapping file, its conflicts, its indifference to erasure, and the push to a
//! local receiver that checks the document as DHIS2's `/api/dataValueSets` does.

use std::{
    net::TcpListener,
    sync::{Arc, Mutex},
};

use base64::Engine;
use poem::{
    EndpointExt, IntoResponse, Response, Route, Server, handler,
    http::{HeaderMap, StatusCode},
    listener::TcpAcceptor,
    web::Data,
};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app, spawn_app_with};

const ENROLLED: &str = "EnroLLed001";
const CERTIFIED: &str = "CertiFied01";
const REACHED: &str = "ReachedPpl1";
const FEMALE_YOUNG: &str = "FemaLe15240";
const MALE_25: &str = "MaLe2534000";
const DEFAULT: &str = "HllvX50cXC0";
const HARARE_UNIT: &str = "HarareCity1";

fn mapping_json() -> Value {
    json!({
        "data_elements": {"enrolled": ENROLLED, "certified": CERTIFIED, "people_reached": REACHED},
        "category_option_combos": {"female/15-24": FEMALE_YOUNG, "male/25-34": MALE_25},
        "default_category_option_combo": DEFAULT,
    })
}

/// Writes a mapping file and returns its path.
fn mapping_file(mapping: &Value) -> std::path::PathBuf {
    let path =
        std::env::temp_dir().join(format!("cssd-dhis2-mapping-{}.json", rand::random::<u64>()));
    std::fs::write(&path, mapping.to_string()).unwrap();
    path
}

async fn app_with_mapping(dhis2_url: Option<String>) -> TestApp {
    let path = mapping_file(&mapping_json());
    spawn_app_with(move |c| {
        c.dhis2_mapping = Some(path);
        c.dhis2_url = dhis2_url;
    })
    .await
}

async fn organisation(app: &TestApp, name: &str, unit: Option<&str>) -> i64 {
    let resp = app
        .post(
            "/api/v1/organisations",
            json!({"name": name, "kind": "local_authority", "dhis2_org_unit": unit}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    resp.body["id"].as_i64().unwrap()
}

/// The people of the report: a completed March 2026 workshop whose five participants all pass
/// and are certified, and a June workshop the first of them also holds a seat in.
struct Dataset {
    people: Vec<i64>,
    harare: i64,
    bindura: i64,
}

async fn dataset(app: &TestApp) -> Dataset {
    let harare = organisation(app, "City of Harare", Some(HARARE_UNIT)).await;
    let bindura = organisation(app, "Bindura Municipality", None).await;
    let course = app.course("WQ", 5).await;
    let (march, people) = app
        .completed_workshop(
            course,
            "tot",
            None,
            &[],
            &[
                ("Rudo Dube", Some(90.0)),
                ("Tendai Moyo", Some(90.0)),
                ("Chipo Nyathi", Some(90.0)),
                ("Farai Banda", Some(90.0)),
                ("Sipho Ncube", Some(90.0)),
            ],
        )
        .await;
    let details = [
        // 2026 - 2002 = 24: female/15-24.
        json!({"organisation_id": harare, "gender": "female", "birth_year": 2002}),
        // 26: male/25-34.
        json!({"organisation_id": harare, "gender": "male", "birth_year": 2000}),
        // female/65+: no combo of its own, the default.
        json!({"organisation_id": harare, "gender": "female", "birth_year": 1961}),
        // An organisation without a DHIS2 unit.
        json!({"organisation_id": bindura, "gender": "male", "birth_year": 1990}),
        // No organisation.
        json!({"gender": "female", "birth_year": 1990}),
    ];
    for ((pid, _), body) in people.iter().zip(details) {
        let resp = app
            .patch(&format!("/api/v1/participants/{pid}"), body)
            .await;
        assert_eq!(resp.status, 200, "{}", resp.text);
    }
    let resp = app
        .post(
            &format!("/api/v1/workshops/{march}/certificates"),
            json!({}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let june = app.workshop(course, "2026-06-01", 35).await["id"]
        .as_i64()
        .unwrap();
    let resp = app
        .post(
            &format!("/api/v1/workshops/{june}/enrolments"),
            json!({"participant_id": people[0].0}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    // Rudo holds an outreach meeting in June: 14 women, 10 men, 1 undisclosed.
    let resp = app
        .post(
            "/api/v1/outreach",
            json!({
                "participant_id": people[0].0, "workshop_id": march, "held_on": "2026-06-10",
                "venue": "Mbare community hall", "topics": ["Roles"],
                "attendees": {"female": 14, "male": 10, "other": 0, "undisclosed": 1},
            }),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    Dataset {
        people: people.iter().map(|(p, _)| *p).collect(),
        harare,
        bindura,
    }
}

fn value(document: &Value, element: &str, combo: &str) -> Option<String> {
    document["dataValues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["dataElement"] == element && v["categoryOptionCombo"] == combo)
        .map(|v| v["value"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn organisations_carry_a_dhis2_org_unit_that_must_be_a_uid() {
    let app = spawn_app().await;
    let id = organisation(&app, "City of Mutare", Some("ImspTQPwCqd")).await;
    let path = format!("/api/v1/organisations/{id}");
    assert_eq!(app.get(&path).await.body["dhis2_org_unit"], "ImspTQPwCqd");

    for bad in ["1mspTQPwCqd", "ImspTQPwCq", "Imsp-QPwCqd", "ImspTQPwCqdX"] {
        let resp = app.patch(&path, json!({"dhis2_org_unit": bad})).await;
        resp.assert_problem(422);
        assert!(
            resp.field_error("dhis2_org_unit").is_some(),
            "{bad}: {}",
            resp.text
        );
    }
    let refused = app
        .post(
            "/api/v1/organisations",
            json!({"name": "Gweru", "kind": "local_authority", "dhis2_org_unit": "gweru"}),
        )
        .await;
    refused.assert_problem(422);
    assert_eq!(app.get("/api/v1/organisations").await.body["total"], 1);
    assert_eq!(app.get(&path).await.body["dhis2_org_unit"], "ImspTQPwCqd");

    let changed = app
        .patch(&path, json!({"dhis2_org_unit": "DiszpKrYNg8"}))
        .await;
    assert_eq!(changed.body["dhis2_org_unit"], "DiszpKrYNg8");
    let cleared = app.patch(&path, json!({"dhis2_org_unit": ""})).await;
    assert_eq!(cleared.status, 200, "{}", cleared.text);
    assert!(cleared.body.get("dhis2_org_unit").is_none());
}

#[tokio::test]
async fn the_dhis2_document_counts_people_per_org_unit_and_group_and_lists_conflicts() {
    let app = app_with_mapping(None).await;
    let data = dataset(&app).await;

    let resp = app.get("/api/v1/reports/dhis2?period=2026Q1").await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let doc = &resp.body;
    assert_eq!(doc["period"], "2026Q1");
    for v in doc["dataValues"].as_array().unwrap() {
        assert_eq!(v["period"], "2026Q1");
        assert_eq!(v["orgUnit"], HARARE_UNIT);
    }
    for element in [ENROLLED, CERTIFIED] {
        assert_eq!(value(doc, element, FEMALE_YOUNG).as_deref(), Some("1"));
        assert_eq!(value(doc, element, MALE_25).as_deref(), Some("1"));
        assert_eq!(value(doc, element, DEFAULT).as_deref(), Some("1"));
    }
    // No outreach in the first quarter.
    assert_eq!(doc["dataValues"].as_array().unwrap().len(), 6);

    let conflicts = doc["conflicts"].as_array().unwrap();
    let of = |kind: &str, figure: &str| {
        conflicts
            .iter()
            .find(|c| c["kind"] == kind && c["figure"] == figure)
            .unwrap_or_else(|| panic!("no {kind} conflict for {figure}: {conflicts:?}"))
    };
    let bindura = of("organisation_without_org_unit", "enrolled");
    assert_eq!(bindura["organisation_id"], data.bindura);
    assert_eq!(bindura["organisation_name"], "Bindura Municipality");
    assert_eq!(bindura["value"], 1);
    assert!(
        bindura["message"]
            .as_str()
            .unwrap()
            .contains("dhis2_org_unit")
    );
    assert_eq!(of("people_without_organisation", "certified")["value"], 1);
    assert_eq!(conflicts.len(), 4, "{conflicts:?}");

    // The summary report agrees: Harare's people enrolled are the document's three.
    let summary = app.get("/api/v1/reports/summary?to=2026-03-31").await.body;
    let harare = summary["enrolled"]["by_organisation"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"].as_str().and_then(|k| k.parse().ok()) == Some(data.harare))
        .unwrap()["count"]
        .clone();
    assert_eq!(harare, 3);

    // The year: Rudo counts once although she holds two seats; the outreach headcounts land
    // in `<gender>/unrecorded`, which fall back to the default combo and are summed.
    let year = app.get("/api/v1/reports/dhis2?period=2026").await.body;
    assert_eq!(value(&year, ENROLLED, FEMALE_YOUNG).as_deref(), Some("1"));
    assert_eq!(value(&year, REACHED, DEFAULT).as_deref(), Some("25"));
    // The week of the March workshop (2 March 2026 is in ISO week 10), and a week without any.
    let week = app.get("/api/v1/reports/dhis2?period=2026W10").await.body;
    assert_eq!(value(&week, ENROLLED, MALE_25).as_deref(), Some("1"));
    let empty = app.get("/api/v1/reports/dhis2?period=2026W11").await.body;
    assert_eq!(empty["dataValues"], json!([]));
    let june = app.get("/api/v1/reports/dhis2?period=202606").await.body;
    assert_eq!(value(&june, ENROLLED, FEMALE_YOUNG).as_deref(), Some("1"));
    assert_eq!(value(&june, CERTIFIED, FEMALE_YOUNG), None);
}

#[tokio::test]
async fn erasing_someone_leaves_the_dhis2_document_as_it_was() {
    let app = app_with_mapping(None).await;
    let data = dataset(&app).await;
    let before = app.get("/api/v1/reports/dhis2?period=2026").await;
    assert_eq!(before.status, 200, "{}", before.text);
    for person in &data.people[..2] {
        let resp = app
            .post(
                &format!("/api/v1/participants/{person}/erase"),
                json!({"reason": "Asked in writing"}),
            )
            .await;
        assert_eq!(resp.status, 200, "{}", resp.text);
    }
    let after = app.get("/api/v1/reports/dhis2?period=2026").await;
    assert_eq!(after.body, before.body);
}

#[tokio::test]
async fn without_a_mapping_the_report_is_409_and_a_period_that_is_not_iso_is_422() {
    let app = spawn_app().await;
    for (method, path) in [
        (reqwest::Method::GET, "/api/v1/reports/dhis2?period=2026Q4"),
        (
            reqwest::Method::POST,
            "/api/v1/reports/dhis2/push?period=2026Q4",
        ),
    ] {
        let resp = app.request(method, path, None).await;
        let problem = resp.assert_problem(409);
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("CSSD_DHIS2_MAPPING"),
            "{}",
            resp.text
        );
    }

    let app = app_with_mapping(None).await;
    for bad in [
        "2026Q5",
        "2025W53",
        "202613",
        "2026-12",
        "26",
        "%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96",
    ] {
        let resp = app
            .get(&format!("/api/v1/reports/dhis2?period={bad}"))
            .await;
        resp.assert_problem(422);
        assert!(resp.field_error("period").is_some(), "{bad}: {}", resp.text);
    }
    // A mapping but no DHIS2 server: nothing to push to.
    let resp = app
        .post("/api/v1/reports/dhis2/push?period=2026Q4", json!({}))
        .await;
    let problem = resp.assert_problem(409);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("CSSD_DHIS2_URL")
    );
}

#[tokio::test]
async fn a_bad_mapping_file_stops_the_start_naming_the_key() {
    let mut bad = mapping_json();
    bad["category_option_combos"]["female/15-25"] = json!(FEMALE_YOUNG);
    let mut config = cssd::Config::with_defaults();
    config.dhis2_mapping = Some(mapping_file(&bad));
    let err = cssd::services::dhis2::Dhis2Settings::from_config(&config).unwrap_err();
    assert_eq!(err.name, "CSSD_DHIS2_MAPPING");
    assert!(err.to_string().contains("female/15-25"), "{err}");

    bad = mapping_json();
    bad["data_elements"]["certified"] = json!("not-a-uid");
    config.dhis2_mapping = Some(mapping_file(&bad));
    let err = cssd::services::dhis2::Dhis2Settings::from_config(&config).unwrap_err();
    assert!(err.to_string().contains("data_elements.certified"), "{err}");

    config.dhis2_mapping = Some(std::env::temp_dir().join("no-such-cssd-mapping.json"));
    let err = cssd::services::dhis2::Dhis2Settings::from_config(&config).unwrap_err();
    assert!(
        err.to_string().contains("no-such-cssd-mapping.json"),
        "{err}"
    );
}

/// How the receiver answers.
#[derive(Clone, Copy, PartialEq)]
enum Answer {
    /// As DHIS2 does: checks the document, imports what is valid.
    Import,
    /// 409 with an import summary in error (DHIS2 refusing, say, a locked period).
    Refuse,
    /// 500 with an HTML page.
    Fail,
}

struct ReceiverState {
    answer: Answer,
    documents: Vec<Value>,
}

const DHIS2_USER: &str = "admin";
const DHIS2_PASSWORD: &str = "district:2026";

fn is_uid(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        s.len() == 11
            && s.as_bytes()[0].is_ascii_alphabetic()
            && s.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

fn is_period(v: &Value) -> bool {
    let re = regex::Regex::new(
        r"^(\d{4}|\d{4}(0[1-9]|1[0-2])|\d{4}Q[1-4]|\d{4}W([1-9]|[1-4]\d|5[0-3]))$",
    )
    .unwrap();
    v.as_str().is_some_and(|s| re.is_match(s))
}

/// DHIS2's answer: the 2.38+ `WebMessage` around an import summary.
fn web_message(
    status: u16,
    import_status: &str,
    imported: usize,
    ignored: usize,
    conflicts: Vec<Value>,
) -> Response {
    let body = json!({
        "httpStatus": if status == 200 { "OK" } else { "Conflict" },
        "httpStatusCode": status,
        "status": if status == 200 { "OK" } else { "ERROR" },
        "message": if status == 200 { "Import was successful." } else { "One more conflicts encountered, please check import summary." },
        "response": {
            "responseType": "ImportSummary", "status": import_status,
            "description": if status == 200 { "Import process completed successfully" } else { "Import process completed with conflicts" },
            "importCount": {"imported": imported, "updated": 0, "ignored": ignored, "deleted": 0},
            "conflicts": conflicts,
        },
    });
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap())
        .content_type("application/json")
        .body(body.to_string())
}

#[handler]
async fn data_value_sets(
    headers: &HeaderMap,
    body: String,
    state: Data<&Arc<Mutex<ReceiverState>>>,
) -> Response {
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{DHIS2_USER}:{DHIS2_PASSWORD}"))
    );
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(expected.as_str()) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let mut state = state.lock().unwrap();
    let Ok(document) = serde_json::from_str::<Value>(&body) else {
        return web_message(
            409,
            "ERROR",
            0,
            0,
            vec![json!({"object": "body", "value": "not JSON"})],
        );
    };
    state.documents.push(document.clone());
    match state.answer {
        Answer::Fail => {
            return Response::builder()
                .status(StatusCode::INTERNAL_SERVER_ERROR)
                .body("<html><body>Internal Server Error</body></html>");
        }
        Answer::Refuse => {
            return web_message(
                409,
                "ERROR",
                0,
                0,
                vec![json!({
                    "object": "2026Q1", "value": "Period is locked for data entry",
                })],
            );
        }
        Answer::Import => {}
    }
    let Some(values) = document["dataValues"].as_array() else {
        return web_message(
            409,
            "ERROR",
            0,
            0,
            vec![json!({"object": "dataValues", "value": "missing"})],
        );
    };
    let mut conflicts = vec![];
    for v in values {
        let valid = ["dataElement", "orgUnit", "categoryOptionCombo"]
            .iter()
            .all(|f| is_uid(&v[*f]))
            && is_period(&v["period"])
            && v["value"]
                .as_str()
                .is_some_and(|n| n.parse::<u64>().is_ok());
        if !valid {
            conflicts.push(json!({"object": v.to_string(), "value": "invalid data value"}));
        }
    }
    let imported = values.len() - conflicts.len();
    if conflicts.is_empty() {
        web_message(200, "SUCCESS", imported, 0, conflicts)
    } else {
        web_message(409, "WARNING", imported, conflicts.len(), conflicts)
    }
}

/// A local DHIS2 stand-in: `POST /dhis/api/dataValueSets` checked as DHIS2 checks it.
struct Dhis2Receiver {
    /// `http://admin:…@127.0.0.1:port/dhis`.
    url: String,
    state: Arc<Mutex<ReceiverState>>,
}

impl Dhis2Receiver {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(ReceiverState {
            answer: Answer::Import,
            documents: vec![],
        }));
        let app = Route::new()
            .at("/dhis/api/dataValueSets", poem::post(data_value_sets))
            .data(state.clone());
        let acceptor = TcpAcceptor::from_std(listener).unwrap();
        tokio::spawn(Server::new_with_acceptor(acceptor).run(app));
        let password = DHIS2_PASSWORD.replace(':', "%3A");
        Self {
            url: format!("http://{DHIS2_USER}:{password}@{addr}/dhis"),
            state,
        }
    }

    fn answer(&self, answer: Answer) {
        self.state.lock().unwrap().answer = answer;
    }

    fn documents(&self) -> Vec<Value> {
        self.state.lock().unwrap().documents.clone()
    }
}

async fn audit(app: &TestApp) -> Vec<Value> {
    let resp = app.get("/api/v1/audit?entity=dhis2_push").await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    resp.body["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_push_sends_the_document_with_basic_auth_and_returns_dhis2s_import_summary_audited() {
    let receiver = Dhis2Receiver::start().await;
    let app = app_with_mapping(Some(receiver.url.clone())).await;
    dataset(&app).await;
    let document = app.get("/api/v1/reports/dhis2?period=2026").await.body;

    let resp = app
        .post("/api/v1/reports/dhis2/push?period=2026", json!({}))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let sent = document["dataValues"].as_array().unwrap().len();
    assert_eq!(resp.body["status"], "SUCCESS");
    assert_eq!(resp.body["importCount"]["imported"], sent);
    assert_eq!(resp.body["importCount"]["ignored"], 0);
    let received = receiver.documents();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0]["dataValues"], document["dataValues"]);

    let entries = audit(&app).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["action"], "push");
    assert_eq!(entries[0]["after"]["period"], "2026");
    assert_eq!(
        entries[0]["after"]["answer"]["importCount"]["imported"],
        sent
    );
    assert!(
        !entries[0].to_string().contains("district"),
        "{}",
        entries[0]
    );
}

#[tokio::test]
async fn a_push_dhis2_refuses_or_fails_is_a_clear_502_and_audited() {
    let receiver = Dhis2Receiver::start().await;
    let app = app_with_mapping(Some(receiver.url.clone())).await;
    dataset(&app).await;

    receiver.answer(Answer::Refuse);
    let resp = app
        .post("/api/v1/reports/dhis2/push?period=2026Q1", json!({}))
        .await;
    let problem = resp.assert_problem(502);
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("HTTP 409"), "{detail}");
    assert!(
        detail.contains("Period is locked for data entry"),
        "{detail}"
    );

    receiver.answer(Answer::Fail);
    let resp = app
        .post("/api/v1/reports/dhis2/push?period=2026Q1", json!({}))
        .await;
    let problem = resp.assert_problem(502);
    assert!(
        problem["detail"].as_str().unwrap().contains("HTTP 500"),
        "{}",
        resp.text
    );

    let entries = audit(&app).await;
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert!(entries.iter().all(|e| e["action"] == "push_refused"));

    // Wrong credentials: DHIS2's 401 says so, without the password.
    let wrong = receiver.url.replace("district", "wrong");
    let app = app_with_mapping(Some(wrong)).await;
    let resp = app
        .post("/api/v1/reports/dhis2/push?period=2026Q1", json!({}))
        .await;
    let problem = resp.assert_problem(502);
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("credentials"), "{detail}");
    assert!(!detail.contains("wrong"), "{detail}");
}

#[tokio::test]
async fn figures_and_groups_the_mapping_does_not_place_are_conflicts_not_values() {
    // Only `enrolled` has a data element, only one group a combo, and there is no default.
    let path = mapping_file(&json!({
        "data_elements": {"enrolled": ENROLLED},
        "category_option_combos": {"female/15-24": FEMALE_YOUNG},
    }));
    let app = spawn_app_with(move |c| c.dhis2_mapping = Some(path)).await;
    dataset(&app).await;
    let resp = app.get("/api/v1/reports/dhis2?period=2026Q1").await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let values = resp.body["dataValues"].as_array().unwrap();
    assert_eq!(values.len(), 1, "{values:?}");
    assert_eq!(
        value(&resp.body, ENROLLED, FEMALE_YOUNG).as_deref(),
        Some("1")
    );
    let unmapped: Vec<&Value> = resp.body["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "value_without_mapping")
        .collect();
    let group = |figure: &str, group: Option<&str>| {
        unmapped
            .iter()
            .find(|c| c["figure"] == figure && c["group"].as_str() == group)
            .map(|c| c["value"].as_i64().unwrap())
    };
    // Harare's three certified people: no data element for `certified`.
    assert_eq!(group("certified", None), Some(3));
    // Two enrolled people in groups without a combo.
    assert_eq!(group("enrolled", Some("male/25-34")), Some(1));
    assert_eq!(group("enrolled", Some("female/65+")), Some(1));
    assert!(
        unmapped
            .iter()
            .all(|c| c["message"].as_str().unwrap().contains("mapping file")),
        "{unmapped:?}"
    );
}
