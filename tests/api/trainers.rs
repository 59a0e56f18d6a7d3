//! Trainer certification validity: a ToT certificate entitles its holder to lead cascade and
//! community workshops for the course's `trainer_certificate_valid_months`.

use chrono::{Datelike, Days, Months, NaiveDate, Utc};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// A Monday about `weeks` weeks ago whose week has no public holiday.
fn past_monday(weeks: u64) -> NaiveDate {
    let today = Utc::now().date_naive();
    let mut monday = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
    monday = monday - Days::new(7 * weeks);
    loop {
        let holidays = cssd::domain::holidays::public_holidays(monday.year());
        let next_year = cssd::domain::holidays::public_holidays(monday.year() + 1);
        if !holidays
            .iter()
            .chain(&next_year)
            .any(|(d, _)| *d >= monday && *d < monday + Days::new(5))
        {
            return monday;
        }
        monday = monday - Days::new(7);
    }
}

/// A trainer account linked to a participant certified in a completed ToT workshop of `course`
/// that started on `start`: (user id, ToT workshop id).
async fn certified_trainer(app: &TestApp, course: i64, name: &str, start: &str) -> (i64, i64) {
    let (tot, people) = app
        .completed_workshop_from(start, course, "tot", None, &[], &[(name, Some(90.0))])
        .await;
    let issued = app
        .post(&format!("/api/v1/workshops/{tot}/certificates"), json!({}))
        .await;
    assert_eq!(
        issued.body["issued"].as_array().unwrap().len(),
        1,
        "{}",
        issued.text
    );
    let email = format!(
        "{}@example.org",
        name.split(' ').next().unwrap().to_lowercase()
    );
    let token = app.user_token("trainer", &email, Some(people[0].0)).await;
    let me = app.with_token(&token).get("/api/v1/me").await;
    (me.body["id"].as_i64().unwrap(), tot)
}

async fn course_valid_for(app: &TestApp, months: Value) -> i64 {
    let resp = app
        .post(
            "/api/v1/courses",
            json!({"code": "CSSD", "title": "Community Support to Service Delivery",
                   "topics": ["Roles"], "trainer_certificate_valid_months": months}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text);
    assert_eq!(resp.body["trainer_certificate_valid_months"], months);
    resp.body["id"].as_i64().unwrap()
}

fn cascade(course: i64, parent: i64, trainer: i64, start: &str) -> Value {
    json!({"course_id": course, "level": "cascade", "parent_workshop_id": parent,
           "venue": "Mbare Community Hall", "start_date": start, "trainer_ids": [trainer]})
}

#[tokio::test]
async fn the_cascade_rule_refuses_an_expired_tot_certificate_and_accepts_a_valid_one() {
    let app = spawn_app().await;
    let course = course_valid_for(&app, json!(12)).await;
    // The ToT workshop runs 2026-03-02 to 2026-03-06: valid until 2027-03-06.
    let (trainer, tot) = certified_trainer(&app, course, "Nomvula Ndlovu", "2026-03-02").await;

    // Friday 2027-03-05 is within the twelve months.
    let ok = app
        .post(
            "/api/v1/workshops",
            cascade(course, tot, trainer, "2027-03-05"),
        )
        .await;
    assert_eq!(ok.status, 201, "{}", ok.text);

    // Monday 2027-03-08 is after it: refused, naming the trainer and the last valid day.
    let late = app
        .post(
            "/api/v1/workshops",
            cascade(course, tot, trainer, "2027-03-08"),
        )
        .await;
    let detail = late.assert_problem(409)["detail"]
        .as_str()
        .unwrap()
        .to_owned();
    // (The helper names trainer accounts by their email.)
    assert!(detail.contains("nomvula@example.org"), "{detail}");
    assert!(detail.contains("2027-03-06"), "{detail}");
    assert_eq!(
        app.get("/api/v1/workshops?level=cascade").await.body["total"],
        1
    );

    // Moving the accepted workshop past the expiry is refused the same way.
    let id = ok.body["id"].as_i64().unwrap();
    let moved = app
        .patch(
            &format!("/api/v1/workshops/{id}"),
            json!({"start_date": "2027-03-08"}),
        )
        .await;
    moved.assert_problem(409);
    assert_eq!(
        app.get(&format!("/api/v1/workshops/{id}")).await.body["start_date"],
        "2027-03-05"
    );

    // A course whose certificates never expire accepts any later date.
    let resp = app
        .patch(
            &format!("/api/v1/courses/{course}"),
            json!({"trainer_certificate_valid_months": null}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text);
    assert_eq!(resp.body["trainer_certificate_valid_months"], Value::Null);
    let late = app
        .post(
            "/api/v1/workshops",
            cascade(course, tot, trainer, "2030-03-04"),
        )
        .await;
    assert_eq!(late.status, 201, "{}", late.text);

    // A revoked certificate entitles no one, whatever its dates.
    let certificate = app
        .get(&format!("/api/v1/certificates?workshop_id={tot}"))
        .await
        .body["items"][0]["id"]
        .clone();
    app.post(
        &format!("/api/v1/certificates/{certificate}/revoke"),
        json!({"reason": "issued in error"}),
    )
    .await;
    let resp = app
        .post(
            "/api/v1/workshops",
            cascade(course, tot, trainer, "2026-12-07"),
        )
        .await;
    let detail = resp.assert_problem(409)["detail"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        detail.contains("holds no valid ToT certificate"),
        "{detail}"
    );
}

#[tokio::test]
async fn a_validity_outside_1_to_600_months_is_refused() {
    let app = spawn_app().await;
    for months in [0, 601] {
        let resp = app
            .post(
                "/api/v1/courses",
                json!({"code": "X", "title": "X", "trainer_certificate_valid_months": months}),
            )
            .await;
        resp.assert_problem(422);
        assert!(
            resp.field_error("trainer_certificate_valid_months")
                .is_some()
        );
    }
    assert_eq!(app.get("/api/v1/courses").await.body["total"], 0);
}

#[tokio::test]
async fn the_trainer_list_shows_certificates_their_expiry_and_workshops_and_narrows_to_those_expiring()
 {
    let app = spawn_app().await;
    let course = course_valid_for(&app, json!(12)).await;
    // Certified about a year ago: runs out within weeks. Certified ten weeks ago: in months.
    let old_start = past_monday(48);
    let (expiring, tot) =
        certified_trainer(&app, course, "Tatenda Mushonga", &old_start.to_string()).await;
    let recent_start = past_monday(10);
    let (fresh, _) =
        certified_trainer(&app, course, "Rutendo Mapfumo", &recent_start.to_string()).await;
    let led = app
        .post(
            "/api/v1/workshops",
            cascade(course, tot, fresh, &crate::helpers::future_monday()),
        )
        .await;
    assert_eq!(led.status, 201, "{}", led.text);

    let all = app.get("/api/v1/trainers").await;
    assert_eq!(all.status, 200, "{}", all.text);
    assert_eq!(all.body["total"], 2);
    let by_name = |name: &str| {
        all.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == name)
            .unwrap()
            .clone()
    };
    let old = by_name("tatenda@example.org");
    assert_eq!(old["user_id"], expiring);
    let certificate = &old["certificates"][0];
    let completed: NaiveDate = certificate["completed_on"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(completed, old_start + Days::new(4));
    assert_eq!(
        certificate["valid_until"],
        (completed + Months::new(12)).to_string()
    );
    assert_eq!(certificate["course_code"], "CSSD");
    assert_eq!(certificate["valid_today"], true);
    let new = by_name("rutendo@example.org");
    assert_eq!(new["workshops"][0]["workshop_id"], led.body["id"]);
    assert_eq!(new["workshops"][0]["level"], "cascade");
    assert_eq!(old["workshops"], json!([]));

    let soon = app.get("/api/v1/trainers?expiring_within_days=90").await;
    let ids: Vec<i64> = soon.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["user_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [expiring]);
    assert_eq!(soon.body["total"], 1);
    let none = app.get("/api/v1/trainers?expiring_within_days=0").await;
    assert_eq!(none.body["total"], 0);

    app.get("/api/v1/trainers?expiring_within_days=-1")
        .await
        .assert_problem(400);
    app.get("/api/v1/trainers?expiring_within_days=3651")
        .await
        .assert_problem(422);
    let trainer = app.user_token("trainer", "other@example.org", None).await;
    app.with_token(&trainer)
        .get("/api/v1/trainers")
        .await
        .assert_problem(403);
}
