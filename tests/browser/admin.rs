//! The administrator's console in a real browser: sign in, schedule a workshop, fill it and its
//! waitlist, import people, complete a past workshop and issue its certificates, and read the
//! report's charts. Also takes the README's screenshots of the console on the demo data.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{helpers::spawn_app, screenshot_path, start_browser};
use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp};
use crate::webdriver::Browser;

pub(crate) async fn sign_in(browser: &Browser, app: &TestApp) {
    browser.goto(&format!("{}/admin/sign-in", app.base)).await;
    browser.type_into("#email", ADMIN_EMAIL).await;
    browser.type_into("#password", ADMIN_PASSWORD).await;
    browser.click("form.stack button[type=submit]").await;
    browser.wait_for("nav.admin-nav").await;
}

/// Sets a form control's value the way a person's choice would (date pickers and selects
/// differ between browsers when typed into).
pub(crate) async fn set_value(browser: &Browser, css: &str, value: &str) {
    let script = format!(
        "const e = document.querySelector({}); e.value = {}; e.dispatchEvent(new Event('change')); return e.value;",
        json!(css),
        json!(value)
    );
    assert_eq!(browser.run(&script).await, json!(value), "{css}");
}

/// Waits until the page at `path` has loaded after a form was sent (its URL starts so).
async fn wait_for_url(browser: &Browser, prefix: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !browser.url().await.starts_with(prefix) {
        assert!(Instant::now() < deadline, "never reached {prefix}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn an_administrator_schedules_fills_imports_completes_issues_and_reads_the_charts() {
    let app = spawn_app().await;
    let course = app
        .post(
            "/api/v1/courses",
            json!({"code": "CSSD", "title": "Community Support to Service Delivery", "duration_days": 5,
                   "topics": ["Roles of council and residents", "Service charters", "Complaints handling",
                              "Participatory budgeting", "Cascading the training"]}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let mut people = vec![];
    for i in 1..=36 {
        people.push(app.participant(&format!("Nyasha Person {i:02}")).await);
    }
    let (_driver, browser, _) = start_browser("admin").await;
    sign_in(&browser, &app).await;
    assert!(browser.text("main h1").await.contains("Dashboard"));

    // Schedule: the days are shown before saving.
    browser
        .goto(&format!("{}/admin/workshops/new", app.base))
        .await;
    set_value(&browser, "#course_id", &course.to_string()).await;
    set_value(&browser, "#level", "tot").await;
    browser.type_into("#venue", "Town House, Harare").await;
    let start = crate::helpers::future_monday();
    set_value(&browser, "#start_date", &start).await;
    browser.click("button[value=preview]").await;
    browser
        .wait_until(
            "the five days are shown",
            "return document.querySelectorAll('.preview ol.days li').length === 5;",
        )
        .await;
    assert_eq!(
        app.get("/api/v1/workshops").await.body["total"],
        0,
        "nothing saved yet"
    );
    browser.click("button[value=save]").await;
    browser.wait_for(".notice").await;
    let w = app.get("/api/v1/workshops").await.body["items"][0]["id"]
        .as_i64()
        .unwrap();
    let page = format!("{}/admin/workshops/{w}", app.base);

    // Enrol 36 people by searching for each: the 36th lands on the waitlist.
    for (i, p) in people.iter().enumerate() {
        browser
            .goto(&format!("{page}?q=Nyasha+Person+{:02}", i + 1))
            .await;
        browser
            .click(&format!("button[data-participant=\"{p}\"]"))
            .await;
        // (The URL is polled, not a script run: a script could meet the page mid-navigation.)
        wait_for_url(&browser, &format!("{page}?notice=")).await;
        browser.wait_for(".notice").await;
    }
    let notice = browser.text(".notice").await;
    assert!(
        notice.contains("number 1 on the waitlist"),
        "the 36th: {notice}"
    );
    assert!(
        browser
            .text(".seats")
            .await
            .contains("35 of 35 taken, 0 left")
    );
    let waitlist = browser.text("#waitlist").await;
    assert!(
        waitlist.contains("Nyasha Person 36") && waitlist.contains("Number 1 on the waitlist"),
        "{waitlist}"
    );
    assert_eq!(
        browser
            .run("return document.querySelectorAll('#enrolled li').length;")
            .await,
        json!(35)
    );
    browser
        .screenshot(&screenshot_path("admin-waitlist-360"))
        .await;

    // Import a CSV with one bad row: that row's error is shown against it.
    browser
        .goto(&format!("{}/admin/participants", app.base))
        .await;
    browser
        .type_into(
            "#csv",
            "full_name,email,target_group\nTendai Moyo,tendai@example.org,councillor\nRudo Dube,rudo@example.org,astronaut\n",
        )
        .await;
    browser.click("#import button[type=submit]").await;
    let refused = browser.wait_for("tr.refused-row").await;
    assert!(
        refused.contains("3") && refused.contains("\"astronaut\" is not a target group"),
        "{refused}"
    );
    assert!(browser.text(".kept-rows").await.contains("Tendai Moyo"));

    // A workshop that ran in March: complete it and issue its certificates.
    let past = app
        .post(
            "/api/v1/workshops",
            json!({"course_id": course, "level": "tot", "venue": "Town House", "start_date": "2026-03-02"}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let (mut records, mut scores) = (vec![], vec![]);
    for p in &people[..2] {
        let e = app
            .post(
                &format!("/api/v1/workshops/{past}/enrolments"),
                json!({"participant_id": p}),
            )
            .await
            .body["id"]
            .clone();
        for day in 1..=5 {
            records.push(json!({"enrolment_id": e, "day": day, "status": "present"}));
        }
        scores.push(json!({"enrolment_id": e, "kind": "post_test", "score": 85, "max_score": 100}));
    }
    app.put(
        &format!("/api/v1/workshops/{past}/attendance"),
        json!({"records": records}),
    )
    .await;
    app.put(
        &format!("/api/v1/workshops/{past}/assessments"),
        json!({"records": scores}),
    )
    .await;
    browser
        .goto(&format!("{}/admin/workshops/{past}", app.base))
        .await;
    browser.click("button[value=complete]").await;
    browser.wait_for("#issue").await;
    assert!(browser.text(".ws-status").await.contains("Completed"));
    browser.click("#issue").await;
    wait_for_url(
        &browser,
        &format!("{}/admin/workshops/{past}?notice=issued", app.base),
    )
    .await;
    let issued = browser.text("#certificate-list").await;
    assert_eq!(issued.matches("IWSD-CSSD-").count(), 2, "{issued}");

    // The report's charts carry the summary's counts.
    let summary: Value = app.get("/api/v1/reports/summary").await.body;
    browser.goto(&format!("{}/admin/reports", app.base)).await;
    browser.wait_for("#by-course svg").await;
    let bars = browser
        .run("return [...document.querySelectorAll('#by-course svg rect.bar')].map(r => Number(r.dataset.value));")
        .await;
    assert_eq!(
        bars,
        json!([
            summary["enrolled"]["by_course"][0]["count"],
            summary["certified"]["by_course"][0]["count"]
        ]),
        "{summary}"
    );
    assert_eq!(bars, json!([37, 2]));
    let months = browser
        .run("return [...document.querySelectorAll('#by-month svg text')].map(t => t.childNodes[0].nodeValue);")
        .await;
    assert!(
        months.as_array().unwrap().iter().any(|m| m == "2026-03"),
        "{months}"
    );
    assert_eq!(browser.text("#total-certified").await, "2");
    browser.close().await;
}

/// The README's pictures of the console, on the demo data, at 1280 and 360 px wide.
#[tokio::test]
async fn screenshots_of_the_console_on_the_demo_data() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let tot = app.get("/api/v1/workshops?level=tot").await.body["items"][0]["id"]
        .as_i64()
        .unwrap();
    let community = app.get("/api/v1/workshops?level=community").await.body["items"][0]["id"]
        .as_i64()
        .unwrap();
    let (_driver, browser, _) = start_browser("admin-shots").await;
    sign_in(&browser, &app).await;
    for (name, path, css) in [
        ("admin-dashboard", "/admin".to_owned(), "nav.admin-nav"),
        (
            "admin-workshop",
            format!("/admin/workshops/{community}"),
            "#waitlist",
        ),
        (
            "admin-reports",
            "/admin/reports".to_owned(),
            "#by-course svg",
        ),
        (
            "admin-cascade",
            format!("/admin/workshops/{tot}/cascade"),
            "svg.tree",
        ),
    ] {
        for (width, height, suffix, mobile) in [(1280, 1000, "", false), (360, 1400, "-360", true)]
        {
            browser
                .cdp(
                    "Emulation.setDeviceMetricsOverride",
                    json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}),
                )
                .await;
            browser.goto(&format!("{}{path}", app.base)).await;
            browser.wait_for(css).await;
            // Nothing is wider than the screen except inside its own scrolling box.
            let overflow = browser
                .run("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
                .await;
            assert_eq!(overflow, json!(0), "{name} at {width} px scrolls sideways");
            browser
                .screenshot(&screenshot_path(&format!("{name}{suffix}")))
                .await;
        }
    }
    browser.close().await;
}

#[tokio::test]
async fn destructive_actions_ask_first_and_an_import_shows_its_result_first_and_never_runs_twice() {
    let app = spawn_app().await;
    let course = app.course("WQ", 5).await;
    let w = app
        .workshop(course, &crate::helpers::future_monday(), 1)
        .await["id"]
        .as_i64()
        .unwrap();
    let mut people = vec![];
    for name in ["Tendai Moyo", "Rudo Dube"] {
        let p = app.participant(name).await;
        people.push(p);
        let e = app
            .post(
                &format!("/api/v1/workshops/{w}/enrolments"),
                json!({"participant_id": p}),
            )
            .await;
        assert_eq!(e.status, 201, "{}", e.text);
    }
    let (_driver, browser, _) = start_browser("admin-confirm").await;
    sign_in(&browser, &app).await;
    browser
        .goto(&format!("{}/admin/workshops/{w}", app.base))
        .await;
    browser.click("#enrolled form button").await;
    let asked = browser.wait_for(".confirm").await;
    assert!(
        asked.contains("Withdraw Tendai Moyo from this workshop?")
            && asked.contains("Rudo Dube, first on the waitlist, takes the seat"),
        "{asked}"
    );
    // Keeping it as it is changes nothing.
    browser.click(".confirm a.button").await;
    wait_for_url(&browser, &format!("{}/admin/workshops/{w}", app.base)).await;
    assert!(browser.text("#enrolled").await.contains("Tendai Moyo"));
    browser.click("#enrolled form button").await;
    browser.wait_for(".confirm").await;
    browser.click("#confirm").await;
    browser.wait_for("p.notice").await;
    assert!(browser.text("#enrolled").await.contains("Rudo Dube"));

    // An import: the result is the first thing on the page, and the same file again imports
    // nobody twice.
    let csv = "full_name,target_group\nNyasha Sibanda,ratepayer\nChipo Phiri,councillor\n";
    for attempt in 0..2 {
        browser
            .goto(&format!("{}/admin/participants", app.base))
            .await;
        set_value(&browser, "#csv", csv).await;
        browser.click("#import form button[type=submit]").await;
        browser.wait_for("#import-result").await;
        let top = browser
            .run("return document.getElementById('import-result').getBoundingClientRect().top < window.innerHeight;")
            .await;
        assert_eq!(top, Value::Bool(true), "the result is in view");
        let result = browser.text("#import-result").await;
        if attempt == 0 {
            assert!(result.contains("2 rows imported"), "{result}");
            assert_eq!(
                browser
                    .run("return document.getElementById('csv').value;")
                    .await,
                json!("")
            );
        } else {
            assert!(result.contains("nothing was imported again"), "{result}");
        }
    }
    assert_eq!(app.get("/api/v1/participants").await.body["total"], 4);

    // Erasure: a reason on the participant's page, then what it does, then done.
    let tendai = people[0];
    browser
        .goto(&format!("{}/admin/participants/{tendai}", app.base))
        .await;
    set_value(&browser, "#reason", "Asked in writing").await;
    browser.click("#erase").await;
    let asked = browser.wait_for(".confirm").await;
    assert!(
        asked.contains("Erase all personal data of Tendai Moyo?"),
        "{asked}"
    );
    browser
        .screenshot(&screenshot_path("admin-erase-confirm"))
        .await;
    browser.click("#confirm").await;
    let notice = browser.wait_for("p.notice").await;
    assert!(notice.contains("The personal data is erased"), "{notice}");
    browser.screenshot(&screenshot_path("admin-erased")).await;
    let now = app.get(&format!("/api/v1/participants/{tendai}")).await;
    assert_eq!(
        now.body["full_name"],
        format!("Erased participant #{tendai}")
    );
    browser.close().await;
}

#[tokio::test]
async fn an_administrator_types_in_a_paper_evaluation_leaving_a_topic_blank() {
    use entity::evaluation;
    use sea_orm::EntityTrait;

    let app = spawn_app().await;
    let certs = super::certificates(&app, &[("Rudo Dube", Some(75.0))]).await;
    let workshop = certs[0]["workshop_id"].as_i64().unwrap();
    let rudo = certs[0]["participant_id"].as_i64().unwrap();
    let (_driver, browser, _) = start_browser("paper-evaluation").await;
    sign_in(&browser, &app).await;
    browser
        .goto(&format!("{}/admin/workshops/{workshop}", app.base))
        .await;
    let path = format!("/admin/workshops/{workshop}/paper-evaluation");
    browser.click(&format!("a[href=\"{path}\"]")).await;
    browser.wait_for("form.evaluation").await;
    set_value(&browser, "#participant_id", &rudo.to_string()).await;
    for (name, value) in [
        ("overall", "4"),
        ("trainers", "4"),
        ("venue", "2"),
        ("materials", "3"),
        ("topic-0", "5"),
        ("topic-1", "4"),
        ("topic-3", "3"),
        ("topic-4", "4"),
    ] {
        browser
            .click(&format!("input[name=\"{name}\"][value=\"{value}\"]"))
            .await;
    }
    browser
        .type_into("#suggestions", "More time for the field visit")
        .await;
    browser
        .screenshot(&screenshot_path("admin-paper-evaluation"))
        .await;
    browser.click("#save-evaluation").await;
    browser.wait_for("p.notice").await;
    assert!(browser.url().await.contains(&path));

    let saved = evaluation::Entity::find().all(&app.state.db).await.unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].participant_id, rudo);
    assert_eq!(saved[0].venue, 2);
    let topics: serde_json::Map<String, Value> =
        serde_json::from_str(&saved[0].topic_ratings).unwrap();
    assert_eq!(topics.len(), 4, "{topics:?}");
    assert!(
        !topics.contains_key("Complaints handling"),
        "the blank stayed blank"
    );
    assert_eq!(
        saved[0].suggestions.as_deref(),
        Some("More time for the field visit")
    );
    browser.close().await;
}
