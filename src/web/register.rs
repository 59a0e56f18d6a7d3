//! The trainer's register: sign in with a password, see one's workshops (today's first), and
//! for a workshop mark each person present, late, absent or excused per day and record their
//! assessment scores — offline too.
//!
//! The page is rendered here with the roster; `assets/web/static/register.js` keeps it and every
//! mark in IndexedDB, and a service worker keeps the page itself, so the register opens and
//! takes marks with no signal. Marks carry the time they were made (`marked_at`) and stay on
//! the phone until `PUT /api/v1/workshops/{id}/attendance` accepts them (see `api_session` for
//! how the script is let in); the API keeps the newest mark, so a mark sent twice after a phone
//! died mid-sync changes nothing the second time, and a late offline mark never overwrites a
//! newer correction — the page lists those the server kept.

use askama::Template;
use chrono::Utc;
use entity::workshop::Status;
use poem::{
    Request, Response, handler,
    http::{HeaderValue, StatusCode},
    web::{Data, Form, Path},
};
use serde::Serialize;

use super::{
    assets, cookies, csrf, errors, i18n, page,
    session::{self, SignedIn},
    verify::date_span,
};
use crate::{
    domain::{
        access::WorkshopReading,
        agenda::{self, When},
        schedule::local_today,
    },
    services::{
        PageRequest, attendance,
        workshops::{self, WorkshopFilter},
    },
    state::AppState,
};

/// The header that tells the service worker a response is a register page worth keeping
/// offline (a sign-in page answered for the same URL is not).
pub const OFFLINE_HEADER: &str = "x-cssd-offline";

#[derive(Template)]
#[template(path = "register_sign_in.html")]
struct SignInPage {
    layout: page::Layout,
    wrong: bool,
    email: String,
}

struct WorkshopLine {
    id: i64,
    course: String,
    when: &'static str,
    today: bool,
    dates: String,
    venue: String,
    enrolled: i32,
}

#[derive(Template)]
#[template(path = "register_workshops.html")]
struct WorkshopsPage {
    layout: page::Layout,
    workshops: Vec<WorkshopLine>,
    user_id: i64,
    words_json: String,
    js_url: &'static str,
}

struct DayChoice {
    day: i32,
    date: String,
    future: bool,
}

struct PersonRow {
    enrolment_id: i64,
    name: String,
    selected_mark: &'static str,
    pre_test: String,
    post_test: String,
    practical: String,
}

#[derive(Template)]
#[template(path = "register_workshop.html")]
struct RegisterPage {
    layout: page::Layout,
    user_id: i64,
    dates: String,
    venue: String,
    completed: bool,
    days: Vec<DayChoice>,
    selected_day: i32,
    statuses: [(&'static str, &'static str); 4],
    people: Vec<PersonRow>,
    roster_json: String,
    words_json: String,
    js_url: &'static str,
}

/// A stored mark as the script gets it.
#[derive(Serialize)]
struct RosterMark {
    status: &'static str,
    marked_at: chrono::DateTime<Utc>,
}

#[derive(Serialize)]
struct RosterScores {
    pre_test: Option<f64>,
    post_test: Option<f64>,
    practical: Option<f64>,
}

#[derive(Serialize)]
struct RosterPerson {
    enrolment_id: i64,
    name: String,
    marks: Vec<Option<RosterMark>>,
    scores: RosterScores,
}

/// What the script keeps of a register (in IndexedDB).
#[derive(Serialize)]
struct Roster {
    workshop_id: i64,
    user_id: i64,
    generated_at: chrono::DateTime<Utc>,
    dates: Vec<chrono::NaiveDate>,
    future: Vec<bool>,
    people: Vec<RosterPerson>,
}

fn status_name(status: entity::attendance::AttendanceStatus) -> &'static str {
    use entity::attendance::AttendanceStatus::*;
    match status {
        Present => "present",
        Late => "late",
        Absent => "absent",
        Excused => "excused",
    }
}

fn secure(state: &AppState) -> bool {
    cookies::secure(&state.config)
}

fn sign_in_page(
    req: &Request,
    state: &AppState,
    status: StatusCode,
    wrong: bool,
    email: String,
) -> Response {
    let t = i18n::strings();
    let token = csrf::token(req, secure(state));
    let cookies: Vec<String> = token.set_cookie.into_iter().collect();
    let mut layout = page::Layout::new(t, t.register_title, &token.value);
    layout.home = "/register";
    page::html(
        status,
        &SignInPage {
            layout,
            wrong,
            email,
        },
        &cookies,
    )
}

fn user_id(who: &SignedIn) -> i64 {
    who.principal.user_id().unwrap_or_default()
}

/// `GET /register`: the sign-in form, or the signed-in trainer's workshops, today's first.
#[handler]
pub async fn home(req: &Request, state: Data<&AppState>) -> Response {
    let who = match session::signed_in(req, &state).await {
        Ok(Some(who)) => who,
        Ok(None) => return sign_in_page(req, &state, StatusCode::OK, false, String::new()),
        Err(err) => return errors::from_domain(req, err),
    };
    let t = i18n::strings();
    let filter = WorkshopFilter {
        trainer_id: Some(user_id(&who)),
        ..Default::default()
    };
    let page_request = PageRequest {
        limit: 200,
        offset: 0,
    };
    let mut found = match workshops::list(&state.db, filter, page_request).await {
        Ok(found) => found.items,
        Err(err) => return errors::from_domain(req, err),
    };
    found.retain(|v| v.workshop.status != Status::Cancelled);
    let today = local_today();
    found.sort_by(|a, b| {
        agenda::compare(
            today,
            (a.workshop.start_date, a.workshop.end_date),
            (b.workshop.start_date, b.workshop.end_date),
        )
    });
    let workshops = found
        .into_iter()
        .map(|v| {
            let when = agenda::when(today, v.workshop.start_date, v.workshop.end_date);
            WorkshopLine {
                id: v.workshop.id,
                course: v.course.title.clone(),
                when: match when {
                    When::Today => t.running_today,
                    When::Upcoming => t.coming_up,
                    When::Past => t.finished,
                },
                today: when == When::Today,
                dates: date_span(v.workshop.start_date, v.workshop.end_date),
                venue: v.workshop.venue.clone(),
                enrolled: v.workshop.seats_taken,
            }
        })
        .collect();
    let token = csrf::token(req, secure(&state));
    let cookies: Vec<String> = token.set_cookie.into_iter().collect();
    let mut layout = page::Layout::new(t, t.my_workshops, &token.value);
    layout.signed_in = Some(who.name());
    layout.home = "/register";
    let mut response = page::html(
        StatusCode::OK,
        &WorkshopsPage {
            layout,
            workshops,
            user_id: user_id(&who),
            words_json: serde_json::to_string(&t.script_words()).unwrap_or_default(),
            js_url: assets::register_js_url(),
        },
        &cookies,
    );
    response
        .headers_mut()
        .insert(OFFLINE_HEADER, HeaderValue::from_static("keep"));
    response
}

/// `POST /register/sign-in`: a password sign-in, throttled exactly like `POST /api/v1/auth/login`.
#[handler]
pub async fn sign_in(
    req: &Request,
    state: Data<&AppState>,
    Form(form): Form<session::PasswordForm>,
) -> Response {
    session::password_sign_in(req, &state, form, "/register", |status, email| {
        sign_in_page(req, &state, status, true, email)
    })
    .await
}

/// `GET /register/workshops/{id}`: the register of one of one's workshops.
#[handler]
pub async fn workshop(req: &Request, state: Data<&AppState>, Path(id): Path<i64>) -> Response {
    let who = match session::signed_in(req, &state).await {
        Ok(Some(who)) => who,
        Ok(None) => return page::see_other("/register", &[]),
        Err(err) => return errors::from_domain(req, err),
    };
    let t = i18n::strings();
    let view = match workshops::get(&state.db, id).await {
        Ok(view) => view,
        Err(err) => return errors::from_domain(req, err),
    };
    let assigned = who
        .principal
        .user_id()
        .is_some_and(|id| view.trainer_ids.contains(&id));
    if !who
        .principal
        .may_read_workshop(WorkshopReading::Register, assigned)
    {
        return errors::forbidden(req, t.forbidden_register);
    }
    let (_, dates, rows) = match attendance::register(&state.db, id).await {
        Ok(found) => found,
        Err(err) => return errors::from_domain(req, err),
    };
    let results = match attendance::results(&state.db, id).await {
        Ok((_, results)) => results,
        Err(err) => return errors::from_domain(req, err),
    };
    let today = local_today();
    let selected_day = agenda::opening_day(&dates, today);
    let score_text = |v: Option<f64>| {
        v.map(|v| crate::domain::figures::percent(v).to_string())
            .unwrap_or_default()
    };
    let mut people = Vec::with_capacity(rows.len());
    let mut roster_people = Vec::with_capacity(rows.len());
    for row in rows {
        let result = results.iter().find(|r| r.enrolment_id == row.enrolment_id);
        let scores = RosterScores {
            pre_test: result.and_then(|r| r.pre_test_percent),
            post_test: result.and_then(|r| r.verdict.post_test_percent),
            practical: result.and_then(|r| r.practical_percent),
        };
        people.push(PersonRow {
            enrolment_id: row.enrolment_id,
            name: row.full_name.clone(),
            selected_mark: row
                .days
                .get(selected_day as usize - 1)
                .and_then(|m| m.as_ref())
                .map_or("", |m| status_name(m.status)),
            pre_test: score_text(scores.pre_test),
            post_test: score_text(scores.post_test),
            practical: score_text(scores.practical),
        });
        roster_people.push(RosterPerson {
            enrolment_id: row.enrolment_id,
            name: row.full_name,
            marks: row
                .days
                .into_iter()
                .map(|m| {
                    m.map(|m| RosterMark {
                        status: status_name(m.status),
                        marked_at: m.marked_at,
                    })
                })
                .collect(),
            scores,
        });
    }
    let roster = Roster {
        workshop_id: id,
        user_id: user_id(&who),
        generated_at: Utc::now(),
        future: dates.iter().map(|d| *d > today).collect(),
        dates: dates.clone(),
        people: roster_people,
    };
    let token = csrf::token(req, secure(&state));
    let cookies: Vec<String> = token.set_cookie.into_iter().collect();
    let mut layout = page::Layout::new(t, view.course.title.clone(), &token.value);
    layout.signed_in = Some(who.name());
    layout.home = "/register";
    let register = RegisterPage {
        layout,
        user_id: user_id(&who),
        dates: date_span(view.workshop.start_date, view.workshop.end_date),
        venue: view.workshop.venue.clone(),
        completed: view.workshop.status == Status::Completed,
        days: dates
            .iter()
            .enumerate()
            .map(|(i, d)| DayChoice {
                day: i as i32 + 1,
                date: d.format("%a %-d %b").to_string(),
                future: *d > today,
            })
            .collect(),
        selected_day,
        statuses: [
            ("present", t.present),
            ("late", t.late),
            ("absent", t.absent),
            ("excused", t.excused),
        ],
        people,
        roster_json: serde_json::to_string(&roster).unwrap_or_default(),
        words_json: serde_json::to_string(&t.script_words()).unwrap_or_default(),
        js_url: assets::register_js_url(),
    };
    let mut response = page::html(StatusCode::OK, &register, &cookies);
    response
        .headers_mut()
        .insert(OFFLINE_HEADER, HeaderValue::from_static("keep"));
    response
}
