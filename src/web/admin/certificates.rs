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

use super::{Admin, AdminForm, FieldErrors, Pager, confirm, iso, level_short, page_of, words};
use crate::{
    domain::{Error, Result},
    services::{
        certificates::{self, CertificateFilter, IssueSettings},
        console,
        reissue::{self as reissuing, Reissuer},
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
    /// Neither revoked nor replaced: it may be emailed, revoked or reissued.
    standing: bool,
    /// (id, number) of the certificate that replaced this one.
    replaced_by: Option<(i64, String)>,
    /// (id, number) of the certificate this one replaces.
    replaces: Option<(i64, String)>,
    reissue_reason: String,
    full_name: String,
}

/// What was typed into the forms, shown again with their errors.
#[derive(Default)]
struct Typed {
    reason: String,
    reissue_reason: String,
    full_name: String,
}

async fn show_page(
    admin: &Admin,
    state: &AppState,
    id: i64,
    notice: Option<String>,
    errors: FieldErrors,
    typed: Typed,
) -> Result<ShowPage> {
    let c = certificates::get(&state.db, id).await?;
    let a = words();
    let number_of = |other: Option<certificate::Model>| other.map(|o| (o.id, o.number));
    let replaced_by = number_of(certificates::successor(&state.db, &c).await?);
    let replaces = match c.supersedes_id {
        Some(old) => number_of(Some(certificates::get(&state.db, old).await?)),
        None => None,
    };
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
        standing: c.status == CertificateStatus::Valid,
        number: c.number,
        reason: typed.reason,
        replaced_by,
        replaces,
        reissue_reason: typed.reissue_reason,
        full_name: typed.full_name,
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
        Typed::default(),
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
    /// `yes` once the administrator has seen what revoking does.
    confirm: Option<String>,
}

async fn refused(
    req: &Request,
    admin: &Admin,
    state: &AppState,
    id: i64,
    err: Error,
    typed: Typed,
) -> Response {
    let status = match &err {
        Error::Conflict(_) => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    match FieldErrors::from_error(err) {
        Ok(errors) => match show_page(admin, state, id, None, errors, typed).await {
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
    // A reason is asked for first (the service says so); then what revoking does.
    if !reason.trim().is_empty() && !confirm::confirmed(form.confirm.as_deref()) {
        let a = words();
        return match certificates::get(&state.db, id).await {
            Ok(c) => confirm::page(
                &admin,
                a.confirm_title,
                confirm::Confirm {
                    question: (a.confirm_revoke_certificate)(&c.number, &c.holder_name),
                    consequences: vec![(a.revoke_certificate_effects)(reason.trim())],
                    action: format!("/admin/certificates/{id}/revoke"),
                    fields: vec![("reason".to_owned(), reason)],
                    button: a.revoke,
                    back: format!("/admin/certificates/{id}"),
                },
            ),
            Err(err) => errors::from_domain(req, err),
        };
    }
    match certificates::revoke(&state.db, &admin.actor(), id, &reason).await {
        Ok(_) => page::see_other(&format!("/admin/certificates/{id}?notice=revoked"), &[]),
        Err(err) => {
            let typed = Typed {
                reason,
                ..Default::default()
            };
            refused(req, &admin, &state, id, err, typed).await
        }
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
        Ok(_) => page::see_other(&format!("/admin/certificates/{id}?notice=emailed"), &[]),
        Err(err) => refused(req, &admin, &state, id, err, Typed::default()).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct ReissueForm {
    reason: Option<String>,
    full_name: Option<String>,
}

/// `POST /admin/certificates/{id}/reissue`: replaces the certificate with a corrected one
/// and shows the new one.
#[handler]
pub async fn reissue(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
    AdminForm(admin, form): AdminForm<ReissueForm>,
) -> Response {
    let reason = form.reason.unwrap_or_default();
    let full_name = form.full_name.unwrap_or_default();
    let settings = IssueSettings::from_config(&state.config);
    let with = Reissuer {
        renderer: state.renderer.clone(),
        keyring: &state.keyring,
        settings: &settings,
    };
    let rename = Some(full_name.trim()).filter(|n| !n.is_empty());
    match reissuing::reissue(&state.db, &admin.actor(), &with, id, &reason, rename).await {
        Ok(done) => match done.certificates.first() {
            Some(new) => page::see_other(
                &format!("/admin/certificates/{}?notice=reissued", new.id),
                &[],
            ),
            None => page::see_other(&format!("/admin/certificates/{id}"), &[]),
        },
        Err(err) => {
            let typed = Typed {
                reissue_reason: reason,
                full_name,
                ..Default::default()
            };
            refused(req, &admin, &state, id, err, typed).await
        }
    }
}
