//! A participant with a phone and no email signs in by SMS code on a 360 px phone, reads the
//! portal in English, Shona and Ndebele (the README's screenshots), and evaluates the workshop
//! leaving a topic blank (issue 27, "Must show").

use std::path::Path;
use std::time::{Duration, Instant};

use entity::evaluation;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::{certificates, helpers::spawn_app, screenshot_path, start_browser};

/// The sign-in code in the SMS the file transport wrote for `phone` (`CSSD_OUTBOX_DIR/sms/`),
/// waiting for the SMS worker to write it.
async fn code_from_sms(outbox: &Path, phone: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    let digits = phone.trim_start_matches('+');
    loop {
        for entry in std::fs::read_dir(outbox.join("sms"))
            .into_iter()
            .flatten()
            .flatten()
        {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.ends_with(&format!("-{digits}.txt")) {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            let code = text
                .split(|c: char| !c.is_ascii_digit())
                .find(|run| run.len() == 6);
            if let Some(code) = code {
                return code.to_owned();
            }
        }
        assert!(
            Instant::now() < deadline,
            "no sign-in code reached {outbox:?}/sms"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_participant_signs_in_by_sms_code_on_a_phone_switches_language_and_evaluates() {
    let app = spawn_app().await;
    let certs = certificates(&app, &[("Chipo Ncube", Some(85.0))]).await;
    let mine = &certs[0];
    let workshop = mine["workshop_id"].as_i64().expect("the workshop id");
    let patched = app
        .patch(
            &format!("/api/v1/participants/{}", mine["participant_id"]),
            json!({"phone": "0771234567", "contact_by": "sms"}),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    let (_driver, browser, _) = start_browser("phone").await;
    browser.set_width(360).await;

    // The portal's second way in, as someone reaches it: from the sign-in page.
    browser.goto(&format!("{}/portal", app.base)).await;
    browser.click("a[href^=\"/portal/phone\"]").await;
    browser.wait_for("#phone").await;
    browser.type_into("#phone", "077 123 4567").await;
    browser.click("form.stack button[type=submit]").await;
    browser.wait_for("#code").await;
    let code = code_from_sms(&app.state.config.outbox_dir, "+263771234567").await;
    browser.type_into("#code", &code).await;
    browser.click("form.stack button[type=submit]").await;
    browser
        .wait_until(
            "the portal, signed in",
            "return location.pathname === '/portal' && !!document.querySelector('form.signout');",
        )
        .await;
    let fits = "return document.documentElement.scrollWidth <= window.innerWidth;";

    // The portal in each language, by its switch.
    for (lang, heading) in [
        ("en", "My workshops"),
        ("sn", "Maworkshop angu"),
        ("nd", "Ama-workshop ami"),
    ] {
        browser
            .click(&format!("nav.langs a[hreflang={lang}]"))
            .await;
        browser
            .wait_until(
                "the page in the language chosen",
                &format!("return document.documentElement.lang === '{lang}';"),
            )
            .await;
        let page = browser.text("main").await;
        assert!(page.contains(heading), "{lang}: {page}");
        assert!(browser.text("header").await.contains("Chipo Ncube"));
        assert_eq!(
            browser.run(fits).await,
            Value::Bool(true),
            "{lang} at 360 px"
        );
        browser
            .screenshot(&screenshot_path(&format!("portal-360-{lang}")))
            .await;
    }

    // Evaluating in Ndebele, the language last chosen, with one topic left blank.
    browser
        .click(&format!(
            "a[href^=\"/portal/workshops/{workshop}/evaluation\"]"
        ))
        .await;
    browser.wait_for("form.evaluation").await;
    assert_eq!(
        browser.run("return document.documentElement.lang;").await,
        Value::String("nd".into())
    );
    for (name, value) in [
        ("overall", 4),
        ("trainers", 5),
        ("venue", 3),
        ("materials", 4),
        ("topic-0", 4),
        ("topic-2", 5),
        ("topic-3", 3),
        ("topic-4", 4),
    ] {
        browser
            .click(&format!("input[name=\"{name}\"][value=\"{value}\"]"))
            .await;
    }
    browser.click("form.evaluation button[type=submit]").await;
    browser.wait_for("p[role=status]").await;

    let saved = evaluation::Entity::find().all(&app.state.db).await.unwrap();
    assert_eq!(saved.len(), 1);
    let topics: serde_json::Map<String, Value> =
        serde_json::from_str(&saved[0].topic_ratings).unwrap();
    assert_eq!(topics.len(), 4, "{topics:?}");
    assert!(
        !topics.contains_key("Service charters"),
        "the blank stayed blank"
    );
    assert_eq!(saved[0].overall, 4);
    browser.close().await;
}
