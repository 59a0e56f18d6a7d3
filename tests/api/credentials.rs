//! Open Badges 3.0 credentials: the document against 1EdTech's JSON Schema, the VC-JWT against
//! the published JWKS (checked with the `rsa` crate, not the signing code), tampering, foreign
//! keys, revocation through the status list, key rotation, and who may fetch what.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{TestApp, spawn_app, spawn_app_with};

/// A completed CSSD-like workshop with one certified participant (who has an email address);
/// returns (certificate id, participant id).
async fn certified(app: &TestApp, email: &str) -> (i64, i64) {
    let course = app.course("WQ", 5).await;
    let (w, people) = app
        .completed_workshop(course, "tot", None, &[], &[("Tendai Moyo", Some(80.0))])
        .await;
    let p = people[0].0;
    let resp = app
        .patch(
            &format!("/api/v1/participants/{p}"),
            json!({"email": email}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let issued = app
        .post(&format!("/api/v1/workshops/{w}/certificates"), json!({}))
        .await;
    assert_eq!(issued.status, 200, "{}", issued.text);
    (issued.body["issued"][0]["id"].as_i64().unwrap(), p)
}

async fn get_with_accept(app: &TestApp, path: &str, accept: &str) -> (u16, String, String) {
    let resp = app
        .client
        .get(format!("{}{path}", app.base))
        .bearer_auth(&app.admin_token)
        .header("Accept", accept)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let ct = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (status, ct, resp.text().await.unwrap())
}

async fn credential_json(app: &TestApp, id: i64) -> Value {
    let (status, ct, body) = get_with_accept(
        app,
        &format!("/api/v1/certificates/{id}/credential"),
        "application/json",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(ct.starts_with("application/json"), "{ct}");
    serde_json::from_str(&body).unwrap()
}

async fn credential_jwt(app: &TestApp, id: i64) -> String {
    let (status, ct, body) = get_with_accept(
        app,
        &format!("/api/v1/certificates/{id}/credential"),
        "application/vc+jwt",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(ct, "application/vc+jwt");
    body
}

async fn verify(app: &TestApp, jwt: &str) -> Value {
    let resp = app
        .anonymous()
        .post("/api/v1/credentials/verify", json!({"credential": jwt}))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    resp.body
}

fn check<'a>(verdict: &'a Value, name: &str) -> &'a Value {
    verdict["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == name)
        .unwrap_or_else(|| panic!("no {name} check in {verdict}"))
}

fn schema() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/schemas/ob_v3p0_achievementcredential_schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn schema_errors(schema: &Value, instance: &Value) -> Vec<String> {
    let validator = jsonschema::validator_for(schema).expect("the schema compiles");
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect()
}

/// Decodes the bitstring of a status list credential (JSON form) independently of the app.
fn status_bit(list: &Value, index: usize) -> bool {
    use std::io::Read;
    let encoded = list["credentialSubject"]["encodedList"].as_str().unwrap();
    let gz = URL_SAFE_NO_PAD
        .decode(encoded.strip_prefix('u').expect("multibase base64url"))
        .unwrap();
    let mut bits = Vec::new();
    flate2::read::GzDecoder::new(gz.as_slice())
        .read_to_end(&mut bits)
        .unwrap();
    assert!(bits.len() * 8 >= 131_072, "{} entries", bits.len() * 8);
    bits[index / 8] & (0x80 >> (index % 8)) != 0
}

#[tokio::test]
async fn a_certificate_credential_is_an_open_badge_valid_against_the_1edtech_schema() {
    let app = spawn_app().await;
    let (id, _) = certified(&app, "Tendai.Moyo@example.org").await;
    let vc = credential_json(&app, id).await;

    let errors = schema_errors(&schema(), &vc);
    assert!(errors.is_empty(), "schema errors: {errors:#?}\n{vc:#}");
    assert_eq!(
        vc["@context"],
        json!([
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ])
    );
    assert_eq!(
        vc["type"],
        json!(["VerifiableCredential", "OpenBadgeCredential"])
    );
    assert_eq!(
        vc["issuer"]["id"],
        format!("{}/api/v1/issuer", app.state.config.public_url)
    );
    assert!(vc["validFrom"].as_str().unwrap().ends_with('Z'));

    let subject = &vc["credentialSubject"];
    assert_eq!(subject["type"], json!(["AchievementSubject"]));
    let ids = subject["identifier"].as_array().unwrap();
    assert_eq!(ids[0]["identityType"], "name");
    assert_eq!(ids[0]["identityHash"], "Tendai Moyo");
    let email = &ids[1];
    assert_eq!(email["identityType"], "emailAddress");
    assert_eq!(email["hashed"], true);
    let salt = email["salt"].as_str().unwrap();
    assert!(salt.len() >= 16, "a real salt: {salt}");
    let expected = format!(
        "sha256${}",
        hex::encode(Sha256::digest(format!("tendai.moyo@example.org{salt}")))
    );
    assert_eq!(email["identityHash"], expected);
    assert!(
        !vc.to_string().to_lowercase().contains("tendai.moyo@"),
        "the address itself never appears"
    );

    let achievement = &subject["achievement"];
    assert_eq!(achievement["humanCode"], "WQ");
    assert_eq!(
        achievement["name"],
        "Course WQ \u{2014} Training of Trainers \u{2014} certified to train others"
    );
    assert_eq!(
        achievement["tag"],
        json!(["Roles", "Processes", "Engagement", "Trust", "Champions"])
    );
    let description = achievement["description"].as_str().unwrap();
    assert!(
        description.contains("five-day course (35 hours)"),
        "{description}"
    );
    let criteria = achievement["criteria"]["narrative"].as_str().unwrap();
    assert!(criteria.contains("at least 5 of the 5 days"), "{criteria}");
    assert!(criteria.contains("at least 60%"), "{criteria}");
    assert_eq!(achievement["creator"]["id"], vc["issuer"]["id"]);

    let status = &vc["credentialStatus"];
    assert_eq!(status["type"], "BitstringStatusListEntry");
    assert_eq!(status["statusPurpose"], "revocation");
    let list_url = status["statusListCredential"].as_str().unwrap();
    assert!(list_url.starts_with(&format!(
        "{}/api/v1/status-lists/",
        app.state.config.public_url
    )));
    assert!(
        status["statusListIndex"]
            .as_str()
            .unwrap()
            .parse::<u32>()
            .is_ok()
    );

    // The issuer profile, public, against the schema's Profile class.
    let issuer = app.anonymous().get("/api/v1/issuer").await;
    assert_eq!(issuer.status, 200);
    let mut profile_schema = schema();
    profile_schema["$ref"] = json!("#/$defs/Profile");
    for key in ["properties", "required", "type", "additionalProperties"] {
        profile_schema.as_object_mut().unwrap().remove(key);
    }
    let errors = schema_errors(&profile_schema, &issuer.body);
    assert!(errors.is_empty(), "profile schema errors: {errors:#?}");
    assert_eq!(issuer.body["id"], vc["issuer"]["id"]);
    assert_eq!(issuer.body["type"], json!(["Profile"]));
    // And a document lacking what the schema requires fails it (the check can fail).
    let mut broken = vc.clone();
    broken["credentialSubject"]["achievement"]
        .as_object_mut()
        .unwrap()
        .remove("criteria");
    assert!(!schema_errors(&schema(), &broken).is_empty());
}

#[tokio::test]
async fn the_vc_jwt_verifies_against_the_published_jwks_with_an_independent_library() {
    use rsa::{
        BigUint, RsaPublicKey,
        pkcs1v15::{Signature, VerifyingKey},
        signature::Verifier,
    };
    let app = spawn_app().await;
    let (id, _) = certified(&app, "rudo@example.org").await;
    let token = credential_jwt(&app, id).await;

    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["typ"], "vc+jwt");
    let kid = header["kid"].as_str().unwrap();

    let jwks = app.anonymous().get("/.well-known/jwks.json").await;
    assert_eq!(jwks.status, 200);
    let jwk = jwks.body["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid)
        .expect("the kid is published");
    assert_eq!(jwk["kty"], "RSA");
    assert!(jwk.get("d").is_none(), "no private member is published");
    let int = |m: &str| {
        BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(jwk[m].as_str().unwrap()).unwrap())
    };
    let key = VerifyingKey::<Sha256>::new(RsaPublicKey::new(int("n"), int("e")).unwrap());
    let signing_input = format!("{}.{}", parts[0], parts[1]);
    let signature =
        Signature::try_from(URL_SAFE_NO_PAD.decode(parts[2]).unwrap().as_slice()).unwrap();
    key.verify(signing_input.as_bytes(), &signature)
        .expect("the signature verifies with the published key");

    // The payload is the credential itself.
    let payload: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    let vc = credential_json(&app, id).await;
    for field in [
        "@context",
        "id",
        "type",
        "issuer",
        "validFrom",
        "credentialSubject",
        "credentialStatus",
    ] {
        assert_eq!(payload[field], vc[field], "{field}");
    }
    assert_eq!(payload["iss"], vc["issuer"]["id"]);

    // A changed byte of the signed content no longer verifies with the same library.
    let mut changed = parts[1].as_bytes().to_vec();
    changed[10] = if changed[10] == b'A' { b'B' } else { b'A' };
    let tampered = format!("{}.{}", parts[0], String::from_utf8(changed).unwrap());
    assert!(key.verify(tampered.as_bytes(), &signature).is_err());
}

#[tokio::test]
async fn tampered_and_foreign_credentials_are_invalid_with_the_failing_check_named() {
    let app = spawn_app().await;
    let (id, _) = certified(&app, "farai@example.org").await;
    let token = credential_jwt(&app, id).await;

    let genuine = verify(&app, &token).await;
    assert_eq!(genuine["valid"], true, "{genuine:#}");
    for name in [
        "format",
        "algorithm",
        "key",
        "signature",
        "issuer",
        "type",
        "expiry",
        "status",
    ] {
        assert_eq!(check(&genuine, name)["ok"], true, "{name}: {genuine:#}");
    }
    assert_eq!(
        genuine["credential_subject"]["achievement"]["humanCode"],
        "WQ"
    );

    // A different holder name, re-encoded, with the original signature.
    let parts: Vec<&str> = token.split('.').collect();
    let mut payload: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    payload["credentialSubject"]["identifier"][0]["identityHash"] = json!("Someone Else");
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(payload.to_string()),
        parts[2]
    );
    let verdict = verify(&app, &forged).await;
    assert_eq!(verdict["valid"], false);
    assert_eq!(check(&verdict, "signature")["ok"], false, "{verdict:#}");
    assert_eq!(verdict["credential_subject"], Value::Null);

    // Any single changed byte of the token fails some check.
    for at in [5, token.len() / 2, token.len() - 3] {
        let mut bytes = token.clone().into_bytes();
        bytes[at] = if bytes[at] == b'x' { b'y' } else { b'x' };
        let verdict = verify(&app, &String::from_utf8(bytes).unwrap()).await;
        assert_eq!(verdict["valid"], false, "byte {at}: {verdict:#}");
        assert!(
            verdict["checks"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["ok"] == false),
            "a failing check is named: {verdict:#}"
        );
    }

    // Signed by someone else's key (a kid we never published).
    let pem = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/foreign-key.pem"),
    )
    .unwrap();
    let foreign = cssd::credential::keys::SigningKey::from_pem(&pem).unwrap();
    let foreign_token = cssd::credential::jwt::sign(&payload, &foreign).unwrap();
    let verdict = verify(&app, &foreign_token).await;
    assert_eq!(verdict["valid"], false);
    assert_eq!(check(&verdict, "key")["ok"], false, "{verdict:#}");

    let verdict = verify(&app, "not a credential").await;
    assert_eq!(verdict["valid"], false);
    assert_eq!(check(&verdict, "format")["ok"], false);

    // A body without a credential is a 422, not a verdict.
    let resp = app
        .anonymous()
        .post("/api/v1/credentials/verify", json!({}))
        .await;
    resp.assert_problem(422);
}

#[tokio::test]
async fn revoking_sets_the_status_bit_and_verification_then_fails_on_status() {
    let app = spawn_app().await;
    let (id, _) = certified(&app, "chipo@example.org").await;
    let token = credential_jwt(&app, id).await;
    let vc = credential_json(&app, id).await;
    let index: usize = vc["credentialStatus"]["statusListIndex"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let list_path = vc["credentialStatus"]["statusListCredential"]
        .as_str()
        .unwrap()
        .trim_start_matches(&app.state.config.public_url)
        .to_owned();

    let list = app.anonymous().request(Method::GET, &list_path, None).await;
    assert_eq!(list.status, 200);
    assert_eq!(list.content_type(), "application/vc+jwt");
    // The list credential is itself signed and verifies by its kid.
    let (status, _, list_json) = get_with_accept(&app, &list_path, "application/json").await;
    assert_eq!(status, 200);
    let list_json: Value = serde_json::from_str(&list_json).unwrap();
    assert_eq!(
        list_json["type"],
        json!(["VerifiableCredential", "BitstringStatusListCredential"])
    );
    assert_eq!(
        list_json["credentialSubject"]["statusPurpose"],
        "revocation"
    );
    assert!(!status_bit(&list_json, index), "not revoked yet");

    let resp = app
        .post(
            &format!("/api/v1/certificates/{id}/revoke"),
            json!({"reason": "issued in error"}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);

    let (_, _, after) = get_with_accept(&app, &list_path, "application/json").await;
    let after: Value = serde_json::from_str(&after).unwrap();
    assert!(status_bit(&after, index), "revocation set the bit");
    let neighbours = (index.saturating_sub(3)..index + 3).filter(|&i| i != index);
    for i in neighbours {
        assert!(!status_bit(&after, i), "bit {i} stays clear");
    }

    let verdict = verify(&app, &token).await;
    assert_eq!(verdict["valid"], false, "{verdict:#}");
    let status = check(&verdict, "status");
    assert_eq!(status["ok"], false);
    assert!(
        status["detail"].as_str().unwrap().contains("revoked"),
        "{status}"
    );
    assert_eq!(check(&verdict, "signature")["ok"], true);
}

#[tokio::test]
async fn a_rotated_key_keeps_credentials_it_signed_verifiable() {
    let app = spawn_app_with(|c| {
        c.signing_key_file = None;
        c.key_passphrase = Some("a passphrase for the test".into());
    })
    .await;
    let (id, _) = certified(&app, "kuda@example.org").await;
    let before = credential_jwt(&app, id).await;

    let new_kid = cssd::services::credentials::rotate(&app.state.db, &app.state.config)
        .await
        .unwrap();
    let after = credential_jwt(&app, id).await;
    let kid_of = |t: &str| -> String {
        let header: Value = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(t.split('.').next().unwrap())
                .unwrap(),
        )
        .unwrap();
        header["kid"].as_str().unwrap().to_owned()
    };
    assert_ne!(kid_of(&before), kid_of(&after));
    assert_eq!(kid_of(&after), new_kid);

    let jwks = app.anonymous().get("/.well-known/jwks.json").await;
    let kids: Vec<&str> = jwks.body["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    assert_eq!(kids.len(), 2);
    assert!(kids.contains(&kid_of(&before).as_str()) && kids.contains(&new_kid.as_str()));

    assert_eq!(verify(&app, &before).await["valid"], true);
    assert_eq!(verify(&app, &after).await["valid"], true);

    // The private keys are stored sealed: not readable as PKCS#8 without the passphrase.
    use sea_orm::EntityTrait;
    let rows = entity::signing_key::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    for row in rows {
        assert_eq!(row.protection, "argon2id-xchacha20poly1305");
        let stored = row.private_key.unwrap();
        assert!(cssd::credential::keys::SigningKey::from_pkcs8_der(&stored).is_err());
    }
}

#[tokio::test]
async fn certificates_issued_before_credentials_existed_get_one_at_start() {
    use sea_orm::EntityTrait;
    let app = spawn_app().await;
    let (id, _) = certified(&app, "tariro@example.org").await;
    let revoke = app
        .post(
            &format!("/api/v1/certificates/{id}/revoke"),
            json!({"reason": "duplicate"}),
        )
        .await;
    assert_eq!(revoke.status, 200);
    // As if the certificate predated credentials: no credential row, no bit.
    entity::certificate_credential::Entity::delete_many()
        .exec(&app.state.db)
        .await
        .unwrap();
    let list = entity::status_list::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    for l in list {
        let mut active: entity::status_list::ActiveModel = l.into();
        active.bits = sea_orm::ActiveValue::Set(vec![0; 131_072 / 8]);
        sea_orm::ActiveModelTrait::update(active, &app.state.db)
            .await
            .unwrap();
    }
    assert_eq!(
        cssd::services::credentials::backfill(&app.state.db)
            .await
            .unwrap(),
        1
    );
    let vc = credential_json(&app, id).await;
    assert!(schema_errors(&schema(), &vc).is_empty());
    let token = credential_jwt(&app, id).await;
    let verdict = verify(&app, &token).await;
    assert_eq!(
        check(&verdict, "status")["ok"],
        false,
        "the old revocation is in the list: {verdict:#}"
    );
    assert_eq!(
        cssd::services::credentials::backfill(&app.state.db)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn the_credential_has_the_same_access_as_the_pdf() {
    let app = spawn_app().await;
    let (id, holder) = certified(&app, "nyasha@example.org").await;
    let own = app
        .user_token("participant", "holder@example.org", Some(holder))
        .await;
    let other_p = app.participant("Someone Else").await;
    let other = app
        .user_token("participant", "other@example.org", Some(other_p))
        .await;
    let path = format!("/api/v1/certificates/{id}/credential");

    assert_eq!(app.with_token(&own).get(&path).await.status, 200);
    app.with_token(&other).get(&path).await.assert_problem(403);
    app.anonymous().get(&path).await.assert_problem(401);
    app.get("/api/v1/certificates/999999/credential")
        .await
        .assert_problem(404);
    app.anonymous()
        .get("/api/v1/status-lists/999999")
        .await
        .assert_problem(404);
    // The public documents need no credentials.
    assert_eq!(app.anonymous().get("/api/v1/issuer").await.status, 200);
    assert_eq!(
        app.anonymous().get("/.well-known/jwks.json").await.status,
        200
    );
}

#[tokio::test]
async fn a_friday_start_certificate_says_five_day_course_and_names_the_lead_trainer() {
    let app = spawn_app().await;
    let course = app.course("FR", 5).await;
    app.user_token("trainer", "rufaro.trainer@example.org", None)
        .await;
    let users = app.get("/api/v1/users").await;
    let trainer = users.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "rufaro.trainer@example.org")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    // Friday 27 February 2026: the five working days end on Thursday 5 March.
    let w = app
        .post(
            "/api/v1/workshops",
            json!({"course_id": course, "level": "tot", "venue": "Town House, Harare",
                   "start_date": "2026-02-27", "trainer_ids": [trainer]}),
        )
        .await;
    assert_eq!(w.status, 201, "{}", w.text);
    let w = w.body["id"].as_i64().unwrap();
    let p = app.participant("Tendai Moyo").await;
    let e = app
        .post(
            &format!("/api/v1/workshops/{w}/enrolments"),
            json!({"participant_id": p}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let marks: Vec<Value> = (1..=5)
        .map(|day| json!({"enrolment_id": e, "day": day, "status": "present"}))
        .collect();
    let resp = app
        .put(
            &format!("/api/v1/workshops/{w}/attendance"),
            json!({"records": marks}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let resp = app
        .put(
            &format!("/api/v1/workshops/{w}/assessments"),
            json!({"records": [{"enrolment_id": e, "kind": "post_test", "score": 75, "max_score": 100}]}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let resp = app
        .post(&format!("/api/v1/workshops/{w}/complete"), json!({}))
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let issued = app
        .post(&format!("/api/v1/workshops/{w}/certificates"), json!({}))
        .await;
    assert_eq!(issued.status, 200, "{}", issued.text);
    let cert = &issued.body["issued"][0];
    assert_eq!(cert["end_date"], "2026-03-05", "seven calendar days");

    let (status, _, pdf) = app
        .bytes(&format!("/api/v1/certificates/{}/pdf", cert["id"]))
        .await;
    assert_eq!(status, 200);
    let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("five-day course"), "{flat}");
    assert!(!flat.contains("seven-day"), "{flat}");
    assert!(
        flat.contains("Lead trainer: rufaro.trainer@example.org"),
        "{flat}"
    );
    assert!(flat.contains("Topics covered: Roles"), "{flat}");
    assert!(
        flat.contains(&format!(
            "/verify/{}",
            cert["verification_code"].as_str().unwrap()
        )),
        "the QR caption shows the page for people: {flat}"
    );

    let vc = credential_json(&app, cert["id"].as_i64().unwrap()).await;
    let description = vc["credentialSubject"]["achievement"]["description"]
        .as_str()
        .unwrap();
    assert!(
        description.contains("Lead trainer: rufaro.trainer@example.org"),
        "{description}"
    );
    assert!(
        description.contains("five-day course (35 hours)"),
        "{description}"
    );
}

#[tokio::test]
async fn a_key_created_without_a_passphrase_is_sealed_once_one_is_set() {
    use sea_orm::EntityTrait;
    let app = spawn_app_with(|c| c.signing_key_file = None).await;
    let (id, _) = certified(&app, "vimbai@example.org").await;
    let token = credential_jwt(&app, id).await;
    let row = entity::signing_key::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.protection, "none");

    // The next start has a passphrase: the stored key is encrypted and still signs.
    let mut config = (*app.state.config).clone();
    config.key_passphrase = Some("now with a passphrase".into());
    let ring = cssd::services::credentials::Keyring::open(&app.state.db, &config)
        .await
        .unwrap();
    let row = entity::signing_key::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.protection, "argon2id-xchacha20poly1305");
    assert!(cssd::credential::keys::SigningKey::from_pkcs8_der(&row.private_key.unwrap()).is_err());
    let key = ring.signing_key(&app.state.db).await.unwrap();
    assert_eq!(key.kid, row.kid, "the same key, opened with the passphrase");
    assert_eq!(verify(&app, &token).await["valid"], true);

    // Without the passphrase, a start refuses with the reason.
    config.key_passphrase = None;
    let err = cssd::services::credentials::Keyring::open(&app.state.db, &config)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("CSSD_KEY_PASSPHRASE"), "{err:#}");
}
