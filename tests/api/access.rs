//! The role matrix: every operation in the spec, called by every kind of caller, answers as
//! the role table of the contract says. An operation without a rule here fails the test.

use reqwest::Method;
use serde_json::json;

use crate::helpers::spawn_app;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Admin,
    Trainer,
    Participant,
    KeyRead,
    KeyEnrol,
    KeyAttendance,
    KeyCertificates,
    KeyAdmin,
}

use Who::*;

const EVERYONE: [Who; 9] = [
    Anonymous,
    Admin,
    Trainer,
    Participant,
    KeyRead,
    KeyEnrol,
    KeyAttendance,
    KeyCertificates,
    KeyAdmin,
];

enum Rule {
    /// Anyone, without credentials.
    Public,
    /// Any authenticated caller.
    AnyCaller,
    /// Only these callers; other authenticated callers get 403.
    Only(&'static [Who]),
}

const ADMINS: &[Who] = &[Admin, KeyAdmin];
const CATALOGUE_READERS: &[Who] = &[Admin, Trainer, KeyRead, KeyAdmin];
// Trainers read rosters and registers only of the workshops they train: the workshops in this
// matrix are nobody's, so a trainer gets 403 (`trainer_reads_follow_assignment` covers theirs).
const ROSTER_READERS: &[Who] = &[Admin, KeyRead, KeyAdmin];
const ENROLLERS: &[Who] = &[Admin, KeyEnrol, KeyAdmin];
const REGISTER_READERS: &[Who] = &[Admin, KeyRead, KeyAttendance, KeyAdmin];
const MARKERS: &[Who] = &[Admin, Trainer, KeyAttendance, KeyAdmin];
const CERTIFIERS: &[Who] = &[Admin, KeyCertificates, KeyAdmin];

/// The role table, per operation.
fn rule(operation_id: &str) -> Option<Rule> {
    Some(match operation_id {
        "get_health"
        | "login"
        | "request_email_link"
        | "get_privacy_notice"
        | "request_sms_code"
        | "verify_sms_code"
        | "list_public_workshops"
        | "apply_for_workshop"
        | "confirm_application_by_link"
        | "confirm_application_by_code" => Rule::Public,
        "logout" | "get_me" | "list_my_enrolments" | "list_holidays" => Rule::AnyCaller,
        "list_courses"
        | "get_course"
        | "list_organisations"
        | "get_organisation"
        | "list_workshops"
        | "get_workshop"
        | "get_workshop_schedule"
        | "get_workshop_calendar" => Rule::Only(CATALOGUE_READERS),
        "create_course"
        | "update_course"
        | "create_organisation"
        | "create_workshop"
        | "update_workshop"
        | "start_workshop"
        | "complete_workshop"
        | "cancel_workshop"
        | "update_organisation"
        | "create_holiday"
        | "delete_holiday" => Rule::Only(ADMINS),
        "list_trainers" | "list_duplicate_participants" | "merge_participant" => Rule::Only(ADMINS),
        "list_webhooks"
        | "create_webhook"
        | "get_webhook"
        | "update_webhook"
        | "delete_webhook"
        | "list_webhook_deliveries"
        | "retry_webhook_delivery" => Rule::Only(ADMINS),
        "list_participants" | "get_participant" => Rule::Only(ROSTER_READERS),
        "list_enrolments" | "get_enrolment" | "get_attendance" | "get_attendance_csv"
        | "get_results" => Rule::Only(REGISTER_READERS),
        "mark_attendance" | "record_assessments" => Rule::Only(MARKERS),
        "verify_certificate" => Rule::Public,
        "get_certificate" | "get_certificate_pdf" | "list_my_certificates" => Rule::AnyCaller,
        "get_certificate_credential" => Rule::AnyCaller,
        "share_certificate" | "get_certificate_badge" => Rule::AnyCaller,
        "get_issuer" | "get_jwks" | "get_status_list" | "verify_credential" => Rule::Public,
        "get_achievement_badge" => Rule::Public,
        "issue_certificates"
        | "list_certificates"
        | "revoke_certificate"
        | "reissue_certificate"
        | "reissue_workshop_certificates"
        | "get_workshop_certificates_zip"
        | "email_certificate" => Rule::Only(CERTIFIERS),
        "list_emails" | "list_sms" => Rule::Only(ADMINS),
        "list_applications"
        | "accept_application"
        | "decline_application"
        | "export_participant"
        | "erase_participant" => Rule::Only(ADMINS),
        "get_dhis2_report" | "push_dhis2_report" => Rule::Only(ADMINS),
        "export_me" => Rule::AnyCaller,
        "create_evaluation" => Rule::Only(&[Admin, Participant, KeyAdmin]),
        "get_evaluation_summary" | "get_evaluations_csv" | "get_evaluation_form_pdf" => {
            Rule::Only(&[Admin, Trainer, KeyAdmin])
        }
        "create_outreach" => Rule::Only(&[Admin, Trainer, Participant, KeyAdmin]),
        // Trainers read only what the contract lists for their own workshops; outreach lists
        // are for administrators, readers and the participants themselves.
        "list_outreach" => Rule::Only(&[Admin, Participant, KeyRead, KeyAdmin]),
        "get_summary_report" | "get_summary_report_csv" => Rule::Only(ROSTER_READERS),
        "get_workshop_roster_csv" => Rule::Only(ROSTER_READERS),
        "get_certificates_csv" => Rule::Only(CERTIFIERS),
        "get_workshop_cascade" => Rule::Only(CATALOGUE_READERS),
        "create_participant"
        | "import_participants"
        | "update_participant"
        | "create_enrolment"
        | "withdraw_enrolment" => Rule::Only(ENROLLERS),
        "create_user" | "list_users" | "create_api_key" | "list_api_keys" | "revoke_api_key"
        | "list_audit_entries" => Rule::Only(ADMINS),
        "update_user" => Rule::Only(ADMINS),
        // API keys have no password.
        "change_my_password" => Rule::Only(&[Admin, Trainer, Participant]),
        _ => return None,
    })
}

#[tokio::test]
async fn every_operation_answers_each_role_as_the_role_table_says() {
    let app = spawn_app().await;
    let mut tokens = vec![];
    for who in EVERYONE {
        let token = match who {
            Anonymous => None,
            Admin => Some(app.admin_token.clone()),
            Trainer => Some(app.user_token("trainer", "trainer@example.org", None).await),
            Participant => Some(
                app.user_token("participant", "participant@example.org", None)
                    .await,
            ),
            KeyRead => Some(app.api_key(&["read"]).await),
            KeyEnrol => Some(app.api_key(&["enrol"]).await),
            KeyAttendance => Some(app.api_key(&["attendance"]).await),
            KeyCertificates => Some(app.api_key(&["certificates"]).await),
            KeyAdmin => Some(app.api_key(&["admin"]).await),
        };
        tokens.push((who, token));
    }

    let spec = app.anonymous().get("/openapi.json").await.body;
    let mut operations = vec![];
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap().to_owned();
            // Path parameters point at nothing, so allowed callers see 404 or 422, never 401/403.
            let concrete = path
                .split('/')
                .map(|seg| if seg.starts_with('{') { "999999" } else { seg })
                .collect::<Vec<_>>()
                .join("/");
            operations.push((id, method.to_uppercase(), concrete));
        }
    }
    // Logging out ends the caller's session, so it goes last.
    operations.sort_by_key(|(id, _, _)| id == "logout");

    let mut failures = vec![];
    for (id, method, path) in &operations {
        let Some(rule) = rule(id) else {
            failures.push(format!("{id}: no rule in the role matrix"));
            continue;
        };
        for (who, token) in &tokens {
            let caller = match token {
                Some(t) => app.with_token(t),
                None => app.anonymous(),
            };
            let method = Method::from_bytes(method.as_bytes()).unwrap();
            let body =
                matches!(method, Method::POST | Method::PUT | Method::PATCH).then(|| json!({}));
            let status = caller
                .request(method.clone(), path, body)
                .await
                .status
                .as_u16();
            let allowed = match &rule {
                Rule::Public => true,
                Rule::AnyCaller => *who != Anonymous,
                Rule::Only(list) => list.contains(who),
            };
            let ok = match (allowed, who) {
                (true, _) => status != 401 && status != 403,
                (false, Anonymous) => status == 401,
                (false, _) => status == 403,
            };
            if !ok {
                failures.push(format!(
                    "{id} {method} {path} as {who:?}: got {status}, expected {}",
                    if allowed {
                        "access"
                    } else if *who == Anonymous {
                        "401"
                    } else {
                        "403"
                    }
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "role matrix violations:\n{}",
        failures.join("\n")
    );
}

/// The trainer's row of the role table: what they read of a workshop depends on whether they
/// train it, and they never read participants or reports in general.
#[tokio::test]
async fn trainer_reads_follow_assignment() {
    let app = spawn_app().await;
    let trainer = app.user_token("trainer", "trainer@example.org", None).await;
    let trainer_id = app.with_token(&trainer).get("/api/v1/me").await.body["id"]
        .as_i64()
        .unwrap();
    let course = app.course("TRN", 5).await;
    let theirs = app
        .workshop(course, &crate::helpers::future_monday(), 10)
        .await["id"]
        .as_i64()
        .unwrap();
    let other = app
        .workshop(course, &crate::helpers::future_monday(), 10)
        .await["id"]
        .as_i64()
        .unwrap();
    let resp = app
        .patch(
            &format!("/api/v1/workshops/{theirs}"),
            json!({"trainer_ids": [trainer_id]}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    let mut enrolments = vec![];
    let mut people = vec![];
    for (w, name) in [(theirs, "Tendai Moyo"), (other, "Rudo Dube")] {
        let p = app.participant(name).await;
        let e = app
            .post(
                &format!("/api/v1/workshops/{w}/enrolments"),
                json!({"participant_id": p}),
            )
            .await;
        enrolments.push(e.body["id"].as_i64().unwrap());
        people.push(p);
    }
    let as_trainer = app.with_token(&trainer);
    for (w, e, p, expected) in [
        (theirs, enrolments[0], people[0], 200),
        (other, enrolments[1], people[1], 403),
    ] {
        for path in [
            format!("/api/v1/workshops/{w}/enrolments"),
            format!("/api/v1/workshops/{w}/enrolments/{e}"),
            format!("/api/v1/workshops/{w}/attendance"),
            format!("/api/v1/workshops/{w}/attendance.csv"),
            format!("/api/v1/workshops/{w}/results"),
            format!("/api/v1/workshops/{w}/roster.csv"),
            format!("/api/v1/participants/{p}"),
        ] {
            let resp = as_trainer.get(&path).await;
            assert_eq!(resp.status.as_u16(), expected, "{path}: {}", resp.text);
        }
    }
    let roster = as_trainer
        .get(&format!("/api/v1/workshops/{theirs}/roster.csv"))
        .await;
    assert!(roster.text.contains("Tendai Moyo") && !roster.text.contains("Rudo Dube"));
    for path in [
        "/api/v1/participants",
        "/api/v1/reports/summary",
        "/api/v1/reports/summary.csv",
    ] {
        assert_eq!(as_trainer.get(path).await.status, 403, "{path}");
    }
    // An attendance key reads the register but not contact details.
    let key = app.api_key(&["attendance"]).await;
    let as_key = app.with_token(&key);
    let register = as_key
        .get(&format!("/api/v1/workshops/{other}/attendance"))
        .await;
    assert_eq!(register.status, 200);
    assert_eq!(
        as_key
            .get(&format!("/api/v1/workshops/{other}/roster.csv"))
            .await
            .status,
        403
    );
    assert_eq!(
        as_key
            .get(&format!("/api/v1/participants/{}", people[1]))
            .await
            .status,
        403
    );
}
