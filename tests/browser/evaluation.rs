//! A participant evaluates a workshop from the portal on a 360 px phone, in Shona, leaving one
//! topic unrated (API.md, "Evaluations from the portal").

use entity::evaluation;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::{certificates, helpers::spawn_app, link_from_outbox, screenshot_path, start_browser};

#[tokio::test]
async fn a_participant_evaluates_a_workshop_on_a_phone_in_shona_leaving_a_topic_blank() {
    let app = spawn_app().await;
    let certs = certificates(&app, &[("Tendai Moyo", Some(85.0))]).await;
    let mine = &certs[0];
    let workshop = mine["workshop_id"].as_i64().expect("the workshop id");
    let patched = app
        .patch(
            &format!("/api/v1/participants/{}", mine["participant_id"]),
            json!({"email": "tendai@example.org"}),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    let (_driver, browser, _) = start_browser("evaluation").await;
    browser.set_width(360).await;
    browser.goto(&format!("{}/portal", app.base)).await;
    browser.type_into("#email", "tendai@example.org").await;
    browser.click("form.stack button[type=submit]").await;
    browser.wait_for("p[role=status]").await;
    let link = link_from_outbox(&app.state.config.outbox_dir, "tendai@example.org").await;
    let path = &link[link.find("/portal/").expect("a portal link")..];
    browser.goto(&format!("{}{path}", app.base)).await;
    browser.wait_for("main").await;

    // The evaluation link, then the switch to Shona.
    browser
        .goto(&format!(
            "{}/portal/workshops/{workshop}/evaluation",
            app.base
        ))
        .await;
    browser.wait_for("form.evaluation").await;
    browser.click("nav.langs a[hreflang=sn]").await;
    browser
        .wait_until(
            "the page is in Shona",
            "return document.documentElement.lang === 'sn' && !!document.querySelector('form.evaluation');",
        )
        .await;
    let page = browser.text("main").await;
    assert!(page.contains("Ongorora workshop iyi"), "{page}");
    let fits = browser
        .run("return document.documentElement.scrollWidth <= window.innerWidth;")
        .await;
    assert_eq!(fits, Value::Bool(true), "no sideways scrolling at 360 px");

    for (name, value) in [
        ("overall", 5),
        ("trainers", 4),
        ("venue", 3),
        ("materials", 4),
        ("topic-0", 5),
        ("topic-1", 4),
        ("topic-2", 4),
        ("topic-3", 3),
    ] {
        browser
            .click(&format!("input[name=\"{name}\"][value=\"{value}\"]"))
            .await;
    }
    // "Cascading the training" (topic-4) is left as it was: not rated.
    browser
        .run("document.querySelector('#q-topic-4').scrollIntoView(); return true;")
        .await;
    browser
        .screenshot(&screenshot_path("evaluation-360-sn"))
        .await;
    browser.click("form.evaluation button[type=submit]").await;
    browser.wait_for("p[role=status]").await;
    let thanks = browser.text("main").await;
    assert!(thanks.contains("Tinotenda"), "{thanks}");
    browser
        .screenshot(&screenshot_path("evaluation-thanks-360-sn"))
        .await;

    let saved = evaluation::Entity::find().all(&app.state.db).await.unwrap();
    assert_eq!(saved.len(), 1);
    let topics: serde_json::Map<String, Value> =
        serde_json::from_str(&saved[0].topic_ratings).unwrap();
    assert_eq!(topics.len(), 4, "{topics:?}");
    assert!(!topics.contains_key("Cascading the training"));
    assert_eq!(saved[0].overall, 5);
    browser.close().await;
}
