use reqwest::Method;
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_participant_keeps_their_unicode_name_exactly() {
    let app = spawn_app().await;
    for name in [
        "Zoë Müller-Øberg",
        "Ngozi Okonkwo-Adébáyọ̀",
        "Tafadzwa Chikwanha",
    ] {
        let resp = app
            .post(
                "/api/v1/participants",
                json!({"full_name": format!("  {name} "), "target_group": "ratepayer"}),
            )
            .await;
        assert_eq!(resp.status, 201, "{}", resp.text);
        let fetched = app
            .get(&format!("/api/v1/participants/{}", resp.body["id"]))
            .await;
        assert_eq!(fetched.body["full_name"], name);
    }
}

#[tokio::test]
async fn bad_participant_input_is_422_per_field_and_writes_nothing() {
    let app = spawn_app().await;
    let resp = app
        .post("/api/v1/participants", json!({"full_name": "A\u{0007}B", "target_group": "plumber", "email": "nope", "organisation_id": 77}))
        .await;
    resp.assert_problem(422);
    assert!(resp.field_error("target_group").is_some(), "{}", resp.text);
    let resp = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "A\u{0007}B", "target_group": "ratepayer"}),
        )
        .await;
    resp.assert_problem(422);
    assert_eq!(
        resp.field_error("full_name").as_deref(),
        Some("contains U+0007 (control character), which is not allowed"),
        "{}",
        resp.text
    );
    let resp = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "   ", "target_group": "ratepayer", "email": "nope"}),
        )
        .await;
    resp.assert_problem(422);
    assert!(
        resp.field_error("full_name").is_some() && resp.field_error("email").is_some(),
        "{}",
        resp.text
    );
    let resp = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "A", "target_group": "ratepayer", "organisation_id": 77}),
        )
        .await;
    resp.assert_problem(422);
    assert!(resp.field_error("organisation_id").is_some());
    assert_eq!(app.get("/api/v1/participants").await.body["total"], 0);
}

#[tokio::test]
async fn participant_emails_are_unique_whatever_their_case() {
    let app = spawn_app().await;
    let body =
        json!({"full_name": "Rudo", "target_group": "revenue", "email": "rudo@harare.example"});
    assert_eq!(app.post("/api/v1/participants", body).await.status, 201);
    let dup =
        json!({"full_name": "Rudo M", "target_group": "revenue", "email": "RUDO@harare.example"});
    app.post("/api/v1/participants", dup)
        .await
        .assert_problem(409);
}

#[tokio::test]
async fn patching_a_participant_changes_the_given_fields_and_can_clear_optional_ones() {
    let app = spawn_app().await;
    let resp = app
        .post("/api/v1/participants", json!({"full_name": "Chipo", "target_group": "councillor", "ward": "Ward 3", "phone": "+263 77 000 0000"}))
        .await;
    let id = resp.body["id"].as_i64().unwrap();
    let resp = app
        .patch(
            &format!("/api/v1/participants/{id}"),
            json!({"ward": "", "gender": "female"}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["ward"], serde_json::Value::Null);
    assert_eq!(resp.body["gender"], "female");
    assert_eq!(resp.body["phone"], "+263770000000", "stored in E.164");
    app.patch("/api/v1/participants/999", json!({"ward": "x"}))
        .await
        .assert_problem(404);
}

#[tokio::test]
async fn an_email_is_removed_with_null_and_an_empty_one_is_refused() {
    let app = spawn_app().await;
    let empty = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "Chipo", "target_group": "councillor", "email": " "}),
        )
        .await;
    empty.assert_problem(422);
    assert!(empty.field_error("email").is_some(), "{}", empty.text);
    assert_eq!(app.get("/api/v1/participants").await.body["total"], 0);

    let id = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "Chipo", "target_group": "councillor", "email": "chipo@example.org"}),
        )
        .await
        .body["id"]
        .clone();
    let path = format!("/api/v1/participants/{id}");
    app.patch(&path, json!({"email": ""}))
        .await
        .assert_problem(422);
    assert_eq!(app.get(&path).await.body["email"], "chipo@example.org");
    let kept = app.patch(&path, json!({"ward": "Ward 2"})).await;
    assert_eq!(kept.body["email"], "chipo@example.org", "left out: kept");
    let removed = app.patch(&path, json!({"email": null})).await;
    assert_eq!(removed.status, 200, "{}", removed.text);
    assert!(removed.body.get("email").is_none(), "{}", removed.text);
}

#[tokio::test]
async fn a_csv_from_excel_with_windows_line_ends_reports_the_lines_a_person_sees() {
    let app = spawn_app().await;
    // What Excel writes: a BOM, CRLF line ends, and a quoted cell spanning two lines.
    let csv = "\u{feff}full_name,target_group,ward\r\n\
               A One,ratepayer,Ward 1\r\n\
               \"B\r\nTwo\",ratepayer,Ward 2\r\n\
               C Three,plumber,Ward 3\r\n";
    let resp = app
        .request_raw(Method::POST, "/api/v1/participants/import", "text/csv", csv)
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let errors = resp.body["errors"].as_array().unwrap();
    let lines: Vec<u64> = errors.iter().map(|e| e["line"].as_u64().unwrap()).collect();
    // Line 3 holds a line break inside its quotes, so the plumber is on line 5.
    assert!(lines.contains(&5), "{}", resp.text);
    assert_eq!(
        errors.last().unwrap()["field"],
        "target_group",
        "{}",
        resp.text
    );
}

#[tokio::test]
async fn participants_can_be_searched_and_filtered() {
    let app = spawn_app().await;
    app.post(
        "/api/v1/participants",
        json!({"full_name": "Nomvula Ndlovu", "target_group": "management"}),
    )
    .await;
    app.post(
        "/api/v1/participants",
        json!({"full_name": "Tendai Moyo", "target_group": "ratepayer"}),
    )
    .await;
    let resp = app.get("/api/v1/participants?q=ndlo").await;
    assert_eq!(resp.body["total"], 1);
    assert_eq!(resp.body["items"][0]["full_name"], "Nomvula Ndlovu");
    assert_eq!(
        app.get("/api/v1/participants?target_group=ratepayer")
            .await
            .body["total"],
        1
    );
}

#[tokio::test]
async fn a_csv_import_keeps_valid_rows_and_reports_bad_ones_by_line() {
    let app = spawn_app().await;
    app.post(
        "/api/v1/participants",
        json!({"full_name": "Existing", "target_group": "revenue", "email": "taken@example.org"}),
    )
    .await;
    let csv = "full_name,email,target_group,gender,ward\n\
               Zoë Müller-Øberg,zoe@example.org,councillor,female,Ward 1\n\
               ,nobody@example.org,ratepayer,,\n\
               Tendai Moyo,taken@example.org,ratepayer,male,\n\
               \"Chikwanha, Tafadzwa\",tafadzwa@example.org,community_champion,,Ward 17\n\
               Second Zoë,ZOE@example.org,councillor,,\n\
               Farai,farai@example.org,plumber,,\n";
    let resp = app
        .request_raw(Method::POST, "/api/v1/participants/import", "text/csv", csv)
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["created"], 2);
    let errors = resp.body["errors"].as_array().unwrap();
    let lines: Vec<u64> = errors.iter().map(|e| e["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [3, 4, 6, 7], "{}", resp.text);
    assert_eq!(errors[0]["field"], "full_name");
    assert_eq!(errors[1]["field"], "email");
    assert!(
        errors[2]["message"].as_str().unwrap().contains("line 2"),
        "{}",
        resp.text
    );
    assert_eq!(errors[3]["field"], "target_group");

    let all = app.get("/api/v1/participants").await;
    assert_eq!(all.body["total"], 3);
    let names: Vec<&str> = all.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["full_name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Chikwanha, Tafadzwa") && names.contains(&"Zoë Müller-Øberg"));
}

#[tokio::test]
async fn a_malformed_csv_is_refused_whole_and_writes_nothing() {
    let app = spawn_app().await;
    let unknown_column = "full_name,target_group,shoe_size\nA,ratepayer,9\n";
    let resp = app
        .request_raw(
            Method::POST,
            "/api/v1/participants/import",
            "text/csv",
            unknown_column,
        )
        .await;
    resp.assert_problem(422);
    let missing_column = "full_name\nA\n";
    app.request_raw(
        Method::POST,
        "/api/v1/participants/import",
        "text/csv",
        missing_column,
    )
    .await
    .assert_problem(422);
    let ragged = "full_name,target_group\nA,ratepayer\nB,ratepayer,extra\n";
    app.request_raw(
        Method::POST,
        "/api/v1/participants/import",
        "text/csv",
        ragged,
    )
    .await
    .assert_problem(400);
    let not_csv = "{\"full_name\": \"A\"}";
    app.request_raw(
        Method::POST,
        "/api/v1/participants/import",
        "application/json",
        not_csv,
    )
    .await
    .assert_problem(415);
    assert_eq!(app.get("/api/v1/participants").await.body["total"], 0);
}

#[tokio::test]
async fn a_thousand_row_import_is_created_in_one_request() {
    let app = spawn_app().await;
    let mut csv = String::from("full_name,email,target_group\n");
    for i in 0..1000 {
        csv.push_str(&format!("Participant {i},p{i}@example.org,ratepayer\n"));
    }
    let resp = app
        .request_raw(
            Method::POST,
            "/api/v1/participants/import",
            "text/csv",
            &csv,
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["created"], 1000);
    assert_eq!(
        app.get("/api/v1/participants?limit=1").await.body["total"],
        1000
    );
}

#[tokio::test]
async fn a_csv_naming_a_column_twice_is_refused_whole() {
    let app = spawn_app().await;
    let csv = "full_name,target_group,email,Email\nA,ratepayer,a@example.org,b@example.org\n";
    let resp = app
        .request_raw(Method::POST, "/api/v1/participants/import", "text/csv", csv)
        .await;
    resp.assert_problem(422);
    let message = resp
        .field_error("header[3]")
        .expect("the repeated column is named");
    assert!(message.contains("more than once"), "{message}");
    assert_eq!(app.get("/api/v1/participants").await.body["total"], 0);
}

#[tokio::test]
async fn an_import_past_the_row_cap_is_refused_at_the_first_row_too_many() {
    let app = spawn_app().await;
    let mut csv = String::from("full_name,target_group\n");
    for i in 0..10_001 {
        csv.push_str(&format!("P{i},ratepayer\n"));
    }
    // Past the cap the file is not even a table: it is never read, so the answer is the cap's.
    csv.push_str("broken,\"unclosed,quote,and,cells\n");
    let resp = app
        .request_raw(
            Method::POST,
            "/api/v1/participants/import",
            "text/csv",
            &csv,
        )
        .await;
    resp.assert_problem(422);
    let message = resp.field_error("body").expect("the cap is named");
    assert!(message.contains("10,000 rows"), "{message}");
    assert_eq!(app.get("/api/v1/participants").await.body["total"], 0);
}

#[tokio::test]
async fn an_enrol_key_changing_a_participant_does_not_get_their_contact_details_back() {
    let app = spawn_app().await;
    let created = app
        .post(
            "/api/v1/participants",
            json!({"full_name": "Tendai Moyo", "target_group": "ratepayer",
                   "email": "tendai@example.org", "phone": "+263771234567"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.body["id"].as_i64().unwrap();
    let key = app.api_key(&["enrol"]).await;
    let enrol = app.with_token(&key);
    assert_eq!(
        enrol
            .get(&format!("/api/v1/participants/{id}"))
            .await
            .status,
        403
    );
    let changed = enrol
        .patch(&format!("/api/v1/participants/{id}"), json!({}))
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(changed.body["full_name"], "Tendai Moyo");
    assert!(changed.body.get("email").is_none(), "{}", changed.text);
    assert!(changed.body.get("phone").is_none(), "{}", changed.text);
    // An administrator still sees them.
    let full = app.get(&format!("/api/v1/participants/{id}")).await;
    assert_eq!(full.body["email"], "tendai@example.org");
}

#[tokio::test]
async fn names_with_invisible_format_or_unassigned_characters_are_refused() {
    let app = spawn_app().await;
    for c in [
        '\u{061C}',
        '\u{034F}',
        '\u{3164}',
        '\u{180E}',
        '\u{E0041}',
        '\u{FE0F}',
        '\u{0378}',
    ] {
        let name = format!("Tendai{c} Moyo");
        let resp = app
            .post(
                "/api/v1/participants",
                json!({"full_name": name, "target_group": "ratepayer"}),
            )
            .await;
        resp.assert_problem(422);
        assert!(
            resp.field_error("full_name").is_some(),
            "U+{:04X}: {}",
            c as u32,
            resp.text
        );
        let user = app
            .post(
                "/api/v1/users",
                json!({"name": name, "email": "x@example.org", "role": "trainer",
                       "password": "a-long-password"}),
            )
            .await;
        user.assert_problem(422);
    }
    assert_eq!(app.get("/api/v1/participants").await.body["total"], 0);
}
