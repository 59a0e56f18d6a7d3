//! The public catalogue on a 360 px phone: find a workshop, apply, confirm by the emailed link;
//! then an administrator sees the application in the console and accepts it (API.md, "Open
//! workshops: a public catalogue and applications"). Takes the README's catalogue screenshot.

use serde_json::{Value, json};

use crate::{
    a11y::check,
    admin::{set_value, sign_in},
    helpers::{future_monday, spawn_app},
    link_from_outbox, screenshot_path, start_browser,
};

#[tokio::test]
async fn an_applicant_finds_a_workshop_on_a_phone_applies_confirms_and_is_accepted_in_the_console()
{
    let app = spawn_app().await;
    let course = app
        .post(
            "/api/v1/courses",
            json!({"code": "CSSD", "title": "Community Engagement and Customer Care", "duration_days": 5}),
        )
        .await;
    assert_eq!(course.status, 201, "{}", course.text);
    let workshop = app
        .post(
            "/api/v1/workshops",
            json!({
                "course_id": course.body["id"], "level": "tot", "venue": "Mutare Civic Centre",
                "start_date": future_monday(), "capacity": 35, "public": true,
            }),
        )
        .await;
    assert_eq!(workshop.status, 201, "{}", workshop.text);
    let id = workshop.body["id"].as_i64().unwrap();

    let (_driver, browser, _) = start_browser("catalogue").await;
    browser.set_width(360).await;
    browser.goto(&format!("{}/catalogue", app.base)).await;
    let card = browser.wait_for(".cards .card").await;
    assert!(card.contains("Mutare Civic Centre"), "{card}");
    let fits = browser
        .run("return document.documentElement.scrollWidth <= window.innerWidth;")
        .await;
    assert_eq!(fits, Value::Bool(true), "no sideways scrolling at 360 px");
    browser.screenshot(&screenshot_path("catalogue-360")).await;

    browser.click(".cards .card h2 a").await;
    browser.wait_for("form.apply").await;
    browser.type_into("#full_name", "Chipo Moyo").await;
    browser.type_into("#email", "chipo@example.org").await;
    browser
        .type_into("#organisation_name", "Mutare City Council")
        .await;
    set_value(&browser, "#target_group", "revenue").await;
    browser.click("input[name=consent]").await;
    browser
        .screenshot(&screenshot_path("catalogue-apply-360"))
        .await;
    browser.click("form.apply button[type=submit]").await;
    browser
        .wait_until(
            "the page says the link was mailed",
            "return document.querySelector('main').innerText.includes('chipo@example.org');",
        )
        .await;

    let link = link_from_outbox(&app.state.config.outbox_dir, "chipo@example.org").await;
    let path = &link[link
        .find("/catalogue/confirm/")
        .expect("a confirmation link")..];
    browser.goto(&format!("{}{path}", app.base)).await;
    let confirmed = browser.wait_for("main h1").await;
    assert!(confirmed.contains("Application confirmed"), "{confirmed}");

    // The catalogue's pages and the console's review pass axe-core at 360 and 1280 px.
    let mut failures = Vec::new();
    for path in ["/catalogue".to_owned(), format!("/catalogue/{id}")] {
        check(&browser, &app.base, &path, &mut failures).await;
    }
    sign_in(&browser, &app).await;
    let review = format!("/admin/applications?workshop_id={id}");
    check(&browser, &app.base, &review, &mut failures).await;
    assert!(failures.is_empty(), "axe-core: {}", failures.join("\n"));

    // The administrator sees it awaiting review, and accepts it after being asked.
    browser.set_width(360).await;
    browser.goto(&format!("{}{review}", app.base)).await;
    let card = browser.wait_for("article.application").await;
    assert!(
        card.contains("Chipo Moyo") && card.contains("Mutare City Council"),
        "{card}"
    );
    browser
        .run("document.querySelector('article.application').scrollIntoView(); return true;")
        .await;
    browser
        .screenshot(&screenshot_path("admin-applications-360"))
        .await;
    browser
        .click("article.application form[action$='/accept'] button[type=submit]")
        .await;
    browser.wait_for("#confirm").await;
    browser.click("#confirm").await;
    let notice = browser.wait_for("p.notice").await;
    assert!(notice.contains("Accepted"), "{notice}");
    let enrolments = app.get(&format!("/api/v1/workshops/{id}/enrolments")).await;
    assert_eq!(
        enrolments.body["items"][0]["status"], "enrolled",
        "{}",
        enrolments.text
    );
    browser.close().await;
}
