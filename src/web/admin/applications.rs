//! Applications for public workshops: the list (across workshops, or one workshop's), each with
//! the participants on record it may be; accepting one (as a new participant or linked to one
//! of those), declining one with a reason, and accepting several at once (a council's
//! nominees). Each action asks first on the console's confirmation page; the services do the
//! work (`services::applications`), exactly as the API's operations call them.

use askama::Template;
use entity::workshop_application::{self, ApplicationStatus};
use poem::{
    Request, Response, handler,
    http::StatusCode,
    web::{Data, Path, Query},
};
use sea_orm::{ActiveEnum, Iterable};
use serde::Deserialize;

use super::{Admin, AdminForm, FieldErrors, Pager, confirm, iso, page_of, words};
use crate::{
    domain::{Error, Result},
    services::{
        applications::{self, ApplicationFilter, ApplicationView},
        workshops,
    },
    state::AppState,
    web::{
        errors,
        i18n::{APPLICATION_WORDS, AdminStrings, ApplicationWords},
        page,
    },
};

use super::workshops::Choice;

struct CandidateLine {
    id: i64,
    name: String,
    why: String,
}

struct ApplicationCard {
    id: i64,
    reference: String,
    name: String,
    workshop_id: i64,
    contact: String,
    organisation: String,
    target_group: String,
    received: String,
    status: &'static str,
    pending: bool,
    decline_reason: String,
    candidates: Vec<CandidateLine>,
    /// What was typed into this application's decline form, shown again with its error.
    typed_reason: String,
    reason_error: Option<String>,
}

#[derive(Template)]
#[template(path = "admin_applications.html")]
struct ListPage {
    layout: page::Layout,
    a: &'static AdminStrings,
    w: &'static ApplicationWords,
    notice: Option<String>,
    errors: FieldErrors,
    workshop_id: String,
    statuses: Vec<Choice>,
    cards: Vec<ApplicationCard>,
    any_pending: bool,
    pager: Pager,
}

/// What the list shows.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    workshop_id: Option<String>,
    /// A status key; blank for any. Absent: those awaiting review.
    status: Option<String>,
    page: Option<u64>,
    notice: Option<String>,
    n: Option<u64>,
}

/// A refusal shown on the list: the application it concerns and what was typed there.
#[derive(Default)]
struct Refusal {
    errors: FieldErrors,
    application_id: Option<i64>,
    typed_reason: String,
}

fn words_for(pairs: &[(&'static str, &'static str)], key: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| *k == key)
        .map_or_else(|| key.to_owned(), |(_, w)| (*w).to_owned())
}

fn card(v: ApplicationView, refusal: &Refusal) -> ApplicationCard {
    let w = &APPLICATION_WORDS;
    let a = v.application;
    let contact = [a.email.clone(), a.phone.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let here = refusal.application_id == Some(a.id);
    ApplicationCard {
        id: a.id,
        reference: a.reference.clone(),
        name: a.full_name.clone(),
        workshop_id: a.workshop_id,
        contact,
        organisation: a.organisation_name.clone().unwrap_or_default(),
        target_group: words_for(&words().target_groups, &a.target_group.to_value()),
        received: iso(a.created_at.date_naive()),
        status: w.status(&a.status.to_value()),
        pending: a.status == ApplicationStatus::Pending,
        decline_reason: a.decline_reason.clone().unwrap_or_default(),
        candidates: v
            .candidates
            .into_iter()
            .map(|c| CandidateLine {
                id: c.participant_id,
                name: c.full_name,
                why: c
                    .reasons
                    .iter()
                    .map(|r| words_for(&w.reasons, reason_key(*r)))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect(),
        typed_reason: if here {
            refusal.typed_reason.clone()
        } else {
            String::new()
        },
        reason_error: if here {
            refusal.errors.of("reason")
        } else {
            None
        },
    }
}

fn reason_key(r: crate::domain::duplicates::Reason) -> &'static str {
    use crate::domain::duplicates::Reason::*;
    match r {
        NationalId => "national_id",
        Email => "email",
        Phone => "phone",
        NameAndOrganisation => "name_and_organisation",
    }
}

/// The status the list asks for: none given means those awaiting review; blank means any.
fn status_asked(status: Option<&str>) -> Option<Option<ApplicationStatus>> {
    match status.map(str::trim) {
        None => Some(Some(ApplicationStatus::Pending)),
        Some("") => Some(None),
        Some(key) => ApplicationStatus::try_from_value(&key.to_owned())
            .ok()
            .map(Some),
    }
}

async fn list_page(
    admin: &Admin,
    state: &AppState,
    q: &ListQuery,
    refusal: Refusal,
    notice: Option<String>,
) -> Result<ListPage> {
    let a = words();
    let w = &APPLICATION_WORDS;
    let mut errors = refusal.errors.clone();
    let workshop_text = q.workshop_id.clone().unwrap_or_default();
    let workshop_id = super::parse_id("workshop_id", Some(&workshop_text), &mut errors);
    let status = status_asked(q.status.as_deref()).unwrap_or(Some(ApplicationStatus::Pending));
    let (page_number, page_request) = page_of(q.page);
    let found = applications::list(
        &state.db,
        ApplicationFilter {
            workshop_id,
            status,
        },
        page_request,
        state.application_clock.now(),
    )
    .await?;
    let status_key = status.map(|s| s.to_value()).unwrap_or_default();
    let mut statuses = vec![Choice {
        value: String::new(),
        label: w.any_status.to_owned(),
        selected: status.is_none(),
    }];
    statuses.extend(ApplicationStatus::iter().map(|s| Choice {
        label: w.status(&s.to_value()).to_owned(),
        selected: Some(s) == status,
        value: s.to_value(),
    }));
    let cards: Vec<ApplicationCard> = found.items.into_iter().map(|v| card(v, &refusal)).collect();
    Ok(ListPage {
        layout: admin.layout(w.title),
        a,
        w,
        notice,
        errors,
        any_pending: cards.iter().any(|c| c.pending),
        pager: Pager::new(
            "/admin/applications",
            &[
                ("workshop_id", workshop_text.clone()),
                ("status", status_key),
            ],
            page_number,
            found.total,
        ),
        workshop_id: workshop_text,
        statuses,
        cards,
    })
}

/// `GET /admin/applications`: those awaiting review unless another status is asked for; one
/// workshop's with `workshop_id`.
#[handler]
pub async fn list(
    req: &Request,
    state: Data<&AppState>,
    Query(q): Query<ListQuery>,
    admin: Admin,
) -> Response {
    let notice = q
        .notice
        .as_deref()
        .and_then(|k| APPLICATION_WORDS.notice(k, q.n.unwrap_or(0)));
    match list_page(&admin, &state, &q, Refusal::default(), notice).await {
        Ok(page) => admin.html(StatusCode::OK, &page),
        Err(err) => errors::from_domain(req, err),
    }
}

/// The list of the application's workshop, awaiting review, with a refusal shown: 409 for a
/// conflict (already decided), 422 for a bad value. Anything else is the error page.
async fn refused(
    req: &Request,
    admin: &Admin,
    state: &AppState,
    workshop_id: Option<i64>,
    err: Error,
    application_id: Option<i64>,
    typed_reason: String,
) -> Response {
    let status = match &err {
        Error::Conflict(_) => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let mut errors = match FieldErrors::from_error(err) {
        Ok(errors) => errors,
        Err(other) => return errors::from_domain(req, other),
    };
    // The choice of person has no field of its own on the list: its refusal heads the page.
    if let Some(message) = errors.of("participant_id") {
        errors.general.push(message);
    }
    let refusal = Refusal {
        errors,
        application_id,
        typed_reason,
    };
    show_refusal(req, admin, state, workshop_id, status, refusal, None).await
}

/// The list (of one workshop's applications awaiting review, or all of them) answered with
/// `status`, showing `refusal`.
async fn show_refusal(
    req: &Request,
    admin: &Admin,
    state: &AppState,
    workshop_id: Option<i64>,
    status: StatusCode,
    refusal: Refusal,
    notice: Option<String>,
) -> Response {
    let q = ListQuery {
        workshop_id: workshop_id.map(|w| w.to_string()),
        ..Default::default()
    };
    match list_page(admin, state, &q, refusal, notice).await {
        Ok(page) => admin.html(status, &page),
        Err(err) => errors::from_domain(req, err),
    }
}

/// Where to go after an action on `a`: its workshop's applications, with what happened.
fn back_to(a: &workshop_application::Model, notice: &str, n: u64) -> Response {
    page::see_other(
        &format!(
            "/admin/applications?workshop_id={}&notice={notice}&n={n}",
            a.workshop_id
        ),
        &[],
    )
}

#[derive(Debug, Deserialize)]
pub struct AcceptForm {
    /// A participant on record the applicant is; blank: create one from the application.
    participant_id: Option<String>,
    confirm: Option<String>,
}

/// The question before accepting application `a` (as `participant`, if given).
async fn accept_question(
    state: &AppState,
    a: &workshop_application::Model,
    participant: Option<i64>,
) -> Result<confirm::Confirm> {
    let w = &APPLICATION_WORDS;
    let view = workshops::get(&state.db, a.workshop_id).await?;
    let ws = &view.workshop;
    let about = format!(
        "{}, {} – {}",
        view.course.code,
        iso(ws.start_date),
        iso(ws.end_date)
    );
    let mut consequences = vec![match participant {
        Some(id) => {
            let p = crate::services::participants::get(&state.db, id).await?;
            (w.links_participant)(&p.full_name, id)
        }
        None => w.creates_participant.to_owned(),
    }];
    let left = ws.capacity - ws.seats_taken;
    consequences.push(if left > 0 {
        (w.takes_seat)(left - 1)
    } else {
        w.joins_waitlist.to_owned()
    });
    consequences.push((w.told_by)(a.email.is_some()).to_owned());
    Ok(confirm::Confirm {
        question: (w.confirm_accept)(&a.full_name, a.workshop_id, &about),
        consequences,
        action: format!("/admin/applications/{}/accept", a.id),
        fields: participant
            .map(|p| ("participant_id".to_owned(), p.to_string()))
            .into_iter()
            .collect(),
        button: w.accept,
        back: format!("/admin/applications?workshop_id={}", a.workshop_id),
    })
}

/// `POST /admin/applications/{id}/accept`: asks first, then accepts (enrolled, or waitlisted
/// when the workshop is full).
#[handler]
pub async fn accept(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
    AdminForm(admin, form): AdminForm<AcceptForm>,
) -> Response {
    let current = match applications::get(&state.db, id).await {
        Ok(a) => a,
        Err(err) => return errors::from_domain(req, err),
    };
    let participant = match form.participant_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => match text.parse::<i64>() {
            Ok(p) => Some(p),
            Err(_) => {
                let err = Error::Invalid(vec![crate::domain::FieldError::new(
                    "participant_id",
                    words().whole_number,
                )]);
                let w = Some(current.workshop_id);
                return refused(req, &admin, &state, w, err, Some(id), String::new()).await;
            }
        },
    };
    if !confirm::confirmed(form.confirm.as_deref()) {
        return match accept_question(&state, &current, participant).await {
            Ok(question) => confirm::page(&admin, words().confirm_title, question),
            Err(err) => errors::from_domain(req, err),
        };
    }
    let now = state.application_clock.now();
    match applications::accept(&state.db, &admin.actor(), id, participant, now).await {
        Ok(done) => match done.waitlist_position {
            Some(place) => back_to(&done.application, "waitlisted", place),
            None => back_to(&done.application, "accepted", 0),
        },
        Err(err) => {
            refused(
                req,
                &admin,
                &state,
                Some(current.workshop_id),
                err,
                Some(id),
                String::new(),
            )
            .await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct DeclineForm {
    reason: Option<String>,
    confirm: Option<String>,
}

/// `POST /admin/applications/{id}/decline`: a reason first, then the question, then declines.
#[handler]
pub async fn decline(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
    AdminForm(admin, form): AdminForm<DeclineForm>,
) -> Response {
    let current = match applications::get(&state.db, id).await {
        Ok(a) => a,
        Err(err) => return errors::from_domain(req, err),
    };
    let reason = form.reason.unwrap_or_default();
    // A reason is asked for first (the service says so); then what declining does.
    if !reason.trim().is_empty() && !confirm::confirmed(form.confirm.as_deref()) {
        let w = &APPLICATION_WORDS;
        return confirm::page(
            &admin,
            words().confirm_title,
            confirm::Confirm {
                question: (w.confirm_decline)(&current.full_name),
                consequences: vec![
                    (w.decline_effects)(reason.trim()),
                    (w.told_by)(current.email.is_some()).to_owned(),
                ],
                action: format!("/admin/applications/{id}/decline"),
                fields: vec![("reason".to_owned(), reason)],
                button: w.decline,
                back: format!("/admin/applications?workshop_id={}", current.workshop_id),
            },
        );
    }
    let now = state.application_clock.now();
    match applications::decline(&state.db, &admin.actor(), id, &reason, now).await {
        Ok(done) => back_to(&done, "declined", 0),
        Err(err) => {
            refused(
                req,
                &admin,
                &state,
                Some(current.workshop_id),
                err,
                Some(id),
                reason,
            )
            .await
        }
    }
}

/// The ids ticked on the list (`ids`, repeated), in the order sent; or what is wrong.
fn ticked(pairs: &[(String, String)]) -> std::result::Result<Vec<i64>, &'static str> {
    let mut ids = Vec::new();
    for (_, value) in pairs.iter().filter(|(k, _)| k == "ids") {
        let id = value
            .trim()
            .parse::<i64>()
            .map_err(|_| words().whole_number)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Err(APPLICATION_WORDS.select_one);
    }
    Ok(ids)
}

/// `POST /admin/applications/accept-selected`: accepts the ticked applications, each as a new
/// participant, in the order listed (after asking). Each refusal is shown with its reference.
#[handler]
pub async fn accept_selected(
    req: &Request,
    state: Data<&AppState>,
    AdminForm(admin, pairs): AdminForm<Vec<(String, String)>>,
) -> Response {
    let w = &APPLICATION_WORDS;
    let ids = match ticked(&pairs) {
        Ok(ids) => ids,
        Err(problem) => {
            let mut refusal = Refusal::default();
            refusal.errors.general.push(problem.to_owned());
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return show_refusal(req, &admin, &state, None, status, refusal, None).await;
        }
    };
    let confirmed = pairs
        .iter()
        .any(|(k, v)| k == "confirm" && confirm::confirmed(Some(v)));
    if !confirmed {
        return confirm::page(
            &admin,
            words().confirm_title,
            confirm::Confirm {
                question: (w.confirm_accept_many)(ids.len()),
                consequences: vec![w.accept_many_effects.to_owned()],
                action: "/admin/applications/accept-selected".to_owned(),
                fields: ids
                    .iter()
                    .map(|id| ("ids".to_owned(), id.to_string()))
                    .collect(),
                button: w.accept_selected,
                back: "/admin/applications".to_owned(),
            },
        );
    }
    let now = state.application_clock.now();
    let answers = applications::accept_many(&state.db, &admin.actor(), &ids, now).await;
    accepted_many_page(req, &admin, &state, answers).await
}

/// The list after accepting several: how many were accepted, and each refusal.
async fn accepted_many_page(
    req: &Request,
    admin: &Admin,
    state: &AppState,
    answers: Vec<(i64, Result<applications::Accepted>)>,
) -> Response {
    let w = &APPLICATION_WORDS;
    let mut refusal = Refusal::default();
    let mut accepted = 0u64;
    for (id, answer) in answers {
        let why = match answer {
            Ok(_) => {
                accepted += 1;
                continue;
            }
            Err(Error::Invalid(fields)) => fields
                .into_iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect::<Vec<_>>()
                .join("; "),
            Err(err @ (Error::Conflict(_) | Error::NotFound { .. })) => err.to_string(),
            Err(other) => return errors::from_domain(req, other),
        };
        let reference = match applications::get(&state.db, id).await {
            Ok(a) => a.reference,
            Err(_) => id.to_string(),
        };
        refusal.errors.general.push((w.refused)(&reference, &why));
    }
    let status = if refusal.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::CONFLICT
    };
    let notice = w.notice("accepted_many", accepted);
    show_refusal(req, admin, state, None, status, refusal, notice).await
}
