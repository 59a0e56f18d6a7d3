//! One workshop: its facts and days, start / complete / cancel, enrolments and the waitlist
//! (enrol by searching for a person, withdraw), results with the reasons, issuing the
//! certificates, and the downloads.

use askama::Template;
use entity::{
    enrolment::EnrolmentStatus,
    workshop::{Level, Status},
};
use poem::{
    Request, Response, handler,
    http::StatusCode,
    web::{Data, Path, Query},
};
use serde::Deserialize;

use super::{
    Admin, AdminForm, FieldErrors, confirm, iso, level_short, parse_id, status_words, words,
};
use crate::{
    domain::{
        Error, Result,
        eligibility::percent_text,
        schedule::local_today,
        workshop::{Transition, transition},
    },
    services::{
        PageRequest, accounts, attendance,
        certificates::{self, CertificateFilter, IssueSettings},
        console, enrolments, participants,
        reissue::{self, Reissuer},
        workshops,
    },
    state::AppState,
    web::{errors, i18n::AdminStrings, page, verify::long_date},
};

struct DayLine {
    day: i32,
    date: String,
    topics: String,
}

struct EnrolmentLine {
    id: i64,
    name: String,
    participant_id: i64,
    status_class: &'static str,
    position: Option<u64>,
    may_withdraw: bool,
}

struct ResultLine {
    name: String,
    eligible: bool,
    days: i32,
    post_test: String,
    reasons: String,
}

struct CertificateLine {
    id: i64,
    number: String,
    holder: String,
    revoked: bool,
    replaced: bool,
}

/// The most enrolments the page lists.
const ALL_ENROLMENTS: PageRequest = PageRequest {
    limit: 1000,
    offset: 0,
};

struct Candidate {
    id: i64,
    name: String,
    detail: String,
    /// Already in this workshop: said instead of offering "Enrol".
    already: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "admin_workshop.html")]
struct WorkshopPage {
    layout: page::Layout,
    a: &'static AdminStrings,
    notice: Option<String>,
    errors: FieldErrors,
    id: i64,
    course: String,
    level: &'static str,
    is_tot: bool,
    parent: Option<i64>,
    venue: String,
    dates: String,
    status: &'static str,
    capacity: i32,
    taken: i32,
    left: i32,
    waitlist: i32,
    trainers: String,
    days: Vec<DayLine>,
    transitions: Vec<(&'static str, &'static str)>,
    taking_enrolments: bool,
    /// The privacy notice people consent to (`domain::consent`), shown beside the enrol form.
    privacy_notice: &'static str,
    enrolled: Vec<EnrolmentLine>,
    waitlisted: Vec<EnrolmentLine>,
    withdrawn: Vec<EnrolmentLine>,
    q: String,
    candidates: Vec<Candidate>,
    searched: bool,
    completed: bool,
    results: Vec<ResultLine>,
    certificates: Vec<CertificateLine>,
    /// Certificates neither revoked nor replaced (the workshop-wide reissue replaces them).
    standing_certificates: usize,
    /// "3 applications awaiting review".
    awaiting_review: String,
}

/// What the page is asked to show besides the workshop.
#[derive(Debug, Default, Deserialize)]
pub struct ShowQuery {
    /// A search for people to enrol.
    q: Option<String>,
    /// What the last action did (a fixed key, see `AdminStrings::notice`).
    notice: Option<String>,
    n: Option<u64>,
}

/// `GET /admin/workshops/{id}`.
#[handler]
pub async fn show(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
    admin: Admin,
) -> Response {
    let notice = q
        .notice
        .as_deref()
        .and_then(|key| words().notice(key, q.n.unwrap_or(0)));
    render(
        req,
        &admin,
        &state,
        id,
        q.q.unwrap_or_default(),
        notice,
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn render(
    req: &Request,
    admin: &Admin,
    state: &AppState,
    id: i64,
    q: String,
    notice: Option<String>,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    match build(admin, state, id, q, notice, errors).await {
        Ok(page) => admin.html(status, &page),
        Err(err) => errors::from_domain(req, err),
    }
}

fn enrolment_status(status: EnrolmentStatus) -> (&'static str, &'static str) {
    let a = words();
    match status {
        EnrolmentStatus::Enrolled => (a.enrolled, "enrolled"),
        EnrolmentStatus::Waitlisted => (a.waitlisted, "waitlisted"),
        EnrolmentStatus::Withdrawn => (a.withdrawn, "withdrawn"),
    }
}

async fn build(
    admin: &Admin,
    state: &AppState,
    id: i64,
    q: String,
    notice: Option<String>,
    errors: FieldErrors,
) -> Result<WorkshopPage> {
    let a = words();
    let view = workshops::get(&state.db, id).await?;
    let all = ALL_ENROLMENTS;
    let search = q.trim().to_owned();
    let (enrolment_page, results, issued, candidates) = tokio::try_join!(
        enrolments::list(&state.db, id, None, all),
        attendance::results(&state.db, id),
        certificates::list(
            &state.db,
            CertificateFilter {
                workshop_id: Some(id),
                ..Default::default()
            },
            all
        ),
        async {
            if search.is_empty() {
                Ok((vec![], false))
            } else {
                console::search_participants(
                    &state.db,
                    &search,
                    PageRequest {
                        limit: 20,
                        offset: 0,
                    },
                )
                .await
            }
        },
    )?;
    let names = participants::get_many(
        &state.db,
        enrolment_page
            .items
            .iter()
            .map(|e| e.enrolment.participant_id),
    )
    .await?;
    let w = &view.workshop;
    let finished = matches!(w.status, Status::Completed | Status::Cancelled);
    let (mut enrolled, mut waitlisted, mut withdrawn) = (vec![], vec![], vec![]);
    let already: std::collections::HashMap<i64, &'static str> = enrolment_page
        .items
        .iter()
        .filter_map(|e| match e.enrolment.status {
            EnrolmentStatus::Enrolled => Some((e.enrolment.participant_id, a.already_enrolled)),
            EnrolmentStatus::Waitlisted => Some((e.enrolment.participant_id, a.already_waitlisted)),
            EnrolmentStatus::Withdrawn => None,
        })
        .collect();
    for e in enrolment_page.items {
        let (_, status_class) = enrolment_status(e.enrolment.status);
        let line = EnrolmentLine {
            id: e.enrolment.id,
            participant_id: e.enrolment.participant_id,
            name: names
                .get(&e.enrolment.participant_id)
                .map(|p| p.full_name.clone())
                .unwrap_or_default(),
            status_class,
            position: e.waitlist_position,
            may_withdraw: !finished && e.enrolment.status != EnrolmentStatus::Withdrawn,
        };
        match e.enrolment.status {
            EnrolmentStatus::Enrolled => enrolled.push(line),
            EnrolmentStatus::Waitlisted => waitlisted.push(line),
            EnrolmentStatus::Withdrawn => withdrawn.push(line),
        }
    }
    let today = local_today();
    let transitions = [
        (Transition::Start, "start", a.start_workshop),
        (Transition::Complete, "complete", a.complete_workshop),
        (Transition::Cancel, "cancel", a.cancel_workshop),
    ]
    .into_iter()
    .filter(|(t, _, _)| transition(w.status, *t, w.end_date, today).is_ok())
    .map(|(_, key, label)| (key, label))
    .collect();
    let mut trainer_names = Vec::with_capacity(view.trainer_ids.len());
    for id in &view.trainer_ids {
        trainer_names.push(accounts::get_user(&state.db, *id).await?.name);
    }
    let awaiting =
        crate::services::applications::pending_counts(&state.db, state.application_clock.now())
            .await?;
    let awaiting_review =
        crate::web::i18n::APPLICATION_WORDS.pending_of(awaiting.get(&id).unwrap_or(&0));
    Ok(WorkshopPage {
        awaiting_review,
        layout: admin.layout(format!(
            "{} · {} · {}",
            view.course.code,
            level_short(w.level),
            iso(w.start_date)
        )),
        a,
        notice,
        errors,
        id,
        course: format!("{} — {}", view.course.code, view.course.title),
        level: level_short(w.level),
        is_tot: w.level == Level::Tot,
        parent: w.parent_workshop_id,
        venue: w.venue.clone(),
        dates: crate::web::verify::date_span(w.start_date, w.end_date),
        status: status_words(w.status),
        capacity: w.capacity,
        taken: w.seats_taken,
        left: (w.capacity - w.seats_taken).max(0),
        waitlist: w.waitlist_count,
        trainers: if trainer_names.is_empty() {
            a.none.to_owned()
        } else {
            trainer_names.join(", ")
        },
        days: view
            .days
            .iter()
            .map(|d| DayLine {
                day: d.day,
                date: format!("{} ({})", long_date(d.date), d.date.format("%A")),
                topics: d.topics.join("; "),
            })
            .collect(),
        transitions,
        taking_enrolments: w.status == Status::Scheduled,
        privacy_notice: crate::domain::consent::NOTICE_EN,
        enrolled,
        waitlisted,
        withdrawn,
        searched: !search.is_empty(),
        q,
        candidates: candidates
            .0
            .into_iter()
            .map(|p| Candidate {
                id: p.id,
                already: already.get(&p.id).copied(),
                detail: p.email.clone().or(p.phone.clone()).unwrap_or_default(),
                name: p.full_name,
            })
            .collect(),
        completed: w.status == Status::Completed,
        results: results
            .1
            .into_iter()
            .map(|r| ResultLine {
                name: r.full_name,
                eligible: r.verdict.eligible,
                days: r.verdict.days_attended,
                post_test: r
                    .verdict
                    .post_test_percent
                    .map(percent_text)
                    .unwrap_or_default(),
                reasons: r.verdict.reasons.join(" "),
            })
            .collect(),
        standing_certificates: issued
            .items
            .iter()
            .filter(|c| c.status == entity::certificate::CertificateStatus::Valid)
            .count(),
        certificates: issued
            .items
            .into_iter()
            .map(|c| CertificateLine {
                id: c.id,
                number: c.number,
                holder: c.holder_name,
                revoked: c.status == entity::certificate::CertificateStatus::Revoked,
                replaced: c.status == entity::certificate::CertificateStatus::Superseded,
            })
            .collect(),
    })
}

/// The workshop-wide reissue form.
#[derive(Debug, Deserialize)]
pub struct ReissueForm {
    reason: Option<String>,
}

/// `POST /admin/workshops/{id}/certificates/reissue`: replaces every valid certificate.
#[handler]
pub async fn reissue_certificates(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
    AdminForm(admin, form): AdminForm<ReissueForm>,
) -> Response {
    let settings = IssueSettings::from_config(&state.config);
    let with = Reissuer {
        renderer: state.renderer.clone(),
        keyring: &state.keyring,
        settings: &settings,
    };
    let reason = form.reason.unwrap_or_default();
    match reissue::reissue_workshop(&state.db, &admin.actor(), &with, id, &reason).await {
        Ok(reissued) => done(id, "reissued_all", Some(reissued.certificates.len() as u64)),
        Err(err) => refused(req, &admin, &state, id, String::new(), err).await,
    }
}

/// A form with only the CSRF token and one value.
#[derive(Debug, Deserialize)]
pub struct ActionForm {
    change: Option<String>,
    /// `yes` once the administrator has seen what a destructive action will do.
    confirm: Option<String>,
    participant_id: Option<String>,
    enrolment_id: Option<String>,
    q: Option<String>,
    /// `yes` when the person signed the privacy notice on the paper form.
    consent: Option<String>,
}

/// After an action: the workshop page again, saying what happened.
fn done(id: i64, notice: &str, n: Option<u64>) -> Response {
    let n = n.map(|n| format!("&n={n}")).unwrap_or_default();
    page::see_other(&format!("/admin/workshops/{id}?notice={notice}{n}"), &[])
}

/// A refusal shown on the workshop page (409 for a conflict, 422 for a bad value).
async fn refused(
    req: &Request,
    admin: &Admin,
    state: &AppState,
    id: i64,
    q: String,
    err: Error,
) -> Response {
    let status = match &err {
        Error::Conflict(_) => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    match FieldErrors::from_error(err) {
        Ok(errors) => render(req, admin, state, id, q, None, errors, status).await,
        Err(other) => errors::from_domain(req, other),
    }
}

/// `POST /admin/workshops/{id}/status`: `change=start|complete|cancel`.
#[handler]
pub async fn change_status(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
    AdminForm(admin, form): AdminForm<ActionForm>,
) -> Response {
    let change = match form.change.as_deref() {
        Some("start") => Transition::Start,
        Some("complete") => Transition::Complete,
        Some("cancel") => Transition::Cancel,
        _ => {
            let mut errors = FieldErrors::default();
            errors.general.push(words().unknown_action.to_owned());
            return render(
                req,
                &admin,
                &state,
                id,
                String::new(),
                None,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    if change == Transition::Cancel && !confirm::confirmed(form.confirm.as_deref()) {
        match cancel_confirmation(&state, id).await {
            Ok(Some(c)) => return confirm::page(&admin, words().confirm_title, c),
            // Not possible: the service says why.
            Ok(None) => {}
            Err(err) => return errors::from_domain(req, err),
        }
    }
    let public_url = state.config.public_url_trimmed().to_owned();
    match workshops::change_status(&state.db, &admin.actor(), id, change, &public_url).await {
        Ok(_) => done(id, change.past_tense(), None),
        Err(err) => refused(req, &admin, &state, id, String::new(), err).await,
    }
}

/// `POST /admin/workshops/{id}/enrol`: enrols `participant_id` (a seat, or the waitlist).
#[handler]
pub async fn enrol(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
    AdminForm(admin, form): AdminForm<ActionForm>,
) -> Response {
    let q = form.q.clone().unwrap_or_default();
    let mut errors = FieldErrors::default();
    let Some(participant) = parse_id(
        "participant_id",
        form.participant_id.as_deref(),
        &mut errors,
    ) else {
        errors.general.push(words().choose_person.to_owned());
        return render(
            req,
            &admin,
            &state,
            id,
            q,
            None,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let public_url = state.config.public_url_trimmed().to_owned();
    let consent =
        (form.consent.as_deref() == Some("yes")).then(crate::domain::consent::Consent::now);
    match enrolments::enrol_consenting(
        &state.db,
        &admin.actor(),
        id,
        participant,
        consent,
        &public_url,
    )
    .await
    {
        Ok(view) => match view.waitlist_position {
            Some(position) => done(id, "waitlisted", Some(position)),
            None => done(id, "enrolled", None),
        },
        Err(Error::Conflict(_))
            if enrolments::list(&state.db, id, None, ALL_ENROLMENTS)
                .await
                .is_ok_and(|found| {
                    found.items.iter().any(|e| {
                        e.enrolment.participant_id == participant
                            && e.enrolment.status != EnrolmentStatus::Withdrawn
                    })
                }) =>
        {
            // Said in words, with the person's name (not the service's ids).
            let name = participants::get_many(&state.db, [participant])
                .await
                .ok()
                .and_then(|found| found.get(&participant).map(|p| p.full_name.clone()))
                .unwrap_or_default();
            errors
                .general
                .push(format!("{name} {}", words().already_in_workshop));
            render(
                req,
                &admin,
                &state,
                id,
                q,
                None,
                errors,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(err) => refused(req, &admin, &state, id, q, err).await,
    }
}

/// `POST /admin/workshops/{id}/withdraw`: withdraws `enrolment_id` (the first on the waitlist
/// takes the seat).
#[handler]
pub async fn withdraw(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
    AdminForm(admin, form): AdminForm<ActionForm>,
) -> Response {
    let mut errors = FieldErrors::default();
    let Some(enrolment) = parse_id("enrolment_id", form.enrolment_id.as_deref(), &mut errors)
    else {
        errors.general.push(words().unknown_action.to_owned());
        return render(
            req,
            &admin,
            &state,
            id,
            String::new(),
            None,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    if !confirm::confirmed(form.confirm.as_deref()) {
        match withdraw_confirmation(&state, id, enrolment).await {
            Ok(Some(c)) => return confirm::page(&admin, words().confirm_title, c),
            // Not possible: the service says why.
            Ok(None) => {}
            Err(err) => return errors::from_domain(req, err),
        }
    }
    let public_url = state.config.public_url_trimmed().to_owned();
    match enrolments::withdraw(&state.db, &admin.actor(), id, enrolment, &public_url).await {
        Ok(_) => done(id, "withdrawn", None),
        Err(err) => refused(req, &admin, &state, id, String::new(), err).await,
    }
}

/// Who is mailed when workshop `id` is cancelled: everyone enrolled or waiting who has an
/// address (`None`: it cannot be cancelled).
async fn cancel_confirmation(state: &AppState, id: i64) -> Result<Option<confirm::Confirm>> {
    let a = words();
    let w = workshops::get(&state.db, id).await?.workshop;
    if transition(w.status, Transition::Cancel, w.end_date, local_today()).is_err() {
        return Ok(None);
    }
    let found = enrolments::list(&state.db, id, None, ALL_ENROLMENTS).await?;
    let people = participants::get_many(
        &state.db,
        found.items.iter().map(|e| e.enrolment.participant_id),
    )
    .await?;
    let (mut mailed, mut without) = (0, 0);
    for e in &found.items {
        if e.enrolment.status == EnrolmentStatus::Withdrawn {
            continue;
        }
        if people
            .get(&e.enrolment.participant_id)
            .is_some_and(has_address)
        {
            mailed += 1;
        } else {
            without += 1;
        }
    }
    Ok(Some(confirm::Confirm {
        question: a.confirm_cancel.to_owned(),
        consequences: vec![(a.cancel_mails)(mailed, without), a.cancel_final.to_owned()],
        action: format!("/admin/workshops/{id}/status"),
        fields: vec![("change".to_owned(), "cancel".to_owned())],
        button: a.cancel_workshop,
        back: format!("/admin/workshops/{id}"),
    }))
}

fn has_address(p: &entity::participant::Model) -> bool {
    p.email.as_deref().is_some_and(|e| !e.trim().is_empty())
}

/// What withdrawing `enrolment` does: who takes the seat (and whether they are mailed);
/// `None` when it cannot be withdrawn.
async fn withdraw_confirmation(
    state: &AppState,
    id: i64,
    enrolment: i64,
) -> Result<Option<confirm::Confirm>> {
    let a = words();
    let w = workshops::get(&state.db, id).await?.workshop;
    let found = enrolments::list(&state.db, id, None, ALL_ENROLMENTS).await?;
    let Some(leaving) = found
        .items
        .iter()
        .find(|e| e.enrolment.id == enrolment && e.enrolment.status != EnrolmentStatus::Withdrawn)
    else {
        return Ok(None);
    };
    if matches!(w.status, Status::Completed | Status::Cancelled) {
        return Ok(None);
    }
    let first_waiting = found
        .items
        .iter()
        .filter(|e| e.enrolment.status == EnrolmentStatus::Waitlisted)
        .min_by_key(|e| e.waitlist_position.unwrap_or(u64::MAX));
    let people = participants::get_many(
        &state.db,
        [
            Some(leaving.enrolment.participant_id),
            first_waiting.map(|e| e.enrolment.participant_id),
        ]
        .into_iter()
        .flatten(),
    )
    .await?;
    let name_of = |pid: i64| {
        people
            .get(&pid)
            .map(|p| p.full_name.clone())
            .unwrap_or_default()
    };
    let consequence = match (leaving.enrolment.status, first_waiting) {
        (EnrolmentStatus::Enrolled, Some(next)) => (a.withdraw_promotes)(
            &name_of(next.enrolment.participant_id),
            people
                .get(&next.enrolment.participant_id)
                .is_some_and(has_address),
        ),
        (EnrolmentStatus::Enrolled, None) => a.withdraw_seat_stays_free.to_owned(),
        _ => a.withdraw_from_waitlist.to_owned(),
    };
    Ok(Some(confirm::Confirm {
        question: (a.confirm_withdraw)(&name_of(leaving.enrolment.participant_id)),
        consequences: vec![consequence],
        action: format!("/admin/workshops/{id}/withdraw"),
        fields: vec![("enrolment_id".to_owned(), enrolment.to_string())],
        button: a.withdraw,
        back: format!("/admin/workshops/{id}"),
    }))
}

/// `POST /admin/workshops/{id}/certificates`: issues the certificates of a completed workshop
/// to everyone eligible (the API's `POST /workshops/{id}/certificates`).
#[handler]
pub async fn issue_certificates(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
    AdminForm(admin, _form): AdminForm<ActionForm>,
) -> Response {
    let settings = IssueSettings::from_config(&state.config);
    match certificates::issue_for_workshop(
        &state.db,
        &admin.actor(),
        state.renderer.clone(),
        &state.keyring,
        &settings,
        id,
    )
    .await
    {
        Ok(outcome) => done(id, "issued", Some(outcome.issued.len() as u64)),
        Err(err) => refused(req, &admin, &state, id, String::new(), err).await,
    }
}
