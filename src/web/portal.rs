//! The participant's pages: sign in by emailed link, then one's enrolments (dates, venue,
//! day-by-day schedule, waitlist position, a calendar file) and certificates (PDF).
//!
//! Everything is read through the same services the API uses; a participant only ever reaches
//! records of their own participant record, and anything else looks like "not found".

use askama::Template;
use entity::{
    certificate::CertificateStatus, enrolment::EnrolmentStatus, workshop::Status as WorkshopStatus,
};
use poem::{
    Request, Response, handler,
    http::{StatusCode, header},
    web::{Data, Form, Path},
};
use serde::Deserialize;

use super::{
    cookies, csrf, errors, i18n, page,
    session::{self, SignedIn},
    verify::level_words,
    words::Words,
};
use crate::{
    domain::{
        eligibility::{Unmet, percent_text},
        language::Lang,
    },
    services::{
        PageRequest, attendance, certificates, certificates::CertificateFilter, enrolments,
        evaluations, participant_mail, participants, personal_data, sharing, sign_in::LinkRequest,
        sign_in_links, workshops,
    },
    state::AppState,
    subject_access::PersonalDataExport,
};

#[derive(Template)]
#[template(path = "portal_sign_in.html")]
struct SignInPage {
    layout: page::Layout,
}

#[derive(Template)]
#[template(path = "portal_link_sent.html")]
struct LinkSentPage {
    layout: page::Layout,
    /// "If … belongs to a participant, a link is on its way".
    text: String,
}

#[derive(Template)]
#[template(path = "portal_link_invalid.html")]
struct LinkInvalidPage {
    layout: page::Layout,
}

/// One day of a workshop as the schedule shows it: "Day 1, 2 March 2026: …".
struct DayLine {
    line: String,
}

/// One enrolment as the portal shows it.
struct EnrolmentCard {
    workshop_id: i64,
    course: String,
    level: String,
    /// The status in words, with the waitlist place when waitlisted.
    status: String,
    status_class: &'static str,
    /// For a completed workshop: whether a certificate was earned, and why not.
    outcome: Option<String>,
    dates: String,
    venue: String,
    days: Vec<DayLine>,
    /// The workshop may be evaluated now ("Evaluate this workshop").
    evaluate: bool,
    /// The participant has evaluated it.
    evaluated: bool,
}

/// One certificate as the portal shows it.
struct CertificateCard {
    id: i64,
    course: String,
    number: String,
    dates: String,
    revoked: bool,
    /// Replaced by a reissued certificate (listed too).
    replaced: bool,
    check_url: String,
    /// LinkedIn's add-to-profile link, for a certificate that stands.
    linkedin_url: Option<String>,
}

#[derive(Template)]
#[template(path = "portal_home.html")]
struct HomePage {
    layout: page::Layout,
    has_record: bool,
    /// The "My data" section's words, in the page's language.
    my_data: MyDataWords,
    enrolments: Vec<EnrolmentCard>,
    certificates: Vec<CertificateCard>,
}

/// The words of the portal's "My data" section (`privacy.ftl`).
struct MyDataWords {
    heading: String,
    note: String,
    button: String,
}

impl MyDataWords {
    fn of(w: &Words) -> Self {
        MyDataWords {
            heading: w.t("privacy-my-data"),
            note: w.t("privacy-my-data-note"),
            button: w.t("privacy-download-my-data"),
        }
    }
}

/// The most enrolments and certificates the portal lists.
pub(super) const LISTED: PageRequest = PageRequest {
    limit: 200,
    offset: 0,
};

pub(super) fn secure(state: &AppState) -> bool {
    cookies::secure(&state.config)
}

/// `GET /portal`: the sign-in form, or the signed-in participant's workshops and certificates.
#[handler]
pub async fn home(req: &Request, state: Data<&AppState>) -> Response {
    let t = i18n::strings();
    let token = csrf::token(req, secure(&state));
    let cookies: Vec<String> = token.set_cookie.clone().into_iter().collect();
    let who = match session::signed_in(req, &state).await {
        Ok(who) => who,
        Err(err) => return errors::from_domain(req, err),
    };
    let Some(who) = who else {
        let w = Words::for_request(req, None, "/portal");
        let layout = page::Layout::new(t, w.t("portal-title"), &token.value).with_words(w.clone());
        return w.mark(page::html(StatusCode::OK, &SignInPage { layout }, &cookies));
    };
    let participant_id = who.principal.participant_id();
    let w = match words_of(req, &state, participant_id).await {
        Ok(w) => w,
        Err(err) => return errors::from_domain(req, err),
    };
    let mut layout = page::Layout::new(t, w.t("portal-title"), &token.value).with_words(w.clone());
    layout.signed_in = Some(who.name());
    let Some(participant_id) = participant_id else {
        let view = HomePage {
            layout,
            has_record: false,
            my_data: MyDataWords::of(&w),
            enrolments: vec![],
            certificates: vec![],
        };
        return w.mark(page::html(StatusCode::OK, &view, &cookies));
    };
    match home_view(&state, participant_id, layout, MyDataWords::of(&w)).await {
        Ok(view) => w.mark(page::html(StatusCode::OK, &view, &cookies)),
        Err(err) => errors::from_domain(req, err),
    }
}

/// The words of a portal page for the signed-in participant: their own language when recorded,
/// else the request's (`?lang=`, `Accept-Language`).
pub async fn words_of(
    req: &Request,
    state: &AppState,
    participant_id: Option<i64>,
) -> crate::domain::Result<Words> {
    let own: Option<Lang> = match participant_id {
        Some(id) => participant_mail::preferred_language(&participants::get(&state.db, id).await?),
        None => None,
    };
    Ok(Words::for_request(req, own, "/portal"))
}

async fn home_view(
    state: &AppState,
    participant_id: i64,
    layout: page::Layout,
    my_data: MyDataWords,
) -> crate::domain::Result<HomePage> {
    let w = layout.w.clone();
    let mut cards = Vec::new();
    for e in enrolments::for_participant(&state.db, participant_id, LISTED)
        .await?
        .items
    {
        let view = workshops::get(&state.db, e.enrolment.workshop_id).await?;
        let completed = view.workshop.status == WorkshopStatus::Completed
            && e.enrolment.status == EnrolmentStatus::Enrolled;
        let outcome = if completed {
            let (_, results) = attendance::results(&state.db, view.workshop.id).await?;
            results
                .into_iter()
                .find(|r| r.enrolment_id == e.enrolment.id)
                .map(|r| {
                    if r.verdict.eligible {
                        w.t("portal-certificate-earned")
                    } else {
                        let reasons: Vec<String> = r
                            .verdict
                            .unmet
                            .iter()
                            .map(|u| unmet_words(&w, *u))
                            .collect();
                        w.t_with(
                            "portal-no-certificate",
                            &[("reasons", reasons.join(" ").into())],
                        )
                    }
                })
        } else {
            None
        };
        let (status, status_class) = match e.enrolment.status {
            EnrolmentStatus::Enrolled if completed => (w.t("portal-status-completed"), "completed"),
            EnrolmentStatus::Enrolled => (w.t("portal-status-enrolled"), "enrolled"),
            EnrolmentStatus::Waitlisted => (
                match e.waitlist_position {
                    Some(position) => w.t_with(
                        "portal-status-waitlisted",
                        &[(
                            "position",
                            i64::try_from(position).unwrap_or(i64::MAX).into(),
                        )],
                    ),
                    None => w.t("portal-status-waitlisted-unknown"),
                },
                "waitlisted",
            ),
            EnrolmentStatus::Withdrawn => (w.t("portal-status-withdrawn"), "withdrawn"),
        };
        let standing = if e.enrolment.status == EnrolmentStatus::Enrolled {
            Some(evaluations::standing(&state.db, participant_id, view.workshop.id).await?)
        } else {
            None
        };
        cards.push(EnrolmentCard {
            workshop_id: view.workshop.id,
            course: view.course.title.clone(),
            level: level_words(&w, view.workshop.level),
            status,
            status_class,
            outcome,
            dates: w.date_span(view.workshop.start_date, view.workshop.end_date),
            venue: view.workshop.venue.clone(),
            days: view
                .days
                .iter()
                .map(|d| DayLine {
                    line: if d.topics.is_empty() {
                        w.t_with(
                            "portal-day-practice",
                            &[("day", d.day.into()), ("date", w.date(d.date).into())],
                        )
                    } else {
                        w.t_with(
                            "portal-day",
                            &[
                                ("day", d.day.into()),
                                ("date", w.date(d.date).into()),
                                ("topics", d.topics.join("; ").into()),
                            ],
                        )
                    },
                })
                .collect(),
            evaluate: standing == Some(evaluations::Standing::Open),
            evaluated: matches!(standing, Some(evaluations::Standing::Submitted(_))),
        });
    }
    let filter = CertificateFilter {
        participant_id: Some(participant_id),
        ..Default::default()
    };
    let listed = certificates::list(&state.db, filter, LISTED).await?.items;
    let mut certificates = Vec::with_capacity(listed.len());
    for c in listed {
        let standing = c.status == CertificateStatus::Valid;
        let linkedin_url = if standing {
            let links =
                sharing::share_links(&state.db, state.config.public_url_trimmed(), &c).await?;
            Some(links.linkedin_url)
        } else {
            None
        };
        certificates.push(CertificateCard {
            id: c.id,
            course: c.course_title,
            dates: w.date_span(c.start_date, c.end_date),
            revoked: c.status == CertificateStatus::Revoked,
            replaced: c.status == CertificateStatus::Superseded,
            check_url: super::verify::page_path(&c.verification_code),
            number: c.number,
            linkedin_url,
        });
    }
    Ok(HomePage {
        layout,
        has_record: true,
        my_data,
        enrolments: cards,
        certificates,
    })
}

/// The sign-in form's fields.
#[derive(Debug, Deserialize)]
pub struct LinkForm {
    csrf: Option<String>,
    email: String,
}

/// `POST /portal/sign-in`: asks for a sign-in link (the same service and throttle as
/// `POST /api/v1/auth/email-link`).
#[handler]
pub async fn request_link(
    req: &Request,
    state: Data<&AppState>,
    Form(form): Form<LinkForm>,
) -> Response {
    if !csrf::verify(req, form.csrf.as_deref(), &state.config.public_url) {
        return errors::form_expired(req);
    }
    let address = crate::forwarded::client_ip(req);
    let outcome = state
        .sign_in
        .email_link(
            &state.db,
            &form.email,
            address.as_deref(),
            state.config.public_url_trimmed(),
        )
        .await;
    let t = i18n::strings();
    match outcome {
        Ok(LinkRequest::Accepted) => {
            let w = Words::for_request(req, None, "/portal");
            let token = csrf::token(req, secure(&state));
            let layout = page::Layout::new(t, w.t("portal-link-sent-title"), &token.value)
                .with_words(w.clone());
            let email: String = form.email.trim().chars().take(254).collect();
            let text = w.t_with("portal-link-sent-text", &[("email", email.into())]);
            w.mark(page::html(
                StatusCode::OK,
                &LinkSentPage { layout, text },
                &[],
            ))
        }
        Err(err) => errors::from_domain(req, err),
    }
}

/// `GET /portal/link/{token}`: opens a sign-in link, and on success signs in and goes to
/// `/portal`.
#[handler]
pub async fn open_link(
    req: &Request,
    state: Data<&AppState>,
    Path(token): Path<String>,
) -> Response {
    match sign_in_links::redeem(&state.db, &token).await {
        Ok(Some(login)) => page::see_other(
            "/portal",
            &[session::cookie_for(&login.token, secure(&state))],
        ),
        Ok(None) => {
            let t = i18n::strings();
            let w = Words::for_request(req, None, "/portal");
            let token = csrf::token(req, secure(&state));
            let cookies: Vec<String> = token.set_cookie.into_iter().collect();
            let layout = page::Layout::new(t, w.t("portal-link-invalid-title"), &token.value)
                .with_words(w.clone());
            w.mark(page::html(
                StatusCode::GONE,
                &LinkInvalidPage { layout },
                &cookies,
            ))
        }
        Err(err) => errors::from_domain(req, err),
    }
}

/// The signed-in participant's record, or the response to give instead.
pub(super) async fn participant(
    req: &Request,
    state: &AppState,
) -> Result<(SignedIn, i64), Response> {
    match session::signed_in(req, state).await {
        Ok(Some(who)) => match who.principal.participant_id() {
            Some(id) => Ok((who, id)),
            None => Err(errors::not_found(req)),
        },
        Ok(None) => Err(page::see_other("/portal", &[])),
        Err(err) => Err(errors::from_domain(req, err)),
    }
}

/// `GET /portal/certificates/{id}/pdf`: one's own certificate, exactly as issued. Anyone
/// else's is "not found".
#[handler]
pub async fn certificate_pdf(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
) -> Response {
    let (_, participant_id) = match participant(req, &state).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    match certificates::get(&state.db, id).await {
        Ok(c) if c.participant_id == participant_id => page::protect(
            Response::builder()
                .content_type("application/pdf")
                .header(
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"certificate-{}.pdf\"", c.number),
                )
                .body(c.pdf),
        ),
        Ok(_) | Err(crate::domain::Error::NotFound { .. }) => errors::not_found(req),
        Err(err) => errors::from_domain(req, err),
    }
}

/// `GET /portal/my-data.json`: everything held about the signed-in participant, as a file to
/// save (the same document as `GET /api/v1/me/export`).
#[handler]
pub async fn download_my_data(req: &Request, state: Data<&AppState>) -> Response {
    let (_, participant_id) = match participant(req, &state).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    match personal_data::export(&state.db, participant_id).await {
        Ok(data) => {
            let document = PersonalDataExport::from(data);
            page::protect(
                Response::builder()
                    .content_type("application/json; charset=utf-8")
                    .header(
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{}\"", document.file_name()),
                    )
                    .body(document.to_json_text()),
            )
        }
        Err(err) => errors::from_domain(req, err),
    }
}

/// `GET /portal/workshops/{id}/calendar.ics`: the days of a workshop one is enrolled or
/// waitlisted in, for one's calendar.
#[handler]
pub async fn calendar(req: &Request, state: Data<&AppState>, Path(id): Path<i64>) -> Response {
    let (_, participant_id) = match participant(req, &state).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let mine = match enrolments::for_participant(&state.db, participant_id, LISTED).await {
        Ok(page) => page.items.into_iter().any(|e| {
            e.enrolment.workshop_id == id && e.enrolment.status != EnrolmentStatus::Withdrawn
        }),
        Err(err) => return errors::from_domain(req, err),
    };
    if !mine {
        return errors::not_found(req);
    }
    match workshops::get(&state.db, id).await {
        Ok(view) => page::protect(
            Response::builder()
                .content_type("text/calendar; charset=utf-8")
                .header(
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"workshop-{id}.ics\""),
                )
                .body(crate::calendar::workshop_calendar(
                    &view,
                    state.config.public_url_trimmed(),
                )),
        ),
        Err(err) => errors::from_domain(req, err),
    }
}

/// A condition for a certificate that was not met, in the page's language.
fn unmet_words(w: &Words, unmet: Unmet) -> String {
    match unmet {
        Unmet::Attendance { attended, required } => w.t_with(
            "portal-unmet-attendance",
            &[("attended", attended.into()), ("required", required.into())],
        ),
        Unmet::NoPostTest => w.t("portal-unmet-no-post-test"),
        Unmet::BelowPassMark { percent, pass_mark } => w.t_with(
            "portal-unmet-pass-mark",
            &[
                ("score", percent_text(percent).into()),
                ("pass_mark", pass_mark.into()),
            ],
        ),
    }
}
