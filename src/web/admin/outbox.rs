//! The mail outbox: every message with its status, kind, attempts and last error, and sending
//! a failed one again.

use askama::Template;
use entity::email_outbox::{EmailKind, EmailStatus};
use poem::{
    Request, Response, handler,
    http::StatusCode,
    web::{Data, Path, Query},
};
use sea_orm::ActiveEnum;
use serde::Deserialize;

use super::{
    Admin, AdminForm, Pager, page_of, words,
    workshops::{Choice, enum_filter, label_in},
};
use crate::{
    mail::outbox,
    services::console,
    state::AppState,
    web::{errors, i18n::AdminStrings, page},
};

struct MessageRow {
    id: i64,
    created: String,
    recipient: String,
    subject: String,
    kind: String,
    status: String,
    failed: bool,
    attempts: i32,
    last_error: String,
}

#[derive(Template)]
#[template(path = "admin_outbox.html")]
struct OutboxPage {
    layout: page::Layout,
    a: &'static AdminStrings,
    notice: Option<String>,
    error: Option<String>,
    statuses: Vec<Choice>,
    kinds: Vec<Choice>,
    rows: Vec<MessageRow>,
    pager: Pager,
}

#[derive(Debug, Default, Deserialize)]
pub struct OutboxQuery {
    status: Option<String>,
    kind: Option<String>,
    page: Option<u64>,
    notice: Option<String>,
}

/// `GET /admin/outbox`: newest first, by status and kind.
#[handler]
pub async fn list(
    req: &Request,
    state: Data<&AppState>,
    Query(q): Query<OutboxQuery>,
    admin: Admin,
) -> Response {
    render(req, &admin, &state, q, None, StatusCode::OK).await
}

async fn render(
    req: &Request,
    admin: &super::Admin,
    state: &AppState,
    q: OutboxQuery,
    error: Option<String>,
    code: StatusCode,
) -> Response {
    let a = words();
    let status_key = q.status.clone().unwrap_or_default();
    let kind_key = q.kind.clone().unwrap_or_default();
    let (status, statuses) = enum_filter::<EmailStatus>(&status_key, &a.mail_words);
    let (kind, kinds) = enum_filter::<EmailKind>(&kind_key, &a.mail_words);
    let key_words = |key: String| label_in(&a.mail_words, &key);
    let (page_number, request) = page_of(q.page);
    let (items, total) =
        match outbox::list(&state.db, status, None, kind, request.limit, request.offset).await {
            Ok(found) => found,
            Err(err) => return errors::from_domain(req, err.into()),
        };
    let page = OutboxPage {
        layout: admin.layout(a.nav_outbox),
        a,
        notice: q.notice.as_deref().and_then(|k| a.notice(k, 0)),
        error,
        statuses,
        kinds,
        rows: items
            .into_iter()
            .map(|m| MessageRow {
                id: m.id,
                created: m.created_at.format("%Y-%m-%d %H:%M").to_string(),
                recipient: m.recipient,
                subject: m.subject,
                kind: key_words(m.kind.to_value()),
                status: key_words(m.status.to_value()),
                failed: m.status == EmailStatus::Failed,
                attempts: m.attempts,
                last_error: m.last_error.unwrap_or_default(),
            })
            .collect(),
        pager: Pager::new(
            "/admin/outbox",
            &[("status", status_key), ("kind", kind_key)],
            page_number,
            total,
        ),
    };
    admin.html(code, &page)
}

#[derive(Debug, Deserialize)]
pub struct ResendForm {}

/// `POST /admin/outbox/{id}/resend`: a failed message goes back to the queue.
#[handler]
pub async fn resend(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
    AdminForm(admin, _form): AdminForm<ResendForm>,
) -> Response {
    match console::resend_failed(&state.db, &admin.actor(), id).await {
        Ok(_) => page::see_other("/admin/outbox?notice=requeued", &[]),
        Err(crate::domain::Error::Conflict(message)) => {
            render(
                req,
                &admin,
                &state,
                OutboxQuery::default(),
                Some(message),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(err) => errors::from_domain(req, err),
    }
}
