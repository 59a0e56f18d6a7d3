//! Certificates: search by number or holder's name, one certificate, revoking it with a
//! reason, and emailing it again.

use askama::Template;
use entity::certificate::{self, CertificateStatus};
use poem::{
    Request, Response, handler,
    http::StatusCode,
    web::{Data, Path, Query},
};
use serde::Deserialize;

use super::{Admin, AdminForm, FieldErrors, Pager, iso, level_short, page_of, words};
use crate::{
    domain::{Error, Result},
    services::{
        certificates::{self, CertificateFilter},
        console,
    },
    state::AppState,
    web::{errors, i18n::AdminStrings, page, verify},
};

struct CertificateRow {
    id: i64,
    number: String,
    holder: String,
    course: String,
    issued_on: String,
    revoked: bool,
}

fn row(c: certificate::Model) -> CertificateRow {
    CertificateRow {
        id: c.id,
        revoked: c.status == CertificateStatus::Revoked,
        number: c.number,
        holder: c.holder_name,
        course: format!("{} · {}", c.course_code, level_short(c.level)),
        issued_on: iso(c.issued_on),
    }
}

#[derive(Template)]
#[template(path = "admin_certificates.html")]
struct ListPage {
    layout: page::Layout,
    a: &'static AdminStrings,
    notice: Option<String>,
    q: String,
    rows: Vec<CertificateRow>,
    pager: Pager,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    participant_id: Option<i64>,
    page: Option<u64>,
    notice: Option<String>,
}

/// `GET /admin/certificates`: newest first; `q` searches numbers and holders' names.
#[handler]
pub async fn list(
    req: &Request,
    state: Data<&AppState>,
    Query(q): Query<ListQuery>,
    admin: Admin,
) -> Response {
    let (page_number, page_request) = page_of(q.page);
    let search = q.q.clone().unwrap_or_default();
    let found = match q.participant_id {
        Some(p) => {
            certificates::list(
                &state.db,
                CertificateFilter {
                    participant_id: Some(p),
                    ..Default::default()
                },
                page_request,
            )
            .await
        }
        None => console::search_certificates(&state.db, &search, page_request).await,
    };
    let found = match found {
        Ok(found) => found,
        Err(err) => return errors::from_domain(req, err),
    };
    let a = words();
    let page = ListPage {
        layout: admin.layout(a.nav_certificates),
        a,
        notice: None,
        pager: Pager::new(
            "/admin/certificates",
            &[
                ("q", search.clone()),
                (
                    "participant_id",
                    q.participant_id.map(|p| p.to_string()).unwrap_or_default(),
                ),
            ],
            page_number,
            found.total,
        ),
        q: search,
        rows: found.items.into_iter().map(row).collect(),
    };
    admin.html(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "admin_certificate.html")]
struct ShowPage {
    layout: page::Layout,
    a: &'static AdminStrings,
    notice: Option<String>,
    errors: FieldErrors,
    id: i64,
    number: String,
    holder: String,
    participant_id: i64,
    workshop_id: i64,
    course: String,
    dates: String,
    venue: String,
    issued_on: String,
    revoked: bool,
    revoked_reason: String,
    check_path: String,
    reason: String,
}

async fn show_page(
    admin: &Admin,
    state: &AppState,
    id: i64,
    notice: Option<String>,
    errors: FieldErrors,
    reason: String,
) -> Result<ShowPage> {
    let c = certificates::get(&state.db, id).await?;
    let a = words();
    Ok(ShowPage {
        layout: admin.layout(c.number.clone()),
        a,
        notice,
        errors,
        id,
        holder: c.holder_name.clone(),
        participant_id: c.participant_id,
        workshop_id: c.workshop_id,
        course: format!(
            "{} — {} ({})",
            c.course_code,
            c.course_title,
            level_short(c.level)
        ),
        dates: verify::date_span(c.start_date, c.end_date),
        venue: c.venue.clone(),
        issued_on: verify::long_date(c.issued_on),
        revoked: c.status == CertificateStatus::Revoked,
        revoked_reason: c.revoked_reason.clone().unwrap_or_default(),
        check_path: verify::page_path(&c.verification_code),
        number: c.number,
        reason,
    })
}

/// `GET /admin/certificates/{id}`.
#[handler]
pub async fn show(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
    admin: Admin,
) -> Response {
    let notice = q.notice.as_deref().and_then(|k| words().notice(k, 0));
    match show_page(
        &admin,
        &state,
        id,
        notice,
        FieldErrors::default(),
        String::new(),
    )
    .await
    {
        Ok(page) => admin.html(StatusCode::OK, &page),
        Err(err) => errors::from_domain(req, err),
    }
}

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    reason: Option<String>,
}

async fn refused(
    req: &Request,
    admin: &Admin,
    state: &AppState,
    id: i64,
    err: Error,
    reason: String,
) -> Response {
    let status = match &err {
        Error::Conflict(_) => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    match FieldErrors::from_error(err) {
        Ok(errors) => match show_page(admin, state, id, None, errors, reason).await {
            Ok(page) => admin.html(status, &page),
            Err(err) => errors::from_domain(req, err),
        },
        Err(other) => errors::from_domain(req, other),
    }
}

/// `POST /admin/certificates/{id}/revoke`: revokes with the reason given.
#[handler]
pub async fn revoke(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
    AdminForm(admin, form): AdminForm<RevokeForm>,
) -> Response {
    let reason = form.reason.unwrap_or_default();
    match certificates::revoke(&state.db, &admin.actor(), id, &reason).await {
        Ok(_) => page::see_other(&format!("/admin/certificates/{id}?notice=revoked"), &[]),
        Err(err) => refused(req, &admin, &state, id, err, reason).await,
    }
}

/// `POST /admin/certificates/{id}/email`: queues a fresh copy to the holder's address.
#[handler]
pub async fn email(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
    AdminForm(admin, _form): AdminForm<RevokeForm>,
) -> Response {
    match certificates::queue_email(&state.db, &admin.actor(), id).await {
        Ok(_) => {
            state.mail_wake.notify_one();
            page::see_other(&format!("/admin/certificates/{id}?notice=emailed"), &[])
        }
        Err(err) => refused(req, &admin, &state, id, err, String::new()).await,
    }
}
