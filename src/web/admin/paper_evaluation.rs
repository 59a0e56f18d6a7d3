//! Entering a paper evaluation (`/admin/workshops/{id}/paper-evaluation`): one participant's
//! printed form typed in by an administrator. The questions, their words and their order are
//! the paper form's ([`paper_evaluation`]); a topic or comment left blank on paper stays blank.
//! Saved through the same service as the API's `POST /workshops/{id}/evaluations` naming the
//! participant ([`evaluations::submit`]), whose refusals show next to their questions.

use std::collections::BTreeMap;

use askama::Template;
use entity::enrolment::EnrolmentStatus;
use poem::{
    Request, Response, handler,
    http::StatusCode,
    web::{Data, Path, Query},
};
use serde::Deserialize;

use super::{Admin, AdminForm, FieldErrors, words, workshops::Choice};
use crate::{
    domain::{Error, FieldError, Result},
    services::{
        PageRequest, enrolments, evaluations, paper_evaluation, participants,
        workshop_queries::WorkshopView, workshops,
    },
    state::AppState,
    web::{
        errors, i18n::AdminStrings, page, portal_evaluation::evaluation_sent, verify::date_span,
    },
};

/// One box of a rating question.
struct Tick {
    /// `""` for a blank, else 1..=5.
    value: String,
    label: String,
    checked: bool,
}

/// One rating question as the paper form asks it.
struct RatingQuestion {
    /// The form field: `overall`, …, or `topic-<n>`.
    name: String,
    label: String,
    ticks: Vec<Tick>,
}

/// One written answer.
struct CommentQuestion {
    name: &'static str,
    label: &'static str,
    value: String,
}

#[derive(Template)]
#[template(path = "admin_paper_evaluation.html")]
struct PaperEvaluationPage {
    layout: page::Layout,
    a: &'static AdminStrings,
    notice: Option<String>,
    errors: FieldErrors,
    id: i64,
    /// "Course (code), dates, venue".
    about: String,
    people: Vec<Choice>,
    ratings: Vec<RatingQuestion>,
    comments: Vec<CommentQuestion>,
    max_comment: usize,
}

/// What the page is asked to show.
#[derive(Debug, Default, Deserialize)]
pub struct ShowQuery {
    notice: Option<String>,
}

/// Everyone who held a seat in the workshop (those whose form can be entered).
const SEATS: PageRequest = PageRequest {
    limit: 1000,
    offset: 0,
};

fn rating_question(name: String, label: String, blank: bool, sent: &str) -> RatingQuestion {
    let a = words();
    let sent = sent.trim();
    let blank = blank.then(|| Tick {
        value: String::new(),
        label: a.paper_evaluation_blank.to_owned(),
        checked: sent.is_empty(),
    });
    let ticks = blank
        .into_iter()
        .chain((1..=5).map(|v: i32| Tick {
            value: v.to_string(),
            label: v.to_string(),
            checked: sent == v.to_string(),
        }))
        .collect();
    RatingQuestion { name, label, ticks }
}

/// The page with what was sent (empty for a fresh form).
async fn build(
    admin: &Admin,
    state: &AppState,
    view: &WorkshopView,
    sent: &BTreeMap<String, String>,
    notice: Option<String>,
    errors: FieldErrors,
) -> Result<PaperEvaluationPage> {
    let a = words();
    let id = view.workshop.id;
    let seats = enrolments::list(&state.db, id, Some(EnrolmentStatus::Enrolled), SEATS).await?;
    let names = participants::get_many(
        &state.db,
        seats.items.iter().map(|e| e.enrolment.participant_id),
    )
    .await?;
    let get = |name: &str| sent.get(name).map(String::as_str).unwrap_or("");
    let mut people: Vec<Choice> = names
        .values()
        .map(|p| Choice {
            value: p.id.to_string(),
            label: p.full_name.clone(),
            selected: get("participant_id") == p.id.to_string(),
        })
        .collect();
    people.sort_by(|x, y| x.label.cmp(&y.label));
    let general = paper_evaluation::GENERAL_QUESTIONS
        .iter()
        .map(|(field, question)| {
            rating_question(
                (*field).to_owned(),
                (*question).to_owned(),
                false,
                get(field),
            )
        });
    let topics = view.course.topic_list();
    let topics = topics.iter().enumerate().map(|(i, topic)| {
        let name = format!("topic-{i}");
        let sent = get(&name).to_owned();
        rating_question(name, paper_evaluation::topic_question(topic), true, &sent)
    });
    let w = &view.workshop;
    Ok(PaperEvaluationPage {
        layout: admin.layout(a.paper_evaluation),
        a,
        notice,
        errors,
        id,
        about: format!(
            "{} ({}), {}, {}",
            view.course.title,
            view.course.code,
            date_span(w.start_date, w.end_date),
            w.venue
        ),
        people,
        ratings: general.chain(topics).collect(),
        comments: paper_evaluation::COMMENT_QUESTIONS
            .iter()
            .map(|(name, label)| CommentQuestion {
                name,
                label,
                value: get(name).to_owned(),
            })
            .collect(),
        max_comment: crate::domain::evaluation::MAX_COMMENT_CHARS,
    })
}

/// The page, or the error page when the workshop cannot be read.
async fn render(
    req: &Request,
    admin: &Admin,
    state: &AppState,
    id: i64,
    sent: &BTreeMap<String, String>,
    (notice, errors, status): (Option<String>, FieldErrors, StatusCode),
) -> Response {
    let view = match workshops::get(&state.db, id).await {
        Ok(view) => view,
        Err(err) => return errors::from_domain(req, err),
    };
    match build(admin, state, &view, sent, notice, errors).await {
        Ok(page) => admin.html(status, &page),
        Err(err) => errors::from_domain(req, err),
    }
}

/// `GET /admin/workshops/{id}/paper-evaluation`.
#[handler]
pub async fn show(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
    admin: Admin,
) -> Response {
    let notice = q.notice.as_deref().and_then(|key| words().notice(key, 0));
    let how = (notice, FieldErrors::default(), StatusCode::OK);
    render(req, &admin, &state, id, &BTreeMap::new(), how).await
}

/// The service's field names as the form's: `ratings.overall` → `overall`,
/// `ratings.topics.<topic>` → `topic-<n>`.
fn on_the_form(problems: Vec<FieldError>, topics: &[String]) -> FieldErrors {
    let mut errors = FieldErrors::default();
    for p in problems {
        let field = match p.field.strip_prefix("ratings.") {
            Some(rest) => match rest.strip_prefix("topics.") {
                Some(topic) => topics
                    .iter()
                    .position(|t| t == topic)
                    .map_or_else(|| rest.to_owned(), |i| format!("topic-{i}")),
                None => rest.to_owned(),
            },
            None => p.field.clone(),
        };
        errors.add(&field, p.message);
    }
    errors
}

/// `POST /admin/workshops/{id}/paper-evaluation`: saves one paper form.
#[handler]
pub async fn submit(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
    AdminForm(admin, fields): AdminForm<Vec<(String, String)>>,
) -> Response {
    let sent: BTreeMap<String, String> = fields.into_iter().collect();
    let view = match workshops::get(&state.db, id).await {
        Ok(view) => view,
        Err(err) => return errors::from_domain(req, err),
    };
    let topics = view.course.topic_list();
    let mut errors = FieldErrors::default();
    let whose = super::parse_id(
        "participant_id",
        sent.get("participant_id").map(String::as_str),
        &mut errors,
    );
    if !errors.is_empty() {
        let how = (None, errors, StatusCode::UNPROCESSABLE_ENTITY);
        return render(req, &admin, &state, id, &sent, how).await;
    }
    let new = evaluation_sent(&sent, &topics, whose);
    let refused = match evaluations::submit(&state.db, &admin.who.principal, id, new).await {
        Ok(_) => {
            return page::see_other(
                &format!("/admin/workshops/{id}/paper-evaluation?notice=evaluation_entered"),
                &[],
            );
        }
        Err(Error::Invalid(problems)) => (
            on_the_form(problems, &topics),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(Error::Conflict(message)) => {
            let mut errors = FieldErrors::default();
            errors.general.push(message);
            (errors, StatusCode::CONFLICT)
        }
        Err(err) => return errors::from_domain(req, err),
    };
    render(req, &admin, &state, id, &sent, (None, refused.0, refused.1)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_services_fields_land_on_the_forms_questions() {
        let topics = vec!["Hygiene".to_owned(), "Water safety".to_owned()];
        let errors = on_the_form(
            vec![
                FieldError::new("ratings.venue", "must be from 1 to 5"),
                FieldError::new("ratings.topics.Water safety", "must be from 1 to 5"),
                FieldError::new("participant_id", "names the participant"),
            ],
            &topics,
        );
        assert_eq!(errors.of("venue").as_deref(), Some("must be from 1 to 5"));
        assert_eq!(errors.of("topic-1").as_deref(), Some("must be from 1 to 5"));
        assert_eq!(errors.of("topic-0"), None);
        assert!(errors.of("participant_id").is_some());
    }
}
