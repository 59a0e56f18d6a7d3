//! Certificates, round 3: reissue (one and a whole workshop), the revocation reason, sharing.

use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

async fn issue(app: &TestApp, workshop: i64) -> Vec<Value> {
    let resp = app
        .post(
            &format!("/api/v1/workshops/{workshop}/certificates"),
            json!({}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    resp.body["issued"].as_array().unwrap().clone()
}

/// A completed ToT workshop of a new course with the given (eligible) people, issued.
async fn issued(app: &TestApp, code: &str, names: &[&str]) -> (i64, Vec<Value>) {
    let course = app.course(code, 5).await;
    let people: Vec<(&str, Option<f64>)> = names.iter().map(|n| (*n, Some(90.0))).collect();
    let (w, ids) = app
        .completed_workshop(course, "tot", None, &[], &people)
        .await;
    for (i, (p, _)) in ids.iter().enumerate() {
        let resp = app
            .patch(
                &format!("/api/v1/participants/{p}"),
                json!({"email": format!("{}{i}@example.org", code.to_lowercase())}),
            )
            .await;
        assert_eq!(resp.status, 200, "{}", resp.text);
    }
    (w, issue(app, w).await)
}

async fn pdf(app: &TestApp, id: i64) -> Vec<u8> {
    let (status, ct, bytes) = app.bytes(&format!("/api/v1/certificates/{id}/pdf")).await;
    assert_eq!(status, 200);
    assert_eq!(ct, "application/pdf");
    bytes
}

async fn verification(app: &TestApp, code: &str) -> Value {
    let resp = app
        .anonymous()
        .get(&format!("/api/v1/verify/{code}?format=json"))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    resp.body
}

async fn page(app: &TestApp, code: &str) -> String {
    let resp = app.anonymous().get(&format!("/verify/{code}")).await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    resp.text
}

async fn credential_status(app: &TestApp, certificate: i64) -> Value {
    let (status, _, jwt) = app
        .bytes(&format!("/api/v1/certificates/{certificate}/credential"))
        .await;
    assert_eq!(status, 200);
    let resp = app
        .anonymous()
        .post(
            "/api/v1/credentials/verify",
            json!({"credential": String::from_utf8(jwt).unwrap()}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    resp.body["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "status")
        .cloned()
        .unwrap()
}

#[tokio::test]
async fn a_reissue_corrects_the_name_keeps_the_old_pdf_and_both_codes_verify_as_they_should() {
    let app = spawn_app().await;
    let (_, certs) = issued(&app, "RI", &["Tendai Mayo"]).await;
    let old = &certs[0];
    let old_id = old["id"].as_i64().unwrap();
    let old_code = old["verification_code"].as_str().unwrap().to_owned();
    let old_pdf = pdf(&app, old_id).await;

    let resp = app
        .post(
            &format!("/api/v1/certificates/{old_id}/reissue"),
            json!({"reason": "Surname misspelt", "full_name": "Tendai Moyo"}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    let new = resp.body;
    let new_id = new["id"].as_i64().unwrap();
    assert_ne!(new["number"], old["number"]);
    assert_ne!(new["verification_code"], old["verification_code"]);
    assert_eq!(new["holder_name"], "Tendai Moyo");
    assert_eq!(new["supersedes"], old_id);
    assert_eq!(new["status"], "valid");
    assert_eq!(new["enrolment_id"], old["enrolment_id"]);

    // The participant record was corrected first.
    let p = app
        .get(&format!("/api/v1/participants/{}", old["participant_id"]))
        .await;
    assert_eq!(p.body["full_name"], "Tendai Moyo");

    // The old certificate: superseded, linked, and its PDF byte for byte as issued.
    let before = app
        .get(&format!("/api/v1/certificates/{old_id}"))
        .await
        .body;
    assert_eq!(before["status"], "superseded");
    assert_eq!(before["superseded_by"], new_id);
    assert_eq!(before["holder_name"], "Tendai Mayo");
    assert_eq!(
        pdf(&app, old_id).await,
        old_pdf,
        "the old PDF never changes"
    );

    // Both codes verify as they should: the old one replaced (naming the new), the new valid.
    let old_check = verification(&app, &old_code).await;
    assert_eq!(old_check["valid"], false);
    assert_eq!(old_check["status"], "superseded");
    assert_eq!(old_check["superseded_by"]["number"], new["number"]);
    assert_eq!(
        old_check["superseded_by"]["verification_code"],
        new["verification_code"]
    );
    let new_check = verification(&app, new["verification_code"].as_str().unwrap()).await;
    assert_eq!(new_check["valid"], true);
    assert_eq!(new_check["holder_name"], "Tendai Moyo");

    // The page of the old code says "Replaced" and links the new one.
    let html = page(&app, &old_code).await;
    assert!(html.contains("REPLACED"), "{html}");
    assert!(html.contains(&format!(
        "/verify/{}",
        new["verification_code"].as_str().unwrap()
    )));
    assert!(html.contains(new["number"].as_str().unwrap()));

    // The old credential's status bit is set; the new one's is not.
    let old_status = credential_status(&app, old_id).await;
    assert_eq!(old_status["ok"], false);
    assert!(
        old_status["detail"]
            .as_str()
            .unwrap()
            .contains(new["number"].as_str().unwrap()),
        "{old_status}"
    );
    assert_eq!(credential_status(&app, new_id).await["ok"], true);

    // Audited on the old certificate with the reason; the holder is mailed the new one.
    let audit = app
        .get(&format!(
            "/api/v1/audit?entity=certificate&entity_id={old_id}"
        ))
        .await;
    assert_eq!(audit.status, 200, "{}", audit.text);
    assert!(audit.text.contains("reissue"), "{}", audit.text);
    assert!(audit.text.contains("Surname misspelt"), "{}", audit.text);
    let mail = app.get("/api/v1/emails?kind=certificate&limit=50").await;
    let to_new: Vec<&Value> = mail.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["subject"].as_str().unwrap().contains("corrected"))
        .collect();
    assert_eq!(to_new.len(), 1, "{}", mail.text);
    assert_eq!(to_new[0]["recipient"], "ri0@example.org");

    // The old one cannot be reissued, revoked or emailed again.
    for (path, body) in [
        ("reissue", json!({"reason": "again"})),
        ("revoke", json!({"reason": "again"})),
        ("email", json!({})),
    ] {
        let resp = app
            .post(&format!("/api/v1/certificates/{old_id}/{path}"), body)
            .await;
        let problem = resp.assert_problem(409);
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains(new["number"].as_str().unwrap()),
            "{problem}"
        );
    }
}

#[tokio::test]
async fn a_reissue_with_bad_input_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let (_, certs) = issued(&app, "RB", &["Rudo Dube"]).await;
    let id = certs[0]["id"].as_i64().unwrap();
    let path = format!("/api/v1/certificates/{id}/reissue");
    let resp = app.post(&path, json!({"reason": "  "})).await;
    resp.assert_problem(422);
    assert!(resp.field_error("reason").is_some(), "{}", resp.text);
    let resp = app.post(&path, json!({})).await;
    resp.assert_problem(422);
    // A name the certificate font cannot print.
    let resp = app
        .post(
            &path,
            json!({"reason": "typo", "full_name": "Rudo \u{1F600}"}),
        )
        .await;
    resp.assert_problem(422);
    assert!(resp.field_error("full_name").is_some(), "{}", resp.text);
    app.post(
        "/api/v1/certificates/999999/reissue",
        json!({"reason": "x"}),
    )
    .await
    .assert_problem(404);
    // Nothing changed.
    let c = app.get(&format!("/api/v1/certificates/{id}")).await.body;
    assert_eq!(c["status"], "valid");
    assert!(c.get("superseded_by").is_none());
    let p = app
        .get(&format!("/api/v1/participants/{}", c["participant_id"]))
        .await;
    assert_eq!(p.body["full_name"], "Rudo Dube");
    let all = app.get("/api/v1/certificates?limit=50").await;
    assert_eq!(all.body["total"], 1);
    // Only certificate managers may reissue.
    let token = app
        .user_token(
            "participant",
            "rudo@example.org",
            Some(c["participant_id"].as_i64().unwrap()),
        )
        .await;
    app.with_token(&token)
        .post(&path, json!({"reason": "typo"}))
        .await
        .assert_problem(403);
}

#[tokio::test]
async fn a_workshop_wide_reissue_replaces_every_valid_certificate_and_leaves_the_revoked() {
    let app = spawn_app().await;
    let (w, certs) = issued(&app, "RW", &["Farai Banda", "Chipo Mutasa", "Nyasha Gumbo"]).await;
    // One is revoked: it stays revoked and is not reissued.
    let revoked = certs[2]["id"].as_i64().unwrap();
    let resp = app
        .post(
            &format!("/api/v1/certificates/{revoked}/revoke"),
            json!({"reason": "Did not attend"}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let path = format!("/api/v1/workshops/{w}/certificates/reissue");
    app.post(&path, json!({"reason": ""}))
        .await
        .assert_problem(422);
    let resp = app.post(&path, json!({"reason": "Venue was wrong"})).await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let reissued = resp.body["reissued"].as_array().unwrap();
    assert_eq!(reissued.len(), 2);
    assert_eq!(resp.body["emails_queued"], 2);
    for (new, old) in reissued.iter().zip(&certs[..2]) {
        assert_eq!(new["supersedes"], old["id"]);
        assert_eq!(new["participant_id"], old["participant_id"]);
        assert_ne!(new["number"], old["number"]);
        let old = app
            .get(&format!("/api/v1/certificates/{}", old["id"]))
            .await
            .body;
        assert_eq!(old["status"], "superseded");
        assert_eq!(old["superseded_by"], new["id"]);
    }
    let still = app
        .get(&format!("/api/v1/certificates/{revoked}"))
        .await
        .body;
    assert_eq!(still["status"], "revoked");
    // Issuing again gives nobody whose certificate was reissued a second one (only the
    // holder of the revoked one, as after any revocation, is issued a new certificate).
    let again = app
        .post(&format!("/api/v1/workshops/{w}/certificates"), json!({}))
        .await;
    let again: Vec<&Value> = again.body["issued"].as_array().unwrap().iter().collect();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0]["participant_id"], certs[2]["participant_id"]);
    app.post(
        "/api/v1/workshops/999999/certificates/reissue",
        json!({"reason": "x"}),
    )
    .await
    .assert_problem(404);
}

#[tokio::test]
async fn a_revoked_certificate_shows_its_reason_on_the_page_and_in_the_json() {
    let app = spawn_app().await;
    let (_, certs) = issued(&app, "RR", &["Tatenda Sibanda"]).await;
    let id = certs[0]["id"].as_i64().unwrap();
    let code = certs[0]["verification_code"].as_str().unwrap();
    let resp = app
        .post(
            &format!("/api/v1/certificates/{id}/revoke"),
            json!({"reason": "Post-test marks were entered for the wrong person"}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let check = verification(&app, code).await;
    assert_eq!(check["valid"], false);
    assert_eq!(check["status"], "revoked");
    assert_eq!(
        check["revocation_reason"],
        "Post-test marks were entered for the wrong person"
    );
    assert!(check["revoked_at"].is_string());
    assert!(check.get("superseded_by").is_none());
    let html = page(&app, code).await;
    assert!(html.contains("REVOKED"));
    assert!(html.contains("Post-test marks were entered for the wrong person"));
    assert!(
        !html.contains("linkedin.com"),
        "no sharing of a revoked one"
    );
    // A valid certificate's JSON has no reason.
    let (_, others) = issued(&app, "RV", &["Kuda Ncube"]).await;
    let fine = verification(&app, others[0]["verification_code"].as_str().unwrap()).await;
    assert!(fine.get("revocation_reason").is_none(), "{fine}");
}

#[tokio::test]
async fn sharing_gives_linkedins_add_to_profile_link_and_the_verify_url() {
    let app = spawn_app().await;
    let (_, certs) = issued(&app, "SH", &["Ruvimbo Chari"]).await;
    let c = &certs[0];
    let id = c["id"].as_i64().unwrap();
    let resp = app.get(&format!("/api/v1/certificates/{id}/share")).await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let verify_url = resp.body["verify_url"].as_str().unwrap();
    assert_eq!(verify_url, c["verification_url"].as_str().unwrap());
    let link = url::Url::parse(resp.body["linkedin_url"].as_str().unwrap()).unwrap();
    assert_eq!(link.host_str(), Some("www.linkedin.com"));
    assert_eq!(link.path(), "/profile/add");
    let q: std::collections::HashMap<String, String> = link.query_pairs().into_owned().collect();
    assert_eq!(q["startTask"], "CERTIFICATION_NAME");
    assert!(q["name"].starts_with("Course SH"), "{q:?}");
    assert!(q["organizationName"].contains("IWSD"));
    assert_eq!(
        q["issueYear"],
        c["issued_on"].as_str().unwrap()[..4].to_string()
    );
    let month: u32 = c["issued_on"].as_str().unwrap()[5..7].parse().unwrap();
    assert_eq!(q["issueMonth"], month.to_string());
    assert_eq!(q["certUrl"], verify_url);
    assert_eq!(q["certId"], c["number"].as_str().unwrap());

    // The holder may share their own; someone else may not; nobody shares a revoked one.
    let mine = app
        .user_token(
            "participant",
            "ruvimbo@example.org",
            Some(c["participant_id"].as_i64().unwrap()),
        )
        .await;
    let own = app
        .with_token(&mine)
        .get(&format!("/api/v1/certificates/{id}/share"))
        .await;
    assert_eq!(own.status, 200, "{}", own.text);
    let other = app
        .user_token("participant", "other@example.org", None)
        .await;
    app.with_token(&other)
        .get(&format!("/api/v1/certificates/{id}/share"))
        .await
        .assert_problem(403);
    app.get("/api/v1/certificates/999999/share")
        .await
        .assert_problem(404);
    // The verify page offers it too.
    let html = page(&app, c["verification_code"].as_str().unwrap()).await;
    assert!(html.contains("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME"));
    app.post(
        &format!("/api/v1/certificates/{id}/revoke"),
        json!({"reason": "Issued in error"}),
    )
    .await;
    app.get(&format!("/api/v1/certificates/{id}/share"))
        .await
        .assert_problem(409);
}
