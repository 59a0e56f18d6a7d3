//! `/portal/workshops/{id}/evaluation`: the evaluation form for a signed-in participant, in
//! their language, with no script and room for a 360 px phone. Radio buttons 1–5 per question;
//! each topic may be left "Not rated" (a blank on the paper form), so `ratings.topics` holds the
//! rated ones. Submitted through the same service as `POST /api/v1/workshops/{id}/evaluations`
//! ([`evaluations::submit`]); its 422 comes back as a sentence next to each field, its 409 as a
//! page saying why. After sending: a thank-you page.

use std::collections::BTreeMap;

use askama::Template;
use poem::{
    Request, Response, handler,
    http::StatusCode,
    web::{Data, Form, Path},
};

use super::{
    csrf, errors, i18n, page,
    portal::{participant, secure, words_of},
    words::Words,
};
use crate::{
    domain::{Error, FieldError, evaluation::Ratings},
    services::{
        evaluations::{self, NewEvaluation, Standing},
        workshops,
    },
    state::AppState,
};

/// One choice of a rating question.
struct Choice {
    /// `""` for "Not rated", else 1..=5.
    value: String,
    label: String,
    checked: bool,
}

/// One rating question: a fieldset of radio buttons.
struct Question {
    /// The form field: `overall`, …, or `topic-<n>` (the course topic's position).
    name: String,
    label: String,
    choices: Vec<Choice>,
    /// What is wrong with the answer, next to it.
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "portal_evaluation.html")]
struct FormPage {
    layout: page::Layout,
    workshop_id: i64,
    /// "Course, dates, venue".
    about: String,
    general: Vec<Question>,
    topics: Vec<Question>,
    most_useful: String,
    suggestions: String,
    most_useful_error: Option<String>,
    suggestions_error: Option<String>,
    has_errors: bool,
    max_comment: usize,
}

#[derive(Template)]
#[template(path = "portal_evaluation_done.html")]
struct DonePage {
    layout: page::Layout,
    /// The sentence under the heading.
    text: String,
}

/// The questions besides the topics: form field and message id.
const GENERAL: [(&str, &str); 4] = [
    ("overall", "eval-overall"),
    ("trainers", "eval-trainers"),
    ("venue", "eval-venue"),
    ("materials", "eval-materials"),
];

/// What the participant entered (as sent, to show it again next to any error).
#[derive(Default)]
struct Answers {
    fields: BTreeMap<String, String>,
}

impl Answers {
    fn get(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("")
    }
}

fn rating_label(w: &Words, value: i32) -> String {
    match value {
        1 => w.t("eval-rating-1"),
        2 => w.t("eval-rating-2"),
        3 => w.t("eval-rating-3"),
        4 => w.t("eval-rating-4"),
        _ => w.t("eval-rating-5"),
    }
}

fn question(
    w: &Words,
    name: String,
    label: String,
    optional: bool,
    answers: &Answers,
    error: Option<String>,
) -> Question {
    let sent = answers.get(&name).trim().to_owned();
    let mut choices = Vec::new();
    if optional {
        choices.push(Choice {
            value: String::new(),
            label: w.t("eval-not-rated"),
            checked: sent.is_empty(),
        });
    }
    for value in 1..=5 {
        choices.push(Choice {
            value: value.to_string(),
            label: rating_label(w, value),
            checked: sent == value.to_string(),
        });
    }
    Question {
        name,
        label,
        choices,
        error,
    }
}

/// The form, with what was sent and the service's field errors when there are any.
fn form_page(
    layout: page::Layout,
    view: &crate::services::workshop_queries::WorkshopView,
    answers: &Answers,
    problems: &[FieldError],
) -> FormPage {
    let w = layout.w.clone();
    let error_of = |field: &str| {
        problems
            .iter()
            .any(|p| p.field == field)
            .then(|| w.t("eval-error-rating"))
    };
    let general = GENERAL
        .iter()
        .map(|(name, key)| {
            question(
                &w,
                (*name).to_owned(),
                w.t(key),
                false,
                answers,
                error_of(&format!("ratings.{name}")),
            )
        })
        .collect();
    let topics = view
        .course
        .topic_list()
        .iter()
        .enumerate()
        .map(|(i, topic)| {
            question(
                &w,
                format!("topic-{i}"),
                w.t_with("eval-topic", &[("topic", topic.clone().into())]),
                true,
                answers,
                error_of(&format!("ratings.topics.{topic}")),
            )
        })
        .collect();
    let comment_error = |field: &str| {
        problems
            .iter()
            .any(|p| p.field == field)
            .then(|| w.t("eval-error-comment"))
    };
    let about = w.t_with(
        "eval-about",
        &[
            ("course", view.course.title.clone().into()),
            (
                "dates",
                w.date_span(view.workshop.start_date, view.workshop.end_date)
                    .into(),
            ),
            ("venue", view.workshop.venue.clone().into()),
        ],
    );
    FormPage {
        workshop_id: view.workshop.id,
        about,
        general,
        topics,
        most_useful: answers.get("most_useful").to_owned(),
        suggestions: answers.get("suggestions").to_owned(),
        most_useful_error: comment_error("most_useful"),
        suggestions_error: comment_error("suggestions"),
        has_errors: !problems.is_empty(),
        max_comment: crate::domain::evaluation::MAX_COMMENT_CHARS,
        layout,
    }
}

/// The page saying why the workshop cannot be evaluated (409), or 404 for a workshop the
/// participant held no seat in (it is not theirs to see).
fn closed(req: &Request, layout: page::Layout, standing: &Standing) -> Response {
    let w = layout.w.clone();
    let text = match standing {
        Standing::NoSeat => return errors::not_found(req),
        Standing::Open => return errors::internal(req, "an open evaluation was refused"),
        Standing::Cancelled => w.t("eval-cancelled"),
        Standing::NotYet(date) => w.t_with("eval-not-yet", &[("date", w.date(*date).into())]),
        Standing::NotAttended => w.t("eval-not-attended"),
        Standing::Submitted(_) => w.t("eval-already"),
    };
    let mut layout = layout;
    layout.title = w.t("eval-closed-title");
    w.mark(page::html(
        StatusCode::CONFLICT,
        &DonePage { layout, text },
        &[],
    ))
}

/// `GET /portal/workshops/{id}/evaluation`.
#[handler]
pub async fn form(req: &Request, state: Data<&AppState>, Path(id): Path<i64>) -> Response {
    let (who, participant_id) = match participant(req, &state).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let token = csrf::token(req, secure(&state));
    let cookies: Vec<String> = token.set_cookie.clone().into_iter().collect();
    let w = match words_of(req, &state, Some(participant_id)).await {
        Ok(w) => w,
        Err(err) => return errors::from_domain(req, err),
    };
    let mut layout =
        page::Layout::new(i18n::strings(), w.t("eval-title"), &token.value).with_words(w.clone());
    layout.signed_in = Some(who.name());
    let standing = match evaluations::standing(&state.db, participant_id, id).await {
        Ok(standing) => standing,
        Err(err) => return errors::from_domain(req, err),
    };
    if standing != Standing::Open {
        return closed(req, layout, &standing);
    }
    let view = match workshops::get(&state.db, id).await {
        Ok(view) => view,
        Err(err) => return errors::from_domain(req, err),
    };
    let page_view = form_page(layout, &view, &Answers::default(), &[]);
    w.mark(page::html(StatusCode::OK, &page_view, &cookies))
}

/// A rating as sent: blank is none; anything that is not a whole number is 0, which the
/// service refuses as out of range next to the field.
fn rating(sent: &str) -> Option<i32> {
    let sent = sent.trim();
    (!sent.is_empty()).then(|| sent.parse::<i32>().unwrap_or(0))
}

/// The evaluation a form sent (the portal's, or the console's paper evaluation): the ratings
/// `overall`, `trainers`, `venue` and `materials`, `topic-<n>` for the course's n-th topic (blank:
/// not rated), and the comments `most_useful` and `suggestions`. A general question left blank
/// is 0, which the service refuses next to it.
pub(crate) fn evaluation_sent(
    fields: &BTreeMap<String, String>,
    course_topics: &[String],
    participant_id: Option<i64>,
) -> NewEvaluation {
    let get = |name: &str| fields.get(name).map(String::as_str).unwrap_or("");
    let topics = course_topics
        .iter()
        .enumerate()
        .filter_map(|(i, topic)| {
            rating(get(&format!("topic-{i}"))).map(|value| (topic.clone(), value))
        })
        .collect();
    let general = |name: &str| rating(get(name)).unwrap_or(0);
    let comment = |name: &str| Some(get(name).to_owned()).filter(|c| !c.trim().is_empty());
    NewEvaluation {
        participant_id,
        ratings: Ratings {
            overall: general("overall"),
            trainers: general("trainers"),
            venue: general("venue"),
            materials: general("materials"),
            topics,
        },
        most_useful: comment("most_useful"),
        suggestions: comment("suggestions"),
    }
}

/// `POST /portal/workshops/{id}/evaluation`.
#[handler]
pub async fn submit(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let answers = Answers {
        fields: fields.into_iter().collect(),
    };
    if !csrf::verify(req, Some(answers.get("csrf")), &state.config.public_url) {
        return errors::form_expired(req);
    }
    let (who, participant_id) = match participant(req, &state).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let w = match words_of(req, &state, Some(participant_id)).await {
        Ok(w) => w,
        Err(err) => return errors::from_domain(req, err),
    };
    let view = match workshops::get(&state.db, id).await {
        Ok(view) => view,
        Err(err) => return errors::from_domain(req, err),
    };
    let new = evaluation_sent(&answers.fields, &view.course.topic_list(), None);
    let token = csrf::token(req, secure(&state));
    let mut layout =
        page::Layout::new(i18n::strings(), w.t("eval-title"), &token.value).with_words(w.clone());
    layout.signed_in = Some(who.name());
    match evaluations::submit(&state.db, &who.principal, id, new).await {
        Ok(_) => {
            layout.title = w.t("eval-thanks-title");
            let text = w.t_with(
                "eval-thanks-text",
                &[("course", view.course.title.clone().into())],
            );
            w.mark(page::html(StatusCode::OK, &DonePage { layout, text }, &[]))
        }
        Err(Error::Invalid(problems)) => {
            let page_view = form_page(layout, &view, &answers, &problems);
            w.mark(page::html(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page_view,
                &[],
            ))
        }
        Err(Error::Conflict(_)) => {
            match evaluations::standing(&state.db, participant_id, id).await {
                Ok(standing) if standing != Standing::Open => closed(req, layout, &standing),
                Ok(_) => errors::internal(req, "an evaluation was refused while open"),
                Err(err) => errors::from_domain(req, err),
            }
        }
        Err(err) => errors::from_domain(req, err),
    }
}
