//! Public holidays: the seeded calendar, schedules that step over holidays, and admins' one-off
//! days that never move a workshop already scheduled.

use chrono::{Datelike, Days, NaiveDate};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

fn dates_of(workshop: &Value) -> Vec<String> {
    workshop["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["date"].as_str().unwrap().to_owned())
        .collect()
}

/// Every holiday between `from` and `to`, page by page: (date, name).
async fn holidays(app: &TestApp, from: &str, to: &str) -> Vec<(NaiveDate, String)> {
    let mut found = vec![];
    loop {
        let resp = app
            .get(&format!(
                "/api/v1/holidays?from={from}&to={to}&limit=200&offset={}",
                found.len()
            ))
            .await;
        assert_eq!(resp.status, 200, "{}", resp.text);
        let items = resp.body["items"].as_array().unwrap().clone();
        for h in &items {
            found.push((
                h["date"].as_str().unwrap().parse().unwrap(),
                h["name"].as_str().unwrap().to_owned(),
            ));
        }
        if items.is_empty() || found.len() as u64 == resp.body["total"].as_u64().unwrap() {
            return found;
        }
    }
}

async fn schedule(app: &TestApp, course: i64, start: &str) -> crate::helpers::TestResponse {
    app.post(
        "/api/v1/workshops",
        json!({"course_id": course, "level": "tot", "venue": "Civic Centre, Bulawayo", "start_date": start}),
    )
    .await
}

#[tokio::test]
async fn the_calendar_holds_zimbabwes_public_holidays_2020_to_2040_with_easter_computed() {
    let app = spawn_app().await;
    let stored = holidays(&app, "2020-01-01", "2040-12-31").await;
    let expected: Vec<(NaiveDate, String)> = (2020..=2040)
        .flat_map(cssd::domain::holidays::public_holidays)
        .collect();
    assert_eq!(stored, expected);

    // Easter Sunday 2024–2030 as published, seen through Good Friday and Easter Monday.
    for (year, easter) in [
        (2024, "2024-03-31"),
        (2025, "2025-04-20"),
        (2026, "2026-04-05"),
        (2027, "2027-03-28"),
        (2028, "2028-04-16"),
        (2029, "2029-04-01"),
        (2030, "2030-04-21"),
    ] {
        let easter: NaiveDate = easter.parse().unwrap();
        let of_year = holidays(&app, &format!("{year}-01-01"), &format!("{year}-12-31")).await;
        // (In 2025 Good Friday is also Independence Day: one day, named after both.)
        let on = |name: &str| {
            of_year
                .iter()
                .find(|(_, n)| n.split(" and ").any(|part| part == name))
                .unwrap()
                .0
        };
        assert_eq!(on("Good Friday") + Days::new(2), easter, "{year}");
        assert_eq!(on("Holy Saturday") + Days::new(1), easter, "{year}");
        assert_eq!(on("Easter Monday") - Days::new(1), easter, "{year}");
    }
    let good_fridays = holidays(&app, "2026-01-01", "2027-12-31").await;
    let good_fridays: Vec<_> = good_fridays
        .iter()
        .filter(|(_, n)| n == "Good Friday")
        .map(|(d, _)| d.to_string())
        .collect();
    assert_eq!(good_fridays, ["2026-04-03", "2027-03-26"]);
}

#[tokio::test]
async fn a_sunday_holiday_is_also_observed_on_the_monday_and_schedules_skip_both() {
    let app = spawn_app().await;
    // 18 April 2027, Independence Day, is a Sunday.
    let around = holidays(&app, "2027-04-16", "2027-04-20").await;
    assert_eq!(
        around,
        [
            ("2027-04-18".parse().unwrap(), "Independence Day".to_owned()),
            (
                "2027-04-19".parse().unwrap(),
                "Independence Day (observed)".to_owned()
            ),
        ]
    );
    let course = app.course("WS", 5).await;
    let resp = schedule(&app, course, "2027-04-16").await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    assert_eq!(
        dates_of(&resp.body),
        [
            "2027-04-16",
            "2027-04-20",
            "2027-04-21",
            "2027-04-22",
            "2027-04-23"
        ]
    );
}

#[tokio::test]
async fn a_workshop_starting_monday_21_december_2026_runs_on_the_21st_23rd_24th_28th_and_29th() {
    let app = spawn_app().await;
    let course = app.course("WS", 5).await;
    let resp = schedule(&app, course, "2026-12-21").await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    let expected = [
        "2026-12-21",
        "2026-12-23",
        "2026-12-24",
        "2026-12-28",
        "2026-12-29",
    ];
    assert_eq!(dates_of(&resp.body), expected);
    assert_eq!(resp.body["end_date"], "2026-12-29");
    let id = resp.body["id"].as_i64().unwrap();

    let schedule = app.get(&format!("/api/v1/workshops/{id}/schedule")).await;
    assert_eq!(dates_of(&schedule.body), expected);
    assert_eq!(
        dates_of(&app.get(&format!("/api/v1/workshops/{id}")).await.body),
        expected
    );

    let (status, _, ics) = app
        .bytes(&format!("/api/v1/workshops/{id}/calendar.ics"))
        .await;
    assert_eq!(status, 200);
    let ics = String::from_utf8(ics).unwrap();
    for date in expected {
        assert!(
            ics.contains(&format!("DTSTART;VALUE=DATE:{}", date.replace('-', ""))),
            "{date} missing from\n{ics}"
        );
    }
    for holiday in ["20261222", "20261225"] {
        assert!(
            !ics.contains(&format!("DTSTART;VALUE=DATE:{holiday}")),
            "{ics}"
        );
    }
}

#[tokio::test]
async fn a_start_on_a_holiday_is_422_naming_it_and_changes_nothing() {
    let app = spawn_app().await;
    let course = app.course("WS", 5).await;
    let resp = schedule(&app, course, "2026-12-22").await;
    resp.assert_problem(422);
    let message = resp.field_error("start_date").unwrap();
    assert!(message.contains("Unity Day"), "{message}");
    assert_eq!(app.get("/api/v1/workshops").await.body["total"], 0);

    // Moving a workshop onto Good Friday is refused the same way.
    let workshop = schedule(&app, course, "2027-03-01").await.body;
    let id = workshop["id"].as_i64().unwrap();
    let resp = app
        .patch(
            &format!("/api/v1/workshops/{id}"),
            json!({"start_date": "2027-03-26"}),
        )
        .await;
    resp.assert_problem(422);
    assert!(
        resp.field_error("start_date")
            .unwrap()
            .contains("Good Friday")
    );
    assert_eq!(
        app.get(&format!("/api/v1/workshops/{id}")).await.body,
        workshop
    );
}

#[tokio::test]
async fn a_holiday_added_later_does_not_move_a_scheduled_workshop() {
    let app = spawn_app().await;
    let course = app.course("WS", 5).await;
    let before = schedule(&app, course, "2027-03-01").await.body;
    let id = before["id"].as_i64().unwrap();
    let week = [
        "2027-03-01",
        "2027-03-02",
        "2027-03-03",
        "2027-03-04",
        "2027-03-05",
    ];
    assert_eq!(dates_of(&before), week);

    let resp = app
        .post(
            "/api/v1/holidays",
            json!({"date": "2027-03-03", "name": "National day of mourning"}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text);

    // The scheduled workshop keeps its days, in every view of it.
    let after = app.get(&format!("/api/v1/workshops/{id}")).await.body;
    assert_eq!(dates_of(&after), week);
    assert_eq!(after["end_date"], "2027-03-05");
    let days = app
        .get(&format!("/api/v1/workshops/{id}/schedule"))
        .await
        .body;
    assert_eq!(dates_of(&days), week);

    // A workshop scheduled now steps over the new day.
    let later = schedule(&app, course, "2027-03-01").await.body;
    assert_eq!(
        dates_of(&later),
        [
            "2027-03-01",
            "2027-03-02",
            "2027-03-04",
            "2027-03-05",
            "2027-03-08"
        ]
    );
    // So does the first one once its start date changes: its days are laid out again.
    let moved = app
        .patch(
            &format!("/api/v1/workshops/{id}"),
            json!({"start_date": "2027-03-02"}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text);
    assert_eq!(
        dates_of(&moved.body),
        [
            "2027-03-02",
            "2027-03-04",
            "2027-03-05",
            "2027-03-08",
            "2027-03-09"
        ]
    );
}

#[tokio::test]
async fn admins_add_and_remove_one_off_holidays_and_bad_ones_are_refused() {
    let app = spawn_app().await;
    let body = json!({"date": "2031-07-30", "name": " Election day "});
    let created = app.post("/api/v1/holidays", body.clone()).await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["name"], "Election day");
    let id = created.body["id"].as_i64().unwrap();

    // One holiday per date.
    let again = app.post("/api/v1/holidays", body).await;
    let detail = again.assert_problem(409)["detail"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(detail.contains("Election day"), "{detail}");
    let seeded = app
        .post(
            "/api/v1/holidays",
            json!({"date": "2031-12-25", "name": "Second Christmas"}),
        )
        .await;
    seeded.assert_problem(409);

    for (bad, field) in [
        (json!({"date": "1999-12-31", "name": "Too early"}), "date"),
        (json!({"date": "2101-01-03", "name": "Too late"}), "date"),
        (json!({"date": "2031-08-01", "name": "   "}), "name"),
    ] {
        let resp = app.post("/api/v1/holidays", bad.clone()).await;
        resp.assert_problem(422);
        assert!(resp.field_error(field).is_some(), "{bad}: {}", resp.text);
    }
    app.post(
        "/api/v1/holidays",
        json!({"date": "2031-02-30", "name": "No such day"}),
    )
    .await
    .assert_problem(422);
    let july = holidays(&app, "2031-07-01", "2031-07-31").await;
    assert_eq!(
        july,
        [("2031-07-30".parse().unwrap(), "Election day".to_owned())]
    );

    // Anyone signed in reads the calendar; only administrators change it.
    let trainer = app.user_token("trainer", "trainer@example.org", None).await;
    let resp = app
        .with_token(&trainer)
        .get("/api/v1/holidays?from=2031-07-01&to=2031-07-31")
        .await;
    assert_eq!(resp.body["total"], 1);
    app.with_token(&trainer)
        .delete(&format!("/api/v1/holidays/{id}"))
        .await
        .assert_problem(403);
    app.anonymous()
        .get("/api/v1/holidays")
        .await
        .assert_problem(401);

    let resp = app.delete(&format!("/api/v1/holidays/{id}")).await;
    assert_eq!(resp.status, 204, "{}", resp.text);
    assert!(holidays(&app, "2031-07-01", "2031-07-31").await.is_empty());
    app.delete(&format!("/api/v1/holidays/{id}"))
        .await
        .assert_problem(404);
    let audit = app
        .get(&format!("/api/v1/audit?entity=holiday&entity_id={id}"))
        .await;
    assert_eq!(audit.body["total"], 2, "{}", audit.text);
}

#[tokio::test]
async fn holiday_ranges_must_be_dates_in_order_between_2000_and_2100() {
    let app = spawn_app().await;
    for (query, field) in [
        ("from=2027-01-02&to=2027-01-01", "to"),
        ("from=1999-12-31", "from"),
        ("to=2101-01-01", "to"),
    ] {
        let resp = app.get(&format!("/api/v1/holidays?{query}")).await;
        resp.assert_problem(422);
        assert!(resp.field_error(field).is_some(), "{query}: {}", resp.text);
    }
    let resp = app
        .get("/api/v1/holidays?from=2026-12-01&to=2026-12-31")
        .await;
    let names: Vec<&str> = resp.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Unity Day", "Christmas Day", "Boxing Day"]);
    let first = resp.body["items"][0]["date"].as_str().unwrap();
    let first: NaiveDate = first.parse().unwrap();
    assert_eq!(first.day(), 22);
}
